package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

const tenantColumns = `t.id, t.commerce_id, t.display_name, t.domain_prefix, t.country, t.region, t.segment, t.address, t.billing_profile, t.org_reg_number, t.created_at, t.version`

// CreateTenant inserts t.
func (tx *Tx) CreateTenant(ctx context.Context, t *csp.Tenant) error {
	t.Version = 1
	addr, _ := json.Marshal(t.Address)
	bp, _ := json.Marshal(t.BillingProfile)
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO tenants (id, commerce_id, display_name, name_key, domain_prefix, country, region, segment, address, billing_profile, org_reg_number, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
		t.ID, t.CommerceID, t.DisplayName, store.NameKey(t.DisplayName), t.DomainPrefix, t.Country, string(t.Region), string(t.Segment), string(addr), string(bp), t.OrgRegNumber, ts(t.CreatedAt))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EDomainTaken, "domain %s is already used by another tenant: choose another prefix (check with GET /v1/domains/{domain})", t.DefaultDomain())
	}
	return wrap("insert tenant", err)
}

func scanTenant(row interface{ Scan(...any) error }) (*csp.Tenant, error) {
	var (
		t                     csp.Tenant
		region, seg, addr, bp string
		created               scanTime
	)
	if err := row.Scan(&t.ID, &t.CommerceID, &t.DisplayName, &t.DomainPrefix, &t.Country, &region, &seg, &addr, &bp, &t.OrgRegNumber, &created, &t.Version); err != nil {
		return nil, err
	}
	t.Region, t.Segment, t.CreatedAt = csp.Region(region), csp.Segment(seg), created.T
	if err := json.Unmarshal([]byte(addr), &t.Address); err != nil {
		return nil, fmt.Errorf("tenant %s address: %w", t.ID, err)
	}
	if err := json.Unmarshal([]byte(bp), &t.BillingProfile); err != nil {
		return nil, fmt.Errorf("tenant %s billing profile: %w", t.ID, err)
	}
	return &t, nil
}

// GetTenant reads a tenant.
func (tx *Tx) GetTenant(ctx context.Context, id uuid.UUID) (*csp.Tenant, error) {
	return tx.getTenant(ctx, id, "")
}

// LockTenant reads a tenant and locks its row.
func (tx *Tx) LockTenant(ctx context.Context, id uuid.UUID) (*csp.Tenant, error) {
	return tx.getTenant(ctx, id, tx.d.ForUpdate)
}

func (tx *Tx) getTenant(ctx context.Context, id uuid.UUID, lock string) (*csp.Tenant, error) {
	t, err := scanTenant(tx.tx.QueryRowContext(ctx, `SELECT `+tenantColumns+` FROM tenants t WHERE t.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.ETenantNotFound, "tenant %s does not exist", id)
	}
	return t, wrap("get tenant", err)
}

// GetTenantByDomain reads a tenant by domain prefix.
func (tx *Tx) GetTenantByDomain(ctx context.Context, prefix string) (*csp.Tenant, error) {
	t, err := scanTenant(tx.tx.QueryRowContext(ctx, `SELECT `+tenantColumns+` FROM tenants t WHERE t.domain_prefix = $1`, prefix))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.ETenantNotFound, "no tenant has the domain %s%s", prefix, csp.DomainSuffix)
	}
	return t, wrap("get tenant by domain", err)
}

// SetTenantSegment changes a tenant's segment.
func (tx *Tx) SetTenantSegment(ctx context.Context, id uuid.UUID, seg csp.Segment) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE tenants SET segment = $1, version = version + 1 WHERE id = $2`, string(seg), id)
	return mustAffect(res, err, csp.Errorf(csp.ETenantNotFound, "tenant %s does not exist", id))
}

// CreateTenantUser inserts u, making it a Global Administrator when
// u.GlobalAdmin is set.
func (tx *Tx) CreateTenantUser(ctx context.Context, u *csp.TenantUser) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO tenant_users (id, tenant_id, upn, display_name, given_name, surname, mail_nickname, usage_location, blocked, created_at, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,1)`,
		u.ID, u.TenantID, strings.ToLower(u.UserPrincipalName), u.DisplayName, u.GivenName, u.Surname, u.MailNickname, u.UsageLocation, u.Blocked, ts(u.CreatedAt))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EEmailTaken, "user %s already exists", u.UserPrincipalName)
	}
	if err != nil {
		return wrap("insert tenant user", err)
	}
	u.Version = 1
	if u.GlobalAdmin {
		return tx.AddRoleMember(ctx, u.TenantID, globalAdminRole, u.ID)
	}
	return nil
}

// globalAdminRole is Entra ID's Global Administrator role template id.
var globalAdminRole = uuid.MustParse("62e90394-69f5-4237-9190-012177145e10")

// tenantUserColumns reads a user of alias u; global admin is membership of
// the Global Administrator role.
const tenantUserColumns = `u.id, u.tenant_id, u.upn, u.display_name, u.given_name, u.surname, u.mail_nickname, u.usage_location, u.blocked,
	EXISTS (SELECT 1 FROM directory_role_members m WHERE m.user_id = u.id AND m.role_id = '62e90394-69f5-4237-9190-012177145e10'), u.created_at, u.version`

type rowScanner interface{ Scan(dest ...any) error }

func scanTenantUser(row rowScanner) (*csp.TenantUser, error) {
	var (
		u       csp.TenantUser
		created scanTime
	)
	if err := row.Scan(&u.ID, &u.TenantID, &u.UserPrincipalName, &u.DisplayName, &u.GivenName, &u.Surname, &u.MailNickname, &u.UsageLocation,
		&u.Blocked, &u.GlobalAdmin, &created, &u.Version); err != nil {
		return nil, err
	}
	u.CreatedAt = created.T
	return &u, nil
}

// GetTenantUser reads a tenant user.
func (tx *Tx) GetTenantUser(ctx context.Context, id uuid.UUID) (*csp.TenantUser, error) {
	u, err := scanTenantUser(tx.tx.QueryRowContext(ctx, `SELECT `+tenantUserColumns+` FROM tenant_users u WHERE u.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EUserNotFound, "user %s does not exist", id)
	}
	return u, wrap("get tenant user", err)
}

