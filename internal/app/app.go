// Package app holds the use cases: each loads what it needs, applies the
// rules of internal/csp, stores the result and records an audit entry, all in
// one transaction. Adapters (HTTP, CLI, console) call only this package.
package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/clock"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// App is the program's use cases over a store and a clock.
type App struct {
	store store.Store
	clock clock.Clock
	// sandbox is set in sandbox mode: the clock the operator advances.
	sandbox *clock.Sandbox
	// operatorToken, when set, is accepted as the operator's key (OPENCSP_OPERATOR_TOKEN).
	operatorToken string
	// BaseURL is this server's public address, used in invitation links.
	BaseURL string
	catalog catalogCache
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
}

const settingSandboxNow = "sandbox.now"

// New builds the use cases. In sandbox mode the clock is read from the
// database (set from opts.StartTime on the first start) and frozen between
// advances.
func New(ctx context.Context, s store.Store, opts Options) (*App, error) {
	wall := opts.Wall
	if wall == nil {
		wall = clock.Real{}
	}
	a := &App{store: s, clock: wall, operatorToken: opts.OperatorToken, BaseURL: opts.BaseURL}
	if !opts.Sandbox {
		return a, nil
	}
	var now time.Time
	err := s.Write(ctx, func(tx store.Tx) error {
		v, ok, err := tx.Setting(ctx, settingSandboxNow)
		if err != nil {
			return err
		}
		if ok {
			now, err = time.Parse(time.RFC3339Nano, v)
			return err
		}
		now = opts.StartTime
		if now.IsZero() {
			now = wall.Now()
		}
		return tx.SetSetting(ctx, settingSandboxNow, now.UTC().Format(time.RFC3339Nano))
	})
	if err != nil {
		return nil, fmt.Errorf("sandbox clock: %w", err)
	}
	a.sandbox = clock.NewSandbox(now)
	a.clock = a.sandbox
	return a, nil
}

// Now answers the program's current time (the sandbox clock in a sandbox).
func (a *App) Now() time.Time { return a.clock.Now() }

// IsSandbox reports whether the clock is simulated.
func (a *App) IsSandbox() bool { return a.sandbox != nil }

// Store gives adapters the store for concerns outside the use cases
// (idempotency records).
func (a *App) Store() store.Store { return a.store }

type ctxKey int

const correlationKey ctxKey = 0

// WithCorrelationID attaches the request's MS-CorrelationId, which audit
// records keep.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, correlationKey, id)
}

func correlationID(ctx context.Context) string {
	s, _ := ctx.Value(correlationKey).(string)
	return s
}

// audit appends a record of a change made by p, with before and after values
// marshalled to JSON.
func (a *App) audit(ctx context.Context, tx store.Tx, p csp.Principal, rec csp.AuditRecord, before, after any) error {
	rec.ID = uuid.Must(uuid.NewV7())
	rec.OperationDate = a.Now()
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
