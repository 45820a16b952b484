package directory

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

var (
	skuSuite = uuid.MustParse("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46")
	skuBasic = uuid.MustParse("3b555118-da6a-4418-894f-7df1e2096870")
	planTeam = uuid.MustParse("57ff2da0-773e-42df-b2af-ffb7a2317929")
	partnerA = uuid.MustParse("00000000-0000-4000-8000-00000000000a")
	partnerB = uuid.MustParse("00000000-0000-4000-8000-00000000000b")
)

// testCatalog has a suite with Entra ID P1 (and its trial), a basic SKU,
// a P2 SKU and the Azure plan.
func testCatalog() *csp.Catalog {
	return &csp.Catalog{Products: []csp.Product{
		{ID: "SUITE", ProductType: "OnlineServices", Skus: []csp.Sku{
			{ID: "0001", Title: "Suite", GraphSkuID: skuSuite, SkuPartNumber: "SPB", ServicePlans: []csp.ServicePlan{{ID: planTeam, Name: "TEAMS1", AppliesTo: "User"}, {ID: csp.ServicePlanEntraIDP1, Name: "AAD_PREMIUM", AppliesTo: "User"}}},
			{ID: "0002", Title: "Suite Trial", IsTrial: true, GraphSkuID: skuSuite, SkuPartNumber: "SPB", ServicePlans: []csp.ServicePlan{{ID: planTeam, Name: "TEAMS1", AppliesTo: "User"}, {ID: csp.ServicePlanEntraIDP1, Name: "AAD_PREMIUM", AppliesTo: "User"}}},
		}},
		{ID: "BASIC", ProductType: "OnlineServices", Skus: []csp.Sku{{ID: "0001", Title: "Basic", GraphSkuID: skuBasic, SkuPartNumber: "O365_BUSINESS_ESSENTIALS",
			ServicePlans: []csp.ServicePlan{{ID: planTeam, Name: "TEAMS1", AppliesTo: "User"}}}}},
		{ID: "AZURE", ProductType: "Azure", Skus: []csp.Sku{{ID: "0001", Title: "Azure plan"}}},
	}}
}

func sub(product, sku string, qty int, status csp.Status, partner uuid.UUID) *csp.Subscription {
	return &csp.Subscription{ID: uuid.New(), ProductID: product, SkuID: sku, Quantity: qty, Status: status, PartnerID: &partner, Channel: csp.ChannelCSP}
}

func TestPoolsSumEveryPartnersUnitsByState(t *testing.T) {
	subs := []*csp.Subscription{
		sub("SUITE", "0001", 10, csp.StatusActive, partnerA),
		sub("SUITE", "0001", 4, csp.StatusActive, partnerB),
		sub("SUITE", "0002", 25, csp.StatusActive, partnerB), // a trial: enabled like any active seat
		sub("SUITE", "0001", 3, csp.StatusExpired, partnerA),
		sub("SUITE", "0001", 2, csp.StatusSuspended, partnerB),
		sub("SUITE", "0001", 6, csp.StatusDisabled, partnerA),
		sub("SUITE", "0001", 7, csp.StatusDeleted, partnerA), // gone: counts nowhere
		sub("SUITE", "0001", 8, csp.StatusPending, partnerA), // not provisioned yet
		sub("AZURE", "0001", 1, csp.StatusActive, partnerA),  // not a licence
		sub("BASIC", "0001", 1, csp.StatusDeleted, partnerA),
	}
	pools := Pools(testCatalog(), subs, map[uuid.UUID]int{skuSuite: 45, skuBasic: 2})
	if len(pools) != 2 {
		t.Fatalf("pools %+v", pools)
	}
	// Ordered by part number: O365_BUSINESS_ESSENTIALS, then SPB.
	basic, suite := pools[0], pools[1]
	// 10 + 4 + 25 enabled; 3 warning; 2 suspended; 6 locked out.
	if suite.Prepaid != (Units{Enabled: 39, Warning: 3, Suspended: 2, LockedOut: 6}) || suite.Consumed != 45 || len(suite.Sources) != 6 || suite.Title != "Suite" {
		t.Fatalf("suite %+v", suite)
	}
	// 45 assigned, 39 enabled: none free, 6 over.
	if suite.Available() != 0 || suite.Overage() != 6 || suite.CapabilityStatus() != "Enabled" {
		t.Fatalf("available %d overage %d status %s", suite.Available(), suite.Overage(), suite.CapabilityStatus())
	}
	// Every Basic subscription left, but 2 users still hold it: listed with no units.
	if basic.SkuPartNumber != "O365_BUSINESS_ESSENTIALS" || basic.Prepaid != (Units{}) || basic.Consumed != 2 || basic.CapabilityStatus() != "LockedOut" {
		t.Fatalf("basic %+v", basic)
	}
	for _, c := range []struct {
		units Units
		want  string
	}{{Units{Warning: 1, Suspended: 1}, "Warning"}, {Units{Suspended: 1, LockedOut: 1}, "Suspended"}, {Units{LockedOut: 1}, "LockedOut"}} {
		if got := (Pool{Prepaid: c.units}).CapabilityStatus(); got != c.want {
			t.Errorf("%+v: %s, want %s", c.units, got, c.want)
		}
	}
}

