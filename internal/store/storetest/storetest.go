// Package storetest is the conformance suite of store.Store: every engine
// (internal/store/sqlite, internal/store/postgres) calls Run from its own
// tests, so both answer the same values, orders and error codes.
//
// Every leaf subtest opens a fresh store. Times are fixed time.Date values
// with microseconds (the precision both engines keep), so round trips are
// compared exactly. A failing store call that the test expects runs in its
// own Write, because PostgreSQL aborts a transaction after a constraint
// violation.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// Run runs the conformance suite. open answers a fresh, migrated, empty
// store for one test and registers its own cleanup on tb.
func Run(t *testing.T, open func(testing.TB) store.Store) {
	groups := []struct {
		name  string
		cases []testCase
	}{
		{"Partner", partnerCases},
		{"PartnerUser", partnerUserCases},
		{"Key", keyCases},
		{"Tenant", tenantCases},
		{"TenantUser", tenantUserCases},
		{"Relationship", relationshipCases},
		{"ListCustomers", customerCases},
		{"Subscription", subscriptionCases},
		{"Commerce", commerceCases},
		{"Promotion", promotionCases},
		{"MTO", mtoCases},
		{"GDAP", gdapCases},
		{"Transfer", transferCases},
		{"Audit", auditCases},
		{"Idempotency", idempotencyCases},
		{"Session", sessionCases},
		{"Jobs", jobCases},
		{"Setting", settingCases},
		{"Azure", azureCases},
		{"Channel", channelCases},
		{"Plan", planCases},
		{"PriceBook", priceBookCases},
		{"Transaction", transactionCases},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.fn(t, open(t))
				})
			}
		})
	}
}

// testCase is one leaf test; its name says the outcome.
type testCase struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

// t0 is the suite's reference time: microseconds set, UTC.
var t0 = time.Date(2026, 11, 26, 9, 30, 15, 123456000, time.UTC)

// at answers t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// MustWrite runs fn in a write transaction and fails the test on error.
func MustWrite(tb testing.TB, s store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	tb.Helper()
	ctx := context.Background()
	if err := s.Write(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		tb.Fatalf("write: %v", err)
	}
}

// MustRead runs fn in a read transaction and fails the test on error.
func MustRead(tb testing.TB, s store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	tb.Helper()
	ctx := context.Background()
	if err := s.Read(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		tb.Fatalf("read: %v", err)
	}
}

// write runs fn in its own write transaction and answers its error.
func write(s store.Store, fn func(ctx context.Context, tx store.Tx) error) error {
	ctx := context.Background()
	return s.Write(ctx, func(tx store.Tx) error { return fn(ctx, tx) })
}

// read runs fn in its own read transaction and answers its error.
func read(s store.Store, fn func(ctx context.Context, tx store.Tx) error) error {
	ctx := context.Background()
	return s.Read(ctx, func(tx store.Tx) error { return fn(ctx, tx) })
}

// wantCode fails the test unless err is a *csp.Error with code want.
func wantCode(tb testing.TB, what string, err error, want csp.Code) {
	tb.Helper()
	var e *csp.Error
	if !errors.As(err, &e) {
		tb.Fatalf("%s: error %v, want csp error %d", what, err, want)
	}
	if e.Code != want {
		tb.Fatalf("%s: error code %d (%v), want %d", what, e.Code, err, want)
	}
}

// newID answers a fresh random id (v4, so id order is not creation order).
func newID() uuid.UUID { return uuid.New() }

// newV7 answers a fresh time-ordered id, as the program names events and
// charges.
func newV7() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// newPartner answers a direct partner with the given mpnId.
func newPartner(mpnID string) *csp.Partner {
	return &csp.Partner{
		ID:              newID(),
		MpnID:           mpnID,
		Name:            "Partner " + mpnID,
		Type:            csp.PartnerDirect,
		Country:         "US",
		Locations:       []string{"US", "CA", "GB"},
		BillingCurrency: "USD",
		CreatedAt:       t0,
	}
}

// MustCreatePartner stores a direct partner with the given mpnId.
func MustCreatePartner(tb testing.TB, s store.Store, mpnID string) *csp.Partner {
	tb.Helper()
	p := newPartner(mpnID)
	MustWrite(tb, s, func(ctx context.Context, tx store.Tx) error { return tx.CreatePartner(ctx, p) })
	return p
}

// newTenant answers a US tenant with every address and billing field set.
func newTenant(name, domain string) *csp.Tenant {
	return &csp.Tenant{
		ID:           newID(),
		CommerceID:   newID(),
		DisplayName:  name,
		DomainPrefix: domain,
		Country:      "US",
		Region:       "US",
		Segment:      csp.SegmentCommercial,
		Address: csp.Address{
			Country: "US", Region: "King", City: "Redmond", State: "WA",
			AddressLine1: "1 Microsoft Way", AddressLine2: "Building 92", AddressLine3: "Floor 3 \"North\"",
			PostalCode: "98052-6399", FirstName: "Ada", MiddleName: "K.", LastName: "Lovelace", PhoneNumber: "+1 425 555 0100",
		},
		BillingProfile: csp.BillingProfile{
			FirstName: "Ada", LastName: "Lovelace", Email: "ap@" + domain + ".example.com",
			Culture: "en-US", Language: "en", CompanyName: name,
		},
		OrgRegNumber: "REG-" + domain,
		CreatedAt:    t0,
	}
}

// MustCreateTenant stores a tenant.
func MustCreateTenant(tb testing.TB, s store.Store, name, domain string) *csp.Tenant {
	tb.Helper()
	t := newTenant(name, domain)
	MustWrite(tb, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateTenant(ctx, t) })
	return t
}

// MustRelate links a partner and a tenant.
func MustRelate(tb testing.TB, s store.Store, partnerID, tenantID uuid.UUID, since time.Time) csp.Relationship {
	tb.Helper()
	r := csp.Relationship{PartnerID: partnerID, TenantID: tenantID, Type: "directReseller", Since: since}
	MustWrite(tb, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateRelationship(ctx, r) })
	return r
}

// mpn answers a distinct 7-digit mpnId for index i.
func mpn(i int) string { return fmt.Sprintf("%07d", 1000000+i) }

// day parses a yyyy-mm-dd UTC day.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}
