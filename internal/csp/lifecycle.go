package csp

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Purchase starts a new subscription's first term at now: the term, its
// window, its first seat lot and the `new` charge for the first period.
// customEnd, if set, is the term's last day (R-4, checked by the caller).
func (s *Subscription) Purchase(now time.Time, customEnd *time.Time) *Event {
	s.Status, s.StatusSince, s.CreatedAt = StatusActive, now, now
	s.startTerm(now, customEnd)
	ev := newEvent(EvPurchased, now, s.purchaseChanges(s.Quantity))
	if s.HasTerm() {
		s.charge(ev, ChargeNew, s.Quantity, now, s.PeriodAt(now))
	}
	s.scheduleNext(now)
	return ev
}

func (s *Subscription) startTerm(at time.Time, customEnd *time.Time) {
	s.TermStartedAt = at
	s.TermStart = Day(at)
	if !s.HasTerm() {
		s.TermEnd = time.Time{}
		s.Lots = nil
		return
	}
	s.TermEnd = TermEnd(at, s.TermDuration)
	if s.IsTrial { // 30 days, the start day included
		s.TermEnd = s.TermStart.AddDate(0, 0, TrialDays-1)
	}
	if customEnd != nil {
		s.TermEnd = Day(*customEnd)
	}
	s.Lots = []SeatLot{{Quantity: s.Quantity, AddedAt: at, AllowedUntil: at.Add(CancellationWindow)}}
}

// Cancel ends the subscription inside its window: status deleted,
// and a cancelImmediate credit for the rest of the current period.
func (s *Subscription) Cancel(now time.Time) (*Event, error) {
	if s.IsTrial {
		return nil, Errorf(ETrialNotCancellable, "subscription %s is a trial: it ends by itself at %s, or turn it into a paid subscription", s.ID, s.TermEnd.Format(time.DateOnly))
	}
	if s.Status != StatusActive && s.Status != StatusSuspended {
		return nil, Errorf(ESubscriptionNotActive, "subscription %s is %s: only an active or suspended subscription can be cancelled", s.ID, s.Status)
	}
	if !s.Cancellable(now) && !now.After(s.CancellationAllowedUntil()) {
		return nil, Errorf(ECancelWindowClosed,
			"subscription %s holds only seats moved in by an upgrade: upgraded seats open no cancellation window and cannot be cancelled or reduced this term (commerce rule R-17b). Turn auto-renew off to end it at %s",
			s.ID, s.TermEnd.Format(time.DateOnly))
	}
	if !s.Cancellable(now) {
		return nil, Errorf(ECancelWindowClosed,
			"subscription %s can no longer be cancelled: its cancellation window closed at %s (168 hours after the purchase or renewal, commerce rule R-11). Turn auto-renew off to end it at %s",
			s.ID, s.CancellationAllowedUntil().Format(time.RFC3339), s.TermEnd.Format(time.DateOnly))
	}
	ev := newEvent(EvCancelled, now, Changes{Status: Changed(s.Status, StatusDeleted)})
	// One credit line for the current seats from the change day (C-1);
	// within 24 hours of the purchase or renewal, the whole period (R-11b).
	p, from := s.PeriodAt(now), now
	if now.Before(s.TermStartedAt.Add(FullRefundWindow)) {
		from = p.Start
	}
	s.line(ev, ChargeCancelImmediate, s.Quantity, s.Quantity, true, from, p, s.UnitPrice)
	s.Status, s.StatusSince, s.AutoRenew, s.Scheduled, s.Lots = StatusDeleted, now, false, nil, nil
	s.NextCharge = nil
	s.scheduleNext(now)
	return ev, nil
}

