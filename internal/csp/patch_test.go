package csp

import (
	"reflect"
	"testing"
)

// stored is the subscription the Diff cases compare with: active, 10
// seats P1Y/monthly, auto-renew on, named "Sales", 8 seats scheduled.
func stored() *Subscription {
	s := newSub("BASE:0001", 10, "P1Y", "monthly", "10.00")
	s.Status, s.FriendlyName = StatusActive, "Sales"
	s.Scheduled = &NextTerm{ProductID: "BASE", SkuID: "0001", AvailabilityID: "A1", TermDuration: "P1Y", BillingCycle: "monthly", Quantity: 8}
	return s
}

// echo is what a GET of stored() answers, as the SDK sends it back.
func echo(change func(d *Desired)) Desired {
	d := Desired{Quantity: ptr(10), Status: ptr("active"), AutoRenew: ptr(true), FriendlyName: ptr("Sales"), TermDuration: ptr("P1Y"), BillingCycle: ptr("monthly"),
		Scheduled: &NextTerm{ProductID: "BASE", SkuID: "0001", AvailabilityID: "A1", TermDuration: "P1Y", BillingCycle: "monthly", Quantity: 8}}
	if change != nil {
		change(&d)
	}
	return d
}

// TestDiff works out by hand, from partner-center-api.md §8, what each body
// changes of stored().
func TestDiff(t *testing.T) {
	nine := &NextTerm{ProductID: "BASE", SkuID: "0001", AvailabilityID: "A1", TermDuration: "P1Y", BillingCycle: "monthly", Quantity: 9}
	suspended := func(s *Subscription) { s.Status = StatusSuspended }
	tests := []struct {
		name   string
		before func(s *Subscription) // changes stored() first
		body   Desired
		want   Change
		code   Code
	}{
		{name: "EchoChangesNothing", body: echo(nil)},
		{name: "Cancel", body: echo(func(d *Desired) { d.Status = ptr("deleted") }), want: Change{Status: StatusDeleted}},
		{name: "CancelPascalCase", body: echo(func(d *Desired) { d.Status = ptr("Deleted") }), want: Change{Status: StatusDeleted}},
		{name: "Suspend", body: echo(func(d *Desired) { d.Status = ptr("SUSPENDED") }), want: Change{Status: StatusSuspended}},
		{name: "ReactivateEcho", before: suspended, body: echo(func(d *Desired) { d.Status = ptr("Active") }), want: Change{Status: StatusActive}},
		{name: "StatusEchoUpperCase", body: echo(func(d *Desired) { d.Status = ptr("ACTIVE") })},
		{name: "StatusNone", body: echo(func(d *Desired) { d.Status = ptr("none") })},
		{name: "StatusAbsent", body: echo(func(d *Desired) { d.Status = nil })},
		{name: "StatusExpired", body: echo(func(d *Desired) { d.Status = ptr("expired") }), code: EStatusChangeInvalid},
		{name: "Quantity", body: echo(func(d *Desired) { d.Quantity = ptr(12) }), want: Change{Quantity: ptr(12)}},
		{name: "QuantityNegative", body: echo(func(d *Desired) { d.Quantity = ptr(-1) }), want: Change{Quantity: ptr(-1)}},
		{name: "QuantityZeroIsNoChange", body: echo(func(d *Desired) { d.Quantity = ptr(0) })},
		// The SDK's object built from scratch: Quantity 0, AutoRenewEnabled
		// false, instructions null. It suspends, keeps 10 seats, turns
		// auto-renew off and deletes the instructions.
		{name: "SDKSuspendFromScratch", body: Desired{Quantity: ptr(0), Status: ptr("suspended"), AutoRenew: ptr(false)},
			want: Change{Status: StatusSuspended, AutoRenew: ptr(false), ClearSchedule: true}},
		{name: "AutoRenewOff", body: echo(func(d *Desired) { d.AutoRenew = ptr(false) }), want: Change{AutoRenew: ptr(false)}},
		{name: "AutoRenewAbsentIsOff", body: echo(func(d *Desired) { d.AutoRenew = nil }), want: Change{AutoRenew: ptr(false)}},
		{name: "AutoRenewOn", before: func(s *Subscription) { s.AutoRenew, s.Scheduled = false, nil },
			body: echo(func(d *Desired) { d.Scheduled = nil }), want: Change{AutoRenew: ptr(true)}},
		{name: "SuspendedEcho", before: suspended, body: echo(func(d *Desired) { d.Status = ptr("suspended") })},
		{name: "ScheduleNullDeletes", body: echo(func(d *Desired) { d.Scheduled = nil }), want: Change{ClearSchedule: true}},
		{name: "ScheduleOther", body: echo(func(d *Desired) { d.Scheduled = nine }), want: Change{Schedule: nine}},
		{name: "ScheduleEchoOtherCase", body: echo(func(d *Desired) { d.Scheduled.TermDuration, d.Scheduled.BillingCycle = "p1y", "Monthly" })},
		{name: "Rename", body: echo(func(d *Desired) { d.FriendlyName = ptr("Marketing") }), want: Change{FriendlyName: ptr("Marketing")}},
		{name: "RenameEchoWithSpaces", body: echo(func(d *Desired) { d.FriendlyName = ptr(" Sales ") })},
		{name: "RenameAbsent", body: echo(func(d *Desired) { d.FriendlyName = nil })},
		{name: "RenameBlank", body: echo(func(d *Desired) { d.FriendlyName = ptr(" ") }), want: Change{FriendlyName: ptr(" ")}},
		{name: "RenameControlCharacter", body: echo(func(d *Desired) { d.FriendlyName = ptr("a\nb") }), code: EInvalidText},
		{name: "RenameAndQuantity", body: echo(func(d *Desired) { d.FriendlyName, d.Quantity = ptr("Marketing"), ptr(11) }),
			want: Change{FriendlyName: ptr("Marketing"), Quantity: ptr(11)}},
		// A cancellation turns auto-renew off and drops the instructions by
		// itself: neither is a change of its own, whatever the body says.
		{name: "CancelSDKFromScratch", body: Desired{Quantity: ptr(0), Status: ptr("deleted"), AutoRenew: ptr(false)}, want: Change{Status: StatusDeleted}},
		{name: "CancelWithOtherSchedule", body: echo(func(d *Desired) { d.Status, d.Scheduled = ptr("deleted"), nine }), want: Change{Status: StatusDeleted}},
		{name: "CancelAndRename", body: echo(func(d *Desired) { d.Status, d.FriendlyName = ptr("deleted"), ptr("Old") }),
			want: Change{Status: StatusDeleted, FriendlyName: ptr("Old")}},
		{name: "CancelWithSeats", body: echo(func(d *Desired) { d.Status, d.Quantity = ptr("deleted"), ptr(12) }), code: EConflictingChanges},
		{name: "SuspendWithSeats", body: echo(func(d *Desired) { d.Status, d.Quantity = ptr("suspended"), ptr(12) }),
			want: Change{Status: StatusSuspended, Quantity: ptr(12)}},
		{name: "TermEchoOtherCase", body: echo(func(d *Desired) { d.TermDuration, d.BillingCycle = ptr("p1y"), ptr("MONTHLY") })},
		{name: "TermEmpty", body: echo(func(d *Desired) { d.TermDuration, d.BillingCycle = ptr(""), ptr("") })},
		// A new term or billing plan is read here and checked by Apply (R-2a, R-2b).
		{name: "TermLonger", body: echo(func(d *Desired) { d.TermDuration = ptr("p3y") }), want: Change{TermDuration: "P3Y", BillingCycle: "monthly"}},
		{name: "TermShorter", body: echo(func(d *Desired) { d.TermDuration, d.BillingCycle = ptr("P1M"), nil }), want: Change{TermDuration: "P1M", BillingCycle: "monthly"}},
		{name: "BillingAnnual", body: echo(func(d *Desired) { d.BillingCycle = ptr("Annual") }), want: Change{BillingCycle: "annual"}},
		{name: "NextChargeInstructions", body: echo(func(d *Desired) { d.NextCharge = &NextTerm{BillingCycle: "annual"} }), want: Change{BillingCycle: "annual"}},
		{name: "NextChargeSeats", body: echo(func(d *Desired) { d.NextCharge = &NextTerm{BillingCycle: "annual", Quantity: 12} }), code: EInvalidNextCharge},
		{name: "NextChargeOmittedDeletes", before: func(s *Subscription) { s.NextCharge = &PlanChange{BillingCycle: "annual"} }, body: echo(nil),
			want: Change{ClearNextCharge: true}},
		{name: "CancelDeletesNextChargeItself", before: func(s *Subscription) { s.NextCharge = &PlanChange{BillingCycle: "annual"} },
			body: echo(func(d *Desired) { d.Status = ptr("deleted") }), want: Change{Status: StatusDeleted}},
		// A cancelled subscription's own GET body, sent back: nothing.
		{name: "DeletedEcho", before: func(s *Subscription) { s.Status, s.AutoRenew, s.Scheduled = StatusDeleted, false, nil }, body: echo(func(d *Desired) { d.Status, d.AutoRenew, d.Scheduled = ptr("deleted"), ptr(false), nil })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := stored()
			if tc.before != nil {
				tc.before(s)
			}
			got, err := s.Diff(tc.body)
			if ErrorCode(err) != tc.code && !(err == nil && tc.code == 0) {
				t.Fatalf("error %v, want code %d", err, tc.code)
			}
			if tc.code != 0 {
				if err == nil {
					t.Fatalf("no error, want code %d", tc.code)
				}
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("change %+v, want %+v", show(got), show(tc.want))
			}
		})
	}
}

