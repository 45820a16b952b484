package console

// The partner's transfer pages: its transfers as source or target, its
// outgoing policy, the target's request form, and a transfer with its line
// items and the actions each side has on it (transfer_detail.go). Every
// action is a POST form that redirects back with a notice read from the
// stored transfer, as the tenant page's GDAP answers do.

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
)

func (h *handler) routesTransfers() {
	h.mux.HandleFunc("GET /console/transfers", h.transfersPage)
	h.mux.HandleFunc("POST /console/transfers/policy", h.setTransferPolicy)
	h.mux.HandleFunc("GET /console/customers/{id}/transfers/new", h.newTransferForm)
	h.mux.HandleFunc("POST /console/customers/{id}/transfers", h.createTransfer)
	h.mux.HandleFunc("GET /console/customers/{id}/transfers/{tid}", h.transferPage)
	h.mux.HandleFunc("POST /console/customers/{id}/transfers/{tid}/lines", h.setTransferLine)
	h.mux.HandleFunc("POST /console/customers/{id}/transfers/{tid}/lines/remove", h.removeTransferLine)
	h.mux.HandleFunc("POST /console/customers/{id}/transfers/{tid}/{action}", h.transferAction)
	h.mux.HandleFunc("POST /console/tenant/transfers/{tid}/reject", h.rejectTransfer)
}

// transferRow is one transfer in a listing, as the partner sees it.
type transferRow struct {
	ID, URL, Direction, Customer, Other, Status string
	Created, Expires, Completed                 string
	Lines                                       int
}

type transfersPage struct {
	layout
	Rows   []transferRow
	Next   string
	Policy string
	// Notice says what the policy form did; Error why it was refused.
	Notice, Error string
}

func newTransferRow(t *transfer.Transfer, partnerID uuid.UUID) transferRow {
	row := transferRow{ID: t.ID.String(), URL: transferURL(t.CustomerTenantID, t.ID), Customer: t.CustomerName, Status: string(t.Status),
		Created: formatDateTime(t.CreatedAt), Lines: len(t.Lines)}
	if t.SideOf(partnerID) == transfer.SideSource {
		row.Direction, row.Other = "Outgoing", t.TargetPartnerName
	} else {
		row.Direction, row.Other = "Incoming", t.SourcePartnerName
	}
	if t.Status.Open() {
		row.Expires = formatDateTime(t.ExpiresAt)
	}
	if t.CompletedAt != nil {
		row.Completed = formatDateTime(*t.CompletedAt)
	}
	return row
}

func transferURL(customerID, id uuid.UUID) string {
	return "/console/customers/" + customerID.String() + "/transfers/" + id.String()
}

func (h *handler) transfersPage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	notice := ""
	if r.URL.Query().Get("done") == "policy" {
		notice = "saved"
	}
	h.showTransfers(w, r, p, http.StatusOK, notice, "")
}

// showTransfers renders the partner's transfers with a status, the policy
// form's notice ("saved") and a refusal's message.
func (h *handler) showTransfers(w http.ResponseWriter, r *http.Request, p csp.Principal, status int, notice, msg string) {
	ctx := r.Context()
	after, err := decodeCursor(r.URL.Query().Get("continuation"), func(c app.Cursor) bool { return c.ID != uuid.Nil })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	wh, err := h.partnerWho(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	got, err := h.app.PartnerTransfers(ctx, p, app.Page[app.Cursor]{After: after, Size: pageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	policy, err := h.app.TransferPolicy(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := transfersPage{layout: h.layout("Transfers", wh), Policy: string(policy), Error: msg}
	if notice != "" {
		page.Notice = "Your outgoing transfers are now " + policyWords[policy] + "."
	}
	for _, t := range got.Items {
		page.Rows = append(page.Rows, newTransferRow(t, p.PartnerID))
	}
	if got.Next != nil {
		page.Next = "/console/transfers?" + url.Values{"continuation": {encodeCursor(*got.Next)}}.Encode()
	}
	h.render(w, r, status, "transfers", page)
}

// policyWords say what each outgoing policy does.
var policyWords = map[transfer.Policy]string{
	transfer.PolicyAutomatic: "accepted automatically: a transfer you submit completes at once",
	transfer.PolicyReview:    "reviewed: a transfer you submit waits for your approval",
}

func (h *handler) setTransferPolicy(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.app.SetTransferPolicy(r.Context(), p, r.PostForm.Get("outgoing")); err != nil {
		status := statusOf(err)
		if status != http.StatusBadRequest {
			h.fail(w, r, err)
			return
		}
		h.showTransfers(w, r, p, status, "", plainMessage(err, about{}))
		return
	}
	http.Redirect(w, r, "/console/transfers?done=policy", http.StatusSeeOther)
}

type newTransferPage struct {
	layout
	Customer *csp.Tenant
	Sources  []*csp.Partner
	Source   string // the chosen source's id
	Email    string
	Error    string
}

func (h *handler) newTransferForm(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	id, err := customerID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showNewTransfer(w, r, p, id, http.StatusOK, "", "", "")
}

func (h *handler) showNewTransfer(w http.ResponseWriter, r *http.Request, p csp.Principal, id uuid.UUID, status int, source, email, msg string) {
	ctx := r.Context()
	wh, err := h.partnerWho(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.app.GetCustomer(ctx, p, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sources, err := h.app.TransferSources(ctx, p, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "newtransfer", newTransferPage{layout: h.layout("Request a transfer", wh), Customer: c.Tenant, Sources: sources,
		Source: source, Email: email, Error: msg})
}

// createTransfer is the target's request: the source partner (one of the
// customer's other partners) and the customer's contact email.
func (h *handler) createTransfer(w http.ResponseWriter, r *http.Request) {
	p, id, ok := h.customerForm(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	source, email := strings.TrimSpace(f.Get("sourcePartnerId")), strings.TrimSpace(f.Get("customerEmail"))
	var t *transfer.Transfer
	src, err := uuid.Parse(source)
	if err != nil {
		err = csp.Errorf(csp.ETransferSourceRequired, "Choose the partner the subscriptions come from.")
	} else {
		t, err = h.app.CreateTransfer(r.Context(), p, id, app.TransferRequest{Request: transfer.Request{SourcePartnerID: src, CustomerEmailID: email}})
	}
	if err != nil {
		status := statusOf(err)
		if status == http.StatusNotFound && csp.ErrorCode(err) != csp.ETransferSourceNotFound || status >= http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		h.showNewTransfer(w, r, p, id, status, source, email, plainMessage(err, about{}))
		return
	}
	http.Redirect(w, r, transferURL(id, t.ID)+"?done=create", http.StatusSeeOther)
}
