package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/openapi"
)

// The customer's side of GDAP: the relationships partners asked of this
// tenant, and its Global Administrator's answer.

var tenantGDAPDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/tenant/v1/delegatedAdminRelationships", Tag: "Delegated admin", Summary: "Delegated admin relationships partners asked of the tenant",
		Description: "Every relationship a partner locked for approval (never a partner's draft), oldest first. Only the tenant's Global Administrator may read them.",
		Paged:       true, Responses: openapi.OK(collection[tenantGDAPJSON]{})},
	{Method: http.MethodGet, Path: "/tenant/v1/delegatedAdminRelationships/{relationship-id}", Tag: "Delegated admin", Summary: "One delegated admin relationship of the tenant",
		Responses: openapi.OK(tenantGDAPJSON{})},
	{Method: http.MethodPost, Path: "/tenant/v1/delegatedAdminRelationships/{relationship-id}/approve", Tag: "Delegated admin", Summary: "Approve a pending relationship",
		Description: "It is active from now for its duration: endDateTime is now plus its days.", Responses: openapi.OK(tenantGDAPJSON{})},
	{Method: http.MethodPost, Path: "/tenant/v1/delegatedAdminRelationships/{relationship-id}/reject", Tag: "Delegated admin", Summary: "Reject a pending relationship",
		Description: "It ends as terminated, never active.", Responses: openapi.OK(tenantGDAPJSON{})},
	{Method: http.MethodPost, Path: "/tenant/v1/delegatedAdminRelationships/{relationship-id}/terminate", Tag: "Delegated admin", Summary: "Terminate an active relationship",
		Description: "The partner's users lose its roles in the tenant at once.", Responses: openapi.OK(tenantGDAPJSON{})},
}

type tenantGDAPCustomerJSON struct {
	TenantID    uuid.UUID `json:"tenantId"`
	DisplayName string    `json:"displayName"`
}

type tenantGDAPRoleJSON struct {
	RoleDefinitionID uuid.UUID `json:"roleDefinitionId"`
}

type tenantGDAPAccessJSON struct {
	UnifiedRoles []tenantGDAPRoleJSON `json:"unifiedRoles"`
}

// tenantGDAPJSON is a relationship as the customer sees it: Graph's
// fields, the partner that asked, and Partner Center's attributes.
type tenantGDAPJSON struct {
	ID                   uuid.UUID              `json:"id"`
	DisplayName          string                 `json:"displayName"`
	PartnerID            uuid.UUID              `json:"partnerId"`
	Customer             tenantGDAPCustomerJSON `json:"customer"`
	Duration             string                 `json:"duration"`
	AccessDetails        tenantGDAPAccessJSON   `json:"accessDetails"`
	Status               gdap.Status            `json:"status"`
	AutoExtendDuration   string                 `json:"autoExtendDuration"`
	CreatedDateTime      time.Time              `json:"createdDateTime"`
	LastModifiedDateTime time.Time              `json:"lastModifiedDateTime"`
	ActivatedDateTime    *time.Time             `json:"activatedDateTime"`
	EndDateTime          *time.Time             `json:"endDateTime"`
	Attributes           map[string]string      `json:"attributes"`
}

func tenantGDAPResource(r *gdap.Relationship) tenantGDAPJSON {
	roles := make([]tenantGDAPRoleJSON, len(r.Roles))
	for i, id := range r.Roles {
		roles[i] = tenantGDAPRoleJSON{RoleDefinitionID: id}
	}
	return tenantGDAPJSON{ID: r.ID, DisplayName: r.DisplayName, PartnerID: r.PartnerID,
		Customer: tenantGDAPCustomerJSON{TenantID: r.CustomerTenantID, DisplayName: r.CustomerDisplayName}, Duration: r.DurationText(),
		AccessDetails: tenantGDAPAccessJSON{UnifiedRoles: roles}, Status: r.Status, AutoExtendDuration: r.AutoExtendDuration(),
		CreatedDateTime: r.CreatedAt, LastModifiedDateTime: r.LastModifiedAt, ActivatedDateTime: r.ActivatedAt, EndDateTime: r.EndAt,
		Attributes: attrsETag("DelegatedAdminRelationship", r.ETag())}
}

func (s *Server) tenantListGDAP(w http.ResponseWriter, r *http.Request) {
	pg, err := page[app.Cursor](r, "tenantgdap", app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.TenantGDAPRelationships(r.Context(), principal(r), pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]tenantGDAPJSON, len(got.Items))
	for i, rel := range got.Items {
		items[i] = tenantGDAPResource(rel)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/tenant/v1/delegatedAdminRelationships", nextToken("tenantgdap", got.Next)))
}

func tenantGDAPID(r *http.Request) (uuid.UUID, error) {
	return pathID(r, "relationshipId", csp.EGDAPNotFound, "delegated admin relationship")
}

func (s *Server) tenantGetGDAP(w http.ResponseWriter, r *http.Request) {
	id, err := tenantGDAPID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	rel, err := s.app.TenantGDAPRelationship(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tenantGDAPResource(rel))
}

// tenantGDAPAction answers the handler of one of the customer's answers.
func (s *Server) tenantGDAPAction(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := tenantGDAPID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		rel, err := s.app.TenantGDAPAction(r.Context(), principal(r), id, action)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, tenantGDAPResource(rel))
	}
}
