// Package reconfile writes and reads the two CSV files partners download
// from Partner Center: the new-commerce invoice reconciliation file (Kind
// Licence, 47 columns) and the daily rated usage file (Kind Usage, 55
// columns), with Microsoft's header names and value formats, so that
// spreadsheets built on real exports read OpenCSP's unchanged and real
// exports import into OpenCSP.
//
// It is pure: an io.Reader or io.Writer in, typed lines out (or in). The
// Reader streams one row at a time and validates each value; business
// rules (a subtotal matching its quantity, say) are the importer's.
package reconfile

import "fmt"

// Kind is which of Partner Center's files a CSV is.
type Kind int

const (
	// Licence is the new-commerce invoice reconciliation file (seat
	// lines: new, cycleCharge, addQuantity...).
	Licence Kind = iota + 1
	// Usage is the daily rated usage file (Azure plan meters by day).
	Usage
)

func (k Kind) String() string {
	switch k {
	case Licence:
		return "licence"
	case Usage:
		return "usage"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is a refused line: its number in the file (the header is line 1),
// the column (empty when the fault is not one value's: a field count, a
// malformed quote, a header of neither kind) and what is wrong.
type Error struct {
	Line    int
	Column  string
	Message string
}

func (e *Error) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Message)
}
