package bench_test

import (
	"context"
	"io"
	"testing"

	"github.com/opencsp/opencsp/internal/bench"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestLifecycleBenchSmall runs the lifecycle benchmark on 2,000
// subscriptions; Lifecycle itself checks the outcome against the seed.
func TestLifecycleBenchSmall(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			const n = 2000
			r, err := bench.Lifecycle(context.Background(), e.Open(t), n, io.Discard, nil)
			if err != nil {
				t.Fatal(err)
			}
			m := r.Mix
			if m.CycleCharges == 0 || m.RenewalsMonthly == 0 || m.RenewalsAnnual == 0 || m.Expiries == 0 || m.ExpiriesDisabled == 0 || m.Disabled == 0 {
				t.Errorf("mix %+v: every kind of work should be seeded", m)
			}
			if got := m.CycleCharges + m.RenewalsMonthly + m.RenewalsAnnual + m.Expiries + m.Disabled; got != n {
				t.Errorf("mix %+v adds up to %d subscriptions, want %d", m, got, n)
			}
			if r.Events != m.Events() || r.Events <= n {
				t.Errorf("events = %d, want %d (more than n: some expiries are disabled within the month)", r.Events, m.Events())
			}
			if r.Advance <= 0 || r.RawInsert <= 0 || r.Ratio <= 0 || r.EventsPerSecond <= 0 {
				t.Errorf("timings %+v: want all positive", r)
			}
			if r.PeakHeapBytes < r.BaseHeapBytes || r.PeakHeapBytes == 0 {
				t.Errorf("peak heap %d below base heap %d", r.PeakHeapBytes, r.BaseHeapBytes)
			}
		})
	}
}

// TestOpenFresh checks that Open refuses an existing SQLite file.
func TestOpenFresh(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/x.db"
	db, closeDB, err := bench.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if db.Engine() != "sqlite" {
		t.Errorf("engine %s", db.Engine())
	}
	if err := closeDB(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := bench.Open(ctx, "sqlite:"+path); err == nil {
		t.Error("Open of an existing file: want an error")
	}
}
