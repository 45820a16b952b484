package billing

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestMonth(t *testing.T) {
	m, err := ParseMonth("2026-02")
	if err != nil {
		t.Fatal(err)
	}
	if !m.Start().Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) || !m.End().Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) ||
		!m.LastDay().Equal(time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)) || m.Next().String() != "2026-03" || m.String() != "2026-02" {
		t.Errorf("2026-02: %s..%s, last %s, next %s", m.Start(), m.End(), m.LastDay(), m.Next())
	}
	if got := MonthOf(time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC)).Next(); got.String() != "2027-01" {
		t.Errorf("after 2026-12: %s", got)
	}
	for _, bad := range []string{"2026-13", "26-03", "2026-3", "1999-12", "2100-01", "2026-03-01", ""} {
		if _, err := ParseMonth(bad); csp.ErrorCode(err) != csp.EInvalidMonth {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestInvoiceNumber(t *testing.T) {
	if got := InvoiceNumber(24135); got != "G000024135" {
		t.Errorf("%s", got)
	}
}

func TestPCToBC(t *testing.T) {
	r := Rates{"EUR": dec("1.0712"), "DKK": dec("0.1436"), "GBP": dec("1.27")}
	for _, c := range []struct{ pc, bc, want string }{
		{"USD", "USD", "1"},
		{"EUR", "EUR", "1"},
		{"EUR", "USD", "1.0712"},
		{"USD", "EUR", "0.933532"}, // 1 / 1.0712 = 0.93353249...
		{"EUR", "DKK", "7.459610"}, // 1.0712 / 0.1436 = 7.45961002...
		{"GBP", "EUR", "1.185586"}, // 1.27 / 1.0712 = 1.18558625...
	} {
		got, err := r.PCToBC(c.pc, c.bc)
		if err != nil || !got.Equal(dec(c.want)) {
			t.Errorf("%s→%s: %s, %v; want %s", c.pc, c.bc, got, err, c.want)
		}
	}
	if _, err := r.PCToBC("EUR", "CAD"); csp.ErrorCode(err) != csp.EInvalidCurrency {
		t.Errorf("a missing rate: %v", err)
	}
	if _, err := (Rates{"EUR": decimal.Zero}).PCToBC("EUR", "USD"); csp.ErrorCode(err) != csp.EInvalidCurrency {
		t.Errorf("a zero rate: %v", err)
	}
}

func TestLineAmounts(t *testing.T) {
	// A 10-seat cycle charge at 23.10 billed in the same currency: 231.00;
	// tax 19%: 43.89.
	sub := LicenceSubtotal(dec("23.10"), dec("1"), dec("10"))
	if !sub.Equal(dec("231.00")) || !Tax(sub, dec("0.19")).Equal(dec("43.89")) {
		t.Errorf("231.00: %s, tax %s", sub, Tax(sub, dec("0.19")))
	}
	// The credit of a pair, EUP −9.429677 EUR at 7.459610 to DKK:
	// −9.429677 × 7.459610 = −70.34171... → ROUNDDOWN −70.34 × 10 = −703.40;
	// tax 25%: −175.85.
	sub = LicenceSubtotal(dec("-9.429677"), dec("7.459610"), dec("10"))
	if !sub.Equal(dec("-703.40")) || !Tax(sub, dec("0.25")).Equal(dec("-175.85")) {
		t.Errorf("credit: %s, tax %s", sub, Tax(sub, dec("0.25")))
	}
	// Tax rounds half away from zero: 0.05 × 0.19 = 0.0095 → 0.01; −0.0095 → −0.01.
	if !Tax(dec("0.05"), dec("0.19")).Equal(dec("0.01")) || !Tax(dec("-0.05"), dec("0.19")).Equal(dec("-0.01")) {
		t.Errorf("half away: %s %s", Tax(dec("0.05"), dec("0.19")), Tax(dec("-0.05"), dec("0.19")))
	}
	// Usage: a pricing pre-tax total of 41.66 USD at 0.933532 to EUR:
	// 41.66 × 0.933532 = 38.89094... → 38.89.
	if got := UsageSubtotal(dec("41.66"), dec("0.933532")); !got.Equal(dec("38.89")) {
		t.Errorf("usage: %s", got)
	}
}

func TestTotals(t *testing.T) {
	var a, b Totals
	a.Add(dec("231.00"), dec("43.89"))
	a.Add(dec("-703.40"), dec("-175.85"))
	b.Add(dec("38.89"), dec("0"))
	got := a.Plus(b)
	// 231.00 − 703.40 + 38.89 = −433.51; tax 43.89 − 175.85 = −131.96;
	// total −565.47.
	if !got.Subtotal.Equal(dec("-433.51")) || !got.Tax.Equal(dec("-131.96")) || !got.Total.Equal(dec("-565.47")) || got.Lines != 3 {
		t.Errorf("%+v", got)
	}
}

func TestDefaultRates(t *testing.T) {
	d := DefaultRates()
	// Every currency of Microsoft's markets table but USD has a default.
	for _, c := range []string{"EUR", "AUD", "GBP", "NZD", "NOK", "DKK", "CAD", "TWD", "SEK", "KRW", "JPY", "INR", "CNY", "CHF", "BRL"} {
		if !d[c].IsPositive() {
			t.Errorf("no default rate for %s", c)
		}
	}
	// The operator's rate wins: 1.0712 / 1.27 = 0.843464...
	got, err := d.With(Rates{"EUR": dec("1.0712")}).PCToBC("EUR", "GBP")
	if err != nil || !got.Equal(dec("0.843465")) {
		t.Errorf("EUR→GBP %s, %v", got, err)
	}
}

func TestHeldWholeDay(t *testing.T) {
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	day := at("2026-03-10T00:00:00Z")
	for _, c := range []struct {
		what  string
		holds []Hold
		want  bool
	}{
		{"none", nil, false},
		{"held since before, still held", []Hold{{From: at("2026-03-02T09:00:00Z")}}, true},
		{"given at 09:00 that day", []Hold{{From: at("2026-03-10T09:00:00Z")}}, false},
		{"given at midnight", []Hold{{From: at("2026-03-10T00:00:00Z")}}, true},
		{"removed at 10:00", []Hold{{From: at("2026-03-02T09:00:00Z"), To: at("2026-03-10T10:00:00Z")}}, false},
		{"removed at the next midnight", []Hold{{From: at("2026-03-02T09:00:00Z"), To: at("2026-03-11T00:00:00Z")}}, true},
		{"two holds meeting at noon", []Hold{{From: at("2026-03-10T12:00:00Z")}, {From: at("2026-03-01T00:00:00Z"), To: at("2026-03-10T12:00:00Z")}}, true},
		{"a gap of an hour", []Hold{{From: at("2026-03-01T00:00:00Z"), To: at("2026-03-10T12:00:00Z")}, {From: at("2026-03-10T13:00:00Z")}}, false},
		{"ended the day before", []Hold{{From: at("2026-03-01T00:00:00Z"), To: at("2026-03-09T12:00:00Z")}}, false},
	} {
		if got := HeldWholeDay(c.holds, day); got != c.want {
			t.Errorf("%s: %v, want %v", c.what, got, c.want)
		}
	}
}

func TestBillUsageWithPEC(t *testing.T) {
	// 24 hours of a B2s at 0.0416 with 15% credit: EUP 0.0416 × 0.85 =
	// 0.03536; ROUNDDOWN(0.03536 × 24, 2) = ROUNDDOWN(0.84864) = 0.84.
	l := azure.RatedLine{Quantity: dec("24"), UnitPrice: csp.NewMoney(dec("0.0416"), "USD")}
	eup, pricing, sub, tax := BillUsage(l, dec("15"), dec("1"), dec("0.10"))
	if !eup.Equal(dec("0.03536")) || !pricing.Equal(dec("0.84")) || !sub.Equal(dec("0.84")) || !tax.Equal(dec("0.08")) {
		t.Errorf("with PEC: %s %s %s %s", eup, pricing, sub, tax)
	}
	// Without: ROUNDDOWN(0.9984) = 0.99.
	if _, pricing, _, _ := BillUsage(l, decimal.Zero, dec("1"), decimal.Zero); !pricing.Equal(dec("0.99")) {
		t.Errorf("without PEC: %s", pricing)
	}
}
