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
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/store"
)

// ListTenantUsers lists a tenant's users by UPN.
func (tx *Tx) ListTenantUsers(ctx context.Context, tenantID uuid.UUID, afterUPN string, n int) ([]*csp.TenantUser, error) {
	return tx.queryTenantUsers(ctx, fmt.Sprintf(`SELECT `+tenantUserColumns+` FROM tenant_users u WHERE u.tenant_id = $1 AND u.upn > $2 ORDER BY u.upn LIMIT %d`, limit(n)),
		tenantID, strings.ToLower(afterUPN))
}

func (tx *Tx) queryTenantUsers(ctx context.Context, q string, args ...any) ([]*csp.TenantUser, error) {
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("list tenant users", err)
	}
	defer rows.Close()
	var out []*csp.TenantUser
	for rows.Next() {
		u, err := scanTenantUser(rows)
		if err != nil {
			return nil, wrap("scan tenant user", err)
		}
		out = append(out, u)
	}
	return out, wrap("list tenant users", rows.Err())
}

// LockTenantUser reads a tenant's user and locks its row.
func (tx *Tx) LockTenantUser(ctx context.Context, tenantID, id uuid.UUID) (*csp.TenantUser, error) {
	u, err := scanTenantUser(tx.tx.QueryRowContext(ctx, `SELECT `+tenantUserColumns+` FROM tenant_users u WHERE u.id = $1 AND u.tenant_id = $2`+tx.d.ForUpdate, id, tenantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EUserNotFound, "tenant %s has no user %s", tenantID, id)
	}
	return u, wrap("lock tenant user", err)
}

// UpdateTenantUser writes a user's changeable fields.
func (tx *Tx) UpdateTenantUser(ctx context.Context, u *csp.TenantUser) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE tenant_users SET display_name = $1, given_name = $2, surname = $3, usage_location = $4, blocked = $5, version = version + 1
		WHERE id = $6`, u.DisplayName, u.GivenName, u.Surname, u.UsageLocation, u.Blocked, u.ID)
	if err := mustAffect(res, err, csp.Errorf(csp.EUserNotFound, "user %s does not exist", u.ID)); err != nil {
		return wrap("update tenant user", err)
	}
	u.Version++
	return nil
}

// AddRoleMember makes a user a member of a directory role.
func (tx *Tx) AddRoleMember(ctx context.Context, tenantID, roleID, userID uuid.UUID) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO directory_role_members (tenant_id, role_id, user_id) VALUES ($1,$2,$3)`, tenantID, roleID, userID)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EMemberExists, "One or more added object references already exist: user %s already holds role %s", userID, directory.RoleName(roleID))
	}
	return wrap("add role member", err)
}

// RemoveRoleMember ends a role membership.
func (tx *Tx) RemoveRoleMember(ctx context.Context, tenantID, roleID, userID uuid.UUID) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM directory_role_members WHERE tenant_id = $1 AND role_id = $2 AND user_id = $3`, tenantID, roleID, userID)
	return wrap("remove role member", mustAffect(res, err, csp.Errorf(csp.EMemberNotFound, "user %s does not hold role %s", userID, directory.RoleName(roleID))))
}

// RoleMembers lists a role's members by UPN.
func (tx *Tx) RoleMembers(ctx context.Context, tenantID, roleID uuid.UUID) ([]*csp.TenantUser, error) {
	return tx.queryTenantUsers(ctx, `SELECT `+tenantUserColumns+` FROM tenant_users u JOIN directory_role_members r ON r.user_id = u.id
		WHERE r.tenant_id = $1 AND r.role_id = $2 ORDER BY u.upn`, tenantID, roleID)
}

// UserRoles lists a user's role template ids.
func (tx *Tx) UserRoles(ctx context.Context, userID uuid.UUID) ([]uuid.UUID, error) {
	return tx.queryIDs(ctx, `SELECT role_id FROM directory_role_members WHERE user_id = $1 ORDER BY role_id`, userID)
}

// UsersRoles lists the given users' role template ids in one query.
func (tx *Tx) UsersRoles(ctx context.Context, tenantID uuid.UUID, userIDs []uuid.UUID) (map[uuid.UUID][]uuid.UUID, error) {
	out := map[uuid.UUID][]uuid.UUID{}
	if len(userIDs) == 0 {
		return out, nil
	}
	in, args := inList(2, userIDs)
	rows, err := tx.tx.QueryContext(ctx, `SELECT user_id, role_id FROM directory_role_members WHERE tenant_id = $1 AND user_id IN (`+in+`) ORDER BY user_id, role_id`,
		append([]any{tenantID}, args...)...)
	if err != nil {
		return nil, wrap("list users' roles", err)
	}
	defer rows.Close()
	for rows.Next() {
		var user, role uuid.UUID
		if err := rows.Scan(&user, &role); err != nil {
			return nil, wrap("scan user role", err)
		}
		out[user] = append(out[user], role)
	}
	return out, wrap("list users' roles", rows.Err())
}

// inList is "$from,$from+1,..." for ids, and the ids as arguments.
func inList(from int, ids []uuid.UUID) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = fmt.Sprintf("$%d", from+i), id
	}
	return strings.Join(marks, ","), args
}

func (tx *Tx) queryIDs(ctx context.Context, q string, args ...any) ([]uuid.UUID, error) {
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("list ids", err)
	}
	defer rows.Close()
	var out []uuid.UUID
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("scan id", err)
		}
		out = append(out, id)
	}
	return out, wrap("list ids", rows.Err())
}

const groupColumns = `id, tenant_id, display_name, description, mail_nickname, created_at, version`

func scanGroup(row rowScanner) (*directory.Group, error) {
	var (
		g       directory.Group
		created scanTime
	)
	if err := row.Scan(&g.ID, &g.TenantID, &g.DisplayName, &g.Description, &g.MailNickname, &created, &g.Version); err != nil {
		return nil, err
	}
	g.CreatedAt = created.T
	return &g, nil
}

// CreateGroup inserts g.
func (tx *Tx) CreateGroup(ctx context.Context, g *directory.Group) error {
	g.Version = 1
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO directory_groups (`+groupColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
		g.ID, g.TenantID, g.DisplayName, g.Description, g.MailNickname, ts(g.CreatedAt), g.Version)
	return wrap("insert group", err)
}

