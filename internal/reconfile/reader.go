package reconfile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Reader reads a file row by row, holding one row at a time whatever the
// file's size. Columns are found by name (case-insensitively, in any
// order; unknown ones are ignored). A row whose value is refused answers
// an *Error and the next call reads the next row, so one pass can list
// every bad row; a malformed CSV (bad quoting) ends the file: every call
// after answers the same *Error.
type Reader struct {
	csv    *csv.Reader
	kind   Kind
	line   int      // the line the last row started on
	fields []string // each header field's column name, for errors
	idx    []int    // per column of the kind, its field in a row (-1: absent)
	err    error    // io.EOF or a malformed CSV: reading is over
}

// NewReader reads r's header and tells its kind: a licence file has
// ChargeType and BillableQuantity and no UsageDate, a usage file UsageDate
// and MeterId. A header of neither kind, or of a kind but without one of
// its columns, is an *Error.
func NewReader(r io.Reader) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted here, to name the line and column
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{Line: 1, Message: "the file is empty: it has no header line"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	line, _ := cr.FieldPos(0)
	header := slices.Clone(rec)
	// Files saved by Excel start with a byte order mark.
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	pos := map[string]int{}  // lower-case name → field
	dup := map[string]bool{} // names found twice
	for j, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, ok := pos[h]; ok {
			dup[h] = true
			continue
		}
		pos[h] = j
	}
	rd := &Reader{csv: cr, line: line, fields: header}
	if rd.kind, err = detect(pos); err != nil {
		return nil, &Error{Line: line, Message: err.Error()}
	}
	switch rd.kind {
	case Licence:
		rd.idx, err = mapColumns(licenceColumns, pos, dup, header)
	case Usage:
		rd.idx, err = mapColumns(usageColumns, pos, dup, header)
	}
	if err != nil {
		err.(*Error).Line = line
		return nil, err
	}
	return rd, nil
}

// detect tells the kind from the columns a header has.
func detect(pos map[string]int) (Kind, error) {
	has := func(n string) bool { _, ok := pos[strings.ToLower(n)]; return ok }
	lacks := func(ns ...string) (out []string) {
		for _, n := range ns {
			if !has(n) {
				out = append(out, n)
			}
		}
		return out
	}
	usage, licence := lacks("UsageDate", "MeterId"), lacks("ChargeType", "BillableQuantity")
	switch {
	case len(usage) == 0:
		return Usage, nil
	case len(licence) == 0 && has("UsageDate"):
		return 0, errors.New("the header is not a licence file's (it has UsageDate) nor a usage file's (it lacks MeterId)")
	case len(licence) == 0:
		return Licence, nil
	}
	return 0, fmt.Errorf("the header is not a licence file's (it lacks %s) nor a usage file's (it lacks %s)",
		strings.Join(licence, ", "), strings.Join(usage, ", "))
}

// mapColumns finds each column's field in the header, and names the
// header's fields by their columns.
func mapColumns[L any](cols []column[L], pos map[string]int, dup map[string]bool, header []string) ([]int, error) {
	idx := make([]int, len(cols))
	var missing []string
	for i, c := range cols {
		idx[i] = -1
		for _, n := range append([]string{c.name}, c.aliases...) {
			n = strings.ToLower(n)
			if dup[n] {
				return nil, &Error{Column: c.name, Message: "the header has this column twice"}
			}
			if j, ok := pos[n]; ok {
				idx[i] = j
				header[j] = c.name
				break
			}
		}
		if idx[i] < 0 && !c.optional {
			missing = append(missing, c.name)
		}
	}
	switch len(missing) {
	case 0:
		return idx, nil
	case 1:
		return nil, &Error{Column: missing[0], Message: "the header lacks this column"}
	}
	return nil, &Error{Column: missing[0], Message: "the header lacks this column (and " + strings.Join(missing[1:], ", ") + ")"}
}

// Ended tells whether reading is over: the file ended, or its CSV is
// malformed (every later read answers the same error).
func (r *Reader) Ended() bool { return r.err != nil }

// Kind is the file's kind, told by its header.
func (r *Reader) Kind() Kind { return r.kind }

// Line is the line the last row read starts on (the header is line 1; a
// value quoted over several lines counts them all).
func (r *Reader) Line() int { return r.line }

// ReadLicence reads the next row of a Licence file; io.EOF after the last.
func (r *Reader) ReadLicence() (LicenceLine, error) {
	var l LicenceLine
	if r.kind != Licence {
		return l, fmt.Errorf("reconfile: ReadLicence on a %v file", r.kind)
	}
	return l, readLine(r, licenceColumns, &l)
}

// ReadUsage reads the next row of a Usage file; io.EOF after the last.
func (r *Reader) ReadUsage() (UsageLine, error) {
	var l UsageLine
	if r.kind != Usage {
		return l, fmt.Errorf("reconfile: ReadUsage on a %v file", r.kind)
	}
	return l, readLine(r, usageColumns, &l)
}

func readLine[L any](r *Reader, cols []column[L], l *L) error {
	if r.err != nil {
		return r.err
	}
	rec, err := r.csv.Read()
	if err != nil {
		if err != io.EOF {
			err = csvError(err)
			if e, ok := err.(*Error); ok {
				r.line = e.Line
			}
		}
		r.err = err
		return err
	}
	r.line, _ = r.csv.FieldPos(0)
	if n := len(r.fields); len(rec) != n {
		e := &Error{Line: r.line, Message: fmt.Sprintf("the row has %d fields, the header %d", len(rec), n)}
		if len(rec) < n {
			e.Column = r.fields[len(rec)] // the first one missing
		}
		return e
	}
	for i, c := range cols {
		s := ""
		if j := r.idx[i]; j >= 0 {
			s = rec[j]
		}
		if err := c.parse(l, s); err != nil {
			return &Error{Line: r.line, Column: c.name, Message: err.Error()}
		}
	}
	return nil
}

// csvError names the line of a malformed CSV: the line its row starts
// on, and where the fault is when that is further.
func csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err // the source's own read error
	}
	msg := fmt.Sprintf("malformed CSV: %v at character %d", pe.Err, pe.Column)
	if pe.Line != pe.StartLine {
		msg += fmt.Sprintf(" of line %d", pe.Line)
	}
	return &Error{Line: pe.StartLine, Message: msg}
}
