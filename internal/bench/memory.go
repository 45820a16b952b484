package bench

import (
	"runtime/metrics"
	"sync"
	"time"
)

// sampleEvery is how often the heap is sampled during a measurement.
const sampleEvery = 2 * time.Millisecond

// heapSampler keeps the largest heap in use seen while it runs. Heap in
// use is what runtime.MemStats calls HeapInuse: spans holding objects,
// live or not yet swept (runtime/metrics' heap objects plus heap unused).
// It reads runtime/metrics, which does not stop the world.
type heapSampler struct {
	samples []metrics.Sample
	stop    chan struct{}
	done    sync.WaitGroup
	peak    uint64
	n       int
}

var heapMetrics = []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes", "/gc/heap/allocs:bytes", "/gc/cycles/total:gc-cycles"}

// memSnapshot is the heap in use, the bytes allocated and the GC cycles
// run since the program started.
type memSnapshot struct{ inuse, allocs, cycles uint64 }

func readMem(s []metrics.Sample) memSnapshot {
	metrics.Read(s)
	return memSnapshot{inuse: s[0].Value.Uint64() + s[1].Value.Uint64(), allocs: s[2].Value.Uint64(), cycles: s[3].Value.Uint64()}
}

func newSamples() []metrics.Sample {
	s := make([]metrics.Sample, len(heapMetrics))
	for i, name := range heapMetrics {
		s[i].Name = name
	}
	return s
}

// startHeapSampler samples until Stop.
func startHeapSampler() *heapSampler {
	h := &heapSampler{samples: newSamples(), stop: make(chan struct{})}
	h.peak = readMem(h.samples).inuse
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				h.n++
				if v := readMem(h.samples).inuse; v > h.peak {
					h.peak = v
				}
			}
		}
	}()
	return h
}

// Stop ends sampling and answers the peak heap in use and the number of
// samples taken.
func (h *heapSampler) Stop() (peak uint64, samples int) {
	close(h.stop)
	h.done.Wait()
	if v := readMem(h.samples).inuse; v > h.peak {
		h.peak = v
	}
	return h.peak, h.n
}
