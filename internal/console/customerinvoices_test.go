package console_test

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
)

var etagField = regexp.MustCompile(`<input type="hidden" name="etag" value="([^"]*)">`)

// formETag is the etag a price book form carries.
func formETag(tb testing.TB, body string) string {
	tb.Helper()
	m := etagField.FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no etag in the form:\n%s", body)
	}
	return html.UnescapeString(m[1])
}

// bookForm is a form with a default and the items given as product, sku,
// rule, value.
func bookForm(etag, def, pct string, items ...[4]string) url.Values {
	f := url.Values{"etag": {etag}, "default": {def}, "defaultPercent": {pct}, "items": {itoa(len(items) + 1)}, "promotions": {"1"}}
	for i, it := range items {
		at := "item-" + itoa(i) + "-"
		f.Set(at+"product", it[0])
		f.Set(at+"sku", it[1])
		f.Set(at+"rule", it[2])
		f.Set(at+"value", it[3])
	}
	return f
}

func itoa(n int) string { return strconv.Itoa(n) }

// markupBook is a book with a default markup and no item.
func markupBook(pct string) pricebook.Book {
	d := decimal.RequireFromString(pct)
	return pricebook.Book{DefaultMarkupPercent: &d}
}

// TestPriceBookForm saves Contoso's book through the form: a 20% default
// markup and three items; then a refused book (a 100% margin, which would
// make the price infinite) leaves it unchanged, as does a save with the
// etag the first form was read with. Fabrikam's own book is the same form
// under its page.
func TestPriceBookForm(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ctx := t.Context()
	ann := MustPrincipal(t, w, w.partnerKey)

	status, _, body := MustDo(t, srv, scenario{method: "GET", path: "/console/pricebook", key: w.partnerKey})
	if status != http.StatusOK || !strings.Contains(body, `<option value="none" selected>None</option>`) || len(rows(body, "book-item")) != 0 ||
		!strings.Contains(body, `<a href="/console/pricebook" id="nav-pricebook">Price book</a>`) {
		t.Fatalf("the empty book: %d\n%s", status, body)
	}
	MustPlainWords(t, body)
	first := formETag(t, body)

	// Three items, the empty row left empty; the second ticked row is
	// taken out before saving.
	f := bookForm(first, "markup", "20", [4]string{"CFQ7TTC0LH18", "0001", "fixed", "9.00"}, [4]string{"CFQ7TTC0LCHC", "", "margin", "25"},
		[4]string{"CFQ7TTC0LH16", "", "markup", "5"}, [4]string{"GONE", "", "markup", "1"})
	f.Set("item-3-remove", "on")
	MustScenario(t, srv, scenario{name: "Save", method: "POST", path: "/console/pricebook", key: w.partnerKey, form: f,
		status: http.StatusSeeOther, location: "/console/pricebook?saved=3+items"})
	status, _, body = MustDo(t, srv, scenario{method: "GET", path: "/console/pricebook?saved=3+items", key: w.partnerKey})
	if n := len(rows(body, "book-item")); status != http.StatusOK || n != 3 || len(rows(body, "new-item")) != 1 {
		t.Errorf("status %d, %d item rows, want 3 and the empty one", status, n)
	}
	for _, s := range []string{`<p class="notice" id="book-notice" role="status">Saved: 3 items</p>`, `<option value="markup" selected>Markup percent</option>`,
		`id="default-percent" name="defaultPercent" inputmode="decimal" value="20"`, `id="item-0-product" aria-label="Product ID" value="CFQ7TTC0LH18"`,
		`<option value="fixed" selected>Fixed price</option>`, `id="item-1-value" aria-label="Value" inputmode="decimal" value="25"`,
		`name="item-3-product" id="item-3-product" aria-label="Product ID" value=""`} {
		if !strings.Contains(body, s) {
			t.Errorf("saved form lacks %q", s)
		}
	}
	saved := formETag(t, body)
	if saved == first {
		t.Errorf("the etag did not change with the save")
	}
	v, err := w.app.PriceBook(ctx, ann, nil)
	if err != nil || v.Book.DefaultMarkupPercent == nil || v.Book.DefaultMarkupPercent.String() != "20" || len(v.Book.Items) != 3 ||
		v.Book.Items[0].FixedUnitPrice.String() != "9" || v.Book.Items[1].MarginPercent.String() != "25" || v.Book.Items[2].ProductID != "CFQ7TTC0LH16" {
		t.Fatalf("the stored book %+v (%v)", v.Book, err)
	}

	for _, sc := range []scenario{
		// 4602: a margin is below 100%, shown with the field in words and
		// the rows as typed.
		{name: "ErrMargin100", form: bookForm(saved, "margin", "100", [4]string{"CFQ7TTC0LH18", "0001", "fixed", "9.00"}), status: http.StatusBadRequest,
			want: []string{`<p class="error" id="book-error" role="alert">The default margin 100: a margin is from 0 to below 100 percent (at 100 the price would be infinite).</p>`,
				`<option value="margin" selected>Margin percent</option>`, `value="CFQ7TTC0LH18"`}},
		{name: "ErrItemMargin", form: bookForm(saved, "none", "", [4]string{"P", "", "markup", "1"}, [4]string{"Q", "", "margin", "-1"}), status: http.StatusBadRequest,
			want: []string{"Item 2's margin -1: a margin is from 0 to below 100 percent"}},
		{name: "ErrNotANumber", form: bookForm(saved, "markup", "twenty"), status: http.StatusBadRequest,
			want: []string{`The default markup: "twenty" is not a number: write it like 20 or 12.5.`}},
		{name: "ErrStale", form: bookForm(first, "markup", "30"), status: http.StatusPreconditionFailed,
			want: []string{"This changed in the meantime: reload the page and try again."}},
	} {
		sc.method, sc.path, sc.key = "POST", "/console/pricebook", w.partnerKey
		t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
	}
	if after, err := w.app.PriceBook(ctx, ann, nil); err != nil || after.ETag != saved || after.Book.DefaultMarkupPercent.String() != "20" || len(after.Book.Items) != 3 {
		t.Errorf("the refusals changed the book: %+v (%v)", after.Book, err)
	}

	t.Run("CustomerBook", func(t *testing.T) {
		cust := "/console/customers/" + w.fabrikam.ID.String()
		MustScenario(t, srv, scenario{method: "GET", path: cust, key: w.partnerKey, status: http.StatusOK,
			want: []string{`<a href="` + cust + `/pricebook" id="customer-pricebook">Its own price book</a>`}})
		status, _, body := MustDo(t, srv, scenario{method: "GET", path: cust + "/pricebook", key: w.partnerKey})
		if status != http.StatusOK || !strings.Contains(body, `<h1 id="book-title">Price book of Fabrikam</h1>`) || !strings.Contains(body, `action="`+cust+`/pricebook"`) {
			t.Fatalf("Fabrikam's book: %d\n%s", status, body)
		}
		MustScenario(t, srv, scenario{method: "POST", path: cust + "/pricebook", key: w.partnerKey, form: bookForm(formETag(t, body), "margin", "10"),
			status: http.StatusSeeOther, location: cust + "/pricebook?saved=0+items"})
		if v, err := w.app.PriceBook(ctx, ann, &w.fabrikam.ID); err != nil || v.Book.DefaultMarginPercent == nil || v.Book.DefaultMarginPercent.String() != "10" {
			t.Errorf("Fabrikam's stored book %+v (%v)", v.Book, err)
		}
		// The partner's book is untouched by the customer's.
		if v, _ := w.app.PriceBook(ctx, ann, nil); v.ETag != saved {
			t.Errorf("the partner's book changed")
		}
		// Litware's admin does not see Contoso's customer Woodgrove.
		MustScenario(t, srv, scenario{method: "GET", path: "/console/customers/" + w.woodgrove.ID.String() + "/pricebook", key: w.litwareKey,
			status: http.StatusNotFound, want: []string{"This customer was not found among your customers"}})
	})

	t.Run("Promotions", func(t *testing.T) {
		path := "/console/customers/" + w.northwind.ID.String() + "/pricebook"
		_, _, body := MustDo(t, srv, scenario{method: "GET", path: path, key: w.partnerKey})
		promo := func(etag, start, end string) url.Values {
			f := bookForm(etag, "none", "")
			f.Set("promotions", "1")
			f.Set("promotion-0-name", "Spring")
			f.Set("promotion-0-product", "CFQ7TTC0LCHC")
			f.Set("promotion-0-discount", "10")
			f.Set("promotion-0-start", start)
			f.Set("promotion-0-end", end)
			return f
		}
		etag := formETag(t, body)
		// The end before the start: 4609, the days named in words.
		MustScenario(t, srv, scenario{method: "POST", path: path, key: w.partnerKey, form: promo(etag, "2026-03-02", "2026-03-01"), status: http.StatusBadRequest,
			want: []string{"Promotion 1's end day must be on or after its start day 2026-03-02.", `value="Spring"`}})
		MustScenario(t, srv, scenario{method: "POST", path: path, key: w.partnerKey, form: promo(etag, "2026-03-01", "March 31"), status: http.StatusBadRequest,
			want: []string{`Promotion 1 (Spring): the end day "March 31" is not a day: write it as 2026-03-01.`}})
		MustScenario(t, srv, scenario{method: "POST", path: path, key: w.partnerKey, form: promo(etag, "2026-03-01", "2026-03-31"), status: http.StatusSeeOther,
			location: path + "?saved=0+items%2C+1+promotion"})
		v, err := w.app.PriceBook(ctx, ann, &w.northwind.ID)
		if err != nil || len(v.Book.Promotions) != 1 {
			t.Fatalf("Northwind's book %+v (%v)", v.Book, err)
		}
		if p := v.Book.Promotions[0]; p.ID != "promotion-1" || p.Name != "Spring" || p.ProductID != "CFQ7TTC0LCHC" || p.DiscountPercent.String() != "10" ||
			formatDay(p.StartDate) != "2026-03-01" || formatDay(p.EndDate) != "2026-03-31" {
			t.Errorf("the promotion %+v", p)
		}
		// Saved again, it keeps its id; ticked, it is removed.
		_, _, body = MustDo(t, srv, scenario{method: "GET", path: path, key: w.partnerKey})
		if got := rows(body, "book-promotion"); len(got) != 1 || !strings.Contains(body, `name="promotion-0-id" value="promotion-1"`) ||
			!strings.Contains(body, `id="promotion-0-end" aria-label="End day" value="2026-03-31"`) {
			t.Errorf("promotion rows %q", got)
		}
		f := promo(formETag(t, body), "2026-03-01", "2026-03-31")
		f.Set("promotion-0-remove", "on")
		MustScenario(t, srv, scenario{method: "POST", path: path, key: w.partnerKey, form: f, status: http.StatusSeeOther, location: path + "?saved=0+items"})
		if v, _ := w.app.PriceBook(ctx, ann, &w.northwind.ID); len(v.Book.Promotions) != 0 {
			t.Errorf("the removed promotion stays: %+v", v.Book.Promotions)
		}
	})
}

