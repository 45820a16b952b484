package csp

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Partner Center's TransitionErrorCode names (partner-center-api.md §8).
const (
	TransitionStatusNotActive   = "subscriptionStatusNotActive"
	TransitionNoPaths           = "subscriptionDoesNotHaveAnyTransitionedPaths"
	TransitionTargetNotFound    = "subscriptionTargetOfferNotFound"
	TransitionBillingCycle      = "offerDoesNotSupportBillingCycle"
	TransitionConflictingTypes  = "conflictingServiceTypes"
	TransitionConversionMissing = "conversionsNotFound"
	TransitionOther             = "other"
)

// Transition types.
const (
	TransitionOnly                = "transition_only"
	TransitionWithLicenseTransfer = "transition_with_license_transfer"
)

// TransitionTarget is a proposed upgrade or trial conversion
// of a subscription.
type TransitionTarget struct {
	Item     Item
	Term     Term
	Price    Money // the target's current list price for Term
	Quantity int
	// Into is an existing active subscription of the target offer that the
	// seats merge into; nil makes a new subscription, named NewID.
	Into  *Subscription
	NewID uuid.UUID
	// OperationID names the transition in both subscriptions' histories.
	OperationID uuid.UUID
	// At is when the transition happens (an existing destination must be
	// outside its own cancellation window then, R-17b).
	At time.Time
}

// TransitionProblem is one reason a transition is not allowed, with
// Partner Center's TransitionErrorCode name.
type TransitionProblem struct {
	Code        string
	Description string
}

// TransitionProblems checks a transition without doing it: an active,
// licence-based source; a target on the source SKU's upgrade paths (or the
// trial's paid offer); a term no shorter, and the same billing plan within
// the same term (the plan changes only at renewal, R-2); a quantity within
// the source's seats; and, when merging, a target subscription of that
// offer on the same term and end date.
func (s *Subscription) TransitionProblems(src *Sku, t TransitionTarget) []TransitionProblem {
	var out []TransitionProblem
	bad := func(code, format string, args ...any) {
		out = append(out, TransitionProblem{Code: code, Description: fmt.Sprintf(format, args...)})
	}
	target := t.Item.Product.ID + ":" + t.Item.Sku.ID
	if s.Status != StatusActive {
		bad(TransitionStatusNotActive, "subscription %s is %s: only an active subscription can be upgraded (R-16)", s.ID, s.Status)
	}
	if !s.HasTerm() {
		bad(TransitionConflictingTypes, "subscription %s is usage-based and has no upgrade paths", s.ID)
	}
	switch {
	case src == nil:
		bad(TransitionNoPaths, "offer %s is no longer in the catalog", s.OfferID())
	case s.IsTrial && !strings.EqualFold(src.ConvertsTo, target):
		bad(TransitionConversionMissing, "trial %s converts only to %s, not %s (R-26)", s.OfferID(), src.ConvertsTo, target)
	case !s.IsTrial && len(src.UpgradeTargets) == 0:
		bad(TransitionNoPaths, "offer %s has no upgrade paths", s.OfferID())
	case !s.IsTrial && !slices.ContainsFunc(src.UpgradeTargets, func(x string) bool { return strings.EqualFold(x, target) }):
		bad(TransitionTargetNotFound, "%s is not an upgrade of %s: its targets are %v; downgrades wait for the renewal (R-15, R-16)", target, s.OfferID(), src.UpgradeTargets)
	}
	if t.Item.Sku.IsTrial {
		bad(TransitionTargetNotFound, "%s is a trial and cannot be a target", target)
	}
	if !s.IsTrial && s.HasTerm() {
		switch {
		case TermMonths(t.Term.Duration) < TermMonths(s.TermDuration):
			bad(TransitionBillingCycle, "term %s is shorter than the subscription's %s: a shorter term waits for the renewal (R-15)", t.Term.Duration, s.TermDuration)
		case t.Term.Duration == s.TermDuration && t.Term.BillingCycle != s.BillingCycle:
			bad(TransitionBillingCycle, "billing cycle %s differs from the subscription's %s: the billing plan changes only at renewal (R-2)", t.Term.BillingCycle, s.BillingCycle)
		}
	}
	switch {
	case s.IsTrial && t.Quantity < s.Quantity:
		bad(TransitionOther, "a trial converts with at least its %d seats, not %d (R-26)", s.Quantity, t.Quantity)
	case s.IsTrial && t.Quantity > t.Item.Sku.MaximumQuantity:
		bad(TransitionOther, "quantity %d is above the maximum of %d seats of %s", t.Quantity, t.Item.Sku.MaximumQuantity, target)
	case !s.IsTrial && (t.Quantity < 1 || t.Quantity > s.Quantity):
		bad(TransitionOther, "quantity %d must be between 1 and the subscription's %d seats", t.Quantity, s.Quantity)
	}
	if in := t.Into; in != nil {
		if !strings.EqualFold(in.OfferID(), target) || in.TenantID != s.TenantID {
			bad(TransitionTargetNotFound, "subscription %s is not a %s subscription of the same customer", in.ID, target)
		}
		for _, p := range s.DestinationProblems(in, t.At) {
			bad(TransitionOther, "%s (commerce rule R-17b, condition %d)", p.Description, p.Code)
		}
		if in.Quantity+t.Quantity > t.Item.Sku.MaximumQuantity {
			bad(TransitionOther, "%d seats would exceed the maximum of %d on subscription %s", in.Quantity+t.Quantity, t.Item.Sku.MaximumQuantity, in.ID)
		}
	}
	return out
}

