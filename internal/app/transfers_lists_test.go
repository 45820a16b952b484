package app_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestTransferConsoleReads: the console's reads beside the Partner Center
// routes. Contoso accepts Adatum and Rival as partners; Rival may name
// Adatum as a transfer's source and Adatum Rival; each lists the two
// transfers Rival requested, one a page, whichever side it is on.
func TestTransferConsoleReads(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w := newGDAPWorld(t, e, ts("2026-01-05T09:00:00Z"))
			for _, p := range []csp.Principal{w.agent, w.rival} {
				must(w.a.AcceptInvitation(ctx, w.admin, must(w.a.InvitationURL(ctx, p))))
			}
			sources := must(w.a.TransferSources(ctx, w.rival, w.tenant))
			if len(sources) != 1 || sources[0].ID != w.partnerID || sources[0].Name != "Adatum MSP" {
				t.Fatalf("Rival's sources: %+v", sources)
			}
			if got := must(w.a.TransferSources(ctx, w.agent, w.tenant)); len(got) != 1 || got[0].Name != "Rival MSP" {
				t.Errorf("Adatum's sources: %+v", got)
			}
			if _, err := w.a.TransferSources(ctx, w.sales, w.tenant); csp.ErrorCode(err) != csp.EForbiddenRole {
				t.Errorf("a sales agent: %v", err)
			}
			if _, err := w.a.TransferSources(ctx, w.agent, w.otherTenant); csp.ErrorCode(err) != csp.ECustomerNotFound {
				t.Errorf("another partner's customer: %v", err)
			}

			var ids []uuid.UUID
			for range 2 {
				tr := must(w.a.CreateTransfer(ctx, w.rival, w.tenant, app.TransferRequest{Request: transfer.Request{SourcePartnerID: w.partnerID, CustomerEmailID: "gena@contoso.example"}}))
				ids = append(ids, tr.ID)
			}
			for _, p := range []csp.Principal{w.agent, w.rival} {
				first := must(w.a.PartnerTransfers(ctx, p, app.Page[app.Cursor]{Size: 1}))
				if len(first.Items) != 1 || first.Items[0].ID != ids[0] || first.Next == nil {
					t.Fatalf("%s's first page: %+v", p.UserPrincipalName, first)
				}
				second := must(w.a.PartnerTransfers(ctx, p, app.Page[app.Cursor]{Size: 1, After: first.Next}))
				if len(second.Items) != 1 || second.Items[0].ID != ids[1] || second.Next != nil {
					t.Errorf("%s's second page: %+v", p.UserPrincipalName, second)
				}
			}
			if _, err := w.a.PartnerTransfers(ctx, w.sales, app.Page[app.Cursor]{}); csp.ErrorCode(err) != csp.EForbiddenRole {
				t.Errorf("a sales agent lists: %v", err)
			}
		})
	}
}
