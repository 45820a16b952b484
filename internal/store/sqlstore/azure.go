package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store"
)

const azureSubscriptionColumns = `id, tenant_id, partner_id, plan_subscription_id, friendly_name, status, status_since, disabled_reason, created_at, version, held_since`

// CreateAzureSubscription inserts an Azure subscription.
func (tx *Tx) CreateAzureSubscription(ctx context.Context, s *azure.Subscription) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO azure_subscriptions (`+azureSubscriptionColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
		s.ID, s.TenantID, s.PartnerID, s.PlanSubscriptionID, s.FriendlyName, string(s.Status), ts(s.StatusSince), string(s.DisabledReason), ts(s.CreatedAt), s.Version, tsPtr(s.HeldSince))
	return wrap("insert azure subscription", err)
}

func scanAzureSubscription(r interface{ Scan(...any) error }) (*azure.Subscription, error) {
	var (
		s              azure.Subscription
		status, reason string
		since, created scanTime
		held           scanTime
	)
	if err := r.Scan(&s.ID, &s.TenantID, &s.PartnerID, &s.PlanSubscriptionID, &s.FriendlyName, &status, &since, &reason, &created, &s.Version, &held); err != nil {
		return nil, err
	}
	s.HeldSince = held.ptr()
	s.Status, s.StatusSince, s.DisabledReason, s.CreatedAt = azure.Status(status), since.T, azure.DisabledReason(reason), created.T
	return &s, nil
}

// GetAzureSubscription reads an Azure subscription.
func (tx *Tx) GetAzureSubscription(ctx context.Context, id uuid.UUID, lock store.Lock) (*azure.Subscription, error) {
	s, err := scanAzureSubscription(tx.tx.QueryRowContext(ctx, `SELECT `+azureSubscriptionColumns+` FROM azure_subscriptions WHERE id = $1`+tx.d.lockClause(lock), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EAzureSubscriptionNotFound, "The subscription '%s' could not be found.", id)
	}
	return s, wrap("get azure subscription", err)
}

// ListAzureSubscriptions lists the Azure subscriptions of a plan.
func (tx *Tx) ListAzureSubscriptions(ctx context.Context, planID uuid.UUID) ([]*azure.Subscription, error) {
	return queryAll(ctx, tx, "list azure subscriptions", func(r *sql.Rows) (*azure.Subscription, error) { return scanAzureSubscription(r) },
		`SELECT `+azureSubscriptionColumns+` FROM azure_subscriptions WHERE plan_subscription_id = $1 ORDER BY created_at, id`, planID)
}

// TenantAzureSubscriptions lists a tenant's Azure subscriptions.
func (tx *Tx) TenantAzureSubscriptions(ctx context.Context, tenantID uuid.UUID) ([]*azure.Subscription, error) {
	return queryAll(ctx, tx, "list tenant azure subscriptions", func(r *sql.Rows) (*azure.Subscription, error) { return scanAzureSubscription(r) },
		`SELECT `+azureSubscriptionColumns+` FROM azure_subscriptions WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
}

// ListPartnerAzureSubscriptions lists a partner's Azure subscriptions by id.
func (tx *Tx) ListPartnerAzureSubscriptions(ctx context.Context, partnerID uuid.UUID) ([]*azure.Subscription, error) {
	return queryAll(ctx, tx, "list partner azure subscriptions", func(r *sql.Rows) (*azure.Subscription, error) { return scanAzureSubscription(r) },
		`SELECT `+azureSubscriptionColumns+` FROM azure_subscriptions WHERE partner_id = $1 ORDER BY `+tx.d.idText("id"), partnerID)
}

