package azure

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

var (
	alice   = uuid.MustParse("aaaaaaaa-0000-4000-8000-000000000001")
	bob     = uuid.MustParse("bbbbbbbb-0000-4000-8000-000000000002")
	ops     = uuid.MustParse("cccccccc-0000-4000-8000-000000000003") // a group bob is in
	partner = uuid.MustParse("dddddddd-0000-4000-8000-000000000004")
	t0      = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
)

func assign(n byte, scope ResourceID, role, principal uuid.UUID, pt PrincipalType) RoleAssignment {
	return RoleAssignment{ID: uuid.UUID{n}, Scope: scope, RoleDefinitionID: role, PrincipalID: principal, PrincipalType: pt, CreatedOn: t0}
}

func TestBuiltInRolesPermit(t *testing.T) {
	vmWrite := WriteAction(TypeVirtualMachine)
	for _, c := range []struct {
		role uuid.UUID
		op   string
		want bool
	}{
		{RoleOwner, vmWrite, true}, {RoleOwner, WriteRoleAssignments, true},
		{RoleContributor, vmWrite, true}, {RoleContributor, ResourceAction(TypeVirtualMachine, "deallocate"), true},
		{RoleContributor, WriteRoleAssignments, false}, {RoleContributor, DeleteRoleAssignments, false}, {RoleContributor, ReadRoleAssignments, true},
		{RoleReader, ReadAction(TypeVirtualMachine), true}, {RoleReader, ReadResourceGroup, true}, {RoleReader, vmWrite, false},
		{RoleReader, ResourceAction(TypeVirtualMachine, "start"), false},
		{RoleUserAccessAdministrator, WriteRoleAssignments, true}, {RoleUserAccessAdministrator, ReadAction(TypeSQLDatabase), true},
		{RoleUserAccessAdministrator, vmWrite, false},
	} {
		r, _ := RoleByID(c.role)
		if got := r.Permits(c.op); got != c.want {
			t.Errorf("%s permits %s: got %v, want %v", r.Name, c.op, got, c.want)
		}
	}
	if got := strings.Join(RolesAllowing(WriteRoleAssignments), ","); got != "Owner,User Access Administrator" {
		t.Errorf("roles allowing roleAssignments/write: %s", got)
	}
}

func TestAuthorizeInheritsDownwardsOnly(t *testing.T) {
	sub := SubscriptionScope(subA)
	web := GroupScope(subA, "web")
	vmWeb := NewResourceID(subA, "web", TypeVirtualMachine, "vm1")
	vmData := NewResourceID(subA, "data", TypeVirtualMachine, "vm2")
	vmOther := NewResourceID(subB, "web", TypeVirtualMachine, "vm1")
	all := []RoleAssignment{
		assign(1, sub, RoleReader, alice, PrincipalUser),
		assign(2, GroupScope(subA, "WEB"), RoleContributor, ops, PrincipalGroup),
		assign(3, sub, RoleOwner, partner, PrincipalForeignGroup),
	}
	aliceC := Caller{PrincipalIDs: []uuid.UUID{alice}}
	bobC := Caller{PrincipalIDs: []uuid.UUID{bob, ops}}
	agent := Caller{PrincipalIDs: []uuid.UUID{uuid.MustParse("eeeeeeee-0000-4000-8000-000000000005")}, AdminAgentOf: &partner}
	for _, c := range []struct {
		who   string
		c     Caller
		scope ResourceID
		op    string
		ok    bool
	}{
		{"Reader at the subscription reads a vm in a group", aliceC, vmWeb, ReadAction(TypeVirtualMachine), true},
		{"Reader may not write it", aliceC, vmWeb, WriteAction(TypeVirtualMachine), false},
		{"Reader may not deallocate it", aliceC, vmWeb, ResourceAction(TypeVirtualMachine, "deallocate"), false},
		{"Contributor at a group (through a group) writes there", bobC, vmWeb, WriteAction(TypeVirtualMachine), true},
		{"Contributor at the group writes the group itself", bobC, web, WriteResourceGroup, true},
		{"not in another group", bobC, vmData, WriteAction(TypeVirtualMachine), false},
		{"nor at the subscription above", bobC, sub, WriteResourceGroup, false},
		{"nor assign roles in its group", bobC, web, WriteRoleAssignments, false},
		{"admin agents hold Owner", agent, vmData, WriteRoleAssignments, true},
		{"Owner of sub A has nothing on sub B", agent, vmOther, ReadAction(TypeVirtualMachine), false},
		{"the partner's id among one's principals is not admin agency", Caller{AdminAgentOf: &bob}, vmWeb, ReadAction(TypeVirtualMachine), false},
		{"no principals, no rights", Caller{}, sub, ReadSubscription, false},
	} {
		err := Authorize(all, c.c, c.scope, c.op)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.who, err)
		}
		if err != nil && csp.ErrorCode(err) != csp.EAzureAuthorizationFailed {
			t.Errorf("%s: code %d", c.who, csp.ErrorCode(err))
		}
	}
	err := Authorize(all, aliceC, vmWeb, WriteAction(TypeVirtualMachine))
	want := "The client with object id '" + alice.String() + "' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/write' over scope '" + vmWeb.String() + "' or the scope is invalid."
	if msg := csp.ErrorMessage(err); !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, "these roles allows it: Owner, Contributor.") {
		t.Errorf("message: %s", msg)
	}
}

