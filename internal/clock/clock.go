// Package clock gives the program its notion of "now": the wall clock, a
// manual clock for tests, and the grammar of clock advances.
package clock

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// Clock answers the current time. Domain and app code take it injected and
// never call time.Now.
type Clock interface {
	Now() time.Time
}

// Precision is what both storage engines keep; every time is truncated to it.
const Precision = time.Microsecond

// Real is the wall clock, in UTC.
type Real struct{}

// Now answers the wall time.
func (Real) Now() time.Time { return time.Now().UTC().Truncate(Precision) }

// Manual is a clock that stands still until it is set: a wall clock for
// tests of leases and windows. (The sandbox's program clock is a row of the
// database, not this.)
type Manual struct {
	mu  sync.RWMutex
	now time.Time
}

// NewManual starts a manual clock at t.
func NewManual(t time.Time) *Manual { return &Manual{now: t.UTC().Truncate(Precision)} }

// Now answers the clock's time.
func (m *Manual) Now() time.Time {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.now
}

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	m.now = t.UTC().Truncate(Precision)
	m.mu.Unlock()
}

// Add moves the clock by d.
func (m *Manual) Add(d time.Duration) { m.Set(m.Now().Add(d)) }

var isoDuration = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// Add moves t forward by a duration written as a Go duration ("720h") or ISO
// 8601 ("PT12H", "P30D", "P1M", "P1Y2M3DT4H"). Years and months are calendar
// years and months, clamped to the last day of the target month
// (2024-01-31 + P1M = 2024-02-29).
func Add(t time.Time, duration string) (time.Time, error) {
	if d, err := time.ParseDuration(duration); err == nil {
		if d < 0 {
			return time.Time{}, fmt.Errorf("duration %q is negative: the clock only moves forward", duration)
		}
		return t.Add(d), nil
	}
	m := isoDuration.FindStringSubmatch(duration)
	if m == nil || duration == "P" || duration == "PT" {
		return time.Time{}, fmt.Errorf("duration %q is neither a Go duration (720h) nor ISO 8601 (P1M, P30D, PT12H)", duration)
	}
	n := make([]int, 8)
	for i := 1; i < len(m); i++ {
		if m[i] != "" {
			v, err := strconv.Atoi(m[i])
			if err != nil || v > 1000000 {
				return time.Time{}, fmt.Errorf("duration %q has a component out of range", duration)
			}
			n[i] = v
		}
	}
	t = AddMonths(t, n[1]*12+n[2])
	t = t.AddDate(0, 0, n[3]*7+n[4])
	return t.Add(time.Duration(n[5])*time.Hour + time.Duration(n[6])*time.Minute + time.Duration(n[7])*time.Second), nil
}

// AddMonths adds calendar months, clamping the day to the target month's
// last day instead of overflowing into the next month as time.AddDate does.
func AddMonths(t time.Time, months int) time.Time {
	y, mo, d := t.Date()
	first := time.Date(y, mo+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}
