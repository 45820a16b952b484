package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

func (s *Server) commerceRoutes(r interface {
	Get(string, http.HandlerFunc)
	Post(string, http.HandlerFunc)
	Put(string, http.HandlerFunc)
	Patch(string, http.HandlerFunc)
}) {
	r.Get("/products", s.listProducts)
	r.Post("/products", s.addPartnerService)
	r.Get("/products/{productId}", s.listProducts)
	r.Get("/products/{productId}/skus", s.listSkus)
	r.Get("/products/{productId}/skus/{skuId}", s.listSkus)
	r.Get("/products/{productId}/skus/{skuId}/availabilities", s.listAvailabilities)
	r.Get("/products/{productId}/skus/{skuId}/availabilities/{availabilityId}", s.listAvailabilities)
	r.Get("/agreements", s.agreementTemplates)
	r.Get("/customers/{id}/agreements", s.listAgreements)
	r.Post("/customers/{id}/agreements", s.createAgreement)
	r.Post("/customers/{id}/carts", s.createCart)
	r.Get("/customers/{id}/carts/{cartId}", s.getCart)
	r.Put("/customers/{id}/carts/{cartId}", s.putCart)
	r.Post("/customers/{id}/carts/{cartId}/checkout", s.checkout)
	r.Get("/customers/{id}/orders", s.listOrders)
	r.Get("/customers/{id}/orders/{orderId}", s.getOrder)
	r.Get("/customers/{id}/subscriptions", s.listSubscriptions)
	r.Get("/customers/{id}/subscriptions/{subscriptionId}", s.getSubscription)
	r.Patch("/customers/{id}/subscriptions/{subscriptionId}", s.patchSubscription)
	r.Get("/customers/{id}/subscriptions/{subscriptionId}/history", s.subscriptionHistory)
	r.Get("/customers/{id}/subscriptions/{subscriptionId}/transitioneligibilities", s.transitionEligibilities)
	r.Get("/customers/{id}/subscriptions/{subscriptionId}/transitions", s.listTransitions)
	r.Post("/customers/{id}/subscriptions/{subscriptionId}/transitions", s.postTransition)
	r.Get("/subscriptions/{subscriptionId}/history", s.subscriptionHistory)
	r.Get("/invoices/unbilled/lineitems", s.unbilledLineItems)
}

func customerID(r *http.Request) (uuid.UUID, error) {
	return pathID(r, "id", csp.ECustomerNotFound, "customer")
}

// --- agreements ---

func (s *Server) agreementTemplates(w http.ResponseWriter, r *http.Request) {
	item := map[string]any{"templateId": csp.MCATemplateID, "agreementType": csp.AgreementMCA, "agreementLink": "https://aka.ms/customeragreement",
		"attributes": attrs("AgreementMetaData")}
	writeJSON(w, http.StatusOK, newCollection([]map[string]any{item}, "/agreements", ""))
}

type agreementJSON struct {
	ID             uuid.UUID         `json:"id"`
	PrimaryContact csp.Contact       `json:"primaryContact"`
	TemplateID     string            `json:"templateId"`
	DateAgreed     time.Time         `json:"dateAgreed"`
	Type           string            `json:"type"`
	AgreementLink  string            `json:"agreementLink"`
	UserID         string            `json:"userId"`
	Attributes     map[string]string `json:"attributes"`
}

func agreementResource(a *csp.Agreement) agreementJSON {
	j := agreementJSON{ID: a.ID, PrimaryContact: a.Contact, TemplateID: a.TemplateID, DateAgreed: a.DateAgreed, Type: a.Type,
		AgreementLink: "https://aka.ms/customeragreement", Attributes: attrs("Agreement")}
	if a.UserID != nil {
		j.UserID = a.UserID.String()
	}
	return j
}