// GetGroup reads a group of a tenant.
func (tx *Tx) GetGroup(ctx context.Context, tenantID, id uuid.UUID) (*directory.Group, error) {
	g, err := scanGroup(tx.tx.QueryRowContext(ctx, `SELECT `+groupColumns+` FROM directory_groups WHERE id = $1 AND tenant_id = $2`, id, tenantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EGroupNotFound, "Resource '%s' does not exist or one of its queried reference-property objects are not present: no group of tenant %s has that id", id, tenantID)
	}
	return g, wrap("get group", err)
}

// ListGroups lists a tenant's groups by creation time then id.
func (tx *Tx) ListGroups(ctx context.Context, tenantID uuid.UUID, after *store.Cursor, n int) ([]*directory.Group, error) {
	q, args := `SELECT `+groupColumns+` FROM directory_groups WHERE tenant_id = $1`, []any{tenantID}
	if after != nil {
		q += ` AND (created_at, id) > ($2, $3)`
		args = append(args, ts(after.At), after.ID)
	}
	rows, err := tx.tx.QueryContext(ctx, q+fmt.Sprintf(` ORDER BY created_at, id LIMIT %d`, limit(n)), args...)
	if err != nil {
		return nil, wrap("list groups", err)
	}
	defer rows.Close()
	var out []*directory.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, wrap("scan group", err)
		}
		out = append(out, g)
	}
	return out, wrap("list groups", rows.Err())
}

// AddGroupMember adds a member to a group.
func (tx *Tx) AddGroupMember(ctx context.Context, groupID, memberID uuid.UUID, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO directory_group_members (group_id, member_id, added_at) VALUES ($1,$2,$3)`, groupID, memberID, ts(at))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EMemberExists, "One or more added object references already exist for the following modified properties: 'members' (%s is already a member of group %s)", memberID, groupID)
	}
	return wrap("add group member", err)
}

// RemoveGroupMember removes a member from a group.
func (tx *Tx) RemoveGroupMember(ctx context.Context, groupID, memberID uuid.UUID) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM directory_group_members WHERE group_id = $1 AND member_id = $2`, groupID, memberID)
	return wrap("remove group member", mustAffect(res, err, csp.Errorf(csp.EMemberNotFound, "%s is not a member of group %s", memberID, groupID)))
}

// GroupMembers lists a group's members in the order they were added.
func (tx *Tx) GroupMembers(ctx context.Context, groupID uuid.UUID) ([]uuid.UUID, error) {
	return tx.queryIDs(ctx, `SELECT member_id FROM directory_group_members WHERE group_id = $1 ORDER BY added_at, member_id`, groupID)
}

// GroupsOfMember lists the groups a member belongs to.
func (tx *Tx) GroupsOfMember(ctx context.Context, memberID uuid.UUID) ([]uuid.UUID, error) {
	return tx.queryIDs(ctx, `SELECT group_id FROM directory_group_members WHERE member_id = $1 ORDER BY group_id`, memberID)
}

// LicenseAssignments lists a user's licences.
func (tx *Tx) LicenseAssignments(ctx context.Context, userID uuid.UUID) ([]directory.Assignment, error) {
	m, err := tx.queryAssignments(ctx, `SELECT user_id, sku_id, disabled_plans FROM license_assignments WHERE user_id = $1 ORDER BY sku_id`, userID)
	return m[userID], err
}

