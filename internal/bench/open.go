package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver

	"github.com/opencsp/opencsp/internal/store/postgres"
	"github.com/opencsp/opencsp/internal/store/sqlite"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
)

// Open opens a fresh, migrated store for one run, and answers a function
// that closes it and removes what Open created:
//   - "" : a SQLite file in a new temporary directory, removed afterwards;
//   - "sqlite:PATH" (or a bare path): a SQLite file at PATH, which must not
//     exist yet, kept afterwards;
//   - "postgres://...": a new schema in that database, dropped afterwards.
func Open(ctx context.Context, dsn string) (*sqlstore.DB, func() error, error) {
	switch {
	case dsn == "":
		dir, err := os.MkdirTemp("", "opencsp-bench-")
		if err != nil {
			return nil, nil, err
		}
		db, err := sqlite.Open(ctx, filepath.Join(dir, "opencsp.db"))
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		return db, func() error { return errors.Join(db.Close(), os.RemoveAll(dir)) }, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgresSchema(ctx, dsn)
	default:
		path := strings.TrimPrefix(dsn, "sqlite:")
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s exists: the benchmark needs a new database file", path)
		}
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, nil, err
		}
		return db, db.Close, nil
	}
}

// openPostgresSchema creates schema opencsp_bench_<random> in the database
// at base and opens the store with it as search path.
func openPostgresSchema(ctx context.Context, base string) (*sqlstore.DB, func() error, error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, nil, fmt.Errorf("open postgres: %w", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "opencsp_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() error {
		_, err := admin.ExecContext(context.WithoutCancel(ctx), `DROP SCHEMA `+schema+` CASCADE`)
		return errors.Join(err, admin.Close())
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, nil, errors.Join(err, drop())
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		return nil, nil, errors.Join(err, drop())
	}
	return db, func() error { return errors.Join(db.Close(), drop()) }, nil
}