// UpdateAzureSubscription writes name, status and disabled reason and
// bumps the version.
func (tx *Tx) UpdateAzureSubscription(ctx context.Context, s *azure.Subscription) error {
	s.Version++
	res, err := tx.tx.ExecContext(ctx, `UPDATE azure_subscriptions SET friendly_name = $2, status = $3, status_since = $4, disabled_reason = $5, version = $6 WHERE id = $1`,
		s.ID, s.FriendlyName, string(s.Status), ts(s.StatusSince), string(s.DisabledReason), s.Version)
	return wrap("update azure subscription", mustAffect(res, err, csp.Errorf(csp.EAzureSubscriptionNotFound, "The subscription '%s' could not be found.", s.ID)))
}

func tagsJSON(tags map[string]string) string {
	if len(tags) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(tags)
	return string(b)
}

func parseTags(s string) (map[string]string, error) {
	if s == "" || s == "{}" {
		return nil, nil
	}
	var m map[string]string
	return m, json.Unmarshal([]byte(s), &m)
}

// PutResourceGroup inserts or replaces a group.
func (tx *Tx) PutResourceGroup(ctx context.Context, g azure.ResourceGroup) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO azure_resource_groups (subscription_id, name_key, name, location, tags, created_at) VALUES ($1,$2,$3,$4,$5,$6)
		ON CONFLICT (subscription_id, name_key) DO UPDATE SET location = excluded.location, tags = excluded.tags`,
		g.ID.Subscription, strings.ToLower(g.ID.Group), g.ID.Group, g.Location, tagsJSON(g.Tags), ts(g.Created))
	return wrap("put resource group", err)
}

func scanResourceGroup(r interface{ Scan(...any) error }) (azure.ResourceGroup, error) {
	var (
		g          azure.ResourceGroup
		sub        uuid.UUID
		name, tags string
		created    scanTime
	)
	if err := r.Scan(&sub, &name, &g.Location, &tags, &created); err != nil {
		return g, err
	}
	g.ID, g.Created = azure.GroupScope(sub, name), created.T
	var err error
	g.Tags, err = parseTags(tags)
	return g, err
}

const resourceGroupColumns = `subscription_id, name, location, tags, created_at`

// GetResourceGroup reads a group.
func (tx *Tx) GetResourceGroup(ctx context.Context, id azure.ResourceID) (*azure.ResourceGroup, error) {
	g, err := scanResourceGroup(tx.tx.QueryRowContext(ctx, `SELECT `+resourceGroupColumns+` FROM azure_resource_groups WHERE subscription_id = $1 AND name_key = $2`,
		id.Subscription, strings.ToLower(id.Group)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EAzureResourceGroupNotFound, "Resource group '%s' could not be found.", id.Group)
	}
	if err != nil {
		return nil, wrap("get resource group", err)
	}
	return &g, nil
}

// ListResourceGroups lists a subscription's groups by name.
func (tx *Tx) ListResourceGroups(ctx context.Context, sub uuid.UUID) ([]azure.ResourceGroup, error) {
	return queryAll(ctx, tx, "list resource groups", func(r *sql.Rows) (azure.ResourceGroup, error) { return scanResourceGroup(r) },
		`SELECT `+resourceGroupColumns+` FROM azure_resource_groups WHERE subscription_id = $1 ORDER BY name_key`, sub)
}

// under answers the SQL condition "column is key or lies under it" and
// its arguments from $n on: keys are compared as text, a prefix ending at
// a '/' (never LIKE, whose wildcards names may hold).
func under(column string, n int, key string) (string, []any) {
	p := key + "/"
	return "(" + column + " = " + param(n) + " OR substr(" + column + ", 1, " + param(n+1) + ") = " + param(n+2) + ")",
		[]any{key, utf8.RuneCountInString(p), p}
}

func param(n int) string { return "$" + strconv.Itoa(n) }

// deleteUnder deletes the resources and role assignments at or under scope.
func (tx *Tx) deleteUnder(ctx context.Context, scope azure.ResourceID) error {
	cond, args := under("id_key", 2, scope.Key())
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM azure_resources WHERE subscription_id = $1 AND `+cond, append([]any{scope.Subscription}, args...)...); err != nil {
		return wrap("delete resources", err)
	}
	cond, args = under("scope_key", 2, scope.Key())
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM azure_role_assignments WHERE subscription_id = $1 AND `+cond, append([]any{scope.Subscription}, args...)...)
	return wrap("delete role assignments", err)
}

// DeleteResourceGroup deletes a group, its resources and the assignments under it.
func (tx *Tx) DeleteResourceGroup(ctx context.Context, id azure.ResourceID) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM azure_resource_groups WHERE subscription_id = $1 AND name_key = $2`, id.Subscription, strings.ToLower(id.Group))
	if err := mustAffect(res, err, csp.Errorf(csp.EAzureResourceGroupNotFound, "Resource group '%s' could not be found.", id.Group)); err != nil {
		return wrap("delete resource group", err)
	}
	return tx.deleteUnder(ctx, id)
}

