// Package plan holds the planner's rules: given what a tenant holds (its
// CSP subscriptions from every partner and its subscriptions from other
// channels), a destination (another CSP partner, or another channel) and
// the day, which subscriptions move now (a transfer between partners,
// R-37..R-40), which wait for their commitment's end (R-42: nothing
// seat-based moves between channels; R-14: auto-renew turned off on the
// term's last day) and what is bought anew at the destination, dated so
// that no user goes a day without a licence and the overlap is as short
// as the rules allow (decisions 148-151). Pure: no I/O, no clock; whether
// a subscription may transfer now is the caller's answer, from the
// transfer context's own eligibility rules (transfer.CheckParties,
// transfer.CheckLine).
package plan

import (
	"cmp"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// Action is what a step does (DESIGN.md "Purchasing channels").
type Action string

// Actions, in the order steps of one day run.
const (
	TransferNow      Action = "transferNow"      // a transfer request from the current partner to the destination partner
	TurnOffAutoRenew Action = "turnOffAutoRenew" // auto-renew off, so that the term ends without renewing
	WaitForTermEnd   Action = "waitForTermEnd"   // the commitment runs to its last day (R-3: inclusive)
	BuyAtDestination Action = "buyAtDestination" // a new subscription at the destination
)

func (a Action) rank() int {
	return slices.Index([]Action{TransferNow, TurnOffAutoRenew, WaitForTermEnd, BuyAtDestination}, a)
}

// State is where a step stands.
type State string

// Step states.
const (
	StatePlanned   State = "planned"   // the plan is not applied
	StateScheduled State = "scheduled" // applied; its day has not come
	StateDone      State = "done"      // carried out (auto-renew off, the term reached its end)
	StateRequested State = "requested" // a transfer request or a cart waits for a partner's part
	StateListed    State = "listed"    // listed for the operator to record (another channel)
	StateFailed    State = "failed"    // could not be carried out on its day (Result says why)
)

// Skip reasons: subscriptions the plan leaves as they are.
const (
	SkipAtDestination = "alreadyAtDestination" // bought at the destination already
	SkipNotLicence    = "notLicenceBased"      // the Azure plan or a partner's own service: not seats (Azure moves by an Azure transfer)
)

// Destination is where the tenant moves: a CSP partner, or a channel.
type Destination struct {
	PartnerID *uuid.UUID  `json:"partnerId,omitempty"`
	Channel   csp.Channel `json:"channel,omitempty"`
}

// Held is one live subscription of the tenant as the planner sees it.
type Held struct {
	ID                               uuid.UUID
	Channel                          csp.Channel // csp, direct, ea or mcaE
	PartnerID                        *uuid.UUID  // a CSP subscription's partner
	ProductID, SkuID, AvailabilityID string
	OfferName                        string
	Quantity                         int
	// TermDuration and BillingCycle are a CSP subscription's ("" for
	// another channel's: the planner derives a term from its dates).
	TermDuration, BillingCycle string
	TermStart, TermEnd         time.Time // the current term's first and last days
	AutoRenew                  bool
	// Licence is false for what has no seats and term (the Azure plan) or
	// is a partner's own service.
	Licence bool
	// TransferProblem is why the subscription cannot move to the
	// destination partner now (nil: it can); only read for a CSP
	// subscription when the destination is another CSP partner.
	TransferProblem error
}

// Step is one thing the plan does, on its day.
type Step struct {
	SubscriptionID uuid.UUID `json:"subscriptionId"`
	Action         Action    `json:"action"`
	// Date is the step's day (yyyy-mm-dd): a wait's is the term's last day.
	Date string `json:"date"`
	// LastDayToTurnOffAutoRenew is a wait's last day to turn auto-renew
	// off, when the subscription auto-renews.
	LastDayToTurnOffAutoRenew string `json:"lastDayToTurnOffAutoRenew,omitempty"`
	// What moves or is bought.
	ProductID      string `json:"productId"`
	SkuID          string `json:"skuId"`
	AvailabilityID string `json:"availabilityId,omitempty"`
	OfferName      string `json:"offerName"`
	Quantity       int    `json:"quantity"`
	TermDuration   string `json:"termDuration,omitempty"`
	BillingCycle   string `json:"billingCycle,omitempty"`
	// Reason says why a subscription waits rather than moving now.
	Reason string `json:"reason,omitempty"`
	State  State  `json:"state"`
	// Result names what the step made (a transfer's or a cart's id) or why
	// it failed.
	Result string     `json:"result,omitempty"`
	DoneAt *time.Time `json:"doneAt,omitempty"`
}

// Day is the step's date as a time (UTC midnight).
func (s Step) Day() time.Time {
	d, _ := time.Parse(time.DateOnly, s.Date)
	return d
}

// Skipped is a subscription the plan leaves as it is, and why.
type Skipped struct {
	SubscriptionID uuid.UUID `json:"subscriptionId"`
	Reason         string    `json:"reason"`
}

// Plan is a tenant's channel plan.
type Plan struct {
	ID              uuid.UUID
	TenantID        uuid.UUID
	Destination     Destination
	DestinationName string // the partner's name or the channel's
	Steps           []Step
	Skipped         []Skipped
	CreatedAt       time.Time
	CreatedBy       string
	AppliedAt       *time.Time
	AppliedBy       string
	Version         int64
}

// Due is when the plan's job falls due: the first scheduled step's day,
// not before at; nil when the plan is not applied or nothing is scheduled.
func (p *Plan) Due(at time.Time) *time.Time {
	if p.AppliedAt == nil {
		return nil
	}
	var due *time.Time
	for _, s := range p.Steps {
		if s.State != StateScheduled {
			continue
		}
		d := s.Day()
		if d.Before(at) {
			d = at
		}
		if due == nil || d.Before(*due) {
			due = &d
		}
	}
	return due
}

// Apply schedules every step (planned → scheduled).
func (p *Plan) Apply(now time.Time, by string) {
	p.AppliedAt, p.AppliedBy = &now, by
	for i := range p.Steps {
		p.Steps[i].State = StateScheduled
	}
}

// DueSteps answers the indexes of the scheduled steps whose day has come
// by now, in the plan's order.
func (p *Plan) DueSteps(now time.Time) []int {
	var out []int
	for i, s := range p.Steps {
		if s.State == StateScheduled && !s.Day().After(now) {
			out = append(out, i)
		}
	}
	return out
}

// Steps answers the plan for what the tenant holds, moving to dest on
// today: for each live licence subscription not at the destination, a
// transferNow today when it may move to the destination partner now,
// else a waitForTermEnd on its term's last day (with the last day to turn
// auto-renew off, and a turnOffAutoRenew that day, when it auto-renews)
// and a buyAtDestination: on the old term's last day at a CSP partner
// (the cart is there all that day, and the new term starts at checkout,
// so at most one day overlaps), on the day after at another channel (a
// recorded channel term starts at midnight, so none overlaps). Steps are
// in date order, then action, then subscription.
func Steps(held []Held, dest Destination, today time.Time) ([]Step, []Skipped) {
	today = csp.Day(today)
	var steps []Step
	var skipped []Skipped
	for _, h := range held {
		switch {
		case atDestination(h, dest):
			skipped = append(skipped, Skipped{SubscriptionID: h.ID, Reason: SkipAtDestination})
			continue
		case !h.Licence:
			skipped = append(skipped, Skipped{SubscriptionID: h.ID, Reason: SkipNotLicence})
			continue
		}
		base := Step{SubscriptionID: h.ID, ProductID: h.ProductID, SkuID: h.SkuID, AvailabilityID: h.AvailabilityID, OfferName: h.OfferName,
			Quantity: h.Quantity, TermDuration: h.TermDuration, BillingCycle: h.BillingCycle, State: StatePlanned}
		if dest.PartnerID != nil && h.Channel == csp.ChannelCSP && h.TransferProblem == nil {
			s := base
			s.Action, s.Date = TransferNow, date(today)
			steps = append(steps, s)
			continue
		}
		end := h.TermEnd
		if end.Before(today) {
			end = today
		}
		wait := base
		wait.Action, wait.Date, wait.Reason = WaitForTermEnd, date(end), waitReason(h, dest)
		if h.AutoRenew {
			wait.LastDayToTurnOffAutoRenew = date(end)
			off := base
			off.Action, off.Date = TurnOffAutoRenew, date(end)
			steps = append(steps, off)
		}
		steps = append(steps, wait)
		buy := base
		buy.Action, buy.Date = BuyAtDestination, date(end)
		if dest.PartnerID == nil {
			buy.Date = date(end.AddDate(0, 0, 1))
		}
		if h.Channel != csp.ChannelCSP {
			buy.AvailabilityID = ""
			buy.TermDuration, buy.BillingCycle = TermFor(h.TermStart, h.TermEnd), "monthly"
		}
		steps = append(steps, buy)
	}
	slices.SortStableFunc(steps, func(a, b Step) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Action.rank(), b.Action.rank()), cmp.Compare(a.SubscriptionID.String(), b.SubscriptionID.String()))
	})
	return steps, skipped
}

