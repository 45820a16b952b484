package console

// The partner's invoices from Microsoft: the list, one invoice with its
// totals, its per-customer summary and its lines (licences or Azure
// usage), and the downloads: the invoice's reconciliation file, its
// statement PDF, and a month's unbilled file from the charges page.

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/invoicedoc"
	"github.com/opencsp/opencsp/internal/reconfile"
)

func (h *handler) routesInvoices() {
	h.mux.HandleFunc("GET /console/invoices", h.invoicesPage)
	h.mux.HandleFunc("GET /console/invoices/{number}", h.invoicePage)
	h.mux.HandleFunc("GET /console/invoices/{number}/reconciliation.csv", h.invoiceCSV)
	h.mux.HandleFunc("GET /console/invoices/{number}/statement.pdf", h.invoicePDF)
	h.mux.HandleFunc("GET /console/charges.csv", h.unbilledCSV)
}

type invoicesPage struct {
	layout
	Invoices []invoiceRow
	// NextClose is when the next month closes, for the empty list.
	NextClose string
	More      string
}

type invoiceRow struct {
	Number, Month, Date, Currency, Total string
	Licences, Usage                      int // line counts
}

func (h *handler) invoicesPage(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	after, err := decodeCursor(r.URL.Query().Get("continuation"), func(c string) bool { return c != "" })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	got, err := h.app.ListInvoices(ctx, p, app.Page[string]{After: after, Size: pageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := invoicesPage{layout: h.layout("Invoices", wh), NextClose: formatDateTime(billing.MonthOf(h.app.Now(ctx)).End())}
	for _, inv := range got.Items {
		page.Invoices = append(page.Invoices, invoiceRow{Number: inv.Number, Month: monthName(inv.Period), Date: formatDate(inv.Date),
			Currency: inv.Currency, Total: money(inv.Total().Total, inv.Currency), Licences: inv.Licence.Lines, Usage: inv.Usage.Lines})
	}
	if got.Next != nil {
		page.More = "/console/invoices?" + url.Values{"continuation": {encodeCursor(*got.Next)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "invoices", page)
}

type invoicePage struct {
	layout
	Number, Month, Date, Currency, Period string
	Subtotal, Tax, Total                  string
	LicenceLines, UsageLines              int
	Summary                               []summaryRow
	Usage                                 bool // the lines shown are the usage lines
	LicencesURL, UsageURL                 string
	Licences                              []invoiceLicenceRow
	UsageRows                             []invoiceUsageRow
	More                                  string
	CSV, PDF                              string // the downloads
}

type summaryRow struct {
	Customer, Kind       string
	Lines                int
	Subtotal, Tax, Total string
}

type invoiceLicenceRow struct {
	Date, Customer, Product, ChargeType, Period, Seats string
	Subtotal, Tax, Total                               string
}

type invoiceUsageRow struct {
	Day, Customer, Subscription, Resource, Meter string
	Quantity, UnitPrice, PEC, Amount             string
}

func (h *handler) invoicePage(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	number := strings.ToUpper(r.PathValue("number"))
	q := r.URL.Query()
	usage, err := linesQuery(q.Get("lines"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	after, err := decodeCursor(q.Get("continuation"), func(c int) bool { return c > 0 })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sum, err := h.app.SummarizeInvoice(ctx, p, number)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	inv := sum.Invoice
	base := "/console/invoices/" + url.PathEscape(inv.Number)
	total := inv.Total()
	page := invoicePage{layout: h.layout("Invoice "+inv.Number, wh), Number: inv.Number, Month: monthName(inv.Period), Date: formatDate(inv.Date),
		Currency: inv.Currency, Period: formatDate(inv.Period.Start()) + " to " + formatDate(inv.Period.LastDay()),
		Subtotal: money(total.Subtotal, inv.Currency), Tax: money(total.Tax, inv.Currency), Total: money(total.Total, inv.Currency),
		LicenceLines: inv.Licence.Lines, UsageLines: inv.Usage.Lines, Usage: usage,
		LicencesURL: base + "?lines=licences", UsageURL: base + "?lines=usage", PDF: base + "/statement.pdf"}
	page.CSV = base + "/reconciliation.csv?lines=licences"
	if usage {
		page.CSV = base + "/reconciliation.csv?lines=usage"
	}
	for _, row := range sum.Rows {
		kind := "Licences"
		if row.Usage {
			kind = "Azure usage"
		}
		page.Summary = append(page.Summary, summaryRow{Customer: row.Customer.DisplayName, Kind: kind, Lines: row.Totals.Lines,
			Subtotal: money(row.Totals.Subtotal, inv.Currency), Tax: money(row.Totals.Tax, inv.Currency), Total: money(row.Totals.Total, inv.Currency)})
	}
	var next *int
	if usage {
		got, err := h.app.InvoiceUsageLines(ctx, p, number, app.Page[int]{After: after, Size: pageSize})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, l := range got.Lines {
			pec := "no"
			if l.PECPercent.IsPositive() {
				pec = "yes (" + l.PECPercent.String() + "%)"
			}
			m := l.Rated.Meter
			page.UsageRows = append(page.UsageRows, invoiceUsageRow{Day: formatDate(l.Rated.UsageDate), Customer: l.Customer.DisplayName,
				Subscription: l.EntitlementName, Resource: resourceName(l.Rated.ResourceURI), Meter: m.Category + ", " + m.SubCategory + " " + m.Name + ", per " + m.Unit,
				Quantity: l.Rated.Quantity.String(), UnitPrice: l.Rated.UnitPrice.Currency + " " + l.EffectiveUnitPrice.String(),
				PEC: pec, Amount: money(l.Subtotal, inv.Currency)})
		}
		next = got.Next
	} else {
		got, err := h.app.InvoiceLines(ctx, p, number, app.Page[int]{After: after, Size: pageSize})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, l := range got.Lines {
			page.Licences = append(page.Licences, invoiceLicenceRow{Date: formatDate(l.PostedAt), Customer: l.Customer.DisplayName,
				Product: chargeProduct(l.Charge), ChargeType: chargeTitle(l.Charge), Period: formatDate(l.ChargeStart) + " to " + formatDate(l.ChargeEnd),
				Seats: l.BillableQuantity.String(), Subtotal: l.Subtotal.String(), Tax: l.TaxTotal.String(), Total: l.TotalForCustomer.String()})
		}
		next = got.Next
	}
	if next != nil {
		lines := "licences"
		if usage {
			lines = "usage"
		}
		page.More = base + "?" + url.Values{"lines": {lines}, "continuation": {encodeCursor(*next)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "invoice", page)
}

// invoiceCSV streams an invoice's reconciliation file: its licence lines
// (the new-commerce file) or its usage lines (the daily rated usage file).
func (h *handler) invoiceCSV(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	usage, err := linesQuery(r.URL.Query().Get("lines"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newCSVDownload(w, number, usage)
	h.finishCSV(w, r, f, h.app.InvoiceReconciliation(r.Context(), p, number, usage, f.start))
}

// unbilledCSV streams a month's unbilled lines in one currency.
func (h *handler) unbilledCSV(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	usage, err := linesQuery(q.Get("lines"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	month := billing.MonthOf(h.app.Now(ctx))
	if s := q.Get("month"); s != "" {
		if month, err = billing.ParseMonth(s); err != nil {
			h.fail(w, r, csp.Errorf(csp.EInvalidQuery, "Choose the month as year and month, for example 2026-01."))
			return
		}
	}
	currency := strings.ToUpper(q.Get("currency"))
	if len(currency) != 3 {
		h.fail(w, r, csp.Errorf(csp.EInvalidQuery, "Choose the currency of the file, for example USD: the charges page links one file per currency."))
		return
	}
	f := newCSVDownload(w, "unbilled-"+month.Start().Format("2006-01")+"-"+currency, usage)
	h.finishCSV(w, r, f, h.app.UnbilledReconciliation(ctx, p, currency, month.Start(), month.End(), usage, f.start))
}

// csvDownload starts the file once the app has read its first page, so a
// refusal before it is still the console's error page.
type csvDownload struct {
	w    http.ResponseWriter
	out  *reconfile.Writer
	name string
	kind reconfile.Kind
}

func newCSVDownload(w http.ResponseWriter, name string, usage bool) *csvDownload {
	f := &csvDownload{w: w, name: name + "-licences.csv", kind: reconfile.Licence}
	if usage {
		f.name, f.kind = name+"-usage.csv", reconfile.Usage
	}
	return f
}

func (f *csvDownload) start() *reconfile.Writer {
	hd := f.w.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="`+f.name+`"`)
	hd.Set("Cache-Control", "no-store")
	f.w.WriteHeader(http.StatusOK)
	f.out = reconfile.NewWriter(f.w, f.kind)
	return f.out
}

// finishCSV answers a refusal before the file started; after rows are out
// the connection is cut, so the browser reports a failed download rather
// than keeping a short file.
func (h *handler) finishCSV(w http.ResponseWriter, r *http.Request, f *csvDownload, err error) {
	if err == nil {
		return
	}
	if f.out == nil {
		h.fail(w, r, err)
		return
	}
	panic(http.ErrAbortHandler)
}

// invoicePDF answers the invoice's statement: its totals per customer and
// kind of line, as the API's statement document.
func (h *handler) invoicePDF(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	sum, err := h.app.SummarizeInvoice(r.Context(), p, strings.ToUpper(r.PathValue("number")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	inv := sum.Invoice
	st := invoicedoc.StatementOf(inv, sum.Partner)
	for _, row := range sum.Rows {
		st.AddRow(row.Customer.DisplayName, row.Usage, row.Totals)
	}
	var b bytes.Buffer
	if err := invoicedoc.StatementPDF(&b, st); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+inv.Number+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

// linesQuery reads which lines a page or file holds: licences (the
// default) or usage.
func linesQuery(s string) (usage bool, err error) {
	switch s {
	case "", "licences":
		return false, nil
	case "usage":
		return true, nil
	}
	return false, csp.Errorf(csp.EInvalidQuery, "Choose the lines as licences or usage.")
}

// monthName is "January 2026".
func monthName(m billing.Month) string { return m.Start().Format("January 2006") }

// money is an amount in its currency, to the cent: "USD 254.10".
func money(d decimal.Decimal, currency string) string { return csp.NewMoney(d, currency).String() }

// resourceName is the last segment of a resource id: the machine's name.
func resourceName(uri string) string {
	if i := strings.LastIndexByte(uri, '/'); i >= 0 && i < len(uri)-1 {
		return uri[i+1:]
	}
	return uri
}
