package csp

import "time"

// Dates in the commerce engine are UTC calendar days, held as time.Time at
// 00:00 UTC. A change takes effect at the start of its UTC day (C-1).

// Day truncates t to its UTC day.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DaysInclusive counts the days from first to last, both included.
func DaysInclusive(first, last time.Time) int {
	return int(Day(last).Sub(Day(first)).Hours()/24) + 1
}

// AddMonths adds calendar months to a day, clamping to the target month's
// last day (2024-01-31 + 1 month = 2024-02-29).
func AddMonths(day time.Time, months int) time.Time {
	y, m, d := day.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	if last := first.AddDate(0, 1, -1).Day(); d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}

// TermMonths is the length of a term duration in months (P1M, P1Y, P3Y).
func TermMonths(duration string) int {
	switch duration {
	case "P1M":
		return 1
	case "P1Y":
		return 12
	case "P3Y":
		return 36
	}
	return 0
}

// CycleMonths is the length of a billing period in months.
func CycleMonths(billingCycle string) int {
	switch billingCycle {
	case "monthly":
		return 1
	case "annual":
		return 12
	case "triennial":
		return 36
	}
	return 0
}

// TermEnd is the inclusive last day of a term starting on start:
// start + term, clamped to the month's end, minus one day.
func TermEnd(start time.Time, duration string) time.Time {
	return AddMonths(Day(start), TermMonths(duration)).AddDate(0, 0, -1)
}

// IsMonthEnd reports whether day is the last day of its month.
func IsMonthEnd(day time.Time) bool { return Day(day).AddDate(0, 0, 1).Day() == 1 }
