package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

const subscriptionColumns = `id, tenant_id, partner_id, channel, offer_id, offer_name, quantity, status, created_at, order_id, reseller_mpn_id,
	parent_id, availability_id, product_name, friendly_name, unit_type, status_since, is_trial, auto_renew, term_duration, billing_cycle,
	currency, unit_price, term_started_at, term_start, term_end, lots, scheduled, next_event_at, partner_service, version, next_charge, promotion_id, list_price`

// subscriptionSelect answers subscriptionColumns as a SELECT list. SQLite's
// driver parses every TIMESTAMP value by trying several layouts in turn (a
// third of reading a batch of due subscriptions went there); read as plain
// text, scanTime parses the one layout the store writes.
func (d Dialect) subscriptionSelect() string {
	if d.Name == "postgres" {
		return subscriptionColumns
	}
	return sqliteSubscriptionSelect
}

var sqliteSubscriptionSelect = func() string {
	times := map[string]bool{"created_at": true, "status_since": true, "term_started_at": true, "term_start": true, "term_end": true,
		"next_event_at": true}
	cols := strings.Split(subscriptionColumns, ",")
	for i, c := range cols {
		if c = strings.TrimSpace(c); times[c] {
			cols[i] = "CAST(" + c + " AS TEXT)"
		} else {
			cols[i] = c
		}
	}
	return strings.Join(cols, ", ")
}()

// optTime is a time argument, NULL when zero (Dialect.arg formats it).
func optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func subscriptionArgs(s *csp.Subscription) []any {
	lots, _ := json.Marshal(s.Lots)
	if s.Lots == nil {
		lots = []byte("[]")
	}
	var sched, next, list any
	if s.Scheduled != nil {
		b, _ := json.Marshal(s.Scheduled)
		sched = string(b)
	}
	if s.NextCharge != nil {
		b, _ := json.Marshal(s.NextCharge)
		next = string(b)
	}
	if s.PromotionID != "" {
		list = s.ListPrice.Amount.String()
	}
	return []any{s.ID, s.TenantID, s.PartnerID, string(s.Channel), s.OfferID(), s.OfferName, s.Quantity, string(s.Status), s.CreatedAt, s.OrderID,
		s.ResellerMpnID, s.ParentID, s.AvailabilityID, s.ProductName, s.FriendlyName, s.UnitType, optTime(s.StatusSince), s.IsTrial, s.AutoRenew,
		s.TermDuration, s.BillingCycle, s.UnitPrice.Currency, s.UnitPrice.Amount.String(), optTime(s.TermStartedAt), optTime(s.TermStart), optTime(s.TermEnd),
		string(lots), sched, s.NextEventAt, s.PartnerService, max(s.Version, 1), next, s.PromotionID, list}
}

