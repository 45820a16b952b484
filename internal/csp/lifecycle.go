package csp

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Charge types (commerce-rules R-43).
const (
	ChargeNew             = "new"
	ChargeCycle           = "cycleCharge"
	ChargeAddQuantity     = "addQuantity"
	ChargeRemoveQuantity  = "removeQuantity"
	ChargeCancelImmediate = "cancelImmediate"
	ChargeRenew           = "renew"
)

// Charge is one line of the ledger, in the shape of Partner Center's
// new-commerce reconciliation line items. Credits have a negative quantity,
// billable quantity and subtotal.
type Charge struct {
	ID             uuid.UUID
	SubscriptionID uuid.UUID
	EventID        uuid.UUID
	// Who and what, copied from the subscription when the charge is made.
	PartnerID                        uuid.UUID
	TenantID                         uuid.UUID
	OrderID                          *uuid.UUID
	ResellerMpnID                    string
	ProductID, SkuID, AvailabilityID string
	ProductName, SkuName             string
	PartnerService                   bool

	ChargeType         string
	Quantity           int
	BillableQuantity   decimal.Decimal
	UnitPrice          decimal.Decimal
	EffectiveUnitPrice decimal.Decimal
	Subtotal           decimal.Decimal
	Currency           string
	ChargeStart        time.Time // first charged day
	ChargeEnd          time.Time // last charged day, inclusive
	SubscriptionStart  time.Time // the term the charge belongs to
	SubscriptionEnd    time.Time
	TermAndBilling     string // "P1Y:annual"
	PostedAt           time.Time
}

// Event is one entry of a subscription's history, with the charges it wrote.
type Event struct {
	ID      uuid.UUID
	Type    string
	Date    time.Time
	Changes map[string]any
	Charges []Charge
}

// Event types of a subscription's history.
const (
	EvPurchased        = "purchased"
	EvCycleCharged     = "cycleCharged"
	EvRenewed          = "renewed"
	EvQuantityChanged  = "quantityChanged"
	EvCancelled        = "cancelled"
	EvAutoRenewChanged = "autoRenewChanged"
	EvScheduledSet     = "scheduledChangeSet"
	EvScheduledCleared = "scheduledChangeCleared"
	EvSuspended        = "suspended"
	EvReactivated      = "reactivated"
	EvExpired          = "expired"
	EvDisabled         = "disabled"
	EvDeleted          = "deleted"
	EvFriendlyNameSet  = "friendlyNameChanged"
	EvUpgradedFrom     = "upgradedFrom"
	EvUpgradedTo       = "upgradedTo"
	EvTrialConverted   = "trialConverted"
)

// SetIDs names an event and its charges with ids from next, the charges
// pointing at their event. The recorder calls it before storing them.
func (ev *Event) SetIDs(next func() uuid.UUID) {
	ev.ID = next()
	for i := range ev.Charges {
		ev.Charges[i].ID, ev.Charges[i].EventID = next(), ev.ID
	}
}

func newEvent(typ string, at time.Time, changes map[string]any) *Event {
	// The event and its charges get their ids when they are recorded
	// (Event.SetIDs): the rules make none.
	return &Event{Type: typ, Date: at, Changes: changes}
}

// charge prorates qty seats from day `from` to the end of period p at the
// subscription's locked price (C-1, C-2).
func (s *Subscription) charge(ev *Event, typ string, qty int, from time.Time, p Period) {
	if s.IsTrial || !s.HasTerm() {
		return
	}
	from = Day(from)
	billable := Prorate(qty, DaysInclusive(from, p.End), p.NominalDays())
	ev.Charges = append(ev.Charges, Charge{
		SubscriptionID: s.ID, PartnerID: partnerOf(s), TenantID: s.TenantID, OrderID: s.OrderID,
		ResellerMpnID: s.ResellerMpnID, ProductID: s.ProductID, SkuID: s.SkuID, AvailabilityID: s.AvailabilityID,
		ProductName: s.ProductName, SkuName: s.OfferName, PartnerService: s.PartnerService, ChargeType: typ, Quantity: qty,
		BillableQuantity: billable, UnitPrice: s.UnitPrice, EffectiveUnitPrice: s.UnitPrice,
		Subtotal: Subtotal(s.UnitPrice, decimal.NewFromInt(1), billable), Currency: s.Currency,
		ChargeStart: from, ChargeEnd: p.End, SubscriptionStart: s.TermStart, SubscriptionEnd: s.TermEnd,
		TermAndBilling: s.TermDuration + ":" + s.BillingCycle, PostedAt: ev.Date,
	})
}

func partnerOf(s *Subscription) uuid.UUID {
	if s.PartnerID == nil {
		return uuid.Nil
	}
	return *s.PartnerID
}

