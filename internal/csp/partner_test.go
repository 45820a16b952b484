package csp

import (
	"slices"
	"strings"
	"testing"
)

// designPartner is DESIGN.md's example: located in the US, Canada and
// Germany (markets United States, Canada and Europe), selling to commercial
// customers with tenants in US, CA, UK and EU.
func designPartner() *Partner {
	return &Partner{Name: "Example", Type: PartnerDirect, Country: "US", Locations: []string{"US", "CA", "DE"},
		SalePolicy: &SalePolicy{Segments: []Segment{SegmentCommercial}, Regions: []Region{"US", "CA", "UK", "EU"}}}
}

func TestCheckSale(t *testing.T) {
	tests := []struct {
		name    string
		country string
		region  Region
		segment Segment
		want    Code // 0 = allowed
	}{
		{"OKUS", "US", "US", SegmentCommercial, 0},
		{"OKCanada", "CA", "CA", SegmentCommercial, 0},
		{"OKUnitedKingdom", "GB", "UK", SegmentCommercial, 0},
		{"OKFrance", "FR", "EU", SegmentCommercial, 0},
		{"ErrNorwayInMarketOutsidePolicy", "NO", "NO", SegmentCommercial, ERegionNotInPolicy},
		{"ErrSwitzerlandInMarketOutsidePolicy", "CH", "CH", SegmentCommercial, ERegionNotInPolicy},
		{"ErrJapanOutsideMarkets", "JP", "JP", SegmentCommercial, ECountryOutsideMarkets},
		{"ErrBrazilOutsideMarkets", "BR", "BR", SegmentCommercial, ECountryOutsideMarkets},
		{"ErrMexicoOutsideMarkets", "MX", "US", SegmentCommercial, ECountryOutsideMarkets},
		{"ErrEducationOutsidePolicy", "US", "US", SegmentEducation, ESegmentNotInPolicy},
		{"ErrUnknownCountry", "XX", "", SegmentCommercial, EUnknownCountry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := designPartner().CheckSale(tt.country, tt.region, tt.segment)
			if tt.want == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if got := ErrorCode(err); got != tt.want {
				t.Fatalf("code %d (%v), want %d", got, err, tt.want)
			}
		})
	}
	t.Run("NoPolicyMeansItsMarkets", func(t *testing.T) {
		p := &Partner{Name: "Open", Locations: []string{"GB"}}
		if err := p.CheckSale("NO", "NO", SegmentNonprofit); err != nil {
			t.Fatalf("a GB partner without policy may sell to Norway: %v", err)
		}
		if ErrorCode(p.CheckSale("US", "US", SegmentCommercial)) != ECountryOutsideMarkets {
			t.Fatal("a GB-only partner may not sell to the US")
		}
	})
	t.Run("MessageNamesRuleAndAllowed", func(t *testing.T) {
		msg := ErrorMessage(designPartner().CheckSale("JP", "JP", SegmentCommercial))
		for _, want := range []string{"R-30", "JP", `market "Japan"`, `"Canada", "Europe", "United States"`} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
	})
}

