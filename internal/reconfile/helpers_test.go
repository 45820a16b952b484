package reconfile_test

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/reconfile"
)

// equalLines compares lines by value: decimals by number (1 = 1.00),
// times by instant.
var equalLines = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// records reads a CSV file of testdata as fields (with encoding/csv, not
// the package under test).
func records(t *testing.T, name string) [][]string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// csvText writes records back as CSV text.
func csvText(t *testing.T, recs [][]string) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// field is the index of column name in a header.
func field(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %s", name)
	}
	return i
}

// withValue is testdata file name with the value of column on row (1:
// the first row after the header) replaced.
func withValue(t *testing.T, name string, row int, column, value string) string {
	t.Helper()
	recs := records(t, name)
	recs[row][field(t, recs[0], column)] = value
	return csvText(t, recs)
}

func readLicences(t *testing.T, text string) []reconfile.LicenceLine {
	t.Helper()
	r, err := reconfile.NewReader(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind() != reconfile.Licence {
		t.Fatalf("kind %v, want licence", r.Kind())
	}
	var out []reconfile.LicenceLine
	for {
		l, err := r.ReadLicence()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
}

func readUsages(t *testing.T, text string) []reconfile.UsageLine {
	t.Helper()
	r, err := reconfile.NewReader(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind() != reconfile.Usage {
		t.Fatalf("kind %v, want usage", r.Kind())
	}
	var out []reconfile.UsageLine
	for {
		l, err := r.ReadUsage()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
}

func testdata(t *testing.T, name string) string { return sampleText(t, name) }

func sampleText(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
