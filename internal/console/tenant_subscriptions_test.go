package console_test

import (
	"net/http"
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
)

// TestTenantAllChannels: the tenant page lists every subscription of the
// tenant, whoever sold it. Fabrikam holds Business Premium from Contoso (2
// seats) and Litware (3), and 25 more through an Enterprise Agreement for
// 2026: 30 prepaid seats, the EA's shown with its channel and term.
func TestTenantAllChannels(t *testing.T) {
	w := MustTenantWorld(t, "http://console.test")
	if _, err := w.app.RecordChannelSubscriptions(t.Context(), w.operator, w.fabrikam.ID, []csp.ChannelSubscriptionInput{{Channel: "ea",
		ProductID: "CFQ7TTC0LCHC", SkuID: "0001", Quantity: 25, TermStartDate: "2026-01-01", TermEndDate: "2026-12-31"}}, false); err != nil {
		t.Fatal(err)
	}
	srv := MustConsole(t, w.world)
	MustScenario(t, srv, scenario{name: "AllChannels", method: "GET", path: "/console", key: w.adminKey, status: http.StatusOK, want: []string{
		`<section class="card" id="all-subscriptions">`,
		`<tr class="subscription" data-channel="ea">`,
		`<td class="source">Enterprise Agreement</td>
        <td class="seats">25</td>
        <td class="term">2026-01-01 to 2026-12-31</td>
        <td class="auto-renew">off</td>
        <td class="status">active</td>`,
		`<td class="source">Contoso Partner</td>
        <td class="seats">2</td>`,
		`<td class="source">Litware Direct</td>
        <td class="seats">3</td>`,
		// 2 + 3 + 25 prepaid, 1 assigned.
		`<td class="prepaid">30</td>`, `<td class="available">29</td>`,
	}})
}
