package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

type invoiceOut struct {
	ID                     string      `json:"id"`
	InvoiceDate            time.Time   `json:"invoiceDate"`
	BillingPeriodStartDate time.Time   `json:"billingPeriodStartDate"`
	BillingPeriodEndDate   time.Time   `json:"billingPeriodEndDate"`
	TotalCharges           json.Number `json:"totalCharges"`
	CurrencyCode           string      `json:"currencyCode"`
	CurrencySymbol         string      `json:"currencySymbol"`
	InvoiceDetails         []struct {
		InvoiceLineItemType string            `json:"invoiceLineItemType"`
		BillingProvider     string            `json:"billingProvider"`
		Attributes          map[string]string `json:"attributes"`
	} `json:"invoiceDetails"`
}

type billedLine struct {
	InvoiceNumber      string      `json:"invoiceNumber"`
	ChargeType         string      `json:"chargeType"`
	EffectiveUnitPrice json.Number `json:"effectiveUnitPrice"`
	BillableQuantity   json.Number `json:"billableQuantity"`
	Subtotal           json.Number `json:"subtotal"`
	TaxTotal           json.Number `json:"taxTotal"`
	TotalForCustomer   json.Number `json:"totalForCustomer"`
	Currency           string      `json:"currency"`
	PricingCurrency    string      `json:"pricingCurrency"`
	PCToBCExchangeRate json.Number `json:"pcToBCExchangeRate"`
	ChargeStartDate    time.Time   `json:"chargeStartDate"`
	ChargeEndDate      time.Time   `json:"chargeEndDate"`
}

func (l billedLine) String() string {
	return strings.Join([]string{l.InvoiceNumber, l.ChargeType, string(l.EffectiveUnitPrice), string(l.BillableQuantity), string(l.Subtotal),
		string(l.TaxTotal), string(l.TotalForCustomer), l.Currency + "/" + l.PricingCurrency + "@" + string(l.PCToBCExchangeRate),
		l.ChargeStartDate.Format(time.DateOnly) + ".." + l.ChargeEndDate.Format(time.DateOnly)}, " ")
}

func invoices(t *testing.T, w *world, pc *client.Client) []invoiceOut {
	t.Helper()
	var list client.Collection[invoiceOut]
	if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/invoices", nil, &list, nil); err != nil {
		t.Fatal(err)
	}
	return list.Items
}

func invoiceLines(t *testing.T, w *world, pc *client.Client, id string) []string {
	t.Helper()
	var list client.Collection[billedLine]
	if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/invoices/"+id+"/lineitems?provider=onetime&invoiceLineItemType=billinglineitems", nil, &list, nil); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range list.Items {
		out = append(out, l.String())
	}
	return out
}

