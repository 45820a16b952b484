package api_test

import (
	"fmt"
	"net/http"
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
