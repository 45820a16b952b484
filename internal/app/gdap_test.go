package app_test

// GDAP through the use cases on both engines: a partner's relationships
// approved, extended, expired and terminated as the sandbox clock moves,
// with the dates worked out by hand; the roles a partner user holds through
// them; and refusals that change nothing.

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/testdb"
)

// gdapWorld is a sandbox with a direct partner (an adminAgent and a
// salesAgent), another partner's adminAgent, and two tenants with their
// Global Administrators.
type gdapWorld struct {
	a                  *app.App
	op, agent, sales   csp.Principal
	rival              csp.Principal
	admin, otherAdmin  csp.Principal
	reader             csp.Principal // a user of the tenant without Global Administrator
	partnerID, tenant  uuid.UUID
	otherTenant        uuid.UUID
	tenantDisplayName  string
	helpdesk, licences uuid.UUID // the partner's security groups
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// must answers v, or panics on an unexpected error (Go cannot pass a call's
// two results beside a *testing.T; the panic fails the test with its stack).
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

func newGDAPWorld(t *testing.T, e testdb.Engine, start time.Time) *gdapWorld {
	t.Helper()
	ctx := context.Background()
	a := must(app.New(ctx, e.Open(t), app.Options{Sandbox: true, StartTime: start, BaseURL: "http://127.0.0.1:8080"}))
	w := &gdapWorld{a: a}
	opKey := must(a.MintOperatorKey(ctx))
	w.op = must(a.Authenticate(ctx, opKey.APIKey, ""))
	user := func(partnerID uuid.UUID, email string, role csp.Role) csp.Principal {
		_, key, err := a.CreatePartnerUser(ctx, w.op, partnerID, app.NewPartnerUser{DisplayName: email, Email: email, Roles: []string{string(role)}})
		if err != nil {
			t.Fatal(err)
		}
		return must(a.Authenticate(ctx, key.APIKey, ""))
	}
	p := must(a.CreatePartner(ctx, w.op, app.NewPartner{Name: "Adatum MSP", Country: "US", PartnerType: string(csp.PartnerDirect)}))
	w.partnerID = p.ID
	w.agent = user(p.ID, "agent@adatum.example.com", csp.RoleAdminAgent)
	w.sales = user(p.ID, "sales@adatum.example.com", csp.RoleSalesAgent)
	// Two security groups of the partner's own tenant (its id), the agent
	// a member of the first.
	w.helpdesk, w.licences = w.group(t, w.agent, p.ID, "helpdesk"), w.group(t, w.agent, p.ID, "licences")
	if err := a.AddGroupMember(ctx, w.agent, p.ID, w.helpdesk, "agent@adatum.example.com"); err != nil {
		t.Fatal(err)
	}
	q := must(a.CreatePartner(ctx, w.op, app.NewPartner{Name: "Rival MSP", Country: "US", PartnerType: string(csp.PartnerDirect)}))
	w.rival = user(q.ID, "agent@rival.example.com", csp.RoleAdminAgent)
	tenant := func(name, domain string) (uuid.UUID, csp.Principal) {
		c := must(a.CreateDirectTenant(ctx, w.op, csp.NewTenant{CompanyName: name, Domain: domain, Address: benchAddress, BillingProfile: benchBilling}))
		return c.Tenant.ID, must(a.Authenticate(ctx, c.AdminKey.APIKey, ""))
	}
	w.tenant, w.admin = tenant("Contoso", "contoso")
	w.otherTenant, w.otherAdmin = tenant("Fabrikam", "fabrikam")
	w.tenantDisplayName = "Contoso"
	w.reader = w.admin
	w.reader.GlobalAdmin = false
	return w
}

// group creates a security group in a directory.
func (w *gdapWorld) group(t *testing.T, p csp.Principal, tenantID uuid.UUID, name string) uuid.UUID {
	t.Helper()
	sec, mail := true, false
	g := must(w.a.CreateGroup(context.Background(), p, tenantID, directory.Group{DisplayName: name, MailNickname: name},
		directory.GroupKind{SecurityEnabled: &sec, MailEnabled: &mail}))
	return g.ID
}

func (w *gdapWorld) create(t *testing.T, name, duration, extend string, roles ...uuid.UUID) *gdap.Relationship {
	t.Helper()
	return must(w.a.CreateGDAPRelationship(context.Background(), w.agent, gdap.NewRelationship{DisplayName: name, Duration: duration,
		CustomerTenantID: w.tenant, Roles: roles, AutoExtendDuration: extend}))
}

func (w *gdapWorld) request(t *testing.T, id uuid.UUID, action string) *gdap.Relationship {
	t.Helper()
	return must(w.a.RequestGDAPAction(context.Background(), w.agent, id, action)).Relationship
}

func (w *gdapWorld) answer(t *testing.T, id uuid.UUID, action string) *gdap.Relationship {
	t.Helper()
	return must(w.a.TenantGDAPAction(context.Background(), w.admin, id, action))
}

func (w *gdapWorld) get(t *testing.T, id uuid.UUID) *gdap.Relationship {
	t.Helper()
	return must(w.a.GetGDAPRelationship(context.Background(), w.agent, id))
}

// advance moves the clock to s and answers the events the advance did.
func (w *gdapWorld) advance(t *testing.T, s string) int {
	t.Helper()
	res := must(w.a.AdvanceClock(context.Background(), w.op, "", ts(s)))
	return res.ProcessedEvents
}

func (w *gdapWorld) roles(t *testing.T, groups ...uuid.UUID) []uuid.UUID {
	t.Helper()
	return must(w.a.DelegatedRolesNow(context.Background(), w.partnerID, w.tenant, groups))
}

func wantStatus(t *testing.T, r *gdap.Relationship, status gdap.Status, end string) {
	t.Helper()
	if r.Status != status || r.EndAt == nil || !r.EndAt.Equal(ts(end)) {
		t.Fatalf("relationship %q: %s ending %v, want %s ending %s", r.DisplayName, r.Status, r.EndAt, status, end)
	}
}

// TestGDAPLifecycle follows three requests of one partner to one tenant
// over two years of sandbox time.
func TestGDAPLifecycle(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := newGDAPWorld(t, e, ts("2026-01-05T09:00:00Z"))
			ua, la, dr := directory.UserAdministrator, directory.LicenseAdministrator, directory.DirectoryReaders
			helpdesk := w.create(t, "Contoso helpdesk", "P730D", "", ua, la)
			licences := w.create(t, "Contoso licences", "P90D", "P180D", la, dr)
			readers := w.create(t, "Contoso readers", "P30D", "", dr)
			w.create(t, "Contoso draft", "P1D", "", dr) // never locked: the customer never sees it
			if helpdesk.CustomerDisplayName != "Contoso" || helpdesk.Status != gdap.StatusCreated {
				t.Fatalf("created: %+v", helpdesk)
			}
			for _, r := range []*gdap.Relationship{helpdesk, licences, readers} {
				w.request(t, r.ID, gdap.ActionLockForApproval)
			}
			// The customer sees the three locked requests, not the draft.
			seen := must(w.a.TenantGDAPRelationships(ctx, w.admin, app.Page[app.Cursor]{}))
			if len(seen.Items) != 3 {
				t.Fatalf("the customer sees %d relationships, want 3", len(seen.Items))
			}
			if mine := must(w.a.ListGDAPRelationships(ctx, w.agent, nil, app.Page[app.Cursor]{Size: 2})); len(mine.Items) != 2 || mine.Next == nil {
				t.Fatalf("partner's first page: %d items, next %v; want 2 and a next page", len(mine.Items), mine.Next)
			}

			if n := w.advance(t, "2026-01-10T09:00:00Z"); n != 0 {
				t.Errorf("advance to 2026-01-10: %d events, want 0", n)
			}
			helpdesk = w.answer(t, helpdesk.ID, gdap.ActionApprove)
			licences = w.answer(t, licences.ID, gdap.ActionApprove)
			// P730D from 2026-01-10T09:00Z: 365 days to 2027-01-10, 365 more
			// to 2028-01-10 (February 2028's 29th falls after). P90D:
			// 21 days to Jan 31, 28 to Feb 28, 31 to Mar 31, 10 to Apr 10.
			wantStatus(t, helpdesk, gdap.StatusActive, "2028-01-10T09:00:00Z")
			wantStatus(t, licences, gdap.StatusActive, "2026-04-10T09:00:00Z")
			if before := w.roles(t, w.helpdesk, w.licences); before != nil {
				t.Errorf("roles before any access assignment: %v", before)
			}
			must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, helpdesk.ID, app.NewAccessAssignment{GroupID: w.helpdesk, Roles: []uuid.UUID{ua}}))
			must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, licences.ID, app.NewAccessAssignment{GroupID: w.licences,
				ContainerType: gdap.ContainerSecurityGroup, Roles: []uuid.UUID{la, dr}}))
			// In directory.Roles' order: User, License, then Directory Readers.
			if diff := gocmp.Diff([]uuid.UUID{ua, la, dr}, w.roles(t, w.helpdesk, w.licences)); diff != "" {
				t.Errorf("roles of both groups (-want +got):\n%s", diff)
			}
			if got := w.roles(t, uuid.New()); got != nil {
				t.Errorf("a group without assignment holds %v", got)
			}
			if got := must(w.a.DelegatedRolesNow(ctx, w.partnerID, w.otherTenant, []uuid.UUID{w.helpdesk})); got != nil {
				t.Errorf("roles in a tenant without relationship: %v", got)
			}

			// 2026-04-05T09:00Z: the readers request lapses, 90 days after
			// its lock (26 days to Jan 31, 28, 31, then 5). 2026-04-10: the
			// licences relationship extends by 180 days (20 days to Apr 30,
			// 31, 30, 31, 31, 30 to Sep 30 = 173, then 7): 2026-10-07.
			if n := w.advance(t, "2026-04-10T09:00:00Z"); n != 2 {
				t.Errorf("advance to 2026-04-10: %d events, want 2", n)
			}
			readers = w.get(t, readers.ID)
			wantStatus(t, readers, gdap.StatusExpired, "2026-04-05T09:00:00Z")
			if readers.ActivatedAt != nil {
				t.Errorf("a lapsed request was activated at %v", readers.ActivatedAt)
			}
			licences = w.get(t, licences.ID)
			wantStatus(t, licences, gdap.StatusActive, "2026-10-07T09:00:00Z")
			if !licences.LastModifiedAt.Equal(ts("2026-04-10T09:00:00Z")) {
				t.Errorf("extension modified at %v", licences.LastModifiedAt)
			}
			if diff := gocmp.Diff([]uuid.UUID{ua, la, dr}, w.roles(t, w.helpdesk, w.licences)); diff != "" {
				t.Errorf("roles after the extension (-want +got):\n%s", diff)
			}

			// 2026-10-07 + 180 days (24 to Oct 31, 30, 31, 31, 28 in
			// February 2027, 31 to Mar 31 = 175, then 5): 2027-04-05.
			if n := w.advance(t, "2027-01-01T00:00:00Z"); n != 1 {
				t.Errorf("advance to 2027-01-01: %d events, want 1", n)
			}
			licences = w.get(t, licences.ID)
			wantStatus(t, licences, gdap.StatusActive, "2027-04-05T09:00:00Z")
			off := "PT0S"
			licences = must(w.a.PatchGDAPRelationship(ctx, w.agent, licences.ID, gdap.Patch{AutoExtendDuration: &off}, licences.ETag()))
			if n := w.advance(t, "2027-04-05T09:00:00Z"); n != 1 {
				t.Errorf("advance to 2027-04-05: %d events, want 1", n)
			}
			wantStatus(t, w.get(t, licences.ID), gdap.StatusExpired, "2027-04-05T09:00:00Z")
			if diff := gocmp.Diff([]uuid.UUID{ua}, w.roles(t, w.helpdesk, w.licences)); diff != "" {
				t.Errorf("roles after the licences relationship expired (-want +got):\n%s", diff)
			}

			if n := w.advance(t, "2028-01-10T09:00:00Z"); n != 1 {
				t.Errorf("advance to 2028-01-10: %d events, want 1", n)
			}
			wantStatus(t, w.get(t, helpdesk.ID), gdap.StatusExpired, "2028-01-10T09:00:00Z")
			if got := w.roles(t, w.helpdesk, w.licences); got != nil {
				t.Errorf("roles after every relationship ended: %v", got)
			}

			// Termination by either side ends the roles at once.
			byCustomer := w.create(t, "Contoso 2028", "P365D", "P180D", ua)
			byPartner := w.create(t, "Contoso 2028 licences", "P365D", "", la)
			for _, r := range []*gdap.Relationship{byCustomer, byPartner} {
				w.request(t, r.ID, gdap.ActionLockForApproval)
				w.answer(t, r.ID, gdap.ActionApprove)
			}
			must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, byCustomer.ID, app.NewAccessAssignment{GroupID: w.helpdesk, Roles: []uuid.UUID{ua}}))
			must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, byPartner.ID, app.NewAccessAssignment{GroupID: w.helpdesk, Roles: []uuid.UUID{la}}))
			if diff := gocmp.Diff([]uuid.UUID{ua, la}, w.roles(t, w.helpdesk)); diff != "" {
				t.Errorf("roles of the 2028 relationships (-want +got):\n%s", diff)
			}
			wantStatus(t, w.answer(t, byCustomer.ID, gdap.ActionTerminate), gdap.StatusTerminated, "2028-01-10T09:00:00Z")
			wantStatus(t, w.request(t, byPartner.ID, gdap.ActionTerminate), gdap.StatusTerminated, "2028-01-10T09:00:00Z")
			if got := w.roles(t, w.helpdesk); got != nil {
				t.Errorf("roles after both terminations: %v", got)
			}
			// Neither has a job left: a long advance does nothing.
			if n := w.advance(t, "2030-01-01T00:00:00Z"); n != 0 {
				t.Errorf("advance past every end: %d events, want 0", n)
			}

			// The partner's audit records name each change.
			recs := must(w.a.ListAudit(ctx, w.agent, ts("2026-01-01T00:00:00Z"), ts("2031-01-01T00:00:00Z"), app.Page[app.Cursor]{}))
			ops := map[string]int{}
			for _, r := range recs.Items {
				if r.ResourceType == gdap.ResRelationship || r.ResourceType == gdap.ResAccessAssignment {
					ops[r.OperationType]++
				}
			}
			want := map[string]int{gdap.OpCreateRelationship: 6, gdap.OpLockForApproval: 5, gdap.OpApproveRelationship: 4, gdap.OpCreateAssignment: 4,
				gdap.OpUpdateRelationship: 1, gdap.OpTerminateRelationship: 2}
			if diff := gocmp.Diff(want, ops); diff != "" {
				t.Errorf("audit operations (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGDAPDropGlobalAdministrator: an active relationship may lose Global
// Administrator, and its access assignments lose it too.
func TestGDAPDropGlobalAdministrator(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := newGDAPWorld(t, e, ts("2026-01-05T09:00:00Z"))
			ga, ua := directory.GlobalAdministrator, directory.UserAdministrator
			r := w.create(t, "Contoso full", "P30D", "", ga, ua)
			w.request(t, r.ID, gdap.ActionLockForApproval)
			r = w.answer(t, r.ID, gdap.ActionApprove)
			onlyGA := must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, r.ID, app.NewAccessAssignment{GroupID: w.helpdesk, Roles: []uuid.UUID{ga}}))
			both := must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, r.ID, app.NewAccessAssignment{GroupID: w.licences, Roles: []uuid.UUID{ga, ua}}))
			if diff := gocmp.Diff([]uuid.UUID{ga}, w.roles(t, w.helpdesk)); diff != "" {
				t.Errorf("before (-want +got):\n%s", diff)
			}
			r = must(w.a.PatchGDAPRelationship(ctx, w.agent, r.ID, gdap.Patch{Roles: []uuid.UUID{ua}}, ""))
			if got := w.roles(t, w.helpdesk); got != nil {
				t.Errorf("the Global Administrator group still holds %v", got)
			}
			if diff := gocmp.Diff([]uuid.UUID{ua}, w.roles(t, w.licences)); diff != "" {
				t.Errorf("the other group (-want +got):\n%s", diff)
			}
			if got := must(w.a.GetGDAPAccessAssignment(ctx, w.agent, r.ID, onlyGA.ID)); got.Status != gdap.AssignmentDeleted {
				t.Errorf("the Global Administrator only assignment is %s, want deleted", got.Status)
			}
			got := must(w.a.GetGDAPAccessAssignment(ctx, w.agent, r.ID, both.ID))
			if got.Status != gdap.AssignmentActive || !gocmp.Equal(got.Roles, []uuid.UUID{ua}) || got.Version != 2 {
				t.Errorf("the other assignment: %+v", got)
			}
			// Without Global Administrator it may now auto-extend.
			ext := "P180D"
			if r = must(w.a.PatchGDAPRelationship(ctx, w.agent, r.ID, gdap.Patch{AutoExtendDuration: &ext}, r.ETag())); r.AutoExtendDays != 180 {
				t.Errorf("auto-extension %d days", r.AutoExtendDays)
			}
		})
	}
}

