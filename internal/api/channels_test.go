package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

const skuE3 = "05e9a617-0261-4cee-bb44-138d3ef5d965" // Microsoft 365 E3 (SPE_E3)

type channelSubJSON struct {
	ID                   string `json:"id"`
	TenantID             string `json:"tenantId"`
	Channel              string `json:"channel"`
	OfferID              string `json:"offerId"`
	OfferName            string `json:"offerName"`
	Quantity             int    `json:"quantity"`
	TermStartDate        string `json:"termStartDate"`
	TermEndDate          string `json:"termEndDate"`
	AutoRenewEnabled     bool   `json:"autoRenewEnabled"`
	Status               string `json:"status"`
	CurrentTermStartDate string `json:"currentTermStartDate"`
	CurrentTermEndDate   string `json:"currentTermEndDate"`
}

type tenantSubJSON struct {
	ID            string  `json:"id"`
	OfferID       string  `json:"offerId"`
	Quantity      int     `json:"quantity"`
	Status        string  `json:"status"`
	PartnerID     *string `json:"partnerId"`
	Channel       string  `json:"channel"`
	TermStartDate string  `json:"termStartDate"`
	TermEndDate   string  `json:"termEndDate"`
}

// eaE3 is 25 EA seats of Microsoft 365 E3 for 2026.
func eaE3() map[string]any {
	return map[string]any{"channel": "ea", "productId": "CFQ7TTC0LFLX", "skuId": "0001", "quantity": 25,
		"termStartDate": "2026-01-01", "termEndDate": "2026-12-31", "autoRenewEnabled": false}
}

func channelPath(tenant string) string {
	return "/admin/v1/tenants/" + tenant + "/channelSubscriptions"
}

// e3Pool answers the tenant's E3 pool as Graph shows it.
func e3Pool(t *testing.T, w *world, g *client.Client) subscribedSkuJSON {
	t.Helper()
	var skus graphList[subscribedSkuJSON]
	if st, e := graphCall(t, w, g, http.MethodGet, "/subscribedSkus", nil, &skus); st != 200 {
		t.Fatalf("subscribedSkus: %d %+v", st, e)
	}
	for _, s := range skus.Value {
		if s.SkuID == skuE3 {
			return s
		}
	}
	t.Fatalf("no E3 pool in %+v", skus.Value)
	return subscribedSkuJSON{}
}

func wantE3(t *testing.T, got subscribedSkuJSON, enabled, warning, suspended, lockedOut, consumed int, status string) {
	t.Helper()
	p := got.PrepaidUnits
	if p.Enabled != enabled || p.Warning != warning || p.Suspended != suspended || p.LockedOut != lockedOut || got.ConsumedUnits != consumed ||
		got.CapabilityStatus != status || got.SkuPartNumber != "SPE_E3" {
		t.Fatalf("E3 pool %+v, want %d/%d/%d/%d consumed %d %s", got, enabled, warning, suspended, lockedOut, consumed, status)
	}
}

// tenantSubs answers the customer's list of its subscriptions, by offer
// and channel: "offerId channel partner quantity status start..end".
func tenantSubs(t *testing.T, w *world, admin *client.Client) []string {
	t.Helper()
	var got struct{ Items []tenantSubJSON }
	if _, err := admin.Do(w.ctx, http.MethodGet, "/tenant/v1/subscriptions", nil, &got, nil); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range got.Items {
		partner := "-"
		if s.PartnerID != nil {
			partner = "partner"
		}
		out = append(out, fmt.Sprintf("%s %s %s %d %s %s..%s", s.OfferID, s.Channel, partner, s.Quantity, s.Status, s.TermStartDate, s.TermEndDate))
	}
	return out
}

