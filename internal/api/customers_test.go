package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

func TestCreateCustomer(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		p, pc := w.MustPartner(designPartner("Northwind Partners"))
		if len(p.MpnID) != 7 {
			t.Fatalf("assigned mpnId %q, want 7 digits", p.MpnID)
		}
		if strings.Join(p.Markets, "|") != "Canada|Europe|United States" {
			t.Fatalf("markets = %q, want Canada, Europe and United States", p.Markets)
		}
		cases := []struct {
			name, domain, country, wantRegion, wantDomain string
		}{
			{"Contoso US", "contosous", "US", "US", "contosous.onmicrosoft.com"},
			{"Contoso Canada", "ContosoCA.onmicrosoft.com", "CA", "CA", "contosoca.onmicrosoft.com"},
			{"Contoso UK", "contosouk", "GB", "UK", "contosouk.onmicrosoft.com"},
			{"Contoso France", "contosofr", "FR", "EU", "contosofr.onmicrosoft.com"},
		}
		for _, tc := range cases {
			c := w.MustCustomer(pc, customer(tc.name, tc.domain, tc.country))
			if c.TenantRegion != tc.wantRegion || c.CompanyProfile.Domain != tc.wantDomain || c.Segment != "commercial" {
				t.Errorf("%s: region %s domain %s segment %s; want %s %s commercial", tc.name, c.TenantRegion, c.CompanyProfile.Domain, c.Segment, tc.wantRegion, tc.wantDomain)
			}
			if c.UserCredentials == nil || c.UserCredentials.UserName != "admin@"+tc.wantDomain || len(c.UserCredentials.Password) < 12 {
				t.Errorf("%s: userCredentials %+v, want admin@%s and a password", tc.name, c.UserCredentials, tc.wantDomain)
			}
			if _, err := uuid.Parse(c.ID); err != nil || c.CompanyProfile.TenantID != c.ID {
				t.Errorf("%s: id %q / tenantId %q, want the same GUID", tc.name, c.ID, c.CompanyProfile.TenantID)
			}
			got, err := pc.GetCustomer(w.ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.UserCredentials != nil {
				t.Errorf("%s: GET shows userCredentials; they are shown once", tc.name)
			}
			if got.BillingProfile.DefaultAddress.Country != tc.country || got.RelationshipToPartner != "reseller" {
				t.Errorf("%s: GET country %s relationship %s", tc.name, got.BillingProfile.DefaultAddress.Country, got.RelationshipToPartner)
			}
		}

		taken, err := pc.DomainTaken(w.ctx, "contosouk.onmicrosoft.com")
		if err != nil || !taken {
			t.Fatalf("domain contosouk taken = %v, %v; want true", taken, err)
		}
		taken, err = pc.DomainTaken(w.ctx, "freshname")
		if err != nil || taken {
			t.Fatalf("domain freshname taken = %v, %v; want false", taken, err)
		}
		_, err = pc.CreateCustomer(w.ctx, customer("Other", "CONTOSOUK", "GB"), nil)
		wantAPIError(t, err, http.StatusConflict, int(csp.EDomainTaken))
	})
}

