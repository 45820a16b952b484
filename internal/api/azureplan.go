package api

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/openapi"
)

// Partner Center's Azure plan calls: the Azure subscriptions (entitlements)
// under a customer's Azure plan, their cancel and reactivate actions
// (disable and re-enable here: decision 108), their utilization records
// (utilizations.go) and the customer's usage budget (usagebudget.go).

func (s *Server) azurePlanRoutes(r chi.Router) {
	const base = "/customers/{id}/subscriptions/{subscriptionId}/azureentitlements"
	r.Post(base, s.createAzureEntitlement)
	r.Get(base, s.listAzureEntitlements)
	r.Get(base+"/{entitlementId}", s.getAzureEntitlement)
	r.Post(base+"/{entitlementId}/cancel", s.setAzureEntitlementStatus(azure.StatusDisabled))
	r.Post(base+"/{entitlementId}/reactivate", s.setAzureEntitlementStatus(azure.StatusActive))
	r.Get("/customers/{id}/subscriptions/{subscriptionId}/utilizations/azure", s.azureUtilization)
	r.Get("/customers/{id}/usagebudget", s.getUsageBudget)
	r.Patch("/customers/{id}/usagebudget", s.patchUsageBudget)
}

const entitlementsPath = "/v1/customers/{customer-id}/subscriptions/{subscription-id}/azureEntitlements"

var azurePlanDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: entitlementsPath, Tag: "Azure plan", Summary: "Create an Azure subscription under the customer's Azure plan",
		Description: "An OpenCSP addition in Partner Center's entitlement shape: the Azure subscription is active at once, with Owner for the partner's admin agents, and meters usage from its first hour.",
		Body:        azureEntitlementBody{}, Responses: openapi.Created(azureEntitlementJSON{})},
	{Method: http.MethodGet, Path: entitlementsPath, Tag: "Azure plan", Summary: "The Azure subscriptions under the customer's Azure plan, oldest first",
		Responses: openapi.OK(collection[azureEntitlementJSON]{})},
	{Method: http.MethodGet, Path: entitlementsPath + "/{entitlement-id}", Tag: "Azure plan", Summary: "One Azure subscription under the Azure plan",
		Responses: openapi.OK(azureEntitlementJSON{})},
	{Method: http.MethodPost, Path: entitlementsPath + "/{entitlement-id}/cancel", Tag: "Azure plan", Summary: "Cancel (disable) an Azure subscription",
		Description: "Its resources stop metering at once and it turns read-only; 409 (4403) when it is already disabled. Answers 202 with the entitlement, already disabled.",
		Body:        cancelEntitlementBody{}, Responses: []openapi.Response{{Status: http.StatusAccepted, Body: azureEntitlementJSON{}, Description: "Disabled."}}},
	{Method: http.MethodPost, Path: entitlementsPath + "/{entitlement-id}/reactivate", Tag: "Azure plan", Summary: "Reactivate (re-enable) a disabled Azure subscription",
		Description: "The resources that run meter again from this instant; 409 (4403) when it is already active. Answers 202 with the entitlement, already active.",
		Responses:   []openapi.Response{{Status: http.StatusAccepted, Body: azureEntitlementJSON{}, Description: "Active."}}},
}

// azureEntitlementBody creates an Azure subscription.
type azureEntitlementBody struct {
	FriendlyName string `json:"friendlyName"`
}

// cancelEntitlementBody is Partner Center's optional cancel body.
type cancelEntitlementBody struct {
	CancellationReason string `json:"cancellationReason,omitempty"`
}

// azureEntitlementJSON is Partner Center's AzureEntitlement: id is the
// Azure subscription's id (the one ARM and utilizations/azure take),
// subscriptionId the Azure plan subscription it is under.
type azureEntitlementJSON struct {
	ID             uuid.UUID         `json:"id"`
	FriendlyName   string            `json:"friendlyName"`
	Status         string            `json:"status" enum:"active,disabled"`
	SubscriptionID uuid.UUID         `json:"subscriptionId"`
	PartnerID      uuid.UUID         `json:"partnerId"`
	CreatedDate    time.Time         `json:"createdDate"`
	StatusDate     time.Time         `json:"statusDate"`
	Links          map[string]link   `json:"links"`
	Attributes     map[string]string `json:"attributes"`
}

func azureEntitlementOf(customerID uuid.UUID, s *azure.Subscription) azureEntitlementJSON {
	return azureEntitlementJSON{ID: s.ID, FriendlyName: s.FriendlyName, Status: string(s.Status), SubscriptionID: s.PlanSubscriptionID,
		PartnerID: s.PartnerID, CreatedDate: s.CreatedAt.UTC(), StatusDate: s.StatusSince.UTC(),
		Links:      selfLink("/customers/%s/subscriptions/%s/azureEntitlements/%s", customerID, s.PlanSubscriptionID, s.ID),
		Attributes: attrsETag("AzureEntitlement", csp.ETag(s.ID, s.Version))}
}

// planPath reads the customer and Azure plan subscription ids of the path.
func planPath(r *http.Request) (customer, plan uuid.UUID, err error) {
	if customer, err = customerID(r); err != nil {
		return
	}
	plan, err = pathID(r, "subscriptionId", csp.ESubscriptionNotFound, "subscription")
	return
}

func (s *Server) createAzureEntitlement(w http.ResponseWriter, r *http.Request) {
	c, plan, err := planPath(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b azureEntitlementBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	sub, err := s.app.CreateAzureSubscription(r.Context(), principal(r), c, plan, b.FriendlyName)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, azureEntitlementOf(c, sub))
}

func (s *Server) listAzureEntitlements(w http.ResponseWriter, r *http.Request) {
	c, plan, err := planPath(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	subs, err := s.app.ListAzureSubscriptions(r.Context(), principal(r), c, plan)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]azureEntitlementJSON, len(subs))
	for i, sub := range subs {
		items[i] = azureEntitlementOf(c, sub)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+c.String()+"/subscriptions/"+plan.String()+"/azureEntitlements", ""))
}

func (s *Server) getAzureEntitlement(w http.ResponseWriter, r *http.Request) {
	c, plan, err := planPath(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	id, err := pathID(r, "entitlementId", csp.EAzureSubscriptionNotFound, "Azure subscription")
	if err != nil {
		writeError(w, r, err)
		return
	}
	sub, err := s.app.GetAzureEntitlement(r.Context(), principal(r), c, plan, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, azureEntitlementOf(c, sub))
}

// setAzureEntitlementStatus answers cancel (disable) and reactivate
// (re-enable). The change is done when it answers; 202 is Partner Center's
// status for both.
func (s *Server) setAzureEntitlementStatus(to azure.Status) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, plan, err := planPath(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		id, err := pathID(r, "entitlementId", csp.EAzureSubscriptionNotFound, "Azure subscription")
		if err != nil {
			writeError(w, r, err)
			return
		}
		if to == azure.StatusDisabled {
			var b cancelEntitlementBody
			if err := decodeOptional(r, &b); err != nil {
				writeError(w, r, err)
				return
			}
			if err := csp.CheckText("cancellationReason", b.CancellationReason, csp.MaxName); err != nil {
				writeError(w, r, err)
				return
			}
		}
		sub, err := s.app.SetAzureSubscriptionStatus(r.Context(), principal(r), c, plan, id, to)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusAccepted, azureEntitlementOf(c, sub))
	}
}

// decodeOptional decodes a body that may be absent (or null).
func decodeOptional(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if t := bytes.TrimSpace(body); len(t) == 0 || string(t) == "null" {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return decode(r, v)
}
