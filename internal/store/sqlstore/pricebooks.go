package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/store"
)

// GetPriceBook reads the partner's book or a customer's.
func (tx *Tx) GetPriceBook(ctx context.Context, partnerID uuid.UUID, tenantID *uuid.UUID) (*store.PriceBook, error) {
	q, args := `SELECT book, version, updated_at FROM price_books WHERE partner_id = $1 AND tenant_id IS NULL`, []any{partnerID}
	if tenantID != nil {
		q, args = `SELECT book, version, updated_at FROM price_books WHERE partner_id = $1 AND tenant_id = $2`, []any{partnerID, *tenantID}
	}
	var (
		text string
		at   scanTime
	)
	b := &store.PriceBook{PartnerID: partnerID, TenantID: tenantID}
	err := tx.tx.QueryRowContext(ctx, q, tx.d.args(args)...).Scan(&text, &b.Version, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("get price book", err)
	}
	b.UpdatedAt = at.T
	if err := json.Unmarshal([]byte(text), &b.Book); err != nil {
		return nil, fmt.Errorf("price book of partner %s: %w", partnerID, err)
	}
	return b, nil
}

// PutPriceBook replaces a book at the version read: an insert for the
// first (its unique keys refuse a concurrent first), else an update that
// matches the version (a concurrent change moved it on).
func (tx *Tx) PutPriceBook(ctx context.Context, b *store.PriceBook, version int64) error {
	text, err := json.Marshal(b.Book)
	if err != nil {
		return err
	}
	conflict := csp.Errorf(csp.EConcurrentChange, "the price book changed while it was being replaced: read it again and retry")
	if version == 0 {
		_, err := tx.tx.ExecContext(ctx, `INSERT INTO price_books (partner_id, tenant_id, book, version, updated_at) VALUES ($1, $2, $3, 1, $4)`,
			tx.d.args([]any{b.PartnerID, b.TenantID, string(text), b.UpdatedAt})...)
		if ok, _ := tx.d.IsUniqueViolation(err); ok {
			return conflict
		}
		if err != nil {
			return wrap("insert price book", err)
		}
		b.Version = 1
		return nil
	}
	q, args := `UPDATE price_books SET book = $1, version = $2, updated_at = $3 WHERE partner_id = $4 AND version = $5`,
		[]any{string(text), version + 1, b.UpdatedAt, b.PartnerID, version}
	if b.TenantID == nil {
		q += ` AND tenant_id IS NULL`
	} else {
		q += ` AND tenant_id = $6`
		args = append(args, *b.TenantID)
	}
	res, err := tx.tx.ExecContext(ctx, q, tx.d.args(args)...)
	if err := mustAffect(res, err, conflict); err != nil {
		return wrap("update price book", err)
	}
	b.Version = version + 1
	return nil
}

// NextCustomerInvoiceNumber takes the partner's next customer invoice
// number from its own counter.
func (tx *Tx) NextCustomerInvoiceNumber(ctx context.Context, partnerID uuid.UUID) (int64, error) {
	var n int64
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO invoice_numbers (name, last) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET last = invoice_numbers.last + 1 RETURNING last`, "C:"+partnerID.String()).Scan(&n)
	return n, wrap("next customer invoice number", err)
}

const customerInvoiceColumns = `id, number, partner_id, tenant_id, period, currency, issued_at, microsoft_invoice, subtotal, tax_total, total, cost, profit, lines,
	customer_name, customer_country, import_id, source`

// CreateCustomerInvoice inserts a customer invoice.
func (tx *Tx) CreateCustomerInvoice(ctx context.Context, inv *pricebook.Issued) error {
	var source any
	if inv.MicrosoftInvoice != "" {
		source = inv.MicrosoftInvoice
	}
	origin := ""
	if inv.ImportID != nil {
		origin = inv.ImportID.String()
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO customer_invoices (`+customerInvoiceColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)`,
		tx.d.args([]any{inv.ID, inv.Number, inv.PartnerID, inv.TenantID, inv.Period, inv.Currency, inv.IssuedAt, source, inv.Subtotal.String(),
			inv.Tax.String(), inv.Total.String(), inv.Cost.String(), inv.Profit.String(), inv.Lines, inv.CustomerName, inv.CustomerCountry, inv.ImportID, origin})...)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EConcurrentChange, "customer %s has a customer invoice in %s for %s already: another billing run issued it", inv.TenantID, inv.Currency, inv.Period)
	}
	return wrap("insert customer invoice", err)
}

// CreateImport records an imported file.
func (tx *Tx) CreateImport(ctx context.Context, imp *billing.Import) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO imports (id, partner_id, kind, sha256, lines, period, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
		tx.d.args([]any{imp.ID, imp.PartnerID, imp.Kind, imp.SHA256, imp.Lines, imp.Period.String(), imp.CreatedAt, imp.CreatedBy})...)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EConcurrentChange, "the same file is being imported at once: retry to read its import")
	}
	return wrap("insert import", err)
}

// FindImport reads the partner's import of a file.
func (tx *Tx) FindImport(ctx context.Context, partnerID uuid.UUID, sha256 string) (*billing.Import, error) {
	var (
		imp    billing.Import
		period string
		at     scanTime
	)
	err := tx.tx.QueryRowContext(ctx, `SELECT id, partner_id, kind, sha256, lines, period, created_at, created_by FROM imports WHERE partner_id = $1 AND sha256 = $2`,
		tx.d.args([]any{partnerID, sha256})...).Scan(&imp.ID, &imp.PartnerID, &imp.Kind, &imp.SHA256, &imp.Lines, &period, &at, &imp.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("find import", err)
	}
	if imp.Period, err = billing.ParseMonth(period); err != nil {
		return nil, err
	}
	imp.CreatedAt = at.T
	return &imp, nil
}

// UpdateCustomerInvoiceTotals writes an invoice's sums.
func (tx *Tx) UpdateCustomerInvoiceTotals(ctx context.Context, inv *pricebook.Issued) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE customer_invoices SET subtotal = $1, tax_total = $2, total = $3, cost = $4, profit = $5, lines = $6
		WHERE id = $7`, tx.d.args([]any{inv.Subtotal.String(), inv.Tax.String(), inv.Total.String(), inv.Cost.String(), inv.Profit.String(), inv.Lines, inv.ID})...)
	return wrap("update customer invoice", mustAffect(res, err, customerInvoiceNotFound(inv.ID)))
}

