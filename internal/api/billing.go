package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/invoicedoc"
	"github.com/opencsp/opencsp/internal/openapi"
)

// Microsoft's invoices to a partner (Partner Center's /v1/invoices) and the
// operator's exchange and tax rates they use (DESIGN.md "Billing").

var billingDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/invoices", Tag: "Invoices", Paged: true,
		Summary: "The partner's invoices from Microsoft, newest first", Responses: openapi.OK(collection[invoiceJSON]{})},
	{Method: http.MethodGet, Path: "/v1/invoices/{invoice-id}", Tag: "Invoices",
		Summary: "One invoice: its month, currency and total", Responses: openapi.OK(invoiceJSON{})},
	{Method: http.MethodGet, Path: "/v1/invoices/{invoice-id}/lineitems", Tag: "Invoices", Paged: true,
		Summary: "An invoice's billed line items: licence charges or Azure daily rated usage",
		Query: []openapi.Param{{Name: "provider", Required: true, Enum: []string{"onetime"}}, {Name: "invoiceLineItemType", Required: true, Enum: []string{"billinglineitems", "usagelineitems"}},
			{Name: "currencyCode", Description: "The invoice's currency (another answers 4627)."}},
		Responses: openapi.OK(unbilledLinesDoc{})},
	{Method: http.MethodGet, Path: "/v1/invoices/{invoice-id}/documents/statement", Tag: "Invoices",
		Summary: "An invoice's statement (PDF): its totals per customer and kind of charge", Responses: openapi.File("application/pdf")},
	{Method: http.MethodPut, Path: "/admin/v1/exchangeRates", Tag: "Billing rates",
		Summary:     "Set a month's exchange rates: each currency's value in US dollars",
		Description: "The month's billing run converts each line from its pricing currency to the partner's billing currency at rate(pricing) ÷ rate(billing), 6 decimals. A currency without a rate for the month takes the latest earlier month's, else the built-in default.",
		Body:        exchangeRatesBody{}, Responses: openapi.OK(exchangeRatesJSON{})},
	{Method: http.MethodGet, Path: "/admin/v1/exchangeRates", Tag: "Billing rates", Summary: "The exchange rates a month's billing run uses",
		Query: []openapi.Param{{Name: "month", Required: true, Description: "YYYY-MM"}}, Responses: openapi.OK(exchangeRatesJSON{})},
	{Method: http.MethodPut, Path: "/admin/v1/taxRates", Tag: "Billing rates", Summary: "Set tax rates by customer country",
		Description: "{\"DE\": \"0.19\"}: a line's tax is ROUND_HALF_AWAY(subtotal × rate, 2); countries without a rate are taxed 0.",
		Body:        map[string]string{}, Responses: openapi.OK(map[string]json.Number{})},
	{Method: http.MethodGet, Path: "/admin/v1/taxRates", Tag: "Billing rates", Summary: "The tax rates set, by customer country", Responses: openapi.OK(map[string]json.Number{})},
}

// invoiceJSON is Partner Center's Invoice resource.
type invoiceJSON struct {
	ID                     string              `json:"id"`
	InvoiceDate            time.Time           `json:"invoiceDate"`
	BillingPeriodStartDate time.Time           `json:"billingPeriodStartDate"`
	BillingPeriodEndDate   time.Time           `json:"billingPeriodEndDate"`
	TotalCharges           json.Number         `json:"totalCharges"`
	PaidAmount             json.Number         `json:"paidAmount"`
	CurrencyCode           string              `json:"currencyCode"`
	CurrencySymbol         string              `json:"currencySymbol"`
	InvoiceDetails         []invoiceDetailJSON `json:"invoiceDetails"`
	Amendments             []any               `json:"amendments"`
	DocumentType           string              `json:"documentType"`
	InvoiceType            string              `json:"invoiceType"`
	TaxReceipts            []any               `json:"taxReceipts"`
	PDFDownloadLink        string              `json:"pdfDownloadLink,omitempty"`
	Links                  map[string]link     `json:"links"`
	Attributes             map[string]string   `json:"attributes"`
}

// invoiceDetailJSON names one kind of an invoice's lines and where they are.
type invoiceDetailJSON struct {
	InvoiceLineItemType string            `json:"invoiceLineItemType"`
	BillingProvider     string            `json:"billingProvider"`
	Links               map[string]link   `json:"links"`
	Attributes          map[string]string `json:"attributes"`
}

