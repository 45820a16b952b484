package csp

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Address is a postal address in Partner Center's Address shape, as used for
// a customer's billing profile (defaultAddress). Country is an ISO 3166
// alpha-2 code.
type Address struct {
	Country      string `json:"country"`
	Region       string `json:"region,omitempty"`
	City         string `json:"city"`
	State        string `json:"state,omitempty"`
	AddressLine1 string `json:"addressLine1"`
	AddressLine2 string `json:"addressLine2,omitempty"`
	AddressLine3 string `json:"addressLine3,omitempty"`
	PostalCode   string `json:"postalCode"`
	FirstName    string `json:"firstName,omitempty"`
	MiddleName   string `json:"middleName,omitempty"`
	LastName     string `json:"lastName,omitempty"`
	PhoneNumber  string `json:"phoneNumber,omitempty"`
}

// addressLimits are the address fields' lengths in characters (DESIGN.md
// "Conventions": address lines 256, city 128).
var addressLimits = map[string]int{"country": MaxShort, "region": MaxCity, "city": MaxCity, "state": MaxShort,
	"addressLine1": MaxAddressLine, "addressLine2": MaxAddressLine, "addressLine3": MaxAddressLine, "postalCode": MaxShort,
	"firstName": MaxName, "middleName": MaxName, "lastName": MaxName, "phoneNumber": MaxShort}

// CountryRules are the address rules of one country, in the shape of Partner
// Center's /v1/countryvalidationrules resource.
type CountryRules struct {
	// Country is the ISO 3166 alpha-2 code, upper case.
	Country string
	// RequiredFields are the JSON names of the fields that must not be
	// empty, e.g. "addressLine1", "city", "postalCode", "state".
	RequiredFields []string
	// PostalCodeRegex is the pattern a normalised postal code must match;
	// empty when the country has no postal codes.
	PostalCodeRegex string
	// PostalCodeExample is a valid postal code; empty when the country has
	// no postal codes.
	PostalCodeExample string
	// StateRequired reports whether state must be one of States.
	StateRequired bool
	// States are the allowed state or province codes when StateRequired.
	States []string
	// PhoneRequired reports whether phoneNumber is required. It is false for
	// every country: Partner Center asks for a phone number on the company
	// profile, not on the address.
	PhoneRequired bool
}

// addressRule is the compiled form of a country's address rules.
type addressRule struct {
	postal  *regexp.Regexp      // nil: the country has no postal codes
	format  string              // human description of the postal format
	example string              // a valid postal code
	norm    func(string) string // postal code normaliser; nil: normPostal
	states  []string            // allowed state codes; nil: state is free text and optional
}

// postalDigits is the rule of a postal code made of exactly n digits.
func postalDigits(n int, example string) addressRule {
	return addressRule{
		postal:  regexp.MustCompile(fmt.Sprintf(`^\d{%d}$`, n)),
		format:  fmt.Sprintf("%d digits", n),
		example: example,
	}
}

// postalPattern is the rule of a postal code matching pattern.
func postalPattern(pattern, format, example string) addressRule {
	return addressRule{postal: regexp.MustCompile(pattern), format: format, example: example}
}

// withNorm returns r with the postal normaliser norm.
func (r addressRule) withNorm(norm func(string) string) addressRule {
	r.norm = norm
	return r
}

// withStates returns r with state required and limited to states.
func (r addressRule) withStates(states ...string) addressRule {
	r.states = states
	return r
}

// normPostal upper-cases a postal code and collapses runs of white space into
// one space.
func normPostal(s string) string {
	return strings.Join(strings.Fields(strings.ToUpper(s)), " ")
}

// spaceBeforeLast returns a normaliser that removes all white space and, when
// the result has between minLen and maxLen characters, inserts one space
// before its last n characters ("k1a0b1" → "K1A 0B1").
func spaceBeforeLast(n, minLen, maxLen int) func(string) string {
	return func(s string) string {
		s = strings.Join(strings.Fields(strings.ToUpper(s)), "")
		if len(s) < minLen || len(s) > maxLen {
			return s
		}
		return s[:len(s)-n] + " " + s[len(s)-n:]
	}
}

