package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store"
	"strconv"
)

// OpenRun starts a resource's running interval.
func (tx *Tx) OpenRun(ctx context.Context, run store.AzureRun) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO azure_runs (subscription_id, resource_key, started_at, resource_id, location, tags, sku, ended_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,NULL)
		ON CONFLICT (subscription_id, resource_key, started_at) DO UPDATE SET resource_id = excluded.resource_id, location = excluded.location,
			tags = excluded.tags, sku = excluded.sku, ended_at = NULL`,
		run.Subscription, run.Resource.Key(), ts(run.Start), run.Resource.String(), run.Location, tagsJSON(run.Tags), run.Sku)
	return wrap("open run", err)
}

// CloseRuns ends the open runs at or under scope.
func (tx *Tx) CloseRuns(ctx context.Context, scope azure.ResourceID, at time.Time) error {
	args := []any{scope.Subscription, ts(at)}
	q := `UPDATE azure_runs SET ended_at = $2 WHERE subscription_id = $1 AND ended_at IS NULL`
	if scope.Level() != azure.LevelSubscription {
		cond, more := under("resource_key", 3, scope.Key())
		q, args = q+` AND `+cond, append(args, more...)
	}
	_, err := tx.tx.ExecContext(ctx, q, args...)
	return wrap("close runs", err)
}

// RunsBetween lists the runs that intersect [from, to).
func (tx *Tx) RunsBetween(ctx context.Context, sub uuid.UUID, from, to time.Time) ([]store.AzureRun, error) {
	return queryAll(ctx, tx, "list runs", func(r *sql.Rows) (store.AzureRun, error) {
		var (
			run        store.AzureRun
			id, tags   string
			start, end scanTime
		)
		if err := r.Scan(&id, &start, &run.Location, &tags, &run.Sku, &end); err != nil {
			return run, err
		}
		var err error
		if run.Resource, err = azure.ParseResourceID(id); err != nil {
			return run, err
		}
		run.Subscription, run.Start = sub, start.T
		if end.Valid {
			run.End = end.T
		}
		run.Tags, err = parseTags(tags)
		return run, err
	}, `SELECT resource_id, started_at, location, tags, sku, ended_at FROM azure_runs
		WHERE subscription_id = $1 AND started_at < $3 AND (ended_at IS NULL OR ended_at > $2) ORDER BY resource_key, started_at`,
		sub, ts(from), ts(to))
}

var usageRows = &multiRow{what: "insert usage", head: `INSERT INTO azure_usage (subscription_id, usage_start, resource_id, meter_id, usage_day, quantity_micros, location, tags) VALUES `,
	types: []string{"uuid", "timestamptz", "", "uuid", "timestamptz", "bigint", "", ""},
	tail:  ` ON CONFLICT (subscription_id, usage_start, resource_id, meter_id) DO NOTHING`}

// AddUsage stores hourly records in multi-row statements.
func (tx *Tx) AddUsage(ctx context.Context, recs []azure.UsageRecord) error {
	if len(recs) == 0 {
		return nil
	}
	args := make([]any, 0, len(recs)*len(usageRows.types))
	for _, r := range recs {
		args = append(args, r.Subscription, r.Start, r.ResourceURI, r.MeterID, r.Start.UTC().Truncate(24*time.Hour),
			store.Micros(r.Quantity), r.Location, tagsJSON(r.Tags))
	}
	_, err := tx.execRows(ctx, usageRows, args)
	return err
}

func scanUsage(sub uuid.UUID, day bool) func(*sql.Rows) (azure.UsageRecord, error) {
	return func(r *sql.Rows) (azure.UsageRecord, error) {
		var (
			rec   azure.UsageRecord
			start scanTime
			q     int64
			tags  string
		)
		if err := r.Scan(&start, &rec.ResourceURI, &rec.MeterID, &q, &rec.Location, &tags); err != nil {
			return rec, err
		}
		rec.Subscription, rec.Start, rec.Quantity = sub, start.T, store.FromMicros(q)
		rec.End = rec.Start.Add(time.Hour)
		if day {
			rec.End = rec.Start.Add(24 * time.Hour)
		}
		var err error
		rec.Tags, err = parseTags(tags)
		return rec, err
	}
}

// ListUsage lists a subscription's hourly records, keyset-paged.
func (tx *Tx) ListUsage(ctx context.Context, f store.UsageFilter) ([]azure.UsageRecord, error) {
	q := `SELECT usage_start, resource_id, meter_id, quantity_micros, location, tags FROM azure_usage
		WHERE subscription_id = $1 AND usage_start >= $2 AND usage_start < $3`
	args := []any{f.Subscription, ts(f.From), ts(f.To)}
	if f.After != nil {
		q += ` AND (usage_start, resource_id, ` + tx.d.idText("meter_id") + `) > ($4, $5, $6)`
		args = append(args, ts(f.After.Start), f.After.ResourceURI, f.After.MeterID.String())
	}
	q += ` ORDER BY usage_start, resource_id, meter_id LIMIT ` + strconv.Itoa(limit(f.Limit))
	return queryAll(ctx, tx, "list usage", scanUsage(f.Subscription, false), q, args...)
}

// DailyUsage sums records by day, resource, meter, location and tags.
func (tx *Tx) DailyUsage(ctx context.Context, sub uuid.UUID, from, to time.Time) ([]azure.UsageRecord, error) {
	return queryAll(ctx, tx, "daily usage", scanUsage(sub, true), `SELECT usage_day, resource_id, meter_id, SUM(quantity_micros), location, tags FROM azure_usage
		WHERE subscription_id = $1 AND usage_start >= $2 AND usage_start < $3
		GROUP BY usage_day, resource_id, meter_id, location, tags ORDER BY usage_day, resource_id, meter_id, tags`, sub, ts(from), ts(to))
}

// SetUsageBudget sets a customer's usage budget with a partner.
func (tx *Tx) SetUsageBudget(ctx context.Context, partnerID, tenantID uuid.UUID, b csp.Money) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO azure_budgets (partner_id, tenant_id, amount, currency) VALUES ($1,$2,$3,$4)
		ON CONFLICT (partner_id, tenant_id) DO UPDATE SET amount = excluded.amount, currency = excluded.currency`, partnerID, tenantID, b.Amount.String(), b.Currency)
	return wrap("set usage budget", err)
}

