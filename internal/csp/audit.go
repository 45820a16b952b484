package csp

import (
	"time"

	"github.com/google/uuid"
)

// AuditRecord is one change, in Partner Center's audit record terms: who did
// what to which resource, when, with its value before and after (JSON text).
type AuditRecord struct {
	ID                uuid.UUID
	PartnerID         *uuid.UUID // the partner whose records list it; nil for operator and customer actions outside a partner
	TenantID          *uuid.UUID // the customer in whose context it happened
	CustomerName      string
	UserPrincipalName string
	ApplicationID     string
	ResourceType      string // customer, partner_user, partner_customer_relationship, ...
	OperationType     string // add_customer, update_customer_qualification, ...
	OperationStatus   string // succeeded
	ResourceOldValue  string
	ResourceNewValue  string
	OperationDate     time.Time
	CorrelationID     string
}

// Audit resource types (Partner Center's names where it has one).
const (
	ResCustomer       = "customer"
	ResPartner        = "partner"
	ResPartnerUser    = "partner_user"
	ResRelationship   = "partner_customer_relationship"
	ResApplicationKey = "application_credential"
	ResCustomerUser   = "customer_user"
	ResSalePolicy     = "self_serve_policy"
	ResMultiTenantOrg = "multitenant_organization"
	ResClock          = "clock"
	ResGroup          = "security_group"
	ResLicense        = "license"
	ResDirectoryRole  = "directory_role"
	ResPolicy         = "conditional_access_policy"
	ResPriceBook      = "price_book"
)

// Audit operation types.
const (
	OpAddCustomer          = "add_customer"
	OpUpdateQualification  = "update_customer_qualification"
	OpUpdateBillingProfile = "update_customer_billing_profile"
	OpAddPartner           = "add_partner"
	OpUpdateSalePolicy     = "update_sale_policy"
	OpAddPartnerUser       = "add_partner_user"
	OpAddKey               = "add_application_credential"
	OpRevokeKey            = "remove_application_credential"
	OpAddRelationship      = "add_partner_customer_relationship"
	OpRemoveRelationship   = "remove_partner_customer_relationship"
	OpCreateMTO            = "create_multitenant_organization"
	OpAddMTOTenant         = "add_multitenant_organization_tenant"
	OpJoinMTO              = "join_multitenant_organization"
	OpAdvanceClock         = "advance_clock"
	OpAddUser              = "add_customer_user"
	OpUpdateUser           = "update_customer_user"
	OpAddGroup             = "add_security_group"
	OpAddGroupMember       = "add_security_group_member"
	OpRemoveGroupMember    = "remove_security_group_member"
	OpAssignLicense        = "update_customer_user_licenses"
	OpAddRoleMember        = "add_directory_role_member"
	OpRemoveRoleMember     = "remove_directory_role_member"
	OpAddPolicy            = "add_conditional_access_policy"
	OpUpdatePolicy         = "update_conditional_access_policy"
	OpDeletePolicy         = "delete_conditional_access_policy"
	OpRequestEligibility   = "request_role_eligibility"
	OpUpdatePriceBook      = "update_price_book"
)
