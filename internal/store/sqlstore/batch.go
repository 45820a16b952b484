package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// multiRow is a statement that writes many rows at once: head, a VALUES
// list of rows, tail. The scheduler writes each batch's events, charges
// and subscriptions with three of them.
type multiRow struct {
	what string
	head string
	// types has one entry per column: the SQL type PostgreSQL needs for a
	// parameter in a VALUES list ("" where none is needed).
	types []string
	tail  string
}

// maxShape is the most rows one statement writes (26 columns of charges:
// 6,656 parameters, well under SQLite's 32,766 and PostgreSQL's 65,535).
const maxShape = 256

// shapes splits n rows into runs of power-of-two lengths, largest first
// (200 = 128 + 64 + 8): a multi-row statement then has at most nine texts,
// each prepared once and reused by every batch, instead of a new text (and
// a new parse) for every batch size.
func shapes(n int) [][2]int {
	var out [][2]int
	lo := 0
	for size := maxShape; size > 0; size /= 2 {
		for n-lo >= size {
			out = append(out, [2]int{lo, lo + size})
			lo += size
		}
	}
	return out
}

// execRows writes the rows whose arguments args holds (len(m.types) per
// row) and answers how many rows the statements affected.
func (tx *Tx) execRows(ctx context.Context, m *multiRow, args []any) (int64, error) {
	width := len(m.types)
	var affected int64
	for _, ch := range shapes(len(args) / width) {
		res, err := tx.exec(ctx, tx.st.text(tx.d, m, ch[1]-ch[0]), tx.d.args(args[ch[0]*width:ch[1]*width])...)
		if err != nil {
			return affected, wrap(m.what, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return affected, wrap(m.what, err)
		}
		affected += n
	}
	return affected, nil
}

// args converts arguments in place to what the engine's driver encodes
// most cheaply: times are SQLite's fixed-width text (so that text order is
// time order) but PostgreSQL's binary timestamptz; ids are SQLite's text
// but PostgreSQL's 16 bytes (pgx would otherwise take google/uuid's
// driver.Valuer text and try, and fail, to encode it as binary first).
func (d Dialect) args(args []any) []any {
	pg := d.Name == "postgres"
	for i, v := range args {
		switch x := v.(type) {
		case time.Time:
			if pg {
				args[i] = x.UTC()
			} else {
				args[i] = ts(x)
			}
		case *time.Time:
			if x == nil {
				args[i] = nil
			} else if pg {
				args[i] = x.UTC()
			} else {
				args[i] = ts(*x)
			}
		case uuid.UUID:
			if pg {
				args[i] = [16]byte(x)
			} else {
				args[i] = x.String()
			}
		case *uuid.UUID:
			if x == nil {
				args[i] = nil
			} else if pg {
				args[i] = [16]byte(*x)
			} else {
				args[i] = x.String()
			}
		}
	}
	return args
}

// exec runs q, through the statement prepared for it when there is one.
// A text without one is run as is, and prepared once this transaction has
// committed (the connection is then free; SQLite's one writer connection
// cannot prepare while a transaction holds it).
func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if !tx.prepare {
		return tx.tx.ExecContext(ctx, q, args...)
	}
	if s := tx.st.prepared(q); s != nil {
		return tx.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, q, args...)
}

// statements caches the texts of multi-row statements by shape and, on
// engines whose driver does not (SQLite), their prepared statements on the
// write pool. Both are bounded: a few statements, nine shapes each.
type statements struct {
	mu    sync.Mutex
	texts map[shapeKey]string
	stmts map[string]*sql.Stmt
	// pending are texts run unprepared, to prepare after the commit.
	pending map[string]bool
}

type shapeKey struct {
	m    *multiRow
	rows int
}

func newStatements() *statements {
	return &statements{texts: map[shapeKey]string{}, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// text answers m's statement for rows rows.
func (st *statements) text(d Dialect, m *multiRow, rows int) string {
	k := shapeKey{m, rows}
	st.mu.Lock()
	defer st.mu.Unlock()
	if q, ok := st.texts[k]; ok {
		return q
	}
	var sb strings.Builder
	sb.WriteString(m.head)
	n := 0
	for r := range rows {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for i, t := range m.types {
			if i > 0 {
				sb.WriteByte(',')
			}
			n++
			sb.WriteString(d.Param(n, t))
		}
		sb.WriteByte(')')
	}
	sb.WriteString(m.tail)
	q := sb.String()
	st.texts[k] = q
	return q
}

// prepared answers q's prepared statement, or nil after noting q to
// prepare once the transaction is over.
func (st *statements) prepared(q string) *sql.Stmt {
	st.mu.Lock()
	defer st.mu.Unlock()
	if s, ok := st.stmts[q]; ok {
		return s
	}
	st.pending[q] = true
	return nil
}

// preparePending prepares the texts run unprepared so far on pool. It
// holds no lock while it prepares: preparing waits for a connection, which
// another transaction may hold while it asks for a statement's text. A
// failure only leaves a text unprepared.
func (st *statements) preparePending(ctx context.Context, pool *sql.DB) {
	st.mu.Lock()
	var todo []string
	for q := range st.pending {
		todo = append(todo, q)
		delete(st.pending, q)
	}
	st.mu.Unlock()
	for _, q := range todo {
		s, err := pool.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		st.mu.Lock()
		if _, dup := st.stmts[q]; dup {
			s.Close()
		} else {
			st.stmts[q] = s
		}
		st.mu.Unlock()
	}
}

// close closes the prepared statements.
func (st *statements) close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	var err error
	for q, s := range st.stmts {
		if e := s.Close(); e != nil && err == nil {
			err = e
		}
		delete(st.stmts, q)
	}
	return err
}
