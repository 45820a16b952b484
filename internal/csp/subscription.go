package csp

import (
	"time"

	"github.com/google/uuid"
)

// Channel is where a subscription was bought.
type Channel string

// Channels (DESIGN.md "Words").
const (
	ChannelCSP    Channel = "csp"
	ChannelDirect Channel = "direct"
	ChannelEA     Channel = "ea"
	ChannelMCAE   Channel = "mcaE"
)

// Status is a subscription's state (Partner Center's enum, in its
// lower-case wire spelling).
type Status string

// Subscription statuses (commerce-rules "States at a glance").
const (
	StatusPending   Status = "pending"
	StatusActive    Status = "active"
	StatusSuspended Status = "suspended"
	StatusExpired   Status = "expired"
	StatusDisabled  Status = "disabled"
	StatusDeleted   Status = "deleted"
)

// Lifecycle constants of new commerce.
const (
	// CancellationWindow follows a purchase, each seat increase and each
	// renewal.
	CancellationWindow = 168 * time.Hour
	// FullRefundWindow is how long after a purchase or renewal a
	// cancellation refunds the whole period (R-11b).
	FullRefundWindow = 24 * time.Hour
	// TrialDays is how long a trial lasts.
	TrialDays = 30
	// ExpiredDays is how long a subscription stays expired before it is
	// disabled.
	ExpiredDays = 30
	// DisabledDays is how long it stays disabled before it is deleted
	//
	DisabledDays = 90
	// SuspendedEndDays is how long a subscription still suspended at its
	// term's end stays disabled before its DisabledDays begin (R-20: 30
	// days locked out, then the 90-day disabled state, then deleted).
	SuspendedEndDays = 30
)

// SeatLot is seats bought together (at purchase, an increase or a
// renewal): they may be removed until AllowedUntil.
type SeatLot struct {
	Quantity     int       `json:"quantity"`
	AddedAt      time.Time `json:"addedAt"`
	AllowedUntil time.Time `json:"allowedUntilDateTime"`
}

// NextTerm is a change scheduled for the next term, Partner
// Center's scheduledNextTermInstructions.
type NextTerm struct {
	ProductID         string     `json:"productId"`
	SkuID             string     `json:"skuId"`
	AvailabilityID    string     `json:"availabilityId"`
	BillingCycle      string     `json:"billingCycle"`
	TermDuration      string     `json:"termDuration"`
	Quantity          int        `json:"quantity"`
	CustomTermEndDate *time.Time `json:"customTermEndDate,omitempty"`
}

// Subscription is what a tenant owns through one partner or channel.
type Subscription struct {
	ID        uuid.UUID
	TenantID  uuid.UUID
	PartnerID *uuid.UUID // nil outside the CSP channel
	Channel   Channel
	OrderID   *uuid.UUID
	// ResellerMpnID is the indirect reseller of record.
	ResellerMpnID string
	ParentID      *uuid.UUID // an add-on's base subscription
	// PartnerService marks a partner's own service (not Microsoft's): its
	// charges are the partner's revenue and stay out of Microsoft's
	// reconciliation.
	PartnerService bool

	ProductID, SkuID, AvailabilityID string
	ProductName                      string
	OfferName                        string // the SKU's title
	FriendlyName                     string
	UnitType                         string

	Quantity    int
	Status      Status
	StatusSince time.Time
	IsTrial     bool
	AutoRenew   bool

	TermDuration string // P1M, P1Y, P3Y; "" for the Azure plan
	BillingCycle string // monthly, annual, triennial
	// UnitPrice is locked for the term: per unit and billing period,
	// in the customer's pricing currency.
	UnitPrice Money
	// PromotionID names the promotion whose discount is in UnitPrice for
	// the current term, "" when none; ListPrice is then the term's
	// undiscounted price, the charge lines' unitPrice (C-2).
	PromotionID string
	ListPrice   Money
	// TermStartedAt is the instant of the purchase or renewal that began the
	// current term; its cancellation window runs from it.
	TermStartedAt time.Time
	TermStart     time.Time // first day of the current term
	TermEnd       time.Time // last day, inclusive
	Lots          []SeatLot
	Scheduled     *NextTerm
	// NextCharge is a pending billing plan change of a P3Y term (R-2a).
	NextCharge *PlanChange
	// NextEventAt is when time-driven work is next due (cycle charge,
	// renewal, expiry, state move); nil when none is.
	NextEventAt *time.Time
	CreatedAt   time.Time
	// Version counts the subscription's changes (its etag).
	Version int64
}

// OfferID is Partner Center's new-commerce offerId, productId:skuId.
func (s *Subscription) OfferID() string { return s.ProductID + ":" + s.SkuID }

