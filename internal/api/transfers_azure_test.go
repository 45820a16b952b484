package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// azureTransferWorld is a customer (Contoso, US) of a source partner
// (Northwind) with an Azure plan bought 2026-03-01 and one Azure
// subscription, Production, running two Standard_B2s in eastus ($0.0416 an
// hour each) from 2026-03-02T09:00; the customer's own user reader holds
// Reader on the subscription. A target partner (Tailspin) whose invitation
// the customer accepted, with the customer's agreement attested.
type azureTransferWorld struct {
	w                    *world
	src, tgt             *shop
	srcID, tgtID         string
	srcPlan, sub, base   string
	vms                  []string // the virtual machines' ARM paths
	readerID             string
	reader, srcARM       *client.Client
	srcPartner, tgtParty uuid.UUID
}

func newAzureTransferWorld(t *testing.T, w *world) *azureTransferWorld {
	t.Helper()
	sp, spc := w.MustPartner(designPartner("Northwind Cloud"))
	tp, tpc := w.MustPartner(designPartner("Tailspin Cloud"))
	c := w.MustCustomer(spc, customer("Contoso", "contoso", "US"))
	x := &azureTransferWorld{w: w, src: &shop{w: w, pc: spc, customer: c.ID}, tgt: &shop{w: w, pc: tpc, customer: c.ID},
		srcID: sp.ID.String(), tgtID: tp.ID.String(), base: "/v1/customers/" + c.ID + "/transfers", srcPartner: sp.ID, tgtParty: tp.ID}
	x.src.advanceTo(t, "2026-03-01T10:00:00Z")
	x.src.agree(t)
	out, err := x.src.checkout(t, x.src.cart(t, cartLine{CatalogItemID: azurePlanItem, Quantity: 1, BillingCycle: "monthly"}).ID)
	if err != nil {
		t.Fatal(err)
	}
	x.srcPlan = out.Orders[0].LineItems[0].SubscriptionID
	var e entitlementJSON
	if _, err := spc.Do(w.ctx, http.MethodPost, "/v1/customers/"+c.ID+"/subscriptions/"+x.srcPlan+"/azureEntitlements", map[string]string{"friendlyName": "Production"}, &e, nil); err != nil {
		t.Fatal(err)
	}
	x.sub = e.ID
	admin := w.MustAdmin(c.ID, "contoso.onmicrosoft.com")
	if _, err := admin.AcceptInvitation(w.ctx, mustLink(t, w, tpc)); err != nil {
		t.Fatal(err)
	}
	x.tgt.agree(t)

	x.srcARM = armToken(t, w, spc, c.ID)
	x.src.advanceTo(t, "2026-03-02T09:00:00Z")
	rg := "/subscriptions/" + x.sub + "/resourceGroups/web"
	if st, e := armCall(t, w, x.srcARM, http.MethodPut, rg, map[string]any{"location": "eastus"}, nil); st != 201 {
		t.Fatalf("group: %d %+v", st, e)
	}
	for _, name := range []string{"vm1", "vm2"} {
		vm := rg + "/providers/Microsoft.Compute/virtualMachines/" + name
		if st, e := armCall(t, w, x.srcARM, http.MethodPut, vm, vmBody("Standard_B2s"), nil); st != 201 {
			t.Fatalf("%s: %d %+v", name, st, e)
		}
		x.vms = append(x.vms, vm)
	}
	// The customer's own user, with Reader on the subscription.
	g := graphAs(t, w, admin, c.ID)
	var u graphUserJSON
	if st, e := graphCall(t, w, g, http.MethodPost, "/users", newUser("reader@contoso.onmicrosoft.com", "reader"), &u); st != http.StatusCreated {
		t.Fatalf("reader: %d %+v", st, e)
	}
	x.readerID = u.ID
	k, err := w.op.MintTenantKey(w.ctx, uuid.MustParse(c.ID), "reader@contoso.onmicrosoft.com")
	if err != nil {
		t.Fatal(err)
	}
	x.reader = armToken(t, w, client.New(w.url, k.APIKey), c.ID)
	subID := uuid.MustParse(x.sub)
	body := map[string]any{"properties": map[string]any{"roleDefinitionId": azure.RoleDefinitionPath(subID, azure.RoleReader), "principalId": u.ID, "principalType": "User"}}
	if st, e := armCall(t, w, x.srcARM, http.MethodPut, "/subscriptions/"+x.sub+"/providers/Microsoft.Authorization/roleAssignments/"+uuid.NewString(), body, nil); st != 201 {
		t.Fatalf("reader's assignment: %d %+v", st, e)
	}
	return x
}

