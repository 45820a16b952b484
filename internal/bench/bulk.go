package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// sqliteMaxParams is SQLite's bound-parameter limit (SQLITE_MAX_VARIABLE_NUMBER
// since 3.32); PostgreSQL allows 65535.
const sqliteMaxParams = 32766

// bulkRows is the most rows one INSERT carries.
const bulkRows = 1000

// timeFormat is the store's: fixed-width UTC text, so that SQLite's text
// order is time order; PostgreSQL parses it into TIMESTAMPTZ.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

// bulk writes rows into one table with multi-row INSERTs inside tx. On
// SQLite the placeholders are plain ?: the driver's $N are named parameters
// to SQLite, which looks each new name up in a list, so a statement with
// tens of thousands of them spends most of its time in the parser (see
// internal/app/bench_test.go). PostgreSQL takes $N.
type bulk struct {
	tx     *sql.Tx
	pg     bool
	head   string
	cols   int
	max    int
	rows   int
	args   []any
	writes int
}

func newBulk(tx *sql.Tx, engine, table string, columns []string) *bulk {
	cols := len(columns)
	return &bulk{
		tx: tx, pg: engine == "postgres", cols: cols,
		head: "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ",
		max:  min(bulkRows, sqliteMaxParams/cols),
		args: make([]any, 0, min(bulkRows, sqliteMaxParams/cols)*cols),
	}
}

// add queues one row, writing the batch when it is full.
func (b *bulk) add(ctx context.Context, vals ...any) error {
	if len(vals) != b.cols {
		return fmt.Errorf("bulk insert: %d values for %d columns", len(vals), b.cols)
	}
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == b.max {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the queued rows.
func (b *bulk) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	var sb strings.Builder
	sb.Grow(len(b.head) + b.rows*b.cols*7)
	sb.WriteString(b.head)
	k := 0
	for r := 0; r < b.rows; r++ {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for c := 0; c < b.cols; c++ {
			if c > 0 {
				sb.WriteByte(',')
			}
			k++
			if b.pg {
				fmt.Fprintf(&sb, "$%d", k)
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	if _, err := b.tx.ExecContext(ctx, sb.String(), b.args...); err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	b.writes += b.rows
	b.rows, b.args = 0, b.args[:0]
	return nil
}
