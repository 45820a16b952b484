package schedule_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/clock"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/schedule"
	"github.com/opencsp/opencsp/internal/store"
	"github.com/opencsp/opencsp/internal/testdb"
)

// logKind is a job kind for tests: each job appends "ref@due" to a log kept
// in the settings table (so a rolled-back batch leaves no trace), and
// reschedules itself every step until stop.
type logKind struct {
	kind csp.JobKind
	step time.Duration
	stop time.Time
}

func (k logKind) Kind() csp.JobKind { return k.kind }

func (k logKind) Begin(_ context.Context, tx store.Tx, _ time.Time, _ []csp.Job) (schedule.Batch, error) {
	return &logBatch{k: k, tx: tx}, nil
}

type logBatch struct {
	k  logKind
	tx store.Tx
}

func (b *logBatch) Do(ctx context.Context, j csp.Job) (schedule.Outcome, error) {
	log, _, err := b.tx.Setting(ctx, "log")
	if err != nil {
		return schedule.Outcome{}, err
	}
	entry := fmt.Sprintf("%s:%s@%s", j.Kind, j.Ref, j.Due.Format("01-02T15"))
	if err := b.tx.SetSetting(ctx, "log", strings.TrimPrefix(log+" "+entry, " ")); err != nil {
		return schedule.Outcome{}, err
	}
	next := j.Due.Add(b.k.step)
	if b.k.step == 0 || next.After(b.k.stop) {
		return schedule.Outcome{Events: 1}, b.tx.DeleteJob(ctx, j.Kind, j.Ref)
	}
	return schedule.Outcome{Next: &next, Events: 1}, b.tx.SetJob(ctx, csp.Job{Kind: j.Kind, Ref: j.Ref, Due: next})
}

func (b *logBatch) Flush(context.Context) error { return nil }

// workKind is a kind of job kept in the jobs table (a subscription's job
// is its next_event_at): it ranks before housekeeping at one instant.
const workKind = csp.JobKind("work")

var day0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func runner(s store.Store, holder string, wall clock.Clock, batch int, handlers ...schedule.Handler) *schedule.Runner {
	return &schedule.Runner{Store: s, Handlers: handlers, Holder: holder, Wall: wall, LeaseTTL: 10 * time.Second, BatchSize: batch}
}

