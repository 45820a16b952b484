package csp

import (
	"time"

	"github.com/google/uuid"
)

// Channel is where a subscription was bought.
type Channel string

// Channels (DESIGN.md "Words").
const (
	ChannelCSP    Channel = "csp"
	ChannelDirect Channel = "direct"
	ChannelEA     Channel = "ea"
	ChannelMCAE   Channel = "mcaE"
)

// Subscription statuses (Partner Center's enum).
const (
	StatusPending   = "pending"
	StatusActive    = "active"
	StatusSuspended = "suspended"
	StatusExpired   = "expired"
	StatusDisabled  = "disabled"
	StatusDeleted   = "deleted"
)

// Subscription is what a tenant owns through one partner or channel. The
// commerce engine gives it terms, prices and a lifecycle; the foundation
// only needs who holds it and whether it is still live.
type Subscription struct {
	ID        uuid.UUID
	TenantID  uuid.UUID
	PartnerID *uuid.UUID // nil outside the CSP channel
	Channel   Channel
	OfferID   string
	OfferName string
	Quantity  int
	Status    string
	CreatedAt time.Time
}

// Live answers whether the subscription still binds its partner: a partner
// with live subscriptions on a tenant cannot be removed.
func (s *Subscription) Live() bool {
	switch s.Status {
	case StatusPending, StatusActive, StatusSuspended:
		return true
	}
	return false
}