func (s *Server) createAgreement(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		PrimaryContact csp.Contact `json:"primaryContact"`
		TemplateID     string      `json:"templateId"`
		DateAgreed     time.Time   `json:"dateAgreed"`
		Type           string      `json:"type"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	ag, err := s.app.CreateAgreement(r.Context(), principal(r), id, app.NewAgreement{Type: b.Type, TemplateID: b.TemplateID, DateAgreed: b.DateAgreed, Contact: b.PrimaryContact})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, agreementResource(ag))
}

func (s *Server) listAgreements(w http.ResponseWriter, r *http.Request) {
	listOfCustomer(w, r, "agreements", s.app.ListAgreements, agreementResource)
}

// listOfCustomer answers a page of a customer's collection: what list reads
// for the customer in the path, each item rendered by resource.
func listOfCustomer[T, J, C any](w http.ResponseWriter, r *http.Request, name string,
	list func(context.Context, csp.Principal, uuid.UUID, app.Page[C]) (app.Paged[T, C], error), resource func(T) J) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	kind := name + ":" + id.String()
	pg, err := page[C](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := list(r.Context(), principal(r), id, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]J, len(got.Items))
	for i, v := range got.Items {
		items[i] = resource(v)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+id.String()+"/"+name, nextToken(kind, got.Next)))
}

// --- carts and orders ---

type cartJSON struct {
	ID                    uuid.UUID         `json:"id"`
	CreationTimestamp     time.Time         `json:"creationTimestamp"`
	LastModifiedTimestamp time.Time         `json:"lastModifiedTimestamp"`
	ExpirationTimestamp   time.Time         `json:"expirationTimestamp"`
	LastModifiedUser      string            `json:"lastModifiedUser"`
	Status                string            `json:"status"`
	LineItems             []csp.CartLine    `json:"lineItems"`
	Attributes            map[string]string `json:"attributes"`
}

func cartResource(c *csp.Cart) cartJSON {
	return cartJSON{ID: c.ID, CreationTimestamp: c.CreatedAt, LastModifiedTimestamp: c.ModifiedAt, ExpirationTimestamp: c.ExpiresAt,
		LastModifiedUser: c.LastModifiedUser, Status: c.Status, LineItems: c.Lines, Attributes: attrsETag("Cart", csp.ETag(c.ID, c.Version))}
}

type cartBody struct {
	LineItems []csp.CartLine `json:"lineItems"`
}

func (s *Server) createCart(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b cartBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.app.CreateCart(r.Context(), principal(r), id, b.LineItems)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, cartResource(c))
}

func (s *Server) cartIDs(r *http.Request) (uuid.UUID, uuid.UUID, error) {
	id, err := customerID(r)
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	cartID, err := pathID(r, "cartId", csp.ECartNotFound, "cart")
	return id, cartID, err
}

func (s *Server) getCart(w http.ResponseWriter, r *http.Request) {
	id, cartID, err := s.cartIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.app.GetCart(r.Context(), principal(r), id, cartID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cartResource(c))
}

func (s *Server) putCart(w http.ResponseWriter, r *http.Request) {
	id, cartID, err := s.cartIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b cartBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.app.UpdateCart(r.Context(), principal(r), id, cartID, b.LineItems, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cartResource(c))
}

func (s *Server) checkout(w http.ResponseWriter, r *http.Request) {
	id, cartID, err := s.cartIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.app.Checkout(r.Context(), principal(r), id, cartID, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	orders := make([]orderJSON, len(res.Orders))
	for i, o := range res.Orders {
		orders[i] = orderResource(o)
	}
	writeJSON(w, http.StatusCreated, map[string]any{"orders": orders, "orderErrors": []any{}, "attributes": attrs("CartCheckoutResult")})
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

func orderResource(o *csp.Order) orderJSON {
	lines := make([]orderLineJSON, len(o.Lines))
	for i, l := range o.Lines {
		lines[i] = orderLineJSON{LineItemNumber: l.LineNumber, OfferID: l.OfferID, SubscriptionID: l.SubscriptionID, TermDuration: l.TermDuration,
			TransactionType: "New", FriendlyName: l.FriendlyName, Quantity: l.Quantity, PartnerIDOnRecord: l.PartnerIDOnRecord, CustomTermEndDate: l.CustomTermEndDate,
			Pricing: map[string]any{"listPrice": money(l.ListPrice), "proratedPrice": money(l.ProratedPrice), "currency": o.Currency},
			Links:   selfLink("/customers/%s/subscriptions/%s", o.TenantID, l.SubscriptionID)}
	}
	return orderJSON{ID: o.ID, ReferenceCustomerID: o.TenantID, BillingCycle: o.BillingCycle, CurrencyCode: o.Currency, CurrencySymbol: currencySymbols[o.Currency],
		LineItems: lines, CreationDate: o.CreatedAt, Status: o.Status, TransactionType: o.TransactionType, TotalPrice: money(o.Total()),
		Links: selfLink("/customers/%s/orders/%s", o.TenantID, o.ID), Attributes: attrs("Order")}
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
	writeJSON(w, http.StatusOK, orderResource(o))
}

// --- subscriptions ---

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
	CancellationAllowedUntilDate  *time.Time        `json:"cancellationAllowedUntilDate"`
	BillingCycleEndDate           *time.Time        `json:"billingCycleEndDate,omitempty"`
	Status                        string            `json:"status"`
	AutoRenewEnabled              bool              `json:"autoRenewEnabled"`
	BillingType                   string            `json:"billingType"`
	BillingCycle                  string            `json:"billingCycle"`
	TermDuration                  string            `json:"termDuration,omitempty"`
	IsTrial                       bool              `json:"isTrial"`
	Actions                       []string          `json:"actions"`
	RefundOptions                 []map[string]any  `json:"refundOptions"`
	RefundableQuantity            map[string]any    `json:"refundableQuantity"`
	ScheduledNextTermInstructions *csp.NextTerm     `json:"scheduledNextTermInstructions"`
	PartnerID                     string            `json:"partnerId,omitempty"`
	OrderID                       *uuid.UUID        `json:"orderId,omitempty"`
	CatalogItemID                 string            `json:"catalogItemId"`
	IsMicrosoftProduct            bool              `json:"isMicrosoftProduct"`
	PublisherName                 string            `json:"publisherName"`
	UnitPrice                     json.Number       `json:"unitPrice"`
	CurrencyCode                  string            `json:"currencyCode"`
	Links                         map[string]link   `json:"links"`
	Attributes                    map[string]string `json:"attributes"`
}

func subscriptionResource(sub *csp.Subscription, now time.Time) subscriptionJSON {
	j := subscriptionJSON{ID: sub.ID, OfferID: sub.OfferID(), OfferName: sub.OfferName, FriendlyName: sub.FriendlyName,
		ProductType: map[string]string{"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"}, Quantity: sub.Quantity, UnitType: sub.UnitType,
		ParentSubscriptionID: sub.ParentID, CreationDate: sub.CreatedAt, Status: sub.Status, AutoRenewEnabled: sub.AutoRenew, BillingType: "license",
		BillingCycle: sub.BillingCycle, TermDuration: sub.TermDuration, IsTrial: sub.IsTrial, Actions: []string{}, RefundOptions: []map[string]any{},
		ScheduledNextTermInstructions: sub.Scheduled, PartnerID: sub.ResellerMpnID, OrderID: sub.OrderID, CatalogItemID: sub.CatalogItemID().String(),
		IsMicrosoftProduct: true, PublisherName: "Microsoft Corporation", UnitPrice: money(sub.UnitPrice), CurrencyCode: sub.Currency,
		Links: selfLink("/customers/%s/subscriptions/%s", sub.TenantID, sub.ID), Attributes: attrsETag("Subscription", csp.ETag(sub.ID, sub.Version))}
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
		j.EffectiveStartDate, j.CommitmentEndDate = &start, &end
		if sub.Live() {
			j.BillingCycleEndDate = &cycle
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
	now := s.app.Now(r.Context())
	items := make([]subscriptionJSON, len(got.Items))
	for i, sub := range got.Items {
		items[i] = subscriptionResource(sub, now)
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
	writeJSON(w, http.StatusOK, subscriptionResource(sub, s.app.Now(r.Context())))
}

func (s *Server) patchSubscription(w http.ResponseWriter, r *http.Request) {
	id, sid, err := s.subscriptionIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		Quantity         *int            `json:"quantity"`
		Status           *string         `json:"status"`
		AutoRenewEnabled *bool           `json:"autoRenewEnabled"`
		FriendlyName     *string         `json:"friendlyName"`
		Scheduled        json.RawMessage `json:"scheduledNextTermInstructions"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	patch := app.SubscriptionPatch{Quantity: b.Quantity, Status: b.Status, AutoRenew: b.AutoRenewEnabled, FriendlyName: b.FriendlyName, IfMatch: ifMatch(r)}
	if len(b.Scheduled) > 0 {
		var nt *scheduledBody
		if err := json.Unmarshal(b.Scheduled, &nt); err != nil {
			writeError(w, r, csp.Errorf(csp.EInvalidBody, "scheduledNextTermInstructions: %s", err.Error()))
			return
		}
		var next *csp.NextTerm
		if nt != nil {
			next = &csp.NextTerm{ProductID: nt.Product.ProductID, SkuID: nt.Product.SkuID, AvailabilityID: nt.Product.AvailabilityID,
				BillingCycle: nt.Product.BillingCycle, TermDuration: nt.Product.TermDuration, Quantity: nt.Quantity, CustomTermEndDate: nt.CustomTermEndDate}
		}
		patch.Scheduled = &next
	}
	sub, err := s.app.PatchSubscription(r.Context(), principal(r), id, sid, patch)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, subscriptionResource(sub, s.app.Now(r.Context())))
}

