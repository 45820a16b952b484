package csp

import (
	"strings"
	"time"
)

// Prices answers what a catalog item costs per unit and billing period, in
// a currency, on a day. Purchases, renewals and transitions all price
// through it: the catalog's list prices today, a partner's price book
// later.
type Prices interface {
	UnitPrice(item Item, term Term, currency string, day time.Time) (Money, bool)
}

// CatalogPrices prices from the catalog's price lists: the list in the
// currency with the latest effective date not after the day.
type CatalogPrices struct{}

// UnitPrice implements Prices.
func (CatalogPrices) UnitPrice(item Item, term Term, currency string, day time.Time) (Money, bool) {
	return item.Availability.Price(term, currency, day)
}

// RenewalTerms answers what s renews into on day: the scheduled
// instructions, or the current offer, term, billing cycle and quantity,
// priced on the renewal day from the catalog the subscription's partner
// sees, with the subscription's promotion if it still qualifies.
// Found is false when the offer, its term or its price is gone.
func RenewalTerms(s *Subscription, cat *Catalog, prices Prices, day time.Time) Renewal {
	r := Renewal{ProductID: s.ProductID, SkuID: s.SkuID, AvailabilityID: s.AvailabilityID, TermDuration: s.TermDuration,
		BillingCycle: s.BillingCycle, Quantity: s.Quantity}
	if n := s.Scheduled; n != nil {
		r.ProductID, r.SkuID, r.AvailabilityID, r.TermDuration, r.BillingCycle, r.Quantity = n.ProductID, n.SkuID, n.AvailabilityID, n.TermDuration, n.BillingCycle, n.Quantity
		r.CustomTermEnd = n.CustomTermEndDate
	}
	item, price, ok := offerPrice(cat, prices, CatalogItemID{Product: r.ProductID, Sku: r.SkuID, Availability: r.AvailabilityID}, r.TermDuration, r.BillingCycle, s.UnitPrice.Currency, day)
	if !ok {
		return r
	}
	r.Found, r.UnitPrice, r.ProductName, r.OfferName = true, price, item.Product.Title, item.Sku.Title
	if s.PromotionID != "" {
		// The promotion applies again only if still active and eligible on
		// the renewal day; a renewal is never a first purchase.
		held := []*Subscription{{ProductID: r.ProductID}}
		term, _ := item.Availability.Term(r.TermDuration, r.BillingCycle)
		if p, _ := (PromotionCheck{Now: day, Item: item, Term: term, Held: held}).Check(cat, s.PromotionID); p != nil {
			r.PromotionID, r.ListPrice, r.UnitPrice = p.ID, price, p.Discount(price)
		}
	}
	return r
}

// offerPrice finds a catalog item and prices one of its terms on day: a
// renewal's or a mid-term plan change's (R-2a, R-2b). ok is false
// when the item, its term or its price is not in the catalog.
func offerPrice(cat *Catalog, prices Prices, id CatalogItemID, duration, cycle, currency string, day time.Time) (Item, Money, bool) {
	item, ok := cat.Find(id)
	if !ok {
		return Item{}, Money{}, false
	}
	term, ok := item.Availability.Term(duration, cycle)
	if !ok {
		return Item{}, Money{}, false
	}
	price, ok := prices.UnitPrice(item, term, currency, day)
	return item, price, ok
}

// SeatLimits are the least and most seats a subscription of the offer may
// have; an offer no longer in the catalog keeps any positive quantity.
func (c *Catalog) SeatLimits(offerID string) (int, int) {
	if _, sku, ok := c.FindSku(offerID); ok {
		return sku.MinimumQuantity, sku.MaximumQuantity
	}
	return 1, 1 << 30
}

// ResolveNextTerm completes scheduled instructions from the subscription
// (a field left out keeps its current value) and finds the catalog item
// they name: the availability given, or the target SKU's availability in
// the subscription's segment. It answers the instructions, the target and
// the subscription's current SKU (nil when it left the catalog).
func (s *Subscription) ResolveNextTerm(nt NextTerm, cat *Catalog) (NextTerm, Item, *Sku, error) {
	if nt.ProductID == "" {
		nt.ProductID = s.ProductID
	}
	if nt.SkuID == "" {
		nt.SkuID = s.SkuID
	}
	if nt.TermDuration == "" {
		nt.TermDuration = s.TermDuration
	}
	if nt.BillingCycle == "" {
		nt.BillingCycle = s.BillingCycle
	}
	nt.TermDuration, nt.BillingCycle = strings.ToUpper(nt.TermDuration), strings.ToLower(nt.BillingCycle)
	if nt.Quantity == 0 {
		nt.Quantity = s.Quantity
	}
	_, current, _ := cat.FindSku(s.OfferID())
	var target Item
	found := false
	if nt.AvailabilityID != "" {
		target, found = cat.Find(CatalogItemID{Product: nt.ProductID, Sku: nt.SkuID, Availability: nt.AvailabilityID})
	} else if prod, sku, ok := cat.FindSku(nt.ProductID + ":" + nt.SkuID); ok {
		cur, _ := cat.Find(s.CatalogItemID())
		for i := range sku.Availabilities {
			av := &sku.Availabilities[i]
			if cur.Availability == nil || av.Segment == cur.Availability.Segment {
				target, found = Item{Product: prod, Sku: sku, Availability: av}, true
				break
			}
		}
	}
	if !found {
		return nt, Item{}, current, Errorf(EInvalidScheduledChange, "scheduledNextTermInstructions name %s:%s:%s, which is not in the catalog", nt.ProductID, nt.SkuID, nt.AvailabilityID)
	}
	return nt, target, current, nil
}
