package reconfile

import (
	"time"

	"github.com/shopspring/decimal"
)

// UsageLine is one line of the daily rated usage file: one meter of one
// Azure subscription (the entitlement) on one day, a field per column in
// the file's order.
type UsageLine struct {
	PartnerID               string // GUID
	PartnerName             string
	CustomerID              string // GUID
	CustomerName            string
	CustomerDomainName      string
	CustomerCountry         string
	MpnID                   string
	Tier2MpnID              string
	InvoiceNumber           string
	ProductID               string
	SkuID                   string
	AvailabilityID          string
	SkuName                 string
	ProductName             string
	PublisherName           string
	PublisherID             string
	SubscriptionDescription string
	SubscriptionID          string // GUID: the Azure plan
	ChargeStartDate         time.Time
	ChargeEndDate           time.Time
	UsageDate               time.Time
	MeterType               string
	MeterCategory           string
	MeterID                 string
	MeterSubCategory        string
	MeterName               string
	MeterRegion             string
	Unit                    string
	ResourceLocation        string
	ConsumedService         string
	ResourceGroup           string
	ResourceURI             string
	ChargeType              string
	UnitPrice               decimal.Decimal
	Quantity                decimal.Decimal
	UnitType                string // "1 Hour", free text
	BillingPreTaxTotal      decimal.Decimal
	BillingCurrency         string
	PricingPreTaxTotal      decimal.Decimal
	PricingCurrency         string
	ServiceInfo1            string
	ServiceInfo2            string
	Tags                    string // JSON text, kept as written
	AdditionalInfo          string // JSON text, kept as written
	EffectiveUnitPrice      decimal.Decimal
	PCToBCExchangeRate      decimal.Decimal
	PCToBCExchangeRateDate  time.Time
	EntitlementID           string // GUID: the Azure subscription
	EntitlementDescription  string
	// Percentages as numbers: 15 is 15 %. Empty reads as 0.
	PartnerEarnedCreditPercentage decimal.Decimal
	CreditPercentage              decimal.Decimal
	CreditType                    string
	BenefitOrderID                string
	BenefitID                     string
	BenefitType                   string
}

