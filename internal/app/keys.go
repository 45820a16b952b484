package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// keyPrefix starts every key, so that leaked keys are easy to find in logs
// and secret scanners.
const keyPrefix = "ocsp_"

// A key reads ocsp_<key id, 32 hex digits>_<secret>. Only the SHA-256 of the
// secret is stored: the secret is 256 random bits, so a slow password hash
// would add cost without adding safety.
func newKeySecret(id uuid.UUID) (plain, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret := base64.RawURLEncoding.EncodeToString(b)
	return keyPrefix + strings.ReplaceAll(id.String(), "-", "") + "_" + secret, hashSecret(secret)
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

func parseKey(plain string) (uuid.UUID, string, bool) {
	rest, ok := strings.CutPrefix(plain, keyPrefix)
	if !ok {
		return uuid.Nil, "", false
	}
	idHex, secret, ok := strings.Cut(rest, "_")
	if !ok || len(idHex) != 32 || secret == "" {
		return uuid.Nil, "", false
	}
	id, err := uuid.Parse(idHex)
	return id, secret, err == nil
}

// IssuedKey is a key as shown once to its owner.
type IssuedKey struct {
	KeyID  uuid.UUID
	APIKey string
}

// mintKey stores a new key for k's owner and answers the plain key.
func (a *App) mintKey(ctx context.Context, tx store.Tx, now time.Time, k store.Key) (IssuedKey, error) {
	k.ID = a.newID()
	plain, hash := newKeySecret(k.ID)
	k.SecretHash = hash
	k.CreatedAt = now
	if k.ExpiresAt != nil && !k.ExpiresAt.After(k.CreatedAt) {
		return IssuedKey{}, csp.Errorf(csp.EInvalidExpiry, "expiresAt %s is not after now (%s): give a future time", k.ExpiresAt.Format(time.RFC3339), k.CreatedAt.Format(time.RFC3339))
	}
	if err := tx.CreateKey(ctx, &k); err != nil {
		return IssuedKey{}, err
	}
	return IssuedKey{KeyID: k.ID, APIKey: plain}, nil
}

// Authenticate resolves a bearer key sent from client address addr to its
// principal. Expiry is judged on the program's clock, so a sandbox key
// expires when the sandbox clock passes its expiry. Returns
// EUnauthenticated, EKeyInvalid, EKeyExpired or EKeyRevoked, and
// EAuthThrottled once addr has failed too often (DESIGN.md: 60 a minute).
func (a *App) Authenticate(ctx context.Context, bearer, addr string) (csp.Principal, error) {
	if err := a.authFailures.check(addr); err != nil {
		return csp.Principal{}, err
	}
	p, err := a.authenticate(ctx, bearer)
	if c := csp.ErrorCode(err); c == csp.EUnauthenticated || c == csp.EKeyInvalid || c == csp.EKeyExpired || c == csp.EKeyRevoked || c == csp.EUserBlocked {
		a.authFailures.fail(addr)
	}
	return p, err
}

func (a *App) authenticate(ctx context.Context, bearer string) (csp.Principal, error) {
	if bearer == "" {
		return csp.Principal{}, csp.Errorf(csp.EUnauthenticated, "no key: send Authorization: Bearer <key>")
	}
	if a.operatorToken != "" && subtle.ConstantTimeCompare([]byte(bearer), []byte(a.operatorToken)) == 1 {
		return csp.Principal{Kind: csp.PrincipalOperator, UserPrincipalName: "operator"}, nil
	}
	id, secret, ok := parseKey(bearer)
	if !ok {
		return csp.Principal{}, errKeyInvalid()
	}
	var p csp.Principal
	err := a.read(ctx, func(tx store.Tx, now time.Time) (err error) {
		p, err = principalOfKey(ctx, tx, now, id, &secret)
		return err
	})
	return p, err
}

func errKeyInvalid() error {
	return csp.Errorf(csp.EKeyInvalid, "the key is not valid: check that it was copied whole, or ask the operator for a new one")
}

// principalOfKey resolves key id (checking its secret, when given) to its
// principal at now.
func principalOfKey(ctx context.Context, tx store.Tx, now time.Time, id uuid.UUID, secret *string) (csp.Principal, error) {
	k, err := tx.GetKey(ctx, id)
	if err != nil {
		if csp.ErrorCode(err) == csp.EKeyNotFound {
			return csp.Principal{}, errKeyInvalid()
		}
		return csp.Principal{}, err
	}
	if secret != nil && subtle.ConstantTimeCompare([]byte(hashSecret(*secret)), []byte(k.SecretHash)) != 1 {
		return csp.Principal{}, errKeyInvalid()
	}
	if k.RevokedAt != nil {
		return csp.Principal{}, csp.Errorf(csp.EKeyRevoked, "key %s was revoked on %s: ask the operator for a new one", k.ID, k.RevokedAt.Format(time.RFC3339))
	}
	if k.ExpiresAt != nil && !now.Before(*k.ExpiresAt) {
		return csp.Principal{}, csp.Errorf(csp.EKeyExpired, "key %s expired on %s: ask the operator for a new one", k.ID, k.ExpiresAt.Format(time.RFC3339))
	}
	p := csp.Principal{Kind: k.Kind, KeyID: k.ID}
	switch k.Kind {
	case csp.PrincipalOperator:
		p.UserPrincipalName = "operator"
	case csp.PrincipalPartner:
		u, err := tx.GetPartnerUser(ctx, *k.UserID)
		if err != nil {
			return csp.Principal{}, err
		}
		p.PartnerID, p.UserID, p.Roles, p.UserPrincipalName = u.PartnerID, u.ID, u.Roles, u.Email
	case csp.PrincipalTenant:
		u, err := tx.GetTenantUser(ctx, *k.UserID)
		if err != nil {
			return csp.Principal{}, err
		}
		if u.Blocked {
			return csp.Principal{}, csp.Errorf(csp.EUserBlocked, "user %s is blocked in its directory (accountEnabled is false): an administrator must unblock it", u.UserPrincipalName)
		}
		p.TenantID, p.UserID, p.UserPrincipalName, p.GlobalAdmin = u.TenantID, u.ID, u.UserPrincipalName, u.GlobalAdmin
	}
	return p, nil
}

// MintOperatorKey creates an operator key (printed by serve and demo).
func (a *App) MintOperatorKey(ctx context.Context) (IssuedKey, error) {
	var k IssuedKey
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		var err error
		k, err = a.mintKey(ctx, tx, now, store.Key{Kind: csp.PrincipalOperator, Description: "operator"})
		return err
	})
	return k, err
}

