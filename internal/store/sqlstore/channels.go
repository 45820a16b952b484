package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

const channelColumns = `id, tenant_id, channel, product_id, sku_id, quantity, term_start, term_end, auto_renew, created_at`

// CreateChannelSubscription inserts a channel subscription.
func (tx *Tx) CreateChannelSubscription(ctx context.Context, s *csp.ChannelSubscription) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO channel_subscriptions (`+channelColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
		tx.d.args([]any{s.ID, s.TenantID, string(s.Channel), s.ProductID, s.SkuID, s.Quantity, ts(s.TermStart), ts(s.TermEnd), s.AutoRenew, ts(s.CreatedAt)})...)
	return wrap("insert channel subscription", err)
}

func scanChannel(row interface{ Scan(...any) error }) (*csp.ChannelSubscription, error) {
	var (
		s                     csp.ChannelSubscription
		channel               string
		start, end, createdAt scanTime
	)
	if err := row.Scan(&s.ID, &s.TenantID, &channel, &s.ProductID, &s.SkuID, &s.Quantity, &start, &end, &s.AutoRenew, &createdAt); err != nil {
		return nil, err
	}
	s.Channel, s.TermStart, s.TermEnd, s.CreatedAt = csp.Channel(channel), start.T, end.T, createdAt.T
	return &s, nil
}

func channelNotFound(tenantID, id uuid.UUID) error {
	return csp.Errorf(csp.EChannelNotFound, "tenant %s has no channel subscription %s: GET /admin/v1/tenants/%s/channelSubscriptions lists them", tenantID, id, tenantID)
}

// GetChannelSubscription reads one of a tenant's channel subscriptions.
func (tx *Tx) GetChannelSubscription(ctx context.Context, tenantID, id uuid.UUID) (*csp.ChannelSubscription, error) {
	s, err := scanChannel(tx.tx.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM channel_subscriptions WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, channelNotFound(tenantID, id)
	}
	return s, wrap("get channel subscription", err)
}

// UpdateChannelSubscription writes a channel subscription's quantity, term
// and auto-renew.
func (tx *Tx) UpdateChannelSubscription(ctx context.Context, s *csp.ChannelSubscription) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE channel_subscriptions SET quantity = $1, term_start = $2, term_end = $3, auto_renew = $4 WHERE tenant_id = $5 AND id = $6`,
		tx.d.args([]any{s.Quantity, ts(s.TermStart), ts(s.TermEnd), s.AutoRenew, s.TenantID, s.ID})...)
	return wrap("update channel subscription", mustAffect(res, err, channelNotFound(s.TenantID, s.ID)))
}

// DeleteChannelSubscription removes one of a tenant's channel subscriptions.
func (tx *Tx) DeleteChannelSubscription(ctx context.Context, tenantID, id uuid.UUID) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM channel_subscriptions WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	return wrap("delete channel subscription", mustAffect(res, err, channelNotFound(tenantID, id)))
}

// ListChannelSubscriptions lists a tenant's channel subscriptions by
// creation time then id.
func (tx *Tx) ListChannelSubscriptions(ctx context.Context, f store.ChannelFilter) ([]*csp.ChannelSubscription, error) {
	q, args := pageAfter(`SELECT `+channelColumns+` FROM channel_subscriptions WHERE tenant_id = $1`, []any{f.TenantID}, f.After, f.Limit)
	return queryAll(ctx, tx, "list channel subscriptions", func(r *sql.Rows) (*csp.ChannelSubscription, error) { return scanChannel(r) }, q, args...)
}
