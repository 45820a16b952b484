package console

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
)

// transferPage is one transfer as one of its partners sees it, with the
// actions its side has in the transfer's status.
type transferPage struct {
	layout
	T          *transfer.Transfer
	CustomerID string
	Base       string // the transfer's URL, which its forms post under
	Source     bool   // the signed-in partner is the source
	Other      string // the other partner's name
	Expires    string
	Completed  string
	Lines      []transferLineRow
	// Policy is the source's outgoing policy, shown to the source.
	Policy        string
	Notice, Error string
	// The actions: the source edits lines, submits, approves and
	// declines; the target cancels.
	EditLines, Submit, Approve, Decline, Cancel bool
	// Subscriptions are the source's subscriptions a line may name.
	Subscriptions []lineOption
}

type transferLineRow struct {
	transfer.Line
	// Problem is why the line failed, in plain words.
	Problem string
	// Seats are the source's subscription's seats now, 0 when unknown.
	Seats int
	// SourceURL and TargetURL open the subscriptions the signed-in partner
	// owns: the source's before, the target's after completion.
	SourceURL, TargetURL string
}

type lineOption struct {
	ID, Label string
}

// transferNotices say what the action that led to the page did.
var transferNotices = map[string]string{
	"create": "You requested this transfer", "lines": "You changed the line items", "submit": "You submitted the transfer",
	"approve": "You approved the transfer", "decline": "You declined the transfer", "cancel": "You cancelled the transfer",
}

func (h *handler) transferPage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	cid, tid, err := transferIDs(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showTransfer(w, r, p, cid, tid, http.StatusOK, r.URL.Query().Get("done"), "")
}

// transferIDs reads the customer's and the transfer's ids from the path.
func transferIDs(r *http.Request) (uuid.UUID, uuid.UUID, error) {
	cid, err := customerID(r)
	if err != nil {
		return cid, uuid.Nil, err
	}
	tid, err := uuid.Parse(r.PathValue("tid"))
	if err != nil {
		return cid, uuid.Nil, csp.Errorf(csp.ETransferNotFound, "This transfer was not found among your transfers of this customer.")
	}
	return cid, tid, nil
}

