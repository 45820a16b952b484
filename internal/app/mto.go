package app

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// MTOView is a multitenant organization as one of its tenants sees it. The
// owner's admins see every member tenant and its partners; a member sees
// the organization and its members.
type MTOView struct {
	Org     *csp.MultiTenantOrg
	Tenants map[uuid.UUID]*csp.Tenant
	// Partners of each active member, filled for the owner only.
	Partners map[uuid.UUID][]PartnerOfTenant
}

// GetMTO reads the organization of the caller's tenant.
func (a *App) GetMTO(ctx context.Context, p csp.Principal) (*MTOView, error) {
	if p.Kind != csp.PrincipalTenant {
		return nil, csp.Errorf(csp.EWrongAPI, "only a customer's users may call the customer API")
	}
	var v *MTOView
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		v, err = mtoView(ctx, tx, p.TenantID)
		return err
	})
	return v, err
}

func mtoView(ctx context.Context, tx store.Tx, tenantID uuid.UUID) (*MTOView, error) {
	org, err := tx.MTOOfTenant(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	v := &MTOView{Org: org, Tenants: map[uuid.UUID]*csp.Tenant{}, Partners: map[uuid.UUID][]PartnerOfTenant{}}
	for _, m := range org.Members {
		t, err := tx.GetTenant(ctx, m.TenantID)
		if err != nil {
			return nil, err
		}
		v.Tenants[m.TenantID] = t
		if org.OwnerTenantID == tenantID && m.State == csp.MTOStateActive {
			if v.Partners[m.TenantID], err = tenantPartners(ctx, tx, m.TenantID); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// CreateMTO creates a multitenant organization owned by the caller's tenant.
func (a *App) CreateMTO(ctx context.Context, p csp.Principal, displayName string) (*MTOView, error) {
	if err := requireTenantAdmin(p); err != nil {
		return nil, err
	}
	if err := csp.CheckText("displayName", displayName, csp.MaxName); err != nil {
		return nil, err
	}
	displayName = strings.TrimSpace(displayName)
	if displayName == "" {
		return nil, csp.Errorf(csp.EMissingField, "displayName is required: the organization's name")
	}
	var v *MTOView
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		// The caller's tenant row serialises its organization changes.
		if _, err := tx.LockTenant(ctx, p.TenantID); err != nil {
			return err
		}
		if existing, err := tx.MTOOfTenant(ctx, p.TenantID); err == nil {
			if existing.OwnerTenantID == p.TenantID {
				return csp.Errorf(csp.EMTOExists, "this tenant already owns the multitenant organization %q", existing.DisplayName)
			}
			return csp.Errorf(csp.ETenantInOtherMTO, "this tenant already belongs to the multitenant organization %q; a tenant can belong to only one", existing.DisplayName)
		} else if csp.ErrorCode(err) != csp.EMTONotFound {
			return err
		}
		org := &csp.MultiTenantOrg{ID: a.newID(), OwnerTenantID: p.TenantID, DisplayName: displayName, CreatedAt: now,
			Members: []csp.MTOMember{{TenantID: p.TenantID, Role: "owner", State: csp.MTOStateActive, AddedByTenantID: p.TenantID, AddedAt: now, JoinedAt: &now}}}
		if err := tx.CreateMTO(ctx, org); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &p.TenantID, ResourceType: csp.ResMultiTenantOrg, OperationType: csp.OpCreateMTO}, nil,
			map[string]any{"id": org.ID, "displayName": displayName}); err != nil {
			return err
		}
		var err error
		v, err = mtoView(ctx, tx, p.TenantID)
		return err
	})
	return v, err
}

// AddMTOTenant adds a member tenant, pending until its admin joins (owner only).
func (a *App) AddMTOTenant(ctx context.Context, p csp.Principal, tenantID uuid.UUID) (*MTOView, error) {
	if err := requireTenantAdmin(p); err != nil {
		return nil, err
	}
	var v *MTOView
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		if _, err := tx.LockTenant(ctx, p.TenantID); err != nil {
			return err
		}
		org, err := tx.MTOOfTenant(ctx, p.TenantID)
		if err != nil {
			return err
		}
		if org.OwnerTenantID != p.TenantID {
			return csp.Errorf(csp.ENotMTOOwner, "only the owner tenant of %q can add tenants", org.DisplayName)
		}
		if tenantID == p.TenantID {
			return csp.Errorf(csp.EMTOSelf, "the owner tenant is already part of its organization")
		}
		if _, err := tx.GetTenant(ctx, tenantID); err != nil {
			return err
		}
		m := csp.MTOMember{TenantID: tenantID, Role: "member", State: csp.MTOStatePending, AddedByTenantID: p.TenantID, AddedAt: now}
		if err := tx.AddMTOMember(ctx, org.ID, m); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &p.TenantID, ResourceType: csp.ResMultiTenantOrg, OperationType: csp.OpAddMTOTenant}, nil,
			map[string]any{"organizationId": org.ID, "tenantId": tenantID, "state": m.State}); err != nil {
			return err
		}
		v, err = mtoView(ctx, tx, p.TenantID)
		return err
	})
	return v, err
}

// JoinMTO lets the caller's tenant join the organization that the tenant
// addedBy owns and added it to.
func (a *App) JoinMTO(ctx context.Context, p csp.Principal, addedBy uuid.UUID) (*MTOView, error) {
	if err := requireTenantAdmin(p); err != nil {
		return nil, err
	}
	var v *MTOView
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		if _, err := tx.LockTenant(ctx, p.TenantID); err != nil {
			return err
		}
		org, err := tx.MTOOfTenant(ctx, p.TenantID)
		if csp.ErrorCode(err) == csp.EMTONotFound {
			return csp.Errorf(csp.ENotInvitedToMTO, "tenant %s has not added this tenant to a multitenant organization", addedBy)
		}
		if err != nil {
			return err
		}
		m, _ := org.Member(p.TenantID)
		if org.OwnerTenantID != addedBy || m.State != csp.MTOStatePending {
			return csp.Errorf(csp.ENotInvitedToMTO, "this tenant has no pending invitation from tenant %s (it belongs to %q as %s, %s)", addedBy, org.DisplayName, m.Role, m.State)
		}
		if err := tx.ActivateMTOMember(ctx, org.ID, p.TenantID, now); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &p.TenantID, ResourceType: csp.ResMultiTenantOrg, OperationType: csp.OpJoinMTO},
			map[string]any{"organizationId": org.ID, "state": csp.MTOStatePending}, map[string]any{"organizationId": org.ID, "state": csp.MTOStateActive}); err != nil {
			return err
		}
		v, err = mtoView(ctx, tx, p.TenantID)
		return err
	})
	return v, err
}
