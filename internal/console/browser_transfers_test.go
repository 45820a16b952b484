package console_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opencsp/opencsp/internal/server"
)

// MustTransferBrowser serves the transfer world and opens the browser on
// the sign-in page.
func MustTransferBrowser(t *testing.T) (*transferWorld, *httptest.Server, context.Context) {
	t.Helper()
	ctx := MustBrowser(t)
	srv := httptest.NewUnstartedServer(nil)
	w := MustTransferWorld(t, "http://"+srv.Listener.Addr().String())
	h, err := server.Handler(w.app)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console/signin"))
	return w, srv, ctx
}

// MustSignIn signs in with key from the sign-in page.
func MustSignIn(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	MustLoad(t, ctx, chromedp.SendKeys(chromedp.ID("key"), key), chromedp.Click(chromedp.ID("signin-submit")))
}

// TestBrowserTransfers: Litware (the target) requests Fabrikam's
// subscriptions from Contoso; Contoso (the source) opens the request from
// its transfers page, moves 4 of its 10 seats and submits under its
// automatic policy, and sees the transfer Completed with 6 seats kept.
func TestBrowserTransfers(t *testing.T) {
	w, srv, ctx := MustTransferBrowser(t)
	MustSignIn(t, ctx, w.litwareKey)
	MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console/customers/"+w.fabrikam.ID.String()))
	MustLoad(t, ctx, chromedp.Click(chromedp.ID("request-transfer")))
	if got := MustRun(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#source option")).map(o => o.textContent)`)); !slices.Equal(got, []string{"Contoso Partner"}) {
		t.Fatalf("source partners = %q", got)
	}
	MustLoad(t, ctx, chromedp.SendKeys(chromedp.ID("customer-email"), "gena@fabrikam.example"), chromedp.Click(chromedp.ID("transfer-submit")))
	if msg := MustRun(t, ctx, chromedp.Text(chromedp.ID("action-notice"))); msg != "You requested this transfer: it is Active." {
		t.Errorf("notice = %q", msg)
	}
	MustLoad(t, ctx, chromedp.Click(chromedp.ID("signout")))

	MustSignIn(t, ctx, w.partnerKey)
	MustLoad(t, ctx, chromedp.Click(chromedp.ID("nav-transfers")))
	if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#transfers tr.transfer"))); !slices.Equal(got, []string{
		"Outgoing|Fabrikam|Litware Direct|0|Active|2026-01-15 09:00 UTC|2026-02-14 09:00 UTC|",
	}) {
		t.Fatalf("transfers = %q", got)
	}
	MustLoad(t, ctx, chromedp.Click(chromedp.CSS("#transfers tr.transfer td.direction a")))
	MustLoad(t, ctx, chromedp.SetValue(chromedp.ID("line-subscription"), w.sub.ID.String()), chromedp.SetValue(chromedp.ID("line-quantity"), "4"),
		chromedp.Click(chromedp.ID("line-submit")))
	if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#lines tr.line"))); !slices.Equal(got, []string{"Microsoft 365 Business Premium|P1Y/monthly|4|10|||Remove"}) {
		t.Errorf("lines before submitting = %q", got)
	}
	MustLoad(t, ctx, chromedp.Click(chromedp.ID("transfer-submit")))
	if msg := MustRun(t, ctx, chromedp.Text(chromedp.ID("action-notice"))); msg != "You submitted the transfer: it is Completed." {
		t.Errorf("notice = %q", msg)
	}
	if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#lines tr.line"))); !slices.Equal(got, []string{"Microsoft 365 Business Premium|P1Y/monthly|4|6|Completed|4|"}) {
		t.Errorf("lines after submitting = %q", got)
	}
	if n := MustRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#actions-section, #line-form").length`)); n != 0 {
		t.Errorf("a completed transfer still shows %d forms", n)
	}
}

// TestBrowserTenantTransfers: under Contoso's review policy a submitted
// transfer of 3 seats waits, InProgress; Fabrikam's admin sees it on the
// tenant page and rejects it.
func TestBrowserTenantTransfers(t *testing.T) {
	w, _, ctx := MustTransferBrowser(t)
	id := MustReviewedTransfer(t, w)
	MustSignIn(t, ctx, w.adminKey)
	row := `#transfers tr[data-transfer-id="` + id.String() + `"]`
	if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS(row))); !slices.Equal(got, []string{
		"Contoso Partner|Litware Direct|Microsoft 365 Business Premium: 3 seats|InProgress|2026-01-15 09:00 UTC|2026-02-14 09:00 UTC||Reject",
	}) {
		t.Fatalf("transfers = %q", got)
	}
	MustLoad(t, ctx, chromedp.Click(chromedp.CSS(row+" form.reject button")))
	if loc := MustRun(t, ctx, chromedp.Location()); !strings.Contains(loc, "done=reject") {
		t.Errorf("after rejecting the browser is at %s", loc)
	}
	if msg := MustRun(t, ctx, chromedp.Text(chromedp.ID("action-notice"))); msg != "You rejected the transfer from Contoso Partner to Litware Direct: it is Rejected." {
		t.Errorf("notice = %q", msg)
	}
	if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS(row))); !slices.Equal(got, []string{
		"Contoso Partner|Litware Direct|Microsoft 365 Business Premium: 3 seats|Rejected|2026-01-15 09:00 UTC|||",
	}) {
		t.Errorf("the rejected transfer = %q", got)
	}
}
