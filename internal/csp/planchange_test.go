package csp

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// planCatalog sells PLAN:0001:AV1 at the reference's prices: P1M 14.40 and
// P1Y/monthly 12.60, P1Y/annual 144.00, and Microsoft's
// illustrative P3Y prices of R-2a, 20 a month or 250 a year. It sells no
// P3Y/triennial.
func planCatalog() *Catalog {
	prices := map[string]decimal.Decimal{"P1M:monthly": dec("14.40"), "P1Y:monthly": dec("12.60"), "P1Y:annual": dec("144.00"),
		"P3Y:monthly": dec("20.00"), "P3Y:annual": dec("250.00")}
	var terms []Term
	for _, k := range []string{"P1M:monthly", "P1Y:monthly", "P1Y:annual", "P3Y:monthly", "P3Y:annual"} {
		terms = append(terms, Term{Duration: k[:3], BillingCycle: k[4:]})
	}
	return &Catalog{Products: []Product{{ID: "PLAN", Title: "Plan", ProductType: "OnlineServices", Skus: []Sku{{ID: "0001", Title: "Plan",
		MinimumQuantity: 1, MaximumQuantity: 300, Availabilities: []Availability{{ID: "AV1", Segment: SegmentCommercial, Terms: terms,
			Prices: []PriceList{{EffectiveDate: "2020-01-01", Currency: "USD", UnitPrices: prices}}}}}}}}}
}

// patchPlan is a whole-object PATCH of s at now: its own state echoed, with
// the term, billing cycle and next charge instructions given.
func patchPlan(s *Subscription, now time.Time, term, cycle string, next *NextTerm) ([]*Event, error) {
	d := Desired{Quantity: ptr(s.Quantity), Status: ptr(string(s.Status)), AutoRenew: ptr(s.AutoRenew), TermDuration: ptr(term), BillingCycle: ptr(cycle),
		Scheduled: s.Scheduled, NextCharge: next}
	c, err := s.Diff(d)
	if err != nil {
		return nil, err
	}
	return s.Apply(now, c, planCatalog(), CatalogPrices{}, nil)
}

// TestR2bLengthen is R-2b's example: 10 seats P1M at 14.40 bought
// 2024-05-10 (cycle 05-10..06-09, 31 days), lengthened on 2024-05-20 to
// P1Y/monthly at 12.60. d = 21 (05-20..06-09): cancelImmediate EUP −14.40
// × 21/31 = −9.754839 → −9.75 × 10 = −97.50; new 05-20..06-19 at 12.60 ×
// 10 = 126.00; new term 2024-05-20..2025-05-19 with a new 168-hour window.
// The ten P1M days cost 144.00 − 97.50 = 46.50. The scheduled instructions
// stay, and the next cycle (06-20..07-19) is a cycleCharge at 12.60.
func TestR2bLengthen(t *testing.T) {
	s := newSub("PLAN:0001", 10, "P1M", "monthly", "14.40")
	l := &ledger{}
	l.add(s.Purchase(at("2024-05-10T10:00:00Z"), nil), nil)
	s.Scheduled = &NextTerm{ProductID: "PLAN", SkuID: "0001", AvailabilityID: "AV1", TermDuration: "P1Y", BillingCycle: "annual", Quantity: 8}
	now := at("2024-05-20T08:00:00Z")
	evs, err := patchPlan(s, now, "p1y", "Monthly", nil) // enums compare case-insensitively
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Type != EvTermLengthened {
		t.Fatalf("events %v, want one termLengthened", evs)
	}
	ev := evs[0]
	l.events = append(l.events, ev)
	wantLines(t, l,
		"new 10 10 144.00 2024-05-10..2024-06-09",
		"cancelImmediate 10 10 -97.50 2024-05-20..2024-06-09",
		"new 10 10 126.00 2024-05-20..2024-06-19")
	credit, charge := ev.Charges[0], ev.Charges[1]
	if credit.EffectiveUnitPrice.Amount.StringFixed(6) != "-9.754839" || charge.EffectiveUnitPrice.Amount.StringFixed(6) != "12.600000" {
		t.Errorf("EUP %s and %s, want -9.754839 and 12.600000", credit.EffectiveUnitPrice.Amount.StringFixed(6), charge.EffectiveUnitPrice.Amount.StringFixed(6))
	}
	if credit.TermAndBilling != "P1M:monthly" || charge.TermAndBilling != "P1Y:monthly" || !charge.SubscriptionEnd.Equal(day("2025-05-19")) ||
		!credit.SubscriptionEnd.Equal(day("2024-06-09")) || !credit.PostedAt.Equal(now) || !charge.PostedAt.Equal(now) {
		t.Errorf("credit %s ..%s, charge %s ..%s", credit.TermAndBilling, credit.SubscriptionEnd, charge.TermAndBilling, charge.SubscriptionEnd)
	}
	n := 0
	ev.SetIDs(func() uuid.UUID { n++; return uuid.NewSHA1(uuid.Nil, []byte{byte(n)}) })
	if credit, charge = ev.Charges[0], ev.Charges[1]; credit.ReferenceID != ev.ID || charge.ReferenceID != ev.ID {
		t.Errorf("referenceIds %s and %s, want the event's %s", credit.ReferenceID, charge.ReferenceID, ev.ID)
	}
	if l.total().StringFixed(2) != "172.50" {
		t.Errorf("net %s, want 144.00 - 97.50 + 126.00 = 172.50", l.total().StringFixed(2))
	}
	if s.TermDuration != "P1Y" || s.BillingCycle != "monthly" || !s.UnitPrice.Amount.Equal(dec("12.60")) || !s.TermStart.Equal(day("2024-05-20")) ||
		!s.TermEnd.Equal(day("2025-05-19")) || !s.CancellationAllowedUntil().Equal(at("2024-05-27T08:00:00Z")) || s.RefundableQuantity(now) != 10 {
		t.Fatalf("after: %s/%s at %s, term %s..%s, window %s", s.TermDuration, s.BillingCycle, s.UnitPrice, s.TermStart, s.TermEnd, s.CancellationAllowedUntil())
	}
	if s.Scheduled == nil || s.Scheduled.Quantity != 8 {
		t.Errorf("scheduled instructions %+v, want them kept", s.Scheduled)
	}
	next := &ledger{}
	runUntil(s, day("2024-06-20"), samePrice, next)
	wantLines(t, next, "cycleCharge 10 10 126.00 2024-06-20..2024-07-19")
}

