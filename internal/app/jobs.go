package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/schedule"
	"github.com/opencsp/opencsp/internal/store"
)

// subscriptionJobs does subscriptions' lifecycle events (cycle charges,
// renewals, term ends, the expiry chain), one event per job; a
// subscription's job is its next_event_at, so writing the subscription
// reschedules it.
type subscriptionJobs struct{ a *App }

func (subscriptionJobs) Kind() csp.JobKind { return csp.JobSubscription }

func (h subscriptionJobs) Begin(ctx context.Context, tx store.Tx, _ time.Time, jobs []csp.Job) (schedule.Batch, error) {
	// Outside a sandbox, writers change subscriptions while the scheduler
	// runs: lock them, in id order like every writer. In a sandbox every
	// write is refused while a run advances the clock, and the scheduler's
	// lease fences other runners, so the batch is read without locks,
	// straight from the due index (its jobs are consecutive entries of it).
	var (
		subs []*csp.Subscription
		err  error
	)
	if h.a.sandbox {
		subs, err = tx.SubscriptionsDue(ctx, jobs[0], jobs[len(jobs)-1])
	} else {
		var ids []uuid.UUID
		if ids, err = jobIDs(jobs); err != nil {
			return nil, err
		}
		subs, err = tx.LockSubscriptions(ctx, ids)
	}
	if err != nil {
		return nil, err
	}
	cat, err := h.a.catalogIn(ctx, tx)
	if err != nil {
		return nil, err
	}
	b := &subscriptionBatch{tx: tx, subs: make(map[string]*csp.Subscription, len(subs)), price: h.a.pricer(cat), newID: h.a.newID}
	for _, s := range subs {
		b.subs[s.ID.String()] = s
	}
	return b, nil
}

type subscriptionBatch struct {
	tx    store.Tx
	subs  map[string]*csp.Subscription
	price csp.Pricer
	newID func() uuid.UUID
	done  []*csp.Subscription
	// moved are the subscriptions whose event changed only their next
	// event (csp.EventType.OnlyReschedules).
	moved  []*csp.Subscription
	events []store.SubscriptionEvent
}

func (b *subscriptionBatch) Do(ctx context.Context, j csp.Job) (schedule.Outcome, error) {
	s := b.subs[j.Ref]
	if s == nil {
		// Another writer moved the subscription's next event (its job)
		// after this batch read the jobs: its job is already where it
		// belongs.
		return schedule.Outcome{}, nil
	}
	if s.NextEventAt == nil || !s.NextEventAt.Equal(j.Due) {
		// Another writer changed the subscription (and its job) after this
		// batch read the jobs: its job is already where it belongs.
		return schedule.Outcome{}, nil
	}
	out := schedule.Outcome{}
	ev := s.Advance(b.price)
	if ev != nil {
		ev.SetIDs(b.newID)
		b.events = append(b.events, store.SubscriptionEvent{SubscriptionID: s.ID, Event: ev})
		out.Events = 1
	}
	if ev != nil && ev.Type.OnlyReschedules() {
		b.moved = append(b.moved, s)
	} else {
		b.done = append(b.done, s)
	}
	out.Next = s.NextEventAt
	return out, nil
}

// Flush writes the batch's events, charges and subscriptions in multi-row
// statements; a subscription whose event only moved its next one has only
// that written.
func (b *subscriptionBatch) Flush(ctx context.Context) error {
	if err := b.tx.AddEvents(ctx, b.events); err != nil {
		return err
	}
	if err := b.tx.RescheduleSubscriptions(ctx, b.moved); err != nil {
		return err
	}
	return b.tx.UpdateSubscriptions(ctx, b.done)
}

// purgeJobs forgets the MS-RequestId records older than the idempotency
// window and the console sessions that expired (both measured on the wall
// clock): once a day of program time outside a sandbox, once per advance in
// a sandbox (wall time hardly moves while program time races; doing it
// daily would cut a ten-year advance into 3,650 batches). It proves that a
// new kind of due work is a new handler of the one scheduler.
type purgeJobs struct{ a *App }

// purgeRef is the one purge job's ref.
const purgeRef = "all"

func (purgeJobs) Kind() csp.JobKind { return csp.JobPurgeRequests }

func (h purgeJobs) Begin(_ context.Context, tx store.Tx, until time.Time, _ []csp.Job) (schedule.Batch, error) {
	return purgeBatch{a: h.a, tx: tx, until: until}, nil
}

type purgeBatch struct {
	a     *App
	tx    store.Tx
	until time.Time
}

func (b purgeBatch) Do(ctx context.Context, j csp.Job) (schedule.Outcome, error) {
	wall := b.a.wall.Now()
	if err := b.tx.PurgeRequests(ctx, wall.Add(-IdempotencyWindow)); err != nil {
		return schedule.Outcome{}, err
	}
	if err := b.tx.PurgeSessions(ctx, wall); err != nil {
		return schedule.Outcome{}, err
	}
	// The next midnight after this run's end: past the run, so it never
	// stops a batch.
	next := csp.Day(b.until).AddDate(0, 0, 1)
	return schedule.Outcome{Next: &next}, b.tx.SetJob(ctx, csp.Job{Kind: csp.JobPurgeRequests, Ref: purgeRef, Due: next})
}

func (purgeBatch) Flush(context.Context) error { return nil }

// schedulePurge makes sure the purge job exists: at the next midnight
// (program time) after now.
func schedulePurge(ctx context.Context, tx store.Tx, now time.Time) error {
	return tx.SetJob(ctx, csp.Job{Kind: csp.JobPurgeRequests, Ref: purgeRef, Due: csp.Day(now).AddDate(0, 0, 1)})
}

// jobIDs parses the refs of a batch's jobs, each the id of the row it acts
// on.
func jobIDs(jobs []csp.Job) ([]uuid.UUID, error) {
	ids := make([]uuid.UUID, 0, len(jobs))
	for _, j := range jobs {
		id, err := uuid.Parse(j.Ref)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}