func TestSalePolicyAndMarkets(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		p, pc := w.MustPartner(designPartner("Northwind Partners"))
		// Norway: inside the partner's European market, outside its policy.
		_, err := pc.CreateCustomer(w.ctx, customer("Nordic AS", "nordic", "NO"), nil)
		e := wantAPIError(t, err, http.StatusBadRequest, int(csp.ERegionNotInPolicy))
		if !strings.Contains(e.Description, "NO") || !strings.Contains(e.Description, "US, CA, UK, EU") {
			t.Errorf("refusal %q should name the region NO and the allowed regions", e.Description)
		}
		// Japan: outside its markets.
		_, err = pc.CreateCustomer(w.ctx, customer("Tokyo KK", "tokyokk", "JP"), nil)
		e = wantAPIError(t, err, http.StatusBadRequest, int(csp.ECountryOutsideMarkets))
		if !strings.Contains(e.Description, "R-30") || !strings.Contains(e.Description, `market "Japan"`) {
			t.Errorf("refusal %q should cite R-30 and the market", e.Description)
		}
		// Education: outside the commercial-only policy, at creation and later.
		edu := customer("Fabrikam School", "fabrikamschool", "US")
		edu.Segment = "education"
		_, err = pc.CreateCustomer(w.ctx, edu, nil)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ESegmentNotInPolicy))
		c := w.MustCustomer(pc, customer("Fabrikam", "fabrikam", "US"))
		err = pc.SetQualification(w.ctx, c.ID, "Education")
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ESegmentNotInPolicy))

		// Widen the policy: education is now sold, and the qualification sticks.
		if _, err := w.op.SetSalePolicy(w.ctx, p.ID, client.SalePolicy{Segments: []string{"commercial", "education"}, Regions: []string{"US", "CA", "UK", "EU"}}); err != nil {
			t.Fatal(err)
		}
		if err := pc.SetQualification(w.ctx, c.ID, "Education"); err != nil {
			t.Fatal(err)
		}
		got, err := pc.GetCustomer(w.ctx, c.ID)
		if err != nil || got.Segment != "education" || got.Qualification != "Education" {
			t.Fatalf("after qualification: %+v, %v; want education", got, err)
		}
		recs, err := pc.AuditRecords(w.ctx, "2026-01-05T00:00:00Z", "2026-01-05", "")
		if err != nil {
			t.Fatal(err)
		}
		last := recs.Items[len(recs.Items)-1]
		if last.OperationType != "update_customer_qualification" || last.CustomerID != c.ID || last.CustomerName != "Fabrikam" ||
			last.UserPrincipalName != "agent@northwindpartners.example" ||
			last.ResourceOldValue != `{"qualification":"None","segment":"commercial"}` ||
			last.ResourceNewValue != `{"qualification":"Education","segment":"education"}` || !last.OperationDate.Equal(start) {
			t.Fatalf("last audit record: %+v", last)
		}
		// A tenant in Norway that signed up directly cannot accept this partner either.
		nordic, err := w.op.CreateTenant(w.ctx, client.NewTenant{DisplayName: "Nordic AS", DomainPrefix: "nordicdirect", Country: "NO"})
		if err != nil {
			t.Fatal(err)
		}
		if nordic.TenantRegion != "NO" {
			t.Fatalf("Norwegian tenant region %s, want NO", nordic.TenantRegion)
		}
		link, err := pc.RelationshipRequestURL(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = client.New(w.url, nordic.APIKey).AcceptInvitation(w.ctx, link)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ERegionNotInPolicy))
	})
}

// TestUSPartnerCannotSellToCanada: the United States market is not Canada's
// the refusal writes nothing.
func TestUSPartnerCannotSellToCanada(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		p, pc := w.MustPartner(client.NewPartner{Name: "Gamma IT", Country: "US", PartnerType: "direct"})
		if strings.Join(p.Markets, "|") != "United States" {
			t.Fatalf("markets = %q, want United States", p.Markets)
		}
		before := w.Dump()
		_, err := pc.CreateCustomer(w.ctx, customer("Maple Leaf Foods", "mapleleaf", "CA"), nil)
		e := wantAPIError(t, err, http.StatusBadRequest, int(csp.ECountryOutsideMarkets))
		for _, want := range []string{"R-30", `market "Canada"`, `markets "United States"`} {
			if !strings.Contains(e.Description, want) {
				t.Errorf("refusal %q lacks %q", e.Description, want)
			}
		}
		if after := w.Dump(); after != before {
			t.Errorf("a refused customer changed the database:\n%s\nwant\n%s", after, before)
		}
		// A location in a territory counts for its market; one in no market is refused.
		guam, err := w.op.CreatePartner(w.ctx, client.NewPartner{Name: "Island IT", Country: "GU", PartnerType: "direct"})
		if err != nil || strings.Join(guam.Markets, "|") != "United States" || guam.Country != "GU" {
			t.Fatalf("partner in Guam: %+v, %v; want the United States market", guam, err)
		}
		_, err = w.op.CreatePartner(w.ctx, client.NewPartner{Name: "Nowhere IT", Country: "US", Locations: []string{"UK"}, PartnerType: "direct"})
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EUnknownCountry))
	})
}