// MintTenantKey creates a key for an existing user of a tenant (operator only).
func (a *App) MintTenantKey(ctx context.Context, p csp.Principal, tenantID uuid.UUID, upn string, expiresAt *time.Time) (IssuedKey, error) {
	if err := requireOperator(p); err != nil {
		return IssuedKey{}, err
	}
	var k IssuedKey
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		t, err := tx.GetTenant(ctx, tenantID)
		if err != nil {
			return err
		}
		if upn == "" {
			return csp.Errorf(csp.EMissingField, "userPrincipalName is required (for example admin@%s)", t.DefaultDomain())
		}
		if err := csp.CheckText("userPrincipalName", upn, csp.MaxEmail); err != nil {
			return err
		}
		u, err := tx.GetTenantUserByUPN(ctx, tenantID, upn)
		if err != nil {
			return err
		}
		k, err = a.mintKey(ctx, tx, now, store.Key{Kind: csp.PrincipalTenant, UserID: &u.ID, TenantID: &tenantID, ExpiresAt: expiresAt, Description: u.UserPrincipalName})
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &tenantID, CustomerName: t.DisplayName, ResourceType: csp.ResApplicationKey, OperationType: csp.OpAddKey},
			nil, map[string]any{"keyId": k.KeyID, "userPrincipalName": u.UserPrincipalName, "expiresAt": expiresAt})
	})
	return k, err
}

// RevokeKey revokes any key (operator only).
func (a *App) RevokeKey(ctx context.Context, p csp.Principal, keyID uuid.UUID) error {
	if err := requireOperator(p); err != nil {
		return err
	}
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		k, err := tx.GetKey(ctx, keyID)
		if err != nil {
			return err
		}
		if err := tx.RevokeKey(ctx, keyID, now); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: k.PartnerID, TenantID: k.TenantID, ResourceType: csp.ResApplicationKey, OperationType: csp.OpRevokeKey},
			map[string]any{"keyId": keyID, "revoked": false}, map[string]any{"keyId": keyID, "revoked": true})
	})
}

func requireOperator(p csp.Principal) error {
	if p.Kind != csp.PrincipalOperator {
		return csp.Errorf(csp.EWrongAPI, "only the operator may do this: use the operator key")
	}
	return nil
}

func requireTenantAdmin(p csp.Principal) error {
	if p.Kind != csp.PrincipalTenant {
		return csp.Errorf(csp.EWrongAPI, "only a customer's users may call the customer API: use a key minted for a tenant user")
	}
	if !p.GlobalAdmin {
		return csp.Errorf(csp.EForbiddenRole, "this action needs the tenant's Global Administrator role")
	}
	return nil
}