func customerInvoiceNotFound(id uuid.UUID) error {
	return csp.Errorf(csp.ECustomerInvoiceNotFound, "no customer invoice %s of this partner: GET /v1/customerinvoices lists them", id)
}

var customerLineRows = &multiRow{what: "insert customer invoice lines",
	head: `INSERT INTO customer_invoice_lines (invoice_id, seq, charge_id, usage_invoice, usage_seq, product_id, sku_id, product_name, charge_type,
		partner_service, is_usage, charge_start, charge_end, description, quantity, unit_price, effective_unit_price, amount, tax_total, cost,
		price_rule, promotion, promotion_id, import_id, import_seq, from_invoice, from_seq, end_customer) VALUES `,
	types: []string{"uuid", "integer", "uuid", "", "integer", "", "", "", "", "boolean", "boolean", "timestamptz", "timestamptz", "", "numeric",
		"numeric", "numeric", "numeric", "numeric", "numeric", "", "", "", "uuid", "integer", "uuid", "integer", "uuid"}}

// AddCustomerInvoiceLines writes lines of a customer invoice (importID:
// the invoice's import, when its lines are a file's).
func (tx *Tx) AddCustomerInvoiceLines(ctx context.Context, invoiceID uuid.UUID, importID *uuid.UUID, lines []pricebook.IssuedLine) error {
	args := make([]any, 0, len(lines)*len(customerLineRows.types))
	for _, il := range lines {
		l, c := il.Line, il.Line.Cost
		var usageInvoice, usageSeq, importSeq, fromSeq any
		if il.UsageInvoice != "" {
			usageInvoice, usageSeq = il.UsageInvoice, il.UsageSeq
		}
		if il.FromInvoice != nil {
			fromSeq = il.FromSeq
		}
		if importID != nil {
			importSeq = il.ImportSeq
		}
		args = append(args, invoiceID, il.Seq, il.ChargeID, usageInvoice, usageSeq, c.ProductID, c.SkuID, c.ProductName, string(c.ChargeType),
			c.PartnerService, c.Usage, c.ChargeStart, c.ChargeEnd, l.Description, c.BillableQuantity.String(), l.UnitPrice.Amount.String(),
			l.EffectiveUnitPrice.Amount.String(), l.Amount.Amount.String(), il.Tax.String(), c.CostAmount().Amount.String(), l.Rule, l.Promotion,
			l.PromotionID, importID, importSeq, il.FromInvoice, fromSeq, il.EndCustomer)
	}
	_, err := tx.execRows(ctx, customerLineRows, args)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EConcurrentChange, "a line of customer invoice %s is on a customer invoice already: another billing run issued it", invoiceID)
	}
	return err
}

