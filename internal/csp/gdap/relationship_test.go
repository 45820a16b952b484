package gdap

import (
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

var (
	relID    = uuid.MustParse("5d027261-d21f-4aa9-b7db-7fa1f56fb163")
	partner  = uuid.MustParse("8777b240-c6f0-4469-9e98-a3205431b836")
	customer = uuid.MustParse("4b827261-d21f-4aa9-b7db-7fa1f56fb163")
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

func request(mod func(*NewRelationship)) NewRelationship {
	in := NewRelationship{DisplayName: "Contoso admin relationship", Duration: "P730D", CustomerTenantID: customer,
		CustomerDisplayName: "Contoso", Roles: []uuid.UUID{directory.UserAdministrator, directory.LicenseAdministrator}}
	if mod != nil {
		mod(&in)
	}
	return in
}

func mustNew(t *testing.T, in NewRelationship, now time.Time) *Relationship {
	t.Helper()
	r, err := New(relID, partner, in, now)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func TestNewRelationship(t *testing.T) {
	created := at("2026-01-05T10:00:00Z")
	r := mustNew(t, request(func(in *NewRelationship) {
		in.DisplayName = "  Contoso admin relationship "
		in.Roles = append(in.Roles, directory.UserAdministrator) // a duplicate is dropped
		in.AutoExtendDuration = "P180D"
	}), created)
	want := &Relationship{ID: relID, PartnerID: partner, CustomerTenantID: customer, CustomerDisplayName: "Contoso",
		DisplayName: "Contoso admin relationship", Duration: 730, Roles: []uuid.UUID{directory.UserAdministrator, directory.LicenseAdministrator},
		AutoExtendDays: 180, Status: StatusCreated, CreatedAt: created, LastModifiedAt: created, Version: 1}
	if diff := gocmp.Diff(want, r); diff != "" {
		t.Errorf("New mismatch (-want +got):\n%s", diff)
	}
	if r.Due() != nil || r.VisibleToCustomer() || r.ActiveAt(created) {
		t.Errorf("a draft is due %v, visible %v, active %v: want never, no, no", r.Due(), r.VisibleToCustomer(), r.ActiveAt(created))
	}

	refusals := []struct {
		name string
		mod  func(*NewRelationship)
		code csp.Code
	}{
		{"EmptyName", func(in *NewRelationship) { in.DisplayName = "   " }, csp.EGDAPDisplayName},
		{"Name51", func(in *NewRelationship) { in.DisplayName = strings.Repeat("é", 51) }, csp.EGDAPDisplayName},
		{"NameControl", func(in *NewRelationship) { in.DisplayName = "a\x00b" }, csp.EInvalidText},
		{"NoCustomer", func(in *NewRelationship) { in.CustomerTenantID = uuid.Nil }, csp.EMissingField},
		{"LongCustomerName", func(in *NewRelationship) { in.CustomerDisplayName = strings.Repeat("c", 257) }, csp.EGDAPCustomerName},
		{"NoDuration", func(in *NewRelationship) { in.Duration = "" }, csp.EMissingField},
		{"P731D", func(in *NewRelationship) { in.Duration = "P731D" }, csp.EGDAPDuration},
		{"NoRoles", func(in *NewRelationship) { in.Roles = nil }, csp.EGDAPNoRoles},
		{"UnknownRole", func(in *NewRelationship) {
			in.Roles = []uuid.UUID{uuid.MustParse("29232cdf-9323-42fd-ade2-1d097af3e4de")}
		}, csp.EGDAPInvalidRole},
		{"AutoExtend90", func(in *NewRelationship) { in.AutoExtendDuration = "P90D" }, csp.EGDAPAutoExtend},
		{"AutoExtendGlobalAdmin", func(in *NewRelationship) {
			in.Roles, in.AutoExtendDuration = []uuid.UUID{directory.GlobalAdministrator, directory.UserAdministrator}, "P180D"
		}, csp.EGDAPAutoExtendAdmin},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(relID, partner, request(tc.mod), created)
			if got := csp.ErrorCode(err); got != tc.code {
				t.Fatalf("New: %v (code %d), want code %d", err, got, tc.code)
			}
		})
	}
	// 50 characters is the most; Global Administrator without extension is fine.
	mustNew(t, request(func(in *NewRelationship) { in.DisplayName = strings.Repeat("é", 50) }), created)
	mustNew(t, request(func(in *NewRelationship) {
		in.Roles, in.AutoExtendDuration = []uuid.UUID{directory.GlobalAdministrator}, "PT0S"
	}), created)
	if NameKey("  Contoso Admin ") != NameKey("contoso admin") {
		t.Errorf("NameKey differs by case and spaces")
	}
}

// TestLifecycle walks a relationship from draft to its end with dates worked
// out by hand.
func TestLifecycle(t *testing.T) {
	created, locked, approved := at("2026-01-05T10:00:00Z"), at("2026-01-06T08:00:00Z"), at("2026-01-10T09:00:00Z")
	r := mustNew(t, request(func(in *NewRelationship) { in.AutoExtendDuration = "P180D" }), created)
	r, err := r.LockForApproval(locked)
	if err != nil {
		t.Fatal(err)
	}
	// The request lapses 90 days after the lock: 2026-01-06 + 25 (to Jan 31)
	// + 28 (Feb) + 31 (Mar) = 84 days to 2026-03-31, + 6 = 2026-04-06.
	if r.Status != StatusApprovalPending || !r.Due().Equal(at("2026-04-06T08:00:00Z")) || !r.VisibleToCustomer() {
		t.Fatalf("locked: status %s due %v visible %v, want approvalPending, 2026-04-06T08:00Z, true", r.Status, r.Due(), r.VisibleToCustomer())
	}
	if _, err := r.LockForApproval(locked); csp.ErrorCode(err) != csp.EGDAPNotCreated {
		t.Errorf("locking twice: %v, want %d", err, csp.EGDAPNotCreated)
	}
	if _, err := r.Terminate(locked); csp.ErrorCode(err) != csp.EGDAPNotActive {
		t.Errorf("terminating a pending one: %v, want %d", err, csp.EGDAPNotActive)
	}
	if r.ActiveAt(approved) {
		t.Errorf("a pending relationship grants roles")
	}
	r, err = r.Approve(approved, "Contoso Ltd")
	if err != nil {
		t.Fatal(err)
	}
	// P730D from 2026-01-10T09:00Z: 2026-01-10 → 2027-01-10 is 365 days (no
	// 29 February between), 2027-01-10 → 2028-01-10 another 365 (February
	// 2028 comes after), so the end is 2028-01-10T09:00Z.
	end := at("2028-01-10T09:00:00Z")
	if r.Status != StatusActive || !r.ActivatedAt.Equal(approved) || !r.EndAt.Equal(end) || !r.Due().Equal(end) || r.CustomerDisplayName != "Contoso Ltd" {
		t.Fatalf("approved: %s activated %v end %v due %v customer %q", r.Status, r.ActivatedAt, r.EndAt, r.Due(), r.CustomerDisplayName)
	}
	if !r.ActiveAt(end.Add(-time.Second)) || r.ActiveAt(end) {
		t.Errorf("active a second before its end: %v, at its end: %v; want true, false", r.ActiveAt(end.Add(-time.Second)), r.ActiveAt(end))
	}
	if _, err := r.Approve(approved, ""); csp.ErrorCode(err) != csp.EGDAPNotPending {
		t.Errorf("approving twice: %v, want %d", err, csp.EGDAPNotPending)
	}
	if r.Lapse(end.Add(-time.Second)) != nil {
		t.Errorf("Lapse before the end changed the relationship")
	}
	// At its end it extends by 180 days: 2028-01-10 + 21 (to Jan 31) + 29
	// (February 2028, a leap year) + 31 + 30 + 31 + 30 = 172 days to
	// 2028-06-30, + 8 = 2028-07-08.
	ext := r.Lapse(end)
	ext2 := at("2028-07-08T09:00:00Z")
	if ext.Status != StatusActive || !ext.EndAt.Equal(ext2) || !ext.LastModifiedAt.Equal(end) || !ext.ActivatedAt.Equal(approved) {
		t.Fatalf("extended: %s end %v modified %v", ext.Status, ext.EndAt, ext.LastModifiedAt)
	}
	// Auto-extension turned off while active: it expires at that end.
	off, err := ext.Apply(Patch{AutoExtendDuration: ptr("PT0S")}, at("2028-03-01T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	gone := off.Lapse(ext2)
	if gone.Status != StatusExpired || !gone.EndAt.Equal(ext2) || gone.Due() != nil || gone.ActiveAt(ext2.Add(-time.Second)) {
		t.Fatalf("expired: %s end %v due %v", gone.Status, gone.EndAt, gone.Due())
	}
	if gone.Lapse(ext2) != nil {
		t.Errorf("an expired relationship lapses again")
	}
	if _, err := gone.Terminate(ext2); csp.ErrorCode(err) != csp.EGDAPNotActive {
		t.Errorf("terminating an expired one: %v, want %d", err, csp.EGDAPNotActive)
	}
	if err := gone.CheckDeletable(); csp.ErrorCode(err) != csp.EGDAPNotCreated {
		t.Errorf("deleting an expired one: %v, want %d", err, csp.EGDAPNotCreated)
	}
}

func TestLapseAndEnds(t *testing.T) {
	locked := at("2026-01-10T09:00:00Z")
	pending, err := mustNew(t, request(nil), at("2026-01-09T00:00:00Z")).LockForApproval(locked)
	if err != nil {
		t.Fatal(err)
	}
	// 90 days after 2026-01-10: 21 (to Jan 31) + 28 + 31 = 80 to 2026-03-31,
	// + 10 = 2026-04-10.
	lapse := at("2026-04-10T09:00:00Z")
	if _, err := pending.Approve(lapse, ""); csp.ErrorCode(err) != csp.EGDAPNotPending {
		t.Errorf("approving at the lapse: %v, want %d", err, csp.EGDAPNotPending)
	}
	if _, err := pending.Approve(lapse.Add(-time.Second), ""); err != nil {
		t.Errorf("approving a second before the lapse: %v", err)
	}
	x := pending.Lapse(lapse.Add(time.Hour)) // a late job ends it at the lapse, not later
	if x.Status != StatusExpired || !x.EndAt.Equal(lapse) || !x.LastModifiedAt.Equal(lapse) || x.ActivatedAt != nil {
		t.Errorf("lapsed request: %s end %v modified %v activated %v", x.Status, x.EndAt, x.LastModifiedAt, x.ActivatedAt)
	}

	rejectAt := at("2026-02-01T12:00:00Z")
	rej, err := pending.Reject(rejectAt)
	if err != nil {
		t.Fatal(err)
	}
	if rej.Status != StatusTerminated || !rej.EndAt.Equal(rejectAt) || rej.ActivatedAt != nil || rej.Due() != nil {
		t.Errorf("rejected: %s end %v activated %v due %v", rej.Status, rej.EndAt, rej.ActivatedAt, rej.Due())
	}
	if _, err := rej.Reject(rejectAt); csp.ErrorCode(err) != csp.EGDAPNotPending {
		t.Errorf("rejecting twice: %v", err)
	}

	// P1Y is 365 days, not a calendar year: from 2027-06-01 the 365 days
	// cross 29 February 2028, so the end is 2028-05-31, a day short of the
	// calendar year.
	p1y, _ := mustNew(t, request(func(in *NewRelationship) { in.Duration = "P1Y" }), at("2027-05-01T00:00:00Z")).LockForApproval(at("2027-05-02T00:00:00Z"))
	act, err := p1y.Approve(at("2027-06-01T09:00:00Z"), "")
	if err != nil {
		t.Fatal(err)
	}
	if !act.EndAt.Equal(at("2028-05-31T09:00:00Z")) {
		t.Errorf("P1Y from 2027-06-01T09:00Z ends %v, want 2028-05-31T09:00Z", act.EndAt)
	}
	termAt := at("2027-07-01T00:00:00Z")
	term, err := act.Terminate(termAt)
	if err != nil {
		t.Fatal(err)
	}
	if term.Status != StatusTerminated || !term.EndAt.Equal(termAt) || term.Due() != nil || act.Lapse(act.EndAt.Add(-time.Hour)) != nil {
		t.Errorf("terminated: %s end %v due %v", term.Status, term.EndAt, term.Due())
	}
	// Past its end, before its job ran, it grants nothing and cannot be terminated.
	if _, err := act.Terminate(*act.EndAt); csp.ErrorCode(err) != csp.EGDAPNotActive {
		t.Errorf("terminating past the end: %v", err)
	}
	// A stale job (due at the old end of a relationship that was since
	// terminated) changes nothing.
	if term.Lapse(*act.EndAt) != nil {
		t.Errorf("a terminated relationship lapses")
	}
}

func TestApply(t *testing.T) {
	created, now := at("2026-01-05T10:00:00Z"), at("2026-01-06T10:00:00Z")
	draft := mustNew(t, request(nil), created)
	got, err := draft.Apply(Patch{DisplayName: ptr("Renamed"), Duration: ptr("P2Y"), Roles: []uuid.UUID{directory.DirectoryReaders},
		AutoExtendDuration: ptr("P180D")}, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != "Renamed" || got.Duration != 730 || !sameSet(got.Roles, []uuid.UUID{directory.DirectoryReaders}) || got.AutoExtendDays != 180 ||
		!got.LastModifiedAt.Equal(now) || draft.DisplayName != "Contoso admin relationship" {
		t.Errorf("patched draft: %+v (original %q)", got, draft.DisplayName)
	}
	withAdmin := mustNew(t, request(func(in *NewRelationship) {
		in.Roles = []uuid.UUID{directory.GlobalAdministrator, directory.UserAdministrator}
	}), created)
	pending, _ := withAdmin.LockForApproval(now)
	active, err := pending.Approve(now, "")
	if err != nil {
		t.Fatal(err)
	}
	later := now.Add(time.Hour)
	// The whole object sent back unchanged but for the roles without Global
	// Administrator: allowed while active.
	dropped, err := active.Apply(Patch{DisplayName: ptr(active.DisplayName), Duration: ptr("P730D"), Roles: []uuid.UUID{directory.UserAdministrator}}, later)
	if err != nil {
		t.Fatal(err)
	}
	if !sameSet(dropped.Roles, []uuid.UUID{directory.UserAdministrator}) {
		t.Errorf("roles after dropping Global Administrator: %v", dropped.Roles)
	}
	// Once Global Administrator is gone, auto-extension is allowed.
	if _, err := dropped.Apply(Patch{AutoExtendDuration: ptr("P180D")}, later); err != nil {
		t.Errorf("extending after dropping Global Administrator: %v", err)
	}
	terminated, _ := dropped.Terminate(later)

	refusals := []struct {
		name string
		r    *Relationship
		p    Patch
		code csp.Code
	}{
		{"Empty", draft, Patch{}, csp.EEmptyPatch},
		{"BadName", draft, Patch{DisplayName: ptr("")}, csp.EGDAPDisplayName},
		{"BadDuration", draft, Patch{Duration: ptr("P0D")}, csp.EGDAPDuration},
		{"BadRoles", draft, Patch{Roles: []uuid.UUID{}}, csp.EGDAPNoRoles},
		{"ExtendWithAdmin", withAdmin, Patch{AutoExtendDuration: ptr("P180D")}, csp.EGDAPAutoExtendAdmin},
		{"AddAdminToExtending", got, Patch{Roles: []uuid.UUID{directory.GlobalAdministrator}}, csp.EGDAPAutoExtendAdmin},
		{"PendingName", pending, Patch{DisplayName: ptr("Other")}, csp.EGDAPNotCreated},
		{"PendingExtend", pending, Patch{AutoExtendDuration: ptr("P180D")}, csp.EGDAPAutoExtendFixed},
		{"ActiveName", active, Patch{DisplayName: ptr("Other")}, csp.EGDAPNotCreated},
		{"ActiveDuration", active, Patch{Duration: ptr("P1D")}, csp.EGDAPNotCreated},
		{"ActiveAddRole", active, Patch{Roles: []uuid.UUID{directory.GlobalAdministrator, directory.UserAdministrator, directory.DirectoryReaders}}, csp.EGDAPActiveRoles},
		{"ActiveSwapRole", dropped, Patch{Roles: []uuid.UUID{directory.DirectoryReaders}}, csp.EGDAPActiveRoles},
		{"ActiveExtendWithAdmin", active, Patch{AutoExtendDuration: ptr("P180D")}, csp.EGDAPAutoExtendAdmin},
		{"TerminatedExtend", terminated, Patch{AutoExtendDuration: ptr("P180D")}, csp.EGDAPAutoExtendFixed},
		{"TerminatedRoles", terminated, Patch{Roles: []uuid.UUID{directory.DirectoryReaders}}, csp.EGDAPNotCreated},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.r.Apply(tc.p, later); csp.ErrorCode(err) != tc.code {
				t.Fatalf("Apply: %v, want code %d", err, tc.code)
			}
		})
	}
	// Values sent as they are change nothing, even after the draft stage.
	if _, err := terminated.Apply(Patch{DisplayName: ptr(terminated.DisplayName), AutoExtendDuration: ptr("P0D")}, later); err != nil {
		t.Errorf("unchanged values on a terminated relationship: %v", err)
	}
	if err := draft.CheckDeletable(); err != nil {
		t.Errorf("deleting a draft: %v", err)
	}
	if err := pending.CheckDeletable(); csp.ErrorCode(err) != csp.EGDAPNotCreated {
		t.Errorf("deleting a pending one: %v", err)
	}
}