// scheduledBody is Partner Center's scheduledNextTermInstructions.
type scheduledBody struct {
	Product struct {
		ProductID      string `json:"productId"`
		SkuID          string `json:"skuId"`
		AvailabilityID string `json:"availabilityId"`
		BillingCycle   string `json:"billingCycle"`
		TermDuration   string `json:"termDuration"`
	} `json:"product"`
	Quantity          int        `json:"quantity"`
	CustomTermEndDate *time.Time `json:"customTermEndDate"`
}

type chargeLineJSON struct {
	ChargeType         string      `json:"chargeType"`
	Quantity           int         `json:"quantity"`
	BillableQuantity   json.Number `json:"billableQuantity"`
	UnitPrice          json.Number `json:"unitPrice"`
	EffectiveUnitPrice json.Number `json:"effectiveUnitPrice"`
	Subtotal           json.Number `json:"subtotal"`
	Currency           string      `json:"currency"`
	ChargeStartDate    time.Time   `json:"chargeStartDate"`
	ChargeEndDate      time.Time   `json:"chargeEndDate"`
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
	type eventJSON struct {
		EventDate   time.Time        `json:"eventDate"`
		EventType   string           `json:"eventType"`
		Changes     map[string]any   `json:"changes"`
		ChargeLines []chargeLineJSON `json:"chargeLines"`
	}
	items := make([]eventJSON, len(got.Items))
	for i, ev := range got.Items {
		lines := []chargeLineJSON{}
		for _, c := range ev.Charges {
			lines = append(lines, chargeLineJSON{ChargeType: c.ChargeType, Quantity: c.Quantity, BillableQuantity: json.Number(c.BillableQuantity.StringFixed(6)),
				UnitPrice: money(c.UnitPrice), EffectiveUnitPrice: money(c.EffectiveUnitPrice), Subtotal: money(c.Subtotal), Currency: c.Currency,
				ChargeStartDate: c.ChargeStart, ChargeEndDate: c.ChargeEnd})
		}
		items[i] = eventJSON{EventDate: ev.Date, EventType: ev.Type, Changes: ev.Changes, ChargeLines: lines}
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+id.String()+"/subscriptions/"+sid.String()+"/history", nextToken(kind, got.Next)))
}