// CreateSubscription inserts a subscription; its next_event_at is its job.
func (tx *Tx) CreateSubscription(ctx context.Context, s *csp.Subscription) error {
	s.Version = 1
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO subscriptions (`+subscriptionColumns+`) VALUES
		($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31,$32,$33,$34)`, tx.d.args(subscriptionArgs(s))...)
	if err != nil {
		return wrap("insert subscription", err)
	}
	return nil
}

// UpdateSubscription writes a subscription's changeable state.
func (tx *Tx) UpdateSubscription(ctx context.Context, s *csp.Subscription) error {
	return tx.UpdateSubscriptions(ctx, []*csp.Subscription{s})
}

// updateColumns are what a lifecycle event may change, with the types
// PostgreSQL needs for a VALUES list of parameters.
var updateColumns = []struct{ name, pgType string }{
	{"id", "uuid"}, {"offer_id", ""}, {"offer_name", ""}, {"quantity", "integer"}, {"status", ""}, {"availability_id", ""},
	{"product_name", ""}, {"friendly_name", ""}, {"status_since", "timestamptz"}, {"auto_renew", "boolean"}, {"term_duration", ""},
	{"billing_cycle", ""}, {"unit_price", "numeric"}, {"term_started_at", "timestamptz"}, {"term_start", "timestamptz"},
	{"term_end", "timestamptz"}, {"lots", ""}, {"scheduled", ""}, {"next_event_at", "timestamptz"}, {"next_charge", ""}, {"promotion_id", ""},
	{"list_price", "numeric"}, {"unit_type", ""}, {"is_trial", "boolean"},
}

// updateRows writes the changeable state of many subscriptions.
var updateRows = func() *multiRow {
	names, types, sets := make([]string, len(updateColumns)), make([]string, len(updateColumns)), make([]string, 0, len(updateColumns))
	for i, c := range updateColumns {
		names[i], types[i] = c.name, c.pgType
		if i > 0 {
			sets = append(sets, c.name+" = v."+c.name)
		}
	}
	sets = append(sets, "version = subscriptions.version + 1")
	return &multiRow{what: "update subscriptions", head: `WITH v(` + strings.Join(names, ", ") + `) AS (VALUES `, types: types,
		tail: `) UPDATE subscriptions SET ` + strings.Join(sets, ", ") + ` FROM v WHERE subscriptions.id = v.id`}
}()

// UpdateSubscriptions writes the changeable state of many subscriptions in
// a few multi-row statements (the scheduler's batches cost a few round
// trips, not one per subscription) and bumps their versions;
// next_event_at is their job.
func (tx *Tx) UpdateSubscriptions(ctx context.Context, subs []*csp.Subscription) error {
	args := make([]any, 0, len(subs)*len(updateColumns))
	for _, s := range subs {
		a := subscriptionArgs(s)
		args = append(args, a[0], a[4], a[5], a[6], a[7], a[12], a[13], a[14], a[16], a[18], a[19], a[20], a[22], a[23], a[24], a[25], a[26], a[27], a[28], a[31], a[32], a[33], a[15], a[17])
	}
	n, err := tx.execRows(ctx, updateRows, args)
	if err != nil {
		return err
	}
	if int(n) != len(subs) {
		if len(subs) == 1 {
			return csp.Errorf(csp.ESubscriptionNotFound, "subscription %s does not exist", subs[0].ID)
		}
		return fmt.Errorf("update subscriptions: %d of %d rows updated", n, len(subs))
	}
	for _, s := range subs {
		s.Version++
	}
	return nil
}

// rescheduleRows writes only subscriptions' next events.
var rescheduleRows = &multiRow{what: "reschedule subscriptions", head: `WITH v(id, next_event_at) AS (VALUES `,
	types: []string{"uuid", "timestamptz"},
	tail:  `) UPDATE subscriptions SET next_event_at = v.next_event_at, version = subscriptions.version + 1 FROM v WHERE subscriptions.id = v.id`}

// RescheduleSubscriptions writes only the next event of many subscriptions
// (and bumps their versions): binding and rewriting 2 columns, not 20.
func (tx *Tx) RescheduleSubscriptions(ctx context.Context, subs []*csp.Subscription) error {
	args := make([]any, 0, 2*len(subs))
	for _, s := range subs {
		args = append(args, s.ID, s.NextEventAt)
	}
	n, err := tx.execRows(ctx, rescheduleRows, args)
	if err != nil {
		return err
	}
	if int(n) != len(subs) {
		return fmt.Errorf("reschedule subscriptions: %d of %d rows updated", n, len(subs))
	}
	for _, s := range subs {
		s.Version++
	}
	return nil
}

func scanSubscription(row interface{ Scan(...any) error }) (*csp.Subscription, error) {
	var (
		s                                                    csp.Subscription
		partner, order, parent                               uuid.NullUUID
		channel, offer, lots                                 string
		sched, next                                          sql.NullString
		list                                                 decimal.NullDecimal
		created, since, started, termStart, termEnd, nextEvt scanTime
	)
	err := row.Scan(&s.ID, &s.TenantID, &partner, &channel, &offer, &s.OfferName, &s.Quantity, &s.Status, &created, &order, &s.ResellerMpnID,
		&parent, &s.AvailabilityID, &s.ProductName, &s.FriendlyName, &s.UnitType, &since, &s.IsTrial, &s.AutoRenew, &s.TermDuration, &s.BillingCycle,
		&s.UnitPrice.Currency, &s.UnitPrice.Amount, &started, &termStart, &termEnd, &lots, &sched, &nextEvt, &s.PartnerService, &s.Version, &next, &s.PromotionID, &list)
	if err != nil {
		return nil, err
	}
	s.PartnerID, s.OrderID, s.ParentID = nullID(partner), nullID(order), nullID(parent)
	s.Channel = csp.Channel(channel)
	if list.Valid {
		s.ListPrice = csp.NewMoney(list.Decimal, s.UnitPrice.Currency)
	}
	s.ProductID, s.SkuID, _ = strings.Cut(offer, ":")
	s.CreatedAt, s.StatusSince, s.TermStartedAt, s.TermStart, s.TermEnd, s.NextEventAt = created.T, since.T, started.T, termStart.T, termEnd.T, nextEvt.ptr()
	if err := json.Unmarshal([]byte(lots), &s.Lots); err != nil {
		return nil, fmt.Errorf("subscription %s lots: %w", s.ID, err)
	}
	if len(s.Lots) == 0 {
		s.Lots = nil
	}
	if sched.Valid {
		s.Scheduled = &csp.NextTerm{}
		if err := json.Unmarshal([]byte(sched.String), s.Scheduled); err != nil {
			return nil, fmt.Errorf("subscription %s scheduled: %w", s.ID, err)
		}
	}
	if next.Valid {
		s.NextCharge = &csp.PlanChange{}
		if err := json.Unmarshal([]byte(next.String), s.NextCharge); err != nil {
			return nil, fmt.Errorf("subscription %s next charge: %w", s.ID, err)
		}
	}
	return &s, nil
}

func (tx *Tx) querySubscriptions(ctx context.Context, q string, args ...any) ([]*csp.Subscription, error) {
	return queryAll(ctx, tx, "list subscriptions", func(r *sql.Rows) (*csp.Subscription, error) { return scanSubscription(r) }, q, args...)
}

// GetSubscription reads a subscription.
func (tx *Tx) GetSubscription(ctx context.Context, id uuid.UUID) (*csp.Subscription, error) {
	s, err := scanSubscription(tx.tx.QueryRowContext(ctx, `SELECT `+tx.d.subscriptionSelect()+` FROM subscriptions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.ESubscriptionNotFound, "subscription %s does not exist", id)
	}
	return s, wrap("get subscription", err)
}

