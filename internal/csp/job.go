package csp

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// JobKind names a kind of time-driven work. Every kind is a due job of the
// one scheduler (internal/schedule), processed strictly in time order.
type JobKind string

// Job kinds.
const (
	// JobSubscription is a subscription's next lifecycle event: a cycle
	// charge, a renewal, the end of a term, a move along the expiry chain.
	JobSubscription JobKind = "subscription"
	// JobDelegatedAdmin is a GDAP relationship's due time: an active
	// relationship's end (it expires or auto-extends), or the lapse of a
	// request never approved.
	JobDelegatedAdmin JobKind = "delegatedAdminRelationship"
	// JobPurgeRequests forgets MS-RequestId records older than the
	// idempotency window, once a day of program time.
	JobPurgeRequests JobKind = "purgeRequests"
	// JobUsage posts one hour of an Azure subscription's usage: the job due
	// at h+1 meters [h, h+1) (DESIGN.md "Running it").
	JobUsage JobKind = "usage"
	// JobTransfer is a transfer request's expiry (transfer.ExpiryDays after
	// its creation), while it is open.
	JobTransfer JobKind = "transfer"
	// JobBillingRun is the month close: due at 00:00 UTC on the 1st, it
	// makes one JobInvoiceClose per partner for the month before.
	JobBillingRun JobKind = "billingRun"
	// JobInvoiceClose closes one partner's month (ref "YYYY-MM/partnerId"):
	// its invoice, in one transaction of its own.
	JobInvoiceClose JobKind = "invoiceClose"
)

// Order ranks kinds of jobs due at the same instant (DESIGN.md "Running
// it"): usage first, then subscription and relationship events, then
// transfers, and month close last; housekeeping after everything.
func (k JobKind) Order() int {
	switch k {
	case JobUsage:
		return 0
	case JobSubscription, JobDelegatedAdmin:
		return 1
	case JobBillingRun, JobInvoiceClose:
		return 8
	case JobPurgeRequests:
		return 9
	}
	return 5
}

// Job is one piece of due work: its kind, what it acts on (a subscription
// id, say) and when it is due.
type Job struct {
	Kind JobKind
	Ref  string
	Due  time.Time
}

// Before orders jobs as the scheduler runs them: by due time, then by kind.
func (j Job) Before(o Job) bool {
	if !j.Due.Equal(o.Due) {
		return j.Due.Before(o.Due)
	}
	return j.Kind.Order() < o.Kind.Order()
}

// MaxAdvanceYears bounds one clock advance (DESIGN.md "Conventions").
const MaxAdvanceYears = 10

// ETag is Partner Center's opaque entity tag of a resource version: base64
// of {"id", "version"}. It changes with every change of the resource.
func ETag(id uuid.UUID, version int64) string {
	b, _ := json.Marshal(struct {
		ID      uuid.UUID `json:"id"`
		Version int64     `json:"version"`
	}{id, version})
	return base64.StdEncoding.EncodeToString(b)
}

// CheckETag answers EPreconditionFailed when want is set and is not the
// resource's etag now (If-Match).
func CheckETag(what string, id uuid.UUID, version int64, want string) error {
	if want == "" || want == "*" || want == ETag(id, version) {
		return nil
	}
	return Errorf(EPreconditionFailed, "%s %s has changed since the etag you sent was read: read it again (GET), reapply your change and send its new attributes.etag in If-Match", what, id)
}
