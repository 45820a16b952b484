package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp/plan"
)

// PlanTx is the channel plans' slice: a tenant's plans for moving to
// another partner or channel, their steps (with each step's state) as one
// JSON document. An applied plan's next due step is its job
// (csp.JobChannelPlan, ref its id), written with the plan.
type PlanTx interface {
	// CreatePlan inserts p (version 1); an unapplied plan has no job.
	CreatePlan(ctx context.Context, p *plan.Plan) error
	// GetPlan reads a plan, locking its row when lock is set.
	// EPlanNotFound if absent.
	GetPlan(ctx context.Context, id uuid.UUID, lock bool) (*plan.Plan, error)
	// LockPlans reads and locks plans by id, in id order (the scheduler's).
	LockPlans(ctx context.Context, ids []uuid.UUID) ([]*plan.Plan, error)
	// UpdatePlan writes a plan's application and steps, bumps its version,
	// and schedules its job at due (nil drops it). EPlanNotFound if absent.
	UpdatePlan(ctx context.Context, p *plan.Plan, due *time.Time) error
	// ListPlans lists plans by creation time then id, keyset-paged.
	ListPlans(ctx context.Context, f PlanFilter) ([]*plan.Plan, error)
}

// PlanFilter selects plans: of a tenant, and (Applied) only the applied
// ones (the operator's listing).
type PlanFilter struct {
	TenantID *uuid.UUID
	Applied  bool
	After    *Cursor
	Limit    int
}
