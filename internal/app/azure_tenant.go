package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store"
)

// The customer's view of its Azure estate: the Azure subscriptions of its
// tenant that the signed-in user may read through its role assignments,
// their resources, and their month-to-date cost with the partner's budget.

// AzureMonthToDate is an Azure subscription's cost in the month so far.
type AzureMonthToDate struct {
	Month   time.Time // 00:00 UTC of the month's first day
	Through time.Time // the end of the last whole hour: lines cover [Month, Through)
	// Lines are the daily rated lines (decision 88), by day.
	Lines []azure.RatedLine
	// Budget is the customer's usage budget with the subscription's
	// partner (zero: none); Estimate the month-to-date spend the usage
	// jobs kept for that partner and customer, over all its Azure
	// subscriptions with the partner (decision 92).
	Budget, Estimate csp.Money
}

// Exceeded reports whether a budget is set and the estimate reached it,
// the condition the budget's alert fires on (decision 89).
func (m AzureMonthToDate) Exceeded() bool {
	return m.Budget.Amount.IsPositive() && m.Estimate.Amount.GreaterThanOrEqual(m.Budget.Amount)
}

// AzureCostToDate answers an Azure subscription's month-to-date cost
// through ARM: read of usage details at its scope is needed (Reader and
// above).
func (a *App) AzureCostToDate(ctx context.Context, c ARMCaller, sub uuid.UUID) (AzureMonthToDate, error) {
	var out AzureMonthToDate
	err := a.read(ctx, func(tx store.Tx, now time.Time) error {
		s, _, err := a.armScope(ctx, tx, c, azure.SubscriptionScope(sub), azure.ReadUsageDetails, store.LockNone)
		if err != nil {
			return err
		}
		now = now.UTC()
		out.Month = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		out.Through = now.Truncate(time.Hour)
		out.Budget, out.Estimate = csp.ZeroMoney(azure.PriceCurrency), csp.ZeroMoney(azure.PriceCurrency)
		if b, ok, err := tx.UsageBudget(ctx, s.PartnerID, s.TenantID); err != nil {
			return err
		} else if ok {
			out.Budget = b
		}
		if m, ok, err := tx.Spend(ctx, s.PartnerID, s.TenantID, out.Month); err != nil {
			return err
		} else if ok {
			out.Estimate = m
		}
		// The lines are the current partner's hours, as its estimate is.
		since := heldFrom(s, out.Month)
		if !since.Before(out.Through) {
			return nil
		}
		rows, err := tx.DailyUsage(ctx, sub, since, out.Through)
		if err != nil {
			return err
		}
		for i := range rows {
			rows[i] = azure.Prices().Describe(rows[i])
		}
		out.Lines, err = azure.Rate(rows)
		return err
	})
	return out, err
}

// AzureRoleName is an Azure built-in role's name (Owner), or its id when
// the role is not modelled.
func AzureRoleName(id uuid.UUID) string {
	if r, ok := azure.RoleByID(id); ok {
		return r.Name
	}
	return id.String()
}

// SubscriptionScope is an Azure subscription's ARM scope
// (/subscriptions/{id}), for the callers that list at it.
func SubscriptionScope(sub uuid.UUID) azure.ResourceID { return azure.SubscriptionScope(sub) }
