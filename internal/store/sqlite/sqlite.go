// Package sqlite opens the embedded default store: a SQLite file through the
// pure-Go modernc driver, in WAL mode, with one writing connection and a pool
// of readers.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/opencsp/opencsp/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// pragmas: busy_timeout comes first so that the WAL switch itself waits for
// a lock instead of failing; foreign keys are off by default in SQLite;
// synchronous=NORMAL is durable enough under WAL and much faster (a power
// cut may lose the last commits, never corrupt the file); a checkpoint
// every 10,000 WAL pages (40 MB) instead of SQLite's 1,000 fsyncs a tenth
// as often and copies a page changed by several commits once
// (docs/decisions.md); statement journals (a multi-row statement's undo
// log) stay in memory instead of a temporary file.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" +
	"&_pragma=wal_autocheckpoint(10000)&_pragma=temp_store(MEMORY)"

// writerCache is the writer's page cache (negative: KiB), 64 MiB instead
// of SQLite's 2 MiB: a scheduler batch dirties about 500 pages, which
// overflowed the default cache mid-transaction (pages spilled to the WAL
// and read back). Readers keep the default.
const writerCache = "&_pragma=cache_size(-65536)"

// Open opens (creating if needed) the SQLite database at path and migrates it.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	// One writer, BEGIN IMMEDIATE: a write transaction takes the lock up
	// front instead of failing with SQLITE_BUSY when it upgrades.
	write, err := sql.Open("sqlite", base+writerCache+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	if err := sqlstore.Migrate(ctx, write, goose.DialectSQLite3, migrations); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	return sqlstore.New(write, read, Dialect), nil
}

// Dialect describes SQLite to the shared SQL.
var Dialect = sqlstore.Dialect{
	Name:           "sqlite",
	PrepareBatches: true,
	Param:          func(int, string) string { return "?" },
	IsUniqueViolation: func(err error) (bool, string) {
		var e *sqlite.Error
		if errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
			return true, e.Error()
		}
		return false, ""
	},
}
