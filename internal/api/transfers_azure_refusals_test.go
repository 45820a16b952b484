package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestAzureTransferRefusals: each refused Azure transfer call answers its
// status and code and changes nothing (the Azure tables and the holdings
// included).
func TestAzureTransferRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newAzureTransferWorld(t, w)
		cust := x.src.customer
		// The source's second Azure subscription, disabled, and a third
		// (Staging); a licence subscription.
		var dev entitlementJSON
		if _, err := x.src.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust+"/subscriptions/"+x.srcPlan+"/azureEntitlements", map[string]string{"friendlyName": "Dev"}, &dev, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := x.src.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust+"/subscriptions/"+x.srcPlan+"/azureEntitlements/"+dev.ID+"/cancel", nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		var staging entitlementJSON
		if _, err := x.src.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust+"/subscriptions/"+x.srcPlan+"/azureEntitlements", map[string]string{"friendlyName": "Staging"}, &staging, nil); err != nil {
			t.Fatal(err)
		}
		licence := x.src.buy(t, cartLine{CatalogItemID: premium, Quantity: 2, TermDuration: "P1Y", BillingCycle: "monthly"})
		// The target's own Azure plan and Azure subscription.
		out, err := x.tgt.checkout(t, x.tgt.cart(t, cartLine{CatalogItemID: azurePlanItem, Quantity: 1, BillingCycle: "monthly"}).ID)
		if err != nil {
			t.Fatal(err)
		}
		tgtPlan := out.Orders[0].LineItems[0].SubscriptionID
		var own entitlementJSON
		if _, err := x.tgt.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust+"/subscriptions/"+tgtPlan+"/azureEntitlements", map[string]string{"friendlyName": "Theirs"}, &own, nil); err != nil {
			t.Fatal(err)
		}
		// A second target the customer accepted without attesting the
		// agreement with it, and a third whose Azure plan is suspended.
		_, litware := w.MustPartner(designPartner("Litware Cloud"))
		_, adatum := w.MustPartner(designPartner("Adatum Cloud"))
		admin := w.MustAdmin(cust, "contoso.onmicrosoft.com")
		for _, pc := range []*client.Client{litware, adatum} {
			if _, err := admin.AcceptInvitation(w.ctx, mustLink(t, w, pc)); err != nil {
				t.Fatal(err)
			}
		}
		ad := &shop{w: w, pc: adatum, customer: cust}
		ad.agree(t)
		out, err = ad.checkout(t, ad.cart(t, cartLine{CatalogItemID: azurePlanItem, Quantity: 1, BillingCycle: "monthly"}).ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ad.patch(out.Orders[0].LineItems[0].SubscriptionID, map[string]any{"status": "suspended"}); err != nil {
			t.Fatal(err)
		}

		create := func(pc *client.Client) string {
			return x.do(t, pc, http.MethodPost, x.base, map[string]any{"sourcePartnerTenantId": x.srcID, "customerEmailId": "gena@contoso.example", "transferType": 3}).ID
		}
		line := func(subs ...string) map[string]any {
			var items []map[string]any
			for _, s := range subs {
				items = append(items, map[string]any{"subscriptionId": s})
			}
			return map[string]any{"lineItems": items}
		}
		open := x.base + "/" + create(x.tgt.pc)
		// Another open transfer holds the Azure subscription.
		held := x.base + "/" + create(x.tgt.pc)
		x.do(t, x.src.pc, http.MethodPatch, held, line(x.sub))
		nce := x.base + "/" + x.do(t, x.tgt.pc, http.MethodPost, x.base, map[string]any{"sourcePartnerTenantId": x.srcID, "customerEmailId": "gena@contoso.example"}).ID
		// A line accepted, then its Azure subscription disabled before the submit.
		var qa entitlementJSON
		if _, err := x.src.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust+"/subscriptions/"+x.srcPlan+"/azureEntitlements", map[string]string{"friendlyName": "QA"}, &qa, nil); err != nil {
			t.Fatal(err)
		}
		late := x.base + "/" + create(x.tgt.pc)
		x.do(t, x.src.pc, http.MethodPatch, late, line(qa.ID))
		if _, err := x.src.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust+"/subscriptions/"+x.srcPlan+"/azureEntitlements/"+qa.ID+"/cancel", nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		noAgreement := x.base + "/" + create(litware)
		suspendedPlan := x.base + "/" + create(adatum)
		// A fourth target the customer accepted and attested the agreement
		// with, and no Azure plan: then the operator's catalog stops
		// selling the Azure plan in the US, so the target cannot buy one.
		_, proseware := w.MustPartner(designPartner("Proseware Cloud"))
		if _, err := admin.AcceptInvitation(w.ctx, mustLink(t, w, proseware)); err != nil {
			t.Fatal(err)
		}
		(&shop{w: w, pc: proseware, customer: cust}).agree(t)
		notSellable := x.base + "/" + create(proseware)
		var doc map[string]any
		if _, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/catalog", nil, &doc, nil); err != nil {
			t.Fatal(err)
		}
		for _, p := range doc["products"].([]any) {
			if p := p.(map[string]any); p["id"] == "DZH318Z0BPS6" {
				for _, av := range p["skus"].([]any)[0].(map[string]any)["availabilities"].([]any) {
					av.(map[string]any)["countries"] = []string{"CA"}
				}
			}
		}
		doc["version"] = "2026-03-no-azure-in-us"
		if _, err := w.op.Do(w.ctx, http.MethodPut, "/admin/v1/catalog", doc, nil, nil); err != nil {
			t.Fatal(err)
		}

		before := w.Dump() + w.DumpTables(azureTables...)
		for _, c := range []struct {
			what         string
			pc           *client.Client
			method, path string
			body         any
			status       int
			code         csp.Code
		}{
			{"transferType 3 for licences", x.tgt.pc, http.MethodPost, x.base, map[string]any{"sourcePartnerTenantId": x.srcID, "customerEmailId": "gena@contoso.example",
				"transferType": 3, "targetProductTypes": []string{"OnlineServicesNCE"}}, 400, csp.ETransferTypeProducts},
			{"the target's own Azure subscription", x.src.pc, http.MethodPatch, open, line(own.ID), 400, csp.ETransferLineSubscription},
			{"the target's own Azure plan", x.src.pc, http.MethodPatch, open, line(tgtPlan), 400, csp.ETransferLineSubscription},
			{"a disabled Azure subscription", x.src.pc, http.MethodPatch, open, line(dev.ID), 400, csp.ETransferLineNotActive},
			{"the plan with a disabled Azure subscription", x.src.pc, http.MethodPatch, open, line(x.srcPlan), 400, csp.ETransferLineNotActive},
			{"a licence on an Azure transfer", x.src.pc, http.MethodPatch, open, line(licence), 400, csp.ETransferAzureLineKind},
			{"an Azure subscription on a NewCommerce transfer", x.src.pc, http.MethodPatch, nce, map[string]any{"lineItems": []map[string]any{{"subscriptionId": x.sub, "quantity": 1}}}, 400, csp.ETransferAzureLineKind},
			{"quantity 2", x.src.pc, http.MethodPatch, open, map[string]any{"lineItems": []map[string]any{{"subscriptionId": x.sub, "quantity": 2}}}, 400, csp.ETransferLineQuantity},
			{"on another open transfer", x.src.pc, http.MethodPatch, open, line(x.sub), 409, csp.ETransferLineInOtherTransfer},
			{"the target without the agreement", x.src.pc, http.MethodPatch, noAgreement, line(staging.ID), 400, csp.ETransferAzureTargetAgreement},
			{"the target may not buy the Azure plan", x.src.pc, http.MethodPatch, notSellable, line(staging.ID), 400, csp.ETransferAzurePlanNotSellable},
			{"the target's Azure plan suspended", x.src.pc, http.MethodPatch, suspendedPlan, line(staging.ID), 409, csp.ETransferAzureTargetPlanBlocked},
			{"submit after the line's Azure subscription was disabled", x.src.pc, http.MethodPost, late + "/submit", nil, 400, csp.ETransferLineNotActive},
			{"submit without lines", x.src.pc, http.MethodPost, noAgreement + "/submit", nil, 400, csp.ETransferNoLines},
		} {
			_, err := c.pc.Do(w.ctx, c.method, c.path, c.body, nil, nil)
			if err == nil {
				t.Errorf("%s: accepted", c.what)
				continue
			}
			e, ok := err.(*client.Error)
			if !ok || e.Status != c.status || e.Code != int(c.code) {
				t.Errorf("%s: %v, want %d code %d", c.what, err, c.status, c.code)
			}
		}
		if after := w.Dump() + w.DumpTables(azureTables...); after != before {
			t.Errorf("refused calls changed the database:\nbefore\n%s\nafter\n%s", before, after)
		}
	})
}