// periodOf is the month of the sandbox (or wall) clock that
// period=current|previous names.
func periodOf(now time.Time, period string) (time.Time, time.Time, error) {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	switch strings.ToLower(period) {
	case "", "current":
		return first, first.AddDate(0, 1, 0), nil
	case "previous":
		return first.AddDate(0, -1, 0), first, nil
	}
	return time.Time{}, time.Time{}, csp.Errorf(csp.EInvalidQuery, "period %q is not valid: use current or previous", period)
}

// reconLineJSON is Partner Center's new-commerce (one-time provider)
// reconciliation line item.
type reconLineJSON struct {
	PartnerID                  string            `json:"partnerId"`
	CustomerID                 string            `json:"customerId"`
	CustomerName               string            `json:"customerName"`
	CustomerDomainName         string            `json:"customerDomainName"`
	CustomerCountry            string            `json:"customerCountry"`
	InvoiceNumber              string            `json:"invoiceNumber"`
	MpnID                      string            `json:"mpnId"`
	ResellerMpnID              string            `json:"resellerMpnId"`
	OrderID                    string            `json:"orderId"`
	OrderDate                  *time.Time        `json:"orderDate"`
	ProductID                  string            `json:"productId"`
	SkuID                      string            `json:"skuId"`
	AvailabilityID             string            `json:"availabilityId"`
	ProductName                string            `json:"productName"`
	SkuName                    string            `json:"skuName"`
	ChargeType                 string            `json:"chargeType"`
	UnitPrice                  json.Number       `json:"unitPrice"`
	EffectiveUnitPrice         json.Number       `json:"effectiveUnitPrice"`
	UnitType                   string            `json:"unitType"`
	Quantity                   int               `json:"quantity"`
	Subtotal                   json.Number       `json:"subtotal"`
	TaxTotal                   json.Number       `json:"taxTotal"`
	TotalForCustomer           json.Number       `json:"totalForCustomer"`
	Currency                   string            `json:"currency"`
	PublisherName              string            `json:"publisherName"`
	PublisherID                string            `json:"publisherId"`
	SubscriptionDescription    string            `json:"subscriptionDescription"`
	SubscriptionID             string            `json:"subscriptionId"`
	SubscriptionStartDate      time.Time         `json:"subscriptionStartDate"`
	SubscriptionEndDate        time.Time         `json:"subscriptionEndDate"`
	ChargeStartDate            time.Time         `json:"chargeStartDate"`
	ChargeEndDate              time.Time         `json:"chargeEndDate"`
	TermAndBillingCycle        string            `json:"termAndBillingCycle"`
	AlternateID                string            `json:"alternateId"`
	PriceAdjustmentDescription string            `json:"priceAdjustmentDescription"`
	PricingCurrency            string            `json:"pricingCurrency"`
	PCToBCExchangeRate         json.Number       `json:"pcToBCExchangeRate"`
	PCToBCExchangeRateDate     time.Time         `json:"pcToBCExchangeRateDate"`
	BillableQuantity           json.Number       `json:"billableQuantity"`
	MeterDescription           string            `json:"meterDescription"`
	BillingFrequency           string            `json:"billingFrequency"`
	ReservationOrderID         string            `json:"reservationOrderId"`
	CreditReasonCode           string            `json:"creditReasonCode"`
	PromotionID                string            `json:"promotionId"`
	Attributes                 map[string]string `json:"attributes"`
}

