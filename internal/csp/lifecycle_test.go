package csp

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// newSub is a paid subscription about to be bought.
func newSub(offer string, qty int, term, cycle, price string) *Subscription {
	p, sk, _ := strings.Cut(offer, ":")
	return &Subscription{ID: uuid.New(), ProductID: p, SkuID: sk, AvailabilityID: "AV1", Quantity: qty, AutoRenew: true,
		TermDuration: term, BillingCycle: cycle, UnitPrice: NewMoney(dec(price), "USD")}
}

// ledger records every event of a subscription and renders its charges.
type ledger struct {
	events []*Event
}

func (l *ledger) add(ev *Event, err error) error {
	if ev != nil {
		l.events = append(l.events, ev)
	}
	return err
}

// lines renders every charge as "type qty billable subtotal start..end".
func (l *ledger) lines() []string {
	var out []string
	for _, ev := range l.events {
		for _, c := range ev.Charges {
			out = append(out, fmt.Sprintf("%s %d %s %s %s..%s", c.ChargeType, c.Quantity, c.BillableQuantity.String(), c.Subtotal.Amount.StringFixed(2),
				c.ChargeStart.Format(time.DateOnly), c.ChargeEnd.Format(time.DateOnly)))
		}
	}
	return out
}

func (l *ledger) total() decimal.Decimal {
	sum := decimal.Zero
	for _, ev := range l.events {
		for _, c := range ev.Charges {
			sum = sum.Add(c.Subtotal.Amount)
		}
	}
	return sum
}

// runUntil does every piece of time-driven work due by t.
func runUntil(s *Subscription, t time.Time, price Pricer, l *ledger) {
	for s.Due(t) {
		l.add(s.Advance(price), nil)
	}
}

// noRenewalPrice answers the current terms at the current price.
func samePrice(s *Subscription, day time.Time) Renewal {
	return Renewal{Found: true, ProductID: s.ProductID, SkuID: s.SkuID, AvailabilityID: s.AvailabilityID, TermDuration: s.TermDuration,
		BillingCycle: s.BillingCycle, Quantity: s.Quantity, UnitPrice: s.UnitPrice}
}

