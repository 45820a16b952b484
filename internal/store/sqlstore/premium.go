package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

// policyBody is what a policy's body column holds.
type policyBody struct {
	Conditions    directory.Conditions    `json:"conditions"`
	GrantControls directory.GrantControls `json:"grantControls"`
}

const policyColumns = `id, tenant_id, display_name, state, body, created_at, modified_at, version`

func scanPolicy(row rowScanner) (*directory.Policy, error) {
	var (
		p                 directory.Policy
		body              string
		created, modified scanTime
	)
	if err := row.Scan(&p.ID, &p.TenantID, &p.DisplayName, &p.State, &body, &created, &modified, &p.Version); err != nil {
		return nil, err
	}
	var b policyBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return nil, err
	}
	p.Conditions, p.GrantControls, p.CreatedAt, p.ModifiedAt = b.Conditions, b.GrantControls, created.T, modified.T
	return &p, nil
}

func policyJSON(p *directory.Policy) string {
	b, _ := json.Marshal(policyBody{Conditions: p.Conditions, GrantControls: p.GrantControls})
	return string(b)
}

// CreatePolicy inserts a conditional access policy.
func (tx *Tx) CreatePolicy(ctx context.Context, p *directory.Policy) error {
	p.Version = 1
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO conditional_access_policies (`+policyColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
		p.ID, p.TenantID, p.DisplayName, p.State, policyJSON(p), ts(p.CreatedAt), ts(p.ModifiedAt), p.Version)
	return wrap("insert policy", err)
}

// GetPolicy reads a policy of a tenant.
func (tx *Tx) GetPolicy(ctx context.Context, tenantID, id uuid.UUID) (*directory.Policy, error) {
	p, err := scanPolicy(tx.tx.QueryRowContext(ctx, `SELECT `+policyColumns+` FROM conditional_access_policies WHERE id = $1 AND tenant_id = $2`, id, tenantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EPolicyNotFound, "no conditional access policy %s in tenant %s", id, tenantID)
	}
	return p, wrap("get policy", err)
}

// ListPolicies lists a tenant's policies.
func (tx *Tx) ListPolicies(ctx context.Context, tenantID uuid.UUID) ([]*directory.Policy, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT `+policyColumns+` FROM conditional_access_policies WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, wrap("list policies", err)
	}
	defer rows.Close()
	var out []*directory.Policy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, wrap("scan policy", err)
		}
		out = append(out, p)
	}
	return out, wrap("list policies", rows.Err())
}

// UpdatePolicy writes a policy.
func (tx *Tx) UpdatePolicy(ctx context.Context, p *directory.Policy) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE conditional_access_policies SET display_name = $1, state = $2, body = $3, modified_at = $4, version = version + 1
		WHERE id = $5 AND tenant_id = $6`, p.DisplayName, p.State, policyJSON(p), ts(p.ModifiedAt), p.ID, p.TenantID)
	if err := mustAffect(res, err, csp.Errorf(csp.EPolicyNotFound, "no conditional access policy %s", p.ID)); err != nil {
		return wrap("update policy", err)
	}
	p.Version++
	return nil
}

// DeletePolicy removes a policy.
func (tx *Tx) DeletePolicy(ctx context.Context, tenantID, id uuid.UUID) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM conditional_access_policies WHERE id = $1 AND tenant_id = $2`, id, tenantID)
	return wrap("delete policy", mustAffect(res, err, csp.Errorf(csp.EPolicyNotFound, "no conditional access policy %s in tenant %s", id, tenantID)))
}

// CreateEligibility stores a PIM eligible assignment.
func (tx *Tx) CreateEligibility(ctx context.Context, e *directory.Eligibility) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO role_eligibilities (id, tenant_id, principal_id, role_id, action, justification, start_at, end_at, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, e.ID, e.TenantID, e.PrincipalID, e.RoleID, e.Action, e.Justification, ts(e.StartAt), tsPtr(e.EndAt), ts(e.CreatedAt))
	return wrap("insert eligibility", err)
}

// ListEligibilities lists a tenant's eligible assignments.
func (tx *Tx) ListEligibilities(ctx context.Context, tenantID uuid.UUID) ([]directory.Eligibility, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT id, tenant_id, principal_id, role_id, action, justification, start_at, end_at, created_at
		FROM role_eligibilities WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, wrap("list eligibilities", err)
	}
	defer rows.Close()
	var out []directory.Eligibility
	for rows.Next() {
		var (
			e              directory.Eligibility
			start, created scanTime
			end            scanTime
		)
		if err := rows.Scan(&e.ID, &e.TenantID, &e.PrincipalID, &e.RoleID, &e.Action, &e.Justification, &start, &end, &created); err != nil {
			return nil, wrap("scan eligibility", err)
		}
		e.StartAt, e.EndAt, e.CreatedAt = start.T, end.ptr(), created.T
		out = append(out, e)
	}
	return out, wrap("list eligibilities", rows.Err())
}

// DeleteEligibilities removes a user's eligible assignments of a role.
func (tx *Tx) DeleteEligibilities(ctx context.Context, tenantID, principalID, roleID uuid.UUID) (int, error) {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM role_eligibilities WHERE tenant_id = $1 AND principal_id = $2 AND role_id = $3`, tenantID, principalID, roleID)
	if err != nil {
		return 0, wrap("delete eligibilities", err)
	}
	n, err := res.RowsAffected()
	return int(n), wrap("delete eligibilities", err)
}
