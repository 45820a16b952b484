package console_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/console"
	"github.com/opencsp/opencsp/internal/csp"
)

// MustConsole serves the console of the world's app.
func MustConsole(tb testing.TB, w *world) *httptest.Server {
	tb.Helper()
	h, err := console.New(w.app)
	if err != nil {
		tb.Fatalf("console.New: %v", err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

// scenario is one request to the console and what its answer must hold.
type scenario struct {
	name     string
	method   string
	path     string
	form     url.Values        // POST body
	key      string            // sign in with this key first (an invalid one is sent as the session cookie)
	header   map[string]string // extra request headers
	status   int
	location string   // Location header, for redirects
	want     []string // substrings of the body
	notWant  []string
	rows     int // number of customer rows, when >= 0 and the page lists customers
}

func TestConsoleScenarios(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)

	row := func(ten *csp.Tenant) string { return `data-tenant-id="` + ten.ID.String() + `"` }
	all := []*csp.Tenant{w.fabrikam, w.northwind, w.woodgrove, w.tailspin}
	others := func(keep *csp.Tenant) []string {
		var out []string
		for _, ten := range all {
			if ten != keep {
				out = append(out, row(ten))
			}
		}
		return out
	}

	for _, sc := range []scenario{
		{name: "RootRedirects", method: "GET", path: "/", status: http.StatusFound, location: "/console"},
		{name: "NoCookieRedirectsToSignIn", method: "GET", path: "/console", status: http.StatusSeeOther, location: "/console/signin"},
		{name: "InvalidCookieRedirectsToSignIn", method: "GET", path: "/console", key: "ocsp_nope", status: http.StatusSeeOther, location: "/console/signin"},
		{name: "SignInForm", method: "GET", path: "/console/signin", status: http.StatusOK, want: []string{`name="key"`, `action="/console/signin"`}},
		{name: "ErrBadKey", method: "POST", path: "/console/signin", form: url.Values{"key": {"ocsp_bogus"}}, status: http.StatusUnauthorized,
			want: []string{"The key is not valid: check that it was copied whole, or ask the operator for a new one.", `id="signin-error"`}},
		{name: "ErrUnknownKey", method: "POST", path: "/console/signin", form: url.Values{"key": {"ocsp_0190a1b2c3d4e5f60718293a4b5c6d7e_secret"}}, status: http.StatusUnauthorized,
			want: []string{"The key is not valid"}},
		{name: "ErrEmptyKey", method: "POST", path: "/console/signin", form: url.Values{"key": {"  "}}, status: http.StatusUnauthorized, want: []string{"Enter an API key."}},
		{name: "ErrCrossOriginSignIn", method: "POST", path: "/console/signin", form: url.Values{"key": {w.partnerKey}},
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}, status: http.StatusForbidden, want: []string{"another site"}},
		{name: "SignInOK", method: "POST", path: "/console/signin", form: url.Values{"key": {w.partnerKey}}, status: http.StatusSeeOther, location: "/console"},
		{name: "PartnerCustomers", method: "GET", path: "/console", key: w.partnerKey, status: http.StatusOK, rows: 4,
			want: []string{"Contoso Partner", "ann@contoso-partner.com", `<table id="customers">`,
				"Fabrikam", "fabrikam.onmicrosoft.com", w.fabrikam.ID.String(),
				"nwtraders.onmicrosoft.com", `<td class="region">CA</td>`,
				`<td class="region">UK</td>`, `<td class="segment">education</td>`,
				`<td class="country">DE</td>`, `<td class="region">EU</td>`, `<td class="segment">commercial</td>`,
				`<td class="name"><a href="/console/customers/` + w.fabrikam.ID.String() + `">Fabrikam</a></td>`,
				`<a href="/console/catalog" id="nav-catalog">Catalog</a>`,
				// Ann is an admin agent: every partner page is hers.
				`<span class="role" id="user-role">Admin agent</span>`, `id="nav-new-customer"`, `id="nav-charges"`, `id="nav-audit"`},
			notWant: []string{`id="next-page"`, "Partner user"}},
		{name: "SearchByName", method: "GET", path: "/console?q=fabri", key: w.partnerKey, status: http.StatusOK, rows: 1,
			want: []string{row(w.fabrikam), `value="fabri"`}, notWant: others(w.fabrikam)},
		{name: "SearchByNameCaseInsensitive", method: "GET", path: "/console?q=WOODGROVE+sch", key: w.partnerKey, status: http.StatusOK, rows: 1,
			want: []string{row(w.woodgrove)}, notWant: others(w.woodgrove)},
		{name: "SearchByDomain", method: "GET", path: "/console?q=nwtrad", key: w.partnerKey, status: http.StatusOK, rows: 1,
			want: []string{row(w.northwind)}, notWant: others(w.northwind)},
		{name: "SearchByFullDomain", method: "GET", path: "/console?q=nwtraders.onmicrosoft.com", key: w.partnerKey, status: http.StatusOK, rows: 1,
			want: []string{row(w.northwind)}, notWant: others(w.northwind)},
		{name: "SearchByTenantID", method: "GET", path: "/console?q=" + w.tailspin.ID.String(), key: w.partnerKey, status: http.StatusOK, rows: 1,
			want: []string{row(w.tailspin)}, notWant: others(w.tailspin)},
		{name: "SearchNoMatch", method: "GET", path: "/console?q=zzz", key: w.partnerKey, status: http.StatusOK, rows: 0,
			want: []string{"No customer matches", "zzz"}},
		{name: "SearchIsEscaped", method: "GET", path: "/console?q=" + url.QueryEscape(`<script>x</script>`), key: w.partnerKey, status: http.StatusOK, rows: 0,
			want: []string{"&lt;script&gt;"}, notWant: []string{"<script>"}},
		{name: "ErrBadContinuation", method: "GET", path: "/console?continuation=!!!", key: w.partnerKey, status: http.StatusBadRequest,
			want: []string{"continuation parameter"}},
		{name: "TenantAdmin", method: "GET", path: "/console", key: w.adminKey, status: http.StatusOK,
			want: []string{"Tenant (also: 365 tenant, Azure tenant, directory, organization, account)",
				`<h2 id="tenant-name">Fabrikam</h2>`, "fabrikam.onmicrosoft.com", w.fabrikam.ID.String(), `<dd class="region">US</dd>`, `<dd class="segment">commercial</dd>`,
				"admin@fabrikam.onmicrosoft.com",
				`<td class="name">Contoso Partner</td>`, `<td class="name">Litware Direct</td>`, w.contoso.MpnID, w.litware.MpnID,
				`<td class="relationship">directReseller</td>`, `<td class="since">2026-01-05</td>`,
				`<strong id="mto-name">Fabrikam Group</strong>`, `<span id="mto-role">owner</span>`,
				row(w.northwind), row(w.tailspin), `<span class="state-pending">pending</span>`, `<td class="role">member</td>`,
				`<li class="member-partner">Contoso Partner`, `<span class="role" id="user-role">Customer admin</span>`},
			notWant: []string{"No multitenant organization", `id="customers"`}},
		{name: "TenantWithoutMTO", method: "GET", path: "/console", key: w.woodgroveAdminKey, status: http.StatusOK,
			want: []string{`<h2 id="tenant-name">Woodgrove School</h2>`, `<dd class="region">UK</dd>`, `<dd class="segment">education</dd>`, "No multitenant organization"}},
		{name: "Operator", method: "GET", path: "/console", key: w.operatorKey, status: http.StatusOK,
			want: []string{`<td class="name">Contoso Partner</td>`, `<td class="locations">US, CA, DE</td>`, "all its markets",
				`<td class="name">Litware Direct</td>`, "commercial; regions US, CA", w.litware.MpnID, `<td class="type">direct</td>`,
				`<span class="role" id="user-role">Operator</span>`},
			notWant: []string{`id="org-name"`, `id="nav"`}},
		{name: "ErrUnknownPage", method: "GET", path: "/console/nowhere", status: http.StatusNotFound, want: []string{"There is no page at /console/nowhere"}},
		{name: "ErrMethodNotAllowed", method: "POST", path: "/console", key: w.partnerKey, status: http.StatusMethodNotAllowed, want: []string{"does not accept POST"}},
		{name: "Stylesheet", method: "GET", path: "/console/static/console.css", status: http.StatusOK, want: []string{".top"}},
	} {
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}
}

// MustScenario sends one scenario's request and checks its answer.
func MustScenario(t *testing.T, srv *httptest.Server, sc scenario) {
	t.Helper()
	status, hdr, body := MustDo(t, srv, sc)
	if status != sc.status {
		t.Fatalf("status = %d, want %d; body:\n%s", status, sc.status, body)
	}
	if sc.location != "" && hdr.Get("Location") != sc.location {
		t.Errorf("Location = %q, want %q", hdr.Get("Location"), sc.location)
	}
	// A want is found in the HTML or in its text (apostrophes and quotes
	// escaped or not).
	text := html.UnescapeString(body)
	for _, s := range sc.want {
		if !strings.Contains(body, s) && !strings.Contains(text, s) {
			t.Errorf("body lacks %q", s)
		}
	}
	MustPlainWords(t, body)
	for _, s := range sc.notWant {
		if strings.Contains(body, s) {
			t.Errorf("body has %q", s)
		}
	}
	if sc.rows >= 0 && strings.Contains(body, "Customers · OpenCSP") {
		if n := customerRows(body); n != sc.rows {
			t.Errorf("customer rows = %d, want %d", n, sc.rows)
		}
	}
	if t.Failed() {
		t.Logf("body:\n%s", body)
	}
}

var customerRow = regexp.MustCompile(`<tr class="customer"`)

// apiWords are what a console page never shows: an API path, a rule id, an
// error code, a Partner Center CartErrorCode name.
var apiWords = regexp.MustCompile(`/v1/|\bR-\d|\bcode \d{4}\b|\b(?:CurrencyIsNotSupported|CatalogItemIdIsNotValid|QuotaNotAvailable|ParticipantsIsNotSupportedForPartner|` +
	`UnableToProcessCartLineItem|SubscriptionIsNotValid|InvalidInput|BillingPlanNotSupported|MaxAllowedSeatsPerSubscriptionExceeded|InvalidCustomTermEndDate\w*|BaseOfferSeatQuantityNotMet)\b|` +
	`\b(?:billingProfile|companyProfile|defaultAddress|primaryContact|lineItems)\.|\b[0-9]{3} (?:Bad Request|Not Found|Forbidden|Conflict)`)

// MustPlainWords fails when a page's text shows API details.
func MustPlainWords(t *testing.T, body string) {
	t.Helper()
	if m := apiWords.FindAllString(html.UnescapeString(body), -1); len(m) > 0 {
		t.Errorf("the page shows API details %q", m)
	}
}

func customerRows(body string) int { return len(customerRow.FindAllString(body, -1)) }

// MustDo sends one scenario's request without following redirects.
func MustDo(tb testing.TB, srv *httptest.Server, sc scenario) (int, http.Header, string) {
	tb.Helper()
	var body io.Reader
	if sc.form != nil {
		body = strings.NewReader(sc.form.Encode())
	}
	req, err := http.NewRequest(sc.method, srv.URL+sc.path, body)
	if err != nil {
		tb.Fatal(err)
	}
	if sc.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range sc.header {
		req.Header.Set(k, v)
	}
	if sc.key != "" {
		req.AddCookie(&http.Cookie{Name: "opencsp_session", Value: MustSession(tb, srv, sc.key)})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func TestSignInCookie(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)

	status, hdr, _ := MustDo(t, srv, scenario{method: "POST", path: "/console/signin", form: url.Values{"key": {w.partnerKey}}})
	if status != http.StatusSeeOther {
		t.Fatalf("sign in: status %d", status)
	}
	c := MustCookie(t, hdr)
	// The cookie holds a session id the server keeps, never the key.
	if !strings.HasPrefix(c.Value, "ocss_") || strings.Contains(c.Value, w.partnerKey) || len(c.Value) < 40 || !c.HttpOnly ||
		c.SameSite != http.SameSiteStrictMode || c.Path != "/console" || c.Secure {
		t.Errorf("cookie = %+v, want a session id, HttpOnly, SameSite=Strict, Path=/console, not Secure over http", c)
	}
	home := func(token string) int {
		st, _, _ := MustDoCookie(t, srv, "GET", "/console", token)
		return st
	}
	if st := home(c.Value); st != http.StatusOK {
		t.Fatalf("home with the session: status %d", st)
	}
	if st := home(w.partnerKey); st != http.StatusSeeOther {
		t.Errorf("home with the key itself as cookie: status %d, want 303 to sign in", st)
	}

	status, hdr, _ = MustDoCookie(t, srv, "POST", "/console/signout", c.Value)
	if status != http.StatusSeeOther || hdr.Get("Location") != "/console/signin" {
		t.Fatalf("sign out: status %d, Location %q", status, hdr.Get("Location"))
	}
	if c := MustCookie(t, hdr); c.Value != "" || c.MaxAge >= 0 {
		t.Errorf("sign out cookie = %+v, want it cleared", c)
	}
	if st := home(c.Value); st != http.StatusSeeOther {
		t.Errorf("home with the ended session: status %d, want 303 to sign in", st)
	}
}

func TestSignInCookieSecureBehindHTTPS(t *testing.T) {
	w := MustSeed(t, "https://console.example.com")
	srv := MustConsole(t, w)
	status, hdr, _ := MustDo(t, srv, scenario{method: "POST", path: "/console/signin", form: url.Values{"key": {w.partnerKey}}})
	if status != http.StatusSeeOther {
		t.Fatalf("sign in: status %d", status)
	}
	if c := MustCookie(t, hdr); !c.Secure {
		t.Errorf("cookie = %+v: served at an https:// public URL, it must be Secure", c)
	}
}

func TestFailedSignInsThrottled(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	// 60 failures a minute per client address, then 429, even with a valid key.
	for i := range 60 {
		st, _, _ := MustDo(t, srv, scenario{method: "POST", path: "/console/signin", form: url.Values{"key": {fmt.Sprintf("ocsp_%032d_guess", i)}}})
		if st != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d: status %d, want 401", i+1, st)
		}
	}
	st, _, body := MustDo(t, srv, scenario{method: "POST", path: "/console/signin", form: url.Values{"key": {w.partnerKey}}})
	if st != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed authentications from this address (at most 60 a minute)") {
		t.Fatalf("sign-in after 60 failures: status %d, want 429 naming the limit; body:\n%s", st, body)
	}
}

