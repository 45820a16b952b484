// Package testdb gives tests a fresh, migrated store on each engine: a SQLite
// file in a temporary directory, and a PostgreSQL schema of its own in the
// database named by OPENCSP_TEST_POSTGRES_URL. Without that variable the
// PostgreSQL cases skip with a message, except under CI=true, where a missing
// database fails the run.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver

	"github.com/opencsp/opencsp/internal/store/postgres"
	"github.com/opencsp/opencsp/internal/store/sqlite"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
)

// Engine opens a fresh store for one test.
type Engine struct {
	Name string
	Open func(tb testing.TB) *sqlstore.DB
}

// Engines lists SQLite and PostgreSQL.
func Engines() []Engine {
	return []Engine{{Name: "sqlite", Open: SQLite}, {Name: "postgres", Open: Postgres}}
}

// SQLite opens a fresh SQLite store in a temporary directory.
func SQLite(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "opencsp.db"))
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL answers a URL whose search_path is a new, empty schema, which
// is dropped when the test ends.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("OPENCSP_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("OPENCSP_TEST_POSTGRES_URL is not set under CI=true: the PostgreSQL tests must run in CI")
		}
		tb.Skip("PostgreSQL tests skipped: set OPENCSP_TEST_POSTGRES_URL (for example postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run them")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema (is PostgreSQL running at OPENCSP_TEST_POSTGRES_URL?): %v", err)
	}
	tb.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("OPENCSP_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres opens a fresh PostgreSQL store in its own schema.
func Postgres(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), PostgresURL(tb))
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Pair opens two stores on one fresh database of the engine, as two server
// instances would: one SQLite file, or one PostgreSQL schema.
func Pair(tb testing.TB, engine string) (*sqlstore.DB, *sqlstore.DB) {
	tb.Helper()
	var open func() (*sqlstore.DB, error)
	switch engine {
	case "sqlite":
		path := filepath.Join(tb.TempDir(), "opencsp.db")
		open = func() (*sqlstore.DB, error) { return sqlite.Open(context.Background(), path) }
	default:
		url := PostgresURL(tb)
		open = func() (*sqlstore.DB, error) { return postgres.Open(context.Background(), url) }
	}
	var dbs [2]*sqlstore.DB
	for i := range dbs {
		db, err := open()
		if err != nil {
			tb.Fatalf("open %s: %v", engine, err)
		}
		tb.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}
