package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencsp/opencsp/internal/app"
)

// idempotent makes writes carrying MS-RequestId safe to retry (DESIGN.md
// "Conventions"): the first request claims the id (per caller) before it
// runs; a retry with the same method, path and body replays the first
// answer (one-time secrets as null); a retry with another body answers 409;
// a twin that arrives while the first runs waits for its answer (app
// ClaimRequest). An answer that says nothing was done and a retry may
// succeed (5xx, or one with Retry-After) releases the claim.
func (s *Server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rid := r.Header.Get(hdrRequestID)
		// An import is idempotent by its file's content (the same file
		// answers its first import), and its body is too large to hold.
		if rid == "" || r.Method == http.MethodGet || r.Method == http.MethodHead || strings.EqualFold(r.URL.Path, importPath) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := readBody(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h := sha256.New()
		io.WriteString(h, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery+"\n")
		h.Write(body)
		claim, replay, err := s.app.ClaimRequest(r.Context(), principal(r), rid, hex.EncodeToString(h.Sum(nil)))
		switch {
		case err != nil:
			writeError(w, r, err)
			return
		case replay != nil:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(replay.Body)))
			w.WriteHeader(replay.Status)
			_, _ = w.Write(replay.Body)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(app.WithClaim(r.Context(), claim)))
		stored := rec.body.Bytes()
		if rec.replay != nil {
			stored = rec.replay
		}
		s.app.Complete(r.Context(), claim, rec.status, stored, w.Header().Get("Retry-After") != "")
	})
}

// recorder copies what a handler writes so that it can be replayed.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
	// replay, when set, is what a retry gets instead of body: the same
	// answer with its one-time secrets as null (writeJSONOnce).
	replay []byte
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// writeJSONOnce answers v, which shows a one-time secret (a new key, an
// admin password); a replay of the same MS-RequestId answers replay
// instead: v with the secret as null, so that the secret is never stored.
func writeJSONOnce(w http.ResponseWriter, status int, v, replay any) {
	if rec, ok := w.(*recorder); ok {
		if b, err := json.Marshal(replay); err == nil {
			rec.replay = b
		}
	}
	writeJSON(w, status, v)
}
