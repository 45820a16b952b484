package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/store"
)

// SetExchangeRates writes a month's exchange rates.
func (tx *Tx) SetExchangeRates(ctx context.Context, month string, rates billing.Rates) error {
	for c, r := range rates {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO exchange_rates (month, currency, rate) VALUES ($1, $2, $3)
			ON CONFLICT (month, currency) DO UPDATE SET rate = excluded.rate`, month, c, r.String()); err != nil {
			return wrap("set exchange rate", err)
		}
	}
	return nil
}

// ExchangeRates answers each currency's rate of the latest month up to
// month that sets it.
func (tx *Tx) ExchangeRates(ctx context.Context, month string) (billing.Rates, map[string]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT r.currency, r.month, r.rate FROM exchange_rates r
		WHERE r.month = (SELECT MAX(l.month) FROM exchange_rates l WHERE l.currency = r.currency AND l.month <= $1)`, month)
	if err != nil {
		return nil, nil, wrap("exchange rates", err)
	}
	defer rows.Close()
	rates, months := billing.Rates{}, map[string]string{}
	for rows.Next() {
		var (
			c, m string
			r    decimal.Decimal
		)
		if err := rows.Scan(&c, &m, &r); err != nil {
			return nil, nil, wrap("exchange rates", err)
		}
		rates[c], months[c] = r, m
	}
	return rates, months, wrap("exchange rates", rows.Err())
}

// SetTaxRates writes tax rates by country.
func (tx *Tx) SetTaxRates(ctx context.Context, rates map[string]decimal.Decimal) error {
	for c, r := range rates {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO tax_rates (country, rate) VALUES ($1, $2)
			ON CONFLICT (country) DO UPDATE SET rate = excluded.rate`, c, r.String()); err != nil {
			return wrap("set tax rate", err)
		}
	}
	return nil
}

// TaxRates answers every tax rate set.
func (tx *Tx) TaxRates(ctx context.Context) (map[string]decimal.Decimal, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT country, rate FROM tax_rates`)
	if err != nil {
		return nil, wrap("tax rates", err)
	}
	defer rows.Close()
	out := map[string]decimal.Decimal{}
	for rows.Next() {
		var (
			c string
			r decimal.Decimal
		)
		if err := rows.Scan(&c, &r); err != nil {
			return nil, wrap("tax rates", err)
		}
		out[c] = r
	}
	return out, wrap("tax rates", rows.Err())
}

// NextInvoiceNumber takes the next invoice number.
func (tx *Tx) NextInvoiceNumber(ctx context.Context) (int64, error) {
	var n int64
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO invoice_numbers (name, last) VALUES ('G', 1)
		ON CONFLICT (name) DO UPDATE SET last = invoice_numbers.last + 1 RETURNING last`).Scan(&n)
	return n, wrap("next invoice number", err)
}

const invoiceColumns = `number, partner_id, currency, period, invoice_date, licence_subtotal, licence_tax, usage_subtotal, usage_tax, total, licence_lines, usage_lines`

// CreateInvoice inserts an invoice.
func (tx *Tx) CreateInvoice(ctx context.Context, inv *billing.Invoice) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO invoices (`+invoiceColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
		tx.d.args([]any{inv.Number, inv.PartnerID, inv.Currency, inv.Period.String(), inv.Date, inv.Licence.Subtotal.String(), inv.Licence.Tax.String(),
			inv.Usage.Subtotal.String(), inv.Usage.Tax.String(), inv.Total().Total.String(), inv.Licence.Lines, inv.Usage.Lines})...)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EConcurrentChange, "partner %s has an invoice in %s for %s already: another billing run closed it", inv.PartnerID, inv.Currency, inv.Period)
	}
	return wrap("insert invoice", err)
}

