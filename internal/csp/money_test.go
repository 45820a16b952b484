package csp

import (
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
