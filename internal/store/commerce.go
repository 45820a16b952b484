package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

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
	// SubscriptionsDue reads, without locking them, the subscriptions whose
	// job (next_event_at, id) lies between first and last inclusive, in
	// that order: a scheduler batch's subscriptions, read straight from the
	// due index.
	SubscriptionsDue(ctx context.Context, first, last csp.Job) ([]*csp.Subscription, error)
	// ListSubscriptions lists subscriptions by creation time then id, keyset-paged.
	ListSubscriptions(ctx context.Context, f SubscriptionFilter) ([]*csp.Subscription, error)
	// LiveSubscriptionCount counts a partner's live subscriptions on a tenant.
	LiveSubscriptionCount(ctx context.Context, partnerID, tenantID uuid.UUID) (int, error)
	// UpdateSubscriptions writes many subscriptions at once (the
	// scheduler's batches), as UpdateSubscription does.
	UpdateSubscriptions(ctx context.Context, subs []*csp.Subscription) error
	// RescheduleSubscriptions writes only the next event of many
	// subscriptions and bumps their versions: for events that change
	// nothing else (csp.EventType.OnlyReschedules).
	RescheduleSubscriptions(ctx context.Context, subs []*csp.Subscription) error
	// AddEvent records a subscription's history event and its charges.
	AddEvent(ctx context.Context, subscriptionID uuid.UUID, ev *csp.Event) error
	// AddEvents records many events and their charges at once.
	AddEvents(ctx context.Context, evs []SubscriptionEvent) error
	// SubscriptionEvents lists a subscription's history in time order,
	// keyset-paged, each event with its charges.
	SubscriptionEvents(ctx context.Context, f EventFilter) ([]*csp.Event, error)
	// UnbilledCurrencies answers the pricing currencies of a partner's
	// unbilled charges posted before a time, in order.
	UnbilledCurrencies(ctx context.Context, partnerID uuid.UUID, before time.Time) ([]string, error)
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

// Cursor is the keyset position in a listing ordered by a time, then id:
// subscriptions and orders by creation, history events and audit records by
// date, charges by posting.
type Cursor struct {
	At time.Time
	ID uuid.UUID
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

// SubscriptionEvent is an event of one subscription.
type SubscriptionEvent struct {
	SubscriptionID uuid.UUID
	Event          *csp.Event
}

// ChargeFilter selects charges of one partner in one currency (every
// currency with PartnerServiceOnly and no Currency), posted in [From, To),
// or (SubscriptionID set, PartnerID and Currency then unused) the charges
// of one subscription. Unbilled keeps those on no invoice yet.
type ChargeFilter struct {
	PartnerID uuid.UUID
	Currency  string
	From, To  time.Time
	Unbilled  bool
	// MicrosoftOnly leaves out partners' own services; PartnerServiceOnly
	// keeps only them (what the partner bills its customers by itself).
	MicrosoftOnly      bool
	PartnerServiceOnly bool
	SubscriptionID     *uuid.UUID
	After              *Cursor
	Limit              int
}
