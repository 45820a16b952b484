// Package app holds the use cases: each loads what it needs, applies the
// rules of internal/csp, stores the result and records an audit entry, all in
// one transaction. Adapters (HTTP, CLI, console) call only this package.
//
// Every write goes through App.write: one transaction at the program's time,
// read (and share-locked) from the store, so that several instances on one
// database see one clock, and refused while a clock advance runs.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/clock"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/ids"
	"github.com/opencsp/opencsp/internal/schedule"
	"github.com/opencsp/opencsp/internal/store"
)

// App is the program's use cases over a store and a clock.
type App struct {
	store store.Store
	// wall is the wall clock: the program's time outside a sandbox, and the
	// time of leases, idempotency windows and sessions everywhere.
	wall clock.Clock
	// sandbox is set in sandbox mode: the program's time is the stored
	// sandbox clock, which only advances move.
	sandbox bool
	// operatorToken, when set, is accepted as the operator's key (OPENCSP_OPERATOR_TOKEN).
	operatorToken string
	// BaseURL is this server's public address, used in invitation links.
	BaseURL string
	catalog catalogCache
	// prices prices every purchase, renewal and transition.
	prices csp.Prices
	// instance names this server instance in leases.
	instance string
	leaseTTL time.Duration
	runner   *schedule.Runner
	// running is held while this process runs the scheduler.
	running sync.Mutex
	// authFailures throttles failed authentications per client address.
	authFailures *addressLimiter
	// ids makes every id the program stores.
	ids ids.Source
	// lastNow is the sandbox time last read, for Now when a read fails.
	lastNow atomic.Pointer[time.Time]
}

// Options configure New.
type Options struct {
	// Sandbox runs a simulated clock stored in the database.
	Sandbox bool
	// StartTime is the sandbox clock's first value (default: wall time at the
	// database's first start).
	StartTime time.Time
	// OperatorToken is accepted as the operator's key.
	OperatorToken string
	// BaseURL is the server's public address.
	BaseURL string
	// Wall is the wall clock (for tests); default clock.Real.
	Wall clock.Clock
	// LeaseTTL is how long a lease (the scheduler's, an MS-RequestId's)
	// outlives its holder's last renewal; default 15 s.
	LeaseTTL time.Duration
	// FailedAuthPerMinute bounds failed authentications per client address
	// (default 60); negative turns the limit off.
	FailedAuthPerMinute int
	// Seed, when set (sandbox only), makes ids a repeatable sequence: the
	// same seed, start time and calls give the same ids, dates and amounts.
	// Secrets stay cryptographically random.
	Seed *uint64
}

// settingSandboxNow is where databases before the sandbox_clock table kept
// the sandbox clock.
const settingSandboxNow = "sandbox.now"

// schedulerBatch bounds the jobs one scheduler transaction does: 1,000
// (store.MaxLimit allows 1,001) cost PostgreSQL a tenth fewer seconds per
// month of 100,000 subscriptions than 200, for a peak heap of 15 MiB
// instead of 7 (docs/benchmarks.md).
const schedulerBatch = 1000

// New builds the use cases. In sandbox mode the clock is read from the
// database (set from opts.StartTime on the first start).
func New(ctx context.Context, s store.Store, opts Options) (*App, error) {
	wall := opts.Wall
	if wall == nil {
		wall = clock.Real{}
	}
	ttl := opts.LeaseTTL
	if ttl <= 0 {
		ttl = 15 * time.Second
	}
	perMinute := opts.FailedAuthPerMinute
	if perMinute == 0 {
		perMinute = 60
	}
	a := &App{store: s, wall: wall, sandbox: opts.Sandbox, operatorToken: opts.OperatorToken, BaseURL: opts.BaseURL,
		instance: newInstanceName(), leaseTTL: ttl, authFailures: newAddressLimiter(perMinute, wall), ids: ids.Random{}, prices: csp.CatalogPrices{}}
	if opts.Seed != nil {
		if !opts.Sandbox {
			return nil, errors.New("a seed makes ids repeatable: it is for sandboxes only (--sandbox)")
		}
		a.ids = ids.NewSeeded(*opts.Seed)
	}
	a.runner = &schedule.Runner{Store: s, Holder: a.instance, Wall: wall, LeaseTTL: ttl, BatchSize: schedulerBatch,
		Handlers: []schedule.Handler{usageJobs{a}, subscriptionJobs{a}, gdapJobs{a}, transferJobs{a}, planJobs{a}, billingRunJobs{a}, invoiceCloseJobs{a}, purgeJobs{a}}, OnBatch: a.afterBatch}
	err := s.Write(ctx, func(tx store.Tx) error {
		now := wall.Now()
		if a.sandbox {
			c, ok, err := tx.SandboxClock(ctx, store.LockUpdate)
			if err != nil {
				return err
			}
			if !ok {
				c.Now = opts.StartTime
				if v, ok, err := tx.Setting(ctx, settingSandboxNow); err != nil {
					return err
				} else if ok {
					if c.Now, err = time.Parse(time.RFC3339Nano, v); err != nil {
						return fmt.Errorf("stored sandbox clock %q: %w", v, err)
					}
				}
				if c.Now.IsZero() {
					c.Now = now
				}
				c.Now = c.Now.UTC().Truncate(clock.Precision)
				if err := tx.SetSandboxClock(ctx, c); err != nil {
					return err
				}
			}
			now = c.Now
		}
		if err := scheduleBillingRun(ctx, tx, now); err != nil {
			return err
		}
		return schedulePurge(ctx, tx, now)
	})
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	return a, nil
}

