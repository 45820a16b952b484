package csp

// Delegated admin relationships, GDAP (4200-4219): Microsoft Graph's
// delegatedAdminRelationship and its requests.
const (
	EGDAPDisplayName      Code = 4200 // displayName is empty or longer than 50 characters
	EGDAPDisplayNameTaken Code = 4201 // another delegated admin relationship of the partner has that displayName (compared case-insensitively)
	EGDAPDuration         Code = 4202 // duration is not an ISO 8601 whole number of days between P1D and P730D (P2Y)
	EGDAPNoRoles          Code = 4203 // accessDetails.unifiedRoles is empty: a relationship asks for at least one role
	EGDAPInvalidRole      Code = 4204 // a roleDefinitionId is not a modelled Entra built-in role template id
	EGDAPAutoExtend       Code = 4205 // autoExtendDuration is not P0D, PT0S or P180D
	EGDAPAutoExtendAdmin  Code = 4206 // a relationship with the Global Administrator role cannot auto-extend
	EGDAPNotFound         Code = 4207 // no such delegated admin relationship of the partner (or, for a customer, on its tenant)
	EGDAPNotCreated       Code = 4208 // changing displayName, duration or roles, deleting, or locking for approval needs status created
	EGDAPNotPending       Code = 4209 // approving or rejecting needs status approvalPending
	EGDAPNotActive        Code = 4210 // terminating, and creating or changing access assignments, need status active
	EGDAPAutoExtendFixed  Code = 4211 // autoExtendDuration can change only while created or active
	EGDAPActiveRoles      Code = 4212 // an active relationship's roles can only lose Global Administrator, nothing else
	EGDAPRequestAction    Code = 4213 // the request's action is not one this side may take (partner: lockForApproval, terminate; customer: approve, reject, terminate)
	EGDAPCustomerName     Code = 4214 // customer.displayName is longer than 256 characters
)

// GDAP access assignments (4220-4239): Microsoft Graph's
// delegatedAdminAccessAssignment.
const (
	EGDAPAssignmentNotFound Code = 4220 // no such access assignment in the relationship
	EGDAPAssignmentNoRoles  Code = 4221 // an access assignment gives its group at least one role
	EGDAPAssignmentRole     Code = 4222 // an access assignment's role is not one of its relationship's roles
	EGDAPAssignmentExists   Code = 4223 // the security group already has an access assignment in the relationship: change that one
	EGDAPAssignmentDeleted  Code = 4224 // the access assignment was deleted: create a new one
	EGDAPContainerType      Code = 4225 // accessContainer.accessContainerType is not securityGroup
	EGDAPContainerNotGroup  Code = 4226 // accessContainer.accessContainerId is not a security group of the partner's own tenant
	EGDAPIfMatchRequired    Code = 4227 // PATCH or DELETE of a relationship or an access assignment without If-Match: send its @odata.etag
	EGDAPPartnerTenant      Code = 4228 // delegated admin relationships are called by a partner user with a token for the partner's own tenant (or its key at /v1.0)
)

func init() {
	for c, k := range map[Code]Kind{
		EGDAPDisplayNameTaken: KindConflict, EGDAPNotFound: KindNotFound,
		EGDAPAssignmentNotFound: KindNotFound, EGDAPAssignmentExists: KindConflict,
		EGDAPPartnerTenant: KindForbidden,
	} {
		kinds[c] = k
	}
}