// showTransfer renders the transfer with a status, the notice of the
// action done (a key of transferNotices) and a refusal's message.
func (h *handler) showTransfer(w http.ResponseWriter, r *http.Request, p csp.Principal, cid, tid uuid.UUID, status int, done, msg string) {
	page, err := h.loadTransfer(r.Context(), p, cid, tid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Error = msg
	if n, ok := transferNotices[done]; ok && msg == "" {
		page.Notice = n + ": it is " + string(page.T.Status) + "."
	}
	h.render(w, r, status, "transfer", page)
}

func (h *handler) loadTransfer(ctx context.Context, p csp.Principal, cid, tid uuid.UUID) (*transferPage, error) {
	wh, err := h.partnerWho(ctx, p)
	if err != nil {
		return nil, err
	}
	t, err := h.app.GetTransfer(ctx, p, cid, tid)
	if err != nil {
		return nil, err
	}
	page := &transferPage{layout: h.layout("Transfer of "+t.CustomerName, wh), T: t, CustomerID: cid.String(), Base: transferURL(cid, tid),
		Source: t.SideOf(p.PartnerID) == transfer.SideSource, Other: t.SourcePartnerName}
	if t.Status.Open() {
		page.Expires = formatDateTime(t.ExpiresAt)
	}
	if t.CompletedAt != nil {
		page.Completed = formatDateTime(*t.CompletedAt)
	}
	seats := map[uuid.UUID]int{}
	if page.Source {
		page.Other = t.TargetPartnerName
		policy, err := h.app.TransferPolicy(ctx, p)
		if err != nil {
			return nil, err
		}
		page.Policy = policyWords[policy]
		page.EditLines, page.Submit = t.Status == transfer.StatusActive, t.Status == transfer.StatusActive
		page.Approve, page.Decline = t.Status == transfer.StatusInProgress, t.Status.Open()
		if err := h.sourceSubscriptions(ctx, p, cid, page, seats); err != nil {
			return nil, err
		}
	} else {
		page.Cancel = t.Status == transfer.StatusActive
	}
	for _, l := range t.Lines {
		row := transferLineRow{Line: l, Seats: seats[l.SubscriptionID]}
		if l.Error != "" {
			row.Problem = transferMessage(&csp.Error{Message: l.Error}, about{})
		}
		if page.Source {
			row.SourceURL = "/console/customers/" + cid.String() + "/subscriptions/" + l.SubscriptionID.String()
		} else if l.TargetSubscriptionID != nil {
			row.TargetURL = "/console/customers/" + cid.String() + "/subscriptions/" + l.TargetSubscriptionID.String()
		}
		page.Lines = append(page.Lines, row)
	}
	return page, nil
}

// sourceSubscriptions fills the source's seats per subscription and, while
// lines may change, the subscriptions a line may name: active, paid
// licence subscriptions with a term. The source may no longer see the
// customer (its relationship ended): then there are none.
func (h *handler) sourceSubscriptions(ctx context.Context, p csp.Principal, cid uuid.UUID, page *transferPage, seats map[uuid.UUID]int) error {
	subs, err := h.app.ListSubscriptions(ctx, p, cid, nil, app.Page[app.Cursor]{})
	if csp.ErrorCode(err) == csp.ECustomerNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	for _, s := range subs.Items {
		seats[s.ID] = s.Quantity
		if page.EditLines && s.Status == csp.StatusActive && !s.IsTrial && s.HasTerm() && s.ParentID == nil && !s.PartnerService {
			label := s.OfferName + " · " + count(s.Quantity, "seat") + " · " + formatTerm(s.TermDuration, s.BillingCycle) + " · ends " + formatDate(s.TermEnd)
			if s.FriendlyName != "" && s.FriendlyName != s.OfferName {
				label = s.FriendlyName + " · " + label
			}
			page.Subscriptions = append(page.Subscriptions, lineOption{ID: s.ID.String(), Label: label})
		}
	}
	return nil
}

// transferForm starts every form action on a transfer; false when it has
// answered the request already.
func (h *handler) transferForm(w http.ResponseWriter, r *http.Request) (csp.Principal, uuid.UUID, uuid.UUID, bool) {
	p, ok := h.principal(w, r)
	if !ok {
		return p, uuid.Nil, uuid.Nil, false
	}
	cid, tid, err := transferIDs(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.fail(w, r, err)
		return p, cid, tid, false
	}
	return p, cid, tid, true
}

// transferDone answers a transfer's action: back to the transfer with its
// notice, or the refusal on the transfer's page (a missing transfer and
// internal errors on the error page).
func (h *handler) transferDone(w http.ResponseWriter, r *http.Request, p csp.Principal, cid, tid uuid.UUID, done string, err error) {
	if err == nil {
		http.Redirect(w, r, transferURL(cid, tid)+"?"+url.Values{"done": {done}}.Encode(), http.StatusSeeOther)
		return
	}
	status := statusOf(err)
	if csp.ErrorCode(err) == csp.ETransferNotFound || status >= http.StatusInternalServerError || p.Kind != csp.PrincipalPartner {
		h.fail(w, r, err)
		return
	}
	ab := about{}
	ab.Transfer, _ = h.app.GetTransfer(r.Context(), p, cid, tid)
	h.showTransfer(w, r, p, cid, tid, status, "", plainMessage(err, ab))
}

// currentLines are the transfer's lines as a PATCH sends them back.
func (h *handler) currentLines(r *http.Request, p csp.Principal, cid, tid uuid.UUID) ([]transfer.Line, error) {
	t, err := h.app.GetTransfer(r.Context(), p, cid, tid)
	if err != nil {
		return nil, err
	}
	out := make([]transfer.Line, 0, len(t.Lines)+1)
	for _, l := range t.Lines {
		out = append(out, transfer.Line{SubscriptionID: l.SubscriptionID, Quantity: l.Quantity})
	}
	return out, nil
}

// setTransferLine is the source's line: a subscription and its seats to
// move; a subscription already on the transfer gets the new quantity.
func (h *handler) setTransferLine(w http.ResponseWriter, r *http.Request) {
	p, cid, tid, ok := h.transferForm(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	sub, err := uuid.Parse(strings.TrimSpace(f.Get("subscription")))
	if err != nil {
		err = csp.Errorf(csp.ETransferLineSubscription, "Choose one of your subscriptions of this customer to move.")
	}
	var qty int
	if err == nil {
		if qty, err = strconv.Atoi(strings.TrimSpace(f.Get("quantity"))); err != nil {
			err = csp.Errorf(csp.EInvalidField, "Seats %q is not a number of seats: enter a whole number.", f.Get("quantity"))
		}
	}
	var lines []transfer.Line
	if err == nil {
		lines, err = h.currentLines(r, p, cid, tid)
	}
	if err == nil {
		if i := slices.IndexFunc(lines, func(l transfer.Line) bool { return l.SubscriptionID == sub }); i >= 0 {
			lines[i].Quantity = qty
		} else {
			lines = append(lines, transfer.Line{SubscriptionID: sub, Quantity: qty})
		}
		_, err = h.app.PatchTransfer(r.Context(), p, cid, tid, app.TransferPatch{Lines: &lines}, f.Get("etag"))
	}
	h.transferDone(w, r, p, cid, tid, "lines", err)
}

// removeTransferLine takes the source's line of a subscription out.
func (h *handler) removeTransferLine(w http.ResponseWriter, r *http.Request) {
	p, cid, tid, ok := h.transferForm(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	lines, err := h.currentLines(r, p, cid, tid)
	if err == nil {
		lines = slices.DeleteFunc(lines, func(l transfer.Line) bool {
			return l.SubscriptionID.String() == strings.TrimSpace(f.Get("subscription"))
		})
		_, err = h.app.PatchTransfer(r.Context(), p, cid, tid, app.TransferPatch{Lines: &lines}, f.Get("etag"))
	}
	h.transferDone(w, r, p, cid, tid, "lines", err)
}

// transferAction is submit, approve or decline (the source) or cancel
// (the target); the app decides who may.
func (h *handler) transferAction(w http.ResponseWriter, r *http.Request) {
	p, cid, tid, ok := h.transferForm(w, r)
	if !ok {
		return
	}
	ctx, etag := r.Context(), r.PostForm.Get("etag")
	var err error
	switch action := r.PathValue("action"); action {
	case "submit":
		_, err = h.app.SubmitTransfer(ctx, p, cid, tid, etag)
	case "approve":
		_, err = h.app.ApproveTransfer(ctx, p, cid, tid, etag)
	case "decline":
		_, err = h.app.PatchTransfer(ctx, p, cid, tid, app.TransferPatch{Status: app.PatchDecline}, etag)
	case "cancel":
		_, err = h.app.PatchTransfer(ctx, p, cid, tid, app.TransferPatch{Status: app.PatchCancel}, etag)
	default:
		h.fail(w, r, csp.Errorf(csp.ENotFound, "There is no page at %s.", r.URL.Path))
		return
	}
	h.transferDone(w, r, p, cid, tid, r.PathValue("action"), err)
}
