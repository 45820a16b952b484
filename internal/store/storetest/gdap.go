package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/store"
)

var (
	userAdmin    = uuid.MustParse("fe930be7-5e62-47db-91af-98c3a49a38b1")
	licenseAdmin = uuid.MustParse("4d6ac14f-3453-41d0-bef9-a3e0c569773a")
	dirReaders   = uuid.MustParse("88d8e3e3-8f55-4a1e-953a-9b9898b8876b")
)

// newGDAP answers a draft relationship of a partner with a tenant, created
// at created.
func newGDAP(partnerID, tenantID uuid.UUID, name string, created time.Time) *gdap.Relationship {
	return &gdap.Relationship{ID: newID(), PartnerID: partnerID, CustomerTenantID: tenantID, CustomerDisplayName: "Contoso Ltd", DisplayName: name,
		Duration: 730, Roles: []uuid.UUID{userAdmin, licenseAdmin}, AutoExtendDays: 180, Status: gdap.StatusCreated,
		CreatedAt: created, LastModifiedAt: created}
}

func mustCreateGDAP(tb testing.TB, s store.Store, r *gdap.Relationship) {
	tb.Helper()
	MustWrite(tb, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateGDAPRelationship(ctx, r) })
}

func mustUpdateGDAP(tb testing.TB, s store.Store, r *gdap.Relationship) {
	tb.Helper()
	MustWrite(tb, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateGDAPRelationship(ctx, r) })
}

func getGDAP(tb testing.TB, s store.Store, id uuid.UUID) *gdap.Relationship {
	tb.Helper()
	var r *gdap.Relationship
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		r, err = tx.GetGDAPRelationship(ctx, id)
		return err
	})
	return r
}

// gdapJobs answers the delegated admin jobs due in the suite's years.
func gdapJobs(tb testing.TB, s store.Store) []csp.Job {
	tb.Helper()
	var out []csp.Job
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) error {
		jobs, err := tx.DueJobs(ctx, day("2020-01-01"), day("2040-01-01"), 100)
		for _, j := range jobs {
			if j.Kind == csp.JobDelegatedAdmin {
				out = append(out, j)
			}
		}
		return err
	})
	return out
}