func mustLink(t *testing.T, w *world, pc *client.Client) string {
	t.Helper()
	link, err := pc.RelationshipRequestURL(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return link
}

func (x *azureTransferWorld) do(t *testing.T, pc *client.Client, method, path string, body any) transferOut {
	t.Helper()
	var out transferOut
	if _, err := pc.Do(x.w.ctx, method, path, body, &out, nil); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return out
}

// create is the target's Azure transfer request.
func (x *azureTransferWorld) create(t *testing.T) transferOut {
	t.Helper()
	return x.do(t, x.tgt.pc, http.MethodPost, x.base, map[string]any{"sourcePartnerTenantId": x.srcID, "customerEmailId": "gena@contoso.example",
		"transferType": 3, "targetProductTypes": []string{"AzureSubscription"}})
}

// usageLines reads a partner's unbilled usage lines of the current month
// as "day entitlement plan quantity amount" and their total.
func (x *azureTransferWorld) usageLines(t *testing.T, pc *client.Client) ([]string, decimal.Decimal) {
	t.Helper()
	var lines struct {
		Items []struct {
			UsageDate          string      `json:"usageDate"`
			Quantity           json.Number `json:"quantity"`
			PricingPreTaxTotal json.Number `json:"pricingPreTaxTotal"`
			SubscriptionID     string      `json:"subscriptionId"`
			EntitlementID      string      `json:"entitlementId"`
			PartnerID          string      `json:"partnerId"`
			ResourceURI        string      `json:"resourceUri"`
		} `json:"items"`
	}
	if _, err := pc.Do(x.w.ctx, http.MethodGet, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=usagelineitems&currencyCode=USD&period=current&size=2000", nil, &lines, nil); err != nil {
		t.Fatal(err)
	}
	var out []string
	total := decimal.Zero
	for _, l := range lines.Items {
		vm := l.ResourceURI[strings.LastIndex(l.ResourceURI, "/")+1:]
		out = append(out, fmt.Sprintf("%s %s %s %s %s %s", l.UsageDate[:10], vm, l.SubscriptionID, l.PartnerID, l.Quantity, l.PricingPreTaxTotal))
		if l.EntitlementID != x.sub {
			t.Errorf("line of entitlement %s, want %s", l.EntitlementID, x.sub)
		}
		total = total.Add(decimal.RequireFromString(l.PricingPreTaxTotal.String()))
	}
	return out, total
}

// spend reads a partner's month-to-date spend for Contoso in March 2026.
func (x *azureTransferWorld) spend(t *testing.T, partner uuid.UUID) string {
	t.Helper()
	rows, err := x.w.db.WritePool().QueryContext(context.Background(), "SELECT partner_id, amount FROM azure_spend")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p, amount string
		if err := rows.Scan(&p, &amount); err != nil {
			t.Fatal(err)
		}
		if strings.EqualFold(p, partner.String()) {
			return decimal.RequireFromString(amount).String()
		}
	}
	return "none"
}

// hourly is a B2s's amount for a day of so many hours: hours × 0.0416.
var hourly = map[int]string{10: "0.416", 14: "0.5824", 15: "0.624", 24: "0.9984"}

