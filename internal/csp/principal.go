package csp

import "github.com/google/uuid"

// PrincipalKind says which API a key may call.
type PrincipalKind string

// Principal kinds.
const (
	PrincipalOperator PrincipalKind = "operator" // plays Microsoft in a sandbox: /admin/v1
	PrincipalPartner  PrincipalKind = "partner"  // a partner user: /v1
	PrincipalTenant   PrincipalKind = "tenant"   // a customer's user: /tenant/v1
)

// Principal is who is calling, resolved from a key.
type Principal struct {
	Kind              PrincipalKind
	KeyID             uuid.UUID
	PartnerID         uuid.UUID // partner principals
	UserID            uuid.UUID // partner user or tenant user
	Roles             []Role    // partner principals
	TenantID          uuid.UUID // tenant principals
	UserPrincipalName string
	GlobalAdmin       bool // tenant principals
	// ActingIn is the tenant a tenant-scoped token acts in (Graph and ARM
	// calls): a customer's tenant, or a partner's own (its id). Nil for keys.
	ActingIn uuid.UUID
	// Audience is the token's API: "graph" or "arm".
	Audience string
}

// Can answers nil when a partner principal's roles allow perm.
func (p Principal) Can(perm Permission) error {
	if p.Kind != PrincipalPartner {
		return Errorf(EWrongAPI, "only partner users may call the partner API")
	}
	return Authorize(p.Roles, perm)
}
