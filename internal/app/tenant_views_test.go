package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestTenantViews: the customer's console reads its users with their roles
// a page at a time, and the relationships partners asked of it with the
// partners' and roles' names (never a draft).
func TestTenantViews(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := newGDAPWorld(t, e, ts("2026-01-05T09:00:00Z"))
			for _, name := range []string{"ann", "bob"} {
				must(w.a.CreateUser(ctx, w.admin, w.tenant, app.NewUser{UserPrincipalName: name + "@contoso.onmicrosoft.com", DisplayName: name, MailNickname: name,
					UsageLocation: "US", Password: "Passw0rd!Passw0rd"}))
			}
			if err := w.a.ChangeRoleMember(ctx, w.admin, w.tenant, directory.HelpdeskAdministrator, "bob@contoso.onmicrosoft.com", true); err != nil {
				t.Fatal(err)
			}
			if err := w.a.ChangeRoleMember(ctx, w.admin, w.tenant, directory.DirectoryReaders, "bob@contoso.onmicrosoft.com", true); err != nil {
				t.Fatal(err)
			}
			// By UPN: admin@, ann@ on the first page of two; bob@ on the next.
			first := must(w.a.ListDirectoryUsers(ctx, w.admin, w.tenant, app.Page[app.UserCursor]{Size: 2}))
			if len(first.Items) != 2 || first.Next == nil || first.Items[1].UserPrincipalName != "ann@contoso.onmicrosoft.com" ||
				!slices.Equal(first.Items[0].Roles, []uuid.UUID{directory.GlobalAdministrator}) || len(first.Items[1].Roles) != 0 {
				t.Fatalf("first page: %+v", first)
			}
			second := must(w.a.ListDirectoryUsers(ctx, w.admin, w.tenant, app.Page[app.UserCursor]{Size: 2, After: first.Next}))
			if len(second.Items) != 1 || second.Next != nil || second.Items[0].UserPrincipalName != "bob@contoso.onmicrosoft.com" {
				t.Fatalf("second page: %+v", second)
			}
			var names []string
			for _, r := range second.Items[0].Roles {
				names = append(names, app.RoleName(r))
			}
			slices.Sort(names)
			if !slices.Equal(names, []string{"Directory Readers", "Helpdesk Administrator"}) {
				t.Errorf("bob's roles: %q", names)
			}

			w.create(t, "Contoso draft", "P30D", "", directory.DirectoryReaders)
			r := w.create(t, "Contoso helpdesk", "P30D", "", directory.HelpdeskAdministrator, directory.DirectoryReaders)
			w.request(t, r.ID, gdap.ActionLockForApproval)
			got := must(w.a.TenantAdminPartners(ctx, w.admin))
			if len(got) != 1 || got[0].ID != r.ID || got[0].PartnerName != "Adatum MSP" || got[0].Status != gdap.StatusApprovalPending ||
				!slices.Equal(got[0].RoleNames, []string{"Helpdesk Administrator", "Directory Readers"}) {
				t.Fatalf("relationships: %+v", got)
			}
			if _, err := w.a.TenantAdminPartners(ctx, w.reader); csp.ErrorCode(err) != csp.EForbiddenRole {
				t.Errorf("a user who is not Global Administrator: %v", err)
			}
		})
	}
}
