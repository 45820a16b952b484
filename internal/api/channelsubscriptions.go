package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

// The operator records the subscriptions a tenant bought outside CSP
// (direct, ea, mcaE), one at a time or as an imported list (decision 136).
// Partners never see them; the customer's subscriptions and the tenant's
// licence pools count them.

var channelSubscriptionsDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: "/admin/v1/tenants/{tenant-id}/channelSubscriptions", Tag: "Channel subscriptions",
		Summary: "Record a subscription the tenant bought outside CSP",
		Description: "channel is direct, ea or mcaE (csp answers 4551: partners buy those); productId and skuId name a licence SKU of Microsoft's catalog " +
			"(not the Azure plan, 4553, nor a trial, 4554); quantity 1 to 1,000,000; termEndDate (the term's last day) after termStartDate and at most 5 years later. " +
			"status follows from the dates: active through termEndDate (term after term while autoRenewEnabled), then expired 30 days, disabled 90 days, deleted (R-19).",
		Body: channelSubscriptionBody{}, Responses: openapi.Created(channelSubscriptionJSON{})},
	{Method: http.MethodPost, Path: "/admin/v1/tenants/{tenant-id}/channelSubscriptions/import", Tag: "Channel subscriptions",
		Summary:     "Record a list of channel subscriptions, all or nothing",
		Description: "items (1 to 500) as the single call takes them; a refusal names the item (items[i], data item=i and field=...) and nothing is recorded.",
		Body:        channelImportBody{}, Responses: openapi.Created(collection[channelSubscriptionJSON]{})},
	{Method: http.MethodGet, Path: "/admin/v1/tenants/{tenant-id}/channelSubscriptions", Tag: "Channel subscriptions",
		Summary: "The tenant's channel subscriptions, oldest record first", Paged: true, Responses: openapi.OK(collection[channelSubscriptionJSON]{})},
	{Method: http.MethodPatch, Path: "/admin/v1/tenants/{tenant-id}/channelSubscriptions/{subscription-id}", Tag: "Channel subscriptions",
		Summary: "Record a change the tenant made in the other channel",
		Description: "autoRenewEnabled, quantity or both (4563 for neither). Turning auto-renew off fixes the record to the term it is in today, the renewal it rolled into if any, " +
			"so that it ends there; a record whose term ended without renewing takes no change (4564): record the new term as its own subscription.",
		Body: channelChangeBody{}, Responses: openapi.OK(channelSubscriptionJSON{})},
	{Method: http.MethodDelete, Path: "/admin/v1/tenants/{tenant-id}/channelSubscriptions/{subscription-id}", Tag: "Channel subscriptions",
		Summary: "Remove a mistaken record", Description: "Its seats leave the tenant's licences at once; assigned licences stay and any overage shows.",
		Responses: openapi.NoContent()},
}

// channelSubscriptionBody is one channel subscription as the operator
// records it.
type channelSubscriptionBody struct {
	Channel          string `json:"channel" enum:"direct,ea,mcaE"`
	ProductID        string `json:"productId"`
	SkuID            string `json:"skuId"`
	Quantity         int    `json:"quantity"`
	TermStartDate    string `json:"termStartDate" format:"date"`
	TermEndDate      string `json:"termEndDate" format:"date"`
	AutoRenewEnabled bool   `json:"autoRenewEnabled"`
}

func (b channelSubscriptionBody) input() csp.ChannelSubscriptionInput {
	return csp.ChannelSubscriptionInput{Channel: b.Channel, ProductID: b.ProductID, SkuID: b.SkuID, Quantity: b.Quantity,
		TermStartDate: b.TermStartDate, TermEndDate: b.TermEndDate, AutoRenewEnabled: b.AutoRenewEnabled}
}

// channelImportBody is an imported list (its documented shape; the handler
// decodes each item on its own, to name the item a malformed field is in).
type channelImportBody struct {
	Items []channelSubscriptionBody `json:"items"`
}

// channelChangeBody is a change the operator records.
type channelChangeBody struct {
	AutoRenewEnabled *bool `json:"autoRenewEnabled,omitempty"`
	Quantity         *int  `json:"quantity,omitempty" description:"1 to 1,000,000 seats"`
}

// channelSubscriptionJSON is a channel subscription with what it is today.
type channelSubscriptionJSON struct {
	ID                   uuid.UUID         `json:"id"`
	TenantID             uuid.UUID         `json:"tenantId"`
	Channel              csp.Channel       `json:"channel"`
	ProductID            string            `json:"productId"`
	SkuID                string            `json:"skuId"`
	OfferID              string            `json:"offerId"`
	OfferName            string            `json:"offerName"`
	Quantity             int               `json:"quantity"`
	TermStartDate        string            `json:"termStartDate" format:"date"`
	TermEndDate          string            `json:"termEndDate" format:"date"`
	AutoRenewEnabled     bool              `json:"autoRenewEnabled"`
	Status               csp.Status        `json:"status"`
	CurrentTermStartDate string            `json:"currentTermStartDate" format:"date"`
	CurrentTermEndDate   string            `json:"currentTermEndDate" format:"date"`
	CreationDate         time.Time         `json:"creationDate"`
	Attributes           map[string]string `json:"attributes"`
}

