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
// cut may lose the last commits, never corrupt the file); statement
// journals (a multi-row statement's undo log) stay in memory instead of a
// temporary file; a log emptied by a checkpoint is cut back to 64 MB.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" +
	"&_pragma=temp_store(MEMORY)&_pragma=journal_size_limit(67108864)"

// writer is the writer connection's own settings. Its page cache is 64 MiB
// instead of SQLite's 2 MiB: a scheduler batch dirties more pages than the
// default holds, which spilled them to the log mid-transaction and read
// them back. It never checkpoints: the checkpointer does, beside it
// (checkpoint.go, docs/decisions.md).
const writer = "&_pragma=cache_size(-65536)&_pragma=wal_autocheckpoint(0)&_txlock=immediate"

// Open opens (creating if needed) the SQLite database at path and migrates it.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	// One writer, BEGIN IMMEDIATE: a write transaction takes the lock up
	// front instead of failing with SQLITE_BUSY when it upgrades.
	write, err := sql.Open("sqlite", base+writer)
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
	cp, err := sql.Open("sqlite", base)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), write.Close(), read.Close())
	}
	db := sqlstore.New(write, read, Dialect)
	db.OnClose(startCheckpointer(cp, checkpointEvery, checkpointHardLimit).Close)
	return db, nil
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