func invoiceResource(inv *billing.Invoice) invoiceJSON {
	self := "/invoices/" + inv.Number
	symbol := currencySymbols[inv.Currency]
	if symbol == "" {
		symbol = inv.Currency
	}
	detail := func(lineType, query string, n int) invoiceDetailJSON {
		return invoiceDetailJSON{InvoiceLineItemType: lineType, BillingProvider: "one_time",
			Links:      map[string]link{"self": {URI: self + "/lineitems?provider=onetime&invoiceLineItemType=" + query + "&currencyCode=" + inv.Currency, Method: http.MethodGet, Headers: []header{}}},
			Attributes: map[string]string{"objectType": "InvoiceDetail", "lineItemCount": fmt.Sprint(n)}}
	}
	return invoiceJSON{ID: inv.Number, InvoiceDate: inv.Date, BillingPeriodStartDate: inv.Period.Start(), BillingPeriodEndDate: inv.Period.LastDay(),
		TotalCharges: money(inv.Total().Total), PaidAmount: "0.00", CurrencyCode: inv.Currency, CurrencySymbol: symbol,
		InvoiceDetails: []invoiceDetailJSON{detail("billing_line_items", "billinglineitems", inv.Licence.Lines), detail("usage_line_items", "usagelineitems", inv.Usage.Lines)},
		Amendments:     []any{}, DocumentType: "Invoice", InvoiceType: "one_time", TaxReceipts: []any{},
		Links: map[string]link{"self": {URI: self, Method: http.MethodGet, Headers: []header{}}}, Attributes: attrs("Invoice")}
}

func (s *Server) billingRoutes(r interface {
	Get(string, http.HandlerFunc)
}) {
	r.Get("/invoices", s.listInvoices)
	r.Get("/invoices/{invoiceId}", s.getInvoice)
	r.Get("/invoices/{invoiceId}/lineitems", s.invoiceLineItems)
	r.Get("/invoices/{invoiceId}/reconciliation", s.invoiceReconciliation)
	r.Get("/invoices/{invoiceId}/documents/statement", s.invoiceStatement)
	r.Get("/invoices/unbilled/reconciliation", s.unbilledReconciliation)
}

