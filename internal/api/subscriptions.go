package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var subscriptionsDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/subscriptions", Tag: "Subscriptions", Summary: "A customer's subscriptions", Paged: true,
		Description: "An indirect reseller sees those naming it as partner of record, read-only.",
		Query:       []openapi.Param{{Name: "order_id", Description: "Only the subscriptions of this order."}},
		Responses:   openapi.OK(collection[subscriptionJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/subscriptions/{subscription-id}", Tag: "Subscriptions", Summary: "A subscription",
		Responses: openapi.OK(subscriptionJSON{})},
	{Method: http.MethodPatch, Path: "/v1/customers/{customer-id}/subscriptions/{subscription-id}", Tag: "Subscriptions", IfMatch: true,
		Summary: "Change a subscription: seats, status, auto-renewal, name, term, billing plan or the next term", Body: patchSubscriptionBody{}, Responses: openapi.OK(subscriptionJSON{})},
}

// patchSubscriptionBody is the whole Subscription as the client wants it
// (Partner Center's SDK sends the object it read, modified): the fields
// below are compared with the stored subscription and only those that
// differ are applied; every other field is read-only and ignored.
type patchSubscriptionBody struct {
	Quantity         *int    `json:"quantity,omitempty" description:"0 (the SDK's default) is no change."`
	Status           *string `json:"status,omitempty" description:"deleted cancels; suspended; active reactivates; case-insensitive."`
	AutoRenewEnabled *bool   `json:"autoRenewEnabled,omitempty" description:"Absent means false, as in Partner Center."`
	FriendlyName     *string `json:"friendlyName,omitempty"`
	TermDuration     *string `json:"termDuration,omitempty" description:"A longer term starts at once (P1M to P1Y or P3Y, P1Y to P3Y); a shorter one waits for the renewal (400)."`
	BillingCycle     *string `json:"billingCycle,omitempty" description:"With a longer term, its billing plan; on a P3Y term monthly or annual, from the next charge period (held in nextChargeInstructions)."`
	// Both stay raw so that a body naming them (even as null) is not an empty body.
	Scheduled  scheduledPatch `json:"scheduledNextTermInstructions,omitempty" nullable:"true" description:"The next term's instructions; absent or null deletes them."`
	NextCharge scheduledPatch `json:"nextChargeInstructions,omitempty" nullable:"true" description:"A P3Y term's pending billing plan change (product.billingCycle); absent or null deletes it."`
}

// named reports whether the body names a field PATCH can change: null
// and {} (and bodies of read-only fields only) change nothing.
func (b *patchSubscriptionBody) named() bool {
	return b.Quantity != nil || b.Status != nil || b.AutoRenewEnabled != nil || b.FriendlyName != nil || b.TermDuration != nil ||
		b.BillingCycle != nil || len(b.Scheduled.RawMessage) > 0 || len(b.NextCharge.RawMessage) > 0
}

// scheduledPatch is a raw scheduledBody; the document shows it as one.
type scheduledPatch struct{ json.RawMessage }

