package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// hostile is one request a careless client or an attacker sends.
type hostile struct {
	name    string
	c       *client.Client
	method  string
	path    string
	body    string // sent as it is
	header  map[string]string
	status  int
	code    csp.Code
	mention string // a word the description must hold (the field or rule), if set
}

// send sends a hostile request and answers its status and error.
func (h hostile) send(t *testing.T, w *world) (int, *client.Error, http.Header) {
	t.Helper()
	var body io.Reader
	if h.body != "" {
		body = strings.NewReader(h.body)
	}
	req, err := http.NewRequestWithContext(w.ctx, h.method, h.c.BaseURL+h.path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.c.Key)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h.header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	e := &client.Error{Status: res.StatusCode}
	if res.StatusCode >= 300 {
		if err := json.Unmarshal(b, e); err != nil {
			t.Fatalf("the answer is not the error shape: %s", b)
		}
	}
	return res.StatusCode, e, res.Header
}

// TestHostileInput sends more than 60 hostile requests over every endpoint
// family: control characters and NUL, invalid UTF-8, strings over their
// limits (counted in characters), huge search strings and headers, empty
// PATCH bodies, stale etags, foreign invitation links, unbounded advances.
// Each answers 400 (or its rule's status) in the Partner Center error
// shape, names what is wrong, and changes nothing in the database.
func TestHostileInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		pc := s.pc
		sub := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 5, TermDuration: "P1Y", BillingCycle: "monthly"})
		cart := s.cart(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		c := w.MustCustomer(pc, customer("Target Corp", "targetcorp", "US"))
		admin := w.MustAdmin(c.ID, c.CompanyProfile.Domain)
		link, err := pc.RelationshipRequestURL(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		evil := strings.Replace(link, w.url, "http://evil.example", 1)
		stale := csp.ETag([16]byte{7}, 1)

		rep := strings.Repeat
		create := func(field, value string) string {
			m := map[string]any{"companyProfile": map[string]any{"domain": "hostile"},
				"billingProfile": map[string]any{"email": "a@hostile.example", "culture": "en-US", "language": "en", "companyName": "Hostile Inc",
					"firstName": "A", "lastName": "B",
					"defaultAddress": map[string]any{"country": "US", "city": "Redmond", "state": "WA", "addressLine1": "1 Way", "postalCode": "98052"}}}
			bp := m["billingProfile"].(map[string]any)
			addr := bp["defaultAddress"].(map[string]any)
			switch {
			case strings.HasPrefix(field, "address."):
				addr[strings.TrimPrefix(field, "address.")] = value
			case field == "domain":
				m["companyProfile"].(map[string]any)["domain"] = value
			default:
				bp[field] = value
			}
			b, _ := json.Marshal(m)
			return string(b)
		}
		js := func(v any) string {
			b, _ := json.Marshal(v)
			return string(b)
		}
		profile := js(map[string]any{"email": "a@b.example", "culture": "en-US", "language": "en", "companyName": "Contoso\x00",
			"defaultAddress": map[string]any{"country": "US", "city": "Redmond", "state": "WA", "addressLine1": "1 Way", "postalCode": "98052"}})
		goodProfile := strings.Replace(profile, `\u0000`, "", 1)
		custPath := "/v1/customers/" + s.customer
		subPath := custPath + "/subscriptions/" + sub
		cartPath := custPath + "/carts/" + cart.ID
		line := func(field string, v any) string {
			l := map[string]any{"catalogItemId": basic, "quantity": 1, "termDuration": "P1M", "billingCycle": "monthly"}
			l[field] = v
			return js(map[string]any{"lineItems": []any{l}})
		}
		agreement := func(field, v string) string {
			ct := map[string]string{"firstName": "Gena", "lastName": "Soto", "email": "gena@contoso.example"}
			ct[field] = v
			return js(map[string]any{"primaryContact": ct, "templateId": csp.MCATemplateID, "dateAgreed": "2026-01-05T00:00:00Z", "type": "MicrosoftCustomerAgreement"})
		}
		product := func(title, desc string) string {
			return js(map[string]any{"id": "HOSTILE1", "title": title, "description": desc, "skus": []any{}})
		}
		partner := func(name string) string {
			return js(map[string]any{"name": name, "country": "US", "partnerType": "direct"})
		}
		q := func(v string) string { return "/v1/customers?q=" + url.QueryEscape(v) }
		mb := rep("a", 1<<20)

		cases := []hostile{
			// Creating customers: characters, encodings and lengths.
			{"NULInCompanyName", pc, "POST", "/v1/customers", create("companyName", "Contoso\x00Ltd"), nil, 400, csp.EInvalidText, "companyName"},
			{"NULInDomain", pc, "POST", "/v1/customers", create("domain", "hostile\x00"), nil, 400, csp.EInvalidText, "domain"},
			{"BellInFirstName", pc, "POST", "/v1/customers", create("firstName", "A\x07"), nil, 400, csp.EInvalidText, "firstName"},
			{"NewlineInCity", pc, "POST", "/v1/customers", create("address.city", "Red\nmond"), nil, 400, csp.EInvalidText, "city"},
			{"DELInLastName", pc, "POST", "/v1/customers", create("lastName", "B\x7f"), nil, 400, csp.EInvalidText, "lastName"},
			{"C1ControlInCompany", pc, "POST", "/v1/customers", create("companyName", "Contoso\u0085"), nil, 400, csp.EInvalidText, "companyName"},
			{"InvalidUTF8Value", pc, "POST", "/v1/customers", strings.Replace(create("companyName", "CompanyX"), "CompanyX", "Comp\xff\xfeany", 1), nil, 400, csp.EInvalidText, "companyName"},
			{"InvalidUTF8Key", pc, "POST", "/v1/customers", strings.Replace(create("companyName", "C"), `"culture"`, "\"cult\xffure\"", 1), nil, 400, csp.EInvalidText, "key"},
			{"CompanyName257Chars", pc, "POST", "/v1/customers", create("companyName", rep("a", 257)), nil, 400, csp.ETooLong, "companyName"},
			{"CompanyName257Emoji", pc, "POST", "/v1/customers", create("companyName", rep("😀", 257)), nil, 400, csp.ETooLong, "257 characters"},
			{"City10KB", pc, "POST", "/v1/customers", create("address.city", rep("x", 10000)), nil, 400, csp.ETooLong, "city"},
			{"City129Chars", pc, "POST", "/v1/customers", create("address.city", rep("x", 129)), nil, 400, csp.ETooLong, "city"},
			{"AddressLine257", pc, "POST", "/v1/customers", create("address.addressLine1", rep("x", 257)), nil, 400, csp.ETooLong, "addressLine1"},
			{"PostalCode100", pc, "POST", "/v1/customers", create("address.postalCode", rep("9", 100)), nil, 400, csp.ETooLong, "postalCode"},
			{"Email300", pc, "POST", "/v1/customers", create("email", rep("a", 290)+"@x.example"), nil, 400, csp.ETooLong, "email"},
			{"Culture100", pc, "POST", "/v1/customers", create("culture", rep("e", 100)), nil, 400, csp.ETooLong, "culture"},
			{"Body1MB", pc, "POST", "/v1/customers", create("companyName", mb), nil, 400, csp.EInvalidBody, "larger"},

			// Searching and paging.
			{"NULInSearch", pc, "GET", q("con\x00"), "", nil, 400, csp.EInvalidText, "q"},
			{"Search100000", pc, "GET", q(rep("a", 100000)), "", nil, 400, csp.ETooLong, "q"},
			{"Search257", pc, "GET", q(rep("a", 257)), "", nil, 400, csp.ETooLong, "q"},
			{"SearchPercents", pc, "GET", q(rep("%_", 200)), "", nil, 400, csp.ETooLong, "q"},
			{"InvalidUTF8Search", pc, "GET", "/v1/customers?q=%ff%fe", "", nil, 400, csp.EInvalidText, "q"},
			{"FilterControl", pc, "GET", "/v1/customers?filter=" + url.QueryEscape(`{"Field":"CompanyName","Value":"a\u0001","Operator":"starts_with"}`), "", nil, 400, csp.EInvalidText, "filter"},
			{"FilterNotJSON", pc, "GET", "/v1/customers?filter=%7Bnope", "", nil, 400, csp.EInvalidQuery, "filter"},
			{"SizeZero", pc, "GET", "/v1/customers?size=0", "", nil, 400, csp.EInvalidQuery, "size"},
			{"SizeWord", pc, "GET", subPath[:len(custPath)] + "/subscriptions?size=ten", "", nil, 400, csp.EInvalidQuery, "size"},
			{"TokenGarbage", pc, "GET", "/v1/customers", "", map[string]string{"MS-ContinuationToken": "!!!"}, 400, csp.EInvalidToken, "continuation"},
			{"TokenOfAnotherListing", pc, "GET", custPath + "/subscriptions", "", map[string]string{"MS-ContinuationToken": "eyJrIjoiY3VzdG9tZXJzIiwiYyI6e319"}, 400, csp.EInvalidToken, "continuation"},
			{"ParamNameControl", pc, "GET", "/v1/customers?%01=x", "", nil, 400, csp.EInvalidText, "query parameter"},
			{"PathNUL", pc, "GET", "/v1/customers/%00", "", nil, 400, csp.EInvalidText, "path"},

			// Headers.
			{"RequestID129", pc, "POST", "/v1/customers", create("companyName", "A"), map[string]string{"MS-RequestId": rep("r", 129)}, 400, csp.EInvalidHeader, "MS-RequestId"},
			{"RequestID100KB", pc, "POST", "/v1/customers", create("companyName", "A"), map[string]string{"MS-RequestId": rep("r", 100000)}, 400, csp.EInvalidHeader, "MS-RequestId"},
			{"RequestIDTab", pc, "POST", "/v1/customers", create("companyName", "A"), map[string]string{"MS-RequestId": "a\tb"}, 400, csp.EInvalidHeader, "MS-RequestId"},
			{"CorrelationID200", pc, "GET", "/v1/customers", "", map[string]string{"MS-CorrelationId": rep("c", 200)}, 400, csp.EInvalidHeader, "MS-CorrelationId"},

			// Customers: PATCH, profiles, qualifications.
			{"PatchCustomerEmptyObject", pc, "PATCH", custPath, `{}`, nil, 400, csp.EEmptyPatch, "changes nothing"},
			{"PatchCustomerNull", pc, "PATCH", custPath, `null`, nil, 400, csp.EEmptyPatch, "changes nothing"},
			{"PatchCustomerOtherValue", pc, "PATCH", custPath, `{"relationshipToPartner":"reseller"}`, nil, 400, csp.EInvalidField, "none"},
			{"PatchCustomerStaleEtag", pc, "PATCH", custPath, `{"relationshipToPartner":"none"}`, map[string]string{"If-Match": stale}, 412, csp.EPreconditionFailed, "etag"},
			{"ProfileNUL", pc, "PUT", custPath + "/profiles/billing", profile, nil, 400, csp.EInvalidText, "companyName"},
			{"ProfileStaleEtag", pc, "PUT", custPath + "/profiles/billing", goodProfile, map[string]string{"If-Match": stale}, 412, csp.EPreconditionFailed, "etag"},
			{"ProfileStaleBodyEtag", pc, "PUT", custPath + "/profiles/billing", strings.Replace(goodProfile, `{`, `{"attributes":{"etag":"`+stale+`"},`, 1), nil, 412, csp.EPreconditionFailed, "etag"},
			{"QualificationControl", pc, "POST", custPath + "/qualifications", `{"qualification":"Educ\u0002ation"}`, nil, 400, csp.EInvalidText, "qualification"},
			{"QualificationUnknown", pc, "POST", custPath + "/qualifications", `{"qualification":"Educashun"}`, nil, 400, csp.EInvalidQualification, "Educashun"},

			// Subscriptions.
			{"PatchSubscriptionEmptyObject", pc, "PATCH", subPath, `{}`, nil, 400, csp.EEmptyPatch, "changes nothing"},
			{"PatchSubscriptionNull", pc, "PATCH", subPath, `null`, nil, 400, csp.EEmptyPatch, "changes nothing"},
			{"FriendlyNameNUL", pc, "PATCH", subPath, `{"friendlyName":"Sales\u0000"}`, nil, 400, csp.EInvalidText, "friendlyName"},
			{"FriendlyName129", pc, "PATCH", subPath, js(map[string]string{"friendlyName": rep("n", 129)}), nil, 400, csp.ETooLong, "friendlyName"},
			{"FriendlyName129Emoji", pc, "PATCH", subPath, js(map[string]string{"friendlyName": rep("🚀", 129)}), nil, 400, csp.ETooLong, "129 characters"},
			{"StatusNUL", pc, "PATCH", subPath, `{"status":"deleted\u0000"}`, nil, 400, csp.EInvalidText, "status"},
			{"QuantityWord", pc, "PATCH", subPath, `{"quantity":"ten"}`, nil, 400, csp.EInvalidBody, "quantity"},
			{"SubscriptionStaleEtag", pc, "PATCH", subPath, `{"quantity":7}`, map[string]string{"If-Match": stale}, 412, csp.EPreconditionFailed, "etag"},
			{"TransitionNUL", pc, "POST", subPath + "/transitions", `{"toCatalogItemId":"CFQ7\u0000"}`, nil, 400, csp.EInvalidText, "toCatalogItemId"},
			{"TransitionStaleEtag", pc, "POST", subPath + "/transitions", js(map[string]any{"toCatalogItemId": standard, "quantity": 5}), map[string]string{"If-Match": stale}, 412, csp.EPreconditionFailed, "etag"},

			// Carts and agreements.
			{"CartFriendlyNameNUL", pc, "POST", custPath + "/carts", line("friendlyName", "a\x00"), nil, 400, csp.EInvalidText, "friendlyName"},
			{"CartCatalogItem300", pc, "POST", custPath + "/carts", line("catalogItemId", rep("C", 300)), nil, 400, csp.ETooLong, "catalogItemId"},
			{"CartParticipantControl", pc, "POST", custPath + "/carts", line("participants", []map[string]string{{"key": "transaction", "value": "12\x1b"}}), nil, 400, csp.EInvalidText, "participants"},
			{"CartPutStaleEtag", pc, "PUT", cartPath, line("friendlyName", "ok"), map[string]string{"If-Match": stale}, 412, csp.EPreconditionFailed, "etag"},
			{"CheckoutStaleEtag", pc, "POST", cartPath + "/checkout", "", map[string]string{"If-Match": stale}, 412, csp.EPreconditionFailed, "etag"},
			{"AgreementNUL", pc, "POST", custPath + "/agreements", agreement("firstName", "Ge\x00na"), nil, 400, csp.EInvalidText, "firstName"},
			{"AgreementEmail300", pc, "POST", custPath + "/agreements", agreement("email", rep("g", 290)+"@x.example"), nil, 400, csp.ETooLong, "email"},

			// Partners' own products.
			{"ProductTitleNUL", pc, "POST", "/v1/products", product("Backup\x00", ""), nil, 400, csp.EInvalidText, "title"},
			{"ProductDescription5000", pc, "POST", "/v1/products", product("Backup", rep("d", 5000)), nil, 400, csp.ETooLong, "description"},
			{"ProductMicrosoftsID", pc, "POST", "/v1/products", strings.Replace(product("Backup", ""), "HOSTILE1", "CFQ7TTC0LCHC", 1), nil, 400, csp.EProductExists, "CFQ7TTC0LCHC"},

			// Operator.
			{"PartnerNameNUL", w.op, "POST", "/admin/v1/partners", partner("Evil\x00Corp"), nil, 400, csp.EInvalidText, "name"},
			{"PartnerName257", w.op, "POST", "/admin/v1/partners", partner(rep("p", 257)), nil, 400, csp.ETooLong, "name"},
			{"PartnerName1MB", w.op, "POST", "/admin/v1/partners", partner(mb), nil, 400, csp.EInvalidBody, "larger"},
			{"PartnerUserControl", w.op, "POST", "/admin/v1/partners/" + uuidOf(t, w, pc) + "/users", js(map[string]any{"displayName": "x\x08", "email": "x@y.example", "roles": []string{"adminAgent"}}), nil, 400, csp.EInvalidText, "displayName"},
			{"TenantNameNUL", w.op, "POST", "/admin/v1/tenants", js(map[string]any{"displayName": "T\x00", "domainPrefix": "tnul", "country": "US"}), nil, 400, csp.EInvalidText, "displayName"},
			{"TenantKeyUPN300", w.op, "POST", "/admin/v1/tenants/" + c.ID + "/keys", js(map[string]any{"userPrincipalName": rep("u", 300)}), nil, 400, csp.ETooLong, "userPrincipalName"},
			{"Advance1000Years", w.op, "POST", "/admin/v1/clock/advance", `{"duration":"P1000Y"}`, nil, 400, csp.EAdvanceTooLong, "10 years"},
			{"Advance10YearsAndADay", w.op, "POST", "/admin/v1/clock/advance", `{"duration":"P10YT24H"}`, nil, 400, csp.EAdvanceTooLong, "10 years"},
			{"AdvanceToFarFuture", w.op, "POST", "/admin/v1/clock/advance", `{"to":"2999-01-01T00:00:00Z"}`, nil, 400, csp.EAdvanceTooLong, "10 years"},
			{"AdvanceDurationNUL", w.op, "POST", "/admin/v1/clock/advance", `{"duration":"P1M\u0000"}`, nil, 400, csp.EInvalidText, "duration"},
			{"CatalogTitleNUL", w.op, "PUT", "/admin/v1/catalog", `{"version":"x","products":[{"id":"A","title":"T\u0000","productType":"OnlineServices","publisher":"M","skus":[]}]}`, nil, 400, csp.EInvalidText, "title"},
			{"ApproveUnknownQualification", w.op, "POST", "/admin/v1/qualificationrequests/" + c.ID + "/approve", "", nil, 404, csp.EQualificationNotFound, "qualification"},

			// Customer API.
			{"InvitationOtherHost", admin, "POST", "/tenant/v1/relationships", js(map[string]string{"invitationUrl": evil}), nil, 400, csp.EInvalidInvitation, "this server"},
			{"InvitationNUL", admin, "POST", "/tenant/v1/relationships", js(map[string]string{"invitationUrl": link + "\x00"}), nil, 400, csp.EInvalidText, "invitationUrl"},
			{"Invitation3000", admin, "POST", "/tenant/v1/relationships", js(map[string]string{"invitationUrl": link + "&x=" + rep("a", 3000)}), nil, 400, csp.ETooLong, "invitationUrl"},
			{"OrganizationNameNUL", admin, "PUT", "/tenant/v1/multiTenantOrganization", `{"displayName":"Org\u0000"}`, nil, 400, csp.EInvalidText, "displayName"},
			{"OrganizationTenantGarbage", admin, "POST", "/tenant/v1/multiTenantOrganization/tenants", `{"tenantId":"not-a-guid"}`, nil, 400, csp.EInvalidField, "tenantId"},
		}
		if len(cases) < 60 {
			t.Fatalf("only %d hostile cases", len(cases))
		}
		before := w.Dump()
		for _, h := range cases {
			t.Run(h.name, func(t *testing.T) {
				status, e, hdr := h.send(t, w)
				if status != h.status || e.Code != int(h.code) {
					t.Fatalf("answered %d code %d (%s), want %d code %d", status, e.Code, e.Description, h.status, h.code)
				}
				if e.Description == "" || e.Source != "OpenCSP" || hdr.Get("Content-Type") != "application/json; charset=utf-8" {
					t.Errorf("error %+v (%s) is not in the Partner Center shape", e, hdr.Get("Content-Type"))
				}
				if h.mention != "" && !strings.Contains(strings.ToLower(e.Description+" "+strings.Join(e.Data, " ")), strings.ToLower(h.mention)) {
					t.Errorf("the error does not name %q: %s %v", h.mention, e.Description, e.Data)
				}
				if after := w.Dump(); after != before {
					t.Fatalf("the refused request changed the database")
				}
			})
		}
	})
}

