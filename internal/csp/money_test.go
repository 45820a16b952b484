package csp

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
)

func TestProrationAndSubtotal(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name                string
		qty, days, period   int
		price, wantBillable string
		wantSubtotal        string
	}{
		// 10 seats at $120/year, cancelled on day 4 of a 365-day term:
		// the credit covers 362 days.
		{"R11CancelCredit", -10, 362, 365, "120", "-9.917808", "-1190.14"},
		// 5 seats at $120/year added with 184 of 366 days left.
		{"R12AddAnnual", 5, 184, 366, "120", "2.513661", "301.64"},
		// 2 seats at $10/month added with 20 of 30 cycle days left.
		{"R12AddMonthly", 2, 20, 30, "10", "1.333333", "13.33"},
		// 4 seats moved with 92 of 366 days left, $72 and $264 a year.
		{"R17UpgradeCredit", -4, 92, 366, "72", "-1.005464", "-72.39"},
		{"R17UpgradeCharge", 4, 92, 366, "264", "1.005464", "265.44"},
		// A full period bills the whole quantity.
		{"FullPeriod", 10, 31, 31, "12.60", "10", "126.00"},
		// Prices are truncated to cents before they multiply.
		{"TruncatedPrice", 3, 1, 1, "6.309", "3", "18.90"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Prorate(tt.qty, tt.days, tt.period)
			if !b.Equal(d(tt.wantBillable)) {
				t.Fatalf("billable %s, want %s", b, tt.wantBillable)
			}
			if s := Subtotal(d(tt.price), decimal.NewFromInt(1), b); s.StringFixed(2) != tt.wantSubtotal {
				t.Fatalf("subtotal %s, want %s", s.StringFixed(2), tt.wantSubtotal)
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
		TermAndBilling: "P1Y:monthly", PostedAt: at("2026-01-13T09:00:00Z")}
	l, err := Reconcile(c, &Tenant{DisplayName: "Fabrikam"}, order)
	if err != nil {
		t.Fatal(err)
	}
	if l.TermAndBillingCycle != "1 Year - Monthly" || l.BillingFrequency != "Monthly" || l.PublisherName != "Microsoft Corporation" {
		t.Errorf("names: %q, %q, %q", l.TermAndBillingCycle, l.BillingFrequency, l.PublisherName)
	}
	// Pre-tax, rate 1 dated the first of the posting month.
	if l.TaxTotal.String() != "USD 0.00" || l.TotalForCustomer.String() != "USD 34.28" || l.PCToBCExchangeRate.String() != "1" ||
		!l.PCToBCExchangeRateDate.Equal(at("2026-01-01T00:00:00Z")) || l.PricingCurrency != "USD" {
		t.Errorf("figures: tax %s, total %s, rate %s on %s, %s", l.TaxTotal, l.TotalForCustomer, l.PCToBCExchangeRate, l.PCToBCExchangeRateDate, l.PricingCurrency)
	}
	if l.OrderDate == nil || !l.OrderDate.Equal(order.CreatedAt) {
		t.Errorf("order date %v", l.OrderDate)
	}
	if l, _ := Reconcile(Charge{Subtotal: ZeroMoney("EUR"), TermAndBilling: "P3Y:triennial"}, &Tenant{}, nil); l.OrderDate != nil || l.TermAndBillingCycle != "3 Years - Triennial" {
		t.Errorf("no order: %v, %q", l.OrderDate, l.TermAndBillingCycle)
	}
}