// TenantAssignments lists every licence of a tenant's users.
func (tx *Tx) TenantAssignments(ctx context.Context, tenantID uuid.UUID) (map[uuid.UUID][]directory.Assignment, error) {
	return tx.queryAssignments(ctx, `SELECT user_id, sku_id, disabled_plans FROM license_assignments WHERE tenant_id = $1 ORDER BY user_id, sku_id`, tenantID)
}

// UsersAssignments lists the given users' licences in one query.
func (tx *Tx) UsersAssignments(ctx context.Context, tenantID uuid.UUID, userIDs []uuid.UUID) (map[uuid.UUID][]directory.Assignment, error) {
	if len(userIDs) == 0 {
		return map[uuid.UUID][]directory.Assignment{}, nil
	}
	in, args := inList(2, userIDs)
	return tx.queryAssignments(ctx, `SELECT user_id, sku_id, disabled_plans FROM license_assignments WHERE tenant_id = $1 AND user_id IN (`+in+`) ORDER BY user_id, sku_id`,
		append([]any{tenantID}, args...)...)
}

func (tx *Tx) queryAssignments(ctx context.Context, q string, args ...any) (map[uuid.UUID][]directory.Assignment, error) {
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("list licence assignments", err)
	}
	defer rows.Close()
	out := map[uuid.UUID][]directory.Assignment{}
	for rows.Next() {
		var (
			user     uuid.UUID
			a        directory.Assignment
			disabled string
		)
		if err := rows.Scan(&user, &a.SkuID, &disabled); err != nil {
			return nil, wrap("scan licence assignment", err)
		}
		if err := json.Unmarshal([]byte(disabled), &a.DisabledPlans); err != nil {
			return nil, wrap("decode disabled plans", err)
		}
		out[user] = append(out[user], a)
	}
	return out, wrap("list licence assignments", rows.Err())
}

// ConsumedUnits counts a tenant's assigned licences per SKU.
func (tx *Tx) ConsumedUnits(ctx context.Context, tenantID uuid.UUID) (map[uuid.UUID]int, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT sku_id, COUNT(*) FROM license_assignments WHERE tenant_id = $1 GROUP BY sku_id`, tenantID)
	if err != nil {
		return nil, wrap("count licences", err)
	}
	defer rows.Close()
	out := map[uuid.UUID]int{}
	for rows.Next() {
		var (
			id uuid.UUID
			n  int
		)
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrap("scan licence count", err)
		}
		out[id] = n
	}
	return out, wrap("count licences", rows.Err())
}

// PutLicenseAssignment adds a licence or replaces its disabled plans.
func (tx *Tx) PutLicenseAssignment(ctx context.Context, tenantID, userID uuid.UUID, a directory.Assignment, at time.Time) error {
	plans := a.DisabledPlans
	if plans == nil {
		plans = []uuid.UUID{}
	}
	b, _ := json.Marshal(plans)
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO license_assignments (user_id, tenant_id, sku_id, disabled_plans, assigned_at) VALUES ($1,$2,$3,$4,$5)
		ON CONFLICT (user_id, sku_id) DO UPDATE SET disabled_plans = excluded.disabled_plans`, userID, tenantID, a.SkuID, string(b), ts(at))
	return wrap("put licence assignment", err)
}

// RemoveLicenseAssignment removes a licence.
func (tx *Tx) RemoveLicenseAssignment(ctx context.Context, userID, skuID uuid.UUID) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM license_assignments WHERE user_id = $1 AND sku_id = $2`, userID, skuID)
	return wrap("remove licence assignment", mustAffect(res, err, csp.Errorf(csp.ELicenseNotAssigned, "user %s does not hold a licence of SKU %s", userID, skuID)))
}

// CreateAccessToken stores a tenant-scoped token.
func (tx *Tx) CreateAccessToken(ctx context.Context, t store.AccessToken) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO access_tokens (token_hash, key_id, tenant_id, audience, expires_at) VALUES ($1,$2,$3,$4,$5)`,
		t.Hash, t.KeyID, t.TenantID, t.Audience, ts(t.ExpiresAt))
	return wrap("insert access token", err)
}

// GetAccessToken reads a token by hash.
func (tx *Tx) GetAccessToken(ctx context.Context, hash string) (store.AccessToken, bool, error) {
	var (
		t       store.AccessToken
		expires scanTime
	)
	err := tx.tx.QueryRowContext(ctx, `SELECT token_hash, key_id, tenant_id, audience, expires_at FROM access_tokens WHERE token_hash = $1`, hash).
		Scan(&t.Hash, &t.KeyID, &t.TenantID, &t.Audience, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	t.ExpiresAt = expires.T
	return t, err == nil, wrap("get access token", err)
}

// PurgeAccessTokens forgets expired tokens.
func (tx *Tx) PurgeAccessTokens(ctx context.Context, before time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM access_tokens WHERE expires_at < $1`, ts(before))
	return wrap("purge access tokens", err)
}
