package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// CreateOrder inserts an order.
func (tx *Tx) CreateOrder(ctx context.Context, o *csp.Order) error {
	lines, _ := json.Marshal(o.Lines)
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO orders (id, tenant_id, partner_id, reseller_mpn_id, currency, billing_cycle, status, transaction_type, line_items, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
		o.ID, o.TenantID, o.PartnerID, o.ResellerMpnID, o.Currency, o.BillingCycle, o.Status, o.TransactionType, string(lines), ts(o.CreatedAt))
	return wrap("insert order", err)
}

const orderColumns = `id, tenant_id, partner_id, reseller_mpn_id, currency, billing_cycle, status, transaction_type, line_items, created_at`

func scanOrder(row interface{ Scan(...any) error }) (*csp.Order, error) {
	var (
		o       csp.Order
		lines   string
		created scanTime
	)
	if err := row.Scan(&o.ID, &o.TenantID, &o.PartnerID, &o.ResellerMpnID, &o.Currency, &o.BillingCycle, &o.Status, &o.TransactionType, &lines, &created); err != nil {
		return nil, err
	}
	o.CreatedAt = created.T
	if err := json.Unmarshal([]byte(lines), &o.Lines); err != nil {
		return nil, fmt.Errorf("order %s lines: %w", o.ID, err)
	}
	// Lines stored before prices carried their currency are in the order's.
	for i := range o.Lines {
		l := &o.Lines[i]
		if l.ListPrice.Currency == "" {
			l.ListPrice.Currency = o.Currency
		}
		if l.ProratedPrice.Currency == "" {
			l.ProratedPrice.Currency = o.Currency
		}
	}
	return &o, nil
}

// GetOrder reads an order.
func (tx *Tx) GetOrder(ctx context.Context, id uuid.UUID) (*csp.Order, error) {
	o, err := scanOrder(tx.tx.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EOrderNotFound, "order %s does not exist", id)
	}
	return o, wrap("get order", err)
}

// ListOrders lists a partner's orders for a customer, oldest first.
func (tx *Tx) ListOrders(ctx context.Context, f store.OrderFilter) ([]*csp.Order, error) {
	q, args := pageAfter(`SELECT `+orderColumns+` FROM orders WHERE partner_id = $1 AND tenant_id = $2`, []any{f.PartnerID, f.TenantID}, f.After, f.Limit)
	return queryAll(ctx, tx, "list orders", func(r *sql.Rows) (*csp.Order, error) { return scanOrder(r) }, q, args...)
}

// pageAfter ends a query over a table paged by (created_at, id).
func pageAfter(q string, args []any, after *store.Cursor, n int) (string, []any) {
	if after != nil {
		args = append(args, ts(after.At), after.ID)
		q += fmt.Sprintf(` AND (created_at, id) > ($%d, $%d)`, len(args)-1, len(args))
	}
	return q + fmt.Sprintf(` ORDER BY created_at, id LIMIT %d`, limit(n)), args
}

// CreateCart inserts a cart.
func (tx *Tx) CreateCart(ctx context.Context, c *csp.Cart) error {
	lines, _ := json.Marshal(c.Lines)
	c.Version = 1
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO carts (id, tenant_id, partner_id, status, line_items, last_modified_user, created_at, modified_at, expires_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
		c.ID, c.TenantID, c.PartnerID, c.Status, string(lines), c.LastModifiedUser, ts(c.CreatedAt), ts(c.ModifiedAt), ts(c.ExpiresAt))
	return wrap("insert cart", err)
}

// UpdateCart writes a cart's lines and status.
func (tx *Tx) UpdateCart(ctx context.Context, c *csp.Cart) error {
	lines, _ := json.Marshal(c.Lines)
	res, err := tx.tx.ExecContext(ctx, `UPDATE carts SET status = $1, line_items = $2, last_modified_user = $3, modified_at = $4, version = version + 1 WHERE id = $5`,
		c.Status, string(lines), c.LastModifiedUser, ts(c.ModifiedAt), c.ID)
	if err := mustAffect(res, err, csp.Errorf(csp.ECartNotFound, "cart %s does not exist", c.ID)); err != nil {
		return err
	}
	c.Version++
	return nil
}

