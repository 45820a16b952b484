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
	"github.com/opencsp/opencsp/internal/csp/plan"
	"github.com/opencsp/opencsp/internal/store"
)

const planColumns = `id, tenant_id, destination_partner_id, destination_channel, destination_name, steps, skipped, created_at, created_by,
	applied_at, applied_by, version`

func planNotFound(id uuid.UUID) error {
	return csp.Errorf(csp.EPlanNotFound, "channel plan %s does not exist", id)
}

func planJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func planSteps(p *plan.Plan) (string, string) {
	steps, skipped := p.Steps, p.Skipped
	if steps == nil {
		steps = []plan.Step{}
	}
	if skipped == nil {
		skipped = []plan.Skipped{}
	}
	return planJSON(steps), planJSON(skipped)
}

// CreatePlan inserts a plan (version 1).
func (tx *Tx) CreatePlan(ctx context.Context, p *plan.Plan) error {
	p.Version = 1
	var partner any
	if p.Destination.PartnerID != nil {
		partner = *p.Destination.PartnerID
	}
	steps, skipped := planSteps(p)
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO channel_plans (`+planColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
		p.ID, p.TenantID, partner, string(p.Destination.Channel), p.DestinationName, steps, skipped, ts(p.CreatedAt), p.CreatedBy,
		tsPtr(p.AppliedAt), p.AppliedBy, p.Version)
	return wrap("insert channel plan", err)
}

func scanPlan(row interface{ Scan(...any) error }) (*plan.Plan, error) {
	var (
		p              plan.Plan
		partner        uuid.NullUUID
		channel        string
		steps, skipped string
		created, done  scanTime
	)
	if err := row.Scan(&p.ID, &p.TenantID, &partner, &channel, &p.DestinationName, &steps, &skipped, &created, &p.CreatedBy, &done, &p.AppliedBy, &p.Version); err != nil {
		return nil, err
	}
	if partner.Valid {
		id := partner.UUID
		p.Destination.PartnerID = &id
	}
	p.Destination.Channel, p.CreatedAt, p.AppliedAt = csp.Channel(channel), created.T, done.ptr()
	if err := json.Unmarshal([]byte(steps), &p.Steps); err != nil {
		return nil, fmt.Errorf("channel plan %s steps: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(skipped), &p.Skipped); err != nil {
		return nil, fmt.Errorf("channel plan %s skipped: %w", p.ID, err)
	}
	return &p, nil
}

// GetPlan reads a plan, locking it when lock is set.
func (tx *Tx) GetPlan(ctx context.Context, id uuid.UUID, lock bool) (*plan.Plan, error) {
	q := `SELECT ` + planColumns + ` FROM channel_plans WHERE id = $1`
	if lock {
		q += tx.d.ForUpdate
	}
	p, err := scanPlan(tx.tx.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, planNotFound(id)
	}
	return p, wrap("get channel plan", err)
}

// LockPlans reads and locks plans by id, in id order.
func (tx *Tx) LockPlans(ctx context.Context, ids []uuid.UUID) ([]*plan.Plan, error) {
	return lockByID(ctx, tx, "lock channel plans", "channel_plans", planColumns, ids, func(r *sql.Rows) (*plan.Plan, error) { return scanPlan(r) })
}

// UpdatePlan writes a plan's application and steps, bumps its version and
// schedules its job at due (nil drops it).
func (tx *Tx) UpdatePlan(ctx context.Context, p *plan.Plan, due *time.Time) error {
	steps, _ := planSteps(p)
	res, err := tx.tx.ExecContext(ctx, `UPDATE channel_plans SET steps = $1, applied_at = $2, applied_by = $3, version = version + 1 WHERE id = $4`,
		steps, tsPtr(p.AppliedAt), p.AppliedBy, p.ID)
	if err := mustAffect(res, err, planNotFound(p.ID)); err != nil {
		return wrap("update channel plan", err)
	}
	p.Version++
	if due != nil {
		return tx.setJobs(ctx, []csp.Job{{Kind: csp.JobChannelPlan, Ref: p.ID.String(), Due: *due}})
	}
	return tx.deleteJobs(ctx, csp.JobChannelPlan, []string{p.ID.String()})
}

// ListPlans lists plans by creation time then id.
func (tx *Tx) ListPlans(ctx context.Context, f store.PlanFilter) ([]*plan.Plan, error) {
	var args []any
	q := `SELECT ` + planColumns + ` FROM channel_plans WHERE 1=1`
	if f.TenantID != nil {
		args = append(args, *f.TenantID)
		q += fmt.Sprintf(` AND tenant_id = $%d`, len(args))
	}
	if f.Applied {
		q += ` AND applied_at IS NOT NULL`
	}
	q, args = pageAfter(q, args, f.After, f.Limit)
	return queryAll(ctx, tx, "list channel plans", func(r *sql.Rows) (*plan.Plan, error) { return scanPlan(r) }, q, args...)
}
