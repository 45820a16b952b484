// Package store declares what the use cases need from storage. The sqlite
// and postgres packages implement it over one portable SQL body
// (internal/store/sqlstore); storetest is the conformance suite both pass.
package store

import (
	"context"
	"errors"
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
// the rule-level failures, and wrapped driver errors for anything else. It
// is made of one slice per context, so that a context adds its own methods.
//
// Concurrency: SQLite runs one write transaction at a time; on PostgreSQL
// (READ COMMITTED) a use case takes the row locks of what it changes with
// the Lock methods before it reads the rest, so that concurrent changes of
// the same rows run one after the other, each on the state the previous one
// left. Locks are taken in one order: clock, relationship (or tenant), cart,
// subscriptions.
type Tx interface {
	PartnerTx
	TenantTx
	CommerceTx
	JobTx
	MiscTx
}

// PartnerTx is the partners' slice: partners, their users and keys.
type PartnerTx interface {
	// CreatePartner inserts p. EMpnIDTaken if its mpnId is used.
	CreatePartner(ctx context.Context, p *csp.Partner) error
	// GetPartner reads a partner. EPartnerNotFound if absent.
	GetPartner(ctx context.Context, id uuid.UUID) (*csp.Partner, error)
	// LockPartner reads a partner and locks its row until the transaction ends.
	LockPartner(ctx context.Context, id uuid.UUID) (*csp.Partner, error)
	// GetPartnerByMpnID reads a partner by its partner id. EPartnerNotFound if absent.
	GetPartnerByMpnID(ctx context.Context, mpnID string) (*csp.Partner, error)
	// ListPartners lists partners by id after f.After.
	ListPartners(ctx context.Context, f PartnerFilter) ([]*csp.Partner, error)
	// SetSalePolicy replaces a partner's sale policy (nil removes it).
	SetSalePolicy(ctx context.Context, partnerID uuid.UUID, sp *csp.SalePolicy) error
	// NextMpnID answers the first unused 7-digit partner id among the
	// numbers candidate proposes.
	NextMpnID(ctx context.Context, candidate func() uint64) (string, error)

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
}

// TenantTx is the tenants' slice: tenants, their users, their partners,
// multitenant organizations and segment qualifications.
type TenantTx interface {
	// CreateTenant inserts t. EDomainTaken if its domain prefix is used.
	CreateTenant(ctx context.Context, t *csp.Tenant) error
	// GetTenant reads a tenant. ETenantNotFound if absent.
	GetTenant(ctx context.Context, id uuid.UUID) (*csp.Tenant, error)
	// LockTenant reads a tenant and locks its row. ETenantNotFound if absent.
	LockTenant(ctx context.Context, id uuid.UUID) (*csp.Tenant, error)
	// GetTenantByDomain reads a tenant by domain prefix. ETenantNotFound if absent.
	GetTenantByDomain(ctx context.Context, prefix string) (*csp.Tenant, error)
	// SetTenantSegment changes a tenant's segment and bumps its version.
	SetTenantSegment(ctx context.Context, id uuid.UUID, seg csp.Segment) error

	// CreateTenantUser inserts u. EConflict-style EEmailTaken if the UPN is used.
	CreateTenantUser(ctx context.Context, u *csp.TenantUser) error
	// GetTenantUser reads a tenant user. EUserNotFound if absent.
	GetTenantUser(ctx context.Context, id uuid.UUID) (*csp.TenantUser, error)
	// GetTenantUserByUPN reads a tenant user by user principal name. EUserNotFound if absent.
	GetTenantUserByUPN(ctx context.Context, tenantID uuid.UUID, upn string) (*csp.TenantUser, error)

	// CreateRelationship links a partner and a tenant; the partner's profile
	// of the customer starts as the tenant's own. ERelationshipExists if
	// linked, ETenantNotFound if the tenant is absent.
	CreateRelationship(ctx context.Context, r csp.Relationship) error
	// GetRelationship reads a link. ERelationshipNotFound if absent.
	GetRelationship(ctx context.Context, partnerID, tenantID uuid.UUID) (*csp.Relationship, error)
	// GetCustomer reads a tenant as the partner sees it, locking the
	// relationship row when lock is set (every write about a partner's
	// customer takes it first). ERelationshipNotFound if not linked.
	GetCustomer(ctx context.Context, partnerID, tenantID uuid.UUID, lock bool) (*csp.Customer, error)
	// UpdateCustomerProfile replaces the partner's profile of its customer
	// and bumps the relationship's version.
	UpdateCustomerProfile(ctx context.Context, partnerID, tenantID uuid.UUID, p csp.CustomerProfile) error
	// DeleteRelationship removes a link. ERelationshipNotFound if absent.
	DeleteRelationship(ctx context.Context, partnerID, tenantID uuid.UUID) error
	// TenantRelationships lists a tenant's partners, oldest first.
	TenantRelationships(ctx context.Context, tenantID uuid.UUID) ([]csp.Relationship, error)
	// ListCustomers lists the tenants a partner has a relationship with, by
	// the partner's company name then id, keyset-paged.
	ListCustomers(ctx context.Context, f CustomerFilter) ([]*csp.Customer, error)

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

	// CreateQualificationRequest stores a request in review.
	CreateQualificationRequest(ctx context.Context, q *csp.QualificationRequest) error
	// LockQualificationRequest reads a request and locks it. EQualificationNotFound if absent.
	LockQualificationRequest(ctx context.Context, id uuid.UUID) (*csp.QualificationRequest, error)
	// UpdateQualificationRequest writes a request's status.
	UpdateQualificationRequest(ctx context.Context, q *csp.QualificationRequest) error
	// ListQualificationRequests lists requests by creation time then id, keyset-paged.
	ListQualificationRequests(ctx context.Context, f QualificationFilter) ([]*csp.QualificationRequest, error)
}

// CommerceTx is the commerce slice: subscriptions and their ledger, orders,
// carts, agreements and partners' own catalog products.
type CommerceTx interface {
	// CreateSubscription inserts a subscription (version 1) and schedules
	// its next event.
	CreateSubscription(ctx context.Context, s *csp.Subscription) error
	// UpdateSubscription writes a subscription's changeable state, bumps
	// its version and reschedules its next event.
	UpdateSubscription(ctx context.Context, s *csp.Subscription) error
	// GetSubscription reads a subscription. ESubscriptionNotFound if absent.
	GetSubscription(ctx context.Context, id uuid.UUID) (*csp.Subscription, error)
	// LockSubscriptions reads subscriptions by id and locks their rows, in
	// id order; absent ids are left out.
	LockSubscriptions(ctx context.Context, ids []uuid.UUID) ([]*csp.Subscription, error)
	// SubscriptionsByID reads subscriptions by id, in id order, without
	// locking them; absent ids are left out.
	SubscriptionsByID(ctx context.Context, ids []uuid.UUID) ([]*csp.Subscription, error)
	// ListSubscriptions lists subscriptions by creation time then id, keyset-paged.
	ListSubscriptions(ctx context.Context, f SubscriptionFilter) ([]*csp.Subscription, error)
	// LiveSubscriptionCount counts a partner's live subscriptions on a tenant.
	LiveSubscriptionCount(ctx context.Context, partnerID, tenantID uuid.UUID) (int, error)
	// UpdateSubscriptions writes many subscriptions at once (the
	// scheduler's batches), as UpdateSubscription does.
	UpdateSubscriptions(ctx context.Context, subs []*csp.Subscription) error
	// AddEvent records a subscription's history event and its charges.
	AddEvent(ctx context.Context, subscriptionID uuid.UUID, ev *csp.Event) error
	// AddEvents records many events and their charges at once.
	AddEvents(ctx context.Context, evs []SubscriptionEvent) error
	// SubscriptionEvents lists a subscription's history in time order,
	// keyset-paged, each event with its charges.
	SubscriptionEvents(ctx context.Context, f EventFilter) ([]*csp.Event, error)
	// ListCharges lists charges, keyset-paged by (posted time, id).
	ListCharges(ctx context.Context, f ChargeFilter) ([]csp.Charge, error)

	// CreatePartnerProduct stores a partner's own service. EProductExists
	// if the partner already has a product with that id.
	CreatePartnerProduct(ctx context.Context, partnerID uuid.UUID, p *csp.Product, at time.Time) error
	// PartnerProducts lists every partner's own services.
	PartnerProducts(ctx context.Context) ([]csp.Product, error)

	// CreateOrder inserts an order.
	CreateOrder(ctx context.Context, o *csp.Order) error
	// GetOrder reads an order. EOrderNotFound if absent.
	GetOrder(ctx context.Context, id uuid.UUID) (*csp.Order, error)
	// ListOrders lists a partner's orders for a customer, oldest first, keyset-paged.
	ListOrders(ctx context.Context, f OrderFilter) ([]*csp.Order, error)

	// CreateCart inserts a cart (version 1).
	CreateCart(ctx context.Context, c *csp.Cart) error
	// UpdateCart writes a cart's lines and status and bumps its version.
	UpdateCart(ctx context.Context, c *csp.Cart) error
	// GetCart reads a cart. ECartNotFound if absent.
	GetCart(ctx context.Context, id uuid.UUID) (*csp.Cart, error)
	// LockCart reads a cart and locks its row. ECartNotFound if absent.
	LockCart(ctx context.Context, id uuid.UUID) (*csp.Cart, error)

	// CreateAgreement records an attested agreement.
	CreateAgreement(ctx context.Context, a *csp.Agreement) error
	// ListAgreements lists a customer's agreements attested by a partner, keyset-paged.
	ListAgreements(ctx context.Context, f AgreementFilter) ([]*csp.Agreement, error)
}

// JobTx is the scheduler's slice: due jobs, leases and the sandbox clock.
type JobTx interface {
	// DueJobs answers up to limit jobs due in [from, until], in the order
	// the scheduler runs them (due time, kind order, kind, ref).
	DueJobs(ctx context.Context, from, until time.Time, limit int) ([]csp.Job, error)
	// SetJob schedules (or reschedules) the job of its kind and ref.
	SetJob(ctx context.Context, j csp.Job) error
	// DeleteJob drops the job of a kind and ref, if any.
	DeleteJob(ctx context.Context, kind csp.JobKind, ref string) error

	// AcquireLease makes holder the lease's holder until until, when it is
	// free, lapsed (expired before now) or already holder's. It answers
	// whether holder holds it.
	AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error)
	// HoldLease extends the lease to until (locking it) when holder holds it
	// unlapsed at now; ErrLeaseLost otherwise. Every batch of the scheduler
	// calls it first, so that a holder that lost its lease cannot commit
	// work.
	HoldLease(ctx context.Context, name, holder string, now, until time.Time) error
	// ReleaseLease frees the lease if holder holds it.
	ReleaseLease(ctx context.Context, name, holder string) error

	// SandboxClock reads the sandbox clock, share-locking it (lock =
	// LockShare: every write) or locking it (LockUpdate: advances). ok is
	// false when the database has no sandbox clock.
	SandboxClock(ctx context.Context, lock Lock) (c SandboxClock, ok bool, err error)
	// SetSandboxClock writes the sandbox clock.
	SetSandboxClock(ctx context.Context, c SandboxClock) error
	// MoveSandboxClock moves the stored clock forward to at (never back)
	// and adds processed to the advance's count of events.
	MoveSandboxClock(ctx context.Context, at time.Time, processed int64) error
}

