package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/client"
)

// Graph identities of the built-in catalog's SKUs (Microsoft's licensing
// service plan reference).
const (
	skuSPB      = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46" // Microsoft 365 Business Premium
	skuBasic    = "3b555118-da6a-4418-894f-7df1e2096870" // Microsoft 365 Business Basic
	planTeams   = "57ff2da0-773e-42df-b2af-ffb7a2317929" // TEAMS1
	planEXO     = "9aaf7827-d63c-4b61-89c3-182f06f82e5c" // EXCHANGE_S_STANDARD
	planP2      = "eec0eb4f-6444-4f95-aba0-50c24d67f998" // AAD_PREMIUM_P2
	entraP1Item = "CFQ7TTC0LFLS:0001:CFQ7TTC0XJ2W"       // Microsoft Entra ID P1
	entraP2Item = "CFQ7TTC0LFK5:0001:CFQ7TTC0ZVHZ"       // Microsoft Entra ID P2
)

type subscribedSkuJSON struct {
	SkuID            string `json:"skuId"`
	SkuPartNumber    string `json:"skuPartNumber"`
	CapabilityStatus string `json:"capabilityStatus"`
	ConsumedUnits    int    `json:"consumedUnits"`
	PrepaidUnits     struct {
		Enabled, Warning, Suspended, LockedOut int
	} `json:"prepaidUnits"`
}

// pool answers the tenant's SPB pool as "enabled/warning/suspended/lockedOut consumed status".
func pool(t *testing.T, w *world, g *client.Client) subscribedSkuJSON {
	t.Helper()
	var skus graphList[subscribedSkuJSON]
	if st, e := graphCall(t, w, g, http.MethodGet, "/subscribedSkus", nil, &skus); st != 200 {
		t.Fatalf("subscribedSkus: %d %+v", st, e)
	}
	for _, s := range skus.Value {
		if s.SkuID == skuSPB {
			return s
		}
	}
	t.Fatalf("no SPB pool in %+v", skus.Value)
	return subscribedSkuJSON{}
}

func wantPool(t *testing.T, got subscribedSkuJSON, enabled, warning, suspended, lockedOut, consumed int, status string) {
	t.Helper()
	p := got.PrepaidUnits
	if p.Enabled != enabled || p.Warning != warning || p.Suspended != suspended || p.LockedOut != lockedOut || got.ConsumedUnits != consumed || got.CapabilityStatus != status || got.SkuPartNumber != "SPB" {
		t.Fatalf("pool %+v, want %d/%d/%d/%d consumed %d %s", got, enabled, warning, suspended, lockedOut, consumed, status)
	}
}

func assign(sku string, disabled ...string) map[string]any {
	if disabled == nil {
		disabled = []string{}
	}
	return map[string]any{"addLicenses": []map[string]any{{"skuId": sku, "disabledPlans": disabled}}, "removeLicenses": []string{}}
}