func (s *Server) listInvoices(w http.ResponseWriter, r *http.Request) {
	pg, err := page[string](r, "invoices", app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.ListInvoices(r.Context(), principal(r), pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]invoiceJSON, len(got.Items))
	for i, inv := range got.Items {
		items[i] = invoiceResource(inv)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/invoices", nextToken("invoices", got.Next)))
}

func (s *Server) getInvoice(w http.ResponseWriter, r *http.Request) {
	inv, err := s.app.GetInvoice(r.Context(), principal(r), strings.ToUpper(chi.URLParam(r, "invoiceId")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := invoiceResource(inv)
	// Only an invoice read by its id names its PDF, as Partner Center.
	out.PDFDownloadLink = "/v1/invoices/" + inv.Number + "/documents/statement"
	writeJSON(w, http.StatusOK, out)
}

// invoiceStatement answers an invoice's statement as a PDF: its totals per
// customer and kind of line.
func (s *Server) invoiceStatement(w http.ResponseWriter, r *http.Request) {
	sum, err := s.app.SummarizeInvoice(r.Context(), principal(r), strings.ToUpper(chi.URLParam(r, "invoiceId")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	inv := sum.Invoice
	st := invoicedoc.StatementOf(inv, sum.Partner)
	for _, row := range sum.Rows {
		st.AddRow(row.Customer.DisplayName, row.Usage, row.Totals)
	}
	var b bytes.Buffer
	if err := invoicedoc.StatementPDF(&b, st); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+inv.Number+`.pdf"`)
	_, _ = w.Write(b.Bytes())
}

func (s *Server) invoiceLineItems(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(chi.URLParam(r, "invoiceId"))
	q := r.URL.Query()
	if p := strings.ToLower(q.Get("provider")); p != "onetime" {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "provider %q is not available: use provider=onetime (new-commerce invoices)", q.Get("provider")))
		return
	}
	lineType := strings.ToLower(q.Get("invoiceLineItemType"))
	if lineType != "billinglineitems" && lineType != "usagelineitems" {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "invoiceLineItemType %q is not available: use billinglineitems (licence charges) or usagelineitems (Azure daily rated usage)", q.Get("invoiceLineItemType")))
		return
	}
	kind := "invoice:" + number + ":" + lineType
	pg, err := page[int](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	self := "/invoices/" + number + "/lineitems?" + r.URL.RawQuery
	currency := strings.ToUpper(q.Get("currencyCode"))
	check := func(inv *billing.Invoice) bool {
		if currency != "" && currency != inv.Currency {
			writeError(w, r, csp.Errorf(csp.EInvoiceCurrency, "invoice %s is in %s, not %s: leave currencyCode out or name the invoice's", inv.Number, inv.Currency, currency).
				WithData("field=currencyCode"))
			return false
		}
		return true
	}
	if lineType == "usagelineitems" {
		got, err := s.app.InvoiceUsageLines(r.Context(), principal(r), number, pg)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if !check(got.Invoice) {
			return
		}
		items := make([]usageLineJSON, len(got.Lines))
		for i, l := range got.Lines {
			items[i] = billedUsageLineOf(got, l)
		}
		writeJSON(w, http.StatusOK, newCollection(items, self, nextToken(kind, got.Next)))
		return
	}
	got, err := s.app.InvoiceLines(r.Context(), principal(r), number, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !check(got.Invoice) {
		return
	}
	items := make([]reconLineJSON, len(got.Lines))
	for i, l := range got.Lines {
		items[i] = reconLineResource(got.Partner, l)
	}
	writeJSON(w, http.StatusOK, newCollection(items, self, nextToken(kind, got.Next)))
}

// billedUsageLineOf is an invoice's usage line as Partner Center's daily
// rated usage line: billed in the invoice's currency.
func billedUsageLineOf(pg *app.InvoiceUsagePage, l app.BilledUsageLine) usageLineJSON {
	m := pg.Invoice.Period
	rated := &app.RatedUsagePage{Partner: pg.Partner}
	out := usageLineOf(rated, app.RatedUsageLine{RatedLine: l.Rated, Customer: l.Customer, Plan: l.Plan, Entitlement: l.Entitlement}, m.Start(), m.End())
	out.InvoiceNumber = pg.Invoice.Number
	out.EffectiveUnitPrice = unitPrice(l.EffectiveUnitPrice)
	out.PricingPreTaxTotal, out.BillingPreTaxTotal, out.BillingCurrency = money(l.PricingPreTax), money(l.Subtotal), pg.Invoice.Currency
	out.PCToBCExchangeRate, out.PCToBCExchangeRateDate = json.Number(l.Rate.String()), m.Start()
	out.HasPartnerEarnedCredit, out.RateOfPartnerEarnedCredit = l.PECPercent.IsPositive(), json.Number(l.PECPercent.Div(decimal.NewFromInt(100)).String())
	return out
}

// exchangeRatesBody is a month's rates.
type exchangeRatesBody struct {
	Month string            `json:"month" description:"YYYY-MM"`
	Rates map[string]string `json:"rates" description:"currency → value of one unit in US dollars, as a decimal string"`
}

// exchangeRatesJSON is the rates a month uses, and where each comes from.
type exchangeRatesJSON struct {
	Month      string                 `json:"month"`
	Rates      map[string]json.Number `json:"rates"`
	SetInMonth map[string]string      `json:"setInMonth" description:"currency → the month whose rate applies; absent for a built-in default"`
	Attributes map[string]string      `json:"attributes"`
}

func exchangeRatesResource(set app.ExchangeRateSet) exchangeRatesJSON {
	out := exchangeRatesJSON{Month: set.Month.String(), Rates: map[string]json.Number{"USD": "1"}, SetInMonth: set.SetIn, Attributes: attrs("ExchangeRates")}
	for c, v := range set.Rates {
		out.Rates[c] = json.Number(v.String())
	}
	if out.SetInMonth == nil {
		out.SetInMonth = map[string]string{}
	}
	return out
}

func (s *Server) putExchangeRates(w http.ResponseWriter, r *http.Request) {
	var b exchangeRatesBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.SetExchangeRates(r.Context(), principal(r), b.Month, b.Rates)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, exchangeRatesResource(got))
}

func (s *Server) getExchangeRates(w http.ResponseWriter, r *http.Request) {
	got, err := s.app.ExchangeRates(r.Context(), principal(r), r.URL.Query().Get("month"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, exchangeRatesResource(got))
}

func taxRatesResource(rates map[string]decimal.Decimal) map[string]json.Number {
	out := map[string]json.Number{}
	for c, v := range rates {
		out[c] = json.Number(v.String())
	}
	return out
}

func (s *Server) putTaxRates(w http.ResponseWriter, r *http.Request) {
	var b map[string]string
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.SetTaxRates(r.Context(), principal(r), b)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, taxRatesResource(got))
}

func (s *Server) getTaxRates(w http.ResponseWriter, r *http.Request) {
	got, err := s.app.TaxRates(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, taxRatesResource(got))
}
