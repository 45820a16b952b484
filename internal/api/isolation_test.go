package api_test

import (
	"net/http"
	"testing"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestSharedTenantProfilesArePerPartner: an indirect reseller and its
// provider share a tenant. The reseller's billing profile change is its
// own: the provider, the tenant and the provider's customer list keep the
// original.
func TestSharedTenantProfilesArePerPartner(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		prov, pc := w.MustPartner(client.NewPartner{Name: "Contoso Distribution", Country: "US", PartnerType: "indirectProvider"})
		res, rc := w.MustPartner(client.NewPartner{Name: "Fabrikam IT", Country: "US", PartnerType: "indirectReseller", ProviderID: &prov.ID})
		body := customer("Adatum", "adatum", "US")
		body.AssociatedPartnerID = res.ID.String()
		cust := w.MustCustomer(pc, body)
		profile := map[string]any{"firstName": "Evil", "lastName": "Reseller", "email": "billing@reseller.example", "culture": "en-US", "language": "en",
			"companyName": "Adatum (billed by Fabrikam)", "defaultAddress": address("US")}
		var got struct {
			CompanyName string `json:"companyName"`
			Email       string `json:"email"`
		}
		if _, err := rc.Do(w.ctx, http.MethodPut, "/v1/customers/"+cust.ID+"/profiles/billing", profile, &got, nil); err != nil {
			t.Fatal(err)
		}
		if got.CompanyName != "Adatum (billed by Fabrikam)" || got.Email != "billing@reseller.example" {
			t.Fatalf("the reseller's own view: %+v", got)
		}
		mine, err := rc.GetCustomer(w.ctx, cust.ID)
		if err != nil || mine.BillingProfile.CompanyName != "Adatum (billed by Fabrikam)" {
			t.Fatalf("the reseller reads back %+v, %v", mine, err)
		}
		theirs, err := pc.GetCustomer(w.ctx, cust.ID)
		if err != nil || theirs.BillingProfile.CompanyName != "Adatum" || theirs.BillingProfile.Email != "gena@adatum.example" {
			t.Fatalf("the provider now sees %+v, %v; want Adatum as it created it", theirs.BillingProfile, err)
		}
		list, err := pc.ListCustomers(w.ctx, client.CustomerQuery{Q: "fabrikam"})
		if err != nil || len(list.Items) != 0 {
			t.Fatalf("the provider's search finds the reseller's name: %d, %v", len(list.Items), err)
		}
		admin := w.MustAdmin(cust.ID, "adatum.onmicrosoft.com")
		var own struct {
			DisplayName string `json:"displayName"`
		}
		if _, err := admin.Do(w.ctx, http.MethodGet, "/tenant/v1/tenant", nil, &own, nil); err != nil || own.DisplayName != "Adatum" {
			t.Fatalf("the tenant's own name is %q (%v), want Adatum", own.DisplayName, err)
		}
	})
}

// TestQualificationWaitsForValidation: outside a sandbox a qualification
// is a request in review; no partner's sales see the new segment until the
// operator approves it, and then every partner's do.
func TestQualificationWaitsForValidation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w0 *world) {
		w := newWorldWith(t, w0.db, app.Options{})
		edu := client.NewPartner{Name: "Northwind Edu", Country: "US", PartnerType: "direct",
			SalePolicy: &client.SalePolicy{Segments: []string{"commercial", "education"}, Regions: []string{"US"}}}
		_, pc := w.MustPartner(edu)
		cust := w.MustCustomer(pc, customer("Lamna School", "lamna", "US"))
		var req struct {
			Qualification string `json:"qualification"`
			VettingStatus string `json:"vettingStatus"`
			RequestID     string `json:"requestId"`
		}
		if _, err := pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust.ID+"/qualifications", map[string]string{"qualification": "Education"}, &req, nil); err != nil {
			t.Fatal(err)
		}
		if req.Qualification != "Education" || req.VettingStatus != "InReview" {
			t.Fatalf("request: %+v, want Education InReview", req)
		}
		if c, err := pc.GetCustomer(w.ctx, cust.ID); err != nil || c.Segment != "commercial" {
			t.Fatalf("segment in review: %s %v, want commercial", c.Segment, err)
		}
		var quals []struct {
			Qualification string `json:"qualification"`
			VettingStatus string `json:"vettingStatus"`
		}
		if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+cust.ID+"/qualifications", nil, &quals, nil); err != nil || len(quals) != 2 ||
			quals[0].Qualification != "None" || quals[0].VettingStatus != "Approved" || quals[1].VettingStatus != "InReview" {
			t.Fatalf("qualifications: %+v %v", quals, err)
		}
		var pending client.Collection[map[string]any]
		if _, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/qualificationrequests?vettingStatus=InReview", nil, &pending, nil); err != nil || len(pending.Items) != 1 {
			t.Fatalf("pending requests: %+v %v", pending.Items, err)
		}
		if _, err := w.op.Do(w.ctx, http.MethodPost, "/admin/v1/qualificationrequests/"+req.RequestID+"/approve", nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		if c, err := pc.GetCustomer(w.ctx, cust.ID); err != nil || c.Segment != "education" || c.Qualification != "Education" {
			t.Fatalf("after approval: %+v %v, want education", c, err)
		}
		_, err := w.op.Do(w.ctx, http.MethodPost, "/admin/v1/qualificationrequests/"+req.RequestID+"/reject", nil, nil, nil)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EQualificationDecided))
	})
}

