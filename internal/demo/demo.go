// Package demo loads the demo world of DESIGN.md through the use cases: an
// operator, a direct partner, a distributor with two resellers, customers in
// US, CA, UK, the EU and Norway (a country the direct partner's sale policy
// excludes), a multitenant organization, and subscriptions bought through
// carts from the built-in catalog.
package demo

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// Key is a key printed for the person who runs the demo.
type Key struct {
	Who    string
	Role   string
	APIKey string
}

// World is what Seed made.
type World struct {
	Keys     []Key
	Partners map[string]*csp.Partner
	Tenants  map[string]*csp.Tenant
}

type seeder struct {
	ctx context.Context
	a   *app.App
	op  csp.Principal
	w   *World
	err error
}

// Seed loads the demo world into an empty database.
func Seed(ctx context.Context, a *app.App) (*World, error) {
	s := &seeder{ctx: ctx, a: a, w: &World{Partners: map[string]*csp.Partner{}, Tenants: map[string]*csp.Tenant{}}}
	opKey, err := a.MintOperatorKey(ctx)
	if err != nil {
		return nil, err
	}
	if s.op, err = a.Authenticate(ctx, opKey.APIKey, ""); err != nil {
		return nil, err
	}
	s.w.Keys = append(s.w.Keys, Key{Who: "operator", Role: "operator", APIKey: opKey.APIKey})

	northwind := s.partner(app.NewPartner{Name: "Northwind Cloud", Country: "US", Locations: []string{"CA", "DE"}, PartnerType: "direct", MpnID: "1000001",
		SalePolicy: &csp.SalePolicy{Segments: []csp.Segment{csp.SegmentCommercial}, Regions: []csp.Region{"US", "CA", "UK", "EU"}}})
	contoso := s.partner(app.NewPartner{Name: "Contoso Distribution", Country: "US", Locations: []string{"GB", "CA"}, PartnerType: "indirectProvider", MpnID: "2000001"})
	var fabrikam, litware *csp.Partner
	if contoso != nil {
		fabrikam = s.partner(app.NewPartner{Name: "Fabrikam IT", Country: "US", PartnerType: "indirectReseller", ProviderID: &contoso.ID, MpnID: "3000001"})
		litware = s.partner(app.NewPartner{Name: "Litware Solutions", Country: "GB", PartnerType: "indirectReseller", ProviderID: &contoso.ID, MpnID: "3000002"})
	}
	nw := s.user(northwind, "Avery Admin", "avery@northwindcloud.example", "adminAgent")
	s.user(northwind, "Sam Sales", "sam@northwindcloud.example", "salesAgent")
	s.user(northwind, "Bea Billing", "bea@northwindcloud.example", "billingAdmin")
	s.user(northwind, "Hal Helpdesk", "hal@northwindcloud.example", "helpdeskAgent")
	co := s.user(contoso, "Dana Distributor", "dana@contosodist.example", "adminAgent")
	fa := s.user(fabrikam, "Rui Reseller", "rui@fabrikamit.example", "adminAgent")
	li := s.user(litware, "Lee Reseller", "lee@litware.example", "adminAgent")

	hq := s.customer(nw, "Woodgrove Bank", "woodgrovebank", csp.Address{Country: "US", City: "Seattle", State: "WA", AddressLine1: "100 Pine St", PostalCode: "98101"}, nil)
	s.customer(nw, "Maple Leaf Foods", "mapleleaffoods", csp.Address{Country: "CA", City: "Toronto", State: "ON", AddressLine1: "1 Front St W", PostalCode: "M5J 2X5"}, nil)
	s.customer(nw, "Tailspin Toys UK", "tailspinuk", csp.Address{Country: "GB", City: "Manchester", AddressLine1: "1 Piccadilly", PostalCode: "M1 1AE"}, nil)
	eu := s.customer(nw, "Woodgrove Bank Europe", "woodgroveeu", csp.Address{Country: "DE", City: "Frankfurt am Main", AddressLine1: "Taunusanlage 1", PostalCode: "60329"}, nil)
	s.customer(co, "Adatum Retail", "adatumretail", csp.Address{Country: "US", City: "Chicago", State: "IL", AddressLine1: "233 S Wacker Dr", PostalCode: "60606"}, idOf(fabrikam))
	s.customer(fa, "Proseware Clinics", "proseware", csp.Address{Country: "US", City: "Austin", State: "TX", AddressLine1: "500 Congress Ave", PostalCode: "78701"}, nil)
	// Norway is inside Northwind's European market but outside its sale
	// policy; Litware (through Contoso) serves it.
	nordic := s.customer(li, "Fjord Shipping AS", "fjordshipping", csp.Address{Country: "NO", City: "Bergen", AddressLine1: "Bryggen 1", PostalCode: "5003"}, nil)

	var owner csp.Principal
	if s.err == nil && hq != nil && eu != nil {
		// Woodgrove keeps its European tenant apart for compliance and groups
		// both in a multitenant organization.
		owner = s.tenantAdmin(hq)
		member := s.tenantAdmin(eu)
		s.step(func() error { _, err := a.CreateMTO(ctx, owner, "Woodgrove Group"); return err })
		s.step(func() error { _, err := a.AddMTOTenant(ctx, owner, eu.ID); return err })
		s.step(func() error { _, err := a.JoinMTO(ctx, member, hq.ID); return err })
		// The European tenant also works with Litware for local support.
		s.step(func() error {
			url, err := a.InvitationURL(ctx, li)
			if err != nil {
				return err
			}
			_, err = a.AcceptInvitation(ctx, member, url)
			return err
		})
	}
	if nordic != nil {
		s.tenantAdmin(nordic)
	}

	// Subscriptions bought through carts, so the sandbox has a ledger to
	// watch when the clock moves.
	s.purchase(nw, hq, "", line("CFQ7TTC0LCHC:0001:CFQ7TTC0MM1W", 25, "P1Y", "monthly"), line("CFQ7TTC0LH18:0001:CFQ7TTC0K971", 5, "P1M", "monthly"))
	s.purchase(nw, s.w.Tenants["Maple Leaf Foods"], "", line("CFQ7TTC0LDPB:0001:CFQ7TTC06D99", 10, "P1Y", "annual"))
	plan := s.purchase(nw, eu, "", line("DZH318Z0BPS6:0001:DZH318Z0BML6", 1, "", "monthly"))
	if fabrikam != nil {
		s.purchase(co, s.w.Tenants["Adatum Retail"], fabrikam.MpnID, line("CFQ7TTC0LH18:0001:CFQ7TTC0K971", 15, "P1Y", "monthly"))
	}
	if hq != nil && eu != nil && northwind != nil {
		s.delegatedAdmin(nw, owner, northwind.ID, hq, eu)
		s.azure(nw, eu, plan)
	}
	return s.w, s.err
}