func TestLicencesAcrossTwoPartners(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		a := newAgreedShop(t, w) // Northwind Cloud's customer Contoso, 2026-01-10
		subA := a.buy(t, cartLine{CatalogItemID: premium, Quantity: 3, TermDuration: "P1Y", BillingCycle: "monthly"})
		_, pcB := w.MustPartner(designPartner("Woodgrove IT"))
		link, _ := pcB.RelationshipRequestURL(w.ctx)
		adminKey := w.MustAdmin(a.customer, "contoso.onmicrosoft.com")
		if _, err := adminKey.AcceptInvitation(w.ctx, link); err != nil {
			t.Fatal(err)
		}
		b := &shop{w: w, pc: pcB, customer: a.customer}
		b.agree(t)
		subB := b.buy(t, cartLine{CatalogItemID: premium, Quantity: 2, TermDuration: "P1Y", BillingCycle: "monthly"})

		admin := graphAs(t, w, adminKey, a.customer)
		// 3 seats from Northwind and 2 from Woodgrove: 5 enabled units.
		wantPool(t, pool(t, w, admin), 5, 0, 0, 0, 0, "Enabled")

		ids := map[string]string{}
		for _, name := range []string{"ada", "bob", "cy", "dee", "eve", "fay", "gus"} {
			body := newUser(name+"@contoso.onmicrosoft.com", name)
			if name != "gus" {
				body["usageLocation"] = "US"
			}
			var u graphUserJSON
			if st, e := graphCall(t, w, admin, http.MethodPost, "/users", body, &u); st != 201 {
				t.Fatalf("user %s: %d %+v", name, st, e)
			}
			ids[name] = u.ID
		}
		for _, name := range []string{"ada", "bob", "cy", "dee", "eve"} {
			if st, e := graphCall(t, w, admin, http.MethodPost, "/users/"+ids[name]+"/assignLicense", assign(skuSPB), nil); st != 200 {
				t.Fatalf("assign %s: %d %+v", name, st, e)
			}
		}
		wantPool(t, pool(t, w, admin), 5, 0, 0, 0, 5, "Enabled")

		refused := func(user string, body any, status int, code string, opencsp int) client.GraphError {
			t.Helper()
			before := w.Dump()
			st, e := graphCall(t, w, admin, http.MethodPost, "/users/"+user+"/assignLicense", body, nil)
			wantGraphError(t, st, e, status, code, opencsp)
			if w.Dump() != before {
				t.Fatalf("a refused assignment changed the database")
			}
			return e
		}
		// The sixth unit does not exist.
		e := refused(ids["fay"], assign(skuSPB), 400, "Request_BadRequest", 4051)
		if !strings.Contains(e.Error.Message, "does not have any available licenses") || !strings.Contains(e.Error.Message, "5 of 5") {
			t.Fatalf("message: %s", e.Error.Message)
		}
		refused(ids["gus"], assign(skuSPB), 400, "Request_BadRequest", 4052)
		refused(ids["bob"], assign(skuSPB, planP2), 400, "Request_BadRequest", 4053)
		refused(ids["bob"], assign("00000000-0000-4000-8000-000000000009"), 404, "Request_ResourceNotFound", 4050)
		refused(ids["fay"], map[string]any{"addLicenses": []any{}, "removeLicenses": []string{skuSPB}}, 400, "Request_BadRequest", 4054)
		refused(ids["fay"], map[string]any{"addLicenses": []any{}}, 400, "Request_BadRequest", 1002)

		// Bob keeps his licence with Teams turned off: no unit more.
		var bob graphUserJSON
		if st, e := graphCall(t, w, admin, http.MethodPost, "/users/"+ids["bob"]+"/assignLicense", assign(skuSPB, planTeams), &bob); st != 200 {
			t.Fatalf("disable teams: %d %+v", st, e)
		}
		if len(bob.AssignedLicenses) != 1 || len(bob.AssignedLicenses[0].DisabledPlans) != 1 || bob.AssignedLicenses[0].DisabledPlans[0] != planTeams {
			t.Fatalf("bob's licences %+v", bob.AssignedLicenses)
		}
		var details graphList[struct {
			SkuPartNumber string `json:"skuPartNumber"`
			ServicePlans  []struct {
				ServicePlanID      string `json:"servicePlanId"`
				ProvisioningStatus string `json:"provisioningStatus"`
			} `json:"servicePlans"`
		}]
		graphCall(t, w, admin, http.MethodGet, "/users/"+ids["bob"]+"/licenseDetails", nil, &details)
		status := map[string]string{}
		for _, sp := range details.Value[0].ServicePlans {
			status[sp.ServicePlanID] = sp.ProvisioningStatus
		}
		if len(details.Value) != 1 || details.Value[0].SkuPartNumber != "SPB" || status[planTeams] != "Disabled" || status[planEXO] != "Success" {
			t.Fatalf("licence details %+v", details)
		}
		wantPool(t, pool(t, w, admin), 5, 0, 0, 0, 5, "Enabled")

		// Northwind lowers its seats to 1 inside the cancellation window: the
		// program allows it, and the overage shows (5 assigned, 3 enabled).
		a.advanceTo(t, "2026-01-12T09:00:00Z")
		if _, err := a.patch(subA, map[string]any{"quantity": 1}); err != nil {
			t.Fatal(err)
		}
		wantPool(t, pool(t, w, admin), 3, 0, 0, 0, 5, "Enabled")
		var pcSkus struct {
			Items []struct {
				AvailableUnits, ActiveUnits, ConsumedUnits, TotalUnits int
			} `json:"items"`
		}
		if _, err := a.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+a.customer+"/subscribedskus", nil, &pcSkus, nil); err == nil {
			t.Fatalf("Partner Center's call needs a GDAP role the partner does not hold")
		}

		// Woodgrove suspends: its 2 units are suspended, 1 stays enabled.
		if _, err := b.patch(subB, map[string]any{"status": "suspended"}); err != nil {
			t.Fatal(err)
		}
		wantPool(t, pool(t, w, admin), 1, 0, 2, 0, 5, "Enabled")

		// Auto-renew off at Northwind; at term end (2027-01-09) its seat
		// expires (warning, R-19) and Woodgrove's suspended seats are
		// disabled (locked out, R-20).
		if _, err := a.patch(subA, map[string]any{"autoRenewEnabled": false}); err != nil {
			t.Fatal(err)
		}
		a.advanceTo(t, "2027-01-10T09:00:00Z")
		wantPool(t, pool(t, w, admin), 0, 1, 0, 2, 5, "Warning")
		refused(ids["fay"], assign(skuSPB), 400, "Request_BadRequest", 4055)
		// 30 days later the expired seat is disabled too.
		a.advanceTo(t, "2027-02-09T09:00:00Z")
		wantPool(t, pool(t, w, admin), 0, 0, 0, 3, 5, "LockedOut")
	})
}