func wantLines(t *testing.T, l *ledger, want ...string) {
	t.Helper()
	got := l.lines()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("charges:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestR11CancelInWindow is commerce-rules R-11's example.
func TestR11CancelInWindow(t *testing.T) {
	s := newSub("CFQ7TTC0LH18:0001", 10, "P1Y", "annual", "120.00")
	l := &ledger{}
	l.add(s.Purchase(at("2024-03-01T10:00:00Z"), nil), nil)
	if !s.TermEnd.Equal(day("2025-02-28")) || !s.CancellationAllowedUntil().Equal(at("2024-03-08T10:00:00Z")) {
		t.Fatalf("term end %s, window until %s", s.TermEnd, s.CancellationAllowedUntil())
	}
	late := *s
	if _, err := late.Cancel(at("2024-03-08T10:00:01Z")); ErrorCode(err) != ECancelWindowClosed {
		t.Fatalf("cancel one second after the window: %v", err)
	}
	if err := l.add(s.Cancel(at("2024-03-04T16:00:00Z"))); err != nil {
		t.Fatal(err)
	}
	// One credit line: 10 seats at −120 × 362/365 = −119.013699 → −119.01.
	wantLines(t, l,
		"new 10 10 1200.00 2024-03-01..2025-02-28",
		"cancelImmediate 10 10 -1190.10 2024-03-04..2025-02-28")
	if l.total().StringFixed(2) != "9.90" || s.Status != StatusDeleted || s.NextEventAt != nil {
		t.Fatalf("net %s, status %s, next %v", l.total().StringFixed(2), s.Status, s.NextEventAt)
	}
}

// TestR11bFullRefund is commerce-rules R-11b's example: the R-11
// subscription cancelled at 23.5 hours refunds the whole term; at 24.5
// hours, 364 of 365 days.
func TestR11bFullRefund(t *testing.T) {
	for _, c := range []struct{ at, want, net string }{
		{"2024-03-02T09:30:00Z", "cancelImmediate 10 10 -1200.00 2024-03-01..2025-02-28", "0.00"},
		// −120 × 364/365 = −119.671233 → −119.67 × 10.
		{"2024-03-02T10:30:00Z", "cancelImmediate 10 10 -1196.70 2024-03-02..2025-02-28", "3.30"},
	} {
		s := newSub("CFQ7TTC0LH18:0001", 10, "P1Y", "annual", "120.00")
		l := &ledger{}
		l.add(s.Purchase(at("2024-03-01T10:00:00Z"), nil), nil)
		if err := l.add(s.Cancel(at(c.at))); err != nil {
			t.Fatal(err)
		}
		wantLines(t, l, "new 10 10 1200.00 2024-03-01..2025-02-28", c.want)
		if got := l.total().StringFixed(2); got != c.net {
			t.Errorf("cancelled at %s: net %s, want %s", c.at, got, c.net)
		}
	}
}

// TestR12Increases is commerce-rules R-12's two examples.
func TestR12Increases(t *testing.T) {
	s := newSub("P:1", 10, "P1Y", "annual", "120.00")
	l := &ledger{}
	l.add(s.Purchase(at("2024-01-01T00:00:00Z"), nil), nil)
	if err := l.add(s.ChangeQuantity(at("2024-07-01T08:00:00Z"), 15, 1, 300)); err != nil {
		t.Fatal(err)
	}
	wantLines(t, l,
		"new 10 10 1200.00 2024-01-01..2024-12-31",
		// 120 × 184/366 = 60.327869: 10 seats credited, 15 charged.
		"addQuantity 5 10 -603.20 2024-07-01..2024-12-31",
		"addQuantity 5 15 904.80 2024-07-01..2024-12-31")
	if l.total().StringFixed(2) != "1501.60" { // net +301.60
		t.Errorf("net %s", l.total().StringFixed(2))
	}

	m := newSub("P:1", 10, "P1Y", "monthly", "10.00")
	lm := &ledger{}
	lm.add(m.Purchase(at("2024-05-15T09:00:00Z"), nil), nil)
	runUntil(m, at("2024-06-25T00:00:00Z"), samePrice, lm)
	if err := lm.add(m.ChangeQuantity(at("2024-06-25T11:00:00Z"), 12, 1, 300)); err != nil {
		t.Fatal(err)
	}
	runUntil(m, at("2024-07-15T00:00:00Z"), samePrice, lm)
	wantLines(t, lm,
		"new 10 10 100.00 2024-05-15..2024-06-14",
		"cycleCharge 10 10 100.00 2024-06-15..2024-07-14",
		// 10 × 20/30 = 6.666667 → 6.66: −66.60 for 10 seats, +79.92 for 12.
		"addQuantity 2 10 -66.60 2024-06-25..2024-07-14",
		"addQuantity 2 12 79.92 2024-06-25..2024-07-14",
		"cycleCharge 12 12 120.00 2024-07-15..2024-08-14")
}

// TestR13Decreases is commerce-rules R-13's example.
func TestR13Decreases(t *testing.T) {
	s := newSub("P:1", 10, "P1Y", "annual", "120.00")
	s.Purchase(at("2024-05-01T12:00:00Z"), nil)
	if _, err := s.ChangeQuantity(at("2024-05-20T12:00:00Z"), 15, 1, 300); err != nil {
		t.Fatal(err)
	}
	if r := s.RefundableQuantity(at("2024-05-22T00:00:00Z")); r != 5 {
		t.Fatalf("refundable on 05-22: %d, want the 5 added on 05-20", r)
	}
	try := *s
	try.Lots = append([]SeatLot(nil), s.Lots...)
	if _, err := try.ChangeQuantity(at("2024-05-22T00:00:00Z"), 9, 1, 300); ErrorCode(err) != EDecreaseOutsideWindow {
		t.Fatalf("down to 9 on 05-22: %v; want the R-13 refusal", err)
	}
	if _, err := s.ChangeQuantity(at("2024-05-28T00:00:00Z"), 14, 1, 300); ErrorCode(err) != EDecreaseOutsideWindow {
		t.Fatalf("decrease on 05-28: %v; want the R-13 refusal", err)
	}
	if _, err := s.ChangeQuantity(at("2024-05-28T00:00:00Z"), 0, 1, 300); ErrorCode(err) != EQuantityBelowOne {
		t.Fatalf("quantity 0: %v", err)
	}
	if _, err := s.ChangeQuantity(at("2024-05-22T00:00:00Z"), 10, 1, 300); err != nil {
		t.Fatalf("down to 10 on 05-22: %v", err)
	}
}

// TestR14R19R20Dates checks renewal and the expiry chain's dates.
func TestR14R19R20Dates(t *testing.T) {
	m := newSub("P:1", 1, "P1M", "monthly", "7.20")
	m.Purchase(at("2024-05-10T10:00:00Z"), nil)
	runUntil(m, at("2024-06-10T00:00:00Z"), samePrice, &ledger{})
	if !m.TermStart.Equal(day("2024-06-10")) || !m.TermEnd.Equal(day("2024-07-09")) || !m.CancellationAllowedUntil().Equal(at("2024-06-17T00:00:00Z")) {
		t.Fatalf("R-14 renewal: term %s..%s, window %s", m.TermStart, m.TermEnd, m.CancellationAllowedUntil())
	}

	y := newSub("P:1", 1, "P1Y", "annual", "120.00")
	y.Purchase(at("2024-03-15T10:00:00Z"), nil)
	y.SetAutoRenew(at("2024-06-01T00:00:00Z"), false)
	states := map[string]Status{}
	for _, d := range []string{"2025-03-14", "2025-03-15", "2025-04-13", "2025-04-14", "2025-07-12", "2025-07-13", "2026-01-01"} {
		runUntil(y, day(d), samePrice, &ledger{})
		states[d] = y.Status
	}
	want := map[string]Status{"2025-03-14": "active", "2025-03-15": "expired", "2025-04-13": "expired", "2025-04-14": "disabled",
		"2025-07-12": "disabled", "2025-07-13": "deleted", "2026-01-01": "deleted"}
	for d, st := range want {
		if states[d] != st {
			t.Errorf("R-19: on %s status %s, want %s", d, states[d], st)
		}
	}

	// R-20's example: term 2024-03-15..2025-03-14, still suspended at the
	// end: disabled 2025-03-15..2025-04-13 (30 days), disabled
	// 2025-04-14..2025-07-12 (90 days), deleted 2025-07-13.
	sus := newSub("P:1", 1, "P1Y", "annual", "120.00")
	sus.Purchase(at("2024-03-15T10:00:00Z"), nil)
	if _, err := sus.Suspend(at("2025-01-02T00:00:00Z")); err != nil {
		t.Fatal(err)
	}
	l := &ledger{}
	for _, c := range []struct {
		day   string
		st    Status
		since string
	}{
		{"2025-03-14", StatusSuspended, "2025-01-02"},
		{"2025-03-15", StatusDisabled, "2025-03-15"},
		{"2025-04-13", StatusDisabled, "2025-03-15"},
		{"2025-04-14", StatusDisabled, "2025-04-14"},
		{"2025-07-12", StatusDisabled, "2025-04-14"},
		{"2025-07-13", StatusDeleted, "2025-07-13"},
		{"2026-01-01", StatusDeleted, "2025-07-13"},
	} {
		runUntil(sus, day(c.day), samePrice, l)
		if sus.Status != c.st || !Day(sus.StatusSince).Equal(day(c.since)) {
			t.Errorf("R-20: on %s status %s since %s, want %s since %s", c.day, sus.Status, sus.StatusSince.Format(time.DateOnly), c.st, c.since)
		}
	}
	// Billed annually at purchase: nothing is charged by time, and nothing
	// after the term's end.
	if got := l.lines(); len(got) != 0 {
		t.Errorf("R-20: charges %v, want none", got)
	}
}

// TestR18Suspend is the reference's example: 10 seats P1Y/monthly at
// $12.60, term 2024-03-15..2025-03-14, auto-renew on, {quantity: 12}
// scheduled, suspended 2024-11-02: auto-renew off, no schedule, and the
// cycles of 11-15, 12-15, 01-15 and 02-15 still charged at 10 × 12.60 =
// 126.00; reactivated 2024-12-01 it is active with auto-renew still off,
// and it expires at the term's end.
func TestR18Suspend(t *testing.T) {
	s := newSub("P:1", 10, "P1Y", "monthly", "12.60")
	s.Purchase(at("2024-03-15T09:00:00Z"), nil)
	s.Scheduled = &NextTerm{Quantity: 12, TermDuration: "P1Y", BillingCycle: "monthly"}
	runUntil(s, day("2024-11-02"), samePrice, &ledger{})
	ev, err := s.Suspend(at("2024-11-02T12:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != StatusSuspended || s.AutoRenew || s.Scheduled != nil {
		t.Fatalf("suspended: status %s, auto-renew %v, scheduled %v; want suspended, off, none", s.Status, s.AutoRenew, s.Scheduled)
	}
	if ev.Changes.AutoRenewEnabled == nil || ev.Changes.Scheduled == nil {
		t.Errorf("the suspension's event should record auto-renew off and the schedule cleared: %+v", ev.Changes)
	}
	var l ledger
	runUntil(s, day("2024-12-01"), samePrice, &l)
	if _, err := s.Reactivate(at("2024-12-01T08:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if s.Status != StatusActive || s.AutoRenew || s.Scheduled != nil {
		t.Fatalf("reactivated: status %s, auto-renew %v, scheduled %v; want active, off, none", s.Status, s.AutoRenew, s.Scheduled)
	}
	runUntil(s, day("2025-03-15"), samePrice, &l)
	want := []string{
		"cycleCharge 10 10 126.00 2024-11-15..2024-12-14",
		"cycleCharge 10 10 126.00 2024-12-15..2025-01-14",
		"cycleCharge 10 10 126.00 2025-01-15..2025-02-14",
		"cycleCharge 10 10 126.00 2025-02-15..2025-03-14",
	}
	if got := l.lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("charges from the suspension on:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Status != StatusExpired {
		t.Errorf("at the term's end with auto-renew left off: %s, want expired", s.Status)
	}

	trial := newSub("P:1", 25, "P1M", "monthly", "0")
	trial.IsTrial = true
	trial.Purchase(at("2024-03-15T09:00:00Z"), nil)
	if _, err := trial.Suspend(at("2024-03-20T00:00:00Z")); ErrorCode(err) != ETrialStatusFixed {
		t.Errorf("suspending a trial: %v, want %d", err, ETrialStatusFixed)
	}
}

// TestWorkedYear is the scenario, computed by hand from the rules:
// an annual term billed monthly with seats added and removed, a cancel
// attempt on day 8, a scheduled change to fewer seats and another SKU,
// auto-renew off on a second subscription and a month-to-month one
// cancelled on day 3; then a year passes.
func TestWorkedYear(t *testing.T) {
	// A: Business Premium, P1Y billed monthly at $23.10 a month (R-7: 22.00 × 1.05).
	a := newSub("CFQ7TTC0LCHC:0001", 10, "P1Y", "monthly", "23.10")
	la := &ledger{}
	la.add(a.Purchase(at("2026-01-10T09:00:00Z"), nil), nil)
	if _, err := a.Cancel(at("2026-01-17T09:00:01Z")); ErrorCode(err) != ECancelWindowClosed {
		t.Fatalf("cancel on day 8: %v, want the window closed", err)
	}
	runUntil(a, at("2026-04-20T12:00:00Z"), samePrice, la)
	if err := la.add(a.ChangeQuantity(at("2026-04-20T12:00:00Z"), 15, 1, 300)); err != nil {
		t.Fatal(err)
	}
	if err := la.add(a.ChangeQuantity(at("2026-04-22T08:00:00Z"), 13, 1, 300)); err != nil {
		t.Fatalf("decrease inside the window: %v", err)
	}
	if _, err := a.ChangeQuantity(at("2026-04-28T08:00:00Z"), 12, 1, 300); ErrorCode(err) != EDecreaseOutsideWindow {
		t.Fatalf("decrease outside the window: %v", err)
	}
	runUntil(a, at("2026-11-01T00:00:00Z"), samePrice, la)
	standard := Item{Product: &Product{ID: "CFQ7TTC0LDPB"}, Sku: &Sku{ID: "0001", MinimumQuantity: 1, MaximumQuantity: 300, UpgradeTargets: []string{"CFQ7TTC0LCHC:0001"}},
		Availability: &Availability{ID: "AV2", Terms: []Term{{Duration: "P1Y", BillingCycle: "monthly"}}}}
	if err := la.add(a.Schedule(at("2026-11-01T10:00:00Z"), NextTerm{TermDuration: "P1Y", BillingCycle: "monthly", Quantity: 8}, standard, &Sku{ID: "0001"}, nil)); err != nil {
		t.Fatal(err)
	}
	// At renewal the scheduled SKU costs $13.13 a month (12.50 × 1.05).
	renewal := func(s *Subscription, d time.Time) Renewal {
		n := s.Scheduled
		return Renewal{Found: true, ProductID: n.ProductID, SkuID: n.SkuID, AvailabilityID: n.AvailabilityID, TermDuration: n.TermDuration,
			BillingCycle: n.BillingCycle, Quantity: n.Quantity, UnitPrice: NewMoney(dec("13.13"), "USD"), OfferName: "Microsoft 365 Business Standard"}
	}
	runUntil(a, at("2027-01-26T00:00:00Z"), renewal, la)

	cycle := func(from, to string) string { return "cycleCharge 13 13 300.30 " + from + ".." + to }
	wantLines(t, la,
		"new 10 10 231.00 2026-01-10..2026-02-09",
		"cycleCharge 10 10 231.00 2026-02-10..2026-03-09",
		"cycleCharge 10 10 231.00 2026-03-10..2026-04-09",
		"cycleCharge 10 10 231.00 2026-04-10..2026-05-09",
		// 23.10 × 20/30 = 15.40: −15.40 × 10 and +15.40 × 15 (net 77.00).
		"addQuantity 5 10 -154.00 2026-04-20..2026-05-09",
		"addQuantity 5 15 231.00 2026-04-20..2026-05-09",
		// 23.10 × 18/30 = 13.86: −13.86 × 15 and +13.86 × 13 (net −27.72).
		"removeQuantity 2 15 -207.90 2026-04-22..2026-05-09",
		"removeQuantity 2 13 180.18 2026-04-22..2026-05-09",
		cycle("2026-05-10", "2026-06-09"), cycle("2026-06-10", "2026-07-09"), cycle("2026-07-10", "2026-08-09"),
		cycle("2026-08-10", "2026-09-09"), cycle("2026-09-10", "2026-10-09"), cycle("2026-10-10", "2026-11-09"),
		cycle("2026-11-10", "2026-12-09"), cycle("2026-12-10", "2027-01-09"),
		"renew 8 8 105.04 2027-01-10..2027-02-09")
	if a.Status != StatusActive || a.OfferID() != "CFQ7TTC0LDPB:0001" || a.Quantity != 8 || !a.TermEnd.Equal(day("2028-01-09")) || a.Scheduled != nil ||
		!a.CancellationAllowedUntil().Equal(at("2027-01-17T00:00:00Z")) || a.RefundableQuantity(at("2027-01-16T00:00:00Z")) != 8 {
		t.Fatalf("A after renewal: %s %s x%d until %s, window %s", a.Status, a.OfferID(), a.Quantity, a.TermEnd, a.CancellationAllowedUntil())
	}
	if got := la.total().StringFixed(2); got != "3480.72" { // 924.00 + 77.00 − 27.72 + 8 × 300.30 + 105.04
		t.Fatalf("A total %s", got)
	}

	// B: Business Basic P1Y upfront, auto-renew off in June.
	b := newSub("CFQ7TTC0LH18:0001", 5, "P1Y", "annual", "72.00")
	lb := &ledger{}
	lb.add(b.Purchase(at("2026-01-10T09:00:00Z"), nil), nil)
	if err := lb.add(b.SetAutoRenew(at("2026-06-01T00:00:00Z"), false)); err != nil {
		t.Fatal(err)
	}
	runUntil(b, at("2027-01-26T00:00:00Z"), samePrice, lb)
	wantLines(t, lb, "new 5 5 360.00 2026-01-10..2027-01-09")
	if b.Status != StatusExpired || !b.NextEventAt.Equal(day("2027-02-09")) {
		t.Fatalf("B: %s, next %v; want expired until 2027-02-09", b.Status, b.NextEventAt)
	}

	// C: Business Basic month to month at $7.20 (R-6: 6.00 × 1.20), cancelled on day 3.
	c := newSub("CFQ7TTC0LH18:0001", 3, "P1M", "monthly", "7.20")
	lc := &ledger{}
	lc.add(c.Purchase(at("2026-01-10T09:00:00Z"), nil), nil)
	if err := lc.add(c.Cancel(at("2026-01-12T15:00:00Z"))); err != nil {
		t.Fatal(err)
	}
	runUntil(c, at("2027-01-26T00:00:00Z"), samePrice, lc)
	wantLines(t, lc,
		"new 3 3 21.60 2026-01-10..2026-02-09",
		// 7.20 × 29/31 = 6.735484 → −6.73 × 3.
		"cancelImmediate 3 3 -20.19 2026-01-12..2026-02-09")
	if c.Status != StatusDeleted || lc.total().StringFixed(2) != "1.41" {
		t.Fatalf("C: %s, net %s", c.Status, lc.total().StringFixed(2))
	}
}

func premiumItem() Item {
	return Item{Product: &Product{ID: "CFQ7TTC0LCHC", Title: "Microsoft 365 Business Premium"}, Sku: &Sku{ID: "0001", Title: "Microsoft 365 Business Premium", MaximumQuantity: 300},
		Availability: &Availability{ID: "AVP"}}
}

// TestR17PartialUpgrade is commerce-rules R-17's example.
func TestR17PartialUpgrade(t *testing.T) {
	s := newSub("CFQ7TTC0LH18:0001", 10, "P1Y", "annual", "72.00")
	s.Purchase(at("2024-01-01T09:00:00Z"), nil)
	basic := &Sku{ID: "0001", UpgradeTargets: []string{"CFQ7TTC0LDPB:0001", "CFQ7TTC0LCHC:0001"}}
	tt := TransitionTarget{Item: premiumItem(), Term: Term{Duration: "P1Y", BillingCycle: "annual"}, Price: NewMoney(dec("264.00"), "USD"), Quantity: 4}
	if p := s.TransitionProblems(basic, tt); len(p) != 0 {
		t.Fatalf("problems: %+v", p)
	}
	target, srcEv, tgtEv := s.Transition(at("2024-10-01T10:00:00Z"), tt)
	l := &ledger{events: []*Event{srcEv, tgtEv}}
	wantLines(t, l,
		// 72 × 92/366 = 18.098361 → 18.09 × 4; 264 × 92/366 = 66.360656 → 66.36 × 4.
		"convert 4 4 -72.36 2024-10-01..2024-12-31",
		"convert 4 4 265.44 2024-10-01..2024-12-31")
	if srcEv.Charges[0].ReferenceID != tt.OperationID || tgtEv.Charges[0].ReferenceID != tt.OperationID {
		t.Errorf("the two sides' referenceIds %s and %s, want the operation's %s", srcEv.Charges[0].ReferenceID, tgtEv.Charges[0].ReferenceID, tt.OperationID)
	}
	if l.total().StringFixed(2) != "193.08" || s.Quantity != 6 || s.Status != StatusActive || target.Quantity != 4 ||
		!target.TermEnd.Equal(day("2024-12-31")) || target.OfferID() != "CFQ7TTC0LCHC:0001" {
		t.Fatalf("net %s; source %d %s; target %d until %s", l.total().StringFixed(2), s.Quantity, s.Status, target.Quantity, target.TermEnd)
	}
	// The rest upgrades too: the source ends.
	tt.Quantity, tt.Into, tt.At = 6, target, at("2024-10-01T11:00:00Z")
	if p := s.TransitionProblems(basic, tt); len(p) != 0 {
		t.Fatalf("problems merging: %+v", p)
	}
	_, srcEv, tgtEv = s.Transition(at("2024-10-01T11:00:00Z"), tt)
	if c := srcEv.Charges[0]; c.ChargeType != ChargeMoveQuantity || c.Subtotal.Amount.StringFixed(2) != "-108.54" { // −18.09 × 6
		t.Errorf("source credit for the rest: %s %s", c.ChargeType, c.Subtotal.Amount.StringFixed(2))
	}
	if target.RefundableQuantity(at("2024-10-02T00:00:00Z")) != 0 {
		t.Errorf("moved seats are refundable on the target: %d", target.RefundableQuantity(at("2024-10-02T00:00:00Z")))
	}
	if s.Status != StatusDeleted || target.Quantity != 10 || len(tgtEv.Charges) != 1 || tgtEv.Charges[0].ChargeType != ChargeMoveQuantity ||
		tgtEv.Charges[0].Subtotal.Amount.StringFixed(2) != "398.16" {
		// 264 × 92/366 = 66.360656 → 66.36 × 6 = 398.16
		t.Fatalf("full upgrade: source %s, target %d, charge %+v", s.Status, target.Quantity, tgtEv.Charges)
	}
}

func TestTransitionProblems(t *testing.T) {
	s := newSub("CFQ7TTC0LH18:0001", 10, "P1Y", "monthly", "6.30")
	s.Purchase(at("2024-01-01T09:00:00Z"), nil)
	basic := &Sku{ID: "0001", UpgradeTargets: []string{"CFQ7TTC0LCHC:0001"}}
	codes := func(tt TransitionTarget, src *Sku) string {
		var c []string
		for _, p := range s.TransitionProblems(src, tt) {
			c = append(c, p.Code)
		}
		return strings.Join(c, ",")
	}
	monthly := Term{Duration: "P1Y", BillingCycle: "monthly"}
	if got := codes(TransitionTarget{Item: premiumItem(), Term: Term{Duration: "P1Y", BillingCycle: "annual"}, Quantity: 2}, basic); got != TransitionBillingCycle {
		t.Errorf("mid-term billing change: %q", got)
	}
	if got := codes(TransitionTarget{Item: premiumItem(), Term: Term{Duration: "P1M", BillingCycle: "monthly"}, Quantity: 2}, basic); got != TransitionBillingCycle {
		t.Errorf("shorter term: %q", got)
	}
	if got := codes(TransitionTarget{Item: premiumItem(), Term: monthly, Quantity: 11}, basic); got != TransitionOther {
		t.Errorf("too many seats: %q", got)
	}
	if got := codes(TransitionTarget{Item: premiumItem(), Term: monthly, Quantity: 2}, &Sku{ID: "0001"}); got != TransitionNoPaths {
		t.Errorf("no paths: %q", got)
	}
	s.Suspend(at("2024-02-01T00:00:00Z"))
	if got := codes(TransitionTarget{Item: premiumItem(), Term: monthly, Quantity: 2}, basic); got != TransitionStatusNotActive {
		t.Errorf("suspended: %q", got)
	}
}

// TestTrialConversion is commerce-rules R-26's example: a trial of 25
// seats bought 2024-06-01 lasts 30 days (to 06-30) with a $0 new line.
// (ii) Converted on 06-20 to P1Y/annual at $120, it keeps its id: paid term
// 2024-06-20..2025-06-19 with a normal 168-hour window, lines `convert` 25
// × 0.00 (Trial) and `convert` 25 × 120.00 = 3,000.00 over that term; 20
// seats are refused. (i) Left alone with auto-renew on it converts on 07-01
// per its default instructions to 25 seats P1Y/monthly at $12.60: term
// 2024-07-01..2025-06-30, cancellable until 07-08T00:00Z, lines 0.00 and
// 315.00 for 07-01..07-31.
func TestTrialConversion(t *testing.T) {
	newTrial := func() (*Subscription, *ledger) {
		trial := &Subscription{ID: uuid.New(), ProductID: "CFQ7TTC0LCHC", SkuID: "0002", OfferName: "Business Premium trial", Quantity: 25, IsTrial: true,
			AutoRenew: true, TermDuration: "P1M", BillingCycle: "monthly", UnitPrice: ZeroMoney("USD"),
			Scheduled: &NextTerm{ProductID: "CFQ7TTC0LCHC", SkuID: "0001", AvailabilityID: "AVP", TermDuration: "P1Y", BillingCycle: "monthly", Quantity: 25}}
		l := &ledger{}
		l.add(trial.Purchase(at("2024-06-01T08:00:00Z"), nil), nil)
		return trial, l
	}
	trial, l := newTrial()
	if trial.TermEnd.Format(time.DateOnly) != "2024-06-30" || !trial.AutoRenew {
		t.Fatalf("trial term %s, auto-renew %v", trial.TermEnd, trial.AutoRenew)
	}
	wantLines(t, l, "new 25 25 0.00 2024-06-01..2024-06-30")
	src := &Sku{ID: "0002", IsTrial: true, ConvertsTo: "CFQ7TTC0LCHC:0001"}
	tt := TransitionTarget{Item: premiumItem(), Term: Term{Duration: "P1Y", BillingCycle: "annual"}, Price: NewMoney(dec("120.00"), "USD"), Quantity: 20,
		OperationID: uuid.New()}
	if p := trial.TransitionProblems(src, tt); len(p) != 1 || p[0].Code != TransitionOther {
		t.Fatalf("20 seats: problems %+v, want the R-26 minimum of 25", p)
	}
	tt.Quantity = 25
	if p := trial.TransitionProblems(src, tt); len(p) != 0 {
		t.Fatalf("problems: %+v", p)
	}
	id := trial.ID
	paid, ev, none := trial.Transition(at("2024-06-20T12:00:00Z"), tt)
	if paid != trial || paid.ID != id || none != nil || ev.Type != EvTrialConverted || paid.IsTrial || paid.Status != StatusActive || !paid.AutoRenew ||
		paid.Scheduled != nil {
		t.Fatalf("converted: %+v", paid)
	}
	conv := &ledger{events: []*Event{ev}}
	wantLines(t, conv, "convert 25 25 0.00 2024-06-20..2025-06-19", "convert 25 25 3000.00 2024-06-20..2025-06-19")
	if q := ev.Charges[0].ProductQualifiers; len(q) != 1 || q[0] != QualifierTrial || ev.Charges[1].ProductQualifiers != nil ||
		ev.Charges[0].ReferenceID != tt.OperationID || ev.Charges[1].ReferenceID != tt.OperationID {
		t.Errorf("lines: qualifiers %v and %v, references %s and %s", q, ev.Charges[1].ProductQualifiers, ev.Charges[0].ReferenceID, ev.Charges[1].ReferenceID)
	}
	if !paid.TermStart.Equal(day("2024-06-20")) || !paid.TermEnd.Equal(day("2025-06-19")) || !paid.CancellationAllowedUntil().Equal(at("2024-06-27T12:00:00Z")) {
		t.Fatalf("paid: %s..%s, window %s", paid.TermStart, paid.TermEnd, paid.CancellationAllowedUntil())
	}

	// (i) Left alone: the default instructions at $12.60 a month.
	auto, la := newTrial()
	paidPrice := func(s *Subscription, d time.Time) Renewal {
		n := s.Scheduled
		return Renewal{Found: true, ProductID: n.ProductID, SkuID: n.SkuID, AvailabilityID: n.AvailabilityID, TermDuration: n.TermDuration,
			BillingCycle: n.BillingCycle, Quantity: n.Quantity, UnitPrice: NewMoney(dec("12.60"), "USD"), OfferName: "Microsoft 365 Business Premium"}
	}
	runUntil(auto, day("2024-07-01"), paidPrice, la)
	wantLines(t, la, "new 25 25 0.00 2024-06-01..2024-06-30", "convert 25 25 0.00 2024-07-01..2024-07-31", "convert 25 25 315.00 2024-07-01..2024-07-31")
	if auto.IsTrial || auto.Status != StatusActive || auto.OfferID() != "CFQ7TTC0LCHC:0001" || !auto.TermEnd.Equal(day("2025-06-30")) ||
		!auto.CancellationAllowedUntil().Equal(at("2024-07-08T00:00:00Z")) {
		t.Fatalf("converted at the end: trial %v %s %s until %s, window %s", auto.IsTrial, auto.Status, auto.OfferID(), auto.TermEnd, auto.CancellationAllowedUntil())
	}

	// With auto-renew off the trial expires.
	off, _ := newTrial()
	if _, err := off.SetAutoRenew(at("2024-06-10T00:00:00Z"), false); err != nil || off.Scheduled != nil {
		t.Fatalf("auto-renew off: %v, scheduled %v", err, off.Scheduled)
	}
	runUntil(off, day("2024-07-01"), samePrice, &ledger{})
	if off.Status != StatusExpired {
		t.Fatalf("unconverted trial on 07-01: %s", off.Status)
	}
}

// TestR15ScheduleCleared: any mid-term seat change and a partial upgrade
// clear scheduled next-term changes, and record it; a refused change
// keeps them. R-15's example: 20 seats P1Y/annual bought 2024-03-15 with
// {quantity: 12, P1M/monthly} scheduled; 20 → 22 on 2024-09-10 clears it.
func TestR15ScheduleCleared(t *testing.T) {
	next := NextTerm{Quantity: 12, TermDuration: "P1M", BillingCycle: "monthly"}
	s := newSub("P:1", 20, "P1Y", "annual", "120.00")
	s.Purchase(at("2024-03-15T09:00:00Z"), nil)
	s.Scheduled = &next
	if _, err := s.ChangeQuantity(at("2024-09-10T09:00:00Z"), 19, 1, 300); ErrorCode(err) != EDecreaseOutsideWindow {
		t.Fatalf("decrease outside the window: %v", err)
	}
	if s.Scheduled == nil {
		t.Fatal("a refused decrease cleared the schedule: a refusal must change nothing")
	}
	ev, err := s.ChangeQuantity(at("2024-09-10T09:00:00Z"), 22, 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	if s.Scheduled != nil || ev.Changes.Scheduled == nil || ev.Changes.Scheduled.After != nil {
		t.Fatalf("after 20 → 22: scheduled %v, event %+v; want cleared and recorded", s.Scheduled, ev.Changes)
	}
	// A decrease inside the window of the 2 added seats clears a new
	// schedule too.
	s.Scheduled = &next
	if _, err := s.ChangeQuantity(at("2024-09-11T09:00:00Z"), 21, 1, 300); err != nil || s.Scheduled != nil {
		t.Fatalf("22 → 21 inside the window: %v, scheduled %v; want cleared", err, s.Scheduled)
	}

	// A partial upgrade (10 of 21 seats) clears the source's schedule.
	s.Scheduled = &next
	item := Item{Product: &Product{ID: "P2"}, Sku: &Sku{ID: "1", MaximumQuantity: 300}, Availability: &Availability{ID: "A2"}}
	_, srcEv, _ := s.Transition(at("2024-10-01T09:00:00Z"), TransitionTarget{Item: item, Term: Term{Duration: "P1Y", BillingCycle: "annual"},
		Price: NewMoney(dec("200.00"), "USD"), Quantity: 10, NewID: uuid.New(), OperationID: uuid.New()})
	if s.Quantity != 11 || s.Scheduled != nil || srcEv.Changes.Scheduled == nil {
		t.Fatalf("partial upgrade: %d seats left, scheduled %v, event %+v; want 11, cleared, recorded", s.Quantity, s.Scheduled, srcEv.Changes)
	}
}

// TestR17FullUpgradeInPlace is Microsoft's example: 300 seats
// of Business Standard, P1M at EUR 10.08, bought 2021-06-18 (cycle
// 06-18..07-17, 30 days), fully upgraded on 06-25 to Office 365 E1 at
// 6.43, d = 23. The subscription keeps its id, dates and seats; its lines
// are `convert` 300 × −7.728 → −2,316.00 and 300 × 4.929667 → 1,476.00,
// with one referenceId. The upgraded seats cannot be cancelled or reduced.
func TestR17FullUpgradeInPlace(t *testing.T) {
	s := newSub("CFQ7TTC0LDPB:0001", 300, "P1M", "monthly", "10.08")
	s.UnitPrice.Currency = "EUR"
	s.Purchase(at("2021-06-18T09:00:00Z"), nil)
	e1 := Item{Product: &Product{ID: "CFQ7TTC0LF8Q", Title: "Office 365 E1"}, Sku: &Sku{ID: "0001", Title: "Office 365 E1", MaximumQuantity: 5000},
		Availability: &Availability{ID: "AVE1"}}
	tt := TransitionTarget{Item: e1, Term: Term{Duration: "P1M", BillingCycle: "monthly"}, Price: NewMoney(dec("6.43"), "EUR"), Quantity: 300, OperationID: uuid.New()}
	id, end := s.ID, s.TermEnd
	got, ev, none := s.Transition(at("2021-06-25T10:00:00Z"), tt)
	if got != s || s.ID != id || none != nil || s.OfferID() != "CFQ7TTC0LF8Q:0001" || s.Quantity != 300 || !s.TermEnd.Equal(end) ||
		s.UnitPrice.String() != "EUR 6.43" || s.Status != StatusActive {
		t.Fatalf("after the upgrade: %s %s x%d until %s at %s", s.ID, s.OfferID(), s.Quantity, s.TermEnd, s.UnitPrice)
	}
	wantLines(t, &ledger{events: []*Event{ev}}, "convert 300 300 -2316.00 2021-06-25..2021-07-17", "convert 300 300 1476.00 2021-06-25..2021-07-17")
	if ev.Charges[0].SkuName == ev.Charges[1].SkuName || ev.Charges[0].ReferenceID != tt.OperationID || ev.Charges[1].ReferenceID != tt.OperationID {
		t.Errorf("the credit should name the old SKU and the charge the new one, both with the operation's referenceId: %+v", ev.Charges)
	}
	if _, err := s.ChangeQuantity(at("2021-06-25T11:00:00Z"), 299, 1, 5000); ErrorCode(err) != EDecreaseOutsideWindow {
		t.Errorf("reducing upgraded seats: %v, want %d (R-17b)", err, EDecreaseOutsideWindow)
	}
	if _, err := s.Cancel(at("2021-06-25T11:00:00Z")); ErrorCode(err) != ECancelWindowClosed {
		t.Errorf("cancelling upgraded seats inside the purchase's window: %v, want %d (R-17b)", err, ECancelWindowClosed)
	}
}

// TestR17bDestinations is commerce-rules R-17b's example: source Business
// Basic P1Y/monthly, term 2024-01-10..2025-01-09, upgraded on 2024-05-05.
// D1 (P1Y bought 2024-05-02T09:00Z, window open until 05-09) fails 2; D2
// (P1M, 2024-04-01..04-30) has a shorter term (3) and ends earlier (4); D3
// (P1Y ending 2024-12-31) fails 4; D4 (P1Y, 2024-04-01..2025-03-31)
// qualifies, and the 5 seats moved into it do not become refundable.
func TestR17bDestinations(t *testing.T) {
	src := newSub("CFQ7TTC0LH18:0001", 10, "P1Y", "monthly", "6.30")
	src.Purchase(at("2024-01-10T09:00:00Z"), nil)
	dest := func(term, cycle, bought string) *Subscription {
		d := newSub("CFQ7TTC0LCHC:0001", 3, term, cycle, "22.00")
		d.Purchase(at(bought), nil)
		return d
	}
	now := at("2024-05-05T10:00:00Z")
	codes := func(d *Subscription) []int {
		var out []int
		for _, p := range src.DestinationProblems(d, now) {
			out = append(out, p.Code)
		}
		return out
	}
	d3 := dest("P1Y", "monthly", "2024-01-01T09:00:00Z")
	d4 := dest("P1Y", "monthly", "2024-04-01T09:00:00Z")
	for _, c := range []struct {
		name string
		d    *Subscription
		want []int
	}{
		{"D1 in its window", dest("P1Y", "monthly", "2024-05-02T09:00:00Z"), []int{DestinationInCancellationWindow}},
		{"D2 a month", dest("P1M", "monthly", "2024-04-01T09:00:00Z"), []int{DestinationTermShorter, DestinationEndsEarlier}},
		{"D3 ends 2024-12-31", d3, []int{DestinationEndsEarlier}},
		{"D4 qualifies", d4, nil},
	} {
		if got := codes(c.d); !slices.Equal(got, c.want) {
			t.Errorf("%s: codes %v, want %v", c.name, got, c.want)
		}
	}
	if d3.TermEnd.Format(time.DateOnly) != "2024-12-31" || d4.TermEnd.Format(time.DateOnly) != "2025-03-31" {
		t.Fatalf("destination ends %s and %s", d3.TermEnd, d4.TermEnd)
	}
	tt := TransitionTarget{Item: premiumItem(), Term: Term{Duration: "P1Y", BillingCycle: "monthly"}, Price: NewMoney(dec("22.00"), "USD"), Quantity: 5,
		Into: d4, At: now, OperationID: uuid.New()}
	basic := &Sku{ID: "0001", UpgradeTargets: []string{"CFQ7TTC0LCHC:0001"}}
	if p := src.TransitionProblems(basic, tt); len(p) != 0 {
		t.Fatalf("into D4: %+v", p)
	}
	if p := src.TransitionProblems(basic, TransitionTarget{Item: tt.Item, Term: tt.Term, Price: tt.Price, Quantity: 5, Into: d3, At: now}); len(p) != 1 {
		t.Fatalf("into D3: %+v, want the R-17b refusal", p)
	}
	src.Transition(now, tt)
	if d4.Quantity != 8 || d4.RefundableQuantity(now) != 0 {
		t.Errorf("D4: %d seats, %d refundable; want 8 and 0", d4.Quantity, d4.RefundableQuantity(now))
	}
	if _, err := d4.ChangeQuantity(now.Add(time.Hour), 3, 1, 300); ErrorCode(err) != EDecreaseOutsideWindow {
		t.Errorf("lowering D4 by the moved seats: %v, want %d", err, EDecreaseOutsideWindow)
	}
}
