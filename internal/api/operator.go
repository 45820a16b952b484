package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

func (s *Server) operatorRoutes(r chi.Router) {
	r.Post("/partners", s.createPartner)
	r.Get("/partners", s.listPartners)
	r.Get("/partners/{id}", s.getPartner)
	r.Put("/partners/{id}/salepolicy", s.putSalePolicy)
	r.Post("/partners/{id}/users", s.createPartnerUser)
	r.Post("/tenants", s.createTenant)
	r.Post("/tenants/{id}/keys", s.mintTenantKey)
	r.Delete("/keys/{id}", s.revokeKey)
	r.Get("/clock", s.getClock)
	r.Post("/clock/advance", s.advanceClock)
	r.Get("/catalog", s.getCatalog)
	r.Put("/catalog", s.putCatalog)
}

func (s *Server) createPartner(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Name        string          `json:"name"`
		Country     string          `json:"country"`
		Locations   []string        `json:"locations"`
		PartnerType string          `json:"partnerType"`
		ProviderID  *uuid.UUID      `json:"providerId"`
		MpnID       string          `json:"mpnId"`
		SalePolicy  *csp.SalePolicy `json:"salePolicy"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.app.CreatePartner(r.Context(), principal(r), app.NewPartner{Name: b.Name, Country: b.Country, Locations: b.Locations,
		PartnerType: b.PartnerType, ProviderID: b.ProviderID, MpnID: b.MpnID, SalePolicy: b.SalePolicy})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, partnerResource(p))
}

func (s *Server) listPartners(w http.ResponseWriter, r *http.Request) {
	size, err := pageSize(r, 100, 500)
	if err != nil {
		writeError(w, r, err)
		return
	}
	after, err := readToken[uuid.UUID](r, "partners")
	if err != nil {
		writeError(w, r, err)
		return
	}
	ps, err := s.app.ListPartners(r.Context(), principal(r), store.PartnerFilter{After: after, Limit: size + 1})
	if err != nil {
		writeError(w, r, err)
		return
	}
	next := ""
	if len(ps) > size {
		ps = ps[:size]
		next = encodeToken("partners", ps[size-1].ID)
	}
	items := make([]partnerJSON, len(ps))
	for i, p := range ps {
		items[i] = partnerResource(p)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/partners", next))
}

func (s *Server) getPartner(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.EPartnerNotFound, "partner")
	if err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.app.GetPartner(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, partnerResource(p))
}

func (s *Server) putSalePolicy(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.EPartnerNotFound, "partner")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var sp csp.SalePolicy
	if err := decode(r, &sp); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.app.SetSalePolicy(r.Context(), principal(r), id, sp)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, partnerResource(p))
}

func (s *Server) createPartnerUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.EPartnerNotFound, "partner")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		DisplayName string     `json:"displayName"`
		Email       string     `json:"email"`
		Roles       []string   `json:"roles"`
		ExpiresAt   *time.Time `json:"expiresAt"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	u, k, err := s.app.CreatePartnerUser(r.Context(), principal(r), id, app.NewPartnerUser{DisplayName: b.DisplayName, Email: b.Email, Roles: b.Roles, ExpiresAt: b.ExpiresAt})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": u.ID, "partnerId": u.PartnerID, "displayName": u.DisplayName, "email": u.Email,
		"roles": u.Roles, "apiKey": k.APIKey, "keyId": k.KeyID, "expiresAt": b.ExpiresAt, "attributes": attrs("PartnerUser")})
}

func (s *Server) createTenant(w http.ResponseWriter, r *http.Request) {
	var b struct {
		DisplayName  string       `json:"displayName"`
		DomainPrefix string       `json:"domainPrefix"`
		Country      string       `json:"country"`
		Segment      string       `json:"segment"`
		Address      *csp.Address `json:"address"`
	}
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
	writeJSON(w, http.StatusCreated, map[string]any{"tenantId": t.Tenant.ID, "displayName": t.Tenant.DisplayName, "defaultDomain": t.Tenant.DefaultDomain(),
		"country": t.Tenant.Country, "tenantRegion": t.Tenant.Region, "segment": t.Tenant.Segment,
		"adminUserPrincipalName": t.AdminUPN, "apiKey": t.AdminKey.APIKey, "keyId": t.AdminKey.KeyID, "attributes": attrs("Tenant")})
}

func (s *Server) mintTenantKey(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ETenantNotFound, "tenant")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		UserPrincipalName string     `json:"userPrincipalName"`
		ExpiresAt         *time.Time `json:"expiresAt"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	k, err := s.app.MintTenantKey(r.Context(), principal(r), id, b.UserPrincipalName, b.ExpiresAt)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"apiKey": k.APIKey, "keyId": k.KeyID, "expiresAt": b.ExpiresAt, "attributes": attrs("ApiKey")})
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

func (s *Server) getClock(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"now": s.app.Now(), "sandbox": s.app.IsSandbox()})
}

func (s *Server) advanceClock(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Duration string    `json:"duration"`
		To       time.Time `json:"to"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.app.AdvanceClock(r.Context(), principal(r), b.Duration, b.To)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": res.Now, "processedEvents": res.ProcessedEvents})
}
