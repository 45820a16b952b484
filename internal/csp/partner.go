package csp

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// PartnerType is a CSP partner's place in the channel (commerce-rules R-32).
type PartnerType string

// Partner types, as Partner Center names them.
const (
	PartnerDirect           PartnerType = "direct"           // direct-bill partner
	PartnerIndirectProvider PartnerType = "indirectProvider" // distributor
	PartnerIndirectReseller PartnerType = "indirectReseller" // sells through a provider
)

// ParsePartnerType checks s against the three partner types.
func ParsePartnerType(s string) (PartnerType, error) {
	switch t := PartnerType(s); t {
	case PartnerDirect, PartnerIndirectProvider, PartnerIndirectReseller:
		return t, nil
	}
	return "", Errorf(EInvalidPartnerType, "partnerType %q is not valid: use direct, indirectProvider or indirectReseller", s)
}

// Partner is a CSP partner: its own partner tenant (ID), a Microsoft partner id
// (MpnID), the countries where it is registered to transact and its sale policy.
type Partner struct {
	ID         uuid.UUID   `json:"id"`
	MpnID      string      `json:"mpnId"`
	Name       string      `json:"name"`
	Type       PartnerType `json:"partnerType"`
	ProviderID *uuid.UUID  `json:"providerId,omitempty"` // indirect resellers only
	Country    string      `json:"country"`              // head office, also the first location
	Locations  []string    `json:"locations"`            // every country where it is registered, head office first
	SalePolicy *SalePolicy `json:"salePolicy"`
	// BillingCurrency is the currency Microsoft invoices the partner in.
	BillingCurrency string    `json:"billingCurrency"`
	CreatedAt       time.Time `json:"createdAt"`
}

// DefaultBillingCurrency is the currency a partner is billed in unless it
// was created with another (DESIGN.md "Billing"): its head office's
// currency in Microsoft's markets table, USD where the table lists several
// or none.
func DefaultBillingCurrency(headOffice string) string {
	if c := MarketCurrency(headOffice); len(c) == 1 {
		return c[0]
	}
	return "USD"
}

// CheckBillingCurrency normalises a partner's billing currency: one of the
// currencies of Microsoft's markets table.
func CheckBillingCurrency(c string) (string, error) {
	c = strings.ToUpper(strings.TrimSpace(c))
	if !IsMarketCurrency(c) {
		return "", Errorf(EInvalidCurrency, "billingCurrency %q is none of the currencies Microsoft bills partners in (USD, EUR, GBP, CAD, ...): leave it out for the head office's", c).
			WithData("field=billingCurrency")
	}
	return c, nil
}

// Markets returns the distinct CSP markets of the partner's locations
// in the published order.
func (p *Partner) Markets() []Market { return MarketsOf(p.Locations) }