// resourceProperties are the type-specific properties kept as JSON.
type resourceProperties struct {
	AddressPrefixes []string `json:"addressPrefixes,omitempty"`
	ServerFarmID    string   `json:"serverFarmId,omitempty"`
}

const resourceColumns = `id, location, tags, sku, kind, properties, power_state, created_at`

func globalKey(id azure.ResourceID) any {
	if !id.Type.GlobalName() {
		return nil
	}
	return strings.ToLower(string(id.Type) + "|" + id.Name())
}

// PutResource inserts or replaces a resource.
func (tx *Tx) PutResource(ctx context.Context, r azure.Resource) error {
	props, _ := json.Marshal(resourceProperties{AddressPrefixes: r.AddressPrefixes, ServerFarmID: r.ServerFarmID})
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO azure_resources (id_key, subscription_id, group_key, type, global_key, `+resourceColumns+`)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
		ON CONFLICT (id_key) DO UPDATE SET location = excluded.location, tags = excluded.tags, sku = excluded.sku, kind = excluded.kind,
			properties = excluded.properties, power_state = excluded.power_state`,
		r.ID.Key(), r.ID.Subscription, strings.ToLower(r.ID.Group), string(r.ID.Type), globalKey(r.ID), r.ID.String(), r.Location, tagsJSON(r.Tags),
		r.Sku, r.Kind, string(props), string(r.PowerState), ts(r.Created))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EAzureNameTaken, "the name %s is already taken: %s names are unique across Azure", r.ID.Name(), r.ID.Type)
	}
	return wrap("put resource", err)
}

func scanResource(r interface{ Scan(...any) error }) (azure.Resource, error) {
	var (
		res                    azure.Resource
		id, tags, props, power string
		created                scanTime
	)
	if err := r.Scan(&id, &res.Location, &tags, &res.Sku, &res.Kind, &props, &power, &created); err != nil {
		return res, err
	}
	var err error
	if res.ID, err = azure.ParseResourceID(id); err != nil {
		return res, err
	}
	if res.Tags, err = parseTags(tags); err != nil {
		return res, err
	}
	var p resourceProperties
	if err := json.Unmarshal([]byte(props), &p); err != nil {
		return res, err
	}
	res.AddressPrefixes, res.ServerFarmID = p.AddressPrefixes, p.ServerFarmID
	res.PowerState, res.Created = azure.PowerState(power), created.T
	return res, nil
}

// GetResource reads a resource.
func (tx *Tx) GetResource(ctx context.Context, id azure.ResourceID) (*azure.Resource, error) {
	r, err := scanResource(tx.tx.QueryRowContext(ctx, `SELECT `+resourceColumns+` FROM azure_resources WHERE id_key = $1`, id.Key()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, csp.Errorf(csp.EAzureResourceNotFound, "The Resource '%s/%s' under resource group '%s' was not found.", id.Type, strings.Join(id.Names, "/"), id.Group)
	}
	if err != nil {
		return nil, wrap("get resource", err)
	}
	return &r, nil
}

// ResourceByGlobalName finds a resource by a globally unique name.
func (tx *Tx) ResourceByGlobalName(ctx context.Context, t azure.Type, name string) (*azure.Resource, bool, error) {
	r, err := scanResource(tx.tx.QueryRowContext(ctx, `SELECT `+resourceColumns+` FROM azure_resources WHERE global_key = $1`, strings.ToLower(string(t)+"|"+name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, wrap("find resource by name", err)
	}
	return &r, true, nil
}

// ListResources lists a subscription's (or one group's) resources.
func (tx *Tx) ListResources(ctx context.Context, sub uuid.UUID, group string) ([]azure.Resource, error) {
	q, args := `SELECT `+resourceColumns+` FROM azure_resources WHERE subscription_id = $1`, []any{sub}
	if group != "" {
		q, args = q+` AND group_key = $2`, append(args, strings.ToLower(group))
	}
	return queryAll(ctx, tx, "list resources", func(r *sql.Rows) (azure.Resource, error) { return scanResource(r) }, q+` ORDER BY group_key, id_key`, args...)
}

// DeleteResource deletes a resource, its children and the assignments under it.
func (tx *Tx) DeleteResource(ctx context.Context, id azure.ResourceID) error {
	if _, err := tx.GetResource(ctx, id); err != nil {
		return err
	}
	return tx.deleteUnder(ctx, id)
}

const roleAssignmentColumns = `id, scope, role_definition_id, principal_id, principal_type, created_at`

// CreateRoleAssignment inserts a role assignment.
func (tx *Tx) CreateRoleAssignment(ctx context.Context, a azure.RoleAssignment) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO azure_role_assignments (subscription_id, scope_key, `+roleAssignmentColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
		a.Scope.Subscription, a.Scope.Key(), a.ID, a.Scope.String(), a.RoleDefinitionID, a.PrincipalID, string(a.PrincipalType), ts(a.CreatedOn))
	if ok, _ := tx.d.IsUniqueViolation(err); ok {
		return csp.Errorf(csp.EAzureRoleAssignmentExists, "role assignment %s already exists: role assignments cannot be updated; use a new GUID", a.ID)
	}
	if err != nil || !a.Scope.Equal(azure.SubscriptionScope(a.Scope.Subscription)) {
		return wrap("insert role assignment", err)
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO azure_role_history (assignment_id, subscription_id, scope_key, role_definition_id, principal_id, principal_type,
		created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`, a.ID, a.Scope.Subscription, a.Scope.Key(), a.RoleDefinitionID, a.PrincipalID, string(a.PrincipalType), ts(a.CreatedOn))
	return wrap("insert role history", err)
}

// RoleHistory answers the subscription-scope role assignments that existed
// at some time in [from, to).
func (tx *Tx) RoleHistory(ctx context.Context, sub uuid.UUID, from, to time.Time) ([]azure.RoleSpan, error) {
	return queryAll(ctx, tx, "role history", func(r *sql.Rows) (azure.RoleSpan, error) {
		var (
			s                azure.RoleSpan
			ptype            string
			created, removed scanTime
		)
		if err := r.Scan(&s.ID, &s.RoleDefinitionID, &s.PrincipalID, &ptype, &created, &removed); err != nil {
			return s, err
		}
		s.Scope, s.PrincipalType, s.CreatedOn, s.RemovedOn = azure.SubscriptionScope(sub), azure.PrincipalType(ptype), created.T, removed.T
		return s, nil
	}, `SELECT assignment_id, role_definition_id, principal_id, principal_type, created_at, removed_at FROM azure_role_history
		WHERE subscription_id = $1 AND scope_key = $2 AND created_at < $3 AND (removed_at IS NULL OR removed_at > $4) ORDER BY created_at, assignment_id`,
		sub, azure.SubscriptionScope(sub).Key(), ts(to), ts(from))
}

// RoleAssignments lists a subscription's role assignments, oldest first.
func (tx *Tx) RoleAssignments(ctx context.Context, sub uuid.UUID) ([]azure.RoleAssignment, error) {
	return queryAll(ctx, tx, "list role assignments", func(r *sql.Rows) (azure.RoleAssignment, error) {
		var (
			a            azure.RoleAssignment
			scope, ptype string
			created      scanTime
		)
		if err := r.Scan(&a.ID, &scope, &a.RoleDefinitionID, &a.PrincipalID, &ptype, &created); err != nil {
			return a, err
		}
		var err error
		a.Scope, err = azure.ParseResourceID(scope)
		a.PrincipalType, a.CreatedOn = azure.PrincipalType(ptype), created.T
		return a, err
	}, `SELECT `+roleAssignmentColumns+` FROM azure_role_assignments WHERE subscription_id = $1 ORDER BY created_at, id`, sub)
}

// DeleteRoleAssignment deletes one role assignment.
func (tx *Tx) DeleteRoleAssignment(ctx context.Context, sub, id uuid.UUID, at time.Time) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM azure_role_assignments WHERE subscription_id = $1 AND id = $2`, sub, id)
	if err := mustAffect(res, err, csp.Errorf(csp.EAzureRoleAssignmentNotFound, "The role assignment '%s' is not found.", id)); err != nil {
		return wrap("delete role assignment", err)
	}
	_, err = tx.tx.ExecContext(ctx, `UPDATE azure_role_history SET removed_at = $1 WHERE assignment_id = $2`, ts(at), id)
	return wrap("end role history", err)
}