// ChangeQuantity sets the seat count at now. Increases are allowed any time
// in the term and charged to the end of the period; decreases only
// for seats still inside their own window.
func (s *Subscription) ChangeQuantity(now time.Time, q int, minQty, maxQty int) (*Event, error) {
	if s.Status != StatusActive {
		return nil, Errorf(ESubscriptionNotActive, "subscription %s is %s: seats can change only on an active subscription", s.ID, s.Status)
	}
	if s.IsTrial {
		return nil, Errorf(ETrialQuantityFixed, "subscription %s is a trial of %d seats: convert it to a paid subscription to change seats", s.ID, s.Quantity)
	}
	if !s.HasTerm() {
		return nil, Errorf(EQuantityNotApplicable, "subscription %s is usage-based: it has no seats", s.ID)
	}
	if q == s.Quantity {
		return nil, Errorf(EQuantityUnchanged, "subscription %s already has %d seats", s.ID, q)
	}
	if q < 1 {
		return nil, Errorf(EQuantityBelowOne, "quantity %d: a subscription keeps at least 1 seat; cancel it (status deleted) inside its window instead", q)
	}
	if q > maxQty {
		return nil, Errorf(EQuantityAboveMaximum, "quantity %d is above the offer's maximum of %d seats", q, maxQty)
	}
	if q < minQty {
		return nil, Errorf(EQuantityBelowMinimum, "quantity %d is below the offer's minimum of %d seats", q, minQty)
	}
	before := s.Quantity
	ev := newEvent(EvQuantityChanged, now, Changes{Quantity: Changed(before, q)})
	p := s.PeriodAt(now)
	if q > before {
		add := q - before
		s.Lots = append(s.Lots, SeatLot{Quantity: add, AddedAt: now, AllowedUntil: now.Add(CancellationWindow)})
		s.pair(ev, ChargeAddQuantity, before, q, now, p)
		s.Quantity = q
		s.dropSchedule(ev) // any mid-term seat change clears them
		return ev, nil
	}
	remove := before - q
	if r := s.RefundableQuantity(now); remove > r {
		return nil, Errorf(EDecreaseOutsideWindow,
			"subscription %s can lose at most %d seat(s) now, not %d: seats can be removed only within 168 hours of the purchase, increase or renewal that added them (commerce rule R-13). Schedule fewer seats for the next term with scheduledNextTermInstructions",
			s.ID, r, remove).WithData(fmt.Sprintf("refundableQuantity=%d", r))
	}
	s.takeLots(now, remove)
	s.pair(ev, ChargeRemoveQuantity, before, q, now, p)
	s.Quantity = q
	s.dropSchedule(ev)
	return ev, nil
}

// dropSchedule clears scheduled next-term changes, if any, and records it
// in ev.
func (s *Subscription) dropSchedule(ev *Event) {
	if s.Scheduled != nil {
		ev.Changes.Scheduled = Stated[*NextTerm](nil)
		s.Scheduled = nil
	}
}

// takeLots removes n seats from the lots, newest refundable first.
func (s *Subscription) takeLots(now time.Time, n int) {
	for i := len(s.Lots) - 1; i >= 0 && n > 0; i-- {
		if now.After(s.Lots[i].AllowedUntil) {
			continue
		}
		take := min(n, s.Lots[i].Quantity)
		s.Lots[i].Quantity -= take
		n -= take
	}
	s.compactLots()
}

func (s *Subscription) compactLots() {
	out := s.Lots[:0]
	for _, l := range s.Lots {
		if l.Quantity > 0 {
			out = append(out, l)
		}
	}
	s.Lots = out
}

// SetAutoRenew switches auto-renew, allowed until the term's last day
// . Turning it off drops scheduled changes.
func (s *Subscription) SetAutoRenew(now time.Time, on bool) (*Event, error) {
	if s.Status != StatusActive && s.Status != StatusSuspended {
		return nil, Errorf(ESubscriptionNotActive, "subscription %s is %s: auto-renew can change only on an active or suspended subscription", s.ID, s.Status)
	}
	if !s.HasTerm() {
		return nil, Errorf(EQuantityNotApplicable, "subscription %s has no term to renew", s.ID)
	}
	if s.AutoRenew == on {
		return nil, nil
	}
	ev := newEvent(EvAutoRenewChanged, now, Changes{AutoRenewEnabled: Changed(s.AutoRenew, on)})
	s.AutoRenew = on
	if !on {
		s.dropSchedule(ev)
	}
	return ev, nil
}

// Suspend blocks access; billing continues and the term is unchanged
// . It turns auto-renew off and drops scheduled changes, so a
// subscription still suspended at its term's end does not renew.
// Trials cannot be suspended.
func (s *Subscription) Suspend(now time.Time) (*Event, error) {
	if s.Status != StatusActive {
		return nil, Errorf(ESubscriptionNotActive, "subscription %s is %s: only an active subscription can be suspended", s.ID, s.Status)
	}
	if s.IsTrial {
		return nil, Errorf(ETrialStatusFixed, "subscription %s is a trial: trials cannot be suspended (commerce rules R-18, R-26); it ends or converts at %s",
			s.ID, s.TermEnd.Format(time.DateOnly))
	}
	ev := newEvent(EvSuspended, now, Changes{Status: Changed(StatusActive, StatusSuspended)})
	if s.AutoRenew {
		ev.Changes.AutoRenewEnabled = Changed(true, false)
	}
	s.dropSchedule(ev)
	s.Status, s.StatusSince, s.AutoRenew = StatusSuspended, now, false
	return ev, nil
}