// Purchase starts a new subscription's first term at now: the term, its
// window, its first seat lot and the `new` charge for the first period.
// customEnd, if set, is the term's last day (R-4, checked by the caller).
func (s *Subscription) Purchase(now time.Time, customEnd *time.Time) *Event {
	s.Status, s.StatusSince, s.CreatedAt = StatusActive, now, now
	s.startTerm(now, customEnd)
	ev := newEvent(EvPurchased, now, map[string]any{"quantity": s.Quantity, "termDuration": s.TermDuration,
		"billingCycle": s.BillingCycle, "unitPrice": s.UnitPrice.StringFixed(2), "commitmentEndDate": s.TermEnd.Format(time.DateOnly)})
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
	if !s.Cancellable(now) {
		return nil, Errorf(ECancelWindowClosed,
			"subscription %s can no longer be cancelled: its cancellation window closed at %s (168 hours after the purchase or renewal, commerce rule R-11). Turn auto-renew off to end it at %s",
			s.ID, s.CancellationAllowedUntil().Format(time.RFC3339), s.TermEnd.Format(time.DateOnly))
	}
	ev := newEvent(EvCancelled, now, map[string]any{"status": [2]string{s.Status, StatusDeleted}})
	s.charge(ev, ChargeCancelImmediate, -s.Quantity, now, s.PeriodAt(now))
	s.Status, s.StatusSince, s.AutoRenew, s.Scheduled, s.Lots = StatusDeleted, now, false, nil, nil
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
	ev := newEvent(EvQuantityChanged, now, map[string]any{"quantity": [2]int{before, q}})
	p := s.PeriodAt(now)
	if q > before {
		add := q - before
		s.Lots = append(s.Lots, SeatLot{Quantity: add, AddedAt: now, AllowedUntil: now.Add(CancellationWindow)})
		s.charge(ev, ChargeAddQuantity, add, now, p)
		s.Quantity = q
		return ev, nil
	}
	remove := before - q
	if r := s.RefundableQuantity(now); remove > r {
		return nil, Errorf(EDecreaseOutsideWindow,
			"subscription %s can lose at most %d seat(s) now, not %d: seats can be removed only within 168 hours of the purchase, increase or renewal that added them (commerce rule R-13). Schedule fewer seats for the next term with scheduledNextTermInstructions",
			s.ID, r, remove).WithData(fmt.Sprintf("refundableQuantity=%d", r))
	}
	s.takeLots(now, remove)
	s.charge(ev, ChargeRemoveQuantity, -remove, now, p)
	s.Quantity = q
	return ev, nil
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
	if s.IsTrial && on {
		return nil, Errorf(ETrialNoAutoRenew, "subscription %s is a trial: trials do not renew; convert it to a paid subscription instead (R-26)", s.ID)
	}
	if s.AutoRenew == on {
		return nil, nil
	}
	ev := newEvent(EvAutoRenewChanged, now, map[string]any{"autoRenewEnabled": [2]bool{s.AutoRenew, on}})
	s.AutoRenew = on
	if !on && s.Scheduled != nil {
		ev.Changes["scheduledNextTermInstructions"] = "cleared"
		s.Scheduled = nil
	}
	return ev, nil
}

// Suspend blocks access; billing continues and the term is unchanged.
func (s *Subscription) Suspend(now time.Time) (*Event, error) {
	if s.Status != StatusActive {
		return nil, Errorf(ESubscriptionNotActive, "subscription %s is %s: only an active subscription can be suspended", s.ID, s.Status)
	}
	s.Status, s.StatusSince = StatusSuspended, now
	return newEvent(EvSuspended, now, map[string]any{"status": [2]string{StatusActive, StatusSuspended}}), nil
}

// Reactivate restores a suspended subscription before its term ends.
func (s *Subscription) Reactivate(now time.Time) (*Event, error) {
	if s.Status != StatusSuspended {
		return nil, Errorf(ESubscriptionNotSuspended, "subscription %s is %s: only a suspended subscription can be reactivated", s.ID, s.Status)
	}
	s.Status, s.StatusSince = StatusActive, now
	return newEvent(EvReactivated, now, map[string]any{"status": [2]string{StatusSuspended, StatusActive}}), nil
}

// Renewal is what a renewal needs from the catalog: the offer and term of
// the next term (the current ones, or the scheduled ones) and its price on
// the renewal day. Found is false when the offer is no longer sold.
type Renewal struct {
	Found                            bool
	ProductID, SkuID, AvailabilityID string
	ProductName, OfferName           string
	TermDuration, BillingCycle       string
	Quantity                         int
	UnitPrice                        decimal.Decimal
	CustomTermEnd                    *time.Time
}

// Pricer answers the renewal terms of s on day.
type Pricer func(s *Subscription, day time.Time) Renewal

// Due reports whether time-driven work is due at or before t.
func (s *Subscription) Due(t time.Time) bool { return s.NextEventAt != nil && !s.NextEventAt.After(t) }

