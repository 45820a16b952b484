package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
)

// GDAP's Graph API (docs/graph.md "Delegated admin relationships"):
// /graph/v1.0/tenantRelationships/delegatedAdminRelationships with a token
// a partner user got for its partner's own tenant, or the same routes at
// /v1.0/tenantRelationships/... with the partner user's key. Both answer in
// Graph's shapes and errors.

// gdapKeyPrefix is where GDAP's Graph API answers partner user keys.
const gdapKeyPrefix = "/v1.0"

// gdapContext is the @odata.context root Graph gives GDAP's answers.
const gdapContext = graphBase + "/tenantRelationships/$metadata#"

// gdapRelationshipsPath is the relationships' path under graphBase.
const gdapRelationshipsPath = "/tenantRelationships/delegatedAdminRelationships"

// graphGDAPRoutes serves a partner's delegated admin relationships, their
// requests, operations and access assignments (lower-cased paths).
func (s *Server) graphGDAPRoutes(r chi.Router) {
	r.Route("/tenantrelationships/delegatedadminrelationships", func(r chi.Router) {
		r.Use(partnerOwnTenant)
		r.Get("/", graphHandler(s.graphListGDAP))
		r.Post("/", graphHandler(s.graphCreateGDAP))
		r.Get("/{rel}", graphHandler(s.graphGetGDAP))
		r.Patch("/{rel}", graphHandler(s.graphPatchGDAP))
		r.Delete("/{rel}", graphHandler(s.graphDeleteGDAP))
		r.Get("/{rel}/requests", graphHandler(s.graphListGDAPRequests))
		r.Post("/{rel}/requests", graphHandler(s.graphGDAPRequest))
		r.Get("/{rel}/operations", graphHandler(s.graphListGDAPOperations))
		s.graphAccessAssignmentRoutes(r)
	})
}