// TestPartnerProductIDsArePerPartner: a partner's product id is its own;
// another partner choosing the same id learns nothing of it.
func TestPartnerProductIDsArePerPartner(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		a := newAgreedShop(t, w)
		b := newAgreedShopOf(t, w, "Beta Cloud", "betacust")
		svc := func(price string) map[string]any {
			return map[string]any{"id": "MANAGED", "title": "Managed support", "skus": []any{map[string]any{
				"id": "0001", "title": "Per seat", "minimumQuantity": 1, "maximumQuantity": 100, "unitType": "Licenses",
				"availabilities": []any{map[string]any{"id": "US1", "segment": "commercial",
					"terms":  []any{map[string]any{"duration": "P1M", "billingCycle": "monthly"}},
					"prices": []any{map[string]any{"effectiveDate": "2026-01-01", "currency": "USD", "unitPrices": map[string]string{"P1M:monthly": price}}}}}}}}
		}
		for _, x := range []struct {
			s     *shop
			price string
		}{{a, "10.00"}, {b, "20.00"}} {
			if _, err := x.s.pc.Do(w.ctx, http.MethodPost, "/v1/products", svc(x.price), nil, nil); err != nil {
				t.Fatalf("creating MANAGED: %v", err)
			}
		}
		ida := a.buy(t, cartLine{CatalogItemID: "MANAGED:0001:US1", Quantity: 2, TermDuration: "P1M", BillingCycle: "monthly"})
		idb := b.buy(t, cartLine{CatalogItemID: "MANAGED:0001:US1", Quantity: 2, TermDuration: "P1M", BillingCycle: "monthly"})
		wantCharges(t, "a's service", a.history(t, ida), "new 2 2 20.00 2026-01-10..2026-02-09")
		wantCharges(t, "b's service", b.history(t, idb), "new 2 2 40.00 2026-01-10..2026-02-09")
		// Each renews at its own price.
		a.advanceTo(t, "2026-02-10T12:00:00Z")
		wantCharges(t, "a's service renewed", a.history(t, ida), "new 2 2 20.00 2026-01-10..2026-02-09", "renew 2 2 20.00 2026-02-10..2026-03-09")
		wantCharges(t, "b's service renewed", b.history(t, idb), "new 2 2 40.00 2026-01-10..2026-02-09", "renew 2 2 40.00 2026-02-10..2026-03-09")
	})
}

// TestAgreementRecordsItsUserAndStatusFolds: an agreement names the partner
// user who recorded it, cannot predate the customer's tenant; a status
// compares case-insensitively ("Active" on an active subscription changes
// nothing).
func TestAgreementRecordsItsUserAndStatusFolds(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		p, _ := w.MustPartner(designPartner("Northwind Cloud"))
		k, err := w.op.CreatePartnerUser(w.ctx, p.ID, client.NewPartnerUser{DisplayName: "Ann", Email: "ann@northwind.example", Roles: []string{"adminAgent"}})
		if err != nil {
			t.Fatal(err)
		}
		pc := client.New(w.url, k.APIKey)
		if _, err := w.op.AdvanceClock(w.ctx, "P5D"); err != nil {
			t.Fatal(err)
		}
		c := w.MustCustomer(pc, customer("Contoso", "contoso", "US"))
		s := &shop{w: w, pc: pc, customer: c.ID}
		body := func(day string) map[string]any {
			return map[string]any{"primaryContact": map[string]string{"firstName": "Gena", "lastName": "Soto", "email": "gena@contoso.example"},
				"templateId": csp.MCATemplateID, "dateAgreed": day, "type": "MicrosoftCustomerAgreement"}
		}
		_, err = pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+c.ID+"/agreements", body("2026-01-09T00:00:00Z"), nil, nil)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EInvalidAgreement))
		var ag struct {
			UserID string `json:"userId"`
		}
		if _, err := pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+c.ID+"/agreements", body("2026-01-10T00:00:00Z"), &ag, nil); err != nil {
			t.Fatal(err)
		}
		if ag.UserID != k.ID.String() {
			t.Fatalf("agreement userId %q, want the user's id %s (not the partner's %s)", ag.UserID, k.ID, p.ID)
		}
		id := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 3, TermDuration: "P1Y", BillingCycle: "monthly"})
		got, err := s.patch(id, map[string]any{"status": "Active"})
		if err != nil || got.Status != "active" {
			t.Fatalf(`status "Active" on an active subscription: %+v %v`, got, err)
		}
		if evs := s.events(t, id); len(evs) != 1 {
			t.Fatalf("the no-op status change recorded %d events, want only the purchase", len(evs))
		}
	})
}
