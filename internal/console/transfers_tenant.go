package console

// The tenant page's transfers section: every transfer of the tenant's
// subscriptions between its partners, and the Global Administrator's
// reject until one completes.

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
)

type tenantTransferRow struct {
	ID, From, To, Status, Created, Expires, Completed string
	Lines                                             []string
	Rejectable                                        bool
}

type tenantTransfers struct {
	Rows []tenantTransferRow
	More bool
}

func (h *handler) loadTenantTransfers(ctx context.Context, p csp.Principal) (*tenantTransfers, error) {
	pg, err := h.app.TenantTransfers(ctx, p, app.Page[app.Cursor]{Size: pageSize})
	if err != nil {
		return nil, err
	}
	sec := &tenantTransfers{More: pg.Next != nil}
	for _, t := range pg.Items {
		row := tenantTransferRow{ID: t.ID.String(), From: t.SourcePartnerName, To: t.TargetPartnerName, Status: string(t.Status),
			Created: formatDateTime(t.CreatedAt), Rejectable: p.GlobalAdmin && t.Status.Open()}
		if t.Status.Open() {
			row.Expires = formatDateTime(t.ExpiresAt)
		}
		if t.CompletedAt != nil {
			row.Completed = formatDateTime(*t.CompletedAt)
		}
		for _, l := range t.Lines {
			row.Lines = append(row.Lines, l.SkuName+": "+count(l.Quantity, "seat"))
		}
		sec.Rows = append(sec.Rows, row)
	}
	return sec, nil
}

// transferNotice is the flash after the customer's reject, read back from
// the transfer as it now is.
func transferNotice(q url.Values, sec *tenantTransfers) string {
	if q.Get("done") != "reject" || sec == nil {
		return ""
	}
	for _, r := range sec.Rows {
		if r.ID == q.Get("transfer") {
			return "You rejected the transfer from " + r.From + " to " + r.To + ": it is " + r.Status + "."
		}
	}
	return ""
}

// rejectTransfer is the Global Administrator's rejection of a transfer
// that has not completed. A refusal shows the tenant page with the
// message; a missing transfer, the error page.
func (h *handler) rejectTransfer(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := uuid.Parse(r.PathValue("tid"))
	if err != nil {
		h.fail(w, r, csp.Errorf(csp.ETransferNotFound, "This transfer is not a transfer of this organization: open it from the tenant page."))
		return
	}
	if _, err := h.app.RejectTransfer(r.Context(), p, id); err != nil {
		status := statusOf(err)
		if status == http.StatusNotFound || status >= http.StatusInternalServerError || p.Kind != csp.PrincipalTenant {
			h.fail(w, r, err)
			return
		}
		h.showTenant(w, r, p, status, plainMessage(err, about{Transfer: h.tenantTransfer(r.Context(), p, id)}))
		return
	}
	http.Redirect(w, r, "/console?"+url.Values{"transfer": {id.String()}, "done": {"reject"}}.Encode(), http.StatusSeeOther)
}

// tenantTransfer finds a transfer of the tenant in its first page, for the
// words of a refusal; nil when it is not there.
func (h *handler) tenantTransfer(ctx context.Context, p csp.Principal, id uuid.UUID) *transfer.Transfer {
	pg, err := h.app.TenantTransfers(ctx, p, app.Page[app.Cursor]{})
	if err != nil {
		return nil
	}
	for _, t := range pg.Items {
		if t.ID == id {
			return t
		}
	}
	return nil
}
