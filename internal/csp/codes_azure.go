package csp

// Azure Resource Manager: scopes, resources and their names (4300-4349).
// The ARM API answers each in ARM's error shape, with the ARM error code
// named in the comment.
const (
	EAzureAuthorizationFailed   Code = 4300 // no role assignment of the caller at the scope or above allows the action (AuthorizationFailed); the message names the roles that would
	EAzureInvalidResourceID     Code = 4301 // the path or id is not an ARM scope: /subscriptions/{id}[/resourceGroups/{rg}[/providers/{namespace}/{type}/{name}...]] (InvalidResourceId)
	EAzureUnknownResourceType   Code = 4302 // the namespace and type are not a resource type this program models (InvalidResourceType)
	EAzureSubscriptionNotFound  Code = 4303 // no such Azure subscription (SubscriptionNotFound)
	EAzureResourceGroupNotFound Code = 4304 // no such resource group in the subscription (ResourceGroupNotFound)
	EAzureResourceNotFound      Code = 4305 // no such resource in the resource group (ResourceNotFound)
	EAzureParentNotFound        Code = 4306 // a nested resource's parent (a database's server) does not exist (ParentResourceNotFound)
	EAzureInvalidGroupName      Code = 4307 // a resource group name breaks ARM's rule: 1-90 letters, digits, _ - . ( ), not ending in '.' (InvalidResourceGroup)
	EAzureInvalidResourceName   Code = 4308 // a resource name breaks its type's naming rule; the message names the rule (InvalidResourceName, AccountNameInvalid)
	EAzureNameTaken             Code = 4309 // the name must be globally unique (storage accounts, SQL servers, web apps) and another subscription has it (StorageAccountAlreadyTaken, ServerNameAlreadyExists)
	EAzureInvalidLocation       Code = 4310 // location is not a modelled Azure region (LocationNotAvailableForResourceType)
	EAzureLocationMismatch      Code = 4311 // a database must be in its server's region, a web app in its plan's (InvalidLocation)
	EAzureSkuNotAvailable       Code = 4312 // the size or sku is not one modelled for the type in that region (SkuNotAvailable)
	EAzureInvalidKind           Code = 4313 // a storage account's kind does not fit: StorageV2 for Standard skus, BlockBlobStorage for Premium_LRS (InvalidKind)
	EAzureInvalidAddressSpace   Code = 4314 // a virtual network's addressSpace: IPv4 CIDR network prefixes from /8 to /29 that do not overlap (InvalidAddressPrefix)
	EAzureInvalidTags           Code = 4315 // tags: at most 50, names 1-512 without < > % & \ ? /, values at most 256 (InvalidTag)
	EAzureInvalidProperty       Code = 4316 // a required property is missing or has a value outside the rule (InvalidParameter)
	EAzureInvalidOperation      Code = 4317 // the action does not apply to the resource: start and deallocate are virtual machine actions (OperationNotAllowed)
	EAzureDatabaseNameReserved  Code = 4318 // master, model and tempdb are SQL Server's system databases (ReservedResourceName)
	EAzureSubscriptionDisabled  Code = 4319 // a disabled Azure subscription is read-only: no write until it is re-enabled (ReadOnlyDisabledSubscription)
)

// Azure RBAC: role definitions and assignments (4350-4399).
const (
	EAzureRoleDefinitionNotFound Code = 4350 // roleDefinitionId is not Owner, Contributor, Reader or User Access Administrator (RoleDefinitionDoesNotExist)
	EAzureRoleAssignmentExists   Code = 4351 // the principal already holds that role at that scope (RoleAssignmentExists)
	EAzureRoleAssignmentNotFound Code = 4352 // no role assignment with that id at that scope (RoleAssignmentNotFound)
	EAzureInvalidPrincipal       Code = 4353 // principalId is not a GUID, or principalType is not User, Group or ForeignGroup (InvalidPrincipalId, UnsupportedPrincipalType)
	EAzureInvalidAssignmentID    Code = 4354 // a role assignment's name must be a GUID (InvalidRoleAssignmentId)
	EAzureScopeMismatch          Code = 4355 // properties.scope differs from the scope in the path (InvalidRoleAssignmentScope)
)

// Azure subscriptions under the Azure plan, usage and budgets (4400-4449).
const (
	EAzureNotAzurePlan           Code = 4400 // Azure subscriptions are created only under an Azure plan subscription (productType Azure)
	EAzurePlanNotActive          Code = 4401 // the Azure plan subscription must be active to create Azure subscriptions under it
	EAzureInvalidFriendlyName    Code = 4402 // an Azure subscription's friendlyName: 1-64 characters, no < > ; |
	EAzureSubscriptionStatusSame Code = 4403 // the Azure subscription is already in the status asked (disabled or active)
	EAzureInvalidBudget          Code = 4404 // a usage budget is an amount of at least 0 in the customer's currency
	EAzureInvalidUsageRange      Code = 4405 // start_time must be before end_time, both whole hours, at most 90 days apart
	EAzureNoMeter                Code = 4406 // the price file has no meter for the resource's type, sku and region
)

// Azure subscriptions disabled by Microsoft (the operator) for
// non-payment (4440-4449).
const (
	EAzureDisabledForNonPayment    Code = 4440 // Microsoft disabled the Azure subscription for non-payment: only Microsoft (the operator) re-enables it, once the overdue invoices are paid
	EAzureNotDisabledForNonPayment Code = 4441 // the partner disabled the Azure subscription: the partner reactivates it, the operator's enable lifts only a non-payment disable
	EAzureInvalidDisabledReason    Code = 4442 // the operator's disable body: reason is nonPayment
)

// Partner Center's Azure calls: entitlements, utilization and budgets
// (4420-4439).
const (
	EAzureInvalidGranularity   Code = 4420 // granularity is daily or hourly
	EAzureInvalidUsageTime     Code = 4421 // start_time and end_time are required RFC 3339 date-times
	EAzureDailyRangeNotWhole   Code = 4422 // granularity=daily reads whole UTC days: start_time and end_time at 00:00Z
	EAzureInvalidShowDetails   Code = 4423 // show_details is true or false
	EAzureBudgetAmountRequired Code = 4424 // a usage budget body needs amount, a number of at least 0
	EAzurePlanHasNoUtilization Code = 4425 // utilization is read per Azure subscription (entitlement), not on the Azure plan subscription
)

func init() {
	for c, k := range map[Code]Kind{
		EAzureAuthorizationFailed: KindForbidden, EAzureSubscriptionNotFound: KindNotFound,
		EAzureResourceGroupNotFound: KindNotFound, EAzureResourceNotFound: KindNotFound, EAzureParentNotFound: KindNotFound,
		EAzureNameTaken: KindConflict, EAzureSubscriptionDisabled: KindConflict,
		EAzureRoleDefinitionNotFound: KindNotFound, EAzureRoleAssignmentExists: KindConflict,
		EAzureRoleAssignmentNotFound: KindNotFound, EAzureSubscriptionStatusSame: KindConflict,
		EAzureNoMeter: KindInternal, EAzureDisabledForNonPayment: KindConflict, EAzureNotDisabledForNonPayment: KindConflict,
	} {
		kinds[c] = k
	}
}
