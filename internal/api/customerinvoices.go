package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/invoicedoc"
	"github.com/opencsp/opencsp/internal/openapi"
)

// The partner's invoices to its customers (OpenCSP additions), issued by
// the month close, their documents and the partner's profit on them.

var customerInvoicesDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/resellercosts/{customer-invoice-id}", Tag: "Customer invoices",
		Summary:   "One of an indirect reseller's invoices from its provider, with its lines (without the provider's cost and profit)",
		Responses: openapi.OK(customerInvoiceJSON{})},
	{Method: http.MethodGet, Path: "/v1/resellercosts", Tag: "Customer invoices", Paged: true,
		Summary:     "An indirect reseller's costs: the invoices its provider sent it, newest first",
		Description: "One per month and currency, from the provider's Microsoft invoice lines bought for the reseller, priced by the provider's book; each line names the customer it is for (endCustomerId). Other partners: 403 (1110).",
		Query:       []openapi.Param{{Name: "period", Description: "One month's: YYYY-MM."}},
		Responses:   openapi.OK(collection[customerInvoiceJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customerinvoices", Tag: "Customer invoices", Paged: true,
		Summary:   "The partner's invoices to its customers, newest first",
		Query:     []openapi.Param{{Name: "customerId", Description: "One customer's (a GUID)."}, {Name: "period", Description: "One month's: YYYY-MM."}},
		Responses: openapi.OK(collection[customerInvoiceJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customerinvoices/profit", Tag: "Customer invoices",
		Summary:     "What a month's customer invoices sell, cost and earn, per customer and per product",
		Description: "Amounts are before tax; cost is what Microsoft bills the partner for the lines (nothing for its own services); profit is amount − cost.",
		Query:       []openapi.Param{{Name: "period", Required: true, Description: "YYYY-MM"}}, Responses: openapi.OK(profitJSON{})},
	{Method: http.MethodGet, Path: "/v1/customerinvoices/{customer-invoice-id}", Tag: "Customer invoices",
		Summary: "One customer invoice with its lines", Responses: openapi.OK(customerInvoiceJSON{})},
	{Method: http.MethodGet, Path: "/v1/customerinvoices/{customer-invoice-id}.pdf", Tag: "Customer invoices", Summary: "A customer invoice as a PDF",
		Responses: []openapi.Response{{Status: http.StatusOK, ContentType: "application/pdf", Description: "The invoice's document."}}},
	{Method: http.MethodGet, Path: "/v1/customerinvoices/{customer-invoice-id}.csv", Tag: "Customer invoices", Summary: "A customer invoice's lines as CSV",
		Responses: []openapi.Response{{Status: http.StatusOK, ContentType: "text/csv", Description: "A header and one row per line."}}},
	{Method: http.MethodGet, Path: "/v1/customerinvoices/{customer-invoice-id}.html", Tag: "Customer invoices", Summary: "A customer invoice as a printable HTML page",
		Responses: []openapi.Response{{Status: http.StatusOK, ContentType: "text/html", Description: "Self-contained: no script, no external asset."}}},
}

// customerInvoiceJSON is a customer invoice; its lines only when read by id.
type customerInvoiceJSON struct {
	ID                 string             `json:"id"`
	Number             string             `json:"number"`
	CustomerID         string             `json:"customerId"`
	CustomerName       string             `json:"customerName,omitempty"`
	ImportID           string             `json:"importId,omitempty" description:"the import it was made from (POST /v1/imports/reconciliation)"`
	Period             string             `json:"period"`
	CurrencyCode       string             `json:"currencyCode"`
	IssuedAt           time.Time          `json:"issuedAt"`
	MicrosoftInvoiceID string             `json:"microsoftInvoiceId,omitempty" description:"the partner's invoice from Microsoft its lines come from; absent for own services only"`
	Subtotal           json.Number        `json:"subtotal"`
	TaxTotal           json.Number        `json:"taxTotal"`
	Total              json.Number        `json:"total"`
	Cost               json.Number        `json:"cost,omitempty" description:"absent on a reseller's costs (its provider's cost is not its)"`
	Profit             json.Number        `json:"profit,omitempty"`
	LineCount          int                `json:"lineCount"`
	LineItems          []customerLineJSON `json:"lineItems,omitempty"`
	Links              map[string]link    `json:"links"`
	Attributes         map[string]string  `json:"attributes"`
}

// customerLineJSON is one line of a customer invoice.
type customerLineJSON struct {
	Seq                int         `json:"seq"`
	Description        string      `json:"description"`
	ProductID          string      `json:"productId"`
	SkuID              string      `json:"skuId"`
	ProductName        string      `json:"productName"`
	ChargeType         string      `json:"chargeType"`
	ChargeStartDate    time.Time   `json:"chargeStartDate"`
	ChargeEndDate      time.Time   `json:"chargeEndDate"`
	Quantity           json.Number `json:"quantity"`
	UnitPrice          json.Number `json:"unitPrice" description:"before proration and promotion"`
	EffectiveUnitPrice json.Number `json:"effectiveUnitPrice"`
	Amount             json.Number `json:"amount"`
	TaxTotal           json.Number `json:"taxTotal"`
	Cost               json.Number `json:"cost,omitempty" description:"absent on a reseller's costs (its provider's cost is not its)"`
	Profit             json.Number `json:"profit,omitempty"`
	PricingRule        string      `json:"pricingRule" description:"markup 20%, margin 25%, fixed 25.00 or own service"`
	Promotion          string      `json:"promotion,omitempty"`
	PromotionID        string      `json:"promotionId,omitempty"`
	ChargeID           string      `json:"chargeId,omitempty" description:"the ledger charge it bills"`
	UsageInvoiceID     string      `json:"usageInvoiceId,omitempty" description:"with usageLineSeq: the Microsoft invoice's usage line it bills"`
	UsageLineSeq       int         `json:"usageLineSeq,omitempty"`
}

func customerInvoiceResource(inv *pricebook.Issued) customerInvoiceJSON {
	self := "/customerinvoices/" + inv.ID.String()
	links := map[string]link{"self": {URI: self, Method: http.MethodGet, Headers: []header{}}}
	for _, f := range []string{"pdf", "csv", "html"} {
		links[f] = link{URI: self + "." + f, Method: http.MethodGet, Headers: []header{}}
	}
	out := customerInvoiceJSON{ID: inv.ID.String(), Number: inv.Number, CustomerID: inv.TenantID.String(), Period: inv.Period, CurrencyCode: inv.Currency,
		IssuedAt: inv.IssuedAt, MicrosoftInvoiceID: inv.MicrosoftInvoice, Subtotal: money(inv.Subtotal), TaxTotal: money(inv.Tax), Total: money(inv.Total),
		Cost: money(inv.Cost), Profit: money(inv.Profit), LineCount: inv.Lines, Links: links, Attributes: attrs("CustomerInvoice")}
	if inv.ImportID != nil { // a customer of an imported file, as the file names it
		out.CustomerName, out.ImportID = inv.CustomerName, inv.ImportID.String()
	}
	return out
}

// listPrice is a unit price as the documents print it: 2 decimals, or all
// of them past 2 (a meter's price).
func listPrice(d decimal.Decimal) json.Number {
	if d.Equal(d.Truncate(2)) {
		return json.Number(d.StringFixed(2))
	}
	return json.Number(d.String())
}

func customerLineResource(l pricebook.IssuedLine) customerLineJSON {
	c := l.Line.Cost
	out := customerLineJSON{Seq: l.Seq, Description: l.Line.Description, ProductID: c.ProductID, SkuID: c.SkuID, ProductName: c.ProductName,
		ChargeType: string(c.ChargeType), ChargeStartDate: c.ChargeStart, ChargeEndDate: c.ChargeEnd, Quantity: json.Number(c.BillableQuantity.String()),
		UnitPrice: listPrice(l.Line.UnitPrice.Amount), EffectiveUnitPrice: unitPrice(l.Line.EffectiveUnitPrice.Amount), Amount: money(l.Line.Amount.Amount),
		TaxTotal: money(l.Tax), Cost: money(c.CostAmount().Amount), Profit: money(l.Line.Profit.Amount), PricingRule: l.Line.Rule,
		Promotion: l.Line.Promotion, PromotionID: l.Line.PromotionID, UsageInvoiceID: l.UsageInvoice, UsageLineSeq: l.UsageSeq}
	if l.ChargeID != nil {
		out.ChargeID = l.ChargeID.String()
	}
	return out
}

// profitJSON is a month's profit report.
type profitJSON struct {
	Period     string               `json:"period"`
	Customers  []customerProfitJSON `json:"customers"`
	Products   []productProfitJSON  `json:"products"`
	Totals     []totalJSON          `json:"totals"`
	Attributes map[string]string    `json:"attributes"`
}

type totalJSON struct {
	CurrencyCode string      `json:"currencyCode"`
	Amount       json.Number `json:"amount"`
	Cost         json.Number `json:"cost"`
	Profit       json.Number `json:"profit"`
}

type customerProfitJSON struct {
	CustomerID   string   `json:"customerId"`
	CustomerName string   `json:"customerName"`
	InvoiceIDs   []string `json:"invoiceNumbers"`
	totalJSON
}

type productProfitJSON struct {
	ProductID string `json:"productId"`
	SkuID     string `json:"skuId"`
	totalJSON
}

func totalResource(t pricebook.Total) totalJSON {
	return totalJSON{CurrencyCode: t.Amount.Currency, Amount: money(t.Amount.Amount), Cost: money(t.Cost.Amount), Profit: money(t.Profit.Amount)}
}

func profitResource(r *app.ProfitReport) profitJSON {
	out := profitJSON{Period: r.Period, Customers: []customerProfitJSON{}, Products: []productProfitJSON{}, Totals: []totalJSON{}, Attributes: attrs("CustomerInvoiceProfit")}
	for _, c := range r.Customers {
		out.Customers = append(out.Customers, customerProfitJSON{CustomerID: c.CustomerID.String(), CustomerName: c.CustomerName, InvoiceIDs: c.Invoices,
			totalJSON: totalResource(c.Total)})
	}
	for _, p := range r.Products {
		product, sku, _ := strings.Cut(p.Offer, ":")
		out.Products = append(out.Products, productProfitJSON{ProductID: product, SkuID: sku, totalJSON: totalResource(p.Total)})
	}
	for _, t := range r.Totals {
		out.Totals = append(out.Totals, totalResource(t))
	}
	return out
}

func (s *Server) customerInvoiceRoutes(r interface {
	Get(string, http.HandlerFunc)
}) {
	r.Get("/customerinvoices", s.listCustomerInvoices)
	r.Get("/resellercosts", s.resellerCosts)
	r.Get("/resellercosts/{customerInvoiceId}", s.resellerCost)
	r.Get("/customerinvoices/profit", s.customerInvoiceProfit)
	r.Get("/customerinvoices/{customerInvoiceId}", s.getCustomerInvoice)
	for _, f := range []string{"pdf", "csv", "html"} {
		r.Get("/customerinvoices/{customerInvoiceId}."+f, s.customerInvoiceDocument(f))
	}
}

// resellerCosts answers an indirect reseller's invoices from its provider.
func (s *Server) resellerCosts(w http.ResponseWriter, r *http.Request) {
	period := r.URL.Query().Get("period")
	kind := "resellercosts:" + period
	pg, err := page[string](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.ResellerCosts(r.Context(), principal(r), period, pg)
	writeCustomerInvoices(w, r, "/resellercosts", kind, got, err)
}

// resellerCost answers one of an indirect reseller's invoices from its
// provider with its lines, without the provider's cost and profit.
func (s *Server) resellerCost(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "customerInvoiceId", csp.ECustomerInvoiceNotFound, "customer invoice")
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := s.app.ResellerCost(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := customerInvoiceResource(v.Invoice)
	out.CustomerName, out.Cost, out.Profit = v.Customer.DisplayName, "", ""
	out.LineItems = make([]customerLineJSON, len(v.Lines))
	for i, l := range v.Lines {
		out.LineItems[i] = customerLineResource(l)
		out.LineItems[i].Cost, out.LineItems[i].Profit = "", ""
	}
	writeJSON(w, http.StatusOK, out)
}

// writeCustomerInvoices answers a page of customer invoices (or the
// listing's refusal).
func writeCustomerInvoices(w http.ResponseWriter, r *http.Request, path, kind string, got app.Paged[*pricebook.Issued, string], err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]customerInvoiceJSON, len(got.Items))
	for i, inv := range got.Items {
		items[i] = customerInvoiceResource(inv)
	}
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	writeJSON(w, http.StatusOK, newCollection(items, path, nextToken(kind, got.Next)))
}

func (s *Server) listCustomerInvoices(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query := app.CustomerInvoiceQuery{Period: q.Get("period")}
	if c := q.Get("customerId"); c != "" {
		id, err := uuid.Parse(c)
		if err != nil {
			writeError(w, r, csp.Errorf(csp.ECustomerNotFound, "customer %q was not found (ids are GUIDs)", c).WithData("field=customerId"))
			return
		}
		query.CustomerID = &id
	}
	// The token belongs to the filtered listing it was made for.
	kind := "customerinvoices:" + strings.ToLower(q.Get("customerId")) + ":" + q.Get("period")
	pg, err := page[string](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.ListCustomerInvoices(r.Context(), principal(r), query, pg)
	writeCustomerInvoices(w, r, "/customerinvoices", kind, got, err)
}

func (s *Server) readCustomerInvoice(w http.ResponseWriter, r *http.Request) (*app.CustomerInvoiceView, bool) {
	id, err := pathID(r, "customerInvoiceId", csp.ECustomerInvoiceNotFound, "customer invoice")
	if err != nil {
		writeError(w, r, err)
		return nil, false
	}
	v, err := s.app.GetCustomerInvoice(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return nil, false
	}
	return v, true
}

func (s *Server) getCustomerInvoice(w http.ResponseWriter, r *http.Request) {
	v, ok := s.readCustomerInvoice(w, r)
	if !ok {
		return
	}
	out := customerInvoiceResource(v.Invoice)
	out.CustomerName = v.Customer.DisplayName
	out.LineItems = make([]customerLineJSON, len(v.Lines))
	for i, l := range v.Lines {
		out.LineItems[i] = customerLineResource(l)
	}
	writeJSON(w, http.StatusOK, out)
}

var documentTypes = map[string]string{"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8"}

// customerInvoiceDocument answers the invoice as a document of format f,
// rendered whole before a byte is sent (a refusal is still JSON).
func (s *Server) customerInvoiceDocument(f string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := s.readCustomerInvoice(w, r)
		if !ok {
			return
		}
		d, err := invoicedoc.FromIssued(v.Partner, v.Customer, v.Invoice, v.Lines)
		if err != nil {
			writeError(w, r, err)
			return
		}
		var b bytes.Buffer
		switch f {
		case "pdf":
			err = invoicedoc.PDF(&b, d)
		case "csv":
			err = invoicedoc.CSV(&b, d)
		default:
			err = invoicedoc.HTML(&b, d)
		}
		if err != nil {
			writeError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", documentTypes[f])
		if f != "html" {
			w.Header().Set("Content-Disposition", `attachment; filename="`+v.Invoice.Number+"."+f+`"`)
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b.Bytes())
	}
}

func (s *Server) customerInvoiceProfit(w http.ResponseWriter, r *http.Request) {
	got, err := s.app.CustomerInvoiceProfit(r.Context(), principal(r), r.URL.Query().Get("period"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, profitResource(got))
}
