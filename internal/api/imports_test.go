package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

type importOut struct {
	ID               string `json:"id"`
	Kind             string `json:"kind"`
	Lines            int    `json:"lines"`
	Period           string `json:"period"`
	Repeated         bool   `json:"repeated"`
	CustomerInvoices []struct {
		ID           string      `json:"id"`
		Number       string      `json:"number"`
		CustomerID   string      `json:"customerId"`
		CustomerName string      `json:"customerName"`
		CurrencyCode string      `json:"currencyCode"`
		Subtotal     json.Number `json:"subtotal"`
		TaxTotal     json.Number `json:"taxTotal"`
		Total        json.Number `json:"total"`
		Cost         json.Number `json:"cost"`
		Profit       json.Number `json:"profit"`
		LineCount    int         `json:"lineCount"`
		ImportID     string      `json:"importId"`
	} `json:"customerInvoices"`
}

// importFile posts a file to the import call and answers its status, the
// import and the refusal.
func importFile(t *testing.T, w *world, pc *client.Client, path string) (int, importOut, *client.Error) {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(w.ctx, http.MethodPost, w.url+"/v1/imports/reconciliation", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+pc.Key)
	req.Header.Set("Content-Type", "text/csv")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out importOut
	if res.StatusCode >= 300 {
		var e client.Error
		_ = decodeJSON(res.Body, &e)
		e.Status = res.StatusCode
		return res.StatusCode, out, &e
	}
	if err := decodeJSON(res.Body, &out); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, out, nil
}

// TestImportReconciliation: a partner imports a new-commerce
// reconciliation file of its real Partner Center account
// (testdata/import-licence-2026-03.csv, written by hand: two customers
// that are not in this program) and gets its customer invoices, priced
// with its book (a default markup of 20%) and taxed at 10% (US) and 19%
// (DE):
//   - Fabrikam Real (US, USD): the cycle charge 220.00 → 264.00 (tax
//     26.40); the seat change of 3/21 (22 of 31 days: EUP 15.612903) as
//     −156.10 → −187.32 (tax −18.73) and 187.32 → 224.78 (224.784; tax
//     22.48): subtotal 301.46, tax 30.15, total 331.61, cost 251.22,
//     profit 50.24;
//   - Müller GmbH (DE, EUR): E3 new, 5 × 36.00 = 180.00 → 216.00, tax
//     41.04, total 257.04, profit 36.00.
//
// The same file again answers the first import; a malformed file names
// each bad line and column and imports nothing.
func TestImportReconciliation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		np, pc := w.MustPartner(designPartner("Northwind Cloud"))
		if _, err := w.op.Do(w.ctx, http.MethodPut, "/admin/v1/taxRates", map[string]string{"US": "0.10", "DE": "0.19"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := pc.Do(w.ctx, http.MethodPut, "/v1/pricebook", map[string]any{"defaultMarkupPercent": "20", "items": []any{}}, nil, nil); err != nil {
			t.Fatal(err)
		}
		before := w.DumpTables("imports", "customer_invoices", "customer_invoice_lines")
		st, _, e := importFile(t, w, pc, "testdata/import-licence-malformed.csv")
		if st != 400 || e == nil || e.Code != int(csp.EImportInvalid) || len(e.Data) != 2 ||
			!strings.HasPrefix(e.Data[0], "line 3, column ChargeStartDate: ") || !strings.HasPrefix(e.Data[1], "line 4, column CustomerId: ") {
			t.Fatalf("malformed: %d %+v", st, e)
		}
		if after := w.DumpTables("imports", "customer_invoices", "customer_invoice_lines"); after != before {
			t.Fatal("a refused import changed the database")
		}

		st, got, e := importFile(t, w, pc, "testdata/import-licence-2026-03.csv")
		if st != 201 || e != nil || got.Kind != "licence" || got.Lines != 4 || got.Period != "2026-03" || got.Repeated || len(got.CustomerInvoices) != 2 {
			t.Fatalf("import: %d %+v %+v", st, got, e)
		}
		var sums []string
		for _, c := range got.CustomerInvoices {
			if c.ImportID != got.ID {
				t.Errorf("%s names import %q", c.Number, c.ImportID)
			}
			sums = append(sums, strings.Join([]string{c.Number, c.CustomerID, c.CustomerName, c.CurrencyCode, string(c.Subtotal), string(c.TaxTotal), string(c.Total), string(c.Cost), string(c.Profit)}, " "))
		}
		sameSteps(t, "customer invoices", sums, []string{
			"C000000001 9f8e1c52-7a4b-4d0e-b6a1-2c3d4e5f6a7b Fabrikam Real, Inc. USD 301.46 30.15 331.61 251.22 50.24",
			"C000000002 2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b Müller GmbH EUR 216.00 41.04 257.04 180.00 36.00"})
		// Its lines, and its documents, as any customer invoice's.
		_, lines := customerInvoice(t, w, pc, got.CustomerInvoices[0].ID)
		if len(lines) != 3 || !strings.Contains(lines[1], " -187.32 -18.73 -156.10 ") || !strings.Contains(lines[2], " 224.78 22.48 187.32 ") {
			t.Errorf("Fabrikam Real's lines:\n%s", strings.Join(lines, "\n"))
		}
		res, err := pc.Do(w.ctx, http.MethodGet, "/v1/customerinvoices/"+got.CustomerInvoices[1].ID+".pdf", nil, nil, nil)
		if err != nil || !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
			t.Errorf("Müller's PDF: %v %.10q", err, res.Body)
		}
		if list := customerInvoices(t, w, pc, "?period=2026-03"); len(list) != 2 {
			t.Errorf("the month's customer invoices: %+v", list)
		}

		st, again, e := importFile(t, w, pc, "testdata/import-licence-2026-03.csv")
		if st != 200 || e != nil || !again.Repeated || again.ID != got.ID || len(again.CustomerInvoices) != 2 {
			t.Fatalf("the same file again: %d %+v %+v", st, again, e)
		}
		if list := customerInvoices(t, w, pc, "?period=2026-03"); len(list) != 2 {
			t.Errorf("after the repeat: %+v", list)
		}
		// A sales agent may not import.
		sales := w.MustUser(np.ID, "sam@northwind.example", "salesAgent")
		if st, _, e := importFile(t, w, sales, "testdata/import-licence-2026-03.csv"); st != 403 || e == nil {
			t.Errorf("a sales agent's import: %d %+v", st, e)
		}
	})
}
