package pricebook_test

import (
	"slices"
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
)

// TestInvoice: four EUR lines and one USD line.
//
//	E3 full period, default markup 20%: 231.00 → 277.20, cost 231.00, profit 46.20
//	BP add charge, customer fixed 25:   205.56 → 222.48, cost 205.56, profit 16.92
//	BP add credit, customer fixed 25:  −171.30 → −185.40, cost −171.30, profit −14.10
//	own service, at its subtotal:        50.00 → 50.00,  cost 0,      profit 50.00
//	EUR: amount 277.20 + 222.48 − 185.40 + 50.00 = 364.28; cost 231.00 + 205.56 − 171.30 = 265.26; profit 99.02
//	USD line, E3, 100.00 → 120.00, cost 100.00, profit 20.00
func TestInvoice(t *testing.T) {
	e3 := fullLine()
	e3.ProductID, e3.SkuID = "E3", "0001"
	charge, credit := addPair()
	own := pricebook.CostLine{ProductID: "OWN", SkuID: "1", PartnerService: true, ChargeType: csp.ChargeCycle, UnitPrice: eur("50"), EffectiveUnitPrice: eur("50"),
		BillableQuantity: dec("1"), Subtotal: eur("50.00"), ChargeStart: day("2026-03-01"), ChargeEnd: day("2026-03-31")}
	usd := e3
	usd.UnitPrice, usd.EffectiveUnitPrice, usd.Subtotal = csp.NewMoney(dec("10"), "USD"), csp.NewMoney(dec("10"), "USD"), csp.NewMoney(dec("100.00"), "USD")
	partner := pricebook.Book{DefaultMarkupPercent: pct("20")}
	customer := pricebook.Book{Items: []pricebook.Item{{ProductID: bp, FixedUnitPrice: pct("25")}}}
	inv, err := pricebook.Invoice(partner, customer, []pricebook.CostLine{e3, charge, usd, credit, own})
	if err != nil {
		t.Fatal(err)
	}
	amounts := []string{"277.20", "222.48", "120.00", "-185.40", "50.00"}
	for i, l := range inv.Lines {
		if !l.Amount.Amount.Equal(dec(amounts[i])) {
			t.Fatalf("line %d: %s, want %s", i, l.Amount, amounts[i])
		}
	}
	want := func(what string, t1 pricebook.Total, amount, cost, profit, cur string) {
		t.Helper()
		if !t1.Amount.Amount.Equal(dec(amount)) || !t1.Cost.Amount.Equal(dec(cost)) || !t1.Profit.Amount.Equal(dec(profit)) ||
			t1.Amount.Currency != cur || t1.Cost.Currency != cur || t1.Profit.Currency != cur {
			t.Fatalf("%s: %s cost %s profit %s, want %s %s %s %s", what, t1.Amount, t1.Cost, t1.Profit, cur, amount, cost, profit)
		}
	}
	if len(inv.Totals) != 2 || inv.Totals[0].Amount.Currency != "EUR" || inv.Totals[1].Amount.Currency != "USD" {
		t.Fatalf("totals %+v", inv.Totals)
	}
	eurTotal, _ := inv.Total("EUR")
	want("EUR", eurTotal, "364.28", "265.26", "99.02", "EUR")
	usdTotal, _ := inv.Total("USD")
	want("USD", usdTotal, "120.00", "100.00", "20.00", "USD")
	// The total is the sum of the lines, exactly.
	sum := csp.ZeroMoney("EUR")
	for _, l := range inv.Lines {
		if l.Amount.Currency == "EUR" {
			sum, _ = sum.Add(l.Amount)
		}
	}
	if !sum.Amount.Equal(eurTotal.Amount.Amount) {
		t.Fatalf("sum %s, total %s", sum, eurTotal.Amount)
	}
	// Per product: BP 222.48 − 185.40 = 37.08, cost 205.56 − 171.30 = 34.26, profit 2.82.
	bpTotal, ok := inv.Product(bp+":"+bpSku, "EUR")
	if !ok {
		t.Fatalf("no BP total in %+v", inv.Products)
	}
	want("BP", bpTotal, "37.08", "34.26", "2.82", "EUR")
	ownTotal, _ := inv.Product("OWN:1", "EUR")
	want("own", ownTotal, "50.00", "0", "50.00", "EUR")
	var offers []string
	for _, p := range inv.Products {
		offers = append(offers, p.Amount.Currency+" "+p.Offer)
	}
	if !slices.Equal(offers, []string{"EUR " + bp + ":" + bpSku, "EUR E3:0001", "EUR OWN:1", "USD E3:0001"}) {
		t.Fatalf("products %v", offers)
	}

	// A line in two currencies is refused, naming the line.
	bad := e3
	bad.EffectiveUnitPrice.Currency = "USD"
	_, err = pricebook.Invoice(partner, customer, []pricebook.CostLine{e3, bad})
	if e, ok := err.(*csp.Error); !ok || e.Code != csp.EPriceBookLineCurrency || !slices.Contains(e.Data, "field=lines[1]") {
		t.Fatalf("mixed line: %v", err)
	}
	// An invalid book is refused before any line.
	if _, err := pricebook.Invoice(pricebook.Book{DefaultMarginPercent: pct("100")}, customer, nil); csp.ErrorCode(err) != csp.EPriceBookMarginRange {
		t.Fatalf("invalid book: %v", err)
	}
}
