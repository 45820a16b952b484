package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

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
	price, ok := it.Prices[term.Key()]
	if !ok {
		return "no price"
	}
	return price.String()
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
