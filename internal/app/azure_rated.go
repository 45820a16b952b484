package app

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/store"
)

// RatedCursor is the position in a partner's daily rated usage lines: by
// Azure subscription id, then as azure.Rate orders a subscription's lines
// (day, resource id in lower case, meter name, meter id).
type RatedCursor struct {
	Subscription uuid.UUID `json:"s"`
	Day          time.Time `json:"d"`
	Resource     string    `json:"r"`
	MeterName    string    `json:"n"`
	MeterID      uuid.UUID `json:"m"`
}

func ratedCursor(l azure.RatedLine) RatedCursor {
	return RatedCursor{Subscription: l.Subscription, Day: l.UsageDate, Resource: strings.ToLower(l.ResourceURI), MeterName: l.Meter.Name, MeterID: l.Meter.ID}
}

func compareRated(a, b RatedCursor) int {
	return cmp.Or(strings.Compare(a.Subscription.String(), b.Subscription.String()), a.Day.Compare(b.Day), strings.Compare(a.Resource, b.Resource),
		strings.Compare(a.MeterName, b.MeterName), strings.Compare(a.MeterID.String(), b.MeterID.String()))
}

// RatedUsageLine is a daily rated usage line with what Partner Center's
// line names beside it: the customer, its Azure plan subscription and the
// Azure subscription (the entitlement) that used it.
type RatedUsageLine struct {
	azure.RatedLine
	Customer    *csp.Tenant
	Plan        *csp.Subscription
	Entitlement *azure.Subscription
}

// RatedUsagePage is one page of a partner's daily rated usage lines.
type RatedUsagePage struct {
	Partner *csp.Partner
	Lines   []RatedUsageLine
	Next    *RatedCursor
}

// UnbilledAzureUsage answers the daily rated usage lines of [from, to) of
// every Azure subscription the partner bills (Partner Center's unbilled
// usagelineitems), by Azure subscription id, day, resource and meter, one
// page at a time. Amounts are priced from the built-in price file in USD.
func (a *App) UnbilledAzureUsage(ctx context.Context, p csp.Principal, from, to time.Time, pg Page[RatedCursor]) (*RatedUsagePage, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	out := &RatedUsagePage{}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		var err error
		if out.Partner, err = tx.GetPartner(ctx, p.PartnerID); err != nil {
			return err
		}
		// A closed month's usage is on its invoice, no longer unbilled.
		if closed, err := tx.ClosedMonth(ctx, p.PartnerID, billing.MonthOf(from)); err != nil || closed {
			return err
		}
		spans, err := a.billedSpans(ctx, tx, p.PartnerID, from, to)
		if err != nil {
			return err
		}
		tenants, plans := map[uuid.UUID]*csp.Tenant{}, map[uuid.UUID]*csp.Subscription{}
		var rows []RatedUsageLine
		for _, sp := range spans {
			sub := sp.sub
			if len(rows) >= pg.limit() {
				break
			}
			if pg.After != nil && sub.ID.String() < pg.After.Subscription.String() {
				continue
			}
			lines, err := ratedSpan(ctx, tx, sp)
			if err != nil {
				return err
			}
			for _, l := range lines {
				if len(rows) >= pg.limit() {
					break
				}
				if pg.After != nil && compareRated(ratedCursor(l), *pg.After) <= 0 {
					continue
				}
				t, err := a.billedTenant(ctx, tx, tenants, p.PartnerID, sub.TenantID)
				if err != nil {
					return err
				}
				plan, ok := plans[sub.PlanSubscriptionID]
				if !ok {
					if plan, err = tx.GetSubscription(ctx, sub.PlanSubscriptionID); err != nil {
						return err
					}
					plans[sub.PlanSubscriptionID] = plan
				}
				rows = append(rows, RatedUsageLine{RatedLine: l, Customer: t, Plan: plan, Entitlement: sub})
			}
		}
		pp := paged(rows, pg, func(l RatedUsageLine) RatedCursor { return ratedCursor(l.RatedLine) })
		out.Lines, out.Next = pp.Items, pp.Next
		return nil
	})
	return out, err
}

// ratedSpan is a span's usage rated into daily lines (one per day,
// resource and meter) from the built-in price file.
func ratedSpan(ctx context.Context, tx store.Tx, sp billedSpan) ([]azure.RatedLine, error) {
	days, err := tx.DailyUsage(ctx, sp.sub.ID, sp.from, sp.to)
	if err != nil {
		return nil, err
	}
	for i := range days {
		days[i] = azure.Prices().Describe(days[i])
	}
	return azure.Rate(days)
}

// billedSpan is a range of hours of an Azure subscription that a partner
// bills: sub carries the partner and Azure plan of that range.
type billedSpan struct {
	sub      *azure.Subscription
	from, to time.Time
}

// billedSpans answers the hours of [from, to) the partner bills, by Azure
// subscription id and then hour: those of its Azure subscriptions since
// it holds them, and those of its past holdings (until each ended with a
// transfer, azure.Holding).
func (a *App) billedSpans(ctx context.Context, tx store.Tx, partnerID uuid.UUID, from, to time.Time) ([]billedSpan, error) {
	subs, err := tx.ListPartnerAzureSubscriptions(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	var out []billedSpan
	for _, sub := range subs {
		if f, t, ok := azure.Clip(from, to, sub.HeldFrom(), to); ok {
			out = append(out, billedSpan{sub: sub, from: f, to: t})
		}
	}
	past, err := tx.PartnerAzureHoldings(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	for _, h := range past {
		f, t, ok := azure.Clip(from, to, h.From, h.To)
		if !ok {
			continue
		}
		sub, err := tx.GetAzureSubscription(ctx, h.Subscription, store.LockNone)
		if err != nil {
			return nil, err
		}
		sub.PartnerID, sub.PlanSubscriptionID = h.PartnerID, h.PlanSubscriptionID
		out = append(out, billedSpan{sub: sub, from: f, to: t})
	}
	slices.SortStableFunc(out, func(x, y billedSpan) int {
		return cmp.Or(strings.Compare(x.sub.ID.String(), y.sub.ID.String()), x.from.Compare(y.from))
	})
	return out, nil
}

// billedTenant is the partner's record of a customer, or the tenant's when
// the relationship has since ended, read once per listing.
func (a *App) billedTenant(ctx context.Context, tx store.Tx, seen map[uuid.UUID]*csp.Tenant, partnerID, tenantID uuid.UUID) (*csp.Tenant, error) {
	if t, ok := seen[tenantID]; ok {
		return t, nil
	}
	var t *csp.Tenant
	cust, err := tx.GetCustomer(ctx, partnerID, tenantID, false)
	switch {
	case err == nil:
		t = cust.Tenant
	case csp.ErrorCode(err) == csp.ERelationshipNotFound:
		if t, err = tx.GetTenant(ctx, tenantID); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	seen[tenantID] = t
	return t, nil
}
