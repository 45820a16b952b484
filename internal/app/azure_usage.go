package app

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/schedule"
	"github.com/opencsp/opencsp/internal/store"
)

// usageJobs posts Azure usage: each Azure subscription has one job, due at
// h+1 for the hour [h, h+1) (DESIGN.md "Running it"), which meters the runs
// that crossed the hour, stores the records, adds their estimated cost to
// the customer's month-to-date spend and records an alert when that crosses
// the customer's usage budget. Runs are only ever closed at the program's
// time, never in the past, so a posted hour cannot change afterwards.
type usageJobs struct{ a *App }

func (usageJobs) Kind() csp.JobKind { return csp.JobUsage }

func (h usageJobs) Begin(_ context.Context, tx store.Tx, _ time.Time, _ []csp.Job) (schedule.Batch, error) {
	return &usageBatch{a: h.a, tx: tx}, nil
}

type usageBatch struct {
	a    *App
	tx   store.Tx
	recs []azure.UsageRecord
}

func (b *usageBatch) Do(ctx context.Context, j csp.Job) (schedule.Outcome, error) {
	id, err := uuid.Parse(j.Ref)
	if err != nil {
		return schedule.Outcome{}, err
	}
	sub, err := b.tx.GetAzureSubscription(ctx, id, store.LockNone)
	if err != nil {
		return schedule.Outcome{}, err
	}
	from, to := j.Due.Add(-time.Hour), j.Due
	recs, err := b.a.meterHour(ctx, b.tx, sub.ID, from, to)
	if err != nil {
		return schedule.Outcome{}, err
	}
	b.recs = append(b.recs, recs...)
	if err := b.a.addSpend(ctx, b.tx, sub, from, recs); err != nil {
		return schedule.Outcome{}, err
	}
	next := to.Add(time.Hour)
	return schedule.Outcome{Next: &next}, b.tx.SetJob(ctx, csp.Job{Kind: csp.JobUsage, Ref: j.Ref, Due: next})
}

func (b *usageBatch) Flush(ctx context.Context) error { return b.tx.AddUsage(ctx, b.recs) }

