// Package pricebook holds the rules by which a CSP partner bills its own
// customers: price books (markups, margins, fixed unit prices and
// promotions, the partner's and a customer's own), the pricing of one
// customer line from one partner cost line, its words, and a customer
// invoice's totals. Pure: no I/O, no clock, no ids.
package pricebook

import (
	"fmt"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/shopspring/decimal"
)

// MaxItems bounds a book's items.
const MaxItems = 10000

// Book is a partner's price book, or a customer's own (the same shape,
// whose items and default win over the partner's). A book names at most
// one default; a book with none leaves the choice to the next book.
type Book struct {
	DefaultMarkupPercent *decimal.Decimal `json:"defaultMarkupPercent,omitempty"`
	DefaultMarginPercent *decimal.Decimal `json:"defaultMarginPercent,omitempty"`
	Items                []Item           `json:"items"`
	Promotions           []Promotion      `json:"promotions,omitempty"`
}

// Item prices one product, or one SKU of it, by exactly one rule. A fixed
// unit price is in the currency of the line it prices (the customer's).
type Item struct {
	ProductID      string           `json:"productId"`
	SkuID          string           `json:"skuId,omitempty"`
	MarkupPercent  *decimal.Decimal `json:"markupPercent,omitempty"`
	MarginPercent  *decimal.Decimal `json:"marginPercent,omitempty"`
	FixedUnitPrice *decimal.Decimal `json:"fixedUnitPrice,omitempty"`
}

// Promotion is a discount on the customer's amount (an OpenCSP addition):
// it applies to lines whose charge starts in [StartDate, EndDate] (UTC
// days) and whose product, and SKU if named, match; no product matches
// every line.
type Promotion struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	ProductID       string          `json:"productId,omitempty"`
	SkuID           string          `json:"skuId,omitempty"`
	DiscountPercent decimal.Decimal `json:"discountPercent"`
	StartDate       time.Time       `json:"startDate"`
	EndDate         time.Time       `json:"endDate"`
}

var (
	minusHundred = decimal.NewFromInt(-100)
	hundred      = decimal.NewFromInt(100)
	thousand     = decimal.NewFromInt(1000)
)

// Validate refuses a book that breaks a rule; the error's data names the
// field ("field=items[3].marginPercent").
func (b Book) Validate() error {
	if b.DefaultMarkupPercent != nil && b.DefaultMarginPercent != nil {
		return csp.Errorf(csp.EPriceBookBothDefaults, "the book names both defaultMarkupPercent and defaultMarginPercent: keep one").WithData("field=defaultMarginPercent")
	}
	if err := checkMarkup("defaultMarkupPercent", b.DefaultMarkupPercent); err != nil {
		return err
	}
	if err := checkMargin("defaultMarginPercent", b.DefaultMarginPercent); err != nil {
		return err
	}
	if len(b.Items) > MaxItems {
		return csp.Errorf(csp.EPriceBookTooManyItems, "the book has %d items: at most %d", len(b.Items), MaxItems).WithData("field=items")
	}
	seen := make(map[[2]string]int, len(b.Items))
	for i, it := range b.Items {
		if err := it.validate(fmt.Sprintf("items[%d]", i)); err != nil {
			return err
		}
		key := [2]string{it.ProductID, it.SkuID}
		if j, dup := seen[key]; dup {
			return csp.Errorf(csp.EPriceBookDuplicateItem, "items[%d] and items[%d] both price %s: one item per product and SKU", j, i, offer(it.ProductID, it.SkuID)).
				WithData(fmt.Sprintf("field=items[%d]", i))
		}
		seen[key] = i
	}
	for i, p := range b.Promotions {
		if err := p.validate(fmt.Sprintf("promotions[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func (it Item) validate(at string) error {
	if it.ProductID == "" {
		return csp.Errorf(csp.EPriceBookProductRequired, "%s names no productId", at).WithData("field=" + at + ".productId")
	}
	n := 0
	for _, r := range []*decimal.Decimal{it.MarkupPercent, it.MarginPercent, it.FixedUnitPrice} {
		if r != nil {
			n++
		}
	}
	if n != 1 {
		return csp.Errorf(csp.EPriceBookItemRule, "%s names %d of markupPercent, marginPercent and fixedUnitPrice: exactly one", at, n).WithData("field=" + at)
	}
	if err := checkMarkup(at+".markupPercent", it.MarkupPercent); err != nil {
		return err
	}
	if err := checkMargin(at+".marginPercent", it.MarginPercent); err != nil {
		return err
	}
	if p := it.FixedUnitPrice; p != nil && (p.IsNegative() || !p.Equal(p.Truncate(csp.PricePlaces))) {
		return csp.Errorf(csp.EPriceBookFixedPrice, "%s.fixedUnitPrice %s: a price is at least 0 with at most %d decimals", at, p, csp.PricePlaces).WithData("field=" + at + ".fixedUnitPrice")
	}
	return nil
}

func (p Promotion) validate(at string) error {
	if p.DiscountPercent.LessThan(decimal.Zero) || p.DiscountPercent.GreaterThan(hundred) {
		return csp.Errorf(csp.EPriceBookDiscountRange, "%s.discountPercent %s: a discount is from 0 to 100 percent", at, p.DiscountPercent).WithData("field=" + at + ".discountPercent")
	}
	if p.StartDate.IsZero() {
		return csp.Errorf(csp.EPriceBookPromotionDates, "%s names no startDate", at).WithData("field=" + at + ".startDate")
	}
	if p.EndDate.IsZero() || csp.Day(p.EndDate).Before(csp.Day(p.StartDate)) {
		return csp.Errorf(csp.EPriceBookPromotionDates, "%s.endDate must be on or after its startDate %s", at, p.StartDate.Format(time.DateOnly)).WithData("field=" + at + ".endDate")
	}
	return nil
}

func checkMarkup(field string, m *decimal.Decimal) error {
	if m != nil && (m.LessThan(minusHundred) || m.GreaterThan(thousand)) {
		return csp.Errorf(csp.EPriceBookMarkupRange, "%s %s: a markup is from -100 to 1000 percent", field, m).WithData("field=" + field)
	}
	return nil
}

func checkMargin(field string, g *decimal.Decimal) error {
	if g != nil && (g.IsNegative() || !g.LessThan(hundred)) {
		return csp.Errorf(csp.EPriceBookMarginRange, "%s %s: a margin is from 0 to below 100 percent (at 100 the price would be infinite)", field, g).WithData("field=" + field)
	}
	return nil
}

func offer(productID, skuID string) string {
	if skuID == "" {
		return productID
	}
	return productID + ":" + skuID
}
