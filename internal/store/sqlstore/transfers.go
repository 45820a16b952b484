package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/store"
)

const transferColumns = `id, tenant_id, source_partner_id, target_partner_id, customer_name, customer_email, source_partner_name, target_partner_name,
	target_partner_email, partner_on_record, product_types, transfer_type, status, lines, created_at, modified_at, modified_by, completed_at,
	expires_at, version`

func transferNotFound(id uuid.UUID) error {
	return csp.Errorf(csp.ETransferNotFound, "transfer %s does not exist", id)
}

func transferLines(t *transfer.Transfer) string {
	lines := t.Lines
	if lines == nil {
		lines = []transfer.Line{}
	}
	b, _ := json.Marshal(lines)
	return string(b)
}

func productTypes(t *transfer.Transfer) any {
	if t.TargetProductTypes == nil {
		return nil
	}
	b, _ := json.Marshal(t.TargetProductTypes)
	return string(b)
}

// CreateTransfer inserts a transfer and schedules its job.
func (tx *Tx) CreateTransfer(ctx context.Context, t *transfer.Transfer) error {
	t.Version = 1
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO transfers (`+transferColumns+`)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)`,
		t.ID, t.CustomerTenantID, t.SourcePartnerID, t.TargetPartnerID, t.CustomerName, t.CustomerEmailID, t.SourcePartnerName, t.TargetPartnerName,
		t.TargetPartnerEmailID, t.PartnerOnRecord, productTypes(t), int(t.Type), string(t.Status), transferLines(t), ts(t.CreatedAt), ts(t.ModifiedAt),
		t.ModifiedBy, tsPtr(t.CompletedAt), ts(t.ExpiresAt), t.Version)
	if err != nil {
		return wrap("insert transfer", err)
	}
	return tx.scheduleTransfer(ctx, t)
}

// scheduleTransfer writes a transfer's job from its due time, or drops it.
func (tx *Tx) scheduleTransfer(ctx context.Context, t *transfer.Transfer) error {
	if due := t.Due(); due != nil {
		return tx.setJobs(ctx, []csp.Job{{Kind: csp.JobTransfer, Ref: t.ID.String(), Due: *due}})
	}
	return tx.deleteJobs(ctx, csp.JobTransfer, []string{t.ID.String()})
}

func scanTransfer(row interface{ Scan(...any) error }) (*transfer.Transfer, error) {
	var (
		t                              transfer.Transfer
		types                          sql.NullString
		typ                            int
		status, lines                  string
		created, moved, done, expiring scanTime
	)
	if err := row.Scan(&t.ID, &t.CustomerTenantID, &t.SourcePartnerID, &t.TargetPartnerID, &t.CustomerName, &t.CustomerEmailID, &t.SourcePartnerName,
		&t.TargetPartnerName, &t.TargetPartnerEmailID, &t.PartnerOnRecord, &types, &typ, &status, &lines, &created, &moved, &t.ModifiedBy, &done,
		&expiring, &t.Version); err != nil {
		return nil, err
	}
	t.Type, t.Status, t.CreatedAt, t.ModifiedAt, t.CompletedAt, t.ExpiresAt = transfer.Type(typ), transfer.Status(status), created.T, moved.T, done.ptr(), expiring.T
	if err := json.Unmarshal([]byte(lines), &t.Lines); err != nil {
		return nil, fmt.Errorf("transfer %s lines: %w", t.ID, err)
	}
	if types.Valid {
		if err := json.Unmarshal([]byte(types.String), &t.TargetProductTypes); err != nil {
			return nil, fmt.Errorf("transfer %s product types: %w", t.ID, err)
		}
	}
	return &t, nil
}

// GetTransfer reads a transfer, locking it when lock is set.
func (tx *Tx) GetTransfer(ctx context.Context, id uuid.UUID, lock bool) (*transfer.Transfer, error) {
	q := `SELECT ` + transferColumns + ` FROM transfers WHERE id = $1`
	if lock {
		q += tx.d.ForUpdate
	}
	t, err := scanTransfer(tx.tx.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, transferNotFound(id)
	}
	return t, wrap("get transfer", err)
}

// LockTransfers reads and locks transfers by id, in id order.
func (tx *Tx) LockTransfers(ctx context.Context, ids []uuid.UUID) ([]*transfer.Transfer, error) {
	return lockByID(ctx, tx, "lock transfers", "transfers", transferColumns, ids, func(r *sql.Rows) (*transfer.Transfer, error) { return scanTransfer(r) })
}

// UpdateTransfer writes a transfer's state, bumps its version and
// reschedules its job.
func (tx *Tx) UpdateTransfer(ctx context.Context, t *transfer.Transfer) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE transfers SET status = $1, lines = $2, modified_at = $3, modified_by = $4, completed_at = $5,
		version = version + 1 WHERE id = $6`,
		string(t.Status), transferLines(t), ts(t.ModifiedAt), t.ModifiedBy, tsPtr(t.CompletedAt), t.ID)
	if err := mustAffect(res, err, transferNotFound(t.ID)); err != nil {
		return wrap("update transfer", err)
	}
	t.Version++
	return tx.scheduleTransfer(ctx, t)
}

// ListTransfers lists transfers by creation time then id.
func (tx *Tx) ListTransfers(ctx context.Context, f store.TransferFilter) ([]*transfer.Transfer, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	q := `SELECT ` + transferColumns + ` FROM transfers WHERE 1=1`
	if f.TenantID != nil {
		q += ` AND tenant_id = ` + arg(*f.TenantID)
	}
	if f.PartnerID != nil {
		m := arg(*f.PartnerID)
		q += ` AND (source_partner_id = ` + m + ` OR target_partner_id = ` + m + `)`
	}
	q, args = pageAfter(q, args, f.After, f.Limit)
	return queryAll(ctx, tx, "list transfers", func(r *sql.Rows) (*transfer.Transfer, error) { return scanTransfer(r) }, q, args...)
}

// OpenTransfersOf answers a customer's open transfers with a line for the
// subscription. Lines are JSON; the subscription id is matched as the
// text the encoder writes.
func (tx *Tx) OpenTransfersOf(ctx context.Context, tenantID, subscriptionID uuid.UUID) ([]uuid.UUID, error) {
	pattern := `%"subscriptionId":"` + subscriptionID.String() + `"%`
	return queryAll(ctx, tx, "open transfers of a subscription", func(r *sql.Rows) (uuid.UUID, error) {
		var id uuid.UUID
		return id, r.Scan(&id)
	}, `SELECT id FROM transfers WHERE tenant_id = $1 AND status IN ($2, $3) AND lines LIKE $4 ORDER BY created_at, id`,
		tenantID, string(transfer.StatusActive), string(transfer.StatusInProgress), pattern)
}

// TransferPolicy reads a partner's outgoing policy.
func (tx *Tx) TransferPolicy(ctx context.Context, partnerID uuid.UUID) (transfer.Policy, error) {
	var p string
	err := tx.tx.QueryRowContext(ctx, `SELECT outgoing FROM transfer_policies WHERE partner_id = $1`, partnerID).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return transfer.PolicyAutomatic, nil
	}
	return transfer.Policy(p), wrap("get transfer policy", err)
}

// SetTransferPolicy writes a partner's outgoing policy.
func (tx *Tx) SetTransferPolicy(ctx context.Context, partnerID uuid.UUID, p transfer.Policy) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO transfer_policies (partner_id, outgoing) VALUES ($1, $2)
		ON CONFLICT (partner_id) DO UPDATE SET outgoing = excluded.outgoing`, partnerID, string(p))
	return wrap("set transfer policy", err)
}
