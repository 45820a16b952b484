package csp

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Market is one of Microsoft's 15 CSP markets (commerce-rules R-30). Each
// location of a partner selects the market of its country; the partner may
// sell to customers whose tenant country lies in one of those markets. A
// market is not a tenant Region: the two tables are separate.
type Market string

// The 15 CSP markets, named as Microsoft publishes them, in the published
// (alphabetical) order, which is also the order MarketsOf reports them in.
const (
	MarketAfrica           Market = "Africa"
	MarketAsiaAndPacific   Market = "Asia and Pacific"
	MarketAustralia        Market = "Australia"
	MarketBrazil           Market = "Brazil"
	MarketCanada           Market = "Canada"
	MarketChina            Market = "China"
	MarketEurope           Market = "Europe"
	MarketIndia            Market = "India"
	MarketJapan            Market = "Japan"
	MarketKorea            Market = "Korea, Republic of"
	MarketLatinAmerica     Market = "Latin America and the Caribbean"
	MarketMiddleEastEurope Market = "Middle East, Central Europe, and Eastern Europe"
	MarketNewZealand       Market = "New Zealand"
	MarketTaiwan           Market = "Taiwan"
	MarketUnitedStates     Market = "United States"
)

// marketOrder lists every market once, in the published order.
var marketOrder = []Market{
	MarketAfrica, MarketAsiaAndPacific, MarketAustralia, MarketBrazil, MarketCanada,
	MarketChina, MarketEurope, MarketIndia, MarketJapan, MarketKorea,
	MarketLatinAmerica, MarketMiddleEastEurope, MarketNewZealand, MarketTaiwan, MarketUnitedStates,
}

// marketsTSV is Microsoft's country → market table ("CSP global markets",
// regional-authorization-overview, 2023-08): market, ISO 3166-1 alpha-2
// code, country name and CSP currency as published. It is kept as published,
// oddities included: French Polynesia (PF) and New Caledonia (NC) sit in
// Africa; Bonaire, Saba and Sint Eustatius share the code BQ (three rows,
// one code); Kosovo is XK, a user-assigned code; the currency cells of VA,
// KN, BA, MK and PS are blank. The currency column is Microsoft's, not the
// customer's pricing currency (that comes from the countries table).
//
//go:embed csp-markets.tsv
var marketsTSV string

// marketRow is one row of the markets table.
type marketRow struct {
	Market   Market
	Code     string
	Name     string
	Currency string // blank, or codes separated by ";" (Brazil: "USD;BRL")
}

const marketsHeader = "market_name\tiso2\tcountry_name\tcurrency"

var (
	iso2Pattern        = regexp.MustCompile(`^[A-Z]{2}$`)
	marketCurrencyCell = regexp.MustCompile(`^([A-Z]{3}(;[A-Z]{3})*)?$`)
)

// parseMarkets reads the markets table and checks its shape: the header,
// four cells a row, a known market, an upper-case two-letter code, a name,
// well-formed currencies, no code in two markets, no repeated row and every
// market present.
func parseMarkets(tsv string) ([]marketRow, error) {
	lines := strings.Split(strings.TrimSuffix(tsv, "\n"), "\n")
	if lines[0] != marketsHeader {
		return nil, fmt.Errorf("csp-markets.tsv: header %q, want %q", lines[0], marketsHeader)
	}
	var rows []marketRow
	marketOfCode := map[string]Market{}
	seen := map[[2]string]bool{}
	for i, line := range lines[1:] {
		n := i + 2
		cells := strings.Split(line, "\t")
		if len(cells) != 4 {
			return nil, fmt.Errorf("csp-markets.tsv line %d: %d cells, want 4", n, len(cells))
		}
		r := marketRow{Market: Market(cells[0]), Code: cells[1], Name: cells[2], Currency: cells[3]}
		switch {
		case !slices.Contains(marketOrder, r.Market):
			return nil, fmt.Errorf("csp-markets.tsv line %d: %q is not one of the 15 CSP markets", n, r.Market)
		case !iso2Pattern.MatchString(r.Code):
			return nil, fmt.Errorf("csp-markets.tsv line %d: code %q is not two upper-case letters", n, r.Code)
		case strings.TrimSpace(r.Name) == "":
			return nil, fmt.Errorf("csp-markets.tsv line %d: no country name", n)
		case !marketCurrencyCell.MatchString(r.Currency):
			return nil, fmt.Errorf("csp-markets.tsv line %d: currency %q is not blank or ISO 4217 codes separated by ;", n, r.Currency)
		case seen[[2]string{r.Code, r.Name}]:
			return nil, fmt.Errorf("csp-markets.tsv line %d: %s %s is listed twice", n, r.Code, r.Name)
		}
		if m, ok := marketOfCode[r.Code]; ok && m != r.Market {
			return nil, fmt.Errorf("csp-markets.tsv line %d: %s is in both %q and %q", n, r.Code, m, r.Market)
		}
		marketOfCode[r.Code] = r.Market
		seen[[2]string{r.Code, r.Name}] = true
		rows = append(rows, r)
	}
	for _, m := range marketOrder {
		if !slices.ContainsFunc(rows, func(r marketRow) bool { return r.Market == m }) {
			return nil, fmt.Errorf("csp-markets.tsv: market %q has no country", m)
		}
	}
	return rows, nil
}

// marketOfCountry is the country code → market table, built once from the
// embedded file; a malformed file stops the program at start-up (and every
// test).
var marketOfCountry = func() map[string]Market {
	rows, err := parseMarkets(marketsTSV)
	if err != nil {
		panic(err)
	}
	out := make(map[string]Market, len(rows))
	for _, r := range rows {
		out[r.Code] = r.Market
	}
	return out
}()

// currencyOfCountry is the country code → Microsoft's CSP currencies
// table (the first row's, for a code listed twice), built with
// marketOfCountry.
var currencyOfCountry = func() map[string][]string {
	rows, _ := parseMarkets(marketsTSV) // checked by marketOfCountry
	out := make(map[string][]string, len(rows))
	for _, r := range rows {
		if _, ok := out[r.Code]; !ok && r.Currency != "" {
			out[r.Code] = strings.Split(r.Currency, ";")
		}
	}
	return out
}()

// MarketCurrency returns the CSP currencies Microsoft's markets table
// lists for a country code (none for a blank cell or an unknown code).
func MarketCurrency(country string) []string {
	return slices.Clone(currencyOfCountry[normCountry(country)])
}

// IsMarketCurrency tells a currency some country of the markets table is
// billed in.
func IsMarketCurrency(currency string) bool {
	for _, cs := range currencyOfCountry {
		if slices.Contains(cs, currency) {
			return true
		}
	}
	return false
}

// MarketOf returns the CSP market of a country code, matched
// case-insensitively. It reports false for codes outside every market.
func MarketOf(country string) (Market, bool) {
	m, ok := marketOfCountry[normCountry(country)]
	return m, ok
}

// MarketsOf returns the distinct markets of the given countries, in the
// published order. Codes are matched case-insensitively; codes outside every
// market are ignored. It returns nil when none is in a market.
func MarketsOf(countryCodes []string) []Market {
	seen := make(map[Market]bool)
	for _, code := range countryCodes {
		if m, ok := MarketOf(code); ok {
			seen[m] = true
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

// joinMarkets quotes each market name and joins them with commas: the names
// themselves may hold commas ("Korea, Republic of").
func joinMarkets(ms []Market) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = fmt.Sprintf("%q", string(m))
	}
	return strings.Join(s, ", ")
}
