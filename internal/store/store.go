// Package store declares what the use cases need from storage. The sqlite
// and postgres packages implement it over one portable SQL body
// (internal/store/sqlstore); storetest is the conformance suite both pass.
package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

// Store runs functions in transactions. Every write of the program happens
// inside one Write call, so a use case commits all of its changes or none.
type Store interface {
	// Read runs fn in a read-only transaction.
	Read(ctx context.Context, fn func(Tx) error) error
	// Write runs fn in a read-write transaction, committed when fn returns nil.
	Write(ctx context.Context, fn func(Tx) error) error
	// Engine names the engine: "sqlite" or "postgres".
	Engine() string
	Close() error
}

// Tx is one transaction. Methods return *csp.Error with the listed codes for
// the rule-level failures, and wrapped driver errors for anything else.
type Tx interface {
	// CreatePartner inserts p. EMpnIDTaken if its mpnId is used.
	CreatePartner(ctx context.Context, p *csp.Partner) error
	// GetPartner reads a partner. EPartnerNotFound if absent.
	GetPartner(ctx context.Context, id uuid.UUID) (*csp.Partner, error)
	// GetPartnerByMpnID reads a partner by its partner id. EPartnerNotFound if absent.
	GetPartnerByMpnID(ctx context.Context, mpnID string) (*csp.Partner, error)
	// ListPartners lists partners by id after f.After.
	ListPartners(ctx context.Context, f PartnerFilter) ([]*csp.Partner, error)
	// SetSalePolicy replaces a partner's sale policy (nil removes it).
	SetSalePolicy(ctx context.Context, partnerID uuid.UUID, sp *csp.SalePolicy) error
	// NextMpnID answers an unused 7-digit partner id.
	NextMpnID(ctx context.Context) (string, error)

	// CreatePartnerUser inserts u. EEmailTaken if the partner has a user with that email.
	CreatePartnerUser(ctx context.Context, u *csp.PartnerUser) error
	// GetPartnerUser reads a partner user. EUserNotFound if absent.
	GetPartnerUser(ctx context.Context, id uuid.UUID) (*csp.PartnerUser, error)

	// CreateKey inserts an API key (hashed secret).
	CreateKey(ctx context.Context, k *Key) error
	// GetKey reads a key. EKeyNotFound if absent.
	GetKey(ctx context.Context, id uuid.UUID) (*Key, error)
	// RevokeKey marks a key revoked at the given time. EKeyNotFound if absent.
	RevokeKey(ctx context.Context, id uuid.UUID, at time.Time) error

	// CreateTenant inserts t. EDomainTaken if its domain prefix is used.
	CreateTenant(ctx context.Context, t *csp.Tenant) error
	// GetTenant reads a tenant. ETenantNotFound if absent.
	GetTenant(ctx context.Context, id uuid.UUID) (*csp.Tenant, error)
	// GetTenantByDomain reads a tenant by domain prefix. ETenantNotFound if absent.
	GetTenantByDomain(ctx context.Context, prefix string) (*csp.Tenant, error)
	// UpdateTenantProfile replaces a tenant's company name, billing contact
	// and address (the country is the caller's to keep unchanged).
	UpdateTenantProfile(ctx context.Context, t *csp.Tenant) error
	// SetTenantSegment changes a tenant's segment.
	SetTenantSegment(ctx context.Context, id uuid.UUID, seg csp.Segment) error

	// CreateTenantUser inserts u. EConflict-style EEmailTaken if the UPN is used.
	CreateTenantUser(ctx context.Context, u *csp.TenantUser) error
	// GetTenantUser reads a tenant user. EUserNotFound if absent.
	GetTenantUser(ctx context.Context, id uuid.UUID) (*csp.TenantUser, error)
	// GetTenantUserByUPN reads a tenant user by user principal name. EUserNotFound if absent.
	GetTenantUserByUPN(ctx context.Context, tenantID uuid.UUID, upn string) (*csp.TenantUser, error)

	// CreateRelationship links a partner and a tenant. ERelationshipExists if linked.
	CreateRelationship(ctx context.Context, r csp.Relationship) error
	// GetRelationship reads a link. ERelationshipNotFound if absent.
	GetRelationship(ctx context.Context, partnerID, tenantID uuid.UUID) (*csp.Relationship, error)
	// DeleteRelationship removes a link. ERelationshipNotFound if absent.
	DeleteRelationship(ctx context.Context, partnerID, tenantID uuid.UUID) error
	// TenantRelationships lists a tenant's partners, oldest first.
	TenantRelationships(ctx context.Context, tenantID uuid.UUID) ([]csp.Relationship, error)
	// ListCustomers lists the tenants a partner has a relationship with, by
	// name then id, keyset-paged.
	ListCustomers(ctx context.Context, f CustomerFilter) ([]*csp.Tenant, error)

	// CreateSubscription inserts a subscription.
	CreateSubscription(ctx context.Context, s *csp.Subscription) error
	// UpdateSubscription writes a subscription's changeable state.
	UpdateSubscription(ctx context.Context, s *csp.Subscription) error
	// GetSubscription reads a subscription. ESubscriptionNotFound if absent.
	GetSubscription(ctx context.Context, id uuid.UUID) (*csp.Subscription, error)
	// ListSubscriptions lists subscriptions by creation time then id, keyset-paged.
	ListSubscriptions(ctx context.Context, f SubscriptionFilter) ([]*csp.Subscription, error)
	// LiveSubscriptionCount counts a partner's live subscriptions on a tenant.
	LiveSubscriptionCount(ctx context.Context, partnerID, tenantID uuid.UUID) (int, error)
	// TenantSubscriptions lists every subscription of a tenant, from every partner and channel.
	TenantSubscriptions(ctx context.Context, tenantID uuid.UUID) ([]*csp.Subscription, error)
	// DueSubscriptions answers up to limit subscriptions whose next event is
	// due in [from, until], in event time order (then id). The scheduler
	// passes the time of the last event it processed as from: nothing can be
	// due earlier, and the bound lets the index seek past rows already done.
	DueSubscriptions(ctx context.Context, from, until time.Time, limit int) ([]*csp.Subscription, error)
	// UpdateSubscriptions writes many subscriptions at once (the scheduler's batches).
	UpdateSubscriptions(ctx context.Context, subs []*csp.Subscription) error
	// AddEvent records a subscription's history event and its charges.
	AddEvent(ctx context.Context, subscriptionID uuid.UUID, ev *csp.Event) error
	// AddEvents records many events and their charges at once.
	AddEvents(ctx context.Context, evs []SubscriptionEvent) error
	// SubscriptionEvents lists a subscription's history, oldest first, with charges.
	SubscriptionEvents(ctx context.Context, subscriptionID uuid.UUID) ([]*csp.Event, error)
	// ListCharges lists charges, keyset-paged by (posted time, id).
	ListCharges(ctx context.Context, f ChargeFilter) ([]csp.Charge, error)

	// CreatePartnerProduct stores a partner's own service. EProductExists if the id is used.
	CreatePartnerProduct(ctx context.Context, partnerID uuid.UUID, p *csp.Product, at time.Time) error
	// PartnerProducts lists every partner's own services.
	PartnerProducts(ctx context.Context) ([]csp.Product, error)

	// CreateOrder inserts an order.
	CreateOrder(ctx context.Context, o *csp.Order) error
	// GetOrder reads an order. EOrderNotFound if absent.
	GetOrder(ctx context.Context, id uuid.UUID) (*csp.Order, error)
	// ListOrders lists a partner's orders for a customer, oldest first.
	ListOrders(ctx context.Context, partnerID, tenantID uuid.UUID) ([]*csp.Order, error)

	// CreateCart inserts a cart.
	CreateCart(ctx context.Context, c *csp.Cart) error
	// UpdateCart writes a cart's lines and status.
	UpdateCart(ctx context.Context, c *csp.Cart) error
	// GetCart reads a cart. ECartNotFound if absent.
	GetCart(ctx context.Context, id uuid.UUID) (*csp.Cart, error)

	// CreateAgreement records an attested agreement.
	CreateAgreement(ctx context.Context, a *csp.Agreement) error
	// ListAgreements lists a customer's agreements attested by a partner.
	ListAgreements(ctx context.Context, partnerID, tenantID uuid.UUID) ([]*csp.Agreement, error)

	// CreateMTO inserts an organization with its owner as an active member.
	// ETenantInOtherMTO if the owner already belongs to one.
	CreateMTO(ctx context.Context, o *csp.MultiTenantOrg) error
	// MTOOfTenant reads the organization the tenant belongs to (pending or
	// active). EMTONotFound if none.
	MTOOfTenant(ctx context.Context, tenantID uuid.UUID) (*csp.MultiTenantOrg, error)
	// AddMTOMember adds a pending member. ETenantInOtherMTO if it belongs to one.
	AddMTOMember(ctx context.Context, orgID uuid.UUID, m csp.MTOMember) error
	// ActivateMTOMember marks a pending member as joined.
	ActivateMTOMember(ctx context.Context, orgID, tenantID uuid.UUID, at time.Time) error

	// AddAudit appends an audit record.
	AddAudit(ctx context.Context, r *csp.AuditRecord) error
	// ListAudit lists a partner's audit records in time order, keyset-paged.
	ListAudit(ctx context.Context, f AuditFilter) ([]*csp.AuditRecord, error)

	// ClaimRequest records that an idempotent request is being processed. It
	// answers the earlier record when the key was already claimed.
	ClaimRequest(ctx context.Context, r IdempotentRequest) (*IdempotentRequest, error)
	// CompleteRequest stores the answer of a claimed request.
	CompleteRequest(ctx context.Context, scope, requestID string, status int, body []byte) error
	// ReleaseRequest forgets a claim (the request failed without effect).
	ReleaseRequest(ctx context.Context, scope, requestID string) error
	// PurgeRequests forgets requests claimed before t.
	PurgeRequests(ctx context.Context, before time.Time) error

	// Setting reads a named setting; ok is false when unset.
	Setting(ctx context.Context, name string) (value string, ok bool, err error)
	// SetSetting writes a named setting.
	SetSetting(ctx context.Context, name, value string) error
}

