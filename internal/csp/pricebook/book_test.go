package pricebook_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
)

func TestValidate(t *testing.T) {
	ok := pricebook.Item{ProductID: "P", MarkupPercent: pct("20")}
	items := func(its ...pricebook.Item) pricebook.Book {
		return pricebook.Book{Items: append([]pricebook.Item{ok}, its...)}
	}
	promo := func(discount, start, end string) pricebook.Book {
		p := pricebook.Promotion{ID: "x", DiscountPercent: dec(discount)}
		if start != "" {
			p.StartDate = day(start)
		}
		if end != "" {
			p.EndDate = day(end)
		}
		return pricebook.Book{Promotions: []pricebook.Promotion{{ID: "ok", DiscountPercent: dec("5"), StartDate: day("2026-01-01"), EndDate: day("2026-01-01")}, p}}
	}
	many := make([]pricebook.Item, pricebook.MaxItems+1)
	for i := range many {
		many[i] = pricebook.Item{ProductID: "P", SkuID: strconv.Itoa(i), MarkupPercent: pct("1")}
	}
	for _, tc := range []struct {
		name  string
		book  pricebook.Book
		code  csp.Code
		field string
	}{
		{"both defaults", pricebook.Book{DefaultMarkupPercent: pct("10"), DefaultMarginPercent: pct("10")}, csp.EPriceBookBothDefaults, "defaultMarginPercent"},
		{"default markup above 1000", pricebook.Book{DefaultMarkupPercent: pct("1000.01")}, csp.EPriceBookMarkupRange, "defaultMarkupPercent"},
		{"default margin 100", pricebook.Book{DefaultMarginPercent: pct("100")}, csp.EPriceBookMarginRange, "defaultMarginPercent"},
		{"markup below -100", items(pricebook.Item{ProductID: "Q", MarkupPercent: pct("-100.5")}), csp.EPriceBookMarkupRange, "items[1].markupPercent"},
		{"margin negative", items(pricebook.Item{ProductID: "Q", MarginPercent: pct("-1")}), csp.EPriceBookMarginRange, "items[1].marginPercent"},
		{"margin 100", items(pricebook.Item{ProductID: "Q", MarginPercent: pct("100")}), csp.EPriceBookMarginRange, "items[1].marginPercent"},
		{"fixed negative", items(pricebook.Item{ProductID: "Q", FixedUnitPrice: pct("-0.01")}), csp.EPriceBookFixedPrice, "items[1].fixedUnitPrice"},
		{"fixed 7 decimals", items(pricebook.Item{ProductID: "Q", FixedUnitPrice: pct("1.0000001")}), csp.EPriceBookFixedPrice, "items[1].fixedUnitPrice"},
		{"no rule", items(pricebook.Item{ProductID: "Q"}), csp.EPriceBookItemRule, "items[1]"},
		{"two rules", items(pricebook.Item{ProductID: "Q", MarkupPercent: pct("1"), FixedUnitPrice: pct("1")}), csp.EPriceBookItemRule, "items[1]"},
		{"no product", items(pricebook.Item{SkuID: "0001", MarkupPercent: pct("1")}), csp.EPriceBookProductRequired, "items[1].productId"},
		{"duplicate product", items(pricebook.Item{ProductID: "P", MarginPercent: pct("5")}), csp.EPriceBookDuplicateItem, "items[1]"},
		{"duplicate sku", items(pricebook.Item{ProductID: "P", SkuID: "1", MarkupPercent: pct("5")}, pricebook.Item{ProductID: "P", SkuID: "1", MarkupPercent: pct("6")}), csp.EPriceBookDuplicateItem, "items[2]"},
		{"discount above 100", promo("100.1", "2026-03-01", "2026-03-31"), csp.EPriceBookDiscountRange, "promotions[1].discountPercent"},
		{"discount negative", promo("-1", "2026-03-01", "2026-03-31"), csp.EPriceBookDiscountRange, "promotions[1].discountPercent"},
		{"end before start", promo("10", "2026-03-02", "2026-03-01"), csp.EPriceBookPromotionDates, "promotions[1].endDate"},
		{"no start", promo("10", "", "2026-03-01"), csp.EPriceBookPromotionDates, "promotions[1].startDate"},
		{"no end", promo("10", "2026-03-01", ""), csp.EPriceBookPromotionDates, "promotions[1].endDate"},
		{"too many items", pricebook.Book{Items: many}, csp.EPriceBookTooManyItems, "items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.book.Validate()
			var e *csp.Error
			if csp.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want code %d", err, tc.code)
			}
			e = err.(*csp.Error)
			if !slices.Contains(e.Data, "field="+tc.field) {
				t.Fatalf("data %v, want field=%s", e.Data, tc.field)
			}
		})
	}
	// The edges are allowed: -100 and 1000 markups, 0 and 99.99 margins,
	// 0 and 100 discounts, a 0 price with 6 decimals, one-day promotions,
	// and exactly MaxItems items.
	edges := pricebook.Book{DefaultMarginPercent: pct("99.99"), Items: []pricebook.Item{
		{ProductID: "A", MarkupPercent: pct("-100")}, {ProductID: "A", SkuID: "1", MarkupPercent: pct("1000")},
		{ProductID: "B", MarginPercent: pct("0")}, {ProductID: "C", FixedUnitPrice: pct("0.000000")}, {ProductID: "D", FixedUnitPrice: pct("1.123456")},
	}, Promotions: []pricebook.Promotion{
		{ID: "a", DiscountPercent: dec("0"), StartDate: day("2026-03-01"), EndDate: day("2026-03-01")},
		{ID: "b", DiscountPercent: dec("100"), StartDate: day("2026-03-01"), EndDate: day("2026-03-02")},
	}}
	if err := edges.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (pricebook.Book{Items: many[:pricebook.MaxItems]}).Validate(); err != nil {
		t.Fatal(err)
	}
	// A customer's book is refused as the customer's.
	if _, err := pricebook.NewPricer(pricebook.Book{}, pricebook.Book{DefaultMarginPercent: pct("100")}); csp.ErrorCode(err) != csp.EPriceBookMarginRange || !strings.HasPrefix(csp.ErrorMessage(err), "the customer's price book: ") {
		t.Fatalf("customer book: %v", err)
	}
}