// show renders a Change's pointers as values, for failure messages.
func show(c Change) map[string]any {
	m := map[string]any{"status": c.Status, "clearSchedule": c.ClearSchedule, "term": c.TermDuration, "billingCycle": c.BillingCycle, "clearNextCharge": c.ClearNextCharge}
	if c.Quantity != nil {
		m["quantity"] = *c.Quantity
	}
	if c.AutoRenew != nil {
		m["autoRenew"] = *c.AutoRenew
	}
	if c.FriendlyName != nil {
		m["friendlyName"] = *c.FriendlyName
	}
	if c.Schedule != nil {
		m["schedule"] = *c.Schedule
	}
	return m
}

// TestApplyOrder: a Change's parts are applied in the order in which each
// finds the state it needs, and a refusal leaves no events.
func TestApplyOrder(t *testing.T) {
	cat := miniCatalog() // BASE:0001 sells P1M/monthly at 5.00, 1 to 10 seats
	bought := func() *Subscription {
		s := newSub("BASE:0001", 4, "P1M", "monthly", "5.00")
		s.AvailabilityID, s.FriendlyName = "A1", "Base"
		s.Purchase(at("2026-01-01T10:00:00Z"), nil)
		return s
	}
	now := at("2026-01-02T12:00:00Z")
	tests := []struct {
		name   string
		before func(s *Subscription)
		change Change
		events []EventType
		code   Code
	}{
		// Seats change only on an active subscription: the reactivation goes first.
		{"ReactivateAndSeats", func(s *Subscription) { s.Status = StatusSuspended }, Change{Status: StatusActive, Quantity: ptr(6)},
			[]EventType{EvReactivated, EvQuantityChanged}, 0},
		// ... and the suspension last.
		{"SeatsAndSuspend", nil, Change{Status: StatusSuspended, Quantity: ptr(6)}, []EventType{EvQuantityChanged, EvSuspended}, 0},
		// Instructions need auto-renew on: it is turned on first.
		{"AutoRenewAndSchedule", func(s *Subscription) { s.AutoRenew = false }, Change{AutoRenew: ptr(true), Schedule: &NextTerm{Quantity: 3}},
			[]EventType{EvAutoRenewChanged, EvScheduledSet}, 0},
		{"RenameAndCancel", nil, Change{Status: StatusDeleted, FriendlyName: ptr("Old")}, []EventType{EvFriendlyNameSet, EvCancelled}, 0},
		// The current state is no change: a second cancel does nothing.
		{"CurrentStatusAndSeats", nil, Change{Status: StatusActive, Quantity: ptr(4)}, nil, 0},
		{"ClearSchedule", func(s *Subscription) { s.Scheduled = &NextTerm{Quantity: 3} }, Change{ClearSchedule: true}, []EventType{EvScheduledCleared}, 0},
		// The rename is made, then the seats are refused: nothing comes out.
		{"RenameThenTooManySeats", nil, Change{FriendlyName: ptr("New"), Quantity: ptr(11)}, nil, EQuantityAboveMaximum},
		{"AutoRenewOffThenSchedule", nil, Change{AutoRenew: ptr(false), Schedule: &NextTerm{Quantity: 3}}, nil, EInvalidScheduledChange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := bought()
			if tc.before != nil {
				tc.before(s)
			}
			evs, err := s.Apply(now, tc.change, cat, CatalogPrices{}, nil)
			if ErrorCode(err) != tc.code && !(err == nil && tc.code == 0) {
				t.Fatalf("error %v, want code %d", err, tc.code)
			}
			if tc.code != 0 && err == nil {
				t.Fatalf("no error, want code %d", tc.code)
			}
			var got []EventType
			for _, ev := range evs {
				got = append(got, ev.Type)
			}
			if !reflect.DeepEqual(got, tc.events) {
				t.Fatalf("events %v, want %v", got, tc.events)
			}
		})
	}
}

