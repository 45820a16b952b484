package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

// DirectoryTx is the directory's slice: Entra ID users beyond their
// creation (TenantTx creates and reads them), directory role members,
// security groups and their members, licence assignments, and the
// tenant-scoped access tokens.
type DirectoryTx interface {
	// ListTenantUsers lists a tenant's users by user principal name, keyset-paged.
	ListTenantUsers(ctx context.Context, tenantID uuid.UUID, afterUPN string, limit int) ([]*csp.TenantUser, error)
	// LockTenantUser reads a user of tenantID and locks its row. EUserNotFound if absent.
	LockTenantUser(ctx context.Context, tenantID, id uuid.UUID) (*csp.TenantUser, error)
	// UpdateTenantUser writes a user's names, usage location and blocked
	// flag and bumps its version.
	UpdateTenantUser(ctx context.Context, u *csp.TenantUser) error

	// AddRoleMember makes a user a member of a directory role. EMemberExists if it is.
	AddRoleMember(ctx context.Context, tenantID, roleID, userID uuid.UUID) error
	// RemoveRoleMember ends a membership. EMemberNotFound if absent.
	RemoveRoleMember(ctx context.Context, tenantID, roleID, userID uuid.UUID) error
	// RoleMembers lists a role's members in a tenant, by UPN.
	RoleMembers(ctx context.Context, tenantID, roleID uuid.UUID) ([]*csp.TenantUser, error)
	// UserRoles lists the role template ids a user holds.
	UserRoles(ctx context.Context, userID uuid.UUID) ([]uuid.UUID, error)
	// UsersRoles lists the role template ids of the given users of a
	// tenant, by user (users without a role are absent), in one query.
	UsersRoles(ctx context.Context, tenantID uuid.UUID, userIDs []uuid.UUID) (map[uuid.UUID][]uuid.UUID, error)

	// CreateGroup inserts g.
	CreateGroup(ctx context.Context, g *directory.Group) error
	// GetGroup reads a group of tenantID. EGroupNotFound if absent (or another tenant's).
	GetGroup(ctx context.Context, tenantID, id uuid.UUID) (*directory.Group, error)
	// ListGroups lists a tenant's groups by creation time then id, keyset-paged.
	ListGroups(ctx context.Context, tenantID uuid.UUID, after *Cursor, limit int) ([]*directory.Group, error)
	// AddGroupMember adds a member. EMemberExists if it is one.
	AddGroupMember(ctx context.Context, groupID, memberID uuid.UUID, at time.Time) error
	// RemoveGroupMember removes a member. EMemberNotFound if it is not one.
	RemoveGroupMember(ctx context.Context, groupID, memberID uuid.UUID) error
	// GroupMembers lists a group's member ids in the order they were added.
	GroupMembers(ctx context.Context, groupID uuid.UUID) ([]uuid.UUID, error)
	// GroupsOfMember lists the groups a user (or partner user) belongs to.
	GroupsOfMember(ctx context.Context, memberID uuid.UUID) ([]uuid.UUID, error)

	// LicenseAssignments lists a user's licences by SKU id.
	LicenseAssignments(ctx context.Context, userID uuid.UUID) ([]directory.Assignment, error)
	// ConsumedUnits counts a tenant's assigned licences per Graph SKU id.
	ConsumedUnits(ctx context.Context, tenantID uuid.UUID) (map[uuid.UUID]int, error)
	// TenantAssignments lists every licence of a tenant's users, by user.
	TenantAssignments(ctx context.Context, tenantID uuid.UUID) (map[uuid.UUID][]directory.Assignment, error)
	// UsersAssignments lists the licences of the given users of a tenant,
	// by user, in one query.
	UsersAssignments(ctx context.Context, tenantID uuid.UUID, userIDs []uuid.UUID) (map[uuid.UUID][]directory.Assignment, error)
	// PutLicenseAssignment adds a licence or replaces its disabled plans.
	PutLicenseAssignment(ctx context.Context, tenantID, userID uuid.UUID, a directory.Assignment, at time.Time) error
	// RemoveLicenseAssignment removes a licence. ELicenseNotAssigned if absent.
	RemoveLicenseAssignment(ctx context.Context, userID, skuID uuid.UUID) error

	// CreatePolicy inserts a conditional access policy.
	CreatePolicy(ctx context.Context, p *directory.Policy) error
	// GetPolicy reads a policy of a tenant. EPolicyNotFound if absent.
	GetPolicy(ctx context.Context, tenantID, id uuid.UUID) (*directory.Policy, error)
	// ListPolicies lists a tenant's policies by creation time then id.
	ListPolicies(ctx context.Context, tenantID uuid.UUID) ([]*directory.Policy, error)
	// UpdatePolicy writes a policy and bumps its version.
	UpdatePolicy(ctx context.Context, p *directory.Policy) error
	// DeletePolicy removes a policy. EPolicyNotFound if absent.
	DeletePolicy(ctx context.Context, tenantID, id uuid.UUID) error
	// CreateEligibility stores a PIM eligible role assignment.
	CreateEligibility(ctx context.Context, e *directory.Eligibility) error
	// ListEligibilities lists a tenant's eligible assignments by creation time then id.
	ListEligibilities(ctx context.Context, tenantID uuid.UUID) ([]directory.Eligibility, error)
	// DeleteEligibilities removes a user's eligible assignments of a role; it
	// answers how many there were.
	DeleteEligibilities(ctx context.Context, tenantID, principalID, roleID uuid.UUID) (int, error)

	// CreateAccessToken stores a token (by the SHA-256 of its secret).
	CreateAccessToken(ctx context.Context, t AccessToken) error
	// GetAccessToken reads a token by hash; ok is false when absent.
	GetAccessToken(ctx context.Context, hash string) (t AccessToken, ok bool, err error)
	// PurgeAccessTokens forgets tokens that expired before t.
	PurgeAccessTokens(ctx context.Context, before time.Time) error
}

// AccessToken is a tenant-scoped bearer token: the key it was exchanged
// for, the tenant it acts in and the API it is for ("graph" or "arm"),
// valid until a wall-clock instant.
type AccessToken struct {
	Hash      string
	KeyID     uuid.UUID
	TenantID  uuid.UUID
	Audience  string
	ExpiresAt time.Time
}
