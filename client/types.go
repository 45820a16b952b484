package client

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// Address is Partner Center's address.
type Address struct {
	Country      string `json:"country"`
	Region       string `json:"region,omitempty"`
	City         string `json:"city,omitempty"`
	State        string `json:"state,omitempty"`
	AddressLine1 string `json:"addressLine1,omitempty"`
	AddressLine2 string `json:"addressLine2,omitempty"`
	PostalCode   string `json:"postalCode,omitempty"`
	FirstName    string `json:"firstName,omitempty"`
	LastName     string `json:"lastName,omitempty"`
	PhoneNumber  string `json:"phoneNumber,omitempty"`
}

// SalePolicy narrows whom a partner sells to.
type SalePolicy struct {
	Segments []string `json:"segments"`
	Regions  []string `json:"regions"`
}

// Partner is a partner as the operator API shows it.
type Partner struct {
	ID              uuid.UUID   `json:"id"`
	MpnID           string      `json:"mpnId"`
	Name            string      `json:"name"`
	PartnerType     string      `json:"partnerType"`
	ProviderID      *uuid.UUID  `json:"providerId,omitempty"`
	Country         string      `json:"country"`
	Locations       []string    `json:"locations"`
	Markets         []string    `json:"markets"`
	SalePolicy      *SalePolicy `json:"salePolicy"`
	BillingCurrency string      `json:"billingCurrency"`
	CreatedAt       time.Time   `json:"createdAt"`
}

// NewPartner is the body of POST /admin/v1/partners.
type NewPartner struct {
	Name        string      `json:"name"`
	Country     string      `json:"country"`
	Locations   []string    `json:"locations,omitempty"`
	PartnerType string      `json:"partnerType"`
	ProviderID  *uuid.UUID  `json:"providerId,omitempty"`
	MpnID       string      `json:"mpnId,omitempty"`
	SalePolicy  *SalePolicy `json:"salePolicy,omitempty"`
	// BillingCurrency defaults to the head office's.
	BillingCurrency string `json:"billingCurrency,omitempty"`
}