// ListSubscriptions lists subscriptions by creation time then id.
func (tx *Tx) ListSubscriptions(ctx context.Context, f store.SubscriptionFilter) ([]*csp.Subscription, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	q := `SELECT ` + tx.d.subscriptionSelect() + ` FROM subscriptions WHERE 1=1`
	if f.TenantID != nil {
		q += ` AND tenant_id = ` + arg(*f.TenantID)
	}
	if f.PartnerID != nil {
		q += ` AND partner_id = ` + arg(*f.PartnerID)
	}
	if f.ResellerMpnID != "" {
		q += ` AND reseller_mpn_id = ` + arg(f.ResellerMpnID)
	}
	if f.OrderID != nil {
		q += ` AND order_id = ` + arg(*f.OrderID)
	}
	if f.After != nil {
		q += ` AND (created_at, id) > (` + arg(ts(f.After.At)) + `, ` + arg(f.After.ID) + `)`
	}
	q += fmt.Sprintf(` ORDER BY created_at, id LIMIT %d`, limit(f.Limit))
	return tx.querySubscriptions(ctx, q, args...)
}

// LiveSubscriptionCount counts a partner's live subscriptions on a tenant.
func (tx *Tx) LiveSubscriptionCount(ctx context.Context, partnerID, tenantID uuid.UUID) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE tenant_id = $1 AND partner_id = $2 AND status IN ($3, $4, $5)`,
		tenantID, partnerID, csp.StatusPending, csp.StatusActive, csp.StatusSuspended).Scan(&n)
	return n, wrap("count subscriptions", err)
}

// LockSubscriptions reads subscriptions by id and locks them, in id order
// (one order for every caller, so that two lockers never wait on each other
// in a cycle).
func (tx *Tx) LockSubscriptions(ctx context.Context, ids []uuid.UUID) ([]*csp.Subscription, error) {
	return tx.subscriptionsByID(ctx, ids, tx.d.ForUpdate)
}

// SubscriptionsDue reads the subscriptions due between first and last (by
// next_event_at, then id), without locks, through subscriptions_due.
func (tx *Tx) SubscriptionsDue(ctx context.Context, first, last csp.Job) ([]*csp.Subscription, error) {
	return tx.querySubscriptions(ctx, `SELECT `+tx.d.subscriptionSelect()+` FROM subscriptions
		WHERE next_event_at >= $1 AND next_event_at <= $3 AND (next_event_at, `+tx.d.idText("id")+`) >= ($1, $2) AND (next_event_at, `+tx.d.idText("id")+`) <= ($3, $4)
		ORDER BY next_event_at, id`, ts(first.Due), first.Ref, ts(last.Due), last.Ref)
}

func (tx *Tx) subscriptionsByID(ctx context.Context, ids []uuid.UUID, lock string) ([]*csp.Subscription, error) {
	var out []*csp.Subscription
	for _, ch := range chunks(len(ids), 500) {
		args := make([]any, 0, ch[1]-ch[0])
		q := `SELECT ` + tx.d.subscriptionSelect() + ` FROM subscriptions WHERE id IN (`
		for i, id := range ids[ch[0]:ch[1]] {
			if i > 0 {
				q += ","
			}
			args = append(args, id)
			q += tx.d.Param(len(args), "")
		}
		got, err := tx.querySubscriptions(ctx, q+`) ORDER BY id`+lock, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}
