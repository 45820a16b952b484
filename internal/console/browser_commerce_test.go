package console_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opencsp/opencsp/internal/server"
)

// TestBrowserCommerce buys and manages a subscription in Chromium, then
// moves the sandbox clock a month as the operator and finds the cycle
// charge. Every date and amount is worked out by hand from the world's
// start (2026-01-05 09:00 UTC) and the built-in catalog: Business Premium
// on P1Y/monthly is USD 23.10 a seat a month.
//
//   - Bought 2026-01-05 09:00 with 10 seats: term 2026-01-05..2027-01-04,
//     cancellable until 2026-01-12 09:00 (168 hours), first period
//     2026-01-05..2026-02-04 (31 days): new 10 × 23.10 = 231.00.
//   - Raised to 12 seats at the same instant: 2 seats for all 31 days of
//     the period, addQuantity 2 × 23.10 = 46.20.
//   - The clock moves P1M to 2026-02-05 09:00; the second period starts
//     2026-02-05 and ends 2026-03-04 (28 days): cycleCharge 12 × 23.10 =
//     277.20, the one event processed.
func TestBrowserCommerce(t *testing.T) {
	ctx := MustBrowser(t)

	srv := httptest.NewUnstartedServer(nil)
	w := MustSeed(t, "http://"+srv.Listener.Addr().String())
	h, err := server.Handler(w.app)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)

	text := func(t *testing.T, sel string) string {
		t.Helper()
		return MustRun(t, ctx, chromedp.Text(chromedp.CSS(sel)))
	}
	rows := func(t *testing.T, sel string) []string {
		t.Helper()
		return MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS(sel)))
	}
	signIn := func(t *testing.T, key string) {
		t.Helper()
		MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console/signin"))
		MustLoad(t, ctx, chromedp.SendKeys(chromedp.ID("key"), key), chromedp.Click(chromedp.ID("signin-submit")))
	}
	signOut := func(t *testing.T) {
		t.Helper()
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("signout")))
	}
	openFabrikam := func(t *testing.T) {
		t.Helper()
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("nav-customers")))
		MustLoad(t, ctx, chromedp.Click(chromedp.CSS(`tr[data-tenant-id="`+w.fabrikam.ID.String()+`"] td.name a`)))
		if got := text(t, "#customer-name"); got != "Fabrikam" {
			t.Fatalf("customer page of %q, want Fabrikam", got)
		}
	}
	wantRows := func(t *testing.T, what string, got []string, want ...string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s =\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	const (
		bought = "2026-01-05|||New purchase|10|10|USD 23.10|USD 231.00|2026-01-05 to 2026-02-04"
		// 10 → 12 on the first day: the whole month, so 10 seats refunded
		// at 23.10 and 12 charged (C-2), net 46.20.
		refunded = "2026-01-05|||Seats added, old count refunded|2|10|USD 23.10|USD -231.00|2026-01-05 to 2026-02-04"
		added    = "2026-01-05|||Seats added, new count charged|2|12|USD 23.10|USD 277.20|2026-01-05 to 2026-02-04"
		charged  = "2026-02-05|||Billing period|12|12|USD 23.10|USD 277.20|2026-02-05 to 2026-03-04"
	)

	if !t.Run("BrowseCatalog", func(t *testing.T) {
		signIn(t, w.partnerKey)
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("nav-catalog")))
		MustLoad(t, ctx,
			chromedp.SetValue(chromedp.ID("country"), "US"),
			chromedp.SetValue(chromedp.ID("segment"), "commercial"),
			chromedp.Click(chromedp.ID("catalog-submit")))
		if loc := MustRun(t, ctx, chromedp.Location()); loc != srv.URL+"/console/catalog?country=US&segment=commercial&q=" {
			t.Errorf("catalog at %s", loc)
		}
		wantRows(t, "Business Premium in the catalog", rows(t, `#catalog tr[data-catalog-item-id="`+premium+`"]`),
			"Microsoft 365 Business Premium|Microsoft 365 Business Premium (0001)|"+premium+"|commercial|P1M/monthly: USD 26.40\nP1Y/monthly: USD 23.10\nP1Y/annual: USD 264.00")
		for _, r := range rows(t, "#catalog tr.catalog-item") {
			if !strings.Contains(r, "|commercial|") {
				t.Errorf("the commercial catalog shows %q", r)
			}
		}
	}) {
		return
	}

	if !t.Run("AgreementCartCheckout", func(t *testing.T) {
		openFabrikam(t)
		if got := text(t, "#no-subscriptions"); got != "No subscriptions yet." {
			t.Errorf("subscriptions: %q", got)
		}
		MustLoad(t, ctx,
			chromedp.SendKeys(chromedp.ID("ag-first"), "Gena"),
			chromedp.SendKeys(chromedp.ID("ag-last"), "Soto"),
			chromedp.SendKeys(chromedp.ID("ag-email"), "gena@fabrikam.example"),
			chromedp.Click(chromedp.ID("agreement-submit")))
		if got := text(t, "#agreement"); got != "Accepted on 2026-01-05 by Gena Soto (gena@fabrikam.example)." {
			t.Errorf("agreement: %q", got)
		}

		MustLoad(t, ctx,
			chromedp.SetValue(chromedp.ID("item"), premium),
			chromedp.SetValue(chromedp.ID("term"), "P1Y:monthly"),
			chromedp.SetValue(chromedp.ID("quantity"), "10"),
			chromedp.SendKeys(chromedp.ID("friendly-name"), "Head office"),
			chromedp.Click(chromedp.ID("add-to-cart-submit")))
		wantRows(t, "cart lines", rows(t, "#cart-lines tr.cart-line"),
			"1|Microsoft 365 Business Premium\nHead office|"+premium+"|P1Y/monthly|10|USD 23.10|USD 231.00|Remove")
		if got := text(t, "#cart-total"); got != "USD 231.00" {
			t.Errorf("cart total: %q", got)
		}

		MustLoad(t, ctx, chromedp.Click(chromedp.ID("checkout-submit")))
		if got := text(t, "#cart-status .cart-status"); got != "Ordered" {
			t.Errorf("cart status after checkout: %q", got)
		}
		if got := text(t, "#orders-placed .order-total"); got != "USD 231.00" {
			t.Errorf("order total after checkout: %q", got)
		}
		wantRows(t, "subscriptions", rows(t, "#subscriptions tr.subscription"),
			"Microsoft 365 Business Premium|Head office|10|active|P1Y/monthly|USD 23.10|2026-01-05|2027-01-04|2026-01-12 09:00 UTC|on|—")
	}) {
		return
	}

	if !t.Run("ChangeQuantityAndHistory", func(t *testing.T) {
		MustLoad(t, ctx,
			chromedp.SetValue(chromedp.CSS("form.change-quantity input[name=quantity]"), "12"),
			chromedp.Click(chromedp.CSS("form.change-quantity button")))
		if loc := MustRun(t, ctx, chromedp.Location()); loc != srv.URL+"/console/customers/"+w.fabrikam.ID.String() {
			t.Errorf("after the change the browser is at %s", loc)
		}
		if got := text(t, "#subscriptions tr.subscription td.quantity"); got != "12" {
			t.Errorf("quantity after the change: %q", got)
		}
		MustLoad(t, ctx, chromedp.Click(chromedp.CSS("a.history-link")))
		if got := text(t, "#subscription-name"); got != "Head office" {
			t.Errorf("history of %q", got)
		}
		wantRows(t, "events", MustRun(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#history td.event-type")).map(c => c.innerText)`)),
			"Purchased", "Seats changed")
		wantRows(t, "charge lines", rows(t, "#history tr.charge"), bought, refunded, added)
	}) {
		return
	}

	if !t.Run("OperatorAdvancesClock", func(t *testing.T) {
		signOut(t)
		signIn(t, w.operatorKey)
		if got := text(t, "#clock-now"); got != "2026-01-05 09:00 UTC" {
			t.Errorf("clock before: %q", got)
		}
		MustLoad(t, ctx, chromedp.SetValue(chromedp.ID("duration"), "P1M"), chromedp.Click(chromedp.ID("advance-submit")))
		if got := text(t, "#clock-result"); got != "Clock advanced to 2026-02-05 09:00 UTC: 1 event(s) processed." {
			t.Errorf("advance result: %q", got)
		}
		if got := text(t, "#sandbox-clock"); got != "Sandbox · 2026-02-05 09:00 UTC" {
			t.Errorf("header clock: %q", got)
		}
	}) {
		return
	}

	t.Run("PartnerSeesCycleCharge", func(t *testing.T) {
		signOut(t)
		signIn(t, w.partnerKey)
		if got := text(t, "#sandbox-clock"); got != "Sandbox · 2026-02-05 09:00 UTC" {
			t.Errorf("the partner's header clock: %q", got)
		}
		openFabrikam(t)
		wantRows(t, "subscriptions a month on", rows(t, "#subscriptions tr.subscription"),
			"Microsoft 365 Business Premium|Head office|12|active|P1Y/monthly|USD 23.10|2026-01-05|2027-01-04|closed|on|—")
		MustLoad(t, ctx, chromedp.Click(chromedp.CSS("a.history-link")))
		wantRows(t, "charge lines a month on", rows(t, "#history tr.charge"), bought, refunded, added, charged)
	})
}
