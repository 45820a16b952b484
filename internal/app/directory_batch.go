package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/store"
)

// ListDirectoryUsers pages through a customer directory's users with their
// roles and licences, read for the whole page at once: three queries
// whatever the page's size (the users, their roles, their licences). In a
// partner's own tenant the users hold neither here.
func (a *App) ListDirectoryUsers(ctx context.Context, p csp.Principal, tenantID uuid.UUID, pg Page[UserCursor]) (Paged[DirectoryUser, UserCursor], error) {
	var out []DirectoryUser
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.ReadDirectory)
		if err != nil {
			return err
		}
		var users []*csp.TenantUser
		if d.partnerTenant() {
			users, err = partnerUsersAsDirectory(ctx, tx, tenantID)
		} else {
			after := ""
			if pg.After != nil {
				after = pg.After.UPN
			}
			users, err = tx.ListTenantUsers(ctx, tenantID, after, pg.limit())
		}
		if err != nil {
			return err
		}
		ids := make([]uuid.UUID, len(users))
		for i, u := range users {
			ids[i] = u.ID
		}
		roles, licences := map[uuid.UUID][]uuid.UUID{}, map[uuid.UUID][]directory.Assignment{}
		if !d.partnerTenant() {
			if roles, err = tx.UsersRoles(ctx, tenantID, ids); err != nil {
				return err
			}
			if licences, err = tx.UsersAssignments(ctx, tenantID, ids); err != nil {
				return err
			}
		}
		out = make([]DirectoryUser, len(users))
		for i, u := range users {
			out[i] = DirectoryUser{TenantUser: u, Roles: roles[u.ID], Licenses: licences[u.ID]}
		}
		return nil
	})
	return paged(out, pg, func(u DirectoryUser) UserCursor { return UserCursor{UPN: u.UserPrincipalName} }), err
}

// RoleName is an Entra role's display name (Global Administrator), or its
// template id when the role is not modelled.
func RoleName(id uuid.UUID) string { return directory.RoleName(id) }
