package app

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/store"
)

// NewUser is a user to create (Graph's POST /users body).
type NewUser struct {
	UserPrincipalName, DisplayName, GivenName, Surname, MailNickname, UsageLocation string
	AccountEnabled                                                                  *bool
	Password                                                                        string
}

// UserChange is a Graph PATCH of a user: nil fields stay as they are.
type UserChange struct {
	DisplayName, GivenName, Surname, UsageLocation *string
	AccountEnabled                                 *bool
}

// DirectoryUser is a user as the directory answers it, with what it holds.
type DirectoryUser struct {
	*csp.TenantUser
	Roles    []uuid.UUID
	Licenses []directory.Assignment
}

// UserCursor is the keyset position in a user listing.
type UserCursor struct {
	UPN string `json:"u"`
}

// ListUsers pages through the users of the directory p acts in (in a
// partner's own tenant: the partner's users).
func (a *App) ListUsers(ctx context.Context, p csp.Principal, tenantID uuid.UUID, pg Page[UserCursor]) (Paged[*csp.TenantUser, UserCursor], error) {
	var out []*csp.TenantUser
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.ReadDirectory)
		if err != nil {
			return err
		}
		if d.partnerTenant() {
			out, err = partnerUsersAsDirectory(ctx, tx, tenantID)
			return err
		}
		after := ""
		if pg.After != nil {
			after = pg.After.UPN
		}
		out, err = tx.ListTenantUsers(ctx, tenantID, after, pg.limit())
		return err
	})
	return paged(out, pg, func(u *csp.TenantUser) UserCursor { return UserCursor{UPN: u.UserPrincipalName} }), err
}

// partnerUsersAsDirectory answers a partner's users as its own tenant's
// directory users (created with the operator API, DESIGN.md).
func partnerUsersAsDirectory(ctx context.Context, tx store.Tx, partnerID uuid.UUID) ([]*csp.TenantUser, error) {
	users, err := tx.ListPartnerUsers(ctx, partnerID)
	out := make([]*csp.TenantUser, len(users))
	for i, u := range users {
		out[i] = &csp.TenantUser{ID: u.ID, TenantID: partnerID, UserPrincipalName: u.Email, DisplayName: u.DisplayName, CreatedAt: u.CreatedAt, Version: 1}
	}
	return out, err
}

// GetUser reads a user of the directory by id or user principal name,
// with its roles and licences.
func (a *App) GetUser(ctx context.Context, p csp.Principal, tenantID uuid.UUID, ref string) (DirectoryUser, error) {
	var out DirectoryUser
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.ReadDirectory)
		if err != nil {
			return err
		}
		out, err = a.directoryUser(ctx, tx, d, ref)
		return err
	})
	return out, err
}

func (a *App) directoryUser(ctx context.Context, tx store.Tx, d dirAccess, ref string) (DirectoryUser, error) {
	var out DirectoryUser
	u, err := findUser(ctx, tx, d, ref)
	if err != nil {
		return out, err
	}
	out.TenantUser = u
	if d.partnerTenant() {
		return out, nil
	}
	if out.Roles, err = tx.UserRoles(ctx, u.ID); err != nil {
		return out, err
	}
	out.Licenses, err = tx.LicenseAssignments(ctx, u.ID)
	return out, err
}

// findUser reads a user of the directory by id or UPN.
func findUser(ctx context.Context, tx store.Tx, d dirAccess, ref string) (*csp.TenantUser, error) {
	notFound := csp.Errorf(csp.EUserNotFound, "Resource '%s' does not exist or one of its queried reference-property objects are not present", ref)
	if d.partnerTenant() {
		users, err := partnerUsersAsDirectory(ctx, tx, d.tenantID)
		for _, u := range users {
			if u.ID.String() == strings.ToLower(ref) || strings.EqualFold(u.UserPrincipalName, ref) {
				return u, err
			}
		}
		return nil, notFound
	}
	var (
		u   *csp.TenantUser
		err error
	)
	if id, perr := uuid.Parse(ref); perr == nil {
		u, err = tx.GetTenantUser(ctx, id)
		if err == nil && u.TenantID != d.tenantID {
			return nil, notFound
		}
	} else {
		u, err = tx.GetTenantUserByUPN(ctx, d.tenantID, ref)
	}
	if csp.ErrorCode(err) == csp.EUserNotFound {
		return nil, notFound
	}
	return u, err
}

