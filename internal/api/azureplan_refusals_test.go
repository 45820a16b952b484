package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestAzurePlanRefusals: each refused Partner Center Azure call answers its
// status and code and changes nothing (every table, the Azure ones
// included, is the same before and after).
func TestAzurePlanRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAzureShop(t, w)
		e, err := s.createEntitlement("Production")
		if err != nil {
			t.Fatal(err)
		}
		s.advanceTo(t, "2026-01-05T10:00:00Z")
		s.runVM(t, e.ID)
		s.advanceTo(t, "2026-01-05T12:00:00Z")
		licence, err := s.checkout(t, s.cart(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"}).ID)
		if err != nil {
			t.Fatal(err)
		}
		_, otherPC := w.MustPartner(client.NewPartner{Name: "Other Partner", Country: "US", PartnerType: "direct"})
		sales := w.MustUser(s.partner, "sales@northwind.example", "salesAgent")
		if _, _, err := s.status(e.ID, "cancel"); err != nil {
			t.Fatal(err)
		}

		cust := "/v1/customers/" + s.customer
		util := cust + "/subscriptions/" + e.ID + "/utilizations/azure?"
		long := strings.Repeat("x", 65)
		before := w.Dump() + w.DumpTables(azureTables...)
		for _, c := range []struct {
			what         string
			pc           *client.Client
			method, path string
			body         any
			status       int
			code         csp.Code
		}{
			{"another partner's customer", otherPC, http.MethodPost, s.entitlements(), map[string]string{"friendlyName": "X"}, 404, csp.ECustomerNotFound},
			{"another partner lists", otherPC, http.MethodGet, s.entitlements(), nil, 404, csp.ECustomerNotFound},
			{"another partner reads usage", otherPC, http.MethodGet, util + "start_time=2026-01-05T00:00:00Z&end_time=2026-01-06T00:00:00Z", nil, 404, csp.ECustomerNotFound},
			{"unknown Azure plan", s.pc, http.MethodPost, cust + "/subscriptions/00000000-0000-4000-8000-000000000001/azureEntitlements", map[string]string{"friendlyName": "X"}, 404, csp.ESubscriptionNotFound},
			{"a licence is not an Azure plan", s.pc, http.MethodPost, cust + "/subscriptions/" + licence.Orders[0].LineItems[0].SubscriptionID + "/azureEntitlements", map[string]string{"friendlyName": "X"}, 400, csp.EAzureNotAzurePlan},
			{"friendlyName too long", s.pc, http.MethodPost, s.entitlements(), map[string]string{"friendlyName": long}, 400, csp.EAzureInvalidFriendlyName},
			{"friendlyName empty", s.pc, http.MethodPost, s.entitlements(), map[string]string{"friendlyName": ""}, 400, csp.EAzureInvalidFriendlyName},
			{"friendlyName with <", s.pc, http.MethodPost, s.entitlements(), map[string]string{"friendlyName": "a<b"}, 400, csp.EAzureInvalidFriendlyName},
			{"disabled to disabled", s.pc, http.MethodPost, s.entitlements() + "/" + e.ID + "/cancel", nil, 409, csp.EAzureSubscriptionStatusSame},
			{"unknown entitlement", s.pc, http.MethodPost, s.entitlements() + "/00000000-0000-4000-8000-000000000002/reactivate", nil, 404, csp.EAzureSubscriptionNotFound},
			{"unknown entitlement read", s.pc, http.MethodGet, s.entitlements() + "/00000000-0000-4000-8000-000000000002", nil, 404, csp.EAzureSubscriptionNotFound},
			{"sales agent cannot read billing", sales, http.MethodGet, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=usagelineitems&currencyCode=USD", nil, 403, csp.EForbiddenRole},
			{"unknown line item type", s.pc, http.MethodGet, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=ratedusage&currencyCode=USD", nil, 400, csp.EInvalidQuery},
			{"end before start", s.pc, http.MethodGet, util + "start_time=2026-01-05T12:00:00Z&end_time=2026-01-05T10:00:00Z&granularity=hourly", nil, 400, csp.EAzureInvalidUsageRange},
			{"end at start", s.pc, http.MethodGet, util + "start_time=2026-01-05T00:00:00Z&end_time=2026-01-05T00:00:00Z", nil, 400, csp.EAzureInvalidUsageRange},
			{"more than 90 days", s.pc, http.MethodGet, util + "start_time=2026-01-01T00:00:00Z&end_time=2026-04-02T00:00:00Z", nil, 400, csp.EAzureInvalidUsageRange},
			{"not a whole hour", s.pc, http.MethodGet, util + "start_time=2026-01-05T10:30:00Z&end_time=2026-01-05T12:00:00Z&granularity=hourly", nil, 400, csp.EAzureInvalidUsageRange},
			{"daily from mid-day", s.pc, http.MethodGet, util + "start_time=2026-01-05T10:00:00Z&end_time=2026-01-06T00:00:00Z", nil, 400, csp.EAzureDailyRangeNotWhole},
			{"bad granularity", s.pc, http.MethodGet, util + "start_time=2026-01-05T00:00:00Z&end_time=2026-01-06T00:00:00Z&granularity=weekly", nil, 400, csp.EAzureInvalidGranularity},
			{"bad show_details", s.pc, http.MethodGet, util + "start_time=2026-01-05T00:00:00Z&end_time=2026-01-06T00:00:00Z&show_details=maybe", nil, 400, csp.EAzureInvalidShowDetails},
			{"no start_time", s.pc, http.MethodGet, util + "end_time=2026-01-06T00:00:00Z", nil, 400, csp.EAzureInvalidUsageTime},
			{"start_time not a date-time", s.pc, http.MethodGet, util + "start_time=yesterday&end_time=2026-01-06T00:00:00Z", nil, 400, csp.EAzureInvalidUsageTime},
			{"usage of the Azure plan itself", s.pc, http.MethodGet, cust + "/subscriptions/" + s.plan + "/utilizations/azure?start_time=2026-01-05T00:00:00Z&end_time=2026-01-06T00:00:00Z", nil, 400, csp.EAzurePlanHasNoUtilization},
			{"usage of an unknown subscription", s.pc, http.MethodGet, cust + "/subscriptions/00000000-0000-4000-8000-000000000003/utilizations/azure?start_time=2026-01-05T00:00:00Z&end_time=2026-01-06T00:00:00Z", nil, 404, csp.ESubscriptionNotFound},
			{"negative budget", s.pc, http.MethodPatch, cust + "/usagebudget", map[string]any{"amount": -5}, 400, csp.EAzureInvalidBudget},
			{"budget without amount", s.pc, http.MethodPatch, cust + "/usagebudget", map[string]any{"attributes": map[string]string{"objectType": "SpendingBudget"}}, 400, csp.EAzureBudgetAmountRequired},
			{"another partner's budget", otherPC, http.MethodPatch, cust + "/usagebudget", map[string]any{"amount": 5}, 404, csp.ECustomerNotFound},
			{"sales agent reads usage", sales, http.MethodGet, cust + "/usagebudget", nil, 200, 0},
		} {
			_, err := c.pc.Do(w.ctx, c.method, c.path, c.body, nil, nil)
			if c.status == 200 {
				if err != nil {
					t.Errorf("%s: %v", c.what, err)
				}
				continue
			}
			t.Run(c.what, func(t *testing.T) { wantAPIError(t, err, c.status, int(c.code)) })
		}
		if after := w.Dump() + w.DumpTables(azureTables...); after != before {
			t.Errorf("refused calls changed the database:\nbefore\n%s\nafter\n%s", before, after)
		}
		// Reactivating after the refusals works, and a second time is refused.
		if on, _, err := s.status(e.ID, "reactivate"); err != nil || on.Status != "active" {
			t.Fatalf("reactivate %+v %v", on, err)
		}
		_, _, err = s.status(e.ID, "reactivate")
		wantAPIError(t, err, 409, int(csp.EAzureSubscriptionStatusSame))
	})
}
