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
	"github.com/opencsp/opencsp/internal/store"
)

// UtilizationQuery is what Partner Center's utilizations/azure call asks:
// the usage of [From, To), by hour or by UTC day, split by resource
// (ShowDetails) or summed over the resources of each meter.
type UtilizationQuery struct {
	From, To    time.Time
	Daily       bool
	ShowDetails bool
}

// AzureUtilizationRecords answers one page of an Azure subscription's
// utilization records (GET .../subscriptions/{id}/utilizations/azure). Hourly
// records with details come straight from the store, keyset-paged; daily
// records and records without details are summed first and paged on the
// same key (start, resource, meter), the resource empty without details.
// A daily query reads whole UTC days.
func (a *App) AzureUtilizationRecords(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, q UtilizationQuery, pg Page[UsageCursor]) (Paged[azure.UsageRecord, UsageCursor], error) {
	if !q.Daily && q.ShowDetails {
		return a.AzureUtilization(ctx, p, customerID, id, q.From, q.To, pg)
	}
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return Paged[azure.UsageRecord, UsageCursor]{}, err
	}
	if err := checkUsageRange(q.From, q.To); err != nil {
		return Paged[azure.UsageRecord, UsageCursor]{}, err
	}
	if q.Daily && (!q.From.Equal(csp.Day(q.From)) || !q.To.Equal(csp.Day(q.To))) {
		return Paged[azure.UsageRecord, UsageCursor]{}, csp.Errorf(csp.EAzureDailyRangeNotWhole,
			"granularity=daily sums whole UTC days: start_time %s and end_time %s must both be at 00:00:00Z (or ask granularity=hourly)",
			q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	var rows []azure.UsageRecord
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		sub, err := a.azureSubscriptionOf(ctx, tx, p, customerID, id)
		if err != nil {
			return err
		}
		from := heldFrom(sub, q.From) // the current partner's hours only
		if q.Daily {
			rows, err = tx.DailyUsage(ctx, id, from, q.To)
			return err
		}
		f := store.UsageFilter{Subscription: id, From: from, To: q.To, Limit: MaxPageSize}
		for {
			got, err := tx.ListUsage(ctx, f)
			if err != nil {
				return err
			}
			rows = append(rows, got...)
			if len(got) < f.Limit {
				return nil
			}
			last := got[len(got)-1]
			f.After = &store.UsageCursor{Start: last.Start, ResourceURI: last.ResourceURI, MeterID: last.MeterID}
		}
	})
	if err != nil {
		return Paged[azure.UsageRecord, UsageCursor]{}, err
	}
	recs := sumUsage(rows, q.ShowDetails)
	after := pg.After
	i := 0
	if after != nil {
		i, _ = slices.BinarySearchFunc(recs, *after, func(r azure.UsageRecord, c UsageCursor) int { return compareUsage(usageKey(r, q.ShowDetails), c) })
		if i < len(recs) && compareUsage(usageKey(recs[i], q.ShowDetails), *after) == 0 {
			i++
		}
	}
	recs = recs[i:min(len(recs), i+pg.limit())]
	for j := range recs {
		recs[j] = azure.Prices().Describe(recs[j])
	}
	return paged(recs, pg, func(r azure.UsageRecord) UsageCursor { return usageKey(r, q.ShowDetails) }), nil
}

// usageKey is a summed record's position: without details it has no
// resource.
func usageKey(r azure.UsageRecord, details bool) UsageCursor {
	c := UsageCursor{Start: r.Start, MeterID: r.MeterID}
	if details {
		c.ResourceURI = strings.ToLower(r.ResourceURI)
	}
	return c
}

func compareUsage(a, b UsageCursor) int {
	return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.ResourceURI, b.ResourceURI), strings.Compare(a.MeterID.String(), b.MeterID.String()))
}

// sumUsage merges records of one start, resource (case-insensitively) and
// meter, or of one start and meter without details, keeping the first
// record's resource, location and tags (as Rate does), ordered by key.
// Without details a record carries no resource, location or tags.
func sumUsage(rows []azure.UsageRecord, details bool) []azure.UsageRecord {
	idx := map[UsageCursor]int{}
	var out []azure.UsageRecord
	for _, r := range rows {
		k := usageKey(r, details)
		if i, ok := idx[k]; ok {
			out[i].Quantity = out[i].Quantity.Add(r.Quantity)
			continue
		}
		if !details {
			r.ResourceURI, r.Location, r.Tags = "", "", nil
		}
		idx[k] = len(out)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b azure.UsageRecord) int { return compareUsage(usageKey(a, details), usageKey(b, details)) })
	return out
}

// GetAzureEntitlement reads one Azure subscription under a customer's Azure
// plan (GET .../azureEntitlements/{id}).
func (a *App) GetAzureEntitlement(ctx context.Context, p csp.Principal, customerID, planID, id uuid.UUID) (*azure.Subscription, error) {
	subs, err := a.ListAzureSubscriptions(ctx, p, customerID, planID)
	if err != nil {
		return nil, err
	}
	for _, s := range subs {
		if s.ID == id {
			return s, nil
		}
	}
	return nil, csp.Errorf(csp.EAzureSubscriptionNotFound, "Azure subscription %s is not under Azure plan %s", id, planID)
}
