// Package engines opens a store from a DSN: "sqlite:PATH" (or a bare path)
// or "postgres://...".
package engines

import (
	"context"
	"strings"

	"github.com/opencsp/opencsp/internal/store/postgres"
	"github.com/opencsp/opencsp/internal/store/sqlite"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
)

// Open opens and migrates the store named by dsn.
func Open(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite:"))
}
