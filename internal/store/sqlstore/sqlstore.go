// Package sqlstore implements store.Store over database/sql with one SQL body
// for both engines. The SQL it uses is the common ground of SQLite 3.45+ and
// PostgreSQL 13+ ($n placeholders, ON CONFLICT, row-value comparisons); what
// differs (types, error codes, connection setup, migrations) lives in the
// sqlite and postgres packages, which hand a Dialect to New.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// Dialect is what an engine package tells the shared SQL about itself.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// IsUniqueViolation reports whether err is a unique-constraint failure,
	// and on which constraint or column list when the driver says.
	IsUniqueViolation func(err error) (bool, string)
	// ReadOnlyTx marks read transactions read-only (PostgreSQL).
	ReadOnlyTx bool
	// Param writes the n-th bound parameter of a multi-row statement, typed
	// as sqlType where the engine needs it (PostgreSQL types the columns of
	// VALUES lists from their parameters; SQLite parses "?" much faster than
	// "$n" when a statement has thousands).
	Param func(n int, sqlType string) string
	// ForUpdate and ForShare end a SELECT that locks the rows it reads
	// (PostgreSQL's FOR UPDATE and FOR SHARE). SQLite runs one write
	// transaction at a time, so it needs neither and leaves them empty.
	ForUpdate, ForShare string
	// IsRetryable reports whether err aborted a transaction that may simply
	// run again: a serialization failure or a deadlock (PostgreSQL).
	IsRetryable func(err error) bool
	// PrepareBatches keeps the scheduler's multi-row statements prepared on
	// the write pool, for drivers that parse every statement text anew
	// (SQLite's; pgx caches prepared statements by text itself).
	PrepareBatches bool
}

// lockClause answers the SELECT suffix of a lock mode.
func (d Dialect) lockClause(l store.Lock) string {
	switch l {
	case store.LockShare:
		return d.ForShare
	case store.LockUpdate:
		return d.ForUpdate
	}
	return ""
}

// idText answers an id column as text: ids are TEXT on SQLite, UUID on
// PostgreSQL (whose text form sorts as its bytes do).
func (d Dialect) idText(col string) string {
	if d.Name == "postgres" {
		return col + "::text"
	}
	return col
}

// DB is a store.Store over one or two connection pools.
type DB struct {
	write   *sql.DB // writes (SQLite: one connection, BEGIN IMMEDIATE)
	read    *sql.DB // reads (may be the same pool)
	dialect Dialect
	st      *statements
	// closers run first when the DB closes (an engine's helpers).
	closers []func() error
}

var _ store.Store = (*DB)(nil)

// New wraps pools opened by an engine package. read may equal write.
func New(write, read *sql.DB, d Dialect) *DB {
	return &DB{write: write, read: read, dialect: d, st: newStatements()}
}

// OnClose has fn run when the DB closes, before its pools close.
func (db *DB) OnClose(fn func() error) { db.closers = append(db.closers, fn) }

// Engine names the engine.
func (db *DB) Engine() string { return db.dialect.Name }

// WritePool answers the pool that writes, for engine-level tools (bulk loads
// in benchmarks, migrations).
func (db *DB) WritePool() *sql.DB { return db.write }

// Close closes the pools.
func (db *DB) Close() error {
	var err error
	for _, c := range db.closers {
		err = errors.Join(err, c())
	}
	err = errors.Join(err, db.st.close(), db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Read runs fn in a read transaction.
func (db *DB) Read(ctx context.Context, fn func(store.Tx) error) error {
	return db.run(ctx, db.read, &sql.TxOptions{ReadOnly: db.dialect.ReadOnlyTx}, fn)
}

// maxAttempts bounds how often Write runs a transaction that the engine
// aborted as a deadlock or serialization failure.
const maxAttempts = 8

// Write runs fn in a write transaction. When PostgreSQL aborts it as a
// deadlock or a serialization failure, nothing of it was kept, and Write runs
// fn again (fn must be re-runnable: it sets, never appends to, what it
// answers), up to maxAttempts times, then answers EConcurrentChange.
func (db *DB) Write(ctx context.Context, fn func(store.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.run(ctx, db.write, nil, fn)
		if err == nil || db.dialect.IsRetryable == nil || !db.dialect.IsRetryable(err) {
			return err
		}
		if attempt == maxAttempts {
			return csp.Errorf(csp.EConcurrentChange, "the change met %d concurrent changes of the same data in a row: retry it", maxAttempts)
		}
		// Back off a little, more each time, with jitter so that the
		// transactions that collided do not collide again.
		d := time.Duration(attempt*attempt) * time.Millisecond * time.Duration(1+rand.IntN(4))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(store.Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	prepare := pool == db.write && db.dialect.PrepareBatches
	if err := fn(&Tx{tx: sqlTx, d: db.dialect, st: db.st, prepare: prepare}); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if prepare {
		db.st.preparePending(ctx, pool)
	}
	return nil
}

// Tx is one transaction; it implements store.Tx.
type Tx struct {
	tx *sql.Tx
	d  Dialect
	st *statements
	// prepare: run multi-row statements through prepared ones (see exec).
	prepare bool
}

var _ store.Tx = (*Tx)(nil)

// timeFormat is fixed-width so that SQLite's text order is time order;
// PostgreSQL parses it into TIMESTAMPTZ.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// ts formats a time as a query argument.
func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

// tsPtr formats an optional time.
func tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// scanTime reads a time column from either engine: SQLite's driver parses
// TIMESTAMP text into time.Time, PostgreSQL's gives time.Time; raw text is
// parsed as a fallback.
type scanTime struct {
	T     time.Time
	Valid bool
}

func (s *scanTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		s.Valid = false
		return nil
	case time.Time:
		s.T, s.Valid = x.UTC(), true
		return nil
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	}
	return fmt.Errorf("scan time: unsupported %T", v)
}

func (s *scanTime) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("scan time %q: %w", v, err)
	}
	s.T, s.Valid = t.UTC(), true
	return nil
}

func (s scanTime) ptr() *time.Time {
	if !s.Valid {
		return nil
	}
	t := s.T
	return &t
}
