package invoicedoc

import (
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
)

// Statement is Microsoft's invoice to a partner as its PDF summarises it
// (Partner Center's /invoices/{id}/documents/statement): one row per
// customer and kind of charge, and the totals.
type Statement struct {
	Number                 string
	Issuer, Partner        Party
	IssuedOn               time.Time
	PeriodStart, PeriodEnd time.Time // the month, both days included
	Currency               string
	Rows                   []StatementRow
	Subtotal, Tax, Total   decimal.Decimal
}

// StatementRow is one customer's charges of one kind.
type StatementRow struct {
	Customer, Kind       string // "Licences" or "Azure usage"
	Lines                int
	Subtotal, Tax, Total decimal.Decimal
}

// check refuses a statement whose rows do not add up to its totals.
func (s Statement) check() error {
	var sub, tax, total decimal.Decimal
	for _, r := range s.Rows {
		sub, tax, total = sub.Add(r.Subtotal), tax.Add(r.Tax), total.Add(r.Total)
	}
	if s.Number == "" || !sub.Equal(s.Subtotal) || !tax.Equal(s.Tax) || !total.Equal(s.Total) {
		return fmt.Errorf("statement %q: rows sum to %s + %s = %s, not the totals %s + %s = %s", s.Number, sub, tax, total, s.Subtotal, s.Tax, s.Total)
	}
	return nil
}

// StatementPDF writes the statement as a PDF (core font Helvetica, as PDF).
func StatementPDF(w io.Writer, s Statement) error { return writeStatement(w, s, true) }

func writeStatement(w io.Writer, s Statement, compress bool) error {
	if err := s.check(); err != nil {
		return err
	}
	pdf, tr := newPDF("Invoice "+s.Number, s.IssuedOn, compress)
	text := func(v, style string, size float64) {
		pdf.SetFont("Helvetica", style, size)
		pdf.CellFormat(0, lineH, tr(v), "", 1, "L", false, 0, "")
	}
	text(s.Issuer.Name, "B", 11)
	for _, a := range s.Issuer.Address {
		text(a, "", fontSize)
	}
	pdf.Ln(lineH)
	text("Invoice "+s.Number, "B", 14)
	text("Issued on "+longDay(s.IssuedOn), "", fontSize)
	text("Billing period "+longDay(s.PeriodStart)+" – "+longDay(s.PeriodEnd), "", fontSize)
	text("Currency "+s.Currency, "", fontSize)
	pdf.Ln(lineH)
	text("Bill to", "", fontSize)
	text(s.Partner.Name, "B", fontSize)
	for _, a := range s.Partner.Address {
		text(a, "", fontSize)
	}
	pdf.Ln(lineH)
	cols := []struct {
		w     float64
		title string
		align string
	}{{70, "Customer", "L"}, {30, "Charges", "L"}, {15, "Lines", "R"}, {25, "Subtotal", "R"}, {20, "Tax", "R"}, {20, "Total", "R"}}
	pdf.SetFont("Helvetica", "B", fontSize)
	for _, c := range cols {
		pdf.CellFormat(c.w, lineH+1, c.title, "B", 0, c.align, false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", fontSize)
	for _, r := range s.Rows {
		cells := []string{tr(r.Customer), r.Kind, fmt.Sprint(r.Lines), amount(r.Subtotal), amount(r.Tax), amount(r.Total)}
		for i, c := range cols {
			pdf.CellFormat(c.w, lineH, cells[i], "", 0, c.align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.SetFont("Helvetica", "B", fontSize)
	pdf.CellFormat(115, lineH+1, "Total ("+s.Currency+")", "T", 0, "L", false, 0, "")
	pdf.CellFormat(25, lineH+1, amount(s.Subtotal), "T", 0, "R", false, 0, "")
	pdf.CellFormat(20, lineH+1, amount(s.Tax), "T", 0, "R", false, 0, "")
	pdf.CellFormat(20, lineH+1, amount(s.Total), "T", 1, "R", false, 0, "")
	return pdf.Output(w)
}

// StatementOf is the statement of a partner's invoice from Microsoft, its
// rows to be added per customer and kind (AddRow).
func StatementOf(inv *billing.Invoice, partner *csp.Partner) Statement {
	total := inv.Total()
	return Statement{Number: inv.Number, Issuer: Party{Name: csp.PublisherMicrosoft, Address: []string{"One Microsoft Way", "Redmond, WA 98052"}, Country: "US"},
		Partner:  Party{Name: partner.Name, Address: []string{"MPN ID " + partner.MpnID}, Country: partner.Country},
		IssuedOn: inv.Date, PeriodStart: inv.Period.Start(), PeriodEnd: inv.Period.LastDay(), Currency: inv.Currency,
		Subtotal: total.Subtotal, Tax: total.Tax, Total: total.Total}
}

// AddRow adds a customer's lines of one kind (licences, or Azure usage).
func (s *Statement) AddRow(customer string, usage bool, t billing.Totals) {
	kind := "Licences"
	if usage {
		kind = "Azure usage"
	}
	s.Rows = append(s.Rows, StatementRow{Customer: customer, Kind: kind, Lines: t.Lines, Subtotal: t.Subtotal, Tax: t.Tax, Total: t.Total})
}
