package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp/gdap"
)

// GDAPTx is the delegated admin slice: GDAP relationships between partners
// and customer tenants, and their access assignments. A relationship's due
// time (gdap.Relationship.Due) is its job (csp.JobDelegatedAdmin, ref its
// id): writing the relationship schedules, moves or drops it.
type GDAPTx interface {
	// CreateGDAPRelationship inserts r (version 1) and schedules its job.
	// EGDAPDisplayNameTaken if the partner has a relationship with the same
	// gdap.NameKey.
	CreateGDAPRelationship(ctx context.Context, r *gdap.Relationship) error
	// GetGDAPRelationship reads a relationship. EGDAPNotFound if absent.
	GetGDAPRelationship(ctx context.Context, id uuid.UUID) (*gdap.Relationship, error)
	// LockGDAPRelationship reads a relationship and locks its row until the
	// transaction ends (every change of it or of its access assignments
	// takes it first). EGDAPNotFound if absent.
	LockGDAPRelationship(ctx context.Context, id uuid.UUID) (*gdap.Relationship, error)
	// LockGDAPRelationships reads and locks relationships by id, in id order
	// (the scheduler's batches); absent ones are left out.
	LockGDAPRelationships(ctx context.Context, ids []uuid.UUID) ([]*gdap.Relationship, error)
	// UpdateGDAPRelationship writes a relationship's changeable state,
	// bumps its version (r.Version follows) and reschedules its job.
	// EGDAPNotFound if absent, EGDAPDisplayNameTaken as on create.
	UpdateGDAPRelationship(ctx context.Context, r *gdap.Relationship) error
	// DeleteGDAPRelationship removes a relationship, its access assignments
	// and its job. EGDAPNotFound if absent.
	DeleteGDAPRelationship(ctx context.Context, id uuid.UUID) error
	// ListGDAPRelationships lists relationships by creation time then id,
	// keyset-paged.
	ListGDAPRelationships(ctx context.Context, f GDAPFilter) ([]*gdap.Relationship, error)

	// CreateAccessAssignment inserts a (version 1). EGDAPAssignmentExists if
	// its group has an active assignment in the relationship.
	CreateAccessAssignment(ctx context.Context, a *gdap.AccessAssignment) error
	// GetAccessAssignment reads an assignment of a relationship.
	// EGDAPAssignmentNotFound if absent (or of another relationship).
	GetAccessAssignment(ctx context.Context, relationshipID, id uuid.UUID) (*gdap.AccessAssignment, error)
	// UpdateAccessAssignment writes an assignment's roles and status and
	// bumps its version (a.Version follows). EGDAPAssignmentNotFound if
	// absent.
	UpdateAccessAssignment(ctx context.Context, a *gdap.AccessAssignment) error
	// ListAccessAssignments lists the assignments of some relationships by
	// creation time then id, keyset-paged.
	ListAccessAssignments(ctx context.Context, f AssignmentFilter) ([]*gdap.AccessAssignment, error)
}

// GDAPFilter selects relationships: a partner's, a tenant's, or one
// partner's with one tenant; Statuses, when set, keeps those statuses.
type GDAPFilter struct {
	PartnerID *uuid.UUID
	TenantID  *uuid.UUID
	Statuses  []gdap.Status
	After     *Cursor
	Limit     int
}

// AssignmentFilter selects the access assignments of the relationships
// named (none named: none); Status, when set, keeps that status.
type AssignmentFilter struct {
	RelationshipIDs []uuid.UUID
	Status          gdap.AssignmentStatus
	After           *Cursor
	Limit           int
}
