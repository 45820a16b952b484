package storetest

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

var subscriptionCases = []testCase{
	{"LiveCountAndTenantSubscriptions", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		b := MustCreatePartner(t, s, mpn(2))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		other := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		sub := func(tenantID uuid.UUID, partner *csp.Partner, ch csp.Channel, status csp.Status, minute int) *csp.Subscription {
			s := &csp.Subscription{ID: newID(), TenantID: tenantID, Channel: ch, ProductID: "CFQ7TTC0LH18", SkuID: "0001", OfferName: "Microsoft 365 Business Basic",
				Quantity: 10 + minute, Status: status, CreatedAt: at(time.Duration(minute) * time.Minute)}
			if partner != nil {
				s.PartnerID = &partner.ID
			}
			return s
		}
		onTenant := []*csp.Subscription{
			sub(tn.ID, a, csp.ChannelCSP, csp.StatusDeleted, 5),
			sub(tn.ID, a, csp.ChannelCSP, csp.StatusActive, 1),
			sub(tn.ID, a, csp.ChannelCSP, csp.StatusExpired, 7),
			sub(tn.ID, a, csp.ChannelCSP, csp.StatusPending, 0),
			sub(tn.ID, a, csp.ChannelCSP, csp.StatusDisabled, 6),
			sub(tn.ID, a, csp.ChannelCSP, csp.StatusSuspended, 2),
			sub(tn.ID, b, csp.ChannelCSP, csp.StatusActive, 3),
			sub(tn.ID, nil, csp.ChannelDirect, csp.StatusActive, 4),
			sub(tn.ID, nil, csp.ChannelEA, csp.StatusActive, 4), // same time: id decides
			sub(tn.ID, nil, csp.ChannelMCAE, csp.StatusSuspended, 8),
		}
		elsewhere := sub(other.ID, a, csp.ChannelCSP, csp.StatusActive, 0)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, x := range append(onTenant, elsewhere) {
				if err := tx.CreateSubscription(ctx, x); err != nil {
					return err
				}
			}
			return nil
		})
		for _, tc := range []struct {
			name            string
			partner, tenant uuid.UUID
			want            int
		}{
			{"A on tenant: pending, active, suspended", a.ID, tn.ID, 3},
			{"B on tenant", b.ID, tn.ID, 1},
			{"A elsewhere", a.ID, other.ID, 1},
			{"B elsewhere", b.ID, other.ID, 0},
			{"unknown partner", newID(), tn.ID, 0},
		} {
			var n int
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				n, err = tx.LiveSubscriptionCount(ctx, tc.partner, tc.tenant)
				return err
			})
			if n != tc.want {
				t.Errorf("LiveSubscriptionCount(%s) = %d, want %d", tc.name, n, tc.want)
			}
		}
		want := slices.Clone(onTenant)
		slices.SortFunc(want, func(x, y *csp.Subscription) int {
			return cmp.Or(x.CreatedAt.Compare(y.CreatedAt), bytes.Compare(x.ID[:], y.ID[:]))
		})
		var got []*csp.Subscription
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.ListSubscriptions(ctx, store.SubscriptionFilter{TenantID: &tn.ID})
			return err
		})
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("ListSubscriptions(tenant) mismatch (-want +got):\n%s", diff)
		}
	}},
	{"LifecycleRoundTripAndDueOrder", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		mk := func(day int, qty int) *csp.Subscription {
			sub := &csp.Subscription{ID: newID(), TenantID: tn.ID, PartnerID: &a.ID, Channel: csp.ChannelCSP, ProductID: "CFQ7TTC0LCHC", SkuID: "0001",
				AvailabilityID: "CFQ7TTC0MM1W", ProductName: "Microsoft 365 Business Premium", OfferName: "Microsoft 365 Business Premium",
				FriendlyName: "Premium", UnitType: "Licenses", Quantity: qty, AutoRenew: true, TermDuration: "P1Y", BillingCycle: "monthly",
				UnitPrice: usd("23.10"), ResellerMpnID: "3000001"}
			sub.Purchase(time.Date(2026, 1, day, 9, 30, 0, 0, time.UTC), nil)
			return sub
		}
		x, y, z := mk(12, 10), mk(10, 3), mk(11, 7)
		y.Scheduled = &csp.NextTerm{ProductID: "CFQ7TTC0LDPB", SkuID: "0001", AvailabilityID: "AV", TermDuration: "P1Y", BillingCycle: "monthly", Quantity: 2}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, sub := range []*csp.Subscription{x, y, z} {
				if err := tx.CreateSubscription(ctx, sub); err != nil {
					return err
				}
			}
			return nil
		})
		var got *csp.Subscription
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetSubscription(ctx, y.ID)
			return err
		})
		if diff := gocmp.Diff(y, got); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
		// Next events: y on 02-10, z on 02-11, x on 02-12 (each term's next
		// monthly cycle), each a job the subscription's writes keep.
		due := func(from, until string) []uuid.UUID {
			var out []uuid.UUID
			MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
				jobs, err := tx.DueJobs(ctx, day(from), day(until), 10)
				for _, j := range jobs {
					if j.Kind != csp.JobSubscription {
						t.Errorf("job %+v is not a subscription's", j)
					}
					out = append(out, uuid.MustParse(j.Ref))
				}
				return err
			})
			return out
		}
		if diff := gocmp.Diff([]uuid.UUID{y.ID, z.ID}, due("2026-01-01", "2026-02-11")); diff != "" {
			t.Errorf("due by 02-11 (-want +got):\n%s", diff)
		}
		if diff := gocmp.Diff([]uuid.UUID{z.ID, x.ID}, due("2026-02-11", "2026-03-01")); diff != "" {
			t.Errorf("due from 02-11 (-want +got):\n%s", diff)
		}
		if got := due("2026-01-01", "2026-02-09"); len(got) != 0 {
			t.Errorf("due by 02-09: %v", got)
		}
	}},
}