// Transition moves seats from s to the target at now. The source
// gets a credit line for the moved seats to the end of its period and ends
// when all its seats move; a new target inherits the term, billing plan
// and end date at the target's current price and is charged to the end of
// the period, unless its term is longer, when it starts a full new term;
// an existing target is charged the moved seats at its locked price to the
// end of its own period. The lines are `convert` (new target) or
// `moveQuantity` (existing one) on both sides, with one referenceId.
// A trial converts by starting a paid term, its own line at $0. The
// caller checks TransitionProblems first. It answers the target and both
// events.
func (s *Subscription) Transition(now time.Time, t TransitionTarget) (target *Subscription, srcEv, tgtEv *Event) {
	if t.Into == nil && s.IsTrial {
		return s, s.convertTrial(now, offerOf(t), t.Term, t.Quantity, t.OperationID), nil
	}
	if t.Into == nil && t.Quantity == s.Quantity && t.Term.Duration == s.TermDuration {
		return s, s.upgradeInPlace(now, t), nil
	}
	target = t.Into
	targetOffer := t.Item.Product.ID + ":" + t.Item.Sku.ID
	evType := EvUpgradedTo
	if s.IsTrial {
		evType = EvTrialConverted
	}
	// Both sides' lines are `convert` for a new target and `moveQuantity`
	// into an existing one, tied by the operation's id.
	lineType := ChargeConvert
	srcEv = newEvent(evType, now, Changes{To: targetOffer, MovedQuantity: &t.Quantity})
	if target != nil {
		lineType = ChargeMoveQuantity
		before := target.Quantity
		tgtEv = newEvent(EvUpgradedFrom, now, Changes{Quantity: Changed(before, before+t.Quantity), From: s.OfferID()})
		// Moved seats open no cancellation window (R-17b): no seat lot.
		target.Quantity += t.Quantity
		target.line(tgtEv, lineType, t.Quantity, t.Quantity, false, now, target.PeriodAt(now), target.UnitPrice)
		target.dropSchedule(tgtEv) // a mid-term seat change
	} else {
		target = &Subscription{ID: t.NewID, TenantID: s.TenantID, PartnerID: s.PartnerID, Channel: s.Channel, ResellerMpnID: s.ResellerMpnID,
			PartnerService: t.Item.Product.PartnerID != nil,
			ProductID:      t.Item.Product.ID, SkuID: t.Item.Sku.ID, AvailabilityID: t.Item.Availability.ID, ProductName: t.Item.Product.Title,
			OfferName: t.Item.Sku.Title, FriendlyName: t.Item.Sku.Title, UnitType: t.Item.Sku.UnitType, Quantity: t.Quantity, AutoRenew: true,
			TermDuration: t.Term.Duration, BillingCycle: t.Term.BillingCycle, UnitPrice: t.Price}
		if s.IsTrial || t.Term.Duration != s.TermDuration {
			tgtEv = target.Purchase(now, nil)
			for i := range tgtEv.Charges {
				tgtEv.Charges[i].ChargeType = lineType
			}
		} else {
			// Co-terminous: the source's term, cycles and window (no new
			// cancellation window for upgraded seats).
			target.AutoRenew = s.AutoRenew
			target.Status, target.StatusSince, target.CreatedAt = StatusActive, now, now
			target.TermStartedAt, target.TermStart, target.TermEnd = s.TermStartedAt, s.TermStart, s.TermEnd
			tgtEv = newEvent(EvPurchased, now, target.purchaseChanges(t.Quantity))
			target.line(tgtEv, lineType, t.Quantity, t.Quantity, false, now, target.PeriodAt(now), target.UnitPrice)
			target.scheduleNext(now)
		}
		tgtEv.Type = EvUpgradedFrom
		tgtEv.Changes.From = s.OfferID()
	}
	srcEv.Changes.ToSubscriptionID = &target.ID
	srcEv.Changes.OperationID, tgtEv.Changes.OperationID = &t.OperationID, &t.OperationID
	if s.IsTrial {
		// The trial's $0 line covers the paid subscription's first period.
		s.line(srcEv, lineType, t.Quantity, t.Quantity, false, now, target.PeriodAt(now), ZeroMoney(s.UnitPrice.Currency))
	} else {
		s.line(srcEv, lineType, t.Quantity, t.Quantity, true, now, s.PeriodAt(now), s.UnitPrice)
	}
	for _, ev := range []*Event{srcEv, tgtEv} {
		for i := range ev.Charges {
			ev.Charges[i].ReferenceID = t.OperationID
		}
	}
	if t.Quantity == s.Quantity {
		srcEv.Changes.Status = Changed(s.Status, StatusDeleted)
		s.Status, s.StatusSince, s.AutoRenew, s.Scheduled, s.Lots = StatusDeleted, now, false, nil, nil
		s.NextCharge = nil
		s.scheduleNext(now)
		return target, srcEv, tgtEv
	}
	s.takeLots(now, t.Quantity)
	s.dropSchedule(srcEv) // a mid-term upgrade clears them
	s.Quantity -= t.Quantity
	srcEv.Changes.Quantity = Changed(s.Quantity+t.Quantity, s.Quantity)
	return target, srcEv, tgtEv
}

