package app_test

// BenchmarkAzureUsageMonth meters a month of 1,000 running virtual machines
// (720 hourly jobs of 1,000 records: 720,000 rows) through the scheduler,
// then inserts the same number of rows straight through the store's
// multi-row insert, one transaction per hour, and reports both times, their
// ratio and the peak heap. OPENCSP_BENCH_AZURE_RESOURCES sets another
// number of machines. Figures in docs/benchmarks.md.

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store"
	"github.com/opencsp/opencsp/internal/testdb"
)

// peakHeap samples the heap every 20 ms until stop is called, and answers
// the largest value seen.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

func BenchmarkAzureUsageMonth(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("OPENCSP_BENCH_AZURE_RESOURCES")); err == nil && v > 0 {
		n = v
	}
	const hours = 720
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			ctx := context.Background()
			db := e.Open(b)
			w := mustAzureWorld(b, db, nil)
			_, _, err := w.a.PutResourceGroup(ctx, w.owner, azure.GroupScope(w.sub.ID, "fleet"), "eastus", nil)
			mustNil(b, err)
			for i := range n {
				_, _, err := w.a.PutResource(ctx, w.owner, w.id("fleet", azure.TypeVirtualMachine, fmt.Sprintf("vm%04d", i)), azure.Spec{Location: "eastus", Sku: "Standard_B1s"})
				mustNil(b, err)
			}
			other, err := w.a.CreateAzureSubscription(ctx, w.agent, w.customer, w.plan, "Raw")
			mustNil(b, err)
			for b.Loop() {
				runtime.GC()
				stop := peakHeap()
				start := time.Now()
				w.advanceTo(b, azureStart.Add(hours*time.Hour))
				metered := time.Since(start)
				meteredPeak := stop()

				meter, _ := azure.Prices().Lookup(azure.TypeVirtualMachine, "Standard_B1s", "eastus")
				runtime.GC()
				stop = peakHeap()
				start = time.Now()
				for h := range hours {
					recs := make([]azure.UsageRecord, n)
					for i := range recs {
						recs[i] = azure.UsageRecord{Subscription: other.ID, ResourceURI: azure.NewResourceID(other.ID, "fleet", azure.TypeVirtualMachine, fmt.Sprintf("vm%04d", i)).String(),
							MeterID: meter.ID, Location: "eastus", Start: azureStart.Add(time.Duration(h) * time.Hour), Quantity: decimal.NewFromInt(1)}
					}
					mustNil(b, db.Write(ctx, func(tx store.Tx) error { return tx.AddUsage(ctx, recs) }))
				}
				raw := time.Since(start)
				rawPeak := stop()
				got := w.hourly(b, azureStart.Add((hours-1)*time.Hour), azureStart.Add(hours*time.Hour))
				if len(got) != n {
					b.Fatalf("the last hour has %d records, want %d", len(got), n)
				}
				b.ReportMetric(metered.Seconds(), "metered-s")
				b.ReportMetric(raw.Seconds(), "raw-s")
				b.ReportMetric(metered.Seconds()/raw.Seconds(), "x-raw")
				b.ReportMetric(float64(meteredPeak)/(1<<20), "metered-peak-MiB")
				b.ReportMetric(float64(rawPeak)/(1<<20), "raw-peak-MiB")
			}
		})
	}
}