// TestCheckMarket is commerce-rules R-30's examples, on the market table
// alone (AS, GU, MP, UM and PR are not in the customers' countries table).
func TestCheckMarket(t *testing.T) {
	us := &Partner{Name: "US only", Locations: []string{"US"}}
	de := &Partner{Name: "German", Locations: []string{"DE"}}
	usde := &Partner{Name: "US and Germany", Locations: []string{"US", "DE"}}
	au := &Partner{Name: "Australian", Locations: []string{"AU"}}
	tests := []struct {
		partner *Partner
		country string
		want    Code // 0 = allowed
	}{
		{us, "US", 0}, {us, "AS", 0}, {us, "GU", 0}, {us, "MP", 0}, {us, "UM", 0}, {us, "us", 0},
		{us, "CA", ECountryOutsideMarkets}, {us, "PR", ECountryOutsideMarkets}, {us, "PM", ECountryOutsideMarkets},
		{de, "DE", 0}, {de, "NO", 0}, {de, "GB", 0}, {de, "CH", 0},
		{de, "RS", ECountryOutsideMarkets}, {de, "US", ECountryOutsideMarkets},
		{usde, "US", 0}, {usde, "GU", 0}, {usde, "FR", 0}, {usde, "NO", 0}, {usde, "CA", ECountryOutsideMarkets},
		{au, "AU", 0}, {au, "FJ", 0},
		{au, "NZ", ECountryOutsideMarkets}, {au, "JP", ECountryOutsideMarkets}, {au, "IN", ECountryOutsideMarkets}, {au, "SG", ECountryOutsideMarkets},
		{us, "ZZ", EUnknownCountry}, {us, "", EUnknownCountry},
	}
	for _, tt := range tests {
		if got := codeOrZero(tt.partner.CheckMarket(tt.country)); got != tt.want {
			t.Errorf("%s selling in %q: code %d, want %d", tt.partner.Name, tt.country, got, tt.want)
		}
	}
	err := us.CheckMarket("ca")
	want := `partner US only may not transact in CA (market "Canada"): its locations (US) give it the markets "United States" (commerce rule R-30)`
	if msg := ErrorMessage(err); !strings.HasPrefix(msg, want) {
		t.Errorf("message %q, want it to start with %q", msg, want)
	}
	if d := err.(*Error).Data; !slices.Equal(d, []string{"country=CA", "market=Canada"}) {
		t.Errorf("data %q, want country=CA and market=Canada", d)
	}
}

// codeOrZero is err's code, 0 for no error.
func codeOrZero(err error) Code {
	if err == nil {
		return 0
	}
	return ErrorCode(err)
}

func TestPartnerLocations(t *testing.T) {
	tests := []struct {
		name       string
		headOffice string
		more       []string
		want       []string
		code       Code
	}{
		{"head office first, upper-cased, no repeats", "us", []string{" ca ", "DE", "US", "de"}, []string{"US", "CA", "DE"}, 0},
		{"a market country outside the countries table", "PR", []string{"GU", "XK"}, []string{"PR", "GU", "XK"}, 0},
		{"head office alone", "GB", nil, []string{"GB"}, 0},
		{"unknown head office", "ZZ", nil, nil, EUnknownCountry},
		{"unknown location", "US", []string{"UK"}, nil, EUnknownCountry},
		{"empty location", "US", []string{""}, nil, EUnknownCountry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PartnerLocations(tt.headOffice, tt.more)
			if codeOrZero(err) != tt.code || !slices.Equal(got, tt.want) {
				t.Errorf("PartnerLocations(%q, %q) = %q, %v; want %q, code %d", tt.headOffice, tt.more, got, err, tt.want, tt.code)
			}
		})
	}
}

func TestAuthorize(t *testing.T) {
	tests := []struct {
		role  Role
		allow []Permission
		deny  []Permission
	}{
		{RoleAdminAgent, []Permission{PermCustomersWrite, PermBillingWrite, PermTransfers, PermDelegatedAdmin, PermAuditRead}, nil},
		{RoleSalesAgent, []Permission{PermCustomersRead, PermCustomersWrite, PermOrdersWrite, PermSubscriptionsWrite}, []Permission{PermBillingRead, PermBillingWrite, PermAuditRead}},
		{RoleBillingAdmin, []Permission{PermBillingRead, PermBillingWrite, PermCustomersRead, PermSubscriptionsRead}, []Permission{PermCustomersWrite, PermOrdersWrite}},
		{RoleHelpdeskAgent, []Permission{PermCustomersRead, PermSubscriptionsRead, PermServiceRequests}, []Permission{PermCustomersWrite, PermSubscriptionsWrite, PermBillingRead}},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			for _, p := range tt.allow {
				if err := Authorize([]Role{tt.role}, p); err != nil {
					t.Errorf("%s denied %s: %v", tt.role, p, err)
				}
			}
			for _, p := range tt.deny {
				if ErrorCode(Authorize([]Role{tt.role}, p)) != EForbiddenRole {
					t.Errorf("%s allowed %s", tt.role, p)
				}
			}
		})
	}
	msg := ErrorMessage(Authorize([]Role{RoleHelpdeskAgent}, PermCustomersWrite))
	if !strings.Contains(msg, "adminAgent, salesAgent") {
		t.Errorf("refusal %q should name the roles that may", msg)
	}
}

