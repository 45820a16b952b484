package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"context"
	"fmt"
	"net/http"
	"strings"

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
}

type subView struct {
	*csp.Subscription
	// CancelUntil is when the cancellation window closes, or "closed".
	CancelUntil string
	Running     bool // active or suspended: the actions apply
	Scheduled   string
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
	cart, err := optionalID(q.Get("cart"), csp.Errorf(csp.ECartNotFound, "cart %q was not found", q.Get("cart")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form := cartForm{Item: q.Get("catalogItemId"), Term: q.Get("term"), Quantity: q.Get("quantity"), FriendlyName: q.Get("friendlyName")}
	h.showCustomer(w, r, p, id, http.StatusOK, "", cart, form)
}

// showCustomer renders the customer page with a status and an error
// message (empty when all went well).
func (h *handler) showCustomer(w http.ResponseWriter, r *http.Request, p csp.Principal, id uuid.UUID, status int, msg string, cart *uuid.UUID, form cartForm) {
	page, err := h.loadCustomer(r.Context(), p, id, cart, form)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Error = msg
	h.render(w, r, status, "customer", page)
}

// actionFailed shows a refused action on the customer page with its
// message and the APIs' status. A missing customer or subscription, and
// internal errors, get the error page.
func (h *handler) actionFailed(w http.ResponseWriter, r *http.Request, p csp.Principal, id uuid.UUID, err error, cart *uuid.UUID, form cartForm) {
	status := statusOf(err)
	if status == http.StatusNotFound || status >= http.StatusInternalServerError {
		h.fail(w, r, err)
		return
	}
	h.showCustomer(w, r, p, id, status, csp.ErrorMessage(err), cart, form)
}

func (h *handler) loadCustomer(ctx context.Context, p csp.Principal, id uuid.UUID, cartID *uuid.UUID, form cartForm) (*customerPage, error) {
	wh, err := h.partnerWho(ctx, p)
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
	items, err := h.app.MarketCatalog(ctx, p, app.CatalogQuery{Country: t.Country, Segment: string(t.Segment)})
	if err != nil {
		return nil, err
	}
	now := h.app.Now(ctx)
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
		v := subView{Subscription: s, CancelUntil: "closed", Running: s.Status == csp.StatusActive || s.Status == csp.StatusSuspended}
		if s.Cancellable(now) {
			v.CancelUntil = formatDateTime(s.CancellationAllowedUntil())
		}
		if n := s.Scheduled; n != nil {
			v.Scheduled = fmt.Sprintf("quantity %d · SKU %s:%s · %s", n.Quantity, n.ProductID, n.SkuID, formatTerm(n.TermDuration, n.BillingCycle))
		}
		page.Subscriptions = append(page.Subscriptions, v)
	}

	// The cart form: the customer's market catalog, and the terms of the
	// chosen item (or every term sold in the market when none is chosen).
	byID := map[string]app.MarketItem{}
	var chosen *app.MarketItem
	for _, it := range items {
		id := it.ID().String()
		byID[id] = it
		page.Currency = it.Currency
		sel := strings.EqualFold(id, form.Item)
		if sel {
			chosen = &it
		}
		page.Items = append(page.Items, itemOption{ID: id, Label: itemLabel(it.Item), Selected: sel})
	}
	page.Terms = termOptions(items, chosen, form.Term, now)

	if cartID != nil {
		cart, err := h.app.GetCart(ctx, p, id, *cartID)
		if err != nil {
			return nil, err
		}
		cv := &cartView{ID: cart.ID, Status: cart.Status, Active: cart.Status == csp.CartActive, ExpiresAt: cart.ExpiresAt}
		for _, l := range cart.Lines {
			lv := cartLineView{CartLine: l, Name: l.CatalogItemID}
			if cid, ok := csp.ParseCatalogItemID(l.CatalogItemID); ok {
				if it, ok := byID[cid.String()]; ok {
					lv.Name = itemLabel(it.Item)
					if term, ok := it.Availability.Term(l.TermDuration, l.BillingCycle); ok {
						lv.Price = priceLabel(it, term, now)
					}
				}
			}
			cv.Lines = append(cv.Lines, lv)
		}
		page.Cart = cv
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
		h.actionFailed(w, r, p, id, err, cart, cartForm{})
		return
	}
	http.Redirect(w, r, customerURL(id, cart), http.StatusSeeOther)
}
