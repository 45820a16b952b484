package api_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestBadInput sends malformed and rule-breaking requests. Each must answer
// its status and code in the Partner Center error shape and leave every
// table exactly as it was.
func TestBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		p, pc := w.MustPartner(designPartner("Alpha Partners"))
		_, other := w.MustPartner(client.NewPartner{Name: "Beta Cloud", Country: "GB", PartnerType: "direct"})
		mine := w.MustCustomer(pc, customer("Mine Corp", "minecorp", "US"))
		foreign := w.MustCustomer(other, customer("Foreign Ltd", "foreignltd", "GB"))
		tenantAdmin := w.MustAdmin(mine.ID, "minecorp.onmicrosoft.com")
		past := start.Add(time.Hour)
		expiring, err := w.op.CreatePartnerUser(w.ctx, p.ID, client.NewPartnerUser{DisplayName: "E", Email: "e@alpha.example", Roles: []string{"adminAgent"}, ExpiresAt: &past})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.op.AdvanceClock(w.ctx, "PT1H"); err != nil {
			t.Fatal(err)
		}
		helpdesk := w.MustUser(p.ID, "help@alpha.example", "helpdeskAgent")

		// valid is a create-customer body that only the named change breaks.
		valid := func(change func(m map[string]any)) map[string]any {
			m := map[string]any{
				"companyProfile": map[string]any{"domain": "newcust"},
				"billingProfile": map[string]any{"email": "a@newcust.example", "culture": "en-US", "language": "en", "companyName": "New Cust",
					"firstName": "A", "lastName": "B",
					"defaultAddress": map[string]any{"country": "US", "city": "Redmond", "state": "WA", "addressLine1": "1 Way", "postalCode": "98052"}},
			}
			change(m)
			return m
		}
		bp := func(m map[string]any) map[string]any { return m["billingProfile"].(map[string]any) }
		addr := func(m map[string]any) map[string]any { return bp(m)["defaultAddress"].(map[string]any) }
		set := func(f func(map[string]any) map[string]any, k string, v any) func(map[string]any) {
			return func(m map[string]any) { f(m)[k] = v }
		}
		del := func(f func(map[string]any) map[string]any, k string) func(map[string]any) {
			return func(m map[string]any) { delete(f(m), k) }
		}
		root := func(m map[string]any) map[string]any { return m }

		cases := []struct {
			name   string
			c      *client.Client
			method string
			path   string
			body   any // string is sent raw
			status int
			code   csp.Code
		}{
			{"BadJSON", pc, "POST", "/v1/customers", `{"companyProfile": {`, 400, csp.EInvalidBody},
			{"EmptyBody", pc, "POST", "/v1/customers", "", 400, csp.EInvalidBody},
			{"BodyNotObject", pc, "POST", "/v1/customers", `[1,2]`, 400, csp.EInvalidBody},
			{"DomainWrongType", pc, "POST", "/v1/customers", valid(set(func(m map[string]any) map[string]any { return m["companyProfile"].(map[string]any) }, "domain", 42)), 400, csp.EInvalidBody},
			{"EmailWrongType", pc, "POST", "/v1/customers", valid(set(bp, "email", true)), 400, csp.EInvalidBody},
			{"MissingBillingProfile", pc, "POST", "/v1/customers", valid(del(root, "billingProfile")), 400, csp.EMissingField},
			{"MissingAddress", pc, "POST", "/v1/customers", valid(del(bp, "defaultAddress")), 400, csp.EMissingField},
			{"MissingDomain", pc, "POST", "/v1/customers", valid(del(root, "companyProfile")), 400, csp.EMissingField},
			{"MissingCompanyName", pc, "POST", "/v1/customers", valid(del(bp, "companyName")), 400, csp.EMissingField},
			{"MissingEmail", pc, "POST", "/v1/customers", valid(del(bp, "email")), 400, csp.EMissingField},
			{"BadEmail", pc, "POST", "/v1/customers", valid(set(bp, "email", "not-an-email")), 400, csp.EInvalidEmail},
			{"MissingCulture", pc, "POST", "/v1/customers", valid(del(bp, "culture")), 400, csp.EMissingField},
			{"DomainWithDash", pc, "POST", "/v1/customers", valid(set(func(m map[string]any) map[string]any { return m["companyProfile"].(map[string]any) }, "domain", "new-cust")), 400, csp.EInvalidDomain},
			{"DomainTooLong", pc, "POST", "/v1/customers", valid(set(func(m map[string]any) map[string]any { return m["companyProfile"].(map[string]any) }, "domain", "abcdefghijklmnopqrstuvwxyz12")), 400, csp.EInvalidDomain},
			{"DuplicateDomain", pc, "POST", "/v1/customers", valid(set(func(m map[string]any) map[string]any { return m["companyProfile"].(map[string]any) }, "domain", "foreignltd")), 409, csp.EDomainTaken},
			{"UnknownCountry", pc, "POST", "/v1/customers", valid(set(addr, "country", "XX")), 400, csp.EUnknownCountry},
			{"MissingCity", pc, "POST", "/v1/customers", valid(del(addr, "city")), 400, csp.EMissingField},
			{"USZipTooShort", pc, "POST", "/v1/customers", valid(set(addr, "postalCode", "9805")), 400, csp.EInvalidPostalCode},
			{"USStateMissing", pc, "POST", "/v1/customers", valid(del(addr, "state")), 400, csp.EMissingField},
			{"USStateUnknown", pc, "POST", "/v1/customers", valid(set(addr, "state", "XX")), 400, csp.EInvalidState},
			{"GBBadPostcode", pc, "POST", "/v1/customers", valid(func(m map[string]any) {
				bp(m)["defaultAddress"] = map[string]any{"country": "GB", "city": "London", "addressLine1": "1 St", "postalCode": "ABC"}
			}), 400, csp.EInvalidPostalCode},
			{"BadSegment", pc, "POST", "/v1/customers", valid(set(root, "segment", "military")), 400, csp.EInvalidSegment},
			{"CountryOutsideMarkets", pc, "POST", "/v1/customers", valid(func(m map[string]any) {
				bp(m)["defaultAddress"] = map[string]any{"country": "JP", "city": "Tokyo", "addressLine1": "1-1", "postalCode": "100-0001"}
			}), 400, csp.ECountryOutsideMarkets},
			{"RegionOutsidePolicy", pc, "POST", "/v1/customers", valid(func(m map[string]any) {
				bp(m)["defaultAddress"] = map[string]any{"country": "CH", "city": "Zurich", "addressLine1": "Bahnhofstrasse 1", "postalCode": "8001"}
			}), 400, csp.ERegionNotInPolicy},
			{"SegmentOutsidePolicy", pc, "POST", "/v1/customers", valid(set(root, "segment", "nonprofit")), 400, csp.ESegmentNotInPolicy},
			{"ForeignAssociatedPartner", pc, "POST", "/v1/customers", valid(set(root, "associatedPartnerId", p.ID.String())), 400, csp.EInvalidField},
			{"HelpdeskCannotCreate", helpdesk, "POST", "/v1/customers", valid(func(map[string]any) {}), 403, csp.EForbiddenRole},
			{"ExpiredKey", client.New(w.url, expiring.APIKey), "POST", "/v1/customers", valid(func(map[string]any) {}), 401, csp.EKeyExpired},
			{"NoKey", client.New(w.url, ""), "POST", "/v1/customers", valid(func(map[string]any) {}), 401, csp.EUnauthenticated},
			{"GarbageKey", client.New(w.url, "Bearer nonsense"), "GET", "/v1/customers", nil, 401, csp.EKeyInvalid},
			{"ForeignCustomer", pc, "GET", "/v1/customers/" + foreign.ID, nil, 404, csp.ECustomerNotFound},
			{"ForeignCustomerQualification", pc, "POST", "/v1/customers/" + foreign.ID + "/qualifications", map[string]string{"qualification": "Education"}, 404, csp.ECustomerNotFound},
			{"ForeignCustomerRemoval", pc, "PATCH", "/v1/customers/" + foreign.ID, map[string]string{"relationshipToPartner": "none"}, 404, csp.ECustomerNotFound},
			{"CustomerIDNotGUID", pc, "GET", "/v1/customers/not-a-guid", nil, 404, csp.ECustomerNotFound},
			{"UnknownQualification", pc, "POST", "/v1/customers/" + mine.ID + "/qualifications", map[string]string{"qualification": "Military"}, 400, csp.EInvalidQualification},
			{"CountryChange", pc, "PUT", "/v1/customers/" + mine.ID + "/profiles/billing", map[string]any{"email": "a@minecorp.example", "culture": "en-US",
				"language": "en", "companyName": "Mine Corp", "defaultAddress": map[string]any{"country": "CA", "city": "Ottawa", "state": "ON", "addressLine1": "1 St", "postalCode": "K1A 0B1"}}, 400, csp.ECountryImmutable},
			{"PatchOtherThanNone", pc, "PATCH", "/v1/customers/" + mine.ID, map[string]string{"relationshipToPartner": "advisor"}, 400, csp.EInvalidField},
			{"PageSizeZero", pc, "GET", "/v1/customers?size=0", nil, 400, csp.EInvalidQuery},
			{"BadFilter", pc, "GET", "/v1/customers?filter=%7Bnope", nil, 400, csp.EInvalidQuery},
			{"AuditWithoutStart", pc, "GET", "/v1/auditrecords", nil, 400, csp.EInvalidQuery},
			{"UnknownPath", pc, "GET", "/v1/nothing/here", nil, 404, csp.ENotFound},
			{"PartnerBadType", w.op, "POST", "/admin/v1/partners", map[string]any{"name": "X", "country": "US", "partnerType": "wholesaler"}, 400, csp.EInvalidPartnerType},
			{"ResellerWithoutProvider", w.op, "POST", "/admin/v1/partners", map[string]any{"name": "X", "country": "US", "partnerType": "indirectReseller"}, 400, csp.EResellerNeedsProvider},
			{"ResellerUnderDirect", w.op, "POST", "/admin/v1/partners", map[string]any{"name": "X", "country": "US", "partnerType": "indirectReseller", "providerId": p.ID}, 400, csp.EProviderNotIndirect},
			{"PartnerUnknownLocation", w.op, "POST", "/admin/v1/partners", map[string]any{"name": "X", "country": "US", "locations": []string{"ZZ"}, "partnerType": "direct"}, 400, csp.EUnknownCountry},
			{"PartnerTakenMpnID", w.op, "POST", "/admin/v1/partners", map[string]any{"name": "X", "country": "US", "partnerType": "direct", "mpnId": p.MpnID}, 409, csp.EMpnIDTaken},
			{"PolicyUnknownRegion", w.op, "PUT", "/admin/v1/partners/" + p.ID.String() + "/salePolicy", map[string]any{"segments": []string{"commercial"}, "regions": []string{"MARS"}}, 400, csp.EInvalidSalePolicy},
			{"UserUnknownRole", w.op, "POST", "/admin/v1/partners/" + p.ID.String() + "/users", map[string]any{"displayName": "X", "email": "x@alpha.example", "roles": []string{"superuser"}}, 400, csp.EInvalidRole},
			{"UserDuplicateEmail", w.op, "POST", "/admin/v1/partners/" + p.ID.String() + "/users", map[string]any{"displayName": "X", "email": "help@alpha.example", "roles": []string{"adminAgent"}}, 409, csp.EEmailTaken},
			{"KeyExpiryInPast", w.op, "POST", "/admin/v1/partners/" + p.ID.String() + "/users", map[string]any{"displayName": "X", "email": "x2@alpha.example", "roles": []string{"adminAgent"}, "expiresAt": "2020-01-01T00:00:00Z"}, 400, csp.EInvalidExpiry},
			{"RevokeUnknownKey", w.op, "DELETE", "/admin/v1/keys/0d6f7c1e-0000-4000-8000-000000000000", nil, 404, csp.EKeyNotFound},
			{"ClockBadDuration", w.op, "POST", "/admin/v1/clock/advance", map[string]string{"duration": "one month"}, 400, csp.EInvalidDuration},
			{"ClockBackwards", w.op, "POST", "/admin/v1/clock/advance", map[string]string{"to": "2025-01-01T00:00:00Z"}, 400, csp.EClockBackwards},
			{"PartnerKeyOnOperatorAPI", pc, "POST", "/admin/v1/partners", map[string]any{"name": "X", "country": "US", "partnerType": "direct"}, 403, csp.EWrongAPI},
			{"InvitationGarbage", tenantAdmin, "POST", "/tenant/v1/relationships", map[string]string{"invitationUrl": "https://example.com/evil"}, 400, csp.EInvalidInvitation},
			{"InvitationUnknownPartner", tenantAdmin, "POST", "/tenant/v1/relationships", map[string]string{"invitationUrl": w.url + "/invitations/reseller?partnerId=0d6f7c1e-0000-4000-8000-000000000000"}, 400, csp.EInvalidInvitation},
			{"RemoveUnknownPartner", tenantAdmin, "DELETE", "/tenant/v1/relationships/0d6f7c1e-0000-4000-8000-000000000000", nil, 404, csp.ERelationshipNotFound},
			{"MTOWithoutName", tenantAdmin, "PUT", "/tenant/v1/multiTenantOrganization", map[string]string{"displayName": " "}, 400, csp.EMissingField},
			{"JoinBadTenantID", tenantAdmin, "PATCH", "/tenant/v1/multiTenantOrganization/joinRequest", map[string]string{"addedByTenantId": "x"}, 400, csp.EInvalidField},
		}
		before := w.Dump()
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var res *client.Response
				var err error
				if s, ok := tc.body.(string); ok {
					res, err = rawRequest(w, tc.c, tc.method, tc.path, s)
				} else {
					res, err = tc.c.Do(w.ctx, tc.method, tc.path, tc.body, nil, &client.Request{RequestID: client.NewRequestID()})
				}
				e := wantAPIError(t, err, tc.status, int(tc.code))
				if e.Description == "" || e.Source != "OpenCSP" || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
					t.Errorf("error body %+v / %s is not in the Partner Center shape", e, res.Header.Get("Content-Type"))
				}
				if after := w.Dump(); after != before {
					t.Fatalf("the refused request changed the database")
				}
			})
		}
		if len(cases) < 30 {
			t.Fatalf("only %d bad-input cases", len(cases))
		}
	})
}

// rawRequest sends a body as given (malformed JSON included).
func rawRequest(w *world, c *client.Client, method, path, body string) (*client.Response, error) {
	req, _ := http.NewRequestWithContext(w.ctx, method, c.BaseURL+path, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+c.Key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	resp := &client.Response{Status: res.StatusCode, Header: res.Header, Body: b}
	if res.StatusCode >= 300 {
		e := &client.Error{Status: res.StatusCode}
		if err := jsonUnmarshal(b, e); err != nil {
			return resp, err
		}
		return resp, e
	}
	return resp, nil
}
