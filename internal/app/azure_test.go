package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
	"github.com/opencsp/opencsp/internal/testdb"
)

// azureStart is the sandbox's start: 2026-03-01T00:00Z.
var azureStart = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// azureWorld is a sandbox with a direct US partner, its admin agent, a
// customer with an Azure plan and one Azure subscription under it.
type azureWorld struct {
	a        *app.App
	op       csp.Principal
	agent    csp.Principal
	customer uuid.UUID
	plan     uuid.UUID
	sub      *azure.Subscription
	owner    app.ARMCaller // the admin agent, Owner through its partner's foreign group
}

func mustAzureWorld(t testing.TB, db *sqlstore.DB, seed *uint64) azureWorld {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, db, app.Options{Sandbox: true, StartTime: azureStart, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	w := azureWorld{a: a}
	opKey, err := a.MintOperatorKey(ctx)
	mustNil(t, err)
	w.op, err = a.Authenticate(ctx, opKey.APIKey, "")
	mustNil(t, err)
	partner, err := a.CreatePartner(ctx, w.op, app.NewPartner{Name: "Azure Partner", Country: "US", PartnerType: string(csp.PartnerDirect)})
	mustNil(t, err)
	_, key, err := a.CreatePartnerUser(ctx, w.op, partner.ID, app.NewPartnerUser{DisplayName: "Agent", Email: "agent@azure.example.com", Roles: []string{string(csp.RoleAdminAgent)}})
	mustNil(t, err)
	w.agent, err = a.Authenticate(ctx, key.APIKey, "")
	mustNil(t, err)
	c, err := a.CreateCustomer(ctx, w.agent, app.NewCustomer{NewTenant: csp.NewTenant{CompanyName: "Fabrikam", Domain: "fabrikamazure",
		Address:        csp.Address{Country: "US", City: "Redmond", State: "WA", AddressLine1: "1 Microsoft Way", PostalCode: "98052"},
		BillingProfile: csp.BillingProfile{FirstName: "Ada", LastName: "Lovelace", Email: "ap@fabrikam.example.com", Culture: "en-US", Language: "en"}}})
	mustNil(t, err)
	w.customer = c.Tenant.ID
	_, err = a.CreateAgreement(ctx, w.agent, w.customer, app.NewAgreement{TemplateID: csp.MCATemplateID, DateAgreed: azureStart,
		Contact: csp.Contact{FirstName: "Ada", LastName: "Lovelace", Email: "ada@fabrikam.example.com"}})
	mustNil(t, err)
	cart, err := a.CreateCart(ctx, w.agent, w.customer, []csp.CartLine{{ID: 0, CatalogItemID: "DZH318Z0BPS6:0001:DZH318Z0BML6", Quantity: 1, BillingCycle: "monthly"}})
	mustNil(t, err)
	if cart.Lines[0].Error != nil {
		t.Fatalf("Azure plan line: %+v", cart.Lines[0].Error)
	}
	out, err := a.Checkout(ctx, w.agent, w.customer, cart.ID, "")
	mustNil(t, err)
	w.plan = out.Subscriptions[0].ID
	w.sub, err = a.CreateAzureSubscription(ctx, w.agent, w.customer, w.plan, "Production")
	mustNil(t, err)
	w.owner = app.ARMCaller{TenantID: w.customer, Principal: w.agent, Caller: azure.Caller{PrincipalIDs: []uuid.UUID{w.agent.UserID}, AdminAgentOf: &w.agent.PartnerID}}
	return w
}

func mustNil(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (w azureWorld) advanceTo(t testing.TB, to time.Time) {
	t.Helper()
	if _, err := w.a.AdvanceClock(context.Background(), w.op, "", to); err != nil {
		t.Fatalf("advance to %s: %v", to, err)
	}
}

func (w azureWorld) id(group string, typ azure.Type, names ...string) azure.ResourceID {
	return azure.NewResourceID(w.sub.ID, group, typ, names...)
}

// hourly reads every hourly record of the subscription in [from, to).
func (w azureWorld) hourly(t testing.TB, from, to time.Time) []azure.UsageRecord {
	t.Helper()
	var out []azure.UsageRecord
	pg := app.Page[app.UsageCursor]{Size: 7}
	for {
		page, err := w.a.AzureUtilization(context.Background(), w.agent, w.customer, w.sub.ID, from, to, pg)
		mustNil(t, err)
		out = append(out, page.Items...)
		if page.Next == nil {
			return out
		}
		pg.After = page.Next
	}
}

func TestAzureReaderCannotCreateAVirtualMachine(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := mustAzureWorld(t, e.Open(t), nil)
			rg := azure.GroupScope(w.sub.ID, "web")
			_, created, err := w.a.PutResourceGroup(ctx, w.owner, rg, "eastus", nil)
			if err != nil || !created {
				t.Fatalf("group: %v %v", created, err)
			}
			// The admin agent (Owner) makes a customer user Reader of the subscription.
			reader := uuid.MustParse("0a0a0a0a-0000-4000-8000-00000000000a")
			_, _, err = w.a.PutRoleAssignment(ctx, w.owner, azure.SubscriptionScope(w.sub.ID), uuid.MustParse("0b0b0b0b-0000-4000-8000-00000000000b"),
				app.NewRoleAssignment{RoleDefinitionID: azure.RoleDefinitionPath(w.sub.ID, azure.RoleReader), PrincipalID: reader, PrincipalType: azure.PrincipalUser})
			mustNil(t, err)
			rc := app.ARMCaller{TenantID: w.customer, Caller: azure.Caller{PrincipalIDs: []uuid.UUID{reader}}}
			vm := w.id("web", azure.TypeVirtualMachine, "vm1")
			_, _, err = w.a.PutResource(ctx, rc, vm, azure.Spec{Location: "eastus", Sku: "Standard_B2s"})
			if csp.ErrorCode(err) != csp.EAzureAuthorizationFailed || !strings.Contains(csp.ErrorMessage(err), "'Microsoft.Compute/virtualMachines/write' over scope '"+vm.String()+"'") {
				t.Fatalf("reader creating a vm: %v", err)
			}
			// Refused, nothing changed: no resource, and no usage an hour later.
			if list, err := w.a.ListResources(ctx, rc, rg); err != nil || len(list) != 0 {
				t.Fatalf("the reader lists %d resources (%v)", len(list), err)
			}
			_, err = w.a.GetResource(ctx, rc, vm)
			if csp.ErrorCode(err) != csp.EAzureResourceNotFound {
				t.Errorf("reading the vm that was refused: %v", err)
			}
			// A reader may not assign roles either; a stranger may not even read.
			_, _, err = w.a.PutRoleAssignment(ctx, rc, rg, uuid.New(), app.NewRoleAssignment{RoleDefinitionID: azure.RoleOwner.String(), PrincipalID: reader, PrincipalType: azure.PrincipalUser})
			if csp.ErrorCode(err) != csp.EAzureAuthorizationFailed {
				t.Errorf("reader assigning Owner: %v", err)
			}
			stranger := app.ARMCaller{TenantID: w.customer, Caller: azure.Caller{PrincipalIDs: []uuid.UUID{uuid.New()}}}
			if _, err := w.a.ListResources(ctx, stranger, rg); csp.ErrorCode(err) != csp.EAzureAuthorizationFailed {
				t.Errorf("stranger listing: %v", err)
			}
			// Another tenant's token does not see the subscription at all.
			other := app.ARMCaller{TenantID: uuid.New(), Caller: w.owner.Caller}
			if _, err := w.a.GetAzureSubscription(ctx, other, w.sub.ID); csp.ErrorCode(err) != csp.EAzureSubscriptionNotFound {
				t.Errorf("another tenant's caller: %v", err)
			}
			w.advanceTo(t, azureStart.Add(2*time.Hour))
			if recs := w.hourly(t, azureStart, azureStart.Add(2*time.Hour)); len(recs) != 0 {
				t.Errorf("usage of a refused vm: %+v", recs)
			}
		})
	}
}