// offer is what a subscription switches to in an upgrade or conversion.
type offer struct {
	ProductID, SkuID, AvailabilityID string
	ProductName, OfferName, UnitType string
	Price                            Money
}

func offerOf(t TransitionTarget) offer {
	return offer{ProductID: t.Item.Product.ID, SkuID: t.Item.Sku.ID, AvailabilityID: t.Item.Availability.ID, ProductName: t.Item.Product.Title,
		OfferName: t.Item.Sku.Title, UnitType: t.Item.Sku.UnitType, Price: t.Price}
}

// switchOffer moves s to o, at o's price (locked for the term, R-8); the
// friendly name follows when it was the old SKU's title.
func (s *Subscription) switchOffer(o offer) {
	if s.FriendlyName == s.OfferName {
		s.FriendlyName = o.OfferName
	}
	s.ProductID, s.SkuID, s.AvailabilityID, s.ProductName, s.OfferName, s.UnitPrice = o.ProductID, o.SkuID, o.AvailabilityID, o.ProductName, o.OfferName, o.Price
	// The old offer's promotion does not follow (R-26: none applies to a
	// conversion; an upgrade is priced at the target's list price).
	s.PromotionID, s.ListPrice = "", Money{}
	if o.UnitType != "" {
		s.UnitType = o.UnitType
	}
}

