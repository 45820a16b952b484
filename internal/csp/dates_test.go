package csp

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTermEnd(t *testing.T) {
	tests := []struct{ start, duration, want string }{
		{"2024-03-15", "P1Y", "2025-03-14"},
		{"2024-01-31", "P1M", "2024-02-28"}, // clamped to 02-29, minus a day
		{"2023-01-31", "P1M", "2023-02-27"},
		{"2024-05-10", "P1M", "2024-06-09"},
		{"2024-02-29", "P1Y", "2025-02-27"},
		{"2024-01-01", "P3Y", "2026-12-31"},
	}
	for _, tt := range tests {
		if got := TermEnd(day(tt.start), tt.duration); !got.Equal(day(tt.want)) {
			t.Errorf("TermEnd(%s, %s) = %s, want %s", tt.start, tt.duration, got.Format(time.DateOnly), tt.want)
		}
	}
	if n := DaysInclusive(day("2024-01-01"), day("2024-12-31")); n != 366 {
		t.Errorf("days in 2024 = %d", n)
	}
}