// TestR2bLengthenMore: no 24-hour full refund, and P1Y to P3Y.
func TestR2bLengthenMore(t *testing.T) {
	// Bought 2024-05-10T10:00Z, lengthened 23 hours later: d = 30
	// (05-11..06-09), −14.40 × 30/31 = −13.935484 → −13.93 × 10 =
	// −139.30, not the whole −144.00 of R-11b. P1Y/annual: 144.00 for the
	// new term 2024-05-11..2025-05-10.
	s := newSub("PLAN:0001", 10, "P1M", "monthly", "14.40")
	l := &ledger{}
	l.add(s.Purchase(at("2024-05-10T10:00:00Z"), nil), nil)
	evs, err := patchPlan(s, at("2024-05-11T09:00:00Z"), "P1Y", "annual", nil)
	if err != nil {
		t.Fatal(err)
	}
	l.events = append(l.events, evs...)
	wantLines(t, l,
		"new 10 10 144.00 2024-05-10..2024-06-09",
		"cancelImmediate 10 10 -139.30 2024-05-11..2024-06-09",
		"new 10 10 1440.00 2024-05-11..2025-05-10")

	// P1Y/annual at 144.00, term 2024-03-15..2025-03-14 (365 days),
	// lengthened 2024-09-15 to P3Y/annual at 250.00: d = 181
	// (09-15..03-14), −144 × 181/365 = −71.408219 → −71.40 × 10 = −714.00;
	// new 2024-09-15..2025-09-14 at 2,500.00; term ends 2027-09-14.
	y := newSub("PLAN:0001", 10, "P1Y", "annual", "144.00")
	l = &ledger{}
	l.add(y.Purchase(at("2024-03-15T10:00:00Z"), nil), nil)
	evs, err = patchPlan(y, at("2024-09-15T10:00:00Z"), "P3Y", "", nil) // no billingCycle: the current one
	if err != nil {
		t.Fatal(err)
	}
	l.events = append(l.events, evs...)
	wantLines(t, l,
		"new 10 10 1440.00 2024-03-15..2025-03-14",
		"cancelImmediate 10 10 -714.00 2024-09-15..2025-03-14",
		"new 10 10 2500.00 2024-09-15..2025-09-14")
	if !y.TermEnd.Equal(day("2027-09-14")) || y.TermDuration != "P3Y" || y.BillingCycle != "annual" {
		t.Fatalf("term %s/%s ends %s", y.TermDuration, y.BillingCycle, y.TermEnd)
	}
}

