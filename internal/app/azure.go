package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store"
)

// ARMCaller is who calls Azure Resource Manager, as the token layer
// resolves a tenant-scoped token: the tenant it acts in, the key's
// principal (named in audit records), and the object ids and admin agency
// that role assignments are matched against (azure.Caller: the user's
// object id, then its groups' ids; AdminAgentOf is set for a partner user
// with the adminAgent role, naming its partner).
type ARMCaller struct {
	TenantID  uuid.UUID
	Principal csp.Principal
	azure.Caller
}

// CreateAzureSubscription creates an Azure subscription under a customer's
// Azure plan (POST .../subscriptions/{planId}/azureEntitlements): active,
// with Owner at its scope for the partner's admin agents, and its hourly
// usage job due at the end of the current hour.
func (a *App) CreateAzureSubscription(ctx context.Context, p csp.Principal, customerID, planID uuid.UUID, friendlyName string) (*azure.Subscription, error) {
	if err := p.Can(csp.PermSubscriptionsWrite); err != nil {
		return nil, err
	}
	if err := azure.CheckFriendlyName(friendlyName); err != nil {
		return nil, err
	}
	var sub *azure.Subscription
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		c, plan, err := a.azurePlan(ctx, tx, p, customerID, planID)
		if err != nil {
			return err
		}
		if plan.Status != csp.StatusActive {
			return csp.Errorf(csp.EAzurePlanNotActive, "Azure plan subscription %s is %s: Azure subscriptions are created under an active Azure plan", plan.ID, plan.Status)
		}
		sub = &azure.Subscription{ID: a.newID(), TenantID: customerID, PartnerID: p.PartnerID, PlanSubscriptionID: plan.ID,
			FriendlyName: friendlyName, Status: azure.StatusActive, StatusSince: now, CreatedAt: now, Version: 1}
		if err := tx.CreateAzureSubscription(ctx, sub); err != nil {
			return err
		}
		if err := tx.CreateRoleAssignment(ctx, azure.AdminAgentsOwner(a.newID(), sub.ID, p.PartnerID, now)); err != nil {
			return err
		}
		if err := tx.SetJob(ctx, csp.Job{Kind: csp.JobUsage, Ref: sub.ID.String(), Due: now.Truncate(time.Hour).Add(time.Hour)}); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &customerID, CustomerName: c.Tenant.DisplayName, ResourceType: "azure_entitlement", OperationType: "create_azure_entitlement"}, nil, sub)
	})
	return sub, err
}

// azurePlan reads the calling partner's customer and one of its Azure plan
// subscriptions, locking the customer's relationship.
func (a *App) azurePlan(ctx context.Context, tx store.Tx, p csp.Principal, customerID, planID uuid.UUID) (*csp.Customer, *csp.Subscription, error) {
	c, err := a.customer(ctx, tx, p, customerID, true)
	if err != nil {
		return nil, nil, err
	}
	plan, err := tx.GetSubscription(ctx, planID)
	if csp.ErrorCode(err) == csp.ESubscriptionNotFound || (err == nil && (plan.TenantID != customerID || plan.PartnerID == nil || *plan.PartnerID != p.PartnerID)) {
		return nil, nil, csp.Errorf(csp.ESubscriptionNotFound, "subscription %s was not found among this partner's subscriptions of customer %s", planID, customerID)
	}
	if err != nil {
		return nil, nil, err
	}
	cat, err := a.catalogIn(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	if prod, _, ok := cat.all.FindSku(plan.OfferID()); !ok || prod.ProductType != csp.ProductTypeAzure {
		return nil, nil, csp.Errorf(csp.EAzureNotAzurePlan, "subscription %s (%s) is not an Azure plan: Azure subscriptions are created under the customer's Azure plan subscription (product %s)", plan.ID, plan.OfferName, "DZH318Z0BPS6")
	}
	return c, plan, nil
}

// ListAzureSubscriptions lists the Azure subscriptions under a customer's
// Azure plan, oldest first (GET .../azureEntitlements).
func (a *App) ListAzureSubscriptions(ctx context.Context, p csp.Principal, customerID, planID uuid.UUID) ([]*azure.Subscription, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	var out []*azure.Subscription
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		c, err := a.customer(ctx, tx, p, customerID, false)
		if err != nil {
			return err
		}
		plan, err := tx.GetSubscription(ctx, planID)
		if err != nil || plan.TenantID != c.Tenant.ID || plan.PartnerID == nil || *plan.PartnerID != p.PartnerID {
			return csp.Errorf(csp.ESubscriptionNotFound, "subscription %s was not found among this partner's subscriptions of customer %s", planID, customerID)
		}
		out, err = tx.ListAzureSubscriptions(ctx, planID)
		return err
	})
	return out, err
}

