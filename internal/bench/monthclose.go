package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
)

// CloseResult is one month-close run.
type CloseResult struct {
	Engine string
	N      int // subscriptions
	Usage  int // hourly usage records of the month
	// Lines are the invoice's licence and usage lines.
	LicenceLines, UsageLines int
	// Close is the advance over the month's last hour: the billing run and
	// the partner's close, which reads every charge and usage record of
	// the month.
	Close time.Duration
	// RawInsert is N + Usage rows written into a fresh table shaped like
	// charges by multi-row INSERTs (the median of rawRuns); Ratio is
	// Close / RawInsert.
	RawInsert time.Duration
	Ratio     float64
	// BaseHeapBytes and PeakHeapBytes are the heap in use before the close
	// and the largest sampled during it.
	BaseHeapBytes, PeakHeapBytes uint64
	Seed                         time.Duration
}

// usagePerSubscription is how many resources each seeded Azure
// subscription meters every hour.
const usagePerSubscription = 8

// MonthClose seeds n subscriptions (Seed) and, for the same partner, about
// usage hourly usage records of the month: Azure subscriptions of eight
// Standard_B2s virtual machines each, every hour of December. It advances
// the sandbox clock to the month's last hour (the month's lifecycle), then
// times the advance over that hour, which closes December into the
// partner's invoice, checks the invoice, and times a raw insert of as
// many rows as the close read.
func MonthClose(ctx context.Context, db *sqlstore.DB, n, usage int, out io.Writer) (CloseResult, error) {
	s, err := Seed(ctx, db, n, ByPurchase, out)
	if err != nil {
		return CloseResult{}, err
	}
	begin := time.Now()
	records, subs, err := seedUsage(ctx, db, usage)
	if err != nil {
		return CloseResult{}, err
	}
	r := CloseResult{Engine: db.Engine(), N: n, Usage: records, Seed: s.SeedTime + time.Since(begin)}
	fmt.Fprintf(out, "%s: seeded %d usage records of %d Azure subscriptions in %v\n", r.Engine, records, subs, time.Since(begin).Round(time.Millisecond))
	a, err := app.New(ctx, db, app.Options{Sandbox: true, StartTime: Start})
	if err != nil {
		return r, err
	}
	op := csp.Principal{Kind: csp.PrincipalOperator}
	if _, err := a.AdvanceClock(ctx, op, "", Until.Add(-time.Hour)); err != nil {
		return r, fmt.Errorf("advance over the month: %w", err)
	}
	runtime.GC()
	r.BaseHeapBytes = readMem(newSamples()).inuse
	h := startHeapSampler()
	t0 := time.Now()
	_, err = a.AdvanceClock(ctx, op, "", Until)
	r.Close = time.Since(t0)
	r.PeakHeapBytes, _ = h.Stop()
	if err != nil {
		return r, fmt.Errorf("close: %w", err)
	}
	if err := db.WritePool().QueryRowContext(ctx, `SELECT licence_lines, usage_lines FROM invoices`).Scan(&r.LicenceLines, &r.UsageLines); err != nil {
		return r, fmt.Errorf("close: the invoice: %w", err)
	}
	// Every charge posted in the month is billed (those of January's first
	// instant wait for January's); each Azure subscription has one line per
	// machine and day.
	var posted, unbilled int
	q := db.WritePool()
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM charges WHERE posted_at < $1`, ts(Until)).Scan(&posted); err != nil {
		return r, err
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM charges WHERE posted_at < $1 AND invoice_number IS NULL`, ts(Until)).Scan(&unbilled); err != nil {
		return r, err
	}
	if unbilled != 0 || r.LicenceLines != posted || r.UsageLines != subs*usagePerSubscription*31 {
		return r, fmt.Errorf("close: %d licence lines (want %d), %d usage lines (want %d), %d of December's charges unbilled", r.LicenceLines, posted,
			r.UsageLines, subs*usagePerSubscription*31, unbilled)
	}
	fmt.Fprintf(out, "%s: closed the month (%d licence and %d usage lines) in %v\n", r.Engine, r.LicenceLines, r.UsageLines, r.Close.Round(time.Millisecond))
	raws, err := RawInserts(ctx, db, n+records)
	if err != nil {
		return r, err
	}
	r.RawInsert = raws[rawRuns/2]
	r.Ratio = r.Close.Seconds() / r.RawInsert.Seconds()
	fmt.Fprintf(out, "%s: raw insert of %d rows in %v: close/insert = %.1f\n", r.Engine, n+records, r.RawInsert.Round(time.Millisecond), r.Ratio)
	return r, nil
}