// GetCart reads a cart.
func (tx *Tx) GetCart(ctx context.Context, id uuid.UUID) (*csp.Cart, error) {
	return tx.getCart(ctx, id, "")
}

// LockCart reads a cart and locks its row.
func (tx *Tx) LockCart(ctx context.Context, id uuid.UUID) (*csp.Cart, error) {
	return tx.getCart(ctx, id, tx.d.ForUpdate)
}

func (tx *Tx) getCart(ctx context.Context, id uuid.UUID, lock string) (*csp.Cart, error) {
	var (
		c                         csp.Cart
		lines                     string
		created, modified, expire scanTime
	)
	err := tx.tx.QueryRowContext(ctx, `SELECT id, tenant_id, partner_id, status, line_items, last_modified_user, created_at, modified_at, expires_at, version
		FROM carts WHERE id = $1`+lock, id).Scan(&c.ID, &c.TenantID, &c.PartnerID, &c.Status, &lines, &c.LastModifiedUser, &created, &modified, &expire, &c.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.ECartNotFound, "cart %s does not exist", id)
	}
	if err != nil {
		return nil, wrap("get cart", err)
	}
	c.CreatedAt, c.ModifiedAt, c.ExpiresAt = created.T, modified.T, expire.T
	if err := json.Unmarshal([]byte(lines), &c.Lines); err != nil {
		return nil, fmt.Errorf("cart %s lines: %w", c.ID, err)
	}
	return &c, nil
}

// CreateAgreement records an attested agreement.
func (tx *Tx) CreateAgreement(ctx context.Context, a *csp.Agreement) error {
	contact, _ := json.Marshal(a.Contact)
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO agreements (id, tenant_id, partner_id, agreement_type, template_id, date_agreed, contact, created_at, user_id)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, a.ID, a.TenantID, a.PartnerID, a.Type, a.TemplateID, ts(a.DateAgreed), string(contact), ts(a.CreatedAt), a.UserID)
	return wrap("insert agreement", err)
}

// ListAgreements lists a customer's agreements attested by a partner.
func (tx *Tx) ListAgreements(ctx context.Context, f store.AgreementFilter) ([]*csp.Agreement, error) {
	q, args := pageAfter(`SELECT id, tenant_id, partner_id, agreement_type, template_id, date_agreed, contact, created_at, user_id
		FROM agreements WHERE partner_id = $1 AND tenant_id = $2`, []any{f.PartnerID, f.TenantID}, f.After, f.Limit)
	return queryAll(ctx, tx, "list agreements", func(rows *sql.Rows) (*csp.Agreement, error) {
		var (
			a              csp.Agreement
			contact        string
			agreed, create scanTime
			user           uuid.NullUUID
		)
		if err := rows.Scan(&a.ID, &a.TenantID, &a.PartnerID, &a.Type, &a.TemplateID, &agreed, &contact, &create, &user); err != nil {
			return nil, err
		}
		a.DateAgreed, a.CreatedAt, a.UserID = agreed.T, create.T, nullID(user)
		return &a, json.Unmarshal([]byte(contact), &a.Contact)
	}, q, args...)
}

// CreatePartnerProduct stores a partner's own service.
func (tx *Tx) CreatePartnerProduct(ctx context.Context, partnerID uuid.UUID, p *csp.Product, at time.Time) error {
	doc, _ := json.Marshal(p)
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO partner_products (product_id, partner_id, document, created_at) VALUES ($1,$2,$3,$4)`,
		p.ID, partnerID, string(doc), ts(at))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EProductExists, "you already have a product with the id %s: choose another", p.ID)
	}
	return wrap("insert partner product", err)
}

// PartnerProducts lists every partner's own services, oldest first.
func (tx *Tx) PartnerProducts(ctx context.Context) ([]csp.Product, error) {
	return queryAll(ctx, tx, "list partner products", func(rows *sql.Rows) (csp.Product, error) {
		var doc string
		var p csp.Product
		if err := rows.Scan(&doc); err != nil {
			return p, err
		}
		return p, json.Unmarshal([]byte(doc), &p)
	}, `SELECT document FROM partner_products ORDER BY created_at, partner_id, product_id`)
}
