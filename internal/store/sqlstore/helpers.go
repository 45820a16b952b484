package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/google/uuid"
)

// MaxPage bounds every listing.
const MaxPage = 1000

func limit(n int) int {
	if n <= 0 || n > MaxPage {
		return MaxPage
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