// partnerOwnTenant admits partner users acting in their partner's own
// tenant: a token for it, or a key (which acts in no tenant).
func partnerOwnTenant(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		switch {
		case p.Kind != csp.PrincipalPartner:
			writeGraphError(w, r, csp.Errorf(csp.EGDAPPartnerTenant, "delegated admin relationships are a partner's: call with a token a partner user got for its partner's own tenant, or with a partner user's key at /v1.0/tenantRelationships (a customer answers them at /tenant/v1/delegatedAdminRelationships)"))
			return
		case p.ActingIn != uuid.Nil && p.ActingIn != p.PartnerID:
			writeGraphError(w, r, csp.Errorf(csp.EGDAPPartnerTenant, "this token acts in tenant %s: delegated admin relationships are managed from the partner's own tenant; get a token for tenant %s (POST /%s/oauth2/v2.0/token)",
				p.ActingIn, p.PartnerID, p.PartnerID))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// gdapRole is one of accessDetails.unifiedRoles.
type gdapRole struct {
	RoleDefinitionID string `json:"roleDefinitionId"`
}

// graphAccessDetails is Graph's delegatedAdminAccessDetails.
type graphAccessDetails struct {
	UnifiedRoles []gdapRole `json:"unifiedRoles"`
}

func accessDetailsOf(roles []uuid.UUID) graphAccessDetails {
	out := graphAccessDetails{UnifiedRoles: make([]gdapRole, len(roles))}
	for i, id := range roles {
		out.UnifiedRoles[i] = gdapRole{RoleDefinitionID: id.String()}
	}
	return out
}

// roleIDs reads accessDetails' role ids; one that is not a GUID is no
// modelled role.
func (d *graphAccessDetails) roleIDs() ([]uuid.UUID, error) {
	out := make([]uuid.UUID, 0, len(d.UnifiedRoles))
	for _, r := range d.UnifiedRoles {
		id, err := uuid.Parse(r.RoleDefinitionID)
		if err != nil {
			return nil, csp.Errorf(csp.EGDAPInvalidRole, "roleDefinitionId %q is not an Entra role template id (a GUID, for example User Administrator fe930be7-5e62-47db-91af-98c3a49a38b1)", r.RoleDefinitionID).
				WithData("roleDefinitionId=" + r.RoleDefinitionID)
		}
		out = append(out, id)
	}
	return out, nil
}

type graphGDAPCustomer struct {
	TenantID    string `json:"tenantId"`
	DisplayName string `json:"displayName"`
}

// graphGDAP is Graph's delegatedAdminRelationship.
type graphGDAP struct {
	Context              string             `json:"@odata.context,omitempty"`
	ETag                 string             `json:"@odata.etag"`
	ID                   uuid.UUID          `json:"id"`
	DisplayName          string             `json:"displayName"`
	Duration             string             `json:"duration"`
	Customer             graphGDAPCustomer  `json:"customer"`
	AccessDetails        graphAccessDetails `json:"accessDetails"`
	Status               gdap.Status        `json:"status"`
	AutoExtendDuration   string             `json:"autoExtendDuration"`
	CreatedDateTime      time.Time          `json:"createdDateTime"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime"`
	ActivatedDateTime    *time.Time         `json:"activatedDateTime"`
	EndDateTime          *time.Time         `json:"endDateTime"`
}

// graphETag is Graph's weak form of an etag: W/"…".
func graphETag(etag string) string { return `W/"` + etag + `"` }

func graphGDAPOf(rel *gdap.Relationship) graphGDAP {
	return graphGDAP{ETag: graphETag(rel.ETag()), ID: rel.ID, DisplayName: rel.DisplayName, Duration: rel.DurationText(),
		Customer:      graphGDAPCustomer{TenantID: rel.CustomerTenantID.String(), DisplayName: rel.CustomerDisplayName},
		AccessDetails: accessDetailsOf(rel.Roles), Status: rel.Status, AutoExtendDuration: rel.AutoExtendDuration(),
		CreatedDateTime: rel.CreatedAt, LastModifiedDateTime: rel.LastModifiedAt, ActivatedDateTime: rel.ActivatedAt, EndDateTime: rel.EndAt}
}

// graphGDAPEntity is one relationship as a single answer.
func graphGDAPEntity(rel *gdap.Relationship) graphGDAP {
	g := graphGDAPOf(rel)
	g.Context = gdapContext + "delegatedAdminRelationships/$entity"
	return g
}

// gdapBody is Graph's POST and PATCH body of a relationship.
type gdapBody struct {
	DisplayName *string `json:"displayName"`
	Duration    *string `json:"duration"`
	Customer    *struct {
		TenantID    string `json:"tenantId"`
		DisplayName string `json:"displayName"`
	} `json:"customer"`
	AccessDetails      *graphAccessDetails `json:"accessDetails"`
	AutoExtendDuration *string             `json:"autoExtendDuration"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *Server) graphCreateGDAP(w http.ResponseWriter, r *http.Request) error {
	var b gdapBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	in := gdap.NewRelationship{DisplayName: deref(b.DisplayName), Duration: deref(b.Duration), AutoExtendDuration: deref(b.AutoExtendDuration)}
	if b.Customer != nil {
		in.CustomerDisplayName = b.Customer.DisplayName
		if b.Customer.TenantID != "" {
			id, err := uuid.Parse(b.Customer.TenantID)
			if err != nil {
				return csp.Errorf(csp.EInvalidField, "customer.tenantId %q is not a GUID: send the customer's tenant id", b.Customer.TenantID).WithData("field=customer.tenantId")
			}
			in.CustomerTenantID = id
		}
	}
	if b.AccessDetails != nil {
		roles, err := b.AccessDetails.roleIDs()
		if err != nil {
			return err
		}
		in.Roles = roles
	}
	rel, err := s.app.CreateGDAPRelationship(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", graphBase+gdapRelationshipsPath+"/"+rel.ID.String())
	writeJSON(w, http.StatusCreated, graphGDAPEntity(rel))
	return nil
}

func (s *Server) graphListGDAP(w http.ResponseWriter, r *http.Request) error {
	pg, err := graphPage[app.Cursor](r, "gdaprelationships", 100)
	if err != nil {
		return err
	}
	out, err := s.app.ListGDAPRelationships(r.Context(), principal(r), nil, pg)
	if err != nil {
		return err
	}
	items := make([]graphGDAP, len(out.Items))
	for i, rel := range out.Items {
		items[i] = graphGDAPOf(rel)
	}
	writeJSON(w, http.StatusOK, gdapCollection("delegatedAdminRelationships", items, graphNextLink(r, "gdaprelationships", pg.Size, out.Next)))
	return nil
}

// gdapCollection is a GDAP collection, with Graph's GDAP context.
func gdapCollection[T any](entity string, items []T, next string) graphCollection[T] {
	c := newGraphCollection(entity, items, next)
	c.Context = gdapContext + entity
	return c
}

func (s *Server) graphGetGDAP(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "rel", "delegated admin relationship")
	if err != nil {
		return err
	}
	rel, err := s.app.GetGDAPRelationship(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, graphGDAPEntity(rel))
	return nil
}

// requireIfMatch reads If-Match, which Graph requires on changes of
// relationships and access assignments.
func requireIfMatch(r *http.Request, what string) (string, error) {
	m := ifMatch(r)
	if m == "" {
		return "", csp.Errorf(csp.EGDAPIfMatchRequired, "If-Match is required to change or delete a %s: send the @odata.etag of your last read (GET it first)", what).WithData("header=If-Match")
	}
	return m, nil
}

func (s *Server) graphPatchGDAP(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "rel", "delegated admin relationship")
	if err != nil {
		return err
	}
	m, err := requireIfMatch(r, "delegated admin relationship")
	if err != nil {
		return err
	}
	var b gdapBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	patch := gdap.Patch{DisplayName: b.DisplayName, Duration: b.Duration, AutoExtendDuration: b.AutoExtendDuration}
	if b.AccessDetails != nil {
		roles, err := b.AccessDetails.roleIDs()
		if err != nil {
			return err
		}
		patch.Roles = append([]uuid.UUID{}, roles...)
	}
	rel, err := s.app.PatchGDAPRelationship(r.Context(), principal(r), id, patch, m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, graphGDAPEntity(rel))
	return nil
}

func (s *Server) graphDeleteGDAP(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "rel", "delegated admin relationship")
	if err != nil {
		return err
	}
	m, err := requireIfMatch(r, "delegated admin relationship")
	if err != nil {
		return err
	}
	if err := s.app.DeleteGDAPRelationship(r.Context(), principal(r), id, m); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// graphGDAPRequest is Graph's delegatedAdminRelationshipRequest.
type graphGDAPRequest struct {
	Context              string    `json:"@odata.context,omitempty"`
	ID                   uuid.UUID `json:"id"`
	Action               string    `json:"action"`
	Status               string    `json:"status"`
	CreatedDateTime      time.Time `json:"createdDateTime"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime"`
}

// gdapRequestID names a relationship's request of an action: each action
// is taken once in a relationship's life, so the id is derived from both
// and the POST's answer and the list agree (decision 96).
func gdapRequestID(relID uuid.UUID, action string) uuid.UUID {
	return uuid.NewSHA1(relID, []byte(action))
}

// gdapRequestsOf answers the requests a relationship's state shows:
// lockForApproval when it was locked, terminate when it ended after being
// active (by either side's request).
func gdapRequestsOf(rel *gdap.Relationship) []graphGDAPRequest {
	var out []graphGDAPRequest
	add := func(action string, at time.Time) {
		out = append(out, graphGDAPRequest{ID: gdapRequestID(rel.ID, action), Action: action, Status: "succeeded", CreatedDateTime: at, LastModifiedDateTime: at})
	}
	if rel.LockedAt != nil {
		add(gdap.ActionLockForApproval, *rel.LockedAt)
	}
	if rel.Status == gdap.StatusTerminated && rel.ActivatedAt != nil && rel.EndAt != nil {
		add(gdap.ActionTerminate, *rel.EndAt)
	}
	return out
}

func (s *Server) graphGDAPRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "rel", "delegated admin relationship")
	if err != nil {
		return err
	}
	var b struct {
		Action string `json:"action"`
	}
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	req, err := s.app.RequestGDAPAction(r.Context(), principal(r), id, b.Action)
	if err != nil {
		return err
	}
	reqID := gdapRequestID(id, req.Action)
	w.Header().Set("Location", graphBase+gdapRelationshipsPath+"/"+id.String()+"/requests/"+reqID.String())
	writeJSON(w, http.StatusCreated, graphGDAPRequest{Context: gdapContext + "requests/$entity", ID: reqID, Action: req.Action, Status: req.Status,
		CreatedDateTime: req.CreatedAt, LastModifiedDateTime: req.CreatedAt})
	return nil
}

func (s *Server) graphListGDAPRequests(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "rel", "delegated admin relationship")
	if err != nil {
		return err
	}
	rel, err := s.app.GetGDAPRelationship(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, gdapCollection("requests", gdapRequestsOf(rel), ""))
	return nil
}

// graphListGDAPOperations lists a relationship's long-running operations:
// none, since every change is carried out at once (decision 97).
func (s *Server) graphListGDAPOperations(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "rel", "delegated admin relationship")
	if err != nil {
		return err
	}
	if _, err := s.app.GetGDAPRelationship(r.Context(), principal(r), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, gdapCollection("operations", []struct{}{}, ""))
	return nil
}