// upgradeInPlace is a full upgrade to a new subscription: the
// subscription keeps its id, term dates, billing plan and seats and
// switches to the target offer at its current price. Two convert lines
// over the rest of the current period, one referenceId: the old offer's
// seats credited and the new one's charged. Upgraded seats open no window
// and stop being refundable (R-17b); scheduled changes are cleared.
func (s *Subscription) upgradeInPlace(now time.Time, t TransitionTarget) *Event {
	q, p := s.Quantity, s.PeriodAt(now)
	to := offerOf(t)
	ev := newEvent(EvUpgradedTo, now, Changes{To: to.ProductID + ":" + to.SkuID, From: s.OfferID(), MovedQuantity: &q, OperationID: &t.OperationID,
		OfferID: Changed(s.OfferID(), to.ProductID+":"+to.SkuID), UnitPrice: diff(s.UnitPrice.Amount.StringFixed(2), to.Price.Amount.StringFixed(2))})
	ev.Changes.ToSubscriptionID = &s.ID
	s.line(ev, ChargeConvert, q, q, true, now, p, s.UnitPrice)
	s.switchOffer(to)
	s.line(ev, ChargeConvert, q, q, false, now, p, s.UnitPrice)
	for i := range ev.Charges {
		ev.Charges[i].ReferenceID = t.OperationID
	}
	s.Lots = nil
	s.dropSchedule(ev)
	return ev
}

// convertTrial turns a trial into its paid subscription, keeping its id
// (R-26, our default): seats seats of offer o on term from at, with a new
// term and its normal cancellation window, auto-renew on and no scheduled
// changes. The trial's $0 line and the paid line are both `convert`, over
// the first paid period, tied by ref.
func (s *Subscription) convertTrial(at time.Time, o offer, term Term, seats int, ref uuid.UUID) *Event {
	trial := *s
	ev := newEvent(EvTrialConverted, at, Changes{From: s.OfferID(), To: o.ProductID + ":" + o.SkuID, MovedQuantity: &seats,
		OfferID: Changed(s.OfferID(), o.ProductID+":"+o.SkuID), Quantity: diff(s.Quantity, seats), TermDuration: diff(s.TermDuration, term.Duration),
		BillingCycle: diff(s.BillingCycle, term.BillingCycle), UnitPrice: diff(s.UnitPrice.Amount.StringFixed(2), o.Price.Amount.StringFixed(2))})
	if ref != uuid.Nil {
		ev.Changes.OperationID, ev.Changes.ToSubscriptionID = &ref, &s.ID
	}
	s.switchOffer(o)
	s.IsTrial, s.Quantity, s.TermDuration, s.BillingCycle, s.AutoRenew = false, seats, term.Duration, term.BillingCycle, true
	s.dropSchedule(ev)
	s.startTerm(at, nil)
	ev.Changes.CommitmentEnd = Changed(trial.TermEnd.Format(time.DateOnly), s.TermEnd.Format(time.DateOnly))
	p := s.PeriodAt(at)
	trial.line(ev, ChargeConvert, trial.Quantity, trial.Quantity, false, at, p, trial.UnitPrice)
	s.line(ev, ChargeConvert, seats, seats, false, at, p, s.UnitPrice)
	if ref != uuid.Nil {
		for i := range ev.Charges {
			ev.Charges[i].ReferenceID = ref
		}
	}
	s.scheduleNext(at)
	return ev
}