// TestPatchCancelEcho is the SDK's cancel: the GET body with status
// "deleted" sent back, auto-renew on in the echo. It cancels (it used to
// fail on the echoed auto-renew, applied after the cancel), with R-11's
// credit: 4 seats at 5.00 bought 2026-01-01T10:00Z, period 01-01..01-31
// (31 days); cancelled 01-02 past 24 hours, so d = 30 days (01-02..01-31):
// one credit line of the 4 seats at -5.00 x 30/31 = -4.838710 -> -4.83 x 4
// = -19.32 (C-2).
func TestPatchCancelEcho(t *testing.T) {
	s := newSub("BASE:0001", 4, "P1M", "monthly", "5.00")
	s.AvailabilityID, s.FriendlyName = "A1", "Base"
	s.Purchase(at("2026-01-01T10:00:00Z"), nil)
	body := Desired{Quantity: ptr(4), Status: ptr("deleted"), AutoRenew: ptr(true), FriendlyName: ptr("Base"), TermDuration: ptr("P1M"), BillingCycle: ptr("monthly")}
	c, err := s.Diff(body)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.Apply(at("2026-01-02T12:00:00Z"), c, miniCatalog(), CatalogPrices{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := &ledger{events: evs}
	wantLines(t, l, "cancelImmediate 4 4 -19.32 2026-01-02..2026-01-31")
	if s.Status != StatusDeleted || s.AutoRenew || s.Quantity != 4 {
		t.Fatalf("status %s, auto-renew %v, quantity %d", s.Status, s.AutoRenew, s.Quantity)
	}
}
