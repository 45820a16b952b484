// Package schedule runs the program's time-driven work: due jobs of every
// kind (csp.JobKind), processed strictly in time order (due time, then the
// kind's order at one instant), in batches of one transaction each.
//
// One runner works at a time across every instance on a database: it holds
// the scheduler's lease, and each batch re-checks and extends the lease in
// its own transaction, so that a runner that lost its lease (it stalled, and
// another instance took over) cannot commit. A batch commits its jobs'
// effects and their rescheduling together, so each job is done exactly once;
// a runner that crashes loses only its uncommitted batch, which the next
// holder does again.
//
// A new kind of job is a new Handler, not a new scheduler.
package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/opencsp/opencsp/internal/clock"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// Handler does the jobs of one kind.
type Handler interface {
	// Kind is the kind of job the handler does.
	Kind() csp.JobKind
	// Begin starts a batch of this kind's jobs in tx (in the order the
	// scheduler will do them) for a run that does the work due by until: it
	// reads and locks what they act on.
	Begin(ctx context.Context, tx store.Tx, until time.Time, jobs []csp.Job) (Batch, error)
}

// Batch is one transaction's share of a handler's jobs.
type Batch interface {
	// Do does one job of the batch. The scheduler calls it in time order,
	// and may stop before the batch's last job.
	Do(ctx context.Context, j csp.Job) (Outcome, error)
	// Flush writes what the batch's Do calls did, in the batch's transaction.
	Flush(ctx context.Context) error
}

// Solo is implemented by a Handler whose jobs change what other kinds'
// batches read when they begin (a plan's step turns a subscription's
// auto-renew off through the subscription use case): its jobs run in
// batches of their own, so that no other batch writes back rows that went
// stale under it, and none of its jobs reads rows another batch has not
// written yet.
type Solo interface {
	Solo() bool
}

// OneByOne is implemented by a Solo handler each of whose jobs is a
// transaction of its own (a partner's month close writes many rows).
type OneByOne interface {
	OneByOne() bool
}

// Outcome is what doing one job gave.
type Outcome struct {
	// Next is when the job's ref is next due (nil: never). A batch stops
	// before any of its jobs that come after it, so that it runs first.
	Next *time.Time
	// Events counts the history events the job recorded.
	Events int
}

// LeaseName names the scheduler's lease.
const LeaseName = "scheduler"

// Runner runs due jobs.
type Runner struct {
	Store    store.Store
	Handlers []Handler
	// Holder names this instance in the lease.
	Holder string
	// Wall is the wall clock that leases are measured on.
	Wall clock.Clock
	// LeaseTTL is how long a lease lasts unless renewed; every batch renews it.
	LeaseTTL time.Duration
	// BatchSize bounds the jobs of one transaction.
	BatchSize int
	// OnBatch runs at the end of each batch's transaction with the due time
	// of the batch's last job and the events it recorded (the sandbox clock
	// follows the work with it).
	OnBatch func(ctx context.Context, tx store.Tx, last time.Time, events int) error
}

// Acquire takes the scheduler's lease for this instance; false means that
// another instance holds it.
func (r *Runner) Acquire(ctx context.Context) (bool, error) {
	var ok bool
	now := r.Wall.Now()
	err := r.Store.Write(ctx, func(tx store.Tx) (err error) {
		ok, err = tx.AcquireLease(ctx, LeaseName, r.Holder, now, now.Add(r.LeaseTTL))
		return err
	})
	return ok, err
}

// Release frees the lease.
func (r *Runner) Release(ctx context.Context) error {
	return r.Store.Write(ctx, func(tx store.Tx) error { return tx.ReleaseLease(ctx, LeaseName, r.Holder) })
}

// Hold re-checks and extends the lease inside tx: store.ErrLeaseLost when
// this instance no longer holds it.
func (r *Runner) Hold(ctx context.Context, tx store.Tx) error {
	now := r.Wall.Now()
	return tx.HoldLease(ctx, LeaseName, r.Holder, now, now.Add(r.LeaseTTL))
}

