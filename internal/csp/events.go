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
	}
}

func newEvent(typ EventType, at time.Time, changes Changes) *Event {
	// The event and its charges get their ids when they are recorded
	// (Event.SetIDs): the rules make none.
	return &Event{Type: typ, Date: at, Changes: changes}
}

// charge prorates qty seats from day `from` to the end of period p at the
// subscription's locked price (C-1, C-2).
func (s *Subscription) charge(ev *Event, typ ChargeType, qty int, from time.Time, p Period) {
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
		Subtotal:    NewMoney(Subtotal(s.UnitPrice.Amount, decimal.NewFromInt(1), billable), s.UnitPrice.Currency),
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
