package app

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/store"
)

// dirAccess is what a caller may do in the directory it acts in (the
// tenant of its token, or the customer of a Partner Center user call).
type dirAccess struct {
	p        csp.Principal
	tenantID uuid.UUID
	// tenant is nil in a partner's own tenant, whose users are the partner's.
	tenant *csp.Tenant
	roles  []uuid.UUID
	// member is a user of the directory itself: Entra's default user
	// permissions let it read the directory without a role.
	member bool
}

// partnerTenant reports whether the directory is a partner's own.
func (d dirAccess) partnerTenant() bool { return d.tenant == nil }

// require refuses act unless the caller's roles allow it, naming the roles
// that would (a member reads the directory and its subscribed SKUs without
// one, as Entra's default user permissions allow).
func (d dirAccess) require(act directory.Action) error {
	if (act == directory.ReadDirectory || act == directory.ReadBilling) && d.member || directory.Permits(d.roles, act) {
		return nil
	}
	held := "no directory role"
	if len(d.roles) > 0 {
		names := make([]string, len(d.roles))
		for i, r := range d.roles {
			names[i] = directory.RoleName(r)
		}
		held = "only " + joinAnd(names)
	}
	how := ""
	if d.p.Kind == csp.PrincipalPartner && !d.member {
		how = " through an active GDAP relationship's access assignment to a security group the user belongs to"
	}
	return csp.Errorf(csp.EDirectoryForbidden, "Insufficient privileges to complete the operation: %s needs one of the roles %s in tenant %s%s; %s holds %s",
		act, joinOr(directory.RolesFor(act)), d.tenantID, how, d.p.UserPrincipalName, held)
}

// accessFor resolves p's rights in the directory of tenantID and refuses
// act unless they allow it.
func (a *App) accessFor(ctx context.Context, tx store.Tx, p csp.Principal, tenantID uuid.UUID, act directory.Action) (dirAccess, error) {
	d, err := a.accessIn(ctx, tx, p, tenantID)
	if err != nil {
		return d, err
	}
	return d, d.require(act)
}

// accessIn resolves p's rights in the directory of tenantID.
func (a *App) accessIn(ctx context.Context, tx store.Tx, p csp.Principal, tenantID uuid.UUID) (dirAccess, error) {
	d := dirAccess{p: p, tenantID: tenantID}
	if p.Kind == csp.PrincipalPartner && tenantID == p.PartnerID {
		// The partner's own tenant: its admin agents administer it (its
		// security groups are what GDAP access assignments name).
		d.member, d.roles = true, []uuid.UUID{directory.DirectoryReaders}
		if slices.Contains(p.Roles, csp.RoleAdminAgent) {
			d.roles = []uuid.UUID{directory.GlobalAdministrator}
		}
		return d, nil
	}
	t, err := tx.GetTenant(ctx, tenantID)
	if err != nil {
		return d, err
	}
	d.tenant = t
	switch p.Kind {
	case csp.PrincipalTenant:
		if p.TenantID != tenantID {
			return d, csp.Errorf(csp.ETenantNotFound, "tenant %s does not exist", tenantID)
		}
		d.member = true
		d.roles, err = tx.UserRoles(ctx, p.UserID)
	case csp.PrincipalPartner:
		if p.ActingIn == uuid.Nil {
			// Partner Center's customer user calls reach the partner's
			// own customers only (404 otherwise, as every /v1 call).
			if _, err := a.customer(ctx, tx, p, tenantID, false); err != nil {
				return d, err
			}
		}
		d.roles, err = a.delegatedRoles(ctx, tx, p, tenantID)
	default:
		err = csp.Errorf(csp.EWrongAPI, "the operator acts in no tenant's directory")
	}
	return d, err
}

// domains are the directory's domains, the default one first.
func (d dirAccess) domains() []string {
	if d.tenant == nil {
		return nil
	}
	return []string{d.tenant.DefaultDomain()}
}

func joinOr(xs []string) string  { return join(xs, " or ") }
func joinAnd(xs []string) string { return join(xs, " and ") }

func join(xs []string, last string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := xs[0]
	for _, x := range xs[1 : len(xs)-1] {
		out += ", " + x
	}
	return out + last + xs[len(xs)-1]
}
