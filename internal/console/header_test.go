package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/app"
)

// TestHeaderRoles shows each partner user's Partner Center roles in the
// header, and only the links their roles open.
func TestHeaderRoles(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	for _, c := range []struct {
		name    string
		roles   []string
		role    string
		links   []string
		noLinks []string
	}{
		{"SalesAgent", []string{"salesAgent"}, "Sales agent", []string{"nav-customers", "nav-new-customer", "nav-catalog"}, []string{"nav-charges", "nav-audit", "nav-transfers"}},
		{"BillingAdmin", []string{"billingAdmin"}, "Billing admin", []string{"nav-customers", "nav-catalog", "nav-charges"}, []string{"nav-new-customer", "nav-audit", "nav-transfers"}},
		{"HelpdeskAgent", []string{"helpdeskAgent"}, "Helpdesk agent", []string{"nav-customers", "nav-catalog"}, []string{"nav-new-customer", "nav-charges", "nav-audit", "nav-transfers"}},
		{"SalesAndBilling", []string{"salesAgent", "billingAdmin"}, "Sales agent, Billing admin", []string{"nav-new-customer", "nav-charges"}, []string{"nav-audit", "nav-transfers"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, key, err := w.app.CreatePartnerUser(t.Context(), w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: c.name, Email: strings.ToLower(c.name) + "@contoso-partner.com", Roles: c.roles})
			if err != nil {
				t.Fatal(err)
			}
			sc := scenario{method: "GET", path: "/console", key: key.APIKey, status: http.StatusOK, rows: 4,
				want: []string{`<span class="role" id="user-role">` + c.role + `</span>`, `<span class="user" id="user-name">` + strings.ToLower(c.name) + `@contoso-partner.com</span>`}}
			for _, l := range c.links {
				sc.want = append(sc.want, `id="`+l+`"`)
			}
			for _, l := range c.noLinks {
				sc.notWant = append(sc.notWant, `id="`+l+`"`)
			}
			MustScenario(t, srv, sc)
		})
	}
}
