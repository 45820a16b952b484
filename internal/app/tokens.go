package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// TokenLifetime is how long a tenant-scoped token acts, in wall time
// (DESIGN.md "Inside a tenant": 3,600 s; a sandbox advance does not age it).
const TokenLifetime = time.Hour

// tokenPrefix starts every tenant-scoped token.
const tokenPrefix = "ocspt_"

// Audiences of tenant-scoped tokens.
const (
	AudienceGraph = "graph" // Microsoft Graph: /graph/v1.0
	AudienceARM   = "arm"   // Azure Resource Manager: /arm
)

// scopes maps the OAuth scopes a client may ask for to the token's audience.
var scopes = map[string]string{
	"https://graph.microsoft.com/.default":         AudienceGraph,
	"https://management.azure.com/.default":        AudienceARM,
	"https://management.core.windows.net/.default": AudienceARM,
}

// TokenRequest is the form of POST /{tenantId}/oauth2/v2.0/token.
type TokenRequest struct {
	Tenant       string // the path's tenant: a GUID or a domain
	GrantType    string
	ClientID     string // a key id
	ClientSecret string // the key
	Scope        string
}

// IssuedToken is a token shown once: the store keeps its SHA-256.
type IssuedToken struct {
	AccessToken string
	ExpiresIn   int
	Audience    string
}