// UpdateInvoiceTotals writes an invoice's totals.
func (tx *Tx) UpdateInvoiceTotals(ctx context.Context, inv *billing.Invoice) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE invoices SET licence_subtotal = $1, licence_tax = $2, usage_subtotal = $3, usage_tax = $4, total = $5,
		licence_lines = $6, usage_lines = $7 WHERE number = $8`, inv.Licence.Subtotal.String(), inv.Licence.Tax.String(), inv.Usage.Subtotal.String(),
		inv.Usage.Tax.String(), inv.Total().Total.String(), inv.Licence.Lines, inv.Usage.Lines, inv.Number)
	return wrap("update invoice", mustAffect(res, err, invoiceNotFound(inv.Number)))
}

func invoiceNotFound(number string) error {
	return csp.Errorf(csp.EInvoiceNotFound, "no invoice %s of this partner: GET /v1/invoices lists them", number)
}

var invoiceLineRows = &multiRow{what: "insert invoice lines",
	head:  `INSERT INTO invoice_lines (invoice_number, seq, charge_id, pc_to_bc_rate, subtotal, tax_total) VALUES `,
	types: []string{"", "integer", "uuid", "numeric", "numeric", "numeric"}}

// AddInvoiceLines writes billed licence lines and marks their charges.
func (tx *Tx) AddInvoiceLines(ctx context.Context, number string, lines []billing.LicenceLine) error {
	if len(lines) == 0 {
		return nil
	}
	args := make([]any, 0, len(lines)*len(invoiceLineRows.types))
	for _, l := range lines {
		args = append(args, number, l.Seq, l.ChargeID, l.Rate.String(), l.Subtotal.String(), l.Tax.String())
	}
	if _, err := tx.execRows(ctx, invoiceLineRows, args); err != nil {
		return err
	}
	lo, hi := lines[0].Seq, lines[len(lines)-1].Seq
	res, err := tx.tx.ExecContext(ctx, `UPDATE charges SET invoice_number = $1 WHERE invoice_number IS NULL AND id IN
		(SELECT charge_id FROM invoice_lines WHERE invoice_number = $1 AND seq BETWEEN $2 AND $3)`, number, lo, hi)
	if err != nil {
		return wrap("mark charges billed", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(lines)) {
		return fmt.Errorf("mark charges billed by %s: %d of %d charges were unbilled (%v)", number, n, len(lines), err)
	}
	return nil
}

var usageLineRows = &multiRow{what: "insert invoice usage lines",
	head: `INSERT INTO invoice_usage_lines (invoice_number, seq, tenant_id, plan_subscription_id, azure_subscription_id, entitlement_name, reseller_mpn_id,
		usage_date, resource_uri, resource_group, location, consumed_service, meter_id, quantity, unit_price, effective_unit_price, pricing_currency,
		pricing_pre_tax, pc_to_bc_rate, subtotal, tax_total, pec_percent, tags) VALUES `,
	types: []string{"", "integer", "uuid", "uuid", "uuid", "", "", "timestamptz", "", "", "", "", "uuid", "numeric", "numeric", "numeric", "",
		"numeric", "numeric", "numeric", "numeric", "numeric", ""}}

// AddInvoiceUsageLines writes usage lines of an invoice.
func (tx *Tx) AddInvoiceUsageLines(ctx context.Context, number string, lines []billing.UsageLine) error {
	args := make([]any, 0, len(lines)*len(usageLineRows.types))
	for _, l := range lines {
		r := l.Rated
		args = append(args, number, l.Seq, l.TenantID, l.PlanSubscriptionID, r.Subscription, l.EntitlementName, l.ResellerMpnID, r.UsageDate,
			r.ResourceURI, r.ResourceGroup, r.Location, r.ConsumedService, r.Meter.ID, r.Quantity.String(), r.UnitPrice.Amount.String(),
			l.EffectiveUnitPrice.String(), r.UnitPrice.Currency, l.PricingPreTax.String(), l.Rate.String(), l.Subtotal.String(), l.Tax.String(),
			l.PECPercent.String(), tagsJSON(r.Tags))
	}
	_, err := tx.execRows(ctx, usageLineRows, args)
	return err
}

func scanInvoice(row interface{ Scan(...any) error }) (*billing.Invoice, error) {
	var (
		inv    billing.Invoice
		period string
		date   scanTime
		total  decimal.Decimal
	)
	if err := row.Scan(&inv.Number, &inv.PartnerID, &inv.Currency, &period, &date, &inv.Licence.Subtotal, &inv.Licence.Tax, &inv.Usage.Subtotal,
		&inv.Usage.Tax, &total, &inv.Licence.Lines, &inv.Usage.Lines); err != nil {
		return nil, err
	}
	m, err := billing.ParseMonth(period)
	if err != nil {
		return nil, err
	}
	inv.Period, inv.Date = m, date.T
	inv.Licence.Total, inv.Usage.Total = inv.Licence.Subtotal.Add(inv.Licence.Tax), inv.Usage.Subtotal.Add(inv.Usage.Tax)
	if !inv.Total().Total.Equal(total) {
		return nil, fmt.Errorf("invoice %s: stored total %s is not the sum of its parts %s", inv.Number, total, inv.Total().Total)
	}
	return &inv, nil
}

// GetInvoice reads one of a partner's invoices.
func (tx *Tx) GetInvoice(ctx context.Context, partnerID uuid.UUID, number string) (*billing.Invoice, error) {
	inv, err := scanInvoice(tx.tx.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices WHERE number = $1 AND partner_id = $2`, number, partnerID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, invoiceNotFound(number)
	}
	return inv, wrap("get invoice", err)
}

