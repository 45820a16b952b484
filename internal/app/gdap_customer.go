package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/store"
)

// The customer's side of GDAP (the customer API's
// /tenant/v1/delegatedAdminRelationships): the tenant's Global
// Administrator sees the relationships partners asked of it (never their
// drafts), approves or rejects a pending one and terminates an active one.

// customerStatuses are the statuses a customer sees: every one but the
// partner's drafts.
var customerStatuses = []gdap.Status{gdap.StatusApprovalPending, gdap.StatusActive, gdap.StatusExpired, gdap.StatusTerminated}

// requireGDAPCustomer admits a tenant user with the Global Administrator
// role.
func requireGDAPCustomer(p csp.Principal) error {
	if p.Kind != csp.PrincipalTenant {
		return csp.Errorf(csp.EWrongAPI, "only a customer's users may answer delegated admin relationships: use a key minted for a tenant user")
	}
	if !p.GlobalAdmin {
		return csp.Errorf(csp.EForbiddenRole, "delegated admin relationships are seen and answered by the tenant's Global Administrator: use a Global Administrator's key")
	}
	return nil
}

// TenantGDAPRelationships pages through the relationships partners asked of
// the caller's tenant, oldest first.
func (a *App) TenantGDAPRelationships(ctx context.Context, p csp.Principal, pg Page[Cursor]) (Paged[*gdap.Relationship, Cursor], error) {
	if err := requireGDAPCustomer(p); err != nil {
		return Paged[*gdap.Relationship, Cursor]{}, err
	}
	var out []*gdap.Relationship
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.ListGDAPRelationships(ctx, store.GDAPFilter{TenantID: &p.TenantID, Statuses: customerStatuses, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, gdapCursor), err
}

// TenantGDAPRelationship reads one relationship asked of the caller's
// tenant.
func (a *App) TenantGDAPRelationship(ctx context.Context, p csp.Principal, id uuid.UUID) (*gdap.Relationship, error) {
	if err := requireGDAPCustomer(p); err != nil {
		return nil, err
	}
	var out *gdap.Relationship
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tenantGDAP(ctx, tx, p, id, false)
		return err
	})
	return out, err
}

// tenantGDAP reads (lock: and locks) a relationship the caller's tenant
// sees: another tenant's, or a partner's draft, answers EGDAPNotFound.
func tenantGDAP(ctx context.Context, tx store.Tx, p csp.Principal, id uuid.UUID, lock bool) (*gdap.Relationship, error) {
	get := tx.GetGDAPRelationship
	if lock {
		get = tx.LockGDAPRelationship
	}
	r, err := get(ctx, id)
	if err == nil && (r.CustomerTenantID != p.TenantID || !r.VisibleToCustomer()) {
		return nil, csp.Errorf(csp.EGDAPNotFound, "no partner asked this tenant for delegated admin relationship %s", id)
	}
	return r, err
}

// TenantGDAPAction is the customer's answer to a relationship: approve or
// reject a pending one, terminate an active one. Approving makes it active
// from now for its duration, with customer.displayName the tenant's name.
func (a *App) TenantGDAPAction(ctx context.Context, p csp.Principal, id uuid.UUID, action string) (*gdap.Relationship, error) {
	if err := requireGDAPCustomer(p); err != nil {
		return nil, err
	}
	var op string
	switch action {
	case gdap.ActionApprove:
		op = gdap.OpApproveRelationship
	case gdap.ActionReject:
		op = gdap.OpRejectRelationship
	case gdap.ActionTerminate:
		op = gdap.OpTerminateRelationship
	default:
		return nil, csp.Errorf(csp.EGDAPRequestAction, "action %q is not a customer's answer to a delegated admin relationship: approve, reject or terminate", action)
	}
	var out *gdap.Relationship
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		r, err := tenantGDAP(ctx, tx, p, id, true)
		if err != nil {
			return err
		}
		var n *gdap.Relationship
		switch action {
		case gdap.ActionApprove:
			t, err := tx.GetTenant(ctx, p.TenantID)
			if err != nil {
				return err
			}
			n, err = r.Approve(now, t.DisplayName)
			if err != nil {
				return err
			}
		case gdap.ActionReject:
			if n, err = r.Reject(now); err != nil {
				return err
			}
		default:
			if n, err = r.Terminate(now); err != nil {
				return err
			}
		}
		if err := tx.UpdateGDAPRelationship(ctx, n); err != nil {
			return err
		}
		out = n
		return a.auditGDAP(ctx, tx, now, p, n, op, r.Audit(), n.Audit())
	})
	return out, err
}

// DelegatedRoles answers the Entra roles (template ids, in
// directory.Roles' order) that a user of partnerID who belongs to the
// partner security groups userGroupIDs holds in tenantID, at the program's
// time in tx: the union of the roles that the active access assignments to
// those groups give, in the partner's relationships with the tenant active
// at that time. None without one: a reseller relationship alone, a request
// not yet approved, an expired or terminated relationship grant nothing.
// It is for the use cases that act in a tenant (tokens, directory, Azure),
// inside their own transaction.
func (a *App) DelegatedRoles(ctx context.Context, tx store.Tx, partnerID, tenantID uuid.UUID, userGroupIDs []uuid.UUID) ([]uuid.UUID, error) {
	now, err := a.txNow(ctx, tx, store.LockNone)
	if err != nil {
		return nil, err
	}
	if len(userGroupIDs) == 0 {
		return nil, nil
	}
	var rels []*gdap.Relationship
	f := store.GDAPFilter{PartnerID: &partnerID, TenantID: &tenantID, Statuses: []gdap.Status{gdap.StatusActive}, Limit: store.MaxLimit}
	for {
		page, err := tx.ListGDAPRelationships(ctx, f)
		if err != nil {
			return nil, err
		}
		rels = append(rels, page...)
		if len(page) < f.Limit {
			break
		}
		f.After = &store.Cursor{At: page[len(page)-1].CreatedAt, ID: page[len(page)-1].ID}
	}
	ids := make([]uuid.UUID, 0, len(rels))
	for _, r := range rels {
		if r.ActiveAt(now) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	assignments, err := allAssignments(ctx, tx, ids, gdap.AssignmentActive)
	if err != nil {
		return nil, err
	}
	return gdap.EffectiveRoles(now, rels, assignments, userGroupIDs), nil
}

// DelegatedRolesNow is DelegatedRoles in a read transaction of its own.
func (a *App) DelegatedRolesNow(ctx context.Context, partnerID, tenantID uuid.UUID, userGroupIDs []uuid.UUID) ([]uuid.UUID, error) {
	var out []uuid.UUID
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		out, err = a.DelegatedRoles(ctx, tx, partnerID, tenantID, userGroupIDs)
		return err
	})
	return out, err
}
