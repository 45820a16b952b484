package csp

import (
	"strings"
	"time"
)

// PlanChange is a pending mid-term billing-frequency change of a P3Y term
// (R-2a), shown as Partner Center's nextChargeInstructions: from the next
// charge period on, the subscription is billed BillingCycle at UnitPrice.
type PlanChange struct {
	BillingCycle string `json:"billingCycle"`
	// UnitPrice is the new plan's price on the day the change was asked
	// for, locked for the rest of the term like the purchase's.
	UnitPrice Money `json:"unitPrice"`
}

// planPrice is the price of s's offer on another term or billing plan
// on day, refused when the catalog does not sell or price it.
func (s *Subscription) planPrice(term, cycle string, cat *Catalog, prices Prices, day time.Time) (Money, error) {
	if _, price, ok := offerPrice(cat, prices, s.CatalogItemID(), term, cycle, s.UnitPrice.Currency, day); ok {
		return price, nil
	}
	return Money{}, Errorf(EPlanNotSold, "%s is not sold (or not priced in %s) with termDuration %s and billingCycle %s: choose a term and billing plan its availability lists",
		s.CatalogItemID(), s.UnitPrice.Currency, term, cycle).WithData("termDuration="+term, "billingCycle="+cycle)
}

// checkPlanChange refuses a mid-term change of term or billing plan on a
// subscription that cannot have one: only an active, paid, licence-based
// subscription changes its plan.
func (s *Subscription) checkPlanChange() error {
	if !s.HasTerm() {
		return Errorf(EQuantityNotApplicable, "subscription %s is usage-based: it has no term or billing plan", s.ID)
	}
	if s.IsTrial {
		return Errorf(ETermChangeAtRenewal, "subscription %s is a trial: it gets a paid term and billing plan by converting through transitions (R-26)", s.ID)
	}
	if s.Status != StatusActive {
		return Errorf(ESubscriptionNotActive, "subscription %s is %s: only an active subscription changes its term or billing plan", s.ID, s.Status)
	}
	return nil
}

// atRenewal is the refusal of a plan change that waits for the renewal.
func (s *Subscription) atRenewal(format string, args ...any) *Error {
	return Errorf(ETermChangeAtRenewal, format+"; schedule it for the renewal on %s in scheduledNextTermInstructions (R-15)",
		append(args, s.TermEnd.AddDate(0, 0, 1).Format(time.DateOnly))...)
}

// Lengthen starts a longer term at now (R-2b): P1M to P1Y or P3Y, P1Y to
// P3Y, on any billing plan the new term sells. Our reading (uncertain):
// the subscription keeps its id and starts the new term on the change day
// at that day's price, with a new cancellation window; the rest of the
// current charge period is credited by one cancelImmediate line (no
// 24-hour full refund) and the new term's first period charged as new,
// both lines of one event (one referenceId). Scheduled instructions stay.
func (s *Subscription) Lengthen(now time.Time, term, cycle string, cat *Catalog, prices Prices) (*Event, error) {
	if err := s.checkPlanChange(); err != nil {
		return nil, err
	}
	term, cycle = strings.ToUpper(term), strings.ToLower(cycle)
	switch have, want := TermMonths(s.TermDuration), TermMonths(term); {
	case want == 0:
		return nil, Errorf(EInvalidField, "termDuration %q is not a term: use P1M, P1Y or P3Y", term).WithData("field=termDuration")
	case want < have:
		return nil, s.atRenewal("termDuration %s is shorter than the subscription's %s: a term is never shortened mid-term (R-2b)", term, s.TermDuration)
	}
	price, err := s.planPrice(term, cycle, cat, prices, now)
	if err != nil {
		return nil, err
	}
	oldEnd := s.TermEnd.Format(time.DateOnly)
	ev := newEvent(EvTermLengthened, now, Changes{TermDuration: Changed(s.TermDuration, term), BillingCycle: diff(s.BillingCycle, cycle),
		UnitPrice: diff(s.UnitPrice.Amount.StringFixed(2), price.Amount.StringFixed(2))})
	s.line(ev, ChargeCancelImmediate, s.Quantity, s.Quantity, true, now, s.PeriodAt(now), s.UnitPrice)
	s.TermDuration, s.BillingCycle, s.UnitPrice = term, cycle, price
	s.PromotionID, s.ListPrice = "", Money{} // the new term is at the list price (R-2b)
	s.startTerm(now, nil)
	ev.Changes.CommitmentEnd = Changed(oldEnd, s.TermEnd.Format(time.DateOnly))
	s.charge(ev, ChargeNew, s.Quantity, now, s.PeriodAt(now))
	// The scheduled instructions stay (R-2b), but a custom end date was
	// checked against the old term's end: it no longer applies.
	if n := s.Scheduled; n != nil && n.CustomTermEndDate != nil {
		kept := *n
		kept.CustomTermEndDate = nil
		s.Scheduled = &kept
		ev.Changes.Scheduled = Stated(&kept)
	}
	s.scheduleNext(now)
	return ev, nil
}

