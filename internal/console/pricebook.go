package console

// The partner's price book and a customer's own, as one form: the default
// rule, the items and the promotions, each a table row with an empty row
// to add one and a remove box per row. The form carries the etag the book
// was read with, so a save over someone else's is refused.

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
)

func (h *handler) routesPriceBooks() {
	h.mux.HandleFunc("GET /console/pricebook", h.priceBookPage)
	h.mux.HandleFunc("POST /console/pricebook", h.savePriceBook)
	h.mux.HandleFunc("GET /console/customers/{id}/pricebook", h.priceBookPage)
	h.mux.HandleFunc("POST /console/customers/{id}/pricebook", h.savePriceBook)
}

type priceBookPage struct {
	layout
	// Action is the form's URL; CustomerName and CustomerURL are set for
	// a customer's own book.
	Action, CustomerName, CustomerURL string
	ETag, Updated                     string
	Default, DefaultPercent           string // Default: none, markup or margin
	Items                             []bookItemRow
	Promotions                        []promotionRow
	Notice, Error                     string
}

// bookItemRow and promotionRow are a row of the form as text: the book's,
// or what was typed when a save is refused.
type bookItemRow struct {
	N                             int
	ProductID, SkuID, Rule, Value string
	New                           bool // the empty row that adds one
}

type promotionRow struct {
	N                                                int
	ID, Name, ProductID, SkuID, Discount, Start, End string
	New                                              bool
}

// bookCustomerID is the customer of the page's book, nil for the partner's.
func bookCustomerID(r *http.Request) (*uuid.UUID, error) {
	if r.PathValue("id") == "" {
		return nil, nil
	}
	id, err := customerID(r)
	return &id, err
}

