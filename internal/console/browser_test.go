package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/server"
)

// chromiumPath finds the browser. Without one the test skips, except under
// CI=true, where .ci/run installs it and a skip would hide a failure.
func chromiumPath(tb testing.TB) string {
	tb.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if os.Getenv("CI") == "true" {
		tb.Fatal("chromium not found under CI=true: install the Debian package chromium (apt-get install -y chromium)")
	}
	tb.Skip("browser test skipped: chromium not found on PATH or at /usr/bin/chromium (apt-get install -y chromium)")
	return ""
}

// MustBrowser starts headless Chromium with a fresh profile. The flags keep
// it from calling out: this machine's closed network refuses Chromium's
// background connections, which otherwise slow or break the run.
func MustBrowser(tb testing.TB) context.Context {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(tb)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(tb.TempDir()),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	tb.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tb.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	tb.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		tb.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// MustLoad runs steps that end in a navigation (a click on a submit button)
// and waits for the new page; the page must answer 200.
func MustLoad(tb testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	MustLoadStatus(tb, ctx, http.StatusOK, steps...)
}

// MustLoadStatus is MustLoad for a page that must answer status.
func MustLoadStatus(tb testing.TB, ctx context.Context, status int, steps ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	// A step that fails to navigate would leave RunResponse waiting until
	// the browser's deadline; a shorter one names the failing step sooner.
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		tb.Fatalf("navigation: %v", err)
	}
	if int(resp.Status) != status {
		tb.Fatalf("navigation to %s answered %d, want %d", resp.URL, int(resp.Status), status)
	}
}

