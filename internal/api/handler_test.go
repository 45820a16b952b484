package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/opencsp/opencsp/internal/store/sqlstore"
	"github.com/opencsp/opencsp/internal/testdb"
)

// httpHandler lets a test server start before the handler exists (the app
// needs the server's URL for invitation links).
type httpHandler struct{ Handler http.Handler }

func (h *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.Handler.ServeHTTP(w, r) }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func testdbEngines() []testdb.Engine { return testdb.Engines() }

func testdbSQLite(t *testing.T) *sqlstore.DB { return testdb.SQLite(t) }
