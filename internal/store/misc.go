package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

// MiscTx holds audit records, idempotency records, console sessions and
// settings.
type MiscTx interface {
	// AddAudit appends an audit record.
	AddAudit(ctx context.Context, r *csp.AuditRecord) error
	// ListAudit lists a partner's audit records in time order, keyset-paged.
	ListAudit(ctx context.Context, f AuditFilter) ([]*csp.AuditRecord, error)

	// ClaimRequest records that an idempotent request is being processed
	// (r.LeaseUntil says until when its holder answers for it). It answers
	// the earlier record when the key was already claimed and that claim is
	// younger than notBefore; an older one is replaced.
	ClaimRequest(ctx context.Context, r IdempotentRequest, notBefore time.Time) (*IdempotentRequest, error)
	// GetRequest reads a claim. ok is false when there is none.
	GetRequest(ctx context.Context, scope, requestID string) (r *IdempotentRequest, ok bool, err error)
	// RenewRequest extends the lease of a claim still in progress.
	RenewRequest(ctx context.Context, scope, requestID string, leaseUntil time.Time) error
	// TakeOverRequest gives a lapsed claim whose work was never committed to
	// a new holder (its lease moves to leaseUntil); it answers false when
	// the claim is not lapsed at now, was committed or has an answer.
	TakeOverRequest(ctx context.Context, scope, requestID string, now, leaseUntil time.Time) (bool, error)
	// MarkRequestCommitted records, in the transaction of the request's
	// work, that the work is committed.
	MarkRequestCommitted(ctx context.Context, scope, requestID string) error
	// CompleteRequest stores the answer of a claimed request.
	CompleteRequest(ctx context.Context, scope, requestID string, status int, body []byte) error
	// ReleaseRequest forgets a claim (the request failed without effect).
	ReleaseRequest(ctx context.Context, scope, requestID string) error
	// PurgeRequests forgets requests claimed before t.
	PurgeRequests(ctx context.Context, before time.Time) error

	// CreateSession stores a console session.
	CreateSession(ctx context.Context, s Session) error
	// GetSession reads a console session by the hash of its id. ok is
	// false when absent.
	GetSession(ctx context.Context, idHash string) (s Session, ok bool, err error)
	// DeleteSession forgets a console session.
	DeleteSession(ctx context.Context, idHash string) error
	// PurgeSessions forgets sessions that expired before t.
	PurgeSessions(ctx context.Context, before time.Time) error

	// Setting reads a named setting; ok is false when unset.
	Setting(ctx context.Context, name string) (value string, ok bool, err error)
	// SetSetting writes a named setting.
	SetSetting(ctx context.Context, name, value string) error
}

// Session is a console sign-in. The cookie holds a random id; only its
// SHA-256 is stored. KeyID names the key signed in with, or is nil for the
// operator token, whose SHA-256 is TokenHash.
type Session struct {
	IDHash    string
	KeyID     *uuid.UUID
	TokenHash string
	CreatedAt time.Time // wall time
	ExpiresAt time.Time // wall time
}

// AuditFilter selects a partner's audit records in [From, To).
type AuditFilter struct {
	PartnerID uuid.UUID
	From, To  time.Time
	After     *Cursor
	Limit     int
}

// IdempotentRequest is the record of one MS-RequestId.
type IdempotentRequest struct {
	Scope       string // who sent it (the key's principal)
	RequestID   string
	RequestHash string    // method, path and body
	Status      int       // 0 while in progress
	Body        []byte    // the answer to replay, one-time secrets left out
	CreatedAt   time.Time // wall time
	// LeaseUntil is how long the claim's holder answers for it (wall time);
	// the holder renews it while the request runs.
	LeaseUntil time.Time
	// Committed is set in the transaction of the request's work.
	Committed bool
}
