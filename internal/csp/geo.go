package csp

import (
	"slices"
	"strings"
)

// Region is where a tenant and its data live (the tenant region). It is derived
// from the customer's country when the tenant is created and never changes
// afterwards. The codes follow Microsoft's data-residency geographies.
type Region string

// Tenant regions. Microsoft's "Asia Pacific" geography, which serves
// Singapore, Hong Kong and the other Asian countries without a local
// geography, is spelled "APAC". Poland, Italy, Spain and the other EU members
// with local datacentres are part of the "EU" geography, not separate regions.
const (
	RegionUS   Region = "US"   // United States
	RegionCA   Region = "CA"   // Canada
	RegionUK   Region = "UK"   // United Kingdom
	RegionEU   Region = "EU"   // European Union (EU Data Boundary)
	RegionNO   Region = "NO"   // Norway
	RegionCH   Region = "CH"   // Switzerland
	RegionAU   Region = "AU"   // Australia (also serves New Zealand)
	RegionJP   Region = "JP"   // Japan
	RegionIN   Region = "IN"   // India
	RegionBR   Region = "BR"   // Brazil
	RegionKR   Region = "KR"   // Korea
	RegionZA   Region = "ZA"   // South Africa
	RegionAE   Region = "AE"   // United Arab Emirates
	RegionAPAC Region = "APAC" // Asia Pacific (Singapore, Hong Kong, ...)
)

// Country is a country a customer may be located in: its ISO 3166 alpha-2
// code, English name, tenant region and ISO 4217 currency (the country's
// legal tender). Its CSP market is not here: MarketOf reads it from
// Microsoft's own table.
type Country struct {
	Code     string
	Name     string
	Region   Region
	Currency string
}

