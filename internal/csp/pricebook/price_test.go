package pricebook_test

import (
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal  { return decimal.RequireFromString(s) }
func pct(s string) *decimal.Decimal { d := dec(s); return &d }
func eur(s string) csp.Money        { return csp.NewMoney(dec(s), "EUR") }
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

const bp, bpSku = "CFQ7TTC0LCHC", "0002"

// fullLine is a whole monthly period of 10 seats at 23.10: subtotal 231.00.
func fullLine() pricebook.CostLine {
	return pricebook.CostLine{
		ProductID: bp, SkuID: bpSku, ProductName: "Microsoft 365 Business Premium", SkuName: "Microsoft 365 Business Premium",
		ChargeType: csp.ChargeCycle, UnitPrice: eur("23.10"), EffectiveUnitPrice: eur("23.10"), Quantity: 10,
		BillableQuantity: dec("10"), Subtotal: eur("231.00"), ChargeStart: day("2026-03-12"), ChargeEnd: day("2026-04-11"),
		Days: 31, PeriodDays: 31,
	}
}

// addPair is the two lines of 10 → 12 seats on Mar 20 of the period Mar 12
// – Apr 11 (31 days), 23 days left: partner EUP 23.10 × 23/31 =
// 17.1387096… → 17.138710; charge 17.13 × 12 = 205.56, credit
// −17.13 × 10 = −171.30.
func addPair() (charge, credit pricebook.CostLine) {
	charge = fullLine()
	charge.ChargeType, charge.Quantity, charge.ChargeStart, charge.Days = csp.ChargeAddQuantity, 2, day("2026-03-20"), 23
	credit = charge
	charge.BillableQuantity, charge.EffectiveUnitPrice, charge.Subtotal = dec("12"), eur("17.138710"), eur("205.56")
	credit.BillableQuantity, credit.EffectiveUnitPrice, credit.Subtotal = dec("10"), eur("-17.138710"), eur("-171.30")
	return charge, credit
}

func price(t *testing.T, partner, customer pricebook.Book, l pricebook.CostLine) pricebook.CustomerLine {
	t.Helper()
	p, err := pricebook.NewPricer(partner, customer)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := p.Price(l)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func TestRules(t *testing.T) {
	hundred := fullLine() // 10 seats at 10.00: subtotal 100.00
	hundred.UnitPrice, hundred.EffectiveUnitPrice, hundred.Subtotal = eur("10.00"), eur("10.00"), eur("100.00")
	charge, credit := addPair()
	unknown := charge // an imported line: d and D unknown
	unknown.Days, unknown.PeriodDays = 0, 0
	item := func(it pricebook.Item) pricebook.Book {
		it.ProductID = bp
		return pricebook.Book{Items: []pricebook.Item{it}}
	}
	for _, tc := range []struct {
		name                    string
		book                    pricebook.Book
		line                    pricebook.CostLine
		rule, unit, eup, amount string
		profit                  string
	}{
		// 231.00 × 1.20 = 277.20; unit 23.10 × 1.2 = 27.72; profit 46.20.
		{"markup 20%", pricebook.Book{DefaultMarkupPercent: pct("20")}, fullLine(), "markup 20%", "27.72", "27.72", "277.20", "46.20"},
		// 231.00 / 0.75 = 308.00; unit 23.10 / 0.75 = 30.80.
		{"margin 25%", pricebook.Book{DefaultMarginPercent: pct("25")}, fullLine(), "margin 25%", "30.80", "30.8", "308.00", "77.00"},
		// 100.00 / 0.7 = 142.857142… → 142.86; unit 10 / 0.7 = 14.2857… → 14.29.
		{"margin 30%", pricebook.Book{DefaultMarginPercent: pct("30")}, hundred, "margin 30%", "14.29", "14.285714", "142.86", "42.86"},
		// Full period: EUP 25.00, 25.00 × 10 = 250.00; profit 250 − 231 = 19.00.
		{"fixed full", item(pricebook.Item{FixedUnitPrice: pct("25")}), fullLine(), "fixed 25.00", "25", "25", "250.00", "19.00"},
		// 25 × 23/31 = 18.5483870… → 18.548387 → 18.54 × 12 = 222.48; profit 222.48 − 205.56 = 16.92.
		{"fixed add charge", item(pricebook.Item{FixedUnitPrice: pct("25.00")}), charge, "fixed 25.00", "25", "18.548387", "222.48", "16.92"},
		// −18.548387 → −18.54 × 10 = −185.40; profit −185.40 + 171.30 = −14.10.
		{"fixed add credit", item(pricebook.Item{FixedUnitPrice: pct("25.00")}), credit, "fixed 25.00", "25", "-18.548387", "-185.40", "-14.10"},
		// d/D from the line: 25 × 17.138710 / 23.10 = 428.46775 / 23.1 = 18.5483874… → 18.548387 → 222.48.
		{"fixed, days unknown", item(pricebook.Item{FixedUnitPrice: pct("25")}), unknown, "fixed 25.00", "25", "18.548387", "222.48", "16.92"},
		// A fixed price with 6 decimals is named with all of them.
		{"fixed 6 decimals", item(pricebook.Item{FixedUnitPrice: pct("25.123456")}), fullLine(), "fixed 25.123456", "25.123456", "25.123456", "251.20", "20.20"},
		// Markup on the credit: −171.30 × 1.2 = −205.56; EUP −17.138710 × 1.2 = −20.566452.
		{"markup credit", pricebook.Book{DefaultMarkupPercent: pct("20")}, credit, "markup 20%", "27.72", "-20.566452", "-205.56", "-34.26"},
		// −100% gives it away: 0; profit −231.
		{"markup -100%", pricebook.Book{DefaultMarkupPercent: pct("-100")}, fullLine(), "markup -100%", "0", "0", "0", "-231.00"},
		// A margin on a fractional percentage: 231 / (1 − 0.125) = 264.00.
		{"margin 12.5%", pricebook.Book{DefaultMarginPercent: pct("12.5")}, fullLine(), "margin 12.5%", "26.40", "26.4", "264.00", "33.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cl := price(t, tc.book, pricebook.Book{}, tc.line)
			if cl.Rule != tc.rule || !cl.UnitPrice.Amount.Equal(dec(tc.unit)) || !cl.EffectiveUnitPrice.Amount.Equal(dec(tc.eup)) ||
				!cl.Amount.Amount.Equal(dec(tc.amount)) || !cl.Profit.Amount.Equal(dec(tc.profit)) {
				t.Fatalf("got rule %q unit %s eup %s amount %s profit %s, want %q %s %s %s %s",
					cl.Rule, cl.UnitPrice.Amount, cl.EffectiveUnitPrice.Amount, cl.Amount.Amount, cl.Profit.Amount,
					tc.rule, tc.unit, tc.eup, tc.amount, tc.profit)
			}
			if cl.Amount.Currency != "EUR" || cl.UnitPrice.Currency != "EUR" || cl.Profit.Currency != "EUR" {
				t.Fatalf("currencies %s %s %s", cl.Amount.Currency, cl.UnitPrice.Currency, cl.Profit.Currency)
			}
		})
	}
}

// TestPrecedence: the first that matches of customer SKU item, customer
// product item, partner SKU item, partner product item, customer default,
// partner default (and at cost without any). Each level's markup differs,
// so the amount on 231.00 names the level.
func TestPrecedence(t *testing.T) {
	partner := func(sku, product, def bool) pricebook.Book {
		var b pricebook.Book
		if sku {
			b.Items = append(b.Items, pricebook.Item{ProductID: bp, SkuID: bpSku, MarkupPercent: pct("30")})
		}
		if product {
			b.Items = append(b.Items, pricebook.Item{ProductID: bp, MarkupPercent: pct("20")})
		}
		if def {
			b.DefaultMarkupPercent = pct("10")
		}
		return b
	}
	customer := func(sku, product, def bool) pricebook.Book {
		var b pricebook.Book
		if sku {
			b.Items = append(b.Items, pricebook.Item{ProductID: bp, SkuID: bpSku, MarkupPercent: pct("50")})
		}
		if product {
			b.Items = append(b.Items, pricebook.Item{ProductID: bp, MarkupPercent: pct("40")})
		}
		if def {
			b.DefaultMarkupPercent = pct("5")
		}
		// An item of another SKU and of another product never match.
		b.Items = append(b.Items, pricebook.Item{ProductID: bp, SkuID: "0009", MarkupPercent: pct("99")},
			pricebook.Item{ProductID: "OTHER", MarkupPercent: pct("98")})
		return b
	}
	for _, tc := range []struct {
		name              string
		partner, customer pricebook.Book
		rule, amount      string
	}{
		{"customer sku", partner(true, true, true), customer(true, true, true), "markup 50%", "346.50"},                       // 231 × 1.5
		{"customer product over partner sku", partner(true, true, true), customer(false, true, true), "markup 40%", "323.40"}, // 231 × 1.4
		{"partner sku", partner(true, true, true), customer(false, false, true), "markup 30%", "300.30"},                      // 231 × 1.3
		{"partner product", partner(false, true, true), customer(false, false, true), "markup 20%", "277.20"},                 // 231 × 1.2
		{"customer default", partner(false, false, true), customer(false, false, true), "markup 5%", "242.55"},                // 231 × 1.05
		{"partner default", partner(false, false, true), customer(false, false, false), "markup 10%", "254.10"},               // 231 × 1.1
		{"no rule: at cost", partner(false, false, false), customer(false, false, false), "markup 0%", "231.00"},
		// A customer's default margin over the partner's default markup: 231 / 0.75.
		{"customer default margin", partner(false, false, true), pricebook.Book{DefaultMarginPercent: pct("25")}, "margin 25%", "308.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cl := price(t, tc.partner, tc.customer, fullLine())
			if cl.Rule != tc.rule || !cl.Amount.Amount.Equal(dec(tc.amount)) {
				t.Fatalf("rule %q amount %s, want %q %s", cl.Rule, cl.Amount.Amount, tc.rule, tc.amount)
			}
		})
	}
}

