package sqlstore

// The ledger: history events and their charges, written once per
// lifecycle event and read by subscription or by partner.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// AddEvent records a history event and its charges.
func (tx *Tx) AddEvent(ctx context.Context, subscriptionID uuid.UUID, ev *csp.Event) error {
	return tx.AddEvents(ctx, []store.SubscriptionEvent{{SubscriptionID: subscriptionID, Event: ev}})
}

var (
	eventRows = &multiRow{what: "insert subscription events",
		head:  `INSERT INTO subscription_events (id, subscription_id, event_date, event_type, changes) VALUES `,
		types: []string{"uuid", "uuid", "timestamptz", "", ""}}
	chargeRows = &multiRow{what: "insert charges", head: `INSERT INTO charges (` + chargeColumns + `) VALUES `,
		types: []string{"uuid", "uuid", "uuid", "uuid", "uuid", "uuid", "", "", "", "", "", "", "", "integer", "numeric", "numeric", "numeric",
			"numeric", "", "timestamptz", "timestamptz", "timestamptz", "timestamptz", "", "timestamptz", "boolean", "uuid", "", ""}}
)

// AddEvents records history events and their charges, in a few multi-row
// statements.
func (tx *Tx) AddEvents(ctx context.Context, evs []store.SubscriptionEvent) error {
	args := make([]any, 0, len(evs)*len(eventRows.types))
	n := 0
	for _, e := range evs {
		n += len(e.Event.Charges)
	}
	charges := make([]any, 0, n*len(chargeRows.types))
	for _, e := range evs {
		changes, err := json.Marshal(e.Event.Changes)
		if err != nil {
			return fmt.Errorf("event %s changes: %w", e.Event.ID, err)
		}
		args = append(args, e.Event.ID, e.SubscriptionID, e.Event.Date, string(e.Event.Type), string(changes))
		for _, c := range e.Event.Charges {
			// A subscription's charges are found through its events
			// (charges_by_event): each charge belongs to an event of its
			// own subscription.
			if c.SubscriptionID != e.SubscriptionID || c.EventID != e.Event.ID {
				return fmt.Errorf("charge %s of subscription %s and event %s recorded with event %s of subscription %s",
					c.ID, c.SubscriptionID, c.EventID, e.Event.ID, e.SubscriptionID)
			}
			charges = append(charges, c.ID, c.PartnerID, c.TenantID, c.SubscriptionID, c.EventID, c.OrderID, c.ResellerMpnID, string(c.ChargeType), c.ProductID,
				c.SkuID, c.AvailabilityID, c.ProductName, c.SkuName, c.Quantity, c.BillableQuantity.String(), c.UnitPrice.Amount.String(),
				c.EffectiveUnitPrice.Amount.String(), c.Subtotal.Amount.String(), c.Subtotal.Currency, c.ChargeStart, c.ChargeEnd, c.SubscriptionStart,
				c.SubscriptionEnd, c.TermAndBilling, c.PostedAt, c.PartnerService, c.ReferenceID, strings.Join(c.ProductQualifiers, ","), c.PromotionID)
		}
	}
	if _, err := tx.execRows(ctx, eventRows, args); err != nil {
		return err
	}
	_, err := tx.execRows(ctx, chargeRows, charges)
	return err
}

const chargeColumns = `id, partner_id, tenant_id, subscription_id, event_id, order_id, reseller_mpn_id, charge_type, product_id, sku_id,
	availability_id, product_name, sku_name, quantity, billable_quantity, unit_price, effective_unit_price, subtotal, currency, charge_start,
	charge_end, subscription_start, subscription_end, term_and_billing, posted_at, partner_service, reference_id, product_qualifiers, promotion_id`

func scanCharge(row interface{ Scan(...any) error }) (csp.Charge, error) {
	var (
		c                                  csp.Charge
		order                              uuid.NullUUID
		start, end, subStart, subEnd, post scanTime
		qualifiers                         string
	)
	err := row.Scan(&c.ID, &c.PartnerID, &c.TenantID, &c.SubscriptionID, &c.EventID, &order, &c.ResellerMpnID, &c.ChargeType, &c.ProductID, &c.SkuID,
		&c.AvailabilityID, &c.ProductName, &c.SkuName, &c.Quantity, &c.BillableQuantity, &c.UnitPrice.Amount, &c.EffectiveUnitPrice.Amount, &c.Subtotal.Amount,
		&c.Subtotal.Currency, &start, &end, &subStart, &subEnd, &c.TermAndBilling, &post, &c.PartnerService, &c.ReferenceID, &qualifiers, &c.PromotionID)
	if qualifiers != "" {
		c.ProductQualifiers = strings.Split(qualifiers, ",")
	}
	c.UnitPrice.Currency, c.EffectiveUnitPrice.Currency = c.Subtotal.Currency, c.Subtotal.Currency
	c.OrderID = nullID(order)
	c.ChargeStart, c.ChargeEnd, c.SubscriptionStart, c.SubscriptionEnd, c.PostedAt = start.T, end.T, subStart.T, subEnd.T, post.T
	return c, err
}