// TestAzureTransferFailsOnApproval: under the source's review policy an
// Azure subscription disabled between the submit and the approval makes
// the transfer Failed with the line's transferError, and nothing moves:
// the Azure subscription, its role assignments and the holdings are as
// before, and the target has no Azure plan.
func TestAzureTransferFailsOnApproval(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newAzureTransferWorld(t, w)
		if _, err := x.src.pc.Do(w.ctx, http.MethodPut, "/v1/transferPolicy", map[string]string{"outgoing": "review"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		x.src.advanceTo(t, "2026-03-15T14:00:00Z")
		path := x.base + "/" + x.create(t).ID
		x.do(t, x.src.pc, http.MethodPatch, path, map[string]any{"lineItems": []map[string]any{{"subscriptionId": x.srcPlan}}})
		if tr := x.do(t, x.src.pc, http.MethodPost, path+"/submit", nil); tr.Status != "InProgress" {
			t.Fatalf("submitted under review: %s", tr.Status)
		}
		if _, err := x.src.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+x.src.customer+"/subscriptions/"+x.srcPlan+"/azureEntitlements/"+x.sub+"/cancel", nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		before := w.DumpTables(azureTables...) + w.DumpTables("subscriptions", "orders")
		tr := x.do(t, x.src.pc, http.MethodPost, path+"/approve", nil)
		if tr.Status != "Failed" || tr.LineItems[0].Status != "Failed" || !strings.Contains(tr.LineItems[0].TransferError, "disabled") || tr.LineItems[0].TransferredCount != 0 {
			t.Fatalf("approved: %+v", tr)
		}
		if after := w.DumpTables(azureTables...) + w.DumpTables("subscriptions", "orders"); after != before {
			t.Errorf("a failed transfer moved something:\nbefore\n%s\nafter\n%s", before, after)
		}
	})
}