// Run does every job due by until, in order, and answers the events they
// recorded. The caller holds the lease (Acquire).
func (r *Runner) Run(ctx context.Context, until time.Time) (int, error) {
	handlers := map[csp.JobKind]Handler{}
	for _, h := range r.Handlers {
		handlers[h.Kind()] = h
	}
	total := 0
	var prevFirst *csp.Job
	// from only grows: every job done so far was due at or before it, and
	// every job they scheduled falls at or after it. The bound lets the
	// index seek past the rows of jobs already done.
	var from time.Time
	for {
		var (
			events int
			last   time.Time
			empty  bool
			first  csp.Job
		)
		err := r.Store.Write(ctx, func(tx store.Tx) error {
			events, last, empty = 0, from, false
			if err := r.Hold(ctx, tx); err != nil {
				return err
			}
			jobs, err := tx.DueJobs(ctx, from, until, r.BatchSize)
			if err != nil {
				return err
			}
			if len(jobs) == 0 {
				empty = true
				return nil
			}
			if prevFirst != nil && jobs[0] == *prevFirst {
				return fmt.Errorf("scheduler: %s job %s due %s was done but not rescheduled", jobs[0].Kind, jobs[0].Ref, jobs[0].Due.Format(time.RFC3339))
			}
			jobs = alone(jobs, handlers)
			first = jobs[0]
			batches := map[csp.JobKind]Batch{}
			var kinds []csp.JobKind
			byKind := map[csp.JobKind][]csp.Job{}
			for _, j := range jobs {
				if _, ok := byKind[j.Kind]; !ok {
					kinds = append(kinds, j.Kind)
				}
				byKind[j.Kind] = append(byKind[j.Kind], j)
			}
			for _, k := range kinds {
				h, ok := handlers[k]
				if !ok {
					return fmt.Errorf("scheduler: no handler for jobs of kind %q", k)
				}
				if batches[k], err = h.Begin(ctx, tx, until, byKind[k]); err != nil {
					return fmt.Errorf("scheduler: begin %s jobs: %w", k, err)
				}
			}
			// Strict time order: a job rescheduled before a later job of this
			// batch stops the batch there; the next batch reads it first.
			var horizon *csp.Job
			for _, j := range jobs {
				if horizon != nil && horizon.Before(j) {
					break
				}
				out, err := batches[j.Kind].Do(ctx, j)
				if err != nil {
					return fmt.Errorf("scheduler: %s job %s due %s: %w", j.Kind, j.Ref, j.Due.Format(time.RFC3339), err)
				}
				events += out.Events
				last = j.Due
				if out.Next != nil && !out.Next.After(until) {
					n := csp.Job{Kind: j.Kind, Ref: j.Ref, Due: *out.Next}
					if horizon == nil || n.Before(*horizon) {
						horizon = &n
					}
				}
			}
			for _, k := range kinds {
				if err := batches[k].Flush(ctx); err != nil {
					return fmt.Errorf("scheduler: %s jobs: %w", k, err)
				}
			}
			if r.OnBatch != nil {
				return r.OnBatch(ctx, tx, last, events)
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		if empty {
			return total, nil
		}
		prevFirst = &first
		from = last
		total += events
	}
}

// alone cuts a batch's jobs at its first change between solo and other
// kinds: a solo kind's jobs run only with jobs of that kind (Solo).
func alone(jobs []csp.Job, handlers map[csp.JobKind]Handler) []csp.Job {
	solo := func(k csp.JobKind) bool {
		s, ok := handlers[k].(Solo)
		return ok && s.Solo()
	}
	if solo(jobs[0].Kind) {
		if o, ok := handlers[jobs[0].Kind].(OneByOne); ok && o.OneByOne() {
			return jobs[:1]
		}
		for i, j := range jobs {
			if j.Kind != jobs[0].Kind {
				return jobs[:i]
			}
		}
		return jobs
	}
	for i, j := range jobs {
		if solo(j.Kind) {
			return jobs[:i]
		}
	}
	return jobs
}
