package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestIndirectBilling: Contoso Distribution (an indirect provider, book
// markup 10%) sells Business Basic P1Y billed monthly ($6.30 a month:
// $6.00 and 5%) on 2026-01-05: 3 seats to Adatum through its reseller
// Fabrikam IT (reseller of record; Fabrikam's book: markup 25%) and 1 seat
// to Tailwind, its own customer. January closes on 2026-02-01:
//   - Microsoft's invoice to Contoso: 18.90 + 6.30 = 25.20, its lines
//     naming Fabrikam IT as reseller of record;
//   - Contoso to Fabrikam IT: 18.90 × 1.10 = 20.79 (cost 18.90, profit
//     1.89); to Tailwind: 6.30 × 1.10 = 6.93;
//   - Fabrikam IT to Adatum: its cost 20.79 × 1.25 = 25.9875 → 25.99
//     (profit 5.20).
//
// Fabrikam IT sees its costs (20.79) and its own invoice, not Microsoft's
// invoice nor Contoso's other customers.
func TestIndirectBilling(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		prov, pc := w.MustPartner(client.NewPartner{Name: "Contoso Distribution", Country: "US", PartnerType: "indirectProvider"})
		res, rc := w.MustPartner(client.NewPartner{Name: "Fabrikam IT", Country: "US", PartnerType: "indirectReseller", ProviderID: &prov.ID, MpnID: "3000001"})
		body := customer("Adatum", "adatum", "US")
		body.AssociatedPartnerID = res.ID.String()
		adatum := w.MustCustomer(pc, body)
		tailwind := w.MustCustomer(pc, customer("Tailwind", "tailwind", "US"))
		for _, b := range []struct {
			c    *client.Client
			path string
			pct  string
		}{{pc, "/v1/pricebook", "10"}, {rc, "/v1/pricebook", "25"}} {
			if _, err := b.c.Do(w.ctx, http.MethodPut, b.path, map[string]any{"defaultMarkupPercent": b.pct, "items": []any{}}, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		s := &shop{w: w, pc: pc, customer: adatum.ID}
		s.agree(t)
		line := map[string]any{"catalogItemId": basic, "quantity": 3, "termDuration": "P1Y", "billingCycle": "monthly",
			"participants": []map[string]string{{"key": "transaction", "value": "3000001"}}}
		var c cartJSON
		if _, err := pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+adatum.ID+"/carts", map[string]any{"lineItems": []any{line}}, &c, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.checkout(t, c.ID); err != nil {
			t.Fatal(err)
		}
		tw := &shop{w: w, pc: pc, customer: tailwind.ID}
		tw.agree(t)
		tw.buy(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1Y", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-02-01T01:00:00Z")

		inv := invoices(t, w, pc)
		if len(inv) != 1 || inv[0].TotalCharges != "25.20" {
			t.Fatalf("Microsoft's invoice to Contoso: %+v", inv)
		}
		var lines client.Collection[struct {
			ResellerMpnID string `json:"resellerMpnId"`
			CustomerName  string `json:"customerName"`
		}]
		if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/invoices/"+inv[0].ID+"/lineitems?provider=onetime&invoiceLineItemType=billinglineitems", nil, &lines, nil); err != nil {
			t.Fatal(err)
		}
		resellers := map[string]string{}
		for _, l := range lines.Items {
			resellers[l.CustomerName] = l.ResellerMpnID
		}
		if resellers["Adatum"] != "3000001" || resellers["Tailwind"] != "" {
			t.Errorf("reseller of record on the lines: %v", resellers)
		}
		sums := func(list []customerInvoiceOut) []string {
			var out []string
			for _, ci := range list {
				out = append(out, strings.Join(strings.Fields(ci.sums()), " "))
			}
			return out
		}
		got := sums(customerInvoices(t, w, pc, "?period=2026-01"))
		if len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), "USD 20.79 0.00 20.79 18.90 1.89 1") || !strings.Contains(strings.Join(got, "\n"), "USD 6.93 0.00 6.93 6.30 0.63 1") {
			t.Errorf("Contoso's invoices (to Fabrikam IT, to Tailwind):\n%s", strings.Join(got, "\n"))
		}
		mine := sums(customerInvoices(t, w, rc, "?period=2026-01"))
		if len(mine) != 1 || !strings.Contains(mine[0], "USD 25.99 0.00 25.99 20.79 5.20 1") {
			t.Errorf("Fabrikam IT's invoice to Adatum: %v", mine)
		}
		var costs client.Collection[customerInvoiceOut]
		if _, err := rc.Do(w.ctx, http.MethodGet, "/v1/resellercosts?period=2026-01", nil, &costs, nil); err != nil ||
			len(costs.Items) != 1 || !strings.Contains(costs.Items[0].sums(), "USD 20.79 ") {
			t.Errorf("Fabrikam IT's costs: %v %+v", err, costs.Items)
		}
		// One cost with its line, without Contoso's own cost and profit.
		one, err := rc.Do(w.ctx, http.MethodGet, "/v1/resellercosts/"+costs.Items[0].ID, nil, nil, nil)
		if err != nil || strings.Contains(string(one.Body), `"cost"`) || strings.Contains(string(one.Body), `"profit"`) ||
			!strings.Contains(string(one.Body), `"amount":20.79`) || !strings.Contains(string(one.Body), `"customerName":"Fabrikam IT"`) {
			t.Errorf("a cost: %v\n%s", err, one.Body)
		}
		var tailwindInv string
		for _, ci := range customerInvoices(t, w, pc, "?period=2026-01") {
			if strings.Contains(ci.sums(), " 6.93 ") {
				tailwindInv = ci.ID
			}
		}
		_, err = rc.Do(w.ctx, http.MethodGet, "/v1/resellercosts/"+tailwindInv, nil, nil, nil)
		wantAPIError(t, err, http.StatusNotFound, int(csp.ECustomerInvoiceNotFound))
		if got := invoices(t, w, rc); len(got) != 0 {
			t.Errorf("the reseller sees Microsoft's invoices: %+v", got)
		}
		_, err = pc.Do(w.ctx, http.MethodGet, "/v1/resellercosts", nil, nil, nil)
		wantAPIError(t, err, http.StatusForbidden, int(csp.EForbiddenRole))
	})
}
