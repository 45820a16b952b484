package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/openapi"
)

// Price books (OpenCSP additions, DESIGN.md "Price books and customer
// invoices"): the partner's and a customer's, read and replaced whole.
// Customer invoices are in customerinvoices.go.

var priceBookDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/pricebook", Tag: "Price books", Summary: "The partner's price book",
		Description: "Never set, it is the empty book (every line sold at cost) with its etag.", Responses: openapi.OK(priceBookJSON{})},
	{Method: http.MethodPut, Path: "/v1/pricebook", Tag: "Price books", IfMatch: true, Summary: "Replace the partner's price book",
		Description: "The whole book: a default markup or margin, items per product or SKU (exactly one of markupPercent, marginPercent, fixedUnitPrice each; the most specific wins), promotions. A customer's book wins over it.",
		Body:        priceBookBody{}, Responses: openapi.OK(priceBookJSON{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/pricebook", Tag: "Price books", Summary: "A customer's own price book",
		Responses: openapi.OK(priceBookJSON{})},
	{Method: http.MethodPut, Path: "/v1/customers/{customer-id}/pricebook", Tag: "Price books", IfMatch: true, Summary: "Replace a customer's own price book",
		Description: "Its items, default and promotions win over the partner's book for this customer's lines.", Body: priceBookBody{}, Responses: openapi.OK(priceBookJSON{})},
}

// priceBookBody is pricebook.Book on the wire: decimals as JSON numbers
// (or decimal strings), days as yyyy-mm-dd.
type priceBookBody struct {
	DefaultMarkupPercent *json.Number    `json:"defaultMarkupPercent,omitempty"`
	DefaultMarginPercent *json.Number    `json:"defaultMarginPercent,omitempty"`
	Items                []priceItemJSON `json:"items"`
	Promotions           []promotionJSON `json:"promotions,omitempty"`
}

type priceItemJSON struct {
	ProductID      string       `json:"productId"`
	SkuID          string       `json:"skuId,omitempty"`
	MarkupPercent  *json.Number `json:"markupPercent,omitempty"`
	MarginPercent  *json.Number `json:"marginPercent,omitempty"`
	FixedUnitPrice *json.Number `json:"fixedUnitPrice,omitempty" description:"in the currency of the customer's lines"`
}

type promotionJSON struct {
	ID              string      `json:"id"`
	Name            string      `json:"name"`
	ProductID       string      `json:"productId,omitempty"`
	SkuID           string      `json:"skuId,omitempty"`
	DiscountPercent json.Number `json:"discountPercent"`
	StartDate       string      `json:"startDate" description:"yyyy-mm-dd: lines whose charge starts from this day"`
	EndDate         string      `json:"endDate" description:"yyyy-mm-dd, included"`
}

// priceBookJSON is a stored book.
type priceBookJSON struct {
	priceBookBody
	CustomerID string            `json:"customerId,omitempty"`
	UpdatedAt  *time.Time        `json:"updatedAt,omitempty"`
	Attributes map[string]string `json:"attributes"`
}

func decimalOf(field string, n *json.Number) (*decimal.Decimal, error) {
	if n == nil {
		return nil, nil
	}
	d, err := decimal.NewFromString(n.String())
	if err != nil {
		return nil, csp.Errorf(csp.EInvalidBody, "field %s must be a decimal number, not %q", field, n.String()).WithData("field=" + field)
	}
	return &d, nil
}

func dayOf(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil // Validate names the missing date
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return time.Time{}, csp.Errorf(csp.EInvalidBody, "field %s must be a day, yyyy-mm-dd, not %q", field, s).WithData("field=" + field)
		}
	}
	return csp.Day(t), nil
}