func TestTwoPartnersShareATenant(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		pa, a := w.MustPartner(designPartner("Alpha Partners"))
		pb, b := w.MustPartner(client.NewPartner{Name: "Beta Cloud", Country: "GB", PartnerType: "direct"})
		_, c := w.MustPartner(client.NewPartner{Name: "Gamma IT", Country: "US", PartnerType: "direct"})

		shared := w.MustCustomer(a, customer("Shared Corp", "sharedcorp", "GB"))
		onlyB := w.MustCustomer(b, customer("Beta Only Ltd", "betaonly", "GB"))

		// Beta joins the shared tenant through the invitation link.
		link, err := b.RelationshipRequestURL(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(link, w.url+"/") || !strings.Contains(link, pb.ID.String()) {
			t.Fatalf("invitation link %q should be on this server and name partner %s", link, pb.ID)
		}
		admin := w.MustAdmin(shared.ID, "sharedcorp.onmicrosoft.com")
		if _, err := admin.AcceptInvitation(w.ctx, link); err != nil {
			t.Fatal(err)
		}
		_, err = admin.AcceptInvitation(w.ctx, link)
		wantAPIError(t, err, http.StatusConflict, int(csp.ERelationshipExists))

		ids := func(pc *client.Client) []string {
			page, err := pc.ListCustomers(w.ctx, client.CustomerQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range page.Items {
				out = append(out, c.CompanyProfile.CompanyName)
			}
			return out
		}
		if got := strings.Join(ids(a), ","); got != "Shared Corp" {
			t.Errorf("Alpha sees %s, want Shared Corp only", got)
		}
		if got := strings.Join(ids(b), ","); got != "Beta Only Ltd,Shared Corp" {
			t.Errorf("Beta sees %s, want Beta Only Ltd,Shared Corp", got)
		}
		if got := ids(c); len(got) != 0 {
			t.Errorf("Gamma sees %v, want nothing", got)
		}
		// Another partner's customer answers 404, exactly like a missing one.
		_, err = a.GetCustomer(w.ctx, onlyB.ID)
		notFound := wantAPIError(t, err, http.StatusNotFound, int(csp.ECustomerNotFound))
		missingID := uuid.NewString()
		_, err = a.GetCustomer(w.ctx, missingID)
		missing := wantAPIError(t, err, http.StatusNotFound, int(csp.ECustomerNotFound))
		if strings.ReplaceAll(notFound.Description, onlyB.ID, "X") != strings.ReplaceAll(missing.Description, missingID, "X") {
			t.Errorf("foreign and missing customers answer differently: %q vs %q", notFound.Description, missing.Description)
		}
		_, err = c.GetCustomer(w.ctx, shared.ID)
		wantAPIError(t, err, http.StatusNotFound, int(csp.ECustomerNotFound))

		// The customer sees both of its partners.
		rels, err := admin.TenantRelationships(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rels) != 2 || rels[0].PartnerID != pa.ID || rels[1].PartnerID != pb.ID || rels[0].RelationshipType != "directReseller" {
			t.Fatalf("relationships = %+v, want Alpha then Beta as directReseller", rels)
		}
		// Each partner's audit trail holds its own records only.
		recs, err := b.AuditRecords(w.ctx, "2026-01-05", "", "")
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, r := range recs.Items {
			if r.PartnerID != pb.ID.String() {
				t.Errorf("Beta sees an audit record of partner %s", r.PartnerID)
			}
			ops = append(ops, r.OperationType+"/"+r.CustomerName)
		}
		want := "add_partner/,add_partner_user/,add_customer/Beta Only Ltd,add_partner_customer_relationship/Shared Corp"
		if got := strings.Join(ops, ","); got != want {
			t.Errorf("Beta's audit records: %s\nwant %s", got, want)
		}
	})
}

