package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/store"
)

// Premium features: conditional access (Entra ID P1; risk-based, P2) and
// PIM eligible role assignments (P2). The tenant must hold the licence to
// create them; each user they cover should hold it too, and the users who
// do not are the tenant's licence gaps.

// ListPolicies lists a tenant's conditional access policies.
func (a *App) ListPolicies(ctx context.Context, p csp.Principal, tenantID uuid.UUID) ([]*directory.Policy, error) {
	var out []*directory.Policy
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		d, err := a.customerDirectory(ctx, tx, p, tenantID, directory.ReadConditionalAccess)
		if err != nil {
			return err
		}
		out, err = tx.ListPolicies(ctx, d.tenantID)
		return err
	})
	return out, err
}

// GetPolicy reads one policy.
func (a *App) GetPolicy(ctx context.Context, p csp.Principal, tenantID, id uuid.UUID) (*directory.Policy, error) {
	var out *directory.Policy
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := a.customerDirectory(ctx, tx, p, tenantID, directory.ReadConditionalAccess); err != nil {
			return err
		}
		var err error
		out, err = tx.GetPolicy(ctx, tenantID, id)
		return err
	})
	return out, err
}

// customerDirectory resolves p's rights in a customer's directory and
// requires act; a partner's own tenant has no premium features here.
func (a *App) customerDirectory(ctx context.Context, tx store.Tx, p csp.Principal, tenantID uuid.UUID, act directory.Action) (dirAccess, error) {
	d, err := a.accessFor(ctx, tx, p, tenantID, act)
	if err != nil {
		return d, err
	}
	if d.partnerTenant() {
		return d, csp.Errorf(csp.EWrongAPI, "premium directory features are managed in customer tenants: a partner's own tenant has none here")
	}
	return d, nil
}

// checkPolicy checks a policy against the directory and the tenant's
// licences.
func (a *App) checkPolicy(ctx context.Context, tx store.Tx, tenantID uuid.UUID, pol *directory.Policy) error {
	users, groups, err := directoryIDs(ctx, tx, tenantID)
	if err != nil {
		return err
	}
	if err := directory.CheckPolicy(pol, users, groups); err != nil {
		return err
	}
	pools, err := a.pools(ctx, tx, tenantID)
	if err != nil {
		return err
	}
	return directory.RequireTier(pol.Feature(), pol.Needs(), directory.TenantTier(pools))
}

// directoryIDs lists a tenant's user and group ids.
func directoryIDs(ctx context.Context, tx store.Tx, tenantID uuid.UUID) (users, groups []uuid.UUID, err error) {
	after := ""
	for {
		page, err := tx.ListTenantUsers(ctx, tenantID, after, store.MaxLimit)
		if err != nil {
			return nil, nil, err
		}
		for _, u := range page {
			users = append(users, u.ID)
		}
		if len(page) < store.MaxLimit {
			break
		}
		after = page[len(page)-1].UserPrincipalName
	}
	var cur *store.Cursor
	for {
		page, err := tx.ListGroups(ctx, tenantID, cur, store.MaxLimit)
		if err != nil {
			return nil, nil, err
		}
		for _, g := range page {
			groups = append(groups, g.ID)
		}
		if len(page) < store.MaxLimit {
			return users, groups, nil
		}
		cur = &store.Cursor{At: page[len(page)-1].CreatedAt, ID: page[len(page)-1].ID}
	}
}

// CreatePolicy adds a conditional access policy (Conditional Access or
// Security Administrator); the tenant must hold Entra ID P1 (P2 for a
// risk-based one).
func (a *App) CreatePolicy(ctx context.Context, p csp.Principal, tenantID uuid.UUID, pol directory.Policy) (*directory.Policy, error) {
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.customerDirectory(ctx, tx, p, tenantID, directory.WriteConditionalAccess)
		if err != nil {
			return err
		}
		if _, err := tx.LockTenant(ctx, tenantID); err != nil {
			return err
		}
		if err := a.checkPolicy(ctx, tx, tenantID, &pol); err != nil {
			return err
		}
		pol.ID, pol.TenantID, pol.CreatedAt, pol.ModifiedAt = a.newID(), tenantID, now, now
		if err := tx.CreatePolicy(ctx, &pol); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, a.directoryAudit(d, csp.ResPolicy, csp.OpAddPolicy), nil, pol)
	})
	return &pol, err
}

// PolicyChange is a Graph PATCH of a policy: nil fields stay.
type PolicyChange struct {
	DisplayName, State *string
	Conditions         *directory.Conditions
	GrantControls      *directory.GrantControls
}

// UpdatePolicy changes a policy, checked again whole (a change that makes
// it risk-based needs P2).
func (a *App) UpdatePolicy(ctx context.Context, p csp.Principal, tenantID, id uuid.UUID, c PolicyChange) (*directory.Policy, error) {
	var pol *directory.Policy
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.customerDirectory(ctx, tx, p, tenantID, directory.WriteConditionalAccess)
		if err != nil {
			return err
		}
		if _, err := tx.LockTenant(ctx, tenantID); err != nil {
			return err
		}
		if pol, err = tx.GetPolicy(ctx, tenantID, id); err != nil {
			return err
		}
		before := *pol
		if c.DisplayName != nil {
			pol.DisplayName = *c.DisplayName
		}
		if c.State != nil {
			pol.State = *c.State
		}
		if c.Conditions != nil {
			pol.Conditions = *c.Conditions
		}
		if c.GrantControls != nil {
			pol.GrantControls = *c.GrantControls
		}
		if err := a.checkPolicy(ctx, tx, tenantID, pol); err != nil {
			return err
		}
		pol.ModifiedAt = now
		if err := tx.UpdatePolicy(ctx, pol); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, a.directoryAudit(d, csp.ResPolicy, csp.OpUpdatePolicy), before, pol)
	})
	return pol, err
}

