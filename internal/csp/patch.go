package csp

import (
	"strings"
	"time"
)

// Desired is a subscription PATCH body read as the whole subscription the
// client wants, as Partner Center's SDK sends it (partner-center-api.md §8):
// a nil field is one the body leaves out or sends as null. Read-only fields
// (ids, dates, links, prices, refund options...) have no place here: they
// are ignored.
type Desired struct {
	Quantity     *int
	Status       *string
	AutoRenew    *bool
	FriendlyName *string
	// Scheduled is scheduledNextTermInstructions; nil deletes them.
	Scheduled    *NextTerm
	TermDuration *string
	BillingCycle *string
	// NextCharge is nextChargeInstructions (product and quantity, in the
	// shape of scheduled instructions); nil deletes a pending change.
	NextCharge *NextTerm
}

// Change is what to do to a subscription: each field is the state wanted,
// and a zero field or the current state changes nothing (so that the
// console's cancel, sent twice, cancels once). A PATCH's Change comes from
// Diff; the console builds its own.
type Change struct {
	// Status is StatusActive (reactivate), StatusSuspended or StatusDeleted (cancel).
	Status       Status
	Quantity     *int
	AutoRenew    *bool
	FriendlyName *string
	// Schedule sets the next term's instructions; blanks are filled from
	// the subscription (ResolveNextTerm).
	Schedule      *NextTerm
	ClearSchedule bool
	// TermDuration and BillingCycle are the plan wanted: a longer term
	// starts at once (R-2b), another billing cycle of the same term waits
	// for the next charge period (R-2a). Empty is the current one.
	TermDuration, BillingCycle string
	// ClearNextCharge deletes a pending billing plan change.
	ClearNextCharge bool
}

// Diff is the change a whole-object PATCH asks of s: only what differs
// from s, so that fields which echo the stored state never fail (or block)
// the change the client made. The rules (partner-center-api.md §8):
//   - status compares case-insensitively; "none" or the current status is no change;
//   - quantity 0 (the SDK's default) or the current quantity is no change;
//   - autoRenewEnabled absent means off;
//   - scheduledNextTermInstructions absent or null deletes them;
//   - termDuration and billingCycle compare case-insensitively, absent or
//     empty is no change; a different term is a lengthening (R-2b), a
//     different billing cycle on the same term a billing plan change that
//     waits in nextChargeInstructions (R-2a); Apply checks what is allowed;
//   - nextChargeInstructions echo the pending change, or name one by their
//     billing cycle; absent or null delete it (like billingCycle, it names
//     the subscription's own offer, term and seats);
//   - a cancellation turns auto-renew off and deletes the instructions by
//     itself, so those fields are not changes of their own; a
//     different quantity or plan with it is refused rather than bought and
//     credited.
func (s *Subscription) Diff(d Desired) (Change, error) {
	var c Change
	if d.Status != nil {
		if err := CheckText("status", *d.Status, MaxShort); err != nil {
			return Change{}, err
		}
		switch st := Status(strings.ToLower(*d.Status)); st {
		case s.Status, "none":
		case StatusActive, StatusSuspended, StatusDeleted:
			c.Status = st
		default:
			return Change{}, Errorf(EStatusChangeInvalid, "status %q cannot be set: use deleted (cancel inside the window), suspended or active", *d.Status)
		}
	}
	if d.Quantity != nil && *d.Quantity != 0 && *d.Quantity != s.Quantity {
		q := *d.Quantity
		c.Quantity = &q
	}
	if on := d.AutoRenew != nil && *d.AutoRenew; on != s.AutoRenew {
		c.AutoRenew = &on
	}
	if d.FriendlyName != nil {
		if err := CheckText("friendlyName", *d.FriendlyName, MaxFriendlyName); err != nil {
			return Change{}, err
		}
		if name := *d.FriendlyName; strings.TrimSpace(name) != s.FriendlyName {
			c.FriendlyName = &name
		}
	}
	if err := s.diffPlan(d, &c); err != nil {
		return Change{}, err
	}
	switch {
	case d.Scheduled == nil:
		c.ClearSchedule = s.Scheduled != nil
	case !d.Scheduled.Same(s.Scheduled):
		nt := *d.Scheduled
		c.Schedule = &nt
	}
	if c.Status == StatusDeleted {
		if c.Quantity != nil {
			return Change{}, Errorf(EConflictingChanges, "a cancellation (status deleted) cannot change the quantity too: send the current quantity (%d) or 0 with it", s.Quantity)
		}
		if c.TermDuration != "" || c.BillingCycle != "" {
			return Change{}, Errorf(EConflictingChanges, "a cancellation (status deleted) cannot change the term or billing plan too: send the current ones (%s, %s) with it", s.TermDuration, s.BillingCycle)
		}
		c.AutoRenew, c.Schedule, c.ClearSchedule, c.ClearNextCharge = nil, nil, false, false
	}
	return c, nil
}