// GetTenantUserByUPN reads a tenant user by user principal name.
func (tx *Tx) GetTenantUserByUPN(ctx context.Context, tenantID uuid.UUID, upn string) (*csp.TenantUser, error) {
	u, err := scanTenantUser(tx.tx.QueryRowContext(ctx, `SELECT `+tenantUserColumns+` FROM tenant_users u WHERE u.tenant_id = $1 AND u.upn = $2`, tenantID, strings.ToLower(upn)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EUserNotFound, "tenant %s has no user %s", tenantID, upn)
	}
	return u, wrap("get tenant user", err)
}

// CreateRelationship links a partner and a tenant; the partner's profile
// of the customer starts as a copy of the tenant's own.
func (tx *Tx) CreateRelationship(ctx context.Context, r csp.Relationship) error {
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO relationships (partner_id, tenant_id, relationship_type, name_key, since, company_name, billing_profile, address)
		SELECT $1, id, $2, name_key, $3, display_name, billing_profile, address FROM tenants WHERE id = $4`, r.PartnerID, r.Type, ts(r.Since), r.TenantID)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.ERelationshipExists, "partner %s already has a reseller relationship with tenant %s", r.PartnerID, r.TenantID)
	}
	return mustAffect(res, err, csp.Errorf(csp.ETenantNotFound, "tenant %s does not exist", r.TenantID))
}

const relationshipColumns = `r.partner_id, r.tenant_id, r.relationship_type, r.since, r.company_name, r.billing_profile, r.address, r.version`

func scanRelationship(row interface{ Scan(...any) error }) (*csp.Relationship, error) {
	var (
		r        csp.Relationship
		since    scanTime
		bp, addr string
	)
	if err := row.Scan(&r.PartnerID, &r.TenantID, &r.Type, &since, &r.Profile.CompanyName, &bp, &addr, &r.Version); err != nil {
		return nil, err
	}
	r.Since = since.T
	if err := json.Unmarshal([]byte(bp), &r.Profile.BillingProfile); err != nil {
		return nil, fmt.Errorf("relationship %s/%s billing profile: %w", r.PartnerID, r.TenantID, err)
	}
	if err := json.Unmarshal([]byte(addr), &r.Profile.Address); err != nil {
		return nil, fmt.Errorf("relationship %s/%s address: %w", r.PartnerID, r.TenantID, err)
	}
	return &r, nil
}

func relationshipNotFound(partnerID, tenantID uuid.UUID) error {
	return csp.Errorf(csp.ERelationshipNotFound, "partner %s has no relationship with tenant %s", partnerID, tenantID)
}

// GetRelationship reads a link.
func (tx *Tx) GetRelationship(ctx context.Context, partnerID, tenantID uuid.UUID) (*csp.Relationship, error) {
	r, err := scanRelationship(tx.tx.QueryRowContext(ctx, `SELECT `+relationshipColumns+` FROM relationships r WHERE r.partner_id = $1 AND r.tenant_id = $2`, partnerID, tenantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, relationshipNotFound(partnerID, tenantID)
	}
	return r, wrap("get relationship", err)
}

// scanCustomer reads a tenant's columns then its relationship's.
func scanCustomer(row interface{ Scan(...any) error }) (*csp.Customer, error) {
	var (
		t                     csp.Tenant
		region, seg, addr, bp string
		created               scanTime
		r                     csp.Relationship
		since                 scanTime
		rbp, raddr            string
	)
	if err := row.Scan(&t.ID, &t.CommerceID, &t.DisplayName, &t.DomainPrefix, &t.Country, &region, &seg, &addr, &bp, &t.OrgRegNumber, &created, &t.Version,
		&r.PartnerID, &r.TenantID, &r.Type, &since, &r.Profile.CompanyName, &rbp, &raddr, &r.Version); err != nil {
		return nil, err
	}
	t.Region, t.Segment, t.CreatedAt, r.Since = csp.Region(region), csp.Segment(seg), created.T, since.T
	for _, f := range []struct {
		raw string
		v   any
	}{{addr, &t.Address}, {bp, &t.BillingProfile}, {rbp, &r.Profile.BillingProfile}, {raddr, &r.Profile.Address}} {
		if err := json.Unmarshal([]byte(f.raw), f.v); err != nil {
			return nil, fmt.Errorf("customer %s: %w", t.ID, err)
		}
	}
	return csp.NewCustomer(t, r), nil
}

// GetCustomer reads a tenant as the partner sees it.
func (tx *Tx) GetCustomer(ctx context.Context, partnerID, tenantID uuid.UUID, lock bool) (*csp.Customer, error) {
	q := `SELECT ` + tenantColumns + `, ` + relationshipColumns + ` FROM relationships r JOIN tenants t ON t.id = r.tenant_id
		WHERE r.partner_id = $1 AND r.tenant_id = $2`
	if lock {
		// Only the relationship row: the tenant's is locked by what changes it.
		if tx.d.ForUpdate != "" {
			q += tx.d.ForUpdate + ` OF r`
		}
	}
	c, err := scanCustomer(tx.tx.QueryRowContext(ctx, q, partnerID, tenantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, relationshipNotFound(partnerID, tenantID)
	}
	return c, wrap("get customer", err)
}

// UpdateCustomerProfile replaces a partner's profile of its customer.
func (tx *Tx) UpdateCustomerProfile(ctx context.Context, partnerID, tenantID uuid.UUID, p csp.CustomerProfile) error {
	bp, _ := json.Marshal(p.BillingProfile)
	addr, _ := json.Marshal(p.Address)
	res, err := tx.tx.ExecContext(ctx, `UPDATE relationships SET company_name = $1, name_key = $2, billing_profile = $3, address = $4, version = version + 1
		WHERE partner_id = $5 AND tenant_id = $6`, p.CompanyName, store.NameKey(p.CompanyName), string(bp), string(addr), partnerID, tenantID)
	return mustAffect(res, err, relationshipNotFound(partnerID, tenantID))
}

// DeleteRelationship removes a link.
func (tx *Tx) DeleteRelationship(ctx context.Context, partnerID, tenantID uuid.UUID) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM relationships WHERE partner_id = $1 AND tenant_id = $2`, partnerID, tenantID)
	return mustAffect(res, err, relationshipNotFound(partnerID, tenantID))
}