func TestCheckAssign(t *testing.T) {
	user := &csp.TenantUser{UserPrincipalName: "ada@contoso.onmicrosoft.com", UsageLocation: "US"}
	full := Pool{SkuID: skuSuite, SkuPartNumber: "SPB", Prepaid: Units{Enabled: 3}, Consumed: 3, ServicePlans: testCatalog().Products[0].Skus[0].ServicePlans}
	free := full
	free.Consumed = 2
	cases := []struct {
		name  string
		pool  Pool
		user  *csp.TenantUser
		a     Assignment
		holds bool
		code  csp.Code
	}{
		{"one unit free", free, user, Assignment{SkuID: skuSuite}, false, 0},
		{"every unit assigned", full, user, Assignment{SkuID: skuSuite}, false, csp.ENoUnitsAvailable},
		{"changing the plans of a licence held takes no unit", full, user, Assignment{SkuID: skuSuite, DisabledPlans: []uuid.UUID{planTeam}}, true, 0},
		{"no usage location", free, &csp.TenantUser{UserPrincipalName: "bob@x"}, Assignment{SkuID: skuSuite}, false, csp.ENeedsUsageLocation},
		{"a plan outside the SKU", free, user, Assignment{SkuID: skuSuite, DisabledPlans: []uuid.UUID{csp.ServicePlanEntraIDP2}}, false, csp.EInvalidDisabledPlan},
		{"only warning units", Pool{SkuID: skuSuite, Prepaid: Units{Warning: 5}}, user, Assignment{SkuID: skuSuite}, false, csp.ESkuNotAssignable},
	}
	for _, c := range cases {
		err := CheckAssign(c.pool, c.user, c.a, c.holds)
		if csp.ErrorCode(err) != c.code && !(c.code == 0 && err == nil) {
			t.Errorf("%s: %v, want code %d", c.name, err, c.code)
		}
	}
}

func TestTiers(t *testing.T) {
	pools := Pools(testCatalog(), []*csp.Subscription{sub("SUITE", "0001", 1, csp.StatusActive, partnerA), sub("BASIC", "0001", 1, csp.StatusActive, partnerA)}, nil)
	if TenantTier(pools) != P1 {
		t.Fatalf("tenant tier %s", TenantTier(pools))
	}
	if got := UserTier(pools, []Assignment{{SkuID: skuBasic}}); got != Free {
		t.Fatalf("basic user %s", got)
	}
	if got := UserTier(pools, []Assignment{{SkuID: skuSuite}}); got != P1 {
		t.Fatalf("suite user %s", got)
	}
	// Entra ID P1 disabled on the assignment: the user has no P1.
	if got := UserTier(pools, []Assignment{{SkuID: skuSuite, DisabledPlans: []uuid.UUID{csp.ServicePlanEntraIDP1}}}); got != Free {
		t.Fatalf("suite user without the P1 plan %s", got)
	}
	// A suspended suite gives nothing.
	suspended := Pools(testCatalog(), []*csp.Subscription{sub("SUITE", "0001", 1, csp.StatusSuspended, partnerA)}, nil)
	if TenantTier(suspended) != Free || UserTier(suspended, []Assignment{{SkuID: skuSuite}}) != Free {
		t.Fatalf("suspended pools give a tier")
	}
	err := RequireTier("Conditional access", P1, Free)
	if csp.ErrorCode(err) != csp.ENeedsEntraP1 || !strings.Contains(csp.ErrorMessage(err), "Business Premium, E3 or E5") {
		t.Fatalf("P1: %v", err)
	}
	if err := RequireTier("PIM", P2, P1); csp.ErrorCode(err) != csp.ENeedsEntraP2 {
		t.Fatalf("P2: %v", err)
	}
}

func TestPolicyCoverage(t *testing.T) {
	ada, bob, cy := uuid.MustParse("00000000-0000-4000-8000-000000000001"), uuid.MustParse("00000000-0000-4000-8000-000000000002"), uuid.MustParse("00000000-0000-4000-8000-000000000003")
	sales := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	users := []uuid.UUID{ada, bob, cy}
	groupsOf := map[uuid.UUID][]uuid.UUID{bob: {sales}, cy: {sales}}
	p := &Policy{State: "enabled", Conditions: Conditions{Users: UserConditions{IncludeUsers: []string{ada.String()}, IncludeGroups: []string{sales.String()}, ExcludeUsers: []string{cy.String()}}}}
	got := p.Covers(users, groupsOf)
	if len(got) != 2 || got[0] != ada || got[1] != bob {
		t.Fatalf("covers %v", got)
	}
	p.State = "disabled"
	if len(p.Covers(users, groupsOf)) != 0 {
		t.Fatal("a disabled policy covers no one")
	}
	p.State = "enabledForReportingButNotEnforced"
	p.Conditions.Users = UserConditions{IncludeUsers: []string{"All"}, ExcludeGroups: []string{sales.String()}}
	if got := p.Covers(users, groupsOf); len(got) != 1 || got[0] != ada {
		t.Fatalf("all but sales %v", got)
	}
}

func TestCheckUPN(t *testing.T) {
	domains := []string{"contoso.onmicrosoft.com"}
	for _, c := range []struct {
		upn, want string
	}{
		{"Ada.Lovelace@Contoso.onmicrosoft.com", "Ada.Lovelace@contoso.onmicrosoft.com"},
		{"o'neil#1@contoso.onmicrosoft.com", "o'neil#1@contoso.onmicrosoft.com"},
		{"ada@fabrikam.com", ""},
		{"ada.@contoso.onmicrosoft.com", ""},
		{"a..b@contoso.onmicrosoft.com", ""},
		{"ada lovelace@contoso.onmicrosoft.com", ""},
		{"@contoso.onmicrosoft.com", ""},
		{strings.Repeat("a", 65) + "@contoso.onmicrosoft.com", ""},
	} {
		got, err := CheckUPN(c.upn, domains)
		if got != c.want || (c.want == "") != (csp.ErrorCode(err) == csp.EUPNDomain) {
			t.Errorf("%q: %q %v, want %q", c.upn, got, err, c.want)
		}
	}
}