func line(item string, qty int, term, cycle string) csp.CartLine {
	return csp.CartLine{CatalogItemID: item, Quantity: qty, TermDuration: term, BillingCycle: cycle}
}

// purchase attests the customer's agreement (once) and checks out a cart;
// reseller, if set, is the indirect reseller of record. It answers the
// first subscription bought.
func (s *seeder) purchase(p csp.Principal, t *csp.Tenant, reseller string, lines ...csp.CartLine) (first uuid.UUID) {
	if t == nil {
		return first
	}
	s.step(func() error {
		ags, err := s.a.ListAgreements(s.ctx, p, t.ID, app.Page[app.Cursor]{Size: 1})
		if err != nil {
			return err
		}
		if len(ags.Items) == 0 {
			if _, err := s.a.CreateAgreement(s.ctx, p, t.ID, app.NewAgreement{TemplateID: csp.MCATemplateID, DateAgreed: s.a.Now(s.ctx),
				Contact: csp.Contact{FirstName: "Alex", LastName: "Admin", Email: "it@" + t.DomainPrefix + ".example"}}); err != nil {
				return err
			}
		}
		for i := range lines {
			if reseller != "" {
				lines[i].Participants = []csp.Participant{{Key: "transaction", Value: reseller}}
			}
		}
		cart, err := s.a.CreateCart(s.ctx, p, t.ID, lines)
		if err != nil {
			return err
		}
		for _, l := range cart.Lines {
			if l.Error != nil {
				return fmt.Errorf("demo cart for %s: %s: %s", t.DisplayName, l.Error.ErrorCode, l.Error.ErrorDescription)
			}
		}
		out, err := s.a.Checkout(s.ctx, p, t.ID, cart.ID, "")
		if err == nil && len(out.Subscriptions) > 0 {
			first = out.Subscriptions[0].ID
		}
		return err
	})
	return first
}

func idOf(p *csp.Partner) *uuid.UUID {
	if p == nil {
		return nil
	}
	return &p.ID
}

func (s *seeder) step(f func() error) {
	if s.err == nil {
		s.err = f()
	}
}

func (s *seeder) partner(in app.NewPartner) *csp.Partner {
	var p *csp.Partner
	s.step(func() (err error) {
		p, err = s.a.CreatePartner(s.ctx, s.op, in)
		s.w.Partners[in.Name] = p
		return err
	})
	return p
}

func (s *seeder) user(p *csp.Partner, name, email, role string) csp.Principal {
	var pr csp.Principal
	s.step(func() error {
		_, k, err := s.a.CreatePartnerUser(s.ctx, s.op, p.ID, app.NewPartnerUser{DisplayName: name, Email: email, Roles: []string{role}})
		if err != nil {
			return err
		}
		s.w.Keys = append(s.w.Keys, Key{Who: fmt.Sprintf("%s (%s)", email, p.Name), Role: role, APIKey: k.APIKey})
		pr, err = s.a.Authenticate(s.ctx, k.APIKey, "")
		return err
	})
	return pr
}

func (s *seeder) customer(p csp.Principal, name, domain string, addr csp.Address, reseller *uuid.UUID) *csp.Tenant {
	var t *csp.Tenant
	s.step(func() error {
		c, err := s.a.CreateCustomer(s.ctx, p, app.NewCustomer{AssociatedPartnerID: reseller, NewTenant: csp.NewTenant{CompanyName: name, Domain: domain, Address: addr,
			BillingProfile: csp.BillingProfile{FirstName: "Alex", LastName: "Admin", Email: "it@" + domain + ".example", Culture: "en-US", Language: "en"}}})
		if err != nil {
			return fmt.Errorf("demo customer %s: %w", name, err)
		}
		t = c.Tenant
		s.w.Tenants[name] = t
		return nil
	})
	return t
}

func (s *seeder) tenantAdmin(t *csp.Tenant) csp.Principal {
	var pr csp.Principal
	s.step(func() error {
		upn := "admin@" + t.DefaultDomain()
		k, err := s.a.MintTenantKey(s.ctx, s.op, t.ID, upn, nil)
		if err != nil {
			return err
		}
		s.w.Keys = append(s.w.Keys, Key{Who: upn + " (" + t.DisplayName + ")", Role: "customer admin", APIKey: k.APIKey})
		pr, err = s.a.Authenticate(s.ctx, k.APIKey, "")
		return err
	})
	return pr
}
