package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

// PartnerTx is the partners' slice: partners, their users and keys.
type PartnerTx interface {
	// CreatePartner inserts p. EMpnIDTaken if its mpnId is used.
	CreatePartner(ctx context.Context, p *csp.Partner) error
	// GetPartner reads a partner. EPartnerNotFound if absent.
	GetPartner(ctx context.Context, id uuid.UUID) (*csp.Partner, error)
	// LockPartner reads a partner and locks its row until the transaction ends.
	LockPartner(ctx context.Context, id uuid.UUID) (*csp.Partner, error)
	// GetPartnerByMpnID reads a partner by its partner id. EPartnerNotFound if absent.
	GetPartnerByMpnID(ctx context.Context, mpnID string) (*csp.Partner, error)
	// ListPartners lists partners by id after f.After.
	ListPartners(ctx context.Context, f PartnerFilter) ([]*csp.Partner, error)
	// SetSalePolicy replaces a partner's sale policy (nil removes it).
	SetSalePolicy(ctx context.Context, partnerID uuid.UUID, sp *csp.SalePolicy) error
	// NextMpnID answers the first unused 7-digit partner id among the
	// numbers candidate proposes.
	NextMpnID(ctx context.Context, candidate func() uint64) (string, error)

	// CreatePartnerUser inserts u. EEmailTaken if the partner has a user with that email.
	CreatePartnerUser(ctx context.Context, u *csp.PartnerUser) error
	// GetPartnerUser reads a partner user. EUserNotFound if absent.
	GetPartnerUser(ctx context.Context, id uuid.UUID) (*csp.PartnerUser, error)
	// ListPartnerUsers lists a partner's users by email.
	ListPartnerUsers(ctx context.Context, partnerID uuid.UUID) ([]*csp.PartnerUser, error)

	// CreateKey inserts an API key (hashed secret).
	CreateKey(ctx context.Context, k *Key) error
	// GetKey reads a key. EKeyNotFound if absent.
	GetKey(ctx context.Context, id uuid.UUID) (*Key, error)
	// RevokeKey marks a key revoked at the given time. EKeyNotFound if absent.
	RevokeKey(ctx context.Context, id uuid.UUID, at time.Time) error
}

// Key is an API key: the secret is kept only as a SHA-256 hash.
type Key struct {
	ID          uuid.UUID
	SecretHash  string
	Kind        csp.PrincipalKind
	PartnerID   *uuid.UUID
	UserID      *uuid.UUID // partner user or tenant user
	TenantID    *uuid.UUID
	Description string
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	RevokedAt   *time.Time
}

// PartnerFilter pages through partners by id.
type PartnerFilter struct {
	After *uuid.UUID
	Limit int
}