// addressRules holds the compiled address rules of every country of the
// countries table; a test checks that the two tables have the same keys.
// Postal patterns are matched against the normalised (upper-case) code.
var addressRules = map[string]addressRule{
	// North America.
	"US": postalPattern(`^\d{5}(-\d{4})?$`, "5 digits (ZIP) or ZIP+4 (12345-6789)", "98052").withStates(
		"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
		"HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
		"MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
		"NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
		"SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
		"DC", "PR"),
	"CA": postalPattern(`^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$`, "A1A 1A1", "K1A 0B1").
		withNorm(spaceBeforeLast(3, 6, 6)).
		withStates("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"),

	// Europe.
	"GB": postalPattern(`^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$`,
		"a UK postcode such as SW1A 1AA or M1 1AE", "SW1A 1AA").withNorm(spaceBeforeLast(3, 5, 7)),
	"AT": postalDigits(4, "1010"),
	"BE": postalDigits(4, "1000"),
	"BG": postalDigits(4, "1000"),
	"HR": postalDigits(5, "10000"),
	"CY": postalDigits(4, "1010"),
	"CZ": postalPattern(`^\d{3} ?\d{2}$`, "123 45", "110 00"),
	"DK": postalDigits(4, "1050"),
	"EE": postalDigits(5, "10111"),
	"FI": postalDigits(5, "00100"),
	"FR": postalDigits(5, "75001"),
	"DE": postalDigits(5, "10115"),
	"GR": postalPattern(`^\d{3} ?\d{2}$`, "123 45", "105 57"),
	"HU": postalDigits(4, "1051"),
	"IE": postalPattern(`^[A-Z]\d[\dW] ?[A-Z\d]{4}$`, "an Eircode such as D02 X285", "D02 X285").withNorm(spaceBeforeLast(4, 7, 7)),
	"IT": postalDigits(5, "00184"),
	"LV": postalPattern(`^(LV-)?\d{4}$`, "LV-1234 or 1234", "LV-1050"),
	"LT": postalPattern(`^(LT-)?\d{5}$`, "LT-12345 or 12345", "LT-01100"),
	"LU": postalPattern(`^(L-)?\d{4}$`, "L-1234 or 1234", "L-1111"),
	"MT": postalPattern(`^[A-Z]{3} ?\d{4}$`, "ABC 1234", "VLT 1117"),
	"NL": postalPattern(`^\d{4} ?[A-Z]{2}$`, "1234 AB", "1012 AB").withNorm(spaceBeforeLast(2, 6, 6)),
	"PL": postalPattern(`^\d{2}-\d{3}$`, "12-345", "00-950"),
	"PT": postalPattern(`^\d{4}-\d{3}$`, "1234-567", "1000-001"),
	"RO": postalDigits(6, "010011"),
	"SK": postalPattern(`^\d{3} ?\d{2}$`, "123 45", "811 01"),
	"SI": postalPattern(`^(SI-)?\d{4}$`, "SI-1234 or 1234", "1000"),
	"ES": postalDigits(5, "28013"),
	"SE": postalPattern(`^\d{3} ?\d{2}$`, "123 45", "111 22"),
	"IS": postalDigits(3, "101"),
	"LI": postalPattern(`^94[89]\d$`, "4 digits from 9480 to 9499", "9490"),
	"NO": postalDigits(4, "0150"),
	"CH": postalPattern(`^[1-9]\d{3}$`, "4 digits, not starting with 0", "8001"),

	// Asia Pacific.
	"AU": postalDigits(4, "2000").withStates("NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"),
	"NZ": postalDigits(4, "6011"),
	"JP": postalPattern(`^\d{3}-?\d{4}$`, "123-4567", "100-0001"),
	"IN": postalPattern(`^[1-9]\d{5}$`, "6 digits, not starting with 0", "110001"),
	"KR": postalDigits(5, "03187"),
	"SG": postalDigits(6, "018956"),
	"HK": {}, // Hong Kong has no postal codes.

	// Latin America.
	"BR": postalPattern(`^\d{5}-?\d{3}$`, "12345-678", "01310-100"),
	"MX": postalDigits(5, "06600"),
	"AR": postalPattern(`^([A-Z]\d{4}[A-Z]{3}|\d{4})$`, "a CPA such as C1002AAP, or 4 digits", "C1002AAP"),
	"CL": postalDigits(7, "8320000"),
	"CO": postalDigits(6, "110111"),

	// Middle East and Africa.
	"ZA": postalDigits(4, "2196"),
	"AE": {}, // The United Arab Emirates have no postal codes.
	"SA": postalPattern(`^\d{5}(-\d{4})?$`, "12345 or 12345-6789", "11564"),
	"IL": postalDigits(7, "9614303"),
	"EG": postalDigits(5, "11511"),
	"NG": postalDigits(6, "100001"),
	"KE": postalDigits(5, "00100"),
	"TR": postalDigits(5, "34000"),
}

