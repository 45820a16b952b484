package azure

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

// RoleDefinition is an Azure built-in role: its id (the same GUID in every
// tenant), name, and the operations it allows (Actions) less those it
// does not (NotActions), with '*' matching any run of characters.
type RoleDefinition struct {
	ID          uuid.UUID
	Name        string
	Description string
	Actions     []string
	NotActions  []string
}

// The built-in roles' ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var (
	RoleOwner                   = uuid.MustParse("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
	RoleContributor             = uuid.MustParse("b24988ac-6180-42a0-ab88-20f7382dd24c")
	RoleReader                  = uuid.MustParse("acdd72a7-3385-48ef-bd42-f606fba81ae7")
	RoleUserAccessAdministrator = uuid.MustParse("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9")
)

// Roles are the modelled built-in roles, with their permissions narrowed
// to the operations this program has.
var Roles = []RoleDefinition{
	{RoleOwner, "Owner", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
		[]string{"*"}, nil},
	{RoleContributor, "Contributor", "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.",
		[]string{"*"}, []string{"Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"}},
	{RoleReader, "Reader", "View all resources, but does not allow you to make any changes.",
		[]string{"*/read"}, nil},
	{RoleUserAccessAdministrator, "User Access Administrator", "Lets you manage user access to Azure resources.",
		[]string{"*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"}, nil},
}

// RoleByID answers the built-in role with that id.
func RoleByID(id uuid.UUID) (RoleDefinition, bool) {
	i := slices.IndexFunc(Roles, func(r RoleDefinition) bool { return r.ID == id })
	if i < 0 {
		return RoleDefinition{}, false
	}
	return Roles[i], true
}

// RoleDefinitionPath is a role definition's id as ARM answers it in a
// subscription: /subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}.
func RoleDefinitionPath(sub, role uuid.UUID) string {
	return "/subscriptions/" + sub.String() + "/providers/Microsoft.Authorization/roleDefinitions/" + role.String()
}

// ParseRoleDefinitionID reads a roleDefinitionId, a full path ending in
// /roleDefinitions/{guid} or the GUID alone, and answers the built-in role.
func ParseRoleDefinitionID(s string) (RoleDefinition, error) {
	g := s
	if i := strings.LastIndex(strings.ToLower(s), "/roledefinitions/"); i >= 0 {
		g = s[i+len("/roleDefinitions/"):]
	}
	if id, err := uuid.Parse(g); err == nil {
		if r, ok := RoleByID(id); ok {
			return r, nil
		}
	}
	return RoleDefinition{}, csp.Errorf(csp.EAzureRoleDefinitionNotFound, "roleDefinitionId %q is not a modelled built-in role: use Owner (%s), Contributor (%s), Reader (%s) or User Access Administrator (%s)",
		s, RoleOwner, RoleContributor, RoleReader, RoleUserAccessAdministrator)
}

// Operations the use cases check, in ARM's spelling.
const (
	ReadSubscription      = "Microsoft.Resources/subscriptions/read"
	ReadResourceGroup     = "Microsoft.Resources/subscriptions/resourceGroups/read"
	ReadResources         = "Microsoft.Resources/subscriptions/resources/read"
	WriteResourceGroup    = "Microsoft.Resources/subscriptions/resourceGroups/write"
	DeleteResourceGroup   = "Microsoft.Resources/subscriptions/resourceGroups/delete"
	ReadRoleAssignments   = "Microsoft.Authorization/roleAssignments/read"
	WriteRoleAssignments  = "Microsoft.Authorization/roleAssignments/write"
	DeleteRoleAssignments = "Microsoft.Authorization/roleAssignments/delete"
	// ReadUsageDetails is reading a subscription's usage and its cost
	// (Cost Management's usage details): Reader and above allow it.
	ReadUsageDetails    = "Microsoft.Consumption/usageDetails/read"
	ReadRoleDefinitions = "Microsoft.Authorization/roleDefinitions/read"
)

// ReadAction is reading a resource of type t: Microsoft.Compute/virtualMachines/read.
func ReadAction(t Type) string { return string(t) + "/read" }

// WriteAction is creating or updating a resource of type t.
func WriteAction(t Type) string { return string(t) + "/write" }

// DeleteAction is deleting a resource of type t.
func DeleteAction(t Type) string { return string(t) + "/delete" }

// ResourceAction is an action on a resource of type t:
// Microsoft.Compute/virtualMachines/deallocate/action.
func ResourceAction(t Type, name string) string { return string(t) + "/" + name + "/action" }

// Permits reports whether the role allows the operation.
func (r RoleDefinition) Permits(op string) bool {
	match := func(p string) bool { return wildcard(strings.ToLower(p), strings.ToLower(op)) }
	return slices.ContainsFunc(r.Actions, match) && !slices.ContainsFunc(r.NotActions, match)
}

