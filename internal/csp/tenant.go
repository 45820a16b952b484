package csp

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Segment is a customer's market segment (DESIGN.md "Words").
type Segment string

// Segments.
const (
	SegmentCommercial Segment = "commercial"
	SegmentEducation  Segment = "education"
	SegmentGovernment Segment = "government"
	SegmentNonprofit  Segment = "nonprofit"
)

// ParseSegment checks s; an empty s is the default, commercial.
func ParseSegment(s string) (Segment, error) {
	switch seg := Segment(strings.ToLower(s)); seg {
	case "":
		return SegmentCommercial, nil
	case SegmentCommercial, SegmentEducation, SegmentGovernment, SegmentNonprofit:
		return seg, nil
	}
	return "", Errorf(EInvalidSegment, "segment %q is not valid: use commercial, education, government or nonprofit", s)
}

// qualifications maps Partner Center's customer qualifications to segments.
var qualifications = map[string]Segment{
	"none":                     SegmentCommercial,
	"education":                SegmentEducation,
	"governmentcommunitycloud": SegmentGovernment,
	"stateownedentity":         SegmentGovernment,
	"nonprofit":                SegmentNonprofit,
}

// SegmentForQualification maps a Partner Center qualification (Education,
// GovernmentCommunityCloud, StateOwnedEntity, Nonprofit, or None) to a segment.
func SegmentForQualification(q string) (Segment, error) {
	if s, ok := qualifications[strings.ToLower(q)]; ok {
		return s, nil
	}
	return "", Errorf(EInvalidQualification, "qualification %q is not valid: use Education, GovernmentCommunityCloud, StateOwnedEntity, Nonprofit or None", q)
}

// QualificationFor names the segment as Partner Center's qualification.
func QualificationFor(s Segment) string {
	switch s {
	case SegmentEducation:
		return "Education"
	case SegmentGovernment:
		return "GovernmentCommunityCloud"
	case SegmentNonprofit:
		return "Nonprofit"
	}
	return "None"
}

// Tenant is a customer's directory (also: 365 tenant, Azure tenant,
// organization, account). Its region is fixed from the address country at
// creation and never changes; so does the country.
type Tenant struct {
	ID             uuid.UUID
	CommerceID     uuid.UUID
	DisplayName    string // company name
	DomainPrefix   string // lower case; the default domain is <prefix>.onmicrosoft.com
	Country        string
	Region         Region
	Segment        Segment
	Address        Address
	BillingProfile BillingProfile
	OrgRegNumber   string
	CreatedAt      time.Time
	// Version counts the changes of the tenant's own facts.
	Version int64
}

// Profile is the tenant's own company name, contact and address: what a new
// partner's record starts from.
func (t *Tenant) Profile() CustomerProfile {
	return CustomerProfile{CompanyName: t.DisplayName, BillingProfile: t.BillingProfile, Address: t.Address}
}

// DefaultDomain is the tenant's <prefix>.onmicrosoft.com domain.
func (t *Tenant) DefaultDomain() string { return t.DomainPrefix + DomainSuffix }

// BillingProfile is the contact and address a partner bills (Partner Center's
// billingProfile, without defaultAddress, which is Tenant.Address).
type BillingProfile struct {
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	Email       string `json:"email"`
	Culture     string `json:"culture"`
	Language    string `json:"language"`
	CompanyName string `json:"companyName"`
}

// Check bounds the profile's texts (prefix names the fields' parent in
// errors, for example "billingProfile.").
func (b BillingProfile) Check(prefix string) error {
	return CheckTexts(TextField{prefix + "firstName", b.FirstName, MaxName}, TextField{prefix + "lastName", b.LastName, MaxName},
		TextField{prefix + "email", b.Email, MaxEmail}, TextField{prefix + "culture", b.Culture, MaxShort},
		TextField{prefix + "language", b.Language, MaxShort}, TextField{prefix + "companyName", b.CompanyName, MaxName})
}

// DomainSuffix is appended to a tenant's domain prefix.
const DomainSuffix = ".onmicrosoft.com"

var domainPrefixPattern = regexp.MustCompile(`^[a-z0-9]{1,27}$`)

// ParseDomainPrefix accepts "contoso" or "contoso.onmicrosoft.com" (any case)
// and answers the lower-case prefix: 1-27 letters and digits.
func ParseDomainPrefix(domain string) (string, error) {
	d := strings.ToLower(strings.TrimSpace(domain))
	d = strings.TrimSuffix(d, DomainSuffix)
	if d == "" {
		return "", Errorf(EMissingField, "companyProfile.domain is required: give a prefix such as contoso (the tenant gets contoso.onmicrosoft.com)")
	}
	if !domainPrefixPattern.MatchString(d) {
		return "", Errorf(EInvalidDomain, "domain %q is not valid: the prefix before .onmicrosoft.com must be 1 to 27 letters or digits", domain)
	}
	return d, nil
}

