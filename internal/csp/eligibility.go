package csp

import "strings"

// Eligibility is one possible target of a subscription's transition.
type Eligibility struct {
	Item     Item
	Terms    []Term
	Problems []TransitionProblem
	// Into lists the customer's subscriptions of the target that the seats
	// may merge into.
	Into []*Subscription
}

// TransitionEligibilities lists the offers s may move to now (kind
// immediate: upgrades, R-16, or a trial's paid offer, R-26) or at renewal
// (scheduled: R-15), each with what blocks it, from the catalog s's partner
// sees; others are the customer's subscriptions with the same partner.
func (s *Subscription) TransitionEligibilities(kind string, cat *Catalog, others []*Subscription) ([]Eligibility, error) {
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
				e.Problems = s.TransitionProblems(src, TransitionTarget{Item: e.Item, Term: term, Quantity: max(1, s.Quantity)})
			}
			for _, o := range others {
				if o.ID != s.ID && o.Status == StatusActive && strings.EqualFold(o.OfferID(), offer) && o.TermEnd.Equal(s.TermEnd) {
					e.Into = append(e.Into, o)
				}
			}
			out = append(out, e)
		}
	}
	return out, nil
}