// sessions caches a session token per console and key.
var sessions sync.Map

// MustSession signs in with key (once per console) and answers the session
// token; a key that does not sign in is answered as it is, so that it is
// sent as an (invalid) session cookie.
func MustSession(tb testing.TB, srv *httptest.Server, key string) string {
	tb.Helper()
	if v, ok := sessions.Load(srv.URL + " " + key); ok {
		return v.(string)
	}
	status, hdr, _ := MustDo(tb, srv, scenario{method: "POST", path: "/console/signin", form: url.Values{"key": {key}}})
	if status != http.StatusSeeOther {
		return key
	}
	token := MustCookie(tb, hdr).Value
	sessions.Store(srv.URL+" "+key, token)
	return token
}

// MustDoCookie sends a request with a raw session cookie.
func MustDoCookie(tb testing.TB, srv *httptest.Server, method, path, token string) (int, http.Header, string) {
	tb.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "opencsp_session", Value: token})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// MustCookie answers the opencsp_session cookie that a response sets.
func MustCookie(tb testing.TB, hdr http.Header) *http.Cookie {
	tb.Helper()
	for _, c := range (&http.Response{Header: hdr}).Cookies() {
		if c.Name == "opencsp_session" {
			return c
		}
	}
	tb.Fatalf("no opencsp_session cookie in %v", hdr["Set-Cookie"])
	return nil
}

