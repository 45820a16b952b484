package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

const qualificationColumns = `id, tenant_id, partner_id, qualification, segment, status, created_at, decided_at`

// CreateQualificationRequest stores a request.
func (tx *Tx) CreateQualificationRequest(ctx context.Context, q *csp.QualificationRequest) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO qualification_requests (`+qualificationColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
		q.ID, q.TenantID, q.PartnerID, q.Qualification, string(q.Segment), q.Status, ts(q.CreatedAt), tsPtr(q.DecidedAt))
	return wrap("insert qualification request", err)
}

func scanQualification(row interface{ Scan(...any) error }) (*csp.QualificationRequest, error) {
	var (
		q                csp.QualificationRequest
		seg              string
		created, decided scanTime
	)
	if err := row.Scan(&q.ID, &q.TenantID, &q.PartnerID, &q.Qualification, &seg, &q.Status, &created, &decided); err != nil {
		return nil, err
	}
	q.Segment, q.CreatedAt, q.DecidedAt = csp.Segment(seg), created.T, decided.ptr()
	return &q, nil
}

// LockQualificationRequest reads a request and locks it.
func (tx *Tx) LockQualificationRequest(ctx context.Context, id uuid.UUID) (*csp.QualificationRequest, error) {
	q, err := scanQualification(tx.tx.QueryRowContext(ctx, `SELECT `+qualificationColumns+` FROM qualification_requests WHERE id = $1`+tx.d.ForUpdate, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EQualificationNotFound, "qualification request %s does not exist", id)
	}
	return q, wrap("get qualification request", err)
}

// UpdateQualificationRequest writes a request's status.
func (tx *Tx) UpdateQualificationRequest(ctx context.Context, q *csp.QualificationRequest) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE qualification_requests SET status = $1, decided_at = $2 WHERE id = $3`, q.Status, tsPtr(q.DecidedAt), q.ID)
	return mustAffect(res, err, csp.Errorf(csp.EQualificationNotFound, "qualification request %s does not exist", q.ID))
}

// ListQualificationRequests lists requests by creation time then id.
func (tx *Tx) ListQualificationRequests(ctx context.Context, f store.QualificationFilter) ([]*csp.QualificationRequest, error) {
	q := `SELECT ` + qualificationColumns + ` FROM qualification_requests WHERE 1=1`
	var args []any
	if f.TenantID != nil {
		args = append(args, *f.TenantID)
		q += ` AND tenant_id = $1`
	}
	if f.Status != "" {
		args = append(args, f.Status)
		q += fmt.Sprintf(` AND status = $%d`, len(args))
	}
	q, args = pageAfter(q, args, f.After, f.Limit)
	return queryAll(ctx, tx, "list qualification requests", func(r *sql.Rows) (*csp.QualificationRequest, error) { return scanQualification(r) }, q, args...)
}