func mustSetJobs(t *testing.T, s store.Store, jobs ...csp.Job) {
	t.Helper()
	err := s.Write(context.Background(), func(tx store.Tx) error {
		for _, j := range jobs {
			if err := tx.SetJob(context.Background(), j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustLog(t *testing.T, s store.Store) string {
	t.Helper()
	var log string
	err := s.Read(context.Background(), func(tx store.Tx) (err error) {
		log, _, err = tx.Setting(context.Background(), "log")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return log
}

func TestRunInStrictTimeOrderAcrossKinds(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := e.Open(t)
			wall := clock.NewManual(day0)
			// "work" jobs every 6 hours, "purgeRequests" every 12,
			// from one instant: at each shared instant the work job
			// (order 5) runs before the purge (order 9). A batch of 3 stops
			// where a job it did falls due before the batch's next job.
			subs := logKind{kind: workKind, step: 6 * time.Hour, stop: day0.Add(24 * time.Hour)}
			purge := logKind{kind: csp.JobPurgeRequests, step: 12 * time.Hour, stop: day0.Add(24 * time.Hour)}
			mustSetJobs(t, s, csp.Job{Kind: csp.JobPurgeRequests, Ref: "p", Due: day0}, csp.Job{Kind: workKind, Ref: "b", Due: day0},
				csp.Job{Kind: workKind, Ref: "a", Due: day0.Add(6 * time.Hour)})
			r := runner(s, "i1", wall, 3, subs, purge)
			if ok, err := r.Acquire(t.Context()); err != nil || !ok {
				t.Fatalf("Acquire = %v, %v", ok, err)
			}
			n, err := r.Run(t.Context(), day0.Add(18*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			want := "work:b@03-01T00 purgeRequests:p@03-01T00 work:a@03-01T06 work:b@03-01T06 " +
				"work:a@03-01T12 work:b@03-01T12 purgeRequests:p@03-01T12 work:a@03-01T18 work:b@03-01T18"
			if got := mustLog(t, s); got != want {
				t.Errorf("order of jobs done:\n got %s\nwant %s", got, want)
			}
			if n != 9 {
				t.Errorf("Run answered %d events, want 9", n)
			}
			// Nothing due any more by 18:00; the next jobs wait.
			if n, err := r.Run(t.Context(), day0.Add(18*time.Hour)); err != nil || n != 0 {
				t.Errorf("second Run = %d, %v; want 0", n, err)
			}
		})
	}
}

func TestLeaseFencesLostRunner(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := e.Open(t)
			wall := clock.NewManual(day0)
			k := logKind{kind: workKind}
			mustSetJobs(t, s, csp.Job{Kind: workKind, Ref: "x", Due: day0})
			a, b := runner(s, "a", wall, 10, k), runner(s, "b", wall, 10, k)
			if ok, _ := a.Acquire(t.Context()); !ok {
				t.Fatal("a could not take the lease")
			}
			if ok, _ := b.Acquire(t.Context()); ok {
				t.Fatal("b took a lease a holds")
			}
			// a stalls past its lease; b takes over; a may not commit.
			wall.Add(11 * time.Second)
			if ok, _ := b.Acquire(t.Context()); !ok {
				t.Fatal("b could not take the lapsed lease")
			}
			if _, err := a.Run(t.Context(), day0); !errors.Is(err, store.ErrLeaseLost) {
				t.Fatalf("a.Run after losing the lease = %v, want ErrLeaseLost", err)
			}
			if got := mustLog(t, s); got != "" {
				t.Fatalf("the runner that lost its lease did %q", got)
			}
			if n, err := b.Run(t.Context(), day0); err != nil || n != 1 {
				t.Fatalf("b.Run = %d, %v; want 1", n, err)
			}
			if got := mustLog(t, s); got != "work:x@03-01T00" {
				t.Fatalf("log = %q, want the job done once", got)
			}
		})
	}
}

func TestConcurrencyRunnersDoEachJobOnce(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := e.Open(t)
			wall := clock.NewManual(day0)
			k := logKind{kind: workKind, step: time.Hour, stop: day0.Add(47 * time.Hour)}
			var jobs []csp.Job
			for i := range 20 {
				jobs = append(jobs, csp.Job{Kind: workKind, Ref: fmt.Sprintf("s%02d", i), Due: day0})
			}
			mustSetJobs(t, s, jobs...)
			// Four runners with the same holder name would share a lease; with
			// their own, only the holder runs: the others answer ErrLeaseLost
			// or find nothing due. Each job is done once either way.
			var wg sync.WaitGroup
			for i := range 4 {
				r := runner(s, fmt.Sprintf("r%d", i), wall, 7, k)
				wg.Go(func() {
					for range 50 {
						if ok, err := r.Acquire(t.Context()); err != nil {
							t.Error(err)
							return
						} else if !ok {
							time.Sleep(time.Millisecond)
							continue
						}
						if _, err := r.Run(t.Context(), day0.Add(47*time.Hour)); err != nil && !errors.Is(err, store.ErrLeaseLost) {
							t.Error(err)
						}
						if err := r.Release(t.Context()); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			entries := strings.Fields(mustLog(t, s))
			seen := map[string]bool{}
			for _, x := range entries {
				if seen[x] {
					t.Fatalf("job %s done twice", x)
				}
				seen[x] = true
			}
			if len(entries) != 20*48 {
				t.Fatalf("%d jobs done, want %d (20 refs × 48 hours)", len(entries), 20*48)
			}
		})
	}
}

// soloKind is a logKind whose jobs run in batches of their own.
type soloKind struct{ logKind }

func (soloKind) Solo() bool { return true }

func TestSoloKindsRunInBatchesOfTheirOwn(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := e.Open(t)
			wall := clock.NewManual(day0)
			plans := csp.JobKind("plans")
			at := func(h int) time.Time { return day0.Add(time.Duration(h) * time.Hour) }
			mustSetJobs(t, s,
				csp.Job{Kind: workKind, Ref: "a", Due: at(0)}, csp.Job{Kind: workKind, Ref: "b", Due: at(1)},
				csp.Job{Kind: plans, Ref: "x", Due: at(3)}, csp.Job{Kind: plans, Ref: "y", Due: at(4)},
				csp.Job{Kind: workKind, Ref: "c", Due: at(6)}, csp.Job{Kind: plans, Ref: "z", Due: at(9)})
			r := runner(s, "i1", wall, 10, logKind{kind: workKind}, soloKind{logKind{kind: plans}})
			// Each batch ends its log with "|": the work jobs before the
			// first plan, the plans together, the work job between, the last plan.
			r.OnBatch = func(ctx context.Context, tx store.Tx, _ time.Time, _ int) error {
				log, _, err := tx.Setting(ctx, "log")
				if err != nil {
					return err
				}
				return tx.SetSetting(ctx, "log", log+" |")
			}
			if ok, err := r.Acquire(t.Context()); err != nil || !ok {
				t.Fatalf("Acquire = %v, %v", ok, err)
			}
			if n, err := r.Run(t.Context(), at(12)); err != nil || n != 6 {
				t.Fatalf("Run = %d, %v; want 6 events", n, err)
			}
			want := "work:a@03-01T00 work:b@03-01T01 | plans:x@03-01T03 plans:y@03-01T04 | work:c@03-01T06 | plans:z@03-01T09 |"
			if got := mustLog(t, s); got != want {
				t.Errorf("batches:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// oneKind is a solo kind whose jobs are each a batch.
type oneKind struct{ soloKind }

func (oneKind) OneByOne() bool { return true }

func TestOneByOneKindsRunAJobABatch(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := e.Open(t)
			closes := csp.JobKind("closes")
			mustSetJobs(t, s, csp.Job{Kind: workKind, Ref: "a", Due: day0}, csp.Job{Kind: closes, Ref: "p1", Due: day0.Add(time.Hour)},
				csp.Job{Kind: closes, Ref: "p2", Due: day0.Add(time.Hour)}, csp.Job{Kind: workKind, Ref: "b", Due: day0.Add(2 * time.Hour)})
			r := runner(s, "i1", clock.NewManual(day0), 10, logKind{kind: workKind}, oneKind{soloKind{logKind{kind: closes}}})
			r.OnBatch = func(ctx context.Context, tx store.Tx, _ time.Time, _ int) error {
				log, _, err := tx.Setting(ctx, "log")
				if err != nil {
					return err
				}
				return tx.SetSetting(ctx, "log", log+" |")
			}
			if ok, err := r.Acquire(t.Context()); err != nil || !ok {
				t.Fatalf("Acquire = %v, %v", ok, err)
			}
			if n, err := r.Run(t.Context(), day0.Add(3*time.Hour)); err != nil || n != 4 {
				t.Fatalf("Run = %d, %v", n, err)
			}
			want := "work:a@03-01T00 | closes:p1@03-01T01 | closes:p2@03-01T01 | work:b@03-01T02 |"
			if got := mustLog(t, s); got != want {
				t.Errorf("batches:\n got %s\nwant %s", got, want)
			}
		})
	}
}
