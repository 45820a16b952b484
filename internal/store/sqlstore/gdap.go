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
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/store"
)

const gdapColumns = `id, partner_id, tenant_id, customer_name, display_name, duration_days, roles, auto_extend_days, status,
	created_at, locked_at, activated_at, end_at, modified_at, version`

// CreateGDAPRelationship inserts a relationship and schedules its job.
func (tx *Tx) CreateGDAPRelationship(ctx context.Context, r *gdap.Relationship) error {
	r.Version = 1
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO gdap_relationships (`+gdapColumns+`, name_key)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
		r.ID, r.PartnerID, r.CustomerTenantID, r.CustomerDisplayName, r.DisplayName, r.Duration, roleList(r.Roles), r.AutoExtendDays, string(r.Status),
		ts(r.CreatedAt), tsPtr(r.LockedAt), tsPtr(r.ActivatedAt), tsPtr(r.EndAt), ts(r.LastModifiedAt), r.Version, gdap.NameKey(r.DisplayName))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return gdap.NameTaken(r.DisplayName)
	}
	if err != nil {
		return wrap("insert gdap relationship", err)
	}
	return tx.scheduleGDAP(ctx, r)
}

// scheduleGDAP writes a relationship's job from its due time, or drops it.
func (tx *Tx) scheduleGDAP(ctx context.Context, r *gdap.Relationship) error {
	if due := r.Due(); due != nil {
		return tx.setJobs(ctx, []csp.Job{{Kind: csp.JobDelegatedAdmin, Ref: r.ID.String(), Due: *due}})
	}
	return tx.deleteJobs(ctx, csp.JobDelegatedAdmin, []string{r.ID.String()})
}

func roleList(ids []uuid.UUID) string {
	if ids == nil {
		ids = []uuid.UUID{}
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

func scanGDAP(row interface{ Scan(...any) error }) (*gdap.Relationship, error) {
	var (
		r                                      gdap.Relationship
		roles, status                          string
		created, locked, activated, end, moved scanTime
	)
	if err := row.Scan(&r.ID, &r.PartnerID, &r.CustomerTenantID, &r.CustomerDisplayName, &r.DisplayName, &r.Duration, &roles, &r.AutoExtendDays, &status,
		&created, &locked, &activated, &end, &moved, &r.Version); err != nil {
		return nil, err
	}
	r.Status, r.CreatedAt, r.LockedAt, r.ActivatedAt, r.EndAt, r.LastModifiedAt = gdap.Status(status), created.T, locked.ptr(), activated.ptr(), end.ptr(), moved.T
	if err := json.Unmarshal([]byte(roles), &r.Roles); err != nil {
		return nil, fmt.Errorf("gdap relationship %s roles: %w", r.ID, err)
	}
	return &r, nil
}

func gdapNotFound(id uuid.UUID) error {
	return csp.Errorf(csp.EGDAPNotFound, "delegated admin relationship %s does not exist", id)
}

// GetGDAPRelationship reads a relationship.
func (tx *Tx) GetGDAPRelationship(ctx context.Context, id uuid.UUID) (*gdap.Relationship, error) {
	return tx.getGDAP(ctx, id, "")
}

// LockGDAPRelationship reads a relationship and locks its row.
func (tx *Tx) LockGDAPRelationship(ctx context.Context, id uuid.UUID) (*gdap.Relationship, error) {
	return tx.getGDAP(ctx, id, tx.d.ForUpdate)
}

func (tx *Tx) getGDAP(ctx context.Context, id uuid.UUID, lock string) (*gdap.Relationship, error) {
	r, err := scanGDAP(tx.tx.QueryRowContext(ctx, `SELECT `+gdapColumns+` FROM gdap_relationships WHERE id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gdapNotFound(id)
	}
	return r, wrap("get gdap relationship", err)
}

// LockGDAPRelationships reads and locks relationships by id, in id order.
func (tx *Tx) LockGDAPRelationships(ctx context.Context, ids []uuid.UUID) ([]*gdap.Relationship, error) {
	return lockByID(ctx, tx, "lock gdap relationships", "gdap_relationships", gdapColumns, ids, func(r *sql.Rows) (*gdap.Relationship, error) { return scanGDAP(r) })
}

// UpdateGDAPRelationship writes a relationship's changeable state, bumps
// its version and reschedules its job.
func (tx *Tx) UpdateGDAPRelationship(ctx context.Context, r *gdap.Relationship) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE gdap_relationships SET customer_name = $1, display_name = $2, name_key = $3, duration_days = $4,
		roles = $5, auto_extend_days = $6, status = $7, locked_at = $8, activated_at = $9, end_at = $10, modified_at = $11, version = version + 1
		WHERE id = $12`,
		r.CustomerDisplayName, r.DisplayName, gdap.NameKey(r.DisplayName), r.Duration, roleList(r.Roles), r.AutoExtendDays, string(r.Status),
		tsPtr(r.LockedAt), tsPtr(r.ActivatedAt), tsPtr(r.EndAt), ts(r.LastModifiedAt), r.ID)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return gdap.NameTaken(r.DisplayName)
	}
	if err := mustAffect(res, err, gdapNotFound(r.ID)); err != nil {
		return wrap("update gdap relationship", err)
	}
	r.Version++
	return tx.scheduleGDAP(ctx, r)
}

// DeleteGDAPRelationship removes a relationship, its assignments and its job.
func (tx *Tx) DeleteGDAPRelationship(ctx context.Context, id uuid.UUID) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM gdap_access_assignments WHERE relationship_id = $1`, id); err != nil {
		return wrap("delete gdap access assignments", err)
	}
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM gdap_relationships WHERE id = $1`, id)
	if err := mustAffect(res, err, gdapNotFound(id)); err != nil {
		return wrap("delete gdap relationship", err)
	}
	return tx.deleteJobs(ctx, csp.JobDelegatedAdmin, []string{id.String()})
}

