package console

// The partner's unbilled charges of a month: Partner Center's unbilled
// reconciliation lines, every currency one after the other, with the
// month's total per currency.

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// maxTotalPages bounds the reading behind a month's totals (of
// app.MaxPageSize lines each); past it the totals say they are partial.
const maxTotalPages = 20

type chargesPage struct {
	layout
	Month          string // 2026-01
	MonthName      string // January 2026
	Previous, Next string // the neighbour months' URLs
	Totals         []string
	// Files are the month's unbilled licence files, one per currency of
	// the totals; UsageFile is its Azure usage file (priced in USD).
	Files     []fileLink
	UsageFile fileLink
	Partial   bool // the totals stop at maxTotalPages pages of lines
	Lines     []chargeLine
	More      string // the next page of lines, empty on the last
}

type fileLink struct{ Label, URL string }

// unbilledFile is the URL of a month's unbilled file in a currency.
func unbilledFile(month, currency, lines string) string {
	return "/console/charges.csv?" + url.Values{"month": {month}, "currency": {currency}, "lines": {lines}}.Encode()
}

type chargeLine struct {
	Date, Customer, Product, ChargeType, Period string
	Seats                                       string // the whole seats the line prices
	Amount                                      string
}

// chargeCursor is a position in the month's lines: a currency, and the
// last line shown in it (none when the page starts the currency).
type chargeCursor struct {
	Currency string    `json:"c"`
	At       time.Time `json:"t"`
	ID       uuid.UUID `json:"i"`
}

