package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

// Tenants signed up directly, and keys: the operator's part of the
// customer API's keys.

var tenantKeysDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: "/admin/v1/tenants", Tag: "Tenants and keys", Summary: "Create a tenant outside any partner, with its admin's key",
		Description: "apiKey is shown once: null in a replay of the same MS-RequestId.", Body: newTenantBody{}, Responses: openapi.Created(createdTenantJSON{})},
	{Method: http.MethodPost, Path: "/admin/v1/tenants/{tenant-id}/keys", Tag: "Tenants and keys", Summary: "Mint a key for a tenant's user",
		Description: "apiKey is shown once: null in a replay of the same MS-RequestId.", Body: tenantKeyBody{}, Responses: openapi.Created(keyJSON{})},
	{Method: http.MethodDelete, Path: "/admin/v1/keys/{key-id}", Tag: "Tenants and keys", Summary: "Revoke a key (its console sessions end)",
		Responses: openapi.NoContent()},
}

type newTenantBody struct {
	DisplayName  string `json:"displayName"`
	DomainPrefix string `json:"domainPrefix"`
	Country      string `json:"country"`
	Segment      string `json:"segment,omitempty"`
	// Address is optional: a tenant may give only its country.
	Address *csp.Address `json:"address,omitempty"`
}

type createdTenantJSON struct {
	TenantID               uuid.UUID         `json:"tenantId"`
	DisplayName            string            `json:"displayName"`
	DefaultDomain          string            `json:"defaultDomain"`
	Country                string            `json:"country"`
	TenantRegion           csp.Region        `json:"tenantRegion"`
	Segment                csp.Segment       `json:"segment"`
	AdminUserPrincipalName string            `json:"adminUserPrincipalName"`
	APIKey                 *string           `json:"apiKey"`
	KeyID                  uuid.UUID         `json:"keyId"`
	Attributes             map[string]string `json:"attributes"`
}

type tenantKeyBody struct {
	UserPrincipalName string     `json:"userPrincipalName"`
	ExpiresAt         *time.Time `json:"expiresAt,omitempty"`
}

// keyJSON is a new key; APIKey is nil in a replay.
type keyJSON struct {
	APIKey     *string           `json:"apiKey"`
	KeyID      uuid.UUID         `json:"keyId"`
	ExpiresAt  *time.Time        `json:"expiresAt"`
	Attributes map[string]string `json:"attributes"`
}

func (s *Server) createTenant(w http.ResponseWriter, r *http.Request) {
	var b newTenantBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	// A directly signed-up tenant may give only its country; its address is
	// then checked for the country alone.
	addr := csp.Address{Country: b.Country}
	if b.Address != nil {
		addr = *b.Address
		if addr.Country == "" {
			addr.Country = b.Country
		}
	}
	t, err := s.app.CreateDirectTenant(r.Context(), principal(r), csp.NewTenant{CompanyName: b.DisplayName, Domain: b.DomainPrefix, Segment: b.Segment, Address: addr})
	if err != nil {
		writeError(w, r, err)
		return
	}
	res := createdTenantJSON{TenantID: t.Tenant.ID, DisplayName: t.Tenant.DisplayName, DefaultDomain: t.Tenant.DefaultDomain(),
		Country: t.Tenant.Country, TenantRegion: t.Tenant.Region, Segment: t.Tenant.Segment,
		AdminUserPrincipalName: t.AdminUPN, APIKey: &t.AdminKey.APIKey, KeyID: t.AdminKey.KeyID, Attributes: attrs("Tenant")}
	replay := res
	replay.APIKey = nil
	writeJSONOnce(w, http.StatusCreated, res, replay)
}

func (s *Server) mintTenantKey(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ETenantNotFound, "tenant")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b tenantKeyBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	k, err := s.app.MintTenantKey(r.Context(), principal(r), id, b.UserPrincipalName, b.ExpiresAt)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res := keyJSON{APIKey: &k.APIKey, KeyID: k.KeyID, ExpiresAt: b.ExpiresAt, Attributes: attrs("ApiKey")}
	replay := res
	replay.APIKey = nil
	writeJSONOnce(w, http.StatusCreated, res, replay)
}

func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.EKeyNotFound, "key")
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.app.RevokeKey(r.Context(), principal(r), id); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
