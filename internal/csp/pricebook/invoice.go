package pricebook

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

// Total is what a set of lines sells for, costs and earns, in one
// currency: exact sums of the lines' amounts, never rounded again.
type Total struct {
	Amount, Cost, Profit csp.Money
}

// ProductTotal is a Total for one product and SKU ("productId:skuId").
type ProductTotal struct {
	Offer string
	Total
}

// CustomerInvoice is a customer's lines and their totals, one per
// currency, and per product and currency, in the order of currency then
// offer.
type CustomerInvoice struct {
	Lines    []CustomerLine
	Totals   []Total
	Products []ProductTotal
}

// Invoice prices lines by the partner's book and the customer's (an empty
// Book when the customer has none) and sums them.
func Invoice(book, customerBook Book, lines []CostLine) (CustomerInvoice, error) {
	p, err := NewPricer(book, customerBook)
	if err != nil {
		return CustomerInvoice{}, err
	}
	inv := CustomerInvoice{Lines: make([]CustomerLine, 0, len(lines))}
	totals := map[string]*Total{}
	products := map[string]*Total{} // currency NUL offer: sorted by currency, then offer
	for i, l := range lines {
		cl, err := p.Price(l)
		if err != nil {
			if e, ok := err.(*csp.Error); ok {
				e.WithData(fmt.Sprintf("field=lines[%d]", i))
			}
			return CustomerInvoice{}, err
		}
		inv.Lines = append(inv.Lines, cl)
		cur := cl.Amount.Currency
		add(totals, cur, cl)
		add(products, cur+"\x00"+l.ProductID+":"+l.SkuID, cl)
	}
	for _, cur := range slices.Sorted(maps.Keys(totals)) {
		inv.Totals = append(inv.Totals, *totals[cur])
	}
	for _, k := range slices.Sorted(maps.Keys(products)) {
		_, offer, _ := strings.Cut(k, "\x00")
		inv.Products = append(inv.Products, ProductTotal{Offer: offer, Total: *products[k]})
	}
	return inv, nil
}

func add(m map[string]*Total, k string, cl CustomerLine) {
	t, ok := m[k]
	if !ok {
		cur := cl.Amount.Currency
		t = &Total{csp.ZeroMoney(cur), csp.ZeroMoney(cur), csp.ZeroMoney(cur)}
		m[k] = t
	}
	// Same currency by construction: Price refuses a mixed line.
	t.Amount.Amount = t.Amount.Amount.Add(cl.Amount.Amount)
	t.Cost.Amount = t.Cost.Amount.Add(cl.Cost.CostAmount().Amount)
	t.Profit.Amount = t.Profit.Amount.Add(cl.Profit.Amount)
}

// Total is the invoice's total in currency.
func (inv CustomerInvoice) Total(currency string) (Total, bool) {
	for _, t := range inv.Totals {
		if t.Amount.Currency == currency {
			return t, true
		}
	}
	return Total{}, false
}

// Product is the total of one offer ("productId:skuId") in currency.
func (inv CustomerInvoice) Product(offer, currency string) (Total, bool) {
	for _, t := range inv.Products {
		if t.Offer == offer && t.Amount.Currency == currency {
			return t.Total, true
		}
	}
	return Total{}, false
}