// Reactivate restores a suspended subscription before its term ends
// . Auto-renew and scheduled changes stay as the suspension left
// them (off, none): the partner sets them again.
func (s *Subscription) Reactivate(now time.Time) (*Event, error) {
	if s.Status != StatusSuspended {
		return nil, Errorf(ESubscriptionNotSuspended, "subscription %s is %s: only a suspended subscription can be reactivated", s.ID, s.Status)
	}
	s.Status, s.StatusSince = StatusActive, now
	return newEvent(EvReactivated, now, Changes{Status: Changed(StatusSuspended, StatusActive)}), nil
}

// Schedule sets the changes the next term starts with: quantity,
// term, billing plan, SKU and custom end date. The target must be the same
// SKU, another SKU of the same product, or an SKU on an upgrade path from
// or to the current one; its term must be sold, and its quantity within
// the SKU's limits. target is the catalog item the instructions name
// (ResolveNextTerm); customer is the customer's subscriptions with the
// partner, which a custom end date may align to.
func (s *Subscription) Schedule(now time.Time, nt NextTerm, target Item, current *Sku, customer []*Subscription) (*Event, error) {
	if s.Status != StatusActive && s.Status != StatusSuspended {
		return nil, Errorf(ESubscriptionNotActive, "subscription %s is %s: only a running subscription can schedule its next term", s.ID, s.Status)
	}
	if !s.HasTerm() {
		return nil, Errorf(EInvalidScheduledChange, "subscription %s does not renew, so it has no next term to schedule", s.ID)
	}
	if !s.AutoRenew {
		return nil, Errorf(EInvalidScheduledChange, "subscription %s has auto-renew off: scheduled changes apply only at a renewal (R-15); turn autoRenewEnabled on first", s.ID)
	}
	same := target.Product.ID == s.ProductID
	related := current != nil && (slices.Contains(current.UpgradeTargets, target.Product.ID+":"+target.Sku.ID) || slices.Contains(target.Sku.UpgradeTargets, s.OfferID()))
	if !same && !related {
		return nil, Errorf(EInvalidScheduledChange, "%s:%s is not a renewal target of %s: at renewal a subscription may move to another SKU of its product or along an upgrade path (R-15)",
			target.Product.ID, target.Sku.ID, s.OfferID())
	}
	if target.Sku.IsTrial {
		return nil, Errorf(EInvalidScheduledChange, "%s:%s is a trial and cannot be renewed into", target.Product.ID, target.Sku.ID)
	}
	if _, ok := target.Availability.Term(nt.TermDuration, nt.BillingCycle); !ok {
		return nil, Errorf(EInvalidScheduledChange, "%s is not sold with term %s and billing cycle %s", target.ID(), nt.TermDuration, nt.BillingCycle)
	}
	if nt.Quantity < target.Sku.MinimumQuantity || nt.Quantity > target.Sku.MaximumQuantity {
		return nil, Errorf(EInvalidScheduledChange, "quantity %d is outside %d..%d for %s", nt.Quantity, target.Sku.MinimumQuantity, target.Sku.MaximumQuantity, target.ID())
	}
	if nt.CustomTermEndDate != nil {
		// The next term starts the day after this one ends: coterming
		// never moves a running term's end.
		others := slices.DeleteFunc(slices.Clone(customer), func(o *Subscription) bool { return o.ID == s.ID })
		end, err := CheckCustomTermEnd(s.TermEnd.AddDate(0, 0, 1), nt.TermDuration, *nt.CustomTermEndDate, others)
		if err != nil {
			return nil, err
		}
		nt.CustomTermEndDate = &end
	}
	nt.ProductID, nt.SkuID, nt.AvailabilityID = target.Product.ID, target.Sku.ID, target.Availability.ID
	ev := newEvent(EvScheduledSet, now, Changes{Scheduled: Stated(&nt)})
	s.Scheduled = &nt
	return ev, nil
}

// ClearSchedule drops scheduled changes.
func (s *Subscription) ClearSchedule(now time.Time) *Event {
	if s.Scheduled == nil {
		return nil
	}
	s.Scheduled = nil
	return newEvent(EvScheduledCleared, now, Changes{Scheduled: Stated[*NextTerm](nil)})
}

// Rename sets the friendly name (trimmed, 1 to MaxFriendlyName
// characters; the caller checks the text itself). The same name changes
// nothing and answers no event.
func (s *Subscription) Rename(now time.Time, name string) (*Event, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, Errorf(EInvalidField, "friendlyName must be 1 to %d characters", MaxFriendlyName)
	}
	if name == s.FriendlyName {
		return nil, nil
	}
	ev := newEvent(EvFriendlyNameSet, now, Changes{FriendlyName: Changed(s.FriendlyName, name)})
	s.FriendlyName = name
	return ev, nil
}