// TestGDAPRefusals: each refused operation answers its code and changes
// nothing the partner or the customer can read.
func TestGDAPRefusals(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := newGDAPWorld(t, e, ts("2026-01-05T09:00:00Z"))
			ua, la, ga := directory.UserAdministrator, directory.LicenseAdministrator, directory.GlobalAdministrator
			draft := w.create(t, "Contoso draft", "P90D", "", ua, la)
			pending := w.create(t, "Contoso pending", "P90D", "", ua)
			w.request(t, pending.ID, gdap.ActionLockForApproval)
			active := w.create(t, "Contoso active", "P90D", "", ua, la)
			w.request(t, active.ID, gdap.ActionLockForApproval)
			active = w.answer(t, active.ID, gdap.ActionApprove)
			assigned := must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, active.ID, app.NewAccessAssignment{GroupID: w.helpdesk, Roles: []uuid.UUID{ua}}))
			deleted := must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, active.ID, app.NewAccessAssignment{GroupID: w.licences, Roles: []uuid.UUID{la}}))
			deleted = must(w.a.DeleteGDAPAccessAssignment(ctx, w.agent, active.ID, deleted.ID, ""))

			state := func() string {
				rels := must(w.a.ListGDAPRelationships(ctx, w.agent, nil, app.Page[app.Cursor]{}))
				as := must(w.a.ListGDAPAccessAssignments(ctx, w.agent, active.ID, app.Page[app.Cursor]{}))
				seen := must(w.a.TenantGDAPRelationships(ctx, w.admin, app.Page[app.Cursor]{}))
				audit := must(w.a.ListAudit(ctx, w.agent, ts("2026-01-01T00:00:00Z"), ts("2027-01-01T00:00:00Z"), app.Page[app.Cursor]{}))
				b, _ := json.Marshal([]any{rels, as, seen, len(audit.Items)})
				return string(b)
			}
			customersGroup := w.group(t, w.admin, w.tenant, "contoso-admins")
			rivalsGroup := w.group(t, w.rival, w.rival.PartnerID, "rival-helpdesk")
			before := state()
			str := func(s string) *string { return &s }
			newRel := func(mod func(*gdap.NewRelationship)) gdap.NewRelationship {
				in := gdap.NewRelationship{DisplayName: "Contoso new", Duration: "P30D", CustomerTenantID: w.tenant, Roles: []uuid.UUID{ua}}
				mod(&in)
				return in
			}
			create := func(p csp.Principal, in gdap.NewRelationship) error {
				_, err := w.a.CreateGDAPRelationship(ctx, p, in)
				return err
			}
			stale := csp.ETag(active.ID, active.Version-1)
			refusals := []struct {
				name string
				fn   func() error
				code csp.Code
			}{
				{"SalesAgentCreates", func() error { return create(w.sales, newRel(func(*gdap.NewRelationship) {})) }, csp.EForbiddenRole},
				{"CustomerCreates", func() error { return create(w.admin, newRel(func(*gdap.NewRelationship) {})) }, csp.EWrongAPI},
				{"TakenName", func() error {
					return create(w.agent, newRel(func(in *gdap.NewRelationship) { in.DisplayName = "CONTOSO draft" }))
				}, csp.EGDAPDisplayNameTaken},
				{"UnknownTenant", func() error {
					return create(w.agent, newRel(func(in *gdap.NewRelationship) { in.CustomerTenantID = uuid.New() }))
				}, csp.ETenantNotFound},
				{"NoTenant", func() error {
					return create(w.agent, newRel(func(in *gdap.NewRelationship) { in.CustomerTenantID = uuid.Nil }))
				}, csp.EMissingField},
				{"TooLong", func() error { return create(w.agent, newRel(func(in *gdap.NewRelationship) { in.Duration = "P731D" })) }, csp.EGDAPDuration},
				{"UnknownRole", func() error {
					return create(w.agent, newRel(func(in *gdap.NewRelationship) { in.Roles = []uuid.UUID{uuid.New()} }))
				}, csp.EGDAPInvalidRole},
				{"ExtendGlobalAdmin", func() error {
					return create(w.agent, newRel(func(in *gdap.NewRelationship) { in.Roles, in.AutoExtendDuration = []uuid.UUID{ga}, "P180D" }))
				}, csp.EGDAPAutoExtendAdmin},
				{"RivalReads", func() error { _, err := w.a.GetGDAPRelationship(ctx, w.rival, draft.ID); return err }, csp.EGDAPNotFound},
				{"RivalLocks", func() error {
					_, err := w.a.RequestGDAPAction(ctx, w.rival, draft.ID, gdap.ActionLockForApproval)
					return err
				}, csp.EGDAPNotFound},
				{"PartnerApproves", func() error {
					_, err := w.a.RequestGDAPAction(ctx, w.agent, pending.ID, gdap.ActionApprove)
					return err
				}, csp.EGDAPRequestAction},
				{"UnknownAction", func() error { _, err := w.a.RequestGDAPAction(ctx, w.agent, draft.ID, "extend"); return err }, csp.EGDAPRequestAction},
				{"LockPending", func() error {
					_, err := w.a.RequestGDAPAction(ctx, w.agent, pending.ID, gdap.ActionLockForApproval)
					return err
				}, csp.EGDAPNotCreated},
				{"TerminatePending", func() error {
					_, err := w.a.RequestGDAPAction(ctx, w.agent, pending.ID, gdap.ActionTerminate)
					return err
				}, csp.EGDAPNotActive},
				{"RenameActive", func() error {
					_, err := w.a.PatchGDAPRelationship(ctx, w.agent, active.ID, gdap.Patch{DisplayName: str("Renamed")}, "")
					return err
				}, csp.EGDAPNotCreated},
				{"StaleETag", func() error {
					_, err := w.a.PatchGDAPRelationship(ctx, w.agent, active.ID, gdap.Patch{AutoExtendDuration: str("P180D")}, stale)
					return err
				}, csp.EPreconditionFailed},
				{"RenameToTaken", func() error {
					_, err := w.a.PatchGDAPRelationship(ctx, w.agent, draft.ID, gdap.Patch{DisplayName: str("contoso ACTIVE")}, "")
					return err
				}, csp.EGDAPDisplayNameTaken},
				{"DeleteActive", func() error { return w.a.DeleteGDAPRelationship(ctx, w.agent, active.ID, "") }, csp.EGDAPNotCreated},
				{"DeleteStale", func() error { return w.a.DeleteGDAPRelationship(ctx, w.agent, draft.ID, csp.ETag(draft.ID, 7)) }, csp.EPreconditionFailed},
				{"ReaderLists", func() error { _, err := w.a.TenantGDAPRelationships(ctx, w.reader, app.Page[app.Cursor]{}); return err }, csp.EForbiddenRole},
				{"ReaderApproves", func() error {
					_, err := w.a.TenantGDAPAction(ctx, w.reader, pending.ID, gdap.ActionApprove)
					return err
				}, csp.EForbiddenRole},
				{"PartnerAsCustomer", func() error { _, err := w.a.TenantGDAPAction(ctx, w.agent, pending.ID, gdap.ActionApprove); return err }, csp.EWrongAPI},
				{"OtherTenantApproves", func() error {
					_, err := w.a.TenantGDAPAction(ctx, w.otherAdmin, pending.ID, gdap.ActionApprove)
					return err
				}, csp.EGDAPNotFound},
				{"CustomerApprovesDraft", func() error { _, err := w.a.TenantGDAPAction(ctx, w.admin, draft.ID, gdap.ActionApprove); return err }, csp.EGDAPNotFound},
				{"CustomerLocks", func() error {
					_, err := w.a.TenantGDAPAction(ctx, w.admin, pending.ID, gdap.ActionLockForApproval)
					return err
				}, csp.EGDAPRequestAction},
				{"ApproveActive", func() error { _, err := w.a.TenantGDAPAction(ctx, w.admin, active.ID, gdap.ActionApprove); return err }, csp.EGDAPNotPending},
				{"RejectActive", func() error { _, err := w.a.TenantGDAPAction(ctx, w.admin, active.ID, gdap.ActionReject); return err }, csp.EGDAPNotPending},
				{"CustomerTerminatesPending", func() error {
					_, err := w.a.TenantGDAPAction(ctx, w.admin, pending.ID, gdap.ActionTerminate)
					return err
				}, csp.EGDAPNotActive},
				{"AssignOnPending", func() error {
					_, err := w.a.CreateGDAPAccessAssignment(ctx, w.agent, pending.ID, app.NewAccessAssignment{GroupID: w.helpdesk, Roles: []uuid.UUID{ua}})
					return err
				}, csp.EGDAPNotActive},
				{"AssignRoleOutside", func() error {
					_, err := w.a.CreateGDAPAccessAssignment(ctx, w.agent, active.ID, app.NewAccessAssignment{GroupID: uuid.New(), Roles: []uuid.UUID{ga}})
					return err
				}, csp.EGDAPAssignmentRole},
				{"AssignGroupTwice", func() error {
					_, err := w.a.CreateGDAPAccessAssignment(ctx, w.agent, active.ID, app.NewAccessAssignment{GroupID: w.helpdesk, Roles: []uuid.UUID{la}})
					return err
				}, csp.EGDAPAssignmentExists},
				{"AssignUser", func() error {
					_, err := w.a.CreateGDAPAccessAssignment(ctx, w.agent, active.ID, app.NewAccessAssignment{GroupID: uuid.New(), ContainerType: "user", Roles: []uuid.UUID{ua}})
					return err
				}, csp.EGDAPContainerType},
				{"AssignUnknownGroup", func() error {
					_, err := w.a.CreateGDAPAccessAssignment(ctx, w.agent, active.ID, app.NewAccessAssignment{GroupID: uuid.New(), Roles: []uuid.UUID{ua}})
					return err
				}, csp.EGDAPContainerNotGroup},
				{"AssignCustomersGroup", func() error {
					_, err := w.a.CreateGDAPAccessAssignment(ctx, w.agent, active.ID, app.NewAccessAssignment{GroupID: customersGroup, Roles: []uuid.UUID{ua}})
					return err
				}, csp.EGDAPContainerNotGroup},
				{"AssignRivalsGroup", func() error {
					_, err := w.a.CreateGDAPAccessAssignment(ctx, w.agent, active.ID, app.NewAccessAssignment{GroupID: rivalsGroup, Roles: []uuid.UUID{ua}})
					return err
				}, csp.EGDAPContainerNotGroup},
				{"RivalAssigns", func() error {
					_, err := w.a.CreateGDAPAccessAssignment(ctx, w.rival, active.ID, app.NewAccessAssignment{GroupID: uuid.New(), Roles: []uuid.UUID{ua}})
					return err
				}, csp.EGDAPNotFound},
				{"AssignmentStaleETag", func() error {
					_, err := w.a.PatchGDAPAccessAssignment(ctx, w.agent, active.ID, assigned.ID, []uuid.UUID{la}, csp.ETag(assigned.ID, 9))
					return err
				}, csp.EPreconditionFailed},
				{"AssignmentOfOtherRelationship", func() error {
					_, err := w.a.PatchGDAPAccessAssignment(ctx, w.agent, draft.ID, assigned.ID, []uuid.UUID{la}, "")
					return err
				}, csp.EGDAPAssignmentNotFound},
				{"PatchDeletedAssignment", func() error {
					_, err := w.a.PatchGDAPAccessAssignment(ctx, w.agent, active.ID, deleted.ID, []uuid.UUID{la}, "")
					return err
				}, csp.EGDAPAssignmentDeleted},
				{"AssignmentNoRoles", func() error {
					_, err := w.a.PatchGDAPAccessAssignment(ctx, w.agent, active.ID, assigned.ID, nil, assigned.ETag())
					return err
				}, csp.EGDAPAssignmentNoRoles},
			}
			for _, tc := range refusals {
				t.Run(tc.name, func(t *testing.T) {
					if got := csp.ErrorCode(tc.fn()); got != tc.code {
						t.Fatalf("code %d, want %d", got, tc.code)
					}
					if after := state(); after != before {
						t.Fatalf("the refusal changed the state:\nbefore %s\nafter  %s", before, after)
					}
				})
			}
		})
	}
}
