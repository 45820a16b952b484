package api_test

import (
	"net/http"
	"testing"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestTransferFlows: the review policy, expiry, and each party's way to
// end a request, with the customer seeing every transfer of its tenant.
func TestTransferFlows(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newTransferWorld(t, w)
		x.src.advanceTo(t, "2026-04-01T09:00:00Z")

		// Review: submit waits, InProgress, for the source's approval.
		if _, err := x.src.pc.Do(w.ctx, http.MethodPut, "/v1/transferPolicy", map[string]string{"outgoing": "review"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		reviewed := x.create(t)
		x.lines(t, reviewed.ID, 3)
		if tr := x.do(t, x.src.pc, http.MethodPost, x.base+"/"+reviewed.ID+"/submit", nil); tr.Status != "InProgress" {
			t.Fatalf("submitted under review: %s", tr.Status)
		}
		if old := x.src.sub(t, x.sub); old.Quantity != 10 {
			t.Fatalf("seats moved before approval: %d", old.Quantity)
		}
		tr := x.do(t, x.src.pc, http.MethodPost, x.base+"/"+reviewed.ID+"/approve", nil)
		if tr.Status != "Completed" || tr.LineItems[0].TransferredCount != 3 {
			t.Fatalf("approved: %+v", tr)
		}
		if old := x.src.sub(t, x.sub); old.Quantity != 7 {
			t.Errorf("source keeps %d seats, want 7", old.Quantity)
		}

		// Cancel (target), decline (source), reject (customer).
		cancelled := x.create(t)
		if tr := x.do(t, x.tgt.pc, http.MethodPatch, x.base+"/"+cancelled.ID, map[string]string{"status": "Cancel"}); tr.Status != "Cancelled" {
			t.Errorf("cancel: %s", tr.Status)
		}
		declined := x.create(t)
		if tr := x.do(t, x.src.pc, http.MethodPatch, x.base+"/"+declined.ID, map[string]string{"status": "Decline"}); tr.Status != "Declined" {
			t.Errorf("decline: %s", tr.Status)
		}
		rejected := x.create(t)
		x.lines(t, rejected.ID, 2)
		x.do(t, x.src.pc, http.MethodPost, x.base+"/"+rejected.ID+"/submit", nil) // InProgress under review
		if tr := x.do(t, x.admin, http.MethodPost, "/tenant/v1/transfers/"+rejected.ID+"/reject", nil); tr.Status != "Rejected" {
			t.Errorf("reject: %s", tr.Status)
		}

		// Expiry: created 2026-04-01T09:00, expires 2026-05-01T09:00.
		lapsing := x.create(t)
		x.src.advanceTo(t, "2026-05-01T08:59:00Z")
		if tr := x.do(t, x.tgt.pc, http.MethodGet, x.base+"/"+lapsing.ID, nil); tr.Status != "Active" {
			t.Errorf("a minute before its expiry: %s", tr.Status)
		}
		x.src.advanceTo(t, "2026-05-01T09:00:00Z")
		if tr := x.do(t, x.tgt.pc, http.MethodGet, x.base+"/"+lapsing.ID, nil); tr.Status != "Expired" {
			t.Errorf("at its expiry: %s", tr.Status)
		}

		// The customer sees them all, oldest first.
		var list client.Collection[transferOut]
		if _, err := x.admin.Do(w.ctx, http.MethodGet, "/tenant/v1/transfers", nil, &list, nil); err != nil {
			t.Fatal(err)
		}
		var statuses []string
		for _, tr := range list.Items {
			statuses = append(statuses, tr.Status)
		}
		if got := len(statuses); got != 5 || statuses[0] != "Completed" || statuses[4] != "Expired" {
			t.Errorf("customer's transfers %v", statuses)
		}
		var mine client.Collection[transferOut]
		if _, err := x.src.pc.Do(w.ctx, http.MethodGet, x.base, nil, &mine, nil); err != nil || len(mine.Items) != 5 {
			t.Errorf("source lists %d (%v)", len(mine.Items), err)
		}
	})
}

// TestTransferRefusals: each refused transfer call answers its status and
// code and changes nothing.
func TestTransferRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newTransferWorld(t, w)
		// A trial, an Azure plan and a suspended subscription of the source;
		// a subscription of the target's own.
		suspended := x.src.buy(t, cartLine{CatalogItemID: basic, Quantity: 2, TermDuration: "P1Y", BillingCycle: "annual"})
		x.src.advanceTo(t, "2026-04-01T09:00:00Z")
		trial := x.src.buy(t, cartLine{CatalogItemID: premiumTrial, Quantity: 25, TermDuration: "P1M", BillingCycle: "monthly"})
		if _, err := x.src.patch(suspended, map[string]any{"status": "suspended"}); err != nil {
			t.Fatal(err)
		}
		x.tgt.agree(t)
		tgtOwn := x.tgt.buy(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		// Outsiders: a partner without the customer, an indirect reseller
		// the customer accepted, a partner outside the customer's market
		// the customer accepted, a sales agent of the target.
		outsiderPartner, outsider := w.MustPartner(client.NewPartner{Name: "Outsider Cloud", Country: "US", PartnerType: "direct"})
		prov, _ := w.MustPartner(client.NewPartner{Name: "Contoso Distribution", Country: "US", PartnerType: "indirectProvider"})
		_, reseller := w.MustPartner(client.NewPartner{Name: "Fabrikam IT", Country: "US", PartnerType: "indirectReseller", ProviderID: &prov.ID})
		eduPartner, edu := w.MustPartner(client.NewPartner{Name: "School Cloud", Country: "US", PartnerType: "direct"})
		for _, pc := range []*client.Client{reseller, edu} {
			link, _ := pc.RelationshipRequestURL(w.ctx)
			if _, err := x.admin.Do(w.ctx, http.MethodPost, "/tenant/v1/relationships", map[string]string{"invitationUrl": link}, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		// School Cloud narrows its sale policy to education after the customer accepted it.
		if _, err := w.op.Do(w.ctx, http.MethodPut, "/admin/v1/partners/"+eduPartner.ID.String()+"/salePolicy", map[string]any{"segments": []string{"education"}}, nil, nil); err != nil {
			t.Fatal(err)
		}
		tgtID := x.tgtID
		sales := w.MustUser(mustUUID(t, tgtID), "sales@tailspin.example", "salesAgent")
		user := w.MustAdmin(x.customer, "contoso.onmicrosoft.com")
		_ = user

		open := x.create(t)
		submittedReview := x.create(t)
		x.lines(t, submittedReview.ID, 1)
		if _, err := x.src.pc.Do(w.ctx, http.MethodPut, "/v1/transferPolicy", map[string]string{"outgoing": "review"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		x.do(t, x.src.pc, http.MethodPost, x.base+"/"+submittedReview.ID+"/submit", nil)
		closed := x.create(t)
		x.do(t, x.tgt.pc, http.MethodPatch, x.base+"/"+closed.ID, map[string]string{"status": "Cancel"})

		one := x.base + "/" + open.ID
		line := func(sub string, qty int) map[string]any {
			return map[string]any{"lineItems": []map[string]any{{"subscriptionId": sub, "quantity": qty}}}
		}
		create := func(change func(m map[string]any)) map[string]any {
			m := map[string]any{"sourcePartnerTenantId": x.srcID, "customerEmailId": "gena@contoso.example"}
			change(m)
			return m
		}
		many := make([]map[string]any, 26)
		for i := range many {
			many[i] = map[string]any{"subscriptionId": x.sub, "quantity": 1}
		}
		before := w.Dump() + w.DumpTables("transfers", "transfer_policies")
		for _, c := range []struct {
			what         string
			pc           *client.Client
			method, path string
			body         any
			ifMatch      string
			status       int
			code         csp.Code
		}{
			{"no sourcePartnerTenantId", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { delete(m, "sourcePartnerTenantId") }), "", 400, csp.ETransferSourceRequired},
			{"sourcePartnerTenantId not a GUID", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { m["sourcePartnerTenantId"] = "northwind" }), "", 400, csp.ETransferSourceRequired},
			{"unknown source", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { m["sourcePartnerTenantId"] = "00000000-0000-4000-8000-000000000009" }), "", 404, csp.ETransferSourceNotFound},
			{"source is the target", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { m["sourcePartnerTenantId"] = tgtID }), "", 400, csp.ETransferSamePartner},
			{"targetPartnerTenantId another partner", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { m["targetPartnerTenantId"] = x.srcID }), "", 400, csp.ETransferTargetNotCaller},
			{"no customerEmailId", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { delete(m, "customerEmailId") }), "", 400, csp.ETransferCustomerEmail},
			{"transferType 4", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { m["transferType"] = 4 }), "", 400, csp.ETransferType},
			{"transferType 3 for licences", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { m["transferType"], m["targetProductTypes"] = 3, []string{"OnlineServicesNCE"} }), "", 400, csp.ETransferTypeProducts},
			{"unknown product type", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { m["targetProductTypes"] = []string{"Licences"} }), "", 400, csp.ETransferProductType},
			{"body not JSON", x.tgt.pc, http.MethodPost, x.base, "nope", "", 400, csp.EInvalidBody},
			{"target without the customer", outsider, http.MethodPost, x.base, create(func(map[string]any) {}), "", 404, csp.ECustomerNotFound},
			{"reseller target", reseller, http.MethodPost, x.base, create(func(map[string]any) {}), "", 400, csp.ETransferTargetReseller},
			{"target's sale policy", edu, http.MethodPost, x.base, create(func(map[string]any) {}), "", 400, csp.ETransferTargetSalePolicy},
			{"source without the customer", x.tgt.pc, http.MethodPost, x.base, create(func(m map[string]any) { m["sourcePartnerTenantId"] = outsiderPartner.ID.String() }), "", 400, csp.ETransferSourceNoRelationship},
			{"sales agent", sales, http.MethodPost, x.base, create(func(map[string]any) {}), "", 403, csp.EForbiddenRole},
			{"outsider reads", outsider, http.MethodGet, one, nil, "", 404, csp.ETransferNotFound},
			{"unknown transfer", x.src.pc, http.MethodGet, x.base + "/00000000-0000-4000-8000-000000000008", nil, "", 404, csp.ETransferNotFound},
			{"target adds lines", x.tgt.pc, http.MethodPatch, one, line(x.sub, 1), "", 403, csp.ETransferSourceOnly},
			{"source cancels", x.src.pc, http.MethodPatch, one, map[string]string{"status": "Cancel"}, "", 403, csp.ETransferTargetOnly},
			{"target declines", x.tgt.pc, http.MethodPatch, one, map[string]string{"status": "Decline"}, "", 403, csp.ETransferSourceOnly},
			{"unknown status", x.src.pc, http.MethodPatch, one, map[string]string{"status": "Completed"}, "", 400, csp.ETransferStatusValue},
			{"empty PATCH", x.src.pc, http.MethodPatch, one, map[string]string{}, "", 400, csp.EEmptyPatch},
			{"source changes customerEmailId", x.src.pc, http.MethodPatch, one, map[string]any{"customerEmailId": "x@y.example", "lineItems": []any{}}, "", 400, csp.ETransferReadOnlyField},
			{"stale If-Match", x.src.pc, http.MethodPatch, one, line(x.sub, 1), "eyJpZCI6IjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCIsInZlcnNpb24iOjF9", 412, csp.EPreconditionFailed},
			{"trial line", x.src.pc, http.MethodPatch, one, line(trial, 25), "", 400, csp.ETransferLineTrial},
			{"suspended line", x.src.pc, http.MethodPatch, one, line(suspended, 1), "", 400, csp.ETransferLineNotActive},
			{"the target's own subscription", x.src.pc, http.MethodPatch, one, line(tgtOwn, 1), "", 400, csp.ETransferLineSubscription},
			{"line subscriptionId not a GUID", x.src.pc, http.MethodPatch, one, line("premium", 1), "", 400, csp.ETransferLineSubscription},
			{"more seats than held", x.src.pc, http.MethodPatch, one, line(x.sub, 11), "", 400, csp.ETransferLineQuantity},
			{"zero seats", x.src.pc, http.MethodPatch, one, line(x.sub, 0), "", 400, csp.ETransferLineQuantity},
			{"26 lines", x.src.pc, http.MethodPatch, one, map[string]any{"lineItems": many}, "", 400, csp.ETransferTooManyLines},
			{"same subscription twice", x.src.pc, http.MethodPatch, one, map[string]any{"lineItems": many[:2]}, "", 400, csp.ETransferLineDuplicate},
			{"subscription on another open transfer", x.src.pc, http.MethodPatch, one, line(x.sub, 1), "", 409, csp.ETransferLineInOtherTransfer},
			{"submit without lines", x.src.pc, http.MethodPost, one + "/submit", nil, "", 400, csp.ETransferNoLines},
			{"target submits", x.tgt.pc, http.MethodPost, one + "/submit", nil, "", 403, csp.ETransferSourceOnly},
			{"approve an Active transfer", x.src.pc, http.MethodPost, one + "/approve", nil, "", 409, csp.ETransferNotAwaitingApproval},
			{"target approves", x.tgt.pc, http.MethodPost, x.base + "/" + submittedReview.ID + "/approve", nil, "", 403, csp.ETransferSourceOnly},
			{"submit twice", x.src.pc, http.MethodPost, x.base + "/" + submittedReview.ID + "/submit", nil, "", 409, csp.ETransferNotActive},
			{"cancel after submit", x.tgt.pc, http.MethodPatch, x.base + "/" + submittedReview.ID, map[string]string{"status": "Cancel"}, "", 409, csp.ETransferNotActive},
			{"lines after submit", x.src.pc, http.MethodPatch, x.base + "/" + submittedReview.ID, line(x.sub, 2), "", 409, csp.ETransferNotActive},
			{"decline a cancelled one", x.src.pc, http.MethodPatch, x.base + "/" + closed.ID, map[string]string{"status": "Decline"}, "", 409, csp.ETransferClosed},
			{"customer rejects a cancelled one", x.admin, http.MethodPost, "/tenant/v1/transfers/" + closed.ID + "/reject", nil, "", 409, csp.ETransferClosed},
			{"customer rejects an unknown one", x.admin, http.MethodPost, "/tenant/v1/transfers/00000000-0000-4000-8000-000000000007/reject", nil, "", 404, csp.ETransferNotFound},
			{"a partner key on the customer API", x.src.pc, http.MethodGet, "/tenant/v1/transfers", nil, "", 403, csp.EWrongAPI},
			{"bad policy", x.src.pc, http.MethodPut, "/v1/transferPolicy", map[string]string{"outgoing": "sometimes"}, "", 400, csp.ETransferPolicy},
			{"sales agent sets policy", sales, http.MethodPut, "/v1/transferPolicy", map[string]string{"outgoing": "review"}, "", 403, csp.EForbiddenRole},
		} {
			var h *client.Request
			if c.ifMatch != "" {
				h = &client.Request{IfMatch: c.ifMatch}
			}
			_, err := c.pc.Do(w.ctx, c.method, c.path, c.body, nil, h)
			if err == nil {
				t.Errorf("%s: accepted", c.what)
				continue
			}
			e, ok := err.(*client.Error)
			if !ok || e.Status != c.status || e.Code != int(c.code) {
				t.Errorf("%s: %v, want %d code %d", c.what, err, c.status, c.code)
			}
		}
		if after := w.Dump() + w.DumpTables("transfers", "transfer_policies"); after != before {
			t.Errorf("refused calls changed the database:\nbefore\n%s\nafter\n%s", before, after)
		}
	})
}
