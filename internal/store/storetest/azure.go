package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store"
)

// azureWorld is a partner, a tenant, an Azure plan subscription and one
// Azure subscription under it.
type azureWorld struct {
	partner, tenant uuid.UUID
	sub             *azure.Subscription
}

func mustAzureWorld(t *testing.T, s store.Store) azureWorld {
	t.Helper()
	p := MustCreatePartner(t, s, mpn(701))
	tn := MustCreateTenant(t, s, "Contoso Azure", "contosoazure")
	MustRelate(t, s, p.ID, tn.ID, t0)
	plan := comSubscription(tn.ID, &p.ID, t0)
	plan.ProductID, plan.SkuID, plan.TermDuration, plan.UnitType, plan.Lots = "DZH318Z0BPS6", "0001", "", "Usage-based", nil
	sub := &azure.Subscription{ID: newID(), TenantID: tn.ID, PartnerID: p.ID, PlanSubscriptionID: plan.ID, FriendlyName: "Production",
		Status: azure.StatusActive, StatusSince: t0, CreatedAt: t0, Version: 1}
	MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateSubscription(ctx, plan); err != nil {
			return err
		}
		return tx.CreateAzureSubscription(ctx, sub)
	})
	return azureWorld{partner: p.ID, tenant: tn.ID, sub: sub}
}

