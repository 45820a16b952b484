package azure

import (
	"testing"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

var subA = uuid.MustParse("11111111-1111-4111-8111-111111111111")
var subB = uuid.MustParse("22222222-2222-4222-8222-222222222222")

func TestParseResourceIDLevelsAndCanonicalSpelling(t *testing.T) {
	for _, c := range []struct {
		in, want string
		level    Level
		typ      Type
	}{
		{"/subscriptions/11111111-1111-4111-8111-111111111111", "/subscriptions/11111111-1111-4111-8111-111111111111", LevelSubscription, ""},
		{"/SUBSCRIPTIONS/11111111-1111-4111-8111-111111111111/resourcegroups/Web-RG/", "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/Web-RG", LevelResourceGroup, ""},
		{"/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/microsoft.compute/VIRTUALMACHINES/vm1",
			"/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1", LevelResource, TypeVirtualMachine},
		{"/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1/databases/db1",
			"/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1/databases/db1", LevelResource, TypeSQLDatabase},
	} {
		id, err := ParseResourceID(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if id.String() != c.want || id.Level() != c.level || id.Type != c.typ {
			t.Errorf("%s: got %s level %d type %q", c.in, id, id.Level(), id.Type)
		}
	}
}

func TestParseResourceIDRefusals(t *testing.T) {
	for in, code := range map[string]csp.Code{
		"/tenants/x":                csp.EAzureInvalidResourceID,
		"/subscriptions/not-a-guid": csp.EAzureInvalidResourceID,
		"/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups":                                        csp.EAzureInvalidResourceID,
		"/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Compute":         csp.EAzureInvalidResourceID,
		"/subscriptions/11111111-1111-4111-8111-111111111111//resourceGroups/rg":                                    csp.EAzureInvalidResourceID,
		"/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Foo/bars/x":      csp.EAzureUnknownResourceType,
		"/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Sql/databases/x": csp.EAzureUnknownResourceType,
	} {
		if _, err := ParseResourceID(in); csp.ErrorCode(err) != code {
			t.Errorf("%s: got %v, want code %d", in, err, code)
		}
	}
}

func TestScopeContainment(t *testing.T) {
	sub := SubscriptionScope(subA)
	rg := GroupScope(subA, "RG")
	vm := NewResourceID(subA, "rg", TypeVirtualMachine, "vm1")
	server := NewResourceID(subA, "rg", TypeSQLServer, "sql1")
	db := NewResourceID(subA, "rg", TypeSQLDatabase, "SQL1", "db1")
	for _, c := range []struct {
		outer, inner ResourceID
		want         bool
	}{
		{sub, rg, true}, {sub, vm, true}, {rg, vm, true}, {vm, vm, true},
		{server, db, true}, // a role on a server applies to its databases
		{vm, rg, false}, {rg, sub, false},
		{GroupScope(subA, "rg2"), vm, false},
		{GroupScope(subA, "r"), vm, false}, // "r" is not a prefix scope of "rg"
		{SubscriptionScope(subB), vm, false},
		{NewResourceID(subA, "rg", TypeVirtualMachine, "vm"), vm, false},
	} {
		if got := c.outer.Contains(c.inner); got != c.want {
			t.Errorf("%s contains %s: got %v, want %v", c.outer, c.inner, got, c.want)
		}
	}
	if p, _ := db.Parent(); !p.Equal(server) {
		t.Errorf("database's parent is %s", p)
	}
	if p, _ := vm.Parent(); !p.Equal(rg) {
		t.Errorf("vm's parent is %s", p)
	}
	if p, _ := rg.Parent(); !p.Equal(sub) {
		t.Errorf("group's parent is %s", p)
	}
	if _, ok := sub.Parent(); ok {
		t.Error("a subscription has no parent")
	}
	if db.Name() != "db1" || rg.Name() != "RG" {
		t.Errorf("names: %s %s", db.Name(), rg.Name())
	}
}

func TestRoleAssignmentPath(t *testing.T) {
	name := uuid.MustParse("33333333-3333-4333-8333-333333333333")
	vm := NewResourceID(subA, "rg", TypeVirtualMachine, "vm1")
	p := RoleAssignmentPath(vm, name)
	scope, got, err := ParseRoleAssignmentPath(p)
	if err != nil || !scope.Equal(vm) || got != name.String() {
		t.Fatalf("round trip of %s: %s %s %v", p, scope, got, err)
	}
	scope, got, err = ParseRoleAssignmentPath("/subscriptions/" + subA.String() + "/providers/microsoft.authorization/ROLEASSIGNMENTS")
	if err != nil || scope.Level() != LevelSubscription || got != "" {
		t.Fatalf("listing path: %s %q %v", scope, got, err)
	}
	if _, _, err := ParseRoleAssignmentPath("/subscriptions/" + subA.String() + "/providers/Microsoft.Authorization/roleAssignments/a/b"); csp.ErrorCode(err) != csp.EAzureInvalidResourceID {
		t.Errorf("a path with more after the name: %v", err)
	}
}
