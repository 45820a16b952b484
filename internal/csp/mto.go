package csp

import (
	"time"

	"github.com/google/uuid"
)

// MultiTenantOrg groups a company's tenants, as Microsoft Entra's multitenant
// organization does: one owner tenant adds members; a member is pending until
// its own admin joins. A tenant belongs to at most one organization.
type MultiTenantOrg struct {
	ID            uuid.UUID
	OwnerTenantID uuid.UUID
	DisplayName   string
	CreatedAt     time.Time
	Members       []MTOMember // the owner is listed as a joined member too
}

// MTO member states, as Entra names them.
const (
	MTOStatePending = "pending"
	MTOStateActive  = "active"
)

// MTOMember is one tenant of a multitenant organization.
type MTOMember struct {
	TenantID        uuid.UUID
	Role            string // owner or member
	State           string // pending or active
	AddedByTenantID uuid.UUID
	AddedAt         time.Time
	JoinedAt        *time.Time
}

// Member answers the member entry for tenantID.
func (o *MultiTenantOrg) Member(tenantID uuid.UUID) (MTOMember, bool) {
	for _, m := range o.Members {
		if m.TenantID == tenantID {
			return m, true
		}
	}
	return MTOMember{}, false
}

// ActiveTenantIDs lists the tenants that have joined (the owner included).
func (o *MultiTenantOrg) ActiveTenantIDs() []uuid.UUID {
	var ids []uuid.UUID
	for _, m := range o.Members {
		if m.State == MTOStateActive {
			ids = append(ids, m.TenantID)
		}
	}
	return ids
}
