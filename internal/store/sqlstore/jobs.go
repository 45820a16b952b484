package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// DueJobs answers jobs due in [from, until] in the scheduler's order: the
// jobs table's, merged with subscriptions' next events read through the
// subscriptions_due index (a subscription's job is its next_event_at). Each
// side reads at most n rows through its index, so a batch costs the same
// however much is due.
func (tx *Tx) DueJobs(ctx context.Context, from, until time.Time, n int) ([]csp.Job, error) {
	lim := fmt.Sprint(limit(n))
	return queryAll(ctx, tx, "due jobs", func(r *sql.Rows) (csp.Job, error) {
		var (
			j    csp.Job
			kind string
			due  scanTime
		)
		err := r.Scan(&kind, &j.Ref, &due)
		j.Kind, j.Due = csp.JobKind(kind), due.T
		return j, err
	}, `SELECT kind, ref, due_at FROM (
			SELECT * FROM (SELECT kind, ref, due_at, priority FROM jobs WHERE due_at >= $1 AND due_at <= $2
				ORDER BY due_at, priority, kind, ref LIMIT `+lim+`) j
			UNION ALL
			SELECT * FROM (SELECT '`+string(csp.JobSubscription)+`' AS kind, `+tx.d.idText("id")+` AS ref, next_event_at AS due_at, `+
		fmt.Sprint(csp.JobSubscription.Order())+` AS priority
				FROM subscriptions WHERE next_event_at >= $1 AND next_event_at <= $2 ORDER BY next_event_at, id LIMIT `+lim+`) s
		) due ORDER BY due_at, priority, kind, ref LIMIT `+lim,
		ts(from), ts(until))
}

// SetJob schedules a job.
func (tx *Tx) SetJob(ctx context.Context, j csp.Job) error {
	if j.Kind == csp.JobSubscription {
		return errSubscriptionJob
	}
	return tx.setJobs(ctx, []csp.Job{j})
}

// AddJob schedules a job unless one of its kind and ref exists.
func (tx *Tx) AddJob(ctx context.Context, j csp.Job) error {
	if j.Kind == csp.JobSubscription {
		return errSubscriptionJob
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO jobs (kind, ref, due_at, priority) VALUES ($1, $2, $3, $4) ON CONFLICT (kind, ref) DO NOTHING`,
		tx.d.args([]any{string(j.Kind), j.Ref, j.Due, j.Kind.Order()})...)
	return wrap("add job", err)
}

// errSubscriptionJob refuses to write a subscription's job: it is the
// subscription's next_event_at, written with the subscription.
var errSubscriptionJob = errors.New("a subscription's job is its next_event_at: write the subscription")

var jobRows = &multiRow{what: "schedule jobs", head: `INSERT INTO jobs (kind, ref, due_at, priority) VALUES `,
	types: []string{"", "", "timestamptz", "integer"},
	tail:  ` ON CONFLICT (kind, ref) DO UPDATE SET due_at = excluded.due_at, priority = excluded.priority`}

// setJobs upserts jobs.
func (tx *Tx) setJobs(ctx context.Context, jobs []csp.Job) error {
	args := make([]any, 0, len(jobs)*len(jobRows.types))
	for _, j := range jobs {
		args = append(args, string(j.Kind), j.Ref, j.Due, j.Kind.Order())
	}
	_, err := tx.execRows(ctx, jobRows, args)
	return err
}

// DeleteJob drops a job.
func (tx *Tx) DeleteJob(ctx context.Context, kind csp.JobKind, ref string) error {
	if kind == csp.JobSubscription {
		return errSubscriptionJob
	}
	return tx.deleteJobs(ctx, kind, []string{ref})
}

func (tx *Tx) deleteJobs(ctx context.Context, kind csp.JobKind, refs []string) error {
	for _, ch := range chunks(len(refs), 500) {
		args := []any{string(kind)}
		q := `DELETE FROM jobs WHERE kind = ` + tx.d.Param(1, "") + ` AND ref IN (`
		for i, r := range refs[ch[0]:ch[1]] {
			if i > 0 {
				q += ","
			}
			args = append(args, r)
			q += tx.d.Param(len(args), "")
		}
		if _, err := tx.tx.ExecContext(ctx, q+`)`, args...); err != nil {
			return wrap("delete jobs", err)
		}
	}
	return nil
}

// AcquireLease takes a free, lapsed or own lease.
func (tx *Tx) AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at < $4`, name, holder, ts(until), ts(now))
	if err != nil {
		return false, wrap("acquire lease", err)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap("acquire lease", err)
}

// HoldLease extends a lease its holder holds, in one UPDATE (which locks
// the row on PostgreSQL until the transaction ends).
func (tx *Tx) HoldLease(ctx context.Context, name, holder string, now, until time.Time) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE leases SET expires_at = $1 WHERE name = $2 AND holder = $3 AND expires_at >= $4`,
		ts(until), name, holder, ts(now))
	if err != nil {
		return wrap("hold lease", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(store.ErrLeaseLost, err)
	}
	return nil
}

// ReleaseLease frees a lease its holder holds.
func (tx *Tx) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder)
	return wrap("release lease", err)
}

// SandboxClock reads the sandbox clock.
func (tx *Tx) SandboxClock(ctx context.Context, lock store.Lock) (store.SandboxClock, bool, error) {
	var (
		c             store.SandboxClock
		now, to, from scanTime
	)
	err := tx.tx.QueryRowContext(ctx, `SELECT now, advancing_to, advance_from, processed FROM sandbox_clock WHERE id = 1`+tx.d.lockClause(lock)).
		Scan(&now, &to, &from, &c.Processed)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, wrap("read sandbox clock", err)
	}
	c.Now, c.AdvancingTo, c.AdvanceFrom = now.T, to.ptr(), from.ptr()
	return c, true, nil
}

// MoveSandboxClock moves the stored clock forward to at (never back) and
// counts processed more jobs' events, in one UPDATE.
func (tx *Tx) MoveSandboxClock(ctx context.Context, at time.Time, processed int64) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE sandbox_clock SET now = CASE WHEN now < $1 THEN $1 ELSE now END, processed = processed + $2 WHERE id = 1`,
		ts(at), processed)
	return mustAffect(res, err, errors.New("the database has no sandbox clock"))
}

// SetSandboxClock writes the sandbox clock.
func (tx *Tx) SetSandboxClock(ctx context.Context, c store.SandboxClock) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO sandbox_clock (id, now, advancing_to, advance_from, processed) VALUES (1, $1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET now = excluded.now, advancing_to = excluded.advancing_to, advance_from = excluded.advance_from,
		processed = excluded.processed`, ts(c.Now), tsPtr(c.AdvancingTo), tsPtr(c.AdvanceFrom), c.Processed)
	return wrap("write sandbox clock", err)
}
