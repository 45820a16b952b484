package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestAzureRefusals runs refused operations, each with its code, and checks
// that none of them changed the estate.
func TestAzureRefusals(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := mustAzureWorld(t, e.Open(t), nil)
			o := w.owner
			rg := azure.GroupScope(w.sub.ID, "web")
			_, _, err := w.a.PutResourceGroup(ctx, o, rg, "eastus", nil)
			mustNil(t, err)
			server := w.id("web", azure.TypeSQLServer, "fabrikam-sql")
			plan := w.id("web", azure.TypeAppServicePlan, "plan")
			vnet := w.id("web", azure.TypeVirtualNetwork, "hub")
			for _, r := range []struct {
				id   azure.ResourceID
				spec azure.Spec
			}{
				{server, azure.Spec{Location: "eastus"}},
				{plan, azure.Spec{Location: "eastus", Sku: "S1"}},
				{vnet, azure.Spec{Location: "eastus", AddressPrefixes: []string{"10.1.0.0/16"}}},
				{w.id("web", azure.TypeStorageAccount, "fabrikamlogs"), azure.Spec{Location: "eastus", Sku: "Standard_LRS", Kind: "StorageV2"}},
			} {
				_, _, err := w.a.PutResource(ctx, o, r.id, r.spec)
				mustNil(t, err)
			}
			second, err := w.a.CreateAzureSubscription(ctx, w.agent, w.customer, w.plan, "Second")
			mustNil(t, err)
			_, _, err = w.a.PutResourceGroup(ctx, o, azure.GroupScope(second.ID, "web"), "eastus", nil)
			mustNil(t, err)
			contributor := uuid.MustParse("0c0c0c0c-0000-4000-8000-00000000000c")
			_, _, err = w.a.PutRoleAssignment(ctx, o, rg, uuid.MustParse("0d0d0d0d-0000-4000-8000-00000000000d"),
				app.NewRoleAssignment{RoleDefinitionID: azure.RoleContributor.String(), PrincipalID: contributor, PrincipalType: azure.PrincipalUser})
			mustNil(t, err)
			cc := app.ARMCaller{TenantID: w.customer, Caller: azure.Caller{PrincipalIDs: []uuid.UUID{contributor}}}
			put := func(c app.ARMCaller, id azure.ResourceID, s azure.Spec) error {
				_, _, err := w.a.PutResource(ctx, c, id, s)
				return err
			}
			assign := func(c app.ARMCaller, name uuid.UUID, role string) error {
				_, _, err := w.a.PutRoleAssignment(ctx, c, rg, name, app.NewRoleAssignment{RoleDefinitionID: role, PrincipalID: contributor, PrincipalType: azure.PrincipalUser})
				return err
			}
			for _, c := range []struct {
				what string
				err  error
				code csp.Code
			}{
				{"friendly name too long", func() error {
					_, err := w.a.CreateAzureSubscription(ctx, w.agent, w.customer, w.plan, string(make([]byte, 65)))
					return err
				}(), csp.EAzureInvalidFriendlyName},
				{"no such plan", func() error {
					_, err := w.a.CreateAzureSubscription(ctx, w.agent, w.customer, uuid.New(), "X")
					return err
				}(), csp.ESubscriptionNotFound},
				{"already active", func() error {
					_, err := w.a.SetAzureSubscriptionStatus(ctx, w.agent, w.customer, w.plan, w.sub.ID, azure.StatusActive)
					return err
				}(), csp.EAzureSubscriptionStatusSame},
				{"unknown region", put(o, w.id("web", azure.TypeVirtualMachine, "vm1"), azure.Spec{Location: "mars", Sku: "Standard_B1s"}), csp.EAzureInvalidLocation},
				{"no such group", put(o, w.id("nope", azure.TypeVirtualMachine, "vm1"), azure.Spec{Location: "eastus", Sku: "Standard_B1s"}), csp.EAzureResourceGroupNotFound},
				{"bad vm name", put(o, w.id("web", azure.TypeVirtualMachine, "vm-"), azure.Spec{Location: "eastus", Sku: "Standard_B1s"}), csp.EAzureInvalidResourceName},
				{"unmodelled size", put(o, w.id("web", azure.TypeVirtualMachine, "vm1"), azure.Spec{Location: "eastus", Sku: "Standard_NC6"}), csp.EAzureSkuNotAvailable},
				{"database without its server", put(o, w.id("web", azure.TypeSQLDatabase, "other-sql", "db"), azure.Spec{Location: "eastus", Sku: "Basic"}), csp.EAzureParentNotFound},
				{"database away from its server", put(o, w.id("web", azure.TypeSQLDatabase, "fabrikam-sql", "db"), azure.Spec{Location: "uksouth", Sku: "Basic"}), csp.EAzureLocationMismatch},
				{"reserved database name", put(o, w.id("web", azure.TypeSQLDatabase, "fabrikam-sql", "tempdb"), azure.Spec{Location: "eastus", Sku: "Basic"}), csp.EAzureDatabaseNameReserved},
				{"web app away from its plan", put(o, w.id("web", azure.TypeWebApp, "shop"), azure.Spec{Location: "westus2", ServerFarmID: plan.String()}), csp.EAzureLocationMismatch},
				{"web app on a missing plan", put(o, w.id("web", azure.TypeWebApp, "shop"), azure.Spec{Location: "eastus", ServerFarmID: w.id("web", azure.TypeAppServicePlan, "gone").String()}), csp.EAzureResourceNotFound},
				{"storage name of another subscription", put(o, azure.NewResourceID(second.ID, "web", azure.TypeStorageAccount, "fabrikamlogs"), azure.Spec{Location: "eastus", Sku: "Standard_LRS", Kind: "StorageV2"}), csp.EAzureNameTaken},
				{"overlapping prefixes", put(o, vnet, azure.Spec{Location: "eastus", AddressPrefixes: []string{"10.1.0.0/16", "10.1.2.0/24"}}), csp.EAzureInvalidAddressSpace},
				{"moving a resource", put(o, vnet, azure.Spec{Location: "westus2", AddressPrefixes: []string{"10.1.0.0/16"}}), csp.EAzureLocationMismatch},
				{"moving a group", func() error { _, _, err := w.a.PutResourceGroup(ctx, o, rg, "westus2", nil); return err }(), csp.EAzureLocationMismatch},
				{"starting a virtual network", func() error { _, err := w.a.StartVM(ctx, o, vnet); return err }(), csp.EAzureInvalidOperation},
				{"deallocating a missing vm", func() error {
					_, err := w.a.DeallocateVM(ctx, o, w.id("web", azure.TypeVirtualMachine, "ghost"))
					return err
				}(), csp.EAzureResourceNotFound},
				{"deleting a missing resource", w.a.DeleteResource(ctx, o, w.id("web", azure.TypeVirtualMachine, "ghost")), csp.EAzureResourceNotFound},
				{"a Contributor assigning roles", assign(cc, uuid.New(), azure.RoleReader.String()), csp.EAzureAuthorizationFailed},
				{"a Contributor deleting the group above its scope", w.a.DeleteResourceGroup(ctx, cc, azure.GroupScope(w.sub.ID, "other")), csp.EAzureAuthorizationFailed},
				{"a Contributor in the other subscription", put(cc, azure.NewResourceID(second.ID, "web", azure.TypeVirtualMachine, "vm1"), azure.Spec{Location: "eastus", Sku: "Standard_B1s"}), csp.EAzureAuthorizationFailed},
				{"the same role twice", assign(o, uuid.New(), azure.RoleContributor.String()), csp.EAzureRoleAssignmentExists},
				{"a role that is not modelled", assign(o, uuid.New(), "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"), csp.EAzureRoleDefinitionNotFound},
				{"a principal type that is not modelled", func() error {
					_, _, err := w.a.PutRoleAssignment(ctx, o, rg, uuid.New(), app.NewRoleAssignment{RoleDefinitionID: azure.RoleReader.String(), PrincipalID: uuid.New(), PrincipalType: "ServicePrincipal"})
					return err
				}(), csp.EAzureInvalidPrincipal},
				{"an assignment at a missing scope", func() error {
					_, _, err := w.a.PutRoleAssignment(ctx, o, azure.GroupScope(w.sub.ID, "ghost"), uuid.New(), app.NewRoleAssignment{RoleDefinitionID: azure.RoleReader.String(), PrincipalID: uuid.New(), PrincipalType: azure.PrincipalUser})
					return err
				}(), csp.EAzureResourceGroupNotFound},
				{"deleting a missing assignment", w.a.DeleteRoleAssignment(ctx, o, w.sub.ID, uuid.New()), csp.EAzureRoleAssignmentNotFound},
				{"a usage range backwards", func() error {
					_, err := w.a.AzureUtilization(ctx, w.agent, w.customer, w.sub.ID, azureStart.Add(time.Hour), azureStart, app.Page[app.UsageCursor]{})
					return err
				}(), csp.EAzureInvalidUsageRange},
				{"a usage range of 91 days", func() error {
					_, err := w.a.AzureDailyUsage(ctx, w.agent, w.customer, w.sub.ID, azureStart, azureStart.AddDate(0, 0, 91))
					return err
				}(), csp.EAzureInvalidUsageRange},
			} {
				if csp.ErrorCode(c.err) != c.code {
					t.Errorf("%s: got %v, want code %d", c.what, c.err, c.code)
				}
			}
			list, err := w.a.ListResources(ctx, o, rg)
			mustNil(t, err)
			if len(list) != 4 {
				t.Errorf("%d resources after the refusals, want the 4 created", len(list))
			}
			ras, err := w.a.ListRoleAssignments(ctx, o, rg)
			mustNil(t, err)
			if len(ras) != 2 { // the admin agents' Owner above, the Contributor at the group
				t.Errorf("%d role assignments apply at the group, want 2: %+v", len(ras), ras)
			}
		})
	}
}
