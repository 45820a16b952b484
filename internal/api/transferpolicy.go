package api

import (
	"net/http"

	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/openapi"
)

// The partner's outgoing transfer policy (DESIGN "Partner API").

var transferPolicyDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/transferPolicy", Tag: "Transfers", Summary: "The partner's outgoing transfer policy", Responses: openapi.OK(transferPolicyJSON{})},
	{Method: http.MethodPut, Path: "/v1/transferPolicy", Tag: "Transfers", Summary: "Set the partner's outgoing transfer policy",
		Description: "automatic (the default): a submitted transfer completes at once; review: it waits for POST .../approve.",
		Body:        transferPolicyJSON{}, Responses: openapi.OK(transferPolicyJSON{})},
}

type transferPolicyJSON struct {
	Outgoing   transfer.Policy   `json:"outgoing" enum:"automatic,review"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

func (s *Server) getTransferPolicy(w http.ResponseWriter, r *http.Request) {
	p, err := s.app.TransferPolicy(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, transferPolicyJSON{Outgoing: p, Attributes: attrs("TransferPolicy")})
}

func (s *Server) putTransferPolicy(w http.ResponseWriter, r *http.Request) {
	var b transferPolicyJSON
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.app.SetTransferPolicy(r.Context(), principal(r), string(b.Outgoing))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, transferPolicyJSON{Outgoing: p, Attributes: attrs("TransferPolicy")})
}
