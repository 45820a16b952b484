package gdap

import (
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

var (
	helpdesk = uuid.MustParse("11111111-1111-4111-8111-111111111111")
	admins   = uuid.MustParse("22222222-2222-4222-8222-222222222222")
	others   = uuid.MustParse("33333333-3333-4333-8333-333333333333")
)

// activeRel answers a relationship approved at approved for days, with roles.
func activeRel(t *testing.T, id uuid.UUID, approved time.Time, duration string, roles ...uuid.UUID) *Relationship {
	t.Helper()
	r, err := New(id, partner, request(func(in *NewRelationship) { in.Duration, in.Roles = duration, roles }), approved.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r, err = r.LockForApproval(approved.Add(-24 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	if r, err = r.Approve(approved, ""); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAccessAssignments(t *testing.T) {
	approved := at("2026-03-01T00:00:00Z")
	now := approved.Add(time.Hour)
	rel := activeRel(t, relID, approved, "P30D", directory.UserAdministrator, directory.LicenseAdministrator, directory.DirectoryReaders)
	id := uuid.MustParse("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa")
	a, err := NewAssignment(id, rel, helpdesk, []uuid.UUID{directory.LicenseAdministrator, directory.LicenseAdministrator}, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	want := &AccessAssignment{ID: id, RelationshipID: relID, GroupID: helpdesk, Roles: []uuid.UUID{directory.LicenseAdministrator},
		Status: AssignmentActive, CreatedAt: now, LastModifiedAt: now, Version: 1}
	if diff := gocmp.Diff(want, a); diff != "" {
		t.Errorf("NewAssignment mismatch (-want +got):\n%s", diff)
	}
	later := now.Add(time.Hour)
	changed, err := a.SetRoles(rel, []uuid.UUID{directory.UserAdministrator, directory.DirectoryReaders}, later)
	if err != nil {
		t.Fatal(err)
	}
	if !sameSet(changed.Roles, []uuid.UUID{directory.UserAdministrator, directory.DirectoryReaders}) || !changed.LastModifiedAt.Equal(later) {
		t.Errorf("SetRoles: %+v", changed)
	}
	deleted, err := changed.Delete(later)
	if err != nil || deleted.Status != AssignmentDeleted {
		t.Fatalf("Delete: %+v, %v", deleted, err)
	}
	// A deleted assignment frees its group for a new one.
	if _, err := NewAssignment(uuid.New(), rel, helpdesk, []uuid.UUID{directory.DirectoryReaders}, []*AccessAssignment{deleted}, later); err != nil {
		t.Errorf("a new assignment after the group's was deleted: %v", err)
	}

	draft := mustNew(t, request(nil), approved)
	// The relationship's end: P30D from 2026-03-01T00:00Z is 2026-03-31T00:00Z.
	end := at("2026-03-31T00:00:00Z")
	if !rel.EndAt.Equal(end) {
		t.Fatalf("end %v, want %v", rel.EndAt, end)
	}
	refusals := []struct {
		name string
		fn   func() error
		code csp.Code
	}{
		{"OnDraft", func() error {
			_, err := NewAssignment(id, draft, helpdesk, []uuid.UUID{directory.UserAdministrator}, nil, now)
			return err
		}, csp.EGDAPNotActive},
		{"PastTheEnd", func() error {
			_, err := NewAssignment(id, rel, helpdesk, []uuid.UUID{directory.UserAdministrator}, nil, end)
			return err
		}, csp.EGDAPNotActive},
		{"NoGroup", func() error {
			_, err := NewAssignment(id, rel, uuid.Nil, []uuid.UUID{directory.UserAdministrator}, nil, now)
			return err
		}, csp.EMissingField},
		{"NoRoles", func() error {
			_, err := NewAssignment(id, rel, helpdesk, nil, nil, now)
			return err
		}, csp.EGDAPAssignmentNoRoles},
		{"RoleOutsideRelationship", func() error {
			_, err := NewAssignment(id, rel, helpdesk, []uuid.UUID{directory.UserAdministrator, directory.GlobalAdministrator}, nil, now)
			return err
		}, csp.EGDAPAssignmentRole},
		{"SecondForGroup", func() error {
			_, err := NewAssignment(uuid.New(), rel, helpdesk, []uuid.UUID{directory.UserAdministrator}, []*AccessAssignment{a}, now)
			return err
		}, csp.EGDAPAssignmentExists},
		{"SetRolesEmpty", func() error { _, err := a.SetRoles(rel, []uuid.UUID{}, later); return err }, csp.EGDAPAssignmentNoRoles},
		{"SetRolesPastTheEnd", func() error { _, err := a.SetRoles(rel, []uuid.UUID{directory.UserAdministrator}, end); return err }, csp.EGDAPNotActive},
		{"SetRolesDeleted", func() error {
			_, err := deleted.SetRoles(rel, []uuid.UUID{directory.UserAdministrator}, later)
			return err
		}, csp.EGDAPAssignmentDeleted},
		{"DeleteTwice", func() error { _, err := deleted.Delete(later); return err }, csp.EGDAPAssignmentDeleted},
		{"ContainerType", func() error { return CheckContainerType("user") }, csp.EGDAPContainerType},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			if got := csp.ErrorCode(tc.fn()); got != tc.code {
				t.Fatalf("code %d, want %d", got, tc.code)
			}
		})
	}
	if err := CheckContainerType(""); err != nil {
		t.Errorf("empty container type: %v", err)
	}
	// An assignment of an ended relationship can still be deleted.
	term, _ := rel.Terminate(later)
	if _, err := a.Delete(later); err != nil || term.Status != StatusTerminated {
		t.Errorf("deleting after termination: %v", err)
	}
}

func TestNarrow(t *testing.T) {
	approved := at("2026-03-01T00:00:00Z")
	now := approved.Add(time.Hour)
	rel := activeRel(t, relID, approved, "P30D", directory.GlobalAdministrator, directory.UserAdministrator)
	both, _ := NewAssignment(uuid.New(), rel, helpdesk, []uuid.UUID{directory.GlobalAdministrator, directory.UserAdministrator}, nil, now)
	onlyAdmin, _ := NewAssignment(uuid.New(), rel, admins, []uuid.UUID{directory.GlobalAdministrator}, nil, now)
	onlyUser, _ := NewAssignment(uuid.New(), rel, others, []uuid.UUID{directory.UserAdministrator}, nil, now)
	narrowed, err := rel.Apply(Patch{Roles: []uuid.UUID{directory.UserAdministrator}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if n := both.Narrow(narrowed, now); n == nil || n.Status != AssignmentActive || !sameSet(n.Roles, []uuid.UUID{directory.UserAdministrator}) {
		t.Errorf("narrowed both: %+v", n)
	}
	if n := onlyAdmin.Narrow(narrowed, now); n == nil || n.Status != AssignmentDeleted {
		t.Errorf("narrowed Global Administrator only: %+v, want deleted", n)
	}
	if n := onlyUser.Narrow(narrowed, now); n != nil {
		t.Errorf("narrowed an assignment that keeps its roles: %+v", n)
	}
}

// TestEffectiveRoles: a partner user holds the union of the roles of the
// active assignments, to its groups, of the relationships active at now.
func TestEffectiveRoles(t *testing.T) {
	r1ID, r2ID, r3ID := uuid.MustParse("10000000-0000-4000-8000-000000000001"), uuid.MustParse("10000000-0000-4000-8000-000000000002"),
		uuid.MustParse("10000000-0000-4000-8000-000000000003")
	// r1: P30D from 2026-03-01 (ends 2026-03-31); r2: P90D from 2026-03-10
	// (2026-03-10 + 21 = 03-31, + 30 = 04-30, + 31 = 05-31, + 8 = 06-08).
	r1 := activeRel(t, r1ID, at("2026-03-01T00:00:00Z"), "P30D", directory.UserAdministrator, directory.LicenseAdministrator)
	r2 := activeRel(t, r2ID, at("2026-03-10T00:00:00Z"), "P90D", directory.DirectoryReaders, directory.BillingAdministrator, directory.LicenseAdministrator)
	if !r2.EndAt.Equal(at("2026-06-08T00:00:00Z")) {
		t.Fatalf("r2 ends %v, want 2026-06-08", r2.EndAt)
	}
	pending, _ := mustNew(t, request(func(in *NewRelationship) { in.Roles = []uuid.UUID{directory.GlobalAdministrator} }), at("2026-03-01T00:00:00Z")).
		LockForApproval(at("2026-03-02T00:00:00Z"))
	pending.ID = r3ID
	set := at("2026-03-15T00:00:00Z")
	mk := func(rel *Relationship, group uuid.UUID, roles ...uuid.UUID) *AccessAssignment {
		return &AccessAssignment{ID: uuid.New(), RelationshipID: rel.ID, GroupID: group, Roles: roles, Status: AssignmentActive, CreatedAt: set}
	}
	gone := mk(r2, helpdesk, directory.BillingAdministrator)
	gone.Status = AssignmentDeleted
	assignments := []*AccessAssignment{
		mk(r1, helpdesk, directory.LicenseAdministrator),
		mk(r1, admins, directory.UserAdministrator),
		mk(r2, helpdesk, directory.DirectoryReaders, directory.LicenseAdministrator),
		gone,
		mk(r2, others, directory.BillingAdministrator),
		mk(pending, helpdesk, directory.GlobalAdministrator), // not approved: nothing
	}
	rels := []*Relationship{r1, r2, pending}
	tests := []struct {
		name   string
		now    time.Time
		groups []uuid.UUID
		want   []uuid.UUID
	}{
		{"HelpdeskBothActive", at("2026-03-20T00:00:00Z"), []uuid.UUID{helpdesk},
			[]uuid.UUID{directory.LicenseAdministrator, directory.DirectoryReaders}},
		{"HelpdeskAndAdmins", at("2026-03-20T00:00:00Z"), []uuid.UUID{helpdesk, admins},
			[]uuid.UUID{directory.UserAdministrator, directory.LicenseAdministrator, directory.DirectoryReaders}},
		// At r1's end it grants nothing, before its job ran; r2 still gives
		// Licence Administrator and Directory Readers.
		{"AdminsAfterR1Ends", at("2026-03-31T00:00:00Z"), []uuid.UUID{admins}, nil},
		{"HelpdeskAfterR1Ends", at("2026-03-31T00:00:00Z"), []uuid.UUID{helpdesk, admins},
			[]uuid.UUID{directory.LicenseAdministrator, directory.DirectoryReaders}},
		{"AfterBothEnd", at("2026-06-08T00:00:00Z"), []uuid.UUID{helpdesk, admins, others}, nil},
		{"NoGroups", at("2026-03-20T00:00:00Z"), nil, nil},
		{"BeforeApproval", at("2026-02-01T00:00:00Z"), []uuid.UUID{helpdesk, admins, others}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := gocmp.Diff(tc.want, EffectiveRoles(tc.now, rels, assignments, tc.groups)); diff != "" {
				t.Errorf("EffectiveRoles mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// A role no longer among its relationship's roles is not granted, even
	// if an assignment still lists it.
	stale := mk(r1, others, directory.GlobalAdministrator)
	if got := EffectiveRoles(at("2026-03-20T00:00:00Z"), rels, []*AccessAssignment{stale}, []uuid.UUID{others}); got != nil {
		t.Errorf("a role outside the relationship was granted: %v", got)
	}
}