func atDestination(h Held, dest Destination) bool {
	if dest.PartnerID != nil {
		return h.Channel == csp.ChannelCSP && h.PartnerID != nil && *h.PartnerID == *dest.PartnerID
	}
	return h.Channel == dest.Channel
}

func waitReason(h Held, dest Destination) string {
	switch {
	case h.Channel != csp.ChannelCSP:
		return "a subscription of another channel is not transferred into CSP: its commitment runs to its end and the seats are bought anew (commerce rule R-42)"
	case dest.PartnerID == nil:
		return "nothing seat-based moves between channels: the CSP commitment runs to its end and the seats are bought anew in the other channel (commerce rule R-42)"
	case h.TransferProblem != nil:
		return "it cannot transfer now: " + csp.ErrorMessage(h.TransferProblem)
	}
	return ""
}

// TermFor answers the CSP term that replaces a channel subscription's
// term start..end: P1M for a month or less, P3Y for three years or more,
// else P1Y.
func TermFor(start, end time.Time) string {
	next := end.AddDate(0, 0, 1)
	switch {
	case !next.After(csp.AddMonths(start, 1)):
		return "P1M"
	case !next.Before(csp.AddMonths(start, 36)):
		return "P3Y"
	}
	return "P1Y"
}

func date(t time.Time) string { return t.Format(time.DateOnly) }
