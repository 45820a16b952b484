package api

import (
	"net/http"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

// The customer's side of transfers: every transfer of its tenant's
// subscriptions between partners, and its rejection of one.

var tenantTransfersDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/tenant/v1/transfers", Tag: "Transfers", Summary: "Transfers of the tenant's subscriptions between partners",
		Description: "Every transfer of the tenant, whatever its status, oldest first; any user of the tenant reads them.",
		Paged:       true, Responses: openapi.OK(collection[transferJSON]{})},
	{Method: http.MethodPost, Path: "/tenant/v1/transfers/{transfer-id}/reject", Tag: "Transfers", Summary: "Reject a transfer that has not completed",
		Description: "The tenant's Global Administrator; status Rejected, nothing moves.", Responses: openapi.OK(transferJSON{})},
}

func (s *Server) tenantListTransfers(w http.ResponseWriter, r *http.Request) {
	pg, err := page[app.Cursor](r, "tenanttransfers", app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.TenantTransfers(r.Context(), principal(r), pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]transferJSON, len(got.Items))
	for i, t := range got.Items {
		items[i] = transferResource(t)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/tenant/v1/transfers", nextToken("tenanttransfers", got.Next)))
}

func (s *Server) tenantRejectTransfer(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "transferId", csp.ETransferNotFound, "transfer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	t, err := s.app.RejectTransfer(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, transferResource(t))
}
