package console_test

import (
	"context"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/testdb"
)

// world is the data the console tests look at:
//
//   - Contoso Partner (direct, US, CA and DE) with the user Ann and four
//     customers: Fabrikam (US), Northwind Traders (CA, domain nwtraders),
//     Woodgrove School (GB, education) and Tailspin Toys (DE);
//   - Litware Direct (direct, US, with a sale policy) with the user Bob,
//     which Fabrikam's admin accepted as a second partner through its
//     invitation link;
//   - the multitenant organization "Fabrikam Group": Fabrikam owns it,
//     Northwind joined, Tailspin is added but still pending.
type world struct {
	app                 *app.App
	operatorKey         string
	partnerKey          string // Ann, adminAgent of Contoso Partner
	adminKey            string // Fabrikam's global administrator
	woodgroveAdminKey   string // a tenant in no multitenant organization
	litwareKey          string // Bob, adminAgent of Litware Direct (a second partner on Fabrikam)
	operator            csp.Principal
	contoso, litware    *csp.Partner
	fabrikam, northwind *csp.Tenant
	woodgrove, tailspin *csp.Tenant
}

// MustSeed builds an app on a fresh SQLite store and fills it with the world.
// baseURL is the server's address, used in invitation links.
func MustSeed(tb testing.TB, baseURL string) *world {
	tb.Helper()
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	a, err := app.New(ctx, testdb.SQLite(tb), app.Options{Sandbox: true, StartTime: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), BaseURL: baseURL})
	must(err)
	w := &world{app: a}

	op, err := a.MintOperatorKey(ctx)
	must(err)
	w.operatorKey = op.APIKey
	w.operator, err = a.Authenticate(ctx, op.APIKey, "")
	must(err)

	w.contoso, err = a.CreatePartner(ctx, w.operator, app.NewPartner{Name: "Contoso Partner", Country: "US", Locations: []string{"CA", "DE"}, PartnerType: "direct"})
	must(err)
	_, key, err := a.CreatePartnerUser(ctx, w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Ann", Email: "ann@contoso-partner.com", Roles: []string{"adminAgent"}})
	must(err)
	w.partnerKey = key.APIKey
	ann, err := a.Authenticate(ctx, key.APIKey, "")
	must(err)

	w.fabrikam = MustCreateCustomer(tb, a, ann, "Fabrikam", "fabrikam", "", csp.Address{Country: "US", City: "Redmond", State: "WA", AddressLine1: "1 Main St", PostalCode: "98052"})
	w.northwind = MustCreateCustomer(tb, a, ann, "Northwind Traders", "nwtraders", "", csp.Address{Country: "CA", City: "Toronto", State: "ON", AddressLine1: "200 King St W", PostalCode: "M5V 2T6"})
	w.woodgrove = MustCreateCustomer(tb, a, ann, "Woodgrove School", "woodgrove", "education", csp.Address{Country: "GB", City: "London", AddressLine1: "10 Downing St", PostalCode: "SW1A 2AA"})
	w.tailspin = MustCreateCustomer(tb, a, ann, "Tailspin Toys", "tailspin", "", csp.Address{Country: "DE", City: "Berlin", AddressLine1: "Unter den Linden 1", PostalCode: "10117"})

	admin := func(t *csp.Tenant) (string, csp.Principal) {
		tb.Helper()
		k, err := a.MintTenantKey(ctx, w.operator, t.ID, "admin@"+t.DefaultDomain(), nil)
		must(err)
		p, err := a.Authenticate(ctx, k.APIKey, "")
		must(err)
		return k.APIKey, p
	}
	var fabAdmin, nwAdmin csp.Principal
	w.adminKey, fabAdmin = admin(w.fabrikam)
	_, nwAdmin = admin(w.northwind)
	w.woodgroveAdminKey, _ = admin(w.woodgrove)

	// A second partner on Fabrikam, through the reseller invitation.
	w.litware, err = a.CreatePartner(ctx, w.operator, app.NewPartner{Name: "Litware Direct", Country: "US", PartnerType: "direct",
		SalePolicy: &csp.SalePolicy{Segments: []csp.Segment{csp.SegmentCommercial}, Regions: []csp.Region{csp.RegionUS, csp.RegionCA}}})
	must(err)
	_, key, err = a.CreatePartnerUser(ctx, w.operator, w.litware.ID, app.NewPartnerUser{DisplayName: "Bob", Email: "bob@litware.com", Roles: []string{"adminAgent"}})
	must(err)
	w.litwareKey = key.APIKey
	bob, err := a.Authenticate(ctx, key.APIKey, "")
	must(err)
	invitation, err := a.InvitationURL(ctx, bob)
	must(err)
	_, err = a.AcceptInvitation(ctx, fabAdmin, invitation)
	must(err)

	// The multitenant organization.
	_, err = a.CreateMTO(ctx, fabAdmin, "Fabrikam Group")
	must(err)
	_, err = a.AddMTOTenant(ctx, fabAdmin, w.northwind.ID)
	must(err)
	_, err = a.AddMTOTenant(ctx, fabAdmin, w.tailspin.ID)
	must(err)
	_, err = a.JoinMTO(ctx, nwAdmin, w.fabrikam.ID)
	must(err)
	return w
}

// MustCreateCustomer creates a customer of the partner p.
func MustCreateCustomer(tb testing.TB, a *app.App, p csp.Principal, name, domain, segment string, addr csp.Address) *csp.Tenant {
	tb.Helper()
	c, err := a.CreateCustomer(context.Background(), p, app.NewCustomer{NewTenant: csp.NewTenant{CompanyName: name, Domain: domain, Segment: segment, Address: addr,
		BillingProfile: csp.BillingProfile{Email: "it@" + domain + ".com", Culture: "en-US", Language: "en", FirstName: "F", LastName: "K"}}})
	if err != nil {
		tb.Fatalf("create customer %s: %v", name, err)
	}
	return c.Tenant
}
