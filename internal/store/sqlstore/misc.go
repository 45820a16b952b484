package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// CreateMTO inserts an organization with its owner as an active member.
func (tx *Tx) CreateMTO(ctx context.Context, o *csp.MultiTenantOrg) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO multitenant_orgs (id, owner_tenant_id, display_name, created_at) VALUES ($1,$2,$3,$4)`,
		o.ID, o.OwnerTenantID, o.DisplayName, ts(o.CreatedAt))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EMTOExists, "tenant %s already owns a multitenant organization", o.OwnerTenantID)
	}
	if err != nil {
		return wrap("insert multitenant organization", err)
	}
	for _, m := range o.Members {
		if err := tx.AddMTOMember(ctx, o.ID, m); err != nil {
			return err
		}
	}
	return nil
}

// MTOOfTenant reads the organization a tenant belongs to.
func (tx *Tx) MTOOfTenant(ctx context.Context, tenantID uuid.UUID) (*csp.MultiTenantOrg, error) {
	var (
		o       csp.MultiTenantOrg
		created scanTime
	)
	err := tx.tx.QueryRowContext(ctx, `SELECT o.id, o.owner_tenant_id, o.display_name, o.created_at FROM multitenant_orgs o
		JOIN multitenant_org_members m ON m.org_id = o.id WHERE m.tenant_id = $1`, tenantID).Scan(&o.ID, &o.OwnerTenantID, &o.DisplayName, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EMTONotFound, "tenant %s belongs to no multitenant organization: create one with PUT /tenant/v1/multiTenantOrganization", tenantID)
	}
	if err != nil {
		return nil, wrap("get multitenant organization", err)
	}
	o.CreatedAt = created.T
	rows, err := tx.tx.QueryContext(ctx, `SELECT tenant_id, role, state, added_by_tenant_id, added_at, joined_at FROM multitenant_org_members
		WHERE org_id = $1 ORDER BY CASE role WHEN 'owner' THEN 0 ELSE 1 END, added_at, tenant_id`, o.ID)
	if err != nil {
		return nil, wrap("list organization members", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			m             csp.MTOMember
			added, joined scanTime
		)
		if err := rows.Scan(&m.TenantID, &m.Role, &m.State, &m.AddedByTenantID, &added, &joined); err != nil {
			return nil, wrap("scan organization member", err)
		}
		m.AddedAt, m.JoinedAt = added.T, joined.ptr()
		o.Members = append(o.Members, m)
	}
	return &o, wrap("list organization members", rows.Err())
}

// AddMTOMember adds a member.
func (tx *Tx) AddMTOMember(ctx context.Context, orgID uuid.UUID, m csp.MTOMember) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO multitenant_org_members (org_id, tenant_id, role, state, added_by_tenant_id, added_at, joined_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7)`, orgID, m.TenantID, m.Role, m.State, m.AddedByTenantID, ts(m.AddedAt), tsPtr(m.JoinedAt))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.ETenantInOtherMTO, "tenant %s already belongs to a multitenant organization; a tenant can belong to only one", m.TenantID)
	}
	return wrap("insert organization member", err)
}

