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
	// NextCharge reports a nextChargeInstructions value other than null.
	NextCharge bool
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
}

// Diff is the change a whole-object PATCH asks of s: only what differs
// from s, so that fields which echo the stored state never fail (or block)
// the change the client made. The rules (partner-center-api.md §8):
//   - status compares case-insensitively; "none" or the current status is no change;
//   - quantity 0 (the SDK's default) or the current quantity is no change;
//   - autoRenewEnabled absent means off;
//   - scheduledNextTermInstructions absent or null deletes them;
//   - termDuration and billingCycle may only echo the current ones: this
//     program has no mid-term billing plan change or term lengthening yet
//     (R-2a, R-2b), nor nextChargeInstructions;
//   - a cancellation turns auto-renew off and deletes the instructions by
//     itself, so those two fields are not changes of their own; a
//     different quantity with it is refused rather than bought and credited.
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
	if err := s.sameTerm("termDuration", d.TermDuration, s.TermDuration); err != nil {
		return Change{}, err
	}
	if err := s.sameTerm("billingCycle", d.BillingCycle, s.BillingCycle); err != nil {
		return Change{}, err
	}
	if d.NextCharge {
		return Change{}, Errorf(ETermChangeNotAvailable, "nextChargeInstructions (a mid-term billing plan change, R-2a) are not available yet: send null, or schedule the billing cycle for the renewal in scheduledNextTermInstructions")
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
		c.AutoRenew, c.Schedule, c.ClearSchedule = nil, nil, false
	}
	return c, nil
}

// sameTerm refuses a termDuration or billingCycle other than the current
// one (case-insensitive; absent or empty is no change).
func (s *Subscription) sameTerm(field string, want *string, have string) error {
	if want == nil || *want == "" || strings.EqualFold(*want, have) {
		return nil
	}
	return Errorf(ETermChangeNotAvailable, "%s %q differs from the subscription's %q: changing the term or billing plan mid-term (R-2a, R-2b) is not available yet; schedule it for the renewal in scheduledNextTermInstructions (R-15)",
		field, *want, have).WithData("field=" + field)
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
// or not at all. cat is the catalog the subscription's partner sees;
// customer is the customer's subscriptions with the partner, which a
// scheduled custom end date may align to (R-4; needed only then).
func (s *Subscription) Apply(now time.Time, c Change, cat *Catalog, customer []*Subscription) ([]*Event, error) {
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
