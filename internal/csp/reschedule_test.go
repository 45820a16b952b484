package csp

import (
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
)

// A cycle charge changes nothing on the subscription but its next event
// (the scheduler then writes only that); a renewal changes more.
func TestOnlyReschedules(t *testing.T) {
	s := newSub("CFQ7TTC0LH18:0001", 10, "P1Y", "monthly", "7.20")
	s.Purchase(at("2026-01-15T09:00:00Z"), nil)
	if !s.NextEventAt.Equal(day("2026-02-15")) {
		t.Fatalf("next event after the purchase = %s, want 2026-02-15", s.NextEventAt)
	}
	want := *s
	want.Lots = slices.Clone(s.Lots)
	ev := s.Advance(samePrice)
	if ev.Type != EvCycleCharged || !ev.Type.OnlyReschedules() {
		t.Fatalf("event on 2026-02-15 = %s (only reschedules: %v), want a cycle charge that only reschedules", ev.Type, ev.Type.OnlyReschedules())
	}
	// The charge is the period's: 10 seats at 7.20 from 02-15 to 03-14.
	if len(ev.Charges) != 1 || ev.Charges[0].Subtotal.Amount.StringFixed(2) != "72.00" || !ev.Charges[0].ChargeEnd.Equal(day("2026-03-14")) {
		t.Fatalf("cycle charges = %+v, want one of 72.00 up to 2026-03-14", ev.Charges)
	}
	next := day("2026-03-15")
	want.NextEventAt = &next
	if diff := gocmp.Diff(want, *s); diff != "" {
		t.Errorf("the cycle charge changed more than the next event (-want +got):\n%s", diff)
	}
	// Ten more cycle charges, then the term's end on 2027-01-15: a renewal.
	for range 10 {
		if ev := s.Advance(samePrice); ev.Type != EvCycleCharged {
			t.Fatalf("event on %s = %s, want a cycle charge", ev.Date.Format(time.DateOnly), ev.Type)
		}
	}
	if ev := s.Advance(samePrice); ev.Type != EvRenewed || ev.Type.OnlyReschedules() || !ev.Date.Equal(day("2027-01-15")) {
		t.Fatalf("event = %s on %s (only reschedules: %v), want a renewal on 2027-01-15 that changes the term", ev.Type, ev.Date, ev.Type.OnlyReschedules())
	}
}
