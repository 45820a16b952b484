package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var cotermDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/subscriptions/customTermEndDates", Tag: "Subscriptions",
		Summary: "The customTermEndDate values a new term may take (coterming)",
		Description: "For a purchase today, or a renewal starting on term_start_date: the latest calendar month end on or before the term's natural end, " +
			"and the latest end within the term of each active paid subscription it may align to (a P1Y or P3Y never aligns to a P1M). " +
			"Parameter names are also accepted as TermDuration, TermStartDate and TargetCotermSubscriptionId, case-insensitively.",
		Query: []openapi.Param{
			{Name: "term_duration", Required: true, Enum: []string{"P1M", "P1Y", "P3Y"}, Description: "The new term's duration."},
			{Name: "term_start_date", Description: "The term's first day (2026-05-01); default today. A renewal starts the day after the current term's end."},
			{Name: "target_coterm_subscription_id", Description: "Only the dates aligned to this subscription (and the calendar month end)."},
		},
		Responses: openapi.OK(collection[customTermEndDateJSON]{})},
}

// customTermEndDateJSON is Partner Center's CustomTermEndDate item.
type customTermEndDateJSON struct {
	AllowedCustomTermEndDateType string      `json:"allowedCustomTermEndDateType" enum:"calendarMonthAligned,subscriptionAligned"`
	AllowedCustomTermEndDate     time.Time   `json:"allowedCustomTermEndDate"`
	CotermSubscriptionIDs        []uuid.UUID `json:"cotermSubscriptionIds,omitempty"`
}

func (s *Server) customTermEndDates(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	q, err := cotermQuery(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	dates, err := s.app.CustomTermEndDates(r.Context(), principal(r), id, q)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]customTermEndDateJSON, len(dates))
	for i, d := range dates {
		items[i] = customTermEndDateJSON{AllowedCustomTermEndDateType: d.Type, AllowedCustomTermEndDate: d.Date, CotermSubscriptionIDs: d.SubscriptionIDs}
	}
	writeJSON(w, http.StatusOK, newCollection(items, r.URL.Path[len("/v1"):]+"?"+r.URL.RawQuery, ""))
}

// cotermQuery reads the query in either of Microsoft's spellings
// (term_duration in its example, TermDuration in its table), in any case.
func cotermQuery(r *http.Request) (app.CotermQuery, error) {
	get := func(names ...string) string {
		for k, v := range r.URL.Query() {
			for _, n := range names {
				if strings.EqualFold(k, n) && len(v) > 0 {
					return v[0]
				}
			}
		}
		return ""
	}
	q := app.CotermQuery{TermDuration: get("term_duration", "termDuration")}
	if q.TermDuration == "" {
		return q, csp.Errorf(csp.EMissingField, "term_duration is required: P1M, P1Y or P3Y")
	}
	if v := get("term_start_date", "termStartDate"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, v); err != nil {
				return q, csp.Errorf(csp.EInvalidQuery, "term_start_date %q is not a date (2026-05-01) or a date-time (2026-05-01T00:00:00Z)", v)
			}
		}
		q.Start = &t
	}
	if v := get("target_coterm_subscription_id", "targetCotermSubscriptionId"); v != "" {
		sid, err := uuid.Parse(v)
		if err != nil {
			return q, csp.Errorf(csp.EInvalidQuery, "target_coterm_subscription_id %q is not a GUID", v)
		}
		q.Target = &sid
	}
	return q, nil
}
