package reconfile

import (
	"time"

	"github.com/shopspring/decimal"
)

// LicenceLine is one line of the new-commerce invoice reconciliation
// file, a field per column in the file's order. Dates are midnight UTC
// (the zero time when a date column is empty); ids are kept as written.
type LicenceLine struct {
	PartnerID          string // GUID
	CustomerID         string // GUID
	CustomerName       string
	CustomerDomainName string
	CustomerCountry    string
	InvoiceNumber      string
	MpnID              string
	// ResellerMpnID is ResellerMpnId in Microsoft's pages, Tier2MpnId in
	// real exports; both are read, ResellerMpnId is written.
	ResellerMpnID              string
	OrderID                    string
	OrderDate                  time.Time
	ProductID                  string
	SkuID                      string
	AvailabilityID             string
	SkuName                    string
	ProductName                string
	ChargeType                 string // new, cycleCharge, addQuantity...
	UnitPrice                  decimal.Decimal
	Quantity                   int
	Subtotal                   decimal.Decimal
	TaxTotal                   decimal.Decimal
	Total                      decimal.Decimal
	Currency                   string
	PriceAdjustmentDescription string
	PublisherName              string
	PublisherID                string
	SubscriptionDescription    string
	SubscriptionID             string // GUID
	ChargeStartDate            time.Time
	ChargeEndDate              time.Time
	TermAndBillingCycle        string // "1 Year - Monthly", free text
	EffectiveUnitPrice         decimal.Decimal
	UnitType                   string // "Licenses", free text
	AlternateID                string
	BillableQuantity           decimal.Decimal
	BillingFrequency           string // Monthly, Annual or empty
	PricingCurrency            string
	PCToBCExchangeRate         decimal.Decimal
	PCToBCExchangeRateDate     time.Time
	MeterDescription           string
	ReservationOrderID         string
	CreditReasonCode           string
	SubscriptionStartDate      time.Time
	SubscriptionEndDate        time.Time
	ReferenceID                string
	ProductQualifiers          []string // ["Trial"]
	PromotionID                string
	ProductCategory            string // absent from files before 2024
}

// licenceColumns are the file's 47 columns in Microsoft's order.
var licenceColumns = []column[LicenceLine]{
	guid("PartnerId", func(l *LicenceLine) *string { return &l.PartnerID }),
	guid("CustomerId", func(l *LicenceLine) *string { return &l.CustomerID }),
	text("CustomerName", func(l *LicenceLine) *string { return &l.CustomerName }),
	text("CustomerDomainName", func(l *LicenceLine) *string { return &l.CustomerDomainName }),
	text("CustomerCountry", func(l *LicenceLine) *string { return &l.CustomerCountry }),
	text("InvoiceNumber", func(l *LicenceLine) *string { return &l.InvoiceNumber }),
	text("MpnId", func(l *LicenceLine) *string { return &l.MpnID }),
	text("ResellerMpnId", func(l *LicenceLine) *string { return &l.ResellerMpnID }).alias("Tier2MpnId"),
	text("OrderId", func(l *LicenceLine) *string { return &l.OrderID }),
	optionalDate("OrderDate", func(l *LicenceLine) *time.Time { return &l.OrderDate }),
	text("ProductId", func(l *LicenceLine) *string { return &l.ProductID }),
	text("SkuId", func(l *LicenceLine) *string { return &l.SkuID }),
	text("AvailabilityId", func(l *LicenceLine) *string { return &l.AvailabilityID }),
	text("SkuName", func(l *LicenceLine) *string { return &l.SkuName }),
	text("ProductName", func(l *LicenceLine) *string { return &l.ProductName }),
	charge("ChargeType", false, func(l *LicenceLine) *string { return &l.ChargeType }),
	amount("UnitPrice", 2, func(l *LicenceLine) *decimal.Decimal { return &l.UnitPrice }),
	integer("Quantity", func(l *LicenceLine) *int { return &l.Quantity }),
	amount("Subtotal", 2, func(l *LicenceLine) *decimal.Decimal { return &l.Subtotal }),
	amount("TaxTotal", 2, func(l *LicenceLine) *decimal.Decimal { return &l.TaxTotal }),
	amount("Total", 2, func(l *LicenceLine) *decimal.Decimal { return &l.Total }),
	currency("Currency", func(l *LicenceLine) *string { return &l.Currency }),
	text("PriceAdjustmentDescription", func(l *LicenceLine) *string { return &l.PriceAdjustmentDescription }),
	text("PublisherName", func(l *LicenceLine) *string { return &l.PublisherName }),
	text("PublisherId", func(l *LicenceLine) *string { return &l.PublisherID }),
	text("SubscriptionDescription", func(l *LicenceLine) *string { return &l.SubscriptionDescription }),
	guid("SubscriptionId", func(l *LicenceLine) *string { return &l.SubscriptionID }),
	date("ChargeStartDate", func(l *LicenceLine) *time.Time { return &l.ChargeStartDate }),
	date("ChargeEndDate", func(l *LicenceLine) *time.Time { return &l.ChargeEndDate }),
	text("TermAndBillingCycle", func(l *LicenceLine) *string { return &l.TermAndBillingCycle }),
	amount("EffectiveUnitPrice", 6, func(l *LicenceLine) *decimal.Decimal { return &l.EffectiveUnitPrice }),
	text("UnitType", func(l *LicenceLine) *string { return &l.UnitType }),
	text("AlternateId", func(l *LicenceLine) *string { return &l.AlternateID }),
	amount("BillableQuantity", 0, func(l *LicenceLine) *decimal.Decimal { return &l.BillableQuantity }),
	frequency("BillingFrequency", func(l *LicenceLine) *string { return &l.BillingFrequency }),
	currency("PricingCurrency", func(l *LicenceLine) *string { return &l.PricingCurrency }),
	amount("PCToBCExchangeRate", 0, func(l *LicenceLine) *decimal.Decimal { return &l.PCToBCExchangeRate }),
	optionalDate("PCToBCExchangeRateDate", func(l *LicenceLine) *time.Time { return &l.PCToBCExchangeRateDate }),
	text("MeterDescription", func(l *LicenceLine) *string { return &l.MeterDescription }),
	text("ReservationOrderId", func(l *LicenceLine) *string { return &l.ReservationOrderID }),
	text("CreditReasonCode", func(l *LicenceLine) *string { return &l.CreditReasonCode }),
	optionalDate("SubscriptionStartDate", func(l *LicenceLine) *time.Time { return &l.SubscriptionStartDate }),
	optionalDate("SubscriptionEndDate", func(l *LicenceLine) *time.Time { return &l.SubscriptionEndDate }),
	text("ReferenceId", func(l *LicenceLine) *string { return &l.ReferenceID }),
	qualifiers("ProductQualifiers", func(l *LicenceLine) *[]string { return &l.ProductQualifiers }),
	text("PromotionId", func(l *LicenceLine) *string { return &l.PromotionID }),
	text("ProductCategory", func(l *LicenceLine) *string { return &l.ProductCategory }).mayBeAbsent(),
}