type subscriptionJSON struct {
	ID                            uuid.UUID         `json:"id"`
	OfferID                       string            `json:"offerId"`
	OfferName                     string            `json:"offerName"`
	FriendlyName                  string            `json:"friendlyName"`
	ProductType                   map[string]string `json:"productType"`
	Quantity                      int               `json:"quantity"`
	UnitType                      string            `json:"unitType"`
	ParentSubscriptionID          *uuid.UUID        `json:"parentSubscriptionId,omitempty"`
	CreationDate                  time.Time         `json:"creationDate"`
	EffectiveStartDate            *time.Time        `json:"effectiveStartDate,omitempty"`
	CommitmentEndDate             *time.Time        `json:"commitmentEndDate,omitempty"`
	CommitmentEndDateTime         *time.Time        `json:"commitmentEndDateTime,omitempty" description:"The term's last second (23:59:59Z of commitmentEndDate, which is inclusive)."`
	CancellationAllowedUntilDate  *time.Time        `json:"cancellationAllowedUntilDate"`
	BillingCycleEndDate           *time.Time        `json:"billingCycleEndDate,omitempty"`
	BillingCycleEndDateTime       *time.Time        `json:"billingCycleEndDateTime,omitempty" description:"The billing cycle's last second (23:59:59Z of billingCycleEndDate)."`
	Status                        csp.Status        `json:"status"`
	SuspensionReasons             []string          `json:"suspensionReasons" description:"[\"PartnerInitiated\"] while suspended, else []."`
	AutoRenewEnabled              bool              `json:"autoRenewEnabled"`
	BillingType                   string            `json:"billingType"`
	BillingCycle                  string            `json:"billingCycle"`
	TermDuration                  string            `json:"termDuration,omitempty"`
	RenewalTermDuration           string            `json:"renewalTermDuration,omitempty" description:"The term the next renewal takes (the scheduled one, else the current one); absent when it will not renew."`
	IsTrial                       bool              `json:"isTrial"`
	HasPurchasableAddons          bool              `json:"hasPurchasableAddons" description:"The catalog sells an add-on this subscription can be the base of now."`
	ContractType                  string            `json:"contractType"`
	Actions                       []string          `json:"actions"`
	RefundOptions                 []map[string]any  `json:"refundOptions"`
	RefundableQuantity            map[string]any    `json:"refundableQuantity"`
	ScheduledNextTermInstructions *scheduledBody    `json:"scheduledNextTermInstructions"`
	NextChargeInstructions        *nextChargeBody   `json:"nextChargeInstructions"`
	PartnerID                     string            `json:"partnerId,omitempty"`
	OrderID                       *uuid.UUID        `json:"orderId,omitempty"`
	CatalogItemID                 string            `json:"catalogItemId"`
	IsMicrosoftProduct            bool              `json:"isMicrosoftProduct"`
	PublisherName                 string            `json:"publisherName"`
	UnitPrice                     json.Number       `json:"unitPrice" description:"The price locked for the term, after any promotion (R-8, R-27)."`
	CurrencyCode                  string            `json:"currencyCode"`
	PromotionID                   string            `json:"promotionId,omitempty" description:"The promotion in unitPrice for this term (R-27)."`
	Links                         map[string]link   `json:"links"`
	Attributes                    map[string]string `json:"attributes"`
}

// contractSubscription is Partner Center's contractType of licence and
// usage subscriptions (the others are product keys and redemption codes).
const contractSubscription = "subscription"

// lastSecond is 23:59:59Z of an inclusive end day, Partner Center's
// commitmentEndDateTime and billingCycleEndDateTime.
func lastSecond(day time.Time) *time.Time {
	t := csp.Day(day).Add(24*time.Hour - time.Second)
	return &t
}

func subscriptionResource(sub *csp.Subscription, v app.SubscriptionView) subscriptionJSON {
	now := v.Now
	j := subscriptionJSON{ID: sub.ID, OfferID: sub.OfferID(), OfferName: sub.OfferName, FriendlyName: sub.FriendlyName,
		ProductType: map[string]string{"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"}, Quantity: sub.Quantity, UnitType: sub.UnitType,
		ParentSubscriptionID: sub.ParentID, CreationDate: sub.CreatedAt, Status: sub.Status, AutoRenewEnabled: sub.AutoRenew, BillingType: "license",
		BillingCycle: sub.BillingCycle, TermDuration: sub.TermDuration, IsTrial: sub.IsTrial, Actions: []string{}, RefundOptions: []map[string]any{},
		ScheduledNextTermInstructions: scheduledResource(sub.Scheduled), NextChargeInstructions: nextChargeResource(sub), PartnerID: sub.ResellerMpnID, OrderID: sub.OrderID, CatalogItemID: sub.CatalogItemID().String(),
		IsMicrosoftProduct: true, PublisherName: "Microsoft Corporation", UnitPrice: money(sub.UnitPrice.Amount), CurrencyCode: sub.UnitPrice.Currency,
		SuspensionReasons: sub.SuspensionReasons(), RenewalTermDuration: sub.RenewalTermDuration(), HasPurchasableAddons: v.Catalog.HasPurchasableAddons(sub),
		ContractType: contractSubscription, PromotionID: sub.PromotionID,
		Links: subscriptionLinks(sub, v.Country), Attributes: attrsETag("Subscription", csp.ETag(sub.ID, sub.Version))}
	if !sub.HasTerm() {
		j.ProductType = map[string]string{"id": "Azure", "displayName": "Azure"}
		j.BillingType = "usage"
	}
	if sub.PartnerService {
		j.ProductType = map[string]string{"id": "Custom", "displayName": "Partner service"}
		j.IsMicrosoftProduct, j.PublisherName = false, ""
	}
	details := []map[string]any{}
	total := 0
	if sub.HasTerm() {
		start, end, cycle := sub.TermStart, sub.TermEnd, sub.BillingCycleEnd(now)
		j.EffectiveStartDate, j.CommitmentEndDate, j.CommitmentEndDateTime = &start, &end, lastSecond(end)
		if sub.Live() {
			j.BillingCycleEndDate, j.BillingCycleEndDateTime = &cycle, lastSecond(cycle)
		}
		if sub.Cancellable(now) {
			until := sub.CancellationAllowedUntil()
			j.CancellationAllowedUntilDate = &until
			j.RefundOptions = []map[string]any{{"type": "Full", "expiresAt": until}}
			j.Actions = append(j.Actions, "cancel")
		}
		if sub.Status == csp.StatusActive {
			for _, l := range sub.RefundableLots(now) {
				details = append(details, map[string]any{"quantity": l.Quantity, "allowedUntilDateTime": l.AllowedUntil})
				total += l.Quantity
			}
			j.Actions = append(j.Actions, "edit")
		}
	}
	j.RefundableQuantity = map[string]any{"totalQuantity": min(total, sub.Quantity), "details": details}
	return j
}

