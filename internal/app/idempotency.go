package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// IdempotencyWindow is how long an MS-RequestId is remembered, in wall time
// (DESIGN.md: even in a sandbox).
const IdempotencyWindow = 24 * time.Hour

// twinWait is how long a request waits for its running twin's answer.
const twinWait = 30 * time.Second

// Claim is one request's hold on its MS-RequestId. While it is held, its
// lease is renewed; the work the request commits marks the claim in the
// same transaction (App.write), so that a crash between the work and its
// answer never lets a retry do the work twice.
type Claim struct {
	scope, requestID string
	stop             func()
}

// Replay is the first answer of an MS-RequestId, to send again.
type Replay struct {
	Status int
	Body   []byte
}

// WithClaim attaches a claim to the request's context; the request's
// writes mark it committed.
func WithClaim(ctx context.Context, c *Claim) context.Context {
	return context.WithValue(ctx, claimKey, c)
}

func markCommitted(ctx context.Context, tx store.Tx) error {
	c, _ := ctx.Value(claimKey).(*Claim)
	if c == nil {
		return nil
	}
	return tx.MarkRequestCommitted(ctx, c.scope, c.requestID)
}

// ClaimRequest claims MS-RequestId requestID for p's request whose method,
// path and body hash to hash. It answers the claim (run the request, then
// Complete it) or the first answer to replay. A twin still running is
// waited for, up to 30 s (then ERequestInProgress); a twin whose holder
// died before committing anything is taken over; one that died after
// committing its work but before recording the answer answers EAnswerLost.
// The same id with another request answers EIdempotencyMismatch.
func (a *App) ClaimRequest(ctx context.Context, p csp.Principal, requestID, hash string) (*Claim, *Replay, error) {
	scope := string(p.Kind) + ":" + p.UserID.String()
	deadline := a.wall.Now().Add(twinWait)
	for {
		now := a.wall.Now()
		claim := store.IdempotentRequest{Scope: scope, RequestID: requestID, RequestHash: hash, CreatedAt: now, LeaseUntil: now.Add(a.leaseTTL)}
		var prev *store.IdempotentRequest
		took := false
		err := a.store.Write(ctx, func(tx store.Tx) (err error) {
			took = false
			if prev, err = tx.ClaimRequest(ctx, claim, now.Add(-IdempotencyWindow)); err != nil || prev == nil {
				return err
			}
			if prev.RequestHash == hash && prev.Status == 0 && !prev.Committed && prev.LeaseUntil.Before(now) {
				took, err = tx.TakeOverRequest(ctx, scope, requestID, now, now.Add(a.leaseTTL))
			}
			return err
		})
		switch {
		case err != nil:
			return nil, nil, err
		case prev == nil || took:
			return a.hold(scope, requestID), nil, nil
		case prev.RequestHash != hash:
			return nil, nil, csp.Errorf(csp.EIdempotencyMismatch, "MS-RequestId %s was already used for a different request: use a new id for a new request", requestID)
		case prev.Status != 0:
			return nil, &Replay{Status: prev.Status, Body: prev.Body}, nil
		case prev.Committed && prev.LeaseUntil.Before(now):
			return nil, nil, csp.Errorf(csp.EAnswerLost,
				"MS-RequestId %s was done, but the server stopped before it could record the answer: read the resource to see the result (retrying with a new id would do the work again)", requestID)
		case !now.Before(deadline):
			return nil, nil, csp.Errorf(csp.ERequestInProgress, "MS-RequestId %s is still being processed: retry in a moment", requestID).WithRetryAfter(time.Second)
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// hold starts renewing a claim's lease until Complete.
func (a *App) hold(scope, requestID string) *Claim {
	done := make(chan struct{})
	var once sync.Once
	c := &Claim{scope: scope, requestID: requestID, stop: func() { once.Do(func() { close(done) }) }}
	go func() {
		t := time.NewTicker(a.leaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				err := a.store.Write(context.Background(), func(tx store.Tx) error {
					return tx.RenewRequest(context.Background(), scope, requestID, a.wall.Now().Add(a.leaseTTL))
				})
				if err != nil {
					slog.Warn("renew MS-RequestId claim", "requestId", requestID, "err", err)
				}
			}
		}
	}()
	return c
}

// Complete records a claimed request's answer for replay (body without its
// one-time secrets), or forgets the claim when the answer says nothing was
// done and a retry may succeed: a 5xx, or a refusal with Retry-After.
func (a *App) Complete(ctx context.Context, c *Claim, status int, body []byte, transient bool) {
	c.stop()
	err := a.store.Write(context.WithoutCancel(ctx), func(tx store.Tx) error {
		if status >= 500 || transient {
			return tx.ReleaseRequest(ctx, c.scope, c.requestID)
		}
		return tx.CompleteRequest(ctx, c.scope, c.requestID, status, body)
	})
	if err != nil {
		// The answer is already sent; the claim's lease lapses, and a retry
		// then sees the work committed (EAnswerLost) or takes it over.
		slog.Error("MS-RequestId answer not recorded", "requestId", c.requestID, "err", err)
	}
}
