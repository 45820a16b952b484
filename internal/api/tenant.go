package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/openapi"
)

func (s *Server) tenantRoutes(r chi.Router) {
	r.Get("/tenant", s.ownTenant)
	r.Get("/relationships", s.tenantRelationships)
	r.Post("/relationships", s.acceptInvitation)
	r.Delete("/relationships/{partnerId}", s.removePartner)
	r.Get("/subscriptions", s.tenantSubscriptions)
	r.Get("/multitenantorganization", s.getMTO)
	r.Put("/multitenantorganization", s.putMTO)
	r.Post("/multitenantorganization/tenants", s.addMTOTenant)
	r.Patch("/multitenantorganization/joinrequest", s.joinMTO)
	r.Get("/licensegaps", s.licenseGaps)
	r.Get("/delegatedadminrelationships", s.tenantListGDAP)
	r.Get("/delegatedadminrelationships/{relationshipId}", s.tenantGetGDAP)
	r.Post("/delegatedadminrelationships/{relationshipId}/approve", s.tenantGDAPAction(gdap.ActionApprove))
	r.Post("/delegatedadminrelationships/{relationshipId}/reject", s.tenantGDAPAction(gdap.ActionReject))
	r.Post("/delegatedadminrelationships/{relationshipId}/terminate", s.tenantGDAPAction(gdap.ActionTerminate))
	r.Get("/transfers", s.tenantListTransfers)
	r.Post("/transfers/{transferId}/reject", s.tenantRejectTransfer)
	r.Post("/channelplans", s.createChannelPlan)
	r.Get("/channelplans", s.listChannelPlans)
	r.Get("/channelplans/{planId}", s.getChannelPlan)
	r.Post("/channelplans/{planId}/apply", s.applyChannelPlan)
}

var tenantDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/tenant/v1/tenant", Tag: "Tenant", Summary: "The caller's own tenant",
		Description: "Its own company name and address, whatever its partners record.", Responses: openapi.OK(tenantJSON{})},
	{Method: http.MethodGet, Path: "/tenant/v1/relationships", Tag: "Relationships", Summary: "The tenant's partners", Responses: openapi.OK(collection[relationshipJSON]{})},
	{Method: http.MethodPost, Path: "/tenant/v1/relationships", Tag: "Relationships", Summary: "Accept a partner's reseller invitation",
		Description: "The link must be one of this server (another host answers 2303).", Body: invitationBody{},
		Responses: openapi.Created(collection[relationshipJSON]{})},
	{Method: http.MethodDelete, Path: "/tenant/v1/relationships/{partner-id}", Tag: "Relationships", Summary: "End a partner's relationship with the tenant",
		Responses: openapi.NoContent()},
	{Method: http.MethodGet, Path: "/tenant/v1/subscriptions", Tag: "Tenant subscriptions", Summary: "Every subscription of the tenant, from every partner and channel",
		Description: "Each with partnerId and channel csp when a partner sold it, or its channel (direct, ea, mcaE) and no partnerId when the operator recorded it.",
		Paged:       true, Responses: openapi.OK(collection[tenantSubscriptionJSON]{})},
	{Method: http.MethodGet, Path: "/tenant/v1/multiTenantOrganization", Tag: "Multitenant organization", Summary: "The tenant's multitenant organization",
		Responses: openapi.OK(mtoJSON{})},
	{Method: http.MethodPut, Path: "/tenant/v1/multiTenantOrganization", Tag: "Multitenant organization", Summary: "Create the organization, the tenant as owner",
		Body: displayNameBody{}, Responses: openapi.Created(mtoJSON{})},
	{Method: http.MethodPost, Path: "/tenant/v1/multiTenantOrganization/tenants", Tag: "Multitenant organization", Summary: "Add a member tenant (the owner's admin)",
		Body: addTenantBody{}, Responses: openapi.Created(mtoJSON{})},
	{Method: http.MethodPatch, Path: "/tenant/v1/multiTenantOrganization/joinRequest", Tag: "Multitenant organization",
		Summary: "Join the organization of the tenant that added this one", Body: joinBody{}, Responses: openapi.OK(mtoJSON{})},
}

type invitationBody struct {
	InvitationURL string `json:"invitationUrl"`
}

type displayNameBody struct {
	DisplayName string `json:"displayName"`
}

type addTenantBody struct {
	TenantID string `json:"tenantId" format:"uuid"`
}

type joinBody struct {
	AddedByTenantID string `json:"addedByTenantId" format:"uuid"`
}

// tenantJSON is a tenant as its own users see it.
type tenantJSON struct {
	TenantID      uuid.UUID         `json:"tenantId"`
	DisplayName   string            `json:"displayName"`
	DefaultDomain string            `json:"defaultDomain"`
	Country       string            `json:"country"`
	TenantRegion  csp.Region        `json:"tenantRegion"`
	Segment       csp.Segment       `json:"segment"`
	Address       csp.Address       `json:"address"`
	CreatedDate   time.Time         `json:"createdDate"`
	Attributes    map[string]string `json:"attributes"`
}

func tenantResource(t *csp.Tenant) tenantJSON {
	return tenantJSON{TenantID: t.ID, DisplayName: t.DisplayName, DefaultDomain: t.DefaultDomain(), Country: t.Country, TenantRegion: t.Region,
		Segment: t.Segment, Address: t.Address, CreatedDate: t.CreatedAt, Attributes: attrs("Tenant")}
}

func (s *Server) ownTenant(w http.ResponseWriter, r *http.Request) {
	t, err := s.app.OwnTenant(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tenantResource(t))
}

