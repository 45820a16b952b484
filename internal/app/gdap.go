package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/store"
)

// The partner's side of GDAP (Microsoft Graph's
// /tenantRelationships/delegatedAdminRelationships): an adminAgent creates
// a relationship with a customer tenant, changes it while it is a draft,
// locks it for approval and may terminate it once active. A partner may ask
// any tenant for delegated admin rights: no reseller relationship is needed,
// and none is made (decision 68).

// GDAPRequest is the answer to a relationship request (Graph's
// delegatedAdminRelationshipRequest): the action, done at once, and the
// relationship it left.
type GDAPRequest struct {
	ID           uuid.UUID
	Action       string
	Status       string // "succeeded": requests are carried out at once
	CreatedAt    time.Time
	Relationship *gdap.Relationship
}

// CreateGDAPRelationship creates a draft relationship of the caller's
// partner with a customer tenant. An absent customer.displayName is the
// tenant's name.
func (a *App) CreateGDAPRelationship(ctx context.Context, p csp.Principal, in gdap.NewRelationship) (*gdap.Relationship, error) {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return nil, err
	}
	var out *gdap.Relationship
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		if in.CustomerTenantID != uuid.Nil {
			t, err := tx.GetTenant(ctx, in.CustomerTenantID)
			if csp.ErrorCode(err) == csp.ETenantNotFound {
				return csp.Errorf(csp.ETenantNotFound, "customer.tenantId %s names no tenant: send the id of the customer's tenant (its tenantId)", in.CustomerTenantID)
			}
			if err != nil {
				return err
			}
			if in.CustomerDisplayName == "" {
				in.CustomerDisplayName = t.DisplayName
			}
		}
		r, err := gdap.New(a.newID(), p.PartnerID, in, now)
		if err != nil {
			return err
		}
		if err := tx.CreateGDAPRelationship(ctx, r); err != nil {
			return err
		}
		out = r
		return a.auditGDAP(ctx, tx, now, p, r, gdap.OpCreateRelationship, nil, r.Audit())
	})
	return out, err
}

// ListGDAPRelationships pages through the caller's partner's relationships,
// oldest first; customerID, when set, keeps those with that tenant.
func (a *App) ListGDAPRelationships(ctx context.Context, p csp.Principal, customerID *uuid.UUID, pg Page[Cursor]) (Paged[*gdap.Relationship, Cursor], error) {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return Paged[*gdap.Relationship, Cursor]{}, err
	}
	var out []*gdap.Relationship
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.ListGDAPRelationships(ctx, store.GDAPFilter{PartnerID: &p.PartnerID, TenantID: customerID, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, gdapCursor), err
}

func gdapCursor(r *gdap.Relationship) Cursor { return Cursor{At: r.CreatedAt, ID: r.ID} }

// GetGDAPRelationship reads one of the caller's partner's relationships;
// another partner's answers EGDAPNotFound, as an absent one does.
func (a *App) GetGDAPRelationship(ctx context.Context, p csp.Principal, id uuid.UUID) (*gdap.Relationship, error) {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return nil, err
	}
	var out *gdap.Relationship
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = ownGDAP(ctx, tx, p, id, false)
		return err
	})
	return out, err
}

// ownGDAP reads (lock: and locks) a relationship of the caller's partner.
func ownGDAP(ctx context.Context, tx store.Tx, p csp.Principal, id uuid.UUID, lock bool) (*gdap.Relationship, error) {
	get := tx.GetGDAPRelationship
	if lock {
		get = tx.LockGDAPRelationship
	}
	r, err := get(ctx, id)
	if err == nil && r.PartnerID != p.PartnerID {
		return nil, csp.Errorf(csp.EGDAPNotFound, "your partner has no delegated admin relationship %s", id)
	}
	return r, err
}

// changeGDAP locks a relationship of the caller's partner and, when ifMatch
// is set, checks that it still has that etag.
func changeGDAP(ctx context.Context, tx store.Tx, p csp.Principal, id uuid.UUID, ifMatch string) (*gdap.Relationship, error) {
	r, err := ownGDAP(ctx, tx, p, id, true)
	if err != nil {
		return nil, err
	}
	return r, csp.CheckETag("delegated admin relationship", r.ID, r.Version, ifMatch)
}

