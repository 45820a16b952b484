package sqlite_test

import (
	"testing"

	"github.com/opencsp/opencsp/internal/store"
	"github.com/opencsp/opencsp/internal/store/storetest"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestStore runs the conformance suite on a fresh SQLite file per test.
func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) store.Store { return testdb.SQLite(tb) })
}
