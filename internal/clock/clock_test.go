package clock

import (
	"testing"
	"time"
)

func TestAdd(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name, from, dur, want string
	}{
		{"GoHours", "2024-01-01T00:00:00Z", "720h", "2024-01-31T00:00:00Z"},
		{"ISOHours", "2024-01-01T00:00:00Z", "PT12H", "2024-01-01T12:00:00Z"},
		{"ISODays", "2024-02-20T08:00:00Z", "P30D", "2024-03-21T08:00:00Z"},
		{"MonthClampedLeap", "2024-01-31T10:00:00Z", "P1M", "2024-02-29T10:00:00Z"},
		{"MonthClampedCommon", "2023-01-31T00:00:00Z", "P1M", "2023-02-28T00:00:00Z"},
		{"YearFromLeapDay", "2024-02-29T00:00:00Z", "P1Y", "2025-02-28T00:00:00Z"},
		{"Mixed", "2024-01-31T00:00:00Z", "P1Y1M1DT1H", "2025-03-01T01:00:00Z"},
		{"Weeks", "2024-01-01T00:00:00Z", "P2W", "2024-01-15T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Add(at(tt.from), tt.dur)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(at(tt.want)) {
				t.Fatalf("Add(%s, %s) = %s, want %s", tt.from, tt.dur, got.Format(time.RFC3339), tt.want)
			}
		})
	}
	for _, bad := range []string{"", "P", "PT", "-5h", "1M", "P1.5M", "soon"} {
		t.Run("Err"+bad, func(t *testing.T) {
			if _, err := Add(at("2024-01-01T00:00:00Z"), bad); err == nil {
				t.Fatalf("Add(%q) succeeded; want an error", bad)
			}
		})
	}
}

func TestManualFrozen(t *testing.T) {
	start := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	c := NewManual(start)
	first := c.Now()
	time.Sleep(2 * time.Millisecond) // wall time passes; the manual clock does not
	if !first.Equal(start) || !c.Now().Equal(start) {
		t.Fatalf("manual clock moved by itself: %s", c.Now())
	}
	c.Set(start.Add(time.Hour))
	c.Add(30 * time.Minute)
	if got := c.Now(); !got.Equal(time.Date(2024, 3, 1, 11, 30, 0, 0, time.UTC)) {
		t.Fatalf("after Set and Add: %s", got)
	}
}
