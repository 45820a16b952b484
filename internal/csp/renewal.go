package csp

import (
	"time"

	"github.com/google/uuid"
)

// Renewal is what a renewal needs from the catalog: the offer and term of
// the next term (the current ones, or the scheduled ones) and its price on
// the renewal day. Found is false when the offer is no longer sold.
type Renewal struct {
	Found                            bool
	ProductID, SkuID, AvailabilityID string
	ProductName, OfferName           string
	TermDuration, BillingCycle       string
	Quantity                         int
	UnitPrice                        Money
	CustomTermEnd                    *time.Time
	// PromotionID is the promotion kept for the new term ("" when none):
	// UnitPrice is then its discount of ListPrice.
	PromotionID string
	ListPrice   Money
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
		return newEvent(EvDisabled, at, Changes{Status: Changed(StatusExpired, StatusDisabled)})
	case StatusDisabled:
		if s.disabledAtTermEnd() { // 30 days locked out, now the 90-day disabled state
			s.StatusSince = at
			s.scheduleNext(at)
			return newEvent(EvDisabled, at, Changes{Reason: "30 days after a suspended term's end: 90 days disabled, then deleted (R-20)"})
		}
		s.Status, s.StatusSince = StatusDeleted, at
		s.scheduleNext(at)
		return newEvent(EvDeleted, at, Changes{Status: Changed(StatusDisabled, StatusDeleted)})
	case StatusActive, StatusSuspended:
	default:
		s.NextEventAt = nil
		return nil
	}
	if !at.After(s.TermEnd) {
		if s.NextCharge != nil { // a pending billing plan change starts with this period (R-2a)
			return s.switchBillingPlan(at)
		}
		ev := newEvent(EvCycleCharged, at, Changes{Quantity: Stated(s.Quantity)})
		s.charge(ev, ChargeCycle, s.Quantity, at, s.PeriodAt(at))
		s.scheduleNext(at)
		return ev
	}
	// The term is over.
	switch {
	case s.Status == StatusSuspended:
		s.Status, s.StatusSince, s.Scheduled = StatusDisabled, at, nil
		s.scheduleNext(at)
		return newEvent(EvDisabled, at, Changes{Status: Changed(StatusSuspended, StatusDisabled), Reason: "suspended at term end (R-20)"})
	case s.AutoRenew && s.IsTrial && s.Scheduled == nil:
		s.Status, s.StatusSince = StatusExpired, at
		s.scheduleNext(at)
		return newEvent(EvExpired, at, Changes{Status: Changed(StatusActive, StatusExpired), Reason: "the trial has no conversion instructions"})
	case s.AutoRenew:
		r := price(s, at)
		if r.Found && s.IsTrial { // the trial converts per its instructions
			o := offer{ProductID: r.ProductID, SkuID: r.SkuID, AvailabilityID: r.AvailabilityID, ProductName: r.ProductName, OfferName: r.OfferName, Price: r.UnitPrice}
			return s.convertTrial(at, o, Term{Duration: r.TermDuration, BillingCycle: r.BillingCycle}, r.Quantity, uuid.Nil)
		}
		if r.Found {
			return s.renew(at, r)
		}
		s.Status, s.StatusSince, s.Scheduled = StatusExpired, at, nil
		s.scheduleNext(at)
		return newEvent(EvExpired, at, Changes{Status: Changed(StatusActive, StatusExpired), Reason: "the offer or its price is no longer in the catalog"})
	default:
		s.Status, s.StatusSince = StatusExpired, at
		s.scheduleNext(at)
		return newEvent(EvExpired, at, Changes{Status: Changed(StatusActive, StatusExpired)})
	}
}

func (s *Subscription) renew(at time.Time, r Renewal) *Event {
	oldEnd := s.TermEnd.Format(time.DateOnly)
	changes := Changes{
		Quantity:     diff(s.Quantity, r.Quantity),
		OfferID:      diff(s.OfferID(), r.ProductID+":"+r.SkuID),
		TermDuration: diff(s.TermDuration, r.TermDuration),
		BillingCycle: diff(s.BillingCycle, r.BillingCycle),
		UnitPrice:    diff(s.UnitPrice.Amount.StringFixed(2), r.UnitPrice.Amount.StringFixed(2)),
		PromotionID:  diff(s.PromotionID, r.PromotionID),
	}
	s.ProductID, s.SkuID, s.AvailabilityID = r.ProductID, r.SkuID, r.AvailabilityID
	s.ProductName, s.OfferName = r.ProductName, r.OfferName
	s.TermDuration, s.BillingCycle, s.Quantity, s.UnitPrice = r.TermDuration, r.BillingCycle, r.Quantity, r.UnitPrice
	s.PromotionID, s.ListPrice = r.PromotionID, r.ListPrice
	s.Scheduled = nil
	s.startTerm(at, r.CustomTermEnd)
	changes.CommitmentEnd = Changed(oldEnd, s.TermEnd.Format(time.DateOnly))
	ev := newEvent(EvRenewed, at, changes)
	s.charge(ev, ChargeRenew, s.Quantity, at, s.PeriodAt(at))
	s.scheduleNext(at)
	return ev
}
