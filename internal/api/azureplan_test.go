package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

const azurePlanItem = "DZH318Z0BPS6:0001:DZH318Z0BML6"

// azureShop is a partner whose US customer has an Azure plan, with the
// admin agent's ARM caller (the ARM HTTP API is not used here).
type azureShop struct {
	*shop
	partner uuid.UUID
	plan    string
	owner   app.ARMCaller
}

func newAzureShop(t *testing.T, w *world) *azureShop {
	t.Helper()
	p, err := w.op.CreatePartner(w.ctx, designPartner("Northwind Cloud"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := w.op.CreatePartnerUser(w.ctx, p.ID, client.NewPartnerUser{DisplayName: "Agent", Email: "agent@northwind.example", Roles: []string{"adminAgent"}})
	if err != nil {
		t.Fatal(err)
	}
	pc := client.New(w.url, k.APIKey)
	c := w.MustCustomer(pc, customer("Contoso", "contoso", "US"))
	s := &azureShop{shop: &shop{w: w, pc: pc, customer: c.ID}, partner: p.ID}
	s.agree(t)
	out, err := s.checkout(t, s.cart(t, cartLine{CatalogItemID: azurePlanItem, Quantity: 1, BillingCycle: "monthly"}).ID)
	if err != nil {
		t.Fatal(err)
	}
	s.plan = out.Orders[0].LineItems[0].SubscriptionID
	agent, err := w.app.Authenticate(w.ctx, k.APIKey, "")
	if err != nil {
		t.Fatal(err)
	}
	s.owner = app.ARMCaller{TenantID: uuid.MustParse(c.ID), Principal: agent, Caller: azure.Caller{PrincipalIDs: []uuid.UUID{agent.UserID}, AdminAgentOf: &agent.PartnerID}}
	return s
}

type entitlementJSON struct {
	ID             string    `json:"id"`
	FriendlyName   string    `json:"friendlyName"`
	Status         string    `json:"status"`
	SubscriptionID string    `json:"subscriptionId"`
	PartnerID      string    `json:"partnerId"`
	CreatedDate    time.Time `json:"createdDate"`
	StatusDate     time.Time `json:"statusDate"`
	Attributes     struct {
		ObjectType string `json:"objectType"`
	} `json:"attributes"`
}

func (s *azureShop) entitlements() string {
	return "/v1/customers/" + s.customer + "/subscriptions/" + s.plan + "/azureEntitlements"
}

func (s *azureShop) createEntitlement(name string) (entitlementJSON, error) {
	var e entitlementJSON
	_, err := s.pc.Do(s.w.ctx, http.MethodPost, s.entitlements(), map[string]string{"friendlyName": name}, &e, nil)
	return e, err
}

// status cancels or reactivates an entitlement.
func (s *azureShop) status(id, action string) (entitlementJSON, *client.Response, error) {
	var e entitlementJSON
	res, err := s.pc.Do(s.w.ctx, http.MethodPost, s.entitlements()+"/"+id+"/"+action, nil, &e, nil)
	return e, res, err
}

// runVM creates resource group "web" and a running Standard_B2s in eastus
// (US East, $0.0416 an hour in prices.tsv).
func (s *azureShop) runVM(t *testing.T, sub string) {
	t.Helper()
	id := uuid.MustParse(sub)
	if _, _, err := s.w.app.PutResourceGroup(s.w.ctx, s.owner, azure.GroupScope(id, "web"), "eastus", nil); err != nil {
		t.Fatal(err)
	}
	vm := azure.NewResourceID(id, "web", azure.TypeVirtualMachine, "vm1")
	if _, _, err := s.w.app.PutResource(s.w.ctx, s.owner, vm, azure.Spec{Location: "eastus", Sku: "Standard_B2s", Tags: map[string]string{"env": "prod"}}); err != nil {
		t.Fatal(err)
	}
}

type utilizationRecord struct {
	UsageStartTime time.Time `json:"usageStartTime"`
	UsageEndTime   time.Time `json:"usageEndTime"`
	Resource       struct {
		ID, Name, Category, Subcategory, Region string
	} `json:"resource"`
	Quantity     json.Number `json:"quantity"`
	Unit         string      `json:"unit"`
	InstanceData *struct {
		ResourceURI string            `json:"resourceUri"`
		Location    string            `json:"location"`
		Tags        map[string]string `json:"tags"`
	} `json:"instanceData"`
}

// utilization reads every page of a utilization query, size records a page,
// following links.next with its continuation header; it answers
// "start quantity" lines and the pages' sizes.
func (s *azureShop) utilization(t *testing.T, sub string, q url.Values) ([]string, []int, []utilizationRecord) {
	t.Helper()
	path := "/v1/customers/" + s.customer + "/subscriptions/" + sub + "/utilizations/azure?" + q.Encode()
	var lines []string
	var sizes []int
	var all []utilizationRecord
	opt := &client.Request{}
	for range 100 {
		var page struct {
			Items []utilizationRecord `json:"items"`
			client.Collection[json.RawMessage]
		}
		if _, err := s.pc.Do(s.w.ctx, http.MethodGet, path, nil, &page, opt); err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			lines = append(lines, r.UsageStartTime.Format("01-02T15")+" "+r.Quantity.String())
		}
		all = append(all, page.Items...)
		sizes = append(sizes, len(page.Items))
		next := page.Collection.Next()
		if next == "" {
			return lines, sizes, all
		}
		if n := page.Links["next"].URI; !strings.Contains(n, "seek_operation=Next") {
			t.Fatalf("links.next is %q, want seek_operation=Next", n)
		}
		opt = &client.Request{ContinuationToken: next}
	}
	t.Fatal("more than 100 pages")
	return nil, nil, nil
}

func query(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

func sumQuantities(t *testing.T, lines []string) decimal.Decimal {
	t.Helper()
	total := decimal.Zero
	for _, l := range lines {
		_, q, _ := strings.Cut(l, " ")
		total = total.Add(decimal.RequireFromString(q))
	}
	return total
}

// TestAzurePlanUsageThroughPartnerCenter creates an Azure subscription
// through the API, runs a Standard_B2s from 2026-01-05 09:20 for 2 days and
// 5 hours, and reads its usage by hour, by day and rated, with a budget
// crossed on the way; then disables it for 2h20m and re-enables it. Every
// number is worked by hand from the price file's $0.0416 an hour.
func TestAzurePlanUsageThroughPartnerCenter(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAzureShop(t, w)
		e, err := s.createEntitlement("Production")
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != "active" || e.FriendlyName != "Production" || e.SubscriptionID != s.plan || e.Attributes.ObjectType != "AzureEntitlement" || !e.CreatedDate.Equal(start) {
			t.Fatalf("created %+v", e)
		}
		var list struct {
			Items []entitlementJSON `json:"items"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, s.entitlements(), nil, &list, nil); err != nil || len(list.Items) != 1 || list.Items[0].ID != e.ID {
			t.Fatalf("list %+v %v", list, err)
		}
		var one entitlementJSON
		if _, err := s.pc.Do(w.ctx, http.MethodGet, s.entitlements()+"/"+e.ID, nil, &one, nil); err != nil || one.ID != e.ID {
			t.Fatalf("get %+v %v", one, err)
		}

		// A $1.00 budget, then the machine from 09:20.
		var budget struct {
			Amount     json.Number       `json:"amount"`
			Attributes map[string]string `json:"attributes"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodPatch, "/v1/customers/"+s.customer+"/usagebudget", map[string]any{"amount": 1.00, "attributes": map[string]string{"objectType": "SpendingBudget"}}, &budget, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/usagebudget", nil, &budget, nil); err != nil || budget.Amount.String() != "1" || budget.Attributes["objectType"] != "SpendingBudget" {
			t.Fatalf("budget %+v %v", budget, err)
		}
		s.advanceTo(t, "2026-01-05T09:20:00Z")
		s.runVM(t, e.ID)
		s.advanceTo(t, "2026-01-07T14:20:00Z") // 2 days and 5 hours later

		// Hourly: 40 minutes in the 09:00 hour, then 52 whole hours to 14:00 on the 7th.
		hourly, sizes, recs := s.utilization(t, e.ID, query("start_time", "2026-01-05T00:00:00Z", "end_time", "2026-01-08T00:00:00Z", "granularity", "hourly", "size", "10"))
		if len(hourly) != 53 || hourly[0] != "01-05T09 0.666667" || hourly[1] != "01-05T10 1" || hourly[52] != "01-07T13 1" {
			t.Fatalf("hourly: %d records %v", len(hourly), hourly)
		}
		if fmt.Sprint(sizes) != "[10 10 10 10 10 3]" {
			t.Errorf("page sizes %v", sizes)
		}
		if got := sumQuantities(t, hourly); got.String() != "52.666667" {
			t.Errorf("hours %s, want 52.666667", got)
		}
		r := recs[0]
		vm := "/subscriptions/" + e.ID + "/resourceGroups/web/providers/Microsoft.Compute/virtualMachines/vm1"
		if r.Unit != "1 Hour" || r.Resource.Name != "B2s" || r.Resource.Category != "Virtual Machines" || r.Resource.Subcategory != "BS Series" || r.Resource.Region != "US East" ||
			r.Resource.ID != "a9cc35b4-4f63-5311-8f85-78c01a47ad73" || r.InstanceData == nil || !strings.EqualFold(r.InstanceData.ResourceURI, vm) ||
			r.InstanceData.Location != "eastus" || r.InstanceData.Tags["env"] != "prod" || !r.UsageEndTime.Equal(r.UsageStartTime.Add(time.Hour)) {
			t.Errorf("first record %+v %+v", r, r.InstanceData)
		}

		// Daily: 14.666667 on the 5th (40 min + 14 h), 24 on the 6th, 14 on the 7th.
		daily, _, drecs := s.utilization(t, e.ID, query("start_time", "2026-01-05T00:00:00Z", "end_time", "2026-01-08T00:00:00Z"))
		if strings.Join(daily, ", ") != "01-05T00 14.666667, 01-06T00 24, 01-07T00 14" || !drecs[0].UsageEndTime.Equal(drecs[0].UsageStartTime.AddDate(0, 0, 1)) {
			t.Errorf("daily %v", daily)
		}
		// Without details: the same sums, one per meter, no instance data.
		meters, _, mrecs := s.utilization(t, e.ID, query("start_time", "2026-01-05T00:00:00Z", "end_time", "2026-01-08T00:00:00Z", "show_details", "false"))
		if strings.Join(meters, ", ") != strings.Join(daily, ", ") || mrecs[0].InstanceData != nil {
			t.Errorf("without details %v %+v", meters, mrecs[0].InstanceData)
		}

		// The budget: spend is 0.027733 after the 09:00 hour (0.666667 ×
		// 0.0416 = 0.02773334…), then 0.0416 an hour: the 24th whole hour,
		// [09:00, 10:00) on the 6th, takes it from 0.984533 to 1.026133.
		var audit struct {
			Items []struct {
				OperationType    string    `json:"operationType"`
				ResourceType     string    `json:"resourceType"`
				OperationDate    time.Time `json:"operationDate"`
				ResourceNewValue string    `json:"resourceNewValue"`
			} `json:"items"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/auditrecords?startDate=2026-01-05", nil, &audit, nil); err != nil {
			t.Fatal(err)
		}
		var alerts []string
		for _, a := range audit.Items {
			if a.OperationType == "usage_budget_exceeded" {
				var v struct {
					Budget, MonthToDate struct{ Amount decimal.Decimal }
					Month               string
				}
				if err := json.Unmarshal([]byte(a.ResourceNewValue), &v); err != nil {
					t.Fatalf("%s: %v", a.ResourceNewValue, err)
				}
				alerts = append(alerts, fmt.Sprintf("%s %s %s %s %s", a.ResourceType, a.OperationDate.Format(time.RFC3339), v.Budget.Amount, v.MonthToDate.Amount, v.Month))
			}
		}
		if strings.Join(alerts, "; ") != "usage_budget 2026-01-06T10:00:00Z 1 1.026133 2026-01" {
			t.Errorf("budget alerts %v", alerts)
		}

		// Disabled at 14:20 for 2h20m: the 14:00 and 16:00 hours meter 20
		// minutes each, 15:00 nothing, 17:00 a whole hour.
		off, res, err := s.status(e.ID, "cancel")
		if err != nil || res.Status != http.StatusAccepted || off.Status != "disabled" {
			t.Fatalf("cancel: %+v %v", off, err)
		}
		s.advanceTo(t, "2026-01-07T16:40:00Z")
		on, res, err := s.status(e.ID, "reactivate")
		if err != nil || res.Status != http.StatusAccepted || on.Status != "active" {
			t.Fatalf("reactivate: %+v %v", on, err)
		}
		s.advanceTo(t, "2026-01-07T18:00:00Z")
		late, _, _ := s.utilization(t, e.ID, query("start_time", "2026-01-07T14:00:00Z", "end_time", "2026-01-07T18:00:00Z", "granularity", "hourly"))
		if strings.Join(late, ", ") != "01-07T14 0.333333, 01-07T16 0.333333, 01-07T17 1" {
			t.Errorf("around the disabling: %v", late)
		}

		// Rated: 14.666667 × 0.0416 = 0.61013334… → 0.610133; 24 × 0.0416 =
		// 0.9984; the 7th 14 + 0.333333 + 0.333333 + 1 = 15.666666 h ×
		// 0.0416 = 0.65173330… → 0.651733.
		var lines struct {
			Items []struct {
				UsageDate              time.Time   `json:"usageDate"`
				Quantity               json.Number `json:"quantity"`
				UnitPrice              json.Number `json:"unitPrice"`
				PricingPreTaxTotal     json.Number `json:"pricingPreTaxTotal"`
				BillingPreTaxTotal     json.Number `json:"billingPreTaxTotal"`
				SubscriptionID         string      `json:"subscriptionId"`
				EntitlementID          string      `json:"entitlementId"`
				EntitlementDescription string      `json:"entitlementDescription"`
				MeterName              string      `json:"meterName"`
				ResourceURI            string      `json:"resourceUri"`
				ProductID              string      `json:"productId"`
				CustomerID             string      `json:"customerId"`
				ChargeType             string      `json:"chargeType"`
				Attributes             map[string]string
			} `json:"items"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=usagelineitems&currencyCode=USD&period=current", nil, &lines, nil); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range lines.Items {
			got = append(got, fmt.Sprintf("%s %s × %s = %s", l.UsageDate.Format(time.DateOnly), l.Quantity, l.UnitPrice, l.PricingPreTaxTotal))
			if l.SubscriptionID != s.plan || l.EntitlementID != e.ID || l.EntitlementDescription != "Production" || l.MeterName != "B2s" || l.ProductID != "DZH318Z0BPS6" ||
				l.CustomerID != s.customer || l.ChargeType != "new" || l.BillingPreTaxTotal != l.PricingPreTaxTotal || l.Attributes["objectType"] != "DailyRatedUsageLineItem" ||
				!strings.EqualFold(l.ResourceURI, vm) {
				t.Errorf("line %+v", l)
			}
		}
		if want := "2026-01-05 14.666667 × 0.0416 = 0.610133, 2026-01-06 24 × 0.0416 = 0.9984, 2026-01-07 15.666666 × 0.0416 = 0.651733"; strings.Join(got, ", ") != want {
			t.Errorf("rated lines\n%s\nwant\n%s", strings.Join(got, ", "), want)
		}
		// One line a page reaches the same lines through links.next.
		path := "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=usagelineitems&currencyCode=USD&period=current&size=1"
		var paged []string
		opt := &client.Request{}
		for range 10 {
			var page struct {
				Items []struct {
					UsageDate          time.Time   `json:"usageDate"`
					PricingPreTaxTotal json.Number `json:"pricingPreTaxTotal"`
				} `json:"items"`
				client.Collection[json.RawMessage]
			}
			if _, err := s.pc.Do(w.ctx, http.MethodGet, path, nil, &page, opt); err != nil {
				t.Fatal(err)
			}
			for _, l := range page.Items {
				paged = append(paged, l.UsageDate.Format(time.DateOnly)+" "+l.PricingPreTaxTotal.String())
			}
			if page.Next() == "" {
				break
			}
			opt = &client.Request{ContinuationToken: page.Next()}
		}
		if strings.Join(paged, ", ") != "2026-01-05 0.610133, 2026-01-06 0.9984, 2026-01-07 0.651733" {
			t.Errorf("paged rated lines %v", paged)
		}
		// Daily records two a page: [2 1].
		if _, sizes, _ := s.utilization(t, e.ID, query("start_time", "2026-01-05T00:00:00Z", "end_time", "2026-01-08T00:00:00Z", "size", "2")); fmt.Sprint(sizes) != "[2 1]" {
			t.Errorf("daily page sizes %v", sizes)
		}
		// The licence lines are still there, and another currency has no usage lines.
		var eur struct {
			Items []json.RawMessage `json:"items"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=usagelineitems&currencyCode=EUR&period=current", nil, &eur, nil); err != nil || len(eur.Items) != 0 {
			t.Errorf("EUR usage lines %d %v", len(eur.Items), err)
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD&period=current", nil, nil, nil); err != nil {
			t.Errorf("billing lines: %v", err)
		}
	})
}
