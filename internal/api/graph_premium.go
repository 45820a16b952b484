package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

// graphPremiumRoutes serves conditional access and PIM.
func (s *Server) graphPremiumRoutes(r chi.Router) {
	r.Get("/identity/conditionalaccess/policies", graphHandler(s.graphListPolicies))
	r.Post("/identity/conditionalaccess/policies", graphHandler(s.graphCreatePolicy))
	r.Get("/identity/conditionalaccess/policies/{policy}", graphHandler(s.graphGetPolicy))
	r.Patch("/identity/conditionalaccess/policies/{policy}", graphHandler(s.graphUpdatePolicy))
	r.Delete("/identity/conditionalaccess/policies/{policy}", graphHandler(s.graphDeletePolicy))
	r.Get("/rolemanagement/directory/roleeligibilityschedulerequests", graphHandler(s.graphListEligibility))
	r.Post("/rolemanagement/directory/roleeligibilityschedulerequests", graphHandler(s.graphRequestEligibility))
}

// graphPolicy is Graph's conditionalAccessPolicy.
type graphPolicy struct {
	ODataType string `json:"@odata.type,omitempty"`
	directory.Policy
}

func graphPolicyOf(p *directory.Policy) graphPolicy {
	out := graphPolicy{Policy: *p}
	c := &out.Conditions
	for _, l := range []*[]string{&c.Users.IncludeUsers, &c.Users.ExcludeUsers, &c.Users.IncludeGroups, &c.Users.ExcludeGroups,
		&c.Applications.IncludeApplications, &c.Applications.ExcludeApplications, &c.ClientAppTypes, &c.SignInRiskLevels, &c.UserRiskLevels, &out.GrantControls.BuiltInControls} {
		if *l == nil {
			*l = []string{}
		}
	}
	return out
}

func (s *Server) graphListPolicies(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.app.ListPolicies(r.Context(), principal(r), actingTenant(r))
	if err != nil {
		return err
	}
	out := make([]graphPolicy, len(ps))
	for i, p := range ps {
		out[i] = graphPolicyOf(p)
	}
	writeJSON(w, http.StatusOK, newGraphCollection("identity/conditionalAccess/policies", out, ""))
	return nil
}

// policyBody is Graph's conditionalAccessPolicy as a client sends it.
type policyBody struct {
	DisplayName   *string                  `json:"displayName"`
	State         *string                  `json:"state"`
	Conditions    *directory.Conditions    `json:"conditions"`
	GrantControls *directory.GrantControls `json:"grantControls"`
}

func (s *Server) graphCreatePolicy(w http.ResponseWriter, r *http.Request) error {
	var b policyBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	var p directory.Policy
	if b.DisplayName != nil {
		p.DisplayName = *b.DisplayName
	}
	if b.State != nil {
		p.State = *b.State
	}
	if b.Conditions == nil || b.GrantControls == nil {
		return csp.Errorf(csp.EMissingField, "conditions and grantControls are required")
	}
	p.Conditions, p.GrantControls = *b.Conditions, *b.GrantControls
	out, err := s.app.CreatePolicy(r.Context(), principal(r), actingTenant(r), p)
	if err != nil {
		return err
	}
	g := graphPolicyOf(out)
	g.ODataType = "#microsoft.graph.conditionalAccessPolicy"
	writeJSON(w, http.StatusCreated, g)
	return nil
}

func (s *Server) graphGetPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "policy", "policy")
	if err != nil {
		return err
	}
	p, err := s.app.GetPolicy(r.Context(), principal(r), actingTenant(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, graphPolicyOf(p))
	return nil
}

func (s *Server) graphUpdatePolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "policy", "policy")
	if err != nil {
		return err
	}
	var b policyBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	_, err = s.app.UpdatePolicy(r.Context(), principal(r), actingTenant(r), id, app.PolicyChange{DisplayName: b.DisplayName, State: b.State, Conditions: b.Conditions, GrantControls: b.GrantControls})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) graphDeletePolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "policy", "policy")
	if err != nil {
		return err
	}
	if err := s.app.DeletePolicy(r.Context(), principal(r), actingTenant(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// roleEligibilityJSON is Graph's unifiedRoleEligibilityScheduleRequest.
type roleEligibilityJSON struct {
	ID               uuid.UUID        `json:"id"`
	Action           string           `json:"action"`
	Status           string           `json:"status"`
	PrincipalID      uuid.UUID        `json:"principalId"`
	RoleDefinitionID uuid.UUID        `json:"roleDefinitionId"`
	DirectoryScopeID string           `json:"directoryScopeId"`
	Justification    string           `json:"justification"`
	CreatedDateTime  time.Time        `json:"createdDateTime"`
	ScheduleInfo     scheduleInfoJSON `json:"scheduleInfo"`
}

type scheduleInfoJSON struct {
	StartDateTime *time.Time `json:"startDateTime"`
	Expiration    struct {
		Type        string     `json:"type"`
		EndDateTime *time.Time `json:"endDateTime"`
	} `json:"expiration"`
}

func roleEligibilityOf(e directory.Eligibility) roleEligibilityJSON {
	out := roleEligibilityJSON{ID: e.ID, Action: e.Action, Status: "Provisioned", PrincipalID: e.PrincipalID, RoleDefinitionID: e.RoleID, DirectoryScopeID: "/",
		Justification: e.Justification, CreatedDateTime: e.CreatedAt}
	if e.Action == "adminRemove" {
		out.Status = "Revoked"
	}
	start := e.StartAt
	out.ScheduleInfo.StartDateTime = &start
	out.ScheduleInfo.Expiration.Type, out.ScheduleInfo.Expiration.EndDateTime = "noExpiration", e.EndAt
	if e.EndAt != nil {
		out.ScheduleInfo.Expiration.Type = "afterDateTime"
	}
	return out
}

func (s *Server) graphListEligibility(w http.ResponseWriter, r *http.Request) error {
	es, err := s.app.ListEligibilities(r.Context(), principal(r), actingTenant(r))
	if err != nil {
		return err
	}
	out := make([]roleEligibilityJSON, len(es))
	for i, e := range es {
		out[i] = roleEligibilityOf(e)
	}
	writeJSON(w, http.StatusOK, newGraphCollection("roleManagement/directory/roleEligibilityScheduleRequests", out, ""))
	return nil
}

func (s *Server) graphRequestEligibility(w http.ResponseWriter, r *http.Request) error {
	var b struct {
		Action           string           `json:"action"`
		Justification    string           `json:"justification"`
		PrincipalID      uuid.UUID        `json:"principalId"`
		RoleDefinitionID uuid.UUID        `json:"roleDefinitionId"`
		DirectoryScopeID string           `json:"directoryScopeId"`
		ScheduleInfo     scheduleInfoJSON `json:"scheduleInfo"`
	}
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	if b.DirectoryScopeID != "/" {
		return csp.Errorf(csp.EInvalidEligibility, "directoryScopeId %q is not supported: use \"/\" (the whole directory)", b.DirectoryScopeID)
	}
	e := directory.Eligibility{Action: b.Action, Justification: b.Justification, PrincipalID: b.PrincipalID, RoleID: b.RoleDefinitionID, EndAt: b.ScheduleInfo.Expiration.EndDateTime}
	if b.ScheduleInfo.StartDateTime != nil {
		e.StartAt = *b.ScheduleInfo.StartDateTime
	}
	out, err := s.app.RequestEligibility(r.Context(), principal(r), actingTenant(r), e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, roleEligibilityOf(out))
	return nil
}
