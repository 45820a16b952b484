package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

type customerLineOut struct {
	Seq                int         `json:"seq"`
	Description        string      `json:"description"`
	ProductID          string      `json:"productId"`
	ChargeType         string      `json:"chargeType"`
	Quantity           json.Number `json:"quantity"`
	UnitPrice          json.Number `json:"unitPrice"`
	EffectiveUnitPrice json.Number `json:"effectiveUnitPrice"`
	Amount             json.Number `json:"amount"`
	TaxTotal           json.Number `json:"taxTotal"`
	Cost               json.Number `json:"cost"`
	Profit             json.Number `json:"profit"`
	PricingRule        string      `json:"pricingRule"`
	Promotion          string      `json:"promotion"`
	ChargeID           string      `json:"chargeId"`
}

// String is "type qty unit eup amount tax cost profit (rule; promotion) | description".
func (l customerLineOut) String() string {
	rule := l.PricingRule
	if l.Promotion != "" {
		rule += "; " + l.Promotion
	}
	return fmt.Sprintf("%s %s %s %s %s %s %s %s (%s) | %s", l.ChargeType, l.Quantity, l.UnitPrice, l.EffectiveUnitPrice, l.Amount, l.TaxTotal, l.Cost,
		l.Profit, rule, l.Description)
}

type customerInvoiceOut struct {
	ID                 string            `json:"id"`
	Number             string            `json:"number"`
	CustomerID         string            `json:"customerId"`
	CustomerName       string            `json:"customerName"`
	Period             string            `json:"period"`
	CurrencyCode       string            `json:"currencyCode"`
	IssuedAt           time.Time         `json:"issuedAt"`
	MicrosoftInvoiceID string            `json:"microsoftInvoiceId"`
	Subtotal           json.Number       `json:"subtotal"`
	TaxTotal           json.Number       `json:"taxTotal"`
	Total              json.Number       `json:"total"`
	Cost               json.Number       `json:"cost"`
	Profit             json.Number       `json:"profit"`
	LineCount          int               `json:"lineCount"`
	LineItems          []customerLineOut `json:"lineItems"`
}

// sums is "number customer period currency subtotal tax total cost profit lines from".
func (i customerInvoiceOut) sums() string {
	return fmt.Sprintf("%s %s %s %s %s %s %s %s %s %d %s", i.Number, i.CustomerName, i.Period, i.CurrencyCode, i.Subtotal, i.TaxTotal, i.Total, i.Cost,
		i.Profit, i.LineCount, i.MicrosoftInvoiceID)
}

func customerInvoices(t *testing.T, w *world, pc *client.Client, query string) []customerInvoiceOut {
	t.Helper()
	var list client.Collection[customerInvoiceOut]
	if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/customerinvoices"+query, nil, &list, nil); err != nil {
		t.Fatal(err)
	}
	return list.Items
}

func customerInvoice(t *testing.T, w *world, pc *client.Client, id string) (customerInvoiceOut, []string) {
	t.Helper()
	var inv customerInvoiceOut
	if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/customerinvoices/"+id, nil, &inv, nil); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range inv.LineItems {
		lines = append(lines, l.String())
	}
	return inv, lines
}

// ownService is a partner's own per-seat service at price a month (USD).
func ownService(id, title, price string) map[string]any {
	return map[string]any{"id": id, "title": title, "skus": []any{map[string]any{
		"id": "0001", "title": title + " per seat", "minimumQuantity": 1, "maximumQuantity": 1000, "unitType": "Licenses",
		"availabilities": []any{map[string]any{"id": id + "US1", "segment": "commercial",
			"terms":  []any{map[string]any{"duration": "P1M", "billingCycle": "monthly"}},
			"prices": []any{map[string]any{"effectiveDate": "2026-01-01", "currency": "USD", "unitPrices": map[string]string{"P1M:monthly": price}}}}}}}}
}

type priceBookOut struct {
	CustomerID           string            `json:"customerId"`
	DefaultMarkupPercent json.Number       `json:"defaultMarkupPercent"`
	Items                []map[string]any  `json:"items"`
	Attributes           map[string]string `json:"attributes"`
}

