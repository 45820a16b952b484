package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

type customerPage struct {
	layout
	Customer      *csp.Tenant
	Error         string
	Subscriptions []subView
	// MoreSubscriptions says the customer has more than the page shows.
	MoreSubscriptions bool
	Agreement         *csp.Agreement // the latest attested MCA, nil when none
	Today             string
	Currency          string
	Items             []itemOption
	Terms             []termOption
	Quantity          string
	FriendlyName      string
	Cart              *cartView
	// Orders are what the checkout that led here placed.
	Orders []orderView
	// Azure are the Azure subscriptions under the customer's Azure plans.
	Azure []partnerAzureView
}

type subView struct {
	*csp.Subscription
	// CancelUntil is when the cancellation window closes, or "closed".
	CancelUntil string
	Running     bool // active or suspended: the actions apply
	// Cancellable shows the cancel button; NoCancel says why a running
	// subscription has none.
	Cancellable bool
	NoCancel    string
	Scheduled   string
}

func newSubView(s *csp.Subscription, now time.Time) subView {
	v := subView{Subscription: s, CancelUntil: "closed", Running: s.Status == csp.StatusActive || s.Status == csp.StatusSuspended}
	switch {
	case s.Cancellable(now):
		v.Cancellable, v.CancelUntil = true, formatDateTime(s.CancellationAllowedUntil())
	case !v.Running:
	case s.IsTrial:
		v.NoCancel = "A trial cannot be cancelled: it ends by itself on " + formatDate(s.TermEnd) + "."
	case !s.HasTerm():
		v.NoCancel = "A usage-based plan has no cancellation window: it is billed only for what is used."
	default:
		v.NoCancel = cancelClosedText(s)
	}
	if n := s.Scheduled; n != nil {
		v.Scheduled = fmt.Sprintf("quantity %d · SKU %s:%s · %s", n.Quantity, n.ProductID, n.SkuID, formatTerm(n.TermDuration, n.BillingCycle))
	}
	return v
}

// cancelClosedText says why a subscription past its window has no cancel
// button, and what ends it instead.
func cancelClosedText(s *csp.Subscription) string {
	then := "Turn auto-renew off to end it when its term ends on " + formatDate(s.TermEnd) + "."
	if !s.AutoRenew {
		then = "With auto-renew off, it ends when its term ends on " + formatDate(s.TermEnd) + "."
	}
	return "It can no longer be cancelled: cancellation is possible only within 7 days of the purchase or renewal, and that window closed on " +
		formatDateTime(s.CancellationAllowedUntil()) + ". " + then
}

// customerView is what the customer page shows besides the refusal: the
// cart, the form's choices and the orders a checkout placed.
type customerView struct {
	Cart   *uuid.UUID
	Form   cartForm
	Orders []uuid.UUID
}