func TestCheckAssignment(t *testing.T) {
	rg := GroupScope(subA, "web")
	existing := []RoleAssignment{assign(1, rg, RoleReader, alice, PrincipalUser)}
	if same, err := CheckAssignment(assign(1, GroupScope(subA, "WEB"), RoleReader, alice, PrincipalUser), existing); err != nil || !same {
		t.Errorf("the same PUT again is a no-op: %v %v", same, err)
	}
	for _, c := range []struct {
		a    RoleAssignment
		code csp.Code
	}{
		{assign(1, rg, RoleOwner, alice, PrincipalUser), csp.EAzureRoleAssignmentExists},
		{assign(2, rg, RoleReader, alice, PrincipalUser), csp.EAzureRoleAssignmentExists},
		{assign(2, rg, uuid.MustParse("9980e02c-c2be-4d73-94e8-173b1dc7cf3c"), alice, PrincipalUser), csp.EAzureRoleDefinitionNotFound},
		{assign(2, rg, RoleReader, alice, "ServicePrincipal"), csp.EAzureInvalidPrincipal},
		{assign(2, rg, RoleReader, uuid.Nil, PrincipalUser), csp.EAzureInvalidPrincipal},
	} {
		if _, err := CheckAssignment(c.a, existing); csp.ErrorCode(err) != c.code {
			t.Errorf("%+v: got %v, want %d", c.a, err, c.code)
		}
	}
	if _, err := CheckAssignment(assign(2, rg, RoleContributor, alice, PrincipalUser), existing); err != nil {
		t.Errorf("a second role for the principal: %v", err)
	}
	r, err := ParseRoleDefinitionID(RoleDefinitionPath(subA, RoleContributor))
	if err != nil || r.Name != "Contributor" {
		t.Errorf("role definition path: %v %v", r, err)
	}
	if r, err := ParseRoleDefinitionID("ACDD72A7-3385-48EF-BD42-F606FBA81AE7"); err != nil || r.Name != "Reader" {
		t.Errorf("bare GUID: %v %v", r, err)
	}
	a := AdminAgentsOwner(uuid.UUID{9}, subA, partner, t0)
	if a.PrincipalType != PrincipalForeignGroup || a.RoleDefinitionID != RoleOwner || !a.Scope.Equal(SubscriptionScope(subA)) {
		t.Errorf("admin agents' assignment: %+v", a)
	}
}
