package pricebook_test

import (
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
)

func TestDescribe(t *testing.T) {
	charge, credit := addPair()
	with := func(l pricebook.CostLine, f func(*pricebook.CostLine)) pricebook.CostLine { f(&l); return l }
	// Cancelled on Mar 15: Mar 15 – Apr 11 is 28 of the period's 31 days.
	cancel := with(credit, func(l *pricebook.CostLine) {
		l.ChargeType, l.ChargeStart, l.Days = csp.ChargeCancelImmediate, day("2026-03-15"), 28
	})
	remove := with(charge, func(l *pricebook.CostLine) { l.ChargeType, l.BillableQuantity = csp.ChargeRemoveQuantity, dec("8") })
	removeCredit := with(credit, func(l *pricebook.CostLine) { l.ChargeType = csp.ChargeRemoveQuantity })
	e5 := func(l *pricebook.CostLine) { l.ProductName, l.SkuName = "Microsoft 365", "Microsoft 365 E5" }
	for _, tc := range []struct {
		name string
		line pricebook.CostLine
		want string
	}{
		{"cycleCharge", fullLine(), "Microsoft 365 Business Premium, 10 seats, Mar 12 – Apr 11, 2026"},
		{"cycleCharge, partial", with(fullLine(), func(l *pricebook.CostLine) { l.Days = 20 }), "Microsoft 365 Business Premium, 10 seats, Mar 12 – Apr 11, 2026, 20 of 31 days"},
		{"new", with(fullLine(), func(l *pricebook.CostLine) { l.ChargeType = csp.ChargeNew }), "Microsoft 365 Business Premium, 10 seats, new subscription, Mar 12 – Apr 11, 2026"},
		{"renew, across a year", with(fullLine(), func(l *pricebook.CostLine) {
			l.ChargeType, l.ChargeStart, l.ChargeEnd, l.BillableQuantity = csp.ChargeRenew, day("2025-12-12"), day("2026-01-11"), dec("1")
		}), "Microsoft 365 Business Premium, 1 seat, renewed, Dec 12, 2025 – Jan 11, 2026"},
		{"addQuantity charge", charge, "Microsoft 365 Business Premium, 2 seats added on Mar 20, 2026: 23 of 31 days (Mar 20 – Apr 11)"},
		{"addQuantity credit", credit, "Credit: 10 seats, Mar 20 – Apr 11, 2026, 23 of 31 days"},
		{"removeQuantity charge", remove, "Microsoft 365 Business Premium, 2 seats removed on Mar 20, 2026: 23 of 31 days (Mar 20 – Apr 11)"},
		{"removeQuantity credit", removeCredit, "Credit: 10 seats, Mar 20 – Apr 11, 2026, 23 of 31 days"},
		{"cancelImmediate", cancel, "Cancelled on Mar 15, 2026: credit for 28 of 31 days (Mar 15 – Apr 11), Microsoft 365 Business Premium, 10 seats"},
		{"convert charge", with(charge, func(l *pricebook.CostLine) { l.ChargeType = csp.ChargeConvert; e5(l) }),
			"Microsoft 365 E5, 12 seats, converted on Mar 20, 2026: 23 of 31 days (Mar 20 – Apr 11)"},
		{"convert credit", with(credit, func(l *pricebook.CostLine) { l.ChargeType = csp.ChargeConvert }),
			"Credit: Microsoft 365 Business Premium, 10 seats, converted on Mar 20, 2026: 23 of 31 days (Mar 20 – Apr 11)"},
		{"moveQuantity", with(charge, func(l *pricebook.CostLine) {
			l.ChargeType = csp.ChargeMoveQuantity
			l.ProductName, l.SkuName = "Office", "E3"
		}),
			"Office E3, 12 seats moved in on Mar 20, 2026: 23 of 31 days (Mar 20 – Apr 11)"},
		{"changeBillingPlan", with(fullLine(), func(l *pricebook.CostLine) {
			l.ChargeType, l.ChargeEnd, l.Days, l.PeriodDays = csp.ChargeChangeBillingPlan, day("2027-03-11"), 12, 36
		}), "Microsoft 365 Business Premium, 10 seats, new billing plan from Mar 12, 2026: Mar 12, 2026 – Mar 11, 2027"},
		{"customerCredit", with(credit, func(l *pricebook.CostLine) { l.ChargeType = pricebook.ChargeCustomerCredit }),
			"Credit from your partner: Microsoft 365 Business Premium, Mar 20 – Apr 11, 2026"},
		{"usage", pricebook.CostLine{Usage: true, ChargeType: "usage", MeterName: "Standard SSD", ChargeStart: day("2026-03-01"), ChargeEnd: day("2026-03-31")},
			"Azure usage, Standard SSD, Mar 2026"},
		{"unknown type, days unknown", with(fullLine(), func(l *pricebook.CostLine) { l.ChargeType, l.Days, l.PeriodDays = "oddity", 0, 0 }),
			"Microsoft 365 Business Premium, 10 seats, Mar 12 – Apr 11, 2026 (oddity)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := pricebook.Describe(tc.line); got != tc.want {
				t.Fatalf("\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
