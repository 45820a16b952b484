package api

import (
	"net/http"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

// The operator, playing Microsoft, disables an Azure subscription for
// non-payment and re-enables it (decision 124). The answer is the Azure
// subscription in Partner Center's entitlement shape.

var azureNonPaymentDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: "/admin/v1/azureSubscriptions/{entitlement-id}/disable", Tag: "Azure subscriptions", Summary: "Disable an Azure subscription for non-payment",
		Description: "As Microsoft does when the billing account's invoices are overdue: its resources stop metering at once and it turns read-only. " +
			"reason is nonPayment (4442); 409 (4403) when it is already disabled. The partner's reactivate is refused (4440) until the operator enables it.",
		Body: disableAzureBody{}, Responses: openapi.OK(azureEntitlementJSON{})},
	{Method: http.MethodPost, Path: "/admin/v1/azureSubscriptions/{entitlement-id}/enable", Tag: "Azure subscriptions", Summary: "Re-enable an Azure subscription disabled for non-payment",
		Description: "The resources that run meter again from this instant; 409 (4403) when it is active, 409 (4441) when its partner disabled it (the partner reactivates it).",
		Responses:   openapi.OK(azureEntitlementJSON{})},
}

// disableAzureBody is the operator's disable body.
type disableAzureBody struct {
	Reason string `json:"reason" enum:"nonPayment"`
}

func (s *Server) disableAzureSubscription(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.EAzureSubscriptionNotFound, "Azure subscription")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b disableAzureBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	sub, err := s.app.DisableAzureSubscription(r.Context(), principal(r), id, b.Reason)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, azureEntitlementOf(sub.TenantID, sub))
}

func (s *Server) enableAzureSubscription(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.EAzureSubscriptionNotFound, "Azure subscription")
	if err != nil {
		writeError(w, r, err)
		return
	}
	sub, err := s.app.EnableAzureSubscription(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, azureEntitlementOf(sub.TenantID, sub))
}
