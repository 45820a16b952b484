package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// ChannelTx is the purchasing channels' slice: subscriptions a tenant holds
// outside CSP (direct, ea, mcaE), as the operator records them. Their
// status follows from their dates (csp.ChannelSubscription.StatusOn), so
// they have no job.
type ChannelTx interface {
	// CreateChannelSubscription inserts s (its tenant must exist).
	CreateChannelSubscription(ctx context.Context, s *csp.ChannelSubscription) error
	// GetChannelSubscription reads one of a tenant's channel subscriptions.
	// EChannelNotFound if absent or another tenant's.
	GetChannelSubscription(ctx context.Context, tenantID, id uuid.UUID) (*csp.ChannelSubscription, error)
	// UpdateChannelSubscription writes s's quantity, term and auto-renew.
	// EChannelNotFound if absent or another tenant's.
	UpdateChannelSubscription(ctx context.Context, s *csp.ChannelSubscription) error
	// DeleteChannelSubscription removes one of a tenant's channel
	// subscriptions. EChannelNotFound if absent or another tenant's.
	DeleteChannelSubscription(ctx context.Context, tenantID, id uuid.UUID) error
	// ListChannelSubscriptions lists a tenant's channel subscriptions by
	// creation time then id, keyset-paged.
	ListChannelSubscriptions(ctx context.Context, f ChannelFilter) ([]*csp.ChannelSubscription, error)
}

// ChannelFilter selects a tenant's channel subscriptions after a cursor.
type ChannelFilter struct {
	TenantID uuid.UUID
	After    *Cursor
	Limit    int
}