func (h *handler) chargesPage(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	month := csp.Day(h.app.Now(ctx))
	month = time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	if s := q.Get("month"); s != "" {
		var err error
		if month, err = time.Parse("2006-01", s); err != nil {
			h.fail(w, r, csp.Errorf(csp.EInvalidQuery, "Choose the month as year and month, for example 2026-01."))
			return
		}
	}
	from, to := month, month.AddDate(0, 1, 0)
	cat, _, err := h.app.Catalog(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	currencies := cat.Currencies()
	after, err := decodeCursor(q.Get("continuation"), func(c chargeCursor) bool { return slices.Contains(currencies, c.Currency) })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lines, next, err := h.chargeLines(ctx, p, currencies, from, to, after)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	link := func(m time.Time) string {
		return "/console/charges?" + url.Values{"month": {m.Format("2006-01")}}.Encode()
	}
	page := chargesPage{layout: h.layout("Unbilled charges", wh), Month: month.Format("2006-01"), MonthName: month.Format("January 2006"),
		Previous: link(month.AddDate(0, -1, 0)), Next: link(to)}
	var with []string
	if page.Totals, with, page.Partial, err = h.monthTotals(ctx, p, currencies, from, to); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, cur := range with {
		page.Files = append(page.Files, fileLink{Label: "Licence charges in " + cur + " (CSV)", URL: unbilledFile(page.Month, cur, "licences")})
	}
	page.UsageFile = fileLink{Label: "Azure usage in " + azure.PriceCurrency + " (CSV)", URL: unbilledFile(page.Month, azure.PriceCurrency, "usage")}
	for _, l := range lines {
		page.Lines = append(page.Lines, chargeLine{Date: formatDate(l.PostedAt), Customer: l.Customer.DisplayName, Product: chargeProduct(l.Charge),
			ChargeType: chargeTitle(l.Charge), Period: formatDate(l.ChargeStart) + " to " + formatDate(l.ChargeEnd),
			Seats: l.BillableQuantity.String(), Amount: l.TotalForCustomer.String()})
	}
	if next != nil {
		page.More = "/console/charges?" + url.Values{"month": {page.Month}, "continuation": {encodeCursor(*next)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "charges", page)
}

// chargeLines reads one page of the month's lines after the cursor,
// currency after currency, and the cursor of the next page (nil on the
// last).
func (h *handler) chargeLines(ctx context.Context, p csp.Principal, currencies []string, from, to time.Time, after *chargeCursor) ([]csp.ReconLine, *chargeCursor, error) {
	start := 0
	if after != nil {
		start = slices.Index(currencies, after.Currency)
	}
	var lines []csp.ReconLine
	for i := start; i < len(currencies); i++ {
		cur := currencies[i]
		if len(lines) == pageSize {
			// The page is full: the next starts at the next currency with
			// charges, if any has.
			probe, err := h.app.UnbilledCharges(ctx, p, cur, from, to, app.Page[app.Cursor]{Size: 1})
			if err != nil {
				return nil, nil, err
			}
			if len(probe.Lines) > 0 {
				return lines, &chargeCursor{Currency: cur}, nil
			}
			continue
		}
		pg := app.Page[app.Cursor]{Size: pageSize - len(lines)}
		if i == start && after != nil && after.ID != uuid.Nil {
			pg.After = &app.Cursor{At: after.At, ID: after.ID}
		}
		got, err := h.app.UnbilledCharges(ctx, p, cur, from, to, pg)
		if err != nil {
			return nil, nil, err
		}
		lines = append(lines, got.Lines...)
		if got.Next != nil {
			return lines, &chargeCursor{Currency: cur, At: got.Next.At, ID: got.Next.ID}, nil
		}
	}
	return lines, nil, nil
}

// monthTotals adds up the month's unbilled lines per currency, and names
// the currencies that have lines.
func (h *handler) monthTotals(ctx context.Context, p csp.Principal, currencies []string, from, to time.Time) ([]string, []string, bool, error) {
	var out, with []string
	partial := false
	for _, cur := range currencies {
		sum, found := csp.ZeroMoney(cur), false
		pg := app.Page[app.Cursor]{Size: app.MaxPageSize}
		for n := 0; ; n++ {
			if n == maxTotalPages {
				partial = true
				break
			}
			got, err := h.app.UnbilledCharges(ctx, p, cur, from, to, pg)
			if err != nil {
				return nil, nil, false, err
			}
			for _, l := range got.Lines {
				if sum, err = sum.Add(l.TotalForCustomer); err != nil {
					return nil, nil, false, err
				}
				found = true
			}
			if got.Next == nil {
				break
			}
			pg.After = got.Next
		}
		if found {
			out, with = append(out, sum.String()), append(with, cur)
		}
	}
	return out, with, partial, nil
}

// chargeProduct names a charge's product and SKU.
func chargeProduct(c csp.Charge) string {
	if c.SkuName == "" || c.SkuName == c.ProductName {
		return c.ProductName
	}
	return c.ProductName + " — " + c.SkuName
}

// chargeTitle names a line in plain words; the two lines of a seat
// change or an upgrade say which side they are (C-2: the old count
// refunded, the new count charged).
func chargeTitle(c csp.Charge) string {
	s := chargeTitles[c.ChargeType]
	if s == "" {
		s = string(c.ChargeType)
	}
	switch c.ChargeType {
	case csp.ChargeAddQuantity, csp.ChargeRemoveQuantity:
		if c.EffectiveUnitPrice.Amount.IsNegative() {
			return s + ", old count refunded"
		}
		return s + ", new count charged"
	case csp.ChargeConvert, csp.ChargeMoveQuantity:
		switch {
		case slices.Contains(c.ProductQualifiers, csp.QualifierTrial):
			return "Trial conversion, the trial's side (no charge)"
		case c.EffectiveUnitPrice.Amount.IsNegative():
			return s + ", refund of the seats moved out"
		case c.ChargeType == csp.ChargeConvert:
			return "Upgrade or trial conversion, the new subscription charged"
		}
		return s + ", charge of the seats moved in"
	}
	if slices.Contains(c.ProductQualifiers, csp.QualifierTrial) {
		return s + " (trial, no charge)"
	}
	return s
}