// TestR2aExamples are Microsoft's two examples of R-2a: P3Y, 10 seats,
// bought 2021-09-20, at its illustrative 20 a month and 250 a year.
func TestR2aExamples(t *testing.T) {
	// (i) Billed annually, switched to monthly during year 1: the change
	// waits for the anniversary. changeBillingPlan 2022-09-20..2022-10-19
	// at 20 × 10 = 200.00 (a whole monthly cycle), then cycleCharge. It
	// survives a suspension in between.
	s := newSub("PLAN:0001", 10, "P3Y", "annual", "250.00")
	l := &ledger{}
	l.add(s.Purchase(at("2021-09-20T10:00:00Z"), nil), nil)
	evs, err := patchPlan(s, at("2022-03-01T10:00:00Z"), "P3Y", "monthly", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Type != EvBillingPlanChangeSet || s.BillingCycle != "annual" || s.NextCharge == nil ||
		s.NextCharge.BillingCycle != "monthly" || !s.NextCharge.UnitPrice.Amount.Equal(dec("20")) || evs[0].Changes.Reason != "annual to monthly from 2022-09-20 (R-2a)" {
		t.Fatalf("events %v, billing %s, pending %+v", evs, s.BillingCycle, s.NextCharge)
	}
	if _, err := s.Suspend(at("2022-06-01T00:00:00Z")); err != nil || s.NextCharge == nil {
		t.Fatalf("suspend: %v, pending %+v", err, s.NextCharge)
	}
	runUntil(s, day("2022-10-20"), samePrice, l)
	wantLines(t, l,
		"new 10 10 2500.00 2021-09-20..2022-09-19",
		"changeBillingPlan 10 10 200.00 2022-09-20..2022-10-19",
		"cycleCharge 10 10 200.00 2022-10-20..2022-11-19")
	if s.BillingCycle != "monthly" || s.NextCharge != nil || !s.TermStart.Equal(day("2021-09-20")) || !s.TermEnd.Equal(day("2024-09-19")) {
		t.Fatalf("after: %s, pending %+v, term %s..%s", s.BillingCycle, s.NextCharge, s.TermStart, s.TermEnd)
	}

	// (ii) Billed monthly, switched to annual during the first cycle: from
	// the next cycle, 2021-10-20, to the end of the term year, 11 of its 12
	// monthly cycles: EUP 250 × 11/12 = 229.166667, 229.16 × 10 =
	// 2,291.60; unitPrice 250. Then 2,500.00 for the next term year.
	m := newSub("PLAN:0001", 10, "P3Y", "monthly", "20.00")
	l = &ledger{}
	l.add(m.Purchase(at("2021-09-20T10:00:00Z"), nil), nil)
	if _, err := patchPlan(m, at("2021-09-25T10:00:00Z"), "P3Y", "annual", nil); err != nil {
		t.Fatal(err)
	}
	runUntil(m, day("2022-09-20"), samePrice, l)
	wantLines(t, l,
		"new 10 10 200.00 2021-09-20..2021-10-19",
		"changeBillingPlan 10 10 2291.60 2021-10-20..2022-09-19",
		"cycleCharge 10 10 2500.00 2022-09-20..2023-09-19")
	c := l.events[1].Charges[0]
	if l.events[1].Type != EvBillingPlanChanged || c.EffectiveUnitPrice.Amount.StringFixed(6) != "229.166667" || !c.UnitPrice.Amount.Equal(dec("250")) || c.TermAndBilling != "P3Y:annual" {
		t.Errorf("changeBillingPlan: %s EUP %s unit %s %s", l.events[1].Type, c.EffectiveUnitPrice.Amount.StringFixed(6), c.UnitPrice, c.TermAndBilling)
	}
}

// TestR2aPending: the pending change in a whole-object PATCH. A P3Y/monthly
// subscription with annual billing pending: the echo keeps it, a body
// without nextChargeInstructions deletes it (partner-center-api.md §8).
func TestR2aPending(t *testing.T) {
	pending := func() *Subscription {
		s := newSub("PLAN:0001", 10, "P3Y", "monthly", "20.00")
		s.Purchase(at("2021-09-20T10:00:00Z"), nil)
		s.NextCharge = &PlanChange{BillingCycle: "annual", UnitPrice: NewMoney(dec("250"), "USD")}
		return s
	}
	annual := &NextTerm{ProductID: "PLAN", SkuID: "0001", AvailabilityID: "AV1", TermDuration: "P3Y", BillingCycle: "annual", Quantity: 10}
	now := at("2021-09-25T10:00:00Z")
	tests := []struct {
		name    string
		cycle   string
		next    *NextTerm
		events  []EventType
		pending string
	}{
		{"EchoKeeps", "monthly", annual, nil, "annual"},
		{"OnlyTheCycleNamed", "monthly", &NextTerm{BillingCycle: "Annual"}, nil, "annual"},
		{"BillingCycleKeeps", "annual", nil, nil, "annual"},
		{"OmittedDeletes", "monthly", nil, []EventType{EvBillingPlanChangeCleared}, ""},
		{"CurrentCycleDeletes", "monthly", &NextTerm{BillingCycle: "monthly"}, []EventType{EvBillingPlanChangeCleared}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := pending()
			evs, err := patchPlan(s, now, "P3Y", tc.cycle, tc.next)
			if err != nil {
				t.Fatal(err)
			}
			var got []EventType
			for _, ev := range evs {
				got = append(got, ev.Type)
			}
			have := ""
			if s.NextCharge != nil {
				have = s.NextCharge.BillingCycle
			}
			if !reflect.DeepEqual(got, tc.events) || have != tc.pending || s.BillingCycle != "monthly" {
				t.Fatalf("events %v pending %q billing %s; want %v %q monthly", got, have, s.BillingCycle, tc.events, tc.pending)
			}
		})
	}
	// Named through nextChargeInstructions alone, on a subscription with none pending.
	s := pending()
	s.NextCharge = nil
	if _, err := patchPlan(s, now, "P3Y", "monthly", annual); err != nil || s.NextCharge == nil || s.NextCharge.BillingCycle != "annual" {
		t.Fatalf("request through nextChargeInstructions: %v, pending %+v", err, s.NextCharge)
	}
	// A cancellation deletes it with the rest.
	if _, err := s.Cancel(now); err != nil || s.NextCharge != nil {
		t.Fatalf("cancel: %v, pending %+v", err, s.NextCharge)
	}
}

