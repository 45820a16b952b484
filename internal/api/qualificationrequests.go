package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var qualificationRequestsDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/admin/v1/qualificationrequests", Tag: "Qualification requests", Summary: "Segment qualifications by vetting status", Paged: true,
		Query:     []openapi.Param{{Name: "vettingStatus", Description: "InReview, Approved or Denied; default every status."}},
		Responses: openapi.OK(collection[qualificationRequestJSON]{})},
	{Method: http.MethodPost, Path: "/admin/v1/qualificationrequests/{request-id}/approve", Tag: "Qualification requests", Summary: "Approve a qualification",
		Description: "The segment applies to every partner's future sales.", Responses: openapi.OK(qualificationRequestJSON{})},
	{Method: http.MethodPost, Path: "/admin/v1/qualificationrequests/{request-id}/reject", Tag: "Qualification requests", Summary: "Reject a qualification",
		Responses: openapi.OK(qualificationRequestJSON{})},
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
