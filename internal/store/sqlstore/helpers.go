package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/store"
)

// limit bounds a listing at store.MaxLimit rows (a page and one more).
func limit(n int) int {
	if n <= 0 || n > store.MaxLimit {
		return store.MaxLimit
	}
	return n
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// mustAffect turns "no row changed" into notFound.
func mustAffect(res sql.Result, err error, notFound error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound
	}
	return nil
}

func nullID(n uuid.NullUUID) *uuid.UUID {
	if !n.Valid {
		return nil
	}
	id := n.UUID
	return &id
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, tx *Tx, what string, scan func(*sql.Rows) (T, error), q string, args ...any) ([]T, error) {
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, wrap(what, err)
		}
		out = append(out, v)
	}
	return out, wrap(what, rows.Err())
}

// chunks splits n items into runs of at most size.
// lockByID reads and locks the rows of table whose id is in ids, in id
// order (the lock order every writer keeps), 500 ids a statement.
func lockByID[T any](ctx context.Context, tx *Tx, what, table, columns string, ids []uuid.UUID, scan func(*sql.Rows) (T, error)) ([]T, error) {
	var out []T
	for _, ch := range chunks(len(ids), 500) {
		args := make([]any, 0, ch[1]-ch[0])
		marks := make([]string, 0, ch[1]-ch[0])
		for _, id := range ids[ch[0]:ch[1]] {
			args = append(args, id)
			marks = append(marks, tx.d.Param(len(args), ""))
		}
		got, err := queryAll(ctx, tx, what, scan,
			`SELECT `+columns+` FROM `+table+` WHERE id IN (`+strings.Join(marks, ",")+`) ORDER BY id`+tx.d.ForUpdate, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

func chunks(n, size int) [][2]int {
	var out [][2]int
	for lo := 0; lo < n; lo += size {
		out = append(out, [2]int{lo, min(lo+size, n)})
	}
	return out
}

// scanWith scans a row whose columns start with what a scan function
// reads, followed by rest.
type scanWith struct {
	row  interface{ Scan(...any) error }
	rest []any
}

func (s scanWith) Scan(dest ...any) error { return s.row.Scan(append(dest, s.rest...)...) }

// splitColumns splits a column list ("a, b,\n\tc") into its names.
func splitColumns(list string) []string {
	var out []string
	for _, c := range strings.Split(list, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}