// TestPlanChangeRefusals: everything else mid-term answers 400 and
// changes nothing (R-2, R-2a, R-2b).
func TestPlanChangeRefusals(t *testing.T) {
	bought := func(term, cycle, price string) func() *Subscription {
		return func() *Subscription {
			s := newSub("PLAN:0001", 10, term, cycle, price)
			s.Purchase(at("2024-01-10T10:00:00Z"), nil)
			return s
		}
	}
	m1, y1m, y1a, y3m := bought("P1M", "monthly", "14.40"), bought("P1Y", "monthly", "12.60"), bought("P1Y", "annual", "144.00"), bought("P3Y", "monthly", "20.00")
	tests := []struct {
		name         string
		sub          func() *Subscription
		before       func(s *Subscription)
		when         string
		term, cycle  string
		next, status string
		code         Code
	}{
		{name: "P1YToP1M", sub: y1m, term: "P1M", cycle: "monthly", code: ETermChangeAtRenewal},
		{name: "P3YToP1Y", sub: y3m, term: "P1Y", cycle: "monthly", code: ETermChangeAtRenewal},
		{name: "P1YMonthlyToAnnual", sub: y1m, term: "P1Y", cycle: "annual", code: ETermChangeAtRenewal},
		{name: "P1YAnnualToMonthly", sub: y1a, term: "P1Y", cycle: "monthly", code: ETermChangeAtRenewal},
		{name: "P1MToAnnual", sub: m1, term: "P1M", cycle: "annual", code: ETermChangeAtRenewal},
		{name: "P3YToTriennial", sub: y3m, term: "P3Y", cycle: "triennial", code: ETermChangeAtRenewal},
		{name: "P3YFromTriennial", sub: bought("P3Y", "triennial", "720.00"), term: "P3Y", cycle: "annual", code: ETermChangeAtRenewal},
		// The last monthly cycle of the term (2026-12-10..2027-01-09): the
		// next period is the renewal's.
		{name: "P3YLastPeriod", sub: y3m, when: "2026-12-20T00:00:00Z", term: "P3Y", cycle: "annual", code: ETermChangeAtRenewal},
		{name: "NotSold", sub: m1, term: "P3Y", cycle: "triennial", code: EPlanNotSold},
		{name: "NotATerm", sub: m1, term: "P2Y", cycle: "monthly", code: EInvalidField},
		{name: "NotABillingCycle", sub: y3m, term: "P3Y", cycle: "weekly", code: EInvalidField},
		{name: "Suspended", sub: m1, before: func(s *Subscription) { s.Status = StatusSuspended }, term: "P1Y", cycle: "monthly", code: ESubscriptionNotActive},
		{name: "Trial", sub: m1, before: func(s *Subscription) { s.IsTrial = true }, term: "P1Y", cycle: "monthly", code: ETermChangeAtRenewal},
		{name: "CancelAndLengthen", sub: m1, term: "P1Y", cycle: "monthly", status: "deleted", code: EConflictingChanges},
		{name: "NextChargeOtherTerm", sub: y3m, term: "P3Y", cycle: "monthly", next: "P1Y", code: EInvalidNextCharge},
		{name: "NextChargeWithLengthening", sub: y1m, term: "P3Y", cycle: "monthly", next: "annual", code: EConflictingChanges},
		{name: "TwoBillingPlans", sub: y3m, term: "P3Y", cycle: "annual", next: "triennial", code: EConflictingChanges},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.sub()
			if tc.before != nil {
				tc.before(s)
			}
			before := *s
			when := at("2024-02-01T10:00:00Z")
			if tc.when != "" {
				when = at(tc.when)
			}
			d := Desired{Quantity: ptr(s.Quantity), AutoRenew: ptr(true), TermDuration: ptr(tc.term), BillingCycle: ptr(tc.cycle)}
			if tc.status != "" {
				d.Status = &tc.status
			}
			switch tc.next {
			case "P1Y":
				d.NextCharge = &NextTerm{TermDuration: "P1Y", BillingCycle: "annual"}
			case "":
			default:
				d.NextCharge = &NextTerm{BillingCycle: tc.next}
			}
			c, err := s.Diff(d)
			if err == nil {
				_, err = s.Apply(when, c, planCatalog(), CatalogPrices{}, nil)
			}
			if ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %d", err, tc.code)
			}
			if !reflect.DeepEqual(*s, before) {
				t.Fatalf("a refusal changed the subscription:\n%+v\nwas\n%+v", *s, before)
			}
		})
	}
}

