package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/server"
)

// TestBrowserInvoices walks a billing admin through Contoso's invoices in
// Chromium, on tenantWorld's machine advanced to 2026-02-03 09:00 (the
// figures are TestInvoiceUsage's): the list, January's invoice, its usage
// lines, the download of their reconciliation file, and the usage chart of
// the Azure subscription on the customer page; then the same pages at a
// phone's width. Each step starts where the previous left the browser.
func TestBrowserInvoices(t *testing.T) {
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
	MustAdvance(t, w.world, "2026-02-03T09:00:00Z")
	_, bea, err := w.app.CreatePartnerUser(t.Context(), w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Bea", Email: "bea@contoso-partner.com", Roles: []string{"billingAdmin"}})
	if err != nil {
		t.Fatal(err)
	}
	invoice := srv.URL + "/console/invoices/G000000001"

	if !t.Run("SignInAndOpenInvoices", func(t *testing.T) {
		MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console/signin"))
		MustLoad(t, ctx, chromedp.SendKeys(chromedp.ID("key"), bea.APIKey), chromedp.Click(chromedp.ID("signin-submit")))
		if role := MustRun(t, ctx, chromedp.Text(chromedp.ID("user-role"))); role != "Billing admin" {
			t.Errorf("role %q", role)
		}
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("nav-invoices")))
		// 46.20 of licences and 22.46 of usage: 68.66.
		if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#invoices tr.invoice"))); !slices.Equal(got, []string{"G000000001|January 2026|2026-02-01|USD|USD 68.66|1|27"}) {
			t.Fatalf("invoices %q", got)
		}
	}) {
		return
	}

	if !t.Run("OpenInvoice", func(t *testing.T) {
		MustLoad(t, ctx, chromedp.Click(chromedp.CSS("#invoices tr.invoice td.number a")))
		if loc := MustRun(t, ctx, chromedp.Location()); loc != invoice {
			t.Fatalf("at %s, want %s", loc, invoice)
		}
		if total := MustRun(t, ctx, chromedp.Text(chromedp.ID("invoice-total"))); total != "USD 68.66" {
			t.Errorf("total %q", total)
		}
		if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#licence-lines tr.licence-line"))); !slices.Equal(got,
			[]string{"2026-01-05|Fabrikam|Microsoft 365 Business Premium|New purchase|2026-01-05 to 2026-02-04|2|USD 46.20|USD 0.00|USD 46.20"}) {
			t.Errorf("licence lines %q", got)
		}
	}) {
		return
	}

	if !t.Run("UsageLines", func(t *testing.T) {
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("show-usage")))
		got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#usage-lines tr.usage-line")))
		const vm = "|Fabrikam|Production|vm1|Virtual Machines, BS Series B2s, per 1 Hour|"
		if len(got) != 27 || got[0] != "2026-01-05"+vm+"15|USD 0.0416|no|USD 0.62" || got[1] != "2026-01-06"+vm+"24|USD 0.03536|yes (15%)|USD 0.84" {
			t.Fatalf("%d usage lines\n%s", len(got), strings.Join(got, "\n"))
		}
	}) {
		return
	}

	if !t.Run("DownloadReconciliationFile", func(t *testing.T) {
		href := MustRun(t, ctx, chromedp.Evaluate[string](`document.getElementById("download-csv").href`))
		if href != invoice+"/reconciliation.csv?lines=usage" {
			t.Errorf("download link %q", href)
		}
		dir := t.TempDir()
		on := true
		if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &on}); err != nil {
			t.Fatal(err)
		}
		wait, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		events := chromedp.BrowserEvents(wait, browser.DownloadProgress)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("download-csv"))); err != nil {
			t.Fatal(err)
		}
		var done browser.EventDownloadProgress
		for ev, err := range events {
			if err != nil {
				t.Fatalf("waiting for the download: %v", err)
			}
			if ev.State == browser.DownloadProgressStateCompleted || ev.State == browser.DownloadProgressStateCanceled {
				done = ev
				break
			}
		}
		if done.State != browser.DownloadProgressStateCompleted {
			t.Fatalf("download ended %q", done.State)
		}
		path := done.FilePath
		if path == "" {
			path = filepath.Join(dir, done.GUID)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// The header and the 27 usage lines.
		if rows := csvLines(string(b)); len(rows) != 28 || !strings.HasPrefix(rows[0], "PartnerId,PartnerName,CustomerId,") || !strings.Contains(rows[1], ",new,0.0416,15,1 Hour,0.62,USD,0.62,USD,") {
			t.Errorf("downloaded file: %d rows\n%.400s", len(rows), b)
		}
		// A download does not leave the page.
		if loc := MustRun(t, ctx, chromedp.Location()); loc != invoice+"?lines=usage" {
			t.Errorf("after the download the browser is at %s", loc)
		}
	}) {
		return
	}

	if !t.Run("UsageChart", func(t *testing.T) {
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("nav-customers")))
		MustLoad(t, ctx, chromedp.Click(chromedp.CSS(`#customers tr[data-tenant-id="`+w.fabrikam.ID.String()+`"] td.name a`)))
		sub := "#azure-" + w.azureSub.String()
		// 0.9984, 0.9984 and 0.3744 a day: bars 200, 200 and 75 high.
		bars := MustRun(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(`+"`"+sub+` svg.usage-chart rect.bar`+"`"+`)).map(b => b.dataset.day + "=" + b.getBBox().height + "=" + b.querySelector("title").textContent)`))
		want := []string{"2026-02-01=200=2026-02-01: USD 0.998400", "2026-02-02=200=2026-02-02: USD 0.998400", "2026-02-03=75=2026-02-03: USD 0.374400"}
		if !slices.Equal(bars, want) {
			t.Errorf("bars = %q, want %q", bars, want)
		}
		if total := MustRun(t, ctx, chromedp.Text(chromedp.CSS(sub+" dd.month-to-date"))); !strings.HasPrefix(total, "USD 2.37") {
			t.Errorf("month to date %q", total)
		}
		// The numbers behind the chart are there for screen readers, in a
		// box of one pixel.
		if got := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS(sub+" table.chart-table tr.chart-day"))); !slices.Equal(got, []string{"2026-02-01|0.998400", "2026-02-02|0.998400", "2026-02-03|0.374400"}) {
			t.Errorf("chart table %q", got)
		}
		if box := MustRun(t, ctx, chromedp.Evaluate[float64](`document.querySelector(`+"`"+sub+` table.chart-table`+"`"+`).parentElement.getBoundingClientRect().width`)); box > 1 {
			t.Errorf("the chart's table is %g px wide on the screen", box)
		}
	}) {
		return
	}

	t.Run("PhoneWidth", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneWidth, 900)); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{srv.URL + "/console/invoices", invoice, invoice + "?lines=usage", srv.URL + "/console/charges",
			srv.URL + "/console/customers/" + w.fabrikam.ID.String()} {
			MustLoadStatus(t, ctx, http.StatusOK, chromedp.Navigate(p))
			if got := MustRun(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); got > phoneWidth {
				t.Errorf("%s is %d px wide on a %d px screen", p, got, phoneWidth)
			}
		}
	})
}
