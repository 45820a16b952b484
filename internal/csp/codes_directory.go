package csp

// Tenant-scoped tokens (1120-1149). The token endpoint answers them in
// OAuth's error shape, naming the AADSTS code Entra ID would.
const (
	ETokenInvalidClient  Code = 1120 // client_id is not a key id, or client_secret is not that key (AADSTS7000215)
	ETokenUnsupported    Code = 1121 // grant_type is not client_credentials (AADSTS70003)
	ETokenInvalidScope   Code = 1122 // scope is not https://graph.microsoft.com/.default or https://management.azure.com/.default (AADSTS70011)
	ETokenTenantNotFound Code = 1123 // the path's tenant id names no tenant or partner (AADSTS90002)
	ETokenUnauthorized   Code = 1124 // the key may not act in that tenant: an operator key, or another tenant's user (AADSTS700016)
	ETokenExpired        Code = 1125 // the bearer token is past its 3,600 s (Graph and ARM answer InvalidAuthenticationToken / ExpiredAuthenticationToken)
	ETokenInvalid        Code = 1126 // the bearer is not a token this server issued, or is for the other API's audience
)

// Directory: users, groups and roles (4000-4049).
const (
	EDirectoryForbidden   Code = 4000 // the caller's directory roles do not allow the action; the message names the roles that would
	EUPNDomain            Code = 4001 // userPrincipalName is not alias@domain with a domain of the tenant
	EUPNTaken             Code = 4002 // another user of the tenant has that userPrincipalName
	EInvalidUsageLocation Code = 4003 // usageLocation is not an ISO 3166 alpha-2 country code
	EGroupNotFound        Code = 4004 // no such group in the tenant
	EGroupNameTaken       Code = 4005 // a security group of the tenant has that displayName (OpenCSP keeps them unique)
	EMemberExists         Code = 4006 // the user is already a member of the group
	EMemberNotFound       Code = 4007 // the user is not a member of the group (or of the role)
	ERoleNotFound         Code = 4008 // the role template id is not a modelled Entra built-in role
	ELastGlobalAdmin      Code = 4009 // the tenant's last enabled Global Administrator cannot be removed, blocked or deleted
	ENotSecurityGroup     Code = 4010 // only security groups are modelled: securityEnabled true, mailEnabled false
)

// Licences (4050-4099).
const (
	ESkuNotFound         Code = 4050 // the skuId is not a SKU the tenant holds or the catalog lists
	ENoUnitsAvailable    Code = 4051 // assigning needs a free enabled unit of the SKU; every prepaid unit is assigned
	ENeedsUsageLocation  Code = 4052 // a licence can be assigned only to a user with a usageLocation
	EInvalidDisabledPlan Code = 4053 // disabledPlans names a service plan the SKU does not contain
	ELicenseNotAssigned  Code = 4054 // removeLicenses names a SKU the user does not hold
	ESkuNotAssignable    Code = 4055 // the SKU's units are suspended or locked out: none can be assigned
)

// Premium features (4100-4149).
const (
	ENeedsEntraP1       Code = 4100 // conditional access needs Microsoft Entra ID P1 (standalone or in a suite such as Microsoft 365 E3 or Business Premium)
	ENeedsEntraP2       Code = 4101 // PIM eligible assignments and risk-based conditional access need Microsoft Entra ID P2 (standalone or in Microsoft 365 E5)
	EPolicyNotFound     Code = 4102 // no such conditional access policy
	EInvalidPolicy      Code = 4103 // the policy's state, conditions or grant controls are not valid
	EInvalidEligibility Code = 4104 // the PIM request's action, principal, role or schedule is not valid
)

func init() {
	for c, k := range map[Code]Kind{
		ETokenInvalidClient: KindUnauthenticated,
		ETokenExpired:       KindUnauthenticated, ETokenInvalid: KindUnauthenticated,
		EDirectoryForbidden: KindForbidden, EUPNTaken: KindConflict, EGroupNotFound: KindNotFound,
		EMemberExists: KindConflict, EMemberNotFound: KindNotFound,
		ERoleNotFound: KindNotFound, ESkuNotFound: KindNotFound, EPolicyNotFound: KindNotFound,
	} {
		kinds[c] = k
	}
}