func (s *Server) tenantRelationships(w http.ResponseWriter, r *http.Request) {
	ps, err := s.app.TenantPartners(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newCollection(relationshipResources(ps), "/tenant/v1/relationships", ""))
}

func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	var b invitationBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	ps, err := s.app.AcceptInvitation(r.Context(), principal(r), b.InvitationURL)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newCollection(relationshipResources(ps), "/tenant/v1/relationships", ""))
}

func (s *Server) removePartner(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "partnerId", csp.ERelationshipNotFound, "partner relationship")
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.app.RemovePartner(r.Context(), principal(r), id); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type tenantSubscriptionJSON struct {
	ID        uuid.UUID   `json:"id"`
	OfferID   string      `json:"offerId"`
	OfferName string      `json:"offerName"`
	Quantity  int         `json:"quantity"`
	Status    csp.Status  `json:"status"`
	PartnerID *uuid.UUID  `json:"partnerId,omitempty"`
	Channel   csp.Channel `json:"channel"`
	// TermStartDate and TermEndDate are the current term's first and last
	// days (absent for the Azure plan, which has no term).
	TermStartDate    string            `json:"termStartDate,omitempty" format:"date"`
	TermEndDate      string            `json:"termEndDate,omitempty" format:"date"`
	AutoRenewEnabled bool              `json:"autoRenewEnabled"`
	CreationDate     time.Time         `json:"creationDate"`
	Attributes       map[string]string `json:"attributes"`
}

func (s *Server) tenantSubscriptions(w http.ResponseWriter, r *http.Request) {
	pg, err := page[app.Cursor](r, "tenantsubscriptions", app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.TenantSubscriptions(r.Context(), principal(r), pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]tenantSubscriptionJSON, len(got.Items))
	for i, sub := range got.Items {
		items[i] = tenantSubscriptionJSON{ID: sub.ID, OfferID: sub.OfferID(), OfferName: sub.OfferName, Quantity: sub.Quantity, Status: sub.Status,
			PartnerID: sub.PartnerID, Channel: sub.Channel, AutoRenewEnabled: sub.AutoRenew, CreationDate: sub.CreatedAt, Attributes: attrs("Subscription")}
		if !sub.TermStart.IsZero() {
			items[i].TermStartDate, items[i].TermEndDate = sub.TermStart.Format(time.DateOnly), sub.TermEnd.Format(time.DateOnly)
		}
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/tenant/v1/subscriptions", nextToken("tenantsubscriptions", got.Next)))
}

// mtoJSON follows Entra's multiTenantOrganization, with its tenants inline.
type mtoJSON struct {
	ID          uuid.UUID         `json:"id"`
	DisplayName string            `json:"displayName"`
	State       string            `json:"state"`
	CreatedDate time.Time         `json:"createdDateTime"`
	Tenants     []mtoTenantJSON   `json:"tenants"`
	Attributes  map[string]string `json:"attributes"`
}

type mtoTenantJSON struct {
	TenantID        uuid.UUID          `json:"tenantId"`
	DisplayName     string             `json:"displayName"`
	DefaultDomain   string             `json:"defaultDomain"`
	TenantRegion    csp.Region         `json:"tenantRegion"`
	Role            string             `json:"role"`
	State           string             `json:"state"`
	AddedByTenantID uuid.UUID          `json:"addedByTenantId"`
	AddedDateTime   time.Time          `json:"addedDateTime"`
	JoinedDateTime  *time.Time         `json:"joinedDateTime"`
	Partners        []relationshipJSON `json:"partners,omitempty"`
}

func mtoResource(v *app.MTOView) mtoJSON {
	out := mtoJSON{ID: v.Org.ID, DisplayName: v.Org.DisplayName, State: "active", CreatedDate: v.Org.CreatedAt, Tenants: []mtoTenantJSON{},
		Attributes: attrs("MultiTenantOrganization")}
	for _, m := range v.Org.Members {
		t := v.Tenants[m.TenantID]
		mt := mtoTenantJSON{TenantID: m.TenantID, DisplayName: t.DisplayName, DefaultDomain: t.DefaultDomain(), TenantRegion: t.Region, Role: m.Role,
			State: m.State, AddedByTenantID: m.AddedByTenantID, AddedDateTime: m.AddedAt, JoinedDateTime: m.JoinedAt}
		if ps, ok := v.Partners[m.TenantID]; ok {
			mt.Partners = relationshipResources(ps)
		}
		out.Tenants = append(out.Tenants, mt)
	}
	return out
}

func (s *Server) getMTO(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.GetMTO(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, mtoResource(v))
}

func (s *Server) putMTO(w http.ResponseWriter, r *http.Request) {
	var b displayNameBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	v, err := s.app.CreateMTO(r.Context(), principal(r), b.DisplayName)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, mtoResource(v))
}

func (s *Server) addMTOTenant(w http.ResponseWriter, r *http.Request) {
	var b addTenantBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	id, err := uuid.Parse(b.TenantID)
	if err != nil {
		writeError(w, r, csp.Errorf(csp.EInvalidField, "tenantId %q is not a GUID", b.TenantID))
		return
	}
	v, err := s.app.AddMTOTenant(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, mtoResource(v))
}

func (s *Server) joinMTO(w http.ResponseWriter, r *http.Request) {
	var b joinBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	id, err := uuid.Parse(b.AddedByTenantID)
	if err != nil {
		writeError(w, r, csp.Errorf(csp.EInvalidField, "addedByTenantId %q is not a GUID", b.AddedByTenantID))
		return
	}
	v, err := s.app.JoinMTO(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, mtoResource(v))
}