// MustRun runs one action that answers a value.
func MustRun[T any](tb testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	tb.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// rowsJS answers each row of a table as its cells' text joined by "|".
func rowsJS(selector string) string {
	return `Array.from(document.querySelectorAll(` + "`" + selector + "`" + `)).map(r => Array.from(r.cells).map(c => c.innerText.trim()).join("|"))`
}

// TestBrowserPartnerAndCustomerAdmin walks the console in Chromium. Its steps
// run in order, each starting where the previous left the browser, so the
// first failing step ends the test.
func TestBrowserPartnerAndCustomerAdmin(t *testing.T) {
	ctx := MustBrowser(t)

	// The server's address goes into the app's invitation links, so the
	// listener exists before the app; the handler is set before it starts.
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	w := MustSeed(t, base)
	h, err := server.Handler(w.app)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)

	customerRow := func(ten *csp.Tenant) string {
		return strings.Join([]string{ten.DisplayName, ten.DefaultDomain(), ten.ID.String(), ten.Country, string(ten.Region), string(ten.Segment)}, "|")
	}
	customers := func(t *testing.T) []string {
		t.Helper()
		return MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#customers tr.customer")))
	}
	search := func(t *testing.T, q string) []string {
		t.Helper()
		MustLoad(t, ctx,
			chromedp.Clear(chromedp.ID("q")),
			chromedp.SendKeys(chromedp.ID("q"), q),
			chromedp.Click(chromedp.ID("search-submit")))
		return customers(t)
	}

	if !t.Run("SignInAsPartner", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/console")); err != nil {
			t.Fatal(err)
		}
		if loc := MustRun(t, ctx, chromedp.Location()); loc != srv.URL+"/console/signin" {
			t.Fatalf("without a key the console is at %s, want the sign-in form", loc)
		}
		MustLoadStatus(t, ctx, http.StatusUnauthorized, chromedp.SendKeys(chromedp.ID("key"), "ocsp_not_a_key"), chromedp.Click(chromedp.ID("signin-submit")))
		if msg := MustRun(t, ctx, chromedp.Text(chromedp.ID("signin-error"))); !strings.Contains(msg, "The key is not valid") {
			t.Errorf("bad key message = %q", msg)
		}

		MustLoad(t, ctx, chromedp.SendKeys(chromedp.ID("key"), w.partnerKey), chromedp.Click(chromedp.ID("signin-submit")))
		if loc := MustRun(t, ctx, chromedp.Location()); loc != srv.URL+"/console" {
			t.Fatalf("after sign-in the browser is at %s", loc)
		}
		if org := MustRun(t, ctx, chromedp.Text(chromedp.ID("org-name"))); org != "Contoso Partner" {
			t.Errorf("header partner = %q, want Contoso Partner", org)
		}
		if user := MustRun(t, ctx, chromedp.Text(chromedp.ID("user-name"))); user != "ann@contoso-partner.com" {
			t.Errorf("header user = %q, want ann@contoso-partner.com", user)
		}
		// By name: Fabrikam, Northwind Traders, Tailspin Toys, Woodgrove School.
		want := []string{customerRow(w.fabrikam), customerRow(w.northwind), customerRow(w.tailspin), customerRow(w.woodgrove)}
		if got := customers(t); !slices.Equal(got, want) {
			t.Errorf("customers =\n%q\nwant\n%q", got, want)
		}
	}) {
		return
	}

	if !t.Run("Search", func(t *testing.T) {
		for _, c := range []struct {
			name, q string
			want    *csp.Tenant
		}{
			{"ByName", "Fabrik", w.fabrikam},
			{"ByDomain", "nwtraders", w.northwind},
			{"ByFullDomain", "woodgrove.onmicrosoft.com", w.woodgrove},
			{"ByTenantID", w.tailspin.ID.String(), w.tailspin},
		} {
			if got := search(t, c.q); !slices.Equal(got, []string{customerRow(c.want)}) {
				t.Errorf("%s: search %q shows %q, want only %s", c.name, c.q, got, c.want.DisplayName)
			}
		}
		if got := search(t, "no such customer"); len(got) != 0 {
			t.Errorf("search with no match shows %q", got)
		}
		if msg := MustRun(t, ctx, chromedp.Text(chromedp.ID("no-customers"))); !strings.Contains(msg, "No customer matches") {
			t.Errorf("empty search message = %q", msg)
		}
	}) {
		return
	}

	if !t.Run("SignOut", func(t *testing.T) {
		MustLoad(t, ctx, chromedp.Click(chromedp.ID("signout")))
		if loc := MustRun(t, ctx, chromedp.Location()); loc != srv.URL+"/console/signin" {
			t.Fatalf("after sign-out the browser is at %s", loc)
		}
		MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console"))
		if loc := MustRun(t, ctx, chromedp.Location()); loc != srv.URL+"/console/signin" {
			t.Fatalf("after sign-out /console shows %s, want the sign-in form", loc)
		}
	}) {
		return
	}

	t.Run("SignInAsCustomerAdmin", func(t *testing.T) {
		MustLoad(t, ctx, chromedp.SendKeys(chromedp.ID("key"), w.adminKey), chromedp.Click(chromedp.ID("signin-submit")))
		if h1 := MustRun(t, ctx, chromedp.Text(chromedp.ID("tenant-heading"))); h1 != "Tenant (also: 365 tenant, Azure tenant, directory, organization, account)" {
			t.Errorf("heading = %q", h1)
		}
		if name := MustRun(t, ctx, chromedp.Text(chromedp.ID("tenant-name"))); name != "Fabrikam" {
			t.Errorf("tenant name = %q, want Fabrikam", name)
		}
		facts := MustRun(t, ctx, chromedp.Text(chromedp.ID("tenant")))
		for _, s := range []string{"fabrikam.onmicrosoft.com", w.fabrikam.ID.String(), "US", "commercial"} {
			if !strings.Contains(facts, s) {
				t.Errorf("tenant facts %q lack %q", facts, s)
			}
		}

		partners := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#partners tr.partner")))
		wantPartners := []string{
			"Contoso Partner|" + w.contoso.MpnID + "|directReseller|2026-01-05",
			"Litware Direct|" + w.litware.MpnID + "|directReseller|2026-01-05",
		}
		if !slices.Equal(partners, wantPartners) {
			t.Errorf("partners =\n%q\nwant\n%q", partners, wantPartners)
		}

		if name := MustRun(t, ctx, chromedp.Text(chromedp.ID("mto-name"))); name != "Fabrikam Group" {
			t.Errorf("multitenant organization = %q, want Fabrikam Group", name)
		}
		members := MustRun(t, ctx, chromedp.Evaluate[[]string](rowsJS("#mto-members tr.member")))
		wantMembers := []string{
			"Fabrikam this tenant\nfabrikam.onmicrosoft.com|" + w.fabrikam.ID.String() + "|owner|active|Contoso Partner (directReseller)\nLitware Direct (directReseller)",
			"Northwind Traders\nnwtraders.onmicrosoft.com|" + w.northwind.ID.String() + "|member|active|Contoso Partner (directReseller)",
			"Tailspin Toys\ntailspin.onmicrosoft.com|" + w.tailspin.ID.String() + "|member|pending|shown once it joins",
		}
		if !slices.Equal(members, wantMembers) {
			t.Errorf("members =\n%q\nwant\n%q", members, wantMembers)
		}
	})
}