// book reads the body into a pricebook.Book; its rules are pricebook's.
func (b priceBookBody) book() (pricebook.Book, error) {
	var out pricebook.Book
	var err error
	if out.DefaultMarkupPercent, err = decimalOf("defaultMarkupPercent", b.DefaultMarkupPercent); err != nil {
		return out, err
	}
	if out.DefaultMarginPercent, err = decimalOf("defaultMarginPercent", b.DefaultMarginPercent); err != nil {
		return out, err
	}
	if len(b.Items) > pricebook.MaxItems {
		return out, csp.Errorf(csp.EPriceBookTooManyItems, "the book has %d items: at most %d", len(b.Items), pricebook.MaxItems).WithData("field=items")
	}
	out.Items = make([]pricebook.Item, len(b.Items))
	for i, it := range b.Items {
		at := fmt.Sprintf("items[%d].", i)
		o := pricebook.Item{ProductID: it.ProductID, SkuID: it.SkuID}
		if o.MarkupPercent, err = decimalOf(at+"markupPercent", it.MarkupPercent); err != nil {
			return out, err
		}
		if o.MarginPercent, err = decimalOf(at+"marginPercent", it.MarginPercent); err != nil {
			return out, err
		}
		if o.FixedUnitPrice, err = decimalOf(at+"fixedUnitPrice", it.FixedUnitPrice); err != nil {
			return out, err
		}
		out.Items[i] = o
	}
	for i, p := range b.Promotions {
		at := fmt.Sprintf("promotions[%d].", i)
		o := pricebook.Promotion{ID: p.ID, Name: p.Name, ProductID: p.ProductID, SkuID: p.SkuID}
		n := p.DiscountPercent
		d, err := decimalOf(at+"discountPercent", &n)
		if err != nil {
			return out, err
		}
		o.DiscountPercent = *d
		if o.StartDate, err = dayOf(at+"startDate", p.StartDate); err != nil {
			return out, err
		}
		if o.EndDate, err = dayOf(at+"endDate", p.EndDate); err != nil {
			return out, err
		}
		out.Promotions = append(out.Promotions, o)
	}
	return out, nil
}

func number(d *decimal.Decimal) *json.Number {
	if d == nil {
		return nil
	}
	n := json.Number(d.String())
	return &n
}

func priceBookResource(v app.PriceBookView) priceBookJSON {
	b := v.Book
	out := priceBookJSON{priceBookBody: priceBookBody{DefaultMarkupPercent: number(b.DefaultMarkupPercent), DefaultMarginPercent: number(b.DefaultMarginPercent),
		Items: make([]priceItemJSON, len(b.Items))}, UpdatedAt: v.UpdatedAt, Attributes: attrsETag("PriceBook", v.ETag)}
	if v.CustomerID != nil {
		out.CustomerID = v.CustomerID.String()
	}
	for i, it := range b.Items {
		out.Items[i] = priceItemJSON{ProductID: it.ProductID, SkuID: it.SkuID, MarkupPercent: number(it.MarkupPercent), MarginPercent: number(it.MarginPercent),
			FixedUnitPrice: number(it.FixedUnitPrice)}
	}
	for _, p := range b.Promotions {
		out.Promotions = append(out.Promotions, promotionJSON{ID: p.ID, Name: p.Name, ProductID: p.ProductID, SkuID: p.SkuID,
			DiscountPercent: json.Number(p.DiscountPercent.String()), StartDate: p.StartDate.Format(time.DateOnly), EndDate: p.EndDate.Format(time.DateOnly)})
	}
	return out
}

func (s *Server) priceBookRoutes(r interface {
	Get(string, http.HandlerFunc)
	Put(string, http.HandlerFunc)
}) {
	r.Get("/pricebook", s.getPriceBook)
	r.Put("/pricebook", s.putPriceBook)
	r.Get("/customers/{id}/pricebook", s.getPriceBook)
	r.Put("/customers/{id}/pricebook", s.putPriceBook)
	s.customerInvoiceRoutes(r)
}

// bookCustomer is the customer of a customer book's path; nil on the
// partner's.
func bookCustomer(r *http.Request) (*uuid.UUID, error) {
	if chi.URLParam(r, "id") == "" {
		return nil, nil
	}
	id, err := customerID(r)
	return &id, err
}

func (s *Server) getPriceBook(w http.ResponseWriter, r *http.Request) {
	c, err := bookCustomer(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := s.app.PriceBook(r.Context(), principal(r), c)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, priceBookResource(v))
}

func (s *Server) putPriceBook(w http.ResponseWriter, r *http.Request) {
	c, err := bookCustomer(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var body priceBookBody
	if err := decode(r, &body); err != nil {
		writeError(w, r, err)
		return
	}
	book, err := body.book()
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := s.app.PutPriceBook(r.Context(), principal(r), c, book, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, priceBookResource(v))
}