// TestChannelSeatsCountBesideCSP: 10 CSP seats of Microsoft 365 E3 from
// Contoso and 25 EA seats (term 2026) make 35 enabled units; 30 are
// assigned. After the EA term the 25 units follow R-19: warning (expired)
// 2027-01-01..2027-01-30, locked out (disabled) 2027-01-31..2027-04-30,
// gone from 2027-05-01, and the overage of 20 shows. The customer lists
// both subscriptions with their channels, the partner only its own.
func TestChannelSeatsCountBesideCSP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newGDAPSetup(t, w) // Contoso and its customer Fabrikam, 2026-01-05
		sh := &shop{w: w, pc: s.pc, customer: s.cust.ID}
		sh.agree(t)
		cspSub := sh.buy(t, cartLine{CatalogItemID: e3, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly"}) // 2026-01-05..2027-01-04, auto-renew on
		rel := s.create(t, w, "Fabrikam licences", "P730D", roleDirectoryReaders)
		s.activate(t, w, rel.ID)
		if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+rel.ID+"/accessAssignments", newAssignment(s.group, roleDirectoryReaders), nil, ""); st != 201 {
			t.Fatalf("assignment: %d %+v", st, e)
		}

		var ea channelSubJSON
		if _, err := w.op.Do(w.ctx, http.MethodPost, channelPath(s.cust.ID), eaE3(), &ea, nil); err != nil {
			t.Fatal(err)
		}
		if ea.Channel != "ea" || ea.OfferID != "CFQ7TTC0LFLX:0001" || ea.OfferName != "Microsoft 365 E3" || ea.Quantity != 25 || ea.Status != "active" ||
			ea.TermStartDate != "2026-01-01" || ea.TermEndDate != "2026-12-31" || ea.CurrentTermEndDate != "2026-12-31" || ea.TenantID != s.cust.ID {
			t.Fatalf("recorded %+v", ea)
		}

		// 10 + 25 = 35 enabled units, in Graph and in Partner Center.
		wantE3(t, e3Pool(t, w, s.adminGraph), 35, 0, 0, 0, 0, "Enabled")
		var pcSkus struct {
			Items []struct {
				ActiveUnits, TotalUnits int
				ProductSku              struct{ SkuPartNumber string }
			}
		}
		if _, err := s.desk.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.cust.ID+"/subscribedskus", nil, &pcSkus, nil); err != nil {
			t.Fatal(err)
		}
		if len(pcSkus.Items) != 1 || pcSkus.Items[0].ProductSku.SkuPartNumber != "SPE_E3" || pcSkus.Items[0].ActiveUnits != 35 || pcSkus.Items[0].TotalUnits != 35 {
			t.Fatalf("Partner Center's subscribed SKUs %+v", pcSkus.Items)
		}

		// 30 users get E3: more than the CSP seats alone.
		for i := range 30 {
			body := newUser(fmt.Sprintf("u%02d@fabrikam.onmicrosoft.com", i), fmt.Sprintf("User %d", i))
			body["usageLocation"] = "US"
			var u graphUserJSON
			if st, e := graphCall(t, w, s.adminGraph, http.MethodPost, "/users", body, &u); st != 201 {
				t.Fatalf("user %d: %d %+v", i, st, e)
			}
			if st, e := graphCall(t, w, s.adminGraph, http.MethodPost, "/users/"+u.ID+"/assignLicense", assign(skuE3), nil); st != 200 {
				t.Fatalf("assign %d: %d %+v", i, st, e)
			}
		}
		wantE3(t, e3Pool(t, w, s.adminGraph), 35, 0, 0, 0, 30, "Enabled")
		pools := poolsOf(t, w, s.cust.ID)
		if len(pools) != 1 || pools[0].Available() != 5 || len(pools[0].Sources) != 2 {
			t.Fatalf("pools %+v", pools)
		}
		// The licence sources (the console's): the partner's 10, the EA's 25.
		src := pools[0].Sources
		if src[0].PartnerID == nil || *src[0].PartnerID != s.partner.ID || src[0].Quantity != 10 || src[0].Channel != csp.ChannelCSP ||
			src[1].PartnerID != nil || src[1].Channel != csp.ChannelEA || src[1].Quantity != 25 || src[1].Status != csp.StatusActive {
			t.Fatalf("sources %+v", src)
		}

		// The customer sees both, each with its channel; the partner only its own.
		want := []string{"CFQ7TTC0LFLX:0001 csp partner 10 active 2026-01-05..2027-01-04", "CFQ7TTC0LFLX:0001 ea - 25 active 2026-01-01..2026-12-31"}
		if got := tenantSubs(t, w, s.admin); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("customer's subscriptions\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// One a page: the CSP subscription, then the EA one (the two
		// listings merge by creation, then id).
		if keys, sizes := pageThrough(t, s.admin, "/tenant/v1/subscriptions", url.Values{"size": {"1"}}, "channel"); strings.Join(keys, " ") != "csp ea" ||
			fmt.Sprint(sizes) != "[1 1]" {
			t.Fatalf("paged: %v %v", keys, sizes)
		}
		var partnerList struct{ Items []subJSON }
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.cust.ID+"/subscriptions", nil, &partnerList, nil); err != nil {
			t.Fatal(err)
		}
		if len(partnerList.Items) != 1 || partnerList.Items[0].ID != cspSub {
			t.Fatalf("the partner's list %+v", partnerList.Items)
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.cust.ID+"/subscriptions/"+ea.ID, nil, nil, nil); err == nil {
			t.Fatalf("the partner reads the EA subscription")
		}

		// The EA term ends 2026-12-31: its 25 units are in warning, 10
		// enabled for 30 assigned: an overage of 20.
		sh.advanceTo(t, "2027-01-01T09:00:00Z")
		wantE3(t, e3Pool(t, w, s.adminGraph), 10, 25, 0, 0, 30, "Enabled")
		if p := poolsOf(t, w, s.cust.ID)[0]; p.Overage() != 20 || p.Available() != 0 {
			t.Fatalf("overage %d available %d", p.Overage(), p.Available())
		}
		want[1] = "CFQ7TTC0LFLX:0001 ea - 25 expired 2026-01-01..2026-12-31"
		if got := tenantSubs(t, w, s.admin); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("customer's subscriptions after the EA term\n%s", strings.Join(got, "\n"))
		}
		sh.advanceTo(t, "2027-01-30T09:00:00Z")
		wantE3(t, e3Pool(t, w, s.adminGraph), 10, 25, 0, 0, 30, "Enabled")
		// 30 days expired, then 90 disabled (locked out).
		sh.advanceTo(t, "2027-01-31T09:00:00Z")
		wantE3(t, e3Pool(t, w, s.adminGraph), 10, 0, 0, 25, 30, "Enabled")
		sh.advanceTo(t, "2027-04-30T09:00:00Z")
		wantE3(t, e3Pool(t, w, s.adminGraph), 10, 0, 0, 25, 30, "Enabled")
		// Deleted from 2027-05-01: the units are gone, the assignments stay.
		// (The CSP seats renewed on 2027-01-05.)
		sh.advanceTo(t, "2027-05-01T09:00:00Z")
		wantE3(t, e3Pool(t, w, s.adminGraph), 10, 0, 0, 0, 30, "Enabled")
		want = []string{"CFQ7TTC0LFLX:0001 csp partner 10 active 2027-01-05..2028-01-04", "CFQ7TTC0LFLX:0001 ea - 25 deleted 2026-01-01..2026-12-31"}
		if got := tenantSubs(t, w, s.admin); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("customer's subscriptions at the end\n%s", strings.Join(got, "\n"))
		}
	})
}