func (h *handler) customer(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	id, err := customerID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := customerView{Form: cartForm{Item: q.Get("catalogItemId"), Term: q.Get("term"), Quantity: q.Get("quantity"), FriendlyName: q.Get("friendlyName")}}
	v.Cart, err = optionalID(q.Get("cart"), csp.Errorf(csp.ECartNotFound, "cart %q was not found", q.Get("cart")))
	for _, s := range q["order"] {
		var o *uuid.UUID
		if o, err = optionalID(s, csp.Errorf(csp.EOrderNotFound, "order %q was not found", s)); err != nil || o == nil {
			break
		}
		v.Orders = append(v.Orders, *o)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showCustomer(w, r, p, id, http.StatusOK, "", v)
}

// showCustomer renders the customer page with a status and an error
// message (empty when all went well).
func (h *handler) showCustomer(w http.ResponseWriter, r *http.Request, p csp.Principal, id uuid.UUID, status int, msg string, v customerView) {
	page, err := h.loadCustomer(r.Context(), p, id, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Error = msg
	h.render(w, r, status, "customer", page)
}

// actionFailed shows a refused action on the customer page in plain words
// with the APIs' status. A missing customer or subscription, and internal
// errors, get the error page.
func (h *handler) actionFailed(w http.ResponseWriter, r *http.Request, p csp.Principal, id uuid.UUID, err error, ab about, v customerView) {
	status := statusOf(err)
	if status == http.StatusNotFound || status >= http.StatusInternalServerError {
		h.failAbout(w, r, err, ab)
		return
	}
	if ab.Partner == nil {
		ab.Partner, _ = h.app.OwnPartner(r.Context(), p)
	}
	h.showCustomer(w, r, p, id, status, plainMessage(err, ab), v)
}

func (h *handler) loadCustomer(ctx context.Context, p csp.Principal, id uuid.UUID, v customerView) (*customerPage, error) {
	wh, partner, err := h.partnerHeader(ctx, p)
	if err != nil {
		return nil, err
	}
	c, err := h.app.GetCustomer(ctx, p, id)
	if err != nil {
		return nil, err
	}
	t := c.Tenant
	// A page of subscriptions (the first 1000) and the newest agreement.
	subs, err := h.app.ListSubscriptions(ctx, p, id, nil, app.Page[app.Cursor]{})
	if err != nil {
		return nil, err
	}
	ags, err := h.app.ListAgreements(ctx, p, id, app.Page[app.Cursor]{})
	if err != nil {
		return nil, err
	}
	// Every segment's items, so that a cart line of another segment is
	// named; the form offers the customer's own.
	items, err := h.app.MarketCatalog(ctx, p, app.CatalogQuery{Country: t.Country})
	if err != nil {
		return nil, err
	}
	now := h.app.Now(ctx)
	form := v.Form
	page := &customerPage{layout: h.layout(t.DisplayName, wh), Customer: t, Today: formatDate(now),
		Quantity: form.Quantity, FriendlyName: form.FriendlyName}
	if page.Quantity == "" {
		page.Quantity = "1"
	}
	for _, ag := range ags.Items {
		if page.Agreement == nil || ag.DateAgreed.After(page.Agreement.DateAgreed) {
			page.Agreement = ag
		}
	}
	page.MoreSubscriptions = subs.Next != nil
	for _, s := range subs.Items {
		page.Subscriptions = append(page.Subscriptions, newSubView(s, now))
	}
	if page.Azure, err = h.loadPartnerAzure(ctx, p, t, page.Subscriptions); err != nil {
		return nil, err
	}

	// The cart form: the customer's market catalog, and the terms of the
	// chosen item (or every term sold in the market when none is chosen).
	m := market{Tenant: t, Partner: partner, Items: map[string]app.MarketItem{}}
	var own []app.MarketItem
	var chosen *app.MarketItem
	for _, it := range items {
		id := it.ID().String()
		m.Items[id] = it
		page.Currency = it.Currency
		if it.Availability.Segment != t.Segment {
			continue
		}
		own = append(own, it)
		sel := strings.EqualFold(id, form.Item)
		if sel {
			chosen = &it
		}
		page.Items = append(page.Items, itemOption{ID: id, Label: itemLabel(it.Item), Selected: sel})
	}
	page.Terms = termOptions(own, chosen, form.Term)

	if v.Cart != nil {
		q, err := h.app.QuoteCart(ctx, p, id, *v.Cart)
		if err != nil {
			return nil, err
		}
		page.Cart = m.cartView(q)
	}
	for _, oid := range v.Orders {
		o, err := h.app.GetOrder(ctx, p, id, oid)
		if err != nil {
			return nil, err
		}
		ov, err := m.orderView(o)
		if err != nil {
			return nil, err
		}
		page.Orders = append(page.Orders, ov)
	}
	return page, nil
}

// customerForm starts every form action on a customer: the signed-in user,
// the customer id from the path and the parsed form. It answers false when
// it has already answered the request.
func (h *handler) customerForm(w http.ResponseWriter, r *http.Request) (csp.Principal, uuid.UUID, bool) {
	p, ok := h.principal(w, r)
	if !ok {
		return p, uuid.Nil, false
	}
	id, err := customerID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.fail(w, r, err)
		return p, uuid.Nil, false
	}
	return p, id, true
}

func (h *handler) recordAgreement(w http.ResponseWriter, r *http.Request) {
	p, id, ok := h.customerForm(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	cart, _ := optionalID(f.Get("cart"), nil)
	now := h.app.Now(r.Context())
	_, err := h.app.CreateAgreement(r.Context(), p, id, app.NewAgreement{Type: csp.AgreementMCA, TemplateID: csp.MCATemplateID, DateAgreed: csp.Day(now),
		Contact: csp.Contact{FirstName: strings.TrimSpace(f.Get("firstName")), LastName: strings.TrimSpace(f.Get("lastName")), Email: strings.TrimSpace(f.Get("email"))}})
	if err != nil {
		h.actionFailed(w, r, p, id, err, about{}, customerView{Cart: cart})
		return
	}
	http.Redirect(w, r, customerURL(id, cart), http.StatusSeeOther)
}
