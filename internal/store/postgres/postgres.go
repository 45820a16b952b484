// Package postgres opens the store on PostgreSQL through pgx, for real
// deployments and several server instances on one database.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/opencsp/opencsp/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open connects to the database at url (postgres://...) and migrates it.
func Open(ctx context.Context, url string) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	// Several instances may start at once on one database: an advisory lock
	// makes them migrate one after the other. Its id names the schema, so
	// that databases in other schemas (each test's) do not wait on it.
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres schema: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("opencsp migrations " + schema))
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 300))
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := sqlstore.Migrate(ctx, db, goose.DialectPostgres, migrations, goose.WithSessionLocker(locker)); err != nil {
		db.Close()
		return nil, err
	}
	return sqlstore.New(db, db, Dialect), nil
}

// Dialect describes PostgreSQL to the shared SQL.
var Dialect = sqlstore.Dialect{
	Name:       "postgres",
	ReadOnlyTx: true,
	Param: func(n int, sqlType string) string {
		if sqlType == "" {
			return fmt.Sprintf("$%d", n)
		}
		return fmt.Sprintf("$%d::%s", n, sqlType)
	},
	IsUniqueViolation: func(err error) (bool, string) {
		var e *pgconn.PgError
		if errors.As(err, &e) && e.Code == "23505" {
			return true, e.ConstraintName
		}
		return false, ""
	},
	ForUpdate: " FOR UPDATE",
	ForShare:  " FOR SHARE",
	// 40001 serialization_failure, 40P01 deadlock_detected.
	IsRetryable: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && (e.Code == "40001" || e.Code == "40P01")
	},
}
