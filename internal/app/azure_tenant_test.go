package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestAzureAsTheCustomerSeesIt: the customer's admin sees no Azure
// subscription until the partner's admin agent makes it Reader; then it
// lists the subscription, its VM, and the month-to-date cost. A B2s VM
// ($0.0416 an hour) runs from 2026-03-01 00:00 to 03-02 06:00: day 1 is 24
// hours, 0.9984; day 2 six hours, 0.2496; the estimate 30 × 0.0416 =
// 1.248, past the $1.00 budget.
func TestAzureAsTheCustomerSeesIt(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := mustAzureWorld(t, e.Open(t), nil)
			key, err := w.a.MintTenantKey(ctx, w.op, w.customer, "admin@fabrikamazure.onmicrosoft.com", nil)
			mustNil(t, err)
			admin, err := w.a.Authenticate(ctx, key.APIKey, "")
			mustNil(t, err)
			c, err := w.a.ARMCallerOf(ctx, admin, w.customer)
			mustNil(t, err)
			if len(c.PrincipalIDs) != 1 || c.PrincipalIDs[0] != admin.UserID || c.AdminAgentOf != nil {
				t.Fatalf("caller %+v", c.Caller)
			}
			if _, err := w.a.ARMCallerOf(ctx, admin, uuid.New()); csp.ErrorCode(err) != csp.ETenantNotFound {
				t.Errorf("another tenant: %v", err)
			}
			if subs, err := w.a.ListARMSubscriptions(ctx, c); err != nil || len(subs) != 0 {
				t.Fatalf("before any role, the admin lists %d (%v)", len(subs), err)
			}
			if _, err := w.a.AzureCostToDate(ctx, c, w.sub.ID); csp.ErrorCode(err) != csp.EAzureAuthorizationFailed {
				t.Errorf("cost before any role: %v", err)
			}

			_, err = w.a.SetUsageBudget(ctx, w.agent, w.customer, decimal.RequireFromString("1.00"))
			mustNil(t, err)
			_, _, err = w.a.PutResourceGroup(ctx, w.owner, azure.GroupScope(w.sub.ID, "web"), "eastus", nil)
			mustNil(t, err)
			vm := w.id("web", azure.TypeVirtualMachine, "vm1")
			_, _, err = w.a.PutResource(ctx, w.owner, vm, azure.Spec{Location: "eastus", Sku: "Standard_B2s"})
			mustNil(t, err)
			_, _, err = w.a.PutRoleAssignment(ctx, w.owner, azure.SubscriptionScope(w.sub.ID), uuid.New(),
				app.NewRoleAssignment{RoleDefinitionID: azure.RoleReader.String(), PrincipalID: admin.UserID, PrincipalType: azure.PrincipalUser})
			mustNil(t, err)
			w.advanceTo(t, azureStart.Add(30*time.Hour))

			subs, err := w.a.ListARMSubscriptions(ctx, c)
			if err != nil || len(subs) != 1 || subs[0].ID != w.sub.ID {
				t.Fatalf("subscriptions: %+v %v", subs, err)
			}
			res, err := w.a.ListSubscriptionResources(ctx, c, w.sub.ID)
			if err != nil || len(res) != 1 || !res[0].ID.Equal(vm) || res[0].PowerState != azure.PowerRunning {
				t.Fatalf("resources: %+v %v", res, err)
			}
			m, err := w.a.AzureCostToDate(ctx, c, w.sub.ID)
			mustNil(t, err)
			if !m.Month.Equal(azureStart) || !m.Through.Equal(azureStart.Add(30*time.Hour)) || len(m.Lines) != 2 {
				t.Fatalf("month to date: %+v", m)
			}
			for i, want := range []string{"0.9984", "0.2496"} {
				if l := m.Lines[i]; !l.UsageDate.Equal(azureStart.AddDate(0, 0, i)) || !l.Amount.Amount.Equal(decimal.RequireFromString(want)) {
					t.Errorf("day %d: %s %s, want %s", i+1, l.UsageDate, l.Amount.Amount, want)
				}
			}
			if !m.Estimate.Amount.Equal(decimal.RequireFromString("1.248")) || !m.Budget.Amount.Equal(decimal.RequireFromString("1")) || !m.Exceeded() {
				t.Errorf("estimate %s budget %s exceeded %v", m.Estimate.Amount, m.Budget.Amount, m.Exceeded())
			}
		})
	}
}