var mtoCases = []testCase{
	{"CreateAddActivate", func(t *testing.T, s store.Store) {
		owner := MustCreateTenant(t, s, "Contoso HQ", "contosohq")
		m1 := MustCreateTenant(t, s, "Contoso EU", "contosoeu")
		m2 := MustCreateTenant(t, s, "Contoso APAC", "contosoapac")
		joined := at(0)
		org := &csp.MultiTenantOrg{ID: newID(), OwnerTenantID: owner.ID, DisplayName: "Contoso Group", CreatedAt: t0,
			Members: []csp.MTOMember{{TenantID: owner.ID, Role: "owner", State: csp.MTOStateActive, AddedByTenantID: owner.ID, AddedAt: t0, JoinedAt: &joined}}}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateMTO(ctx, org) })
		if got := mustMTOOf(t, s, owner.ID); !gocmp.Equal(org, got) {
			t.Errorf("MTOOfTenant(owner) mismatch (-want +got):\n%s", gocmp.Diff(org, got))
		}

		// Added out of order: members list by added time, then tenant id.
		pending2 := csp.MTOMember{TenantID: m2.ID, Role: "member", State: csp.MTOStatePending, AddedByTenantID: owner.ID, AddedAt: at(2 * time.Hour)}
		pending1 := csp.MTOMember{TenantID: m1.ID, Role: "member", State: csp.MTOStatePending, AddedByTenantID: owner.ID, AddedAt: at(time.Hour)}
		for _, m := range []csp.MTOMember{pending2, pending1} {
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.AddMTOMember(ctx, org.ID, m) })
		}
		want := *org
		want.Members = append(slices.Clone(org.Members), pending1, pending2)
		for _, tn := range []uuid.UUID{owner.ID, m1.ID, m2.ID} {
			if got := mustMTOOf(t, s, tn); !gocmp.Equal(&want, got) {
				t.Errorf("MTOOfTenant(%s) with pending members mismatch (-want +got):\n%s", tn, gocmp.Diff(&want, got))
			}
		}

		activatedAt := time.Date(2026, 11, 27, 8, 0, 0, 1000, time.UTC)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.ActivateMTOMember(ctx, org.ID, m1.ID, activatedAt)
		})
		want.Members[1].State, want.Members[1].JoinedAt = csp.MTOStateActive, &activatedAt
		if got := mustMTOOf(t, s, m1.ID); !gocmp.Equal(&want, got) {
			t.Errorf("MTOOfTenant after activation mismatch (-want +got):\n%s", gocmp.Diff(&want, got))
		}
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.ActivateMTOMember(ctx, org.ID, m1.ID, at(3*time.Hour))
		})
		wantCode(t, "ActivateMTOMember twice", err, csp.ENotInvitedToMTO)
		err = write(s, func(ctx context.Context, tx store.Tx) error { return tx.ActivateMTOMember(ctx, org.ID, newID(), t0) })
		wantCode(t, "ActivateMTOMember(not a member)", err, csp.ENotInvitedToMTO)
		err = write(s, func(ctx context.Context, tx store.Tx) error { return tx.ActivateMTOMember(ctx, newID(), m2.ID, t0) })
		wantCode(t, "ActivateMTOMember(other organization)", err, csp.ENotInvitedToMTO)
		if got := mustMTOOf(t, s, m1.ID); !gocmp.Equal(&want, got) {
			t.Errorf("failed activations changed the organization (-want +got):\n%s", gocmp.Diff(&want, got))
		}
	}},
	{"ErrMTONotFound", func(t *testing.T, s store.Store) {
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.MTOOfTenant(ctx, tn.ID)
			return err
		})
		wantCode(t, "MTOOfTenant(no organization)", err, csp.EMTONotFound)
	}},
	{"ErrTenantInOtherMTO", func(t *testing.T, s store.Store) {
		o1 := MustCreateTenant(t, s, "Contoso", "contoso")
		o2 := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		m := MustCreateTenant(t, s, "Contoso EU", "contosoeu")
		orgs := make([]*csp.MultiTenantOrg, 2)
		for i, owner := range []*csp.Tenant{o1, o2} {
			joined := t0
			orgs[i] = &csp.MultiTenantOrg{ID: newID(), OwnerTenantID: owner.ID, DisplayName: owner.DisplayName + " Org", CreatedAt: t0,
				Members: []csp.MTOMember{{TenantID: owner.ID, Role: "owner", State: csp.MTOStateActive, AddedByTenantID: owner.ID, AddedAt: t0, JoinedAt: &joined}}}
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateMTO(ctx, orgs[i]) })
		}
		member := func(addedBy uuid.UUID) csp.MTOMember {
			return csp.MTOMember{TenantID: m.ID, Role: "member", State: csp.MTOStatePending, AddedByTenantID: addedBy, AddedAt: at(time.Hour)}
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.AddMTOMember(ctx, orgs[0].ID, member(o1.ID)) })
		err := write(s, func(ctx context.Context, tx store.Tx) error { return tx.AddMTOMember(ctx, orgs[0].ID, member(o1.ID)) })
		wantCode(t, "AddMTOMember twice to the same organization", err, csp.ETenantInOtherMTO)
		err = write(s, func(ctx context.Context, tx store.Tx) error { return tx.AddMTOMember(ctx, orgs[1].ID, member(o2.ID)) })
		wantCode(t, "AddMTOMember to a second organization", err, csp.ETenantInOtherMTO)
		err = write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.AddMTOMember(ctx, orgs[0].ID, csp.MTOMember{TenantID: o2.ID, Role: "member", State: csp.MTOStatePending, AddedByTenantID: o1.ID, AddedAt: at(time.Hour)})
		})
		wantCode(t, "AddMTOMember(owner of another organization)", err, csp.ETenantInOtherMTO)
		// A member of one organization cannot found another.
		joined := t0
		err = write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreateMTO(ctx, &csp.MultiTenantOrg{ID: newID(), OwnerTenantID: m.ID, DisplayName: "Breakaway", CreatedAt: t0,
				Members: []csp.MTOMember{{TenantID: m.ID, Role: "owner", State: csp.MTOStateActive, AddedByTenantID: m.ID, AddedAt: t0, JoinedAt: &joined}}})
		})
		wantCode(t, "CreateMTO(owner is a member elsewhere)", err, csp.ETenantInOtherMTO)
		if got := mustMTOOf(t, s, m.ID); got.ID != orgs[0].ID {
			t.Errorf("member now belongs to %s, want %s", got.ID, orgs[0].ID)
		}
	}},
}

