package api_test

import (
	"testing"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestCommerceRefusals sends operations that break a rule of the commerce
// engine. Each answers its status and code, and leaves every table as it was.
func TestCommerceRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w) // clock at 2026-01-10T09:00Z
		p, _ := w.op.ListPartners(w.ctx, 1, "")
		partnerID := p.Items[0].ID
		annual := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 10, TermDuration: "P1Y", BillingCycle: "annual"})
		noRenew := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 2, TermDuration: "P1Y", BillingCycle: "monthly"})
		trial := s.buy(t, cartLine{CatalogItemID: premiumTrial, Quantity: 25, TermDuration: "P1M", BillingCycle: "monthly"})
		azure := s.buy(t, cartLine{CatalogItemID: azurePlan, Quantity: 1, BillingCycle: "monthly"})
		gone := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		if _, err := s.patch(gone, map[string]any{"status": "deleted"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.patch(noRenew, map[string]any{"autoRenewEnabled": false}); err != nil {
			t.Fatal(err)
		}
		ordered := s.cart(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		if _, err := s.checkout(t, ordered.ID); err != nil {
			t.Fatal(err)
		}
		stale := s.cart(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"}) // expires after 7 days
		other := w.MustCustomer(s.pc, customer("No Agreement Inc", "noagreement", "US"))
		// Another partner's customer and subscription.
		b := newAgreedShopOf(t, w, "Beta Cloud", "betacust")
		foreignSub := b.buy(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		helpdesk := w.MustUser(partnerID, "help@northwind.example", "helpdeskAgent")
		sales := w.MustUser(partnerID, "sales@northwind.example", "salesAgent")
		prov, _ := w.MustPartner(client.NewPartner{Name: "Contoso Distribution", Country: "US", PartnerType: "indirectProvider"})
		_, reseller := w.MustPartner(client.NewPartner{Name: "Fabrikam IT", Country: "US", PartnerType: "indirectReseller", ProviderID: &prov.ID})
		link, _ := reseller.RelationshipRequestURL(w.ctx)
		if _, err := w.MustAdmin(s.customer, "contoso.onmicrosoft.com").AcceptInvitation(w.ctx, link); err != nil {
			t.Fatal(err)
		}
		s.advanceTo(t, "2026-01-20T09:00:00Z") // every cancellation window of the purchases above has closed
		broken := s.cart(t, cartLine{CatalogItemID: basic, Quantity: 500, TermDuration: "P1Y", BillingCycle: "annual"})
		// Another customer without an agreement, with a valid cart.
		unsigned := (&shop{w: w, pc: s.pc, customer: other.ID}).cart(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})

		c := "/v1/customers/" + s.customer
		sub := func(id string) string { return c + "/subscriptions/" + id }
		agreement := func(change func(m map[string]any)) map[string]any {
			m := map[string]any{"primaryContact": map[string]string{"firstName": "A", "lastName": "B", "email": "a@b.example"},
				"templateId": csp.MCATemplateID, "dateAgreed": "2026-01-05T00:00:00Z", "type": "MicrosoftCustomerAgreement"}
			change(m)
			return m
		}
		next := func(product, sku, avail, term, cycle string, qty int) map[string]any {
			return map[string]any{"autoRenewEnabled": true, "scheduledNextTermInstructions": map[string]any{"product": map[string]string{"productId": product, "skuId": sku,
				"availabilityId": avail, "termDuration": term, "billingCycle": cycle}, "quantity": qty}}
		}
		without := func(m map[string]any, key string) map[string]any {
			delete(m, key)
			return m
		}
		line := []map[string]any{{"catalogItemId": basic, "quantity": 1, "termDuration": "P1M", "billingCycle": "monthly"}}
		cases := []refusal{
			{"AgreementNoTemplate", s.pc, "POST", c + "/agreements", agreement(func(m map[string]any) { delete(m, "templateId") }), 400, csp.EInvalidAgreement},
			{"AgreementWrongType", s.pc, "POST", c + "/agreements", agreement(func(m map[string]any) { m["type"] = "EnterpriseAgreement" }), 400, csp.EInvalidAgreement},
			{"AgreementNoDate", s.pc, "POST", c + "/agreements", agreement(func(m map[string]any) { delete(m, "dateAgreed") }), 400, csp.EInvalidAgreement},
			{"AgreementFutureDate", s.pc, "POST", c + "/agreements", agreement(func(m map[string]any) { m["dateAgreed"] = "2027-01-01T00:00:00Z" }), 400, csp.EInvalidAgreement},
			{"AgreementBadEmail", s.pc, "POST", c + "/agreements", agreement(func(m map[string]any) {
				m["primaryContact"] = map[string]string{"firstName": "A", "lastName": "B", "email": "nope"}
			}), 400, csp.EInvalidEmail},
			{"AgreementForeignCustomer", s.pc, "POST", "/v1/customers/" + b.customer + "/agreements", agreement(func(map[string]any) {}), 404, csp.ECustomerNotFound},
			{"CartEmpty", s.pc, "POST", c + "/carts", map[string]any{"lineItems": []any{}}, 400, csp.ECartEmpty},
			{"CartQuantityWrongType", s.pc, "POST", c + "/carts", map[string]any{"lineItems": []map[string]any{{"catalogItemId": basic, "quantity": "ten"}}}, 400, csp.EInvalidBody},
			{"CartForeignCustomer", s.pc, "POST", "/v1/customers/" + b.customer + "/carts", map[string]any{"lineItems": line}, 404, csp.ECustomerNotFound},
			{"CartByHelpdesk", helpdesk, "POST", c + "/carts", map[string]any{"lineItems": line}, 403, csp.EForbiddenRole},
			{"CartByReseller", reseller, "POST", c + "/carts", map[string]any{"lineItems": line}, 403, csp.EResellerCannotTransact},
			{"CartUnknown", s.pc, "GET", c + "/carts/0d6f7c1e-0000-4000-8000-000000000000", nil, 404, csp.ECartNotFound},
			{"PutOrderedCart", s.pc, "PUT", c + "/carts/" + ordered.ID, map[string]any{"lineItems": line}, 400, csp.ECartNotActive},
			{"CheckoutOrderedCart", s.pc, "POST", c + "/carts/" + ordered.ID + "/checkout", nil, 400, csp.ECartNotActive},
			{"CheckoutLineErrors", s.pc, "POST", c + "/carts/" + broken.ID + "/checkout", nil, 400, csp.ECartLineErrors},
			{"CheckoutWithoutAgreement", s.pc, "POST", "/v1/customers/" + other.ID + "/carts/" + unsigned.ID + "/checkout", nil, 400, csp.ENoAgreement},
			{"CheckoutByHelpdesk", helpdesk, "POST", c + "/carts/" + broken.ID + "/checkout", nil, 403, csp.EForbiddenRole},
			{"OrderUnknown", s.pc, "GET", c + "/orders/0d6f7c1e-0000-4000-8000-000000000000", nil, 404, csp.EOrderNotFound},
			{"SubscriptionUnknown", s.pc, "GET", sub("0d6f7c1e-0000-4000-8000-000000000000"), nil, 404, csp.ESubscriptionNotFound},
			{"SubscriptionUnderWrongCustomer", s.pc, "GET", "/v1/customers/" + other.ID + "/subscriptions/" + annual, nil, 404, csp.ESubscriptionNotFound},
			{"PatchForeignSubscription", s.pc, "PATCH", "/v1/customers/" + b.customer + "/subscriptions/" + foreignSub, map[string]any{"quantity": 2}, 404, csp.ECustomerNotFound},
			{"PatchByHelpdesk", helpdesk, "PATCH", sub(annual), map[string]any{"quantity": 11}, 403, csp.EForbiddenRole},
			{"CancelAfterWindow", s.pc, "PATCH", sub(annual), map[string]any{"status": "deleted"}, 400, csp.ECancelWindowClosed},
			{"DecreaseOutsideWindow", s.pc, "PATCH", sub(annual), map[string]any{"quantity": 9}, 400, csp.EDecreaseOutsideWindow},
			{"QuantityNegative", s.pc, "PATCH", sub(annual), map[string]any{"quantity": -1, "autoRenewEnabled": true}, 400, csp.EQuantityBelowOne},
			{"QuantityAboveMaximum", s.pc, "PATCH", sub(annual), map[string]any{"quantity": 301}, 400, csp.EQuantityAboveMaximum},
			{"QuantityWrongType", s.pc, "PATCH", sub(annual), map[string]any{"quantity": "11"}, 400, csp.EInvalidBody},
			{"StatusExpired", s.pc, "PATCH", sub(annual), map[string]any{"status": "expired"}, 400, csp.EStatusChangeInvalid},
			{"CancelWithSeats", s.pc, "PATCH", sub(annual), map[string]any{"status": "deleted", "quantity": 12}, 400, csp.EConflictingChanges},
			{"RenameThenSeatsRollsBack", s.pc, "PATCH", sub(annual), map[string]any{"friendlyName": "Renamed", "quantity": 301}, 400, csp.EQuantityAboveMaximum},
			{"TermNotSold", s.pc, "PATCH", sub(annual), map[string]any{"termDuration": "P3Y", "autoRenewEnabled": true}, 400, csp.EPlanNotSold},
			{"TermShorter", s.pc, "PATCH", sub(annual), map[string]any{"termDuration": "P1M", "billingCycle": "monthly", "autoRenewEnabled": true}, 400, csp.ETermChangeAtRenewal},
			{"BillingCycleChangeP1Y", s.pc, "PATCH", sub(annual), map[string]any{"billingCycle": "monthly", "autoRenewEnabled": true}, 400, csp.ETermChangeAtRenewal},
			{"NextChargeOtherTerm", s.pc, "PATCH", sub(annual), map[string]any{"nextChargeInstructions": map[string]any{"product": map[string]any{"termDuration": "P3Y"}}}, 400, csp.EInvalidNextCharge},
			{"CheckoutExpiredCart", s.pc, "POST", c + "/carts/" + stale.ID + "/checkout", nil, 400, csp.ECartNotActive},
			{"CancelDeleted", s.pc, "PATCH", sub(gone), map[string]any{"status": "suspended"}, 400, csp.ESubscriptionNotActive},
			{"SeatsOnDeleted", s.pc, "PATCH", sub(gone), map[string]any{"quantity": 3}, 400, csp.ESubscriptionNotActive},
			{"TrialSuspend", s.pc, "PATCH", sub(trial), map[string]any{"autoRenewEnabled": true, "status": "suspended"}, 400, csp.ETrialStatusFixed},
			{"TrialSeats", s.pc, "PATCH", sub(trial), map[string]any{"quantity": 30}, 400, csp.ETrialQuantityFixed},
			{"TrialCancel", s.pc, "PATCH", sub(trial), map[string]any{"status": "deleted"}, 400, csp.ETrialNotCancellable},
			{"AzureSeats", s.pc, "PATCH", sub(azure), map[string]any{"quantity": 2}, 400, csp.EQuantityNotApplicable},
			{"FriendlyNameEmpty", s.pc, "PATCH", sub(annual), map[string]any{"friendlyName": " "}, 400, csp.EInvalidField},
			{"ScheduleUnrelatedSku", s.pc, "PATCH", sub(annual), next("CFQ7TTC0LGXR", "0001", "", "P1Y", "annual", 5), 400, csp.EInvalidScheduledChange},
			{"ScheduleUnknownSku", s.pc, "PATCH", sub(annual), next("NOPE", "0001", "", "P1Y", "annual", 5), 400, csp.EInvalidScheduledChange},
			{"ScheduleTermNotSold", s.pc, "PATCH", sub(annual), next("CFQ7TTC0LH18", "0001", "", "P3Y", "annual", 5), 400, csp.EInvalidScheduledChange},
			{"ScheduleTooManySeats", s.pc, "PATCH", sub(annual), next("CFQ7TTC0LH18", "0001", "", "P1Y", "annual", 999), 400, csp.EInvalidScheduledChange},
			{"ScheduleWithoutAutoRenew", s.pc, "PATCH", sub(noRenew), without(next("CFQ7TTC0LH18", "0001", "", "P1Y", "monthly", 1), "autoRenewEnabled"), 400, csp.EInvalidScheduledChange},
			{"TransitionUnknownTarget", s.pc, "POST", sub(annual) + "/transitions", map[string]any{"toCatalogItemId": "NOPE:0001:X", "quantity": 1}, 400, csp.ETransitionNotEligible},
			{"TransitionNoTarget", s.pc, "POST", sub(annual) + "/transitions", map[string]any{"quantity": 1}, 400, csp.EMissingField},
			{"TransitionTooManySeats", s.pc, "POST", sub(annual) + "/transitions", map[string]any{"toCatalogItemId": premium, "quantity": 11}, 400, csp.ETransitionNotEligible},
			{"TransitionBillingChange", s.pc, "POST", sub(annual) + "/transitions", map[string]any{"toCatalogItemId": premium, "quantity": 1, "termDuration": "P1Y", "billingCycle": "monthly"}, 400, csp.ETransitionNotEligible},
			{"TransitionFromDeleted", s.pc, "POST", sub(gone) + "/transitions", map[string]any{"toCatalogItemId": premium, "quantity": 1, "termDuration": "P1M", "billingCycle": "monthly"}, 400, csp.ETransitionNotEligible},
			{"EligibilityBadType", s.pc, "GET", sub(annual) + "/transitioneligibilities?eligibilityType=someday", nil, 400, csp.EInvalidQuery},
			{"HistoryUnknown", s.pc, "GET", "/v1/subscriptions/0d6f7c1e-0000-4000-8000-000000000000/history", nil, 404, csp.ESubscriptionNotFound},
			{"HistoryForeign", s.pc, "GET", "/v1/subscriptions/" + foreignSub + "/history", nil, 404, csp.ESubscriptionNotFound},
			{"ProductsWithoutCountry", s.pc, "GET", "/v1/products", nil, 400, csp.EInvalidQuery},
			{"ProductsUnknownCountry", s.pc, "GET", "/v1/products?country=ZZ", nil, 400, csp.EUnknownCountry},
			{"ProductUnknown", s.pc, "GET", "/v1/products/NOPE?country=US", nil, 404, csp.EProductNotFound},
			{"CatalogInvalid", w.op, "PUT", "/admin/v1/catalog", map[string]any{"version": "x", "products": []any{map[string]any{"id": "P", "title": "T", "skus": []any{}}}}, 400, csp.EInvalidCatalog},
			{"CatalogByPartner", s.pc, "PUT", "/admin/v1/catalog", map[string]any{"version": "x"}, 403, csp.EWrongAPI},
			{"UnbilledNoCurrency", s.pc, "GET", "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&period=current", nil, 400, csp.EInvalidQuery},
			{"UnbilledBadProvider", s.pc, "GET", "/v1/invoices/unbilled/lineitems?provider=azure&invoiceLineItemType=billinglineitems&currencyCode=USD", nil, 400, csp.EInvalidQuery},
			{"UnbilledBadPeriod", s.pc, "GET", "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD&period=next", nil, 400, csp.EInvalidQuery},
			{"UnbilledBySales", sales, "GET", "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD", nil, 403, csp.EForbiddenRole},
		}
		runRefusals(t, w, cases, 40)
	})
}

// refusal is a request that breaks a rule, and the error it must answer.
type refusal struct {
	name   string
	c      *client.Client
	method string
	path   string
	body   any
	status int
	code   csp.Code
}

// runRefusals sends each request and checks that it answers its status
// and code with a description, and leaves every table as it was; a table
// of fewer than least cases fails.
func runRefusals(t *testing.T, w *world, cases []refusal, least int) {
	t.Helper()
	before := w.Dump()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.Do(w.ctx, tc.method, tc.path, tc.body, nil, &client.Request{RequestID: client.NewRequestID()})
			e := wantAPIError(t, err, tc.status, int(tc.code))
			if e.Description == "" {
				t.Errorf("no description")
			}
			if after := w.Dump(); after != before {
				t.Fatalf("the refused operation changed the database")
			}
		})
	}
	if len(cases) < least {
		t.Fatalf("only %d refusals, want at least %d", len(cases), least)
	}
}

// newAgreedShopOf is a second partner with its own agreed customer.
func newAgreedShopOf(t *testing.T, w *world, partner, domain string) *shop {
	_, pc := w.MustPartner(client.NewPartner{Name: partner, Country: "US", PartnerType: "direct"})
	c := w.MustCustomer(pc, customer(partner+" Customer", domain, "US"))
	s := &shop{w: w, pc: pc, customer: c.ID}
	s.agree(t)
	return s
}