// TestCustomerInvoices: Contoso's book marks every line up 20%, the
// operator taxes US customers at 10%. On 2026-01-12 10:00 Contoso sells
// Fabrikam 10 seats of Business Premium P1Y monthly at 23.10 (cost
// 10 × 23.10 = 231.00) and Litware, without a book, sells Fabrikam 1 seat
// of Business Basic at cost. The close of 2026-02-01 issues January's
// customer invoices: Contoso's C000000001 to Fabrikam, the unit price
// 23.10 × 1.20 = 27.72, amount 10 × 27.72 = 277.20, tax 27.72, total
// 304.92, cost 231.00, profit 277.20 − 231.00 = 46.20.
func TestCustomerInvoices(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ctx := t.Context()
	ann, bob := MustPrincipal(t, w, w.partnerKey), MustPrincipal(t, w, w.litwareKey)
	if _, err := w.app.PutPriceBook(ctx, ann, nil, markupBook("20"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.SetTaxRates(ctx, w.operator, map[string]string{"US": "0.10"}); err != nil {
		t.Fatal(err)
	}
	MustScenario(t, srv, scenario{name: "Empty", method: "GET", path: "/console/customerinvoices", key: w.partnerKey, status: http.StatusOK,
		want: []string{"No customer invoice yet: the month close at 00:00 UTC on the 1st issues them.", `id="nav-customer-invoices"`, `id="nav-profit"`}})
	MustAdvance(t, w, "2026-01-12T10:00:00Z")
	MustAgree(t, w, ann, w.fabrikam)
	MustAgree(t, w, bob, w.fabrikam)
	MustBuy(t, w, ann, w.fabrikam, premium, "P1Y", "monthly", 10)
	MustBuy(t, w, bob, w.fabrikam, basic, "P1M", "monthly", 1)
	MustAdvance(t, w, "2026-02-01T00:00:00Z")

	list, err := w.app.ListCustomerInvoices(ctx, ann, app.CustomerInvoiceQuery{}, app.Page[string]{Size: 10})
	if err != nil || len(list.Items) != 1 {
		t.Fatalf("Contoso's customer invoices: %v (%v)", list.Items, err)
	}
	inv := "/console/customerinvoices/" + list.Items[0].ID.String()
	theirs, err := w.app.ListCustomerInvoices(ctx, bob, app.CustomerInvoiceQuery{}, app.Page[string]{Size: 10})
	if err != nil || len(theirs.Items) != 1 {
		t.Fatalf("Litware's customer invoices: %v (%v)", theirs.Items, err)
	}
	litwares := "/console/customerinvoices/" + theirs.Items[0].ID.String()

	const jan = "C000000001|Fabrikam|January 2026|USD|USD 277.20|USD 27.72|USD 304.92|USD 231.00|USD 46.20"
	for _, c := range []struct{ query, want string }{
		{"", jan}, {"?period=2026-01", jan}, {"?period=2026-01&customer=" + w.fabrikam.ID.String(), jan},
		{"?period=2026-02", ""}, {"?customer=" + w.northwind.ID.String(), ""},
	} {
		status, _, body := MustDo(t, srv, scenario{method: "GET", path: "/console/customerinvoices" + c.query, key: w.partnerKey})
		got := rows(body, "customer-invoice")
		if status != http.StatusOK || c.want == "" && len(got) != 0 || c.want != "" && !slices.Equal(got, []string{c.want}) {
			t.Errorf("list%s: %d %q", c.query, status, got)
		}
		if c.want == "" && !strings.Contains(body, "No customer invoice for this filter.") {
			t.Errorf("list%s: no empty words", c.query)
		}
	}

	t.Run("Invoice", func(t *testing.T) {
		status, _, body := MustDo(t, srv, scenario{method: "GET", path: inv, key: w.partnerKey})
		if status != http.StatusOK {
			t.Fatalf("invoice: %d\n%s", status, body)
		}
		MustPlainWords(t, body)
		for _, s := range []string{`<h1 id="customer-invoice-number">Customer invoice C000000001</h1>`, `<dd class="period">2026-01-01 to 2026-01-31</dd>`,
			`<dd class="subtotal" id="invoice-subtotal">USD 277.20</dd>`, `<dd class="tax" id="invoice-tax">USD 27.72</dd>`, `<strong id="invoice-total">USD 304.92</strong>`,
			`<dd class="cost" id="invoice-cost">USD 231.00</dd>`, `<dd class="profit" id="invoice-profit">USD 46.20</dd>`,
			`<a href="` + inv + `.html" id="open-html">`, `<a href="` + inv + `.csv" id="download-csv" download>`, `<a href="` + inv + `.pdf" id="download-pdf" download>`} {
			if !strings.Contains(body, s) {
				t.Errorf("invoice page lacks %q", s)
			}
		}
		want := []string{"Microsoft 365 Business Premium, 10 seats, new subscription, Jan 12 – Feb 11, 2026|10|USD 27.72|USD 277.20|USD 27.72|USD 231.00|USD 46.20|markup 20%|"}
		if got := rows(body, "customer-line"); !slices.Equal(got, want) {
			t.Errorf("lines %q, want %q", got, want)
		}
	})

	t.Run("Documents", func(t *testing.T) {
		status, hdr, body := MustDo(t, srv, scenario{method: "GET", path: inv + ".html", key: w.partnerKey})
		if status != http.StatusOK || hdr.Get("Content-Type") != "text/html; charset=utf-8" || hdr.Get("Content-Disposition") != "" ||
			!strings.Contains(body, "C000000001") || !strings.Contains(body, "277.20") {
			t.Errorf("html: %d %v\n%.400s", status, hdr, body)
		}
		status, hdr, body = MustDo(t, srv, scenario{method: "GET", path: inv + ".csv", key: w.partnerKey})
		if status != http.StatusOK || hdr.Get("Content-Type") != "text/csv; charset=utf-8" || hdr.Get("Content-Disposition") != `attachment; filename="C000000001.csv"` ||
			len(csvLines(body)) < 2 || !strings.Contains(body, "277.20") {
			t.Errorf("csv: %d %v\n%s", status, hdr, body)
		}
		status, hdr, body = MustDo(t, srv, scenario{method: "GET", path: inv + ".pdf", key: w.partnerKey})
		if status != http.StatusOK || hdr.Get("Content-Type") != "application/pdf" || hdr.Get("Content-Disposition") != `attachment; filename="C000000001.pdf"` ||
			!bytes.HasPrefix([]byte(body), []byte("%PDF-")) {
			t.Errorf("pdf: %d %v %.20q", status, hdr, body)
		}
	})

	t.Run("Profit", func(t *testing.T) {
		// Today is 2026-02-01: the page opens on January, the month closed.
		for _, path := range []string{"/console/profit", "/console/profit?period=2026-01"} {
			status, _, body := MustDo(t, srv, scenario{method: "GET", path: path, key: w.partnerKey})
			if status != http.StatusOK {
				t.Fatalf("%s: %d\n%s", path, status, body)
			}
			MustPlainWords(t, body)
			if got := rows(body, "customer-profit"); !slices.Equal(got, []string{"Fabrikam|C000000001|USD|USD 277.20|USD 231.00|USD 46.20"}) {
				t.Errorf("%s customers %q", path, got)
			}
			if got := rows(body, "product-profit"); !slices.Equal(got, []string{"CFQ7TTC0LCHC:0001|USD|USD 277.20|USD 231.00|USD 46.20"}) {
				t.Errorf("%s products %q", path, got)
			}
			if got := rows(body, "profit-total"); !slices.Equal(got, []string{"USD|USD 277.20|USD 231.00|USD 46.20"}) {
				t.Errorf("%s totals %q", path, got)
			}
			for _, s := range []string{`<h2>January 2026</h2>`, `<a href="/console/profit?period=2025-12" id="previous-month">`, `<a href="/console/profit?period=2026-02" id="next-month">`} {
				if !strings.Contains(body, s) {
					t.Errorf("%s lacks %q", path, s)
				}
			}
		}
		MustScenario(t, srv, scenario{method: "GET", path: "/console/profit?period=2026-02", key: w.partnerKey, status: http.StatusOK,
			want: []string{"No customer invoice for February 2026."}, notWant: []string{`class="customer-profit"`}})
	})

	t.Run("Refusals", func(t *testing.T) {
		_, sal, err := w.app.CreatePartnerUser(ctx, w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Sal", Email: "sal@contoso-partner.com", Roles: []string{"salesAgent"}})
		if err != nil {
			t.Fatal(err)
		}
		_, bea, err := w.app.CreatePartnerUser(ctx, w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Bea", Email: "bea@contoso-partner.com", Roles: []string{"billingAdmin"}})
		if err != nil {
			t.Fatal(err)
		}
		const notFound = "This customer invoice was not found among your partner's customer invoices: open it from the customer invoice list."
		const forbidden = "Your role does not allow this: it needs the role Admin agent or Billing admin. Ask your partner's admin agent."
		for _, sc := range []scenario{
			{name: "BillingAdmin", path: inv, key: bea.APIKey, status: http.StatusOK, want: []string{`<strong id="invoice-total">USD 304.92</strong>`}},
			{name: "ErrOtherPartnersInvoice", path: litwares, key: w.partnerKey, status: http.StatusNotFound, want: []string{notFound}},
			{name: "ErrOtherPartnersPDF", path: litwares + ".pdf", key: w.partnerKey, status: http.StatusNotFound, want: []string{notFound}},
			{name: "ErrNotAnID", path: "/console/customerinvoices/C000000001", key: w.partnerKey, status: http.StatusNotFound, want: []string{notFound}},
			{name: "LitwareSeesItsOwn", path: litwares, key: w.litwareKey, status: http.StatusOK, want: []string{`<dd class="profit" id="invoice-profit">USD 0.00</dd>`}},
			{name: "ErrBadPeriod", path: "/console/customerinvoices?period=Jan", key: w.partnerKey, status: http.StatusBadRequest,
				want: []string{"Choose the month as year and month, for example 2026-01."}},
			{name: "ErrBadProfitMonth", path: "/console/profit?period=Jan", key: w.partnerKey, status: http.StatusBadRequest,
				want: []string{"Choose the month as year and month, for example 2026-01."}},
			{name: "ErrSalesAgentList", path: "/console/customerinvoices", key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "ErrSalesAgentInvoice", path: inv, key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "ErrSalesAgentDocument", path: inv + ".csv", key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "ErrSalesAgentProfit", path: "/console/profit", key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "ErrSalesAgentBook", path: "/console/pricebook", key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "ErrSalesAgentSave", method: "POST", path: "/console/pricebook", form: bookForm("", "markup", "50"), key: sal.APIKey, status: http.StatusForbidden, want: []string{forbidden}},
			{name: "SalesAgentHasNoLinks", path: "/console", key: sal.APIKey, status: http.StatusOK, rows: 4,
				notWant: []string{`id="nav-pricebook"`, `id="nav-customer-invoices"`, `id="nav-profit"`}},
			{name: "SalesAgentNoBookLink", path: "/console/customers/" + w.fabrikam.ID.String(), key: sal.APIKey, status: http.StatusOK, notWant: []string{`id="customer-pricebook"`}},
			{name: "ErrCustomerAdmin", path: "/console/customerinvoices", key: w.adminKey, status: http.StatusForbidden},
			{name: "ErrSignedOut", path: inv + ".pdf", status: http.StatusSeeOther, location: "/console/signin"},
		} {
			if sc.method == "" {
				sc.method = "GET"
			}
			t.Run(sc.name, func(t *testing.T) { MustScenario(t, srv, sc) })
		}
		if v, _ := w.app.PriceBook(ctx, ann, nil); v.Book.DefaultMarkupPercent.String() != "20" {
			t.Errorf("the sales agent's save changed the book")
		}
	})
}