func TestRemovePartnerNeedsNoLiveSubscriptions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		pa, a := w.MustPartner(designPartner("Alpha Partners"))
		cust := w.MustCustomer(a, customer("Keepers Inc", "keepers", "US"))
		admin := w.MustAdmin(cust.ID, "keepers.onmicrosoft.com")
		tenantID := uuid.MustParse(cust.ID)
		live := &csp.Subscription{ID: uuid.New(), TenantID: tenantID, PartnerID: &pa.ID, Channel: csp.ChannelCSP, ProductID: "CFQ7TTC0LH18", SkuID: "0001",
			OfferName: "Microsoft 365 Business Basic", Quantity: 10, Status: csp.StatusSuspended, CreatedAt: start}
		direct := &csp.Subscription{ID: uuid.New(), TenantID: tenantID, Channel: csp.ChannelDirect, ProductID: "CFQ7TTC0LDPB", SkuID: "0001",
			OfferName: "Microsoft 365 Business Standard", Quantity: 3, Status: csp.StatusActive, CreatedAt: start.Add(time.Hour)}
		mustSubscription(t, w, live)
		mustSubscription(t, w, direct)

		before := w.Dump()
		err := admin.RemovePartner(w.ctx, pa.ID)
		e := wantAPIError(t, err, http.StatusBadRequest, int(csp.EPartnerHasActiveSubs))
		if !strings.Contains(e.Description, "R-34") || !strings.Contains(e.Description, "1 active") {
			t.Errorf("refusal %q should cite R-34 and the one live subscription", e.Description)
		}
		if after := w.Dump(); after != before {
			t.Fatalf("refused removal changed the database")
		}
		// The customer sees subscriptions from every channel.
		var subs client.Collection[struct {
			Channel   string     `json:"channel"`
			PartnerID *uuid.UUID `json:"partnerId"`
			Quantity  int        `json:"quantity"`
		}]
		if _, err := admin.Do(w.ctx, http.MethodGet, "/tenant/v1/subscriptions", nil, &subs, nil); err != nil {
			t.Fatal(err)
		}
		if len(subs.Items) != 2 || subs.Items[0].Channel != "csp" || *subs.Items[0].PartnerID != pa.ID || subs.Items[1].Channel != "direct" || subs.Items[1].Quantity != 3 {
			t.Fatalf("tenant subscriptions = %+v", subs.Items)
		}

		// Once the subscription has expired, the partner can be removed; the
		// tenant and its data stay.
		if _, err := w.db.WritePool().ExecContext(w.ctx, `UPDATE subscriptions SET status = 'expired' WHERE id = $1`, live.ID); err != nil {
			t.Fatal(err)
		}
		if err := admin.RemovePartner(w.ctx, pa.ID); err != nil {
			t.Fatal(err)
		}
		rels, err := admin.TenantRelationships(w.ctx)
		if err != nil || len(rels) != 0 {
			t.Fatalf("relationships after removal = %v, %v; want none", rels, err)
		}
		_, err = a.GetCustomer(w.ctx, cust.ID)
		wantAPIError(t, err, http.StatusNotFound, int(csp.ECustomerNotFound))
		var own struct {
			DefaultDomain string `json:"defaultDomain"`
		}
		if _, err := admin.Do(w.ctx, http.MethodGet, "/tenant/v1/tenant", nil, &own, nil); err != nil || own.DefaultDomain != "keepers.onmicrosoft.com" {
			t.Fatalf("tenant after removal: %+v, %v", own, err)
		}
	})
}

func mustSubscription(t *testing.T, w *world, s *csp.Subscription) {
	t.Helper()
	if err := w.db.Write(w.ctx, func(tx storeTx) error { return tx.CreateSubscription(w.ctx, s) }); err != nil {
		t.Fatal(err)
	}
}

