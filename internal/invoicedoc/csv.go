package invoicedoc

import (
	"encoding/csv"
	"io"
	"slices"
	"strings"
)

// csvHeader names the CSV's columns. Amounts have a dot and 2 decimals,
// dates are yyyy-mm-dd; the total is not a row (it is the amounts' sum,
// and the taxes'). The tax column is there when the line taxes are known.
var csvHeader = []string{"invoiceNumber", "description", "promotion", "productId", "skuId", "chargeStartDate", "chargeEndDate", "quantity", "unitPrice", "amount", "currency"}

// CSV writes the invoice as a header line and one row per line.
func CSV(w io.Writer, d Doc) error {
	if err := d.check(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := csvHeader
	if d.Taxes != nil {
		header = append(slices.Clone(csvHeader[:10]), "tax", "currency")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for i, r := range d.rows() {
		row := []string{cell(d.Number), cell(r.Description), cell(r.Promotion), cell(r.ProductID), cell(r.SkuID), r.ChargeStart, r.ChargeEnd, r.Quantity, r.UnitPrice, r.Amount}
		if d.Taxes != nil {
			row = append(row, amount(d.Taxes[i]))
		}
		if err := cw.Write(append(row, d.Total.Currency)); err != nil {
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
