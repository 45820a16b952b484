package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestPlanRefusals: each refused planner call answers its status and code
// and changes nothing; R-34's refusal of a partner's removal names the
// live subscriptions and points to the planner.
func TestPlanRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newPlanWorld(t, w)
		// A plain user of Contoso; a partner without Contoso; Fabrikam, a
		// customer of Northwind only, with its own admin.
		admin := graphAs(t, w, x.admin, x.customer)
		if st, e := graphCall(t, w, admin, http.MethodPost, "/users", newUser("ada@contoso.onmicrosoft.com", "Ada"), nil); st != 201 {
			t.Fatalf("create user: %d %+v", st, e)
		}
		adaKey, err := w.op.MintTenantKey(w.ctx, mustUUID(t, x.customer), "ada@contoso.onmicrosoft.com")
		if err != nil {
			t.Fatal(err)
		}
		ada := client.New(w.url, adaKey.APIKey)
		outsider, _ := w.MustPartner(designPartner("Outsider Cloud"))
		fab := w.MustCustomer(x.src.pc, customer("Fabrikam", "fabrikam", "US"))
		fabShop := &shop{w: w, pc: x.src.pc, customer: fab.ID}
		fabShop.agree(t)
		fabShop.buy(t, cartLine{CatalogItemID: basic, Quantity: 3, TermDuration: "P1M", BillingCycle: "monthly"})
		fabAdmin := w.MustAdmin(fab.ID, "fabrikam.onmicrosoft.com")

		// Contoso accepted an indirect reseller and School Cloud, which then
		// narrowed its sale policy to education.
		prov, _ := w.MustPartner(client.NewPartner{Name: "Contoso Distribution", Country: "US", PartnerType: "indirectProvider"})
		resellerPartner, reseller := w.MustPartner(client.NewPartner{Name: "Fabrikam IT", Country: "US", PartnerType: "indirectReseller", ProviderID: &prov.ID})
		eduPartner, edu := w.MustPartner(client.NewPartner{Name: "School Cloud", Country: "US", PartnerType: "direct"})
		for _, pc := range []*client.Client{reseller, edu} {
			link, _ := pc.RelationshipRequestURL(w.ctx)
			if _, err := x.admin.Do(w.ctx, http.MethodPost, "/tenant/v1/relationships", map[string]string{"invitationUrl": link}, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.op.Do(w.ctx, http.MethodPut, "/admin/v1/partners/"+eduPartner.ID.String()+"/salePolicy", map[string]any{"segments": []string{"education"}}, nil, nil); err != nil {
			t.Fatal(err)
		}

		applied, err := x.plan(t, x.admin, map[string]any{"channel": "direct"})
		if err != nil {
			t.Fatal(err)
		}
		x.planCall(t, http.MethodPost, "/tenant/v1/channelPlans/"+applied.ID+"/apply")
		fresh, err := x.plan(t, x.admin, map[string]any{"channel": "mcaE"})
		if err != nil {
			t.Fatal(err)
		}

		before := w.Dump()
		for _, c := range []struct {
			name         string
			who          *client.Client
			method, path string
			body         any
			status       int
			code         csp.Code
		}{
			{"not an admin", ada, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"channel": "ea"}}, 403, csp.EForbiddenRole},
			{"not an admin reads", ada, "GET", "/tenant/v1/channelPlans/" + fresh.ID, nil, 403, csp.EForbiddenRole},
			{"a partner", x.src.pc, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"channel": "ea"}}, 403, csp.EWrongAPI},
			{"unknown partner", x.admin, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"partnerId": uuid.NewString()}}, 404, csp.EPlanPartnerNotFound},
			{"partner without the tenant", x.admin, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"partnerId": outsider.ID}}, 400, csp.EPlanPartnerNotLinked},
			{"an indirect reseller", x.admin, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"partnerId": resellerPartner.ID}}, 400, csp.EPlanPartnerCannotSell},
			{"a partner whose sale policy leaves the tenant out", x.admin, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"partnerId": eduPartner.ID}}, 400, csp.EPlanPartnerCannotSell},
			{"destination the current partner", fabAdmin, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"partnerId": x.srcID}}, 400, csp.EPlanNothingToMove},
			{"unknown channel", x.admin, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"channel": "msdn"}}, 400, csp.EPlanChannelInvalid},
			{"csp as channel", x.admin, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"channel": "csp"}}, 400, csp.EPlanChannelIsCSP},
			{"both", x.admin, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{"channel": "ea", "partnerId": x.tgtID}}, 400, csp.EPlanDestination},
			{"neither", x.admin, "POST", "/tenant/v1/channelPlans", map[string]any{"destination": map[string]any{}}, 400, csp.EPlanDestination},
			{"apply twice", x.admin, "POST", "/tenant/v1/channelPlans/" + applied.ID + "/apply", nil, 409, csp.EPlanAlreadyApplied},
			{"another tenant's plan", fabAdmin, "GET", "/tenant/v1/channelPlans/" + fresh.ID, nil, 404, csp.EPlanNotFound},
			{"apply another tenant's plan", fabAdmin, "POST", "/tenant/v1/channelPlans/" + fresh.ID + "/apply", nil, 404, csp.EPlanNotFound},
			{"unknown plan", x.admin, "GET", "/tenant/v1/channelPlans/" + uuid.NewString(), nil, 404, csp.EPlanNotFound},
			{"operator's listing by a customer", x.admin, "GET", "/admin/v1/channelPlanActions", nil, 403, csp.EWrongAPI},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := c.who.Do(w.ctx, c.method, c.path, c.body, nil, nil)
				wantAPIError(t, err, c.status, int(c.code))
			})
		}

		// Northwind still has the Business Premium subscription.
		_, err = x.admin.Do(w.ctx, http.MethodDelete, "/tenant/v1/relationships/"+x.srcID, nil, nil, nil)
		e := wantAPIError(t, err, http.StatusBadRequest, int(csp.EPartnerHasActiveSubs))
		want := "subscription=" + x.sub + ";offer=Microsoft 365 Business Premium;quantity=10;termEndDate=2027-01-11;lastDayToTurnOffAutoRenew=2027-01-11"
		if len(e.Data) != 2 || e.Data[0] != want || e.Data[1] != "plan=POST /tenant/v1/channelPlans" ||
			!strings.Contains(e.Description, x.sub) || !strings.Contains(e.Description, "POST /tenant/v1/channelPlans") {
			t.Errorf("R-34 refusal: %s %q", e.Description, e.Data)
		}
		if after := w.Dump(); after != before {
			t.Errorf("a refused call changed the database")
		}

		// A plan applies only on the day it was made.
		x.src.advanceTo(t, "2026-04-02T09:00:00Z")
		stale := w.Dump()
		_, err = x.admin.Do(w.ctx, http.MethodPost, "/tenant/v1/channelPlans/"+fresh.ID+"/apply", nil, nil, nil)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EPlanStale))
		if w.Dump() != stale {
			t.Errorf("the stale apply changed the database")
		}
	})
}