// TestR2bLengthenDropsPromotionAndCustomEnd: R-2b's subscription bought
// with a 15 % promotion (14.40 → 12.24) and instructions to end the next
// term on 2024-12-31. Lengthened on 2024-05-20 to P1Y/monthly, the credit
// keeps the promotion's shape (unitPrice 14.40, EUP −12.24 × 21/31 =
// −8.291613 → −8.29 × 10 = −82.90); the new term is at the list price
// 12.60 with no promotion, and the instructions stay without their end
// date, which R-4 checked against the old term's end.
func TestR2bLengthenDropsPromotionAndCustomEnd(t *testing.T) {
	s := newSub("PLAN:0001", 10, "P1M", "monthly", "12.24")
	s.PromotionID, s.ListPrice = "PROMO15", NewMoney(dec("14.40"), "USD")
	s.Purchase(at("2024-05-10T10:00:00Z"), nil)
	end := day("2024-12-31")
	s.Scheduled = &NextTerm{ProductID: "PLAN", SkuID: "0001", AvailabilityID: "AV1", TermDuration: "P1Y", BillingCycle: "annual", Quantity: 8, CustomTermEndDate: &end}
	evs, err := patchPlan(s, at("2024-05-20T08:00:00Z"), "P1Y", "monthly", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, &ledger{events: evs}, "cancelImmediate 10 10 -82.90 2024-05-20..2024-06-09", "new 10 10 126.00 2024-05-20..2024-06-19")
	credit, charge := evs[0].Charges[0], evs[0].Charges[1]
	if credit.UnitPrice.Amount.StringFixed(2) != "14.40" || credit.PromotionID != "PROMO15" || charge.UnitPrice.Amount.StringFixed(2) != "12.60" || charge.PromotionID != "" {
		t.Errorf("credit at %s (%q), charge at %s (%q)", credit.UnitPrice, credit.PromotionID, charge.UnitPrice, charge.PromotionID)
	}
	if s.PromotionID != "" || s.Scheduled == nil || s.Scheduled.Quantity != 8 || s.Scheduled.CustomTermEndDate != nil {
		t.Errorf("after: promotion %q, scheduled %+v", s.PromotionID, s.Scheduled)
	}
}
