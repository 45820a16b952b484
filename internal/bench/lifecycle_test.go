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
			r, err := bench.Lifecycle(context.Background(), e.Open(t), n, bench.ByPurchase, io.Discard, nil)
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

// TestSeedOrder checks where the seed stores subscriptions: in purchase
// order, ids and storage order follow created_at; shuffled, they do not.
func TestSeedOrder(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name       string
		order      bench.Order
		byPurchase bool
	}{{"purchase", bench.ByPurchase, true}, {"shuffled", bench.Shuffled, false}} {
		t.Run(c.name, func(t *testing.T) {
			s, err := bench.Seed(ctx, testdb.SQLite(t), 400, c.order, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			var byID, byRow int // pairs of neighbours out of purchase order
			for _, q := range []struct {
				order string
				out   *int
			}{{"id", &byID}, {"rowid", &byRow}} {
				rows, err := s.DB().WritePool().QueryContext(ctx, `SELECT created_at FROM subscriptions ORDER BY `+q.order)
				if err != nil {
					t.Fatal(err)
				}
				prev := ""
				for rows.Next() {
					var at string
					if err := rows.Scan(&at); err != nil {
						t.Fatal(err)
					}
					if at < prev {
						*q.out++
					}
					prev = at
				}
				if err := rows.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if c.byPurchase && (byID != 0 || byRow != 0) {
				t.Errorf("by purchase: %d neighbours by id and %d by storage out of created_at order, want 0", byID, byRow)
			}
			// Random order puts about half of all neighbours out of order.
			if !c.byPurchase && (byID < 100 || byRow < 100) {
				t.Errorf("shuffled: only %d neighbours by id and %d by storage out of created_at order, want about 200", byID, byRow)
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

// TestMonthCloseBenchSmall runs the month-close benchmark on 2,000
// subscriptions and about 20,000 usage records; MonthClose checks the
// invoice (every charge billed, a usage line per machine and day).
func TestMonthCloseBenchSmall(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			r, err := bench.MonthClose(context.Background(), e.Open(t), 2000, 20000, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			// 20,000 / (744 hours × 8 machines) = 3 Azure subscriptions:
			// 17,856 records, 3 × 8 × 31 = 744 usage lines.
			if r.Usage != 17856 || r.UsageLines != 744 || r.LicenceLines == 0 || r.Close <= 0 || r.RawInsert <= 0 {
				t.Errorf("result %+v", r)
			}
		})
	}
}

// TestImportBenchSmall imports a generated file of 3,000 lines: 1,000
// customer invoices (Import checks the counts).
func TestImportBenchSmall(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			r, err := bench.Import(context.Background(), e.Open(t), 3000, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if r.Invoices != 1000 || r.Import <= 0 || r.RawInsert <= 0 || r.FileBytes == 0 {
				t.Errorf("result %+v", r)
			}
		})
	}
}