func TestPromotions(t *testing.T) {
	march := pricebook.Promotion{ID: "spring", Name: "Spring 10%", DiscountPercent: dec("10"), StartDate: day("2026-03-01"), EndDate: day("2026-03-31")}
	april := fullLine()
	april.ChargeStart, april.ChargeEnd = day("2026-04-01"), day("2026-04-30")
	book := func(ps ...pricebook.Promotion) pricebook.Book {
		return pricebook.Book{DefaultMarkupPercent: pct("20"), Promotions: ps}
	}
	withProduct := func(p pricebook.Promotion, product, sku string, discount string) pricebook.Promotion {
		p.ID, p.Name, p.ProductID, p.SkuID, p.DiscountPercent = p.ID+"-"+discount, "", product, sku, dec(discount)
		return p
	}
	for _, tc := range []struct {
		name              string
		partner, customer pricebook.Book
		line              pricebook.CostLine
		promotion, amount string
	}{
		// Mar 12 is in [Mar 1, Mar 31]: 277.20 × 0.9 = 249.48.
		{"applies", book(march), pricebook.Book{}, fullLine(), "Spring 10%", "249.48"},
		// Apr 1 is past Mar 31: 277.20.
		{"ended", book(march), pricebook.Book{}, april, "", "277.20"},
		// The customer's 5% and the partner's 15% both apply: 15% wins, 277.20 × 0.85 = 235.62.
		{"best of two", book(withProduct(march, "", "", "15")), pricebook.Book{Promotions: []pricebook.Promotion{withProduct(march, bp, "", "5")}}, fullLine(), "spring-15", "235.62"},
		// Named for another product, or another SKU of this one: none applies.
		{"other product", book(withProduct(march, "OTHER", "", "10")), pricebook.Book{}, fullLine(), "", "277.20"},
		{"other sku", book(withProduct(march, bp, "0009", "10")), pricebook.Book{}, fullLine(), "", "277.20"},
		// Its own SKU: 277.20 × 0.8 = 221.76.
		{"this sku", book(withProduct(march, bp, bpSku, "20")), pricebook.Book{}, fullLine(), "spring-20", "221.76"},
		// The last day counts: a line starting Mar 31 is discounted.
		{"last day", book(march), pricebook.Book{}, func() pricebook.CostLine { l := fullLine(); l.ChargeStart = day("2026-03-31"); return l }(), "Spring 10%", "249.48"},
		// 100% off: 0.
		{"free", book(withProduct(march, "", "", "100")), pricebook.Book{}, fullLine(), "spring-100", "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cl := price(t, tc.partner, tc.customer, tc.line)
			if cl.Promotion != tc.promotion || !cl.Amount.Amount.Equal(dec(tc.amount)) {
				t.Fatalf("promotion %q amount %s, want %q %s", cl.Promotion, cl.Amount.Amount, tc.promotion, tc.amount)
			}
		})
	}
	// The discount also lowers the effective unit price: 27.72 × 0.9 = 24.948; the unit price stays 27.72.
	if cl := price(t, book(march), pricebook.Book{}, fullLine()); !cl.EffectiveUnitPrice.Amount.Equal(dec("24.948")) || !cl.UnitPrice.Amount.Equal(dec("27.72")) || cl.PromotionID != "spring" {
		t.Fatalf("eup %s unit %s id %q", cl.EffectiveUnitPrice.Amount, cl.UnitPrice.Amount, cl.PromotionID)
	}
}