// seedUsage loads Azure plans, Azure subscriptions and every hour of
// December's usage of their virtual machines for the seed's partner and
// tenants; it answers the records and subscriptions made.
func seedUsage(ctx context.Context, db *sqlstore.DB, usage int) (int, int, error) {
	hours := int(Until.Sub(Start).Hours())
	subs := max(1, usage/(hours*usagePerSubscription))
	engine := db.Engine()
	tx, err := db.WritePool().BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	var partnerID uuid.UUID
	if err := tx.QueryRowContext(ctx, `SELECT id FROM partners`).Scan(&partnerID); err != nil {
		return 0, 0, err
	}
	tenants, err := tx.QueryContext(ctx, `SELECT id FROM tenants ORDER BY id LIMIT `+fmt.Sprint(subs))
	if err != nil {
		return 0, 0, err
	}
	var ids []uuid.UUID
	for tenants.Next() {
		var id uuid.UUID
		if err := tenants.Scan(&id); err != nil {
			return 0, 0, err
		}
		ids = append(ids, id)
	}
	tenants.Close()
	meter, ok := azure.Prices().Lookup(azure.TypeVirtualMachine, "Standard_B2s", "eastus")
	if !ok {
		return 0, 0, fmt.Errorf("seed usage: no Standard_B2s meter in eastus")
	}
	created := Start.AddDate(0, -1, 0)
	plans := newBulk(tx, engine, "subscriptions", subscriptionColumns)
	azs := newBulk(tx, engine, "azure_subscriptions", []string{"id", "tenant_id", "partner_id", "plan_subscription_id", "friendly_name", "status",
		"status_since", "disabled_reason", "created_at", "version", "held_since"})
	use := newBulk(tx, engine, "azure_usage", []string{"subscription_id", "usage_start", "resource_id", "meter_id", "usage_day", "quantity_micros",
		"location", "tags"})
	records := 0
	for i := range subs {
		tenant := ids[i%len(ids)]
		plan, sub := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
		if err := plans.add(ctx, plan, tenant, partnerID, string(csp.ChannelCSP), "DZH318Z0BPS6:0001", "Microsoft Azure plan", 1, string(csp.StatusActive),
			ts(created), nil, "", nil, "DZH318Z0BML6", "Azure plan", "Microsoft Azure plan", "Usage-based", ts(created), false, false,
			"", "monthly", "USD", "0", ts(created), ts(created), ts(created), "[]", nil, nil); err != nil {
			return 0, 0, fmt.Errorf("seed azure plans: %w", err)
		}
		if err := azs.add(ctx, sub, tenant, partnerID, plan, fmt.Sprintf("Bench %04d", i), string(azure.StatusActive), ts(created), "", ts(created), 1, nil); err != nil {
			return 0, 0, fmt.Errorf("seed azure subscriptions: %w", err)
		}
		for h := range hours {
			hour := Start.Add(time.Duration(h) * time.Hour)
			for vm := range usagePerSubscription {
				rid := fmt.Sprintf("/subscriptions/%s/resourceGroups/web/providers/Microsoft.Compute/virtualMachines/vm%d", sub, vm)
				if err := use.add(ctx, sub, ts(hour), rid, meter.ID, ts(csp.Day(hour)), 1_000_000, "eastus", "{}"); err != nil {
					return 0, 0, fmt.Errorf("seed usage: %w", err)
				}
				records++
			}
		}
	}
	for _, b := range []*bulk{plans, azs, use} {
		if err := b.flush(ctx); err != nil {
			return 0, 0, fmt.Errorf("seed usage: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	_, err = db.WritePool().ExecContext(ctx, `ANALYZE`)
	return records, subs, err
}
