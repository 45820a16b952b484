package api

import (
	"net/http"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var qualificationsDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/qualifications", Tag: "Qualifications",
		Summary: "The qualification in force, then this partner's requests in review", Responses: openapi.OK([]qualificationJSON{})},
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/qualifications", Tag: "Qualifications", IfMatch: true,
		Summary:     "Ask for a segment qualification",
		Description: "vettingStatus is InReview until the operator approves it (at once in a sandbox); the sale policy is checked.",
		Body:        newQualificationBody{}, Responses: openapi.Created(qualificationJSON{})},
}

type newQualificationBody struct {
	Qualification string `json:"qualification" enum:"Education,GovernmentCommunityCloud,StateOwnedEntity,Nonprofit,None"`
}

// qualificationJSON is Partner Center's CustomerQualification.
type qualificationJSON struct {
	Qualification     string            `json:"qualification"`
	VettingStatus     string            `json:"vettingStatus"`
	VettingCreateDate *time.Time        `json:"vettingCreateDate,omitempty"`
	RequestID         string            `json:"requestId,omitempty"`
	Attributes        map[string]string `json:"attributes"`
}

func qualificationInForce(c *csp.Customer) qualificationJSON {
	return qualificationJSON{Qualification: csp.QualificationFor(c.Tenant.Segment), VettingStatus: csp.VettingApproved, Attributes: attrs("CustomerQualification")}
}

func qualificationRequest(q *csp.QualificationRequest) qualificationJSON {
	return qualificationJSON{Qualification: q.Qualification, VettingStatus: q.Status, VettingCreateDate: &q.CreatedAt, RequestID: q.ID.String(),
		Attributes: attrs("CustomerQualification")}
}

// qualifications answers the qualification in force, then the partner's
// requests still in review.
func (s *Server) qualifications(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	q, err := s.app.CustomerQualifications(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := []qualificationJSON{qualificationInForce(q.Customer)}
	for _, p := range q.Pending {
		out = append(out, qualificationRequest(p))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) setQualification(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b newQualificationBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if b.Qualification == "" {
		writeError(w, r, csp.Errorf(csp.EMissingField, "qualification is required: Education, GovernmentCommunityCloud, StateOwnedEntity, Nonprofit or None"))
		return
	}
	q, _, err := s.app.RequestQualification(r.Context(), principal(r), id, b.Qualification, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, qualificationRequest(q))
}
