package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var historyDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/subscriptions/{subscription-id}/history", Tag: "Subscriptions", Paged: true,
		Summary: "A subscription's events in time order, with their charge lines (OpenCSP)", Responses: openapi.OK(collection[eventJSON]{})},
	{Method: http.MethodGet, Path: "/v1/subscriptions/{subscription-id}/history", Tag: "Subscriptions", Paged: true,
		Summary: "A subscription's history by its id alone (OpenCSP)", Responses: openapi.OK(collection[eventJSON]{})},
}

// eventJSON is one event of a subscription's history; each field of its
// changes is the value the event states or a [before, after] pair.
type eventJSON struct {
	EventDate   time.Time        `json:"eventDate"`
	EventType   csp.EventType    `json:"eventType"`
	Changes     csp.Changes      `json:"changes"`
	ChargeLines []chargeLineJSON `json:"chargeLines"`
}

type chargeLineJSON struct {
	ChargeType         csp.ChargeType `json:"chargeType"`
	Quantity           int            `json:"quantity"`
	BillableQuantity   json.Number    `json:"billableQuantity"`
	UnitPrice          json.Number    `json:"unitPrice"`
	EffectiveUnitPrice json.Number    `json:"effectiveUnitPrice"`
	Subtotal           json.Number    `json:"subtotal"`
	Currency           string         `json:"currency"`
	ChargeStartDate    time.Time      `json:"chargeStartDate"`
	ChargeEndDate      time.Time      `json:"chargeEndDate"`
	ReferenceID        string         `json:"referenceId"`
	ProductQualifiers  []string       `json:"productQualifiers"`
	PromotionID        string         `json:"promotionId,omitempty"`
}

// subscriptionHistory answers a page of a subscription's events, under its
// customer or (OpenCSP addition) by subscription id alone.
func (s *Server) subscriptionHistory(w http.ResponseWriter, r *http.Request) {
	var got app.Paged[*csp.Event, app.Cursor]
	var id, sid uuid.UUID
	var err error
	if sid, err = pathID(r, "subscriptionId", csp.ESubscriptionNotFound, "subscription"); err != nil {
		writeError(w, r, err)
		return
	}
	kind := "history:" + sid.String()
	pg, err := page[app.Cursor](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if chi.URLParam(r, "id") == "" {
		var sub *csp.Subscription
		sub, got, err = s.app.SubscriptionHistoryByID(r.Context(), principal(r), sid, pg)
		if err == nil {
			id = sub.TenantID
		}
	} else if id, err = customerID(r); err == nil {
		got, err = s.app.SubscriptionHistory(r.Context(), principal(r), id, sid, pg)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]eventJSON, len(got.Items))
	for i, ev := range got.Items {
		lines := []chargeLineJSON{}
		for _, c := range ev.Charges {
			lines = append(lines, chargeLineJSON{ChargeType: c.ChargeType, Quantity: c.Quantity, BillableQuantity: json.Number(c.BillableQuantity.String()),
				UnitPrice: money(c.UnitPrice.Amount), EffectiveUnitPrice: unitPrice(c.EffectiveUnitPrice.Amount), Subtotal: money(c.Subtotal.Amount),
				Currency: c.Subtotal.Currency, ChargeStartDate: c.ChargeStart, ChargeEndDate: c.ChargeEnd, ReferenceID: c.ReferenceID.String(),
				ProductQualifiers: qualifiers(c.ProductQualifiers), PromotionID: c.PromotionID})
		}
		items[i] = eventJSON{EventDate: ev.Date, EventType: ev.Type, Changes: ev.Changes, ChargeLines: lines}
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+id.String()+"/subscriptions/"+sid.String()+"/history", nextToken(kind, got.Next)))
}
