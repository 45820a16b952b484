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

// ARMCallerOf resolves who calls ARM in tenantID (for a token, the tenant
// it acts in): the user's object id and then the ids of the groups it is a
// member of (a customer user's groups in its directory, a partner user's
// security groups in its partner's tenant, which GDAP and the customer's
// role assignments name); and, for a partner user with the adminAgent
// role, its partner (admin on behalf of). A customer user acts only in its
// own tenant.
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

// ListARMSubscriptions lists the Azure subscriptions of the caller's tenant
// in which it holds at least one role assignment, at any scope (GET
// /subscriptions: ARM lists the subscriptions a caller has access in),
// oldest first.
func (a *App) ListARMSubscriptions(ctx context.Context, c ARMCaller) ([]*azure.Subscription, error) {
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
			if slices.ContainsFunc(assignments, c.Holds) {
				out = append(out, s)
			}
		}
		return nil
	})
	return out, err
}

// ListSubscriptionResources lists every resource of an Azure subscription,
// by id (GET /subscriptions/{id}/resources): read of resources at the
// subscription's scope is needed.
func (a *App) ListSubscriptionResources(ctx context.Context, c ARMCaller, sub uuid.UUID) ([]azure.Resource, error) {
	var out []azure.Resource
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		if _, _, err = a.armScope(ctx, tx, c, azure.SubscriptionScope(sub), azure.ReadResources, store.LockNone); err != nil {
			return err
		}
		out, err = tx.ListResources(ctx, sub, "")
		return err
	})
	return out, err
}

// GetRoleAssignment reads the role assignment named name at scope: read of
// role assignments at the scope is needed; one of that name at another
// scope is not found.
func (a *App) GetRoleAssignment(ctx context.Context, c ARMCaller, scope azure.ResourceID, name uuid.UUID) (azure.RoleAssignment, error) {
	var out azure.RoleAssignment
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		_, all, err := a.armScope(ctx, tx, c, scope, azure.ReadRoleAssignments, store.LockNone)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(all, func(e azure.RoleAssignment) bool { return e.ID == name && e.Scope.Equal(scope) })
		if i < 0 {
			return csp.Errorf(csp.EAzureRoleAssignmentNotFound, "The role assignment '%s' is not found at scope '%s'.", name, scope)
		}
		out = all[i]
		return nil
	})
	return out, err
}

// ListRoleDefinitions answers the built-in role definitions as seen at
// scope (GET {scope}/providers/Microsoft.Authorization/roleDefinitions):
// read of role definitions at the scope is needed, and the scope must be in
// an Azure subscription of the caller's tenant.
func (a *App) ListRoleDefinitions(ctx context.Context, c ARMCaller, scope azure.ResourceID) ([]azure.RoleDefinition, error) {
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		_, _, err := a.armScope(ctx, tx, c, scope, azure.ReadRoleDefinitions, store.LockNone)
		return err
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(azure.Roles), nil
}