// countries is the one country→region table of the program (DESIGN.md
// "Regions and markets"): every tenant region and currency derived from a
// country comes from here; a customer's country must be one of these. The
// headings group countries by geography, not by CSP market. The region
// chosen for a tenant at creation never changes afterwards, so editing a row
// only affects tenants created later.
var countries = map[string]Country{
	// The United States and Canada.
	"US": {"US", "United States", RegionUS, "USD"},
	"CA": {"CA", "Canada", RegionCA, "CAD"},

	// Europe: the United Kingdom has its own geography.
	"GB": {"GB", "United Kingdom", RegionUK, "GBP"},

	// Europe: the 27 EU member states, all in the EU region. Euro-zone
	// members use EUR; the others their own currency.
	"AT": {"AT", "Austria", RegionEU, "EUR"},
	"BE": {"BE", "Belgium", RegionEU, "EUR"},
	// Bulgaria adopted the euro on 1 January 2026.
	"BG": {"BG", "Bulgaria", RegionEU, "EUR"},
	"HR": {"HR", "Croatia", RegionEU, "EUR"},
	"CY": {"CY", "Cyprus", RegionEU, "EUR"},
	"CZ": {"CZ", "Czechia", RegionEU, "CZK"},
	"DK": {"DK", "Denmark", RegionEU, "DKK"},
	"EE": {"EE", "Estonia", RegionEU, "EUR"},
	"FI": {"FI", "Finland", RegionEU, "EUR"},
	"FR": {"FR", "France", RegionEU, "EUR"},
	"DE": {"DE", "Germany", RegionEU, "EUR"},
	"GR": {"GR", "Greece", RegionEU, "EUR"},
	"HU": {"HU", "Hungary", RegionEU, "HUF"},
	"IE": {"IE", "Ireland", RegionEU, "EUR"},
	"IT": {"IT", "Italy", RegionEU, "EUR"},
	"LV": {"LV", "Latvia", RegionEU, "EUR"},
	"LT": {"LT", "Lithuania", RegionEU, "EUR"},
	"LU": {"LU", "Luxembourg", RegionEU, "EUR"},
	"MT": {"MT", "Malta", RegionEU, "EUR"},
	"NL": {"NL", "Netherlands", RegionEU, "EUR"},
	"PL": {"PL", "Poland", RegionEU, "PLN"},
	"PT": {"PT", "Portugal", RegionEU, "EUR"},
	"RO": {"RO", "Romania", RegionEU, "RON"},
	"SK": {"SK", "Slovakia", RegionEU, "EUR"},
	"SI": {"SI", "Slovenia", RegionEU, "EUR"},
	"ES": {"ES", "Spain", RegionEU, "EUR"},
	"SE": {"SE", "Sweden", RegionEU, "SEK"},

	// Europe: the EFTA states. Norway and Switzerland have their own
	// geographies. Liechtenstein is in a customs and currency union with
	// Switzerland, so it shares the CH region and the franc. Iceland has no
	// geography of its own; as an EEA member it is served from the EU region.
	"IS": {"IS", "Iceland", RegionEU, "ISK"},
	"LI": {"LI", "Liechtenstein", RegionCH, "CHF"},
	"NO": {"NO", "Norway", RegionNO, "NOK"},
	"CH": {"CH", "Switzerland", RegionCH, "CHF"},

	// Asia Pacific. New Zealand is served from the Australian geography;
	// Singapore and Hong Kong from the Asia Pacific one.
	"AU": {"AU", "Australia", RegionAU, "AUD"},
	"NZ": {"NZ", "New Zealand", RegionAU, "NZD"},
	"JP": {"JP", "Japan", RegionJP, "JPY"},
	"IN": {"IN", "India", RegionIN, "INR"},
	"KR": {"KR", "Korea, Republic of", RegionKR, "KRW"},
	"SG": {"SG", "Singapore", RegionAPAC, "SGD"},
	"HK": {"HK", "Hong Kong", RegionAPAC, "HKD"},

	// Latin America. Brazil has its own geography; the US region is
	// Microsoft's default for the other Latin American tenants.
	"BR": {"BR", "Brazil", RegionBR, "BRL"},
	"MX": {"MX", "Mexico", RegionUS, "MXN"},
	"AR": {"AR", "Argentina", RegionUS, "ARS"},
	"CL": {"CL", "Chile", RegionUS, "CLP"},
	"CO": {"CO", "Colombia", RegionUS, "COP"},

	// Middle East and Africa. South Africa and the UAE have their own
	// geographies; the EU region is Microsoft's default for the other EMEA
	// tenants.
	"ZA": {"ZA", "South Africa", RegionZA, "ZAR"},
	"AE": {"AE", "United Arab Emirates", RegionAE, "AED"},
	"SA": {"SA", "Saudi Arabia", RegionEU, "SAR"},
	"IL": {"IL", "Israel", RegionEU, "ILS"},
	"EG": {"EG", "Egypt", RegionEU, "EGP"},
	"NG": {"NG", "Nigeria", RegionEU, "NGN"},
	"KE": {"KE", "Kenya", RegionEU, "KES"},
	"TR": {"TR", "Türkiye", RegionEU, "TRY"},
}

// normCountry trims and upper-cases a country code.
func normCountry(code string) string {
	return strings.ToUpper(strings.TrimSpace(code))
}

// LookupCountry returns the country with the given ISO 3166 alpha-2 code. The
// code is matched case-insensitively ("us" finds "US"); the returned Code is
// upper case. It reports false for codes not in the table.
func LookupCountry(code string) (Country, bool) {
	c, ok := countries[normCountry(code)]
	return c, ok
}

// TenantRegion returns the tenant region for a customer in the given country.
// An unknown or empty code yields an *Error with code EUnknownCountry.
func TenantRegion(country string) (Region, error) {
	c, ok := LookupCountry(country)
	if !ok {
		return "", unknownCountry(country)
	}
	return c.Region, nil
}

// unknownCountry is the EUnknownCountry error for code.
func unknownCountry(code string) *Error {
	return Errorf(EUnknownCountry,
		"Unknown country %q: use an ISO 3166 alpha-2 code of a supported country, such as \"US\", \"GB\" or \"DE\".",
		code)
}

// Countries returns every supported country, sorted by Code. The slice is a
// fresh copy the caller may modify.
func Countries() []Country {
	out := make([]Country, 0, len(countries))
	for _, c := range countries {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Country) int { return strings.Compare(a.Code, b.Code) })
	return out
}