// FindInvoice reads a partner's invoice for a currency and month.
func (tx *Tx) FindInvoice(ctx context.Context, partnerID uuid.UUID, currency string, month billing.Month) (*billing.Invoice, error) {
	inv, err := scanInvoice(tx.tx.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices WHERE partner_id = $1 AND currency = $2 AND period = $3`,
		partnerID, currency, month.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return inv, wrap("find invoice", err)
}

// ListInvoices lists a partner's invoices, newest first.
func (tx *Tx) ListInvoices(ctx context.Context, f store.InvoiceFilter) ([]*billing.Invoice, error) {
	q, args := `SELECT `+invoiceColumns+` FROM invoices WHERE partner_id = $1`, []any{f.PartnerID}
	if f.Before != "" {
		q += ` AND number < $2`
		args = append(args, f.Before)
	}
	q += fmt.Sprintf(` ORDER BY number DESC LIMIT %d`, limit(f.Limit))
	return queryAll(ctx, tx, "list invoices", func(r *sql.Rows) (*billing.Invoice, error) { return scanInvoice(r) }, q, args...)
}

// chargeColumnsOfC is chargeColumns of the table named c.
var chargeColumnsOfC = "c." + strings.Join(splitColumns(chargeColumns), ", c.")

// InvoiceLines lists an invoice's licence lines with their charges.
func (tx *Tx) InvoiceLines(ctx context.Context, number string, after, n int) ([]billing.BilledCharge, error) {
	q := `SELECT ` + chargeColumnsOfC + `, l.seq, l.pc_to_bc_rate, l.subtotal, l.tax_total FROM invoice_lines l JOIN charges c ON c.id = l.charge_id
		WHERE l.invoice_number = $1 AND l.seq > $2 ORDER BY l.seq LIMIT ` + fmt.Sprint(limit(n))
	return queryAll(ctx, tx, "invoice lines", func(r *sql.Rows) (billing.BilledCharge, error) {
		var (
			b    billing.BilledCharge
			rest = []any{&b.Line.Seq, &b.Line.Rate, &b.Line.Subtotal, &b.Line.Tax}
		)
		c, err := scanCharge(scanWith{r, rest})
		b.Charge, b.Line.ChargeID = c, c.ID
		return b, err
	}, q, number, after)
}

// InvoiceUsageLines lists an invoice's usage lines.
func (tx *Tx) InvoiceUsageLines(ctx context.Context, number string, after, n int) ([]billing.UsageLine, error) {
	q := `SELECT seq, tenant_id, plan_subscription_id, azure_subscription_id, entitlement_name, reseller_mpn_id, usage_date, resource_uri, resource_group,
		location, consumed_service, meter_id, quantity, unit_price, effective_unit_price, pricing_currency, pricing_pre_tax, pc_to_bc_rate, subtotal,
		tax_total, pec_percent, tags FROM invoice_usage_lines WHERE invoice_number = $1 AND seq > $2 ORDER BY seq LIMIT ` + fmt.Sprint(limit(n))
	return queryAll(ctx, tx, "invoice usage lines", func(r *sql.Rows) (billing.UsageLine, error) {
		var (
			l         billing.UsageLine
			day       scanTime
			meter     uuid.UUID
			unitPrice decimal.Decimal
			currency  string
			tags      string
		)
		err := r.Scan(&l.Seq, &l.TenantID, &l.PlanSubscriptionID, &l.Rated.Subscription, &l.EntitlementName, &l.ResellerMpnID, &day, &l.Rated.ResourceURI,
			&l.Rated.ResourceGroup, &l.Rated.Location, &l.Rated.ConsumedService, &meter, &l.Rated.Quantity, &unitPrice, &l.EffectiveUnitPrice, &currency,
			&l.PricingPreTax, &l.Rate, &l.Subtotal, &l.Tax, &l.PECPercent, &tags)
		if err != nil {
			return l, err
		}
		l.Rated.UsageDate, l.Rated.UnitPrice = day.T, csp.NewMoney(unitPrice, currency)
		l.Rated.Amount = csp.NewMoney(l.PricingPreTax, currency)
		if m, ok := azure.Prices().ByID(meter); ok {
			l.Rated.Meter = m
		} else {
			l.Rated.Meter = azure.Meter{ID: meter}
		}
		if tags != "" && tags != "{}" {
			if err := json.Unmarshal([]byte(tags), &l.Rated.Tags); err != nil {
				return l, err
			}
		}
		return l, nil
	}, q, number, after)
}

// ClosedMonth tells whether the partner has an invoice for the month.
func (tx *Tx) ClosedMonth(ctx context.Context, partnerID uuid.UUID, month billing.Month) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM invoices WHERE partner_id = $1 AND period = $2`, partnerID, month.String()).Scan(&n)
	return n > 0, wrap("closed month", err)
}