// MiscTx holds audit records, idempotency records, console sessions and
// settings.
type MiscTx interface {
	// AddAudit appends an audit record.
	AddAudit(ctx context.Context, r *csp.AuditRecord) error
	// ListAudit lists a partner's audit records in time order, keyset-paged.
	ListAudit(ctx context.Context, f AuditFilter) ([]*csp.AuditRecord, error)

	// ClaimRequest records that an idempotent request is being processed
	// (r.LeaseUntil says until when its holder answers for it). It answers
	// the earlier record when the key was already claimed and that claim is
	// younger than notBefore; an older one is replaced.
	ClaimRequest(ctx context.Context, r IdempotentRequest, notBefore time.Time) (*IdempotentRequest, error)
	// GetRequest reads a claim. ok is false when there is none.
	GetRequest(ctx context.Context, scope, requestID string) (r *IdempotentRequest, ok bool, err error)
	// RenewRequest extends the lease of a claim still in progress.
	RenewRequest(ctx context.Context, scope, requestID string, leaseUntil time.Time) error
	// TakeOverRequest gives a lapsed claim whose work was never committed to
	// a new holder (its lease moves to leaseUntil); it answers false when
	// the claim is not lapsed at now, was committed or has an answer.
	TakeOverRequest(ctx context.Context, scope, requestID string, now, leaseUntil time.Time) (bool, error)
	// MarkRequestCommitted records, in the transaction of the request's
	// work, that the work is committed.
	MarkRequestCommitted(ctx context.Context, scope, requestID string) error
	// CompleteRequest stores the answer of a claimed request.
	CompleteRequest(ctx context.Context, scope, requestID string, status int, body []byte) error
	// ReleaseRequest forgets a claim (the request failed without effect).
	ReleaseRequest(ctx context.Context, scope, requestID string) error
	// PurgeRequests forgets requests claimed before t.
	PurgeRequests(ctx context.Context, before time.Time) error

	// CreateSession stores a console session.
	CreateSession(ctx context.Context, s Session) error
	// GetSession reads a console session by the hash of its id. ok is
	// false when absent.
	GetSession(ctx context.Context, idHash string) (s Session, ok bool, err error)
	// DeleteSession forgets a console session.
	DeleteSession(ctx context.Context, idHash string) error
	// PurgeSessions forgets sessions that expired before t.
	PurgeSessions(ctx context.Context, before time.Time) error

	// Setting reads a named setting; ok is false when unset.
	Setting(ctx context.Context, name string) (value string, ok bool, err error)
	// SetSetting writes a named setting.
	SetSetting(ctx context.Context, name, value string) error
}

