package invoicedoc

import (
	_ "embed"
	"html/template"
	"io"
)

//go:embed invoice.html
var invoiceHTML string

// The template is parsed once; a broken template fails the program's start
// (and the tests), never one invoice.
var htmlTemplate = template.Must(template.New("invoice").Parse(invoiceHTML))

// htmlView is what the template reads: all text, already formatted.
type htmlView struct {
	Partner, Customer                  Party
	Number, IssuedOn, Period, Currency string
	Rows                               []row
	Subtotal, Tax, Total               string // Subtotal and Tax empty without tax
}

// HTML writes the invoice as one self-contained, printable HTML page: its
// styles inline, no script, no image, no external asset. html/template
// escapes every name and description.
func HTML(w io.Writer, d Doc) error {
	if err := d.check(); err != nil {
		return err
	}
	v := htmlView{
		Partner: d.Partner, Customer: d.Customer, Number: d.Number,
		IssuedOn: longDay(d.IssuedOn), Period: d.period(), Currency: d.Total.Currency,
		Rows: d.rows(), Total: amount(d.grand()),
	}
	if d.taxed() {
		v.Subtotal, v.Tax = amount(d.Total.Amount), amount(d.Tax.Amount)
	}
	return htmlTemplate.Execute(w, v)
}
