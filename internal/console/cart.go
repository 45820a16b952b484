package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// termOrder sorts term keys: shortest term first, monthly billing first.
var termOrder = []string{"P1M:monthly", "P1Y:monthly", "P1Y:annual", "P3Y:monthly", "P3Y:annual", "P3Y:triennial", ":monthly"}

// defaultTerm is preselected in the cart form when the item sells it.
const defaultTerm = "P1Y:monthly"

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

// cartForm is what the user chose in the cart form, kept when the page is
// shown again.
type cartForm struct {
	Item, Term, Quantity, FriendlyName string
}

func itemLabel(it csp.Item) string {
	if it.Sku.Title == "" || it.Sku.Title == it.Product.Title {
		return it.Product.Title
	}
	return it.Product.Title + " — " + it.Sku.Title
}

// priceLabel is a term's unit price today, "USD 23.10".
func priceLabel(it app.MarketItem, term csp.Term) string {
	switch {
	case it.Product.ProductType == csp.ProductTypeAzure:
		return "usage-based"
	case it.Sku.IsTrial:
		return "free trial"
	}
	price, ok := it.Prices[term.Key()]
	if !ok {
		return "no price"
	}
	return price.String()
}

// termPrice is a term with today's unit price, "P1Y/monthly: USD 23.10";
// the Azure plan is priced by its usage, which its term already says.
func termPrice(it app.MarketItem, t csp.Term, sep string) string {
	label := formatTerm(t.Duration, t.BillingCycle)
	if it.Product.ProductType == csp.ProductTypeAzure {
		return label
	}
	return label + sep + priceLabel(it, t)
}

func termOptions(items []app.MarketItem, chosen *app.MarketItem, selected string) []termOption {
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
			add(t, termPrice(*chosen, t, " — "))
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
		h.actionFailed(w, r, p, id, csp.Errorf(csp.EInvalidField, "Quantity %q is not a number of seats: enter a whole number of at least 1.", form.Quantity), about{}, customerView{Cart: cart, Form: form})
		return
	}
	duration, cycle, ok := strings.Cut(form.Term, ":")
	if !ok || form.Item == "" {
		h.actionFailed(w, r, p, id, csp.Errorf(csp.EInvalidField, "Choose a catalog item and a term."), about{}, customerView{Cart: cart, Form: form})
		return
	}
	line := csp.CartLine{CatalogItemID: form.Item, Quantity: qty, TermDuration: duration, BillingCycle: cycle, FriendlyName: form.FriendlyName}

	var lines []csp.CartLine
	if cart != nil {
		c, err := h.app.GetCart(ctx, p, id, *cart)
		if err != nil {
			h.actionFailed(w, r, p, id, err, about{}, customerView{Form: form})
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
		h.actionFailed(w, r, p, id, err, about{}, customerView{Cart: cart, Form: form})
		return
	}
	http.Redirect(w, r, customerURL(id, &c.ID), http.StatusSeeOther)
}

func (h *handler) checkout(w http.ResponseWriter, r *http.Request) {
	p, id, ok := h.customerForm(w, r)
	if !ok {
		return
	}
	cart, ok := h.formCart(w, r)
	if !ok {
		return
	}
	res, err := h.app.Checkout(r.Context(), p, id, *cart, "")
	if err != nil {
		h.actionFailed(w, r, p, id, err, about{}, customerView{Cart: cart})
		return
	}
	// The orders go in the address, so that the page that shows them can
	// be reloaded.
	u := customerURL(id, cart)
	for _, o := range res.Orders {
		u += "&" + url.Values{"order": {o.ID.String()}}.Encode()
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// formCart is the cart a form names; it answers false when it has already
// answered the request.
func (h *handler) formCart(w http.ResponseWriter, r *http.Request) (*uuid.UUID, bool) {
	cart, err := optionalID(r.PostForm.Get("cart"), csp.Errorf(csp.ECartNotFound, "cart %q was not found", r.PostForm.Get("cart")))
	if err == nil && cart == nil {
		err = csp.Errorf(csp.ECartNotFound, "there is no cart: add a line first")
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return cart, true
}

// removeLine takes a line (form field line, its id) out of an active cart;
// without lines left the page starts a new cart.
func (h *handler) removeLine(w http.ResponseWriter, r *http.Request) {
	p, id, ok := h.customerForm(w, r)
	if !ok {
		return
	}
	cart, ok := h.formCart(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	c, err := h.app.GetCart(ctx, p, id, *cart)
	if err != nil {
		h.actionFailed(w, r, p, id, err, about{}, customerView{})
		return
	}
	line, err := strconv.Atoi(r.PostForm.Get("line"))
	keep := slices.DeleteFunc(slices.Clone(c.Lines), func(l csp.CartLine) bool { return err == nil && l.ID == line })
	switch {
	case len(keep) == len(c.Lines):
		err = csp.Errorf(csp.EInvalidField, "That line is no longer in the cart: reload the page.")
	case len(keep) == 0:
		http.Redirect(w, r, customerURL(id, nil), http.StatusSeeOther)
		return
	default:
		_, err = h.app.UpdateCart(ctx, p, id, *cart, keep, "")
	}
	if err != nil {
		h.actionFailed(w, r, p, id, err, about{}, customerView{Cart: cart})
		return
	}
	http.Redirect(w, r, customerURL(id, cart), http.StatusSeeOther)
}
