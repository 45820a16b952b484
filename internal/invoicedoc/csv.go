package invoicedoc

import (
	"encoding/csv"
	"io"
	"strings"
)

// csvHeader names the CSV's columns. Amounts have a dot and 2 decimals,
// dates are yyyy-mm-dd; the total is not a row (it is the amounts' sum).
var csvHeader = []string{"invoiceNumber", "description", "promotion", "productId", "skuId", "chargeStartDate", "chargeEndDate", "quantity", "unitPrice", "amount", "currency"}

// CSV writes the invoice as a header line and one row per line.
func CSV(w io.Writer, d Doc) error {
	if err := d.check(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range d.rows() {
		if err := cw.Write([]string{cell(d.Number), cell(r.Description), cell(r.Promotion), cell(r.ProductID), cell(r.SkuID), r.ChargeStart, r.ChargeEnd, r.Quantity, r.UnitPrice, r.Amount, d.Total.Currency}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell keeps a text that a spreadsheet would run as a formula (a partner's
// own service may be named "=..."), quoting it with a leading apostrophe.
// Numbers are never text cells, so a negative amount keeps its sign.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
