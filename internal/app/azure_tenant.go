package app

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store"
)

// The customer's view of its Azure estate: the Azure subscriptions of its
// tenant that the signed-in user may read through its role assignments,
// their resources, and their month-to-date cost with the partner's budget.

// ARMCallerOf resolves a signed-in user as ARM sees it in tenantID: a
// tenant user by its object id and its groups' ids; a partner user by its
// own and its groups' ids, with its partner when it is an admin agent.
func (a *App) ARMCallerOf(ctx context.Context, p csp.Principal, tenantID uuid.UUID) (ARMCaller, error) {
	c := ARMCaller{TenantID: tenantID, Principal: p}
	switch p.Kind {
	case csp.PrincipalTenant:
		if p.TenantID != tenantID {
			return c, csp.Errorf(csp.ETenantNotFound, "tenant %s does not exist", tenantID)
		}
	case csp.PrincipalPartner:
		if slices.Contains(p.Roles, csp.RoleAdminAgent) {
			partner := p.PartnerID
			c.AdminAgentOf = &partner
		}
	default:
		return c, csp.Errorf(csp.EWrongAPI, "the operator has no Azure role assignments: use a tenant or partner user's key")
	}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		groups, err := tx.GroupsOfMember(ctx, p.UserID)
		c.PrincipalIDs = append([]uuid.UUID{p.UserID}, groups...)
		return err
	})
	return c, err
}

// ListTenantAzureSubscriptions lists the Azure subscriptions of the
// caller's tenant, under every partner's Azure plan, that the caller may
// read (ARM's GET /subscriptions), oldest first.
func (a *App) ListTenantAzureSubscriptions(ctx context.Context, c ARMCaller) ([]*azure.Subscription, error) {
	var out []*azure.Subscription
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		subs, err := tx.TenantAzureSubscriptions(ctx, c.TenantID)
		if err != nil {
			return err
		}
		for _, s := range subs {
			assignments, err := tx.RoleAssignments(ctx, s.ID)
			if err != nil {
				return err
			}
			if azure.Authorize(assignments, c.Caller, azure.SubscriptionScope(s.ID), azure.ReadSubscription) == nil {
				out = append(out, s)
			}
		}
		return nil
	})
	return out, err
}

// ListSubscriptionResources lists every resource of an Azure subscription
// (ARM's GET /subscriptions/{id}/resources) by id: read at the
// subscription's scope is needed, and each resource is listed when the
// caller may read its type there.
func (a *App) ListSubscriptionResources(ctx context.Context, c ARMCaller, sub uuid.UUID) ([]azure.Resource, error) {
	var out []azure.Resource
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		_, assignments, err := a.armScope(ctx, tx, c, azure.SubscriptionScope(sub), azure.ReadSubscription, store.LockNone)
		if err != nil {
			return err
		}
		all, err := tx.ListResources(ctx, sub, "")
		for _, r := range all {
			if azure.Authorize(assignments, c.Caller, r.ID, azure.ReadAction(r.ID.Type)) == nil {
				out = append(out, r)
			}
		}
		return err
	})
	return out, err
}

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
		if !out.Month.Before(out.Through) {
			return nil
		}
		rows, err := tx.DailyUsage(ctx, sub, out.Month, out.Through)
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
