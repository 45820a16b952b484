package reconfile_test

import (
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/reconfile"
)

// generated is a licence file made on the fly: the header, then lines
// lines like the sample's cycleCharge with the quantity varying. It holds
// one line at a time, so the file's size costs the reader nothing.
type generated struct {
	before, after string // a row around its Quantity
	lines, done   int
	buf           []byte
	off           int
}

func newGenerated(t testing.TB, lines int) *generated {
	rows := strings.SplitAfter(sampleText(t, "licence.csv"), "\n")
	before, after, ok := strings.Cut(rows[1], ",cycleCharge,22.00,10,")
	if !ok {
		t.Fatal("the sample's cycleCharge line changed")
	}
	return &generated{before: before + ",cycleCharge,22.00,", after: "," + after, lines: lines, buf: []byte(rows[0])}
}

func (g *generated) Read(p []byte) (int, error) {
	if g.off == len(g.buf) {
		if g.done == g.lines {
			return 0, io.EOF
		}
		g.done++
		g.buf = append(strconv.AppendInt(append(g.buf[:0], g.before...), int64(g.done%100+1), 10), g.after...)
		g.off = 0
	}
	n := copy(p, g.buf[g.off:])
	g.off += n
	return n, nil
}

// BenchmarkReadMillionLicenceLines reads a 1,000,000-line licence file
// (about 570 MB) and reports, besides allocations, the most heap in use
// seen while reading (sampled every 100,000 lines): flat, whatever the
// file's size.
func BenchmarkReadMillionLicenceLines(b *testing.B) {
	const lines = 1_000_000
	b.ReportAllocs()
	var maxHeap uint64
	var ms runtime.MemStats
	for b.Loop() {
		r, err := reconfile.NewReader(newGenerated(b, lines))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := r.ReadLicence()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if n++; n%100_000 == 0 {
				runtime.ReadMemStats(&ms)
				maxHeap = max(maxHeap, ms.HeapInuse)
			}
		}
		if n != lines {
			b.Fatalf("%d lines read", n)
		}
	}
	b.ReportMetric(float64(maxHeap)/(1<<20), "MB-heap-max")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}
