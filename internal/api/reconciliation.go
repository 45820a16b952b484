package api

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
	"github.com/opencsp/opencsp/internal/reconfile"
)

// Reconciliation files (DESIGN.md "Billing"): an invoice's billed lines, or
// the unbilled lines of a period, as Partner Center's CSV files with its
// column names and order (internal/reconfile, written by the app's
// InvoiceReconciliation and UnbilledReconciliation, page by page).

var reconciliationDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/invoices/{invoice-id}/reconciliation", Tag: "Invoices",
		Summary:     "An invoice's reconciliation file (CSV)",
		Description: "billinglineitems: the new-commerce invoice reconciliation file (47 columns); usagelineitems: the daily rated usage file (55 columns). text/csv.",
		Query: []openapi.Param{{Name: "provider", Required: true, Enum: []string{"onetime"}},
			{Name: "invoiceLineItemType", Required: true, Enum: []string{"billinglineitems", "usagelineitems"}}},
		Responses: openapi.CSV()},
	{Method: http.MethodGet, Path: "/v1/invoices/unbilled/reconciliation", Tag: "Invoices",
		Summary: "The unbilled reconciliation file of a period (CSV)",
		Query: []openapi.Param{{Name: "provider", Required: true, Enum: []string{"onetime"}},
			{Name: "invoiceLineItemType", Required: true, Enum: []string{"billinglineitems", "usagelineitems"}},
			{Name: "currencyCode", Required: true}, {Name: "period", Enum: []string{"current", "previous"}}},
		Responses: openapi.CSV()},
}

// lineItemQuery reads provider and invoiceLineItemType.
func lineItemQuery(r *http.Request) (string, error) {
	q := r.URL.Query()
	if p := strings.ToLower(q.Get("provider")); p != "onetime" {
		return "", csp.Errorf(csp.EInvalidQuery, "provider %q is not available: use provider=onetime (new-commerce invoices)", q.Get("provider"))
	}
	lineType := strings.ToLower(q.Get("invoiceLineItemType"))
	if lineType != "billinglineitems" && lineType != "usagelineitems" {
		return "", csp.Errorf(csp.EInvalidQuery, "invoiceLineItemType %q is not available: use billinglineitems (licence charges) or usagelineitems (Azure daily rated usage)", q.Get("invoiceLineItemType"))
	}
	return lineType, nil
}

// csvFile starts a CSV answer once the first page is read (a refusal before
// it is the API's JSON error).
type csvFile struct {
	w    http.ResponseWriter
	out  *reconfile.Writer
	name string
	kind reconfile.Kind
}

func (f *csvFile) start() *reconfile.Writer {
	f.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	f.w.Header().Set("Content-Disposition", `attachment; filename="`+f.name+`"`)
	f.w.WriteHeader(http.StatusOK)
	f.out = reconfile.NewWriter(f.w, f.kind)
	return f.out
}

// finish answers a refusal before the file starts; once rows are out, the
// connection is cut (the client sees a short file, never a wrong one).
func (f *csvFile) finish(r *http.Request, err error) {
	if err == nil {
		return
	}
	if f.out == nil {
		writeError(f.w, r, err)
		return
	}
	panic(http.ErrAbortHandler)
}

func (s *Server) invoiceReconciliation(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(chi.URLParam(r, "invoiceId"))
	lineType, err := lineItemQuery(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	usage := lineType == "usagelineitems"
	f := &csvFile{w: w, name: number + "-" + lineType + ".csv", kind: reconfile.Licence}
	if usage {
		f.kind = reconfile.Usage
	}
	f.finish(r, s.app.InvoiceReconciliation(r.Context(), principal(r), number, usage, f.start))
}

func (s *Server) unbilledReconciliation(w http.ResponseWriter, r *http.Request) {
	lineType, err := lineItemQuery(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	currency := strings.ToUpper(q.Get("currencyCode"))
	if len(currency) != 3 {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "currencyCode is required (USD, CAD, GBP, EUR)"))
		return
	}
	from, to, err := periodOf(s.app.Now(r.Context()), q.Get("period"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	usage := lineType == "usagelineitems"
	f := &csvFile{w: w, name: "unbilled-" + from.Format("2006-01") + "-" + lineType + ".csv", kind: reconfile.Licence}
	if usage {
		f.kind = reconfile.Usage
	}
	f.finish(r, s.app.UnbilledReconciliation(r.Context(), principal(r), currency, from, to, usage, f.start))
}