// TestOwnService: the partner's own service (5.00 × 10 = 50.00) is billed
// at its subtotal whatever the defaults, and costs nothing; an item naming
// its product prices it.
func TestOwnService(t *testing.T) {
	own := pricebook.CostLine{
		ProductID: "PARTNER-BACKUP", SkuID: "0001", ProductName: "Backup", PartnerService: true, ChargeType: csp.ChargeCycle,
		UnitPrice: eur("5.00"), EffectiveUnitPrice: eur("5.00"), Quantity: 10, BillableQuantity: dec("10"), Subtotal: eur("50.00"),
		ChargeStart: day("2026-03-01"), ChargeEnd: day("2026-03-31"), Days: 31, PeriodDays: 31,
	}
	cl := price(t, pricebook.Book{DefaultMarkupPercent: pct("20")}, pricebook.Book{DefaultMarginPercent: pct("50")}, own)
	if cl.Rule != "own service" || !cl.Amount.Amount.Equal(dec("50")) || !cl.Profit.Amount.Equal(dec("50")) || !cl.Cost.CostAmount().IsZero() {
		t.Fatalf("own service: %q %s profit %s", cl.Rule, cl.Amount, cl.Profit)
	}
	// A partner item of 20% on the product: 50.00 × 1.2 = 60.00, all profit.
	book := pricebook.Book{DefaultMarkupPercent: pct("0"), Items: []pricebook.Item{{ProductID: "PARTNER-BACKUP", MarkupPercent: pct("20")}}}
	cl = price(t, book, pricebook.Book{}, own)
	if cl.Rule != "markup 20%" || !cl.Amount.Amount.Equal(dec("60")) || !cl.Profit.Amount.Equal(dec("60")) {
		t.Fatalf("own service with an item: %q %s profit %s", cl.Rule, cl.Amount, cl.Profit)
	}
}

