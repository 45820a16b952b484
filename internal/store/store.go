// Package store declares what the use cases need from storage. The sqlite
// and postgres packages implement it over one portable SQL body
// (internal/store/sqlstore); storetest is the conformance suite both pass.
package store

import (
	"context"
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
// transfer, subscriptions.
type Tx interface {
	PartnerTx
	TenantTx
	DirectoryTx
	CommerceTx
	GDAPTx
	JobTx
	MiscTx
	AzureTx
	ChannelTx
	TransferTx
	PlanTx
	BillingTx
	PriceBookTx
}

// Lock says how a read in a write transaction locks what it reads.
type Lock int

// Lock modes.
const (
	LockNone   Lock = iota
	LockShare       // others may read and share-lock; no one may change it until the transaction ends
	LockUpdate      // no one else may lock or change it until the transaction ends
)

// MaxLimit bounds what one listing call answers: a page of 1,000 (the
// largest page the APIs serve) and one more row that tells whether another
// page follows.
const MaxLimit = 1001