// PatchGDAPRelationship changes a relationship (Graph's PATCH): anything
// while it is a draft; while active, autoExtendDuration, or its roles by
// dropping Global Administrator, which its access assignments then lose too
// (one left with no role is deleted). ifMatch, when set, must be its etag.
func (a *App) PatchGDAPRelationship(ctx context.Context, p csp.Principal, id uuid.UUID, patch gdap.Patch, ifMatch string) (*gdap.Relationship, error) {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return nil, err
	}
	var out *gdap.Relationship
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		r, err := changeGDAP(ctx, tx, p, id, ifMatch)
		if err != nil {
			return err
		}
		n, err := r.Apply(patch, now)
		if err != nil {
			return err
		}
		if err := tx.UpdateGDAPRelationship(ctx, n); err != nil {
			return err
		}
		if r.Status == gdap.StatusActive && len(n.Roles) < len(r.Roles) {
			if err := a.narrowAssignments(ctx, tx, now, p, n); err != nil {
				return err
			}
		}
		out = n
		return a.auditGDAP(ctx, tx, now, p, n, gdap.OpUpdateRelationship, r.Audit(), n.Audit())
	})
	return out, err
}

// narrowAssignments takes from rel's active access assignments the roles
// rel no longer has.
func (a *App) narrowAssignments(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, rel *gdap.Relationship) error {
	list, err := allAssignments(ctx, tx, []uuid.UUID{rel.ID}, gdap.AssignmentActive)
	if err != nil {
		return err
	}
	for _, as := range list {
		n := as.Narrow(rel, now)
		if n == nil {
			continue
		}
		if err := tx.UpdateAccessAssignment(ctx, n); err != nil {
			return err
		}
		op := gdap.OpUpdateAssignment
		if n.Status == gdap.AssignmentDeleted {
			op = gdap.OpDeleteAssignment
		}
		if err := a.auditAssignment(ctx, tx, now, p, rel, op, as.Audit(), n.Audit()); err != nil {
			return err
		}
	}
	return nil
}

// DeleteGDAPRelationship deletes a draft relationship (an active one is
// terminated instead). ifMatch, when set, must be its etag.
func (a *App) DeleteGDAPRelationship(ctx context.Context, p csp.Principal, id uuid.UUID, ifMatch string) error {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return err
	}
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		r, err := changeGDAP(ctx, tx, p, id, ifMatch)
		if err != nil {
			return err
		}
		if err := r.CheckDeletable(); err != nil {
			return err
		}
		if err := tx.DeleteGDAPRelationship(ctx, id); err != nil {
			return err
		}
		return a.auditGDAP(ctx, tx, now, p, r, gdap.OpDeleteRelationship, r.Audit(), nil)
	})
}

// RequestGDAPAction carries out a partner's relationship request (Graph's
// POST .../requests {action}): lockForApproval or terminate. Approving and
// rejecting are the customer's (TenantGDAPAction).
func (a *App) RequestGDAPAction(ctx context.Context, p csp.Principal, id uuid.UUID, action string) (*GDAPRequest, error) {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return nil, err
	}
	var act func(*gdap.Relationship, time.Time) (*gdap.Relationship, error)
	var op string
	switch action {
	case gdap.ActionLockForApproval:
		act, op = (*gdap.Relationship).LockForApproval, gdap.OpLockForApproval
	case gdap.ActionTerminate:
		act, op = (*gdap.Relationship).Terminate, gdap.OpTerminateRelationship
	case gdap.ActionApprove, gdap.ActionReject:
		return nil, csp.Errorf(csp.EGDAPRequestAction, "a partner cannot %s a relationship: the customer's Global Administrator approves or rejects it in the customer API (POST /tenant/v1/delegatedAdminRelationships/{id}/%s)", action, action)
	default:
		return nil, csp.Errorf(csp.EGDAPRequestAction, "action %q is not a request a partner makes: send lockForApproval or terminate", action).WithData("field=action")
	}
	var out *GDAPRequest
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		r, err := ownGDAP(ctx, tx, p, id, true)
		if err != nil {
			return err
		}
		n, err := act(r, now)
		if err != nil {
			return err
		}
		if err := tx.UpdateGDAPRelationship(ctx, n); err != nil {
			return err
		}
		out = &GDAPRequest{ID: a.newID(), Action: action, Status: "succeeded", CreatedAt: now, Relationship: n}
		return a.auditGDAP(ctx, tx, now, p, n, op, r.Audit(), n.Audit())
	})
	return out, err
}

// auditGDAP records a change of a relationship, in its partner's records.
func (a *App) auditGDAP(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, r *gdap.Relationship, op string, before, after map[string]any) error {
	return a.auditGDAPResource(ctx, tx, now, p, r, gdap.ResRelationship, op, before, after)
}

// auditGDAPResource records a change of a relationship's resource (the
// relationship or one of its access assignments) in its partner's records.
func (a *App) auditGDAPResource(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, r *gdap.Relationship, res, op string, before, after map[string]any) error {
	partnerID, tenantID := r.PartnerID, r.CustomerTenantID
	// A nil map stays a nil interface: the record then has no old (or new) value.
	var b, af any
	if before != nil {
		b = before
	}
	if after != nil {
		af = after
	}
	return a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: &partnerID, TenantID: &tenantID, CustomerName: r.CustomerDisplayName,
		ResourceType: res, OperationType: op}, b, af)
}
