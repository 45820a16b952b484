package csp

import (
	"fmt"
	"strings"
	"time"
)

// Eligibility is one possible target of a subscription's transition.
type Eligibility struct {
	Item     Item
	Terms    []Term
	Problems []TransitionProblem
	// Into lists the customer's subscriptions of the target that the seats
	// might merge into, each with what keeps it from qualifying (R-17b).
	Into []Destination
}

// Destination is an existing subscription seats may move into, and the
// R-17b conditions it fails.
type Destination struct {
	Subscription *Subscription
	Problems     []DestinationProblem
}

// DestinationProblem is a failed R-17b condition, numbered as Partner
// Center's subscriptionEligibilities errors are.
type DestinationProblem struct {
	Code        int
	Description string
}

// The R-17b conditions' codes.
const (
	DestinationNotActive            = 1
	DestinationInCancellationWindow = 2
	DestinationTermShorter          = 3
	DestinationEndsEarlier          = 4
)

// DestinationProblems checks d as the destination of an upgrade of s at
// now (R-17b): active, outside its own cancellation window, on a term at
// least as long, ending no earlier.
func (s *Subscription) DestinationProblems(d *Subscription, now time.Time) []DestinationProblem {
	var out []DestinationProblem
	bad := func(code int, format string, args ...any) {
		out = append(out, DestinationProblem{Code: code, Description: fmt.Sprintf(format, args...)})
	}
	if d.Status != StatusActive {
		bad(DestinationNotActive, "subscription %s is %s: seats move only into an active subscription", d.ID, d.Status)
	}
	if !now.After(d.CancellationAllowedUntil()) {
		bad(DestinationInCancellationWindow, "subscription %s is inside its own cancellation window until %s", d.ID, d.CancellationAllowedUntil().Format(time.RFC3339))
	}
	if TermMonths(d.TermDuration) < TermMonths(s.TermDuration) {
		bad(DestinationTermShorter, "subscription %s has a %s term, shorter than the source's %s", d.ID, d.TermDuration, s.TermDuration)
	}
	if d.TermEnd.Before(s.TermEnd) {
		bad(DestinationEndsEarlier, "subscription %s ends on %s, before the source's %s", d.ID, d.TermEnd.Format(time.DateOnly), s.TermEnd.Format(time.DateOnly))
	}
	return out
}

// TransitionEligibilities lists the offers s may move to now (kind
// immediate: upgrades, R-16, or a trial's paid offer, R-26) or at renewal
// (scheduled: R-15), each with what blocks it, from the catalog s's partner
// sees; others are the customer's subscriptions with the same partner.
func (s *Subscription) TransitionEligibilities(kind string, cat *Catalog, others []*Subscription, now time.Time) ([]Eligibility, error) {
	_, src, _ := cat.FindSku(s.OfferID())
	cur, _ := cat.Find(s.CatalogItemID())
	scheduled := false
	var offers []string
	switch strings.ToLower(kind) {
	case "", "immediate":
		if src != nil && s.IsTrial {
			offers = []string{src.ConvertsTo}
		} else if src != nil {
			offers = src.UpgradeTargets
		}
	case "scheduled":
		scheduled = true
		for _, prod := range cat.Products {
			for _, sku := range prod.Skus {
				offer := prod.ID + ":" + sku.ID
				related := prod.ID == s.ProductID || (src != nil && containsFold(src.UpgradeTargets, offer)) || containsFold(sku.UpgradeTargets, s.OfferID())
				if related && !sku.IsTrial && offer != s.OfferID() {
					offers = append(offers, offer)
				}
			}
		}
	default:
		return nil, Errorf(EInvalidQuery, "eligibilityType %q is not valid: use immediate or scheduled", kind)
	}
	var out []Eligibility
	for _, offer := range offers {
		prod, sku, ok := cat.FindSku(offer)
		if !ok {
			continue
		}
		for i := range sku.Availabilities {
			av := &sku.Availabilities[i]
			if cur.Availability != nil && av.Segment != cur.Availability.Segment {
				continue
			}
			e := Eligibility{Item: Item{Product: prod, Sku: sku, Availability: av}, Terms: av.Terms}
			if scheduled {
				if s.Status != StatusActive && s.Status != StatusSuspended {
					e.Problems = append(e.Problems, TransitionProblem{Code: TransitionStatusNotActive, Description: "only a running subscription schedules its next term"})
				}
			} else {
				term := Term{Duration: s.TermDuration, BillingCycle: s.BillingCycle}
				if s.IsTrial && len(av.Terms) > 0 {
					term = av.Terms[0]
				}
				e.Problems = s.TransitionProblems(src, TransitionTarget{Item: e.Item, Term: term, Quantity: max(1, s.Quantity), At: now})
			}
			// Existing destinations are listed for an immediate upgrade of a
			// paid subscription only (R-17b).
			for _, o := range others {
				if !scheduled && !s.IsTrial && o.ID != s.ID && o.Status != StatusDeleted && strings.EqualFold(o.OfferID(), offer) {
					e.Into = append(e.Into, Destination{Subscription: o, Problems: s.DestinationProblems(o, now)})
				}
			}
			out = append(out, e)
		}
	}
	return out, nil
}