// newInstanceName answers a random name for this instance's leases.
func newInstanceName() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "instance-" + hex.EncodeToString(b)
}

// Now answers the program's current time: the stored sandbox clock in a
// sandbox (as every instance on the database sees it), else the wall clock.
func (a *App) Now(ctx context.Context) time.Time {
	if !a.sandbox {
		return a.wall.Now()
	}
	var now time.Time
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		now, err = a.txNow(ctx, tx, store.LockNone)
		return err
	})
	if err != nil {
		// The clock is read in every use case's own transaction too; this
		// is for rendering, where the last value is as good.
		if t := a.lastNow.Load(); t != nil {
			return *t
		}
	}
	return now
}

// IsSandbox reports whether the clock is simulated.
func (a *App) IsSandbox() bool { return a.sandbox }

// txNow reads the program's time in tx. lock is LockShare for writes: the
// sandbox clock cannot move under a write, and a write is refused while an
// advance runs (EClockAdvancing), so it is never applied at a stale time.
func (a *App) txNow(ctx context.Context, tx store.Tx, lock store.Lock) (time.Time, error) {
	if !a.sandbox {
		return a.wall.Now(), nil
	}
	c, ok, err := tx.SandboxClock(ctx, lock)
	if err != nil {
		return time.Time{}, err
	}
	if !ok {
		return time.Time{}, fmt.Errorf("the database has no sandbox clock")
	}
	if lock != store.LockNone && c.AdvancingTo != nil {
		return time.Time{}, advancing(c)
	}
	a.lastNow.Store(&c.Now)
	return c.Now, nil
}

func advancing(c store.SandboxClock) error {
	return csp.Errorf(csp.EClockAdvancing, "the sandbox clock is advancing from %s to %s: changes wait until it is done; retry in a moment",
		c.Now.Format(time.RFC3339), c.AdvancingTo.Format(time.RFC3339)).WithRetryAfter(2 * time.Second)
}

// write runs fn in one write transaction at the program's time. It is the
// only way use cases write: fn must be re-runnable (the store runs it again
// when PostgreSQL aborts it as a deadlock), so it sets what it answers and
// never appends to what it found.
func (a *App) write(ctx context.Context, fn func(tx store.Tx, now time.Time) error) error {
	return a.store.Write(ctx, func(tx store.Tx) error {
		now, err := a.txNow(ctx, tx, store.LockShare)
		if err != nil {
			return err
		}
		if err := fn(tx, now); err != nil {
			return err
		}
		return markCommitted(ctx, tx)
	})
}

// read runs fn in a read transaction at the program's time.
func (a *App) read(ctx context.Context, fn func(tx store.Tx, now time.Time) error) error {
	return a.store.Read(ctx, func(tx store.Tx) error {
		now, err := a.txNow(ctx, tx, store.LockNone)
		if err != nil {
			return err
		}
		return fn(tx, now)
	})
}

type ctxKey int

const (
	correlationKey ctxKey = iota
	claimKey
)

// WithCorrelationID attaches the request's MS-CorrelationId, which audit
// records keep.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, correlationKey, id)
}

func correlationID(ctx context.Context) string {
	s, _ := ctx.Value(correlationKey).(string)
	return s
}

// newID answers a new id from the app's source (repeatable in a sandbox
// started with a seed).
func (a *App) newID() uuid.UUID { return a.ids.New() }

// record stores a subscription's event and its charges, naming them first.
func (a *App) record(ctx context.Context, tx store.Tx, subscriptionID uuid.UUID, ev *csp.Event) error {
	ev.SetIDs(a.newID)
	return tx.AddEvent(ctx, subscriptionID, ev)
}

// audit appends a record of a change made by p at now, with before and
// after values marshalled to JSON.
func (a *App) audit(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, rec csp.AuditRecord, before, after any) error {
	rec.ID = a.newID()
	rec.OperationDate = now
	rec.OperationStatus = "succeeded"
	rec.CorrelationID = correlationID(ctx)
	rec.UserPrincipalName = p.UserPrincipalName
	if rec.UserPrincipalName == "" {
		rec.UserPrincipalName = string(p.Kind)
	}
	rec.ApplicationID = "OpenCSP"
	if rec.PartnerID == nil && p.Kind == csp.PrincipalPartner {
		id := p.PartnerID
		rec.PartnerID = &id
	}
	rec.ResourceOldValue = marshal(before)
	rec.ResourceNewValue = marshal(after)
	return tx.AddAudit(ctx, &rec)
}

func marshal(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}