// CatalogItemID is productId:skuId:availabilityId.
func (s *Subscription) CatalogItemID() CatalogItemID {
	return CatalogItemID{Product: s.ProductID, Sku: s.SkuID, Availability: s.AvailabilityID}
}

// Live answers whether the subscription still binds its partner: a partner
// with live subscriptions on a tenant cannot be removed.
func (s *Subscription) Live() bool {
	switch s.Status {
	case StatusPending, StatusActive, StatusSuspended:
		return true
	}
	return false
}

// HasTerm reports whether the subscription is licence-based with a term
// (not the Azure plan).
func (s *Subscription) HasTerm() bool { return s.TermDuration != "" }

// CancellationAllowedUntil is the end of the current term's window.
func (s *Subscription) CancellationAllowedUntil() time.Time {
	return s.TermStartedAt.Add(CancellationWindow)
}

// Cancellable reports whether a cancellation at now is inside the window,
// with seats still refundable: seats an upgrade moved or created are not
// (R-17b), so a subscription holding only those cannot be cancelled.
func (s *Subscription) Cancellable(now time.Time) bool {
	return s.HasTerm() && !s.IsTrial && (s.Status == StatusActive || s.Status == StatusSuspended) && !now.After(s.CancellationAllowedUntil()) &&
		s.RefundableQuantity(now) > 0
}

// RefundableLots lists the seat lots still inside their window at now.
func (s *Subscription) RefundableLots(now time.Time) []SeatLot {
	var out []SeatLot
	for _, l := range s.Lots {
		if !now.After(l.AllowedUntil) {
			out = append(out, l)
		}
	}
	return out
}

// RefundableQuantity is the number of seats removable at now.
func (s *Subscription) RefundableQuantity(now time.Time) int {
	n := 0
	for _, l := range s.RefundableLots(now) {
		n += l.Quantity
	}
	return min(n, s.Quantity)
}

// Period is the billing period around a day: cycles count from the term's
// start (C-3); the last one stops at the term's end.
type Period struct {
	Start, End time.Time // End is inclusive and never after the term end
	NominalEnd time.Time // the end of a full-length period, for proration
}

// NominalDays is the length of a full period, the proration denominator.
func (p Period) NominalDays() int { return DaysInclusive(p.Start, p.NominalEnd) }

// PeriodAt answers the billing period containing day.
func (s *Subscription) PeriodAt(day time.Time) Period {
	m := CycleMonths(s.BillingCycle)
	if m == 0 {
		return Period{Start: s.TermStart, End: s.TermEnd, NominalEnd: s.TermEnd}
	}
	day = Day(day)
	k := 0
	for AddMonths(s.TermStart, (k+1)*m).Compare(day) <= 0 {
		k++
	}
	start := AddMonths(s.TermStart, k*m)
	nominal := AddMonths(s.TermStart, (k+1)*m).AddDate(0, 0, -1)
	end := nominal
	if end.After(s.TermEnd) {
		end = s.TermEnd
	}
	return Period{Start: start, End: end, NominalEnd: nominal}
}

// BillingCycleEnd is the last day of the period containing now.
func (s *Subscription) BillingCycleEnd(now time.Time) time.Time { return s.PeriodAt(now).End }

// scheduleNext sets NextEventAt after the work of day has been done: the
// start of the next billing period (or the day after the term) while the
// subscription runs, and the next state move of the expiry chain after.
// disabledAtTermEnd tells a subscription disabled because it was still
// suspended when its term ended and still in its first 30 days:
// only that path disables on the day after the term's last day (an expired
// one is disabled ExpiredDays later, R-19).
func (s *Subscription) disabledAtTermEnd() bool {
	return s.Status == StatusDisabled && Day(s.StatusSince).Equal(Day(s.TermEnd).AddDate(0, 0, 1))
}

func (s *Subscription) scheduleNext(day time.Time) {
	var next time.Time
	switch s.Status {
	case StatusActive, StatusSuspended:
		if !s.HasTerm() {
			s.NextEventAt = nil
			return
		}
		next = s.PeriodAt(day).End.AddDate(0, 0, 1)
	case StatusExpired:
		next = Day(s.StatusSince).AddDate(0, 0, ExpiredDays)
	case StatusDisabled:
		next = Day(s.StatusSince).AddDate(0, 0, DisabledDays)
		if s.disabledAtTermEnd() {
			next = Day(s.StatusSince).AddDate(0, 0, SuspendedEndDays)
		}
	default:
		s.NextEventAt = nil
		return
	}
	s.NextEventAt = &next
}