// MoveAzureSubscription writes s's partner, Azure plan and holding start,
// bumps its version, and records the holding that ended.
func (tx *Tx) MoveAzureSubscription(ctx context.Context, s *azure.Subscription, ended azure.Holding) error {
	s.Version++
	res, err := tx.tx.ExecContext(ctx, `UPDATE azure_subscriptions SET partner_id = $2, plan_subscription_id = $3, held_since = $4, version = $5 WHERE id = $1`,
		s.ID, s.PartnerID, s.PlanSubscriptionID, tsPtr(s.HeldSince), s.Version)
	if err := mustAffect(res, err, csp.Errorf(csp.EAzureSubscriptionNotFound, "The subscription '%s' could not be found.", s.ID)); err != nil {
		return wrap("move azure subscription", err)
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO azure_holdings (subscription_id, tenant_id, partner_id, plan_subscription_id, transfer_id, start_at, end_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7)`, ended.Subscription, ended.TenantID, ended.PartnerID, ended.PlanSubscriptionID, ended.TransferID, ts(ended.From), ts(ended.To))
	return wrap("insert azure holding", err)
}

const azureHoldingColumns = `subscription_id, tenant_id, partner_id, plan_subscription_id, transfer_id, start_at, end_at`

func scanHolding(r *sql.Rows) (azure.Holding, error) {
	var (
		h        azure.Holding
		from, to scanTime
	)
	err := r.Scan(&h.Subscription, &h.TenantID, &h.PartnerID, &h.PlanSubscriptionID, &h.TransferID, &from, &to)
	h.From, h.To = from.T, to.T
	return h, err
}

// AzureHoldings lists an Azure subscription's past holdings, oldest first.
func (tx *Tx) AzureHoldings(ctx context.Context, sub uuid.UUID) ([]azure.Holding, error) {
	return queryAll(ctx, tx, "list azure holdings", scanHolding,
		`SELECT `+azureHoldingColumns+` FROM azure_holdings WHERE subscription_id = $1 ORDER BY end_at`, sub)
}

// PartnerAzureHoldings lists a partner's past holdings of Azure
// subscriptions, by subscription id and then end.
func (tx *Tx) PartnerAzureHoldings(ctx context.Context, partnerID uuid.UUID) ([]azure.Holding, error) {
	return queryAll(ctx, tx, "list partner azure holdings", scanHolding,
		`SELECT `+azureHoldingColumns+` FROM azure_holdings WHERE partner_id = $1 ORDER BY `+tx.d.idText("subscription_id")+`, end_at`, partnerID)
}