func channelResource(c app.ChannelRecord) channelSubscriptionJSON {
	s := c.Record
	return channelSubscriptionJSON{ID: s.ID, TenantID: s.TenantID, Channel: s.Channel, ProductID: s.ProductID, SkuID: s.SkuID, OfferID: s.OfferID(),
		OfferName: c.Now.OfferName, Quantity: s.Quantity, TermStartDate: s.TermStart.Format(time.DateOnly), TermEndDate: s.TermEnd.Format(time.DateOnly),
		AutoRenewEnabled: s.AutoRenew, Status: c.Now.Status, CurrentTermStartDate: c.Now.TermStart.Format(time.DateOnly),
		CurrentTermEndDate: c.Now.TermEnd.Format(time.DateOnly), CreationDate: s.CreatedAt, Attributes: attrs("ChannelSubscription")}
}

func channelResources(got []app.ChannelRecord) []channelSubscriptionJSON {
	out := make([]channelSubscriptionJSON, len(got))
	for i, c := range got {
		out[i] = channelResource(c)
	}
	return out
}

func (s *Server) recordChannelSubscription(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ETenantNotFound, "tenant")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		channelSubscriptionBody
		Items json.RawMessage `json:"items"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if b.Items != nil {
		writeError(w, r, csp.Errorf(csp.EChannelImportItemsShape, "this call records one channel subscription (channel, productId, skuId, ...); a list of items goes to POST /admin/v1/tenants/%s/channelSubscriptions/import", id).WithData("field=items"))
		return
	}
	got, err := s.app.RecordChannelSubscriptions(r.Context(), principal(r), id, []csp.ChannelSubscriptionInput{b.input()}, false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, channelResource(got[0]))
}

func (s *Server) importChannelSubscriptions(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ETenantNotFound, "tenant")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		Items   []json.RawMessage `json:"items"`
		Channel json.RawMessage   `json:"channel"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if b.Channel != nil {
		writeError(w, r, csp.Errorf(csp.EChannelImportItemsShape, "an import is {\"items\": [...]}, each item a channel subscription; one subscription alone goes to POST /admin/v1/tenants/%s/channelSubscriptions", id).WithData("field=channel"))
		return
	}
	items := make([]csp.ChannelSubscriptionInput, len(b.Items))
	for i, raw := range b.Items {
		var item channelSubscriptionBody
		if err := json.Unmarshal(raw, &item); err != nil {
			writeError(w, r, importItemError(i, err))
			return
		}
		items[i] = item.input()
	}
	got, err := s.app.RecordChannelSubscriptions(r.Context(), principal(r), id, items, true)
	if err != nil {
		writeError(w, r, err)
		return
	}
	path := fmt.Sprintf("/admin/v1/tenants/%s/channelSubscriptions", id)
	writeJSON(w, http.StatusCreated, newCollection(channelResources(got), path, ""))
}

// importItemError names the item and field of a malformed import item.
func importItemError(i int, err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return csp.InImportItem(i, csp.Errorf(csp.EInvalidBody, "field %s must be of type %s, not %s", typeErr.Field, jsonType(typeErr.Type.Kind().String()), typeErr.Value).
			WithData("field="+typeErr.Field))
	}
	return csp.InImportItem(i, csp.Errorf(csp.EInvalidBody, "an item must be a channel subscription object {channel, productId, skuId, quantity, termStartDate, termEndDate, autoRenewEnabled}"))
}

func (s *Server) listChannelSubscriptions(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ETenantNotFound, "tenant")
	if err != nil {
		writeError(w, r, err)
		return
	}
	pg, err := page[app.Cursor](r, "channelsubscriptions", app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.ListChannelSubscriptions(r.Context(), principal(r), id, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	path := fmt.Sprintf("/admin/v1/tenants/%s/channelSubscriptions", id)
	writeJSON(w, http.StatusOK, newCollection(channelResources(got.Items), path, nextToken("channelsubscriptions", got.Next)))
}

func (s *Server) updateChannelSubscription(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ETenantNotFound, "tenant")
	if err != nil {
		writeError(w, r, err)
		return
	}
	sub, err := pathID(r, "subscriptionId", csp.EChannelNotFound, "channel subscription")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b channelChangeBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.UpdateChannelSubscription(r.Context(), principal(r), id, sub, csp.ChannelChange{AutoRenew: b.AutoRenewEnabled, Quantity: b.Quantity})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, channelResource(got))
}

func (s *Server) deleteChannelSubscription(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ETenantNotFound, "tenant")
	if err != nil {
		writeError(w, r, err)
		return
	}
	sub, err := pathID(r, "subscriptionId", csp.EChannelNotFound, "channel subscription")
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.app.DeleteChannelSubscription(r.Context(), principal(r), id, sub); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
