package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

// TenantTx is the tenants' slice: tenants, their users, their partners,
// multitenant organizations and segment qualifications.
type TenantTx interface {
	// CreateTenant inserts t. EDomainTaken if its domain prefix is used.
	CreateTenant(ctx context.Context, t *csp.Tenant) error
	// GetTenant reads a tenant. ETenantNotFound if absent.
	GetTenant(ctx context.Context, id uuid.UUID) (*csp.Tenant, error)
	// LockTenant reads a tenant and locks its row. ETenantNotFound if absent.
	LockTenant(ctx context.Context, id uuid.UUID) (*csp.Tenant, error)
	// GetTenantByDomain reads a tenant by domain prefix. ETenantNotFound if absent.
	GetTenantByDomain(ctx context.Context, prefix string) (*csp.Tenant, error)
	// SetTenantSegment changes a tenant's segment and bumps its version.
	SetTenantSegment(ctx context.Context, id uuid.UUID, seg csp.Segment) error

	// CreateTenantUser inserts u. EConflict-style EEmailTaken if the UPN is used.
	CreateTenantUser(ctx context.Context, u *csp.TenantUser) error
	// GetTenantUser reads a tenant user. EUserNotFound if absent.
	GetTenantUser(ctx context.Context, id uuid.UUID) (*csp.TenantUser, error)
	// GetTenantUserByUPN reads a tenant user by user principal name. EUserNotFound if absent.
	GetTenantUserByUPN(ctx context.Context, tenantID uuid.UUID, upn string) (*csp.TenantUser, error)

	// CreateRelationship links a partner and a tenant; the partner's profile
	// of the customer starts as the tenant's own. ERelationshipExists if
	// linked, ETenantNotFound if the tenant is absent.
	CreateRelationship(ctx context.Context, r csp.Relationship) error
	// GetRelationship reads a link. ERelationshipNotFound if absent.
	GetRelationship(ctx context.Context, partnerID, tenantID uuid.UUID) (*csp.Relationship, error)
	// GetCustomer reads a tenant as the partner sees it, locking the
	// relationship row when lock is set (every write about a partner's
	// customer takes it first). ERelationshipNotFound if not linked.
	GetCustomer(ctx context.Context, partnerID, tenantID uuid.UUID, lock bool) (*csp.Customer, error)
	// UpdateCustomerProfile replaces the partner's profile of its customer
	// and bumps the relationship's version.
	UpdateCustomerProfile(ctx context.Context, partnerID, tenantID uuid.UUID, p csp.CustomerProfile) error
	// DeleteRelationship removes a link. ERelationshipNotFound if absent.
	DeleteRelationship(ctx context.Context, partnerID, tenantID uuid.UUID) error
	// TenantRelationships lists a tenant's partners, oldest first.
	TenantRelationships(ctx context.Context, tenantID uuid.UUID) ([]csp.Relationship, error)
	// ListCustomers lists the tenants a partner has a relationship with, by
	// the partner's company name then id, keyset-paged.
	ListCustomers(ctx context.Context, f CustomerFilter) ([]*csp.Customer, error)

	// CreateMTO inserts an organization with its owner as an active member.
	// ETenantInOtherMTO if the owner already belongs to one.
	CreateMTO(ctx context.Context, o *csp.MultiTenantOrg) error
	// MTOOfTenant reads the organization the tenant belongs to (pending or
	// active). EMTONotFound if none.
	MTOOfTenant(ctx context.Context, tenantID uuid.UUID) (*csp.MultiTenantOrg, error)
	// AddMTOMember adds a pending member. ETenantInOtherMTO if it belongs to one.
	AddMTOMember(ctx context.Context, orgID uuid.UUID, m csp.MTOMember) error
	// ActivateMTOMember marks a pending member as joined.
	ActivateMTOMember(ctx context.Context, orgID, tenantID uuid.UUID, at time.Time) error

	// CreateQualificationRequest stores a request in review.
	CreateQualificationRequest(ctx context.Context, q *csp.QualificationRequest) error
	// LockQualificationRequest reads a request and locks it. EQualificationNotFound if absent.
	LockQualificationRequest(ctx context.Context, id uuid.UUID) (*csp.QualificationRequest, error)
	// UpdateQualificationRequest writes a request's status.
	UpdateQualificationRequest(ctx context.Context, q *csp.QualificationRequest) error
	// ListQualificationRequests lists requests by creation time then id, keyset-paged.
	ListQualificationRequests(ctx context.Context, f QualificationFilter) ([]*csp.QualificationRequest, error)
}

// CustomerCursor is the keyset position in a customer listing.
type CustomerCursor struct {
	NameKey  string    `json:"n"`
	TenantID uuid.UUID `json:"i"`
}

// CustomerFilter selects a partner's customers.
type CustomerFilter struct {
	PartnerID    uuid.UUID
	NamePrefix   string // company name starts with (case-insensitive)
	DomainPrefix string // default domain starts with
	Search       string // name or domain contains, or tenant id equals
	After        *CustomerCursor
	Limit        int
}

// QualificationFilter selects qualification requests: one tenant's, or
// every tenant's in a status.
type QualificationFilter struct {
	TenantID *uuid.UUID
	Status   string
	After    *Cursor
	Limit    int
}

// NameKey is the sort and search key of a company name.
func NameKey(name string) string { return lower(name) }
