package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

func (s *Server) auditRecords(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err := parseDate("startDate", q.Get("startDate"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	to := s.app.Now(r.Context()).Add(time.Microsecond)
	if q.Get("endDate") != "" {
		if to, err = parseDate("endDate", q.Get("endDate")); err != nil {
			writeError(w, r, err)
			return
		}
		if len(q.Get("endDate")) == len(time.DateOnly) {
			to = to.AddDate(0, 0, 1) // a date-only end includes that whole day
		}
	}
	pg, err := page[app.Cursor](r, "auditrecords", 500)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.ListAudit(r.Context(), principal(r), from, to, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]auditJSON, len(got.Items))
	for i, rec := range got.Items {
		items[i] = auditResource(rec)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/auditrecords?"+url.Values{"startDate": {q.Get("startDate")}, "endDate": {q.Get("endDate")}}.Encode(),
		nextToken("auditrecords", got.Next)))
}

var auditDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/auditrecords", Tag: "Audit records", Summary: "The partner's audit records in time order (adminAgent)", Paged: true,
		Query: []openapi.Param{{Name: "startDate", Required: true, Description: "yyyy-mm-dd or RFC 3339."},
			{Name: "endDate", Description: "yyyy-mm-dd (that day included) or RFC 3339; default now."}},
		Responses: openapi.OK(collection[auditJSON]{})},
}

// auditJSON is Partner Center's AuditRecord.
type auditJSON struct {
	ID                    string            `json:"id"`
	PartnerID             string            `json:"partnerId"`
	CustomerID            string            `json:"customerId,omitempty"`
	CustomerName          string            `json:"customerName,omitempty"`
	UserPrincipalName     string            `json:"userPrincipalName"`
	ApplicationID         string            `json:"applicationId"`
	ResourceType          string            `json:"resourceType"`
	OperationType         string            `json:"operationType"`
	OperationStatus       string            `json:"operationStatus"`
	ResourceOldValue      string            `json:"resourceOldValue"`
	ResourceNewValue      string            `json:"resourceNewValue"`
	OperationDate         time.Time         `json:"operationDate"`
	OriginalCorrelationID string            `json:"originalCorrelationId"`
	CustomizedData        []header          `json:"customizedData"`
	Attributes            map[string]string `json:"attributes"`
}

func auditResource(r *csp.AuditRecord) auditJSON {
	a := auditJSON{ID: r.ID.String(), CustomerName: r.CustomerName, UserPrincipalName: r.UserPrincipalName, ApplicationID: r.ApplicationID,
		ResourceType: r.ResourceType, OperationType: r.OperationType, OperationStatus: r.OperationStatus, ResourceOldValue: r.ResourceOldValue,
		ResourceNewValue: r.ResourceNewValue, OperationDate: r.OperationDate, OriginalCorrelationID: r.CorrelationID, CustomizedData: []header{},
		Attributes: attrs("AuditRecord")}
	if r.PartnerID != nil {
		a.PartnerID = r.PartnerID.String()
	}
	if r.TenantID != nil {
		a.CustomerID = r.TenantID.String()
	}
	return a
}
