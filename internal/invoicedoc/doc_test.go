package invoicedoc

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func eur(s string) csp.Money       { return csp.NewMoney(dec(s), "EUR") }
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testDoc prices three lines at a 20% markup with a 10% March promotion
// on the first product:
//
//	10 seats, subtotal 231.00 → 277.20 → 249.48 (promotion)
//	credit −171.30 → −205.56 (starts Apr 1: no promotion)
//	own service 50.00 → 50.00
//	total 249.48 − 205.56 + 50.00 = 93.92
func testDoc(t *testing.T, customer string) Doc {
	t.Helper()
	lines := []pricebook.CostLine{
		{ProductID: "BP", SkuID: "1", ProductName: "Microsoft 365 Business Premium", ChargeType: csp.ChargeCycle,
			UnitPrice: eur("23.10"), EffectiveUnitPrice: eur("23.10"), Quantity: 10, BillableQuantity: dec("10"), Subtotal: eur("231.00"),
			ChargeStart: day("2026-03-12"), ChargeEnd: day("2026-04-11"), Days: 31, PeriodDays: 31},
		{ProductID: "E3", SkuID: "1", ProductName: "Office 365 E3", ChargeType: csp.ChargeAddQuantity,
			UnitPrice: eur("17.13"), EffectiveUnitPrice: eur("-17.13"), Quantity: 2, BillableQuantity: dec("10"), Subtotal: eur("-171.30"),
			ChargeStart: day("2026-04-01"), ChargeEnd: day("2026-04-30"), Days: 30, PeriodDays: 30},
		{ProductID: "OWN", SkuID: "1", ProductName: "Backup by Müller – daily", PartnerService: true, ChargeType: csp.ChargeCycle,
			UnitPrice: eur("50.00"), EffectiveUnitPrice: eur("50.00"), Quantity: 1, BillableQuantity: dec("1"), Subtotal: eur("50.00"),
			ChargeStart: day("2026-03-01"), ChargeEnd: day("2026-03-31"), Days: 31, PeriodDays: 31},
	}
	twenty := dec("20")
	book := pricebook.Book{DefaultMarkupPercent: &twenty, Promotions: []pricebook.Promotion{
		{ID: "spring", Name: "Spring 10%", ProductID: "BP", DiscountPercent: dec("10"), StartDate: day("2026-03-01"), EndDate: day("2026-03-31")},
	}}
	inv, err := pricebook.Invoice(book, pricebook.Book{}, lines)
	if err != nil {
		t.Fatal(err)
	}
	total, _ := inv.Total("EUR")
	if !total.Amount.Amount.Equal(dec("93.92")) {
		t.Fatalf("total %s, want 93.92", total.Amount)
	}
	return Doc{
		Partner:  Party{Name: "Contoso Cloud GmbH", Address: []string{"Hauptstraße 1", "10115 Berlin"}},
		Customer: Party{Name: customer, Address: []string{"Marienplatz 8", "80331 München"}, Country: "DE"},
		Number:   "INV-2026-0042", PeriodStart: day("2026-03-01"), PeriodEnd: day("2026-03-31"), IssuedOn: day("2026-04-01"),
		Lines: inv.Lines, Total: total.Amount,
	}
}

func TestHTML(t *testing.T) {
	d := testDoc(t, `Müller <script>alert(1)</script> & Söhne`)
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, l := range d.Lines {
		desc := strings.ReplaceAll(l.Description, "&", "&amp;")
		if !strings.Contains(out, desc) || !strings.Contains(out, ">"+l.Amount.Amount.StringFixed(2)+"<") {
			t.Fatalf("no line %q %s in\n%s", l.Description, l.Amount, out)
		}
	}
	for _, want := range []string{"249.48", "-205.56", ">50.00<", ">93.92<", "INV-2026-0042", "Müller &lt;script&gt;alert(1)&lt;/script&gt; &amp; Söhne", "Promotion: Spring 10%", "Apr 1, 2026", "Mar 1, 2026 – Mar 31, 2026", "Currency EUR"} {
		if !strings.Contains(out, want) {
			t.Fatalf("no %q in\n%s", want, out)
		}
	}
	// No script, no external asset, and no profit (the partner's 46.20 on
	// the first line, or any "profit" word).
	for _, not := range []string{"<script", "src=", "href=", "http", "46.20", "rofit"} {
		if strings.Contains(out, not) {
			t.Fatalf("%q in\n%s", not, out)
		}
	}
}

