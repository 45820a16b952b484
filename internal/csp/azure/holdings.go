package azure

import (
	"time"

	"github.com/google/uuid"
)

// Holding is a past partner's holding of an Azure subscription: from From
// to To (exclusive), under that partner's Azure plan PlanSubscriptionID. A
// transfer between partners ends the source's holding at the transfer
// hour; the usage of the hours before it stays billed to the source.
type Holding struct {
	Subscription       uuid.UUID
	TenantID           uuid.UUID
	PartnerID          uuid.UUID
	PlanSubscriptionID uuid.UUID
	TransferID         uuid.UUID
	From, To           time.Time
}

// HeldFrom is when the current partner's holding began: HeldSince, or
// the subscription's creation.
func (s *Subscription) HeldFrom() time.Time {
	if s.HeldSince != nil {
		return *s.HeldSince
	}
	return s.CreatedAt
}

// TransferHour is the hour from which a transfer completed at now bills
// the target: the hour now falls in. The hours before it are posted (the
// hour [h, h+1) is metered at h+1) or due, and stay the source's.
func TransferHour(now time.Time) time.Time { return now.UTC().Truncate(time.Hour) }

// MoveTo moves the subscription to partner's Azure plan from the hour at,
// answering the holding that ends (the current partner's, from HeldFrom
// to at).
func (s *Subscription) MoveTo(partner, plan, transferID uuid.UUID, at time.Time) Holding {
	h := Holding{Subscription: s.ID, TenantID: s.TenantID, PartnerID: s.PartnerID, PlanSubscriptionID: s.PlanSubscriptionID,
		TransferID: transferID, From: s.HeldFrom(), To: at}
	s.PartnerID, s.PlanSubscriptionID, s.HeldSince = partner, plan, &at
	return h
}

// HolderAt answers the partner and Azure plan that held the subscription
// at the hour: the current ones from HeldFrom, else the past holding
// covering it (past may hold any of the subscription's holdings). An
// hour before every holding is the earliest holder's.
func (s *Subscription) HolderAt(past []Holding, hour time.Time) (partner, plan uuid.UUID) {
	if !hour.Before(s.HeldFrom()) {
		return s.PartnerID, s.PlanSubscriptionID
	}
	var first *Holding
	for i, h := range past {
		if h.Subscription != s.ID {
			continue
		}
		if !hour.Before(h.From) && hour.Before(h.To) {
			return h.PartnerID, h.PlanSubscriptionID
		}
		if first == nil || h.From.Before(first.From) {
			first = &past[i]
		}
	}
	if first != nil {
		return first.PartnerID, first.PlanSubscriptionID
	}
	return s.PartnerID, s.PlanSubscriptionID
}

// Clip narrows [from, to) to [f, t); ok is false when nothing is left.
func Clip(from, to, f, t time.Time) (time.Time, time.Time, bool) {
	if f.After(from) {
		from = f
	}
	if t.Before(to) {
		to = t
	}
	return from, to, from.Before(to)
}