// TestUsage: an Azure usage line of 1234.5 units at 0.1 = 123.45.
func TestUsage(t *testing.T) {
	usage := pricebook.CostLine{
		ProductID: "DZH318Z0BPS6", SkuID: "0001", ProductName: "Azure plan", ChargeType: "usage", Usage: true, MeterName: "D2s v3",
		UnitPrice: eur("0.1"), EffectiveUnitPrice: eur("0.1"), BillableQuantity: dec("1234.5"), Subtotal: eur("123.45"),
		ChargeStart: day("2026-03-01"), ChargeEnd: day("2026-03-31"),
	}
	// Markup 20%: 123.45 × 1.2 = 148.14; the unit price 0.12 keeps 6 decimals.
	if cl := price(t, pricebook.Book{DefaultMarkupPercent: pct("20")}, pricebook.Book{}, usage); !cl.Amount.Amount.Equal(dec("148.14")) || !cl.UnitPrice.Amount.Equal(dec("0.12")) {
		t.Fatalf("usage markup: %s unit %s", cl.Amount, cl.UnitPrice)
	}
	// Fixed 0.05 per unit: 0.05 × 1234.5 = 61.725 → 61.73 (half away).
	book := pricebook.Book{Items: []pricebook.Item{{ProductID: "DZH318Z0BPS6", FixedUnitPrice: pct("0.05")}}}
	if cl := price(t, book, pricebook.Book{}, usage); !cl.Amount.Amount.Equal(dec("61.73")) || cl.Description != "Azure usage, D2s v3, Mar 2026" {
		t.Fatalf("usage fixed: %s %q", cl.Amount, cl.Description)
	}
}

func TestLineCurrencies(t *testing.T) {
	l := fullLine()
	l.UnitPrice.Currency = "USD"
	p, err := pricebook.NewPricer(pricebook.Book{}, pricebook.Book{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Price(l); csp.ErrorCode(err) != csp.EPriceBookLineCurrency {
		t.Fatalf("mixed currencies: %v", err)
	}
}
