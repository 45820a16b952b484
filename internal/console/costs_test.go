package console_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestCostsPage: Adatum buys 3 seats of Business Basic P1Y billed monthly
// (6.30 a month) on 2026-01-05 from Contoso Distribution (an indirect
// provider, book markup 10%) through Fabrikam IT (its reseller of record).
// January's close bills Fabrikam IT 3 × 6.30 × 1.10 = 20.79: its Costs page
// shows it; Ann (a direct partner) has no Costs page.
func TestCostsPage(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ctx := t.Context()
	prov, err := w.app.CreatePartner(ctx, w.operator, app.NewPartner{Name: "Contoso Distribution", Country: "US", PartnerType: "indirectProvider"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.app.CreatePartner(ctx, w.operator, app.NewPartner{Name: "Fabrikam IT", Country: "US", PartnerType: "indirectReseller", ProviderID: &prov.ID, MpnID: "3000001"})
	if err != nil {
		t.Fatal(err)
	}
	user := func(partner uuid.UUID, email string) (string, csp.Principal) {
		_, key, err := w.app.CreatePartnerUser(ctx, w.operator, partner, app.NewPartnerUser{DisplayName: email, Email: email, Roles: []string{"adminAgent"}})
		if err != nil {
			t.Fatal(err)
		}
		return key.APIKey, MustPrincipal(t, w, key.APIKey)
	}
	_, dana := user(prov.ID, "dana@contosodist.example")
	ruiKey, _ := user(res.ID, "rui@fabrikamit.example")
	if _, err := w.app.PutPriceBook(ctx, dana, nil, markupBook("10"), ""); err != nil {
		t.Fatal(err)
	}
	c, err := w.app.CreateCustomer(ctx, dana, app.NewCustomer{AssociatedPartnerID: &res.ID, NewTenant: csp.NewTenant{CompanyName: "Adatum", Domain: "adatum",
		Address:        csp.Address{Country: "US", City: "Chicago", State: "IL", AddressLine1: "233 S Wacker Dr", PostalCode: "60606"},
		BillingProfile: csp.BillingProfile{Email: "it@adatum.com", Culture: "en-US", Language: "en", FirstName: "F", LastName: "K"}}})
	if err != nil {
		t.Fatal(err)
	}
	MustAgree(t, w, dana, c.Tenant)
	cart, err := w.app.CreateCart(ctx, dana, c.Tenant.ID, []csp.CartLine{{CatalogItemID: basic, Quantity: 3, TermDuration: "P1Y", BillingCycle: "monthly",
		Participants: []csp.Participant{{Key: "transaction", Value: "3000001"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.Checkout(ctx, dana, c.Tenant.ID, cart.ID, ""); err != nil {
		t.Fatal(err)
	}
	MustScenario(t, srv, scenario{name: "before the close", method: "GET", path: "/console/costs", key: ruiKey, status: http.StatusOK,
		want: []string{`id="nav-costs"`, "No invoice from your provider yet"}})
	if _, err := w.app.AdvanceClock(ctx, w.operator, "P1M", time.Time{}); err != nil {
		t.Fatal(err)
	}
	MustScenario(t, srv, scenario{name: "January's costs", method: "GET", path: "/console/costs", key: ruiKey, status: http.StatusOK,
		want: []string{`data-invoice="C000000001"`, "January 2026", "USD 20.79"}})
	MustScenario(t, srv, scenario{name: "a direct partner", method: "GET", path: "/console/costs", key: w.partnerKey, status: http.StatusForbidden,
		notWant: []string{`id="nav-costs"`}})
}