// TestMonthClose: Northwind (US, billed in USD) sells Contoso (US) 10
// seats of Business Premium P1Y billed monthly on 2026-01-12 at $23.10 a
// month, and adds 2 seats on 2026-02-20; the operator taxes US customers
// at 10%. Tailspin (head office GB, so billed in GBP) sells Fabrikam (US,
// priced in USD) the same 10 seats on 2026-01-12; January's rate is 1 GBP
// = 1.25 USD, so USD→GBP is 1 ÷ 1.25 = 0.8.
//
// The run of 2026-02-01 00:00 closes January:
//   - Northwind G000000001: new 23.10 × 10 = 231.00, tax 23.10, total 254.10.
//   - Tailspin G000000002: new ROUNDDOWN(23.10 × 0.8, 2) = 18.48 × 10 =
//     184.80 GBP, tax 18.48, total 203.28.
//
// The run of 2026-03-01 closes February for Northwind (G000000003):
//   - cycleCharge 02-12..03-11: 231.00, tax 23.10;
//   - addQuantity on 02-20, d = 20 (02-20..03-11), D = 28 (02-12..03-11):
//     EUP 23.10 × 20/28 = 16.5: the credit −16.50 × 10 = −165.00 (tax
//     −16.50), the charge 16.50 × 12 = 198.00 (tax 19.80);
//   - subtotal 264.00, tax 26.40, total 290.40.
func TestMonthClose(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, nwc := w.MustPartner(designPartner("Northwind Cloud"))
		tsp, tsc := w.MustPartner(client.NewPartner{Name: "Tailspin Cloud", Country: "GB", Locations: []string{"US"}, PartnerType: "direct"})
		if tsp.BillingCurrency != "GBP" {
			t.Fatalf("Tailspin's billing currency %q, want GBP (its head office's)", tsp.BillingCurrency)
		}
		contoso := w.MustCustomer(nwc, customer("Contoso", "contoso", "US"))
		fabrikam := w.MustCustomer(tsc, customer("Fabrikam", "fabrikam", "US"))
		nw := &shop{w: w, pc: nwc, customer: contoso.ID}
		ts := &shop{w: w, pc: tsc, customer: fabrikam.ID}
		if _, err := w.op.Do(w.ctx, http.MethodPut, "/admin/v1/taxRates", map[string]string{"US": "0.10"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := w.op.Do(w.ctx, http.MethodPut, "/admin/v1/exchangeRates", map[string]any{"month": "2026-01", "rates": map[string]string{"GBP": "1.25"}}, nil, nil); err != nil {
			t.Fatal(err)
		}
		nw.advanceTo(t, "2026-01-12T10:00:00Z")
		nw.agree(t)
		ts.agree(t)
		sub := nw.buy(t, cartLine{CatalogItemID: premium, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly"})
		ts.buy(t, cartLine{CatalogItemID: premium, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly"})

		nw.advanceTo(t, "2026-01-31T23:00:00Z")
		if got := invoices(t, w, nwc); len(got) != 0 {
			t.Fatalf("invoices before the month's end: %+v", got)
		}
		nw.advanceTo(t, "2026-02-01T00:00:00Z")
		got := invoices(t, w, nwc)
		if len(got) != 1 || got[0].ID != "G000000001" || got[0].TotalCharges != "254.10" || got[0].CurrencyCode != "USD" || got[0].CurrencySymbol != "$" ||
			!got[0].BillingPeriodStartDate.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !got[0].BillingPeriodEndDate.Equal(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)) ||
			!got[0].InvoiceDate.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("Northwind's invoices: %+v", got)
		}
		if d := got[0].InvoiceDetails; len(d) != 2 || d[0].InvoiceLineItemType != "billing_line_items" || d[0].Attributes["lineItemCount"] != "1" || d[1].Attributes["lineItemCount"] != "0" {
			t.Errorf("details: %+v", d)
		}
		sameSteps(t, "Northwind's January lines", invoiceLines(t, w, nwc, "G000000001"),
			[]string{"G000000001 new 23.100000 10 231.00 23.10 254.10 USD/USD@1 2026-01-12..2026-02-11"})
		tg := invoices(t, w, tsc)
		if len(tg) != 1 || tg[0].ID != "G000000002" || tg[0].TotalCharges != "203.28" || tg[0].CurrencyCode != "GBP" || tg[0].CurrencySymbol != "£" {
			t.Fatalf("Tailspin's invoices: %+v", tg)
		}
		sameSteps(t, "Tailspin's January lines", invoiceLines(t, w, tsc, "G000000002"),
			[]string{"G000000002 new 23.100000 10 184.80 18.48 203.28 GBP/USD@0.8 2026-01-12..2026-02-11"})
		// January is billed: no unbilled line is left for it.
		if u := nw.unbilledIn(t, "previous"); len(u) != 0 {
			t.Errorf("January's unbilled lines after the close: %+v", u)
		}

		nw.advanceTo(t, "2026-02-20T10:00:00Z")
		if _, err := nw.patch(sub, map[string]any{"quantity": 12}); err != nil {
			t.Fatal(err)
		}
		// February's lines, unbilled on 02-28, as the unbilled file: the
		// header and three rows.
		nw.advanceTo(t, "2026-02-28T12:00:00Z")
		res, err := nwc.Do(w.ctx, http.MethodGet, "/v1/invoices/unbilled/reconciliation?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD&period=current", nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rows := strings.Split(strings.TrimSpace(string(res.Body)), "\n"); len(rows) != 4 || !strings.HasPrefix(rows[0], "PartnerId,CustomerId,") ||
			!strings.Contains(rows[1], ",cycleCharge,23.10,10,231.00,0.00,231.00,USD,") {
			t.Errorf("unbilled file:\n%s", res.Body)
		}
		nw.advanceTo(t, "2026-03-01T06:00:00Z")
		got = invoices(t, w, nwc)
		if len(got) != 2 || got[0].ID != "G000000003" || got[0].TotalCharges != "290.40" || got[1].ID != "G000000001" {
			t.Fatalf("Northwind's invoices in March: %+v", got)
		}
		sameSteps(t, "Northwind's February lines", invoiceLines(t, w, nwc, "G000000003"), []string{
			"G000000003 cycleCharge 23.100000 10 231.00 23.10 254.10 USD/USD@1 2026-02-12..2026-03-11",
			"G000000003 addQuantity -16.500000 10 -165.00 -16.50 -181.50 USD/USD@1 2026-02-20..2026-03-11",
			"G000000003 addQuantity 16.500000 12 198.00 19.80 217.80 USD/USD@1 2026-02-20..2026-03-11"})
		// The reconciliation file, compared with one written by hand
		// (testdata/recon-february.csv) whose ids are the JSON lines'.
		res, err = nwc.Do(w.ctx, http.MethodGet, "/v1/invoices/G000000003/reconciliation?provider=onetime&invoiceLineItemType=billinglineitems", nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		var ids client.Collection[struct {
			PartnerID   string `json:"partnerId"`
			MpnID       string `json:"mpnId"`
			OrderID     string `json:"orderId"`
			AlternateID string `json:"alternateId"`
			ReferenceID string `json:"referenceId"`
		}]
		if _, err := nwc.Do(w.ctx, http.MethodGet, "/v1/invoices/G000000003/lineitems?provider=onetime&invoiceLineItemType=billinglineitems", nil, &ids, nil); err != nil || len(ids.Items) != 3 {
			t.Fatalf("lines: %v %+v", err, ids.Items)
		}
		l := ids.Items
		want := strings.NewReplacer("{partner}", l[0].PartnerID, "{customer}", contoso.ID, "{mpn}", l[0].MpnID, "{order}", l[0].OrderID, "{sub}", sub,
			"{alt1}", l[0].AlternateID, "{alt2}", l[1].AlternateID, "{alt3}", l[2].AlternateID, "{ref1}", l[0].ReferenceID, "{ref2}", l[1].ReferenceID).
			Replace(string(mustRead(t, "testdata/recon-february.csv")))
		sameSteps(t, "the February reconciliation file", strings.Split(strings.TrimSpace(string(res.Body)), "\n"), strings.Split(strings.TrimSpace(want), "\n"))
		// The statement: Contoso's three licence lines, 264.00 + 26.40 = 290.40.
		var one struct {
			PDFDownloadLink string `json:"pdfDownloadLink"`
		}
		if _, err := nwc.Do(w.ctx, http.MethodGet, "/v1/invoices/G000000003", nil, &one, nil); err != nil || one.PDFDownloadLink != "/v1/invoices/G000000003/documents/statement" {
			t.Fatalf("pdfDownloadLink %q (%v)", one.PDFDownloadLink, err)
		}
		res, err = nwc.Do(w.ctx, http.MethodGet, one.PDFDownloadLink, nil, nil, nil)
		if err != nil || res.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
			t.Fatalf("statement: %v %q %.20q", err, res.Header.Get("Content-Type"), res.Body)
		}
		// Tailspin's February cycle charge, 184.80 + 18.48 again.
		if tg := invoices(t, w, tsc); len(tg) != 2 || tg[0].TotalCharges != "203.28" {
			t.Errorf("Tailspin's invoices in March: %+v", tg)
		}
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (s *shop) unbilledIn(t *testing.T, period string) []reconLine {
	t.Helper()
	var page struct {
		Items []reconLine `json:"items"`
	}
	path := fmt.Sprintf("/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD&period=%s", period)
	if _, err := s.pc.Do(s.w.ctx, http.MethodGet, path, nil, &page, nil); err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// TestInvoiceRefusals: each refused invoice or rates call answers its code.
func TestInvoiceRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, nwc := w.MustPartner(designPartner("Northwind Cloud"))
		_, other := w.MustPartner(designPartner("Tailspin Cloud"))
		c := w.MustCustomer(nwc, customer("Contoso", "contoso", "US"))
		s := &shop{w: w, pc: nwc, customer: c.ID}
		s.agree(t)
		s.buy(t, cartLine{CatalogItemID: premium, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-02-01T01:00:00Z")
		inv := invoices(t, w, nwc)
		if len(inv) != 1 {
			t.Fatalf("invoices: %+v", inv)
		}
		id := inv[0].ID
		before := w.DumpTables("exchange_rates", "tax_rates", "invoices", "partners")
		for _, c := range []struct {
			what         string
			pc           *client.Client
			method, path string
			body         any
			status       int
			code         csp.Code
		}{
			{"another partner's invoice", other, http.MethodGet, "/v1/invoices/" + id, nil, 404, csp.EInvoiceNotFound},
			{"another partner's lines", other, http.MethodGet, "/v1/invoices/" + id + "/lineitems?provider=onetime&invoiceLineItemType=billinglineitems", nil, 404, csp.EInvoiceNotFound},
			{"an unknown invoice", nwc, http.MethodGet, "/v1/invoices/G999999999", nil, 404, csp.EInvoiceNotFound},
			{"another currency", nwc, http.MethodGet, "/v1/invoices/" + id + "/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=EUR", nil, 400, csp.EInvoiceCurrency},
			{"provider azure", nwc, http.MethodGet, "/v1/invoices/" + id + "/lineitems?provider=azure&invoiceLineItemType=billinglineitems", nil, 400, csp.EInvalidQuery},
			{"no line type", nwc, http.MethodGet, "/v1/invoices/" + id + "/lineitems?provider=onetime", nil, 400, csp.EInvalidQuery},
			{"rates by a partner", nwc, http.MethodPut, "/admin/v1/exchangeRates", map[string]any{"month": "2026-03", "rates": map[string]string{"EUR": "1.1"}}, 403, csp.EWrongAPI},
			{"rates: bad month", w.op, http.MethodPut, "/admin/v1/exchangeRates", map[string]any{"month": "2026-3", "rates": map[string]string{"EUR": "1.1"}}, 400, csp.EInvalidMonth},
			{"rates: none", w.op, http.MethodPut, "/admin/v1/exchangeRates", map[string]any{"month": "2026-03", "rates": map[string]string{}}, 400, csp.ERatesEmpty},
			{"rates: USD", w.op, http.MethodPut, "/admin/v1/exchangeRates", map[string]any{"month": "2026-03", "rates": map[string]string{"USD": "1"}}, 400, csp.EInvalidCurrency},
			{"rates: unknown currency", w.op, http.MethodPut, "/admin/v1/exchangeRates", map[string]any{"month": "2026-03", "rates": map[string]string{"XYZ": "1"}}, 400, csp.EInvalidCurrency},
			{"rates: zero", w.op, http.MethodPut, "/admin/v1/exchangeRates", map[string]any{"month": "2026-03", "rates": map[string]string{"EUR": "0"}}, 400, csp.EInvalidRate},
			{"rates: not a number", w.op, http.MethodPut, "/admin/v1/exchangeRates", map[string]any{"month": "2026-03", "rates": map[string]string{"EUR": "1,07"}}, 400, csp.EInvalidRate},
			{"rates: 11 decimals", w.op, http.MethodPut, "/admin/v1/exchangeRates", map[string]any{"month": "2026-03", "rates": map[string]string{"EUR": "1.07000000001"}}, 400, csp.EInvalidRate},
			{"read rates without a month", w.op, http.MethodGet, "/admin/v1/exchangeRates", nil, 400, csp.EInvalidMonth},
			{"tax above 1", w.op, http.MethodPut, "/admin/v1/taxRates", map[string]string{"DE": "19"}, 400, csp.EInvalidRate},
			{"tax negative", w.op, http.MethodPut, "/admin/v1/taxRates", map[string]string{"DE": "-0.1"}, 400, csp.EInvalidRate},
			{"tax of no country", w.op, http.MethodPut, "/admin/v1/taxRates", map[string]string{"XX": "0.1"}, 400, csp.EInvalidTaxCountry},
			{"tax: none", w.op, http.MethodPut, "/admin/v1/taxRates", map[string]string{}, 400, csp.ERatesEmpty},
			{"tax by a partner", nwc, http.MethodPut, "/admin/v1/taxRates", map[string]string{"DE": "0.19"}, 403, csp.EWrongAPI},
			{"partner with an unknown billing currency", w.op, http.MethodPost, "/admin/v1/partners", map[string]any{"name": "X", "country": "US", "partnerType": "direct", "billingCurrency": "XYZ"}, 400, csp.EInvalidCurrency},
		} {
			_, err := c.pc.Do(w.ctx, c.method, c.path, c.body, nil, nil)
			e, ok := err.(*client.Error)
			if !ok || e.Status != c.status || e.Code != int(c.code) {
				t.Errorf("%s: %v, want %d code %d", c.what, err, c.status, c.code)
			}
		}
		if after := w.DumpTables("exchange_rates", "tax_rates", "invoices", "partners"); after != before {
			t.Errorf("refused calls changed the database")
		}
	})
}

type billedUsage struct {
	InvoiceNumber      string      `json:"invoiceNumber"`
	UsageDate          time.Time   `json:"usageDate"`
	ResourceURI        string      `json:"resourceUri"`
	Quantity           json.Number `json:"quantity"`
	UnitPrice          json.Number `json:"unitPrice"`
	EffectiveUnitPrice json.Number `json:"effectiveUnitPrice"`
	PricingPreTaxTotal json.Number `json:"pricingPreTaxTotal"`
	BillingPreTaxTotal json.Number `json:"billingPreTaxTotal"`
	BillingCurrency    string      `json:"billingCurrency"`
	// Partner earned credit.
	HasPartnerEarnedCredit    bool        `json:"hasPartnerEarnedCredit"`
	RateOfPartnerEarnedCredit json.Number `json:"rateOfPartnerEarnedCredit"`
}

// TestMonthCloseBillsAzureUsage: Contoso's two Standard_B2s virtual
// machines in eastus ($0.0416 an hour) run from 2026-03-02 09:00.
// Northwind's admin agents hold Owner on the Azure subscription since its
// creation on 03-01 at 10:00; Northwind removes that assignment on 03-21 at
// 10:00. Partner earned credit (15%) is earned on the days it held Owner
// for the whole day: 03-02..03-20. March's invoice has one line per
// machine and day, with EUP 0.0416 × 0.85 = 0.03536 on credited days:
//   - 03-02, 15 hours: ROUNDDOWN(0.03536 × 15, 2) = ROUNDDOWN(0.5304) = 0.53;
//   - 03-03..03-20, 18 days: ROUNDDOWN(0.03536 × 24, 2) = 0.84, 18 × 0.84 = 15.12;
//   - 03-21..03-31, 11 days without credit: ROUNDDOWN(0.0416 × 24, 2) =
//     0.99, 11 × 0.99 = 10.89;
//
// a machine 0.53 + 15.12 + 10.89 = 26.54, both 53.08. After the close
// March's usage is no longer unbilled, and April's is.
func TestMonthCloseBillsAzureUsage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newAzureTransferWorld(t, w)
		x.src.advanceTo(t, "2026-03-21T10:00:00Z")
		var ras armListJSON
		subPath := "/subscriptions/" + x.sub
		if st, e := armCall(t, w, x.srcARM, http.MethodGet, subPath+"/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()", nil, &ras); st != 200 {
			t.Fatalf("role assignments: %d %+v", st, e)
		}
		removed := false
		for _, ra := range ras.Value {
			if ra.Properties.PrincipalID == x.srcID && ra.Properties.Scope == subPath {
				if st, e := armCall(t, w, x.srcARM, http.MethodDelete, ra.ID, nil, nil); st != 200 && st != 204 {
					t.Fatalf("delete the admin agents' Owner: %d %+v", st, e)
				}
				removed = true
			}
		}
		if !removed {
			t.Fatalf("no admin agents' Owner among %+v", ras.Value)
		}
		x.src.advanceTo(t, "2026-04-01T00:00:00Z")
		got := invoices(t, w, x.src.pc)
		if len(got) != 1 || got[0].TotalCharges != "53.08" || got[0].InvoiceDetails[1].Attributes["lineItemCount"] != "60" {
			t.Fatalf("March's invoice: %+v", got)
		}
		var lines client.Collection[billedUsage]
		path := "/v1/invoices/" + got[0].ID + "/lineitems?provider=onetime&invoiceLineItemType=usagelineitems&currencyCode=USD&size=40"
		if _, err := x.src.pc.Do(w.ctx, http.MethodGet, path, nil, &lines, nil); err != nil {
			t.Fatal(err)
		}
		if len(lines.Items) != 40 || lines.Links["next"].URI == "" {
			t.Fatalf("first page: %d lines, next %q", len(lines.Items), lines.Links["next"].URI)
		}
		first := lines.Items[0]
		if first.InvoiceNumber != got[0].ID || !first.UsageDate.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) || first.Quantity != "15" ||
			first.UnitPrice != "0.0416" || first.EffectiveUnitPrice != "0.035360" || first.PricingPreTaxTotal != "0.53" || first.BillingPreTaxTotal != "0.53" ||
			first.BillingCurrency != "USD" || !first.HasPartnerEarnedCredit || first.RateOfPartnerEarnedCredit != "0.15" {
			t.Errorf("first line: %+v", first)
		}
		res, err := x.src.pc.Do(w.ctx, http.MethodGet, "/v1/invoices/"+got[0].ID+"/reconciliation?provider=onetime&invoiceLineItemType=usagelineitems", nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		rows := strings.Split(strings.TrimSpace(string(res.Body)), "\n")
		if len(rows) != 61 || !strings.HasPrefix(rows[0], "PartnerId,PartnerName,CustomerId,") || !strings.Contains(rows[1], ",3/2/2026,") ||
			!strings.Contains(rows[1], ",new,0.0416,15,1 Hour,0.53,USD,0.53,USD,") || !strings.HasSuffix(rows[1], ",0.035360,1,3/1/2026,"+x.sub+",Production,15,0,,,,") {
			t.Errorf("usage file: %d rows\n%s\n%s", len(rows), rows[0], rows[1])
		}
		var unbilled client.Collection[billedUsage]
		for period, want := range map[string]int{"previous": 0, "current": 0} {
			path := "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=usagelineitems&currencyCode=USD&period=" + period
			if _, err := x.src.pc.Do(w.ctx, http.MethodGet, path, nil, &unbilled, nil); err != nil || len(unbilled.Items) != want {
				t.Errorf("unbilled %s: %d lines (%v), want %d", period, len(unbilled.Items), err, want)
			}
		}
		x.src.advanceTo(t, "2026-04-02T00:00:00Z")
		path = "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=usagelineitems&currencyCode=USD&period=current"
		if _, err := x.src.pc.Do(w.ctx, http.MethodGet, path, nil, &unbilled, nil); err != nil || len(unbilled.Items) != 2 {
			t.Errorf("April's unbilled usage on 04-02: %d lines (%v), want 2 (a day of each machine)", len(unbilled.Items), err)
		}
	})
}

// TestMonthCloseScenarios: a month's invoice sums what the month's events
// charged, computed by hand from the rules (Northwind to Contoso, US, no
// tax):
//   - 2026-01-05: 2 seats of Business Basic P1Y billed annually, `new`
//     2 × 72.00 = 144.00 (the whole term upfront);
//   - 2026-01-10: 5 seats of Business Premium P1M, `new` 5 × 26.40 =
//     132.00 for 01-10..02-09 (31 days), cancelled on 01-12 inside the
//     168-hour window: `cancelImmediate` for 01-12..02-09, d = 29,
//     EUP −26.40 × 29/31 = −24.696774, −24.69 × 5 = −123.45;
//   - January's invoice: 144.00 + 132.00 − 123.45 = 152.55; February has
//     no charge, so no invoice;
//   - 2026-03-05: 3 seats of Business Basic P1M, `new` 3 × 7.20 = 21.60
//     (March's invoice); it renews on 04-05 at the price list of that day
//     8.40 since 2026-04-01): `renew` 3 × 8.40 = 25.20 (April's).
func TestMonthCloseScenarios(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, nwc := w.MustPartner(designPartner("Northwind Cloud"))
		c := w.MustCustomer(nwc, customer("Contoso", "contoso", "US"))
		s := &shop{w: w, pc: nwc, customer: c.ID}
		s.agree(t)
		s.buy(t, cartLine{CatalogItemID: basic, Quantity: 2, TermDuration: "P1Y", BillingCycle: "annual"})
		s.advanceTo(t, "2026-01-10T10:00:00Z")
		cancelled := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 5, TermDuration: "P1M", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-01-12T10:00:00Z")
		if _, err := s.patch(cancelled, map[string]any{"status": "deleted"}); err != nil {
			t.Fatal(err)
		}
		s.advanceTo(t, "2026-03-05T10:00:00Z")
		s.buy(t, cartLine{CatalogItemID: basic, Quantity: 3, TermDuration: "P1M", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-05-01T01:00:00Z")

		got := invoices(t, w, nwc)
		var totals []string
		for _, inv := range got {
			totals = append(totals, inv.ID+" "+inv.BillingPeriodStartDate.Format("2006-01")+" "+string(inv.TotalCharges))
		}
		sameSteps(t, "invoices, newest first", totals, []string{"G000000003 2026-04 25.20", "G000000002 2026-03 21.60", "G000000001 2026-01 152.55"})
		sameSteps(t, "January's lines", invoiceLines(t, w, nwc, "G000000001"), []string{
			"G000000001 new 72.000000 2 144.00 0.00 144.00 USD/USD@1 2026-01-05..2027-01-04",
			"G000000001 new 26.400000 5 132.00 0.00 132.00 USD/USD@1 2026-01-10..2026-02-09",
			"G000000001 cancelImmediate -24.696774 5 -123.45 0.00 -123.45 USD/USD@1 2026-01-12..2026-02-09"})
		sameSteps(t, "April's lines", invoiceLines(t, w, nwc, "G000000003"), []string{
			"G000000003 renew 8.400000 3 25.20 0.00 25.20 USD/USD@1 2026-04-05..2026-05-04"})
	})
}

// TestMonthCloseAfterATransfer: TestSeatTransfers' full transfer on
// 2026-04-20 (10 seats at 23.10 billed monthly; the cycle 04-12..05-11,
// d = 22 of D = 30, EUP 16.94): Northwind's April invoice bills the cycle
// charge of 04-12, 231.00, and credits 04-20..05-11, −169.40: 61.60;
// Tailspin's April invoice bills 04-20..05-11, 169.40, and its May invoice
// the cycle of 05-12, 231.00. Northwind's January to March invoices bill
// the purchase and two cycles, 231.00 each. Numbers follow the closes:
// Northwind (made first, the lower id) before Tailspin in April.
func TestMonthCloseAfterATransfer(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newTransferWorld(t, w)
		x.src.advanceTo(t, "2026-04-20T09:00:00Z")
		tr := x.lines(t, x.create(t).ID, 10)
		if tr = x.do(t, x.src.pc, http.MethodPost, x.base+"/"+tr.ID+"/submit", nil); tr.Status != "Completed" {
			t.Fatalf("transfer %s", tr.Status)
		}
		x.src.advanceTo(t, "2026-06-01T01:00:00Z")
		list := func(pc *client.Client) []string {
			var out []string
			for _, inv := range invoices(t, w, pc) {
				out = append(out, inv.ID+" "+inv.BillingPeriodStartDate.Format("2006-01")+" "+string(inv.TotalCharges))
			}
			return out
		}
		sameSteps(t, "Northwind's invoices", list(x.src.pc), []string{"G000000004 2026-04 61.60", "G000000003 2026-03 231.00", "G000000002 2026-02 231.00",
			"G000000001 2026-01 231.00"})
		sameSteps(t, "Tailspin's invoices", list(x.tgt.pc), []string{"G000000006 2026-05 231.00", "G000000005 2026-04 169.40"})
		sameSteps(t, "Northwind's April lines", invoiceLines(t, w, x.src.pc, "G000000004"), []string{
			"G000000004 cycleCharge 23.100000 10 231.00 0.00 231.00 USD/USD@1 2026-04-12..2026-05-11",
			"G000000004 cancelImmediate -16.940000 10 -169.40 0.00 -169.40 USD/USD@1 2026-04-20..2026-05-11"})
		sameSteps(t, "Tailspin's April lines", invoiceLines(t, w, x.tgt.pc, "G000000005"), []string{
			"G000000005 new 16.940000 10 169.40 0.00 169.40 USD/USD@1 2026-04-20..2026-05-11"})
	})
}

// TestMonthCloseAfterAnUpgrade: 10 seats of Business Basic P1M bought on
// 2026-05-10 at 8.40 (the price list since 04-01): `new` 84.00 for
// 05-10..06-09 (D = 31); upgraded on 05-20 to Business Premium P1M: the
// `convert` pair for 05-20..06-09, d = 21: Basic's credit EUP −8.40 ×
// 21/31 = −5.690323, −5.69 × 10 = −56.90, Premium's charge 26.40 × 21/31 =
// 17.883871, 17.88 × 10 = 178.80. May's invoice: 84.00 − 56.90 + 178.80 =
// 205.90.
func TestMonthCloseAfterAnUpgrade(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		s.advanceTo(t, "2026-05-10T09:00:00Z")
		src := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 10, TermDuration: "P1M", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-05-20T09:00:00Z")
		if _, err := s.transition(src, map[string]any{"toCatalogItemId": premium, "termDuration": "P1M", "billingCycle": "monthly"}); err != nil {
			t.Fatal(err)
		}
		s.advanceTo(t, "2026-06-01T01:00:00Z")
		got := invoices(t, w, s.pc)
		if len(got) != 1 || got[0].TotalCharges != "205.90" || got[0].BillingPeriodStartDate.Format("2006-01") != "2026-05" {
			t.Fatalf("invoices: %+v", got)
		}
		sameSteps(t, "May's lines", invoiceLines(t, w, s.pc, got[0].ID), []string{
			got[0].ID + " new 8.400000 10 84.00 0.00 84.00 USD/USD@1 2026-05-10..2026-06-09",
			got[0].ID + " convert -5.690323 10 -56.90 0.00 -56.90 USD/USD@1 2026-05-20..2026-06-09",
			got[0].ID + " convert 17.883871 10 178.80 0.00 178.80 USD/USD@1 2026-05-20..2026-06-09"})
	})
}
