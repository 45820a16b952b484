package api

import (
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// customerJSON is Partner Center's Customer resource, plus tenantRegion and
// segment (OpenCSP additions, DESIGN.md).
type customerJSON struct {
	ID                    string             `json:"id"`
	CommerceID            string             `json:"commerceId"`
	CompanyProfile        companyProfileJSON `json:"companyProfile"`
	BillingProfile        billingProfileJSON `json:"billingProfile"`
	RelationshipToPartner string             `json:"relationshipToPartner"`
	AllowDelegatedAccess  bool               `json:"allowDelegatedAccess"`
	UserCredentials       *credentialsJSON   `json:"userCredentials,omitempty"`
	CustomDomains         []string           `json:"customDomains"`
	AssociatedPartnerID   string             `json:"associatedPartnerId,omitempty"`
	TenantRegion          csp.Region         `json:"tenantRegion"`
	Segment               csp.Segment        `json:"segment"`
	Qualification         string             `json:"qualification"`
	CreatedDate           time.Time          `json:"createdDate"`
	Links                 map[string]link    `json:"links"`
	Attributes            map[string]string  `json:"attributes"`
}

type companyProfileJSON struct {
	TenantID                       string            `json:"tenantId"`
	Domain                         string            `json:"domain"`
	CompanyName                    string            `json:"companyName"`
	OrganizationRegistrationNumber string            `json:"organizationRegistrationNumber,omitempty"`
	Address                        csp.Address       `json:"address"`
	Links                          map[string]link   `json:"links"`
	Attributes                     map[string]string `json:"attributes"`
}

type billingProfileJSON struct {
	ID             string            `json:"id"`
	FirstName      string            `json:"firstName"`
	LastName       string            `json:"lastName"`
	Email          string            `json:"email"`
	Culture        string            `json:"culture"`
	Language       string            `json:"language"`
	CompanyName    string            `json:"companyName"`
	DefaultAddress csp.Address       `json:"defaultAddress"`
	Links          map[string]link   `json:"links"`
	Attributes     map[string]string `json:"attributes"`
}

// credentialsJSON is the new admin's one-time credentials: a replay of the
// request shows the password as null.
type credentialsJSON struct {
	UserName string  `json:"userName"`
	Password *string `json:"password"`
}

func companyProfile(c *csp.Customer) companyProfileJSON {
	t := c.Tenant
	return companyProfileJSON{TenantID: t.ID.String(), Domain: t.DefaultDomain(), CompanyName: t.DisplayName,
		OrganizationRegistrationNumber: t.OrgRegNumber, Address: t.Address,
		Links: selfLink("/customers/%s/profiles/company", t.ID), Attributes: attrsETag("CustomerCompanyProfile", c.ETag())}
}

func billingProfile(c *csp.Customer) billingProfileJSON {
	t := c.Tenant
	b := t.BillingProfile
	return billingProfileJSON{ID: t.CommerceID.String(), FirstName: b.FirstName, LastName: b.LastName, Email: b.Email, Culture: b.Culture,
		Language: b.Language, CompanyName: t.DisplayName, DefaultAddress: t.Address,
		Links: selfLink("/customers/%s/profiles/billing", t.ID), Attributes: attrsETag("CustomerBillingProfile", c.ETag())}
}

// customerResource is a customer as its partner sees it; its etag changes
// with every change of the tenant's facts or of the partner's profile.
func customerResource(c *csp.Customer) customerJSON {
	t := c.Tenant
	return customerJSON{ID: t.ID.String(), CommerceID: t.CommerceID.String(), CompanyProfile: companyProfile(c), BillingProfile: billingProfile(c),
		RelationshipToPartner: "reseller", CustomDomains: []string{}, TenantRegion: t.Region, Segment: t.Segment,
		Qualification: csp.QualificationFor(t.Segment), CreatedDate: t.CreatedAt,
		Links: selfLink("/customers/%s", t.ID), Attributes: attrsETag("Customer", c.ETag())}
}

// partnerJSON is a partner as the operator API shows it.
type partnerJSON struct {
	ID          uuid.UUID         `json:"id"`
	MpnID       string            `json:"mpnId"`
	Name        string            `json:"name"`
	PartnerType csp.PartnerType   `json:"partnerType"`
	ProviderID  *uuid.UUID        `json:"providerId,omitempty"`
	Country     string            `json:"country"`
	Locations   []string          `json:"locations"`
	Markets     []csp.Market      `json:"markets"`
	SalePolicy  *csp.SalePolicy   `json:"salePolicy"`
	CreatedAt   time.Time         `json:"createdAt"`
	Attributes  map[string]string `json:"attributes"`
}

func partnerResource(p *csp.Partner) partnerJSON {
	return partnerJSON{ID: p.ID, MpnID: p.MpnID, Name: p.Name, PartnerType: p.Type, ProviderID: p.ProviderID, Country: p.Country,
		Locations: p.Locations, Markets: p.Markets(), SalePolicy: p.SalePolicy, CreatedAt: p.CreatedAt, Attributes: attrs("Partner")}
}

// relationshipJSON is one of a tenant's partners, as the customer API shows it.
type relationshipJSON struct {
	PartnerID        uuid.UUID         `json:"partnerId"`
	PartnerName      string            `json:"partnerName"`
	MpnID            string            `json:"mpnId"`
	RelationshipType string            `json:"relationshipType"`
	Since            time.Time         `json:"since"`
	Attributes       map[string]string `json:"attributes"`
}

func relationshipResources(ps []app.PartnerOfTenant) []relationshipJSON {
	out := make([]relationshipJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, relationshipJSON{PartnerID: p.Partner.ID, PartnerName: p.Partner.Name, MpnID: p.Partner.MpnID,
			RelationshipType: p.Relationship.Type, Since: p.Relationship.Since, Attributes: attrs("PartnerRelationship")})
	}
	return out
}

// auditJSON is Partner Center's AuditRecord.
type auditJSON struct {
	ID                    string            `json:"id"`
	PartnerID             string            `json:"partnerId"`
	CustomerID            string            `json:"customerId,omitempty"`
	CustomerName          string            `json:"customerName,omitempty"`
	UserPrincipalName     string            `json:"userPrincipalName"`
	ApplicationID         string            `json:"applicationId"`
	ResourceType          string            `json:"resourceType"`
	OperationType         string            `json:"operationType"`
	OperationStatus       string            `json:"operationStatus"`
	ResourceOldValue      string            `json:"resourceOldValue"`
	ResourceNewValue      string            `json:"resourceNewValue"`
	OperationDate         time.Time         `json:"operationDate"`
	OriginalCorrelationID string            `json:"originalCorrelationId"`
	CustomizedData        []header          `json:"customizedData"`
	Attributes            map[string]string `json:"attributes"`
}

func auditResource(r *csp.AuditRecord) auditJSON {
	a := auditJSON{ID: r.ID.String(), CustomerName: r.CustomerName, UserPrincipalName: r.UserPrincipalName, ApplicationID: r.ApplicationID,
		ResourceType: r.ResourceType, OperationType: r.OperationType, OperationStatus: r.OperationStatus, ResourceOldValue: r.ResourceOldValue,
		ResourceNewValue: r.ResourceNewValue, OperationDate: r.OperationDate, OriginalCorrelationID: r.CorrelationID, CustomizedData: []header{},
		Attributes: attrs("AuditRecord")}
	if r.PartnerID != nil {
		a.PartnerID = r.PartnerID.String()
	}
	if r.TenantID != nil {
		a.CustomerID = r.TenantID.String()
	}
	return a
}