// ValidateEmail checks an e-mail address field.
func ValidateEmail(field, email string) error {
	if err := CheckText(field, email, MaxEmail); err != nil {
		return err
	}
	if strings.TrimSpace(email) == "" {
		return Errorf(EMissingField, "%s is required", field)
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		return Errorf(EInvalidEmail, "%s %q is not a valid e-mail address (expected name@example.com)", field, email)
	}
	return nil
}

// NewTenant is what creating a tenant needs, from a partner or the operator.
type NewTenant struct {
	CompanyName    string
	Domain         string
	Segment        string
	Address        Address
	BillingProfile BillingProfile
	OrgRegNumber   string
}

// Validate checks a new tenant and answers its normalised parts: domain
// prefix, address, region and segment. Billing profile fields are required
// when requireBilling is set (Partner Center's create customer).
func (n NewTenant) Validate(requireBilling bool) (prefix string, addr Address, region Region, seg Segment, err error) {
	if err = CheckTexts(TextField{"billingProfile.companyName", n.CompanyName, MaxName}, TextField{"companyProfile.domain", n.Domain, MaxName},
		TextField{"companyProfile.organizationRegistrationNumber", n.OrgRegNumber, MaxShort}, TextField{"segment", n.Segment, MaxShort}); err != nil {
		return
	}
	if err = n.BillingProfile.Check("billingProfile."); err != nil {
		return
	}
	if strings.TrimSpace(n.CompanyName) == "" {
		return "", Address{}, "", "", Errorf(EMissingField, "billingProfile.companyName is required: the customer's company name")
	}
	if prefix, err = ParseDomainPrefix(n.Domain); err != nil {
		return
	}
	if requireBilling {
		b := n.BillingProfile
		if err = ValidateEmail("billingProfile.email", b.Email); err != nil {
			return
		}
		if strings.TrimSpace(b.Culture) == "" {
			return "", Address{}, "", "", Errorf(EMissingField, "billingProfile.culture is required (for example en-US)")
		}
		if strings.TrimSpace(b.Language) == "" {
			return "", Address{}, "", "", Errorf(EMissingField, "billingProfile.language is required (for example en)")
		}
	}
	if a := n.Address; !requireBilling && a.AddressLine1 == "" && a.City == "" && a.PostalCode == "" {
		// A tenant signed up directly may give only its country.
		addr = Address{Country: strings.ToUpper(strings.TrimSpace(a.Country))}
	} else if addr, err = ValidateAddress(n.Address); err != nil {
		return
	}
	if region, err = TenantRegion(addr.Country); err != nil {
		return
	}
	seg, err = ParseSegment(n.Segment)
	return
}

// TenantUser is an Entra ID user of a tenant. The tenant's first user is its
// global administrator.
type TenantUser struct {
	ID                uuid.UUID
	TenantID          uuid.UUID
	UserPrincipalName string
	DisplayName       string
	GivenName         string
	Surname           string
	MailNickname      string
	// UsageLocation is the ISO 3166 country where the user uses services:
	// Entra ID assigns no licence without one.
	UsageLocation string
	// Blocked is Graph's accountEnabled false: the user cannot sign in.
	Blocked bool
	// GlobalAdmin reports membership of the Global Administrator role (read
	// from the directory's role members; set on create to make the user one).
	GlobalAdmin bool
	CreatedAt   time.Time
	// Version counts the user's changes (its etag).
	Version int64
}

// Relationship is a reseller relationship between one partner and one tenant.
type Relationship struct {
	PartnerID uuid.UUID `json:"partnerId"`
	TenantID  uuid.UUID `json:"tenantId"`
	Type      string    `json:"relationshipType"` // directReseller, indirectProvider or indirectReseller
	Since     time.Time `json:"since"`
	// Profile is this partner's own record of the customer, copied from
	// the tenant when the relationship began.
	Profile CustomerProfile `json:"-"`
	// Version counts the changes of the partner's record.
	Version int64 `json:"-"`
}

// CustomerProfile is what one partner records of a customer: the company
// name, billing contact and address it bills. Changing it changes nothing
// that another partner of the same tenant sees.
type CustomerProfile struct {
	CompanyName    string
	BillingProfile BillingProfile
	Address        Address
}

// Customer is a tenant as one partner sees it: the tenant's own facts
// (domain, country, region, segment) with the partner's profile.
type Customer struct {
	Tenant       *Tenant
	Relationship Relationship
}

// NewCustomer joins a tenant and a partner's relationship with it: the
// tenant it answers carries the partner's profile.
func NewCustomer(t Tenant, rel Relationship) *Customer {
	t.DisplayName, t.BillingProfile, t.Address = rel.Profile.CompanyName, rel.Profile.BillingProfile, rel.Profile.Address
	t.BillingProfile.CompanyName = t.DisplayName
	return &Customer{Tenant: &t, Relationship: rel}
}

// ETag names this version of the customer as this partner sees it: it
// changes with the tenant (a segment, say) and with the partner's profile.
func (c *Customer) ETag() string { return ETag(c.Tenant.ID, c.Tenant.Version+c.Relationship.Version) }
