package csp

// Price books and the customer lines priced by them (4600-4619).
const (
	EPriceBookBothDefaults    Code = 4600 // a price book names at most one of defaultMarkupPercent and defaultMarginPercent
	EPriceBookMarkupRange     Code = 4601 // a markup percentage is a decimal from -100 to 1000
	EPriceBookMarginRange     Code = 4602 // a margin percentage is a decimal from 0 to below 100
	EPriceBookDiscountRange   Code = 4603 // a promotion's discountPercent is a decimal from 0 to 100
	EPriceBookFixedPrice      Code = 4604 // a fixed unit price is at least 0, with at most 6 decimals
	EPriceBookItemRule        Code = 4605 // an item names exactly one of markupPercent, marginPercent and fixedUnitPrice
	EPriceBookProductRequired Code = 4606 // an item names its productId
	EPriceBookDuplicateItem   Code = 4607 // two items of a book name the same productId and skuId
	EPriceBookPromotionDates  Code = 4608 // a promotion names its startDate and endDate, the end not before the start
	EPriceBookTooManyItems    Code = 4609 // a price book holds at most 10,000 items
	EPriceBookLineCurrency    Code = 4610 // a cost line's unit prices and subtotal are in different currencies
	ECustomerInvoiceNotFound  Code = 4611 // no such customer invoice of the caller's partner
	EImportInvalid            Code = 4612 // the imported file breaks its format or a rule: data names each line and column (the first 100); nothing was imported
	EImportTooLarge           Code = 4613 // an imported file is at most 4 GiB
)

func init() {
	kinds[ECustomerInvoiceNotFound] = KindNotFound
}