// CreateUser adds a user to a customer's directory (User Administrator).
func (a *App) CreateUser(ctx context.Context, p csp.Principal, tenantID uuid.UUID, in NewUser) (DirectoryUser, error) {
	var out DirectoryUser
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.WriteUsers)
		if err != nil {
			return err
		}
		if d.partnerTenant() {
			return csp.Errorf(csp.EWrongAPI, "a partner's own users are created with the operator API (POST /admin/v1/partners/{partnerId}/users)")
		}
		if in.UserPrincipalName == "" {
			return csp.Errorf(csp.EMissingField, "userPrincipalName is required (alias@%s)", d.domains()[0])
		}
		upn, err := directory.CheckUPN(in.UserPrincipalName, d.domains())
		if err != nil {
			return err
		}
		loc, err := directory.CheckUsageLocation(in.UsageLocation)
		if err != nil {
			return err
		}
		u := &csp.TenantUser{ID: a.newID(), TenantID: tenantID, UserPrincipalName: upn, DisplayName: in.DisplayName, GivenName: in.GivenName,
			Surname: in.Surname, MailNickname: in.MailNickname, UsageLocation: loc, Blocked: in.AccountEnabled != nil && !*in.AccountEnabled, CreatedAt: now}
		if err := directory.CheckNewUser(u); err != nil {
			return err
		}
		if err := directory.CheckPassword(in.Password); err != nil {
			return err
		}
		if err := tx.CreateTenantUser(ctx, u); err != nil {
			if csp.ErrorCode(err) == csp.EEmailTaken {
				return csp.Errorf(csp.EUPNTaken, "Another object with the same value for property userPrincipalName already exists: %s", upn)
			}
			return err
		}
		out = DirectoryUser{TenantUser: u}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &tenantID, CustomerName: d.tenant.DisplayName, ResourceType: csp.ResCustomerUser, OperationType: csp.OpAddUser},
			nil, userAudit(u))
	})
	return out, err
}

// UpdateUser changes a user's names, usage location or sign-in (User
// Administrator). The tenant's last enabled Global Administrator cannot be
// blocked.
func (a *App) UpdateUser(ctx context.Context, p csp.Principal, tenantID uuid.UUID, ref string, c UserChange) (DirectoryUser, error) {
	var out DirectoryUser
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.WriteUsers)
		if err != nil {
			return err
		}
		if d.partnerTenant() {
			return csp.Errorf(csp.EWrongAPI, "a partner's own users are managed with the operator API")
		}
		// The tenant's lock orders changes of its directory, so that two
		// admins blocked at once cannot both pass the last-admin check.
		if _, err := tx.LockTenant(ctx, tenantID); err != nil {
			return err
		}
		found, err := findUser(ctx, tx, d, ref)
		if err != nil {
			return err
		}
		u, err := tx.LockTenantUser(ctx, tenantID, found.ID)
		if err != nil {
			return err
		}
		before := userAudit(u)
		if c.UsageLocation != nil {
			if u.UsageLocation, err = directory.CheckUsageLocation(*c.UsageLocation); err != nil {
				return err
			}
		}
		for _, f := range []struct {
			to   *string
			from *string
		}{{&u.DisplayName, c.DisplayName}, {&u.GivenName, c.GivenName}, {&u.Surname, c.Surname}} {
			if f.from != nil {
				*f.to = *f.from
			}
		}
		if err := directory.CheckUser(u); err != nil {
			return err
		}
		if c.AccountEnabled != nil && !*c.AccountEnabled && !u.Blocked && u.GlobalAdmin {
			if err := lastGlobalAdmin(ctx, tx, tenantID, u.ID, "blocked"); err != nil {
				return err
			}
		}
		if c.AccountEnabled != nil {
			u.Blocked = !*c.AccountEnabled
		}
		if err := tx.UpdateTenantUser(ctx, u); err != nil {
			return err
		}
		if out, err = a.directoryUser(ctx, tx, d, u.ID.String()); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &tenantID, CustomerName: d.tenant.DisplayName, ResourceType: csp.ResCustomerUser, OperationType: csp.OpUpdateUser},
			before, userAudit(u))
	})
	return out, err
}

// lastGlobalAdmin refuses taking away the Global Administrator role (or
// sign-in) of userID when no other enabled user of the tenant holds it.
func lastGlobalAdmin(ctx context.Context, tx store.Tx, tenantID, userID uuid.UUID, what string) error {
	admins, err := tx.RoleMembers(ctx, tenantID, directory.GlobalAdministrator)
	if err != nil {
		return err
	}
	for _, m := range admins {
		if m.ID != userID && !m.Blocked {
			return nil
		}
	}
	return csp.Errorf(csp.ELastGlobalAdmin, "the user is the tenant's last enabled Global Administrator and cannot be %s: make another user Global Administrator first", what)
}

func userAudit(u *csp.TenantUser) map[string]any {
	return map[string]any{"id": u.ID, "userPrincipalName": u.UserPrincipalName, "displayName": u.DisplayName, "usageLocation": u.UsageLocation, "accountEnabled": !u.Blocked}
}
