package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/store"
)

// Access assignments (Graph's .../delegatedAdminRelationships/{id}/
// accessAssignments): an active relationship's roles given to security
// groups of the partner's own tenant, whose members then hold them in the
// customer tenant. Every change locks the relationship first.

// NewAccessAssignment is what a partner sends to create an access
// assignment (Graph's POST body).
type NewAccessAssignment struct {
	GroupID       uuid.UUID   // accessContainer.accessContainerId
	ContainerType string      // accessContainer.accessContainerType: securityGroup (or empty)
	Roles         []uuid.UUID // accessDetails.unifiedRoles[].roleDefinitionId
}

// CreateGDAPAccessAssignment gives a security group of the partner's own
// tenant (whose id is the partner's) some of an active relationship's
// roles.
func (a *App) CreateGDAPAccessAssignment(ctx context.Context, p csp.Principal, relationshipID uuid.UUID, in NewAccessAssignment) (*gdap.AccessAssignment, error) {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return nil, err
	}
	if err := gdap.CheckContainerType(in.ContainerType); err != nil {
		return nil, err
	}
	var out *gdap.AccessAssignment
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		rel, err := ownGDAP(ctx, tx, p, relationshipID, true)
		if err != nil {
			return err
		}
		existing, err := allAssignments(ctx, tx, []uuid.UUID{rel.ID}, gdap.AssignmentActive)
		if err != nil {
			return err
		}
		as, err := gdap.NewAssignment(a.newID(), rel, in.GroupID, in.Roles, existing, now)
		if err != nil {
			return err
		}
		// Every group modelled is a security group; it must be the partner's.
		if _, err := tx.GetGroup(ctx, rel.PartnerID, in.GroupID); csp.ErrorCode(err) == csp.EGroupNotFound {
			return csp.Errorf(csp.EGDAPContainerNotGroup, "accessContainer.accessContainerId %s is not a security group of your partner's own tenant (%s): create the group there first (POST /graph/v1.0/groups with a token for tenant %s)",
				in.GroupID, rel.PartnerID, rel.PartnerID).WithData("field=accessContainer.accessContainerId")
		} else if err != nil {
			return err
		}
		if err := tx.CreateAccessAssignment(ctx, as); err != nil {
			return err
		}
		out = as
		return a.auditAssignment(ctx, tx, now, p, rel, gdap.OpCreateAssignment, nil, as.Audit())
	})
	return out, err
}

// ListGDAPAccessAssignments pages through a relationship's access
// assignments (deleted ones included, as Graph lists them), oldest first.
func (a *App) ListGDAPAccessAssignments(ctx context.Context, p csp.Principal, relationshipID uuid.UUID, pg Page[Cursor]) (Paged[*gdap.AccessAssignment, Cursor], error) {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return Paged[*gdap.AccessAssignment, Cursor]{}, err
	}
	var out []*gdap.AccessAssignment
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := ownGDAP(ctx, tx, p, relationshipID, false); err != nil {
			return err
		}
		var err error
		out, err = tx.ListAccessAssignments(ctx, store.AssignmentFilter{RelationshipIDs: []uuid.UUID{relationshipID}, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, func(as *gdap.AccessAssignment) Cursor { return Cursor{At: as.CreatedAt, ID: as.ID} }), err
}

// GetGDAPAccessAssignment reads an access assignment of one of the
// partner's relationships.
func (a *App) GetGDAPAccessAssignment(ctx context.Context, p csp.Principal, relationshipID, id uuid.UUID) (*gdap.AccessAssignment, error) {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return nil, err
	}
	var out *gdap.AccessAssignment
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := ownGDAP(ctx, tx, p, relationshipID, false); err != nil {
			return err
		}
		var err error
		out, err = tx.GetAccessAssignment(ctx, relationshipID, id)
		return err
	})
	return out, err
}

// PatchGDAPAccessAssignment replaces an assignment's roles (Graph's PATCH,
// which needs If-Match: the API asks for it; here ifMatch, when set, must be
// the assignment's etag). The relationship must be active.
func (a *App) PatchGDAPAccessAssignment(ctx context.Context, p csp.Principal, relationshipID, id uuid.UUID, roles []uuid.UUID, ifMatch string) (*gdap.AccessAssignment, error) {
	return a.changeAssignment(ctx, p, relationshipID, id, ifMatch, gdap.OpUpdateAssignment,
		func(as *gdap.AccessAssignment, rel *gdap.Relationship, now time.Time) (*gdap.AccessAssignment, error) {
			return as.SetRoles(rel, roles, now)
		})
}

// DeleteGDAPAccessAssignment marks an assignment deleted, whatever its
// relationship's status. ifMatch, when set, must be its etag.
func (a *App) DeleteGDAPAccessAssignment(ctx context.Context, p csp.Principal, relationshipID, id uuid.UUID, ifMatch string) (*gdap.AccessAssignment, error) {
	return a.changeAssignment(ctx, p, relationshipID, id, ifMatch, gdap.OpDeleteAssignment,
		func(as *gdap.AccessAssignment, _ *gdap.Relationship, now time.Time) (*gdap.AccessAssignment, error) {
			return as.Delete(now)
		})
}

func (a *App) changeAssignment(ctx context.Context, p csp.Principal, relationshipID, id uuid.UUID, ifMatch, op string,
	change func(*gdap.AccessAssignment, *gdap.Relationship, time.Time) (*gdap.AccessAssignment, error)) (*gdap.AccessAssignment, error) {
	if err := p.Can(csp.PermDelegatedAdmin); err != nil {
		return nil, err
	}
	var out *gdap.AccessAssignment
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		rel, err := ownGDAP(ctx, tx, p, relationshipID, true)
		if err != nil {
			return err
		}
		as, err := tx.GetAccessAssignment(ctx, relationshipID, id)
		if err != nil {
			return err
		}
		if err := csp.CheckETag("access assignment", as.ID, as.Version, ifMatch); err != nil {
			return err
		}
		n, err := change(as, rel, now)
		if err != nil {
			return err
		}
		if err := tx.UpdateAccessAssignment(ctx, n); err != nil {
			return err
		}
		out = n
		return a.auditAssignment(ctx, tx, now, p, rel, op, as.Audit(), n.Audit())
	})
	return out, err
}

// allAssignments reads every assignment of the relationships, page by page.
func allAssignments(ctx context.Context, tx store.Tx, relIDs []uuid.UUID, status gdap.AssignmentStatus) ([]*gdap.AccessAssignment, error) {
	var out []*gdap.AccessAssignment
	f := store.AssignmentFilter{RelationshipIDs: relIDs, Status: status, Limit: store.MaxLimit}
	for {
		page, err := tx.ListAccessAssignments(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		last := page[len(page)-1]
		f.After = &store.Cursor{At: last.CreatedAt, ID: last.ID}
	}
}

// auditAssignment records a change of an access assignment, in its
// partner's records.
func (a *App) auditAssignment(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, rel *gdap.Relationship, op string, before, after map[string]any) error {
	return a.auditGDAPResource(ctx, tx, now, p, rel, gdap.ResAccessAssignment, op, before, after)
}
