package csp

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Promotion is a catalog promotion: a percent off the list price of
// some availabilities bought on some terms, between two days.
type Promotion struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// DiscountPercent is taken off the list price: 15 means 85 % of it.
	DiscountPercent decimal.Decimal `json:"discountPercent"`
	// Availabilities are the catalog item ids (productId:skuId:availabilityId)
	// the promotion is for, and Terms the terms it is for on each of them.
	Availabilities []string `json:"availabilities"`
	Terms          []Term   `json:"terms"`
	// StartDate and EndDate (yyyy-mm-dd, UTC) are the first and last days
	// on which a purchase or renewal gets the promotion.
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
	// FirstPurchaseOnly is for customers who never had the product: any
	// subscription of it, a trial included, from any partner or channel,
	// makes them ineligible.
	FirstPurchaseOnly bool `json:"firstPurchaseOnly,omitempty"`
}

// FindPromotion answers the promotion with that id (case-insensitive).
func (c *Catalog) FindPromotion(id string) (*Promotion, bool) {
	for i := range c.Promotions {
		if strings.EqualFold(c.Promotions[i].ID, id) {
			return &c.Promotions[i], true
		}
	}
	return nil, false
}

// Active reports whether day is within the promotion's dates.
func (p *Promotion) Active(day time.Time) bool {
	d := day.UTC().Format(time.DateOnly)
	return p.StartDate <= d && d <= p.EndDate
}

// Covers reports whether the promotion is for the item bought on the term.
func (p *Promotion) Covers(item Item, t Term) bool {
	return containsFold(p.Availabilities, item.ID().String()) &&
		slices.ContainsFunc(p.Terms, func(x Term) bool { return strings.EqualFold(x.Key(), t.Key()) })
}

// Discount is the promotion's price for a list price: the list price less
// DiscountPercent, rounded half away from zero to cents like every catalog
// price (R-27: 15 % off $144.00 is $122.40).
func (p *Promotion) Discount(list Money) Money {
	off := decimal.NewFromInt(100).Sub(p.DiscountPercent).Div(decimal.NewFromInt(100))
	return NewMoney(RoundHalfAway(list.Amount.Mul(off), 2), list.Currency)
}

// PromotionCheck is a promotion asked for on a purchase of item on term at
// now, by a customer holding (or having held) the subscriptions in Held.
type PromotionCheck struct {
	Now  time.Time
	Item Item
	Term Term
	Held []*Subscription
}

// Check answers the promotion with that id if the purchase qualifies for it,
// else a sentence saying which condition of R-27 it fails.
func (pc PromotionCheck) Check(cat *Catalog, id string) (*Promotion, string) {
	p, ok := cat.FindPromotion(id)
	if !ok {
		return nil, fmt.Sprintf("promotionId %q is not a promotion of the catalog (commerce rule R-27)", id)
	}
	if !p.Active(pc.Now) {
		return nil, fmt.Sprintf("promotion %s runs from %s to %s; on %s it is not available (commerce rule R-27)",
			p.ID, p.StartDate, p.EndDate, pc.Now.UTC().Format(time.DateOnly))
	}
	if !p.Covers(pc.Item, pc.Term) {
		return nil, fmt.Sprintf("promotion %s is for %s on %s, not %s on %s (commerce rule R-27)",
			p.ID, strings.Join(p.Availabilities, ", "), termList(p.Terms), pc.Item.ID(), pc.Term)
	}
	if p.FirstPurchaseOnly {
		for _, s := range pc.Held {
			if strings.EqualFold(s.ProductID, pc.Item.Product.ID) {
				return nil, fmt.Sprintf("promotion %s is for a first purchase of %s, and the customer already has or had it (commerce rules R-26, R-27)",
					p.ID, pc.Item.Product.Title)
			}
		}
	}
	return p, ""
}

// validatePromotions checks the catalog's promotions: unique ids, a
// discount strictly between 0 and 100, dates in order, and availabilities
// and terms that the catalog sells.
func (c *Catalog) validatePromotions() error {
	bad := func(format string, args ...any) error {
		return Errorf(EInvalidCatalog, "catalog: "+format, args...)
	}
	seen := map[string]bool{}
	for _, p := range c.Promotions {
		id := strings.ToUpper(p.ID)
		if p.ID == "" || p.Name == "" {
			return bad("a promotion needs id and name (promotion %q)", p.ID)
		}
		if seen[id] {
			return bad("promotion %s appears twice", p.ID)
		}
		seen[id] = true
		if !p.DiscountPercent.IsPositive() || p.DiscountPercent.Cmp(decimal.NewFromInt(100)) >= 0 {
			return bad("promotion %s: discountPercent %s must be above 0 and below 100", p.ID, p.DiscountPercent)
		}
		start, err1 := time.Parse(time.DateOnly, p.StartDate)
		end, err2 := time.Parse(time.DateOnly, p.EndDate)
		if err1 != nil || err2 != nil || end.Before(start) {
			return bad("promotion %s: startDate %q and endDate %q must be yyyy-mm-dd, the start not after the end", p.ID, p.StartDate, p.EndDate)
		}
		if len(p.Availabilities) == 0 || len(p.Terms) == 0 {
			return bad("promotion %s needs at least one availability and one term", p.ID)
		}
		for _, a := range p.Availabilities {
			ref, ok := ParseCatalogItemID(a)
			item, found := c.Find(ref)
			if !ok || !found {
				return bad("promotion %s names availability %s, which is not in the catalog", p.ID, a)
			}
			if item.Sku.IsTrial || len(item.Availability.Prices) == 0 {
				return bad("promotion %s names %s, which has no price to discount (a trial or the Azure plan)", p.ID, a)
			}
			for _, t := range p.Terms {
				if _, ok := item.Availability.Term(t.Duration, t.BillingCycle); !ok {
					return bad("promotion %s: %s is not sold on %s", p.ID, a, t)
				}
			}
		}
	}
	return nil
}
