package csp

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// ChargeType is a ledger line's chargeType, in Partner Center's
// reconciliation spelling.
type ChargeType string

// Charge types (commerce-rules R-43).
const (
	ChargeNew             ChargeType = "new"
	ChargeCycle           ChargeType = "cycleCharge"
	ChargeAddQuantity     ChargeType = "addQuantity"
	ChargeRemoveQuantity  ChargeType = "removeQuantity"
	ChargeCancelImmediate ChargeType = "cancelImmediate"
	ChargeRenew           ChargeType = "renew"
	// ChargeConvert is both lines of an upgrade to a new subscription and
	// of a trial's conversion; ChargeMoveQuantity both lines of an upgrade
	// into an existing subscription.
	ChargeConvert      ChargeType = "convert"
	ChargeMoveQuantity ChargeType = "moveQuantity"
	// ChargeChangeBillingPlan is the first charge period of a P3Y term
	// under its new billing plan (R-2a).
	ChargeChangeBillingPlan ChargeType = "changeBillingPlan"
)

// QualifierTrial marks a trial's lines (productQualifiers).
const QualifierTrial = "Trial"

// Charge is one line of the ledger, in the shape of Partner Center's
// new-commerce reconciliation line items (C-2): BillableQuantity is a
// whole number of seats, and the proration and the sign are in
// EffectiveUnitPrice, negative on credit lines, as is the subtotal.
// Quantity is informational: the seats the event bought or changed.
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

	ChargeType         ChargeType
	Quantity           int
	BillableQuantity   decimal.Decimal
	UnitPrice          Money
	EffectiveUnitPrice Money
	Subtotal           Money
	ChargeStart        time.Time // first charged day
	ChargeEnd          time.Time // last charged day, inclusive
	SubscriptionStart  time.Time // the term the charge belongs to
	SubscriptionEnd    time.Time
	TermAndBilling     string // "P1Y:annual"
	PostedAt           time.Time
	// ReferenceID ties the lines of one change together: its event's id,
	// or the operation's for the two subscriptions of an upgrade.
	ReferenceID       uuid.UUID
	ProductQualifiers []string // ["Trial"] on a trial's lines
	// PromotionID is the subscription's promotion when the line was made;
	// UnitPrice is then the list price and EffectiveUnitPrice prorates the
	// discounted one (C-2, R-27).
	PromotionID string
}

// Event is one entry of a subscription's history, with the charges it wrote.
type Event struct {
	ID      uuid.UUID
	Type    EventType
	Date    time.Time
	Changes Changes
	Charges []Charge
}

// EventType names what happened in a subscription's history.
type EventType string

// Event types of a subscription's history.
const (
	EvPurchased        EventType = "purchased"
	EvCycleCharged     EventType = "cycleCharged"
	EvRenewed          EventType = "renewed"
	EvQuantityChanged  EventType = "quantityChanged"
	EvCancelled        EventType = "cancelled"
	EvAutoRenewChanged EventType = "autoRenewChanged"
	EvScheduledSet     EventType = "scheduledChangeSet"
	EvScheduledCleared EventType = "scheduledChangeCleared"
	EvSuspended        EventType = "suspended"
	EvReactivated      EventType = "reactivated"
	EvExpired          EventType = "expired"
	EvDisabled         EventType = "disabled"
	EvDeleted          EventType = "deleted"
	EvFriendlyNameSet  EventType = "friendlyNameChanged"
	EvUpgradedFrom     EventType = "upgradedFrom"
	EvUpgradedTo       EventType = "upgradedTo"
	EvTrialConverted   EventType = "trialConverted"
	// Mid-term plan changes (R-2a, R-2b).
	EvTermLengthened           EventType = "termLengthened"
	EvBillingPlanChangeSet     EventType = "billingPlanChangeSet"
	EvBillingPlanChangeCleared EventType = "billingPlanChangeCleared"
	EvBillingPlanChanged       EventType = "billingPlanChanged"
	// A transfer between partners: seats leave the source's
	// subscription and start the target's new one.
	EvTransferredOut EventType = "transferredOut"
	EvTransferredIn  EventType = "transferredIn"
)

// OnlyReschedules reports whether an event of this type, recorded by
// Subscription.Advance, leaves the subscription as it was but for its next
// event: a cycle charge bills the period that starts and schedules the next
// one. The scheduler then writes only the new due time.
func (t EventType) OnlyReschedules() bool { return t == EvCycleCharged }

