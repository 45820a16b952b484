package csp

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
)

// TestProrationAndSubtotal: a line's effectiveUnitPrice is price × d/D
// rounded half away from zero to 6 decimals, and its subtotal
// ROUNDDOWN(EUP, 2) × whole seats (C-2), on the reference's examples.
func TestProrationAndSubtotal(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name              string
		price             string
		days, period, bq  int
		credit            bool
		wantEUP, wantCost string
	}{
		// 10 seats at $120/year cancelled with 362 of 365 days left.
		{"R11Cancel", "120", 362, 365, 10, true, "-119.013699", "-1190.10"},
		// R-12 annual: 10 → 15 with 184 of 366 days left.
		{"R12AddCredit", "120", 184, 366, 10, true, "-60.327869", "-603.20"},
		{"R12AddCharge", "120", 184, 366, 15, false, "60.327869", "904.80"},
		// R-12 monthly: 5 → 7 with 20 of 30 cycle days left.
		{"R12MonthlyCredit", "10", 20, 30, 5, true, "-6.666667", "-33.30"},
		{"R12MonthlyCharge", "10", 20, 30, 7, false, "6.666667", "46.62"},
		// Microsoft's 10 → 12 at 10.08 with 28 of 30 days left.
		{"R43PairCredit", "10.08", 28, 30, 10, true, "-9.408", "-94.00"},
		{"R43PairCharge", "10.08", 28, 30, 12, false, "9.408", "112.80"},
		// Microsoft's cancellation, 29 of 31 days at 10.08.
		{"R43Cancel", "10.08", 29, 31, 10, true, "-9.429677", "-94.20"},
		// Microsoft's full upgrade of 300 seats, 23 of 30 days.
		{"R43ConvertSource", "10.08", 23, 30, 300, true, "-7.728", "-2316.00"},
		{"R43ConvertTarget", "6.43", 23, 30, 300, false, "4.929667", "1476.00"},
		// A full period is the price itself.
		{"FullPeriod", "12.60", 31, 31, 10, false, "12.60", "126.00"},
		// Prices are truncated to cents before they multiply.
		{"TruncatedPrice", "6.309", 1, 1, 3, false, "6.309", "18.90"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eup := ProratePrice(d(tt.price), tt.days, tt.period)
			if tt.credit {
				eup = eup.Neg()
			}
			if !eup.Equal(d(tt.wantEUP)) {
				t.Fatalf("effectiveUnitPrice %s, want %s", eup, tt.wantEUP)
			}
			if s := Subtotal(eup, decimal.NewFromInt(1), decimal.NewFromInt(int64(tt.bq))); s.StringFixed(2) != tt.wantCost {
				t.Fatalf("subtotal %s, want %s", s.StringFixed(2), tt.wantCost)
			}
		})
	}
}

func TestMoneyRefusesMixedCurrencies(t *testing.T) {
	usd := NewMoney(decimal.RequireFromString("10.50"), "USD")
	if got, err := usd.Add(NewMoney(decimal.RequireFromString("0.75"), "USD")); err != nil || got.String() != "USD 11.25" {
		t.Errorf("10.50 + 0.75 = %s, %v", got, err)
	}
	if _, err := usd.Add(NewMoney(decimal.RequireFromString("1"), "EUR")); err == nil {
		t.Error("USD + EUR was added")
	}
	if _, err := Sum("USD", usd, NewMoney(decimal.NewFromInt(2), "GBP")); err == nil {
		t.Error("Sum in USD took a GBP amount")
	}
	if got, err := Sum("EUR"); err != nil || got.String() != "EUR 0.00" {
		t.Errorf("empty sum = %s, %v", got, err)
	}
}

func TestMoneyJSON(t *testing.T) {
	b, err := json.Marshal(NewMoney(decimal.RequireFromString("20.205"), "USD"))
	if err != nil || string(b) != `{"amount":"20.205","currency":"USD"}` {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var m Money
	if err := json.Unmarshal(b, &m); err != nil || m.Currency != "USD" || m.Amount.String() != "20.205" {
		t.Errorf("round trip = %+v, %v", m, err)
	}
	// A bare amount, as order lines were stored before amounts carried
	// their currency: the reader sets the currency.
	if err := json.Unmarshal([]byte(`"231"`), &m); err != nil || m.Currency != "" || m.Amount.String() != "231" {
		t.Errorf("bare amount = %+v, %v", m, err)
	}
}

func TestReconcile(t *testing.T) {
	order := &Order{CreatedAt: at("2026-01-05T09:00:00Z")}
	c := Charge{ChargeType: ChargeAddQuantity, Quantity: 2, Subtotal: NewMoney(decimal.RequireFromString("34.28"), "USD"),
		TermAndBilling: "P1Y:monthly", PostedAt: at("2026-01-13T09:00:00Z"), ChargeStart: at("2026-01-13T00:00:00Z")}
	l, err := Reconcile(c, &Tenant{DisplayName: "Fabrikam"}, order, true)
	if err != nil {
		t.Fatal(err)
	}
	if l.TermAndBillingCycle != "1 Year - Monthly" || l.BillingFrequency != "Monthly" || l.PublisherName != "Microsoft Corporation" {
		t.Errorf("names: %q, %q, %q", l.TermAndBillingCycle, l.BillingFrequency, l.PublisherName)
	}
	// BillingFrequency is empty on unbilled and prepaid upfront lines; a
	// P3Y billed annually is billed once a year.
	for _, f := range []struct {
		key    string
		billed bool
		want   string
	}{{"P1Y:monthly", false, ""}, {"P1Y:annual", true, ""}, {"P3Y:triennial", true, ""}, {"P3Y:annual", true, "Annual"}, {"P1M:monthly", true, "Monthly"}} {
		c.TermAndBilling = f.key
		if l, _ := Reconcile(c, &Tenant{}, nil, f.billed); l.BillingFrequency != f.want {
			t.Errorf("%s billed %v: BillingFrequency %q, want %q", f.key, f.billed, l.BillingFrequency, f.want)
		}
	}
	c.TermAndBilling = "P1Y:monthly"
	// Pre-tax, rate 1 dated the first of the posting month.
	if l.TaxTotal.String() != "USD 0.00" || l.TotalForCustomer.String() != "USD 34.28" || l.PCToBCExchangeRate.String() != "1" ||
		!l.PCToBCExchangeRateDate.Equal(at("2026-01-01T00:00:00Z")) || l.PricingCurrency != "USD" {
		t.Errorf("figures: tax %s, total %s, rate %s on %s, %s", l.TaxTotal, l.TotalForCustomer, l.PCToBCExchangeRate, l.PCToBCExchangeRateDate, l.PricingCurrency)
	}
	// A seat change's pair is dated the change day (C-2); other lines
	// their order's.
	if l.OrderDate == nil || !l.OrderDate.Equal(at("2026-01-13T00:00:00Z")) {
		t.Errorf("the pair's order date %v", l.OrderDate)
	}
	c.ChargeType = ChargeCycle
	if l, _ := Reconcile(c, &Tenant{}, order, true); l.OrderDate == nil || !l.OrderDate.Equal(order.CreatedAt) {
		t.Errorf("a cycle charge's order date %v", l.OrderDate)
	}
	if l, _ := Reconcile(Charge{Subtotal: ZeroMoney("EUR"), TermAndBilling: "P3Y:triennial"}, &Tenant{}, nil, false); l.OrderDate != nil || l.TermAndBillingCycle != "3 Years - Triennial" {
		t.Errorf("no order: %v, %q", l.OrderDate, l.TermAndBillingCycle)
	}
}