var azureCases = []testCase{
	{"role history keeps a deleted subscription-scope assignment's life", func(t *testing.T, s store.Store) {
		w := mustAzureWorld(t, s)
		owner := azure.AdminAgentsOwner(newID(), w.sub.ID, w.partner, t0)
		contributor := azure.RoleAssignment{ID: newID(), Scope: azure.SubscriptionScope(w.sub.ID), RoleDefinitionID: azure.RoleContributor,
			PrincipalID: newID(), PrincipalType: azure.PrincipalGroup, CreatedOn: at(48 * time.Hour)}
		group := azure.RoleAssignment{ID: newID(), Scope: azure.GroupScope(w.sub.ID, "rg"), RoleDefinitionID: azure.RoleOwner,
			PrincipalID: newID(), PrincipalType: azure.PrincipalUser, CreatedOn: t0}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, a := range []azure.RoleAssignment{owner, contributor, group} {
				if err := tx.CreateRoleAssignment(ctx, a); err != nil {
					return err
				}
			}
			return nil
		})
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.DeleteRoleAssignment(ctx, w.sub.ID, owner.ID, at(120*time.Hour))
		})
		history := func(from, to time.Time) []azure.RoleSpan {
			var out []azure.RoleSpan
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				out, err = tx.RoleHistory(ctx, w.sub.ID, from, to)
				return err
			})
			return out
		}
		// Days 1..10: the deleted Owner (t0..t0+5d) and the Contributor
		// (from t0+2d); the group-scope assignment is not kept.
		got := history(at(24*time.Hour), at(240*time.Hour))
		if len(got) != 2 || got[0].ID != owner.ID || !got[0].RemovedOn.Equal(at(120*time.Hour)) || got[0].PrincipalType != azure.PrincipalForeignGroup ||
			got[1].ID != contributor.ID || !got[1].RemovedOn.IsZero() || !got[1].CreatedOn.Equal(at(48*time.Hour)) {
			t.Fatalf("history: %+v", got)
		}
		// From the deletion on, only the Contributor; before it was made, only the Owner.
		if got := history(at(120*time.Hour), at(240*time.Hour)); len(got) != 1 || got[0].ID != contributor.ID {
			t.Errorf("after the deletion: %+v", got)
		}
		if got := history(t0, at(48*time.Hour)); len(got) != 1 || got[0].ID != owner.ID {
			t.Errorf("before the contributor: %+v", got)
		}
	}},
	{"a move writes the partner, plan and holding start and records the holding that ended", func(t *testing.T, s store.Store) {
		w := mustAzureWorld(t, s)
		target := MustCreatePartner(t, s, mpn(702))
		MustRelate(t, s, target.ID, w.tenant, t0)
		plan := comSubscription(w.tenant, &target.ID, t0)
		plan.ProductID, plan.SkuID, plan.TermDuration, plan.UnitType, plan.Lots = "DZH318Z0BPS6", "0001", "", "Usage-based", nil
		hour, transferID := at(5*time.Hour), newID()
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateSubscription(ctx, plan); err != nil {
				return err
			}
			got, err := tx.GetAzureSubscription(ctx, w.sub.ID, store.LockUpdate)
			if err != nil {
				return err
			}
			ended := got.MoveTo(target.ID, plan.ID, transferID, hour)
			return tx.MoveAzureSubscription(ctx, got, ended)
		})
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			got, err := tx.GetAzureSubscription(ctx, w.sub.ID, store.LockNone)
			if err != nil || got.PartnerID != target.ID || got.PlanSubscriptionID != plan.ID || got.HeldSince == nil || !got.HeldSince.Equal(hour) || got.Version != 2 {
				t.Fatalf("moved: %+v %v", got, err)
			}
			want := azure.Holding{Subscription: w.sub.ID, TenantID: w.tenant, PartnerID: w.partner, PlanSubscriptionID: w.sub.PlanSubscriptionID,
				TransferID: transferID, From: t0, To: hour}
			same := func(h azure.Holding) bool {
				return h.Subscription == want.Subscription && h.TenantID == want.TenantID && h.PartnerID == want.PartnerID &&
					h.PlanSubscriptionID == want.PlanSubscriptionID && h.TransferID == want.TransferID && h.From.Equal(want.From) && h.To.Equal(want.To)
			}
			bySub, err := tx.AzureHoldings(ctx, w.sub.ID)
			if err != nil || len(bySub) != 1 || !same(bySub[0]) {
				t.Errorf("holdings of the subscription %+v %v, want %+v", bySub, err, want)
			}
			byPartner, err := tx.PartnerAzureHoldings(ctx, w.partner)
			if err != nil || len(byPartner) != 1 || !same(byPartner[0]) {
				t.Errorf("the source's holdings %+v %v", byPartner, err)
			}
			if none, err := tx.PartnerAzureHoldings(ctx, target.ID); err != nil || len(none) != 0 {
				t.Errorf("the target's holdings %+v %v", none, err)
			}
			if list, err := tx.ListPartnerAzureSubscriptions(ctx, target.ID); err != nil || len(list) != 1 {
				t.Errorf("the target's Azure subscriptions %+v %v", list, err)
			}
			return nil
		})
	}},
	{"subscriptions round trip, list by plan, update bumps the version", func(t *testing.T, s store.Store) {
		w := mustAzureWorld(t, s)
		second := *w.sub
		second.ID, second.FriendlyName, second.CreatedAt = newID(), "Dev", at(time.Hour)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateAzureSubscription(ctx, &second) })
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			got, err := tx.GetAzureSubscription(ctx, w.sub.ID, store.LockUpdate)
			if err != nil {
				return err
			}
			if *got != *w.sub {
				t.Errorf("got %+v, want %+v", got, w.sub)
			}
			got.Status, got.StatusSince, got.DisabledReason = azure.StatusDisabled, at(2*time.Hour), azure.DisabledNonPayment
			return tx.UpdateAzureSubscription(ctx, got)
		})
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			list, err := tx.ListAzureSubscriptions(ctx, w.sub.PlanSubscriptionID)
			if err != nil {
				return err
			}
			if len(list) != 2 || list[0].ID != w.sub.ID || list[1].ID != second.ID {
				t.Fatalf("list: %+v", list)
			}
			if list[0].Status != azure.StatusDisabled || list[0].DisabledReason != azure.DisabledNonPayment || list[0].Version != 2 || !list[0].StatusSince.Equal(at(2*time.Hour)) {
				t.Errorf("updated: %+v", list[0])
			}
			_, err = tx.GetAzureSubscription(ctx, newID(), store.LockNone)
			wantCode(t, "absent", err, csp.EAzureSubscriptionNotFound)
			byTenant, err := tx.TenantAzureSubscriptions(ctx, w.sub.TenantID)
			if err != nil || len(byTenant) != 2 || byTenant[0].ID != w.sub.ID || byTenant[1].ID != second.ID {
				t.Fatalf("by tenant: %+v %v", byTenant, err)
			}
			if none, err := tx.TenantAzureSubscriptions(ctx, newID()); err != nil || len(none) != 0 {
				t.Fatalf("another tenant's: %+v %v", none, err)
			}
			return nil
		})
	}},
	{"groups and resources are found case-insensitively and deleted with what they hold", func(t *testing.T, s store.Store) {
		w := mustAzureWorld(t, s)
		rg := azure.GroupScope(w.sub.ID, "Web-RG")
		vm := azure.NewResource(azure.NewResourceID(w.sub.ID, "Web-RG", azure.TypeVirtualMachine, "VM1"),
			azure.Spec{Location: "eastus", Sku: "Standard_B2s", Tags: map[string]string{"env": "prod"}}, t0)
		vnet := azure.NewResource(azure.NewResourceID(w.sub.ID, "Web-RG", azure.TypeVirtualNetwork, "hub"),
			azure.Spec{Location: "eastus", AddressPrefixes: []string{"10.0.0.0/16"}}, t0)
		server := azure.NewResource(azure.NewResourceID(w.sub.ID, "data", azure.TypeSQLServer, "sql-1"), azure.Spec{Location: "eastus"}, t0)
		db := azure.NewResource(azure.NewResourceID(w.sub.ID, "data", azure.TypeSQLDatabase, "sql-1", "sales"), azure.Spec{Location: "eastus", Sku: "S0"}, t0)
		ra := azure.RoleAssignment{ID: newID(), Scope: vm.ID, RoleDefinitionID: azure.RoleReader, PrincipalID: newID(), PrincipalType: azure.PrincipalUser, CreatedOn: t0}
		raSub := azure.AdminAgentsOwner(newID(), w.sub.ID, w.partner, t0)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, g := range []azure.ResourceGroup{{ID: rg, Location: "eastus", Tags: map[string]string{"a": "b"}, Created: t0}, {ID: azure.GroupScope(w.sub.ID, "data"), Location: "westus2", Created: t0}} {
				if err := tx.PutResourceGroup(ctx, g); err != nil {
					return err
				}
			}
			for _, r := range []azure.Resource{vm, vnet, server, db} {
				if err := tx.PutResource(ctx, r); err != nil {
					return err
				}
			}
			if err := tx.CreateRoleAssignment(ctx, raSub); err != nil {
				return err
			}
			return tx.CreateRoleAssignment(ctx, ra)
		})
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			g, err := tx.GetResourceGroup(ctx, azure.GroupScope(w.sub.ID, "web-rg"))
			if err != nil || g.ID.Group != "Web-RG" || g.Tags["a"] != "b" || g.Location != "eastus" {
				t.Errorf("group: %+v %v", g, err)
			}
			got, err := tx.GetResource(ctx, azure.NewResourceID(w.sub.ID, "WEB-RG", azure.TypeVirtualMachine, "vm1"))
			if err != nil || got.ID.String() != vm.ID.String() || got.Sku != "Standard_B2s" || got.PowerState != azure.PowerRunning || got.Tags["env"] != "prod" {
				t.Errorf("vm: %+v %v", got, err)
			}
			if got, _ := tx.GetResource(ctx, vnet.ID); got == nil || len(got.AddressPrefixes) != 1 {
				t.Errorf("vnet: %+v", got)
			}
			if _, ok, err := tx.ResourceByGlobalName(ctx, azure.TypeSQLServer, "SQL-1"); !ok || err != nil {
				t.Errorf("global name: %v %v", ok, err)
			}
			all, _ := tx.ListResources(ctx, w.sub.ID, "")
			web, _ := tx.ListResources(ctx, w.sub.ID, "web-rg")
			if len(all) != 4 || len(web) != 2 {
				t.Errorf("%d resources, %d in web-rg", len(all), len(web))
			}
			groups, _ := tx.ListResourceGroups(ctx, w.sub.ID)
			if len(groups) != 2 || groups[0].ID.Group != "data" {
				t.Errorf("groups: %+v", groups)
			}
			return nil
		})
		// Deleting the server deletes its database; deleting the group its
		// resources and the assignment on the vm, not the subscription's.
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.DeleteResource(ctx, server.ID); err != nil {
				return err
			}
			return tx.DeleteResourceGroup(ctx, azure.GroupScope(w.sub.ID, "WEB-rg"))
		})
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetResource(ctx, db.ID)
			wantCode(t, "database of a deleted server", err, csp.EAzureResourceNotFound)
			_, err = tx.GetResource(ctx, vm.ID)
			wantCode(t, "vm of a deleted group", err, csp.EAzureResourceNotFound)
			_, err = tx.GetResourceGroup(ctx, rg)
			wantCode(t, "deleted group", err, csp.EAzureResourceGroupNotFound)
			ras, _ := tx.RoleAssignments(ctx, w.sub.ID)
			if len(ras) != 1 || ras[0].ID != raSub.ID || ras[0].PrincipalType != azure.PrincipalForeignGroup || !ras[0].Scope.Equal(azure.SubscriptionScope(w.sub.ID)) {
				t.Errorf("assignments left: %+v", ras)
			}
			return nil
		})
		err := write(s, func(ctx context.Context, tx store.Tx) error { return tx.DeleteRoleAssignment(ctx, w.sub.ID, ra.ID, t0) })
		wantCode(t, "deleted assignment", err, csp.EAzureRoleAssignmentNotFound)
	}},
	{"a globally unique name taken in another subscription is refused", func(t *testing.T, s store.Store) {
		w := mustAzureWorld(t, s)
		other := *w.sub
		other.ID = newID()
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateAzureSubscription(ctx, &other); err != nil {
				return err
			}
			return tx.PutResource(ctx, azure.NewResource(azure.NewResourceID(w.sub.ID, "rg", azure.TypeStorageAccount, "data01"), azure.Spec{Location: "eastus", Sku: "Standard_LRS", Kind: "StorageV2"}, t0))
		})
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.PutResource(ctx, azure.NewResource(azure.NewResourceID(other.ID, "rg", azure.TypeStorageAccount, "data01"), azure.Spec{Location: "eastus", Sku: "Standard_LRS", Kind: "StorageV2"}, t0))
		})
		wantCode(t, "taken name", err, csp.EAzureNameTaken)
	}},
	{"runs open, close under a scope and are found by the hours they cross", func(t *testing.T, s store.Store) {
		w := mustAzureWorld(t, s)
		vm1 := azure.NewResourceID(w.sub.ID, "rg", azure.TypeVirtualMachine, "vm1")
		vm10 := azure.NewResourceID(w.sub.ID, "rg", azure.TypeVirtualMachine, "vm10")
		other := azure.NewResourceID(w.sub.ID, "rg2", azure.TypeVirtualMachine, "vm1")
		h := func(n int) time.Time { return t0.Truncate(time.Hour).Add(time.Duration(n) * time.Hour) }
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, r := range []store.AzureRun{
				{Subscription: w.sub.ID, Resource: vm1, Location: "eastus", Interval: azure.Interval{Start: h(0), Sku: "Standard_B1s"}},
				{Subscription: w.sub.ID, Resource: vm10, Location: "eastus", Tags: map[string]string{"k": "v"}, Interval: azure.Interval{Start: h(0), Sku: "Standard_B2s"}},
				{Subscription: w.sub.ID, Resource: other, Location: "eastus", Interval: azure.Interval{Start: h(1), Sku: "Standard_B2s"}},
			} {
				if err := tx.OpenRun(ctx, r); err != nil {
					return err
				}
			}
			// Closing vm1 leaves vm10 (its name merely starts alike) open.
			if err := tx.CloseRuns(ctx, vm1, h(2)); err != nil {
				return err
			}
			// A run reopened at the instant it started replaces it.
			return tx.OpenRun(ctx, store.AzureRun{Subscription: w.sub.ID, Resource: vm1, Location: "eastus", Interval: azure.Interval{Start: h(0), Sku: "Standard_D2s_v3"}})
		})
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CloseRuns(ctx, vm1, h(3)); err != nil {
				return err
			}
			return tx.CloseRuns(ctx, azure.GroupScope(w.sub.ID, "rg2"), h(5))
		})
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			runs, err := tx.RunsBetween(ctx, w.sub.ID, h(4), h(5))
			if err != nil {
				return err
			}
			// vm1 ended at 3: out; rg2's vm1 ended at 5: it crosses [4, 5); vm10 runs.
			if len(runs) != 2 || !runs[0].Resource.Equal(vm10) || runs[0].Tags["k"] != "v" || !runs[0].End.IsZero() ||
				!runs[1].Resource.Equal(other) || !runs[1].End.Equal(h(5)) {
				t.Errorf("runs in [4,5): %+v", runs)
			}
			runs, _ = tx.RunsBetween(ctx, w.sub.ID, h(0), h(1))
			if len(runs) != 2 || runs[0].Sku != "Standard_D2s_v3" || !runs[0].End.Equal(h(3)) {
				t.Errorf("runs in [0,1): %+v", runs)
			}
			return nil
		})
	}},
	{"usage is stored once per hour, resource and meter, paged and summed by day exactly", func(t *testing.T, s store.Store) {
		w := mustAzureWorld(t, s)
		day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		m1, m2 := uuid.MustParse("00000000-0000-4000-8000-000000000001"), uuid.MustParse("00000000-0000-4000-8000-000000000002")
		rec := func(h int, res string, m uuid.UUID, q string) azure.UsageRecord {
			return azure.UsageRecord{Subscription: w.sub.ID, ResourceURI: res, MeterID: m, Location: "eastus", Start: day.Add(time.Duration(h) * time.Hour),
				Quantity: decimal.RequireFromString(q), Tags: map[string]string{"env": "prod"}}
		}
		a, b := "/subscriptions/"+w.sub.ID.String()+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/A", "/subscriptions/"+w.sub.ID.String()+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/b"
		var recs []azure.UsageRecord
		for h := range 30 { // 24 hours of day 1, 6 of day 2
			recs = append(recs, rec(h, a, m1, "0.333333"), rec(h, b, m2, "1"))
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.AddUsage(ctx, recs) })
		// Stored again (a batch redone): kept as it was.
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.AddUsage(ctx, []azure.UsageRecord{rec(0, a, m1, "9")})
		})
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			page, err := tx.ListUsage(ctx, store.UsageFilter{Subscription: w.sub.ID, From: day, To: day.Add(48 * time.Hour), Limit: 3})
			if err != nil {
				return err
			}
			if len(page) != 3 || page[0].ResourceURI != a || !page[0].Quantity.Equal(decimal.RequireFromString("0.333333")) || page[1].ResourceURI != b ||
				!page[2].Start.Equal(day.Add(time.Hour)) || page[0].Tags["env"] != "prod" || !page[0].End.Equal(day.Add(time.Hour)) {
				t.Fatalf("first page: %+v", page)
			}
			last := page[2]
			next, _ := tx.ListUsage(ctx, store.UsageFilter{Subscription: w.sub.ID, From: day, To: day.Add(48 * time.Hour), Limit: 1,
				After: &store.UsageCursor{Start: last.Start, ResourceURI: last.ResourceURI, MeterID: last.MeterID}})
			if len(next) != 1 || next[0].ResourceURI != b || !next[0].Start.Equal(day.Add(time.Hour)) {
				t.Errorf("next page: %+v", next)
			}
			// Day 1: a 24 × 0.333333 = 7.999992, b 24; day 2: a 6 × 0.333333 = 1.999998, b 6.
			days, _ := tx.DailyUsage(ctx, w.sub.ID, day, day.Add(48*time.Hour))
			want := []string{"7.999992", "24", "1.999998", "6"}
			if len(days) != 4 {
				t.Fatalf("days: %+v", days)
			}
			for i, d := range days {
				if !d.Quantity.Equal(decimal.RequireFromString(want[i])) || !d.Start.Equal(day.Add(time.Duration(i/2)*24*time.Hour)) || !d.End.Equal(d.Start.Add(24*time.Hour)) {
					t.Errorf("day line %d: %s %s %s", i, d.Start, d.ResourceURI, d.Quantity)
				}
			}
			return nil
		})
	}},
	{"budgets are set and spend adds up per month", func(t *testing.T, s store.Store) {
		w := mustAzureWorld(t, s)
		march := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if _, ok, _ := tx.UsageBudget(ctx, w.partner, w.tenant); ok {
				t.Error("no budget yet")
			}
			if err := tx.SetUsageBudget(ctx, w.partner, w.tenant, usd("100")); err != nil {
				return err
			}
			if err := tx.SetUsageBudget(ctx, w.partner, w.tenant, usd("150.50")); err != nil {
				return err
			}
			b, ok, err := tx.UsageBudget(ctx, w.partner, w.tenant)
			if err != nil || !ok || !b.Amount.Equal(decimal.RequireFromString("150.5")) || b.Currency != "USD" {
				t.Errorf("budget: %v %v %v", b, ok, err)
			}
			if _, _, err := tx.AddSpend(ctx, w.partner, w.tenant, march, usd("0.5616")); err != nil {
				return err
			}
			before, after, err := tx.AddSpend(ctx, w.partner, w.tenant, march, usd("1.000001"))
			if err != nil || !before.Amount.Equal(decimal.RequireFromString("0.5616")) || !after.Amount.Equal(decimal.RequireFromString("1.561601")) {
				t.Errorf("spend: %v → %v %v", before, after, err)
			}
			before, _, _ = tx.AddSpend(ctx, w.partner, w.tenant, march.AddDate(0, 1, 0), usd("1"))
			if !before.IsZero() {
				t.Errorf("April starts at 0: %v", before)
			}
			return nil
		})
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			m, ok, err := tx.Spend(ctx, w.partner, w.tenant, march)
			if err != nil || !ok || !m.Amount.Equal(decimal.RequireFromString("1.561601")) || m.Currency != "USD" {
				t.Errorf("March spend: %v %v %v", m, ok, err)
			}
			if _, ok, err := tx.Spend(ctx, w.partner, w.tenant, march.AddDate(0, 2, 0)); ok || err != nil {
				t.Errorf("May has no spend: %v %v", ok, err)
			}
			return nil
		})
	}},
	{"a tenant's Azure subscriptions across plans, oldest first", func(t *testing.T, s store.Store) {
		w := mustAzureWorld(t, s)
		other := MustCreateTenant(t, s, "Tailspin Azure", "tailspinazure")
		plan := comSubscription(w.tenant, &w.partner, t0)
		plan.ProductID, plan.SkuID, plan.TermDuration, plan.UnitType, plan.Lots = "DZH318Z0BPS6", "0001", "", "Usage-based", nil
		second := &azure.Subscription{ID: newID(), TenantID: w.tenant, PartnerID: w.partner, PlanSubscriptionID: plan.ID, FriendlyName: "Dev",
			Status: azure.StatusActive, StatusSince: at(time.Hour), CreatedAt: at(time.Hour), Version: 1}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateSubscription(ctx, plan); err != nil {
				return err
			}
			return tx.CreateAzureSubscription(ctx, second)
		})
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			got, err := tx.TenantAzureSubscriptions(ctx, w.tenant)
			if err != nil || len(got) != 2 || got[0].ID != w.sub.ID || got[1].ID != second.ID {
				t.Errorf("tenant's Azure subscriptions: %+v %v", got, err)
			}
			if got, err := tx.TenantAzureSubscriptions(ctx, other.ID); err != nil || len(got) != 0 {
				t.Errorf("another tenant's: %+v %v", got, err)
			}
			return nil
		})
	}},
}
