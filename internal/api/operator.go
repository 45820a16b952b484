package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

func (s *Server) operatorRoutes(r chi.Router) {
	r.Post("/partners", s.createPartner)
	r.Get("/partners", s.listPartners)
	r.Get("/partners/{id}", s.getPartner)
	r.Put("/partners/{id}/salepolicy", s.putSalePolicy)
	r.Post("/partners/{id}/users", s.createPartnerUser)
	r.Post("/tenants", s.createTenant)
	r.Post("/tenants/{id}/keys", s.mintTenantKey)
	r.Post("/tenants/{id}/channelsubscriptions", s.recordChannelSubscription)
	r.Get("/channelplanactions", s.channelPlanActions)
	r.Post("/tenants/{id}/channelsubscriptions/import", s.importChannelSubscriptions)
	r.Get("/tenants/{id}/channelsubscriptions", s.listChannelSubscriptions)
	r.Patch("/tenants/{id}/channelsubscriptions/{subscriptionId}", s.updateChannelSubscription)
	r.Delete("/tenants/{id}/channelsubscriptions/{subscriptionId}", s.deleteChannelSubscription)
	r.Delete("/keys/{id}", s.revokeKey)
	r.Get("/clock", s.getClock)
	r.Post("/clock/advance", s.advanceClock)
	r.Put("/exchangerates", s.putExchangeRates)
	r.Get("/exchangerates", s.getExchangeRates)
	r.Put("/taxrates", s.putTaxRates)
	r.Get("/taxrates", s.getTaxRates)
	r.Get("/catalog", s.getCatalog)
	r.Put("/catalog", s.putCatalog)
	r.Get("/qualificationrequests", s.listQualificationRequests)
	r.Post("/qualificationrequests/{id}/approve", s.decideQualification(true))
	r.Post("/qualificationrequests/{id}/reject", s.decideQualification(false))
	r.Post("/azuresubscriptions/{id}/disable", s.disableAzureSubscription)
	r.Post("/azuresubscriptions/{id}/enable", s.enableAzureSubscription)
}

var partnersDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: "/admin/v1/partners", Tag: "Partners", Summary: "Create a partner", Body: newPartnerBody{},
		Description: "country (the head office) and each of locations must lie in one of Microsoft's 15 CSP markets; each location selects " +
			"its market, and the partner sells to customers in those markets only (R-30). markets lists them by their published names.",
		Responses: openapi.Created(partnerJSON{})},
	{Method: http.MethodGet, Path: "/admin/v1/partners", Tag: "Partners", Summary: "List the partners", Paged: true,
		Responses: openapi.OK(collection[partnerJSON]{})},
	{Method: http.MethodGet, Path: "/admin/v1/partners/{partner-id}", Tag: "Partners", Summary: "Read a partner", Responses: openapi.OK(partnerJSON{})},
	{Method: http.MethodPut, Path: "/admin/v1/partners/{partner-id}/salePolicy", Tag: "Partners", Summary: "Replace a partner's sale policy",
		Description: "Empty lists mean no restriction on that axis.", Body: csp.SalePolicy{}, Responses: openapi.OK(partnerJSON{})},
	{Method: http.MethodPost, Path: "/admin/v1/partners/{partner-id}/users", Tag: "Partners", Summary: "Add a user with roles and answer its key",
		Description: "apiKey is shown once: null in a replay of the same MS-RequestId.", Body: newPartnerUserBody{},
		Responses: openapi.Created(partnerUserJSON{})},
}

type newPartnerBody struct {
	Name        string          `json:"name"`
	Country     string          `json:"country"`
	Locations   []string        `json:"locations,omitempty"`
	PartnerType string          `json:"partnerType" enum:"direct,indirectProvider,indirectReseller"`
	ProviderID  *uuid.UUID      `json:"providerId,omitempty"`
	MpnID       string          `json:"mpnId,omitempty"`
	SalePolicy  *csp.SalePolicy `json:"salePolicy,omitempty"`
	// BillingCurrency defaults to the head office's (DESIGN.md "Billing").
	BillingCurrency string `json:"billingCurrency,omitempty"`
}

type newPartnerUserBody struct {
	DisplayName string     `json:"displayName"`
	Email       string     `json:"email"`
	Roles       []string   `json:"roles"`
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`
}

// partnerUserJSON is a new partner user with its key; APIKey is nil in a
// replay.
type partnerUserJSON struct {
	ID          uuid.UUID         `json:"id"`
	PartnerID   uuid.UUID         `json:"partnerId"`
	DisplayName string            `json:"displayName"`
	Email       string            `json:"email"`
	Roles       []csp.Role        `json:"roles"`
	APIKey      *string           `json:"apiKey"`
	KeyID       uuid.UUID         `json:"keyId"`
	ExpiresAt   *time.Time        `json:"expiresAt"`
	Attributes  map[string]string `json:"attributes"`
}

func (s *Server) createPartner(w http.ResponseWriter, r *http.Request) {
	var b newPartnerBody
	if err := decode(r, &b); err != nil {

		writeError(w, r, err)
		return
	}
	p, err := s.app.CreatePartner(r.Context(), principal(r), app.NewPartner{Name: b.Name, Country: b.Country, Locations: b.Locations,
		PartnerType: b.PartnerType, ProviderID: b.ProviderID, MpnID: b.MpnID, SalePolicy: b.SalePolicy, BillingCurrency: b.BillingCurrency})
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
	var b newPartnerUserBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	u, k, err := s.app.CreatePartnerUser(r.Context(), principal(r), id, app.NewPartnerUser{DisplayName: b.DisplayName, Email: b.Email, Roles: b.Roles, ExpiresAt: b.ExpiresAt})
	if err != nil {
		writeError(w, r, err)
		return
	}
	res := partnerUserJSON{ID: u.ID, PartnerID: u.PartnerID, DisplayName: u.DisplayName, Email: u.Email,
		Roles: u.Roles, APIKey: &k.APIKey, KeyID: k.KeyID, ExpiresAt: b.ExpiresAt, Attributes: attrs("PartnerUser")}
	replay := res
	replay.APIKey = nil
	writeJSONOnce(w, http.StatusCreated, res, replay)
}