// CustomerInvoicesIssued tells whether the partner has customer invoices
// for the month.
func (tx *Tx) CustomerInvoicesIssued(ctx context.Context, partnerID uuid.UUID, period string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM customer_invoices WHERE partner_id = $1 AND period = $2 AND import_id IS NULL`,
		tx.d.args([]any{partnerID, period})...).Scan(&n)
	return n > 0, wrap("customer invoices issued", err)
}

func scanCustomerInvoice(row interface{ Scan(...any) error }) (*pricebook.Issued, error) {
	var (
		inv      pricebook.Issued
		at       scanTime
		source   sql.NullString
		imported uuid.NullUUID
		origin   string
	)
	if err := row.Scan(&inv.ID, &inv.Number, &inv.PartnerID, &inv.TenantID, &inv.Period, &inv.Currency, &at, &source, &inv.Subtotal, &inv.Tax,
		&inv.Total, &inv.Cost, &inv.Profit, &inv.Lines, &inv.CustomerName, &inv.CustomerCountry, &imported, &origin); err != nil {
		return nil, err
	}
	inv.IssuedAt, inv.MicrosoftInvoice = at.T, source.String
	if imported.Valid {
		inv.ImportID = &imported.UUID
	}
	if !inv.Subtotal.Add(inv.Tax).Equal(inv.Total) || !inv.Subtotal.Sub(inv.Cost).Equal(inv.Profit) {
		return nil, fmt.Errorf("customer invoice %s: stored total %s or profit %s is not the sum of its parts", inv.Number, inv.Total, inv.Profit)
	}
	return &inv, nil
}

// GetCustomerInvoice reads one of a partner's customer invoices.
func (tx *Tx) GetCustomerInvoice(ctx context.Context, partnerID, id uuid.UUID) (*pricebook.Issued, error) {
	inv, err := scanCustomerInvoice(tx.tx.QueryRowContext(ctx, `SELECT `+customerInvoiceColumns+` FROM customer_invoices WHERE id = $1 AND partner_id = $2`,
		tx.d.args([]any{id, partnerID})...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, customerInvoiceNotFound(id)
	}
	return inv, wrap("get customer invoice", err)
}

// ListCustomerInvoices lists a partner's customer invoices, newest first.
func (tx *Tx) ListCustomerInvoices(ctx context.Context, f store.CustomerInvoiceFilter) ([]*pricebook.Issued, error) {
	args := []any{f.PartnerID}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	q := `SELECT ` + customerInvoiceColumns + ` FROM customer_invoices WHERE partner_id = $1`
	if f.TenantID != nil {
		q += ` AND tenant_id = ` + arg(*f.TenantID)
	}
	if f.Period != "" {
		q += ` AND period = ` + arg(f.Period)
	}
	if f.ImportID != nil {
		q += ` AND import_id = ` + arg(*f.ImportID)
	}
	if f.Before != "" {
		q += ` AND number < ` + arg(f.Before)
	}
	q += fmt.Sprintf(` ORDER BY number DESC LIMIT %d`, limit(f.Limit))
	return queryAll(ctx, tx, "list customer invoices", func(r *sql.Rows) (*pricebook.Issued, error) { return scanCustomerInvoice(r) }, q, tx.d.args(args)...)
}

// CustomerInvoiceLines lists an invoice's lines by seq.
func (tx *Tx) CustomerInvoiceLines(ctx context.Context, invoiceID uuid.UUID, after, n int) ([]pricebook.IssuedLine, error) {
	q := `SELECT l.seq, l.charge_id, l.usage_invoice, l.usage_seq, l.product_id, l.sku_id, l.product_name, l.charge_type, l.partner_service,
		l.is_usage, l.charge_start, l.charge_end, l.description, l.quantity, l.unit_price, l.effective_unit_price, l.amount, l.tax_total, l.cost,
		l.price_rule, l.promotion, l.promotion_id, i.currency, l.from_invoice, l.from_seq, l.end_customer FROM customer_invoice_lines l JOIN customer_invoices i ON i.id = l.invoice_id
		WHERE l.invoice_id = $1 AND l.seq > $2 ORDER BY l.seq LIMIT ` + fmt.Sprint(limit(n))
	return queryAll(ctx, tx, "customer invoice lines", func(r *sql.Rows) (pricebook.IssuedLine, error) {
		var (
			il                      pricebook.IssuedLine
			charge                  uuid.NullUUID
			usageInvoice            sql.NullString
			usageSeq                sql.NullInt64
			chargeType, currency    string
			start, end              scanTime
			unit, eup, amount, cost decimal.Decimal
			from, endCustomer       uuid.NullUUID
			fromSeq                 sql.NullInt64
			l                       = &il.Line
			c                       = &il.Line.Cost
		)
		if err := r.Scan(&il.Seq, &charge, &usageInvoice, &usageSeq, &c.ProductID, &c.SkuID, &c.ProductName, &chargeType, &c.PartnerService,
			&c.Usage, &start, &end, &l.Description, &c.BillableQuantity, &unit, &eup, &amount, &il.Tax, &cost, &l.Rule, &l.Promotion,
			&l.PromotionID, &currency, &from, &fromSeq, &endCustomer); err != nil {
			return il, err
		}
		il.ChargeID, il.UsageInvoice, il.UsageSeq = nullID(charge), usageInvoice.String, int(usageSeq.Int64)
		il.FromInvoice, il.FromSeq, il.EndCustomer = nullID(from), int(fromSeq.Int64), nullID(endCustomer)
		c.ChargeType, c.ChargeStart, c.ChargeEnd = csp.ChargeType(chargeType), start.T, end.T
		c.Subtotal = csp.NewMoney(cost, currency)
		l.UnitPrice, l.EffectiveUnitPrice, l.Amount = csp.NewMoney(unit, currency), csp.NewMoney(eup, currency), csp.NewMoney(amount, currency)
		l.Profit = csp.NewMoney(amount.Sub(c.CostAmount().Amount), currency)
		return il, nil
	}, q, tx.d.args([]any{invoiceID, after})...)
}