// ActivateMTOMember marks a pending member as joined.
func (tx *Tx) ActivateMTOMember(ctx context.Context, orgID, tenantID uuid.UUID, at time.Time) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE multitenant_org_members SET state = $1, joined_at = $2 WHERE org_id = $3 AND tenant_id = $4 AND state = $5`,
		csp.MTOStateActive, ts(at), orgID, tenantID, csp.MTOStatePending)
	return mustAffect(res, err, csp.Errorf(csp.ENotInvitedToMTO, "tenant %s has no pending invitation to organization %s", tenantID, orgID))
}

// AddAudit appends an audit record.
func (tx *Tx) AddAudit(ctx context.Context, r *csp.AuditRecord) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO audit_records (id, partner_id, tenant_id, customer_name, user_principal_name, application_id,
		resource_type, operation_type, operation_status, resource_old_value, resource_new_value, operation_date, correlation_id)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
		r.ID, r.PartnerID, r.TenantID, r.CustomerName, r.UserPrincipalName, r.ApplicationID, r.ResourceType, r.OperationType,
		r.OperationStatus, r.ResourceOldValue, r.ResourceNewValue, ts(r.OperationDate), r.CorrelationID)
	return wrap("insert audit record", err)
}

// ListAudit lists a partner's audit records in time order.
func (tx *Tx) ListAudit(ctx context.Context, f store.AuditFilter) ([]*csp.AuditRecord, error) {
	q := `SELECT id, partner_id, tenant_id, customer_name, user_principal_name, application_id, resource_type, operation_type,
		operation_status, resource_old_value, resource_new_value, operation_date, correlation_id
		FROM audit_records WHERE partner_id = $1 AND operation_date >= $2 AND operation_date < $3`
	args := []any{f.PartnerID, ts(f.From), ts(f.To)}
	if f.After != nil {
		q += ` AND (operation_date, id) > ($4, $5)`
		args = append(args, ts(f.After.At), f.After.ID)
	}
	q += fmt.Sprintf(` ORDER BY operation_date, id LIMIT %d`, limit(f.Limit))
	return queryAll(ctx, tx, "list audit records", func(rows *sql.Rows) (*csp.AuditRecord, error) {
		var (
			r               csp.AuditRecord
			partner, tenant uuid.NullUUID
			date            scanTime
		)
		err := rows.Scan(&r.ID, &partner, &tenant, &r.CustomerName, &r.UserPrincipalName, &r.ApplicationID, &r.ResourceType,
			&r.OperationType, &r.OperationStatus, &r.ResourceOldValue, &r.ResourceNewValue, &date, &r.CorrelationID)
		r.PartnerID, r.TenantID, r.OperationDate = nullID(partner), nullID(tenant), date.T
		return &r, err
	}, q, args...)
}

const requestColumns = `scope, request_id, request_hash, status, body, created_at, lease_until, committed`

func scanRequest(row interface{ Scan(...any) error }) (*store.IdempotentRequest, error) {
	var (
		r              store.IdempotentRequest
		created, lease scanTime
	)
	if err := row.Scan(&r.Scope, &r.RequestID, &r.RequestHash, &r.Status, &r.Body, &created, &lease, &r.Committed); err != nil {
		return nil, err
	}
	r.CreatedAt, r.LeaseUntil = created.T, lease.T
	return &r, nil
}

// ClaimRequest records an idempotent request, or answers the earlier one.
// A record claimed before notBefore (outside the window) no longer counts:
// the new claim replaces it.
func (tx *Tx) ClaimRequest(ctx context.Context, r store.IdempotentRequest, notBefore time.Time) (*store.IdempotentRequest, error) {
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO idempotent_requests (scope, request_id, request_hash, status, body, created_at, lease_until, committed)
		VALUES ($1,$2,$3,0,NULL,$4,$5,$6) ON CONFLICT (scope, request_id) DO UPDATE SET request_hash = excluded.request_hash, status = 0,
		body = NULL, created_at = excluded.created_at, lease_until = excluded.lease_until, committed = excluded.committed
		WHERE idempotent_requests.created_at < $7`,
		r.Scope, r.RequestID, r.RequestHash, ts(r.CreatedAt), ts(r.LeaseUntil), false, ts(notBefore))
	if err != nil {
		return nil, wrap("claim request", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil, nil
	}
	prev, ok, err := tx.GetRequest(ctx, r.Scope, r.RequestID)
	if err == nil && !ok {
		err = fmt.Errorf("claim request %s: neither inserted nor found", r.RequestID)
	}
	return prev, err
}