// ListGDAPRelationships lists relationships by creation time then id.
func (tx *Tx) ListGDAPRelationships(ctx context.Context, f store.GDAPFilter) ([]*gdap.Relationship, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	q := `SELECT ` + gdapColumns + ` FROM gdap_relationships WHERE 1=1`
	if f.PartnerID != nil {
		q += ` AND partner_id = ` + arg(*f.PartnerID)
	}
	if f.TenantID != nil {
		q += ` AND tenant_id = ` + arg(*f.TenantID)
	}
	if len(f.Statuses) > 0 {
		marks := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			marks[i] = arg(string(s))
		}
		q += ` AND status IN (` + strings.Join(marks, ",") + `)`
	}
	q, args = pageAfter(q, args, f.After, f.Limit)
	return queryAll(ctx, tx, "list gdap relationships", func(r *sql.Rows) (*gdap.Relationship, error) { return scanGDAP(r) }, q, args...)
}

const assignmentColumns = `id, relationship_id, group_id, roles, status, created_at, modified_at, version`

// CreateAccessAssignment inserts an assignment.
func (tx *Tx) CreateAccessAssignment(ctx context.Context, a *gdap.AccessAssignment) error {
	a.Version = 1
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO gdap_access_assignments (`+assignmentColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
		a.ID, a.RelationshipID, a.GroupID, roleList(a.Roles), string(a.Status), ts(a.CreatedAt), ts(a.LastModifiedAt), a.Version)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return gdap.AssignmentExists(a.RelationshipID, a.GroupID, uuid.Nil)
	}
	return wrap("insert gdap access assignment", err)
}

func scanAssignment(row interface{ Scan(...any) error }) (*gdap.AccessAssignment, error) {
	var (
		a              gdap.AccessAssignment
		roles, status  string
		created, moved scanTime
	)
	if err := row.Scan(&a.ID, &a.RelationshipID, &a.GroupID, &roles, &status, &created, &moved, &a.Version); err != nil {
		return nil, err
	}
	a.Status, a.CreatedAt, a.LastModifiedAt = gdap.AssignmentStatus(status), created.T, moved.T
	if err := json.Unmarshal([]byte(roles), &a.Roles); err != nil {
		return nil, fmt.Errorf("gdap access assignment %s roles: %w", a.ID, err)
	}
	return &a, nil
}

func assignmentNotFound(relID, id uuid.UUID) error {
	return csp.Errorf(csp.EGDAPAssignmentNotFound, "delegated admin relationship %s has no access assignment %s", relID, id)
}

// GetAccessAssignment reads an assignment of a relationship.
func (tx *Tx) GetAccessAssignment(ctx context.Context, relationshipID, id uuid.UUID) (*gdap.AccessAssignment, error) {
	a, err := scanAssignment(tx.tx.QueryRowContext(ctx, `SELECT `+assignmentColumns+` FROM gdap_access_assignments WHERE id = $1 AND relationship_id = $2`,
		id, relationshipID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assignmentNotFound(relationshipID, id)
	}
	return a, wrap("get gdap access assignment", err)
}

// UpdateAccessAssignment writes an assignment's roles and status.
func (tx *Tx) UpdateAccessAssignment(ctx context.Context, a *gdap.AccessAssignment) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE gdap_access_assignments SET roles = $1, status = $2, modified_at = $3, version = version + 1
		WHERE id = $4 AND relationship_id = $5`, roleList(a.Roles), string(a.Status), ts(a.LastModifiedAt), a.ID, a.RelationshipID)
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return gdap.AssignmentExists(a.RelationshipID, a.GroupID, uuid.Nil)
	}
	if err := mustAffect(res, err, assignmentNotFound(a.RelationshipID, a.ID)); err != nil {
		return wrap("update gdap access assignment", err)
	}
	a.Version++
	return nil
}

// ListAccessAssignments lists the assignments of some relationships.
func (tx *Tx) ListAccessAssignments(ctx context.Context, f store.AssignmentFilter) ([]*gdap.AccessAssignment, error) {
	if len(f.RelationshipIDs) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(f.RelationshipIDs)+3)
	marks := make([]string, len(f.RelationshipIDs))
	for i, id := range f.RelationshipIDs {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	q := `SELECT ` + assignmentColumns + ` FROM gdap_access_assignments WHERE relationship_id IN (` + strings.Join(marks, ",") + `)`
	if f.Status != "" {
		args = append(args, string(f.Status))
		q += fmt.Sprintf(` AND status = $%d`, len(args))
	}
	q, args = pageAfter(q, args, f.After, f.Limit)
	return queryAll(ctx, tx, "list gdap access assignments", func(r *sql.Rows) (*gdap.AccessAssignment, error) { return scanAssignment(r) }, q, args...)
}
