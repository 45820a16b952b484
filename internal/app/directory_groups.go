package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/store"
)

// ListGroups pages through the security groups of a directory.
func (a *App) ListGroups(ctx context.Context, p csp.Principal, tenantID uuid.UUID, pg Page[Cursor]) (Paged[*directory.Group, Cursor], error) {
	var out []*directory.Group
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		_, err := a.accessFor(ctx, tx, p, tenantID, directory.ReadDirectory)
		if err != nil {
			return err
		}
		out, err = tx.ListGroups(ctx, tenantID, pg.After.store(), pg.limit())
		return err
	})
	return paged(out, pg, func(g *directory.Group) Cursor { return Cursor{At: g.CreatedAt, ID: g.ID} }), err
}

// GetGroup reads a security group.
func (a *App) GetGroup(ctx context.Context, p csp.Principal, tenantID, id uuid.UUID) (*directory.Group, error) {
	var out *directory.Group
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		_, err := a.accessFor(ctx, tx, p, tenantID, directory.ReadDirectory)
		if err != nil {
			return err
		}
		out, err = tx.GetGroup(ctx, tenantID, id)
		return err
	})
	return out, err
}

// CreateGroup adds a security group (User or Groups Administrator; in a
// partner's own tenant, an admin agent).
func (a *App) CreateGroup(ctx context.Context, p csp.Principal, tenantID uuid.UUID, g directory.Group, kind directory.GroupKind) (*directory.Group, error) {
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.WriteGroups)
		if err != nil {
			return err
		}
		if err := directory.CheckGroup(&g, kind); err != nil {
			return err
		}
		g.ID, g.TenantID, g.CreatedAt = a.newID(), tenantID, now
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, a.directoryAudit(d, csp.ResGroup, csp.OpAddGroup), nil, map[string]any{"id": g.ID, "displayName": g.DisplayName})
	})
	return &g, err
}

// GroupMembers lists a group's members as directory users.
func (a *App) GroupMembers(ctx context.Context, p csp.Principal, tenantID, groupID uuid.UUID) ([]*csp.TenantUser, error) {
	var out []*csp.TenantUser
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.ReadDirectory)
		if err != nil {
			return err
		}
		if _, err := tx.GetGroup(ctx, tenantID, groupID); err != nil {
			return err
		}
		ids, err := tx.GroupMembers(ctx, groupID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			u, err := findUser(ctx, tx, d, id.String())
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

// AddGroupMember adds a user of the directory to a group; RemoveGroupMember
// takes one out.
func (a *App) AddGroupMember(ctx context.Context, p csp.Principal, tenantID, groupID uuid.UUID, member string) error {
	return a.changeGroupMember(ctx, p, tenantID, groupID, member, true)
}

// RemoveGroupMember removes a member from a group.
func (a *App) RemoveGroupMember(ctx context.Context, p csp.Principal, tenantID, groupID uuid.UUID, member string) error {
	return a.changeGroupMember(ctx, p, tenantID, groupID, member, false)
}

func (a *App) changeGroupMember(ctx context.Context, p csp.Principal, tenantID, groupID uuid.UUID, member string, add bool) error {
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.WriteGroups)
		if err != nil {
			return err
		}
		g, err := tx.GetGroup(ctx, tenantID, groupID)
		if err != nil {
			return err
		}
		u, err := findUser(ctx, tx, d, member)
		if err != nil {
			return err
		}
		op := csp.OpRemoveGroupMember
		if add {
			op, err = csp.OpAddGroupMember, tx.AddGroupMember(ctx, g.ID, u.ID, now)
		} else {
			err = tx.RemoveGroupMember(ctx, g.ID, u.ID)
		}
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, a.directoryAudit(d, csp.ResGroup, op), nil, map[string]any{"groupId": g.ID, "memberId": u.ID, "userPrincipalName": u.UserPrincipalName})
	})
}

// directoryAudit starts the audit record of a change in d's directory.
func (a *App) directoryAudit(d dirAccess, res, op string) csp.AuditRecord {
	rec := csp.AuditRecord{ResourceType: res, OperationType: op}
	if d.tenant != nil {
		id := d.tenantID
		rec.TenantID, rec.CustomerName = &id, d.tenant.DisplayName
	}
	return rec
}

// DirectoryRole is a built-in role with its members in one tenant.
type DirectoryRole struct {
	directory.Role
	Members []*csp.TenantUser
}

// ListDirectoryRoles lists the modelled roles with their members.
func (a *App) ListDirectoryRoles(ctx context.Context, p csp.Principal, tenantID uuid.UUID) ([]DirectoryRole, error) {
	var out []DirectoryRole
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.ReadDirectory)
		if err != nil {
			return err
		}
		if d.partnerTenant() {
			return csp.Errorf(csp.EWrongAPI, "a partner's own tenant has no directory roles here: its users' rights come from their Partner Center roles")
		}
		for _, r := range directory.Roles {
			m, err := tx.RoleMembers(ctx, tenantID, r.TemplateID)
			if err != nil {
				return err
			}
			out = append(out, DirectoryRole{Role: r, Members: m})
		}
		return nil
	})
	return out, err
}

// ChangeRoleMember adds (or removes) a user to a directory role (Privileged
// Role Administrator). The last enabled Global Administrator stays.
func (a *App) ChangeRoleMember(ctx context.Context, p csp.Principal, tenantID, roleID uuid.UUID, member string, add bool) error {
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.AssignRoles)
		if err != nil {
			return err
		}
		if d.partnerTenant() {
			return csp.Errorf(csp.EWrongAPI, "a partner's own tenant has no directory roles here: its users' rights come from their Partner Center roles")
		}
		if _, err := tx.LockTenant(ctx, tenantID); err != nil {
			return err
		}
		role, ok := directory.RoleByID(roleID)
		if !ok {
			return csp.Errorf(csp.ERoleNotFound, "no directory role %s: use a roleTemplateId of GET /directoryRoles", roleID)
		}
		u, err := findUser(ctx, tx, d, member)
		if err != nil {
			return err
		}
		if _, err := tx.LockTenantUser(ctx, tenantID, u.ID); err != nil {
			return err
		}
		op := csp.OpAddRoleMember
		if add {
			err = tx.AddRoleMember(ctx, tenantID, roleID, u.ID)
		} else {
			op = csp.OpRemoveRoleMember
			if roleID == directory.GlobalAdministrator {
				if err := lastGlobalAdmin(ctx, tx, tenantID, u.ID, "removed from Global Administrator"); err != nil {
					return err
				}
			}
			err = tx.RemoveRoleMember(ctx, tenantID, roleID, u.ID)
		}
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, a.directoryAudit(d, csp.ResDirectoryRole, op), nil, map[string]any{"role": role.DisplayName, "memberId": u.ID, "userPrincipalName": u.UserPrincipalName})
	})
}
