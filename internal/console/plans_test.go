package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp/plan"
)

// TestTenantPlan makes and applies Fabrikam's plan to leave CSP for an
// enterprise agreement, from the tenant page. Contoso sold 2 seats of
// Business Premium on 2026-01-05 for P1Y (auto-renewing), so the term's
// last day is 2027-01-04: auto-renew goes off that day, the term runs to
// it, and the seats are bought under the agreement on the day after,
// 2027-01-05 (a channel's term starts at midnight: no overlap).
func TestTenantPlan(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	ann := MustPrincipal(t, w, w.partnerKey)
	MustAgree(t, w, ann, w.fabrikam)
	MustBuy(t, w, ann, w.fabrikam, premium, "P1Y", "monthly", 2)
	srv := MustConsole(t, w)

	MustScenario(t, srv, scenario{name: "Empty", method: "GET", path: "/console", key: w.adminKey, status: http.StatusOK,
		want: []string{`id="plans-section"`, `id="no-plans"`, `<option value="partner:` + w.contoso.ID.String() + `">Contoso Partner</option>`,
			`<option value="partner:` + w.litware.ID.String() + `">Litware Direct</option>`, `<option value="channel:ea">Enterprise Agreement</option>`,
			`<option value="channel:direct">`, `<option value="channel:mcaE">`}})

	// A channel that is not one is refused on the page, and no plan is made.
	MustScenario(t, srv, scenario{name: "ErrChannel", method: "POST", path: "/console/tenant/plans", form: url.Values{"destination": {"channel:csp"}},
		key: w.adminKey, status: http.StatusBadRequest, want: []string{`id="action-error"`, `id="no-plans"`}})

	status, hdr, body := MustDo(t, srv, scenario{method: "POST", path: "/console/tenant/plans", form: url.Values{"destination": {"channel:ea"}}, key: w.adminKey})
	if status != http.StatusSeeOther {
		t.Fatalf("create: status %d\n%s", status, body)
	}
	loc, err := url.Parse(hdr.Get("Location"))
	if err != nil || loc.Query().Get("done") != "plan" {
		t.Fatalf("create: Location %q", hdr.Get("Location"))
	}
	id := uuid.MustParse(loc.Query().Get("plan"))
	step := func(date, action, state string) string {
		return `<li class="step"><time class="date">` + date + `</time> <strong class="action">` + action +
			`</strong>: <span class="product">Microsoft 365 Business Premium</span> × <span class="quantity">2</span> from <span class="source">Contoso Partner</span> <span class="state state-` + state + `">` + state + `</span>`
	}
	off, wait, buy := func(s string) string { return step("2027-01-04", "Turn auto-renew off (last day)", s) },
		func(s string) string { return step("2027-01-04", "Wait for the term to end on 2027-01-04", s) },
		func(s string) string { return step("2027-01-05", "Buy at the destination (Enterprise Agreement)", s) }
	page := func(name, path string, status int, want []string, notWant ...string) {
		t.Helper()
		MustScenario(t, srv, scenario{name: name, method: "GET", path: path, key: w.adminKey, status: status, want: want, notWant: notWant})
	}
	page("Planned", "/console?"+loc.RawQuery, http.StatusOK, []string{
		"You made a plan to move to Enterprise Agreement: 3 steps. Nothing changes until you apply it.",
		`<h3>To <span class="destination">Enterprise Agreement</span></h3>`, `<span class="created">2026-01-05 09:00 UTC</span>`, `not applied`,
		off("planned"), wait("planned"), buy("planned"),
		`Nothing seat-based moves between channels`, `action="/console/tenant/plans/` + id.String() + `/apply"`})
	// The timeline is in date order: off, wait, buy.
	_, _, body = MustDo(t, srv, scenario{method: "GET", path: "/console", key: w.adminKey})
	if i, j, k := strings.Index(body, off("planned")), strings.Index(body, wait("planned")), strings.Index(body, buy("planned")); i < 0 || !(i < j && j < k) {
		t.Errorf("timeline out of order: %d %d %d", i, j, k)
	}

	MustScenario(t, srv, scenario{name: "Apply", method: "POST", path: "/console/tenant/plans/" + id.String() + "/apply", form: url.Values{}, key: w.adminKey,
		status: http.StatusSeeOther, location: "/console?" + url.Values{"plan": {id.String()}, "done": {"apply"}}.Encode()})
	page("Applied", "/console?"+url.Values{"plan": {id.String()}, "done": {"apply"}}.Encode(), http.StatusOK, []string{
		"You applied the plan to move to Enterprise Agreement: its steps are scheduled",
		`applied 2026-01-05 09:00 UTC by admin@fabrikam.onmicrosoft.com`, off("scheduled"), wait("scheduled"), buy("scheduled")},
		`/apply"`)
	// Applying again is refused on the page, and the plan stays as it was.
	MustScenario(t, srv, scenario{name: "ErrApplied", method: "POST", path: "/console/tenant/plans/" + id.String() + "/apply", form: url.Values{}, key: w.adminKey,
		status: http.StatusConflict, want: []string{`id="action-error"`, off("scheduled")}})
	v, err := w.app.GetPlan(t.Context(), MustPrincipal(t, w, w.adminKey), id)
	if err != nil || v.Plan.AppliedAt == nil || len(v.Plan.Steps) != 3 || v.Plan.Steps[2].State != plan.StateScheduled || v.Plan.Steps[2].Date != "2027-01-05" {
		t.Errorf("the applied plan: %+v %v", v, err)
	}
}