func TestAzureVMDeallocatedHalfwayThroughADay(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := mustAzureWorld(t, e.Open(t), nil)
			_, _, err := w.a.PutResourceGroup(ctx, w.owner, azure.GroupScope(w.sub.ID, "web"), "eastus", nil)
			mustNil(t, err)
			vm := w.id("web", azure.TypeVirtualMachine, "vm1")
			_, _, err = w.a.PutResource(ctx, w.owner, vm, azure.Spec{Location: "eastus", Sku: "Standard_B2s", Tags: map[string]string{"env": "prod"}})
			mustNil(t, err)
			// Created at 00:00, deallocated at 12:30: hours 0 to 11 run a full
			// hour (1), hour 12 runs 30 minutes (0.5), hours 13 to 23 nothing.
			w.advanceTo(t, azureStart.Add(12*time.Hour+30*time.Minute))
			r, err := w.a.DeallocateVM(ctx, w.owner, vm)
			if err != nil || r.PowerState != azure.PowerDeallocated {
				t.Fatalf("deallocate: %+v %v", r, err)
			}
			day2 := azureStart.AddDate(0, 0, 1)
			w.advanceTo(t, day2)
			recs := w.hourly(t, azureStart, day2)
			if len(recs) != 13 {
				t.Fatalf("%d hourly records, want 13 (hours 0 to 12)", len(recs))
			}
			for i, rec := range recs {
				want := "1"
				if i == 12 {
					want = "0.5"
				}
				if !rec.Start.Equal(azureStart.Add(time.Duration(i)*time.Hour)) || !rec.Quantity.Equal(decimal.RequireFromString(want)) ||
					rec.MeterName != "B2s" || rec.MeterRegion != "US East" || rec.Unit != "1 Hour" || rec.ResourceURI != vm.String() ||
					rec.ResourceGroup != "web" || rec.Tags["env"] != "prod" || rec.ConsumedService != "Microsoft.Compute" {
					t.Errorf("hour %d: %+v", i, rec)
				}
			}
			// Daily: 12 + 0.5 = 12.5 hours; rated at $0.0416: 12.5 × 0.0416 = 0.52.
			lines, err := w.a.AzureRatedUsage(ctx, w.agent, w.customer, w.sub.ID, azureStart, day2)
			mustNil(t, err)
			if len(lines) != 1 || !lines[0].Quantity.Equal(decimal.RequireFromString("12.5")) || !lines[0].Amount.Amount.Equal(decimal.RequireFromString("0.52")) {
				t.Errorf("rated: %+v", lines)
			}
			// Started again at 02:15 on day 2; the subscription is disabled at
			// 04:00 and re-enabled at 06:40: hour 2 meters 45 min (0.75), hour 3
			// a full hour, hours 4 and 5 nothing, hour 6 20 min (0.333333).
			w.advanceTo(t, day2.Add(2*time.Hour+15*time.Minute))
			_, err = w.a.StartVM(ctx, w.owner, vm)
			mustNil(t, err)
			w.advanceTo(t, day2.Add(4*time.Hour))
			_, err = w.a.SetAzureSubscriptionStatus(ctx, w.agent, w.customer, w.plan, w.sub.ID, azure.StatusDisabled)
			mustNil(t, err)
			if _, err := w.a.DeallocateVM(ctx, w.owner, vm); csp.ErrorCode(err) != csp.EAzureSubscriptionDisabled {
				t.Errorf("a write in a disabled subscription: %v", err)
			}
			w.advanceTo(t, day2.Add(6*time.Hour+40*time.Minute))
			_, err = w.a.SetAzureSubscriptionStatus(ctx, w.agent, w.customer, w.plan, w.sub.ID, azure.StatusActive)
			mustNil(t, err)
			w.advanceTo(t, day2.Add(7*time.Hour))
			var got []string
			for _, rec := range w.hourly(t, day2, day2.Add(7*time.Hour)) {
				got = append(got, fmt.Sprintf("%s=%s", rec.Start.Format("15"), rec.Quantity))
			}
			if want := "02=0.75 03=1 06=0.333333"; strings.Join(got, " ") != want {
				t.Errorf("day 2: %s, want %s", strings.Join(got, " "), want)
			}
		})
	}
}

