// Package directory holds the rules of a tenant's Entra ID directory: its
// built-in roles and what each permits, users, security groups, licence
// pools and assignments, and the premium features that need Entra ID P1 or
// P2. Pure: no I/O, no clock, no random ids.
package directory

import (
	"slices"

	"github.com/google/uuid"
)

// Role is an Entra ID built-in role, named by its role template id (the
// same GUID in every tenant; GDAP relationships list roles by it).
type Role struct {
	TemplateID  uuid.UUID
	DisplayName string
	Description string
	// Privileged marks the roles Entra flags as privileged.
	Privileged bool
}

// Microsoft's template ids of the built-in roles this program models
// (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
var (
	GlobalAdministrator            = uuid.MustParse("62e90394-69f5-4237-9190-012177145e10")
	UserAdministrator              = uuid.MustParse("fe930be7-5e62-47db-91af-98c3a49a38b1")
	LicenseAdministrator           = uuid.MustParse("4d6ac14f-3453-41d0-bef9-a3e0c569773a")
	BillingAdministrator           = uuid.MustParse("b0f54661-2d74-4c50-afa3-1ec803f12efe")
	ConditionalAccessAdministrator = uuid.MustParse("b1be1c3e-b65d-4f19-8427-f6fa0d97feb9")
	DirectoryReaders               = uuid.MustParse("88d8e3e3-8f55-4a1e-953a-9b9898b8876b")
	GlobalReader                   = uuid.MustParse("f2ef992c-3afb-46b9-b7cf-a126ee74c451")
	GroupsAdministrator            = uuid.MustParse("fdd7a751-b60b-444a-984c-02652fe8fa1c")
	HelpdeskAdministrator          = uuid.MustParse("729827e3-9c14-49f7-bb1b-9608f156bbb8")
	PrivilegedRoleAdministrator    = uuid.MustParse("e8611ab8-c189-46e8-94e1-60213ab1f814")
	SecurityAdministrator          = uuid.MustParse("194ae4cb-b126-40b2-bd5b-6091b380977d")
	SecurityReader                 = uuid.MustParse("5d6b6bb7-de71-4623-b4af-96380a352509")
)

// Roles lists the modelled built-in roles, Global Administrator first.
var Roles = []Role{
	{GlobalAdministrator, "Global Administrator", "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.", true},
	{UserAdministrator, "User Administrator", "Can manage all aspects of users and groups, including resetting passwords for limited admins.", true},
	{LicenseAdministrator, "License Administrator", "Can manage product licenses on users and groups.", false},
	{BillingAdministrator, "Billing Administrator", "Can perform common billing related tasks like updating payment information.", false},
	{ConditionalAccessAdministrator, "Conditional Access Administrator", "Can manage Conditional Access capabilities.", true},
	{DirectoryReaders, "Directory Readers", "Can read basic directory information. Commonly used to grant directory read access to applications and guests.", false},
	{GlobalReader, "Global Reader", "Can read everything that a Global Administrator can, but not update anything.", true},
	{GroupsAdministrator, "Groups Administrator", "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.", false},
	{HelpdeskAdministrator, "Helpdesk Administrator", "Can reset passwords for non-administrators and Helpdesk Administrators.", true},
	{PrivilegedRoleAdministrator, "Privileged Role Administrator", "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.", true},
	{SecurityAdministrator, "Security Administrator", "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.", true},
	{SecurityReader, "Security Reader", "Can read security information and reports in Microsoft Entra ID and Office 365.", true},
}

// RoleByID answers the modelled role with that template id.
func RoleByID(id uuid.UUID) (Role, bool) {
	for _, r := range Roles {
		if r.TemplateID == id {
			return r, true
		}
	}
	return Role{}, false
}

// RoleName answers a template id's display name, or the id itself.
func RoleName(id uuid.UUID) string {
	if r, ok := RoleByID(id); ok {
		return r.DisplayName
	}
	return id.String()
}

// Action is something done in a directory that a role may permit.
type Action string

// Actions the use cases check. Reads are separate from writes so that the
// reader roles can be modelled.
const (
	ReadDirectory          Action = "directory.read"          // users, groups, roles, licences
	WriteUsers             Action = "users.write"             // create, update, block, delete users
	WriteGroups            Action = "groups.write"            // create groups, change members
	AssignLicenses         Action = "licenses.assign"         // assignLicense, licenseupdates
	ReadBilling            Action = "billing.read"            // subscribedSkus, subscriptions
	AssignRoles            Action = "roles.assign"            // directory role members, PIM eligibility
	ReadConditionalAccess  Action = "conditionalAccess.read"  // policies
	WriteConditionalAccess Action = "conditionalAccess.write" // create, change, delete policies
	ManageDelegatedAdmin   Action = "delegatedAdmin.manage"   // approve or terminate a GDAP relationship
)

// permits is which roles allow each action, after Entra's role definitions
// narrowed to the actions modelled. Global Administrator allows every one.
var permits = map[Action][]uuid.UUID{
	ReadDirectory: {UserAdministrator, LicenseAdministrator, DirectoryReaders, GlobalReader, GroupsAdministrator,
		HelpdeskAdministrator, PrivilegedRoleAdministrator, SecurityAdministrator, SecurityReader, ConditionalAccessAdministrator, BillingAdministrator},
	WriteUsers:             {UserAdministrator},
	WriteGroups:            {UserAdministrator, GroupsAdministrator},
	AssignLicenses:         {UserAdministrator, LicenseAdministrator},
	ReadBilling:            {BillingAdministrator, LicenseAdministrator, UserAdministrator, GlobalReader, DirectoryReaders},
	AssignRoles:            {PrivilegedRoleAdministrator},
	ReadConditionalAccess:  {ConditionalAccessAdministrator, SecurityAdministrator, SecurityReader, GlobalReader},
	WriteConditionalAccess: {ConditionalAccessAdministrator, SecurityAdministrator},
	ManageDelegatedAdmin:   {},
}

// Permits reports whether any of roles allows a.
func Permits(roles []uuid.UUID, a Action) bool {
	if slices.Contains(roles, GlobalAdministrator) {
		return true
	}
	for _, r := range permits[a] {
		if slices.Contains(roles, r) {
			return true
		}
	}
	return false
}

// RolesFor answers the role names that allow a, Global Administrator first:
// what a refusal tells the caller to obtain.
func RolesFor(a Action) []string {
	names := []string{"Global Administrator"}
	for _, r := range permits[a] {
		names = append(names, RoleName(r))
	}
	return names
}