func TestCustomersPaging(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ctx := t.Context()

	part, err := w.app.CreatePartner(ctx, w.operator, app.NewPartner{Name: "Paging Partner", Country: "US", PartnerType: "direct"})
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := w.app.CreatePartnerUser(ctx, w.operator, part.ID, app.NewPartnerUser{DisplayName: "Pat", Email: "pat@paging.com", Roles: []string{"salesAgent"}})
	if err != nil {
		t.Fatal(err)
	}
	pat, err := w.app.Authenticate(ctx, key.APIKey, "")
	if err != nil {
		t.Fatal(err)
	}
	const n = 53
	for i := range n {
		MustCreateCustomer(t, w.app, pat, fmt.Sprintf("Paging Co %02d", i), fmt.Sprintf("pagingco%02d", i), "",
			csp.Address{Country: "US", City: "Austin", State: "TX", AddressLine1: "1 Congress Ave", PostalCode: "78701"})
	}

	status, _, body := MustDo(t, srv, scenario{method: "GET", path: "/console", key: key.APIKey})
	if status != http.StatusOK || customerRows(body) != 50 {
		t.Fatalf("page 1: status %d, %d rows, want 200 and 50", status, customerRows(body))
	}
	if !strings.Contains(body, "Paging Co 00") || !strings.Contains(body, "Paging Co 49") || strings.Contains(body, "Paging Co 50") {
		t.Errorf("page 1 does not hold Paging Co 00 to 49")
	}
	next := regexp.MustCompile(`id="next-page" href="([^"]+)"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("page 1 has no Next page link")
	}
	status, _, body = MustDo(t, srv, scenario{method: "GET", path: strings.ReplaceAll(next[1], "&amp;", "&"), key: key.APIKey})
	if status != http.StatusOK || customerRows(body) != n-50 {
		t.Fatalf("page 2: status %d, %d rows, want 200 and %d", status, customerRows(body), n-50)
	}
	if !strings.Contains(body, "Paging Co 50") || strings.Contains(body, "Paging Co 49") || strings.Contains(body, `id="next-page"`) {
		t.Errorf("page 2 should hold Paging Co 50 to 52 and no Next page link:\n%s", body)
	}

	// The search survives paging.
	status, _, body = MustDo(t, srv, scenario{method: "GET", path: "/console?q=paging+co+5", key: key.APIKey})
	if status != http.StatusOK || customerRows(body) != 3 {
		t.Errorf("search: status %d, %d rows, want 200 and 3", status, customerRows(body))
	}
}

func TestAcceptInvitation(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ctx := t.Context()

	aw, err := w.app.CreatePartner(ctx, w.operator, app.NewPartner{Name: "Adventure Works", Country: "GB", Locations: []string{"US"}, PartnerType: "direct", MpnID: "4400001"})
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := w.app.CreatePartnerUser(ctx, w.operator, aw.ID, app.NewPartnerUser{DisplayName: "Al", Email: "al@aw.example", Roles: []string{"adminAgent"}})
	if err != nil {
		t.Fatal(err)
	}
	al, err := w.app.Authenticate(ctx, key.APIKey, "")
	if err != nil {
		t.Fatal(err)
	}
	link, err := w.app.InvitationURL(ctx, al)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)

	// The link lands on the console's invitation page.
	status, hdr, _ := MustDo(t, srv, scenario{method: "GET", path: u.RequestURI()})
	want := "/console/invitation?" + url.Values{"url": {u.RequestURI()}}.Encode()
	if status != http.StatusSeeOther || hdr.Get("Location") != want {
		t.Fatalf("invitation link: %d to %q, want 303 to %q", status, hdr.Get("Location"), want)
	}
	status, _, body := MustDo(t, srv, scenario{method: "GET", path: want, key: w.woodgroveAdminKey})
	if status != http.StatusOK || !strings.Contains(body, "Adventure Works") || !strings.Contains(body, "4400001") || !strings.Contains(body, "Woodgrove School") {
		t.Fatalf("invitation page: %d\n%s", status, body)
	}
	// A partner user cannot accept.
	status, _, _ = MustDo(t, srv, scenario{method: "GET", path: want, key: w.partnerKey})
	if status != http.StatusForbidden {
		t.Errorf("partner user on the invitation page: %d, want 403", status)
	}
	status, hdr, _ = MustDo(t, srv, scenario{method: "POST", path: "/console/invitation", form: url.Values{"url": {u.RequestURI()}}, key: w.woodgroveAdminKey})
	if status != http.StatusSeeOther || hdr.Get("Location") != "/console" {
		t.Fatalf("accept: %d to %q", status, hdr.Get("Location"))
	}
	_, _, body = MustDo(t, srv, scenario{method: "GET", path: "/console", key: w.woodgroveAdminKey})
	if !strings.Contains(body, `data-partner-id="`+aw.ID.String()+`"`) {
		t.Errorf("tenant home does not list Adventure Works after accepting")
	}
	// Accepting twice answers the conflict.
	status, _, body = MustDo(t, srv, scenario{method: "POST", path: "/console/invitation", form: url.Values{"url": {u.RequestURI()}}, key: w.woodgroveAdminKey})
	if status != http.StatusConflict || !strings.Contains(body, "Your organization already buys from this partner.") {
		t.Errorf("second accept: %d\n%s", status, body)
	}
}
