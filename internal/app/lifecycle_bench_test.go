package app_test

// BenchmarkLifecycleAdvance times one sandbox clock advance over a month in
// which n subscriptions have a renewal, a cycle charge or an expiry due
// (internal/bench), on both engines. PostgreSQL runs when
// OPENCSP_TEST_POSTGRES_URL is set (see internal/testdb). Figures and the
// command are in docs/benchmarks.md.

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/bench"
	"github.com/opencsp/opencsp/internal/testdb"
)

// BenchmarkLifecycleAdvance reports, besides the time of the advance per
// operation, the ratio of the advance to a raw batched insert of n rows in
// the same database (ratio, against the median of three inserts), with the
// subscriptions stored in purchase order and, at 100k, shuffled (the worst
// case: bench.Shuffled); the events processed per second (events/s)
// and the peak Go heap in use during the advance (peak-heap-MB). Each
// operation needs a freshly seeded database: the seed, the raw insert and
// the checks run outside the timer. Run it with -benchtime 1x.
func BenchmarkLifecycleAdvance(b *testing.B) {
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			for _, c := range []struct {
				n     int
				order bench.Order
				name  string
			}{{10_000, bench.ByPurchase, "purchase"}, {100_000, bench.ByPurchase, "purchase"}, {100_000, bench.Shuffled, "shuffled"}} {
				n := c.n
				b.Run(fmt.Sprintf("n=%d/order=%s", n, c.name), func(b *testing.B) {
					ctx := context.Background()
					var advance, raw time.Duration
					var events int
					var peak uint64
					b.StopTimer()
					for i := 0; i < b.N; i++ {
						db := e.Open(b)
						s, err := bench.Seed(ctx, db, n, c.order, io.Discard)
						if err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
						r, err := s.Advance(ctx)
						b.StopTimer()
						if err != nil {
							b.Fatal(err)
						}
						if err := s.Verify(ctx, r.Events); err != nil {
							b.Fatal(err)
						}
						raws, err := bench.RawInserts(ctx, db, n)
						if err != nil {
							b.Fatal(err)
						}
						advance, raw, events = advance+r.Advance, raw+raws[len(raws)/2], events+r.Events
						peak = max(peak, r.PeakHeapBytes)
						if err := db.Close(); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(advance.Seconds()/raw.Seconds(), "ratio")
					b.ReportMetric(float64(events)/advance.Seconds(), "events/s")
					b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				})
			}
		})
	}
}
