package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// SessionLifetime is how long a console sign-in lasts, in wall time.
const SessionLifetime = 12 * time.Hour

// sessionPrefix starts every session token, as keyPrefix starts keys.
const sessionPrefix = "ocss_"

// SignIn checks a key sent from client address addr (as Authenticate does)
// and opens a console session for it. It answers the session token (256
// random bits, shown to the browser only: the store keeps its SHA-256) and
// the principal. The key itself is never kept by the console.
func (a *App) SignIn(ctx context.Context, key, addr string) (string, csp.Principal, error) {
	p, err := a.Authenticate(ctx, key, addr)
	if err != nil {
		return "", csp.Principal{}, err
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := sessionPrefix + base64.RawURLEncoding.EncodeToString(b)
	now := a.wall.Now()
	s := store.Session{IDHash: hashSecret(token), CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if p.KeyID != uuid.Nil {
		id := p.KeyID
		s.KeyID = &id
	} else {
		s.TokenHash = tokenHash(key)
	}
	err = a.store.Write(ctx, func(tx store.Tx) error {
		if err := tx.PurgeSessions(ctx, now); err != nil {
			return err
		}
		return tx.CreateSession(ctx, s)
	})
	if err != nil {
		return "", csp.Principal{}, err
	}
	return token, p, nil
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Session resolves a console session token to its principal, as its key
// resolves now: a revoked or expired key ends its sessions. An unknown,
// expired or malformed token answers EUnauthenticated; a failed lookup
// counts against addr as a failed authentication.
func (a *App) Session(ctx context.Context, token, addr string) (csp.Principal, error) {
	if err := a.authFailures.check(addr); err != nil {
		return csp.Principal{}, err
	}
	signIn := csp.Errorf(csp.EUnauthenticated, "the console session has ended: sign in again")
	if !strings.HasPrefix(token, sessionPrefix) {
		a.authFailures.fail(addr)
		return csp.Principal{}, signIn
	}
	var p csp.Principal
	err := a.read(ctx, func(tx store.Tx, now time.Time) error {
		s, ok, err := tx.GetSession(ctx, hashSecret(token))
		if err != nil {
			return err
		}
		if !ok || !a.wall.Now().Before(s.ExpiresAt) {
			return signIn
		}
		if s.KeyID == nil {
			if a.operatorToken == "" || tokenHash(a.operatorToken) != s.TokenHash {
				return signIn
			}
			p = csp.Principal{Kind: csp.PrincipalOperator, UserPrincipalName: "operator"}
			return nil
		}
		p, err = principalOfKey(ctx, tx, now, *s.KeyID, nil)
		return err
	})
	if err != nil && csp.ErrorCode(err) != csp.EInternal {
		a.authFailures.fail(addr)
	}
	return p, err
}

// SignOut ends a console session.
func (a *App) SignOut(ctx context.Context, token string) error {
	return a.store.Write(ctx, func(tx store.Tx) error { return tx.DeleteSession(ctx, hashSecret(token)) })
}
