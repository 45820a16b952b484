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

// MustTenantBrowser serves the tenant world and signs Fabrikam's admin in.
func MustTenantBrowser(t *testing.T) (*tenantWorld, *httptest.Server, context.Context) {
	t.Helper()
	ctx := MustBrowser(t)
	srv := httptest.NewUnstartedServer(nil)
	w := MustTenantWorld(t, "http://"+srv.Listener.Addr().String())
	h, err := server.Handler(w.app)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console/signin"))
	MustLoad(t, ctx, chromedp.SendKeys(chromedp.ID("key"), w.adminKey), chromedp.Click(chromedp.ID("signin-submit")))
	if name := MustRun(t, ctx, chromedp.Text(chromedp.ID("tenant-name"))); name != "Fabrikam" {
		t.Fatalf("signed in to %q, want Fabrikam", name)
	}
	return w, srv, ctx
}

// TestBrowserTenantDirectory: Fabrikam's admin sees its licences, users,
// premium features and partners with admin rights, approves Contoso's
// pending request and sees it active.
func TestBrowserTenantDirectory(t *testing.T) {
	w, _, ctx := MustTenantBrowser(t)
	rows := func(sel string) []string {
		t.Helper()
		return MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS(sel)))
	}
	if got, want := rows("#licences tr.licence"), []string{
		"Microsoft 365 Business Premium|SPB|5|5|0|0|0|1|4|Contoso Partner: 2 (active)\nLitware Direct: 3 (active)",
	}; !slices.Equal(got, want) {
		t.Errorf("licences =\n%q\nwant\n%q", got, want)
	}
	if got, want := rows("#users tr.user"), []string{
		"ada@fabrikam.onmicrosoft.com|Ada Lovelace|enabled|Microsoft 365 Business Premium|none",
		"admin@fabrikam.onmicrosoft.com|Global Administrator|enabled|none|Global Administrator",
	}; !slices.Equal(got, want) {
		t.Errorf("users =\n%q\nwant\n%q", got, want)
	}
	if got, want := rows("#premium-features tr.feature"), []string{
		"Conditional access|Microsoft Entra ID P1|has it|1",
		"Risk-based conditional access|Microsoft Entra ID P2|lacks it|0",
		"Privileged Identity Management (eligible role assignments)|Microsoft Entra ID P2|lacks it|0",
	}; !slices.Equal(got, want) {
		t.Errorf("premium features =\n%q\nwant\n%q", got, want)
	}
	if got, want := rows("#licence-gaps tr.gap"), []string{
		"admin@fabrikam.onmicrosoft.com|Require MFA|Conditional access|Microsoft Entra ID P1|Microsoft Entra ID Free",
	}; !slices.Equal(got, want) {
		t.Errorf("licence gaps =\n%q\nwant\n%q", got, want)
	}
	pendingRow := `#gdap tr[data-relationship-id="` + w.pending.String() + `"]`
	if got, want := rows("#gdap tr.relationship"), []string{
		"Contoso Partner|Contoso helpdesk|approvalPending|Helpdesk Administrator\nDirectory Readers|||Approve\n \nReject",
		"Litware Direct|Litware support|active|Helpdesk Administrator\nDirectory Readers|2026-01-05|2028-01-05 09:00 UTC|Terminate",
	}; !slices.Equal(got, want) {
		t.Errorf("partners with admin rights =\n%q\nwant\n%q", got, want)
	}

	MustLoad(t, ctx, chromedp.Click(chromedp.CSS(pendingRow+` form.approve button`)))
	if loc := MustRun(t, ctx, chromedp.Location()); !strings.Contains(loc, "done=approve") {
		t.Errorf("after approving the browser is at %s", loc)
	}
	if msg := MustRun(t, ctx, chromedp.Text(chromedp.ID("action-notice"))); msg != "You approved Contoso Partner's relationship “Contoso helpdesk”: it is active until 2028-01-07 09:00 UTC." {
		t.Errorf("notice = %q", msg)
	}
	if got := rows(pendingRow); !slices.Equal(got, []string{"Contoso Partner|Contoso helpdesk|active|Helpdesk Administrator\nDirectory Readers|2026-01-07|2028-01-07 09:00 UTC|Terminate"}) {
		t.Errorf("the approved relationship = %q", got)
	}
}

// TestBrowserTenantAzure: Fabrikam's admin, Reader of Contoso's Azure
// subscription, sees it, its VM, its role assignments, the budget notice
// and the chart's seven bars (January 1 to 7; 5, 6 and 7 with usage).
func TestBrowserTenantAzure(t *testing.T) {
	w, _, ctx := MustTenantBrowser(t)
	sub := "#azure-" + w.azureSub.String()
	if name := MustRun(t, ctx, chromedp.Text(chromedp.CSS(sub+" h3.name"))); name != "Production" {
		t.Errorf("subscription = %q", name)
	}
	if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS(sub+" tr.resource"))); !slices.Equal(got, []string{"vm1|Microsoft.Compute/virtualMachines|web|eastus|running"}) {
		t.Errorf("resources = %q", got)
	}
	if got, want := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS(sub+" tr.role-assignment"))), []string{
		"Owner|Contoso Partner (admin agents)|ForeignGroup|/subscriptions/" + w.azureSub.String(),
		"Reader|admin@fabrikam.onmicrosoft.com|User|/subscriptions/" + w.azureSub.String(),
	}; !slices.Equal(got, want) {
		t.Errorf("role assignments =\n%q\nwant\n%q", got, want)
	}
	if msg := MustRun(t, ctx, chromedp.Text(chromedp.CSS(sub+" .budget-notice"))); !strings.Contains(msg, "USD 2.00, at or above this organization's usage budget of USD 1.50") {
		t.Errorf("budget notice = %q", msg)
	}
	// The bars as the browser lays them out: day, rendered height.
	bars := MustRun(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(`+"`"+sub+` svg.usage-chart rect.bar`+"`"+`)).map(b => b.dataset.day + "=" + b.getBBox().height)`))
	want := []string{"2026-01-01=0", "2026-01-02=0", "2026-01-03=0", "2026-01-04=0", "2026-01-05=125", "2026-01-06=200", "2026-01-07=75"}
	if !slices.Equal(bars, want) {
		t.Errorf("bars = %q, want %q", bars, want)
	}
	title := MustRun(t, ctx, chromedp.Evaluate[string](`document.querySelector(`+"`"+sub+` svg.usage-chart > title`+"`"+`).textContent`))
	if title != "Month-to-date usage of Production, January 2026, in USD per day" {
		t.Errorf("chart title = %q", title)
	}
}
