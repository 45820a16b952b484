package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// Catalog items of the built-in catalog (internal/catalog/catalog.json).
const (
	// premium is Microsoft 365 Business Premium: USD 23.10 a seat a month on
	// P1Y/monthly, CAD 31.61 in Canada, GBP 18.90 in the UK.
	premium = "CFQ7TTC0LCHC:0001:CFQ7TTC0MM1W"
	// basic is Microsoft 365 Business Basic: USD 7.20 a month on P1M/monthly.
	basic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"
	// faculty is Microsoft 365 A3 for faculty, sold to education only.
	faculty = "CFQ7TTC0LH0Z:0001:CFQ7TTC0XNMV"
)

// MustPrincipal authenticates a key of the world.
func MustPrincipal(tb testing.TB, w *world, key string) csp.Principal {
	tb.Helper()
	p, err := w.app.Authenticate(tb.Context(), key, "")
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// MustAgree records the customer's MCA acceptance for the partner p.
func MustAgree(tb testing.TB, w *world, p csp.Principal, t *csp.Tenant) {
	tb.Helper()
	if _, err := w.app.CreateAgreement(tb.Context(), p, t.ID, app.NewAgreement{TemplateID: csp.MCATemplateID, DateAgreed: csp.Day(w.app.Now(tb.Context())),
		Contact: csp.Contact{FirstName: "Gena", LastName: "Soto", Email: "gena@" + t.DomainPrefix + ".example"}}); err != nil {
		tb.Fatal(err)
	}
}

// MustBuy buys one subscription through a cart, now.
func MustBuy(tb testing.TB, w *world, p csp.Principal, t *csp.Tenant, item, duration, cycle string, qty int) *csp.Subscription {
	tb.Helper()
	ctx := tb.Context()
	cart, err := w.app.CreateCart(ctx, p, t.ID, []csp.CartLine{{CatalogItemID: item, Quantity: qty, TermDuration: duration, BillingCycle: cycle}})
	if err != nil {
		tb.Fatal(err)
	}
	res, err := w.app.Checkout(ctx, p, t.ID, cart.ID, "")
	if err != nil {
		tb.Fatal(err)
	}
	return res.Subscriptions[0]
}

// TestCommerceScenarios walks the partner's commerce pages and the
// operator's clock. The steps run in order on one world:
//
//   - 2026-01-05 09:00: Contoso buys A, 10 seats of Business Premium on
//     P1Y/monthly for Fabrikam (USD 23.10: term 2026-01-05..2027-01-04,
//     cancellable until 2026-01-12 09:00, first period 2026-01-05..2026-02-04);
//   - 2026-01-13 09:00 (P8D later): B, 3 seats of Business Basic on
//     P1M/monthly (USD 7.20, cancellable until 2026-01-20 09:00).
func TestCommerceScenarios(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ctx := t.Context()
	ann := MustPrincipal(t, w, w.partnerKey)

	MustAgree(t, w, ann, w.fabrikam)
	a := MustBuy(t, w, ann, w.fabrikam, premium, "P1Y", "monthly", 10)
	if _, err := w.app.AdvanceClock(ctx, w.operator, "P8D", time.Time{}); err != nil {
		t.Fatal(err)
	}
	b := MustBuy(t, w, ann, w.fabrikam, basic, "P1M", "monthly", 3)

	fab := "/console/customers/" + w.fabrikam.ID.String()
	subA, subB := fab+"/subscriptions/"+a.ID.String(), fab+"/subscriptions/"+b.ID.String()
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	post := func(name, path string, f url.Values, key string, status int, want ...string) scenario {
		sc := scenario{name: name, method: "POST", path: path, form: f, key: key, status: status, want: want}
		if status == http.StatusSeeOther {
			sc.location = fab
		}
		return sc
	}
	get := func(name, path, key string, status int, want ...string) scenario {
		return scenario{name: name, method: "GET", path: path, key: key, status: status, want: want}
	}
	row := func(s *csp.Subscription) string { return `data-subscription-id="` + s.ID.String() + `"` }

	for _, sc := range []scenario{
		get("CustomerPage", fab, w.partnerKey, http.StatusOK,
			`<h1 id="customer-name">Fabrikam</h1>`, `<dd class="domain">fabrikam.onmicrosoft.com</dd>`, `<dd class="region">US</dd>`, `<dd class="segment">commercial</dd>`,
			`<table id="subscriptions">`, row(a), row(b), `<a href="`+subA+`">Microsoft 365 Business Premium</a>`,
			`<td class="term">P1Y/monthly</td>`, `<td class="unit-price">USD 23.10</td>`, `<td class="quantity">10</td>`,
			`<td class="term-start">2026-01-05</td>`, `<td class="commitment-end">2027-01-04</td>`, `<td class="cancel-until">closed</td>`,
			`<td class="term">P1M/monthly</td>`, `<td class="unit-price">USD 7.20</td>`,
			`<td class="term-start">2026-01-13</td>`, `<td class="commitment-end">2026-02-12</td>`, `<td class="cancel-until">2026-01-20 09:00 UTC</td>`,
			`<td class="auto-renew">on</td>`, `<td class="scheduled">—</td>`,
			`Accepted on <strong>2026-01-05</strong> by Gena Soto`, `id="add-to-cart"`, `<option value="`+premium+`"`,
			`<option value="P1Y:monthly" selected>P1Y/monthly</option>`, `id="sandbox-clock"`, "2026-01-13 09:00 UTC",
			// B is inside its window and has the cancel button; A is past it
			// and says so instead (see notWant below).
			`<form method="post" action="`+subB+`/cancel" class="inline cancel">`,
			`<p class="no-cancel muted">It can no longer be cancelled: cancellation is possible only within 7 days of the purchase or renewal, and that window closed on 2026-01-12 09:00 UTC. Turn auto-renew off to end it when its term ends on 2027-01-04.</p>`),
		// The window of A closed on 2026-01-12 at 09:00.
		{name: "NoCancelButtonAfterWindow", method: "GET", path: fab, key: w.partnerKey, status: http.StatusOK,
			want: []string{`action="` + subB + `/cancel"`}, notWant: []string{`action="` + subA + `/cancel"`}},
		post("ErrCancelAfterWindow", subA+"/cancel", form(), w.partnerKey, http.StatusBadRequest,
			`id="action-error"`, "This subscription can no longer be cancelled: cancellation is possible only within 7 days of the purchase or renewal, and that window closed on 2026-01-12 09:00 UTC. Turn auto-renew off to end it when its term ends on 2027-01-04.", `<table id="subscriptions">`),
		post("CancelInWindow", subB+"/cancel", form(), w.partnerKey, http.StatusSeeOther),
		{name: "Cancelled", method: "GET", path: fab, key: w.partnerKey, status: http.StatusOK,
			want: []string{`<span class="state-deleted">deleted</span>`}, notWant: []string{`action="` + subB + `/cancel"`, `action="` + subA + `/cancel"`}},
		post("CancelTwiceChangesNothing", subB+"/cancel", form(), w.partnerKey, http.StatusSeeOther),
		post("ErrSuspendDeleted", subB+"/suspend", form(), w.partnerKey, http.StatusBadRequest, "This subscription is deleted: only an active subscription can be suspended."),
		post("QuantityUp", subA+"/quantity", form("quantity", "12"), w.partnerKey, http.StatusSeeOther),
		// The 2 seats added today may go again, not 3.
		post("ErrQuantityDownOutsideWindow", subA+"/quantity", form("quantity", "9"), w.partnerKey, http.StatusBadRequest, "You can remove at most 2 seat(s) now: seats can be removed only within 7 days of the purchase, increase or renewal that added them. To have fewer seats later, schedule fewer seats for the next term."),
		post("ErrQuantityNotANumber", subA+"/quantity", form("quantity", "many"), w.partnerKey, http.StatusBadRequest, `Quantity &#34;many&#34; is not a number of seats`),
		post("ScheduleNextTermQuantity", subA+"/schedule", form("quantity", "8"), w.partnerKey, http.StatusSeeOther),
		get("Scheduled", fab, w.partnerKey, http.StatusOK, `<td class="quantity">12</td>`,
			`<td class="scheduled">quantity 8 · SKU CFQ7TTC0LCHC:0001 · P1Y/monthly</td>`, `class="inline unschedule"`),
		post("ClearSchedule", subA+"/unschedule", form(), w.partnerKey, http.StatusSeeOther),
		post("AutoRenewOff", subA+"/autorenew", form("autoRenew", "off"), w.partnerKey, http.StatusSeeOther),
		get("AutoRenewIsOff", fab, w.partnerKey, http.StatusOK, `<td class="auto-renew">off</td>`, "Turn auto-renew on",
			"With auto-renew off, it ends when its term ends on 2027-01-04."),
		post("ErrScheduleWithoutAutoRenew", subA+"/schedule", form("quantity", "8"), w.partnerKey, http.StatusBadRequest, "This subscription has auto-renew off: turn auto-renew on first, because scheduled changes take effect when it renews."),
		post("AutoRenewOn", subA+"/autorenew", form("autoRenew", "on"), w.partnerKey, http.StatusSeeOther),
		post("Suspend", subA+"/suspend", form(), w.partnerKey, http.StatusSeeOther),
		get("Suspended", fab, w.partnerKey, http.StatusOK, `<span class="state-suspended">suspended</span>`, `class="inline reactivate"`),
		post("Reactivate", subA+"/reactivate", form(), w.partnerKey, http.StatusSeeOther),
		post("ErrUnknownAction", subA+"/explode", form(), w.partnerKey, http.StatusNotFound, "There is no page at"),
		get("HistoryA", subA, w.partnerKey, http.StatusOK,
			`<h1 id="subscription-name">Microsoft 365 Business Premium</h1>`, `<table id="history">`,
			`<td class="event-type">Purchased</td>`, `<td class="event-date">2026-01-05 09:00 UTC</td>`, "Seats: 10<br>Term: 1 year<br>Billing: monthly<br>Unit price: USD 23.10<br>Term ends: 2027-01-04",
			`<td class="charge-type" data-charge-type="new">New purchase</td>`, `<td class="charge-quantity">10</td>`, `<td class="charge-billable">10</td>`,
			`<td class="charge-unit-price">USD 23.10</td>`, `<td class="charge-subtotal">USD 231.00</td>`, `<td class="charge-period">2026-01-05 to 2026-02-04</td>`,
			// 10 → 12 with 23 of the period's 31 days left: 23.10 × 23/31 =
			// 17.138710 → 17.13, so 10 seats refunded (−171.30) and 12
			// charged (205.56), a pair (C-2).
			`<td class="event-type">Seats changed</td>`, "Seats: 10 → 12",
			`<td class="charge-type" data-charge-type="addQuantity">Seats added, old count refunded</td>`, `<td class="charge-billable">10</td>`,
			`<td class="charge-subtotal">USD -171.30</td>`,
			`<td class="charge-type" data-charge-type="addQuantity">Seats added, new count charged</td>`, `<td class="charge-billable">12</td>`,
			`<td class="charge-subtotal">USD 205.56</td>`,
			`<td class="charge-period">2026-01-13 to 2026-02-04</td>`,
			`<td class="event-type">Change scheduled for the next term</td>`, "Next term: CFQ7TTC0LCHC:0001 · 8 seats · 1 year, monthly", `<td class="event-type">Scheduled change removed</td>`, "Next term: no change",
			`<td class="event-type">Auto-renew changed</td>`, "Auto-renew: on → off",
			`<td class="event-type">Suspended</td>`, "Status: active → suspended", `<td class="event-type">Reactivated</td>`,
			// The page's charges: 231.00 − 171.30 + 205.56.
			`<td id="history-total" colspan="2">USD 265.26</td>`),
		get("HistoryB", subB, w.partnerKey, http.StatusOK,
			`<td class="charge-type" data-charge-type="new">New purchase</td>`, `<td class="charge-subtotal">USD 21.60</td>`, `<td class="charge-period">2026-01-13 to 2026-02-12</td>`,
			// Cancelled at its purchase instant: within 24 hours, so the whole
			// month is refunded (R-11b), one credit line of the 3 seats.
			`<td class="charge-type" data-charge-type="cancelImmediate">Cancellation refund</td>`, `<td class="charge-quantity">3</td>`, `<td class="charge-billable">3</td>`,
			`<td class="charge-subtotal">USD -21.60</td>`, "Status: active → deleted", `<td id="history-total" colspan="2">USD 0.00</td>`),

		// Another partner of Fabrikam sees the customer, not Contoso's subscriptions.
		{name: "OtherPartnerSeesOwnSubscriptionsOnly", method: "GET", path: fab, key: w.litwareKey, status: http.StatusOK,
			want: []string{`<h1 id="customer-name">Fabrikam</h1>`, `id="no-subscriptions"`, `Litware Direct`}, notWant: []string{row(a), row(b)}},
		get("ErrOtherPartnersSubscriptionHistory", subA, w.litwareKey, http.StatusNotFound, "This subscription was not found among your subscriptions of this customer: open it from the customer's page."),
		post("ErrOtherPartnersSubscriptionCancel", subB+"/cancel", form(), w.litwareKey, http.StatusNotFound, "This subscription was not found among your subscriptions of this customer: open it from the customer's page."),
		post("ErrOtherPartnersSubscriptionQuantity", subA+"/quantity", form("quantity", "1"), w.litwareKey, http.StatusNotFound, "This subscription was not found among your subscriptions of this customer: open it from the customer's page."),
		get("ErrOtherPartnersCustomer", "/console/customers/"+w.northwind.ID.String(), w.litwareKey, http.StatusNotFound, "This customer was not found among your customers: open it from the customer list."),
		post("ErrOtherPartnersCustomerCart", "/console/customers/"+w.northwind.ID.String()+"/cart",
			form("catalogItemId", premium, "term", "P1Y:monthly", "quantity", "1"), w.litwareKey, http.StatusNotFound, "This customer was not found among your customers: open it from the customer list."),
		get("ErrUnknownCustomer", "/console/customers/"+uuid.NewString(), w.partnerKey, http.StatusNotFound, "This customer was not found among your customers: open it from the customer list."),
		get("ErrMalformedCustomer", "/console/customers/fabrikam", w.partnerKey, http.StatusNotFound, "was not found"),
		get("ErrUnknownSubscription", fab+"/subscriptions/"+uuid.NewString(), w.partnerKey, http.StatusNotFound, "This subscription was not found among your subscriptions of this customer: open it from the customer's page."),
		get("ErrOperatorOnCustomerPage", fab, w.operatorKey, http.StatusForbidden, "This page is for partner users: sign in with a partner user's key."),
		{name: "CustomerPageNeedsSignIn", method: "GET", path: fab, status: http.StatusSeeOther, location: "/console/signin"},

		// The catalog.
		{name: "CatalogUSCommercial", method: "GET", path: "/console/catalog?country=US&segment=commercial", key: w.partnerKey, status: http.StatusOK,
			want: []string{`<table id="catalog">`, `data-catalog-item-id="` + premium + `"`, `<td class="product">Microsoft 365 Business Premium</td>`,
				`<code>` + premium + `</code>`, `<td class="segment">commercial</td>`,
				`<li class="term" data-term="P1M:monthly">P1M/monthly: USD 26.40</li><li class="term" data-term="P1Y:monthly">P1Y/monthly: USD 23.10</li><li class="term" data-term="P1Y:annual">P1Y/annual: USD 264.00</li>`,
				`<option value="US" selected>US</option>`, `<option value="commercial" selected>commercial</option>`, "Prices in USD for customers in US."},
			notWant: []string{faculty, "CFQ7TTC0Q5N6"}},
		{name: "CatalogGBEducation", method: "GET", path: "/console/catalog?country=GB&segment=education", key: w.partnerKey, status: http.StatusOK,
			want:    []string{faculty, `<li class="term" data-term="P1Y:monthly">P1Y/monthly: GBP 2.84</li>`, `<option value="GB" selected>GB</option>`},
			notWant: []string{premium}},
		{name: "CatalogDEEveryPartOfIt", method: "GET", path: "/console/catalog?country=DE", key: w.partnerKey, status: http.StatusOK,
			want: []string{premium, "CFQ7TTC0Q5N6", "P1Y/monthly: EUR 21.53", `<option value="" selected>every segment</option>`}},
		// The 40th of the 41 items sold in Germany, on the second page of 20.
		get("CatalogDESecondPage", "/console/catalog?country=DE&page=2", w.partnerKey, http.StatusOK, faculty, `<span id="catalog-shown">21–40 of 41</span>`),
		get("ErrCatalogUnknownCountry", "/console/catalog?country=XX", w.partnerKey, http.StatusBadRequest, "Choose a country from the list."),
		get("ErrCatalogUnknownSegment", "/console/catalog?country=US&segment=military", w.partnerKey, http.StatusBadRequest),

		// The operator's clock: 2026-01-13 09:00 + P1M = 2026-02-13 09:00; the
		// one event due is A's cycle charge of 2026-02-05 (B was cancelled).
		{name: "OperatorClock", method: "GET", path: "/console", key: w.operatorKey, status: http.StatusOK,
			want:    []string{`<strong id="clock-now">2026-01-13 09:00 UTC</strong>`, `action="/console/clock/advance"`, `<option value="P1M">P1M</option>`},
			notWant: []string{`id="clock-result"`}},
		{name: "ErrPartnerAdvancesClock", method: "POST", path: "/console/clock/advance", form: form("duration", "P1M"), key: w.partnerKey, status: http.StatusForbidden,
			want: []string{"Only the operator may do this: sign in with the operator's key."}},
		{name: "ErrBadDuration", method: "POST", path: "/console/clock/advance", form: form("duration", "P1M", "custom", "soon"), key: w.operatorKey, status: http.StatusBadRequest,
			want: []string{`id="clock-error"`, `value="soon"`, `<strong id="clock-now">2026-01-13 09:00 UTC</strong>`}},
		{name: "AdvanceClock", method: "POST", path: "/console/clock/advance", form: form("duration", "P1M"), key: w.operatorKey, status: http.StatusSeeOther,
			location: "/console?processed=1"},
		{name: "ClockAdvanced", method: "GET", path: "/console?processed=1", key: w.operatorKey, status: http.StatusOK,
			want: []string{`<strong id="clock-now">2026-02-13 09:00 UTC</strong>`, "Clock advanced to 2026-02-13 09:00 UTC: 1 event(s) processed."}},
		{name: "AdvanceClockFreeText", method: "POST", path: "/console/clock/advance", form: form("duration", "P1Y", "custom", "PT12H"), key: w.operatorKey, status: http.StatusSeeOther,
			location: "/console?processed=0"},
		get("PartnerSeesTheClock", fab, w.partnerKey, http.StatusOK, "Sandbox · 2026-02-13 21:00 UTC", `<td class="cancel-until">closed</td>`),
		get("CycleCharge", subA, w.partnerKey, http.StatusOK, `<td class="event-type">Billing period charged</td>`, `<td class="event-date">2026-02-05 00:00 UTC</td>`,
			`<td class="charge-type" data-charge-type="cycleCharge">Billing period</td>`, `<td class="charge-quantity">12</td>`, `<td class="charge-billable">12</td>`,
			`<td class="charge-subtotal">USD 277.20</td>`, `<td class="charge-period">2026-02-05 to 2026-03-04</td>`),
	} {
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}
}

var (
	cartLocation     = regexp.MustCompile(`^/console/customers/([0-9a-f-]{36})\?cart=([0-9a-f-]{36})$`)
	checkoutLocation = regexp.MustCompile(`^/console/customers/[0-9a-f-]{36}\?cart=[0-9a-f-]{36}(&order=[0-9a-f-]{36})+$`)
)

// MustCheckout checks a cart out through the form and answers the page it
// leads to: the customer with the cart and the orders placed.
func MustCheckout(tb testing.TB, srv *httptest.Server, w *world, customerPath, cart string) string {
	tb.Helper()
	status, hdr, body := MustDo(tb, srv, scenario{method: "POST", path: customerPath + "/checkout", form: url.Values{"cart": {cart}}, key: w.partnerKey})
	loc := hdr.Get("Location")
	if status != http.StatusSeeOther || !checkoutLocation.MatchString(loc) || !strings.HasPrefix(loc, customerPath+"?cart="+cart+"&order=") {
		tb.Fatalf("checkout: %d to %q\n%s", status, loc, body)
	}
	return loc
}

// TestConsoleCart buys for Northwind Traders (CA, priced in CAD) through
// the cart form: a checkout without the agreement is refused, the agreement
// is recorded, the checkout makes the subscription; a line in error is shown
// with its code and blocks the checkout.
func TestConsoleCart(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	nw := "/console/customers/" + w.northwind.ID.String()

	add := func(t *testing.T, cart, item, term, qty string) string {
		t.Helper()
		f := url.Values{"catalogItemId": {item}, "term": {term}, "quantity": {qty}, "friendlyName": {"Office"}}
		if cart != "" {
			f.Set("cart", cart)
		}
		status, hdr, body := MustDo(t, srv, scenario{method: "POST", path: nw + "/cart", form: f, key: w.partnerKey})
		m := cartLocation.FindStringSubmatch(hdr.Get("Location"))
		if status != http.StatusSeeOther || m == nil || m[1] != w.northwind.ID.String() {
			t.Fatalf("add to cart: %d to %q\n%s", status, hdr.Get("Location"), body)
		}
		return m[2]
	}

	MustScenario(t, srv, scenario{name: "EmptyCustomer", method: "GET", path: nw, key: w.partnerKey, status: http.StatusOK,
		want:    []string{`id="no-subscriptions"`, `id="agreement-form"`, `<option value="` + premium + `"`, "Prices are in CAD"},
		notWant: []string{`id="cart-lines"`}})
	// The term select narrows to the chosen item's terms with their prices.
	MustScenario(t, srv, scenario{name: "ShowTerms", method: "GET", path: nw + "?catalogItemId=" + premium + "&term=P1Y:annual&quantity=4", key: w.partnerKey, status: http.StatusOK,
		want: []string{`<option value="` + premium + `" selected>`, `<option value="P1Y:annual" selected>P1Y/annual — CAD 361.20</option>`,
			`<option value="P1Y:monthly">P1Y/monthly — CAD 31.61</option>`, `name="quantity" type="number" min="1" value="4"`},
		notWant: []string{`value="P3Y:annual"`}})
	MustScenario(t, srv, scenario{name: "ErrQuantityZero", method: "POST", path: nw + "/cart", key: w.partnerKey,
		form: url.Values{"catalogItemId": {premium}, "term": {"P1Y:monthly"}, "quantity": {"0"}}, status: http.StatusBadRequest,
		want: []string{`id="action-error"`, "enter a whole number of at least 1"}})

	// 5 seats at CAD 31.61: CAD 158.05 a month.
	cart := add(t, "", premium, "P1Y:monthly", "5")
	withCart := nw + "?cart=" + cart
	MustScenario(t, srv, scenario{name: "CartLine", method: "GET", path: withCart, key: w.partnerKey, status: http.StatusOK,
		want: []string{`<table id="cart-lines">`, `<td class="line-id">1</td>`, `<td class="line-item"><code>` + premium + `</code></td>`, `<td class="line-term">P1Y/monthly</td>`,
			`<td class="line-quantity">5</td>`, `<td class="line-price">CAD 31.61</td>`, `<td class="line-amount">CAD 158.05</td>`,
			`<strong id="cart-total">CAD 158.05</strong>`, `class="inline remove-line"`,
			`<span class="cart-status">Active</span>`, `id="checkout"`, `<input type="hidden" name="cart" value="` + cart + `">`},
		notWant: []string{`class="bad"`}})
	MustScenario(t, srv, scenario{name: "ErrCheckoutWithoutAgreement", method: "POST", path: nw + "/checkout", form: url.Values{"cart": {cart}}, key: w.partnerKey,
		status: http.StatusBadRequest, want: []string{`id="action-error"`, "Record the customer's acceptance of the Microsoft Customer Agreement below before buying.", `id="agreement-form"`, `id="cart-lines"`}})
	MustScenario(t, srv, scenario{name: "ErrAgreementWithoutEmail", method: "POST", path: nw + "/agreement", key: w.partnerKey,
		form: url.Values{"firstName": {"Gena"}, "lastName": {"Soto"}, "cart": {cart}}, status: http.StatusBadRequest, want: []string{`id="action-error"`, "Enter the email of the person who accepted."}})
	MustScenario(t, srv, scenario{name: "RecordAgreement", method: "POST", path: nw + "/agreement", key: w.partnerKey,
		form: url.Values{"firstName": {"Gena"}, "lastName": {"Soto"}, "email": {"gena@nwtraders.example"}, "cart": {cart}}, status: http.StatusSeeOther, location: withCart})
	bought := MustCheckout(t, srv, w, nw, cart)
	MustScenario(t, srv, scenario{name: "Bought", method: "GET", path: bought, key: w.partnerKey, status: http.StatusOK,
		want: []string{`Accepted on <strong>2026-01-05</strong> by Gena Soto (gena@nwtraders.example).`, `<tr class="subscription"`,
			`<td class="friendly-name">Office</td>`, `<td class="quantity">5</td>`, `<td class="unit-price">CAD 31.61</td>`,
			`<td class="commitment-end">2027-01-04</td>`, `<td class="cancel-until">2026-01-12 09:00 UTC</td>`, `<span class="cart-status">Ordered</span>`,
			// The order: its one line's first month, 5 × 31.61.
			`id="orders-placed"`, `<strong class="order-total">CAD 158.05</strong>`,
			`<tr class="order-line"><td class="name">Microsoft 365 Business Premium</td><td class="term">P1Y/monthly</td><td class="quantity">5</td><td class="amount">CAD 158.05</td></tr>`},
		notWant: []string{`id="checkout"`, `id="agreement-form"`, `class="inline remove-line"`}})
	MustScenario(t, srv, scenario{name: "ErrCheckOutTwice", method: "POST", path: nw + "/checkout", form: url.Values{"cart": {cart}}, key: w.partnerKey,
		status: http.StatusBadRequest, want: []string{"This cart was already checked out or has expired: start a new cart."}})

	// Adding to an ordered cart starts a new one; a line in error stays on it.
	cart2 := add(t, cart, basic, "P1Y:monthly", "2")
	if cart2 == cart {
		t.Fatal("adding to an ordered cart reused it")
	}
	if again := add(t, cart2, premium, "P3Y:annual", "2"); again != cart2 {
		t.Fatalf("second line went to cart %s, want %s", again, cart2)
	}
	// Business Basic: 2 × CAD 8.61 = 17.22; Business Premium is not sold
	// for three years, so its line has neither price nor amount and stays
	// out of the total.
	MustScenario(t, srv, scenario{name: "LineError", method: "GET", path: nw + "?cart=" + cart2, key: w.partnerKey, status: http.StatusOK,
		want: []string{`<td class="line-id">1</td>`, `<td class="line-id">2</td>`, `<td class="line-price">CAD 8.61</td>`, `<td class="line-amount">CAD 17.22</td>`,
			`<tr class="cart-line has-problem">`, `<td class="line-amount"></td>`,
			`<span class="bad line-problem">This item is not sold as P3Y/annual: it is sold as P1M/monthly, P1Y/monthly or P1Y/annual. Remove this line and add the item again with one of those terms.</span>`,
			`<strong id="cart-total">CAD 17.22</strong>`}})
	MustScenario(t, srv, scenario{name: "ErrCheckOutLineErrors", method: "POST", path: nw + "/checkout", form: url.Values{"cart": {cart2}}, key: w.partnerKey,
		status: http.StatusBadRequest, want: []string{`id="action-error"`,
			"Some lines of this cart cannot be bought: each one's problem is shown next to it. Remove those lines, then check out again.",
			"This item is not sold as P3Y/annual"}})
	MustScenario(t, srv, scenario{name: "RemoveLine", method: "POST", path: nw + "/cart/remove", form: url.Values{"cart": {cart2}, "line": {"1"}}, key: w.partnerKey,
		status: http.StatusSeeOther, location: nw + "?cart=" + cart2})
	MustScenario(t, srv, scenario{name: "ErrRemoveLineTwice", method: "POST", path: nw + "/cart/remove", form: url.Values{"cart": {cart2}, "line": {"1"}}, key: w.partnerKey,
		status: http.StatusBadRequest, want: []string{"That line is no longer in the cart: reload the page."}})
	bought = MustCheckout(t, srv, w, nw, cart2)
	MustScenario(t, srv, scenario{name: "BoughtTheRest", method: "GET", path: bought, key: w.partnerKey, status: http.StatusOK,
		want: []string{`<strong class="order-total">CAD 17.22</strong>`, `<td class="line-id">1</td>`}, notWant: []string{`<td class="line-id">2</td>`, `class="bad"`}})
	MustScenario(t, srv, scenario{name: "ErrUnknownCart", method: "GET", path: nw + "?cart=" + uuid.NewString(), key: w.partnerKey, status: http.StatusNotFound,
		want: []string{"This cart was not found for this customer: start a new cart."}})
	MustScenario(t, srv, scenario{name: "ErrOtherCustomersCart", method: "POST", path: "/console/customers/" + w.fabrikam.ID.String() + "/checkout",
		form: url.Values{"cart": {cart2}}, key: w.partnerKey, status: http.StatusNotFound, want: []string{"was not found"}})
	MustScenario(t, srv, scenario{name: "ErrCrossSiteCheckout", method: "POST", path: nw + "/checkout", form: url.Values{"cart": {cart2}}, key: w.partnerKey,
		header: map[string]string{"Sec-Fetch-Site": "cross-site"}, status: http.StatusForbidden, want: []string{"another site"}})
}