// poolsOf answers the tenant's pools as its Global Administrator reads them
// through the app (with the sources the console shows).
func poolsOf(t *testing.T, w *world, tenant string) []directory.Pool {
	t.Helper()
	id := uuid.MustParse(tenant)
	k, err := w.op.MintTenantKey(w.ctx, id, "admin@fabrikam.onmicrosoft.com")
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.app.Authenticate(w.ctx, k.APIKey, "")
	if err != nil {
		t.Fatal(err)
	}
	pools, err := w.app.SubscribedSkus(w.ctx, p, id)
	if err != nil {
		t.Fatal(err)
	}
	return pools
}

func with(body map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// TestChannelImportAndDelete: an import records every item at once; a
// mistaken record is deleted and its seats leave the pool.
func TestChannelImportAndDelete(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newGDAPSetup(t, w)
		items := []any{eaE3(),
			with(eaE3(), "channel", "direct", "quantity", 5, "termStartDate", "2026-01-05", "termEndDate", "2026-02-04", "autoRenewEnabled", true),
			with(eaE3(), "channel", "mcaE", "productId", "CFQ7TTC0LCHC", "quantity", 3, "termStartDate", "2026-02-01", "termEndDate", "2029-01-31")}
		var got struct{ Items []channelSubJSON }
		if _, err := w.op.Do(w.ctx, http.MethodPost, channelPath(s.cust.ID)+"/import", map[string]any{"items": items}, &got, nil); err != nil {
			t.Fatal(err)
		}
		if len(got.Items) != 3 || got.Items[1].Channel != "direct" || got.Items[1].Status != "active" || got.Items[2].Status != "pending" ||
			got.Items[2].OfferName != "Microsoft 365 Business Premium" {
			t.Fatalf("imported %+v", got.Items)
		}
		// Business Premium starts 2026-02-01: pending seats count nowhere.
		wantE3(t, e3Pool(t, w, s.adminGraph), 30, 0, 0, 0, 0, "Enabled")
		// The monthly direct subscription renews: 2026-02-05..2026-03-04.
		advance(t, w, "P31D") // 2026-02-05
		var list struct{ Items []channelSubJSON }
		if _, err := w.op.Do(w.ctx, http.MethodGet, channelPath(s.cust.ID), nil, &list, nil); err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 3 || list.Items[1].CurrentTermStartDate != "2026-02-05" || list.Items[1].CurrentTermEndDate != "2026-03-04" ||
			list.Items[1].TermEndDate != "2026-02-04" || list.Items[2].Status != "active" {
			t.Fatalf("listed %+v", list.Items)
		}
		var skus graphList[subscribedSkuJSON]
		graphCall(t, w, s.adminGraph, http.MethodGet, "/subscribedSkus", nil, &skus)
		if len(skus.Value) != 2 {
			t.Fatalf("pools %+v", skus.Value)
		}

		if _, err := w.op.Do(w.ctx, http.MethodDelete, channelPath(s.cust.ID)+"/"+got.Items[0].ID, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		wantE3(t, e3Pool(t, w, s.adminGraph), 5, 0, 0, 0, 0, "Enabled")
		if _, err := w.op.Do(w.ctx, http.MethodGet, channelPath(s.cust.ID), nil, &list, nil); err != nil || len(list.Items) != 2 {
			t.Fatalf("after delete: %v %+v", err, list.Items)
		}
	})
}

