package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// jobCases cover the scheduler's storage: due jobs, leases and the sandbox
// clock.
var jobCases = []testCase{
	{"DueJobsInTimeThenKindOrder", func(t *testing.T, s store.Store) {
		// Three subscriptions (their next events are their jobs) and two
		// jobs of other kinds: the jobs table's and the subscriptions' are
		// read as one sequence.
		noon := day("2026-02-01").Add(12 * time.Hour)
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		subs := make([]*csp.Subscription, 4)
		for i, due := range []time.Time{day("2026-02-01"), day("2026-02-01"), noon, day("2026-01-31")} {
			subs[i] = comSubscription(tn.ID, &p.ID, day("2026-01-01"))
			subs[i].NextEventAt = &due
		}
		// The two subscriptions due at one instant run in id order.
		if subs[1].ID.String() < subs[0].ID.String() {
			subs[0], subs[1] = subs[1], subs[0]
		}
		const other = csp.JobKind("testWork") // an unknown kind ranks between the two
		purge := csp.Job{Kind: csp.JobPurgeRequests, Ref: "all", Due: day("2026-02-01")}
		work := csp.Job{Kind: other, Ref: "w1", Due: day("2026-02-01")}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, sub := range subs {
				if err := tx.CreateSubscription(ctx, sub); err != nil {
					return err
				}
			}
			if err := tx.SetJob(ctx, purge); err != nil {
				return err
			}
			return tx.SetJob(ctx, work)
		})
		subJob := func(i int) csp.Job {
			return csp.Job{Kind: csp.JobSubscription, Ref: subs[i].ID.String(), Due: *subs[i].NextEventAt}
		}
		due := func(from, until time.Time, n int) []csp.Job {
			var out []csp.Job
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				out, err = tx.DueJobs(ctx, from, until, n)
				return err
			})
			return out
		}
		// At one instant: subscription events, then other work, then
		// housekeeping.
		want := []csp.Job{subJob(3), subJob(0), subJob(1), work, purge, subJob(2)}
		if diff := gocmp.Diff(want, due(day("2026-01-01"), noon, 10)); diff != "" {
			t.Errorf("DueJobs mismatch (-want +got):\n%s", diff)
		}
		if diff := gocmp.Diff(want[:2], due(day("2026-01-01"), noon, 2)); diff != "" {
			t.Errorf("DueJobs limit 2 mismatch (-want +got):\n%s", diff)
		}
		if diff := gocmp.Diff(want[1:5], due(day("2026-02-01"), day("2026-02-01"), 10)); diff != "" {
			t.Errorf("DueJobs at one instant mismatch (-want +got):\n%s", diff)
		}
		// Rescheduling moves a job; deleting drops it; a subscription's job
		// moves only with the subscription.
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.SetJob(ctx, csp.Job{Kind: csp.JobPurgeRequests, Ref: "all", Due: day("2026-03-01")}); err != nil {
				return err
			}
			return tx.DeleteJob(ctx, other, "w1")
		})
		if diff := gocmp.Diff([]csp.Job{subJob(3), subJob(0), subJob(1), subJob(2)}, due(day("2026-01-01"), noon, 10)); diff != "" {
			t.Errorf("DueJobs after reschedule mismatch (-want +got):\n%s", diff)
		}
		err := s.Write(context.Background(), func(tx store.Tx) error {
			return tx.SetJob(context.Background(), csp.Job{Kind: csp.JobSubscription, Ref: subs[0].ID.String(), Due: noon})
		})
		if err == nil {
			t.Error("SetJob of a subscription's job was accepted: it must follow the subscription's next_event_at")
		}
	}},
	{"SubscriptionsDueReadsABatchRange", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		// Five subscriptions: two due on 02-01 (in id order), one at noon,
		// one on 02-02 and one with nothing due.
		dues := []*time.Time{ptrTime(day("2026-02-01")), ptrTime(day("2026-02-01")), ptrTime(day("2026-02-01").Add(12 * time.Hour)),
			ptrTime(day("2026-02-02")), nil}
		subs := make([]*csp.Subscription, len(dues))
		for i, due := range dues {
			subs[i] = comSubscription(tn.ID, &p.ID, day("2026-01-01"))
			subs[i].NextEventAt = due
		}
		if subs[1].ID.String() < subs[0].ID.String() {
			subs[0], subs[1] = subs[1], subs[0]
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, sub := range subs {
				if err := tx.CreateSubscription(ctx, sub); err != nil {
					return err
				}
			}
			return nil
		})
		job := func(i int) csp.Job {
			return csp.Job{Kind: csp.JobSubscription, Ref: subs[i].ID.String(), Due: *subs[i].NextEventAt}
		}
		read := func(first, last csp.Job) []uuid.UUID {
			var ids []uuid.UUID
			MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
				got, err := tx.SubscriptionsDue(ctx, first, last)
				for _, g := range got {
					ids = append(ids, g.ID)
				}
				return err
			})
			return ids
		}
		// From the second of 02-01 to the noon one: exactly those two, in order.
		if diff := gocmp.Diff([]uuid.UUID{subs[1].ID, subs[2].ID}, read(job(1), job(2))); diff != "" {
			t.Errorf("SubscriptionsDue(1..2) mismatch (-want +got):\n%s", diff)
		}
		if diff := gocmp.Diff([]uuid.UUID{subs[0].ID, subs[1].ID, subs[2].ID, subs[3].ID}, read(job(0), job(3))); diff != "" {
			t.Errorf("SubscriptionsDue(0..3) mismatch (-want +got):\n%s", diff)
		}
		if diff := gocmp.Diff([]uuid.UUID{subs[3].ID}, read(job(3), job(3))); diff != "" {
			t.Errorf("SubscriptionsDue(3..3) mismatch (-want +got):\n%s", diff)
		}
	}},
	{"RescheduleWritesOnlyTheNextEvent", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		sub := comSubscription(tn.ID, &p.ID, day("2026-01-15").Add(9*time.Hour))
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateSubscription(ctx, sub) })
		// In memory the quantity changes too; rescheduling writes only the
		// next event (and the version).
		next := day("2026-03-15")
		sub.NextEventAt, sub.Quantity = &next, 99
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.RescheduleSubscriptions(ctx, []*csp.Subscription{sub})
		})
		var got *csp.Subscription
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetSubscription(ctx, sub.ID)
			return err
		})
		if got.NextEventAt == nil || !got.NextEventAt.Equal(next) || got.Quantity != 10 || got.Version != 2 || sub.Version != 2 {
			t.Errorf("after reschedule: next %v, quantity %d, version %d (in memory %d); want 2026-03-15, 10, 2, 2",
				got.NextEventAt, got.Quantity, got.Version, sub.Version)
		}
	}},
	{"SubscriptionWritesKeepTheirJob", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		sub := comSubscription(tn.ID, &p.ID, day("2026-01-15").Add(9*time.Hour))
		jobOf := func() []csp.Job {
			var out []csp.Job
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				out, err = tx.DueJobs(ctx, time.Time{}, day("2100-01-01"), 10)
				return err
			})
			return out
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateSubscription(ctx, sub) })
		if diff := gocmp.Diff([]csp.Job{{Kind: csp.JobSubscription, Ref: sub.ID.String(), Due: day("2026-02-15")}}, jobOf()); diff != "" {
			t.Errorf("job after create (-want +got):\n%s", diff)
		}
		if sub.Version != 1 {
			t.Errorf("version after create = %d, want 1", sub.Version)
		}
		next := day("2026-03-15")
		sub.NextEventAt = &next
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateSubscription(ctx, sub) })
		if diff := gocmp.Diff([]csp.Job{{Kind: csp.JobSubscription, Ref: sub.ID.String(), Due: next}}, jobOf()); diff != "" {
			t.Errorf("job after update (-want +got):\n%s", diff)
		}
		sub.NextEventAt, sub.Status = nil, csp.StatusDeleted
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.UpdateSubscriptions(ctx, []*csp.Subscription{sub})
		})
		if got := jobOf(); len(got) != 0 {
			t.Errorf("jobs of a subscription with nothing due: %+v", got)
		}
		var got *csp.Subscription
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetSubscription(ctx, sub.ID)
			return err
		})
		if got.Version != 3 || sub.Version != 3 {
			t.Errorf("version after two updates: stored %d, in memory %d; want 3", got.Version, sub.Version)
		}
	}},
	{"LeaseExcludesOtherHolders", func(t *testing.T, s store.Store) {
		acquire := func(holder string, now time.Time) bool {
			var ok bool
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				ok, err = tx.AcquireLease(ctx, "scheduler", holder, now, now.Add(10*time.Second))
				return err
			})
			return ok
		}
		hold := func(holder string, now time.Time) error {
			return write(s, func(ctx context.Context, tx store.Tx) error {
				return tx.HoldLease(ctx, "scheduler", holder, now, now.Add(10*time.Second))
			})
		}
		if !acquire("a", t0) {
			t.Fatal("a could not take a free lease")
		}
		if acquire("b", at(5*time.Second)) {
			t.Fatal("b took a lease a holds until +10s, at +5s")
		}
		if !acquire("a", at(6*time.Second)) { // renewed until +16s
			t.Fatal("a could not renew its own lease")
		}
		if err := hold("a", at(15*time.Second)); err != nil { // held until +25s
			t.Fatalf("HoldLease by its holder: %v", err)
		}
		if err := hold("b", at(15*time.Second)); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("HoldLease by another = %v, want ErrLeaseLost", err)
		}
		if acquire("b", at(24*time.Second)) {
			t.Fatal("b took the lease before it lapsed at +25s")
		}
		if !acquire("b", at(26*time.Second)) {
			t.Fatal("b could not take the lapsed lease")
		}
		if err := hold("a", at(27*time.Second)); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("HoldLease by the former holder = %v, want ErrLeaseLost", err)
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.ReleaseLease(ctx, "scheduler", "a") })
		if acquire("a", at(28*time.Second)) {
			t.Fatal("a's release freed b's lease")
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.ReleaseLease(ctx, "scheduler", "b") })
		if !acquire("a", at(29*time.Second)) {
			t.Fatal("a could not take the released lease")
		}
	}},
	{"SandboxClockRoundTrip", func(t *testing.T, s store.Store) {
		read := func(lock store.Lock) (store.SandboxClock, bool) {
			var c store.SandboxClock
			var ok bool
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				c, ok, err = tx.SandboxClock(ctx, lock)
				return err
			})
			return c, ok
		}
		if _, ok := read(store.LockNone); ok {
			t.Fatal("a new database has a sandbox clock")
		}
		target := at(720 * time.Hour)
		from := t0
		for _, want := range []store.SandboxClock{
			{Now: t0},
			{Now: at(time.Hour), AdvancingTo: &target, AdvanceFrom: &from, Processed: 1200},
			{Now: target},
		} {
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.SetSandboxClock(ctx, want) })
			for _, lock := range []store.Lock{store.LockNone, store.LockShare, store.LockUpdate} {
				if got, ok := read(lock); !ok || !gocmp.Equal(want, got) {
					t.Errorf("SandboxClock(lock %d) = %+v, %v; want %+v", lock, got, ok, want)
				}
			}
		}
		// Moving never goes back, and counts events.
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.MoveSandboxClock(ctx, at(time.Hour), 5) })
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.MoveSandboxClock(ctx, at(800*time.Hour), 7) })
		if got, _ := read(store.LockNone); !got.Now.Equal(at(800*time.Hour)) || got.Processed != 12 {
			t.Errorf("after two moves: %+v, want now +800h and 12 events", got)
		}
	}},
	{"LockedRowsSerialiseWriters", func(t *testing.T, s store.Store) {
		// Two transactions add seats to one subscription at once: the second
		// locker waits for the first and reads what it wrote, so neither
		// change is lost (SQLite gets there by running one writer at a time).
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		sub := comSubscription(tn.ID, &p.ID, t0)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateSubscription(ctx, sub) })
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				err := write(s, func(ctx context.Context, tx store.Tx) error {
					subs, err := tx.LockSubscriptions(ctx, []uuid.UUID{sub.ID})
					if err != nil {
						return err
					}
					time.Sleep(5 * time.Millisecond) // widen the window a lost update needs
					subs[0].Quantity++
					return tx.UpdateSubscription(ctx, subs[0])
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var got *csp.Subscription
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetSubscription(ctx, sub.ID)
			return err
		})
		if got.Quantity != 18 || got.Version != 9 {
			t.Errorf("after 8 concurrent +1: quantity %d version %d, want 18 and 9", got.Quantity, got.Version)
		}
	}},
	{"DeadlockedWriterRunsAgain", func(t *testing.T, s store.Store) {
		// Two writers lock two subscriptions in opposite orders. PostgreSQL
		// aborts one of them as a deadlock and Write runs it again; SQLite
		// runs them one after the other. Both succeed either way.
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		x, y := comSubscription(tn.ID, &p.ID, t0), comSubscription(tn.ID, &p.ID, t0)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateSubscription(ctx, x); err != nil {
				return err
			}
			return tx.CreateSubscription(ctx, y)
		})
		locked := [2]chan struct{}{make(chan struct{}, 8), make(chan struct{}, 8)}
		var wg sync.WaitGroup
		var mu sync.Mutex
		runs := 0
		for i, order := range [][2]uuid.UUID{{x.ID, y.ID}, {y.ID, x.ID}} {
			wg.Go(func() {
				err := write(s, func(ctx context.Context, tx store.Tx) error {
					mu.Lock()
					runs++
					mu.Unlock()
					a, err := tx.LockSubscriptions(ctx, []uuid.UUID{order[0]})
					if err != nil {
						return err
					}
					locked[i] <- struct{}{}
					select { // wait until the other holds its first row, but not forever (SQLite)
					case <-locked[1-i]:
					case <-time.After(300 * time.Millisecond):
					}
					b, err := tx.LockSubscriptions(ctx, []uuid.UUID{order[1]})
					if err != nil {
						return err
					}
					a[0].Quantity++
					b[0].Quantity++
					return tx.UpdateSubscriptions(ctx, []*csp.Subscription{a[0], b[0]})
				})
				if err != nil {
					t.Errorf("writer %v: %v", order, err)
				}
			})
		}
		wg.Wait()
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			got, err := tx.LockSubscriptions(ctx, nil)
			if len(got) != 0 {
				t.Errorf("LockSubscriptions(none) = %d rows", len(got))
			}
			for _, sub := range []*csp.Subscription{x, y} {
				g, err := tx.GetSubscription(ctx, sub.ID)
				if err != nil {
					return err
				}
				if g.Quantity != 12 {
					t.Errorf("subscription %s quantity %d, want 12 (both writers' +1)", sub.ID, g.Quantity)
				}
			}
			return err
		})
		t.Logf("%s: the two writers ran %d times in all", s.Engine(), runs)
		if s.Engine() == "postgres" && runs < 3 {
			t.Errorf("writers ran %d times: PostgreSQL should have aborted one as a deadlock and Write run it again", runs)
		}
	}},
	{"LockReadsAnswerNotFound", func(t *testing.T, s store.Store) {
		for name, fn := range map[string]func(context.Context, store.Tx) error{
			"LockTenant":  func(ctx context.Context, tx store.Tx) error { _, err := tx.LockTenant(ctx, newID()); return err },
			"LockPartner": func(ctx context.Context, tx store.Tx) error { _, err := tx.LockPartner(ctx, newID()); return err },
			"LockCart":    func(ctx context.Context, tx store.Tx) error { _, err := tx.LockCart(ctx, newID()); return err },
			"LockQualificationRequest": func(ctx context.Context, tx store.Tx) error {
				_, err := tx.LockQualificationRequest(ctx, newID())
				return err
			},
		} {
			err := write(s, fn)
			want := map[string]csp.Code{"LockTenant": csp.ETenantNotFound, "LockPartner": csp.EPartnerNotFound, "LockCart": csp.ECartNotFound,
				"LockQualificationRequest": csp.EQualificationNotFound}[name]
			wantCode(t, name, err, want)
		}
	}},
	{"QualificationRequestsByTenantAndStatus", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		a := MustCreateTenant(t, s, "Contoso", "contoso")
		b := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		mk := func(tn *csp.Tenant, q string, seg csp.Segment, created time.Time) *csp.QualificationRequest {
			return &csp.QualificationRequest{ID: newID(), TenantID: tn.ID, PartnerID: p.ID, Qualification: q, Segment: seg, Status: csp.VettingInReview, CreatedAt: created}
		}
		r1, r2, r3 := mk(a, "Education", csp.SegmentEducation, at(time.Hour)), mk(a, "Nonprofit", csp.SegmentNonprofit, at(2*time.Hour)), mk(b, "Education", csp.SegmentEducation, t0)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, r := range []*csp.QualificationRequest{r2, r1, r3} {
				if err := tx.CreateQualificationRequest(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			q, err := tx.LockQualificationRequest(ctx, r1.ID)
			if err != nil {
				return err
			}
			if err := q.Decide(true, at(3*time.Hour)); err != nil {
				return err
			}
			return tx.UpdateQualificationRequest(ctx, q)
		})
		decided := at(3 * time.Hour)
		r1.Status, r1.DecidedAt = csp.VettingApproved, &decided
		list := func(f store.QualificationFilter) []*csp.QualificationRequest {
			var out []*csp.QualificationRequest
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				out, err = tx.ListQualificationRequests(ctx, f)
				return err
			})
			return out
		}
		if diff := gocmp.Diff([]*csp.QualificationRequest{r1, r2}, list(store.QualificationFilter{TenantID: &a.ID})); diff != "" {
			t.Errorf("tenant a's requests (-want +got):\n%s", diff)
		}
		if diff := gocmp.Diff([]*csp.QualificationRequest{r3, r2}, list(store.QualificationFilter{Status: csp.VettingInReview})); diff != "" {
			t.Errorf("requests in review (-want +got):\n%s", diff)
		}
		after := &store.Cursor{At: r3.CreatedAt, ID: r3.ID}
		if diff := gocmp.Diff([]*csp.QualificationRequest{r2}, list(store.QualificationFilter{Status: csp.VettingInReview, After: after, Limit: 5})); diff != "" {
			t.Errorf("requests in review after the first (-want +got):\n%s", diff)
		}
	}},
}

func ptrTime(t time.Time) *time.Time { return &t }