func (h *handler) priceBookPage(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	cid, err := bookCustomerID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.app.PriceBook(r.Context(), p, cid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.bookPage(r, p, wh, cid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.ETag = v.ETag
	if v.UpdatedAt != nil {
		page.Updated = formatDateTime(*v.UpdatedAt)
	}
	page.Default, page.DefaultPercent, page.Items, page.Promotions = bookRows(v.Book)
	if n := r.URL.Query().Get("saved"); n != "" {
		page.Notice = "Saved: " + n
	}
	h.render(w, r, http.StatusOK, "pricebook", page)
}

// bookPage is the page around the form: the partner's book or the
// customer's, named.
func (h *handler) bookPage(r *http.Request, p csp.Principal, wh *who, cid *uuid.UUID) (priceBookPage, error) {
	if cid == nil {
		return priceBookPage{layout: h.layout("Price book", wh), Action: "/console/pricebook"}, nil
	}
	c, err := h.app.GetCustomer(r.Context(), p, *cid)
	if err != nil {
		return priceBookPage{}, err
	}
	return priceBookPage{layout: h.layout("Price book of "+c.Tenant.DisplayName, wh), Action: "/console/customers/" + cid.String() + "/pricebook",
		CustomerName: c.Tenant.DisplayName, CustomerURL: customerURL(*cid, nil)}, nil
}

// bookRows are a book's rows, each table ending with its empty row.
func bookRows(b pricebook.Book) (def, pct string, items []bookItemRow, promos []promotionRow) {
	def = "none"
	switch {
	case b.DefaultMarkupPercent != nil:
		def, pct = "markup", b.DefaultMarkupPercent.String()
	case b.DefaultMarginPercent != nil:
		def, pct = "margin", b.DefaultMarginPercent.String()
	}
	for i, it := range b.Items {
		row := bookItemRow{N: i, ProductID: it.ProductID, SkuID: it.SkuID}
		switch {
		case it.MarkupPercent != nil:
			row.Rule, row.Value = "markup", it.MarkupPercent.String()
		case it.MarginPercent != nil:
			row.Rule, row.Value = "margin", it.MarginPercent.String()
		case it.FixedUnitPrice != nil:
			row.Rule, row.Value = "fixed", it.FixedUnitPrice.String()
		}
		items = append(items, row)
	}
	items = append(items, bookItemRow{N: len(items), Rule: "markup", New: true})
	for i, pr := range b.Promotions {
		promos = append(promos, promotionRow{N: i, ID: pr.ID, Name: pr.Name, ProductID: pr.ProductID, SkuID: pr.SkuID,
			Discount: pr.DiscountPercent.String(), Start: formatDate(pr.StartDate), End: formatDate(pr.EndDate)})
	}
	promos = append(promos, promotionRow{N: len(promos), New: true})
	return def, pct, items, promos
}

func (h *handler) savePriceBook(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	cid, err := bookCustomerID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.bookPage(r, p, wh, cid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := r.PostForm
	page.ETag = f.Get("etag")
	page.Default, page.DefaultPercent, page.Items, page.Promotions = formRows(f)
	book, err := formBook(page)
	if err == nil {
		_, err = h.app.PutPriceBook(r.Context(), p, cid, book, page.ETag)
	}
	if err == nil {
		saved := plural(len(book.Items), "item")
		if len(book.Promotions) > 0 {
			saved += ", " + plural(len(book.Promotions), "promotion")
		}
		http.Redirect(w, r, page.Action+"?"+url.Values{"saved": {saved}}.Encode(), http.StatusSeeOther)
		return
	}
	status := statusOf(err)
	if status >= http.StatusInternalServerError || status == http.StatusForbidden || status == http.StatusNotFound {
		h.fail(w, r, err)
		return
	}
	// The refusal over what was typed, the rows kept and an empty row
	// added again, so the user corrects and saves once more.
	page.Error = plainMessage(err, about{})
	page.Items = append(dropNew(page.Items), bookItemRow{N: len(page.Items), Rule: "markup", New: true})
	page.Promotions = append(dropNewPromos(page.Promotions), promotionRow{N: len(page.Promotions), New: true})
	for i := range page.Items {
		page.Items[i].N = i
	}
	for i := range page.Promotions {
		page.Promotions[i].N = i
	}
	h.render(w, r, status, "pricebook", page)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// formRows reads the form's rows as typed, leaving out the rows ticked
// for removal and the empty ones.
func formRows(f url.Values) (def, pct string, items []bookItemRow, promos []promotionRow) {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	def, pct = get("default"), get("defaultPercent")
	n, _ := strconv.Atoi(get("items"))
	for i := range min(n, pricebook.MaxItems+1) {
		at := "item-" + strconv.Itoa(i) + "-"
		row := bookItemRow{ProductID: get(at + "product"), SkuID: get(at + "sku"), Rule: get(at + "rule"), Value: get(at + "value")}
		if f.Get(at+"remove") != "" || row.ProductID == "" && row.SkuID == "" && row.Value == "" {
			continue
		}
		row.N = len(items)
		items = append(items, row)
	}
	n, _ = strconv.Atoi(get("promotions"))
	for i := range min(n, pricebook.MaxItems+1) {
		at := "promotion-" + strconv.Itoa(i) + "-"
		row := promotionRow{ID: get(at + "id"), Name: get(at + "name"), ProductID: get(at + "product"), SkuID: get(at + "sku"),
			Discount: get(at + "discount"), Start: get(at + "start"), End: get(at + "end")}
		if f.Get(at+"remove") != "" || row.Name == "" && row.ProductID == "" && row.SkuID == "" && row.Discount == "" && row.Start == "" && row.End == "" {
			continue
		}
		row.N = len(promos)
		promos = append(promos, row)
	}
	return def, pct, items, promos
}

func dropNew(rows []bookItemRow) []bookItemRow {
	out := rows[:0:0]
	for _, r := range rows {
		if !r.New {
			out = append(out, r)
		}
	}
	return out
}

func dropNewPromos(rows []promotionRow) []promotionRow {
	out := rows[:0:0]
	for _, r := range rows {
		if !r.New {
			out = append(out, r)
		}
	}
	return out
}

// formBook is the book the rows say; what is not a number or a day is
// refused here, the book's rules by the app.
func formBook(page priceBookPage) (pricebook.Book, error) {
	b := pricebook.Book{Items: []pricebook.Item{}}
	switch page.Default {
	case "", "none":
	case "markup", "margin":
		d, err := percent(page.DefaultPercent, "The default "+page.Default)
		if err != nil {
			return b, err
		}
		if page.Default == "markup" {
			b.DefaultMarkupPercent = d
		} else {
			b.DefaultMarginPercent = d
		}
	default:
		return b, csp.Errorf(csp.EInvalidField, "Choose the default rule as none, markup or margin.").WithData("field=default")
	}
	for i, row := range page.Items {
		at := fmt.Sprintf("Item %d (%s)", i+1, row.ProductID)
		d, err := percent(row.Value, at)
		if err != nil {
			return b, err
		}
		it := pricebook.Item{ProductID: row.ProductID, SkuID: row.SkuID}
		switch row.Rule {
		case "markup":
			it.MarkupPercent = d
		case "margin":
			it.MarginPercent = d
		case "fixed":
			it.FixedUnitPrice = d
		default:
			return b, csp.Errorf(csp.EInvalidField, "%s: choose its rule as markup, margin or fixed price.", at).WithData(fmt.Sprintf("field=items[%d]", i))
		}
		b.Items = append(b.Items, it)
	}
	used := map[string]bool{}
	for _, row := range page.Promotions {
		used[row.ID] = true
	}
	for i, row := range page.Promotions {
		at := fmt.Sprintf("Promotion %d (%s)", i+1, row.Name)
		d, err := percent(row.Discount, at+": the discount")
		if err != nil {
			return b, err
		}
		pr := pricebook.Promotion{ID: row.ID, Name: row.Name, ProductID: row.ProductID, SkuID: row.SkuID, DiscountPercent: *d}
		if pr.ID == "" { // a new promotion: the first free "promotion-n"
			for n := i + 1; pr.ID == ""; n++ {
				if id := "promotion-" + strconv.Itoa(n); !used[id] {
					pr.ID, used[id] = id, true
				}
			}
		}
		for _, day := range []struct {
			s  string
			to *time.Time
			of string
		}{{row.Start, &pr.StartDate, "start"}, {row.End, &pr.EndDate, "end"}} {
			if day.s == "" {
				continue // the book's rules name the missing day
			}
			t, err := time.Parse(time.DateOnly, day.s)
			if err != nil {
				return b, csp.Errorf(csp.EInvalidField, "%s: the %s day %q is not a day: write it as 2026-03-01.", at, day.of, day.s).WithData(fmt.Sprintf("field=promotions[%d].%sDate", i, day.of))
			}
			*day.to = t
		}
		b.Promotions = append(b.Promotions, pr)
	}
	return b, nil
}

// percent reads a row's number; at names the row in the refusal.
func percent(s, at string) (*decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return nil, csp.Errorf(csp.EInvalidField, "%s: %q is not a number: write it like 20 or 12.5.", at, s)
	}
	return &d, nil
}
