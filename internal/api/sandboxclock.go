package api

import (
	"net/http"
	"time"

	"github.com/opencsp/opencsp/internal/openapi"
)

var clockDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/admin/v1/clock", Tag: "Sandbox clock", Summary: "The program's clock", Responses: openapi.OK(clockJSON{})},
	{Method: http.MethodPost, Path: "/admin/v1/clock/advance", Tag: "Sandbox clock", Summary: "Advance the sandbox clock, running the work that falls due",
		Description: "Give duration (P1M, 30d) or to, not both; at most 10 years. A second advance to the same target waits for the first and answers its result; " +
			"one to another target answers 409 (2504).",
		Body: advanceBody{}, Responses: openapi.OK(advancedJSON{})},
}

type clockJSON struct {
	Now     time.Time `json:"now"`
	Sandbox bool      `json:"sandbox"`
	// AdvancingTo is the target of an advance in progress.
	AdvancingTo *time.Time `json:"advancingTo,omitempty"`
}

type advanceBody struct {
	Duration string    `json:"duration,omitempty"`
	To       time.Time `json:"to,omitempty"`
}

type advancedJSON struct {
	Now             time.Time `json:"now"`
	ProcessedEvents int       `json:"processedEvents"`
}

func (s *Server) getClock(w http.ResponseWriter, r *http.Request) {
	c, err := s.app.Clock(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, clockJSON{Now: c.Now, Sandbox: s.app.IsSandbox(), AdvancingTo: c.AdvancingTo})
}

func (s *Server) advanceClock(w http.ResponseWriter, r *http.Request) {
	var b advanceBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.app.AdvanceClock(r.Context(), principal(r), b.Duration, b.To)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, advancedJSON{Now: res.Now, ProcessedEvents: res.ProcessedEvents})
}
