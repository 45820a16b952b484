package csp

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTenantRegion(t *testing.T) {
	tests := []struct {
		name    string
		country string
		want    Region
	}{
		{"US maps to US", "US", RegionUS},
		{"CA maps to CA", "CA", RegionCA},
		{"GB maps to UK", "GB", RegionUK},
		{"DE maps to EU", "DE", RegionEU},
		{"FR maps to EU", "FR", RegionEU},
		{"IE maps to EU", "IE", RegionEU},
		{"PL maps to EU", "PL", RegionEU},
		{"NO maps to NO", "NO", RegionNO},
		{"CH maps to CH", "CH", RegionCH},
		{"LI maps to CH", "LI", RegionCH},
		{"IS maps to EU", "IS", RegionEU},
		{"JP maps to JP", "JP", RegionJP},
		{"AU maps to AU", "AU", RegionAU},
		{"NZ maps to AU", "NZ", RegionAU},
		{"SG maps to APAC", "SG", RegionAPAC},
		{"BR maps to BR", "BR", RegionBR},
		{"MX maps to US", "MX", RegionUS},
		{"ZA maps to ZA", "ZA", RegionZA},
		{"AE maps to AE", "AE", RegionAE},
		{"TR maps to EU", "TR", RegionEU},
		{"lower-case gb maps to UK", "gb", RegionUK},
		{"lower-case de maps to EU", "de", RegionEU},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TenantRegion(tt.country)
			if err != nil {
				t.Fatalf("TenantRegion(%q) error: %v", tt.country, err)
			}
			if got != tt.want {
				t.Errorf("TenantRegion(%q) = %q, want %q", tt.country, got, tt.want)
			}
		})
	}
}

func TestTenantRegionUnknown(t *testing.T) {
	tests := []struct {
		name    string
		country string
	}{
		{"unknown XX fails", "XX"},
		{"empty fails", ""},
		{"UK is not an ISO code and fails", "UK"},
		{"alpha-3 USA fails", "USA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TenantRegion(tt.country)
			if err == nil {
				t.Fatalf("TenantRegion(%q) = %q, want error", tt.country, got)
			}
			if code := ErrorCode(err); code != EUnknownCountry {
				t.Errorf("ErrorCode = %d, want EUnknownCountry (%d)", code, EUnknownCountry)
			}
			msg := ErrorMessage(err)
			if !strings.Contains(msg, `"`+tt.country+`"`) || !strings.Contains(msg, "ISO 3166 alpha-2") {
				t.Errorf("message %q should name %q and ask for an ISO 3166 alpha-2 code", msg, tt.country)
			}
		})
	}
}

func TestLookupCountry(t *testing.T) {
	t.Run("lower-case code returns upper-case country", func(t *testing.T) {
		got, ok := LookupCountry("us")
		if !ok {
			t.Fatal(`LookupCountry("us") not found`)
		}
		want := Country{Code: "US", Name: "United States", Region: RegionUS, Currency: "USD"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("LookupCountry(\"us\") mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("unknown code is not found", func(t *testing.T) {
		if c, ok := LookupCountry("ZZ"); ok {
			t.Errorf(`LookupCountry("ZZ") = %+v, want not found`, c)
		}
	})
	t.Run("currencies follow the documented choices", func(t *testing.T) {
		want := map[string]string{
			"US": "USD", "CA": "CAD", "GB": "GBP", "DE": "EUR", "BG": "EUR", "HR": "EUR",
			"SE": "SEK", "DK": "DKK", "PL": "PLN", "CZ": "CZK", "HU": "HUF", "RO": "RON",
			"NO": "NOK", "CH": "CHF", "LI": "CHF", "IS": "ISK", "JP": "JPY",
		}
		for code, cur := range want {
			c, ok := LookupCountry(code)
			if !ok {
				t.Errorf("LookupCountry(%q) not found", code)
				continue
			}
			if c.Currency != cur {
				t.Errorf("%s currency = %q, want %q", code, c.Currency, cur)
			}
		}
	})
}

func TestEUMemberStates(t *testing.T) {
	eu := []string{
		"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
		"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
	}
	if len(eu) != 27 {
		t.Fatalf("test lists %d EU member states, want 27", len(eu))
	}
	n := 0
	for _, code := range eu {
		c, ok := LookupCountry(code)
		if !ok {
			t.Errorf("EU member %s is missing", code)
			continue
		}
		if m, _ := MarketOf(code); c.Region == RegionEU && m == MarketEurope {
			n++
		} else {
			t.Errorf("EU member %s: region %q market %q, want EU/Europe", code, c.Region, m)
		}
	}
	if n != 27 {
		t.Errorf("%d EU member states map to the EU region, want 27", n)
	}
}

func TestCountries(t *testing.T) {
	all := Countries()
	t.Run("about 55 countries are listed", func(t *testing.T) {
		if len(all) < 50 {
			t.Errorf("Countries() has %d entries, want at least 50", len(all))
		}
	})
	t.Run("sorted by unique upper-case code", func(t *testing.T) {
		if !slices.IsSortedFunc(all, func(a, b Country) int { return strings.Compare(a.Code, b.Code) }) {
			t.Error("Countries() is not sorted by Code")
		}
		for i, c := range all {
			if i > 0 && all[i-1].Code == c.Code {
				t.Errorf("duplicate code %s", c.Code)
			}
			if c.Code != strings.ToUpper(c.Code) || len(c.Code) != 2 {
				t.Errorf("code %q is not a 2-letter upper-case code", c.Code)
			}
		}
	})
	t.Run("every country is complete and in a CSP market", func(t *testing.T) {
		for _, c := range all {
			if c.Name == "" || c.Region == "" || len(c.Currency) != 3 {
				t.Errorf("incomplete country %+v", c)
			}
			if _, ok := MarketOf(c.Code); !ok {
				t.Errorf("%s is in no CSP market: a customer there could be created but never sold to", c.Code)
			}
		}
	})
	t.Run("result is a copy", func(t *testing.T) {
		all[0].Name = "changed"
		if Countries()[0].Name == "changed" {
			t.Error("Countries() shares memory with the table")
		}
	})
}