// UsageBudget reads a customer's usage budget with a partner.
func (tx *Tx) UsageBudget(ctx context.Context, partnerID, tenantID uuid.UUID) (csp.Money, bool, error) {
	var b csp.Money
	err := tx.tx.QueryRowContext(ctx, `SELECT amount, currency FROM azure_budgets WHERE partner_id = $1 AND tenant_id = $2`, partnerID, tenantID).Scan(&b.Amount, &b.Currency)
	if errors.Is(err, sql.ErrNoRows) {
		return csp.Money{}, false, nil
	}
	return b, err == nil, wrap("get usage budget", err)
}

// AddSpend adds to a month's estimated spend and answers before and after.
func (tx *Tx) AddSpend(ctx context.Context, partnerID, tenantID uuid.UUID, month time.Time, amount csp.Money) (csp.Money, csp.Money, error) {
	before := csp.ZeroMoney(amount.Currency)
	err := tx.tx.QueryRowContext(ctx, `SELECT amount FROM azure_spend WHERE partner_id = $1 AND tenant_id = $2 AND month = $3`+tx.d.ForUpdate,
		partnerID, tenantID, ts(month)).Scan(&before.Amount)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return before, before, wrap("read spend", err)
	}
	after := csp.NewMoney(before.Amount.Add(amount.Amount), amount.Currency)
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO azure_spend (partner_id, tenant_id, month, amount, currency) VALUES ($1,$2,$3,$4,$5)
		ON CONFLICT (partner_id, tenant_id, month) DO UPDATE SET amount = excluded.amount`, partnerID, tenantID, ts(month), after.Amount.String(), amount.Currency)
	return before, after, wrap("add spend", err)
}

// Spend reads a month's estimated spend.
func (tx *Tx) Spend(ctx context.Context, partnerID, tenantID uuid.UUID, month time.Time) (csp.Money, bool, error) {
	var m csp.Money
	err := tx.tx.QueryRowContext(ctx, `SELECT amount, currency FROM azure_spend WHERE partner_id = $1 AND tenant_id = $2 AND month = $3`,
		partnerID, tenantID, ts(month)).Scan(&m.Amount, &m.Currency)
	if errors.Is(err, sql.ErrNoRows) {
		return csp.Money{}, false, nil
	}
	return m, err == nil, wrap("read spend", err)
}