// diffPlan reads the plan d wants into c: a longer or shorter term, a
// billing cycle to change to at the next charge period (from billingCycle
// or nextChargeInstructions), or the deletion of a pending change.
func (s *Subscription) diffPlan(d Desired, c *Change) error {
	text := func(v *string, have string) string {
		if v == nil || *v == "" {
			return have
		}
		return *v
	}
	term, cycle := strings.ToUpper(text(d.TermDuration, s.TermDuration)), strings.ToLower(text(d.BillingCycle, s.BillingCycle))
	next := ""
	if n := d.NextCharge; n != nil {
		other := func(v, have string) bool { return v != "" && !strings.EqualFold(v, have) }
		if other(n.ProductID, s.ProductID) || other(n.SkuID, s.SkuID) || other(n.AvailabilityID, s.AvailabilityID) || other(n.TermDuration, s.TermDuration) ||
			(n.Quantity != 0 && n.Quantity != s.Quantity) || n.CustomTermEndDate != nil {
			return Errorf(EInvalidNextCharge, "nextChargeInstructions may change only the billing cycle of the subscription's own offer (%s), term (%s) and %d seats (R-2a): change seats with quantity, the term with termDuration, the offer through transitions",
				s.CatalogItemID(), s.TermDuration, s.Quantity)
		}
		next = strings.ToLower(text(&n.BillingCycle, s.BillingCycle))
	}
	switch {
	case term != strings.ToUpper(s.TermDuration):
		if next != "" && next != s.BillingCycle {
			return Errorf(EConflictingChanges, "a new term (%s) cannot come with nextChargeInstructions: give its billing plan in billingCycle", term)
		}
		c.TermDuration, c.BillingCycle = term, cycle
		return nil
	case cycle != s.BillingCycle && next != "" && next != s.BillingCycle && next != cycle:
		return Errorf(EConflictingChanges, "billingCycle %s and nextChargeInstructions' %s ask for two billing plans: send one", cycle, next)
	case cycle == s.BillingCycle && next != "":
		cycle = next
	}
	switch pending := s.NextCharge; {
	case cycle != s.BillingCycle && (pending == nil || pending.BillingCycle != cycle):
		c.BillingCycle = cycle
	case cycle == s.BillingCycle:
		c.ClearNextCharge = pending != nil
	}
	return nil
}

// Same reports whether nt names the same instructions as o (nil: none).
// Term and billing cycle compare case-insensitively, like the PATCH body.
func (nt *NextTerm) Same(o *NextTerm) bool {
	if nt == nil || o == nil {
		return nt == o
	}
	sameEnd := (nt.CustomTermEndDate == nil) == (o.CustomTermEndDate == nil) &&
		(nt.CustomTermEndDate == nil || nt.CustomTermEndDate.Equal(*o.CustomTermEndDate))
	return nt.ProductID == o.ProductID && nt.SkuID == o.SkuID && nt.AvailabilityID == o.AvailabilityID &&
		strings.EqualFold(nt.TermDuration, o.TermDuration) && strings.EqualFold(nt.BillingCycle, o.BillingCycle) &&
		nt.Quantity == o.Quantity && sameEnd
}

// Apply makes c's changes at now, in the one order in which each finds the
// state it needs: a reactivation first (seats change only on an active
// subscription), then seats, name, auto-renew (scheduled changes need it
// on), the next term, and a suspension or cancellation last. It stops at
// the first refusal; the caller then drops s, so a Change is applied whole
// or not at all. cat is the catalog the subscription's partner sees, and
// prices prices it (a new term or billing plan, R-2a, R-2b); customer is
// the customer's subscriptions with the partner, which a scheduled custom
// end date may align to (R-4; needed only then).
func (s *Subscription) Apply(now time.Time, c Change, cat *Catalog, prices Prices, customer []*Subscription) ([]*Event, error) {
	var events []*Event
	record := func(ev *Event, err error) error {
		if ev != nil {
			events = append(events, ev)
		}
		return err
	}
	if c.Status == s.Status {
		c.Status = ""
	}
	if c.Quantity != nil && *c.Quantity == s.Quantity {
		c.Quantity = nil
	}
	if c.Status == StatusActive {
		if err := record(s.Reactivate(now)); err != nil {
			return nil, err
		}
	}
	if c.Quantity != nil {
		minQ, maxQ := cat.SeatLimits(s.OfferID())
		if err := record(s.ChangeQuantity(now, *c.Quantity, minQ, maxQ)); err != nil {
			return nil, err
		}
	}
	// The new plan after the seats, so that a new term starts with them.
	switch {
	case c.TermDuration != "" && !strings.EqualFold(c.TermDuration, s.TermDuration):
		if err := record(s.Lengthen(now, c.TermDuration, c.BillingCycle, cat, prices)); err != nil {
			return nil, err
		}
	case c.BillingCycle != "" && !strings.EqualFold(c.BillingCycle, s.BillingCycle):
		if err := record(s.ChangeBillingPlan(now, c.BillingCycle, cat, prices)); err != nil {
			return nil, err
		}
	case c.ClearNextCharge:
		record(s.ClearNextCharge(now), nil)
	}
	if c.FriendlyName != nil {
		if err := record(s.Rename(now, *c.FriendlyName)); err != nil {
			return nil, err
		}
	}
	if c.AutoRenew != nil {
		if err := record(s.SetAutoRenew(now, *c.AutoRenew)); err != nil {
			return nil, err
		}
	}
	if c.ClearSchedule {
		record(s.ClearSchedule(now), nil)
	}
	if c.Schedule != nil {
		resolved, target, current, err := s.ResolveNextTerm(*c.Schedule, cat)
		if err == nil {
			err = record(s.Schedule(now, resolved, target, current, customer))
		}
		if err != nil {
			return nil, err
		}
	}
	var err error
	switch c.Status {
	case StatusSuspended:
		err = record(s.Suspend(now))
	case StatusDeleted:
		err = record(s.Cancel(now))
	}
	if err != nil {
		return nil, err
	}
	return events, nil
}
