package console_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/opencsp/opencsp/internal/csp/gdap"
)

// TestTenantDirectoryAndAzure reads Fabrikam's tenant page as its admin and
// answers the partners' GDAP requests (see tenantWorld for the numbers).
func TestTenantDirectoryAndAzure(t *testing.T) {
	w := MustTenantWorld(t, "http://console.test")
	srv := MustConsole(t, w.world)
	sub := w.azureSub.String()
	pending, active := "/console/tenant/gdap/"+w.pending.String(), "/console/tenant/gdap/"+w.active.String()
	k, err := w.app.MintTenantKey(t.Context(), w.operator, w.fabrikam.ID, "ada@fabrikam.onmicrosoft.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	adaKey := k.APIKey
	get := func(name, path, key string, status int, want ...string) scenario {
		return scenario{name: name, method: "GET", path: path, key: key, status: status, want: want}
	}
	post := func(name, path, key string, status int, want ...string) scenario {
		return scenario{name: name, method: "POST", path: path, form: url.Values{}, key: key, status: status, want: want}
	}
	for _, sc := range []scenario{
		get("Sections", "/console", w.adminKey, http.StatusOK,
			// 2 prepaid seats from Contoso + 3 from Litware: 5 prepaid and
			// enabled, 1 assigned (Ada), 4 available.
			`<td class="name">Microsoft 365 Business Premium</td>`, `<code>SPB</code>`, `<td class="prepaid">5</td>`, `<td class="enabled">5</td>`,
			`<td class="assigned">1</td>`, `<td class="available">4</td>`,
			`<li class="source">Contoso Partner: 2 <small>(active)</small></li><li class="source">Litware Direct: 3 <small>(active)</small></li>`,
			`<td class="upn">ada@fabrikam.onmicrosoft.com</td>`, `<td class="user-licences">Microsoft 365 Business Premium</td>`,
			`<td class="upn">admin@fabrikam.onmicrosoft.com</td>`, `<td class="user-roles">Global Administrator</td>`,
			`<strong id="premium-tier">Microsoft Entra ID P1</strong>`,
			`<td class="name">Conditional access</td>`, `<span class="state-active">has it</span>`, `<td class="name">Risk-based conditional access</td>`, `<span class="bad">lacks it</span>`,
			`<tr class="gap"><td class="user">admin@fabrikam.onmicrosoft.com</td><td class="covered">Require MFA</td><td class="feature">Conditional access</td><td class="needs">Microsoft Entra ID P1</td><td class="has">Microsoft Entra ID Free</td></tr>`,
			`<td class="partner">Contoso Partner</td>`, `<td class="name">Contoso helpdesk</td>`, `<span class="state-approvalPending">approvalPending</span>`,
			`<li>Helpdesk Administrator</li><li>Directory Readers</li>`,
			`action="`+pending+`/approve"`, `action="`+pending+`/reject"`, `action="`+active+`/terminate"`,
			// Litware's, approved on 2026-01-05 09:00 for P730D.
			`<td class="end">2028-01-05 09:00 UTC</td>`,
			`<h3 class="name">Production</h3>`, `<code>`+sub+`</code>`, `<dd class="partner">Contoso Partner</dd>`,
			`<td class="name">vm1</td><td class="type">Microsoft.Compute/virtualMachines</td><td class="group">web</td><td class="region">eastus</td><td class="state">running</td>`,
			`<td class="role">Owner</td><td class="principal">Contoso Partner (admin agents)</td>`, `<td class="role">Reader</td><td class="principal">admin@fabrikam.onmicrosoft.com</td>`,
			// 48 hours × 0.0416 = 1.9968, past the 1.50 budget.
			`<dd class="month-to-date">USD 2.00</dd>`, `Month-to-date spend with Contoso Partner is USD 2.00, at or above this organization's usage budget of USD 1.50 for January 2026.`,
			`<title id="chart-title-`+sub+`">Month-to-date usage of Production, January 2026, in USD per day</title>`,
			// Jan 5: 15 h = 0.624; Jan 6: 24 h = 0.9984 (the plot's 200);
			// Jan 7: 9 h = 0.3744. 0.624/0.9984 × 200 = 125, 0.3744/0.9984 × 200 = 75.
			`data-day="2026-01-05" data-amount="0.624000" x="172" y="99.00" width="16" height="125.00"`,
			`data-day="2026-01-06" data-amount="0.998400" x="196" y="24.00" width="16" height="200.00"`,
			`data-day="2026-01-07" data-amount="0.374400" x="220" y="149.00" width="16" height="75.00"`,
			`<title>2026-01-06: USD 0.998400</title>`),
		// A user who is not Global Administrator sees the directory but not
		// the partners' admin rights, and no Azure subscription without a role.
		{name: "CustomerUser", method: "GET", path: "/console", key: adaKey, status: http.StatusOK,
			want:    []string{`<td class="prepaid">5</td>`, `id="no-azure"`},
			notWant: []string{`id="gdap-section"`, `/approve"`}},
		post("ErrUserCannotApprove", pending+"/approve", adaKey, http.StatusForbidden, `id="action-error"`, "Global Administrator"),
		{name: "ErrCrossSiteApprove", method: "POST", path: pending + "/approve", form: url.Values{}, key: w.adminKey,
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}, status: http.StatusForbidden, want: []string{"another site"}},
		post("ErrUnknownAction", pending+"/accept", w.adminKey, http.StatusNotFound),
		post("ErrUnknownRelationship", "/console/tenant/gdap/not-an-id/approve", w.adminKey, http.StatusNotFound),
		// A terminate of a pending relationship is refused on the page; nothing changes.
		post("ErrTerminatePending", pending+"/terminate", w.adminKey, http.StatusBadRequest, `id="action-error"`, `<span class="state-approvalPending">approvalPending</span>`),
		{name: "Approve", method: "POST", path: pending + "/approve", form: url.Values{}, key: w.adminKey, status: http.StatusSeeOther,
			location: "/console?done=approve&gdap=" + w.pending.String()},
		// Approved on 2026-01-07 09:00: P730D ends 2028-01-07 09:00.
		get("ApprovedNotice", "/console?done=approve&gdap="+w.pending.String(), w.adminKey, http.StatusOK,
			`<p class="notice" id="action-notice" role="status">You approved Contoso Partner's relationship “Contoso helpdesk”: it is active until 2028-01-07 09:00 UTC.</p>`,
			`action="`+pending+`/terminate"`),
		post("Terminate", active+"/terminate", w.adminKey, http.StatusSeeOther),
		get("TerminatedNotice", "/console?done=terminate&gdap="+w.active.String(), w.adminKey, http.StatusOK,
			`You terminated Litware Direct's relationship “Litware support”: it is terminated.`),
	} {
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}
	r, err := w.app.TenantGDAPRelationship(t.Context(), MustPrincipal(t, w.world, w.adminKey), w.pending)
	if err != nil || r.Status != gdap.StatusActive {
		t.Errorf("the approved relationship: %+v %v", r, err)
	}
}
