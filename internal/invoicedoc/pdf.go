package invoicedoc

import (
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Page geometry, in millimetres on A4 portrait.
const (
	margin   = 15.0
	lineH    = 5.0
	descW    = 105.0
	qtyW     = 20.0
	unitW    = 25.0
	amountW  = 30.0
	fontSize = 9.0
)

// PDF writes the invoice as a PDF in the core font Helvetica, whose text
// is cp1252: names such as "Müller" and the en dash print; a character
// outside cp1252 prints as a dot.
func PDF(w io.Writer, d Doc) error { return writePDF(w, d, true) }

// newPDF starts an A4 document on its first page, and answers the
// translator of its text to the core font's cp1252.
func newPDF(title string, issued time.Time, compress bool) (*fpdf.Fpdf, func(string) string) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(compress)
	// The document's dates are the invoice's, so the same invoice gives
	// the same bytes (fpdf would stamp the time of rendering).
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(title, true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AddPage()
	return pdf, tr
}

func writePDF(w io.Writer, d Doc, compress bool) error {
	if err := d.check(); err != nil {
		return err
	}
	pdf, tr := newPDF("Invoice "+d.Number, d.IssuedOn, compress)

	text := func(s string, style string, size float64) {
		pdf.SetFont("Helvetica", style, size)
		pdf.CellFormat(0, lineH, tr(s), "", 1, "L", false, 0, "")
	}
	text(d.Partner.Name, "B", 11)
	for _, a := range d.Partner.Address {
		text(a, "", fontSize)
	}
	pdf.Ln(lineH)
	text("Invoice "+d.Number, "B", 14)
	text("Issued on "+longDay(d.IssuedOn), "", fontSize)
	text("Period "+d.period(), "", fontSize)
	text("Currency "+d.Total.Currency, "", fontSize)
	pdf.Ln(lineH)
	text("Bill to", "", fontSize)
	text(d.Customer.Name, "B", fontSize)
	for _, a := range d.Customer.Address {
		text(a, "", fontSize)
	}
	if d.Customer.Country != "" {
		text(d.Customer.Country, "", fontSize)
	}
	pdf.Ln(lineH)

	pdf.SetFont("Helvetica", "B", fontSize)
	for _, h := range []struct {
		w     float64
		s     string
		align string
	}{{descW, "Description", "L"}, {qtyW, "Quantity", "R"}, {unitW, "Unit price", "R"}, {amountW, "Amount", "R"}} {
		pdf.CellFormat(h.w, lineH+1, h.s, "B", 0, h.align, false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", fontSize)
	for _, r := range d.rows() {
		desc := r.Description
		if r.Promotion != "" {
			desc += "\nPromotion: " + r.Promotion
		}
		// Split the UTF-8 text, then translate each line: SplitText reads
		// runes, which cp1252 bytes are not.
		lines := pdf.SplitText(desc, descW)
		h := float64(len(lines)) * lineH
		if pdf.GetY()+h > 297-margin {
			pdf.AddPage()
		}
		x, y := pdf.GetXY()
		for i, l := range lines {
			pdf.SetXY(x, y+float64(i)*lineH)
			pdf.CellFormat(descW, lineH, tr(l), "", 0, "L", false, 0, "")
		}
		pdf.SetXY(x+descW, y)
		pdf.CellFormat(qtyW, lineH, r.Quantity, "", 0, "R", false, 0, "")
		pdf.CellFormat(unitW, lineH, r.UnitPrice, "", 0, "R", false, 0, "")
		pdf.CellFormat(amountW, lineH, r.Amount, "", 0, "R", false, 0, "")
		pdf.SetXY(x, y+h+1)
	}
	if d.taxed() {
		pdf.SetFont("Helvetica", "", fontSize)
		pdf.CellFormat(descW+qtyW+unitW, lineH+1, "Subtotal", "T", 0, "L", false, 0, "")
		pdf.CellFormat(amountW, lineH+1, amount(d.Total.Amount), "T", 1, "R", false, 0, "")
		pdf.CellFormat(descW+qtyW+unitW, lineH+1, "Tax", "", 0, "L", false, 0, "")
		pdf.CellFormat(amountW, lineH+1, amount(d.Tax.Amount), "", 1, "R", false, 0, "")
	}
	pdf.SetFont("Helvetica", "B", fontSize)
	pdf.CellFormat(descW+qtyW+unitW, lineH+1, "Total ("+d.Total.Currency+")", "T", 0, "L", false, 0, "")
	pdf.CellFormat(amountW, lineH+1, amount(d.grand()), "T", 1, "R", false, 0, "")
	return pdf.Output(w)
}
