package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/shopspring/decimal"
)

// AzureTx is the Azure slice: Azure subscriptions under Azure plans, their
// resource groups, resources and role assignments, the running intervals
// that meter, the hourly usage records, and usage budgets.
//
// Ids and names are compared case-insensitively (by ResourceID.Key); a
// resource keeps the spelling of the PUT that created it.
type AzureTx interface {
	// CreateAzureSubscription inserts s.
	CreateAzureSubscription(ctx context.Context, s *azure.Subscription) error
	// GetAzureSubscription reads an Azure subscription, locking its row with
	// lock (every ARM write share-locks it, a status change locks it).
	// EAzureSubscriptionNotFound if absent.
	GetAzureSubscription(ctx context.Context, id uuid.UUID, lock Lock) (*azure.Subscription, error)
	// ListAzureSubscriptions lists the Azure subscriptions under an Azure
	// plan subscription, oldest first.
	ListAzureSubscriptions(ctx context.Context, planSubscriptionID uuid.UUID) ([]*azure.Subscription, error)
	// TenantAzureSubscriptions lists a tenant's Azure subscriptions under
	// every partner's Azure plan, oldest first.
	TenantAzureSubscriptions(ctx context.Context, tenantID uuid.UUID) ([]*azure.Subscription, error)
	// ListPartnerAzureSubscriptions lists a partner's Azure subscriptions
	// under its customers' Azure plans, by id.
	ListPartnerAzureSubscriptions(ctx context.Context, partnerID uuid.UUID) ([]*azure.Subscription, error)
	// UpdateAzureSubscription writes s's name and status and bumps its version.
	UpdateAzureSubscription(ctx context.Context, s *azure.Subscription) error
	// MoveAzureSubscription writes s's partner, Azure plan and HeldSince
	// (a transfer), bumps its version and records the holding that ended.
	MoveAzureSubscription(ctx context.Context, s *azure.Subscription, ended azure.Holding) error
	// AzureHoldings lists an Azure subscription's past holdings, oldest first.
	AzureHoldings(ctx context.Context, sub uuid.UUID) ([]azure.Holding, error)
	// PartnerAzureHoldings lists a partner's past holdings of Azure
	// subscriptions, by subscription id (as text) and end.
	PartnerAzureHoldings(ctx context.Context, partnerID uuid.UUID) ([]azure.Holding, error)

	// PutResourceGroup inserts or replaces a resource group (location and tags).
	PutResourceGroup(ctx context.Context, g azure.ResourceGroup) error
	// GetResourceGroup reads a group. EAzureResourceGroupNotFound if absent.
	GetResourceGroup(ctx context.Context, id azure.ResourceID) (*azure.ResourceGroup, error)
	// ListResourceGroups lists a subscription's groups by name (lower case).
	ListResourceGroups(ctx context.Context, sub uuid.UUID) ([]azure.ResourceGroup, error)
	// DeleteResourceGroup deletes a group with its resources and every role
	// assignment at or under its scope. EAzureResourceGroupNotFound if absent.
	DeleteResourceGroup(ctx context.Context, id azure.ResourceID) error

	// PutResource inserts or replaces a resource.
	PutResource(ctx context.Context, r azure.Resource) error
	// GetResource reads a resource. EAzureResourceNotFound if absent.
	GetResource(ctx context.Context, id azure.ResourceID) (*azure.Resource, error)
	// ResourceByGlobalName finds a resource of a type whose names are
	// unique across Azure (storage accounts, SQL servers, web apps), in any
	// subscription; ok is false when none has that name.
	ResourceByGlobalName(ctx context.Context, t azure.Type, name string) (r *azure.Resource, ok bool, err error)
	// ListResources lists a subscription's resources (group "" for all of
	// them, else one group's), by id (lower case).
	ListResources(ctx context.Context, sub uuid.UUID, group string) ([]azure.Resource, error)
	// DeleteResource deletes a resource, its child resources and every role
	// assignment at or under its scope. EAzureResourceNotFound if absent.
	DeleteResource(ctx context.Context, id azure.ResourceID) error

	// OpenRun starts a running interval of a resource at run.Start (a run
	// that started at that instant is replaced: a resource changed twice at
	// one program time).
	OpenRun(ctx context.Context, run AzureRun) error
	// CloseRuns ends, at at, the open runs of the resources whose ids are
	// at or under scope (a resource, a group or a whole subscription).
	CloseRuns(ctx context.Context, scope azure.ResourceID, at time.Time) error
	// RunsBetween lists the runs of a subscription's resources that
	// intersect [from, to), by resource (lower case) then start.
	RunsBetween(ctx context.Context, sub uuid.UUID, from, to time.Time) ([]AzureRun, error)

	// CreateRoleAssignment inserts a role assignment.
	CreateRoleAssignment(ctx context.Context, a azure.RoleAssignment) error
	// RoleAssignments lists every role assignment in a subscription (at its
	// scope and below), oldest first.
	RoleAssignments(ctx context.Context, sub uuid.UUID) ([]azure.RoleAssignment, error)
	// DeleteRoleAssignment deletes one at a time (its history ends then).
	// EAzureRoleAssignmentNotFound if absent.
	DeleteRoleAssignment(ctx context.Context, sub, id uuid.UUID, at time.Time) error
	// RoleHistory answers the role assignments made at the subscription's
	// own scope that existed at some time in [from, to), deleted or not,
	// oldest first, each with when it was deleted (zero while it exists).
	RoleHistory(ctx context.Context, sub uuid.UUID, from, to time.Time) ([]azure.RoleSpan, error)

	// AddUsage stores hourly usage records in multi-row statements; a
	// record already stored (same subscription, hour, resource and meter)
	// is kept as it was.
	AddUsage(ctx context.Context, recs []azure.UsageRecord) error
	// ListUsage lists a subscription's hourly records in [From, To), by
	// hour, resource and meter, keyset-paged. Records carry what is stored:
	// subscription, resource URI, location, meter id, hour, quantity, tags
	// (azure.PriceList.Describe completes them).
	ListUsage(ctx context.Context, f UsageFilter) ([]azure.UsageRecord, error)
	// DailyUsage sums a subscription's records in [from, to) by UTC day,
	// resource, meter, location and tags: Start is the day, End the next.
	DailyUsage(ctx context.Context, sub uuid.UUID, from, to time.Time) ([]azure.UsageRecord, error)

	// SetUsageBudget sets a partner's usage budget for a customer.
	SetUsageBudget(ctx context.Context, partnerID, tenantID uuid.UUID, budget csp.Money) error
	// UsageBudget reads it; ok is false when none was set.
	UsageBudget(ctx context.Context, partnerID, tenantID uuid.UUID) (budget csp.Money, ok bool, err error)
	// AddSpend adds to a customer's estimated spend of a month (its first
	// day) with a partner, and answers the total before and after.
	AddSpend(ctx context.Context, partnerID, tenantID uuid.UUID, month time.Time, amount csp.Money) (before, after csp.Money, err error)
	// Spend reads a customer's estimated spend of a month with a partner;
	// ok is false when no hour of that month was posted.
	Spend(ctx context.Context, partnerID, tenantID uuid.UUID, month time.Time) (spend csp.Money, ok bool, err error)
}

// AzureRun is a running interval of one resource, with what its records
// carry (the resource may be gone by the time the hour is metered).
type AzureRun struct {
	Subscription uuid.UUID
	Resource     azure.ResourceID
	Location     string
	Tags         map[string]string
	azure.Interval
}

// UsageCursor is the keyset position in a usage listing.
type UsageCursor struct {
	Start       time.Time `json:"t"`
	ResourceURI string    `json:"r"`
	MeterID     uuid.UUID `json:"m"`
}

// UsageFilter selects a subscription's hourly records.
type UsageFilter struct {
	Subscription uuid.UUID
	From, To     time.Time
	After        *UsageCursor
	Limit        int
}

// Micros converts a usage quantity (6 decimals) to the integer millionths
// the store keeps, so that both engines sum them exactly.
func Micros(q decimal.Decimal) int64 { return q.Shift(azure.QuantityPlaces).IntPart() }

// FromMicros converts stored millionths back to a quantity.
func FromMicros(n int64) decimal.Decimal { return decimal.New(n, -azure.QuantityPlaces) }
