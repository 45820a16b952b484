package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// catalogCountries are the markets the catalog page offers.
var catalogCountries = []string{"US", "CA", "GB", "DE", "FR", "NO", "JP"}

// catalogSegments are the segments the catalog page filters by; "" is all.
var catalogSegments = []string{"", string(csp.SegmentCommercial), string(csp.SegmentEducation), string(csp.SegmentGovernment), string(csp.SegmentNonprofit)}

// clockSteps are the durations the operator's clock form offers.
var clockSteps = []string{"P1D", "P7D", "P1M", "P1Y"}

// termOrder sorts term keys: shortest term first, monthly billing first.
var termOrder = []string{"P1M:monthly", "P1Y:monthly", "P1Y:annual", "P3Y:monthly", "P3Y:annual", "P3Y:triennial", ":monthly"}

// defaultTerm is preselected in the cart form when the item sells it.
const defaultTerm = "P1Y:monthly"

func (h *handler) routesCommerce() {
	h.mux.HandleFunc("GET /console/catalog", h.catalogPage)
	h.mux.HandleFunc("GET /console/customers/{id}", h.customer)
	h.mux.HandleFunc("POST /console/customers/{id}/agreement", h.recordAgreement)
	h.mux.HandleFunc("POST /console/customers/{id}/cart", h.addToCart)
	h.mux.HandleFunc("POST /console/customers/{id}/checkout", h.checkout)
	h.mux.HandleFunc("GET /console/customers/{id}/subscriptions/{sid}", h.subscriptionHistory)
	h.mux.HandleFunc("POST /console/customers/{id}/subscriptions/{sid}/{action}", h.subscriptionAction)
	h.mux.HandleFunc("POST /console/clock/advance", h.advanceClock)
}

// partnerWho is the header of a partner user's page.
func (h *handler) partnerWho(ctx context.Context, p csp.Principal) (*who, error) {
	partner, err := h.app.OwnPartner(ctx, p)
	if err != nil {
		return nil, err
	}
	return &who{Org: partner.Name, User: p.UserPrincipalName, Role: "Partner user", Partner: true}, nil
}

// parseForm reads a bounded form body.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return csp.Errorf(csp.EInvalidField, "The form could not be read; try again.")
	}
	return nil
}

func customerID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return uuid.Nil, csp.Errorf(csp.ECustomerNotFound, "customer %q was not found among this partner's customers", r.PathValue("id"))
	}
	return id, nil
}

// customerURL is the customer page, showing the cart when one is given.
func customerURL(id uuid.UUID, cart *uuid.UUID) string {
	u := "/console/customers/" + id.String()
	if cart != nil {
		u += "?" + url.Values{"cart": {cart.String()}}.Encode()
	}
	return u
}

// optionalID parses an optional id from a form or query; an empty value is
// nil, a malformed one answers notFound.
func optionalID(s string, notFound error) (*uuid.UUID, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return nil, notFound
	}
	return &id, nil
}

// --- the customer page ---

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

type itemOption struct {
	ID       string
	Label    string
	Selected bool
}

type termOption struct {
	Key      string
	Label    string
	Selected bool
}

type cartView struct {
	ID        uuid.UUID
	Status    string
	Active    bool
	ExpiresAt time.Time
	Lines     []cartLineView
}

type cartLineView struct {
	csp.CartLine
	Name  string
	Price string
}