func TestParseDomainPrefix(t *testing.T) {
	ok := map[string]string{"contoso": "contoso", "Contoso.OnMicrosoft.com": "contoso", " abc123 ": "abc123", "a": "a",
		"abcdefghijklmnopqrstuvwxyz1": "abcdefghijklmnopqrstuvwxyz1"}
	for in, want := range ok {
		if got, err := ParseDomainPrefix(in); err != nil || got != want {
			t.Errorf("ParseDomainPrefix(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]Code{"": EMissingField, ".onmicrosoft.com": EMissingField, "con-toso": EInvalidDomain, "contoso.com": EInvalidDomain,
		"abcdefghijklmnopqrstuvwxyz12": EInvalidDomain, "café": EInvalidDomain}
	for in, want := range bad {
		if _, err := ParseDomainPrefix(in); ErrorCode(err) != want {
			t.Errorf("ParseDomainPrefix(%q) code %d, want %d", in, ErrorCode(err), want)
		}
	}
}

func TestQualifications(t *testing.T) {
	want := map[string]Segment{"Education": SegmentEducation, "GovernmentCommunityCloud": SegmentGovernment, "StateOwnedEntity": SegmentGovernment,
		"nonprofit": SegmentNonprofit, "None": SegmentCommercial}
	for q, seg := range want {
		if got, err := SegmentForQualification(q); err != nil || got != seg {
			t.Errorf("%s → %s, %v; want %s", q, got, err, seg)
		}
	}
	if _, err := SegmentForQualification("Military"); ErrorCode(err) != EInvalidQualification {
		t.Errorf("Military accepted")
	}
	if s, err := ParseSegment(""); err != nil || s != SegmentCommercial {
		t.Errorf("default segment %s, %v", s, err)
	}
}

func TestNewTenantValidate(t *testing.T) {
	base := NewTenant{CompanyName: "Contoso", Domain: "contoso",
		Address:        Address{Country: "gb", City: "London", AddressLine1: "1 St", PostalCode: "sw1a1aa"},
		BillingProfile: BillingProfile{Email: "it@contoso.com", Culture: "en-GB", Language: "en"}}
	prefix, addr, region, seg, err := base.Validate(true)
	if err != nil || prefix != "contoso" || addr.Country != "GB" || addr.PostalCode != "SW1A 1AA" || region != "UK" || seg != SegmentCommercial {
		t.Fatalf("Validate = %s %+v %s %s %v", prefix, addr, region, seg, err)
	}
	noEmail := base
	noEmail.BillingProfile.Email = ""
	if _, _, _, _, err := noEmail.Validate(true); ErrorCode(err) != EMissingField {
		t.Errorf("missing email: %v", err)
	}
	// A directly signed-up tenant may give its country alone.
	direct := NewTenant{CompanyName: "Fjord", Domain: "fjord", Address: Address{Country: "no"}}
	if _, addr, region, _, err := direct.Validate(false); err != nil || addr.Country != "NO" || region != "NO" {
		t.Errorf("direct tenant: %+v %s %v", addr, region, err)
	}
}

func TestDefaultBillingCurrency(t *testing.T) {
	// Microsoft's markets table: US USD, CA CAD, GB GBP, DE EUR, NO NOK;
	// Brazil lists USD;BRL (several: USD); Vatican City's cell is blank.
	for country, want := range map[string]string{"US": "USD", "CA": "CAD", "gb": "GBP", "DE": "EUR", "NO": "NOK", "BR": "USD", "VA": "USD", "ZZ": "USD"} {
		if got := DefaultBillingCurrency(country); got != want {
			t.Errorf("%s: %s, want %s", country, got, want)
		}
	}
	if c, err := CheckBillingCurrency(" eur "); err != nil || c != "EUR" {
		t.Errorf("eur: %q, %v", c, err)
	}
	for _, bad := range []string{"XYZ", "", "US"} {
		if _, err := CheckBillingCurrency(bad); ErrorCode(err) != EInvalidCurrency {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
