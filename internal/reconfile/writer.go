package reconfile

import (
	"encoding/csv"
	"fmt"
	"io"
)

// Writer writes one file of one kind: the header first (at NewWriter),
// then a line per call. Each value is checked as the Reader would check
// it, and written in Microsoft's spelling (camelCase charge types,
// upper-case currencies, M/D/YYYY dates): a refused line writes nothing
// and the file goes on. Output is buffered until Flush.
type Writer struct {
	csv  *csv.Writer
	kind Kind
	line int      // lines written, the header included
	rec  []string // reused for every line
	err  error    // the first write error: the file is broken from there
}

// NewWriter starts a file of kind k on w with its header line.
func NewWriter(w io.Writer, k Kind) *Writer {
	wr := &Writer{csv: csv.NewWriter(w), kind: k}
	switch k {
	case Licence:
		wr.err = wr.csv.Write(names(licenceColumns))
	case Usage:
		wr.err = wr.csv.Write(names(usageColumns))
	default:
		wr.err = fmt.Errorf("reconfile: a writer of unknown kind %v", k)
	}
	wr.line = 1
	return wr
}

// WriteLicence writes a line of a Licence file.
func (w *Writer) WriteLicence(l LicenceLine) error {
	if w.kind != Licence && w.err == nil {
		return fmt.Errorf("reconfile: a licence line cannot go into a %v file", w.kind)
	}
	return writeLine(w, licenceColumns, &l)
}

// WriteUsage writes a line of a Usage file.
func (w *Writer) WriteUsage(l UsageLine) error {
	if w.kind != Usage && w.err == nil {
		return fmt.Errorf("reconfile: a usage line cannot go into a %v file", w.kind)
	}
	return writeLine(w, usageColumns, &l)
}

// Flush writes what is buffered and answers the first error of the file.
func (w *Writer) Flush() error {
	w.csv.Flush()
	if w.err != nil {
		return w.err
	}
	return w.csv.Error()
}

// writeLine reads l's values back as the Reader would (which validates
// and normalises them), then writes the normalised line.
func writeLine[L any](w *Writer, cols []column[L], l *L) error {
	if w.err != nil {
		return w.err
	}
	var read L
	for _, c := range cols {
		if err := c.parse(&read, c.format(l)); err != nil {
			return &Error{Line: w.line + 1, Column: c.name, Message: err.Error()}
		}
	}
	w.rec = w.rec[:0]
	for _, c := range cols {
		w.rec = append(w.rec, c.format(&read))
	}
	if err := w.csv.Write(w.rec); err != nil {
		w.err = err
		return err
	}
	w.line++
	return nil
}
