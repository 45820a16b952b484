package app_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestGDAPActsInDirectory: a partner agent acting in a customer's directory
// (a tenant-scoped token's principal) reads its users only while an active
// relationship gives its security group a role that reads the directory;
// a reseller relationship alone, a pending request and an expired
// relationship give nothing.
func TestGDAPActsInDirectory(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := newGDAPWorld(t, e, ts("2026-01-05T09:00:00Z"))
			acting := w.agent
			acting.ActingIn = w.tenant
			listUsers := func() error {
				_, err := w.a.ListUsers(ctx, acting, w.tenant, app.Page[app.UserCursor]{})
				return err
			}
			wantRefused := func(when string) {
				t.Helper()
				if code := csp.ErrorCode(listUsers()); code != csp.EDirectoryForbidden {
					t.Errorf("%s: listing the customer's users answers %d, want %d", when, code, csp.EDirectoryForbidden)
				}
			}
			wantRefused("without any relationship")
			url := must(w.a.InvitationURL(ctx, w.agent))
			must(w.a.AcceptInvitation(ctx, w.admin, url))
			wantRefused("with a reseller relationship only")

			// P30D from 2026-01-05T09:00Z ends 2026-02-04T09:00Z (26 days
			// to Jan 31, then 4).
			r := w.create(t, "Contoso readers", "P30D", "", directory.DirectoryReaders)
			w.request(t, r.ID, gdap.ActionLockForApproval)
			wantRefused("while the request waits for approval")
			r = w.answer(t, r.ID, gdap.ActionApprove)
			wantStatus(t, r, gdap.StatusActive, "2026-02-04T09:00:00Z")
			wantRefused("approved, before any access assignment")
			must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, r.ID, app.NewAccessAssignment{GroupID: w.licences, Roles: []uuid.UUID{directory.DirectoryReaders}}))
			wantRefused("with an assignment to a group the agent is not in")
			must(w.a.CreateGDAPAccessAssignment(ctx, w.agent, r.ID, app.NewAccessAssignment{GroupID: w.helpdesk, Roles: []uuid.UUID{directory.DirectoryReaders}}))
			if err := listUsers(); err != nil {
				t.Fatalf("with Directory Readers through the helpdesk group: %v", err)
			}
			// Directory Readers does not create users.
			_, err := w.a.CreateUser(ctx, acting, w.tenant, app.NewUser{DisplayName: "New", UserPrincipalName: "new@contoso.onmicrosoft.com"})
			if code := csp.ErrorCode(err); code != csp.EDirectoryForbidden {
				t.Errorf("creating a user with Directory Readers answers %d, want %d", code, csp.EDirectoryForbidden)
			}
			w.advance(t, "2026-02-04T09:00:00Z")
			wantStatus(t, w.get(t, r.ID), gdap.StatusExpired, "2026-02-04T09:00:00Z")
			wantRefused("after the relationship expired")
		})
	}
}