// gdapCases cover delegated admin relationships, their jobs and their
// access assignments.
var gdapCases = []testCase{
	{"RoundTripAndUniqueNames", func(t *testing.T, s store.Store) {
		p, q := MustCreatePartner(t, s, mpn(1)), MustCreatePartner(t, s, mpn(2))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		r := newGDAP(p.ID, tn.ID, "Contoso admins", t0)
		mustCreateGDAP(t, s, r)
		if r.Version != 1 {
			t.Errorf("version after create %d, want 1", r.Version)
		}
		if diff := gocmp.Diff(r, getGDAP(t, s, r.ID)); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
		if jobs := gdapJobs(t, s); len(jobs) != 0 {
			t.Errorf("a draft has jobs %v, want none", jobs)
		}
		// The name is unique per partner, trimmed and case-insensitively;
		// another partner may use it.
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreateGDAPRelationship(ctx, newGDAP(p.ID, tn.ID, " CONTOSO admins", t0))
		})
		wantCode(t, "same name", err, csp.EGDAPDisplayNameTaken)
		mustCreateGDAP(t, s, newGDAP(q.ID, tn.ID, "Contoso admins", t0))
		other := newGDAP(p.ID, tn.ID, "Contoso helpdesk", t0)
		mustCreateGDAP(t, s, other)
		other.DisplayName = "contoso ADMINS"
		err = write(s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateGDAPRelationship(ctx, other) })
		wantCode(t, "rename to a taken name", err, csp.EGDAPDisplayNameTaken)
		err = read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetGDAPRelationship(ctx, newID())
			return err
		})
		wantCode(t, "get absent", err, csp.EGDAPNotFound)
		err = write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.UpdateGDAPRelationship(ctx, newGDAP(p.ID, tn.ID, "Nobody", t0))
		})
		wantCode(t, "update absent", err, csp.EGDAPNotFound)
	}},
	{"UpdateMovesItsJob", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		r := newGDAP(p.ID, tn.ID, "Contoso admins", t0)
		mustCreateGDAP(t, s, r)
		// Locked at t0 + 1h: the request lapses 90 days later, 2027-02-24
		// 10:30:15.123456 (t0 is 2026-11-26; 4 days to Nov 30, 31 in
		// December, 31 in January, 24 in February: 90).
		locked := at(time.Hour)
		r.Status, r.LockedAt, r.LastModifiedAt = gdap.StatusApprovalPending, &locked, locked
		mustUpdateGDAP(t, s, r)
		lapse := time.Date(2027, 2, 24, 10, 30, 15, 123456000, time.UTC)
		job := func(due time.Time) []csp.Job {
			return []csp.Job{{Kind: csp.JobDelegatedAdmin, Ref: r.ID.String(), Due: due}}
		}
		if diff := gocmp.Diff(job(lapse), gdapJobs(t, s)); diff != "" {
			t.Errorf("pending job mismatch (-want +got):\n%s", diff)
		}
		if r.Version != 2 {
			t.Errorf("version after an update %d, want 2", r.Version)
		}
		approved, end := at(2*time.Hour), at(2*time.Hour+730*24*time.Hour)
		r.Status, r.ActivatedAt, r.EndAt, r.LastModifiedAt, r.CustomerDisplayName = gdap.StatusActive, &approved, &end, approved, "Contoso"
		r.Roles = []uuid.UUID{dirReaders}
		mustUpdateGDAP(t, s, r)
		if diff := gocmp.Diff(job(end), gdapJobs(t, s)); diff != "" {
			t.Errorf("active job mismatch (-want +got):\n%s", diff)
		}
		if diff := gocmp.Diff(r, getGDAP(t, s, r.ID)); diff != "" || r.Version != 3 {
			t.Errorf("after approval (version %d) mismatch (-want +got):\n%s", r.Version, diff)
		}
		r.Status = gdap.StatusExpired
		mustUpdateGDAP(t, s, r)
		if jobs := gdapJobs(t, s); len(jobs) != 0 {
			t.Errorf("an expired relationship has jobs %v", jobs)
		}
	}},
	{"DeleteTakesAssignmentsAndJob", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		r := newGDAP(p.ID, tn.ID, "Contoso admins", t0)
		locked := at(time.Hour)
		r.Status, r.LockedAt = gdap.StatusApprovalPending, &locked
		mustCreateGDAP(t, s, r)
		a := &gdap.AccessAssignment{ID: newID(), RelationshipID: r.ID, GroupID: newID(), Roles: []uuid.UUID{userAdmin}, Status: gdap.AssignmentActive,
			CreatedAt: t0, LastModifiedAt: t0}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateAccessAssignment(ctx, a) })
		if len(gdapJobs(t, s)) != 1 {
			t.Fatalf("a pending relationship created has no job")
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.DeleteGDAPRelationship(ctx, r.ID) })
		if jobs := gdapJobs(t, s); len(jobs) != 0 {
			t.Errorf("jobs left after delete: %v", jobs)
		}
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetAccessAssignment(ctx, r.ID, a.ID)
			return err
		})
		wantCode(t, "assignment after delete", err, csp.EGDAPAssignmentNotFound)
		err = write(s, func(ctx context.Context, tx store.Tx) error { return tx.DeleteGDAPRelationship(ctx, r.ID) })
		wantCode(t, "delete twice", err, csp.EGDAPNotFound)
		// Its name is free again.
		mustCreateGDAP(t, s, newGDAP(p.ID, tn.ID, "Contoso admins", t0))
	}},
	{"ListAndLock", func(t *testing.T, s store.Store) {
		p, q := MustCreatePartner(t, s, mpn(1)), MustCreatePartner(t, s, mpn(2))
		t1, t2 := MustCreateTenant(t, s, "Contoso", "contoso"), MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		// r1 and r2 share a creation time: id order between them.
		r1, r2 := newGDAP(p.ID, t1.ID, "a", at(time.Hour)), newGDAP(p.ID, t1.ID, "b", at(time.Hour))
		r3, r4 := newGDAP(p.ID, t2.ID, "c", at(2*time.Hour)), newGDAP(q.ID, t1.ID, "a", at(0))
		r5 := newGDAP(p.ID, t1.ID, "e", at(3*time.Hour))
		r2.Status, r5.Status = gdap.StatusTerminated, gdap.StatusActive
		end := at(4 * time.Hour)
		r5.ActivatedAt, r5.EndAt = &end, &end
		for _, r := range []*gdap.Relationship{r5, r3, r2, r1, r4} {
			mustCreateGDAP(t, s, r)
		}
		sorted := func(rs ...*gdap.Relationship) []*gdap.Relationship {
			slices.SortFunc(rs, func(a, b *gdap.Relationship) int {
				if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
					return c
				}
				return compareIDs(a.ID, b.ID)
			})
			return rs
		}
		for _, tc := range []struct {
			name  string
			f     store.GDAPFilter
			sizes []int
			want  []*gdap.Relationship
		}{
			{"partner by 2", store.GDAPFilter{PartnerID: &p.ID, Limit: 2}, []int{2, 2, 0}, sorted(r1, r2, r3, r5)},
			{"tenant by 1", store.GDAPFilter{TenantID: &t1.ID, Limit: 1}, []int{1, 1, 1, 1, 0}, sorted(r1, r2, r4, r5)},
			{"partner and tenant", store.GDAPFilter{PartnerID: &p.ID, TenantID: &t1.ID, Limit: 10}, []int{3, 0}, sorted(r1, r2, r5)},
			{"statuses", store.GDAPFilter{TenantID: &t1.ID, Statuses: []gdap.Status{gdap.StatusActive, gdap.StatusTerminated}, Limit: 10},
				[]int{2, 0}, sorted(r2, r5)},
		} {
			f := tc.f
			var sizes []int
			var all []*gdap.Relationship
			for range 10 {
				var page []*gdap.Relationship
				MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
					page, err = tx.ListGDAPRelationships(ctx, f)
					return err
				})
				sizes = append(sizes, len(page))
				if len(page) == 0 {
					break
				}
				all = append(all, page...)
				last := page[len(page)-1]
				f.After = &store.Cursor{At: last.CreatedAt, ID: last.ID}
			}
			if diff := gocmp.Diff(tc.sizes, sizes); diff != "" {
				t.Errorf("%s: page sizes mismatch (-want +got):\n%s", tc.name, diff)
			}
			if diff := gocmp.Diff(tc.want, all); diff != "" {
				t.Errorf("%s: pages joined mismatch (-want +got):\n%s", tc.name, diff)
			}
		}
		var locked []*gdap.Relationship
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			locked, err = tx.LockGDAPRelationships(ctx, []uuid.UUID{r3.ID, newID(), r1.ID})
			return err
		})
		want := []*gdap.Relationship{r1, r3}
		if compareIDs(r3.ID, r1.ID) < 0 {
			want = []*gdap.Relationship{r3, r1}
		}
		if diff := gocmp.Diff(want, locked); diff != "" {
			t.Errorf("LockGDAPRelationships mismatch (-want +got):\n%s", diff)
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			got, err := tx.LockGDAPRelationship(ctx, r4.ID)
			if err == nil && got.ID != r4.ID {
				t.Errorf("LockGDAPRelationship read %s, want %s", got.ID, r4.ID)
			}
			return err
		})
	}},
	{"AccessAssignments", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		r, other := newGDAP(p.ID, tn.ID, "a", t0), newGDAP(p.ID, tn.ID, "b", t0)
		mustCreateGDAP(t, s, r)
		mustCreateGDAP(t, s, other)
		g1, g2 := newID(), newID()
		mk := func(rel *gdap.Relationship, group uuid.UUID, created time.Time, roles ...uuid.UUID) *gdap.AccessAssignment {
			a := &gdap.AccessAssignment{ID: newID(), RelationshipID: rel.ID, GroupID: group, Roles: roles, Status: gdap.AssignmentActive,
				CreatedAt: created, LastModifiedAt: created}
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateAccessAssignment(ctx, a) })
			return a
		}
		a1 := mk(r, g1, at(time.Hour), userAdmin, licenseAdmin)
		a2 := mk(r, g2, at(2*time.Hour), licenseAdmin)
		a3 := mk(other, g1, at(time.Hour), dirReaders) // the same group in another relationship
		var got *gdap.AccessAssignment
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetAccessAssignment(ctx, r.ID, a1.ID)
			return err
		})
		if diff := gocmp.Diff(a1, got); diff != "" || a1.Version != 1 {
			t.Errorf("round trip (version %d) mismatch (-want +got):\n%s", a1.Version, diff)
		}
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetAccessAssignment(ctx, other.ID, a1.ID)
			return err
		})
		wantCode(t, "get through another relationship", err, csp.EGDAPAssignmentNotFound)
		err = write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreateAccessAssignment(ctx, &gdap.AccessAssignment{ID: newID(), RelationshipID: r.ID, GroupID: g1, Roles: []uuid.UUID{userAdmin},
				Status: gdap.AssignmentActive, CreatedAt: t0, LastModifiedAt: t0})
		})
		wantCode(t, "second active assignment of a group", err, csp.EGDAPAssignmentExists)
		// Deleted, the group may be assigned again.
		a1.Status, a1.LastModifiedAt = gdap.AssignmentDeleted, at(3*time.Hour)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateAccessAssignment(ctx, a1) })
		if a1.Version != 2 {
			t.Errorf("version after update %d, want 2", a1.Version)
		}
		a4 := mk(r, g1, at(4*time.Hour), userAdmin)
		err = write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.UpdateAccessAssignment(ctx, &gdap.AccessAssignment{ID: newID(), RelationshipID: r.ID, Status: gdap.AssignmentActive, LastModifiedAt: t0})
		})
		wantCode(t, "update absent", err, csp.EGDAPAssignmentNotFound)
		list := func(f store.AssignmentFilter) []*gdap.AccessAssignment {
			var out []*gdap.AccessAssignment
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				out, err = tx.ListAccessAssignments(ctx, f)
				return err
			})
			return out
		}
		byTime := []*gdap.AccessAssignment{a1, a2, a4}
		if diff := gocmp.Diff(byTime, list(store.AssignmentFilter{RelationshipIDs: []uuid.UUID{r.ID}})); diff != "" {
			t.Errorf("list mismatch (-want +got):\n%s", diff)
		}
		if diff := gocmp.Diff(byTime[1:2], list(store.AssignmentFilter{RelationshipIDs: []uuid.UUID{r.ID},
			After: &store.Cursor{At: a1.CreatedAt, ID: a1.ID}, Limit: 1})); diff != "" {
			t.Errorf("second page mismatch (-want +got):\n%s", diff)
		}
		// a3 (created at 1h) comes before a2 (2h) and a4 (4h); a1 is deleted.
		both := []*gdap.AccessAssignment{a3, a2, a4}
		if diff := gocmp.Diff(both, list(store.AssignmentFilter{RelationshipIDs: []uuid.UUID{r.ID, other.ID}, Status: gdap.AssignmentActive})); diff != "" {
			t.Errorf("active of both mismatch (-want +got):\n%s", diff)
		}
		if got := list(store.AssignmentFilter{}); got != nil {
			t.Errorf("no relationship named lists %v", got)
		}
	}},
}

// compareIDs orders ids as both engines do (PostgreSQL's uuid order is its
// text order).
func compareIDs(a, b uuid.UUID) int {
	switch as, bs := a.String(), b.String(); {
	case as < bs:
		return -1
	case as > bs:
		return 1
	}
	return 0
}
