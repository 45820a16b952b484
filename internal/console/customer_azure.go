package console

// The customer page's Azure section for the partner: each Azure
// subscription under the customer's Azure plans with the month's daily
// cost as a bar chart (the same chart as the tenant page's), from the
// subscription's rated usage.

import (
	"context"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

type partnerAzureView struct {
	ID, Name, Status string
	Plan             string // the Azure plan's friendly name
	Month            string // February 2026
	// Chart is nil before the month's first hour is over, or when the
	// user's roles do not read billing (NoCost says so).
	Chart       *chartView
	MonthToDate string
	NoCost      bool
}

// loadPartnerAzure reads the Azure subscriptions under the customer's
// usage-based subscriptions (its Azure plans) and, for a user with a
// billing role, their month-to-date daily cost through the last whole
// hour.
func (h *handler) loadPartnerAzure(ctx context.Context, p csp.Principal, customer *csp.Tenant, subs []subView) ([]partnerAzureView, error) {
	if p.Can(csp.PermSubscriptionsRead) != nil {
		return nil, nil
	}
	now := h.app.Now(ctx).UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	through := now.Truncate(time.Hour)
	costs := p.Can(csp.PermBillingRead) == nil
	var out []partnerAzureView
	for _, s := range subs {
		// An Azure plan is the one usage-based offer: it has no term.
		if s.HasTerm() {
			continue
		}
		list, err := h.app.ListAzureSubscriptions(ctx, p, customer.ID, s.ID)
		if err != nil {
			return nil, err
		}
		for _, az := range list {
			v := partnerAzureView{ID: az.ID.String(), Name: az.FriendlyName, Status: string(az.Status), Plan: s.FriendlyName,
				Month: month.Format("January 2006"), NoCost: !costs}
			if costs && month.Before(through) {
				lines, err := h.app.AzureRatedUsage(ctx, p, customer.ID, az.ID, month, through)
				if err != nil {
					return nil, err
				}
				days, total := ratedDays(lines)
				title := "Usage of " + az.FriendlyName + ", " + v.Month + ", in " + azure.PriceCurrency + " per day"
				if v.Chart = newChart(title, month, through, days); v.Chart != nil {
					v.Chart.ID = v.ID
				}
				v.MonthToDate = csp.NewMoney(total, azure.PriceCurrency).String()
			}
			out = append(out, v)
		}
	}
	return out, nil
}