// termAndBilling renders "P1Y:monthly" as Partner Center's "1 Year - Monthly".
func termAndBilling(key string) (string, string) {
	term, cycle, _ := strings.Cut(key, ":")
	names := map[string]string{"P1M": "1 Month", "P1Y": "1 Year", "P3Y": "3 Years", "monthly": "Monthly", "annual": "Annual", "triennial": "Triennial"}
	return names[term] + " - " + names[cycle], names[cycle]
}

func (s *Server) unbilledLineItems(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if p := strings.ToLower(q.Get("provider")); p != "onetime" {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "provider %q is not available: use provider=onetime (new-commerce licence charges)", q.Get("provider")))
		return
	}
	if t := strings.ToLower(q.Get("invoiceLineItemType")); t != "billinglineitems" {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "invoiceLineItemType %q is not available: use billinglineitems", q.Get("invoiceLineItemType")))
		return
	}
	currency := strings.ToUpper(q.Get("currencyCode"))
	if len(currency) != 3 {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "currencyCode is required (USD, CAD, GBP, EUR)"))
		return
	}
	from, to, err := periodOf(s.app.Now(r.Context()), q.Get("period"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	kind := "unbilled:" + currency + ":" + from.Format("2006-01")
	// Partner Center's default page of line items is 2000; ours is at most
	// 1000 (DESIGN.md), with the next page offered while lines remain.
	pg, err := page[app.Cursor](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	page, err := s.app.UnbilledCharges(r.Context(), principal(r), currency, from, to, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	next := nextToken(kind, page.Next)
	items := make([]reconLineJSON, len(page.Charges))
	for i, c := range page.Charges {
		t := page.Tenants[c.TenantID]
		tb, freq := termAndBilling(c.TermAndBilling)
		line := reconLineJSON{PartnerID: page.Partner.ID.String(), CustomerID: c.TenantID.String(), CustomerName: t.DisplayName,
			CustomerDomainName: t.DefaultDomain(), CustomerCountry: t.Country, MpnID: page.Partner.MpnID, ResellerMpnID: c.ResellerMpnID,
			ProductID: c.ProductID, SkuID: c.SkuID, AvailabilityID: c.AvailabilityID, ProductName: c.ProductName, SkuName: c.SkuName,
			ChargeType: c.ChargeType, UnitPrice: money(c.UnitPrice), EffectiveUnitPrice: money(c.EffectiveUnitPrice), UnitType: "Licenses",
			Quantity: c.Quantity, Subtotal: money(c.Subtotal), TaxTotal: "0.00", TotalForCustomer: money(c.Subtotal), Currency: c.Currency,
			PublisherName: "Microsoft Corporation", PublisherID: "", SubscriptionDescription: c.SkuName, SubscriptionID: c.SubscriptionID.String(),
			SubscriptionStartDate: c.SubscriptionStart, SubscriptionEndDate: c.SubscriptionEnd, ChargeStartDate: c.ChargeStart, ChargeEndDate: c.ChargeEnd,
			TermAndBillingCycle: tb, AlternateID: c.ID.String(), PricingCurrency: c.Currency, PCToBCExchangeRate: "1",
			PCToBCExchangeRateDate: time.Date(c.PostedAt.Year(), c.PostedAt.Month(), 1, 0, 0, 0, 0, time.UTC),
			BillableQuantity:       json.Number(c.BillableQuantity.StringFixed(6)), BillingFrequency: freq, Attributes: attrs("OneTimeInvoiceLineItem")}
		if c.OrderID != nil {
			line.OrderID = c.OrderID.String()
			if o := page.Orders[*c.OrderID]; o != nil {
				line.OrderDate = &o.CreatedAt
			}
		}
		items[i] = line
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/invoices/unbilled/lineitems?"+r.URL.RawQuery, next))
}