// SetAzureSubscriptionStatus is the partner's cancel (disable) and
// reactivate (re-enable) of an Azure subscription. Disabling stops every
// resource's metering at once and makes the subscription read-only;
// re-enabling resumes the metering of the resources that run. A
// subscription Microsoft disabled for non-payment is re-enabled only by the
// operator (EnableAzureSubscription).
func (a *App) SetAzureSubscriptionStatus(ctx context.Context, p csp.Principal, customerID, planID, id uuid.UUID, status azure.Status) (*azure.Subscription, error) {
	if err := p.Can(csp.PermSubscriptionsWrite); err != nil {
		return nil, err
	}
	var sub *azure.Subscription
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		c, plan, err := a.azurePlan(ctx, tx, p, customerID, planID)
		if err != nil {
			return err
		}
		if sub, err = tx.GetAzureSubscription(ctx, id, store.LockUpdate); err != nil {
			return err
		}
		if sub.PlanSubscriptionID != plan.ID {
			return csp.Errorf(csp.EAzureSubscriptionNotFound, "Azure subscription %s is not under Azure plan %s", id, plan.ID)
		}
		return a.setAzureStatus(ctx, tx, now, p, sub, status, azure.DisabledByPartner, c.Tenant.DisplayName)
	})
	return sub, err
}

// setAzureStatus moves a locked Azure subscription to status as party asks,
// starts or stops its resources' metering, writes it, and records the change
// for its partner.
func (a *App) setAzureStatus(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, sub *azure.Subscription, status azure.Status, party azure.DisabledReason, customerName string) error {
	before := *sub
	if err := sub.SetStatus(status, party, now); err != nil {
		return err
	}
	if err := a.meterSubscription(ctx, tx, sub, now); err != nil {
		return err
	}
	if err := tx.UpdateAzureSubscription(ctx, sub); err != nil {
		return err
	}
	partnerID, tenantID := sub.PartnerID, sub.TenantID
	return a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: &partnerID, TenantID: &tenantID, CustomerName: customerName,
		ResourceType: "azure_entitlement", OperationType: "update_azure_entitlement_status"}, before, sub)
}

// meterSubscription starts or stops the metering of a subscription's
// resources as its status says: disabled ends every open run at now;
// active opens one for every resource that runs.
func (a *App) meterSubscription(ctx context.Context, tx store.Tx, sub *azure.Subscription, now time.Time) error {
	if sub.Status == azure.StatusDisabled {
		return tx.CloseRuns(ctx, azure.SubscriptionScope(sub.ID), now)
	}
	resources, err := tx.ListResources(ctx, sub.ID, "")
	if err != nil {
		return err
	}
	for _, r := range resources {
		if r.Running() {
			if err := tx.OpenRun(ctx, runOf(r, now)); err != nil {
				return err
			}
		}
	}
	return nil
}

// runOf is the running interval a resource starts at now.
func runOf(r azure.Resource, now time.Time) store.AzureRun {
	return store.AzureRun{Subscription: r.ID.Subscription, Resource: r.ID, Location: r.Location, Tags: r.Tags,
		Interval: azure.Interval{Start: now, Sku: r.Sku}}
}

// armScope reads the Azure subscription of a scope as an ARM caller sees
// it (an Azure subscription of another tenant is not found), and checks
// that the caller's role assignments at the scope or above allow op. It
// share-locks the subscription in a write, so that a status change waits.
func (a *App) armScope(ctx context.Context, tx store.Tx, c ARMCaller, scope azure.ResourceID, op string, lock store.Lock) (*azure.Subscription, []azure.RoleAssignment, error) {
	sub, err := tx.GetAzureSubscription(ctx, scope.Subscription, lock)
	if err == nil && sub.TenantID != c.TenantID {
		err = csp.Errorf(csp.EAzureSubscriptionNotFound, "The subscription '%s' could not be found.", scope.Subscription)
	}
	if err != nil {
		return nil, nil, err
	}
	assignments, err := tx.RoleAssignments(ctx, sub.ID)
	if err != nil {
		return nil, nil, err
	}
	if err := azure.Authorize(assignments, c.Caller, scope, op); err != nil {
		return nil, nil, err
	}
	return sub, assignments, nil
}

// armWrite is armScope for a write: the subscription must be active.
func (a *App) armWrite(ctx context.Context, tx store.Tx, c ARMCaller, scope azure.ResourceID, op string) (*azure.Subscription, []azure.RoleAssignment, error) {
	sub, assignments, err := a.armScope(ctx, tx, c, scope, op, store.LockShare)
	if err != nil {
		return nil, nil, err
	}
	return sub, assignments, sub.CheckWritable()
}

// GetAzureSubscription reads an Azure subscription through ARM (GET
// /subscriptions/{id}): any role at the subscription's scope allows it.
func (a *App) GetAzureSubscription(ctx context.Context, c ARMCaller, id uuid.UUID) (*azure.Subscription, error) {
	var sub *azure.Subscription
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		sub, _, err = a.armScope(ctx, tx, c, azure.SubscriptionScope(id), azure.ReadSubscription, store.LockNone)
		return err
	})
	return sub, err
}
