package console_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/csp/gdap"
)

// azurePlan is the Azure plan (usage-based).
const azurePlan = "DZH318Z0BPS6:0001:DZH318Z0BML6"

// tenantWorld is the seeded world with Fabrikam's directory and Azure
// estate, from 2026-01-05 09:00 to 2026-01-07 09:00:
//
//   - licences: 2 seats of Business Premium from Contoso and 3 from
//     Litware (5 prepaid), one assigned, to ada@fabrikam.onmicrosoft.com;
//   - a conditional access policy "Require MFA" covering every user, so
//     admin@ (no licence) is a licence gap;
//   - GDAP: Contoso's "Contoso helpdesk" waits for approval; Litware's
//     "Litware support" was approved on 2026-01-05 09:00 for P730D;
//   - Azure: Contoso's subscription "Production" with a B2s VM (USD 0.0416
//     an hour) running since 2026-01-05 09:00, Fabrikam's admin Reader of
//     it, and a usage budget of USD 1.50.
type tenantWorld struct {
	*world
	pending, active uuid.UUID
	azureSub        uuid.UUID
	adminID         uuid.UUID
}

func MustTenantWorld(tb testing.TB, baseURL string) *tenantWorld {
	tb.Helper()
	w := &tenantWorld{world: MustSeed(tb, baseURL)}
	ctx := tb.Context()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	ann, bob, admin := MustPrincipal(tb, w.world, w.partnerKey), MustPrincipal(tb, w.world, w.litwareKey), MustPrincipal(tb, w.world, w.adminKey)
	w.adminID = admin.UserID
	MustAgree(tb, w.world, ann, w.fabrikam)
	MustAgree(tb, w.world, bob, w.fabrikam)
	MustBuy(tb, w.world, ann, w.fabrikam, premium, "P1Y", "monthly", 2)
	MustBuy(tb, w.world, bob, w.fabrikam, premium, "P1Y", "monthly", 3)
	_, err := w.app.CreateUser(ctx, admin, w.fabrikam.ID, app.NewUser{UserPrincipalName: "ada@fabrikam.onmicrosoft.com", DisplayName: "Ada Lovelace",
		MailNickname: "ada", UsageLocation: "US", Password: "Passw0rd!Passw0rd"})
	must(err)
	_, err = w.app.AssignLicense(ctx, admin, w.fabrikam.ID, "ada@fabrikam.onmicrosoft.com",
		app.LicenseChange{Add: []directory.Assignment{{SkuID: uuid.MustParse("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46")}}})
	must(err)
	_, err = w.app.CreatePolicy(ctx, admin, w.fabrikam.ID, directory.Policy{DisplayName: "Require MFA", State: "enabled",
		Conditions: directory.Conditions{Users: directory.UserConditions{IncludeUsers: []string{"All"}},
			Applications: directory.AppConditions{IncludeApplications: []string{"All"}}, ClientAppTypes: []string{"all"}},
		GrantControls: directory.GrantControls{Operator: "OR", BuiltInControls: []string{"mfa"}}})
	must(err)

	rel := func(p csp.Principal, name string) uuid.UUID {
		tb.Helper()
		r, err := w.app.CreateGDAPRelationship(ctx, p, gdap.NewRelationship{DisplayName: name, Duration: "P730D", CustomerTenantID: w.fabrikam.ID,
			Roles: []uuid.UUID{directory.HelpdeskAdministrator, directory.DirectoryReaders}})
		must(err)
		_, err = w.app.RequestGDAPAction(ctx, p, r.ID, gdap.ActionLockForApproval)
		must(err)
		return r.ID
	}
	w.pending = rel(ann, "Contoso helpdesk")
	w.active = rel(bob, "Litware support")
	_, err = w.app.TenantGDAPAction(ctx, admin, w.active, gdap.ActionApprove)
	must(err)

	plan := MustBuy(tb, w.world, ann, w.fabrikam, azurePlan, "", "monthly", 1)
	sub, err := w.app.CreateAzureSubscription(ctx, ann, w.fabrikam.ID, plan.ID, "Production")
	must(err)
	w.azureSub = sub.ID
	owner, err := w.app.ARMCallerOf(ctx, ann, w.fabrikam.ID)
	must(err)
	_, _, err = w.app.PutResourceGroup(ctx, owner, azure.GroupScope(sub.ID, "web"), "eastus", nil)
	must(err)
	_, _, err = w.app.PutResource(ctx, owner, azure.NewResourceID(sub.ID, "web", azure.TypeVirtualMachine, "vm1"), azure.Spec{Location: "eastus", Sku: "Standard_B2s"})
	must(err)
	_, _, err = w.app.PutRoleAssignment(ctx, owner, azure.SubscriptionScope(sub.ID), uuid.MustParse("0b0b0b0b-0000-4000-8000-00000000000b"),
		app.NewRoleAssignment{RoleDefinitionID: azure.RoleReader.String(), PrincipalID: admin.UserID, PrincipalType: azure.PrincipalUser})
	must(err)
	_, err = w.app.SetUsageBudget(ctx, ann, w.fabrikam.ID, decimal.RequireFromString("1.50"))
	must(err)
	_, err = w.app.AdvanceClock(ctx, w.operator, "P2D", time.Time{})
	must(err)
	return w
}
