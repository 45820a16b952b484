package csp

import (
	"github.com/shopspring/decimal"
)

// Amounts are decimals, never floats. Conventions (commerce-rules C-2):
// billable quantities keep 6 decimals, unit prices are truncated to 2
// decimals before they multiply, and subtotals are rounded half away from
// zero to 2 decimals.

// QuantityPlaces is the precision of billable quantities.
const QuantityPlaces = 6

// RoundHalfAway rounds d to places decimals, halves away from zero.
// (decimal.Round already rounds half away from zero.)
func RoundHalfAway(d decimal.Decimal, places int32) decimal.Decimal { return d.Round(places) }

// TruncatePrice is Partner Center's ROUNDDOWN(price × rate, 2): truncation
// toward zero.
func TruncatePrice(d decimal.Decimal) decimal.Decimal { return d.Truncate(2) }

// Subtotal is a seat line's pre-tax cost: ROUNDDOWN(effectiveUnitPrice ×
// pcToBCExchangeRate, 2) × billableQuantity, rounded to 2 decimals (C-2).
func Subtotal(effectiveUnitPrice, rate, billableQuantity decimal.Decimal) decimal.Decimal {
	return RoundHalfAway(TruncatePrice(effectiveUnitPrice.Mul(rate)).Mul(billableQuantity), 2)
}

// Prorate is quantity × days ÷ periodDays, rounded half away from zero to 6
// decimals (C-2).
func Prorate(quantity int, days, periodDays int) decimal.Decimal {
	return RoundHalfAway(decimal.NewFromInt(int64(quantity)).Mul(decimal.NewFromInt(int64(days))).Div(decimal.NewFromInt(int64(periodDays))), QuantityPlaces)
}