// meterHour meters the runs of a subscription's resources that crossed
// [from, to), resource by resource.
func (a *App) meterHour(ctx context.Context, tx store.Tx, sub uuid.UUID, from, to time.Time) ([]azure.UsageRecord, error) {
	runs, err := tx.RunsBetween(ctx, sub, from, to)
	if err != nil {
		return nil, err
	}
	var out []azure.UsageRecord
	for i := 0; i < len(runs); {
		j := i
		var intervals []azure.Interval
		for ; j < len(runs) && runs[j].Resource.Equal(runs[i].Resource); j++ {
			intervals = append(intervals, runs[j].Interval)
		}
		last := runs[j-1]
		r := azure.Resource{ID: last.Resource, Spec: azure.Spec{Location: last.Location, Tags: last.Tags, Sku: last.Sku}}
		recs, err := azure.Usage(r, intervals, from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
		i = j
	}
	return out, nil
}

// addSpend adds an hour's estimated cost (each record's quantity × list
// price, to 6 decimals) to the customer's month-to-date spend with the
// partner, and records a budget alert when the spend reaches the budget.
func (a *App) addSpend(ctx context.Context, tx store.Tx, sub *azure.Subscription, hour time.Time, recs []azure.UsageRecord) error {
	cost := decimal.Zero
	for _, r := range recs {
		if m, ok := azure.Prices().ByID(r.MeterID); ok {
			cost = cost.Add(csp.RoundHalfAway(r.Quantity.Mul(m.UnitPrice), azure.AmountPlaces))
		}
	}
	if cost.IsZero() {
		return nil
	}
	// The hour's spend is its holder's: the source's for an hour before a
	// transfer's hour posted after the transfer.
	partner := sub.PartnerID
	if sub.HeldSince != nil && hour.Before(*sub.HeldSince) {
		past, err := tx.AzureHoldings(ctx, sub.ID)
		if err != nil {
			return err
		}
		partner, _ = sub.HolderAt(past, hour)
	}
	month := time.Date(hour.Year(), hour.Month(), 1, 0, 0, 0, 0, time.UTC)
	before, after, err := tx.AddSpend(ctx, partner, sub.TenantID, month, csp.NewMoney(cost, azure.PriceCurrency))
	if err != nil {
		return err
	}
	budget, ok, err := tx.UsageBudget(ctx, partner, sub.TenantID)
	if err != nil || !ok {
		return err
	}
	crossed, err := azure.Crossed(budget, before, after)
	if err != nil || !crossed {
		return err
	}
	tenant := sub.TenantID
	return tx.AddAudit(ctx, &csp.AuditRecord{ID: a.newID(), PartnerID: &partner, TenantID: &tenant, UserPrincipalName: "OpenCSP",
		ApplicationID: "OpenCSP", ResourceType: "usage_budget", OperationType: "usage_budget_exceeded", OperationStatus: "succeeded",
		ResourceOldValue: marshal(before), ResourceNewValue: marshal(map[string]any{"budget": budget, "monthToDate": after, "month": month.Format("2006-01")}),
		OperationDate: hour.Add(time.Hour)})
}

// UsageCursor is the position in an hourly usage listing.
type UsageCursor struct {
	Start       time.Time `json:"t"`
	ResourceURI string    `json:"r"`
	MeterID     uuid.UUID `json:"m"`
}

// MaxUsageRange bounds one usage query, as Partner Center's utilization
// records do (90 days).
const MaxUsageRange = 90 * 24 * time.Hour

func checkUsageRange(from, to time.Time) error {
	if !from.Before(to) || to.Sub(from) > MaxUsageRange || !from.Equal(from.Truncate(time.Hour)) || !to.Equal(to.Truncate(time.Hour)) {
		return csp.Errorf(csp.EAzureInvalidUsageRange, "start_time %s and end_time %s: start_time comes before end_time, both at whole hours, at most 90 days apart",
			from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return nil
}

// azureSubscriptionOf reads one of the calling partner's customer's Azure
// subscriptions.
func (a *App) azureSubscriptionOf(ctx context.Context, tx store.Tx, p csp.Principal, customerID, id uuid.UUID) (*azure.Subscription, error) {
	if _, err := a.customer(ctx, tx, p, customerID, false); err != nil {
		return nil, err
	}
	sub, err := tx.GetAzureSubscription(ctx, id, store.LockNone)
	if csp.ErrorCode(err) == csp.EAzureSubscriptionNotFound {
		if plan, perr := tx.GetSubscription(ctx, id); perr == nil && plan.TenantID == customerID && plan.PartnerID != nil && *plan.PartnerID == p.PartnerID && a.isAzurePlan(ctx, tx, plan) {
			return nil, csp.Errorf(csp.EAzurePlanHasNoUtilization, "subscription %s is the customer's Azure plan: usage is read per Azure subscription, by the id its azureEntitlements list (or, rated, in the unbilled usagelineitems)", id)
		}
	}
	if csp.ErrorCode(err) == csp.EAzureSubscriptionNotFound || (err == nil && (sub.TenantID != customerID || sub.PartnerID != p.PartnerID)) {
		err = csp.Errorf(csp.ESubscriptionNotFound, "subscription %s was not found among this partner's Azure subscriptions of customer %s", id, customerID)
	}
	return sub, err
}

// AzureUtilization answers an Azure subscription's hourly usage records in
// [from, to), by hour, resource and meter, one page at a time (Partner
// Center's utilizations/azure with granularity=hourly).
func (a *App) AzureUtilization(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, from, to time.Time, pg Page[UsageCursor]) (Paged[azure.UsageRecord, UsageCursor], error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return Paged[azure.UsageRecord, UsageCursor]{}, err
	}
	if err := checkUsageRange(from, to); err != nil {
		return Paged[azure.UsageRecord, UsageCursor]{}, err
	}
	var rows []azure.UsageRecord
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		sub, err := a.azureSubscriptionOf(ctx, tx, p, customerID, id)
		if err != nil {
			return err
		}
		f := store.UsageFilter{Subscription: id, From: heldFrom(sub, from), To: to, Limit: pg.limit()}
		if c := pg.After; c != nil {
			f.After = &store.UsageCursor{Start: c.Start, ResourceURI: c.ResourceURI, MeterID: c.MeterID}
		}
		rows, err = tx.ListUsage(ctx, f)
		return err
	})
	for i := range rows {
		rows[i] = azure.Prices().Describe(rows[i])
	}
	return paged(rows, pg, func(r azure.UsageRecord) UsageCursor {
		return UsageCursor{Start: r.Start, ResourceURI: r.ResourceURI, MeterID: r.MeterID}
	}), err
}

