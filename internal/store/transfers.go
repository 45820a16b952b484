package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp/transfer"
)

// TransferTx is the transfers' slice: transfer requests between partners
// with their line items, and each partner's outgoing transfer policy. An
// open transfer's expiry (transfer.Transfer.Due) is its job
// (csp.JobTransfer, ref its id): writing the transfer schedules or drops it.
type TransferTx interface {
	// CreateTransfer inserts t (version 1) and schedules its job.
	CreateTransfer(ctx context.Context, t *transfer.Transfer) error
	// GetTransfer reads a transfer, locking its row when lock is set (every
	// change of it takes it, after the partners' relationships).
	// ETransferNotFound if absent.
	GetTransfer(ctx context.Context, id uuid.UUID, lock bool) (*transfer.Transfer, error)
	// LockTransfers reads and locks transfers by id, in id order (the
	// scheduler's batches); absent ones are left out.
	LockTransfers(ctx context.Context, ids []uuid.UUID) ([]*transfer.Transfer, error)
	// UpdateTransfer writes a transfer's changeable state (status, lines,
	// times), bumps its version (t.Version follows) and reschedules or
	// drops its job. ETransferNotFound if absent.
	UpdateTransfer(ctx context.Context, t *transfer.Transfer) error
	// ListTransfers lists transfers by creation time then id, keyset-paged.
	ListTransfers(ctx context.Context, f TransferFilter) ([]*transfer.Transfer, error)
	// OpenTransfersOf answers the open (Active or InProgress) transfers of
	// a customer that carry a line for the subscription.
	OpenTransfersOf(ctx context.Context, tenantID, subscriptionID uuid.UUID) ([]uuid.UUID, error)

	// TransferPolicy reads a partner's outgoing policy (automatic when it
	// never set one).
	TransferPolicy(ctx context.Context, partnerID uuid.UUID) (transfer.Policy, error)
	// SetTransferPolicy writes a partner's outgoing policy.
	SetTransferPolicy(ctx context.Context, partnerID uuid.UUID, p transfer.Policy) error
}

// TransferFilter selects transfers: of a customer, of a partner (as source
// or target), or both.
type TransferFilter struct {
	TenantID  *uuid.UUID
	PartnerID *uuid.UUID
	After     *Cursor
	Limit     int
}