// PartnerLocations checks a partner's head office and further locations and
// returns them upper-cased, head office first, without repeats. Each location
// selects the market it sells in, so it must be in Microsoft's market
// table, which lists more countries than the customers' countries table.
func PartnerLocations(headOffice string, more []string) ([]string, error) {
	var out []string
	for _, c := range append([]string{headOffice}, more...) {
		if _, ok := MarketOf(c); !ok {
			return nil, Errorf(EUnknownCountry,
				"location %q is in none of Microsoft's 15 CSP markets (commerce rule R-30): use the ISO 3166 alpha-2 code of a country where the partner holds a PartnerID, such as US, CA, GB or DE", c)
		}
		if code := normCountry(c); !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out, nil
}

var mpnIDPattern = regexp.MustCompile(`^\d{6,10}$`)

// ValidateMpnID checks a Microsoft partner id: digits only, 6 to 10 of them.
func ValidateMpnID(id string) error {
	if !mpnIDPattern.MatchString(id) {
		return Errorf(EInvalidMpnID, "mpnId %q is not valid: a partner id has 6 to 10 digits", id)
	}
	return nil
}

// SalePolicy is a partner's own narrowing of whom it sells to, on top of the
// program's market rules. Empty lists mean "no restriction" on that axis.
type SalePolicy struct {
	Segments []Segment `json:"segments"`
	Regions  []Region  `json:"regions"`
}

// Validate checks that every segment and region in the policy exists.
func (sp SalePolicy) Validate() error {
	for _, s := range sp.Segments {
		if _, err := ParseSegment(string(s)); err != nil {
			return Errorf(EInvalidSalePolicy, "salePolicy.segments: %q is not a segment; use commercial, education, government or nonprofit", s)
		}
	}
	known := map[Region]bool{}
	for _, c := range Countries() {
		known[c.Region] = true
	}
	for _, r := range sp.Regions {
		if !known[r] {
			return Errorf(EInvalidSalePolicy, "salePolicy.regions: %q is not a tenant region; use region codes such as US, CA, UK, EU, NO", r)
		}
	}
	return nil
}

// CheckSale applies the program's market rule and then the partner's
// sale policy to a tenant of the given country, region and segment. The error
// names the rule, what the tenant is, and what the partner may sell to.
func (p *Partner) CheckSale(country string, region Region, segment Segment) error {
	c, ok := LookupCountry(country)
	if !ok {
		return Errorf(EUnknownCountry, "country %q is unknown: use an ISO 3166 alpha-2 code", country)
	}
	if err := p.CheckMarket(c.Code); err != nil {
		return err
	}
	if p.SalePolicy == nil {
		return nil
	}
	if len(p.SalePolicy.Segments) > 0 && !slices.Contains(p.SalePolicy.Segments, segment) {
		return Errorf(ESegmentNotInPolicy,
			"partner %s's sale policy does not cover the %s segment: it sells to %s customers only. The operator can change the policy with PUT /admin/v1/partners/{partnerId}/salePolicy",
			p.Name, segment, joinSegments(p.SalePolicy.Segments)).WithData("segment=" + string(segment))
	}
	if len(p.SalePolicy.Regions) > 0 && !slices.Contains(p.SalePolicy.Regions, region) {
		return Errorf(ERegionNotInPolicy,
			"partner %s's sale policy does not cover tenants in region %s (country %s): it sells to tenants in %s only. The operator can change the policy with PUT /admin/v1/partners/{partnerId}/salePolicy",
			p.Name, region, c.Code, joinRegions(p.SalePolicy.Regions)).WithData("tenantRegion=" + string(region))
	}
	return nil
}

// CheckMarket applies the market rule alone: the tenant country must
// lie in the market of one of the partner's locations. It reads Microsoft's
// market table only, so it also answers for countries (such as Guam) that the
// countries table does not list.
func (p *Partner) CheckMarket(country string) error {
	market, ok := MarketOf(country)
	if !ok {
		return Errorf(EUnknownCountry, "country %q is in none of Microsoft's 15 CSP markets: use an ISO 3166 alpha-2 code", country)
	}
	markets := p.Markets()
	if !slices.Contains(markets, market) {
		code := normCountry(country)
		return Errorf(ECountryOutsideMarkets,
			"partner %s may not transact in %s (market %q): its locations (%s) give it the markets %s (commerce rule R-30). Register a location in that market or refer the customer to a partner located there",
			p.Name, code, market, strings.Join(p.Locations, ", "), joinMarkets(markets)).WithData("country="+code, "market="+string(market))
	}
	return nil
}

func joinSegments(ss []Segment) string {
	s := make([]string, len(ss))
	for i, v := range ss {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func joinRegions(rs []Region) string {
	s := make([]string, len(rs))
	for i, v := range rs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// RelationshipTypeFor is how a tenant sees a partner of the given type.
func RelationshipTypeFor(t PartnerType) string {
	if t == PartnerDirect {
		return "directReseller"
	}
	return string(t)
}

// PartnerUser is a person (or app) acting for a partner, with Partner Center roles.
type PartnerUser struct {
	ID          uuid.UUID
	PartnerID   uuid.UUID
	DisplayName string
	Email       string
	Roles       []Role
	CreatedAt   time.Time
}

// Role is a partner user's Partner Center role (DESIGN.md "Keys and roles").
type Role string

// Partner roles.
const (
	RoleAdminAgent    Role = "adminAgent"
	RoleSalesAgent    Role = "salesAgent"
	RoleBillingAdmin  Role = "billingAdmin"
	RoleHelpdeskAgent Role = "helpdeskAgent"
)

// ParseRoles checks a list of role names; at least one is needed.
func ParseRoles(names []string) ([]Role, error) {
	if len(names) == 0 {
		return nil, Errorf(EMissingField, "roles: give at least one of adminAgent, salesAgent, billingAdmin, helpdeskAgent")
	}
	var out []Role
	for _, n := range names {
		r := Role(n)
		switch r {
		case RoleAdminAgent, RoleSalesAgent, RoleBillingAdmin, RoleHelpdeskAgent:
		default:
			return nil, Errorf(EInvalidRole, "role %q is not a partner role: use adminAgent, salesAgent, billingAdmin or helpdeskAgent", n)
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Permission is an action a partner user may be allowed to take.
type Permission string

// Permissions checked by the use cases. Read permissions are separate from
// write ones because billingAdmin and helpdeskAgent read what they may not change.
const (
	PermCustomersRead      Permission = "customers.read"
	PermCustomersWrite     Permission = "customers.write"
	PermSubscriptionsRead  Permission = "subscriptions.read"
	PermSubscriptionsWrite Permission = "subscriptions.write"
	PermOrdersWrite        Permission = "orders.write"
	PermBillingRead        Permission = "billing.read"
	PermBillingWrite       Permission = "billing.write"
	PermTransfers          Permission = "transfers"
	PermDelegatedAdmin     Permission = "delegatedAdmin"
	PermServiceRequests    Permission = "serviceRequests"
	PermAuditRead          Permission = "audit.read"
)

// rolePermissions is DESIGN.md's role table.
var rolePermissions = map[Role][]Permission{
	RoleAdminAgent: {PermCustomersRead, PermCustomersWrite, PermSubscriptionsRead, PermSubscriptionsWrite,
		PermOrdersWrite, PermBillingRead, PermBillingWrite, PermTransfers, PermDelegatedAdmin, PermServiceRequests, PermAuditRead},
	RoleSalesAgent:    {PermCustomersRead, PermCustomersWrite, PermSubscriptionsRead, PermSubscriptionsWrite, PermOrdersWrite},
	RoleBillingAdmin:  {PermBillingRead, PermBillingWrite, PermCustomersRead, PermSubscriptionsRead},
	RoleHelpdeskAgent: {PermCustomersRead, PermSubscriptionsRead, PermServiceRequests},
}

// Authorize answers nil if any of roles grants perm, else EForbiddenRole
// naming the roles that would.
func Authorize(roles []Role, perm Permission) error {
	var need []string
	for _, r := range []Role{RoleAdminAgent, RoleSalesAgent, RoleBillingAdmin, RoleHelpdeskAgent} {
		if slices.Contains(rolePermissions[r], perm) {
			if slices.Contains(roles, r) {
				return nil
			}
			need = append(need, string(r))
		}
	}
	return Errorf(EForbiddenRole, "this action (%s) needs one of the roles %s; the caller has %s",
		perm, strings.Join(need, ", "), fmt.Sprint(roles)).WithData("requiredRoles=" + strings.Join(need, ","))
}
