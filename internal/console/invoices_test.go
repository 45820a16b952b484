package console_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// MustAdvance moves the sandbox clock to an instant (RFC 3339).
func MustAdvance(tb testing.TB, w *world, to string) {
	tb.Helper()
	at, err := time.Parse(time.RFC3339, to)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.app.AdvanceClock(tb.Context(), w.operator, "", at); err != nil {
		tb.Fatal(err)
	}
}

// csvLines is a CSV file's lines, the header first.
func csvLines(body string) []string { return strings.Split(strings.TrimSpace(body), "\n") }

// TestInvoices is internal/api's TestMonthClose seen in the console. The
// operator taxes US customers at 10%. On 2026-01-12 10:00 Contoso sells
// Fabrikam (US) 10 seats of Business Premium P1Y billed monthly at $23.10,
// and Litware sells Fabrikam 1 seat of Business Basic P1M at $7.20; on
// 2026-02-20 10:00 Contoso adds 2 seats. Invoices are numbered in the order
// the closes issue them, Contoso's before Litware's:
//
//   - the close of 2026-02-01 bills January: Contoso's G000000001, new
//     23.10 × 10 = 231.00, tax 23.10, total 254.10 (Litware's is G000000002:
//     7.20 + 0.72);
//   - the close of 2026-03-01 bills February: Contoso's G000000003 holds
//     the cycle charge 02-12..03-11 of 231.00 (tax 23.10, 254.10) and the
//     seat change's pair: d = 20 days (02-20..03-11) of D = 28, EUP
//     23.10 × 20/28 = 16.50, the credit −16.50 × 10 = −165.00 (tax −16.50,
//     −181.50) and the charge 16.50 × 12 = 198.00 (tax 19.80, 217.80);
//     subtotal 231 − 165 + 198 = 264.00, tax 26.40, total 290.40.
func TestInvoices(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ctx := t.Context()
	ann, bob := MustPrincipal(t, w, w.partnerKey), MustPrincipal(t, w, w.litwareKey)

	// Before any close: the empty list says when the first invoice comes.
	MustScenario(t, srv, scenario{name: "Empty", method: "GET", path: "/console/invoices", key: w.partnerKey, status: http.StatusOK,
		want: []string{`<a href="/console/invoices" id="nav-invoices">Invoices</a>`,
			"No invoice yet: the first invoice comes at the next month close, on 2026-02-01 00:00 UTC."},
		notWant: []string{`class="invoice"`, `id="next-page"`}})

	if _, err := w.app.SetTaxRates(ctx, w.operator, map[string]string{"US": "0.10"}); err != nil {
		t.Fatal(err)
	}
	MustAdvance(t, w, "2026-01-12T10:00:00Z")
	MustAgree(t, w, ann, w.fabrikam)
	MustAgree(t, w, bob, w.fabrikam)
	sub := MustBuy(t, w, ann, w.fabrikam, premium, "P1Y", "monthly", 10)
	MustBuy(t, w, bob, w.fabrikam, basic, "P1M", "monthly", 1)
	MustAdvance(t, w, "2026-02-01T00:00:00Z")
	MustAdvance(t, w, "2026-02-20T10:00:00Z")
	q := 12
	if _, err := w.app.ChangeSubscription(ctx, ann, w.fabrikam.ID, sub.ID, csp.Change{Quantity: &q}); err != nil {
		t.Fatal(err)
	}

	// February's unbilled lines on 02-28 as the unbilled file: the header
	// and the three lines, untaxed (tax comes with the invoice).
	MustAdvance(t, w, "2026-02-28T12:00:00Z")
	t.Run("UnbilledFile", func(t *testing.T) {
		MustScenario(t, srv, scenario{method: "GET", path: "/console/charges?month=2026-02", key: w.partnerKey, status: http.StatusOK,
			want: []string{`<a href="/console/charges.csv?currency=USD&amp;lines=licences&amp;month=2026-02" class="unbilled-file" download>Licence charges in USD (CSV)</a>`,
				`<a href="/console/charges.csv?currency=USD&amp;lines=usage&amp;month=2026-02" class="unbilled-file" id="unbilled-usage-file" download>Azure usage in USD (CSV)</a>`},
			notWant: []string{"currency=CAD"}})
		status, hdr, body := MustDo(t, srv, scenario{method: "GET", path: "/console/charges.csv?month=2026-02&currency=USD&lines=licences", key: w.partnerKey})
		rows := csvLines(body)
		if status != http.StatusOK || hdr.Get("Content-Type") != "text/csv; charset=utf-8" ||
			hdr.Get("Content-Disposition") != `attachment; filename="unbilled-2026-02-USD-licences.csv"` {
			t.Fatalf("unbilled file: %d %v\n%s", status, hdr, body)
		}
		if len(rows) != 4 || !strings.HasPrefix(rows[0], "PartnerId,CustomerId,") || !strings.Contains(rows[1], ",cycleCharge,23.10,10,231.00,0.00,231.00,USD,") {
			t.Errorf("unbilled file: %d rows\n%s", len(rows), body)
		}
		// No Azure plan: the usage file is its header alone.
		_, _, body = MustDo(t, srv, scenario{method: "GET", path: "/console/charges.csv?month=2026-02&currency=USD&lines=usage", key: w.partnerKey})
		if rows := csvLines(body); len(rows) != 1 || !strings.HasPrefix(rows[0], "PartnerId,PartnerName,CustomerId,") {
			t.Errorf("unbilled usage file:\n%s", body)
		}
		for _, sc := range []scenario{
			{name: "ErrNoCurrency", path: "/console/charges.csv?month=2026-02", status: http.StatusBadRequest, want: []string{"Choose the currency of the file, for example USD"}},
			{name: "ErrBadMonth", path: "/console/charges.csv?month=Feb&currency=USD", status: http.StatusBadRequest, want: []string{"Choose the month as year and month, for example 2026-01."}},
			{name: "ErrBadLines", path: "/console/charges.csv?currency=USD&lines=all", status: http.StatusBadRequest, want: []string{"Choose the lines as licences or usage."}},
		} {
			sc.method, sc.key = "GET", w.partnerKey
			t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
		}
	})

	MustAdvance(t, w, "2026-03-01T06:00:00Z")
	// January is billed now: its unbilled file is the header alone.
	if _, _, body := MustDo(t, srv, scenario{method: "GET", path: "/console/charges.csv?month=2026-01&currency=USD", key: w.partnerKey}); len(csvLines(body)) != 1 {
		t.Errorf("January's unbilled file after its close:\n%s", body)
	}

	t.Run("List", func(t *testing.T) {
		status, _, body := MustDo(t, srv, scenario{method: "GET", path: "/console/invoices", key: w.partnerKey})
		want := []string{"G000000003|February 2026|2026-03-01|USD|USD 290.40|3|0", "G000000001|January 2026|2026-02-01|USD|USD 254.10|1|0"}
		if got := rows(body, "invoice"); status != http.StatusOK || !slices.Equal(got, want) {
			t.Errorf("invoices: status %d\n%s\nwant\n%s", status, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if !strings.Contains(body, `<a href="/console/invoices/G000000003">G000000003</a>`) || nextPage(body) != "" {
			t.Errorf("invoice link or pager:\n%s", body)
		}
		MustPlainWords(t, body)
	})

	t.Run("February", func(t *testing.T) {
		status, _, body := MustDo(t, srv, scenario{method: "GET", path: "/console/invoices/G000000003", key: w.partnerKey})
		if status != http.StatusOK {
			t.Fatalf("invoice: status %d\n%s", status, body)
		}
		MustPlainWords(t, body)
		for _, s := range []string{`<h1 id="invoice-number">Invoice G000000003</h1>`, `<dd class="period">2026-02-01 to 2026-02-28</dd>`,
			`<dd class="date">2026-03-01</dd>`, `<dd class="subtotal" id="invoice-subtotal">USD 264.00</dd>`, `<dd class="tax" id="invoice-tax">USD 26.40</dd>`,
			`<strong id="invoice-total">USD 290.40</strong>`,
			`<a href="/console/invoices/G000000003/statement.pdf" id="download-pdf" download>`,
			`<a href="/console/invoices/G000000003/reconciliation.csv?lines=licences" id="download-csv" download>`,
			`id="show-licences" aria-current="page">Licence lines (3)</a>`, `id="show-usage">Azure usage lines (0)</a>`} {
			if !strings.Contains(body, s) {
				t.Errorf("invoice page lacks %q", s)
			}
		}
		if got := rows(body, "summary-row"); !slices.Equal(got, []string{"Fabrikam|Licences|3|USD 264.00|USD 26.40|USD 290.40"}) {
			t.Errorf("summary %q", got)
		}
		const prem = "Fabrikam|Microsoft 365 Business Premium|"
		want := []string{
			"2026-02-12|" + prem + "Billing period|2026-02-12 to 2026-03-11|10|USD 231.00|USD 23.10|USD 254.10",
			"2026-02-20|" + prem + "Seats added, old count refunded|2026-02-20 to 2026-03-11|10|USD -165.00|USD -16.50|USD -181.50",
			"2026-02-20|" + prem + "Seats added, new count charged|2026-02-20 to 2026-03-11|12|USD 198.00|USD 19.80|USD 217.80",
		}
		if got := rows(body, "licence-line"); !slices.Equal(got, want) {
			t.Errorf("lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// The usage lines: none, and the download link follows the tab.
		MustScenario(t, srv, scenario{method: "GET", path: "/console/invoices/G000000003?lines=usage", key: w.partnerKey, status: http.StatusOK,
			want: []string{"This invoice has no Azure usage lines.", `id="show-usage" aria-current="page">`,
				`<a href="/console/invoices/G000000003/reconciliation.csv?lines=usage" id="download-csv" download>`},
			notWant: []string{`class="licence-line"`}})
	})

	t.Run("January", func(t *testing.T) {
		// The number is read in any case, as the API reads it.
		status, _, body := MustDo(t, srv, scenario{method: "GET", path: "/console/invoices/g000000001", key: w.partnerKey})
		if got := rows(body, "summary-row"); status != http.StatusOK || !slices.Equal(got, []string{"Fabrikam|Licences|1|USD 231.00|USD 23.10|USD 254.10"}) {
			t.Errorf("status %d, summary %q", status, got)
		}
		want := []string{"2026-01-12|Fabrikam|Microsoft 365 Business Premium|New purchase|2026-01-12 to 2026-02-11|10|USD 231.00|USD 23.10|USD 254.10"}
		if got := rows(body, "licence-line"); !slices.Equal(got, want) {
			t.Errorf("lines %q", got)
		}
	})

	t.Run("Files", func(t *testing.T) {
		status, hdr, body := MustDo(t, srv, scenario{method: "GET", path: "/console/invoices/G000000003/reconciliation.csv?lines=licences", key: w.partnerKey})
		if status != http.StatusOK || hdr.Get("Content-Type") != "text/csv; charset=utf-8" ||
			hdr.Get("Content-Disposition") != `attachment; filename="G000000003-licences.csv"` {
			t.Fatalf("reconciliation file: %d %v", status, hdr)
		}
		// The header and one row per line, as on the page.
		rows := csvLines(body)
		if len(rows) != 4 || !strings.HasPrefix(rows[0], "PartnerId,CustomerId,CustomerName,CustomerDomainName,CustomerCountry,InvoiceNumber,") ||
			!strings.Contains(rows[1], ",G000000003,") || !strings.Contains(rows[1], ",cycleCharge,23.10,10,231.00,23.10,254.10,USD,") ||
			!strings.Contains(rows[2], ",addQuantity,23.10,2,-165.00,-16.50,-181.50,USD,") || !strings.Contains(rows[3], ",addQuantity,23.10,2,198.00,19.80,217.80,USD,") {
			t.Errorf("reconciliation file: %d rows\n%s", len(rows), body)
		}
		_, hdr, body = MustDo(t, srv, scenario{method: "GET", path: "/console/invoices/G000000003/reconciliation.csv?lines=usage", key: w.partnerKey})
		if rows := csvLines(body); len(rows) != 1 || !strings.HasPrefix(rows[0], "PartnerId,PartnerName,CustomerId,") ||
			hdr.Get("Content-Disposition") != `attachment; filename="G000000003-usage.csv"` {
			t.Errorf("usage file: %v\n%s", hdr, body)
		}
		status, hdr, body = MustDo(t, srv, scenario{method: "GET", path: "/console/invoices/G000000003/statement.pdf", key: w.partnerKey})
		if status != http.StatusOK || hdr.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix([]byte(body), []byte("%PDF-")) ||
			hdr.Get("Content-Disposition") != `attachment; filename="G000000003.pdf"` {
			t.Errorf("statement: %d %v %.20q", status, hdr, body)
		}
	})

	t.Run("Refusals", func(t *testing.T) {
		_, sal, err := w.app.CreatePartnerUser(ctx, w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Sal", Email: "sal@contoso-partner.com", Roles: []string{"salesAgent"}})
		if err != nil {
			t.Fatal(err)
		}
		_, bill, err := w.app.CreatePartnerUser(ctx, w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Bea", Email: "bea@contoso-partner.com", Roles: []string{"billingAdmin"}})
		if err != nil {
			t.Fatal(err)
		}
		const notFound = "This invoice was not found among your partner's invoices: open it from the invoice list."
		const forbidden = "Your role does not allow this: it needs the role Admin agent or Billing admin. Ask your partner's admin agent."
		for _, sc := range []scenario{
			{name: "BillingAdmin", path: "/console/invoices/G000000001", key: bill.APIKey, status: http.StatusOK,
				want: []string{`<strong id="invoice-total">USD 254.10</strong>`, `id="nav-invoices"`}},
			// Litware's January invoice, and one that does not exist.
			{name: "ErrOtherPartnersInvoice", path: "/console/invoices/G000000002", key: w.partnerKey, status: http.StatusNotFound, want: []string{notFound}},
			{name: "ErrOtherPartnersFile", path: "/console/invoices/G000000002/reconciliation.csv", key: w.partnerKey, status: http.StatusNotFound, want: []string{notFound}},
			{name: "ErrOtherPartnersPDF", path: "/console/invoices/G000000002/statement.pdf", key: w.partnerKey, status: http.StatusNotFound, want: []string{notFound}},
			{name: "ErrUnknownInvoice", path: "/console/invoices/G999999999", key: w.partnerKey, status: http.StatusNotFound, want: []string{notFound}},
			{name: "LitwareSeesItsOwn", path: "/console/invoices/G000000002", key: w.litwareKey, status: http.StatusOK,
				want: []string{`<strong id="invoice-total">USD 7.92</strong>`}},
			{name: "ErrBadLines", path: "/console/invoices/G000000003?lines=all", key: w.partnerKey, status: http.StatusBadRequest, want: []string{"Choose the lines as licences or usage."}},
			{name: "ErrBadContinuation", path: "/console/invoices?continuation=e30", key: w.partnerKey, status: http.StatusBadRequest,
				want: []string{"The continuation parameter is not a position in this listing."}},
			{name: "ErrSalesAgentList", path: "/console/invoices", key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "ErrSalesAgentInvoice", path: "/console/invoices/G000000001", key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "ErrSalesAgentFile", path: "/console/invoices/G000000001/reconciliation.csv", key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "ErrSalesAgentPDF", path: "/console/invoices/G000000001/statement.pdf", key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "ErrSalesAgentUnbilledFile", path: "/console/charges.csv?currency=USD", key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "SalesAgentHasNoLink", path: "/console", key: sal.APIKey, status: http.StatusOK, rows: 4, notWant: []string{`id="nav-invoices"`}},
			{name: "ErrCustomerAdmin", path: "/console/invoices", key: w.adminKey, status: http.StatusForbidden},
			{name: "ErrSignedOut", path: "/console/invoices/G000000001/statement.pdf", status: http.StatusSeeOther, location: "/console/signin"},
		} {
			sc.method = "GET"
			t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
		}
	})
}

// TestInvoiceLinesPaged: Fabrikam buys 1 seat of Business Premium on
// 2026-01-05 09:00 and is raised one seat at a time to 51 at the same
// instant (TestUnbilledCharges): 1 new line and 50 pairs, 101 lines. The
// January invoice (no tax set) totals 51 × 23.10 = 1178.10, and its lines
// come 50 to a page: 50, 50, then the last raise's charged side.
func TestInvoiceLinesPaged(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ann := MustPrincipal(t, w, w.partnerKey)
	MustAgree(t, w, ann, w.fabrikam)
	sub := MustBuy(t, w, ann, w.fabrikam, premium, "P1Y", "monthly", 1)
	for q := 2; q <= 51; q++ {
		if _, err := w.app.ChangeSubscription(t.Context(), ann, w.fabrikam.ID, sub.ID, csp.Change{Quantity: &q}); err != nil {
			t.Fatal(err)
		}
	}
	MustAdvance(t, w, "2026-02-01T00:00:00Z")
	path := "/console/invoices/G000000001"
	var lines []string
	for page := 1; path != ""; page++ {
		status, _, body := MustDo(t, srv, scenario{method: "GET", path: path, key: w.partnerKey})
		got := rows(body, "licence-line")
		if want := []int{50, 50, 1}[min(page, 3)-1]; status != http.StatusOK || len(got) != want || page > 3 {
			t.Fatalf("page %d: status %d, %d lines, want %d", page, status, len(got), want)
		}
		if page == 1 && !strings.Contains(body, `<strong id="invoice-total">USD 1178.10</strong>`) {
			t.Errorf("total missing on the first page")
		}
		lines = append(lines, got...)
		if path = nextPage(body); path != "" && !strings.HasPrefix(path, "/console/invoices/G000000001?") {
			t.Fatalf("next link %q", path)
		}
	}
	// The last line is the raise to 51 seats: 51 × 23.10 = 1178.10.
	if want := "2026-01-05|Fabrikam|Microsoft 365 Business Premium|Seats added, new count charged|2026-01-05 to 2026-02-04|51|USD 1178.10|USD 0.00|USD 1178.10"; lines[len(lines)-1] != want {
		t.Errorf("last line %q, want %q", lines[len(lines)-1], want)
	}
}

// TestInvoiceUsage: tenantWorld's B2s machine in eastus (USD 0.0416 an
// hour) runs from 2026-01-05 09:00 in Fabrikam's Azure subscription
// "Production", which Contoso created then: its admin agents hold Owner,
// so partner earned credit (15%) is earned from 01-06, the first whole
// day. On 2026-02-03 09:00 January's invoice G000000001 holds:
//
//   - the licence line: 2 seats × 23.10 = 46.20 (no tax set);
//   - 27 usage lines, 01-05..01-31: 01-05, 15 hours without credit,
//     ROUNDDOWN(0.0416 × 15, 2) = ROUNDDOWN(0.624) = 0.62; each later day
//     24 hours at EUP 0.0416 × 0.85 = 0.03536, ROUNDDOWN(0.84864) = 0.84;
//     0.62 + 26 × 0.84 = 22.46.
//
// The customer page's chart is February's days through 09:00 on the 3rd at
// list prices: 24 × 0.0416 = 0.9984 on the 1st and 2nd, 9 × 0.0416 =
// 0.3744 on the 3rd; the largest day fills the 200-unit plot, so the bars
// are 200, 200 and 200 × 0.3744 / 0.9984 = 75 high; the month's total
// 0.9984 × 2 + 0.3744 = 2.3712, USD 2.37.
func TestInvoiceUsage(t *testing.T) {
	w := MustTenantWorld(t, "http://console.test")
	srv := MustConsole(t, w.world)
	MustAdvance(t, w.world, "2026-02-03T09:00:00Z")

	status, _, body := MustDo(t, srv, scenario{method: "GET", path: "/console/invoices", key: w.partnerKey})
	if got := rows(body, "invoice"); status != http.StatusOK || !slices.Equal(got, []string{"G000000001|January 2026|2026-02-01|USD|USD 68.66|1|27"}) {
		t.Errorf("invoices: %d %q", status, got)
	}
	status, _, body = MustDo(t, srv, scenario{method: "GET", path: "/console/invoices/G000000001?lines=usage", key: w.partnerKey})
	if status != http.StatusOK {
		t.Fatalf("usage lines: %d\n%s", status, body)
	}
	MustPlainWords(t, body)
	if got, want := rows(body, "summary-row"), []string{"Fabrikam|Licences|1|USD 46.20|USD 0.00|USD 46.20", "Fabrikam|Azure usage|27|USD 22.46|USD 0.00|USD 22.46"}; !slices.Equal(got, want) {
		t.Errorf("summary %q, want %q", got, want)
	}
	got := rows(body, "usage-line")
	const vm = "|Fabrikam|Production|vm1|Virtual Machines, BS Series B2s, per 1 Hour|"
	if len(got) != 27 || got[0] != "2026-01-05"+vm+"15|USD 0.0416|no|USD 0.62" || got[1] != "2026-01-06"+vm+"24|USD 0.03536|yes (15%)|USD 0.84" ||
		got[26] != "2026-01-31"+vm+"24|USD 0.03536|yes (15%)|USD 0.84" {
		t.Errorf("%d usage lines\n%s", len(got), strings.Join(got, "\n"))
	}
	_, hdr, body := MustDo(t, srv, scenario{method: "GET", path: "/console/invoices/G000000001/reconciliation.csv?lines=usage", key: w.partnerKey})
	if rows := csvLines(body); len(rows) != 28 || !strings.HasPrefix(rows[0], "PartnerId,PartnerName,CustomerId,") || !strings.Contains(rows[1], ",new,0.0416,15,1 Hour,0.62,USD,0.62,USD,") ||
		hdr.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Errorf("usage file: %d rows %v\n%.600s", len(rows), hdr, body)
	}

	// The customer page: the Azure subscription with February's chart.
	sub := w.azureSub.String()
	status, _, body = MustDo(t, srv, scenario{method: "GET", path: "/console/customers/" + w.fabrikam.ID.String(), key: w.partnerKey})
	if status != http.StatusOK {
		t.Fatalf("customer page: %d\n%s", status, body)
	}
	MustPlainWords(t, body)
	for _, s := range []string{`<div class="azure-subscription" id="azure-` + sub + `"`, `<dd class="plan">`,
		`<dt>February 2026 to date</dt><dd class="month-to-date">USD 2.37 <small>`,
		`<title id="chart-title-` + sub + `">Usage of Production, February 2026, in USD per day</title>`,
		`<desc id="chart-desc-` + sub + `">3 days from 2026-02-01 through 2026-02-03; total USD 2.37; largest day USD 1.00.</desc>`,
		`<rect class="bar" data-day="2026-02-01" data-amount="0.998400" x="76" y="24.00" width="16" height="200.00"><title>2026-02-01: USD 0.998400</title></rect>`,
		`<rect class="bar" data-day="2026-02-02" data-amount="0.998400" x="100" y="24.00" width="16" height="200.00"><title>2026-02-02: USD 0.998400</title></rect>`,
		`<rect class="bar" data-day="2026-02-03" data-amount="0.374400" x="124" y="149.00" width="16" height="75.00"><title>2026-02-03: USD 0.374400</title></rect>`,
		`<tr class="chart-day"><td>2026-02-03</td><td>0.374400</td></tr>`} {
		if !strings.Contains(body, s) {
			t.Errorf("customer page lacks %q", s)
		}
	}
	if n := strings.Count(body, `<rect class="bar"`); n != 3 {
		t.Errorf("%d bars, want 3", n)
	}

	// A sales agent sees the subscription, not its cost.
	_, sal, err := w.app.CreatePartnerUser(t.Context(), w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Sal", Email: "sal@contoso-partner.com", Roles: []string{"salesAgent"}})
	if err != nil {
		t.Fatal(err)
	}
	MustScenario(t, srv, scenario{method: "GET", path: "/console/customers/" + w.fabrikam.ID.String(), key: sal.APIKey, status: http.StatusOK,
		want:    []string{`id="azure-` + sub + `"`, "Your role does not show costs"},
		notWant: []string{`<rect class="bar"`, `class="month-to-date"`}})
}
