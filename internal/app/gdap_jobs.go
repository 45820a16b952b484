package app

import (
	"context"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/schedule"
	"github.com/opencsp/opencsp/internal/store"
)

// gdapJobs does what a GDAP relationship's due time brings (gdap's Lapse):
// at an active relationship's end it auto-extends by 180 days or expires;
// a request never approved expires 90 days after it was locked. Writing the
// relationship reschedules or drops its job.
type gdapJobs struct{ a *App }

func (gdapJobs) Kind() csp.JobKind { return csp.JobDelegatedAdmin }

func (gdapJobs) Begin(ctx context.Context, tx store.Tx, _ time.Time, jobs []csp.Job) (schedule.Batch, error) {
	ids, err := jobIDs(jobs)
	if err != nil {
		return nil, err
	}
	// Locked in id order, as every writer of a relationship locks it.
	rels, err := tx.LockGDAPRelationships(ctx, ids)
	if err != nil {
		return nil, err
	}
	b := gdapBatch{tx: tx, rels: make(map[string]*gdap.Relationship, len(rels))}
	for _, r := range rels {
		b.rels[r.ID.String()] = r
	}
	return b, nil
}

type gdapBatch struct {
	tx   store.Tx
	rels map[string]*gdap.Relationship
}

func (b gdapBatch) Do(ctx context.Context, j csp.Job) (schedule.Outcome, error) {
	r := b.rels[j.Ref]
	if r == nil {
		// Deleted with its job after the batch read the jobs.
		return schedule.Outcome{}, b.tx.DeleteJob(ctx, csp.JobDelegatedAdmin, j.Ref)
	}
	n := r.Lapse(j.Due)
	if n == nil {
		// Changed since the job was read: writing it moved its job.
		return schedule.Outcome{Next: r.Due()}, nil
	}
	if err := b.tx.UpdateGDAPRelationship(ctx, n); err != nil {
		return schedule.Outcome{}, err
	}
	b.rels[j.Ref] = n
	return schedule.Outcome{Next: n.Due(), Events: 1}, nil
}

func (gdapBatch) Flush(context.Context) error { return nil }