func mustMTOOf(tb testing.TB, s store.Store, tenantID uuid.UUID) *csp.MultiTenantOrg {
	tb.Helper()
	var o *csp.MultiTenantOrg
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		o, err = tx.MTOOfTenant(ctx, tenantID)
		return err
	})
	return o
}

var auditCases = []testCase{
	{"FilterByPartnerAndRangeAndPage", func(t *testing.T, s store.Store) {
		a, b := newID(), newID()
		tenant := newID()
		rec := func(partner *uuid.UUID, d time.Duration, op string) *csp.AuditRecord {
			return &csp.AuditRecord{ID: newID(), PartnerID: partner, TenantID: &tenant, CustomerName: "Contoso", UserPrincipalName: "ada@partner.example.com",
				ApplicationID: "OpenCSP", ResourceType: csp.ResCustomer, OperationType: op, OperationStatus: "succeeded",
				ResourceOldValue: `{"segment":"commercial"}`, ResourceNewValue: `{"segment":"education","name":"Zürich \"AG\""}`,
				OperationDate: at(d), CorrelationID: "corr-" + op}
		}
		before := rec(&a, -time.Microsecond, "before")
		from := rec(&a, 0, "from")
		mid1 := rec(&a, time.Hour, "mid1")
		mid2 := rec(&a, time.Hour, "mid2") // same date as mid1: id decides
		late := rec(&a, 2*time.Hour, "late")
		to := rec(&a, 3*time.Hour, "to")
		other := rec(&b, time.Hour, "other")
		noPartner := rec(nil, time.Hour, "operator")
		noPartner.TenantID = nil
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, r := range []*csp.AuditRecord{late, to, mid2, other, before, from, noPartner, mid1} {
				if err := tx.AddAudit(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
		want := []*csp.AuditRecord{from, mid1, mid2, late}
		slices.SortFunc(want, func(x, y *csp.AuditRecord) int {
			return cmp.Or(x.OperationDate.Compare(y.OperationDate), bytes.Compare(x.ID[:], y.ID[:]))
		})
		f := store.AuditFilter{PartnerID: a, From: t0, To: at(3 * time.Hour)}
		var got []*csp.AuditRecord
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.ListAudit(ctx, f)
			return err
		})
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("ListAudit [From,To) mismatch (-want +got):\n%s", diff)
		}
		for _, limit := range []int{1, 2, 3} {
			f := f
			f.Limit = limit
			var all []*csp.AuditRecord
			for range 10 {
				var page []*csp.AuditRecord
				MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
					page, err = tx.ListAudit(ctx, f)
					return err
				})
				if len(page) > limit {
					t.Fatalf("limit %d: page of %d", limit, len(page))
				}
				if len(page) == 0 {
					break
				}
				all = append(all, page...)
				last := page[len(page)-1]
				f.After = &store.Cursor{At: last.OperationDate, ID: last.ID}
			}
			if diff := gocmp.Diff(want, all); diff != "" {
				t.Errorf("limit %d: pages joined mismatch (-want +got):\n%s", limit, diff)
			}
		}
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.ListAudit(ctx, store.AuditFilter{PartnerID: b, From: t0, To: at(24 * time.Hour)})
			return err
		})
		if diff := gocmp.Diff([]*csp.AuditRecord{other}, got); diff != "" {
			t.Errorf("ListAudit(other partner) mismatch (-want +got):\n%s", diff)
		}
	}},
}

