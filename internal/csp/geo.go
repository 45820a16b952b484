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

// Market is a CSP market region in which a partner may transact
// (commerce-rules R-30). A customer's country must lie in one of the
// partner's markets.
type Market string

// CSP market regions, in the order MarketsOf reports them.
const (
	MarketNorthAmerica     Market = "NorthAmerica"
	MarketEurope           Market = "Europe"
	MarketLatinAmerica     Market = "LatinAmerica"
	MarketAsiaPacific      Market = "AsiaPacific"
	MarketMiddleEastAfrica Market = "MiddleEastAfrica"
)

// marketOrder is the stable order of markets used by MarketsOf.
var marketOrder = []Market{
	MarketNorthAmerica,
	MarketEurope,
	MarketLatinAmerica,
	MarketAsiaPacific,
	MarketMiddleEastAfrica,
}

// Country is a country a customer may be located in: its ISO 3166 alpha-2
// code, English name, tenant region, CSP market and ISO 4217 currency (the
// country's legal tender).
type Country struct {
	Code     string
	Name     string
	Region   Region
	Market   Market
	Currency string
}

// countries is the one country→region table of the program (DESIGN.md
// "Regions and markets"): every tenant region, market and currency derived
// from a country comes from here. The region chosen for a tenant at creation
// never changes afterwards, so editing a row only affects tenants created
// later.
var countries = map[string]Country{
	// North America.
	"US": {"US", "United States", RegionUS, MarketNorthAmerica, "USD"},
	"CA": {"CA", "Canada", RegionCA, MarketNorthAmerica, "CAD"},

	// Europe: the United Kingdom has its own geography.
	"GB": {"GB", "United Kingdom", RegionUK, MarketEurope, "GBP"},

	// Europe: the 27 EU member states, all in the EU region. Euro-zone
	// members use EUR; the others their own currency.
	"AT": {"AT", "Austria", RegionEU, MarketEurope, "EUR"},
	"BE": {"BE", "Belgium", RegionEU, MarketEurope, "EUR"},
	// Bulgaria adopted the euro on 1 January 2026.
	"BG": {"BG", "Bulgaria", RegionEU, MarketEurope, "EUR"},
	"HR": {"HR", "Croatia", RegionEU, MarketEurope, "EUR"},
	"CY": {"CY", "Cyprus", RegionEU, MarketEurope, "EUR"},
	"CZ": {"CZ", "Czechia", RegionEU, MarketEurope, "CZK"},
	"DK": {"DK", "Denmark", RegionEU, MarketEurope, "DKK"},
	"EE": {"EE", "Estonia", RegionEU, MarketEurope, "EUR"},
	"FI": {"FI", "Finland", RegionEU, MarketEurope, "EUR"},
	"FR": {"FR", "France", RegionEU, MarketEurope, "EUR"},
	"DE": {"DE", "Germany", RegionEU, MarketEurope, "EUR"},
	"GR": {"GR", "Greece", RegionEU, MarketEurope, "EUR"},
	"HU": {"HU", "Hungary", RegionEU, MarketEurope, "HUF"},
	"IE": {"IE", "Ireland", RegionEU, MarketEurope, "EUR"},
	"IT": {"IT", "Italy", RegionEU, MarketEurope, "EUR"},
	"LV": {"LV", "Latvia", RegionEU, MarketEurope, "EUR"},
	"LT": {"LT", "Lithuania", RegionEU, MarketEurope, "EUR"},
	"LU": {"LU", "Luxembourg", RegionEU, MarketEurope, "EUR"},
	"MT": {"MT", "Malta", RegionEU, MarketEurope, "EUR"},
	"NL": {"NL", "Netherlands", RegionEU, MarketEurope, "EUR"},
	"PL": {"PL", "Poland", RegionEU, MarketEurope, "PLN"},
	"PT": {"PT", "Portugal", RegionEU, MarketEurope, "EUR"},
	"RO": {"RO", "Romania", RegionEU, MarketEurope, "RON"},
	"SK": {"SK", "Slovakia", RegionEU, MarketEurope, "EUR"},
	"SI": {"SI", "Slovenia", RegionEU, MarketEurope, "EUR"},
	"ES": {"ES", "Spain", RegionEU, MarketEurope, "EUR"},
	"SE": {"SE", "Sweden", RegionEU, MarketEurope, "SEK"},

	// Europe: the EFTA states. Norway and Switzerland have their own
	// geographies. Liechtenstein is in a customs and currency union with
	// Switzerland, so it shares the CH region and the franc. Iceland has no
	// geography of its own; as an EEA member it is served from the EU region.
	"IS": {"IS", "Iceland", RegionEU, MarketEurope, "ISK"},
	"LI": {"LI", "Liechtenstein", RegionCH, MarketEurope, "CHF"},
	"NO": {"NO", "Norway", RegionNO, MarketEurope, "NOK"},
	"CH": {"CH", "Switzerland", RegionCH, MarketEurope, "CHF"},

	// Asia Pacific. New Zealand is served from the Australian geography;
	// Singapore and Hong Kong from the Asia Pacific one.
	"AU": {"AU", "Australia", RegionAU, MarketAsiaPacific, "AUD"},
	"NZ": {"NZ", "New Zealand", RegionAU, MarketAsiaPacific, "NZD"},
	"JP": {"JP", "Japan", RegionJP, MarketAsiaPacific, "JPY"},
	"IN": {"IN", "India", RegionIN, MarketAsiaPacific, "INR"},
	"KR": {"KR", "Korea, Republic of", RegionKR, MarketAsiaPacific, "KRW"},
	"SG": {"SG", "Singapore", RegionAPAC, MarketAsiaPacific, "SGD"},
	"HK": {"HK", "Hong Kong", RegionAPAC, MarketAsiaPacific, "HKD"},

	// Latin America. Brazil has its own geography; the US region is
	// Microsoft's default for the other Latin American tenants.
	"BR": {"BR", "Brazil", RegionBR, MarketLatinAmerica, "BRL"},
	"MX": {"MX", "Mexico", RegionUS, MarketLatinAmerica, "MXN"},
	"AR": {"AR", "Argentina", RegionUS, MarketLatinAmerica, "ARS"},
	"CL": {"CL", "Chile", RegionUS, MarketLatinAmerica, "CLP"},
	"CO": {"CO", "Colombia", RegionUS, MarketLatinAmerica, "COP"},

	// Middle East and Africa. South Africa and the UAE have their own
	// geographies; the EU region is Microsoft's default for the other EMEA
	// tenants.
	"ZA": {"ZA", "South Africa", RegionZA, MarketMiddleEastAfrica, "ZAR"},
	"AE": {"AE", "United Arab Emirates", RegionAE, MarketMiddleEastAfrica, "AED"},
	"SA": {"SA", "Saudi Arabia", RegionEU, MarketMiddleEastAfrica, "SAR"},
	"IL": {"IL", "Israel", RegionEU, MarketMiddleEastAfrica, "ILS"},
	"EG": {"EG", "Egypt", RegionEU, MarketMiddleEastAfrica, "EGP"},
	"NG": {"NG", "Nigeria", RegionEU, MarketMiddleEastAfrica, "NGN"},
	"KE": {"KE", "Kenya", RegionEU, MarketMiddleEastAfrica, "KES"},
	"TR": {"TR", "Türkiye", RegionEU, MarketMiddleEastAfrica, "TRY"},
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

// MarketsOf returns the distinct markets of the given countries, in the order
// NorthAmerica, Europe, LatinAmerica, AsiaPacific, MiddleEastAfrica. Codes are
// matched case-insensitively; unknown codes are ignored. It returns nil when
// no code is known.
func MarketsOf(countryCodes []string) []Market {
	seen := make(map[Market]bool)
	for _, code := range countryCodes {
		if c, ok := LookupCountry(code); ok {
			seen[c.Market] = true
		}
	}
	var out []Market
	for _, m := range marketOrder {
		if seen[m] {
			out = append(out, m)
		}
	}
	return out
}