// subscriptionLinks are Partner Center's links of a subscription: itself,
// and its product, SKU and availability in the customer's market, at this
// API's catalog paths (relative to /v1).
func subscriptionLinks(sub *csp.Subscription, country string) map[string]link {
	get := func(format string, args ...any) link {
		return link{URI: fmt.Sprintf(format, args...), Method: http.MethodGet, Headers: []header{}}
	}
	p, k, a, c := url.PathEscape(sub.ProductID), url.PathEscape(sub.SkuID), url.PathEscape(sub.AvailabilityID), url.QueryEscape(country)
	return map[string]link{
		"self":         get("/customers/%s/subscriptions/%s", sub.TenantID, sub.ID),
		"product":      get("/products/%s?country=%s", p, c),
		"sku":          get("/products/%s/skus/%s?country=%s", p, k, c),
		"availability": get("/products/%s/skus/%s/availabilities/%s?country=%s", p, k, a, c),
	}
}

func (s *Server) subscriptionIDs(r *http.Request) (uuid.UUID, uuid.UUID, error) {
	id, err := customerID(r)
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	sid, err := pathID(r, "subscriptionId", csp.ESubscriptionNotFound, "subscription")
	return id, sid, err
}

func (s *Server) listSubscriptions(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var orderID *uuid.UUID
	if v := r.URL.Query().Get("order_id"); v != "" {
		oid, err := uuid.Parse(v)
		if err != nil {
			writeError(w, r, csp.Errorf(csp.EInvalidQuery, "order_id %q is not a GUID", v))
			return
		}
		orderID = &oid
	}
	kind := "subscriptions:" + id.String()
	pg, err := page[app.Cursor](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.ListSubscriptions(r.Context(), principal(r), id, orderID, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := s.app.SubscriptionView(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]subscriptionJSON, len(got.Items))
	for i, sub := range got.Items {
		items[i] = subscriptionResource(sub, v)
	}
	self := "/customers/" + id.String() + "/subscriptions"
	if orderID != nil {
		self += "?order_id=" + orderID.String()
	}
	writeJSON(w, http.StatusOK, newCollection(items, self, nextToken(kind, got.Next)))
}

func (s *Server) getSubscription(w http.ResponseWriter, r *http.Request) {
	id, sid, err := s.subscriptionIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	sub, err := s.app.GetSubscription(r.Context(), principal(r), id, sid)
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.writeSubscription(w, r, http.StatusOK, sub)
}

func (s *Server) patchSubscription(w http.ResponseWriter, r *http.Request) {
	id, sid, err := s.subscriptionIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b patchSubscriptionBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if !b.named() {
		writeError(w, r, csp.Errorf(csp.EEmptyPatch, "the PATCH body changes nothing: send the subscription (as GET answers it) with the fields to change: quantity, status, autoRenewEnabled, friendlyName, termDuration, billingCycle, scheduledNextTermInstructions, nextChargeInstructions"))
		return
	}
	want := csp.Desired{Quantity: b.Quantity, Status: b.Status, AutoRenew: b.AutoRenewEnabled, FriendlyName: b.FriendlyName,
		TermDuration: b.TermDuration, BillingCycle: b.BillingCycle}
	n, err := decodeInstructions[nextChargeBody](b.NextCharge.RawMessage, "nextChargeInstructions")
	if err != nil {
		writeError(w, r, err)
		return
	}
	if n != nil {
		nt := n.Product.nextTerm(n.Quantity)
		want.NextCharge = &nt
	}
	sc, err := decodeInstructions[scheduledBody](b.Scheduled.RawMessage, "scheduledNextTermInstructions")
	if err != nil {
		writeError(w, r, err)
		return
	}
	if sc != nil {
		nt := sc.Product.nextTerm(sc.Quantity)
		nt.CustomTermEndDate = sc.CustomTermEndDate
		want.Scheduled = &nt
	}
	sub, err := s.app.PatchSubscription(r.Context(), principal(r), id, sid, want, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.writeSubscription(w, r, http.StatusOK, sub)
}

// writeSubscription answers one subscription resource.
func (s *Server) writeSubscription(w http.ResponseWriter, r *http.Request, status int, sub *csp.Subscription) {
	v, err := s.app.SubscriptionView(r.Context(), principal(r), sub.TenantID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, subscriptionResource(sub, v))
}

// scheduledBody is Partner Center's scheduledNextTermInstructions.
type scheduledBody struct {
	Product           instructionsProduct `json:"product"`
	Quantity          int                 `json:"quantity"`
	CustomTermEndDate *time.Time          `json:"customTermEndDate"`
}

// instructionsProduct is the product of next-term or next-charge
// instructions.
type instructionsProduct struct {
	ProductID      string `json:"productId"`
	SkuID          string `json:"skuId"`
	AvailabilityID string `json:"availabilityId"`
	BillingCycle   string `json:"billingCycle"`
	TermDuration   string `json:"termDuration"`
}

func (p instructionsProduct) nextTerm(quantity int) csp.NextTerm {
	return csp.NextTerm{ProductID: p.ProductID, SkuID: p.SkuID, AvailabilityID: p.AvailabilityID, BillingCycle: p.BillingCycle,
		TermDuration: p.TermDuration, Quantity: quantity}
}

// decodeInstructions reads an instructions field of a PATCH body: nil when
// it is absent or null.
func decodeInstructions[T any](raw json.RawMessage, field string) (*T, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v *T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, csp.Errorf(csp.EInvalidBody, "%s: %s", field, err.Error())
	}
	return v, nil
}

// scheduledResource is the stored instructions in Partner Center's shape,
// the one a PATCH reads back.
func scheduledResource(nt *csp.NextTerm) *scheduledBody {
	if nt == nil {
		return nil
	}
	b := &scheduledBody{Quantity: nt.Quantity, CustomTermEndDate: nt.CustomTermEndDate}
	b.Product.ProductID, b.Product.SkuID, b.Product.AvailabilityID = nt.ProductID, nt.SkuID, nt.AvailabilityID
	b.Product.BillingCycle, b.Product.TermDuration = nt.BillingCycle, nt.TermDuration
	return b
}

// nextChargeBody is Partner Center's nextChargeInstructions: a P3Y term's
// pending billing plan change (R-2a), the product as it will be billed.
type nextChargeBody struct {
	Product  instructionsProduct `json:"product"`
	Quantity int                 `json:"quantity"`
}

// nextChargeResource is the pending change in Partner Center's shape, the
// one a PATCH reads back (and keeps by echoing it).
func nextChargeResource(sub *csp.Subscription) *nextChargeBody {
	if sub.NextCharge == nil {
		return nil
	}
	b := &nextChargeBody{Quantity: sub.Quantity}
	b.Product.ProductID, b.Product.SkuID, b.Product.AvailabilityID = sub.ProductID, sub.SkuID, sub.AvailabilityID
	b.Product.BillingCycle, b.Product.TermDuration = sub.NextCharge.BillingCycle, sub.TermDuration
	return b
}
