package csp

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// op is one step of a random script: at a time, an action.
type op struct {
	at     time.Time
	action string // add, remove, cancel, autoRenewOff, suspend, reactivate, none
	n      int
}

// randomScript draws a purchase and a year of operations at random times.
func randomScript(r *rand.Rand) (term, cycle, price string, qty int, start time.Time, ops []op) {
	plans := [][3]string{{"P1Y", "monthly", "23.10"}, {"P1Y", "annual", "264.00"}, {"P1M", "monthly", "7.20"}, {"P3Y", "annual", "432.00"}}
	p := plans[r.IntN(len(plans))]
	start = time.Date(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, time.UTC)
	t := start
	for range 3 + r.IntN(10) {
		t = t.Add(time.Duration(1+r.IntN(40*24)) * time.Hour)
		actions := []string{"add", "add", "remove", "cancel", "autoRenewOff", "suspend", "reactivate", "none"}
		ops = append(ops, op{at: t, action: actions[r.IntN(len(actions))], n: 1 + r.IntN(5)})
	}
	return p[0], p[1], p[2], 1 + r.IntN(20), start, ops
}

// play runs a script, moving time to each operation in steps of at most
// `step` (0 = one jump), and a final year after the last one. Refused
// operations are part of the script: they change nothing.
func play(term, cycle, price string, qty int, start time.Time, ops []op, step time.Duration) (*Subscription, *ledger, []seatChange) {
	s := newSub("P:1", qty, term, cycle, price)
	l := &ledger{}
	l.add(s.Purchase(start, nil), nil)
	changes := []seatChange{{Day(start), qty}}
	move := func(to time.Time) {
		if step > 0 {
			for t := s.TermStartedAt; t.Before(to); t = t.Add(step) {
				runUntil(s, t, samePrice, l)
			}
		}
		runUntil(s, to, samePrice, l)
	}
	for _, o := range ops {
		move(o.at)
		var ev *Event
		var err error
		switch o.action {
		case "add":
			ev, err = s.ChangeQuantity(o.at, s.Quantity+o.n, 1, 300)
		case "remove":
			ev, err = s.ChangeQuantity(o.at, s.Quantity-o.n, 1, 300)
		case "cancel":
			// Within 24 hours of the purchase or renewal the whole period
			// is refunded (R-11b): no seat-day of it is owed.
			cancelDay := Day(o.at)
			if o.at.Before(s.TermStartedAt.Add(FullRefundWindow)) {
				cancelDay = s.PeriodAt(o.at).Start
			}
			ev, err = s.Cancel(o.at)
			if err == nil {
				changes = append(changes, seatChange{cancelDay, 0})
			}
		case "autoRenewOff":
			ev, err = s.SetAutoRenew(o.at, false)
		case "suspend":
			ev, err = s.Suspend(o.at)
		case "reactivate":
			ev, err = s.Reactivate(o.at)
		}
		if err == nil && ev != nil {
			l.add(ev, nil)
			if o.action == "add" || o.action == "remove" {
				changes = append(changes, seatChange{Day(o.at), s.Quantity})
			}
		}
	}
	move(ops[len(ops)-1].at.AddDate(1, 0, 0))
	return s, l, changes
}

type seatChange struct {
	day   time.Time
	seats int
}

// expectedCost is the seat-day model of what the rules charge: every day
// of every billing period that has begun is paid at the seats in force on
// that day (C-1), each day worth price ÷ the period's nominal days (C-2).
// Seats change on the day of a change; days after the last known day of a
// begun period carry the latest seat count.
func expectedCost(s *Subscription, l *ledger, changes []seatChange, price decimal.Decimal) decimal.Decimal {
	// Periods that were charged: every `new`, `cycleCharge` and `renew`
	// line starts one.
	total := decimal.Zero
	for _, ev := range l.events {
		for _, c := range ev.Charges {
			if c.ChargeType != ChargeNew && c.ChargeType != ChargeCycle && c.ChargeType != ChargeRenew {
				continue
			}
			nominal := DaysInclusive(c.ChargeStart, periodNominalEnd(s, c))
			for d := c.ChargeStart; !d.After(c.ChargeEnd); d = d.AddDate(0, 0, 1) {
				seats := 0
				for _, ch := range changes {
					if !ch.day.After(d) {
						seats = ch.seats
					}
				}
				total = total.Add(price.Mul(decimal.NewFromInt(int64(seats))).Div(decimal.NewFromInt(int64(nominal))))
			}
		}
	}
	return total
}

// periodNominalEnd recomputes a charged period's full length from its
// start: cycles of the billing plan counted from the term start (C-3).
func periodNominalEnd(s *Subscription, c Charge) time.Time {
	cp := *s
	cp.TermStart, cp.TermEnd = c.SubscriptionStart, c.SubscriptionEnd
	return cp.PeriodAt(c.ChargeStart).NominalEnd
}

// TestPropertyChargesMatchSeatDays: for any script of allowed and refused
// operations and clock moves, the charges add up to the seat-day model,
// within the rounding the conventions allow (a cent and half a millionth
// per seat of each line).
func TestPropertyChargesMatchSeatDays(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 2026))
		term, cycle, price, qty, start, ops := randomScript(r)
		s, l, changes := play(term, cycle, price, qty, start, ops, 0)
		got := l.total()
		want := expectedCost(s, l, changes, dec(price))
		// Each line's subtotal is its effectiveUnitPrice, rounded to 6
		// decimals and truncated to cents, times its whole seats (C-2).
		tolerance := decimal.Zero
		for _, ev := range l.events {
			for _, c := range ev.Charges {
				tolerance = tolerance.Add(c.BillableQuantity.Mul(dec("0.01").Add(dec("0.0000005"))))
			}
		}
		if got.Sub(want).Abs().GreaterThan(tolerance) {
			t.Fatalf("seed %d (%s %s at %s, %d seats from %s): charged %s, seat-days give %s (tolerance %s)\n%s",
				seed, term, cycle, price, qty, start.Format(time.RFC3339), got.StringFixed(2), want.StringFixed(4), tolerance, strings.Join(l.lines(), "\n"))
		}
	}
}

// TestPropertyOneAdvanceEqualsManySmall: the state and ledger reached depend
// only on the final time, not on the steps taken to reach it.
func TestPropertyOneAdvanceEqualsManySmall(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 7))
		term, cycle, price, qty, start, ops := randomScript(r)
		a, la, _ := play(term, cycle, price, qty, start, ops, 0)
		b, lb, _ := play(term, cycle, price, qty, start, ops, time.Duration(1+r.IntN(96))*time.Hour)
		if strings.Join(la.lines(), "\n") != strings.Join(lb.lines(), "\n") {
			t.Fatalf("seed %d: ledgers differ\none jump:\n%s\nsmall steps:\n%s", seed, strings.Join(la.lines(), "\n"), strings.Join(lb.lines(), "\n"))
		}
		sa, sb := fmt.Sprintf("%s %d %s %s %v", a.Status, a.Quantity, a.TermStart, a.TermEnd, a.NextEventAt), fmt.Sprintf("%s %d %s %s %v", b.Status, b.Quantity, b.TermStart, b.TermEnd, b.NextEventAt)
		if sa != sb {
			t.Fatalf("seed %d: states differ: %s vs %s", seed, sa, sb)
		}
	}
}
