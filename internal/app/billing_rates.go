package app

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/store"
)

// The operator's exchange and tax rates (DESIGN.md "Billing"): a month's
// billing run converts each line from its pricing currency to the
// partner's billing currency at that month's rates, and taxes it at its
// customer country's rate.

// maxRates bounds one rates call.
const maxRates = 300

// parseRate reads a rate: a positive decimal (a tax rate 0 to 1) with at
// most 10 decimals.
func parseRate(key, v string, tax bool) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(v))
	bad := err != nil || d.Exponent() < -10 || d.IsNegative() || (!tax && d.IsZero()) || (tax && d.GreaterThan(decimal.NewFromInt(1)))
	if bad {
		what := "an exchange rate is the value of one unit in US dollars, a positive decimal such as \"1.0712\""
		if tax {
			what = "a tax rate is a decimal from 0 to 1 such as \"0.19\""
		}
		return decimal.Decimal{}, csp.Errorf(csp.EInvalidRate, "%s: %q is not valid: %s, with at most 10 decimals", key, v, what).WithData("field=rates." + key)
	}
	return d, nil
}

// ExchangeRateSet is a month's rates as they apply: the operator's (with
// the month each was set for) over the built-in defaults.
type ExchangeRateSet struct {
	Month   billing.Month
	Rates   billing.Rates
	SetIn   map[string]string // currency → the month the operator set it for; absent for a default
	Default billing.Rates
}

// SetExchangeRates writes a month's exchange rates (operator only): each
// currency's value in US dollars.
func (a *App) SetExchangeRates(ctx context.Context, p csp.Principal, month string, rates map[string]string) (ExchangeRateSet, error) {
	if err := requireOperator(p); err != nil {
		return ExchangeRateSet{}, err
	}
	m, err := billing.ParseMonth(month)
	if err != nil {
		return ExchangeRateSet{}, err
	}
	if len(rates) == 0 || len(rates) > maxRates {
		return ExchangeRateSet{}, csp.Errorf(csp.ERatesEmpty, "rates names %d currencies: send 1 to %d, such as {\"EUR\": \"1.0712\"}", len(rates), maxRates).WithData("field=rates")
	}
	parsed := billing.Rates{}
	for _, c := range slices.Sorted(maps.Keys(rates)) {
		code := strings.ToUpper(c)
		if code == "USD" || !csp.IsMarketCurrency(code) {
			return ExchangeRateSet{}, csp.Errorf(csp.EInvalidCurrency, "rates.%s: not a currency Microsoft bills or prices in (USD is the base, always 1): use EUR, GBP, CAD, ...", c).
				WithData("field=rates." + c)
		}
		if parsed[code], err = parseRate(c, rates[c], false); err != nil {
			return ExchangeRateSet{}, err
		}
	}
	var out ExchangeRateSet
	err = a.write(ctx, func(tx store.Tx, _ time.Time) error {
		if err := tx.SetExchangeRates(ctx, m.String(), parsed); err != nil {
			return err
		}
		out, err = exchangeRates(ctx, tx, m)
		return err
	})
	return out, err
}

// ExchangeRates answers the rates a month's billing run uses (operator
// only).
func (a *App) ExchangeRates(ctx context.Context, p csp.Principal, month string) (ExchangeRateSet, error) {
	if err := requireOperator(p); err != nil {
		return ExchangeRateSet{}, err
	}
	m, err := billing.ParseMonth(month)
	if err != nil {
		return ExchangeRateSet{}, err
	}
	var out ExchangeRateSet
	err = a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = exchangeRates(ctx, tx, m)
		return err
	})
	return out, err
}

func exchangeRates(ctx context.Context, tx store.Tx, m billing.Month) (ExchangeRateSet, error) {
	set, months, err := tx.ExchangeRates(ctx, m.String())
	if err != nil {
		return ExchangeRateSet{}, err
	}
	d := billing.DefaultRates()
	return ExchangeRateSet{Month: m, Rates: d.With(set), SetIn: months, Default: d}, nil
}

// SetTaxRates writes tax rates by customer country (operator only).
func (a *App) SetTaxRates(ctx context.Context, p csp.Principal, rates map[string]string) (map[string]decimal.Decimal, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	if len(rates) == 0 || len(rates) > maxRates {
		return nil, csp.Errorf(csp.ERatesEmpty, "the body names %d countries: send 1 to %d, such as {\"DE\": \"0.19\"}", len(rates), maxRates)
	}
	parsed := map[string]decimal.Decimal{}
	for _, c := range slices.Sorted(maps.Keys(rates)) {
		country, ok := csp.LookupCountry(c)
		if !ok {
			return nil, csp.Errorf(csp.EInvalidTaxCountry, "%q is not a customer country: use an ISO 3166 alpha-2 code such as DE", c).WithData("field=" + c)
		}
		r, err := parseRate(c, rates[c], true)
		if err != nil {
			return nil, err
		}
		parsed[country.Code] = r
	}
	var out map[string]decimal.Decimal
	err := a.write(ctx, func(tx store.Tx, _ time.Time) (err error) {
		if err := tx.SetTaxRates(ctx, parsed); err != nil {
			return err
		}
		out, err = tx.TaxRates(ctx)
		return err
	})
	return out, err
}

// TaxRates answers every tax rate set (operator only); other countries'
// rate is 0.
func (a *App) TaxRates(ctx context.Context, p csp.Principal) (map[string]decimal.Decimal, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	var out map[string]decimal.Decimal
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.TaxRates(ctx)
		return err
	})
	return out, err
}
