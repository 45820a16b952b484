package store

import (
	"context"
	"errors"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
)

// JobTx is the scheduler's slice: due jobs, leases and the sandbox clock.
type JobTx interface {
	// DueJobs answers up to limit jobs due in [from, until], in the order
	// the scheduler runs them (due time, kind order, kind, ref): the jobs
	// table's, and subscriptions' next events (a subscription's job).
	DueJobs(ctx context.Context, from, until time.Time, limit int) ([]csp.Job, error)
	// SetJob schedules (or reschedules) the job of its kind and ref. A
	// subscription's job is refused: writing the subscription moves it.
	SetJob(ctx context.Context, j csp.Job) error
	// AddJob schedules j unless a job of its kind and ref exists (which
	// keeps its due time).
	AddJob(ctx context.Context, j csp.Job) error
	// DeleteJob drops the job of a kind and ref, if any (not a
	// subscription's).
	DeleteJob(ctx context.Context, kind csp.JobKind, ref string) error

	// AcquireLease makes holder the lease's holder until until, when it is
	// free, lapsed (expired before now) or already holder's. It answers
	// whether holder holds it.
	AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error)
	// HoldLease extends the lease to until (locking it) when holder holds it
	// unlapsed at now; ErrLeaseLost otherwise. Every batch of the scheduler
	// calls it first, so that a holder that lost its lease cannot commit
	// work.
	HoldLease(ctx context.Context, name, holder string, now, until time.Time) error
	// ReleaseLease frees the lease if holder holds it.
	ReleaseLease(ctx context.Context, name, holder string) error

	// SandboxClock reads the sandbox clock, share-locking it (lock =
	// LockShare: every write) or locking it (LockUpdate: advances). ok is
	// false when the database has no sandbox clock.
	SandboxClock(ctx context.Context, lock Lock) (c SandboxClock, ok bool, err error)
	// SetSandboxClock writes the sandbox clock.
	SetSandboxClock(ctx context.Context, c SandboxClock) error
	// MoveSandboxClock moves the stored clock forward to at (never back)
	// and adds processed to the advance's count of events.
	MoveSandboxClock(ctx context.Context, at time.Time, processed int64) error
}

// ErrLeaseLost is HoldLease's answer to a holder whose lease lapsed or
// passed to another holder.
var ErrLeaseLost = errors.New("lease lost to another holder")

// SandboxClock is the stored sandbox clock: the program's time, and the
// advance in progress, if any.
type SandboxClock struct {
	Now time.Time
	// AdvancingTo is the target of the advance in progress (nil: none).
	// Writes are refused while it is set; a restart resumes the advance.
	AdvancingTo *time.Time
	// AdvanceFrom is where the advance in progress started.
	AdvanceFrom *time.Time
	// Processed counts the jobs the advance in progress has done.
	Processed int64
}