// uuidOf answers the partner id of a partner user's client.
func uuidOf(t *testing.T, w *world, pc *client.Client) string {
	t.Helper()
	var v struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if _, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/partners", nil, &v, nil); err != nil || len(v.Items) == 0 {
		t.Fatalf("partners: %v", err)
	}
	return v.Items[0].ID
}

// TestTextLimitsCountCharacters: limits are in characters, not bytes (33
// emoji are 132 bytes, well within 128 characters).
func TestTextLimitsCountCharacters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		id := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 5, TermDuration: "P1Y", BillingCycle: "monthly"})
		for _, name := range []string{strings.Repeat("😀", 33), strings.Repeat("é", 128), "Zürich \u00a0Büro"} {
			var got struct {
				FriendlyName string `json:"friendlyName"`
			}
			if _, err := s.pc.Do(w.ctx, http.MethodPatch, "/v1/customers/"+s.customer+"/subscriptions/"+id, map[string]string{"friendlyName": name}, &got, nil); err != nil {
				t.Fatalf("friendlyName of %d characters (%d bytes): %v", len([]rune(name)), len(name), err)
			}
			if got.FriendlyName != strings.TrimSpace(name) {
				t.Fatalf("friendlyName %q came back as %q", name, got.FriendlyName)
			}
		}
		c := customer(strings.Repeat("Ж", 256), "cyrillic", "DE")
		if _, err := s.pc.CreateCustomer(w.ctx, c, nil); err != nil {
			t.Fatalf("a company name of 256 Cyrillic characters (512 bytes): %v", err)
		}
	})
}

// TestFailedAuthenticationsThrottled: 60 failed authentications a minute
// per client address, then 429 with Retry-After, whatever key is sent.
func TestFailedAuthenticationsThrottled(t *testing.T) {
	w := newWorld(t, testdbSQLite(t))
	_, pc := w.MustPartner(designPartner("Alpha Partners"))
	for i := range 60 {
		guess := client.New(w.url, "ocsp_"+strings.Repeat("0", 31)+string(rune('a'+i%26))+"_guess")
		_, err := guess.ListCustomers(w.ctx, client.CustomerQuery{})
		wantAPIError(t, err, http.StatusUnauthorized, int(csp.EKeyInvalid))
	}
	res, err := pc.Do(w.ctx, http.MethodGet, "/v1/customers", nil, nil, nil)
	e := wantAPIError(t, err, http.StatusTooManyRequests, int(csp.EAuthThrottled))
	if res.Header.Get("Retry-After") == "" || !strings.Contains(e.Description, "60") {
		t.Fatalf("429 without Retry-After or the limit: %v %s", res.Header, e.Description)
	}
	if !bytes.Contains(res.Body, []byte(`"objectType":"ApiFault"`)) {
		t.Fatalf("429 body %s", res.Body)
	}
}
