package console_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/server"
)

// TestBrowserPriceBook walks a billing admin through the price book and
// its outcome in Chromium: Bea sets a 20% default markup in the form; the
// clock (moved through the app) passes the close of 2026-02-01, which
// bills Fabrikam's 10 seats of Business Premium bought on 2026-01-12 at
// 23.10: cost 231.00, sold at 231.00 × 1.20 = 277.20 (no tax set),
// profit 46.20. She opens the customer invoices, the invoice and the
// profit page; then the pages at a phone's width. Each step starts where
// the previous left the browser.
func TestBrowserPriceBook(t *testing.T) {
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
	ann := MustPrincipal(t, w, w.partnerKey)
	MustAdvance(t, w, "2026-01-12T10:00:00Z")
	MustAgree(t, w, ann, w.fabrikam)
	MustBuy(t, w, ann, w.fabrikam, premium, "P1Y", "monthly", 10)
	_, bea, err := w.app.CreatePartnerUser(t.Context(), w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Bea", Email: "bea@contoso-partner.com", Roles: []string{"billingAdmin"}})
	if err != nil {
		t.Fatal(err)
	}
	text := func(t *testing.T, id string) string {
		t.Helper()
		return MustRun(t, ctx, chromedp.Text(chromedp.ID(id)))
	}

	if !t.Run("SetMarkup", func(t *testing.T) {
		MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console/signin"))
		MustLoad(t, ctx, chromedp.SendKeys(chromedp.ID("key"), bea.APIKey), chromedp.Click(chromedp.ID("signin-submit")))
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("nav-pricebook")))
		MustLoad(t, ctx,
			chromedp.SetValue(chromedp.ID("default"), "markup"),
			chromedp.SendKeys(chromedp.ID("default-percent"), "20"),
			chromedp.Click(chromedp.ID("book-save")))
		if got := text(t, "book-notice"); got != "Saved: 0 items" {
			t.Errorf("notice %q", got)
		}
		if got := MustRun(t, ctx, chromedp.Evaluate[string](`document.getElementById("default").value + " " + document.getElementById("default-percent").value`)); got != "markup 20" {
			t.Errorf("the saved form shows %q", got)
		}
	}) {
		return
	}

	MustAdvance(t, w, "2026-02-01T06:00:00Z")
	var invoice string
	if !t.Run("CustomerInvoices", func(t *testing.T) {
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("nav-customer-invoices")))
		if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#customerinvoices tr.customer-invoice"))); !slices.Equal(got,
			[]string{"C000000001|Fabrikam|January 2026|USD|USD 277.20|USD 0.00|USD 277.20|USD 231.00|USD 46.20"}) {
			t.Fatalf("customer invoices %q", got)
		}
		MustLoad(t, ctx, chromedp.Click(chromedp.CSS("#customerinvoices tr.customer-invoice td.number a")))
		invoice = MustRun(t, ctx, chromedp.Location())
		if got := text(t, "invoice-total"); got != "USD 277.20" {
			t.Errorf("total %q", got)
		}
		if got := text(t, "invoice-profit"); got != "USD 46.20" {
			t.Errorf("profit %q", got)
		}
	}) {
		return
	}

	if !t.Run("Profit", func(t *testing.T) {
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("nav-profit")))
		if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#customers-profit tr.customer-profit"))); !slices.Equal(got,
			[]string{"Fabrikam|C000000001|USD|USD 277.20|USD 231.00|USD 46.20"}) {
			t.Errorf("profit per customer %q", got)
		}
		if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#totals tr.profit-total"))); !slices.Equal(got, []string{"USD|USD 277.20|USD 231.00|USD 46.20"}) {
			t.Errorf("profit totals %q", got)
		}
	}) {
		return
	}

	t.Run("PhoneWidth", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneWidth, 900)); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{srv.URL + "/console/pricebook", srv.URL + "/console/customerinvoices", invoice, srv.URL + "/console/profit"} {
			MustLoadStatus(t, ctx, http.StatusOK, chromedp.Navigate(p))
			if got := MustRun(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); got > phoneWidth {
				t.Errorf("%s is %d px wide on a %d px screen", p, got, phoneWidth)
			}
		}
	})
}
