package pricebook

import (
	"fmt"
	"strings"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
)

// Describe says in plain words what a line charges or credits, and for
// which days of its period, as the customer's invoice shows it.
func Describe(l CostLine) string {
	name := lineName(l)
	if l.Usage {
		return "Azure usage, " + l.MeterName + ", " + monthRange(l.ChargeStart, l.ChargeEnd)
	}
	billed := seats(int(l.BillableQuantity.IntPart()))
	span := longRange(l.ChargeStart, l.ChargeEnd)
	from := longDay(l.ChargeStart)
	part, partial := "", ""
	if l.Days > 0 && l.PeriodDays > 0 {
		part = fmt.Sprintf("%d of %d days", l.Days, l.PeriodDays)
		if l.Days != l.PeriodDays {
			partial = part
		}
	}
	// changed says when and for which part of the period a change is
	// charged: ": 23 of 31 days (Mar 20 – Apr 11)".
	changed := " (" + shortRange(l.ChargeStart, l.ChargeEnd) + ")"
	if part != "" {
		changed = ": " + part + changed
	}
	switch l.ChargeType {
	case csp.ChargeCycle:
		return join(name+", "+billed+", "+span, partial)
	case csp.ChargeNew:
		return join(name+", "+billed+", new subscription, "+span, partial)
	case csp.ChargeRenew:
		return join(name+", "+billed+", renewed, "+span, partial)
	case csp.ChargeAddQuantity, csp.ChargeRemoveQuantity:
		if l.Credit() { // the seats held before the change, credited
			return join("Credit: "+billed+", "+span, part)
		}
		verb := "added"
		if l.ChargeType == csp.ChargeRemoveQuantity {
			verb = "removed"
		}
		return fmt.Sprintf("%s, %s %s on %s%s", name, seats(l.Quantity), verb, from, changed)
	case csp.ChargeCancelImmediate:
		credit := "credit"
		if part != "" {
			credit += " for " + part
		}
		return fmt.Sprintf("Cancelled on %s: %s (%s), %s, %s", from, credit, shortRange(l.ChargeStart, l.ChargeEnd), name, billed)
	case csp.ChargeConvert, csp.ChargeMoveQuantity:
		what, credit := name+", "+billed+", converted", ""
		if l.Credit() {
			credit = "Credit: "
		}
		if l.ChargeType == csp.ChargeMoveQuantity {
			what = name + ", " + billed + " moved in"
			if l.Credit() {
				what = name + ", " + billed + " moved out"
			}
		}
		return fmt.Sprintf("%s%s on %s%s", credit, what, from, changed)
	case csp.ChargeChangeBillingPlan:
		// Its proration counts billing cycles, not days (R-2a).
		return fmt.Sprintf("%s, %s, new billing plan from %s: %s", name, billed, from, span)
	case ChargeCustomerCredit:
		return "Credit from your partner: " + name + ", " + span
	}
	return join(name+", "+billed+", "+span+" ("+string(l.ChargeType)+")", part)
}

func join(s, part string) string {
	if part == "" {
		return s
	}
	return s + ", " + part
}

// lineName is the SKU's name when it says the product's, else both.
func lineName(l CostLine) string {
	switch {
	case l.SkuName == "" || l.SkuName == l.ProductName:
		return l.ProductName
	case l.ProductName == "" || strings.HasPrefix(l.SkuName, l.ProductName):
		return l.SkuName
	}
	return l.ProductName + " " + l.SkuName
}

func seats(n int) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d seat", n)
	}
	return fmt.Sprintf("%d seats", n)
}

// The invoice's dates are English, month first: "Mar 12, 2026", and an
// en dash between the ends of a range.
const dash = " – "

func longDay(t time.Time) string { return t.UTC().Format("Jan 2, 2006") }

// longRange is "Mar 12 – Apr 11, 2026", or "Dec 12, 2025 – Jan 11, 2026"
// across a year's end.
func longRange(a, b time.Time) string {
	if a.UTC().Year() == b.UTC().Year() {
		return a.UTC().Format("Jan 2") + dash + longDay(b)
	}
	return longDay(a) + dash + longDay(b)
}

func shortRange(a, b time.Time) string {
	return a.UTC().Format("Jan 2") + dash + b.UTC().Format("Jan 2")
}

// monthRange is "Mar 2026" for a month's usage, "Mar 12 – Apr 11, 2026"
// for any other span.
func monthRange(a, b time.Time) string {
	if a.UTC().Year() == b.UTC().Year() && a.UTC().Month() == b.UTC().Month() {
		return a.UTC().Format("Jan 2006")
	}
	return longRange(a, b)
}