var idempotencyCases = []testCase{
	{"ClaimCompleteReleasePurge", func(t *testing.T, s store.Store) {
		req := store.IdempotentRequest{Scope: "partner:ada", RequestID: "6c1f7d0e-1", RequestHash: "POST /v1/customers sha256:aa", CreatedAt: t0,
			LeaseUntil: at(30 * time.Second)}
		window := at(-24 * time.Hour)
		claim := func(r store.IdempotentRequest) *store.IdempotentRequest {
			t.Helper()
			var prev *store.IdempotentRequest
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				prev, err = tx.ClaimRequest(ctx, r, window)
				return err
			})
			return prev
		}
		if prev := claim(req); prev != nil {
			t.Fatalf("first ClaimRequest = %+v, want nil", prev)
		}
		// A second claim (another hash, later) answers the first record, in progress.
		again := req
		again.RequestHash, again.CreatedAt = "POST /v1/customers sha256:bb", at(time.Minute)
		inProgress := req
		if diff := gocmp.Diff(&inProgress, claim(again), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("second ClaimRequest mismatch (-want +got):\n%s", diff)
		}
		// Same request id in another scope is another request.
		otherScope := req
		otherScope.Scope = "partner:sam"
		if prev := claim(otherScope); prev != nil {
			t.Errorf("ClaimRequest(other scope) = %+v, want nil", prev)
		}

		body := []byte(`{"id":"b0b5c3f2","companyProfile":{"domain":"contoso.onmicrosoft.com"}}`)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.MarkRequestCommitted(ctx, req.Scope, req.RequestID); err != nil {
				return err
			}
			return tx.CompleteRequest(ctx, req.Scope, req.RequestID, 201, body)
		})
		done := req
		done.Status, done.Body, done.Committed = 201, body, true
		if diff := gocmp.Diff(&done, claim(again)); diff != "" {
			t.Errorf("ClaimRequest after CompleteRequest mismatch (-want +got):\n%s", diff)
		}

		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.ReleaseRequest(ctx, req.Scope, req.RequestID) })
		if prev := claim(again); prev != nil {
			t.Errorf("ClaimRequest after ReleaseRequest = %+v, want nil", prev)
		}
		if diff := gocmp.Diff(&otherScope, claim(otherScope), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ReleaseRequest released another scope too (-want +got):\n%s", diff)
		}
	}},
	{"ClaimOutsideWindowReplacesTheOldRecord", func(t *testing.T, s store.Store) {
		old := store.IdempotentRequest{Scope: "s", RequestID: "r", RequestHash: "h1", CreatedAt: at(-25 * time.Hour), LeaseUntil: at(-25 * time.Hour)}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if _, err := tx.ClaimRequest(ctx, old, at(-24*time.Hour)); err != nil {
				return err
			}
			return tx.CompleteRequest(ctx, "s", "r", 201, []byte(`{}`))
		})
		fresh := store.IdempotentRequest{Scope: "s", RequestID: "r", RequestHash: "h2", CreatedAt: t0, LeaseUntil: at(time.Minute)}
		var prev *store.IdempotentRequest
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			prev, err = tx.ClaimRequest(ctx, fresh, at(-24*time.Hour))
			return err
		})
		if prev != nil {
			t.Fatalf("ClaimRequest over a record 25 hours old = %+v, want a new claim", prev)
		}
		var got *store.IdempotentRequest
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, _, err = tx.GetRequest(ctx, "s", "r")
			return err
		})
		if diff := gocmp.Diff(&fresh, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("record after the new claim (-want +got):\n%s", diff)
		}
	}},
	{"LeaseRenewAndTakeOver", func(t *testing.T, s store.Store) {
		r := store.IdempotentRequest{Scope: "s", RequestID: "r", RequestHash: "h", CreatedAt: t0, LeaseUntil: at(10 * time.Second)}
		c := store.IdempotentRequest{Scope: "s", RequestID: "c", RequestHash: "h", CreatedAt: t0, LeaseUntil: at(10 * time.Second)}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, x := range []store.IdempotentRequest{r, c} {
				if _, err := tx.ClaimRequest(ctx, x, at(-24*time.Hour)); err != nil {
					return err
				}
			}
			return tx.MarkRequestCommitted(ctx, "s", "c")
		})
		takeOver := func(id string, now time.Time) bool {
			var ok bool
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				ok, err = tx.TakeOverRequest(ctx, "s", id, now, now.Add(30*time.Second))
				return err
			})
			return ok
		}
		if takeOver("r", at(5*time.Second)) {
			t.Error("took over a claim whose lease runs until +10s at +5s")
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.RenewRequest(ctx, "s", "r", at(20*time.Second))
		})
		if takeOver("r", at(15*time.Second)) {
			t.Error("took over a claim renewed until +20s at +15s")
		}
		if !takeOver("r", at(21*time.Second)) {
			t.Error("could not take over a lapsed, uncommitted claim")
		}
		if takeOver("c", at(time.Hour)) {
			t.Error("took over a claim whose work was committed")
		}
		var got *store.IdempotentRequest
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, _, err = tx.GetRequest(ctx, "s", "r")
			return err
		})
		if !got.LeaseUntil.Equal(at(51*time.Second)) || got.Committed {
			t.Errorf("taken-over claim: lease %s committed %v, want +51s and false", got.LeaseUntil, got.Committed)
		}
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			_, ok, err := tx.GetRequest(ctx, "s", "none")
			if ok {
				t.Error("GetRequest(none) found a record")
			}
			return err
		})
	}},
	{"PurgeByAge", func(t *testing.T, s store.Store) {
		old := store.IdempotentRequest{Scope: "s", RequestID: "old", RequestHash: "h1", CreatedAt: at(-2 * time.Hour)}
		edge := store.IdempotentRequest{Scope: "s", RequestID: "edge", RequestHash: "h2", CreatedAt: t0}
		young := store.IdempotentRequest{Scope: "s", RequestID: "young", RequestHash: "h3", CreatedAt: at(time.Hour)}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, r := range []store.IdempotentRequest{old, edge, young} {
				if _, err := tx.ClaimRequest(ctx, r, at(-48*time.Hour)); err != nil {
					return err
				}
			}
			return tx.PurgeRequests(ctx, t0) // strictly before t0
		})
		for _, tc := range []struct {
			r    store.IdempotentRequest
			kept bool
		}{{old, false}, {edge, true}, {young, true}} {
			var ok bool
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				_, ok, err = tx.GetRequest(ctx, tc.r.Scope, tc.r.RequestID)
				return err
			})
			if ok != tc.kept {
				t.Errorf("request %s kept = %v, want %v", tc.r.RequestID, ok, tc.kept)
			}
		}
	}},
}