// TestChannelRefusals: each refusal answers its code and changes nothing.
func TestChannelRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newGDAPSetup(t, w)
		var kept channelSubJSON
		if _, err := w.op.Do(w.ctx, http.MethodPost, channelPath(s.cust.ID), eaE3(), &kept, nil); err != nil {
			t.Fatal(err)
		}
		// An M365 E3 term that ended in 2025, and two auto-renewing direct
		// Business Premium records: 2024-01-05..2025-01-04 (renewed into
		// 2026-01-05..2027-01-04 on 2026-01-05) and that renewal recorded on
		// its own, so that turning the first one's auto-renew off today
		// would repeat the second's term.
		var ended, renewing channelSubJSON
		if _, err := w.op.Do(w.ctx, http.MethodPost, channelPath(s.cust.ID), with(eaE3(), "termStartDate", "2024-07-01", "termEndDate", "2025-06-30"), &ended, nil); err != nil {
			t.Fatal(err)
		}
		direct := func(start, end string) map[string]any {
			return map[string]any{"channel": "direct", "productId": "CFQ7TTC0LCHC", "skuId": "0001", "quantity": 3,
				"termStartDate": start, "termEndDate": end, "autoRenewEnabled": true}
		}
		if _, err := w.op.Do(w.ctx, http.MethodPost, channelPath(s.cust.ID), direct("2024-01-05", "2025-01-04"), &renewing, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := w.op.Do(w.ctx, http.MethodPost, channelPath(s.cust.ID), direct("2026-01-05", "2027-01-04"), nil, nil); err != nil {
			t.Fatal(err)
		}
		path := channelPath(s.cust.ID)
		cases := []struct {
			name         string
			c            *client.Client
			method, path string
			body         any
			status, code int
			data         []string
			message      string
		}{
			{"UnknownTenant", w.op, http.MethodPost, channelPath("00000000-0000-4000-8000-000000000001"), eaE3(), 404, 1204, nil, ""},
			{"TenantNotAGUID", w.op, http.MethodPost, channelPath("fabrikam"), eaE3(), 404, 1204, nil, ""},
			{"UnknownSku", w.op, http.MethodPost, path, with(eaE3(), "skuId", "0099"), 400, 4552, []string{"field=productId"}, "GET /admin/v1/catalog"},
			{"UnknownProduct", w.op, http.MethodPost, path, with(eaE3(), "productId", "NOPE"), 400, 4552, []string{"field=productId"}, ""},
			{"AzurePlan", w.op, http.MethodPost, path, with(eaE3(), "productId", "DZH318Z0BPS6"), 400, 4553, []string{"field=skuId"}, "not licence-based"},
			{"Trial", w.op, http.MethodPost, path, with(eaE3(), "productId", "CFQ7TTC0LCHC", "skuId", "0002"), 400, 4554, []string{"field=skuId"}, "trial"},
			{"QuantityZero", w.op, http.MethodPost, path, with(eaE3(), "quantity", 0), 400, 4555, []string{"field=quantity"}, ""},
			{"EndBeforeStart", w.op, http.MethodPost, path, with(eaE3(), "termEndDate", "2025-12-31"), 400, 4557, []string{"field=termEndDate"}, "is not after termStartDate 2026-01-01"},
			{"TermTooLong", w.op, http.MethodPost, path, with(eaE3(), "termEndDate", "2031-12-31"), 400, 4558, []string{"field=termEndDate"}, "5 years"},
			{"NotADate", w.op, http.MethodPost, path, with(eaE3(), "termStartDate", "01/01/2026"), 400, 4556, []string{"field=termStartDate"}, ""},
			{"ChannelCSP", w.op, http.MethodPost, path, with(eaE3(), "channel", "csp"), 400, 4551, []string{"field=channel"}, "partner"},
			{"ChannelUnknown", w.op, http.MethodPost, path, with(eaE3(), "channel", "retail"), 400, 4550, []string{"field=channel"}, ""},
			{"Duplicate", w.op, http.MethodPost, path, eaE3(), 409, 4560, []string{"field=skuId"}, kept.ID},
			{"PartnerKey", s.pc, http.MethodPost, path, eaE3(), 403, 1111, nil, ""},
			{"CustomerKey", s.admin, http.MethodPost, path, eaE3(), 403, 1111, nil, ""},
			{"PartnerKeyList", s.pc, http.MethodGet, path, nil, 403, 1111, nil, ""},
			{"ImportBadItem", w.op, http.MethodPost, path + "/import", map[string]any{"items": []any{with(eaE3(), "channel", "direct"), with(eaE3(), "channel", "mcaE"), with(eaE3(), "quantity", 0)}},
				400, 4555, []string{"item=2", "field=quantity"}, "items[2]: "},
			{"ImportItemWrongType", w.op, http.MethodPost, path + "/import", map[string]any{"items": []any{with(eaE3(), "channel", "direct"), with(eaE3(), "quantity", "ten")}},
				400, 1001, []string{"item=1", "field=quantity"}, "items[1]: "},
			{"ImportDuplicateItems", w.op, http.MethodPost, path + "/import", map[string]any{"items": []any{with(eaE3(), "channel", "direct"), with(eaE3(), "channel", "direct")}},
				409, 4560, []string{"item=1", "field=skuId"}, "items[1]: "},
			{"ImportEmpty", w.op, http.MethodPost, path + "/import", map[string]any{"items": []any{}}, 400, 4561, []string{"field=items"}, ""},
			{"ListToSingleCall", w.op, http.MethodPost, path, map[string]any{"items": []any{eaE3()}}, 400, 4562, []string{"field=items"}, path + "/import"},
			{"SingleToImport", w.op, http.MethodPost, path + "/import", eaE3(), 400, 4562, []string{"field=channel"}, `{"items": [...]}`},
			{"ImportPartnerKey", s.pc, http.MethodPost, path + "/import", map[string]any{"items": []any{with(eaE3(), "channel", "direct")}}, 403, 1111, nil, ""},
			{"PatchNothing", w.op, http.MethodPatch, path + "/" + kept.ID, map[string]any{}, 400, 4563, nil, "autoRenewEnabled, quantity"},
			{"PatchZeroSeats", w.op, http.MethodPatch, path + "/" + kept.ID, map[string]any{"quantity": 0}, 400, 4555, []string{"field=quantity"}, ""},
			{"PatchWrongType", w.op, http.MethodPatch, path + "/" + kept.ID, map[string]any{"autoRenewEnabled": "no"}, 400, 1001, []string{"field=autoRenewEnabled"}, ""},
			{"PatchEndedTerm", w.op, http.MethodPatch, path + "/" + ended.ID, map[string]any{"autoRenewEnabled": true}, 409, 4564, nil, "2024-07-01..2025-06-30 ended"},
			{"PatchOffRepeatsATerm", w.op, http.MethodPatch, path + "/" + renewing.ID, map[string]any{"autoRenewEnabled": false}, 409, 4560, []string{"field=autoRenewEnabled"}, "2026-01-05..2027-01-04"},
			{"PatchUnknown", w.op, http.MethodPatch, path + "/00000000-0000-4000-8000-000000000002", map[string]any{"quantity": 5}, 404, 4559, nil, ""},
			{"PatchPartnerKey", s.pc, http.MethodPatch, path + "/" + kept.ID, map[string]any{"quantity": 5}, 403, 1111, nil, ""},
			{"DeleteUnknown", w.op, http.MethodDelete, path + "/00000000-0000-4000-8000-000000000002", nil, 404, 4559, nil, ""},
			{"DeleteOtherTenants", w.op, http.MethodDelete, channelPath(s.partner.ID.String()) + "/" + kept.ID, nil, 404, 1204, nil, ""},
			{"DeletePartnerKey", s.pc, http.MethodDelete, path + "/" + kept.ID, nil, 403, 1111, nil, ""},
		}
		before := w.Dump()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, err := c.c.Do(w.ctx, c.method, c.path, c.body, nil, nil)
				e, ok := err.(*client.Error)
				if !ok || res.Status != c.status || e.Code != c.code {
					t.Fatalf("got %v, want %d code %d", err, c.status, c.code)
				}
				if c.data != nil && strings.Join(e.Data, " ") != strings.Join(c.data, " ") {
					t.Errorf("data %v, want %v", e.Data, c.data)
				}
				if !strings.Contains(e.Description, c.message) {
					t.Errorf("message %q lacks %q", e.Description, c.message)
				}
				if w.Dump() != before {
					t.Fatalf("a refused call changed the database")
				}
			})
		}
		// The partner's tenant is a tenant too, but the kept record is
		// Fabrikam's: still there, still counted.
		wantE3(t, e3Pool(t, w, s.adminGraph), 25, 0, 0, 0, 0, "Enabled")
	})
}
