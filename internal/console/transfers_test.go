package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
)

// transferWorld is the seeded world where Contoso sold Fabrikam 10 seats
// of Business Premium on P1Y/monthly on 2026-01-05 09:00 (term
// 2026-01-05..2027-01-04), and the clock moved on to 2026-01-15 09:00.
// Litware, Fabrikam's second partner, is the transfers' target.
type transferWorld struct {
	*world
	ann, bob, admin csp.Principal
	sub             *csp.Subscription
}

func MustTransferWorld(tb testing.TB, baseURL string) *transferWorld {
	tb.Helper()
	w := &transferWorld{world: MustSeed(tb, baseURL)}
	w.ann, w.bob, w.admin = MustPrincipal(tb, w.world, w.partnerKey), MustPrincipal(tb, w.world, w.litwareKey), MustPrincipal(tb, w.world, w.adminKey)
	MustAgree(tb, w.world, w.ann, w.fabrikam)
	w.sub = MustBuy(tb, w.world, w.ann, w.fabrikam, premium, "P1Y", "monthly", 10)
	if _, err := w.app.AdvanceClock(tb.Context(), w.operator, "P10D", time.Time{}); err != nil {
		tb.Fatal(err)
	}
	return w
}

// MustTransferID reads the transfer id from the redirect after a create.
func MustTransferID(tb testing.TB, location string) uuid.UUID {
	tb.Helper()
	u, err := url.Parse(location)
	if err != nil {
		tb.Fatal(err)
	}
	parts := strings.Split(u.Path, "/")
	id, err := uuid.Parse(parts[len(parts)-1])
	if err != nil {
		tb.Fatalf("no transfer id in %q", location)
	}
	return id
}