// usageColumns are the file's 55 columns in Microsoft's order.
var usageColumns = []column[UsageLine]{
	guid("PartnerId", func(l *UsageLine) *string { return &l.PartnerID }),
	text("PartnerName", func(l *UsageLine) *string { return &l.PartnerName }),
	guid("CustomerId", func(l *UsageLine) *string { return &l.CustomerID }),
	text("CustomerName", func(l *UsageLine) *string { return &l.CustomerName }),
	text("CustomerDomainName", func(l *UsageLine) *string { return &l.CustomerDomainName }),
	text("CustomerCountry", func(l *UsageLine) *string { return &l.CustomerCountry }),
	text("MpnId", func(l *UsageLine) *string { return &l.MpnID }),
	text("Tier2MpnId", func(l *UsageLine) *string { return &l.Tier2MpnID }).alias("ResellerMpnId"),
	text("InvoiceNumber", func(l *UsageLine) *string { return &l.InvoiceNumber }),
	text("ProductId", func(l *UsageLine) *string { return &l.ProductID }),
	text("SkuId", func(l *UsageLine) *string { return &l.SkuID }),
	text("AvailabilityId", func(l *UsageLine) *string { return &l.AvailabilityID }),
	text("SkuName", func(l *UsageLine) *string { return &l.SkuName }),
	text("ProductName", func(l *UsageLine) *string { return &l.ProductName }),
	text("PublisherName", func(l *UsageLine) *string { return &l.PublisherName }),
	text("PublisherId", func(l *UsageLine) *string { return &l.PublisherID }),
	text("SubscriptionDescription", func(l *UsageLine) *string { return &l.SubscriptionDescription }),
	guid("SubscriptionId", func(l *UsageLine) *string { return &l.SubscriptionID }),
	date("ChargeStartDate", func(l *UsageLine) *time.Time { return &l.ChargeStartDate }),
	date("ChargeEndDate", func(l *UsageLine) *time.Time { return &l.ChargeEndDate }),
	date("UsageDate", func(l *UsageLine) *time.Time { return &l.UsageDate }),
	text("MeterType", func(l *UsageLine) *string { return &l.MeterType }),
	text("MeterCategory", func(l *UsageLine) *string { return &l.MeterCategory }),
	text("MeterId", func(l *UsageLine) *string { return &l.MeterID }),
	text("MeterSubCategory", func(l *UsageLine) *string { return &l.MeterSubCategory }),
	text("MeterName", func(l *UsageLine) *string { return &l.MeterName }),
	text("MeterRegion", func(l *UsageLine) *string { return &l.MeterRegion }),
	text("Unit", func(l *UsageLine) *string { return &l.Unit }),
	text("ResourceLocation", func(l *UsageLine) *string { return &l.ResourceLocation }),
	text("ConsumedService", func(l *UsageLine) *string { return &l.ConsumedService }),
	text("ResourceGroup", func(l *UsageLine) *string { return &l.ResourceGroup }),
	text("ResourceURI", func(l *UsageLine) *string { return &l.ResourceURI }),
	charge("ChargeType", true, func(l *UsageLine) *string { return &l.ChargeType }),
	amount("UnitPrice", 0, func(l *UsageLine) *decimal.Decimal { return &l.UnitPrice }),
	amount("Quantity", 0, func(l *UsageLine) *decimal.Decimal { return &l.Quantity }),
	text("UnitType", func(l *UsageLine) *string { return &l.UnitType }),
	amount("BillingPreTaxTotal", 2, func(l *UsageLine) *decimal.Decimal { return &l.BillingPreTaxTotal }),
	currency("BillingCurrency", func(l *UsageLine) *string { return &l.BillingCurrency }),
	amount("PricingPreTaxTotal", 2, func(l *UsageLine) *decimal.Decimal { return &l.PricingPreTaxTotal }),
	currency("PricingCurrency", func(l *UsageLine) *string { return &l.PricingCurrency }),
	text("ServiceInfo1", func(l *UsageLine) *string { return &l.ServiceInfo1 }),
	text("ServiceInfo2", func(l *UsageLine) *string { return &l.ServiceInfo2 }),
	text("Tags", func(l *UsageLine) *string { return &l.Tags }),
	text("AdditionalInfo", func(l *UsageLine) *string { return &l.AdditionalInfo }),
	amount("EffectiveUnitPrice", 6, func(l *UsageLine) *decimal.Decimal { return &l.EffectiveUnitPrice }),
	amount("PCToBCExchangeRate", 0, func(l *UsageLine) *decimal.Decimal { return &l.PCToBCExchangeRate }),
	optionalDate("PCToBCExchangeRateDate", func(l *UsageLine) *time.Time { return &l.PCToBCExchangeRateDate }),
	guid("EntitlementId", func(l *UsageLine) *string { return &l.EntitlementID }),
	text("EntitlementDescription", func(l *UsageLine) *string { return &l.EntitlementDescription }),
	optionalAmount("PartnerEarnedCreditPercentage", func(l *UsageLine) *decimal.Decimal { return &l.PartnerEarnedCreditPercentage }),
	optionalAmount("CreditPercentage", func(l *UsageLine) *decimal.Decimal { return &l.CreditPercentage }),
	text("CreditType", func(l *UsageLine) *string { return &l.CreditType }),
	// The savings-plan benefit columns came after the others: older files
	// lack them.
	text("BenefitOrderId", func(l *UsageLine) *string { return &l.BenefitOrderID }).mayBeAbsent(),
	text("BenefitId", func(l *UsageLine) *string { return &l.BenefitID }).mayBeAbsent(),
	text("BenefitType", func(l *UsageLine) *string { return &l.BenefitType }).mayBeAbsent(),
}