// Advance does the one piece of time-driven work due at NextEventAt: a
// cycle charge, the term's end (renewal, expiry, or disabling a suspended
// subscription), or the next move of the expiry chain.
func (s *Subscription) Advance(price Pricer) *Event {
	if s.NextEventAt == nil {
		return nil
	}
	at := *s.NextEventAt
	switch s.Status {
	case StatusExpired:
		s.Status, s.StatusSince = StatusDisabled, at
		s.scheduleNext(at)
		return newEvent(EvDisabled, at, map[string]any{"status": [2]string{StatusExpired, StatusDisabled}})
	case StatusDisabled:
		s.Status, s.StatusSince = StatusDeleted, at
		s.scheduleNext(at)
		return newEvent(EvDeleted, at, map[string]any{"status": [2]string{StatusDisabled, StatusDeleted}})
	case StatusActive, StatusSuspended:
	default:
		s.NextEventAt = nil
		return nil
	}
	if !at.After(s.TermEnd) {
		ev := newEvent(EvCycleCharged, at, map[string]any{"quantity": s.Quantity})
		s.charge(ev, ChargeCycle, s.Quantity, at, s.PeriodAt(at))
		s.scheduleNext(at)
		return ev
	}
	// The term is over.
	switch {
	case s.Status == StatusSuspended:
		s.Status, s.StatusSince, s.Scheduled = StatusDisabled, at, nil
		s.scheduleNext(at)
		return newEvent(EvDisabled, at, map[string]any{"status": [2]string{StatusSuspended, StatusDisabled}, "reason": "suspended at term end (R-20)"})
	case s.AutoRenew:
		r := price(s, at)
		if r.Found {
			return s.renew(at, r)
		}
		s.Status, s.StatusSince, s.Scheduled = StatusExpired, at, nil
		s.scheduleNext(at)
		return newEvent(EvExpired, at, map[string]any{"status": [2]string{StatusActive, StatusExpired}, "reason": "the offer or its price is no longer in the catalog"})
	default:
		s.Status, s.StatusSince = StatusExpired, at
		s.scheduleNext(at)
		return newEvent(EvExpired, at, map[string]any{"status": [2]string{StatusActive, StatusExpired}})
	}
}

func (s *Subscription) renew(at time.Time, r Renewal) *Event {
	changes := map[string]any{"commitmentEndDate": [2]string{s.TermEnd.Format(time.DateOnly), ""}}
	diff := func(k string, old, new any) {
		if old != new {
			changes[k] = [2]any{old, new}
		}
	}
	diff("quantity", s.Quantity, r.Quantity)
	diff("offerId", s.OfferID(), r.ProductID+":"+r.SkuID)
	diff("termDuration", s.TermDuration, r.TermDuration)
	diff("billingCycle", s.BillingCycle, r.BillingCycle)
	diff("unitPrice", s.UnitPrice.StringFixed(2), r.UnitPrice.StringFixed(2))
	s.ProductID, s.SkuID, s.AvailabilityID = r.ProductID, r.SkuID, r.AvailabilityID
	s.ProductName, s.OfferName = r.ProductName, r.OfferName
	s.TermDuration, s.BillingCycle, s.Quantity, s.UnitPrice = r.TermDuration, r.BillingCycle, r.Quantity, r.UnitPrice
	s.Scheduled = nil
	s.startTerm(at, r.CustomTermEnd)
	changes["commitmentEndDate"] = [2]string{changes["commitmentEndDate"].([2]string)[0], s.TermEnd.Format(time.DateOnly)}
	ev := newEvent(EvRenewed, at, changes)
	s.charge(ev, ChargeRenew, s.Quantity, at, s.PeriodAt(at))
	s.scheduleNext(at)
	return ev
}

// Schedule sets the changes the next term starts with: quantity,
// term, billing plan and SKU. The target must be the same SKU, another SKU
// of the same product, or an SKU on an upgrade path from or to the current
// one; its term must be sold, and its quantity within the SKU's limits.
// target is the catalog item the instructions name.
func (s *Subscription) Schedule(now time.Time, nt NextTerm, target Item, current *Sku) (*Event, error) {
	if s.Status != StatusActive && s.Status != StatusSuspended {
		return nil, Errorf(ESubscriptionNotActive, "subscription %s is %s: only a running subscription can schedule its next term", s.ID, s.Status)
	}
	if s.IsTrial || !s.HasTerm() {
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
		return nil, Errorf(EInvalidScheduledChange, "customTermEndDate in scheduled instructions is not supported yet: leave it out")
	}
	nt.ProductID, nt.SkuID, nt.AvailabilityID = target.Product.ID, target.Sku.ID, target.Availability.ID
	ev := newEvent(EvScheduledSet, now, map[string]any{"scheduledNextTermInstructions": nt})
	s.Scheduled = &nt
	return ev, nil
}

// ClearSchedule drops scheduled changes.
func (s *Subscription) ClearSchedule(now time.Time) *Event {
	if s.Scheduled == nil {
		return nil
	}
	s.Scheduled = nil
	return newEvent(EvScheduledCleared, now, map[string]any{"scheduledNextTermInstructions": nil})
}
