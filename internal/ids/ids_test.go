package ids

import (
	"bytes"
	"testing"
)

func TestSeededRepeatsAndSorts(t *testing.T) {
	a, b, c := NewSeeded(42), NewSeeded(42), NewSeeded(43)
	prev := a.New()
	if prev != b.New() {
		t.Fatal("two sequences of one seed differ")
	}
	if prev == c.New() {
		t.Fatal("two seeds gave the same first id")
	}
	for i := range 10000 {
		x, y := a.New(), b.New()
		if x != y {
			t.Fatalf("id %d differs between two sequences of one seed", i)
		}
		if bytes.Compare(prev[:], x[:]) >= 0 {
			t.Fatalf("id %d (%s) does not sort after the one before (%s)", i, x, prev)
		}
		if x.Version() != 7 || x.Variant().String() != "RFC4122" {
			t.Fatalf("id %s is not a version 7 RFC 4122 UUID", x)
		}
		prev = x
	}
}