// ChangeBillingPlan asks at now for a P3Y term to be billed monthly
// instead of annually or the other way round (R-2a). The change waits in
// NextCharge for the next charge period (the next monthly cycle when
// leaving monthly, the next term anniversary when leaving annual), so it
// is refused in the term's last period, where the next one is the
// renewal's. Upfront (triennial) billing and other terms change only at
// renewal.
func (s *Subscription) ChangeBillingPlan(now time.Time, cycle string, cat *Catalog, prices Prices) (*Event, error) {
	if err := s.checkPlanChange(); err != nil {
		return nil, err
	}
	cycle = strings.ToLower(cycle)
	if n := s.NextCharge; n != nil && n.BillingCycle == cycle {
		return nil, nil
	}
	switch {
	case CycleMonths(cycle) == 0:
		return nil, Errorf(EInvalidField, "billingCycle %q is not a billing plan: use monthly, annual or triennial", cycle).WithData("field=billingCycle")
	case s.TermDuration != "P3Y":
		return nil, s.atRenewal("billingCycle %s: a %s term keeps its billing plan (%s) until it ends, only a P3Y term switches between monthly and annual mid-term (R-2, R-2a)",
			cycle, s.TermDuration, s.BillingCycle)
	case cycle == "triennial" || s.BillingCycle == "triennial":
		return nil, s.atRenewal("billingCycle %s: upfront (triennial) billing is chosen at purchase or renewal, never mid-term (R-2)", cycle)
	}
	from := s.PeriodAt(now).End.AddDate(0, 0, 1)
	if from.After(s.TermEnd) {
		return nil, s.atRenewal("billingCycle %s would take effect from the next charge period, and the current one is the term's last", cycle)
	}
	price, err := s.planPrice(s.TermDuration, cycle, cat, prices, now)
	if err != nil {
		return nil, err
	}
	n := &PlanChange{BillingCycle: cycle, UnitPrice: price}
	ev := newEvent(EvBillingPlanChangeSet, now, Changes{NextCharge: Stated(n),
		Reason: s.BillingCycle + " to " + cycle + " from " + from.Format(time.DateOnly) + " (R-2a)"})
	s.NextCharge = n
	return ev, nil
}

// ClearNextCharge deletes a pending billing plan change (a PATCH without
// nextChargeInstructions, partner-center-api.md §8).
func (s *Subscription) ClearNextCharge(now time.Time) *Event {
	if s.NextCharge == nil {
		return nil
	}
	s.NextCharge = nil
	return newEvent(EvBillingPlanChangeCleared, now, Changes{NextCharge: Stated[*PlanChange](nil)})
}

// switchBillingPlan makes the pending change at at, the start of a charge
// period: one changeBillingPlan line for the first period under the new
// plan, prorated by the whole monthly cycles it has left (R-2a:
// annual price × k/12 for a part year), not by days.
func (s *Subscription) switchBillingPlan(at time.Time) *Event {
	n := s.NextCharge
	ev := newEvent(EvBillingPlanChanged, at, Changes{BillingCycle: Changed(s.BillingCycle, n.BillingCycle),
		UnitPrice: diff(s.UnitPrice.Amount.StringFixed(2), n.UnitPrice.Amount.StringFixed(2)), NextCharge: Stated[*PlanChange](nil)})
	s.BillingCycle, s.UnitPrice, s.NextCharge = n.BillingCycle, n.UnitPrice, nil
	p := s.PeriodAt(at)
	left := 0
	for i := 0; !AddMonths(s.TermStart, i).After(p.End); i++ {
		if !AddMonths(s.TermStart, i).Before(Day(at)) {
			left++
		}
	}
	s.prorated(ev, ChargeChangeBillingPlan, s.Quantity, s.Quantity, false, at, p, s.UnitPrice, left, CycleMonths(s.BillingCycle))
	s.scheduleNext(at)
	return ev
}
