package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var ordersDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/orders", Tag: "Orders", Summary: "A customer's orders", Paged: true,
		Responses: openapi.OK(collection[orderJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/orders/{order-id}", Tag: "Orders", Summary: "An order, with its lines' pricing",
		Responses: openapi.OK(orderJSON{})},
}

type orderLineJSON struct {
	LineItemNumber    int             `json:"lineItemNumber"`
	OfferID           string          `json:"offerId"`
	SubscriptionID    uuid.UUID       `json:"subscriptionId"`
	TermDuration      string          `json:"termDuration,omitempty"`
	TransactionType   string          `json:"transactionType"`
	FriendlyName      string          `json:"friendlyName"`
	Quantity          int             `json:"quantity"`
	PartnerIDOnRecord string          `json:"partnerIdOnRecord,omitempty"`
	CustomTermEndDate *time.Time      `json:"customTermEndDate,omitempty"`
	PromotionID       string          `json:"promotionId,omitempty"`
	Pricing           map[string]any  `json:"pricing"`
	Links             map[string]link `json:"links"`
}

type orderJSON struct {
	ID                  uuid.UUID         `json:"id"`
	ReferenceCustomerID uuid.UUID         `json:"referenceCustomerId"`
	BillingCycle        string            `json:"billingCycle"`
	CurrencyCode        string            `json:"currencyCode"`
	CurrencySymbol      string            `json:"currencySymbol"`
	LineItems           []orderLineJSON   `json:"lineItems"`
	CreationDate        time.Time         `json:"creationDate"`
	Status              string            `json:"status"`
	TransactionType     string            `json:"transactionType"`
	TotalPrice          json.Number       `json:"totalPrice"`
	Links               map[string]link   `json:"links"`
	Attributes          map[string]string `json:"attributes"`
}

// orderResource renders an order; its total refuses lines in another
// currency than the order's.
func orderResource(o *csp.Order) (orderJSON, error) {
	total, err := o.Total()
	if err != nil {
		return orderJSON{}, err
	}
	lines := make([]orderLineJSON, len(o.Lines))
	for i, l := range o.Lines {
		lines[i] = orderLineJSON{LineItemNumber: l.LineNumber, OfferID: l.OfferID, SubscriptionID: l.SubscriptionID, TermDuration: l.TermDuration,
			TransactionType: "New", FriendlyName: l.FriendlyName, Quantity: l.Quantity, PartnerIDOnRecord: l.PartnerIDOnRecord, CustomTermEndDate: l.CustomTermEndDate,
			Pricing: map[string]any{"listPrice": money(l.ListPrice.Amount), "proratedPrice": money(l.ProratedPrice.Amount), "currency": o.Currency},
			Links:   selfLink("/customers/%s/subscriptions/%s", o.TenantID, l.SubscriptionID), PromotionID: l.PromotionID}
		if l.DiscountedPrice != nil {
			lines[i].Pricing["discountedPrice"] = money(l.DiscountedPrice.Amount)
		}
	}
	return orderJSON{ID: o.ID, ReferenceCustomerID: o.TenantID, BillingCycle: o.BillingCycle, CurrencyCode: o.Currency, CurrencySymbol: currencySymbols[o.Currency],
		LineItems: lines, CreationDate: o.CreatedAt, Status: o.Status, TransactionType: o.TransactionType, TotalPrice: money(total.Amount),
		Links: selfLink("/customers/%s/orders/%s", o.TenantID, o.ID), Attributes: attrs("Order")}, nil
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	listOfCustomer(w, r, "orders", s.app.ListOrders, orderResource)
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	oid, err := pathID(r, "orderId", csp.EOrderNotFound, "order")
	if err != nil {
		writeError(w, r, err)
		return
	}
	o, err := s.app.GetOrder(r.Context(), principal(r), id, oid)
	if err != nil {
		writeError(w, r, err)
		return
	}
	j, err := orderResource(o)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j)
}
