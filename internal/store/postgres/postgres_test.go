package postgres_test

import (
	"testing"

	"github.com/opencsp/opencsp/internal/store"
	"github.com/opencsp/opencsp/internal/store/storetest"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestStore runs the conformance suite on a fresh PostgreSQL schema per
// test. It skips without OPENCSP_TEST_POSTGRES_URL (fails under CI=true).
func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) store.Store { return testdb.Postgres(tb) })
}