func TestMultiTenantOrganization(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, a := w.MustPartner(designPartner("Alpha Partners"))
		_, b := w.MustPartner(client.NewPartner{Name: "Beta Cloud", Country: "GB", PartnerType: "direct"})
		hq := w.MustCustomer(a, customer("Woodgrove HQ", "woodgrovehq", "US"))
		eu := w.MustCustomer(b, customer("Woodgrove Europe", "woodgroveeu", "DE"))
		owner := w.MustAdmin(hq.ID, "woodgrovehq.onmicrosoft.com")
		member := w.MustAdmin(eu.ID, "woodgroveeu.onmicrosoft.com")

		_, err := owner.MultiTenantOrganization(w.ctx)
		wantAPIError(t, err, http.StatusNotFound, int(csp.EMTONotFound))
		if _, err := owner.CreateMultiTenantOrganization(w.ctx, "Woodgrove Group"); err != nil {
			t.Fatal(err)
		}
		_, err = member.AddOrganizationTenant(w.ctx, uuid.MustParse(hq.ID))
		wantAPIError(t, err, http.StatusNotFound, int(csp.EMTONotFound))
		org, err := owner.AddOrganizationTenant(w.ctx, uuid.MustParse(eu.ID))
		if err != nil {
			t.Fatal(err)
		}
		if len(org.Tenants) != 2 || org.Tenants[1].State != "pending" || len(org.Tenants[1].Partners) != 0 {
			t.Fatalf("after add: %+v; want the member pending and its partners hidden", org.Tenants)
		}
		_, err = member.JoinOrganization(w.ctx, uuid.New())
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ENotInvitedToMTO))
		if _, err := member.JoinOrganization(w.ctx, uuid.MustParse(hq.ID)); err != nil {
			t.Fatal(err)
		}
		org, err = owner.MultiTenantOrganization(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if org.DisplayName != "Woodgrove Group" || len(org.Tenants) != 2 {
			t.Fatalf("organization = %+v", org)
		}
		m := org.Tenants[1]
		if m.DefaultDomain != "woodgroveeu.onmicrosoft.com" || m.TenantRegion != "EU" || m.State != "active" || m.Role != "member" ||
			len(m.Partners) != 1 || m.Partners[0].PartnerName != "Beta Cloud" {
			t.Fatalf("member as the owner sees it: %+v; want active EU tenant served by Beta Cloud", m)
		}
		// A member sees the organization but not the partners of other tenants.
		seen, err := member.MultiTenantOrganization(w.ctx)
		if err != nil || len(seen.Tenants) != 2 || len(seen.Tenants[0].Partners) != 0 {
			t.Fatalf("member view: %+v, %v", seen, err)
		}
		_, err = member.AddOrganizationTenant(w.ctx, uuid.MustParse(hq.ID))
		wantAPIError(t, err, http.StatusForbidden, int(csp.ENotMTOOwner))
	})
}

func TestBillingProfileKeepsCountry(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Alpha Partners"))
		c := w.MustCustomer(pc, customer("Old Name", "renamed", "US"))
		body := map[string]any{"email": "new@renamed.example", "culture": "en-US", "language": "en", "companyName": "Aardvark Holdings",
			"firstName": "New", "lastName": "Contact",
			"defaultAddress": map[string]any{"country": "US", "city": "Austin", "state": "tx", "addressLine1": "2 Main St", "postalCode": "78701"}}
		var got client.BillingProfile
		if _, err := pc.Do(w.ctx, http.MethodPut, "/v1/customers/"+c.ID+"/profiles/billing", body, &got, nil); err != nil {
			t.Fatal(err)
		}
		if got.DefaultAddress.State != "TX" || got.DefaultAddress.City != "Austin" || got.Email != "new@renamed.example" || got.CompanyName != "Aardvark Holdings" {
			t.Fatalf("billing profile after PUT: %+v", got)
		}
		// The list is ordered by the new name, and the region is unchanged.
		w.MustCustomer(pc, customer("Beta Co", "betaco", "US"))
		page, err := pc.ListCustomers(w.ctx, client.CustomerQuery{})
		if err != nil || page.Items[0].CompanyProfile.CompanyName != "Aardvark Holdings" || page.Items[0].TenantRegion != "US" {
			t.Fatalf("list after rename: %+v, %v", page.Items, err)
		}
	})
}