// cartForm is what the user chose in the cart form, kept when the page is
// shown again.
type cartForm struct {
	Item, Term, Quantity, FriendlyName string
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

func itemLabel(it csp.Item) string {
	if it.Sku.Title == "" || it.Sku.Title == it.Product.Title {
		return it.Product.Title
	}
	return it.Product.Title + " — " + it.Sku.Title
}

// priceLabel is a term's unit price today, "USD 23.10".
func priceLabel(it app.MarketItem, term csp.Term, now time.Time) string {
	switch {
	case it.Product.ProductType == "Azure":
		return "usage-based"
	case it.Sku.IsTrial:
		return "free trial"
	}
	price, ok := it.Availability.Price(term, it.Currency, now)
	if !ok {
		return "no price"
	}
	return it.Currency + " " + price.StringFixed(2)
}

func termOptions(items []app.MarketItem, chosen *app.MarketItem, selected string, now time.Time) []termOption {
	var keys []string
	labels := map[string]string{}
	add := func(t csp.Term, label string) {
		if !slices.Contains(keys, t.Key()) {
			keys = append(keys, t.Key())
			labels[t.Key()] = label
		}
	}
	if chosen != nil {
		for _, t := range chosen.Availability.Terms {
			add(t, formatTerm(t.Duration, t.BillingCycle)+" — "+priceLabel(*chosen, t, now))
		}
	} else {
		for _, it := range items {
			for _, t := range it.Availability.Terms {
				add(t, formatTerm(t.Duration, t.BillingCycle))
			}
		}
	}
	slices.SortStableFunc(keys, func(a, b string) int { return rank(a) - rank(b) })
	if !slices.Contains(keys, selected) {
		selected = defaultTerm
		if !slices.Contains(keys, selected) && len(keys) > 0 {
			selected = keys[0]
		}
	}
	out := make([]termOption, len(keys))
	for i, k := range keys {
		out[i] = termOption{Key: k, Label: labels[k], Selected: k == selected}
	}
	return out
}

func rank(key string) int {
	if i := slices.Index(termOrder, key); i >= 0 {
		return i
	}
	return len(termOrder)
}

// --- agreement, cart, checkout ---

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

func (h *handler) addToCart(w http.ResponseWriter, r *http.Request) {
	p, id, ok := h.customerForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	f := r.PostForm
	form := cartForm{Item: strings.TrimSpace(f.Get("catalogItemId")), Term: f.Get("term"), Quantity: strings.TrimSpace(f.Get("quantity")), FriendlyName: strings.TrimSpace(f.Get("friendlyName"))}
	cart, err := optionalID(f.Get("cart"), csp.Errorf(csp.ECartNotFound, "cart %q was not found", f.Get("cart")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	qty, err := strconv.Atoi(form.Quantity)
	if err != nil || qty < 1 {
		h.actionFailed(w, r, p, id, csp.Errorf(csp.EInvalidField, "Quantity %q is not a number of seats: enter a whole number of at least 1.", form.Quantity), cart, form)
		return
	}
	duration, cycle, ok := strings.Cut(form.Term, ":")
	if !ok || form.Item == "" {
		h.actionFailed(w, r, p, id, csp.Errorf(csp.EInvalidField, "Choose a catalog item and a term."), cart, form)
		return
	}
	line := csp.CartLine{CatalogItemID: form.Item, Quantity: qty, TermDuration: duration, BillingCycle: cycle, FriendlyName: form.FriendlyName}

	var lines []csp.CartLine
	if cart != nil {
		c, err := h.app.GetCart(ctx, p, id, *cart)
		if err != nil {
			h.actionFailed(w, r, p, id, err, nil, form)
			return
		}
		if c.Status == csp.CartActive {
			lines = c.Lines
		} else {
			cart = nil // ordered or expired: start a new cart
		}
	}
	var c *csp.Cart
	if cart != nil {
		c, err = h.app.UpdateCart(ctx, p, id, *cart, append(lines, line), "")
	} else {
		c, err = h.app.CreateCart(ctx, p, id, []csp.CartLine{line})
	}
	if err != nil {
		h.actionFailed(w, r, p, id, err, cart, form)
		return
	}
	http.Redirect(w, r, customerURL(id, &c.ID), http.StatusSeeOther)
}

func (h *handler) checkout(w http.ResponseWriter, r *http.Request) {
	p, id, ok := h.customerForm(w, r)
	if !ok {
		return
	}
	cart, err := optionalID(r.PostForm.Get("cart"), csp.Errorf(csp.ECartNotFound, "cart %q was not found", r.PostForm.Get("cart")))
	if err == nil && cart == nil {
		err = csp.Errorf(csp.ECartNotFound, "there is no cart to check out: add a line first")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.app.Checkout(r.Context(), p, id, *cart, ""); err != nil {
		h.actionFailed(w, r, p, id, err, cart, cartForm{})
		return
	}
	http.Redirect(w, r, customerURL(id, cart), http.StatusSeeOther)
}

// --- subscription actions ---

func (h *handler) subscriptionAction(w http.ResponseWriter, r *http.Request) {
	p, id, ok := h.customerForm(w, r)
	if !ok {
		return
	}
	sid, err := uuid.Parse(r.PathValue("sid"))
	if err != nil {
		h.fail(w, r, csp.Errorf(csp.ESubscriptionNotFound, "subscription %q was not found among this partner's subscriptions of customer %s", r.PathValue("sid"), id))
		return
	}
	f := r.PostForm
	quantity := func() (*int, error) {
		q, err := strconv.Atoi(strings.TrimSpace(f.Get("quantity")))
		if err != nil {
			return nil, csp.Errorf(csp.EInvalidField, "Quantity %q is not a number of seats: enter a whole number.", f.Get("quantity"))
		}
		return &q, nil
	}
	status := func(s string) *string { return &s }
	var patch app.SubscriptionPatch
	switch r.PathValue("action") {
	case "cancel":
		patch.Status = status(csp.StatusDeleted)
	case "suspend":
		patch.Status = status(csp.StatusSuspended)
	case "reactivate":
		patch.Status = status(csp.StatusActive)
	case "quantity":
		patch.Quantity, err = quantity()
	case "autorenew":
		on := f.Get("autoRenew") == "on"
		patch.AutoRenew = &on
	case "schedule":
		var q *int
		if q, err = quantity(); err == nil {
			// Only the quantity: the app fills in the same SKU and term.
			nt := &csp.NextTerm{Quantity: *q}
			patch.Scheduled = &nt
		}
	case "unschedule":
		var none *csp.NextTerm
		patch.Scheduled = &none
	default:
		h.fail(w, r, csp.Errorf(csp.ENotFound, "There is no page at %s.", r.URL.Path))
		return
	}
	if err == nil {
		_, err = h.app.PatchSubscription(r.Context(), p, id, sid, patch)
	}
	if err != nil {
		h.actionFailed(w, r, p, id, err, nil, cartForm{})
		return
	}
	http.Redirect(w, r, customerURL(id, nil), http.StatusSeeOther)
}

// --- subscription history ---

// historyPageSize is the events on one page of a subscription's history.
const historyPageSize = 200

type historyPage struct {
	layout
	Customer     *csp.Tenant
	Subscription subView
	Events       []eventView // in time order
	Next         string      // the next page's URL, empty on the last page
}

type eventView struct {
	*csp.Event
	Changes []string
}

func (h *handler) subscriptionHistory(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	id, err := customerID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sid, err := uuid.Parse(r.PathValue("sid"))
	if err != nil {
		h.fail(w, r, csp.Errorf(csp.ESubscriptionNotFound, "subscription %q was not found among this partner's subscriptions of customer %s", r.PathValue("sid"), id))
		return
	}
	wh, err := h.partnerWho(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.app.GetCustomer(ctx, p, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.app.GetSubscription(ctx, p, id, sid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	after, err := decodeCursor(r.URL.Query().Get("continuation"), func(c app.Cursor) bool { return c.ID != uuid.Nil })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	evs, err := h.app.SubscriptionHistory(ctx, p, id, sid, app.Page[app.Cursor]{After: after, Size: historyPageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := historyPage{layout: h.layout(s.FriendlyName+" · history", wh), Customer: c.Tenant, Subscription: subView{Subscription: s}}
	for _, ev := range evs.Items {
		page.Events = append(page.Events, eventView{Event: ev, Changes: formatChanges(ev.Changes)})
	}
	if evs.Next != nil {
		page.Next = r.URL.Path + "?" + url.Values{"continuation": {encodeCursor(*evs.Next)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "history", page)
}

// formatChanges describes an event's changes, one "key: value" per entry,
// by key.
func formatChanges(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + ": " + formatValue(m[k])
	}
	return out
}

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "none"
	case string:
		if x == "" {
			return "none"
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "on"
		}
		return "off"
	case []any:
		if len(x) == 2 {
			return formatValue(x[0]) + " → " + formatValue(x[1])
		}
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k, e := range x {
			if e != nil && e != "" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + formatValue(x[k])
		}
		return strings.Join(parts, " ")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// --- catalog ---

type catalogPage struct {
	layout
	Country   string
	Segment   string
	Countries []string
	Segments  []string
	Currency  string
	Items     []catalogRow
}

type catalogRow struct {
	Product, Sku, SkuID, ID, Segment string
	Terms                            []termOption
}

func (h *handler) catalogPage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	wh, err := h.partnerWho(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	country := strings.ToUpper(strings.TrimSpace(q.Get("country")))
	if country == "" {
		country = "US"
	}
	segment := strings.ToLower(strings.TrimSpace(q.Get("segment")))
	items, err := h.app.MarketCatalog(ctx, p, app.CatalogQuery{Country: country, Segment: segment})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.app.Now(r.Context())
	page := catalogPage{layout: h.layout("Catalog", wh), Country: country, Segment: segment, Countries: catalogCountries, Segments: catalogSegments}
	for _, it := range items {
		page.Currency = it.Currency
		row := catalogRow{Product: it.Product.Title, Sku: it.Sku.Title, SkuID: it.Sku.ID, ID: it.ID().String(), Segment: string(it.Availability.Segment)}
		for _, t := range it.Availability.Terms {
			row.Terms = append(row.Terms, termOption{Key: t.Key(), Label: formatTerm(t.Duration, t.BillingCycle) + ": " + priceLabel(it, t, now)})
		}
		slices.SortStableFunc(row.Terms, func(a, b termOption) int { return rank(a.Key) - rank(b.Key) })
		page.Items = append(page.Items, row)
	}
	h.render(w, r, http.StatusOK, "catalog", page)
}

// --- the operator's clock ---

func (h *handler) advanceClock(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	d := strings.TrimSpace(r.PostForm.Get("custom"))
	if d == "" {
		d = strings.TrimSpace(r.PostForm.Get("duration"))
	}
	res, err := h.app.AdvanceClock(r.Context(), p, d, time.Time{})
	if err != nil {
		if p.Kind != csp.PrincipalOperator {
			h.fail(w, r, err)
			return
		}
		status := statusOf(err)
		if status >= http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		h.operatorPage(w, r, p, status, operatorNotice{Error: csp.ErrorMessage(err), Duration: d})
		return
	}
	http.Redirect(w, r, "/console?"+url.Values{"processed": {strconv.Itoa(res.ProcessedEvents)}}.Encode(), http.StatusSeeOther)
}

// --- template helpers ---

// formatDateTime is an instant to the minute, in UTC.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// formatTerm is "P1Y/monthly"; the Azure plan has no term.
func formatTerm(duration, cycle string) string {
	if duration == "" {
		return "usage-based, " + cycle
	}
	return duration + "/" + cycle
}

func formatMoney(d decimal.Decimal) string { return d.StringFixed(2) }

func formatQuantity(d decimal.Decimal) string { return d.StringFixed(6) }
