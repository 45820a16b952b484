// Package invoicedoc renders a partner's invoice to its customer as a
// document: self-contained HTML, CSV and PDF. It takes the invoice's
// data as a plain Doc, already priced (internal/csp/pricebook); the
// partner's profit is never on it.
package invoicedoc

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/shopspring/decimal"
)

// Party is who sends or receives the invoice: a name, address lines and,
// for the customer, a country (ISO 3166 alpha-2).
type Party struct {
	Name    string
	Address []string
	Country string
}

// Doc is one customer invoice: its lines are in Total's currency and add
// up to it.
type Doc struct {
	Partner, Customer      Party
	Number                 string
	PeriodStart, PeriodEnd time.Time // the days billed, both included
	IssuedOn               time.Time
	Lines                  []pricebook.CustomerLine
	Total                  csp.Money // the lines' sum, before tax
	// Tax is the invoice's tax (the sum of its lines' taxes); zero for an
	// invoice without tax, whose documents then show no tax row.
	Tax csp.Money
	// Taxes are the lines' taxes, in their order, when known: the CSV has
	// a tax column then, and they add up to Tax.
	Taxes []decimal.Decimal
}

// grand is what the customer pays: the lines and the tax.
func (d Doc) grand() decimal.Decimal { return d.Total.Amount.Add(d.Tax.Amount) }

// taxed tells whether the documents show a tax row.
func (d Doc) taxed() bool { return !d.Tax.Amount.IsZero() }

// row is one line as the documents print it.
type row struct {
	Description, Promotion      string
	Quantity, UnitPrice, Amount string
	ProductID, SkuID            string
	ChargeStart, ChargeEnd      string
}

// check refuses a document that would print wrong numbers: a line in
// another currency, or a total that is not the sum of the lines.
func (d Doc) check() error {
	if d.Number == "" {
		return errors.New("invoicedoc: the invoice has no number")
	}
	if d.IssuedOn.IsZero() {
		return fmt.Errorf("invoicedoc: invoice %s has no issue date", d.Number)
	}
	sum := decimal.Zero
	for i, l := range d.Lines {
		if l.Amount.Currency != d.Total.Currency {
			return fmt.Errorf("invoicedoc: invoice %s line %d is in %q, the invoice in %q", d.Number, i, l.Amount.Currency, d.Total.Currency)
		}
		sum = sum.Add(l.Amount.Amount)
	}
	if d.taxed() && d.Tax.Currency != d.Total.Currency {
		return fmt.Errorf("invoicedoc: invoice %s's tax is in %q, the invoice in %q", d.Number, d.Tax.Currency, d.Total.Currency)
	}
	if d.Taxes != nil {
		if len(d.Taxes) != len(d.Lines) {
			return fmt.Errorf("invoicedoc: invoice %s has %d lines and %d line taxes", d.Number, len(d.Lines), len(d.Taxes))
		}
		tax := decimal.Zero
		for _, t := range d.Taxes {
			tax = tax.Add(t)
		}
		if !tax.Equal(d.Tax.Amount) {
			return fmt.Errorf("invoicedoc: invoice %s's line taxes add up to %s, not its tax %s", d.Number, tax.StringFixed(2), d.Tax.Amount.StringFixed(2))
		}
	}
	if !sum.Equal(d.Total.Amount) {
		return fmt.Errorf("invoicedoc: invoice %s lines add up to %s, not its total %s", d.Number, sum.StringFixed(2), d.Total.Amount.StringFixed(2))
	}
	return nil
}

func (d Doc) rows() []row {
	out := make([]row, len(d.Lines))
	for i, l := range d.Lines {
		out[i] = row{
			Description: l.Description, Promotion: l.Promotion,
			Quantity: l.Cost.BillableQuantity.String(), UnitPrice: price(l.UnitPrice.Amount), Amount: amount(l.Amount.Amount),
			ProductID: l.Cost.ProductID, SkuID: l.Cost.SkuID,
			ChargeStart: isoDay(l.Cost.ChargeStart), ChargeEnd: isoDay(l.Cost.ChargeEnd),
		}
	}
	return out
}

// amount is a sum of money: 2 decimals, a dot, no grouping.
func amount(d decimal.Decimal) string { return d.StringFixed(2) }

// price is a unit price: 2 decimals, or all of them past 2 (meter prices).
func price(d decimal.Decimal) string {
	if d.Equal(d.Truncate(2)) {
		return d.StringFixed(2)
	}
	return d.String()
}

func isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func longDay(t time.Time) string { return t.UTC().Format("Jan 2, 2006") }

// period is "Mar 1, 2026 – Mar 31, 2026".
func (d Doc) period() string { return longDay(d.PeriodStart) + " – " + longDay(d.PeriodEnd) }

// FromIssued is the document of an issued customer invoice: the partner
// that issued it, its customer (name, address, country) and its lines.
func FromIssued(partner *csp.Partner, customer *csp.Tenant, inv *pricebook.Issued, lines []pricebook.IssuedLine) (Doc, error) {
	m, err := time.Parse("2006-01", inv.Period)
	if err != nil {
		return Doc{}, fmt.Errorf("invoicedoc: invoice %s's period %q: %w", inv.Number, inv.Period, err)
	}
	a := customer.Address
	var addr []string
	for _, s := range []string{a.AddressLine1, a.AddressLine2, a.AddressLine3, strings.TrimSpace(a.PostalCode + " " + a.City), a.State} {
		if s != "" {
			addr = append(addr, s)
		}
	}
	d := Doc{Partner: Party{Name: partner.Name, Address: []string{partner.Country}},
		Customer: Party{Name: customer.DisplayName, Address: addr, Country: customer.Country},
		Number:   inv.Number, PeriodStart: m, PeriodEnd: m.AddDate(0, 1, -1), IssuedOn: inv.IssuedAt,
		Total: csp.NewMoney(inv.Subtotal, inv.Currency), Tax: csp.NewMoney(inv.Tax, inv.Currency)}
	d.Taxes = []decimal.Decimal{}
	for _, l := range lines {
		d.Lines, d.Taxes = append(d.Lines, l.Line), append(d.Taxes, l.Tax)
	}
	return d, nil
}