var sessionCases = []testCase{
	{"CreateGetDeletePurge", func(t *testing.T, s store.Store) {
		key := newID()
		withKey := store.Session{IDHash: "h1", KeyID: &key, TokenHash: "", CreatedAt: t0, ExpiresAt: at(12 * time.Hour)}
		operator := store.Session{IDHash: "h2", TokenHash: "sha256-of-token", CreatedAt: t0, ExpiresAt: at(time.Hour)}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateSession(ctx, withKey); err != nil {
				return err
			}
			return tx.CreateSession(ctx, operator)
		})
		get := func(h string) (store.Session, bool) {
			var got store.Session
			var ok bool
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, ok, err = tx.GetSession(ctx, h)
				return err
			})
			return got, ok
		}
		for _, want := range []store.Session{withKey, operator} {
			if got, ok := get(want.IDHash); !ok || !gocmp.Equal(want, got) {
				t.Errorf("GetSession(%s) = %+v, %v; want %+v", want.IDHash, got, ok, want)
			}
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.PurgeSessions(ctx, at(2*time.Hour)) })
		if _, ok := get("h2"); ok {
			t.Error("a session that expired at +1h survived a purge at +2h")
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.DeleteSession(ctx, "h1") })
		if _, ok := get("h1"); ok {
			t.Error("DeleteSession left the session")
		}
	}},
}

