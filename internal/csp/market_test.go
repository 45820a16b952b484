package csp

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMarketsTable counts the embedded table against commerce-rules R-30:
// 244 rows, 242 codes, and the rows and codes of each of the 15 markets.
func TestMarketsTable(t *testing.T) {
	rows, err := parseMarkets(marketsTSV)
	if err != nil {
		t.Fatal(err)
	}
	type count struct{ Rows, Codes int }
	want := map[Market]count{
		MarketAfrica: {47, 47}, MarketAsiaAndPacific: {18, 18}, MarketAustralia: {21, 21}, MarketBrazil: {1, 1},
		MarketCanada: {2, 2}, MarketChina: {1, 1}, MarketEurope: {45, 45}, MarketIndia: {1, 1}, MarketJapan: {1, 1},
		MarketKorea: {1, 1}, MarketLatinAmerica: {53, 51}, MarketMiddleEastEurope: {44, 44}, MarketNewZealand: {3, 3},
		MarketTaiwan: {1, 1}, MarketUnitedStates: {5, 5},
	}
	got := map[Market]count{}
	codes := map[Market]map[string]bool{}
	for _, r := range rows {
		if codes[r.Market] == nil {
			codes[r.Market] = map[string]bool{}
		}
		codes[r.Market][r.Code] = true
		c := got[r.Market]
		c.Rows++
		c.Codes = len(codes[r.Market])
		got[r.Market] = c
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows and codes per market (-want +got):\n%s", diff)
	}
	if len(rows) != 244 || len(marketOfCountry) != 242 {
		t.Errorf("%d rows and %d codes, want 244 and 242", len(rows), len(marketOfCountry))
	}
	if len(marketOrder) != 15 {
		t.Errorf("%d markets, want 15", len(marketOrder))
	}
}

// TestMarketsTableOddities checks that the published oddities are kept.
func TestMarketsTableOddities(t *testing.T) {
	rows, err := parseMarkets(marketsTSV)
	if err != nil {
		t.Fatal(err)
	}
	var bq, blank []string
	for _, r := range rows {
		if r.Code == "BQ" {
			bq = append(bq, r.Name)
		}
		if r.Currency == "" {
			blank = append(blank, r.Code)
		}
	}
	slices.Sort(blank)
	if diff := cmp.Diff([]string{"Bonaire", "Saba", "Sint Eustatius"}, bq); diff != "" {
		t.Errorf("BQ rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"BA", "KN", "MK", "PS", "VA"}, blank); diff != "" {
		t.Errorf("blank currency cells (-want +got):\n%s", diff)
	}
	for code, want := range map[string]Market{"PF": MarketAfrica, "NC": MarketAfrica, "BQ": MarketLatinAmerica, "XK": MarketMiddleEastEurope} {
		if got, _ := MarketOf(code); got != want {
			t.Errorf("%s is in %q, want %q as published", code, got, want)
		}
	}
}

func TestMarketOf(t *testing.T) {
	tests := []struct {
		country string
		want    Market // "" = in no market
	}{
		{"US", MarketUnitedStates}, {"AS", MarketUnitedStates}, {"GU", MarketUnitedStates}, {"MP", MarketUnitedStates}, {"UM", MarketUnitedStates},
		{"CA", MarketCanada}, {"PM", MarketCanada},
		{"PR", MarketLatinAmerica}, {"MX", MarketLatinAmerica},
		{"GB", MarketEurope}, {"NO", MarketEurope}, {"CH", MarketEurope}, {"DE", MarketEurope}, {"LI", MarketEurope},
		{"RS", MarketMiddleEastEurope}, {"TR", MarketMiddleEastEurope}, {"ZA", MarketMiddleEastEurope},
		{"NG", MarketAfrica}, {"AU", MarketAustralia}, {"FJ", MarketAustralia},
		{"NZ", MarketNewZealand}, {"WS", MarketNewZealand}, {"SG", MarketAsiaAndPacific}, {"HK", MarketAsiaAndPacific},
		{"JP", MarketJapan}, {"IN", MarketIndia}, {"KR", MarketKorea}, {"BR", MarketBrazil}, {"CN", MarketChina}, {"TW", MarketTaiwan},
		{" gb ", MarketEurope}, {"us", MarketUnitedStates},
		{"ZZ", ""}, {"UK", ""}, {"", ""}, {"USA", ""},
	}
	for _, tt := range tests {
		got, ok := MarketOf(tt.country)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("MarketOf(%q) = %q, %v; want %q", tt.country, got, ok, tt.want)
		}
	}
}

func TestMarketsOf(t *testing.T) {
	tests := []struct {
		name      string
		countries []string
		want      []Market
	}{
		{"US and CA are two markets", []string{"US", "CA"}, []Market{MarketCanada, MarketUnitedStates}},
		{"published order, whatever the input order", []string{"US", "de", "JP", "NZ", "BR"},
			[]Market{MarketBrazil, MarketEurope, MarketJapan, MarketNewZealand, MarketUnitedStates}},
		{"duplicates collapse", []string{"DE", "NO", "GB", "CH"}, []Market{MarketEurope}},
		{"codes in no market are ignored", []string{"XX", "AU", ""}, []Market{MarketAustralia}},
		{"no countries gives no markets", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, MarketsOf(tt.countries)); diff != "" {
				t.Errorf("MarketsOf(%v) mismatch (-want +got):\n%s", tt.countries, diff)
			}
		})
	}
}

func TestParseMarketsRefuses(t *testing.T) {
	const head = "market_name\tiso2\tcountry_name\tcurrency\n"
	tests := []struct {
		name, tsv, want string
	}{
		{"wrong header", "market\tcode\tname\tcurrency\nEurope\tDE\tGermany\tEUR\n", "header"},
		{"three cells", head + "Europe\tDE\tGermany\n", "line 2: 3 cells"},
		{"blank line", head + "Europe\tDE\tGermany\tEUR\n\nEurope\tFR\tFrance\tEUR\n", "line 3: 1 cells"},
		{"unknown market", head + "North America\tUS\tUnited States\tUSD\n", `"North America" is not one of the 15`},
		{"lower-case code", head + "Europe\tde\tGermany\tEUR\n", `code "de"`},
		{"alpha-3 code", head + "Europe\tDEU\tGermany\tEUR\n", `code "DEU"`},
		{"no name", head + "Europe\tDE\t \tEUR\n", "no country name"},
		{"bad currency", head + "Europe\tDE\tGermany\tEuro\n", `currency "Euro"`},
		{"code in two markets", head + "Europe\tGB\tUK\tGBP\nCanada\tGB\tBritain\tCAD\n", `GB is in both "Europe" and "Canada"`},
		{"row twice", head + "Europe\tDE\tGermany\tEUR\nEurope\tDE\tGermany\tEUR\n", "DE Germany is listed twice"},
		{"a market without country", head + "Europe\tDE\tGermany\tEUR\n", `market "Africa" has no country`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseMarkets(tt.tsv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseMarkets: %v, want an error with %q", err, tt.want)
			}
		})
	}
}
