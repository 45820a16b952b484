package console

// The partner's invoices to its customers, as the month close issues them
// from the price books: the list, one invoice with its lines and its
// documents (the API's HTML, CSV and PDF), and a month's profit per
// customer and per product.

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/invoicedoc"
)

func (h *handler) routesCustomerInvoices() {
	h.mux.HandleFunc("GET /console/customerinvoices", h.customerInvoicesPage)
	h.mux.HandleFunc("GET /console/customerinvoices/{id}", h.customerInvoice)
	h.mux.HandleFunc("GET /console/profit", h.profitPage)
	h.mux.HandleFunc("GET /console/costs", h.costsPage)
}

// costsPage is an indirect reseller's costs: the invoices its provider sent
// it, newest first (decision 186).
func (h *handler) costsPage(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	after, err := decodeCursor(q.Get("continuation"), func(c string) bool { return c != "" })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	got, err := h.app.ResellerCosts(r.Context(), p, "", app.Page[string]{After: after, Size: pageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := customerInvoicesPage{layout: h.layout("Costs", wh)}
	for _, inv := range got.Items {
		page.Invoices = append(page.Invoices, customerInvoiceRow{ID: inv.ID.String(), Number: inv.Number, Month: periodName(inv.Period), Currency: inv.Currency,
			Subtotal: money(inv.Subtotal, inv.Currency), Tax: money(inv.Tax, inv.Currency), Total: money(inv.Total, inv.Currency)})
	}
	if got.Next != nil {
		page.More = "/console/costs?" + url.Values{"continuation": {encodeCursor(*got.Next)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "costs", page)
}

type customerInvoicesPage struct {
	layout
	Period   string // the month filter, YYYY-MM or ""
	Customer string // the customer filter's id or ""
	// Customers are the filter's choices: the partner's customers.
	Customers []customerChoice
	Invoices  []customerInvoiceRow
	More      string
}

type customerChoice struct {
	ID, Name string
	Selected bool
}

type customerInvoiceRow struct {
	ID, Number, Customer, Month, Currency string
	Subtotal, Tax, Total, Cost, Profit    string
}

func (h *handler) customerInvoicesPage(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	query := app.CustomerInvoiceQuery{Period: strings.TrimSpace(q.Get("period"))}
	if _, err := billing.ParseMonth(query.Period); query.Period != "" && err != nil {
		h.fail(w, r, csp.Errorf(csp.EInvalidQuery, "Choose the month as year and month, for example 2026-01."))
		return
	}
	customer := strings.TrimSpace(q.Get("customer"))
	cid, err := optionalID(customer, csp.Errorf(csp.ECustomerNotFound, "customer %q was not found among this partner's customers", customer))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	query.CustomerID = cid
	after, err := decodeCursor(q.Get("continuation"), func(c string) bool { return c != "" })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	got, err := h.app.ListCustomerInvoices(ctx, p, query, app.Page[string]{After: after, Size: pageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := customerInvoicesPage{layout: h.layout("Customer invoices", wh), Period: query.Period, Customer: customer}
	// The filter offers the partner's first customers; a customer past
	// them is still filtered by its id in the address.
	cs, err := h.app.ListCustomers(ctx, p, app.CustomerQuery{}, app.Page[app.CustomerCursor]{Size: app.MaxPageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	names := map[uuid.UUID]string{}
	for _, c := range cs.Items {
		names[c.Tenant.ID] = c.Tenant.DisplayName
		page.Customers = append(page.Customers, customerChoice{ID: c.Tenant.ID.String(), Name: c.Tenant.DisplayName, Selected: cid != nil && *cid == c.Tenant.ID})
	}
	for _, inv := range got.Items {
		name := names[inv.TenantID]
		if inv.ImportID != nil {
			name = inv.CustomerName
		}
		if name == "" {
			name = inv.TenantID.String()
		}
		page.Invoices = append(page.Invoices, customerInvoiceRow{ID: inv.ID.String(), Number: inv.Number, Customer: name, Month: periodName(inv.Period),
			Currency: inv.Currency, Subtotal: money(inv.Subtotal, inv.Currency), Tax: money(inv.Tax, inv.Currency), Total: money(inv.Total, inv.Currency),
			Cost: money(inv.Cost, inv.Currency), Profit: money(inv.Profit, inv.Currency)})
	}
	if got.Next != nil {
		v := url.Values{"continuation": {encodeCursor(*got.Next)}}
		if query.Period != "" {
			v.Set("period", query.Period)
		}
		if customer != "" {
			v.Set("customer", customer)
		}
		page.More = "/console/customerinvoices?" + v.Encode()
	}
	h.render(w, r, http.StatusOK, "customerinvoices", page)
}

// periodName is "January 2026" for "2026-01", the period itself when it
// is not a month.
func periodName(period string) string {
	m, err := billing.ParseMonth(period)
	if err != nil {
		return period
	}
	return monthName(m)
}

type customerInvoicePage struct {
	layout
	Number, Customer, Month, Currency, Issued, Period string
	Subtotal, Tax, Total, Cost, Profit                string
	MicrosoftInvoice                                  string
	Lines                                             []customerLineRow
	HTML, CSV, PDF                                    string // the documents
}

type customerLineRow struct {
	Description, Quantity, UnitPrice, Amount, Tax string
	Cost, Profit, Rule, Promotion                 string
}

// customerInvoice answers GET /console/customerinvoices/{id}: the page,
// or with .html, .csv or .pdf the document.
func (h *handler) customerInvoice(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	raw, format := r.PathValue("id"), ""
	for _, f := range []string{"html", "csv", "pdf"} {
		if s, ok := strings.CutSuffix(raw, "."+f); ok {
			raw, format = s, f
		}
	}
	notFound := csp.Errorf(csp.ECustomerInvoiceNotFound, "customer invoice %q was not found", raw)
	id, err := uuid.Parse(raw)
	if err != nil {
		h.fail(w, r, notFound)
		return
	}
	v, err := h.app.GetCustomerInvoice(r.Context(), p, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if format != "" {
		h.customerInvoiceDocument(w, r, v, format)
		return
	}
	wh, err := h.partnerWho(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	inv := v.Invoice
	cur := inv.Currency
	base := "/console/customerinvoices/" + inv.ID.String()
	page := customerInvoicePage{layout: h.layout("Customer invoice "+inv.Number, wh), Number: inv.Number, Customer: v.Customer.DisplayName,
		Month: periodName(inv.Period), Currency: cur, Issued: formatDate(inv.IssuedAt), MicrosoftInvoice: inv.MicrosoftInvoice,
		Subtotal: money(inv.Subtotal, cur), Tax: money(inv.Tax, cur), Total: money(inv.Total, cur), Cost: money(inv.Cost, cur), Profit: money(inv.Profit, cur),
		HTML: base + ".html", CSV: base + ".csv", PDF: base + ".pdf"}
	if m, err := billing.ParseMonth(inv.Period); err == nil {
		page.Period = formatDate(m.Start()) + " to " + formatDate(m.LastDay())
	}
	for _, l := range v.Lines {
		page.Lines = append(page.Lines, customerLineRow{Description: l.Line.Description, Quantity: l.Line.Cost.BillableQuantity.String(),
			UnitPrice: cur + " " + unitPriceText(l.Line), Amount: money(l.Line.Amount.Amount, cur), Tax: money(l.Tax, cur),
			Cost: money(l.Line.Cost.CostAmount().Amount, cur), Profit: money(l.Line.Profit.Amount, cur), Rule: l.Line.Rule, Promotion: l.Line.Promotion})
	}
	h.render(w, r, http.StatusOK, "customerinvoice", page)
}

// unitPriceText is a line's unit price as the documents print it: 2
// decimals, or all of them past 2 (a meter's price).
func unitPriceText(l pricebook.CustomerLine) string {
	d := l.UnitPrice.Amount
	if d.Equal(d.Truncate(2)) {
		return d.StringFixed(2)
	}
	return d.String()
}

// customerInvoiceDocument renders the invoice whole as the API's document
// of the format before a byte is sent; the HTML opens in the browser, the
// others download.
func (h *handler) customerInvoiceDocument(w http.ResponseWriter, r *http.Request, v *app.CustomerInvoiceView, format string) {
	d, err := invoicedoc.FromIssued(v.Partner, v.Customer, v.Invoice, v.Lines)
	var b bytes.Buffer
	if err == nil {
		switch format {
		case "pdf":
			err = invoicedoc.PDF(&b, d)
		case "csv":
			err = invoicedoc.CSV(&b, d)
		default:
			err = invoicedoc.HTML(&b, d)
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", map[string]string{"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8"}[format])
	hd.Set("Cache-Control", "no-store")
	if format != "html" {
		hd.Set("Content-Disposition", `attachment; filename="`+v.Invoice.Number+"."+format+`"`)
	}
	_, _ = w.Write(b.Bytes())
}

type profitPage struct {
	layout
	Month, MonthName string
	Previous, Next   string
	Customers        []profitRow
	Products         []profitRow
	Totals           []profitRow
}

type profitRow struct {
	Name, Invoices, Currency, Amount, Cost, Profit string
}

func totalRow(name string, t pricebook.Total) profitRow {
	cur := t.Amount.Currency
	return profitRow{Name: name, Currency: cur, Amount: money(t.Amount.Amount, cur), Cost: money(t.Cost.Amount, cur), Profit: money(t.Profit.Amount, cur)}
}

func (h *handler) profitPage(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	// The default month is the last one closed: the current month has no
	// customer invoice yet.
	month := billing.MonthOf(h.app.Now(ctx)).Start().AddDate(0, -1, 0)
	if s := r.URL.Query().Get("period"); s != "" {
		var err error
		if month, err = time.Parse("2006-01", s); err != nil {
			h.fail(w, r, csp.Errorf(csp.EInvalidQuery, "Choose the month as year and month, for example 2026-01."))
			return
		}
	}
	rep, err := h.app.CustomerInvoiceProfit(ctx, p, month.Format("2006-01"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	link := func(m time.Time) string {
		return "/console/profit?" + url.Values{"period": {m.Format("2006-01")}}.Encode()
	}
	page := profitPage{layout: h.layout("Profit", wh), Month: month.Format("2006-01"), MonthName: month.Format("January 2006"),
		Previous: link(month.AddDate(0, -1, 0)), Next: link(month.AddDate(0, 1, 0))}
	for _, c := range rep.Customers {
		row := totalRow(c.CustomerName, c.Total)
		row.Invoices = strings.Join(c.Invoices, ", ")
		page.Customers = append(page.Customers, row)
	}
	for _, pt := range rep.Products {
		page.Products = append(page.Products, totalRow(pt.Offer, pt.Total))
	}
	for _, t := range rep.Totals {
		page.Totals = append(page.Totals, totalRow(t.Amount.Currency, t))
	}
	h.render(w, r, http.StatusOK, "profit", page)
}