// usageScenario builds a small estate and moves the clock in uneven steps,
// answering every hourly record of the two days.
func usageScenario(t *testing.T, db *sqlstore.DB) []azure.UsageRecord {
	ctx := context.Background()
	seed := uint64(7)
	w := mustAzureWorld(t, db, &seed)
	_, _, err := w.a.PutResourceGroup(ctx, w.owner, azure.GroupScope(w.sub.ID, "Web"), "eastus", nil)
	mustNil(t, err)
	_, _, err = w.a.PutResourceGroup(ctx, w.owner, azure.GroupScope(w.sub.ID, "data"), "westeurope", nil)
	mustNil(t, err)
	vm := w.id("Web", azure.TypeVirtualMachine, "vm1")
	server := w.id("data", azure.TypeSQLServer, "fabrikam-sql")
	for _, r := range []struct {
		id   azure.ResourceID
		spec azure.Spec
	}{
		{vm, azure.Spec{Location: "eastus", Sku: "Standard_B2s"}},
		{w.id("Web", azure.TypeVirtualNetwork, "hub"), azure.Spec{Location: "eastus", AddressPrefixes: []string{"10.0.0.0/16"}}},
		{w.id("Web", azure.TypeAppServicePlan, "plan"), azure.Spec{Location: "eastus", Sku: "B1"}},
		{w.id("data", azure.TypeStorageAccount, "fabrikamdata"), azure.Spec{Location: "westeurope", Sku: "Standard_GRS", Kind: "StorageV2"}},
		{server, azure.Spec{Location: "westeurope"}},
	} {
		_, _, err := w.a.PutResource(ctx, w.owner, r.id, r.spec)
		mustNil(t, err)
	}
	step := func(d time.Duration, do func()) {
		w.advanceTo(t, azureStart.Add(d))
		do()
	}
	step(2*time.Hour+30*time.Minute, func() {
		_, _, err := w.a.PutResource(ctx, w.owner, w.id("data", azure.TypeSQLDatabase, "fabrikam-sql", "sales"), azure.Spec{Location: "westeurope", Sku: "S0"})
		mustNil(t, err)
	})
	step(5*time.Hour+20*time.Minute, func() {
		_, _, err := w.a.PutResource(ctx, w.owner, vm, azure.Spec{Location: "eastus", Sku: "Standard_D2s_v3"})
		mustNil(t, err)
	})
	step(9*time.Hour+45*time.Minute, func() { _, err := w.a.DeallocateVM(ctx, w.owner, vm); mustNil(t, err) })
	step(15*time.Hour+10*time.Minute, func() { _, err := w.a.StartVM(ctx, w.owner, vm); mustNil(t, err) })
	step(20*time.Hour, func() { mustNil(t, w.a.DeleteResource(ctx, w.owner, server)) })
	w.advanceTo(t, azureStart.AddDate(0, 0, 2))
	recs := w.hourly(t, azureStart, azureStart.AddDate(0, 0, 2))
	// Spot checks worked by hand: the database runs 02:30 to 20:00 (hour 2
	// 0.5 of S0), the vm's hour 5 is 20 min of B2s (0.333333) and 40 of
	// D2s v3 (0.666667); a GRS hour in March is 100/744 = 0.134409 GB-months.
	want := map[string]string{"02 S0 DTUs": "0.5", "05 B2s": "0.333333", "05 D2 v3/D2s v3": "0.666667", "09 D2 v3/D2s v3": "0.75", "15 D2 v3/D2s v3": "0.833333",
		"19 S0 DTUs": "1", "10 Hot GRS Data Stored": "0.134409", "23 B1": "1"}
	for _, r := range recs {
		k := r.Start.Format("15") + " " + r.MeterName
		if q, ok := want[k]; ok && r.Start.Day() == 1 {
			if !r.Quantity.Equal(decimal.RequireFromString(q)) {
				t.Errorf("%s: %s, want %s", k, r.Quantity, q)
			}
			delete(want, k)
		}
		if r.MeterName == "S0 DTUs" && !r.Start.Before(azureStart.Add(20*time.Hour)) {
			t.Errorf("the deleted database meters at %s", r.Start)
		}
	}
	if len(want) != 0 {
		t.Errorf("records not found: %v", want)
	}
	return recs
}