// wildcard matches s against p, where '*' stands for any run of
// characters ('/' included, as in ARM's action strings).
func wildcard(p, s string) bool {
	parts := strings.Split(p, "*")
	if len(parts) == 1 {
		return p == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// PrincipalType says what a role assignment's principalId is.
type PrincipalType string

// Principal types modelled. ForeignGroup is a group of another tenant: a
// partner's security group given access through GDAP, or the partner's
// admin agents (admin on behalf of), whose principalId is the partner's id.
const (
	PrincipalUser         PrincipalType = "User"
	PrincipalGroup        PrincipalType = "Group"
	PrincipalForeignGroup PrincipalType = "ForeignGroup"
)

// RoleAssignment gives a principal a role at a scope and every scope below.
type RoleAssignment struct {
	ID               uuid.UUID // its name: {scope}/providers/Microsoft.Authorization/roleAssignments/{ID}
	Scope            ResourceID
	RoleDefinitionID uuid.UUID
	PrincipalID      uuid.UUID
	PrincipalType    PrincipalType
	CreatedOn        time.Time
}

// RoleSpan is a role assignment with when it was deleted (zero while it
// exists).
type RoleSpan struct {
	RoleAssignment
	RemovedOn time.Time
}

// AdminAgentsOwner is the role assignment an Azure subscription gets when it
// is created under a partner's Azure plan: Owner at its scope for the
// partner's admin agents.
func AdminAgentsOwner(id uuid.UUID, sub, partner uuid.UUID, now time.Time) RoleAssignment {
	return RoleAssignment{ID: id, Scope: SubscriptionScope(sub), RoleDefinitionID: RoleOwner,
		PrincipalID: partner, PrincipalType: PrincipalForeignGroup, CreatedOn: now}
}

// Caller is who calls ARM, as the token layer resolves it: the object ids
// it acts as (the user's own, then its groups') and, for a partner user
// with the adminAgent role, its partner.
type Caller struct {
	PrincipalIDs []uuid.UUID
	AdminAgentOf *uuid.UUID
}

// Holds reports whether the assignment is the caller's: its principal is
// one of the caller's ids, or it is a foreign group naming the partner the
// caller is an admin agent of.
func (c Caller) Holds(a RoleAssignment) bool {
	if slices.Contains(c.PrincipalIDs, a.PrincipalID) {
		return true
	}
	return a.PrincipalType == PrincipalForeignGroup && c.AdminAgentOf != nil && *c.AdminAgentOf == a.PrincipalID
}

// Authorize answers nil when one of the caller's role assignments, at scope
// or above it, has a role that allows op; otherwise ARM's AuthorizationFailed,
// naming the roles that would. assignments may hold any assignments: those
// of other principals and other scopes are ignored.
func Authorize(assignments []RoleAssignment, c Caller, scope ResourceID, op string) error {
	for _, a := range assignments {
		if !c.Holds(a) || !a.Scope.Contains(scope) {
			continue
		}
		if r, ok := RoleByID(a.RoleDefinitionID); ok && r.Permits(op) {
			return nil
		}
	}
	who := "the caller"
	if len(c.PrincipalIDs) > 0 {
		who = "'" + c.PrincipalIDs[0].String() + "'"
	} else if c.AdminAgentOf != nil {
		who = "an admin agent of partner '" + c.AdminAgentOf.String() + "'"
	}
	return csp.Errorf(csp.EAzureAuthorizationFailed, "The client with object id %s does not have authorization to perform action '%s' over scope '%s' or the scope is invalid. A role assignment at that scope or above with one of these roles allows it: %s.",
		who, op, scope, strings.Join(RolesAllowing(op), ", "))
}

// RolesAllowing names the built-in roles that allow op.
func RolesAllowing(op string) []string {
	var out []string
	for _, r := range Roles {
		if r.Permits(op) {
			out = append(out, r.Name)
		}
	}
	return out
}

// CheckAssignment applies the rules of a new role assignment against those
// at its scope and above: a modelled role and principal type, a name not
// used by another assignment, and no second assignment of one role to one
// principal at one scope. It answers same = true when an assignment with
// that name and the same content exists (ARM's PUT is then a no-op).
func CheckAssignment(a RoleAssignment, existing []RoleAssignment) (same bool, err error) {
	if _, ok := RoleByID(a.RoleDefinitionID); !ok {
		return false, csp.Errorf(csp.EAzureRoleDefinitionNotFound, "roleDefinitionId %s is not a modelled built-in role: use Owner, Contributor, Reader or User Access Administrator", a.RoleDefinitionID)
	}
	switch a.PrincipalType {
	case PrincipalUser, PrincipalGroup, PrincipalForeignGroup:
	default:
		return false, csp.Errorf(csp.EAzureInvalidPrincipal, "principalType %q is not modelled: use User, Group or ForeignGroup", a.PrincipalType)
	}
	if a.PrincipalID == uuid.Nil {
		return false, csp.Errorf(csp.EAzureInvalidPrincipal, "principalId is required: the object id of a user or group")
	}
	for _, e := range existing {
		sameContent := e.Scope.Equal(a.Scope) && e.RoleDefinitionID == a.RoleDefinitionID && e.PrincipalID == a.PrincipalID
		switch {
		case e.ID == a.ID && sameContent:
			return true, nil
		case e.ID == a.ID:
			return false, csp.Errorf(csp.EAzureRoleAssignmentExists, "role assignment %s already exists with another scope, role or principal: role assignments cannot be updated; delete it or use a new GUID", a.ID)
		case sameContent:
			return false, csp.Errorf(csp.EAzureRoleAssignmentExists, "The role assignment already exists: principal %s holds %s at %s (role assignment %s)", a.PrincipalID, roleName(a.RoleDefinitionID), a.Scope, e.ID)
		}
	}
	return false, nil
}

func roleName(id uuid.UUID) string {
	if r, ok := RoleByID(id); ok {
		return r.Name
	}
	return id.String()
}
