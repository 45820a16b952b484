package csp

import (
	"time"

	"github.com/google/uuid"
)

// SeatTransfer is the move of seats of one subscription to another partner
// (a transfer's line, R-40).
type SeatTransfer struct {
	TransferID uuid.UUID
	// Quantity is the seats that move: all of them (a full transfer) or
	// fewer (a partial one, which splits the subscription).
	Quantity int
	// NewID names the target's new subscription; TargetPartnerID owns it.
	NewID           uuid.UUID
	TargetPartnerID uuid.UUID
	// Price is the target's unit price for the subscription's offer and
	// term at the transfer (R-40: its own price, uncertain).
	Price Money
}

// TransferSeats moves t.Quantity seats of s to a new subscription of the
// target partner at now (R-40, C-1): the target's subscription keeps the
// term, its dates (so the billing cycles), the billing plan and auto-renew,
// holds the moved seats at the target's price and opens no cancellation
// window; scheduled changes do not follow. The day of the transfer is the
// target's (C-1), so the lines share one referenceId (the transfer's id)
// and run from that day to the end of the current charge period:
// the source's `cancelImmediate` credit for the moved seats' prepaid days,
// and the target's `new` charge for them at its price. A full transfer
// ends the source (status deleted); a partial one reduces its seats and
// clears its scheduled changes. The caller checks eligibility
// first (transfer.CheckLine).
func (s *Subscription) TransferSeats(now time.Time, t SeatTransfer) (target *Subscription, srcEv, tgtEv *Event) {
	target = &Subscription{ID: t.NewID, TenantID: s.TenantID, PartnerID: &t.TargetPartnerID, Channel: ChannelCSP,
		ProductID: s.ProductID, SkuID: s.SkuID, AvailabilityID: s.AvailabilityID, ProductName: s.ProductName, OfferName: s.OfferName,
		FriendlyName: s.FriendlyName, UnitType: s.UnitType, Quantity: t.Quantity, Status: StatusActive, StatusSince: now, AutoRenew: s.AutoRenew,
		TermDuration: s.TermDuration, BillingCycle: s.BillingCycle, UnitPrice: t.Price,
		TermStartedAt: s.TermStartedAt, TermStart: s.TermStart, TermEnd: s.TermEnd, CreatedAt: now}
	from := partnerOf(s)
	p := s.PeriodAt(now)

	srcEv = newEvent(EvTransferredOut, now, Changes{MovedQuantity: &t.Quantity, ToSubscriptionID: &target.ID, TransferID: &t.TransferID,
		FromPartnerID: &from, ToPartnerID: &t.TargetPartnerID})
	s.line(srcEv, ChargeCancelImmediate, t.Quantity, t.Quantity, true, now, p, s.UnitPrice)

	tgtEv = newEvent(EvTransferredIn, now, target.purchaseChanges(t.Quantity))
	tgtEv.Changes.TransferID, tgtEv.Changes.FromSubscriptionID = &t.TransferID, &s.ID
	tgtEv.Changes.FromPartnerID, tgtEv.Changes.ToPartnerID = &from, &t.TargetPartnerID
	tgtEv.Changes.AutoRenewEnabled = Stated(target.AutoRenew)
	target.line(tgtEv, ChargeNew, t.Quantity, t.Quantity, false, now, target.PeriodAt(now), target.UnitPrice)
	target.scheduleNext(now)

	for _, ev := range []*Event{srcEv, tgtEv} {
		for i := range ev.Charges {
			ev.Charges[i].ReferenceID = t.TransferID
		}
	}
	if t.Quantity >= s.Quantity {
		srcEv.Changes.Status = Changed(s.Status, StatusDeleted)
		s.Status, s.StatusSince, s.AutoRenew, s.Scheduled, s.Lots = StatusDeleted, now, false, nil, nil
		s.NextCharge = nil
		s.scheduleNext(now)
		return target, srcEv, tgtEv
	}
	srcEv.Changes.Quantity = Changed(s.Quantity, s.Quantity-t.Quantity)
	s.takeLots(now, t.Quantity)
	s.dropSchedule(srcEv)
	s.Quantity -= t.Quantity
	return target, srcEv, tgtEv
}
