package console_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/server"
)

// phoneWidth is a small phone's screen in CSS pixels.
const phoneWidth = 420

// TestBrowserPhoneWidth opens every page in a 420 px wide window and finds
// none wider than the window: the header wraps, long selects and values
// fit, and wide tables scroll inside their own box.
func TestBrowserPhoneWidth(t *testing.T) {
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

	// Fabrikam has a subscription and a cart with a line in error, the
	// widest things the customer page shows.
	ann := MustPrincipal(t, w, w.partnerKey)
	MustAgree(t, w, ann, w.fabrikam)
	sub := MustBuy(t, w, ann, w.fabrikam, premium, "P1Y", "monthly", 10)
	cart, err := w.app.CreateCart(t.Context(), ann, w.fabrikam.ID, []csp.CartLine{
		{CatalogItemID: basic, Quantity: 3, TermDuration: "P1Y", BillingCycle: "monthly", FriendlyName: "Branch office in the north"},
		{CatalogItemID: premium, Quantity: 2, TermDuration: "P3Y", BillingCycle: "annual"}})
	if err != nil {
		t.Fatal(err)
	}
	fab := srv.URL + "/console/customers/" + w.fabrikam.ID.String()
	// Litware asks Contoso for 4 of the seats: Ann sees the transfer as
	// its source, with the line form.
	bob := MustPrincipal(t, w, w.litwareKey)
	tr, err := w.app.CreateTransfer(t.Context(), bob, w.fabrikam.ID, app.TransferRequest{Request: transfer.Request{SourcePartnerID: w.contoso.ID, CustomerEmailID: "gena@fabrikam.example"}})
	if err != nil {
		t.Fatal(err)
	}
	lines := []transfer.Line{{SubscriptionID: sub.ID, Quantity: 4}}
	if _, err := w.app.PatchTransfer(t.Context(), ann, w.fabrikam.ID, tr.ID, app.TransferPatch{Lines: &lines}, ""); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneWidth, 900)); err != nil {
		t.Fatal(err)
	}
	width := func(t *testing.T, what string) {
		t.Helper()
		if got := MustRun(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); got > phoneWidth {
			t.Errorf("%s is %d px wide on a %d px screen", what, got, phoneWidth)
		}
	}
	open := func(t *testing.T, path string, status int) {
		t.Helper()
		MustLoadStatus(t, ctx, status, chromedp.Navigate(path))
		width(t, path)
	}
	signIn := func(t *testing.T, key string) {
		t.Helper()
		MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console/signin"))
		width(t, "the sign-in page")
		MustLoad(t, ctx, chromedp.SendKeys(chromedp.ID("key"), key), chromedp.Click(chromedp.ID("signin-submit")))
	}

	signIn(t, w.partnerKey)
	for _, p := range []string{
		srv.URL + "/console",
		fab + "?cart=" + cart.ID.String(),
		fab + "/subscriptions/" + sub.ID.String(),
		srv.URL + "/console/catalog",
		srv.URL + "/console/catalog?country=DE&page=2",
		srv.URL + "/console/customers/new",
		srv.URL + "/console/charges",
		srv.URL + "/console/audit",
		srv.URL + "/console/transfers",
		fab + "/transfers/" + tr.ID.String(),
		fab + "/transfers/new",
	} {
		open(t, p, http.StatusOK)
	}
	open(t, srv.URL+"/console/nowhere", http.StatusNotFound)

	// A refusal on the customer page, and the new customer's credentials.
	MustLoad(t, ctx, chromedp.Navigate(fab+"?cart="+cart.ID.String()))
	MustLoadStatus(t, ctx, http.StatusBadRequest, chromedp.Click(chromedp.ID("checkout-submit")))
	width(t, "the refused checkout")
	MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console/customers/new"))
	MustLoad(t, ctx,
		chromedp.SendKeys(chromedp.ID("companyName"), "Wingtip Toys International Holdings"),
		chromedp.SendKeys(chromedp.ID("domain"), "wingtiptoysinternational"),
		chromedp.SendKeys(chromedp.ID("addressLine1"), "1 Main St"),
		chromedp.SendKeys(chromedp.ID("city"), "Seattle"),
		chromedp.SendKeys(chromedp.ID("state"), "WA"),
		chromedp.SendKeys(chromedp.ID("postalCode"), "98101"),
		chromedp.SendKeys(chromedp.ID("firstName"), "Wing"),
		chromedp.SendKeys(chromedp.ID("lastName"), "Tip"),
		chromedp.SendKeys(chromedp.ID("email"), "wing@wingtip.example"),
		chromedp.Click(chromedp.ID("new-customer-submit")))
	if got := MustRun(t, ctx, chromedp.Text(chromedp.ID("admin-user"))); got != "admin@wingtiptoysinternational.onmicrosoft.com" {
		t.Errorf("created admin %q", got)
	}
	width(t, "the new customer's credentials")

	// The customer admin's and the operator's pages.
	MustLoad(t, ctx, chromedp.Click(chromedp.ID("signout")))
	signIn(t, w.adminKey)
	width(t, "the tenant page")
	MustLoad(t, ctx, chromedp.Click(chromedp.ID("signout")))
	signIn(t, w.operatorKey)
	width(t, "the operator page")
}