var settingCases = []testCase{
	{"UnsetThenUpsert", func(t *testing.T, s store.Store) {
		get := func(name string) (string, bool) {
			t.Helper()
			var v string
			var ok bool
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				v, ok, err = tx.Setting(ctx, name)
				return err
			})
			return v, ok
		}
		if v, ok := get("sandbox.now"); ok || v != "" {
			t.Errorf("unset setting = %q, %v; want \"\", false", v, ok)
		}
		for _, v := range []string{"2026-11-26T09:30:15.123456Z", "2027-01-01T00:00:00Z", ""} {
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.SetSetting(ctx, "sandbox.now", v) })
			if got, ok := get("sandbox.now"); !ok || got != v {
				t.Errorf("setting = %q, %v; want %q, true", got, ok, v)
			}
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.SetSetting(ctx, "other", "x") })
		if got, ok := get("sandbox.now"); !ok || got != "" {
			t.Errorf("another setting changed sandbox.now to %q, %v", got, ok)
		}
	}},
}

var errBoom = errors.New("boom")

var transactionCases = []testCase{
	{"ErrorFromFnRollsBack", func(t *testing.T, s store.Store) {
		p := newPartner(mpn(1))
		tn := newTenant("Contoso", "contoso")
		key := &store.Key{ID: newID(), SecretHash: "aa", Kind: csp.PrincipalOperator, Description: "operator", CreatedAt: t0}
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreatePartner(ctx, p); err != nil {
				return err
			}
			if err := tx.CreateTenant(ctx, tn); err != nil {
				return err
			}
			if err := tx.CreateRelationship(ctx, csp.Relationship{PartnerID: p.ID, TenantID: tn.ID, Type: "directReseller", Since: t0}); err != nil {
				return err
			}
			if err := tx.CreateKey(ctx, key); err != nil {
				return err
			}
			if err := tx.SetSetting(ctx, "k", "v"); err != nil {
				return err
			}
			// Written data is visible inside the transaction.
			if _, err := tx.GetTenant(ctx, tn.ID); err != nil {
				return err
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("Write = %v, want the error fn returned", err)
		}
		assertRolledBack(t, s, p, tn, key)
	}},
	{"StoreErrorRollsBackEarlierWrites", func(t *testing.T, s store.Store) {
		MustCreateTenant(t, s, "Taken", "taken")
		p := newPartner(mpn(1))
		tn := newTenant("Contoso", "contoso")
		key := &store.Key{ID: newID(), SecretHash: "aa", Kind: csp.PrincipalOperator, Description: "operator", CreatedAt: t0}
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			for _, f := range []func() error{
				func() error { return tx.CreatePartner(ctx, p) },
				func() error { return tx.CreateTenant(ctx, tn) },
				func() error { return tx.CreateKey(ctx, key) },
				func() error { return tx.SetSetting(ctx, "k", "v") },
				func() error { return tx.CreateTenant(ctx, newTenant("Taken Too", "taken")) },
			} {
				if err := f(); err != nil {
					return err
				}
			}
			return nil
		})
		wantCode(t, "Write", err, csp.EDomainTaken)
		assertRolledBack(t, s, p, tn, key)
		// The store still writes after a failed transaction.
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreatePartner(ctx, p) })
	}},
}

func assertRolledBack(t *testing.T, s store.Store, p *csp.Partner, tn *csp.Tenant, key *store.Key) {
	t.Helper()
	ctx := context.Background()
	err := s.Read(ctx, func(tx store.Tx) error {
		_, err := tx.GetPartner(ctx, p.ID)
		wantCode(t, "GetPartner after rollback", err, csp.EPartnerNotFound)
		_, err = tx.GetTenant(ctx, tn.ID)
		wantCode(t, "GetTenant after rollback", err, csp.ETenantNotFound)
		_, err = tx.GetTenantByDomain(ctx, tn.DomainPrefix)
		wantCode(t, "GetTenantByDomain after rollback", err, csp.ETenantNotFound)
		_, err = tx.GetRelationship(ctx, p.ID, tn.ID)
		wantCode(t, "GetRelationship after rollback", err, csp.ERelationshipNotFound)
		_, err = tx.GetKey(ctx, key.ID)
		wantCode(t, "GetKey after rollback", err, csp.EKeyNotFound)
		if _, ok, err := tx.Setting(ctx, "k"); ok || err != nil {
			t.Errorf("setting k after rollback: ok=%v err=%v, want unset", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