// ErrLeaseLost is HoldLease's answer to a holder whose lease lapsed or
// passed to another holder.
var ErrLeaseLost = errors.New("lease lost to another holder")

// Lock says how a read in a write transaction locks what it reads.
type Lock int

// Lock modes.
const (
	LockNone   Lock = iota
	LockShare       // others may read and share-lock; no one may change it until the transaction ends
	LockUpdate      // no one else may lock or change it until the transaction ends
)

// SandboxClock is the stored sandbox clock: the program's time, and the
// advance in progress, if any.
type SandboxClock struct {
	Now time.Time
	// AdvancingTo is the target of the advance in progress (nil: none).
	// Writes are refused while it is set; a restart resumes the advance.
	AdvancingTo *time.Time
	// AdvanceFrom is where the advance in progress started.
	AdvanceFrom *time.Time
	// Processed counts the jobs the advance in progress has done.
	Processed int64
}

// Session is a console sign-in. The cookie holds a random id; only its
// SHA-256 is stored. KeyID names the key signed in with, or is nil for the
// operator token, whose SHA-256 is TokenHash.
type Session struct {
	IDHash    string
	KeyID     *uuid.UUID
	TokenHash string
	CreatedAt time.Time // wall time
	ExpiresAt time.Time // wall time
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

// Cursor is the keyset position in a listing ordered by a time, then id:
// subscriptions and orders by creation, history events and audit records by
// date, charges by posting.
type Cursor struct {
	At time.Time
	ID uuid.UUID
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

// AuditFilter selects a partner's audit records in [From, To).
type AuditFilter struct {
	PartnerID uuid.UUID
	From, To  time.Time
	After     *Cursor
	Limit     int
}

// SubscriptionFilter selects subscriptions. Zero fields do not filter.
type SubscriptionFilter struct {
	TenantID      *uuid.UUID
	PartnerID     *uuid.UUID
	ResellerMpnID string
	OrderID       *uuid.UUID
	After         *Cursor
	Limit         int
}

// EventFilter selects a page of one subscription's history.
type EventFilter struct {
	SubscriptionID uuid.UUID
	After          *Cursor
	Limit          int
}

// OrderFilter selects a partner's orders for a customer.
type OrderFilter struct {
	PartnerID, TenantID uuid.UUID
	After               *Cursor
	Limit               int
}

// AgreementFilter selects a customer's agreements attested by a partner.
type AgreementFilter struct {
	PartnerID, TenantID uuid.UUID
	After               *Cursor // agreements page by creation time then id too
	Limit               int
}

// QualificationFilter selects qualification requests: one tenant's, or
// every tenant's in a status.
type QualificationFilter struct {
	TenantID *uuid.UUID
	Status   string
	After    *Cursor
	Limit    int
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
	After          *Cursor
	Limit          int
}

// IdempotentRequest is the record of one MS-RequestId.
type IdempotentRequest struct {
	Scope       string // who sent it (the key's principal)
	RequestID   string
	RequestHash string    // method, path and body
	Status      int       // 0 while in progress
	Body        []byte    // the answer to replay, one-time secrets left out
	CreatedAt   time.Time // wall time
	// LeaseUntil is how long the claim's holder answers for it (wall time);
	// the holder renews it while the request runs.
	LeaseUntil time.Time
	// Committed is set in the transaction of the request's work.
	Committed bool
}

// MaxLimit bounds what one listing call answers: a page of 1,000 (the
// largest page the APIs serve) and one more row that tells whether another
// page follows.
const MaxLimit = 1001

// NameKey is the sort and search key of a company name.
func NameKey(name string) string { return lower(name) }