// TestConsoleTransfers: Litware requests Fabrikam's subscriptions from
// Contoso, Contoso moves 4 of its 10 seats and submits under its automatic
// policy: the transfer completes on 2026-01-15 09:00, Contoso keeps 6
// seats and Litware holds a new subscription of 4 ending 2027-01-04, as
// Contoso's does. Each refusal is shown on its page and changes nothing.
func TestConsoleTransfers(t *testing.T) {
	w := MustTransferWorld(t, "http://console.test")
	srv := MustConsole(t, w.world)
	ctx := t.Context()
	fab := "/console/customers/" + w.fabrikam.ID.String()
	count := func() int {
		t.Helper()
		pg, err := w.app.PartnerTransfers(ctx, w.bob, app.Page[app.Cursor]{})
		if err != nil {
			t.Fatal(err)
		}
		return len(pg.Items)
	}
	create := func(form url.Values) scenario {
		return scenario{name: "Create", method: "POST", path: fab + "/transfers", key: w.litwareKey, form: form, status: http.StatusSeeOther}
	}

	MustScenario(t, srv, scenario{name: "Form", method: "GET", path: fab + "/transfers/new", key: w.litwareKey, status: http.StatusOK,
		want: []string{`<option value="` + w.contoso.ID.String() + `">Contoso Partner</option>`, `id="nav-transfers"`}})
	MustScenario(t, srv, scenario{name: "CustomerPageLink", method: "GET", path: fab, key: w.litwareKey, status: http.StatusOK,
		want: []string{`href="` + fab + `/transfers/new" id="request-transfer"`}})
	// Refused: no email; the partner itself as source. Nothing is created.
	bad := create(url.Values{"sourcePartnerId": {w.contoso.ID.String()}, "customerEmail": {"gena"}})
	bad.status, bad.want = http.StatusBadRequest, []string{`id="action-error"`, "Enter the email of the customer's contact for this transfer", `value="gena"`}
	MustScenario(t, srv, bad)
	self := create(url.Values{"sourcePartnerId": {w.litware.ID.String()}, "customerEmail": {"gena@fabrikam.example"}})
	self.status, self.want = http.StatusBadRequest, []string{`id="action-error"`}
	MustScenario(t, srv, self)
	if n := count(); n != 0 {
		t.Fatalf("refused requests created %d transfers", n)
	}

	status, hdr, body := MustDo(t, srv, create(url.Values{"sourcePartnerId": {w.contoso.ID.String()}, "customerEmail": {"gena@fabrikam.example"}}))
	if status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", status, body)
	}
	id := MustTransferID(t, hdr.Get("Location"))
	one := fab + "/transfers/" + id.String()
	get := func(name, key string, want ...string) scenario {
		return scenario{name: name, method: "GET", path: one, key: key, status: http.StatusOK, want: want}
	}
	post := func(name, action, key string, form url.Values, status int, want ...string) scenario {
		return scenario{name: name, method: "POST", path: one + "/" + action, key: key, form: form, status: status, want: want}
	}
	line := func(qty string) url.Values { return url.Values{"subscription": {w.sub.ID.String()}, "quantity": {qty}} }
	read := func() *transfer.Transfer {
		t.Helper()
		tr, err := w.app.GetTransfer(ctx, w.ann, w.fabrikam.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}

	for _, sc := range []scenario{
		// Created 2026-01-15 09:00, expiring 30 days later.
		{name: "Created", method: "GET", path: one + "?done=create", key: w.litwareKey, status: http.StatusOK, want: []string{`You requested this transfer: it is Active.`, `Incoming transfer from Contoso Partner`,
			`<dd class="expires">2026-02-14 09:00 UTC</dd>`, `id="transfer-cancel"`, `Contoso Partner has not chosen the subscriptions yet.`}},
		{name: "SourceSees", method: "GET", path: one, key: w.partnerKey, status: http.StatusOK,
			want:    []string{`Outgoing transfer to Litware Direct`, `id="line-form"`, `<option value="` + w.sub.ID.String() + `">Microsoft 365 Business Premium · 10 seats · P1Y/monthly · ends 2027-01-04</option>`, `id="transfer-submit"`, `id="transfer-decline"`},
			notWant: []string{`id="transfer-cancel"`, `id="transfer-approve"`}},
		// The source cannot cancel, the target cannot add lines; 11 seats of 10.
		post("ErrSourceCancels", "cancel", w.partnerKey, url.Values{}, http.StatusForbidden,
			`Only the partner that requested this transfer (Litware Direct) can cancel it. As the partner the subscriptions come from, you can decline it instead.`),
		post("ErrTargetAddsLine", "lines", w.litwareKey, line("2"), http.StatusForbidden, `Only the partner the subscriptions come from (Contoso Partner) adds line items`),
		post("ErrTooManySeats", "lines", w.partnerKey, line("11"), http.StatusBadRequest, `has 10 seats; move from 1 to 10`),
		post("ErrNotSeats", "lines", w.partnerKey, line("four"), http.StatusBadRequest, `Seats "four" is not a number of seats`),
		post("ErrSubmitEmpty", "submit", w.partnerKey, url.Values{}, http.StatusBadRequest, `Add at least one subscription to move before you submit the transfer.`),
		post("ErrApproveActive", "approve", w.partnerKey, url.Values{}, http.StatusConflict, `This transfer is Active: only a submitted transfer waits for your approval.`),
	} {
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}
	if tr := read(); tr.Status != transfer.StatusActive || len(tr.Lines) != 0 {
		t.Fatalf("after the refusals: %s with %d lines", tr.Status, len(tr.Lines))
	}

	// A stale form (the etag before a change) is refused.
	stale := read().ETag()
	for _, sc := range []scenario{
		{name: "AddLine", method: "POST", path: one + "/lines", key: w.partnerKey, form: line("4"), status: http.StatusSeeOther, location: one + "?done=lines"},
		{name: "Line", method: "GET", path: one + "?done=lines", key: w.partnerKey, status: http.StatusOK, want: []string{`You changed the line items: it is Active.`, `<td class="quantity">4</td>`, `<td class="seats">10</td>`}},
		post("ErrStale", "submit", w.partnerKey, url.Values{"etag": {stale}}, http.StatusPreconditionFailed, `id="action-error"`),
	} {
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}
	for _, sc := range []scenario{
		post("Submit", "submit", w.partnerKey, url.Values{"etag": {read().ETag()}}, http.StatusSeeOther),
		{name: "Completed", method: "GET", path: one + "?done=submit", key: w.partnerKey, status: http.StatusOK, want: []string{`You submitted the transfer: it is Completed.`, `<dd class="completed">2026-01-15 09:00 UTC</dd>`,
			`<td class="quantity">4</td>`, `<td class="seats">6</td>`, `<td class="line-status">Completed</td>`, `<td class="moved">4</td>`}},
		post("ErrDeclineCompleted", "decline", w.partnerKey, url.Values{}, http.StatusConflict, `This transfer is Completed: nothing changes it any more.`),
		post("ErrUnknownAction", "accept", w.partnerKey, url.Values{}, http.StatusNotFound),
		{name: "ErrOtherCustomer", method: "GET", path: "/console/customers/" + w.northwind.ID.String() + "/transfers/" + id.String(), key: w.partnerKey, status: http.StatusNotFound},
		{name: "TargetList", method: "GET", path: "/console/transfers", key: w.litwareKey, status: http.StatusOK, want: []string{
			`<td class="direction"><a href="` + one + `">Incoming</a></td>
        <td class="customer">Fabrikam</td>
        <td class="other">Contoso Partner</td>
        <td class="lines">1</td>
        <td class="status"><span class="state-Completed">Completed</span></td>
        <td class="created">2026-01-15 09:00 UTC</td>
        <td class="expires"></td>
        <td class="completed">2026-01-15 09:00 UTC</td>`}},
		{name: "SourceList", method: "GET", path: "/console/transfers", key: w.partnerKey, status: http.StatusOK,
			want: []string{`<a href="` + one + `">Outgoing</a>`, `<td class="other">Litware Direct</td>`, `id="policy-automatic" checked`}},
	} {
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}

	// The seats: Contoso keeps 6, Litware holds 4 to the same end date.
	src, err := w.app.GetSubscription(ctx, w.ann, w.fabrikam.ID, w.sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	tr := read()
	dst, err := w.app.GetSubscription(ctx, w.bob, w.fabrikam.ID, *tr.Lines[0].TargetSubscriptionID)
	if err != nil {
		t.Fatal(err)
	}
	if src.Quantity != 6 || dst.Quantity != 4 || formatDay(src.TermEnd) != "2027-01-04" || formatDay(dst.TermEnd) != "2027-01-04" {
		t.Errorf("source %d seats to %s, target %d seats to %s", src.Quantity, formatDay(src.TermEnd), dst.Quantity, formatDay(dst.TermEnd))
	}
	MustScenario(t, srv, scenario{name: "SourceCustomer", method: "GET", path: fab, key: w.partnerKey, status: http.StatusOK,
		want: []string{`<tr class="subscription" id="sub-` + w.sub.ID.String() + `"`, `<td class="quantity">6</td>`}})
	MustScenario(t, srv, scenario{name: "TargetCustomer", method: "GET", path: fab, key: w.litwareKey, status: http.StatusOK,
		want: []string{`<tr class="subscription" id="sub-` + dst.ID.String() + `"`, `<td class="quantity">4</td>`, `<td class="commitment-end">2027-01-04</td>`}})
	MustScenario(t, srv, get("TargetOpensItsSubscription", w.litwareKey, `<td class="moved"><a href="`+fab+`/subscriptions/`+dst.ID.String()+`">4</a></td>`))

	// Both partners' audit logs have every step.
	for _, key := range []string{w.partnerKey, w.litwareKey} {
		MustScenario(t, srv, scenario{name: "Audit", method: "GET", path: "/console/audit", key: key, status: http.StatusOK,
			want: []string{"Transfer requested", "Transfer line items changed", "Transfer submitted", "Transfer completed"}})
	}

	// The customer cannot reject a completed transfer: shown on its page.
	MustScenario(t, srv, scenario{name: "ErrRejectCompleted", method: "POST", path: "/console/tenant/transfers/" + id.String() + "/reject", key: w.adminKey,
		form: url.Values{}, status: http.StatusConflict, want: []string{`id="action-error"`, `This transfer is Completed: nothing changes it any more.`,
			`<td class="status"><span class="state-Completed">Completed</span></td>`}})
	if got := read(); got.Status != transfer.StatusCompleted || got.Version != tr.Version {
		t.Errorf("after the refused reject: %s, version %d (was %d)", got.Status, got.Version, tr.Version)
	}
}

func formatDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// TestConsoleTransferPolicyAndRoles: the outgoing policy form, and the
// refusals of a role that does not transfer and of a bad policy.
func TestConsoleTransferPolicyAndRoles(t *testing.T) {
	w := MustTransferWorld(t, "http://console.test")
	srv := MustConsole(t, w.world)
	_, key, err := w.app.CreatePartnerUser(t.Context(), w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Sam", Email: "sam@contoso-partner.com", Roles: []string{"salesAgent"}})
	if err != nil {
		t.Fatal(err)
	}
	policy := func(v string) url.Values { return url.Values{"outgoing": {v}} }
	for _, sc := range []scenario{
		{name: "ErrBadPolicy", method: "POST", path: "/console/transfers/policy", key: w.partnerKey, form: policy("sometimes"), status: http.StatusBadRequest,
			want: []string{`Choose whether your outgoing transfers are accepted automatically or reviewed.`, `id="policy-automatic" checked`}},
		{name: "Review", method: "POST", path: "/console/transfers/policy", key: w.partnerKey, form: policy("review"), status: http.StatusSeeOther, location: "/console/transfers?done=policy"},
		{name: "Saved", method: "GET", path: "/console/transfers?done=policy", key: w.partnerKey, status: http.StatusOK,
			want: []string{`Your outgoing transfers are now reviewed: a transfer you submit waits for your approval.`, `id="policy-review" checked`, `id="no-transfers"`}},
		{name: "ErrSalesAgentPage", method: "GET", path: "/console/transfers", key: key.APIKey, status: http.StatusForbidden, want: []string{"Your role does not allow this"}, notWant: []string{`id="nav-transfers"`}},
		{name: "ErrSalesAgentPolicy", method: "POST", path: "/console/transfers/policy", key: key.APIKey, form: policy("automatic"), status: http.StatusForbidden},
		{name: "ErrTenantPage", method: "GET", path: "/console/transfers", key: w.adminKey, status: http.StatusForbidden, want: []string{"This page is for partner users"}},
	} {
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}
	if p, err := w.app.TransferPolicy(t.Context(), w.ann); err != nil || p != transfer.PolicyReview {
		t.Errorf("policy %s (%v), want review", p, err)
	}
}

// TestConsoleTenantTransfers: under Contoso's review policy a submitted
// transfer waits, InProgress; Fabrikam's admin sees it with a Reject
// button (a user without the Global Administrator role sees no button
// and is refused) and rejects it: no seat moves.
func TestConsoleTenantTransfers(t *testing.T) {
	w := MustTransferWorld(t, "http://console.test")
	srv := MustConsole(t, w.world)
	id := MustReviewedTransfer(t, w)
	ctx := t.Context()
	if _, err := w.app.CreateUser(ctx, w.admin, w.fabrikam.ID, app.NewUser{UserPrincipalName: "ada@fabrikam.onmicrosoft.com", DisplayName: "Ada",
		MailNickname: "ada", UsageLocation: "US", Password: "Passw0rd!Passw0rd"}); err != nil {
		t.Fatal(err)
	}
	k, err := w.app.MintTenantKey(ctx, w.operator, w.fabrikam.ID, "ada@fabrikam.onmicrosoft.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	reject := "/console/tenant/transfers/" + id.String() + "/reject"
	for _, sc := range []scenario{
		{name: "Listed", method: "GET", path: "/console", key: w.adminKey, status: http.StatusOK, want: []string{
			`<td class="from">Contoso Partner</td>
        <td class="to">Litware Direct</td>
        <td class="lines"><ul><li>Microsoft 365 Business Premium: 3 seats</li></ul></td>
        <td class="status"><span class="state-InProgress">InProgress</span></td>
        <td class="created">2026-01-15 09:00 UTC</td>
        <td class="expires">2026-02-14 09:00 UTC</td>`, `action="` + reject + `"`}},
		{name: "UserSeesNoButton", method: "GET", path: "/console", key: k.APIKey, status: http.StatusOK,
			want: []string{`<span class="state-InProgress">InProgress</span>`}, notWant: []string{`action="` + reject + `"`}},
		{name: "ErrUserRejects", method: "POST", path: reject, key: k.APIKey, form: url.Values{}, status: http.StatusForbidden, want: []string{`id="action-error"`, "Global Administrator"}},
		{name: "ErrPartnerRejects", method: "POST", path: reject, key: w.partnerKey, form: url.Values{}, status: http.StatusForbidden, want: []string{"This page is not for the key you signed in with."}},
		{name: "ErrUnknown", method: "POST", path: "/console/tenant/transfers/" + uuid.NewString() + "/reject", key: w.adminKey, form: url.Values{}, status: http.StatusNotFound},
		{name: "Reject", method: "POST", path: reject, key: w.adminKey, form: url.Values{}, status: http.StatusSeeOther,
			location: "/console?done=reject&transfer=" + id.String()},
		{name: "Rejected", method: "GET", path: "/console?done=reject&transfer=" + id.String(), key: w.adminKey, status: http.StatusOK,
			want:    []string{`You rejected the transfer from Contoso Partner to Litware Direct: it is Rejected.`, `<span class="state-Rejected">Rejected</span>`},
			notWant: []string{`action="` + reject + `"`}},
		{name: "ErrRejectAgain", method: "POST", path: reject, key: w.adminKey, form: url.Values{}, status: http.StatusConflict,
			want: []string{`This transfer is Rejected: nothing changes it any more.`}},
		// The source sees it rejected, with no action left.
		{name: "SourceSees", method: "GET", path: "/console/customers/" + w.fabrikam.ID.String() + "/transfers/" + id.String(), key: w.partnerKey, status: http.StatusOK,
			want: []string{`<span class="state-Rejected">Rejected</span>`, `by admin@fabrikam.onmicrosoft.com`}, notWant: []string{`id="actions-section"`, `id="line-form"`}},
	} {
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}
	if s, err := w.app.GetSubscription(ctx, w.ann, w.fabrikam.ID, w.sub.ID); err != nil || s.Quantity != 10 {
		t.Errorf("the source's subscription after the reject: %v seats (%v), want 10", s.Quantity, err)
	}
}

// MustReviewedTransfer sets Contoso's policy to review and walks a
// transfer of 3 seats to InProgress through the app.
func MustReviewedTransfer(tb testing.TB, w *transferWorld) uuid.UUID {
	tb.Helper()
	ctx := tb.Context()
	if _, err := w.app.SetTransferPolicy(ctx, w.ann, "review"); err != nil {
		tb.Fatal(err)
	}
	tr, err := w.app.CreateTransfer(ctx, w.bob, w.fabrikam.ID, app.TransferRequest{Request: transfer.Request{SourcePartnerID: w.contoso.ID, CustomerEmailID: "gena@fabrikam.example"}})
	if err != nil {
		tb.Fatal(err)
	}
	lines := []transfer.Line{{SubscriptionID: w.sub.ID, Quantity: 3}}
	if _, err := w.app.PatchTransfer(ctx, w.ann, w.fabrikam.ID, tr.ID, app.TransferPatch{Lines: &lines}, ""); err != nil {
		tb.Fatal(err)
	}
	if tr, err = w.app.SubmitTransfer(ctx, w.ann, w.fabrikam.ID, tr.ID, ""); err != nil || tr.Status != transfer.StatusInProgress {
		tb.Fatalf("submit: %v %v", tr, err)
	}
	return tr.ID
}

// TestConsoleTransferAnswers: under review the source approves a submitted
// transfer of 3 seats (Contoso keeps 7); the target cancels a request of
// its own, the source declines another; a closed one moves no more.
func TestConsoleTransferAnswers(t *testing.T) {
	w := MustTransferWorld(t, "http://console.test")
	srv := MustConsole(t, w.world)
	ctx := t.Context()
	reviewed := MustReviewedTransfer(t, w)
	at := func(id uuid.UUID) string {
		return "/console/customers/" + w.fabrikam.ID.String() + "/transfers/" + id.String()
	}
	fresh := func() uuid.UUID {
		t.Helper()
		tr, err := w.app.CreateTransfer(ctx, w.bob, w.fabrikam.ID, app.TransferRequest{Request: transfer.Request{SourcePartnerID: w.contoso.ID, CustomerEmailID: "gena@fabrikam.example"}})
		if err != nil {
			t.Fatal(err)
		}
		return tr.ID
	}
	cancelled, declined := fresh(), fresh()
	post := func(name string, id uuid.UUID, action, key string, status int, want ...string) scenario {
		return scenario{name: name, method: "POST", path: at(id) + "/" + action, key: key, form: url.Values{}, status: status, want: want}
	}
	for _, sc := range []scenario{
		{name: "Reviewing", method: "GET", path: at(reviewed), key: w.partnerKey, status: http.StatusOK,
			want:    []string{`<span class="state-InProgress">InProgress</span>`, `id="transfer-approve"`, `id="transfer-decline"`, `reviewed: a transfer you submit waits for your approval`},
			notWant: []string{`id="line-form"`, `id="transfer-submit"`}},
		post("ErrTargetApproves", reviewed, "approve", w.litwareKey, http.StatusForbidden, `Only the partner the subscriptions come from (Contoso Partner)`),
		post("ErrTargetCancelsInProgress", reviewed, "cancel", w.litwareKey, http.StatusConflict, `This transfer is InProgress: its line items change, and it is submitted or cancelled, only while it is Active.`),
		post("Approve", reviewed, "approve", w.partnerKey, http.StatusSeeOther),
		{name: "Approved", method: "GET", path: at(reviewed) + "?done=approve", key: w.partnerKey, status: http.StatusOK,
			want: []string{`You approved the transfer: it is Completed.`, `<td class="seats">7</td>`, `<td class="moved">3</td>`}},
		post("Cancel", cancelled, "cancel", w.litwareKey, http.StatusSeeOther),
		{name: "Cancelled", method: "GET", path: at(cancelled) + "?done=cancel", key: w.litwareKey, status: http.StatusOK,
			want: []string{`You cancelled the transfer: it is Cancelled.`}, notWant: []string{`id="actions-section"`}},
		post("ErrCancelAgain", cancelled, "cancel", w.litwareKey, http.StatusConflict, `This transfer is Cancelled: nothing changes it any more.`),
		post("Decline", declined, "decline", w.partnerKey, http.StatusSeeOther),
		{name: "Declined", method: "GET", path: at(declined) + "?done=decline", key: w.litwareKey, status: http.StatusOK,
			want: []string{`<span class="state-Declined">Declined</span>`, `by ann@contoso-partner.com`}},
	} {
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}
	if s, err := w.app.GetSubscription(ctx, w.ann, w.fabrikam.ID, w.sub.ID); err != nil || s.Quantity != 7 {
		t.Errorf("the source keeps %v seats (%v), want 7", s.Quantity, err)
	}
}

// TestConsoleTransferFailed: Contoso suspends the subscription of a
// submitted transfer before approving it: the transfer fails, nothing
// moves, and the line's problem is shown in plain words.
func TestConsoleTransferFailed(t *testing.T) {
	w := MustTransferWorld(t, "http://console.test")
	srv := MustConsole(t, w.world)
	id := MustReviewedTransfer(t, w)
	if _, err := w.app.ChangeSubscription(t.Context(), w.ann, w.fabrikam.ID, w.sub.ID, csp.Change{Status: csp.StatusSuspended}); err != nil {
		t.Fatal(err)
	}
	one := "/console/customers/" + w.fabrikam.ID.String() + "/transfers/" + id.String()
	MustScenario(t, srv, scenario{name: "Approve", method: "POST", path: one + "/approve", key: w.partnerKey, form: url.Values{}, status: http.StatusSeeOther})
	MustScenario(t, srv, scenario{name: "Failed", method: "GET", path: one + "?done=approve", key: w.litwareKey, status: http.StatusOK, want: []string{
		`You approved the transfer: it is Failed.`, `<td class="line-status">Failed</td>`,
		`<span class="line-problem bad">The subscription is suspended: only an active subscription moves; reactivate it first.</span>`}})
	if s, err := w.app.GetSubscription(t.Context(), w.ann, w.fabrikam.ID, w.sub.ID); err != nil || s.Quantity != 10 {
		t.Errorf("the source keeps %v seats (%v), want 10", s.Quantity, err)
	}
}