// RulesFor returns the address rules of the country with the given ISO 3166
// alpha-2 code (case-insensitive). Every country of Countries has rules; it
// reports false for any other code. The returned slices are fresh copies.
func RulesFor(country string) (CountryRules, bool) {
	code := normCountry(country)
	r, ok := addressRules[code]
	if !ok {
		return CountryRules{}, false
	}
	return r.public(code), true
}

// public converts r into the exported CountryRules of country code.
func (r addressRule) public(code string) CountryRules {
	cr := CountryRules{
		Country:        code,
		RequiredFields: []string{"country", "addressLine1", "city"},
		StateRequired:  r.states != nil,
		States:         slices.Clone(r.states),
	}
	if r.states != nil {
		cr.RequiredFields = append(cr.RequiredFields, "state")
	}
	if r.postal != nil {
		cr.RequiredFields = append(cr.RequiredFields, "postalCode")
		cr.PostalCodeRegex = r.postal.String()
		cr.PostalCodeExample = r.example
	}
	return cr
}

// field returns a pointer to the field of a with the given JSON name, or nil.
func (a *Address) field(name string) *string {
	switch name {
	case "country":
		return &a.Country
	case "region":
		return &a.Region
	case "city":
		return &a.City
	case "state":
		return &a.State
	case "addressLine1":
		return &a.AddressLine1
	case "addressLine2":
		return &a.AddressLine2
	case "addressLine3":
		return &a.AddressLine3
	case "postalCode":
		return &a.PostalCode
	case "firstName":
		return &a.FirstName
	case "middleName":
		return &a.MiddleName
	case "lastName":
		return &a.LastName
	case "phoneNumber":
		return &a.PhoneNumber
	}
	return nil
}

// ValidateAddress checks a against the rules of its country and returns the
// normalised address: every field trimmed, the country upper-cased, the state
// upper-cased where the country has a list of state codes, and the postal
// code in its canonical form (upper case; "K1A 0B1" in Canada, "SW1A 1AA" in
// the United Kingdom, "1234 AB" in the Netherlands, "D02 X285" in Ireland).
// States of countries without a code list are free text and kept as given.
//
// It fails with an *Error whose code is EUnknownCountry for an empty or
// unknown country, EMissingField for an empty required field,
// EInvalidState for a state outside the country's list (the allowed codes
// are in Error.Data) and EInvalidPostalCode for a postal code that does not
// match the country's format.
func ValidateAddress(a Address) (Address, error) {
	for _, name := range []string{"country", "region", "city", "state", "addressLine1", "addressLine2",
		"addressLine3", "postalCode", "firstName", "middleName", "lastName", "phoneNumber"} {
		f := a.field(name)
		if err := CheckText("defaultAddress."+name, *f, addressLimits[name]); err != nil {
			return Address{}, err
		}
		*f = strings.TrimSpace(*f)
	}
	code := strings.ToUpper(a.Country)
	rule, ok := addressRules[code]
	if !ok {
		return Address{}, unknownCountry(a.Country)
	}
	a.Country = code
	rules := rule.public(code)

	for _, name := range rules.RequiredFields {
		if *a.field(name) == "" {
			return Address{}, Errorf(EMissingField,
				"defaultAddress.%s is required for addresses in %s.", name, code).
				WithData("defaultAddress." + name)
		}
	}

	if rule.states != nil {
		a.State = strings.ToUpper(a.State)
		if !slices.Contains(rule.states, a.State) {
			return Address{}, Errorf(EInvalidState,
				"State %q is not valid for country %s: defaultAddress.state must be one of the %d codes listed in the error data, such as %q.",
				a.State, code, len(rule.states), rule.states[0]).
				WithData(rule.states...)
		}
	}

	if rule.postal != nil {
		norm := rule.norm
		if norm == nil {
			norm = normPostal
		}
		pc := norm(a.PostalCode)
		if !rule.postal.MatchString(pc) {
			return Address{}, Errorf(EInvalidPostalCode,
				"Postal code %q is not valid for country %s: expected format %s, for example %q.",
				a.PostalCode, code, rule.format, rule.example)
		}
		a.PostalCode = pc
	}
	return a, nil
}