func TestCSV(t *testing.T) {
	d := testDoc(t, "Fabrikam")
	d.Lines[2].Description = "=HYPERLINK(\"x\")" // a formula stays text
	var b bytes.Buffer
	if err := CSV(&b, d); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || strings.Join(recs[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("records %q", recs)
	}
	// Amounts come back exact and add up to the total: 249.48 − 205.56 + 50.00 = 93.92.
	sum := decimal.Zero
	for i, want := range []string{"249.48", "-205.56", "50.00"} {
		r := recs[i+1]
		if r[9] != want || r[10] != "EUR" || r[0] != "INV-2026-0042" {
			t.Fatalf("row %d %q, want amount %s", i, r, want)
		}
		sum = sum.Add(dec(r[9]))
	}
	if !sum.Equal(dec("93.92")) {
		t.Fatalf("sum %s", sum)
	}
	if r := recs[1]; r[1] != d.Lines[0].Description || r[2] != "Spring 10%" || r[5] != "2026-03-12" || r[6] != "2026-04-11" || r[7] != "10" || r[8] != "27.72" {
		t.Fatalf("first row %q", r)
	}
	if recs[3][1] != `'=HYPERLINK("x")` {
		t.Fatalf("formula %q", recs[3][1])
	}
}

func TestPDF(t *testing.T) {
	d := testDoc(t, "Müller – Söhne")
	var b bytes.Buffer
	if err := writePDF(&b, d, false); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("starts %q", out[:min(20, len(out))])
	}
	// Uncompressed, the text is in the content stream in cp1252: ü is
	// 0xFC, the en dash 0x96.
	for _, want := range []string{"(Invoice INV-2026-0042)", "(93.92)", "(249.48)", "(-205.56)", "(M\xfcller \x96 S\xf6hne)", "Backup by M\xfcller \x96 daily"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Fatalf("no %q in the PDF", want)
		}
	}
	// The same invoice gives the same bytes: no time of rendering in it.
	var again bytes.Buffer
	if err := writePDF(&again, d, false); err != nil || !bytes.Equal(out, again.Bytes()) {
		t.Fatalf("two renderings differ (%v)", err)
	}
	var compressed bytes.Buffer
	if err := PDF(&compressed, d); err != nil || !bytes.HasPrefix(compressed.Bytes(), []byte("%PDF-")) || bytes.Contains(compressed.Bytes(), []byte("(93.92)")) {
		t.Fatalf("compressed PDF (%v)", err)
	}
}

func TestRefused(t *testing.T) {
	for name, f := range map[string]func(*Doc){
		"no number":      func(d *Doc) { d.Number = "" },
		"no issue date":  func(d *Doc) { d.IssuedOn = time.Time{} },
		"wrong total":    func(d *Doc) { d.Total = eur("93.93") },
		"other currency": func(d *Doc) { d.Total.Currency = "USD" },
	} {
		d := testDoc(t, "Fabrikam")
		f(&d)
		for _, render := range []func(*bytes.Buffer, Doc) error{
			func(b *bytes.Buffer, d Doc) error { return HTML(b, d) },
			func(b *bytes.Buffer, d Doc) error { return CSV(b, d) },
			func(b *bytes.Buffer, d Doc) error { return PDF(b, d) },
		} {
			var b bytes.Buffer
			if err := render(&b, d); err == nil || b.Len() != 0 {
				t.Fatalf("%s: rendered (%v)", name, err)
			}
		}
	}
}

func TestStatementPDF(t *testing.T) {
	d := decimal.RequireFromString
	s := Statement{Number: "G000000003", Issuer: Party{Name: "Microsoft Ireland Operations Ltd"}, Partner: Party{Name: "Northwind Cloud"},
		IssuedOn: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), PeriodStart: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		PeriodEnd: time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), Currency: "USD",
		// 264.00 + 26.40 = 290.40 and 58.66 + 0 = 58.66: 322.66 + 26.40 = 349.06.
		Rows: []StatementRow{{Customer: "Contoso Müller", Kind: "Licences", Lines: 3, Subtotal: d("264.00"), Tax: d("26.40"), Total: d("290.40")},
			{Customer: "Contoso Müller", Kind: "Azure usage", Lines: 60, Subtotal: d("58.66"), Tax: d("0"), Total: d("58.66")}},
		Subtotal: d("322.66"), Tax: d("26.40"), Total: d("349.06")}
	var b bytes.Buffer
	if err := writeStatement(&b, s, false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"%PDF-", "G000000003", "349.06", "290.40", "M\xfcller"} {
		if !strings.Contains(out, want) {
			t.Errorf("the statement lacks %q", want)
		}
	}
	s.Total = d("349.07")
	if err := StatementPDF(&b, s); err == nil {
		t.Error("a statement whose rows do not add up was written")
	}
}

// TestTaxRows: an invoice with tax shows its subtotal (the lines' 93.92),
// its tax at 19% (17.84) and what the customer pays, 111.76; one without
// tax shows only the total.
func TestTaxRows(t *testing.T) {
	d := testDoc(t, "Müller GmbH")
	d.Tax = eur("17.84")
	var h, p bytes.Buffer
	if err := HTML(&h, d); err != nil {
		t.Fatal(err)
	}
	if err := writePDF(&p, d, false); err != nil {
		t.Fatal(err)
	}
	for what, out := range map[string]string{"HTML": h.String(), "PDF": p.String()} {
		for _, want := range []string{"Subtotal", "93.92", "Tax", "17.84", "111.76"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", what, want)
			}
		}
	}
	d.Tax = csp.Money{}
	h.Reset()
	if err := HTML(&h, d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), ">Tax<") || strings.Contains(h.String(), "Subtotal") || !strings.Contains(h.String(), "93.92") {
		t.Errorf("an untaxed invoice shows a tax row or no total")
	}
	d.Tax = csp.NewMoney(dec("1"), "USD")
	if err := HTML(&h, d); err == nil {
		t.Error("a tax in another currency was written")
	}
}

// TestCSVTaxColumn: with its lines' taxes known, the CSV has a tax column
// (10% of 277.20 = 27.72), and taxes that do not add up to the invoice's
// are refused.
func TestCSVTaxColumn(t *testing.T) {
	d := testDoc(t, "Müller GmbH")
	d.Taxes = make([]decimal.Decimal, len(d.Lines))
	d.Taxes[0], d.Tax = dec("27.72"), eur("27.72")
	var b bytes.Buffer
	if err := CSV(&b, d); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := rows[0]; h[10] != "tax" || h[11] != "currency" || rows[1][10] != "27.72" || rows[2][10] != "0.00" {
		t.Errorf("rows %q", rows[:3])
	}
	d.Tax = eur("27.73")
	if err := CSV(&b, d); err == nil {
		t.Error("line taxes that do not add up were written")
	}
}