// IssueToken exchanges a key for a token that acts in one tenant: a
// customer user's key in its own tenant, a partner user's key in its
// partner's own tenant or in any customer tenant (where what it may do is
// what the partner's GDAP relationships give it, DESIGN.md "Inside a
// tenant"). Failures count against addr as failed authentications.
func (a *App) IssueToken(ctx context.Context, r TokenRequest, addr string) (IssuedToken, error) {
	if r.GrantType != "client_credentials" {
		return IssuedToken{}, csp.Errorf(csp.ETokenUnsupported, "AADSTS70003: grant_type %q is not supported: use client_credentials with client_id = the key id and client_secret = the key", r.GrantType)
	}
	audience := ""
	for _, s := range strings.Fields(r.Scope) {
		if aud, ok := scopes[strings.ToLower(s)]; ok && (audience == "" || audience == aud) {
			audience = aud
		} else {
			audience = "?"
		}
	}
	if audience == "" || audience == "?" {
		return IssuedToken{}, csp.Errorf(csp.ETokenInvalidScope, "AADSTS70011: the scope %q is not valid: ask for exactly one of https://graph.microsoft.com/.default (Microsoft Graph) or https://management.azure.com/.default (Azure Resource Manager)", r.Scope)
	}
	keyID, err := uuid.Parse(r.ClientID)
	if err != nil {
		a.authFailures.fail(addr)
		return IssuedToken{}, csp.Errorf(csp.ETokenInvalidClient, "AADSTS700016: client_id %q is not a key id: send the keyId the key was issued with", r.ClientID)
	}
	p, err := a.Authenticate(ctx, r.ClientSecret, addr)
	if err != nil {
		if csp.ErrorCode(err).Kind() == csp.KindThrottled {
			return IssuedToken{}, err
		}
		return IssuedToken{}, csp.Errorf(csp.ETokenInvalidClient, "AADSTS7000215: invalid client secret provided: %s", csp.ErrorMessage(err))
	}
	if p.KeyID != keyID {
		a.authFailures.fail(addr)
		return IssuedToken{}, csp.Errorf(csp.ETokenInvalidClient, "AADSTS7000215: invalid client secret provided: client_secret is not the key of client_id %s", keyID)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	err = a.store.Write(ctx, func(tx store.Tx) error {
		tenantID, err := resolveTokenTenant(ctx, tx, r.Tenant)
		if err != nil {
			return err
		}
		switch {
		case p.Kind == csp.PrincipalOperator:
			return csp.Errorf(csp.ETokenUnauthorized, "AADSTS700016: the operator key acts in no tenant: use a partner user's or a customer user's key")
		case p.Kind == csp.PrincipalTenant && p.TenantID != tenantID:
			return csp.Errorf(csp.ETokenUnauthorized, "AADSTS700016: the key's user belongs to tenant %s, not %s: a customer user acts only in its own tenant", p.TenantID, tenantID)
		}
		now := a.wall.Now()
		if err := tx.PurgeAccessTokens(ctx, now); err != nil {
			return err
		}
		return tx.CreateAccessToken(ctx, store.AccessToken{Hash: hashSecret(token), KeyID: p.KeyID, TenantID: tenantID, Audience: audience, ExpiresAt: now.Add(TokenLifetime)})
	})
	if err != nil {
		return IssuedToken{}, err
	}
	return IssuedToken{AccessToken: token, ExpiresIn: int(TokenLifetime / time.Second), Audience: audience}, nil
}

// resolveTokenTenant reads the token path's tenant: a customer tenant by id
// or domain, or a partner's own tenant by its id.
func resolveTokenTenant(ctx context.Context, tx store.Tx, ref string) (uuid.UUID, error) {
	notFound := csp.Errorf(csp.ETokenTenantNotFound, "AADSTS90002: tenant '%s' not found: check the tenant id (a GUID) or its onmicrosoft.com domain", ref)
	if id, err := uuid.Parse(ref); err == nil {
		if _, err := tx.GetTenant(ctx, id); err == nil {
			return id, nil
		} else if csp.ErrorCode(err) != csp.ETenantNotFound {
			return uuid.Nil, err
		}
		if _, err := tx.GetPartner(ctx, id); err == nil {
			return id, nil
		} else if csp.ErrorCode(err) != csp.EPartnerNotFound {
			return uuid.Nil, err
		}
		return uuid.Nil, notFound
	}
	prefix, err := csp.ParseDomainPrefix(ref)
	if err != nil {
		return uuid.Nil, notFound
	}
	t, err := tx.GetTenantByDomain(ctx, prefix)
	if csp.ErrorCode(err) == csp.ETenantNotFound {
		return uuid.Nil, notFound
	}
	if err != nil {
		return uuid.Nil, err
	}
	return t.ID, nil
}

// TokenPrincipal resolves a tenant-scoped token for the API of audience:
// the key's principal (checked again, so a revoked key or a blocked user
// ends its tokens) acting in the token's tenant.
func (a *App) TokenPrincipal(ctx context.Context, token, audience, addr string) (csp.Principal, error) {
	if err := a.authFailures.check(addr); err != nil {
		return csp.Principal{}, err
	}
	var p csp.Principal
	err := a.read(ctx, func(tx store.Tx, now time.Time) error {
		if token == "" {
			return csp.Errorf(csp.EUnauthenticated, "Access token is empty: send Authorization: Bearer <token> from POST /{tenantId}/oauth2/v2.0/token")
		}
		t, ok, err := tx.GetAccessToken(ctx, hashSecret(token))
		if err != nil {
			return err
		}
		if !ok {
			return csp.Errorf(csp.ETokenInvalid, "Access token validation failure: this is not a token this server issued (keys are not accepted here: exchange one at POST /{tenantId}/oauth2/v2.0/token)")
		}
		if !a.wall.Now().Before(t.ExpiresAt) {
			return csp.Errorf(csp.ETokenExpired, "Lifetime validation failed, the token is expired (it expired at %s): get a new one", t.ExpiresAt.Format(time.RFC3339))
		}
		if t.Audience != audience {
			return csp.Errorf(csp.ETokenInvalid, "Access token validation failure: the token's audience is %s; ask for a token with the scope of this API", audienceName(t.Audience))
		}
		p, err = principalOfKey(ctx, tx, now, t.KeyID, nil)
		p.ActingIn, p.Audience = t.TenantID, t.Audience
		return err
	})
	if c := csp.ErrorCode(err); c.Kind() == csp.KindUnauthenticated {
		a.authFailures.fail(addr)
	}
	return p, err
}

func audienceName(aud string) string {
	if aud == AudienceARM {
		return "https://management.azure.com (Azure Resource Manager)"
	}
	return "https://graph.microsoft.com (Microsoft Graph)"
}