// wantDays is the lines of both virtual machines for the days given, with
// each day's hours.
func wantDays(plan, partner string, days map[string]int) []string {
	var out []string
	for _, day := range sortedKeys(days) {
		for _, vm := range []string{"vm1", "vm2"} {
			out = append(out, fmt.Sprintf("%s %s %s %s %d %s", day, vm, plan, partner, days[day], hourly[days[day]]))
		}
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestAzureTransfer: the Azure subscription with two running B2s moves
// at 2026-03-15T14:00 (submitted under the automatic policy at that
// hour). The source bills 09:00 on 03-02 to 14:00 on 03-15: 15 hours on
// 03-02 (0.624 a VM), 24 on each of 03-03..03-14 (0.9984), 14 on 03-15
// (0.5824): 317 hours a VM, 317 × 0.0416 = 13.1872, 26.3744 for both. The
// target bills from 14:00 on 03-15, read at 03-17T00:00: 10 hours on
// 03-15 (0.416) and 24 on 03-16 (0.9984): 34 hours a VM, 1.4144, 2.8288
// for both. The month-to-date spend splits the same way.
func TestAzureTransfer(t *testing.T) {
	for _, c := range []struct {
		name      string
		reuse     bool // the target bought its Azure plan already
		planLine  bool // the line names the source's Azure plan, not the Azure subscription
		wantPlans int  // the target's Azure plans after
	}{
		{"target's plan created", false, false, 1},
		{"target's plan reused, the plan's line", true, true, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			forEachEngine(t, func(t *testing.T, w *world) {
				x := newAzureTransferWorld(t, w)
				var tgtPlan string
				if c.reuse {
					out, err := x.tgt.checkout(t, x.tgt.cart(t, cartLine{CatalogItemID: azurePlanItem, Quantity: 1, BillingCycle: "monthly"}).ID)
					if err != nil {
						t.Fatal(err)
					}
					tgtPlan = out.Orders[0].LineItems[0].SubscriptionID
				}
				x.src.advanceTo(t, "2026-03-15T14:00:00Z")
				tr := x.create(t)
				if tr.TransferType != 3 || tr.Status != "Active" {
					t.Fatalf("created %+v", tr)
				}
				named := x.sub
				if c.planLine {
					named = x.srcPlan
				}
				tr = x.do(t, x.src.pc, http.MethodPatch, x.base+"/"+tr.ID, map[string]any{"lineItems": []map[string]any{{"subscriptionId": named}}})
				if l := tr.LineItems[0]; l.Quantity != 1 || l.OfferID != "DZH318Z0BPS6:0001" {
					t.Fatalf("line %+v", l)
				}
				tr = x.do(t, x.src.pc, http.MethodPost, x.base+"/"+tr.ID+"/submit", nil)
				if tr.Status != "Completed" || tr.CompletedTime == nil || tr.CompletedTime.Format("2006-01-02T15:04") != "2026-03-15T14:00" || tr.LineItems[0].TransferredCount != 1 {
					t.Fatalf("submitted: %+v", tr)
				}
				landed := tr.LineItems[0].TransferTargetSubscriptionID
				if c.reuse && landed != tgtPlan {
					t.Errorf("landed under %s, want the target's plan %s", landed, tgtPlan)
				}
				// The target's Azure plan lists the Azure subscription; the source's no longer does.
				var ents client.Collection[entitlementJSON]
				if _, err := x.tgt.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+x.src.customer+"/subscriptions/"+landed+"/azureEntitlements", nil, &ents, nil); err != nil ||
					len(ents.Items) != 1 || ents.Items[0].ID != x.sub || ents.Items[0].PartnerID != x.tgtID || ents.Items[0].SubscriptionID != landed {
					t.Fatalf("target's entitlements %+v %v", ents.Items, err)
				}
				if _, err := x.src.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+x.src.customer+"/subscriptions/"+x.srcPlan+"/azureEntitlements", nil, &ents, nil); err != nil || len(ents.Items) != 0 {
					t.Errorf("source's entitlements %+v %v", ents.Items, err)
				}
				if got := x.tgt.sub(t, landed); got.Status != "active" || got.OfferID != "DZH318Z0BPS6:0001" {
					t.Errorf("target's plan %+v", got)
				}
				var orders client.Collection[map[string]any]
				if _, err := x.tgt.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+x.src.customer+"/orders", nil, &orders, nil); err != nil || len(orders.Items) != c.wantPlans {
					t.Errorf("target's orders %d (%v), want %d", len(orders.Items), err, c.wantPlans)
				}

				x.src.advanceTo(t, "2026-03-17T00:00:00Z")
				srcDays := map[string]int{"2026-03-02": 15, "2026-03-15": 14}
				for d := 3; d <= 14; d++ {
					srcDays[fmt.Sprintf("2026-03-%02d", d)] = 24
				}
				got, total := x.usageLines(t, x.src.pc)
				if want := wantDays(x.srcPlan, x.srcID, srcDays); strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("source's lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				if total.String() != "26.3744" {
					t.Errorf("source's total %s, want 26.3744 (2 × 317 h × 0.0416)", total)
				}
				got, total = x.usageLines(t, x.tgt.pc)
				if want := wantDays(landed, x.tgtID, map[string]int{"2026-03-15": 10, "2026-03-16": 24}); strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("target's lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				if total.String() != "2.8288" {
					t.Errorf("target's total %s, want 2.8288 (2 × 34 h × 0.0416)", total)
				}
				if s, tg := x.spend(t, x.srcPartner), x.spend(t, x.tgtParty); s != "26.3744" || tg != "2.8288" {
					t.Errorf("month-to-date spend: source %s, target %s; want 26.3744 and 2.8288", s, tg)
				}

				// Utilization: the target reads its own hours of 03-15 (14:00..23:00, 2 VMs:
				// 20 records), the source no longer reads the Azure subscription.
				util := "/v1/customers/" + x.src.customer + "/subscriptions/" + x.sub + "/utilizations/azure?start_time=2026-03-15T00:00:00Z&end_time=2026-03-16T00:00:00Z&granularity=hourly&show_details=true&size=100"
				var recs struct {
					Items []utilizationRecord `json:"items"`
				}
				if _, err := x.tgt.pc.Do(w.ctx, http.MethodGet, util, nil, &recs, nil); err != nil || len(recs.Items) != 20 || recs.Items[0].UsageStartTime.Format("15:04") != "14:00" {
					t.Errorf("target's utilization: %d records (%v)", len(recs.Items), err)
				}
				_, err := x.src.pc.Do(w.ctx, http.MethodGet, util, nil, nil, nil)
				wantAPIError(t, err, 404, int(csp.ESubscriptionNotFound))

				// Admin on behalf of: the target's agents manage the VMs, the source's are refused.
				tgtARM := armToken(t, w, x.tgt.pc, x.src.customer)
				if st, e := armCall(t, w, tgtARM, http.MethodPost, x.vms[1]+"/deallocate", nil, nil); st != 200 {
					t.Errorf("target deallocates vm2: %d %+v", st, e)
				}
				st, e := armCall(t, w, x.srcARM, http.MethodGet, x.vms[0], nil, nil)
				wantARMError(t, "source reads vm1", st, e, 403, "AuthorizationFailed", csp.EAzureAuthorizationFailed)
				// The customer's Reader survives; the assignments are the target's Owner and it.
				if st, e := armCall(t, w, x.reader, http.MethodGet, x.vms[0], nil, nil); st != 200 {
					t.Errorf("reader reads vm1: %d %+v", st, e)
				}
				var ras armListJSON
				if st, e := armCall(t, w, tgtARM, http.MethodGet, "/subscriptions/"+x.sub+"/providers/Microsoft.Authorization/roleAssignments", nil, &ras); st != 200 {
					t.Fatalf("assignments: %d %+v", st, e)
				}
				var held []string
				for _, ra := range ras.Value {
					role := ra.Properties.RoleDefinitionID[strings.LastIndex(ra.Properties.RoleDefinitionID, "/")+1:]
					held = append(held, app.AzureRoleName(uuid.MustParse(role))+" "+ra.Properties.PrincipalID)
				}
				slices.Sort(held)
				if got, want := strings.Join(held, ","), "Owner "+x.tgtID+",Reader "+x.readerID; got != want {
					t.Errorf("assignments %s, want %s", got, want)
				}
				// Both audit logs.
				for name, pc := range map[string]*client.Client{"source": x.src.pc, "target": x.tgt.pc} {
					var recs client.Collection[map[string]any]
					if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/auditrecords?startDate=2026-03-15", nil, &recs, nil); err != nil {
						t.Fatal(err)
					}
					var ops []string
					for _, r := range recs.Items {
						ops = append(ops, r["operationType"].(string))
					}
					want := map[string]string{"source": "create_transfer,update_transfer_line_items,submit_transfer,delete_role_assignment,transfer_azure_entitlement,complete_transfer",
						"target": "create_transfer,update_transfer_line_items,submit_transfer,create_role_assignment,transfer_azure_entitlement,complete_transfer"}[name]
					if name == "target" && !c.reuse {
						want = strings.Replace(want, "submit_transfer,", "submit_transfer,create_order,", 1)
					}
					if got := strings.Join(ops, ","); got != want {
						t.Errorf("%s's audit: %s\nwant %s", name, got, want)
					}
				}
			})
		})
	}
}