// SetIDs names an event and its charges with ids from next, the charges
// pointing at their event. The recorder calls it before storing them.
func (ev *Event) SetIDs(next func() uuid.UUID) {
	ev.ID = next()
	for i := range ev.Charges {
		ev.Charges[i].ID, ev.Charges[i].EventID = next(), ev.ID
		if ev.Charges[i].ReferenceID == uuid.Nil {
			ev.Charges[i].ReferenceID = ev.ID
		}
	}
}

func newEvent(typ EventType, at time.Time, changes Changes) *Event {
	// The event and its charges get their ids when they are recorded
	// (Event.SetIDs): the rules make none.
	return &Event{Type: typ, Date: at, Changes: changes}
}

// line appends one seat line to ev: seats whole seats at price × d/D
// for the days from `from` to the end of period p (C-2; D is the full
// period's days), negative when credit; qty is the seats the event bought
// or changed. A line at the subscription's locked price shows its list
// price as unitPrice (C-2: p is the price after any promotion). Usage-based
// subscriptions have no seat lines.
func (s *Subscription) line(ev *Event, typ ChargeType, qty, seats int, credit bool, from time.Time, p Period, price Money) {
	s.prorated(ev, typ, qty, seats, credit, from, p, price, DaysInclusive(from, p.End), p.NominalDays())
}

// prorated is line at price × n/of, whatever n and of count: days (C-2)
// or, for a billing plan change, monthly cycles (R-2a).
func (s *Subscription) prorated(ev *Event, typ ChargeType, qty, seats int, credit bool, from time.Time, p Period, price Money, n, of int) {
	if !s.HasTerm() {
		return
	}
	from = Day(from)
	if s.IsTrial { // a trial's lines are $0
		price = ZeroMoney(price.Currency)
	}
	eup := ProratePrice(price.Amount, n, of)
	if credit {
		eup = eup.Neg()
	}
	bq := decimal.NewFromInt(int64(seats))
	unit, promo := price, ""
	if s.PromotionID != "" && price.Currency == s.UnitPrice.Currency && price.Amount.Equal(s.UnitPrice.Amount) {
		unit, promo = s.ListPrice, s.PromotionID
	}
	c := Charge{
		SubscriptionID: s.ID, PartnerID: partnerOf(s), TenantID: s.TenantID, OrderID: s.OrderID,
		ResellerMpnID: s.ResellerMpnID, ProductID: s.ProductID, SkuID: s.SkuID, AvailabilityID: s.AvailabilityID,
		ProductName: s.ProductName, SkuName: s.OfferName, PartnerService: s.PartnerService, ChargeType: typ, Quantity: qty,
		BillableQuantity: bq, UnitPrice: unit, EffectiveUnitPrice: NewMoney(eup, price.Currency), PromotionID: promo,
		Subtotal:    NewMoney(Subtotal(eup, decimal.NewFromInt(1), bq), price.Currency),
		ChargeStart: from, ChargeEnd: p.End, SubscriptionStart: s.TermStart, SubscriptionEnd: s.TermEnd,
		TermAndBilling: s.TermDuration + ":" + s.BillingCycle, PostedAt: ev.Date,
	}
	if s.IsTrial {
		c.ProductQualifiers = []string{QualifierTrial}
	}
	ev.Charges = append(ev.Charges, c)
}

// charge appends a full line at the subscription's price: seats seats
// from `from` to the end of p (new, renew, cycleCharge).
func (s *Subscription) charge(ev *Event, typ ChargeType, seats int, from time.Time, p Period) {
	s.line(ev, typ, seats, seats, false, from, p, s.UnitPrice)
}

// pair appends a seat change's two lines (C-2): the old seats credited
// and the new seats charged, from the change day to the end of the
// period, both at the subscription's price.
func (s *Subscription) pair(ev *Event, typ ChargeType, before, after int, now time.Time, p Period) {
	changed := max(before-after, after-before)
	s.line(ev, typ, changed, before, true, now, p, s.UnitPrice)
	s.line(ev, typ, changed, after, false, now, p, s.UnitPrice)
}

func partnerOf(s *Subscription) uuid.UUID {
	if s.PartnerID == nil {
		return uuid.Nil
	}
	return *s.PartnerID
}
