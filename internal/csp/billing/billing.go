// Package billing holds the rules of Microsoft's side of a partner's bill:
// the calendar month a billing run closes, invoice numbers, the exchange
// rates that turn pricing-currency lines into the partner's billing
// currency, tax per customer country, and the sums of an invoice
// (DESIGN.md "Billing", commerce rules C-2, R-10, R-22). It does no I/O:
// the billing use cases in internal/app read the ledger and store what it
// answers.
package billing

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
)

// Month is a calendar month in UTC, the billing period of an invoice.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf is the month t falls in (UTC).
func MonthOf(t time.Time) Month {
	t = t.UTC()
	return Month{Year: t.Year(), Month: t.Month()}
}

// ParseMonth reads "YYYY-MM" (years 2000-2099).
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 2000 || t.Year() > 2099 || len(s) != 7 {
		return Month{}, csp.Errorf(csp.EInvalidMonth, "month %q is not YYYY-MM in the years 2000-2099 (for example 2026-03)", s).WithData("field=month")
	}
	return MonthOf(t), nil
}

// Start is the month's first instant.
func (m Month) Start() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC) }

// End is the next month's first instant: the month is [Start, End).
func (m Month) End() time.Time { return m.Start().AddDate(0, 1, 0) }

// LastDay is the month's last day (Partner Center's billingPeriodEndDate).
func (m Month) LastDay() time.Time { return m.End().AddDate(0, 0, -1) }

// Next is the following month.
func (m Month) Next() Month { return MonthOf(m.End()) }

// String is "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// InvoiceNumber is Partner Center's id of the n-th new-commerce invoice:
// "G" and 9 digits (G000000001).
func InvoiceNumber(n int64) string { return fmt.Sprintf("G%09d", n) }

// RatePlaces is the precision of a pcToBCExchangeRate derived from two
// rates (a cross rate through USD).
const RatePlaces = 6

// Rates are one month's exchange rates, each the value of one unit of a
// currency in US dollars (PUT /admin/v1/exchangeRates: {"EUR": "1.0712"}
// is 1 EUR = 1.0712 USD); USD is 1.
type Rates map[string]decimal.Decimal

// PCToBC is the pricing-to-billing rate of a line: 1 when the two
// currencies are the same, else the cross rate rate(pc) ÷ rate(bc)
// rounded half away from zero to 6 decimals.
func (r Rates) PCToBC(pricing, billing string) (decimal.Decimal, error) {
	if pricing == billing {
		return decimal.NewFromInt(1), nil
	}
	pc, ok := r.usd(pricing)
	if !ok {
		return decimal.Decimal{}, csp.Errorf(csp.EInvalidCurrency, "no exchange rate for %s: the operator sets it with PUT /admin/v1/exchangeRates", pricing)
	}
	bc, ok := r.usd(billing)
	if !ok {
		return decimal.Decimal{}, csp.Errorf(csp.EInvalidCurrency, "no exchange rate for %s: the operator sets it with PUT /admin/v1/exchangeRates", billing)
	}
	return csp.RoundHalfAway(pc.Div(bc), RatePlaces), nil
}

func (r Rates) usd(c string) (decimal.Decimal, bool) {
	if c == "USD" {
		return decimal.NewFromInt(1), true
	}
	v, ok := r[c]
	return v, ok && v.IsPositive()
}

// Tax is a line's tax: ROUND_HALF_AWAY(subtotal × rate, 2) (DESIGN.md
// "Billing").
func Tax(subtotal, rate decimal.Decimal) decimal.Decimal {
	return csp.RoundHalfAway(subtotal.Mul(rate), 2)
}

// LicenceSubtotal is a seat line's subtotal in the billing currency:
// ROUNDDOWN(effectiveUnitPrice × pcToBCExchangeRate, 2) × billableQuantity
// (C-2).
func LicenceSubtotal(effectiveUnitPrice, rate, billableQuantity decimal.Decimal) decimal.Decimal {
	return csp.Subtotal(effectiveUnitPrice, rate, billableQuantity)
}

// UsageSubtotal is a usage line's subtotal in the billing currency from its
// pricing-currency pre-tax total: ROUNDDOWN(ROUNDDOWN(effectiveUnitPrice ×
// quantity, 2) × pcToBCExchangeRate, 2) (partner-center-api.md §12); the
// inner ROUNDDOWN is the pricing pre-tax total.
func UsageSubtotal(pricingPreTax, rate decimal.Decimal) decimal.Decimal {
	return pricingPreTax.Mul(rate).Truncate(2)
}

// Totals add up an invoice's lines exactly: no sum is rounded again, so the
// lines always sum to the invoice's totals.
type Totals struct {
	Subtotal, Tax, Total decimal.Decimal
	Lines                int
}

// Add counts one line.
func (t *Totals) Add(subtotal, tax decimal.Decimal) {
	t.Subtotal = t.Subtotal.Add(subtotal)
	t.Tax = t.Tax.Add(tax)
	t.Total = t.Total.Add(subtotal).Add(tax)
	t.Lines++
}

// Plus is t and o together.
func (t Totals) Plus(o Totals) Totals {
	return Totals{Subtotal: t.Subtotal.Add(o.Subtotal), Tax: t.Tax.Add(o.Tax), Total: t.Total.Add(o.Total), Lines: t.Lines + o.Lines}
}

// defaultRatesTSV holds the rates a month uses for a currency the operator
// never set a rate for (docs/decisions.md): round reference values, so
// that a sandbox bills in any market's currency out of the box; real
// deployments set the month's rates (PUT /admin/v1/exchangeRates).
//
//go:embed default-rates.tsv
var defaultRatesTSV string

// DefaultRates answers the built-in rates (one unit in USD): a copy of
// the table, read once.
func DefaultRates() Rates { return Rates{}.With(defaultRates()) }

var defaultRates = sync.OnceValue(func() Rates {
	out := Rates{}
	for i, line := range strings.Split(strings.TrimSpace(defaultRatesTSV), "\n") {
		if i == 0 {
			continue
		}
		c, v, _ := strings.Cut(line, "\t")
		out[c] = decimal.RequireFromString(v)
	}
	return out
})

// With answers r with o's rates over it.
func (r Rates) With(o Rates) Rates {
	out := Rates{}
	for c, v := range r {
		out[c] = v
	}
	for c, v := range o {
		out[c] = v
	}
	return out
}
