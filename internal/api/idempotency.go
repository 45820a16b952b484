package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// idempotencyWindow is how long an MS-RequestId is remembered, in wall time.
const idempotencyWindow = 24 * time.Hour

// idempotent makes writes carrying MS-RequestId safe to retry: the first
// request claims the id (per caller) before it runs; a retry with the same
// method, path and body replays the first answer; a retry with another body
// answers 409, as does one that arrives while the first is still running.
// Answers of 5xx release the claim, since nothing was written.
func (s *Server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rid := r.Header.Get(hdrRequestID)
		if rid == "" || r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			writeError(w, r, csp.Errorf(csp.EInvalidBody, "the request body could not be read"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		p := principal(r)
		scope := string(p.Kind) + ":" + p.UserID.String()
		h := sha256.New()
		io.WriteString(h, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery+"\n")
		h.Write(body)
		claim := store.IdempotentRequest{Scope: scope, RequestID: rid, RequestHash: hex.EncodeToString(h.Sum(nil)), CreatedAt: s.wall.Now()}
		ctx := r.Context()
		var prev *store.IdempotentRequest
		err = s.app.Store().Write(ctx, func(tx store.Tx) error {
			if err := tx.PurgeRequests(ctx, claim.CreatedAt.Add(-idempotencyWindow)); err != nil {
				return err
			}
			var err error
			prev, err = tx.ClaimRequest(ctx, claim)
			return err
		})
		switch {
		case err != nil:
			writeError(w, r, err)
			return
		case prev != nil && prev.RequestHash != claim.RequestHash:
			writeError(w, r, csp.Errorf(csp.EIdempotencyMismatch, "MS-RequestId %s was already used for a different request: use a new id for a new request", rid))
			return
		case prev != nil && prev.Status == 0:
			writeError(w, r, csp.Errorf(csp.ERequestInProgress, "MS-RequestId %s is still being processed: retry in a moment", rid))
			return
		case prev != nil:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(prev.Body)))
			w.WriteHeader(prev.Status)
			_, _ = w.Write(prev.Body)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		err = s.app.Store().Write(ctx, func(tx store.Tx) error {
			if rec.status >= 500 {
				return tx.ReleaseRequest(ctx, scope, rid)
			}
			return tx.CompleteRequest(ctx, scope, rid, rec.status, rec.body.Bytes())
		})
		if err != nil {
			// The answer is already sent; a retry will see "in progress" until
			// the window ends, which is safe (nothing is written twice).
			slog.Error("idempotency record not completed", "requestId", rid, "err", err)
		}
	})
}

// recorder copies what a handler writes so that it can be replayed.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