func TestAzureSameWorldAndClockMovesGiveIdenticalUsage(t *testing.T) {
	var first []azure.UsageRecord
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			a, b := usageScenario(t, e.Open(t)), usageScenario(t, e.Open(t))
			if len(a) == 0 || len(a) != len(b) {
				t.Fatalf("%d and %d records", len(a), len(b))
			}
			same := func(x, y []azure.UsageRecord, what string) {
				for i := range x {
					if fmt.Sprint(x[i]) != fmt.Sprint(y[i]) {
						t.Fatalf("%s: record %d differs:\n%+v\n%+v", what, i, x[i], y[i])
					}
				}
			}
			same(a, b, "two runs")
			if first != nil {
				same(first, a, "the two engines")
			}
			first = a
		})
	}
}

func TestAzureBudgetAlertWhenSpendCrossesIt(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := mustAzureWorld(t, e.Open(t), nil)
			if _, err := w.a.SetUsageBudget(ctx, w.agent, w.customer, decimal.RequireFromString("-1")); csp.ErrorCode(err) != csp.EAzureInvalidBudget {
				t.Errorf("negative budget: %v", err)
			}
			_, err := w.a.SetUsageBudget(ctx, w.agent, w.customer, decimal.RequireFromString("0.50"))
			mustNil(t, err)
			_, _, err = w.a.PutResourceGroup(ctx, w.owner, azure.GroupScope(w.sub.ID, "web"), "eastus", nil)
			mustNil(t, err)
			_, _, err = w.a.PutResource(ctx, w.owner, w.id("web", azure.TypeVirtualMachine, "vm1"), azure.Spec{Location: "eastus", Sku: "Standard_B2s"})
			mustNil(t, err)
			// $0.0416 an hour: after 12 hours 0.4992, after 13 0.5408, so the
			// hour [12, 13), posted at 13:00, crosses $0.50; later hours do not
			// alert again.
			w.advanceTo(t, azureStart.Add(20*time.Hour))
			page, err := w.a.ListAudit(ctx, w.agent, azureStart, azureStart.Add(21*time.Hour), app.Page[app.Cursor]{})
			mustNil(t, err)
			var alerts []*csp.AuditRecord
			for _, r := range page.Items {
				if r.OperationType == "usage_budget_exceeded" {
					alerts = append(alerts, r)
				}
			}
			if len(alerts) != 1 || !alerts[0].OperationDate.Equal(azureStart.Add(13*time.Hour)) || !strings.Contains(alerts[0].ResourceNewValue, `"0.5408"`) {
				t.Fatalf("alerts: %+v", alerts)
			}
		})
	}
}
