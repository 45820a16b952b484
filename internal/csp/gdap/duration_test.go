package gdap

import (
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
)

// TestParseDuration reads durations as Graph's Edm.Duration does (a year is
// 365 days, a month 30) and keeps P1D to P730D.
func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		days int
		code csp.Code
	}{
		{in: "P730D", days: 730},
		{in: "P1D", days: 1},
		{in: "P90D", days: 90},
		{in: "p90d", days: 90},
		{in: " P90D ", days: 90},
		{in: "P1Y", days: 365},
		{in: "P2Y", days: 730},
		{in: "P1Y6M", days: 365 + 180}, // 545
		{in: "P1Y365D", days: 730},
		{in: "PT48H", days: 2},
		{in: "P1DT24H", days: 2},
		{in: "", code: csp.EMissingField},
		{in: "P0D", code: csp.EGDAPDuration},
		{in: "PT0S", code: csp.EGDAPDuration},
		{in: "P731D", code: csp.EGDAPDuration},
		{in: "P2Y1D", code: csp.EGDAPDuration}, // 731
		{in: "P3Y", code: csp.EGDAPDuration},
		{in: "PT12H", code: csp.EGDAPDuration}, // half a day
		{in: "P1DT1S", code: csp.EGDAPDuration},
		{in: "730", code: csp.EGDAPDuration},
		{in: "P", code: csp.EGDAPDuration},
		{in: "PT", code: csp.EGDAPDuration},
		{in: "P1W", code: csp.EGDAPDuration},
		{in: "P1.5D", code: csp.EGDAPDuration},
		{in: "P-1D", code: csp.EGDAPDuration},
		{in: "P1D1Y", code: csp.EGDAPDuration}, // designators out of order
		{in: "P1D1D", code: csp.EGDAPDuration},
		{in: "P9999999999D", code: csp.EGDAPDuration},
	}
	for _, tc := range tests {
		days, err := ParseDuration(tc.in)
		if tc.code != 0 {
			if got := csp.ErrorCode(err); got != tc.code {
				t.Errorf("ParseDuration(%q) = %d, %v; want code %d", tc.in, days, err, tc.code)
			}
			continue
		}
		if err != nil || days != tc.days {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d", tc.in, days, err, tc.days)
		}
	}
}

func TestParseAutoExtend(t *testing.T) {
	tests := []struct {
		in   string
		days int
		code csp.Code
	}{
		{in: "", days: 0},
		{in: "PT0S", days: 0},
		{in: "P0D", days: 0},
		{in: "P180D", days: 180},
		{in: "P6M", days: 180}, // 6 × 30 days, as Graph's Edm.Duration reads it
		{in: "P90D", code: csp.EGDAPAutoExtend},
		{in: "P1Y", code: csp.EGDAPAutoExtend},
		{in: "yes", code: csp.EGDAPAutoExtend},
	}
	for _, tc := range tests {
		days, err := ParseAutoExtend(tc.in)
		if tc.code != 0 {
			if got := csp.ErrorCode(err); got != tc.code {
				t.Errorf("ParseAutoExtend(%q) = %d, %v; want code %d", tc.in, days, err, tc.code)
			}
			continue
		}
		if err != nil || days != tc.days {
			t.Errorf("ParseAutoExtend(%q) = %d, %v; want %d", tc.in, days, err, tc.days)
		}
	}
	if got := (&Relationship{Duration: 730, AutoExtendDays: 0}).AutoExtendDuration(); got != "PT0S" {
		t.Errorf("no extension answers %q, want PT0S", got)
	}
	if got := (&Relationship{Duration: 730, AutoExtendDays: 180}).AutoExtendDuration(); got != "P180D" {
		t.Errorf("extension answers %q, want P180D", got)
	}
	if got := (&Relationship{Duration: 730}).DurationText(); got != "P730D" {
		t.Errorf("duration answers %q, want P730D", got)
	}
}
