package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
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
	r.Get("/qualificationrequests", s.listQualificationRequests)
	r.Post("/qualificationrequests/{id}/approve", s.decideQualification(true))
	r.Post("/qualificationrequests/{id}/reject", s.decideQualification(false))
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
	pg, err := page[uuid.UUID](r, "partners", 100)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.ListPartners(r.Context(), principal(r), pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]partnerJSON, len(got.Items))
	for i, p := range got.Items {
		items[i] = partnerResource(p)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/partners", nextToken("partners", got.Next)))
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
	res := map[string]any{"id": u.ID, "partnerId": u.PartnerID, "displayName": u.DisplayName, "email": u.Email,
		"roles": u.Roles, "apiKey": k.APIKey, "keyId": k.KeyID, "expiresAt": b.ExpiresAt, "attributes": attrs("PartnerUser")}
	writeJSONOnce(w, http.StatusCreated, res, withNull(res, "apiKey"))
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
	res := map[string]any{"tenantId": t.Tenant.ID, "displayName": t.Tenant.DisplayName, "defaultDomain": t.Tenant.DefaultDomain(),
		"country": t.Tenant.Country, "tenantRegion": t.Tenant.Region, "segment": t.Tenant.Segment,
		"adminUserPrincipalName": t.AdminUPN, "apiKey": t.AdminKey.APIKey, "keyId": t.AdminKey.KeyID, "attributes": attrs("Tenant")}
	writeJSONOnce(w, http.StatusCreated, res, withNull(res, "apiKey"))
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
	res := map[string]any{"apiKey": k.APIKey, "keyId": k.KeyID, "expiresAt": b.ExpiresAt, "attributes": attrs("ApiKey")}
	writeJSONOnce(w, http.StatusCreated, res, withNull(res, "apiKey"))
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
	c, err := s.app.Clock(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	res := map[string]any{"now": c.Now, "sandbox": s.app.IsSandbox()}
	if c.AdvancingTo != nil {
		res["advancingTo"] = c.AdvancingTo
	}
	writeJSON(w, http.StatusOK, res)
}

// withNull answers a copy of v with the one-time secrets in keys as null.
func withNull(v map[string]any, keys ...string) map[string]any {
	out := make(map[string]any, len(v))
	for k, x := range v {
		out[k] = x
	}
	for _, k := range keys {
		out[k] = nil
	}
	return out
}

// qualificationRequestJSON is a qualification request as the operator sees it.
type qualificationRequestJSON struct {
	ID            uuid.UUID         `json:"id"`
	CustomerID    uuid.UUID         `json:"customerId"`
	PartnerID     uuid.UUID         `json:"partnerId"`
	Qualification string            `json:"qualification"`
	Segment       csp.Segment       `json:"segment"`
	VettingStatus string            `json:"vettingStatus"`
	CreatedDate   time.Time         `json:"createdDate"`
	DecidedDate   *time.Time        `json:"decidedDate,omitempty"`
	Attributes    map[string]string `json:"attributes"`
}

func qualificationRequestResource(q *csp.QualificationRequest) qualificationRequestJSON {
	return qualificationRequestJSON{ID: q.ID, CustomerID: q.TenantID, PartnerID: q.PartnerID, Qualification: q.Qualification, Segment: q.Segment,
		VettingStatus: q.Status, CreatedDate: q.CreatedAt, DecidedDate: q.DecidedAt, Attributes: attrs("QualificationRequest")}
}

func (s *Server) listQualificationRequests(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("vettingStatus")
	kind := "qualificationrequests:" + status
	pg, err := page[app.Cursor](r, kind, 100)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.QualificationRequests(r.Context(), principal(r), status, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]qualificationRequestJSON, len(got.Items))
	for i, q := range got.Items {
		items[i] = qualificationRequestResource(q)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/qualificationrequests?vettingStatus="+status, nextToken(kind, got.Next)))
}

func (s *Server) decideQualification(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id", csp.EQualificationNotFound, "qualification request")
		if err != nil {
			writeError(w, r, err)
			return
		}
		q, err := s.app.DecideQualification(r.Context(), principal(r), id, approve)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, qualificationRequestResource(q))
	}
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
