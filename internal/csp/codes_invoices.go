package csp

// Month close, invoices and the rates they use (4620-4649).
const (
	EInvoiceNotFound   Code = 4620 // no such invoice of the caller's partner
	EInvalidMonth      Code = 4621 // a month is YYYY-MM in the years 2000-2099
	EInvalidRate       Code = 4622 // an exchange or tax rate is a positive decimal (a tax rate 0 to 1) with at most 10 decimals
	EInvalidCurrency   Code = 4623 // a currency is an ISO 4217 code the program prices or bills in
	ERatesEmpty        Code = 4624 // a rates call names at least one currency or country, at most 300
	EInvalidTaxCountry Code = 4625 // a tax rate's key is a customer country code (ISO 3166 alpha-2) the program knows
	EInvoiceCurrency   Code = 4627 // currencyCode names another currency than the invoice's
)

func init() {
	for c, k := range map[Code]Kind{
		EInvoiceNotFound: KindNotFound,
	} {
		kinds[c] = k
	}
}
