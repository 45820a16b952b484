// Package bench measures the subscription lifecycle at scale: n
// subscriptions whose renewals, cycle charges and expiries fall over one
// month, processed by one sandbox clock advance over that month, timed next
// to a raw batched insert of n rows into a table shaped like charges in the
// same database, with the peak heap during the advance. It backs
// `opencsp bench lifecycle` and BenchmarkLifecycleAdvance
// (internal/app/lifecycle_bench_test.go); figures are in docs/benchmarks.md.
package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
)

// Result is one lifecycle run.
type Result struct {
	Engine string
	N      int
	Mix    Mix
	// Seed is the time to load the subscriptions (not part of the ratio).
	Seed time.Duration
	// Advance is one AdvanceClock over the month; Events is what it
	// reported processing.
	Advance time.Duration
	Events  int
	// RawInsert is n rows written into a fresh table shaped like charges,
	// by multi-row INSERTs in one transaction (the median of rawRuns).
	RawInsert time.Duration
	// Ratio is Advance / RawInsert.
	Ratio float64
	// EventsPerSecond is Events / Advance.
	EventsPerSecond float64
	// BaseHeapBytes is the heap in use just before the advance (after a
	// GC); PeakHeapBytes the largest heap in use sampled during it.
	BaseHeapBytes, PeakHeapBytes uint64
	// HeapSamples is how many samples the peak is the maximum of.
	HeapSamples int
	// AllocBytes and GCCycles are allocated bytes and GC cycles during the
	// advance.
	AllocBytes, GCCycles uint64
}

// rawRuns is how many times Lifecycle times the raw insert: the ratio
// uses the median, because one insert's time varies by a third from run to
// run on a shared machine.
const rawRuns = 3

// Lifecycle seeds n subscriptions in db (fresh, migrated) in the given
// order, advances the sandbox clock over the month, checks the outcome,
// and times a raw batched insert of n rows in the same database (the
// median of rawRuns). Progress lines go to out; a CPU profile of the
// advance alone goes to profile unless it is nil.
func Lifecycle(ctx context.Context, db *sqlstore.DB, n int, order Order, out, profile io.Writer) (Result, error) {
	s, err := Seed(ctx, db, n, order, out)
	if err != nil {
		return Result{}, err
	}
	s.Profile = profile
	r, err := s.Advance(ctx)
	if err != nil {
		return r, err
	}
	fmt.Fprintf(out, "%s: advance over %s..%s processed %d events in %v (peak heap %.1f MiB)\n", r.Engine, Start.Format(time.DateOnly),
		Until.Format(time.DateOnly), r.Events, r.Advance.Round(time.Millisecond), float64(r.PeakHeapBytes)/(1<<20))
	if err := s.Verify(ctx, r.Events); err != nil {
		return r, err
	}
	raws, err := RawInserts(ctx, db, n)
	if err != nil {
		return r, err
	}
	r.RawInsert = raws[rawRuns/2]
	r.Ratio = r.Advance.Seconds() / r.RawInsert.Seconds()
	fmt.Fprintf(out, "%s: raw insert of %d rows in %v (median of %v): advance/insert = %.1f\n", r.Engine, n, r.RawInsert.Round(time.Millisecond),
		raws, r.Ratio)
	return r, nil
}

// Advance builds a sandbox app whose clock starts at Start and times one
// AdvanceClock by P1M as the operator, sampling the heap meanwhile. It can
// run once per seed.
func (s *Seeded) Advance(ctx context.Context) (Result, error) {
	r := Result{Engine: s.db.Engine(), N: s.N, Mix: s.Mix, Seed: s.SeedTime}
	a, err := app.New(ctx, s.db, app.Options{Sandbox: true, StartTime: Start})
	if err != nil {
		return r, err
	}
	if now := a.Now(ctx); !now.Equal(Start) {
		return r, fmt.Errorf("advance: the sandbox clock is at %s, not %s: the database was not fresh", now.Format(time.RFC3339), Start.Format(time.RFC3339))
	}
	key, err := a.MintOperatorKey(ctx)
	if err != nil {
		return r, err
	}
	op, err := a.Authenticate(ctx, key.APIKey, "")
	if err != nil {
		return r, err
	}
	// Parse the catalog now, as a running server would have.
	if _, _, err := a.Catalog(ctx); err != nil {
		return r, err
	}
	runtime.GC()
	before := readMem(newSamples())
	r.BaseHeapBytes = before.inuse
	if s.Profile != nil {
		if err := pprof.StartCPUProfile(s.Profile); err != nil {
			return r, err
		}
	}
	h := startHeapSampler()
	begin := time.Now()
	adv, err := a.AdvanceClock(ctx, op, "P1M", time.Time{})
	r.Advance = time.Since(begin)
	if s.Profile != nil {
		pprof.StopCPUProfile()
	}
	r.PeakHeapBytes, r.HeapSamples = h.Stop()
	after := readMem(newSamples())
	r.AllocBytes, r.GCCycles = after.allocs-before.allocs, after.cycles-before.cycles
	if err != nil {
		return r, fmt.Errorf("advance: %w", err)
	}
	if !adv.Now.Equal(Until) {
		return r, fmt.Errorf("advance: the clock moved to %s, want %s", adv.Now.Format(time.RFC3339), Until.Format(time.RFC3339))
	}
	r.Events = adv.ProcessedEvents
	r.EventsPerSecond = float64(r.Events) / r.Advance.Seconds()
	return r, nil
}

