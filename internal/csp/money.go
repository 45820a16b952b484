package csp

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

// Amounts are decimals, never floats. Conventions (commerce-rules C-2):
// billable quantities keep 6 decimals, unit prices are truncated to 2
// decimals before they multiply, and subtotals are rounded half away from
// zero to 2 decimals.

// PricePlaces is the precision of effective unit prices (C-2).
const PricePlaces = 6

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

// ProratePrice is price × days ÷ periodDays, rounded half away from zero
// to 6 decimals: a line's effectiveUnitPrice (C-2). A full period is the
// price itself.
func ProratePrice(price decimal.Decimal, days, periodDays int) decimal.Decimal {
	if days == periodDays {
		return price
	}
	return RoundHalfAway(price.Mul(decimal.NewFromInt(int64(days))).Div(decimal.NewFromInt(int64(periodDays))), PricePlaces)
}

// Money is an amount in one currency (ISO 4217 code, upper case). Adding
// two currencies is an error, never a number.
type Money struct {
	Amount   decimal.Decimal
	Currency string
}

// NewMoney is amount in currency.
func NewMoney(amount decimal.Decimal, currency string) Money {
	return Money{Amount: amount, Currency: currency}
}

// ZeroMoney is nothing in currency.
func ZeroMoney(currency string) Money { return Money{Currency: currency} }

// Add is m + o, refused when their currencies differ.
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, fmt.Errorf("cannot add %s to %s: amounts in different currencies", o, m)
	}
	return Money{Amount: m.Amount.Add(o.Amount), Currency: m.Currency}, nil
}

// Sum adds amounts in currency; any other currency is refused.
func Sum(currency string, ms ...Money) (Money, error) {
	total := ZeroMoney(currency)
	for _, m := range ms {
		var err error
		if total, err = total.Add(m); err != nil {
			return Money{}, err
		}
	}
	return total, nil
}

// Times is m × q in m's currency (not rounded).
func (m Money) Times(q decimal.Decimal) Money {
	return Money{Amount: m.Amount.Mul(q), Currency: m.Currency}
}

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.Amount.IsZero() }

// String is "USD 12.00".
func (m Money) String() string { return m.Currency + " " + m.Amount.StringFixed(2) }

// moneyJSON is Money's stored and wire form: the amount as a string, so no
// JSON reader turns it into a float.
type moneyJSON struct {
	Amount   decimal.Decimal `json:"amount"`
	Currency string          `json:"currency"`
}

// MarshalJSON writes {"amount": "12.00", "currency": "USD"}.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(moneyJSON(m))
}

// UnmarshalJSON reads what MarshalJSON writes, and a bare amount (rows
// stored before amounts carried their currency: the reader then sets the
// currency from the row).
func (m *Money) UnmarshalJSON(b []byte) error {
	var j moneyJSON
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		if err := json.Unmarshal(t, &j); err != nil {
			return err
		}
		*m = Money(j)
		return nil
	}
	if err := json.Unmarshal(b, &j.Amount); err != nil {
		return err
	}
	*m = Money{Amount: j.Amount}
	return nil
}