// GetRequest reads a claim.
func (tx *Tx) GetRequest(ctx context.Context, scope, requestID string) (*store.IdempotentRequest, bool, error) {
	r, err := scanRequest(tx.tx.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM idempotent_requests WHERE scope = $1 AND request_id = $2`, scope, requestID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return r, err == nil, wrap("read claimed request", err)
}

// RenewRequest extends a claim's lease while its request runs.
func (tx *Tx) RenewRequest(ctx context.Context, scope, requestID string, leaseUntil time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE idempotent_requests SET lease_until = $1 WHERE scope = $2 AND request_id = $3 AND status = 0`,
		ts(leaseUntil), scope, requestID)
	return wrap("renew request", err)
}

// TakeOverRequest gives a lapsed, uncommitted claim to a new holder.
func (tx *Tx) TakeOverRequest(ctx context.Context, scope, requestID string, now, leaseUntil time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE idempotent_requests SET lease_until = $1 WHERE scope = $2 AND request_id = $3
		AND status = 0 AND committed = $4 AND lease_until < $5`, ts(leaseUntil), scope, requestID, false, ts(now))
	if err != nil {
		return false, wrap("take over request", err)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap("take over request", err)
}

// MarkRequestCommitted records that a request's work is committed.
func (tx *Tx) MarkRequestCommitted(ctx context.Context, scope, requestID string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE idempotent_requests SET committed = $1 WHERE scope = $2 AND request_id = $3`, true, scope, requestID)
	return wrap("mark request committed", err)
}

// CompleteRequest stores the answer of a claimed request.
func (tx *Tx) CompleteRequest(ctx context.Context, scope, requestID string, status int, body []byte) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE idempotent_requests SET status = $1, body = $2 WHERE scope = $3 AND request_id = $4`, status, body, scope, requestID)
	return wrap("complete request", err)
}

// ReleaseRequest forgets a claim.
func (tx *Tx) ReleaseRequest(ctx context.Context, scope, requestID string) error {
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM idempotent_requests WHERE scope = $1 AND request_id = $2`, scope, requestID)
	return wrap("release request", err)
}

// PurgeRequests forgets requests claimed before t.
func (tx *Tx) PurgeRequests(ctx context.Context, before time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM idempotent_requests WHERE created_at < $1`, ts(before))
	return wrap("purge requests", err)
}

// CreateSession stores a console session.
func (tx *Tx) CreateSession(ctx context.Context, s store.Session) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO console_sessions (id_hash, key_id, token_hash, created_at, expires_at) VALUES ($1,$2,$3,$4,$5)`,
		s.IDHash, s.KeyID, s.TokenHash, ts(s.CreatedAt), ts(s.ExpiresAt))
	return wrap("insert session", err)
}

// GetSession reads a console session.
func (tx *Tx) GetSession(ctx context.Context, idHash string) (store.Session, bool, error) {
	var (
		s                store.Session
		key              uuid.NullUUID
		created, expires scanTime
	)
	err := tx.tx.QueryRowContext(ctx, `SELECT id_hash, key_id, token_hash, created_at, expires_at FROM console_sessions WHERE id_hash = $1`, idHash).
		Scan(&s.IDHash, &key, &s.TokenHash, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	s.KeyID, s.CreatedAt, s.ExpiresAt = nullID(key), created.T, expires.T
	return s, err == nil, wrap("get session", err)
}

// DeleteSession forgets a console session.
func (tx *Tx) DeleteSession(ctx context.Context, idHash string) error {
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE id_hash = $1`, idHash)
	return wrap("delete session", err)
}

// PurgeSessions forgets expired sessions.
func (tx *Tx) PurgeSessions(ctx context.Context, before time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE expires_at < $1`, ts(before))
	return wrap("purge sessions", err)
}

// Setting reads a named setting.
func (tx *Tx) Setting(ctx context.Context, name string) (string, bool, error) {
	var v string
	err := tx.tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, wrap("read setting", err)
}

// SetSetting writes a named setting.
func (tx *Tx) SetSetting(ctx context.Context, name, value string) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	return wrap("write setting", err)
}
