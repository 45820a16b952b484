package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/opencsp/opencsp/client"
)

// exchange is one request and its answer, bodies kept.
type exchange struct {
	req  *http.Request
	body []byte
	res  *http.Response
	resp []byte
}

// recorder keeps every exchange a client makes.
type recorder struct {
	mu   sync.Mutex
	seen []exchange
}

func (rec *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	res, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(resp))
	rec.mu.Lock()
	rec.seen = append(rec.seen, exchange{req: r, body: body, res: res, resp: resp})
	rec.mu.Unlock()
	return res, nil
}

// TestAnswersMatchTheDocument runs a partner's, an operator's and a
// customer's calls through the real server, successes and refusals, and
// validates every answer against the document's schema of its operation
// and status (libopenapi-validator): the reflected schemas say what the
// server writes, custom encodings included.
func TestAnswersMatchTheDocument(t *testing.T) {
	w := newWorld(t, testdbSQLite(t))
	rec := &recorder{}
	record := func(c *client.Client) *client.Client { c.HTTP = &http.Client{Transport: rec}; return c }
	record(w.op)
	s := newShop(t, w)
	pc := record(s.pc)
	do := func(c *client.Client, method, path string, body any) []byte {
		t.Helper()
		res, err := c.Do(w.ctx, method, path, body, nil, nil)
		if res == nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return res.Body
	}
	cust := "/v1/customers/" + s.customer

	// The operator.
	do(w.op, http.MethodGet, "/admin/v1/partners", nil)
	var p client.Partner
	if _, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/partners?size=1", nil, &struct {
		Items []*client.Partner `json:"items"`
	}{Items: []*client.Partner{&p}}, nil); err != nil {
		t.Fatal(err)
	}
	do(w.op, http.MethodGet, "/admin/v1/partners/"+p.ID.String(), nil)
	do(w.op, http.MethodPut, "/admin/v1/partners/"+p.ID.String()+"/salePolicy", client.SalePolicy{Segments: []string{}, Regions: []string{}})
	do(w.op, http.MethodGet, "/admin/v1/clock", nil)
	do(w.op, http.MethodGet, "/admin/v1/catalog", nil)
	do(w.op, http.MethodGet, "/admin/v1/qualificationrequests", nil)
	tenant, err := w.op.CreateTenant(w.ctx, client.NewTenant{DisplayName: "Direct Co", DomainPrefix: "directco", Country: "US"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := w.op.MintTenantKey(w.ctx, tenant.TenantID, tenant.AdminUserPrincipalName)
	if err != nil {
		t.Fatal(err)
	}
	do(w.op, http.MethodDelete, "/admin/v1/keys/"+key.KeyID.String(), nil)
	channels := channelPath(tenant.TenantID.String())
	var recorded channelSubJSON
	if _, err := w.op.Do(w.ctx, http.MethodPost, channels, eaE3(), &recorded, nil); err != nil {
		t.Fatal(err)
	}
	do(w.op, http.MethodPost, channels+"/import", map[string]any{"items": []any{with(eaE3(), "channel", "direct")}})
	do(w.op, http.MethodPost, channels+"/import", map[string]any{"items": []any{with(eaE3(), "channel", "csp")}})
	do(w.op, http.MethodGet, channels, nil)
	do(w.op, http.MethodDelete, channels+"/"+recorded.ID, nil)
	do(record(w.MustAdmin(tenant.TenantID.String(), "directco.onmicrosoft.com")), http.MethodGet, "/tenant/v1/subscriptions", nil)

	// The partner: customers, validation, catalog, a purchase and its reads.
	do(pc, http.MethodGet, "/v1/customers", nil)
	do(pc, http.MethodGet, cust, nil)
	do(pc, http.MethodGet, cust+"/profiles/company", nil)
	do(pc, http.MethodGet, cust+"/profiles/billing", nil)
	do(pc, http.MethodPut, cust+"/profiles/billing", map[string]any{"firstName": "Gena", "lastName": "Soto", "email": "gena@contoso.example",
		"culture": "en-US", "language": "en", "companyName": "Contoso", "defaultAddress": address("US")})
	do(pc, http.MethodGet, cust+"/qualifications", nil)
	do(pc, http.MethodGet, "/v1/customers/relationshiprequests", nil)
	do(pc, http.MethodGet, "/v1/countryvalidationrules/US", nil)
	do(pc, http.MethodPost, "/v1/validations/address", address("US"))
	do(pc, http.MethodGet, "/v1/auditrecords?startDate=2026-01-01", nil)
	for _, path := range []string{"/v1/products", "/v1/products/CFQ7TTC0LCHC", "/v1/products/CFQ7TTC0LCHC/skus", "/v1/products/CFQ7TTC0LCHC/skus/0001",
		"/v1/products/CFQ7TTC0LCHC/skus/0001/availabilities", "/v1/products/CFQ7TTC0LCHC/skus/0001/availabilities/CFQ7TTC0MM1W"} {
		do(pc, http.MethodGet, path+"?country=US", nil)
	}
	do(pc, http.MethodGet, "/v1/agreements?agreementType=MicrosoftCustomerAgreement", nil)
	s.agree(t)
	do(pc, http.MethodGet, cust+"/agreements", nil)
	c := s.cart(t, cartLine{CatalogItemID: premium, Quantity: 3, TermDuration: "P1Y", BillingCycle: "monthly"})
	do(pc, http.MethodGet, cust+"/carts/"+c.ID, nil)
	do(pc, http.MethodPut, cust+"/carts/"+c.ID, map[string]any{"lineItems": []cartLine{{CatalogItemID: premium, Quantity: 5, TermDuration: "P1Y", BillingCycle: "monthly"}}})
	out, err := s.checkout(t, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	sub := out.Orders[0].LineItems[0].SubscriptionID
	do(pc, http.MethodGet, cust+"/orders", nil)
	do(pc, http.MethodGet, cust+"/orders/"+out.Orders[0].ID, nil)
	do(pc, http.MethodGet, cust+"/subscriptions", nil)
	do(pc, http.MethodPatch, cust+"/subscriptions/"+sub, map[string]any{"friendlyName": "Seats", "quantity": 4})
	do(pc, http.MethodGet, cust+"/subscriptions/"+sub, nil)
	do(pc, http.MethodGet, cust+"/subscriptions/"+sub+"/history", nil)
	do(pc, http.MethodGet, "/v1/subscriptions/"+sub+"/history", nil)
	do(pc, http.MethodGet, cust+"/subscriptions/"+sub+"/transitionEligibilities", nil)
	do(pc, http.MethodGet, cust+"/subscriptions/"+sub+"/transitions", nil)
	do(pc, http.MethodGet, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD", nil)
	do(w.op, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"duration": "P1D"})

	// Price books and, after January's close, a customer invoice.
	do(pc, http.MethodPut, "/v1/pricebook", partnerBook)
	do(pc, http.MethodGet, "/v1/pricebook", nil)
	do(pc, http.MethodPut, cust+"/pricebook", fabrikamBook)
	do(pc, http.MethodGet, cust+"/pricebook", nil)
	do(w.op, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"to": "2026-02-01T00:00:00Z"})
	var invs client.Collection[customerInvoiceOut]
	if err := json.Unmarshal(do(pc, http.MethodGet, "/v1/customerinvoices?period=2026-01", nil), &invs); err != nil || len(invs.Items) != 1 {
		t.Fatalf("customer invoices: %+v (%v)", invs, err)
	}
	// Only the JSON form: the validator matches .pdf, .csv and .html to
	// the {customer-invoice-id} path (TestCustomerInvoices reads them).
	do(pc, http.MethodGet, "/v1/customerinvoices/"+invs.Items[0].ID, nil)
	do(pc, http.MethodGet, "/v1/customerinvoices/profit?period=2026-01", nil)

	// The customer's own API.
	admin := record(w.MustAdmin(s.customer, "contoso.onmicrosoft.com"))
	do(admin, http.MethodGet, "/tenant/v1/tenant", nil)
	do(admin, http.MethodGet, "/tenant/v1/relationships", nil)
	do(admin, http.MethodGet, "/tenant/v1/subscriptions", nil)
	do(admin, http.MethodPut, "/tenant/v1/multiTenantOrganization", map[string]string{"displayName": "Contoso Group"})
	do(admin, http.MethodGet, "/tenant/v1/multiTenantOrganization", nil)

	// Refusals answer the error body.
	do(pc, http.MethodGet, "/v1/customers/00000000-0000-4000-8000-000000000001", nil)
	do(pc, http.MethodPost, "/v1/customers", map[string]any{})
	do(record(client.New(w.url, "ocsp_nope")), http.MethodGet, "/v1/customers", nil)

	_, b := mustDoc(t)
	d, err := libopenapi.NewDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(d)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	statuses := map[int]int{}
	for _, x := range rec.seen {
		statuses[x.res.StatusCode/100*100]++
		x.req.Body = io.NopCloser(bytes.NewReader(x.body))
		x.res.Body = io.NopCloser(bytes.NewReader(x.resp))
		if ok, verrs := v.ValidateHttpResponse(x.req, x.res); !ok {
			for _, e := range verrs {
				var why []string
				for _, se := range e.SchemaValidationErrors {
					why = append(why, se.FieldPath+": "+se.Reason)
				}
				t.Errorf("%s %s answered %d, which the document does not describe: %s %s\n%s\n%.600s", x.req.Method, unescape(x.req.URL.Path), x.res.StatusCode,
					e.Message, e.Reason, strings.Join(why, "\n"), x.resp)
			}
		}
	}
	if statuses[200] < 45 || statuses[400] < 3 {
		t.Errorf("the run validated %v answers by status class, want at least 45 successes and 3 refusals", statuses)
	}

	// The validator reads the bodies: a clock whose now is a number, or a
	// refusal without its code, is refused.
	tampered := 0
	for _, x := range rec.seen {
		var body string
		switch {
		case x.req.URL.Path == "/admin/v1/clock":
			body = `{"now": 5, "sandbox": true}`
		case x.res.StatusCode == http.StatusNotFound:
			body = `{"description": "no code", "data": [], "source": "OpenCSP", "attributes": {}}`
		default:
			continue
		}
		x.req.Body = io.NopCloser(bytes.NewReader(x.body))
		x.res.Body = io.NopCloser(strings.NewReader(body))
		if ok, _ := v.ValidateHttpResponse(x.req, x.res); ok {
			t.Errorf("%s %s: the validator accepts %s", x.req.Method, x.req.URL.Path, body)
		}
		tampered++
	}
	if tampered < 2 {
		t.Errorf("only %d answers were tampered with", tampered)
	}
}

func unescape(p string) string {
	u, err := url.PathUnescape(p)
	if err != nil {
		return p
	}
	return u
}
