package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/app"
)

// customerForm is the new customer form filled in for a company in
// Redmond; set overrides fields.
func customerForm(set ...string) url.Values {
	f := url.Values{"companyName": {"Adatum"}, "domain": {"adatum"}, "segment": {"commercial"}, "country": {"US"},
		"addressLine1": {"1 Microsoft Way"}, "city": {"Redmond"}, "state": {"WA"}, "postalCode": {"98052"},
		"firstName": {"Ada"}, "lastName": {"Tum"}, "email": {"ada@adatum.example"}, "culture": {"en-US"}, "language": {"en"}}
	for i := 0; i+1 < len(set); i += 2 {
		f.Set(set[i], set[i+1])
	}
	return f
}

var (
	adminPassword = regexp.MustCompile(`<code id="admin-password">([^<]+)</code>`)
	openCustomer  = regexp.MustCompile(`<a href="(/console/customers/[0-9a-f-]{36})" id="open-customer">`)
)

// TestNewCustomer creates a customer through the form: the one-time
// password shows in the answer to the form and nowhere after it; refusals
// say in words which market or policy is at stake.
func TestNewCustomer(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	post := func(key string, f url.Values) (int, string) {
		t.Helper()
		status, _, body := MustDo(t, srv, scenario{method: "POST", path: "/console/customers", form: f, key: key})
		MustPlainWords(t, body)
		return status, body
	}

	MustScenario(t, srv, scenario{name: "Form", method: "GET", path: "/console/customers/new", key: w.partnerKey, status: http.StatusOK,
		want: []string{`<form method="post" action="/console/customers" id="new-customer"`, `name="companyName"`, `name="domain"`, `<option value="JP">Japan</option>`,
			`<option value="US" selected>United States</option>`, `name="postalCode"`, `name="email"`, `value="en-US"`,
			`<a href="/console/customers/new" id="nav-new-customer">New customer</a>`},
		notWant: []string{`id="admin-password"`}})

	status, body := post(w.partnerKey, customerForm())
	m := adminPassword.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("create: status %d, no password shown:\n%s", status, body)
	}
	password := m[1]
	for _, s := range []string{`<h2 id="created-name">Adatum</h2>`, `<strong id="created-domain">adatum.onmicrosoft.com</strong>`,
		`<code id="admin-user">admin@adatum.onmicrosoft.com</code>`, "Copy the password now and give it to the customer: it is not shown again."} {
		if !strings.Contains(body, s) {
			t.Errorf("created page lacks %q", s)
		}
	}
	if len(password) < 12 {
		t.Errorf("password %q is too short to be the one-time password", password)
	}
	link := openCustomer.FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("no link to the new customer:\n%s", body)
	}

	// After the answer to the form, no page shows the password: the
	// customer's page, the list, the form, and the form sent again (a
	// reload), which the taken domain refuses.
	for _, path := range []string{link[1], "/console", "/console/customers/new"} {
		st, _, b := MustDo(t, srv, scenario{method: "GET", path: path, key: w.partnerKey})
		if st != http.StatusOK || strings.Contains(b, password) || strings.Contains(b, `id="admin-password"`) {
			t.Errorf("GET %s: status %d, shows the password: %v", path, st, strings.Contains(b, password))
		}
	}
	status, body = post(w.partnerKey, customerForm())
	if status != http.StatusConflict || strings.Contains(body, password) || strings.Contains(body, `id="admin-password"`) ||
		!strings.Contains(body, "That domain is already used by another organization: choose another domain prefix.") {
		t.Errorf("form sent again: status %d, want 409 without the password:\n%s", status, body)
	}
	if st, _, b := MustDo(t, srv, scenario{method: "GET", path: link[1], key: w.partnerKey}); st != http.StatusOK || !strings.Contains(b, `<h1 id="customer-name">Adatum</h1>`) {
		t.Errorf("new customer's page: status %d", st)
	}

	// Contoso is located in the US, Canada and Germany: the markets United
	// States, Canada and Europe.
	refused := []struct {
		name, key string
		form      url.Values
		status    int
		want      string
	}{
		{"ErrCountryOutsideMarkets", w.partnerKey, customerForm("domain", "adatumjp", "country", "JP", "state", "", "city", "Tokyo", "postalCode", "100-0001"),
			http.StatusBadRequest, "Your partner account does not sell to customers in Japan. It sells only in the CSP markets where it is registered: Canada, Europe and United States."},
		// Litware's sale policy: commercial customers in the US and Canada.
		{"ErrSegmentNotInPolicy", w.litwareKey, customerForm("domain", "adatumedu", "segment", "education"),
			http.StatusBadRequest, "Your partner account does not sell to education customers. Its sale policy covers commercial customers only."},
		{"ErrCountryOutsideLitwareMarkets", w.litwareKey, customerForm("domain", "adatumuk", "country", "GB", "state", "", "city", "London", "postalCode", "SW1A 2AA"),
			http.StatusBadRequest, "Your partner account does not sell to customers in the United Kingdom. It sells only in the CSP market where it is registered: United States."},
		{"ErrNoCompany", w.partnerKey, customerForm("companyName", " "), http.StatusBadRequest, "Enter the company name."},
		{"ErrBadDomain", w.partnerKey, customerForm("domain", "ada-tum"), http.StatusBadRequest,
			"The domain prefix must be 1 to 27 letters or digits, without dots, dashes or spaces (the customer gets prefix.onmicrosoft.com)."},
		{"ErrBadEmail", w.partnerKey, customerForm("domain", "adatum2", "email", "ada"), http.StatusBadRequest, "The email address is not valid: write it as name@example.com."},
		{"ErrNoCity", w.partnerKey, customerForm("domain", "adatum3", "country", "DE", "state", "", "city", "", "postalCode", "10115"), http.StatusBadRequest,
			"Enter the city: addresses in Germany need it."},
		{"ErrBadState", w.partnerKey, customerForm("domain", "adatum4", "state", "XX"), http.StatusBadRequest,
			"The state or province is not valid in the United States: enter its code, for example AL."},
		{"ErrBadPostalCode", w.partnerKey, customerForm("domain", "adatum5", "postalCode", "ABC"), http.StatusBadRequest,
			"The postal code is not valid in the United States: write it like 98052."},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			status, body := post(c.key, c.form)
			if status != c.status || !strings.Contains(body, `<p class="error" id="form-error" role="alert">`) || !strings.Contains(body, htmlText(c.want)) {
				t.Errorf("status %d, want %d and %q:\n%s", status, c.status, c.want, body)
			}
			// The form keeps what was entered.
			if !strings.Contains(body, `value="`+c.form.Get("domain")+`"`) {
				t.Errorf("the form lost the domain %q", c.form.Get("domain"))
			}
		})
	}

	// A billing admin does not create customers.
	_, key, err := w.app.CreatePartnerUser(t.Context(), w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Bill", Email: "bill@contoso-partner.com", Roles: []string{"billingAdmin"}})
	if err != nil {
		t.Fatal(err)
	}
	MustScenario(t, srv, scenario{name: "ErrBillingAdminForm", method: "GET", path: "/console/customers/new", key: key.APIKey, status: http.StatusForbidden,
		want: []string{"Your role does not allow this: it needs the role Admin agent or Sales agent. Ask your partner's admin agent."}})
	MustScenario(t, srv, scenario{name: "ErrBillingAdminCreate", method: "POST", path: "/console/customers", form: customerForm("domain", "adatum6"), key: key.APIKey,
		status: http.StatusForbidden, want: []string{"Your role does not allow this"}})
}

// htmlText is s as html/template writes it in an element.
func htmlText(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;").Replace(s)
}
