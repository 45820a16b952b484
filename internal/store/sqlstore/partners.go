package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

const partnerColumns = `id, mpn_id, name, partner_type, provider_id, country, locations, sale_policy, created_at, billing_currency`

// CreatePartner inserts p.
func (tx *Tx) CreatePartner(ctx context.Context, p *csp.Partner) error {
	locs, _ := json.Marshal(p.Locations)
	var policy any
	if p.SalePolicy != nil {
		b, _ := json.Marshal(p.SalePolicy)
		policy = string(b)
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO partners (`+partnerColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
		p.ID, p.MpnID, p.Name, string(p.Type), p.ProviderID, p.Country, string(locs), policy, ts(p.CreatedAt), p.BillingCurrency)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EMpnIDTaken, "mpnId %s belongs to another partner: choose another or leave it out to have one assigned", p.MpnID)
	}
	return wrap("insert partner", err)
}

func scanPartner(row interface{ Scan(...any) error }) (*csp.Partner, error) {
	var (
		p         csp.Partner
		typ, locs string
		provider  uuid.NullUUID
		policy    sql.NullString
		created   scanTime
	)
	if err := row.Scan(&p.ID, &p.MpnID, &p.Name, &typ, &provider, &p.Country, &locs, &policy, &created, &p.BillingCurrency); err != nil {
		return nil, err
	}
	p.Type = csp.PartnerType(typ)
	if provider.Valid {
		p.ProviderID = &provider.UUID
	}
	if err := json.Unmarshal([]byte(locs), &p.Locations); err != nil {
		return nil, fmt.Errorf("partner %s locations: %w", p.ID, err)
	}
	if policy.Valid {
		p.SalePolicy = &csp.SalePolicy{}
		if err := json.Unmarshal([]byte(policy.String), p.SalePolicy); err != nil {
			return nil, fmt.Errorf("partner %s sale policy: %w", p.ID, err)
		}
	}
	p.CreatedAt = created.T
	if p.BillingCurrency == "" { // a partner made before billing currencies
		p.BillingCurrency = csp.DefaultBillingCurrency(p.Country)
	}
	return &p, nil
}

// GetPartner reads a partner.
func (tx *Tx) GetPartner(ctx context.Context, id uuid.UUID) (*csp.Partner, error) {
	return tx.getPartner(ctx, id, "")
}

// LockPartner reads a partner and locks its row.
func (tx *Tx) LockPartner(ctx context.Context, id uuid.UUID) (*csp.Partner, error) {
	return tx.getPartner(ctx, id, tx.d.ForUpdate)
}

func (tx *Tx) getPartner(ctx context.Context, id uuid.UUID, lock string) (*csp.Partner, error) {
	p, err := scanPartner(tx.tx.QueryRowContext(ctx, `SELECT `+partnerColumns+` FROM partners WHERE id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EPartnerNotFound, "partner %s does not exist", id)
	}
	return p, wrap("get partner", err)
}

// GetPartnerByMpnID reads a partner by its partner id.
func (tx *Tx) GetPartnerByMpnID(ctx context.Context, mpnID string) (*csp.Partner, error) {
	p, err := scanPartner(tx.tx.QueryRowContext(ctx, `SELECT `+partnerColumns+` FROM partners WHERE mpn_id = $1`, mpnID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EPartnerNotFound, "no partner has the partner id %s", mpnID)
	}
	return p, wrap("get partner by mpn id", err)
}

// ListPartners lists partners by id.
func (tx *Tx) ListPartners(ctx context.Context, f store.PartnerFilter) ([]*csp.Partner, error) {
	q := `SELECT ` + partnerColumns + ` FROM partners`
	args := []any{}
	if f.After != nil {
		q += ` WHERE id > $1`
		args = append(args, *f.After)
	}
	q += fmt.Sprintf(` ORDER BY id LIMIT %d`, limit(f.Limit))
	return queryAll(ctx, tx, "list partners", func(r *sql.Rows) (*csp.Partner, error) { return scanPartner(r) }, q, args...)
}