// SubscriptionEvents lists a page of a subscription's history with its charges.
func (tx *Tx) SubscriptionEvents(ctx context.Context, f store.EventFilter) ([]*csp.Event, error) {
	q := `SELECT id, event_date, event_type, changes FROM subscription_events WHERE subscription_id = $1`
	args := []any{f.SubscriptionID}
	if f.After != nil {
		q += ` AND (event_date, id) > ($2, $3)`
		args = append(args, ts(f.After.At), f.After.ID)
	}
	out, err := queryAll(ctx, tx, "list subscription events", func(rows *sql.Rows) (*csp.Event, error) {
		var (
			ev      csp.Event
			date    scanTime
			changes string
		)
		if err := rows.Scan(&ev.ID, &date, &ev.Type, &changes); err != nil {
			return nil, err
		}
		ev.Date = date.T
		if err := json.Unmarshal([]byte(changes), &ev.Changes); err != nil {
			return nil, fmt.Errorf("event %s changes: %w", ev.ID, err)
		}
		return &ev, nil
	}, q+fmt.Sprintf(` ORDER BY event_date, id LIMIT %d`, limit(f.Limit)), args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	// The page's charges, every one of them: an event's lines are whole.
	byID := map[uuid.UUID]*csp.Event{}
	cq := `SELECT ` + chargeColumns + ` FROM charges WHERE event_id IN (`
	cargs := make([]any, 0, len(out))
	for i, ev := range out {
		byID[ev.ID] = ev
		if i > 0 {
			cq += ","
		}
		cargs = append(cargs, ev.ID)
		cq += tx.d.Param(len(cargs), "")
	}
	charges, err := queryAll(ctx, tx, "list subscription charges", func(r *sql.Rows) (csp.Charge, error) { return scanCharge(r) },
		cq+`) ORDER BY posted_at, id`, cargs...)
	if err != nil {
		return nil, err
	}
	for _, c := range charges {
		if ev := byID[c.EventID]; ev != nil {
			ev.Charges = append(ev.Charges, c)
		}
	}
	return out, nil
}

// UnbilledCurrencies answers the pricing currencies of a partner's
// unbilled charges posted before a time (the charges_unbilled index).
func (tx *Tx) UnbilledCurrencies(ctx context.Context, partnerID uuid.UUID, before time.Time) ([]string, error) {
	return queryAll(ctx, tx, "unbilled currencies", func(r *sql.Rows) (c string, err error) { return c, r.Scan(&c) },
		`SELECT DISTINCT currency FROM charges WHERE partner_id = $1 AND invoice_number IS NULL AND posted_at < $2 ORDER BY currency`,
		tx.d.args([]any{partnerID, before})...)
}

// ListCharges lists charges by (posted time, id).
func (tx *Tx) ListCharges(ctx context.Context, f store.ChargeFilter) ([]csp.Charge, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	q := `SELECT ` + chargeColumns + ` FROM charges WHERE 1=1`
	if f.SubscriptionID != nil {
		// Through the subscription's events (charges_by_event).
		q += ` AND event_id IN (SELECT id FROM subscription_events WHERE subscription_id = ` + arg(*f.SubscriptionID) + `)`
	} else {
		q += ` AND partner_id = ` + arg(f.PartnerID)
		if f.Currency != "" || !f.PartnerServiceOnly {
			q += ` AND currency = ` + arg(f.Currency)
		}
	}
	if f.Unbilled {
		q += ` AND invoice_number IS NULL`
	}
	if f.MicrosoftOnly {
		q += ` AND partner_service = ` + arg(false)
	}
	if f.PartnerServiceOnly {
		q += ` AND partner_service = ` + arg(true)
	}
	if !f.From.IsZero() {
		q += ` AND posted_at >= ` + arg(ts(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND posted_at < ` + arg(ts(f.To))
	}
	if f.After != nil {
		q += ` AND (posted_at, id) > (` + arg(ts(f.After.At)) + `, ` + arg(f.After.ID) + `)`
	}
	q += fmt.Sprintf(` ORDER BY posted_at, id LIMIT %d`, limit(f.Limit))
	return queryAll(ctx, tx, "list charges", func(r *sql.Rows) (csp.Charge, error) { return scanCharge(r) }, q, args...)
}