// Verify checks the database after the advance against the seed: nothing
// is due by Until any more, and events, charges and statuses are what the
// mix implies. events is what the advance reported.
func (s *Seeded) Verify(ctx context.Context, events int) error {
	m := s.Mix
	if events != m.Events() {
		return fmt.Errorf("verify: the advance processed %d events, the seed implies %d", events, m.Events())
	}
	pool := s.db.WritePool()
	param := "?"
	if s.db.Engine() == "postgres" {
		param = "$1"
	}
	var overdue int
	if err := pool.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE next_event_at IS NOT NULL AND next_event_at <= `+param,
		ts(Until)).Scan(&overdue); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if overdue != 0 {
		return fmt.Errorf("verify: %d subscriptions still have next_event_at <= %s", overdue, ts(Until))
	}
	counts := []struct {
		what  string
		query string
		want  int
	}{
		{"subscription events", `SELECT COUNT(*) FROM subscription_events`, m.Events()},
		{"charges", `SELECT COUNT(*) FROM charges`, m.Charges()},
		{"cycle charges", `SELECT COUNT(*) FROM charges WHERE charge_type = '` + string(csp.ChargeCycle) + `'`, m.CycleCharges},
		{"renew charges", `SELECT COUNT(*) FROM charges WHERE charge_type = '` + string(csp.ChargeRenew) + `'`, m.RenewalsMonthly + m.RenewalsAnnual},
		{"active subscriptions", `SELECT COUNT(*) FROM subscriptions WHERE status = '` + string(csp.StatusActive) + `'`, m.Charges()},
		{"expired subscriptions", `SELECT COUNT(*) FROM subscriptions WHERE status = '` + string(csp.StatusExpired) + `'`, m.Expiries - m.ExpiriesDisabled},
		{"disabled subscriptions", `SELECT COUNT(*) FROM subscriptions WHERE status = '` + string(csp.StatusDisabled) + `'`, m.Disabled + m.ExpiriesDisabled},
	}
	for _, c := range counts {
		var got int
		if err := pool.QueryRowContext(ctx, c.query).Scan(&got); err != nil {
			return fmt.Errorf("verify %s: %w", c.what, err)
		}
		if got != c.want {
			return fmt.Errorf("verify: %d %s after the advance, the seed implies %d", got, c.what, c.want)
		}
	}
	return nil
}

// rawTable is the scratch table RawInsert writes and drops.
const rawTable = "bench_raw_charges"

// rawDDL shapes the scratch table like charges (same columns, types,
// primary key and indexes, no foreign keys), per engine.
var rawDDL = map[string]string{
	"sqlite": `CREATE TABLE ` + rawTable + ` (
    id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, tenant_id TEXT NOT NULL, subscription_id TEXT NOT NULL, event_id TEXT NOT NULL,
    order_id TEXT, reseller_mpn_id TEXT NOT NULL, charge_type TEXT NOT NULL, product_id TEXT NOT NULL, sku_id TEXT NOT NULL,
    availability_id TEXT NOT NULL, product_name TEXT NOT NULL, sku_name TEXT NOT NULL, quantity INTEGER NOT NULL,
    billable_quantity TEXT NOT NULL, unit_price TEXT NOT NULL, effective_unit_price TEXT NOT NULL, subtotal TEXT NOT NULL,
    currency TEXT NOT NULL, charge_start TIMESTAMP NOT NULL, charge_end TIMESTAMP NOT NULL, subscription_start TIMESTAMP NOT NULL,
    subscription_end TIMESTAMP NOT NULL, term_and_billing TEXT NOT NULL, posted_at TIMESTAMP NOT NULL, invoice_number TEXT,
    reference_id TEXT, product_qualifiers TEXT NOT NULL DEFAULT '', promotion_id TEXT NOT NULL DEFAULT '')`,
	"postgres": `CREATE TABLE ` + rawTable + ` (
    id UUID PRIMARY KEY, partner_id UUID NOT NULL, tenant_id UUID NOT NULL, subscription_id UUID NOT NULL, event_id UUID NOT NULL,
    order_id UUID, reseller_mpn_id TEXT NOT NULL, charge_type TEXT NOT NULL, product_id TEXT NOT NULL, sku_id TEXT NOT NULL,
    availability_id TEXT NOT NULL, product_name TEXT NOT NULL, sku_name TEXT NOT NULL, quantity INTEGER NOT NULL,
    billable_quantity NUMERIC(20,6) NOT NULL, unit_price NUMERIC(20,6) NOT NULL, effective_unit_price NUMERIC(20,6) NOT NULL,
    subtotal NUMERIC(20,6) NOT NULL, currency TEXT NOT NULL, charge_start TIMESTAMPTZ NOT NULL, charge_end TIMESTAMPTZ NOT NULL,
    subscription_start TIMESTAMPTZ NOT NULL, subscription_end TIMESTAMPTZ NOT NULL, term_and_billing TEXT NOT NULL,
    posted_at TIMESTAMPTZ NOT NULL, invoice_number TEXT, reference_id UUID, product_qualifiers TEXT NOT NULL DEFAULT '',
    promotion_id TEXT NOT NULL DEFAULT '')`,
}

var rawColumns = []string{"id", "partner_id", "tenant_id", "subscription_id", "event_id", "order_id", "reseller_mpn_id", "charge_type",
	"product_id", "sku_id", "availability_id", "product_name", "sku_name", "quantity", "billable_quantity", "unit_price", "effective_unit_price",
	"subtotal", "currency", "charge_start", "charge_end", "subscription_start", "subscription_end", "term_and_billing", "posted_at",
	"reference_id", "product_qualifiers", "promotion_id"}

// RawInserts times RawInsert rawRuns times and answers the times in
// increasing order: the median is the baseline.
func RawInserts(ctx context.Context, db *sqlstore.DB, n int) ([]time.Duration, error) {
	raws := make([]time.Duration, rawRuns)
	for i := range raws {
		var err error
		if raws[i], err = RawInsert(ctx, db, n); err != nil {
			return nil, err
		}
	}
	slices.Sort(raws)
	return raws, nil
}

// RawInsert creates a fresh table shaped like charges, times writing n
// rows into it by multi-row INSERTs in one transaction (the cheapest way
// to put n rows in the database: the baseline of the ratio), checks the
// count and drops the table.
func RawInsert(ctx context.Context, db *sqlstore.DB, n int) (time.Duration, error) {
	pool := db.WritePool()
	if _, err := pool.ExecContext(ctx, `DROP TABLE IF EXISTS `+rawTable); err != nil {
		return 0, fmt.Errorf("raw insert: %w", err)
	}
	ddl := []string{rawDDL[db.Engine()],
		`CREATE INDEX ` + rawTable + `_unbilled ON ` + rawTable + ` (partner_id, currency, posted_at, id) WHERE invoice_number IS NULL`,
		`CREATE INDEX ` + rawTable + `_by_event ON ` + rawTable + ` (event_id)`}
	for _, q := range ddl {
		if _, err := pool.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("raw insert: create table: %w", err)
		}
	}
	partner, tenant := uuid.New(), uuid.New()
	day := Start.AddDate(0, 0, 1)
	begin := time.Now()
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	b := newBulk(tx, db.Engine(), rawTable, rawColumns)
	for i := 0; i < n; i++ {
		at := day.AddDate(0, 0, i%30)
		event := uuid.Must(uuid.NewV7())
		if err := b.add(ctx, uuid.Must(uuid.NewV7()), partner, tenant, uuid.Must(uuid.NewV7()), event, nil, "", csp.ChargeCycle,
			"CFQ7TTC0LH18", "0001", "CFQ7TTC0K971", "Microsoft 365 Business Basic", "Microsoft 365 Business Basic", 1+i%50, "1",
			"7.200000", "7.200000", fmt.Sprintf("%d.%02d", 720*(1+i%50)/100, 720*(1+i%50)%100), "USD", ts(at), ts(csp.AddMonths(at, 1).AddDate(0, 0, -1)), ts(at.AddDate(-1, 0, 0)),
			ts(at.AddDate(0, 0, -1)), "P1Y:monthly", ts(at), event, "", ""); err != nil {
			return 0, fmt.Errorf("raw insert: %w", err)
		}
	}
	if err := b.flush(ctx); err != nil {
		return 0, fmt.Errorf("raw insert: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("raw insert: commit: %w", err)
	}
	d := time.Since(begin)
	var got int
	if err := pool.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+rawTable).Scan(&got); err != nil {
		return 0, fmt.Errorf("raw insert: %w", err)
	}
	if got != n {
		return 0, fmt.Errorf("raw insert: %d rows in %s, want %d", got, rawTable, n)
	}
	if _, err := pool.ExecContext(ctx, `DROP TABLE `+rawTable); err != nil {
		return 0, fmt.Errorf("raw insert: %w", err)
	}
	return d, nil
}