// NewPartnerUser is the body of POST /admin/v1/partners/{id}/users.
type NewPartnerUser struct {
	DisplayName string     `json:"displayName"`
	Email       string     `json:"email"`
	Roles       []string   `json:"roles"`
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`
}

// IssuedKey is a key shown once.
type IssuedKey struct {
	ID     uuid.UUID `json:"id"`
	APIKey string    `json:"apiKey"`
	KeyID  uuid.UUID `json:"keyId"`
}

// NewTenant is the body of POST /admin/v1/tenants.
type NewTenant struct {
	DisplayName  string `json:"displayName"`
	DomainPrefix string `json:"domainPrefix"`
	Country      string `json:"country"`
	Segment      string `json:"segment,omitempty"`
}

// CreatedTenant answers POST /admin/v1/tenants.
type CreatedTenant struct {
	TenantID               uuid.UUID `json:"tenantId"`
	DefaultDomain          string    `json:"defaultDomain"`
	TenantRegion           string    `json:"tenantRegion"`
	AdminUserPrincipalName string    `json:"adminUserPrincipalName"`
	APIKey                 string    `json:"apiKey"`
	KeyID                  uuid.UUID `json:"keyId"`
}

// BillingProfile is a customer's billing profile.
type BillingProfile struct {
	FirstName      string  `json:"firstName,omitempty"`
	LastName       string  `json:"lastName,omitempty"`
	Email          string  `json:"email"`
	Culture        string  `json:"culture"`
	Language       string  `json:"language"`
	CompanyName    string  `json:"companyName"`
	DefaultAddress Address `json:"defaultAddress"`
}

// CompanyProfile is a customer's company profile.
type CompanyProfile struct {
	TenantID    string `json:"tenantId,omitempty"`
	Domain      string `json:"domain"`
	CompanyName string `json:"companyName,omitempty"`
}

// Customer is Partner Center's customer resource (plus tenantRegion and segment).
type Customer struct {
	ID                    string         `json:"id,omitempty"`
	CompanyProfile        CompanyProfile `json:"companyProfile"`
	BillingProfile        BillingProfile `json:"billingProfile"`
	RelationshipToPartner string         `json:"relationshipToPartner,omitempty"`
	UserCredentials       *struct {
		UserName string `json:"userName"`
		Password string `json:"password"`
	} `json:"userCredentials,omitempty"`
	AssociatedPartnerID string `json:"associatedPartnerId,omitempty"`
	TenantRegion        string `json:"tenantRegion,omitempty"`
	Segment             string `json:"segment,omitempty"`
	Qualification       string `json:"qualification,omitempty"`
}

// Relationship is one of a tenant's partners.
type Relationship struct {
	PartnerID        uuid.UUID `json:"partnerId"`
	PartnerName      string    `json:"partnerName"`
	MpnID            string    `json:"mpnId"`
	RelationshipType string    `json:"relationshipType"`
	Since            time.Time `json:"since"`
}

// MTOTenant is a member of a multitenant organization.
type MTOTenant struct {
	TenantID        uuid.UUID      `json:"tenantId"`
	DisplayName     string         `json:"displayName"`
	DefaultDomain   string         `json:"defaultDomain"`
	TenantRegion    string         `json:"tenantRegion"`
	Role            string         `json:"role"`
	State           string         `json:"state"`
	AddedByTenantID uuid.UUID      `json:"addedByTenantId"`
	Partners        []Relationship `json:"partners"`
}

// MultiTenantOrganization is a company's group of tenants.
type MultiTenantOrganization struct {
	ID          uuid.UUID   `json:"id"`
	DisplayName string      `json:"displayName"`
	Tenants     []MTOTenant `json:"tenants"`
}

// AuditRecord is Partner Center's audit record.
type AuditRecord struct {
	ID                string    `json:"id"`
	PartnerID         string    `json:"partnerId"`
	CustomerID        string    `json:"customerId"`
	CustomerName      string    `json:"customerName"`
	UserPrincipalName string    `json:"userPrincipalName"`
	ResourceType      string    `json:"resourceType"`
	OperationType     string    `json:"operationType"`
	OperationStatus   string    `json:"operationStatus"`
	ResourceOldValue  string    `json:"resourceOldValue"`
	ResourceNewValue  string    `json:"resourceNewValue"`
	OperationDate     time.Time `json:"operationDate"`
}

// Clock is the server's clock.
type Clock struct {
	Now             time.Time `json:"now"`
	Sandbox         bool      `json:"sandbox"`
	ProcessedEvents int       `json:"processedEvents"`
	// AdvancingTo is the target of an advance in progress, if any.
	AdvancingTo *time.Time `json:"advancingTo,omitempty"`
}

// Import is an imported reconciliation file and its customer invoices.
type Import struct {
	ID               string            `json:"id"`
	Kind             string            `json:"kind"`
	Lines            int               `json:"lines"`
	Period           string            `json:"period"`
	Repeated         bool              `json:"repeated"`
	CustomerInvoices []CustomerInvoice `json:"customerInvoices"`
}

// CustomerInvoice is a partner's invoice to one of its customers.
type CustomerInvoice struct {
	ID           string      `json:"id"`
	Number       string      `json:"number"`
	CustomerID   string      `json:"customerId"`
	CustomerName string      `json:"customerName"`
	Period       string      `json:"period"`
	CurrencyCode string      `json:"currencyCode"`
	Subtotal     json.Number `json:"subtotal"`
	TaxTotal     json.Number `json:"taxTotal"`
	Total        json.Number `json:"total"`
	Cost         json.Number `json:"cost"`
	Profit       json.Number `json:"profit"`
	LineCount    int         `json:"lineCount"`
}