// AzureDailyUsage answers an Azure subscription's usage in [from, to)
// summed by UTC day, resource and meter (granularity=daily).
func (a *App) AzureDailyUsage(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, from, to time.Time) ([]azure.UsageRecord, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	return a.dailyUsage(ctx, p, customerID, id, from, to)
}

// AzureRatedUsage answers an Azure subscription's daily rated usage lines
// for [from, to): one line per day, resource and meter, priced from the
// built-in price file.
func (a *App) AzureRatedUsage(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, from, to time.Time) ([]azure.RatedLine, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	days, err := a.dailyUsage(ctx, p, customerID, id, from, to)
	if err != nil {
		return nil, err
	}
	return azure.Rate(days)
}

func (a *App) dailyUsage(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, from, to time.Time) ([]azure.UsageRecord, error) {
	if err := checkUsageRange(from, to); err != nil {
		return nil, err
	}
	var rows []azure.UsageRecord
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		sub, err := a.azureSubscriptionOf(ctx, tx, p, customerID, id)
		if err != nil {
			return err
		}
		rows, err = tx.DailyUsage(ctx, id, heldFrom(sub, from), to)
		return err
	})
	for i := range rows {
		rows[i] = azure.Prices().Describe(rows[i])
	}
	return rows, err
}

// SetUsageBudget sets a customer's usage budget (PATCH
// /v1/customers/{id}/usagebudget {amount}), in the price file's currency.
func (a *App) SetUsageBudget(ctx context.Context, p csp.Principal, customerID uuid.UUID, amount decimal.Decimal) (csp.Money, error) {
	if err := p.Can(csp.PermCustomersWrite); err != nil {
		return csp.Money{}, err
	}
	if err := azure.CheckBudget(amount); err != nil {
		return csp.Money{}, err
	}
	b := csp.NewMoney(amount, azure.PriceCurrency)
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		c, err := a.customer(ctx, tx, p, customerID, true)
		if err != nil {
			return err
		}
		old, _, err := tx.UsageBudget(ctx, p.PartnerID, customerID)
		if err != nil {
			return err
		}
		if err := tx.SetUsageBudget(ctx, p.PartnerID, customerID, b); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &customerID, CustomerName: c.Tenant.DisplayName, ResourceType: "usage_budget", OperationType: "update_usage_budget"}, old, b)
	})
	return b, err
}

// UsageBudget reads a customer's usage budget (0 when none was set).
func (a *App) UsageBudget(ctx context.Context, p csp.Principal, customerID uuid.UUID) (csp.Money, error) {
	return readForCustomer(ctx, a, p, csp.PermCustomersRead, customerID, func(tx store.Tx) (csp.Money, error) {
		b, ok, err := tx.UsageBudget(ctx, p.PartnerID, customerID)
		if !ok {
			b = csp.ZeroMoney(azure.PriceCurrency)
		}
		return b, err
	})
}

// isAzurePlan reports whether a subscription is of the Azure plan product.
func (a *App) isAzurePlan(ctx context.Context, tx store.Tx, s *csp.Subscription) bool {
	cat, err := a.catalogIn(ctx, tx)
	if err != nil {
		return false
	}
	prod, _, ok := cat.all.FindSku(s.OfferID())
	return ok && prod.ProductType == csp.ProductTypeAzure
}

// heldFrom is from, or the start of the current partner's holding when an
// Azure subscription came by a transfer later: a partner reads the usage
// of its own hours only (the source's are in its unbilled usage lines).
func heldFrom(sub *azure.Subscription, from time.Time) time.Time {
	if sub.HeldSince != nil && sub.HeldSince.After(from) {
		return *sub.HeldSince
	}
	return from
}