// SetSalePolicy replaces a partner's sale policy.
func (tx *Tx) SetSalePolicy(ctx context.Context, partnerID uuid.UUID, sp *csp.SalePolicy) error {
	var policy any
	if sp != nil {
		b, _ := json.Marshal(sp)
		policy = string(b)
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE partners SET sale_policy = $1 WHERE id = $2`, policy, partnerID)
	return mustAffect(res, err, csp.Errorf(csp.EPartnerNotFound, "partner %s does not exist", partnerID))
}

// NextMpnID answers the first unused partner id that candidate proposes
// (7 digits, 1000000 to 9999999), trying up to 20.
func (tx *Tx) NextMpnID(ctx context.Context, candidate func() uint64) (string, error) {
	for range 20 {
		id := fmt.Sprint(1000000 + candidate()%9000000)
		var one int
		err := tx.tx.QueryRowContext(ctx, `SELECT 1 FROM partners WHERE mpn_id = $1`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return id, nil
		}
		if err != nil {
			return "", wrap("next mpn id", err)
		}
	}
	return "", errors.New("next mpn id: no free id found")
}

// CreatePartnerUser inserts u.
func (tx *Tx) CreatePartnerUser(ctx context.Context, u *csp.PartnerUser) error {
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = string(r)
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO partner_users (id, partner_id, display_name, email, roles, created_at) VALUES ($1,$2,$3,$4,$5,$6)`,
		u.ID, u.PartnerID, u.DisplayName, strings.ToLower(u.Email), strings.Join(roles, ","), ts(u.CreatedAt))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EEmailTaken, "the partner already has a user with email %s", u.Email)
	}
	return wrap("insert partner user", err)
}

// GetPartnerUser reads a partner user.
func (tx *Tx) GetPartnerUser(ctx context.Context, id uuid.UUID) (*csp.PartnerUser, error) {
	var (
		u       csp.PartnerUser
		roles   string
		created scanTime
	)
	err := tx.tx.QueryRowContext(ctx, `SELECT id, partner_id, display_name, email, roles, created_at FROM partner_users WHERE id = $1`, id).
		Scan(&u.ID, &u.PartnerID, &u.DisplayName, &u.Email, &roles, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EUserNotFound, "partner user %s does not exist", id)
	}
	if err != nil {
		return nil, wrap("get partner user", err)
	}
	for _, r := range strings.Split(roles, ",") {
		u.Roles = append(u.Roles, csp.Role(r))
	}
	u.CreatedAt = created.T
	return &u, nil
}

// CreateKey inserts an API key.
func (tx *Tx) CreateKey(ctx context.Context, k *store.Key) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO api_keys (id, secret_hash, kind, partner_id, user_id, tenant_id, description, created_at, expires_at, revoked_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
		k.ID, k.SecretHash, string(k.Kind), k.PartnerID, k.UserID, k.TenantID, k.Description, ts(k.CreatedAt), tsPtr(k.ExpiresAt), tsPtr(k.RevokedAt))
	return wrap("insert key", err)
}

// GetKey reads a key.
func (tx *Tx) GetKey(ctx context.Context, id uuid.UUID) (*store.Key, error) {
	var (
		k                         store.Key
		kind                      string
		partner, user, tenant     uuid.NullUUID
		created, expires, revoked scanTime
	)
	err := tx.tx.QueryRowContext(ctx, `SELECT id, secret_hash, kind, partner_id, user_id, tenant_id, description, created_at, expires_at, revoked_at FROM api_keys WHERE id = $1`, id).
		Scan(&k.ID, &k.SecretHash, &kind, &partner, &user, &tenant, &k.Description, &created, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EKeyNotFound, "key %s does not exist", id)
	}
	if err != nil {
		return nil, wrap("get key", err)
	}
	k.Kind = csp.PrincipalKind(kind)
	k.PartnerID, k.UserID, k.TenantID = nullID(partner), nullID(user), nullID(tenant)
	k.CreatedAt, k.ExpiresAt, k.RevokedAt = created.T, expires.ptr(), revoked.ptr()
	return &k, nil
}

// RevokeKey marks a key revoked.
func (tx *Tx) RevokeKey(ctx context.Context, id uuid.UUID, at time.Time) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, ts(at), id)
	return mustAffect(res, err, csp.Errorf(csp.EKeyNotFound, "key %s does not exist or is already revoked", id))
}

// ListPartnerUsers lists a partner's users by email.
func (tx *Tx) ListPartnerUsers(ctx context.Context, partnerID uuid.UUID) ([]*csp.PartnerUser, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT id, partner_id, display_name, email, roles, created_at FROM partner_users WHERE partner_id = $1 ORDER BY email`, partnerID)
	if err != nil {
		return nil, wrap("list partner users", err)
	}
	defer rows.Close()
	var out []*csp.PartnerUser
	for rows.Next() {
		var (
			u       csp.PartnerUser
			roles   string
			created scanTime
		)
		if err := rows.Scan(&u.ID, &u.PartnerID, &u.DisplayName, &u.Email, &roles, &created); err != nil {
			return nil, wrap("scan partner user", err)
		}
		for _, r := range strings.Split(roles, ",") {
			u.Roles = append(u.Roles, csp.Role(r))
		}
		u.CreatedAt = created.T
		out = append(out, &u)
	}
	return out, wrap("list partner users", rows.Err())
}