// Key is an API key: the secret is kept only as a SHA-256 hash.
type Key struct {
	ID          uuid.UUID
	SecretHash  string
	Kind        csp.PrincipalKind
	PartnerID   *uuid.UUID
	UserID      *uuid.UUID // partner user or tenant user
	TenantID    *uuid.UUID
	Description string
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	RevokedAt   *time.Time
}

// PartnerFilter pages through partners by id.
type PartnerFilter struct {
	After *uuid.UUID
	Limit int
}

// CustomerCursor is the keyset position in a customer listing.
type CustomerCursor struct {
	NameKey  string    `json:"n"`
	TenantID uuid.UUID `json:"i"`
}

// CustomerFilter selects a partner's customers.
type CustomerFilter struct {
	PartnerID    uuid.UUID
	NamePrefix   string // company name starts with (case-insensitive)
	DomainPrefix string // default domain starts with
	Search       string // name or domain contains, or tenant id equals
	After        *CustomerCursor
	Limit        int
}

// AuditCursor is the keyset position in an audit listing.
type AuditCursor struct {
	Date time.Time `json:"d"`
	ID   uuid.UUID `json:"i"`
}

// AuditFilter selects a partner's audit records in [From, To).
type AuditFilter struct {
	PartnerID uuid.UUID
	From, To  time.Time
	After     *AuditCursor
	Limit     int
}