// TenantRelationships lists a tenant's partners, oldest first.
func (tx *Tx) TenantRelationships(ctx context.Context, tenantID uuid.UUID) ([]csp.Relationship, error) {
	return queryAll(ctx, tx, "tenant relationships", func(rows *sql.Rows) (csp.Relationship, error) {
		r, err := scanRelationship(rows)
		if err != nil {
			return csp.Relationship{}, err
		}
		return *r, nil
	}, `SELECT `+relationshipColumns+` FROM relationships r WHERE r.tenant_id = $1 ORDER BY r.since, r.partner_id`, tenantID)
}

// ListCustomers lists a partner's customers by the partner's company name
// then id. The filters compare lower-cased text, so LIKE is
// case-sensitive-safe on both engines.
func (tx *Tx) ListCustomers(ctx context.Context, f store.CustomerFilter) ([]*csp.Customer, error) {
	args := []any{f.PartnerID}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	q := `SELECT ` + tenantColumns + `, ` + relationshipColumns + ` FROM relationships r JOIN tenants t ON t.id = r.tenant_id WHERE r.partner_id = $1`
	if f.NamePrefix != "" {
		q += ` AND r.name_key LIKE ` + arg(likePrefix(store.NameKey(f.NamePrefix))) + ` ESCAPE '\'`
	}
	if f.DomainPrefix != "" {
		q += ` AND t.domain_prefix LIKE ` + arg(likePrefix(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(f.DomainPrefix)), csp.DomainSuffix))) + ` ESCAPE '\'`
	}
	// A full default domain is searched by its prefix.
	if s := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(f.Search)), csp.DomainSuffix); s != "" {
		contains := "%" + likeEscape(s) + "%"
		cond := `r.name_key LIKE ` + arg(contains) + ` ESCAPE '\' OR t.domain_prefix LIKE ` + arg(contains) + ` ESCAPE '\'`
		if id, err := uuid.Parse(s); err == nil {
			cond += ` OR r.tenant_id = ` + arg(id)
		}
		q += ` AND (` + cond + `)`
	}
	if f.After != nil {
		q += ` AND (r.name_key, r.tenant_id) > (` + arg(f.After.NameKey) + `, ` + arg(f.After.TenantID) + `)`
	}
	q += fmt.Sprintf(` ORDER BY r.name_key, r.tenant_id LIMIT %d`, limit(f.Limit))
	return queryAll(ctx, tx, "list customers", func(r *sql.Rows) (*csp.Customer, error) { return scanCustomer(r) }, q, args...)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func likePrefix(s string) string { return likeEscape(s) + "%" }
