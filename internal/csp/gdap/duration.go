package gdap

import (
	"strconv"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

// Graph's durations are Edm.Duration values, read the way .NET's
// XmlConvert reads xs:duration: a year is 365 days and a month 30, so P2Y
// is P730D, and Graph answers the days ("P730D").
const (
	daySeconds   = 24 * 60 * 60
	yearDays     = 365
	monthDays    = 30
	maxComponent = 999999999 // more digits than any valid duration needs
)

// ParseDuration reads a relationship's duration: an ISO 8601 duration of
// whole days between P1D and P730D (P2Y) inclusive, in days.
func ParseDuration(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, csp.Errorf(csp.EMissingField, "duration is required: an ISO 8601 duration between P1D and P730D (P2Y), for example P730D").WithData("field=duration")
	}
	secs, ok := parseISO(s)
	if !ok {
		return 0, csp.Errorf(csp.EGDAPDuration, "duration %q is not an ISO 8601 duration: send days, as in P90D or P730D (P1Y and P2Y are read as 365 and 730 days)", s).WithData("field=duration")
	}
	if secs%daySeconds != 0 {
		return 0, csp.Errorf(csp.EGDAPDuration, "duration %q is not a whole number of days: a relationship lasts whole days, P1D to P730D", s).WithData("field=duration")
	}
	days := secs / daySeconds
	if days < MinDays || days > MaxDays {
		return 0, csp.Errorf(csp.EGDAPDuration, "duration %q is %d days: a relationship lasts between P1D and P730D (P2Y) inclusive", s, days).WithData("field=duration")
	}
	return int(days), nil
}

// ParseAutoExtend reads autoExtendDuration: P0D or PT0S (no extension, the
// default when absent) or P180D, in days.
func ParseAutoExtend(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	secs, ok := parseISO(s)
	switch {
	case ok && secs == 0:
		return 0, nil
	case ok && secs == ExtendDays*daySeconds:
		return ExtendDays, nil
	}
	return 0, csp.Errorf(csp.EGDAPAutoExtend, "autoExtendDuration %q is not supported: send P180D to extend the relationship by 180 days at each end, or PT0S (or P0D) to let it expire", s).
		WithData("field=autoExtendDuration")
}

// FormatDays answers Graph's form of a number of days: "P730D", "P0D".
func FormatDays(days int) string { return "P" + strconv.Itoa(days) + "D" }

// parseISO reads an ISO 8601 duration P[nY][nM][nD][T[nH][nM][nS]] of
// non-negative integers, in seconds. Weeks, fractions and signs are not
// read.
func parseISO(s string) (int64, bool) {
	s = strings.ToUpper(s)
	if len(s) < 3 || s[0] != 'P' {
		return 0, false
	}
	date, clock, hasT := strings.Cut(s[1:], "T")
	if hasT && clock == "" {
		return 0, false
	}
	var total int64
	read := func(part, units string, seconds []int64) bool {
		next := 0 // designators must come in order, each once
		for part != "" {
			i := 0
			for i < len(part) && part[i] >= '0' && part[i] <= '9' {
				i++
			}
			if i == 0 || i == len(part) || i > 9 {
				return false
			}
			n, err := strconv.ParseInt(part[:i], 10, 64)
			if err != nil || n > maxComponent {
				return false
			}
			k := strings.IndexByte(units[next:], part[i])
			if k < 0 {
				return false
			}
			next += k
			total += n * seconds[next]
			next++
			part = part[i+1:]
		}
		return true
	}
	if !read(date, "YMD", []int64{yearDays * daySeconds, monthDays * daySeconds, daySeconds}) {
		return 0, false
	}
	if !read(clock, "HMS", []int64{3600, 60, 1}) {
		return 0, false
	}
	return total, date != "" || hasT
}