// SubscriptionFilter selects subscriptions. Zero fields do not filter.
type SubscriptionFilter struct {
	TenantID      *uuid.UUID
	PartnerID     *uuid.UUID
	ResellerMpnID string
	OrderID       *uuid.UUID
	After         *SubscriptionCursor
	Limit         int
}

// SubscriptionCursor is the keyset position in a subscription listing.
type SubscriptionCursor struct {
	CreatedAt time.Time `json:"t"`
	ID        uuid.UUID `json:"i"`
}

// SubscriptionEvent is an event of one subscription.
type SubscriptionEvent struct {
	SubscriptionID uuid.UUID
	Event          *csp.Event
}

// ChargeFilter selects charges of one partner in one currency, posted in
// [From, To), or (SubscriptionID set, PartnerID and Currency then unused)
// the charges of one subscription. Unbilled keeps those on no invoice yet.
type ChargeFilter struct {
	PartnerID uuid.UUID
	Currency  string
	From, To  time.Time
	Unbilled  bool
	// MicrosoftOnly leaves out partners' own services.
	MicrosoftOnly  bool
	SubscriptionID *uuid.UUID
	After          *ChargeCursor
	Limit          int
}

// ChargeCursor is the keyset position in a charge listing.
type ChargeCursor struct {
	PostedAt time.Time `json:"t"`
	ID       uuid.UUID `json:"i"`
}

// IdempotentRequest is the record of one MS-RequestId.
type IdempotentRequest struct {
	Scope       string // who sent it (the key's principal)
	RequestID   string
	RequestHash string // method, path and body
	Status      int    // 0 while in progress
	Body        []byte
	CreatedAt   time.Time // wall time
}

// NameKey is the sort and search key of a company name.
func NameKey(name string) string { return lower(name) }
