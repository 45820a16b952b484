// Package azure holds the rules of Azure inside a tenant, as Azure Resource
// Manager (ARM) enforces them: resource ids and scopes, resource types with
// their names, regions, sizes and skus, role-based access control with the
// built-in roles, hourly usage metering, the built-in price file, rating
// into daily lines, and budgets. Pure: no I/O, no clock, no random ids.
package azure

import (
	"strings"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

// Level is how deep a scope is: a subscription, a resource group, or a
// resource (possibly nested, as a database under its server).
type Level int

// Scope levels, outermost first.
const (
	LevelSubscription Level = iota + 1
	LevelResourceGroup
	LevelResource
)

// ResourceID is an ARM scope: a subscription, a resource group in it, or a
// resource in a group. ARM compares ids case-insensitively; String keeps the
// names as they were given, Key is the lower-cased form to compare and
// index by.
type ResourceID struct {
	Subscription uuid.UUID
	Group        string // "" at subscription scope
	Type         Type   // "" above resource scope
	// Names has one name per segment of Type after its namespace: one for
	// virtualMachines, two (server, database) for servers/databases.
	Names []string
}

// SubscriptionScope is /subscriptions/{sub}.
func SubscriptionScope(sub uuid.UUID) ResourceID { return ResourceID{Subscription: sub} }

// GroupScope is /subscriptions/{sub}/resourceGroups/{group}.
func GroupScope(sub uuid.UUID, group string) ResourceID {
	return ResourceID{Subscription: sub, Group: group}
}

// NewResourceID is a resource's id: names holds one name per segment of t.
func NewResourceID(sub uuid.UUID, group string, t Type, names ...string) ResourceID {
	return ResourceID{Subscription: sub, Group: group, Type: t, Names: names}
}

// Level answers how deep the scope is.
func (id ResourceID) Level() Level {
	switch {
	case id.Type != "":
		return LevelResource
	case id.Group != "":
		return LevelResourceGroup
	}
	return LevelSubscription
}

// Name is the resource's own (last) name, the group's name at group scope,
// or the subscription id.
func (id ResourceID) Name() string {
	switch id.Level() {
	case LevelResource:
		return id.Names[len(id.Names)-1]
	case LevelResourceGroup:
		return id.Group
	}
	return id.Subscription.String()
}

// String is the id in ARM's canonical spelling:
// /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{s}/databases/{d}.
func (id ResourceID) String() string {
	var b strings.Builder
	b.WriteString("/subscriptions/")
	b.WriteString(id.Subscription.String())
	if id.Group == "" {
		return b.String()
	}
	b.WriteString("/resourceGroups/")
	b.WriteString(id.Group)
	if id.Type == "" {
		return b.String()
	}
	b.WriteString("/providers/")
	b.WriteString(id.Type.Namespace())
	for i, seg := range id.Type.Segments() {
		b.WriteByte('/')
		b.WriteString(seg)
		b.WriteByte('/')
		if i < len(id.Names) {
			b.WriteString(id.Names[i])
		}
	}
	return b.String()
}

// Key is String lower-cased: two ids name the same scope when their keys
// are equal.
func (id ResourceID) Key() string { return strings.ToLower(id.String()) }

// Equal reports whether id and o name the same scope (case-insensitively).
func (id ResourceID) Equal(o ResourceID) bool { return id.Key() == o.Key() }

// Contains reports whether o is id or lies below it: a resource group is
// under its subscription, a resource under its group, a database under its
// server. A role assigned at id applies at every scope it contains.
func (id ResourceID) Contains(o ResourceID) bool {
	k, ok := id.Key(), o.Key()
	return ok == k || strings.HasPrefix(ok, k+"/")
}

// Parent answers the scope right above id: a nested resource's parent
// resource, a resource's group, a group's subscription; false for a
// subscription.
func (id ResourceID) Parent() (ResourceID, bool) {
	switch id.Level() {
	case LevelResource:
		if p, ok := id.Type.Parent(); ok {
			return NewResourceID(id.Subscription, id.Group, p, id.Names[:len(id.Names)-1]...), true
		}
		return GroupScope(id.Subscription, id.Group), true
	case LevelResourceGroup:
		return SubscriptionScope(id.Subscription), true
	}
	return ResourceID{}, false
}

// ParseResourceID reads an ARM scope, with its keywords, namespace and type
// in any case: /subscriptions/{id}, /subscriptions/{id}/resourceGroups/{rg}
// or /subscriptions/{id}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{type}/{name}].
// The type is spelled canonically in the answer; the names as given.
func ParseResourceID(s string) (ResourceID, error) {
	bad := func(why string) (ResourceID, error) {
		return ResourceID{}, csp.Errorf(csp.EAzureInvalidResourceID, "%q is not an Azure Resource Manager id: %s. Use /subscriptions/{subscriptionId}, /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName} or /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{namespace}/{type}/{name}", s, why)
	}
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if len(parts) < 2 || !strings.EqualFold(parts[0], "subscriptions") {
		return bad("it does not start with /subscriptions/{subscriptionId}")
	}
	for _, p := range parts {
		if p == "" {
			return bad("it has an empty segment")
		}
	}
	sub, err := uuid.Parse(parts[1])
	if err != nil || len(parts[1]) != 36 {
		return bad("the subscription id is not a GUID")
	}
	id := ResourceID{Subscription: sub}
	rest := parts[2:]
	if len(rest) == 0 {
		return id, nil
	}
	if len(rest) < 2 || !strings.EqualFold(rest[0], "resourceGroups") {
		return bad("after the subscription comes resourceGroups/{resourceGroupName}")
	}
	id.Group = rest[1]
	rest = rest[2:]
	if len(rest) == 0 {
		return id, nil
	}
	if len(rest) < 4 || !strings.EqualFold(rest[0], "providers") || len(rest)%2 != 0 {
		return bad("after the resource group comes providers/{namespace}/{type}/{name}")
	}
	ns := rest[1]
	var segs []string
	for i := 2; i < len(rest); i += 2 {
		segs = append(segs, rest[i])
		id.Names = append(id.Names, rest[i+1])
	}
	t, ok := LookupType(ns, segs)
	if !ok {
		return ResourceID{}, csp.Errorf(csp.EAzureUnknownResourceType, "the resource type '%s/%s' is not one this program models: use %s", ns, strings.Join(segs, "/"), typeList())
	}
	id.Type = t
	return id, nil
}

// roleAssignmentsPath is what follows a scope in a role assignment's id.
const roleAssignmentsPath = "/providers/microsoft.authorization/roleassignments/"

// RoleAssignmentPath is a role assignment's id:
// {scope}/providers/Microsoft.Authorization/roleAssignments/{name}.
func RoleAssignmentPath(scope ResourceID, name uuid.UUID) string {
	return scope.String() + "/providers/Microsoft.Authorization/roleAssignments/" + name.String()
}

// ParseRoleAssignmentPath splits a role assignment's id into its scope and
// name (a GUID, unchecked here); the name is "" when the path ends at
// .../roleAssignments (a listing at the scope).
func ParseRoleAssignmentPath(s string) (ResourceID, string, error) {
	trimmed := strings.TrimRight(s, "/")
	low := strings.ToLower(trimmed)
	if base := strings.TrimSuffix(roleAssignmentsPath, "/"); strings.HasSuffix(low, base) {
		scope, err := ParseResourceID(trimmed[:len(trimmed)-len(base)])
		return scope, "", err
	}
	i := strings.LastIndex(low, roleAssignmentsPath)
	if i < 0 || strings.Contains(trimmed[i+len(roleAssignmentsPath):], "/") {
		return ResourceID{}, "", csp.Errorf(csp.EAzureInvalidResourceID, "%q is not a role assignment id: use {scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}", s)
	}
	scope, err := ParseResourceID(trimmed[:i])
	if err != nil {
		return ResourceID{}, "", err
	}
	return scope, trimmed[i+len(roleAssignmentsPath):], nil
}