// partnerBook: 20% over cost by default, Business Basic at a fixed 9.00
// a seat, and 10% off Business Premium lines whose charge starts from
// 2026-02-15 to 2026-02-28.
var partnerBook = map[string]any{"defaultMarkupPercent": 20,
	"items":      []any{map[string]any{"productId": "CFQ7TTC0LH18", "fixedUnitPrice": "9.00"}},
	"promotions": []any{map[string]any{"id": "winter", "name": "Winter 10%", "productId": "CFQ7TTC0LCHC", "discountPercent": 10, "startDate": "2026-02-15", "endDate": "2026-02-28"}}}

// fabrikamBook: a 25% margin on Business Premium.
var fabrikamBook = map[string]any{"items": []any{map[string]any{"productId": "CFQ7TTC0LCHC", "marginPercent": 25}}}

// TestCustomerInvoices: Northwind (US, USD) sells, on 2026-01-12, Contoso
// (US) 10 seats of Business Premium P1Y billed monthly at $23.10, 3 seats
// of Business Basic P1M at $7.20 and 5 seats of its own support service
// at $12.00 (P1M), and Fabrikam (US) 4 seats of Business Premium; Contoso
// adds 2 Premium seats on 2026-02-20. US tax is 10%. Northwind's book:
// default markup 20%, Basic at a fixed 9.00, 10% off Premium lines that
// start from 02-15 to 02-28; Fabrikam's book: a 25% margin on Premium.
//
// January (closed 2026-02-01), C000000001 Contoso, every period 01-12..02-11
// (31 of 31 days):
//   - Premium new: cost 23.10 × 10 = 231.00; markup 20%: unit 27.72,
//     amount 277.20, tax 27.72, profit 46.20;
//   - Basic new: cost 7.20 × 3 = 21.60; fixed 9.00 × 3 = 27.00, tax 2.70,
//     profit 5.40;
//   - support new: 12.00 × 5 = 60.00 at its own price, tax 6.00; it costs
//     Northwind nothing (Microsoft never bills it): profit 60.00;
//   - subtotal 364.20, tax 36.42, total 400.62, cost 252.60, profit 111.60.
//
// C000000002 Fabrikam: Premium new, cost 23.10 × 4 = 92.40; margin 25%:
// unit 23.10 ÷ 0.75 = 30.80, amount 92.40 ÷ 0.75 = 123.20, tax 12.32,
// profit 30.80; total 135.52.
//
// February (closed 2026-03-01), C000000003 Contoso, periods 02-12..03-11
// (28 days):
//   - Premium cycle: 231.00 → 277.20, tax 27.72 (starts 02-12: no
//     promotion);
//   - the change on 02-20, d = 20 of D = 28: EUP 23.10 × 20/28 = 16.50.
//     The credit: cost −16.50 × 10 = −165.00; markup: EUP −19.80, amount
//     −198.00; the promotion: EUP −19.80 × 0.9 = −17.82, amount −178.20,
//     tax −17.82, profit −178.20 + 165.00 = −13.20. The charge: cost
//     16.50 × 12 = 198.00 → 237.60 → 213.84 (EUP 17.82), tax
//     ROUND(21.384) = 21.38, profit 15.84;
//   - Basic renewed: 27.00, tax 2.70; support renewed: 60.00, tax 6.00;
//   - subtotal 277.20 − 178.20 + 213.84 + 27.00 + 60.00 = 399.84, tax
//     27.72 − 17.82 + 21.38 + 2.70 + 6.00 = 39.98, total 439.82, cost
//     231.00 − 165.00 + 198.00 + 21.60 = 285.60, profit 114.24.
//
// C000000004 Fabrikam: Premium cycle 92.40 → 123.20, tax 12.32.
//
// Tailspin (US) sells only its own backup service: 2 seats at $15.00 to
// Adatum on 2026-01-12. Microsoft bills it nothing; its January invoice
// to Adatum is C000000001 (its own counter), 30.00, tax 3.00, from no
// Microsoft invoice.
func TestCustomerInvoices(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		nw, nwc := w.MustPartner(designPartner("Northwind Cloud"))
		contoso := w.MustCustomer(nwc, customer("Contoso", "contoso", "US"))
		fabrikam := w.MustCustomer(nwc, customer("Fabrikam", "fabrikam", "US"))
		cs := &shop{w: w, pc: nwc, customer: contoso.ID}
		fs := &shop{w: w, pc: nwc, customer: fabrikam.ID}
		tsp, tsc := w.MustPartner(client.NewPartner{Name: "Tailspin Cloud", Country: "US", PartnerType: "direct"})
		adatum := w.MustCustomer(tsc, customer("Adatum", "adatum", "US"))
		ts := &shop{w: w, pc: tsc, customer: adatum.ID}
		if _, err := w.op.Do(w.ctx, http.MethodPut, "/admin/v1/taxRates", map[string]string{"US": "0.10"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			pc  *client.Client
			svc map[string]any
		}{{nwc, ownService("NWSUPPORT", "Northwind Managed Support", "12.00")}, {tsc, ownService("TSBACKUP", "Tailspin Backup", "15.00")}} {
			if _, err := c.pc.Do(w.ctx, http.MethodPost, "/v1/products", c.svc, nil, nil); err != nil {
				t.Fatal(err)
			}
		}

		// The books: never set, the partner's is empty at its first etag;
		// If-Match with it is accepted once.
		var book priceBookOut
		if _, err := nwc.Do(w.ctx, http.MethodGet, "/v1/pricebook", nil, &book, nil); err != nil || len(book.Items) != 0 || book.DefaultMarkupPercent != "" {
			t.Fatalf("the book before any: %+v (%v)", book, err)
		}
		first := book.Attributes["etag"]
		ifMatch := &client.Request{IfMatch: first}
		if _, err := nwc.Do(w.ctx, http.MethodPut, "/v1/pricebook", partnerBook, &book, ifMatch); err != nil || book.DefaultMarkupPercent != "20" ||
			len(book.Items) != 1 || book.Attributes["etag"] == first {
			t.Fatalf("put the partner's book: %+v (%v)", book, err)
		}
		_, err := nwc.Do(w.ctx, http.MethodPut, "/v1/pricebook", partnerBook, nil, ifMatch)
		wantAPIError(t, err, http.StatusPreconditionFailed, int(csp.EPreconditionFailed))
		if _, err := nwc.Do(w.ctx, http.MethodPut, "/v1/customers/"+fabrikam.ID+"/pricebook", fabrikamBook, &book, nil); err != nil || book.CustomerID != fabrikam.ID {
			t.Fatalf("put Fabrikam's book: %+v (%v)", book, err)
		}
		if _, err := nwc.Do(w.ctx, http.MethodGet, "/v1/customers/"+fabrikam.ID+"/pricebook", nil, &book, nil); err != nil || len(book.Items) != 1 ||
			book.Items[0]["marginPercent"] != json.Number("25") && book.Items[0]["marginPercent"] != 25.0 {
			t.Fatalf("Fabrikam's book: %+v (%v)", book, err)
		}

		cs.advanceTo(t, "2026-01-12T10:00:00Z")
		for _, s := range []*shop{cs, fs, ts} {
			s.agree(t)
		}
		premiumSub := cs.buy(t, cartLine{CatalogItemID: premium, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly"})
		cs.buy(t, cartLine{CatalogItemID: "CFQ7TTC0LH18:0001:CFQ7TTC0K971", Quantity: 3, TermDuration: "P1M", BillingCycle: "monthly"})
		fs.buy(t, cartLine{CatalogItemID: premium, Quantity: 4, TermDuration: "P1Y", BillingCycle: "monthly"})
		cs.buy(t, cartLine{CatalogItemID: "NWSUPPORT:0001:NWSUPPORTUS1", Quantity: 5, TermDuration: "P1M", BillingCycle: "monthly"})
		ts.buy(t, cartLine{CatalogItemID: "TSBACKUP:0001:TSBACKUPUS1", Quantity: 2, TermDuration: "P1M", BillingCycle: "monthly"})

		cs.advanceTo(t, "2026-01-31T23:00:00Z")
		if got := customerInvoices(t, w, nwc, ""); len(got) != 0 {
			t.Fatalf("customer invoices before the close: %+v", got)
		}
		cs.advanceTo(t, "2026-02-01T00:00:00Z")
		const bp, bb = "Microsoft 365 Business Premium", "Microsoft 365 Business Basic"
		jan := customerInvoices(t, w, nwc, "?period=2026-01")
		if len(jan) != 2 {
			t.Fatalf("January's customer invoices: %+v", jan)
		}
		c1, lines := customerInvoice(t, w, nwc, jan[1].ID)
		if got := c1.sums(); got != "C000000001 Contoso 2026-01 USD 364.20 36.42 400.62 252.60 111.60 3 G000000001" ||
			!c1.IssuedAt.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) || c1.CustomerID != contoso.ID {
			t.Errorf("Contoso's January: %s issued %s", got, c1.IssuedAt)
		}
		sameSteps(t, "Contoso's January lines", lines, []string{
			"new 10 27.72 27.720000 277.20 27.72 231.00 46.20 (markup 20%) | " + bp + ", 10 seats, new subscription, Jan 12 – Feb 11, 2026",
			"new 3 9.00 9.000000 27.00 2.70 21.60 5.40 (fixed 9.00) | " + bb + ", 3 seats, new subscription, Jan 12 – Feb 11, 2026",
			"new 5 12.00 12.000000 60.00 6.00 0.00 60.00 (own service) | Northwind Managed Support per seat, 5 seats, new subscription, Jan 12 – Feb 11, 2026"})
		c2, lines := customerInvoice(t, w, nwc, jan[0].ID)
		if got := c2.sums(); got != "C000000002 Fabrikam 2026-01 USD 123.20 12.32 135.52 92.40 30.80 1 G000000001" {
			t.Errorf("Fabrikam's January: %s", got)
		}
		sameSteps(t, "Fabrikam's January lines", lines, []string{
			"new 4 30.80 30.800000 123.20 12.32 92.40 30.80 (margin 25%) | " + bp + ", 4 seats, new subscription, Jan 12 – Feb 11, 2026"})
		tj := customerInvoices(t, w, tsc, "")
		if len(tj) != 1 || tj[0].sums() != "C000000001  2026-01 USD 30.00 3.00 33.00 0.00 30.00 1 " || tj[0].CustomerID != adatum.ID {
			t.Fatalf("Tailspin's invoices: %+v", tj)
		}
		// Microsoft bills Northwind its cost only: 231.00 + 21.60 + 92.40
		// = 345.00, tax 34.50.
		if g := invoices(t, w, nwc); len(g) != 1 || g[0].TotalCharges != "379.50" {
			t.Errorf("Northwind's Microsoft invoices: %+v", g)
		}

		// The close of January again, for both partners: nothing doubles.
		before := w.DumpTables("customer_invoices", "customer_invoice_lines", "invoice_numbers")
		if err := w.db.Write(w.ctx, func(tx store.Tx) error {
			for _, p := range []uuid.UUID{nw.ID, tsp.ID} {
				if err := tx.SetJob(context.Background(), csp.Job{Kind: csp.JobInvoiceClose, Ref: "2026-01/" + p.String(), Due: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		cs.advanceTo(t, "2026-02-01T01:00:00Z")
		if after := w.DumpTables("customer_invoices", "customer_invoice_lines", "invoice_numbers"); after != before {
			t.Errorf("a second close of January changed the customer invoices:\n%s\nwas:\n%s", after, before)
		}
		if n := w.DumpTables("jobs"); strings.Contains(n, "invoiceClose") {
			t.Errorf("the close jobs ran not: %s", n)
		}

		cs.advanceTo(t, "2026-02-20T10:00:00Z")
		if _, err := cs.patch(premiumSub, map[string]any{"quantity": 12}); err != nil {
			t.Fatal(err)
		}
		cs.advanceTo(t, "2026-03-01T06:00:00Z")
		feb := customerInvoices(t, w, nwc, "?period=2026-02")
		if len(feb) != 2 {
			t.Fatalf("February's customer invoices: %+v", feb)
		}
		c3, lines := customerInvoice(t, w, nwc, feb[1].ID)
		if got := c3.sums(); got != "C000000003 Contoso 2026-02 USD 399.84 39.98 439.82 285.60 114.24 5 G000000002" {
			t.Errorf("Contoso's February: %s", got)
		}
		sameSteps(t, "Contoso's February lines", lines, []string{
			"cycleCharge 10 27.72 27.720000 277.20 27.72 231.00 46.20 (markup 20%) | " + bp + ", 10 seats, Feb 12 – Mar 11, 2026",
			"renew 3 9.00 9.000000 27.00 2.70 21.60 5.40 (fixed 9.00) | " + bb + ", 3 seats, renewed, Feb 12 – Mar 11, 2026",
			"addQuantity 10 27.72 -17.820000 -178.20 -17.82 -165.00 -13.20 (markup 20%; Winter 10%) | Credit: 10 seats, Feb 20 – Mar 11, 2026, 20 of 28 days",
			"addQuantity 12 27.72 17.820000 213.84 21.38 198.00 15.84 (markup 20%; Winter 10%) | " + bp + ", 2 seats added on Feb 20, 2026: 20 of 28 days (Feb 20 – Mar 11)",
			"renew 5 12.00 12.000000 60.00 6.00 0.00 60.00 (own service) | Northwind Managed Support per seat, 5 seats, renewed, Feb 12 – Mar 11, 2026"})
		c4, lines := customerInvoice(t, w, nwc, feb[0].ID)
		if got := c4.sums(); got != "C000000004 Fabrikam 2026-02 USD 123.20 12.32 135.52 92.40 30.80 1 G000000002" {
			t.Errorf("Fabrikam's February: %s", got)
		}
		sameSteps(t, "Fabrikam's February lines", lines, []string{
			"cycleCharge 4 30.80 30.800000 123.20 12.32 92.40 30.80 (margin 25%) | " + bp + ", 4 seats, Feb 12 – Mar 11, 2026"})
		if got := customerInvoices(t, w, nwc, "?customerId="+contoso.ID); len(got) != 2 || got[0].Number != "C000000003" || got[1].Number != "C000000001" {
			t.Errorf("Contoso's invoices: %+v", got)
		}

		// The forms of Contoso's February invoice.
		docs := map[string][]byte{}
		for f, ct := range map[string]string{"csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"} {
			res, err := nwc.Do(w.ctx, http.MethodGet, "/v1/customerinvoices/"+c3.ID+"."+f, nil, nil, nil)
			if err != nil || res.Status != http.StatusOK || res.Header.Get("Content-Type") != ct {
				t.Fatalf(".%s: %v %+v", f, err, res)
			}
			docs[f] = res.Body
		}
		want, err := os.ReadFile("testdata/customer-invoice-contoso-2026-02.csv")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(docs["csv"], want) {
			t.Errorf("the CSV:\n%s\nwant:\n%s", docs["csv"], want)
		}
		for _, s := range []string{"Invoice C000000003", ">399.84<", ">-178.20<", "Promotion: Winter 10%", "Feb 1, 2026 – Feb 28, 2026", "Northwind Cloud", "Contoso"} {
			if !strings.Contains(string(docs["html"]), s) {
				t.Errorf("no %q in the HTML", s)
			}
		}
		if !bytes.HasPrefix(docs["pdf"], []byte("%PDF-")) {
			t.Errorf("the PDF starts %q", docs["pdf"][:min(8, len(docs["pdf"]))])
		}

		// February's profit: Contoso 399.84 − 285.60 = 114.24, Fabrikam
		// 30.80; Premium 277.20 − 178.20 + 213.84 + 123.20 = 436.04 at a
		// cost of 231.00 − 165.00 + 198.00 + 92.40 = 356.40, Basic 27.00
		// at 21.60, support 60.00 at 0; in all 523.04 at 378.00: 145.04.
		var profit struct {
			Customers []struct {
				CustomerID, CustomerName, CurrencyCode string
				Amount, Cost, Profit                   json.Number
			} `json:"customers"`
			Products []struct {
				ProductID, SkuID     string
				Amount, Cost, Profit json.Number
			} `json:"products"`
			Totals []struct {
				CurrencyCode         string
				Amount, Cost, Profit json.Number
			} `json:"totals"`
		}
		if _, err := nwc.Do(w.ctx, http.MethodGet, "/v1/customerinvoices/profit?period=2026-02", nil, &profit, nil); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range profit.Customers {
			got = append(got, fmt.Sprintf("%s %s %s %s %s", c.CustomerName, c.CurrencyCode, c.Amount, c.Cost, c.Profit))
		}
		for _, p := range profit.Products {
			got = append(got, fmt.Sprintf("%s:%s %s %s %s", p.ProductID, p.SkuID, p.Amount, p.Cost, p.Profit))
		}
		for _, x := range profit.Totals {
			got = append(got, fmt.Sprintf("total %s %s %s %s", x.CurrencyCode, x.Amount, x.Cost, x.Profit))
		}
		sameSteps(t, "February's profit", got, []string{"Contoso USD 399.84 285.60 114.24", "Fabrikam USD 123.20 92.40 30.80",
			"CFQ7TTC0LCHC:0001 436.04 356.40 79.64", "CFQ7TTC0LH18:0001 27.00 21.60 5.40", "NWSUPPORT:0001 60.00 0.00 60.00", "total USD 523.04 378.00 145.04"})
	})
}

// TestPriceBookRefusals: each refused book or customer invoice call
// answers its code and changes nothing.
func TestPriceBookRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		nw, nwc := w.MustPartner(designPartner("Northwind Cloud"))
		_, other := w.MustPartner(designPartner("Tailspin Cloud"))
		c := w.MustCustomer(nwc, customer("Contoso", "contoso", "US"))
		theirs := w.MustCustomer(other, customer("Fabrikam", "fabrikam", "US"))
		sales := w.MustUser(nw.ID, "sales@northwind.example", "salesAgent")
		billing := w.MustUser(nw.ID, "billing@northwind.example", "billingAdmin")
		s := &shop{w: w, pc: nwc, customer: c.ID}
		s.agree(t)
		s.buy(t, cartLine{CatalogItemID: premium, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-02-01T01:00:00Z")
		inv := customerInvoices(t, w, nwc, "")
		if len(inv) != 1 {
			t.Fatalf("customer invoices: %+v", inv)
		}
		// A billing admin may write a book; the write is audited.
		if _, err := billing.Do(w.ctx, http.MethodPut, "/v1/pricebook", partnerBook, nil, nil); err != nil {
			t.Fatal(err)
		}
		if a := w.DumpTables("audit_records"); !strings.Contains(a, "update_price_book") || !strings.Contains(a, "price_book") {
			t.Errorf("no price book audit record:\n%s", a)
		}

		book := func(kv ...any) map[string]any {
			b := map[string]any{"items": []any{}}
			for i := 0; i < len(kv); i += 2 {
				b[kv[i].(string)] = kv[i+1]
			}
			return b
		}
		item := func(kv ...any) []any {
			it := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				it[kv[i].(string)] = kv[i+1]
			}
			return []any{it}
		}
		promo := func(discount any, start, end string) []any {
			return []any{map[string]any{"id": "p", "name": "P", "discountPercent": discount, "startDate": start, "endDate": end}}
		}
		many := make([]any, pricebookMaxItems+1)
		for i := range many {
			many[i] = map[string]any{"productId": fmt.Sprintf("P%05d", i), "markupPercent": 1}
		}
		mine, yours := "/v1/customers/"+c.ID+"/pricebook", "/v1/customers/"+theirs.ID+"/pricebook"
		before := w.DumpTables("price_books", "audit_records", "customer_invoices", "customer_invoice_lines")
		for _, x := range []struct {
			what         string
			pc           *client.Client
			method, path string
			body         any
			status       int
			code         csp.Code
		}{
			{"both defaults", nwc, http.MethodPut, "/v1/pricebook", book("defaultMarkupPercent", 10, "defaultMarginPercent", 10), 400, csp.EPriceBookBothDefaults},
			{"markup above 1000", nwc, http.MethodPut, "/v1/pricebook", book("defaultMarkupPercent", 1001), 400, csp.EPriceBookMarkupRange},
			{"markup below -100", nwc, http.MethodPut, mine, book("items", item("productId", "X", "markupPercent", -101)), 400, csp.EPriceBookMarkupRange},
			{"margin 100", nwc, http.MethodPut, "/v1/pricebook", book("items", item("productId", "X", "marginPercent", 100)), 400, csp.EPriceBookMarginRange},
			{"negative margin", nwc, http.MethodPut, mine, book("defaultMarginPercent", -1), 400, csp.EPriceBookMarginRange},
			{"discount above 100", nwc, http.MethodPut, "/v1/pricebook", book("promotions", promo(101, "2026-03-01", "2026-03-31")), 400, csp.EPriceBookDiscountRange},
			{"negative fixed price", nwc, http.MethodPut, "/v1/pricebook", book("items", item("productId", "X", "fixedUnitPrice", -1)), 400, csp.EPriceBookFixedPrice},
			{"fixed price with 7 decimals", nwc, http.MethodPut, "/v1/pricebook", book("items", item("productId", "X", "fixedUnitPrice", "1.0000001")), 400, csp.EPriceBookFixedPrice},
			{"two rules", nwc, http.MethodPut, "/v1/pricebook", book("items", item("productId", "X", "markupPercent", 1, "marginPercent", 1)), 400, csp.EPriceBookItemRule},
			{"no rule", nwc, http.MethodPut, "/v1/pricebook", book("items", item("productId", "X")), 400, csp.EPriceBookItemRule},
			{"no product", nwc, http.MethodPut, "/v1/pricebook", book("items", item("markupPercent", 1)), 400, csp.EPriceBookProductRequired},
			{"duplicate item", nwc, http.MethodPut, "/v1/pricebook", book("items", append(item("productId", "X", "markupPercent", 1), item("productId", "X", "markupPercent", 2)...)), 400, csp.EPriceBookDuplicateItem},
			{"promotion ends before it starts", nwc, http.MethodPut, "/v1/pricebook", book("promotions", promo(5, "2026-03-31", "2026-03-01")), 400, csp.EPriceBookPromotionDates},
			{"promotion without a start", nwc, http.MethodPut, "/v1/pricebook", book("promotions", promo(5, "", "2026-03-01")), 400, csp.EPriceBookPromotionDates},
			{"too many items", nwc, http.MethodPut, "/v1/pricebook", book("items", many), 400, csp.EPriceBookTooManyItems},
			{"markup not a number", nwc, http.MethodPut, "/v1/pricebook", book("defaultMarkupPercent", "twenty"), 400, csp.EInvalidBody},
			{"a day that is not one", nwc, http.MethodPut, "/v1/pricebook", book("promotions", promo(5, "2026-13-01", "2026-03-01")), 400, csp.EInvalidBody},
			{"no body", nwc, http.MethodPut, "/v1/pricebook", nil, 400, csp.EInvalidBody},
			{"another partner's customer's book", nwc, http.MethodPut, yours, fabrikamBook, 404, csp.ECustomerNotFound},
			{"read another partner's customer's book", nwc, http.MethodGet, yours, nil, 404, csp.ECustomerNotFound},
			{"a customer id that is no GUID", nwc, http.MethodGet, "/v1/customers/contoso/pricebook", nil, 404, csp.ECustomerNotFound},
			{"a sales agent writes the book", sales, http.MethodPut, "/v1/pricebook", partnerBook, 403, csp.EForbiddenRole},
			{"a sales agent writes a customer's", sales, http.MethodPut, mine, fabrikamBook, 403, csp.EForbiddenRole},
			{"a sales agent reads the book", sales, http.MethodGet, "/v1/pricebook", nil, 403, csp.EForbiddenRole},
			{"a sales agent lists customer invoices", sales, http.MethodGet, "/v1/customerinvoices", nil, 403, csp.EForbiddenRole},
			{"a stale etag", nwc, http.MethodPut, "/v1/pricebook", partnerBook, 412, csp.EPreconditionFailed},
			{"an unknown invoice", nwc, http.MethodGet, "/v1/customerinvoices/" + uuid.NewString(), nil, 404, csp.ECustomerInvoiceNotFound},
			{"an invoice id that is no GUID", nwc, http.MethodGet, "/v1/customerinvoices/C000000001", nil, 404, csp.ECustomerInvoiceNotFound},
			{"an unknown invoice's PDF", nwc, http.MethodGet, "/v1/customerinvoices/" + uuid.NewString() + ".pdf", nil, 404, csp.ECustomerInvoiceNotFound},
			{"another partner's invoice", other, http.MethodGet, "/v1/customerinvoices/" + inv[0].ID, nil, 404, csp.ECustomerInvoiceNotFound},
			{"another partner's invoice's CSV", other, http.MethodGet, "/v1/customerinvoices/" + inv[0].ID + ".csv", nil, 404, csp.ECustomerInvoiceNotFound},
			{"a period that is no month", nwc, http.MethodGet, "/v1/customerinvoices?period=2026-2", nil, 400, csp.EInvalidMonth},
			{"a customer filter that is no GUID", nwc, http.MethodGet, "/v1/customerinvoices?customerId=contoso", nil, 404, csp.ECustomerNotFound},
			{"profit without a period", nwc, http.MethodGet, "/v1/customerinvoices/profit", nil, 400, csp.EInvalidMonth},
		} {
			var opt *client.Request
			if x.code == csp.EPreconditionFailed {
				opt = &client.Request{IfMatch: "eyJpZCI6IjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCIsInZlcnNpb24iOjF9"}
			}
			_, err := x.pc.Do(w.ctx, x.method, x.path, x.body, nil, opt)
			e, ok := err.(*client.Error)
			if !ok || e.Status != x.status || e.Code != int(x.code) {
				t.Errorf("%s: %v, want %d code %d", x.what, err, x.status, x.code)
			}
		}
		if after := w.DumpTables("price_books", "audit_records", "customer_invoices", "customer_invoice_lines"); after != before {
			t.Errorf("refused calls changed the database")
		}
		// Another partner's customer filter finds nothing of its own.
		if got := customerInvoices(t, w, other, "?customerId="+c.ID); len(got) != 0 {
			t.Errorf("Tailspin lists %+v", got)
		}
	})
}

// pricebookMaxItems is pricebook.MaxItems: a book holds at most 10,000.
const pricebookMaxItems = 10000

// TestCustomerInvoiceBillsAzureUsage: Contoso's two B2s machines of
// TestMonthCloseBillsAzureUsage (from 2026-03-02 09:00, $0.0416 an hour),
// with Northwind's admin agents holding Owner all month (15% partner
// earned credit: EUP 0.03536), cost Northwind ROUNDDOWN(0.03536 × 15, 2) =
// 0.53 on 03-02 (15 hours) and ROUNDDOWN(0.03536 × 24, 2) = 0.84 on each of
// the 29 days after, per machine: 2 × (0.53 + 29 × 0.84) = 49.78 in March.
// At a 20% markup a 15-hour day is ROUND(0.636, 2) = 0.64 (unit price
// 0.0416 × 1.2 = 0.04992, EUP 0.03536 × 1.2 = 0.042432) and a full day
// ROUND(1.008, 2) = 1.01: a machine 0.64 + 29 × 1.01 = 29.93, both 59.86,
// profit 10.08; no tax rate is set (0).
func TestCustomerInvoiceBillsAzureUsage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newAzureTransferWorld(t, w)
		if _, err := x.src.pc.Do(w.ctx, http.MethodPut, "/v1/pricebook", map[string]any{"defaultMarkupPercent": "20", "items": []any{}}, nil, nil); err != nil {
			t.Fatal(err)
		}
		x.src.advanceTo(t, "2026-04-01T00:00:00Z")
		got := customerInvoices(t, w, x.src.pc, "?period=2026-03")
		g := invoices(t, w, x.src.pc)
		if len(got) != 1 || len(g) != 1 || got[0].sums() != "C000000001  2026-03 USD 59.86 0.00 59.86 49.78 10.08 60 "+g[0].ID {
			t.Fatalf("March's customer invoices: %+v", got)
		}
		_, lines := customerInvoice(t, w, x.src.pc, got[0].ID)
		if len(lines) != 60 || lines[0] != "usage 15 0.04992 0.042432 0.64 0.00 0.53 0.11 (markup 20%) | Azure usage, B2s, Mar 2026" ||
			lines[59] != "usage 24 0.04992 0.042432 1.01 0.00 0.84 0.17 (markup 20%) | Azure usage, B2s, Mar 2026" {
			t.Fatalf("lines: %d, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
		}
	})
}