// DeletePolicy removes a policy (no licence is needed to remove one).
func (a *App) DeletePolicy(ctx context.Context, p csp.Principal, tenantID, id uuid.UUID) error {
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.customerDirectory(ctx, tx, p, tenantID, directory.WriteConditionalAccess)
		if err != nil {
			return err
		}
		pol, err := tx.GetPolicy(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if err := tx.DeletePolicy(ctx, tenantID, id); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, a.directoryAudit(d, csp.ResPolicy, csp.OpDeletePolicy), pol, nil)
	})
}

// RequestEligibility makes a user eligible for a role, or removes that
// (PIM; Privileged Role Administrator, and the tenant must hold Entra ID P2).
func (a *App) RequestEligibility(ctx context.Context, p csp.Principal, tenantID uuid.UUID, e directory.Eligibility) (directory.Eligibility, error) {
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.customerDirectory(ctx, tx, p, tenantID, directory.AssignRoles)
		if err != nil {
			return err
		}
		if _, err := tx.LockTenant(ctx, tenantID); err != nil {
			return err
		}
		users, _, err := directoryIDs(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		e.ID, e.TenantID, e.CreatedAt = a.newID(), tenantID, now
		if e.StartAt.IsZero() {
			e.StartAt = now
		}
		if err := directory.CheckEligibility(&e, users); err != nil {
			return err
		}
		pools, err := a.pools(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		if err := directory.RequireTier("Privileged Identity Management (eligible role assignments)", directory.P2, directory.TenantTier(pools)); err != nil {
			return err
		}
		if e.Action == "adminRemove" {
			n, err := tx.DeleteEligibilities(ctx, tenantID, e.PrincipalID, e.RoleID)
			if err == nil && n == 0 {
				err = csp.Errorf(csp.EInvalidEligibility, "user %s has no eligible assignment of %s to remove", e.PrincipalID, directory.RoleName(e.RoleID))
			}
			if err != nil {
				return err
			}
		} else if err := tx.CreateEligibility(ctx, &e); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, a.directoryAudit(d, csp.ResDirectoryRole, csp.OpRequestEligibility), nil, e)
	})
	return e, err
}

// ListEligibilities lists a tenant's eligible role assignments.
func (a *App) ListEligibilities(ctx context.Context, p csp.Principal, tenantID uuid.UUID) ([]directory.Eligibility, error) {
	var out []directory.Eligibility
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := a.customerDirectory(ctx, tx, p, tenantID, directory.ReadDirectory); err != nil {
			return err
		}
		var err error
		out, err = tx.ListEligibilities(ctx, tenantID)
		return err
	})
	return out, err
}

// LicenseGap is a user covered by a premium feature without its licence.
type LicenseGap struct {
	directory.Gap
	UserPrincipalName string
}

// PremiumState is what a tenant has of Entra ID's premium features.
type PremiumState struct {
	Tier     directory.Tier
	Policies []*directory.Policy
	Eligible []directory.Eligibility
	Gaps     []LicenseGap
}

// Premium answers a tenant's premium tier, its policies and eligible
// assignments, and the users they cover without the licence.
func (a *App) Premium(ctx context.Context, p csp.Principal, tenantID uuid.UUID) (PremiumState, error) {
	var out PremiumState
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := a.customerDirectory(ctx, tx, p, tenantID, directory.ReadDirectory); err != nil {
			return err
		}
		var err error
		out, err = a.premium(ctx, tx, tenantID)
		return err
	})
	return out, err
}

func (a *App) premium(ctx context.Context, tx store.Tx, tenantID uuid.UUID) (PremiumState, error) {
	var out PremiumState
	pools, err := a.pools(ctx, tx, tenantID)
	if err != nil {
		return out, err
	}
	out.Tier = directory.TenantTier(pools)
	if out.Policies, err = tx.ListPolicies(ctx, tenantID); err != nil {
		return out, err
	}
	if out.Eligible, err = tx.ListEligibilities(ctx, tenantID); err != nil {
		return out, err
	}
	held, err := tx.TenantAssignments(ctx, tenantID)
	if err != nil {
		return out, err
	}
	upn := map[uuid.UUID]string{}
	groupsOf := map[uuid.UUID][]uuid.UUID{}
	var users []uuid.UUID
	after := ""
	for {
		page, err := tx.ListTenantUsers(ctx, tenantID, after, store.MaxLimit)
		if err != nil {
			return out, err
		}
		for _, u := range page {
			users, upn[u.ID] = append(users, u.ID), u.UserPrincipalName
			if groupsOf[u.ID], err = tx.GroupsOfMember(ctx, u.ID); err != nil {
				return out, err
			}
		}
		if len(page) < store.MaxLimit {
			break
		}
		after = page[len(page)-1].UserPrincipalName
	}
	for _, g := range directory.LicenseGaps(out.Policies, out.Eligible, users, groupsOf, pools, held) {
		out.Gaps = append(out.Gaps, LicenseGap{Gap: g, UserPrincipalName: upn[g.UserID]})
	}
	return out, nil
}
