package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// unbilledLinesDoc documents the unbilled line items' two shapes: licence
// charges for billinglineitems, daily rated usage for usagelineitems.
type unbilledLinesDoc struct{}

// JSONSchemaAnyOf is the two collections (an empty page is both).
func (unbilledLinesDoc) JSONSchemaAnyOf() []any {
	return []any{new(collection[reconLineJSON]), new(collection[usageLineJSON])}
}

// usageLineJSON is Partner Center's DailyRatedUsageLineItem (the daily rated
// usage file's columns in camelCase): one day of one meter of one resource
// of an Azure subscription (the entitlement) under a customer's Azure plan
// (the subscription).
type usageLineJSON struct {
	PartnerID                 string            `json:"partnerId"`
	PartnerName               string            `json:"partnerName"`
	CustomerID                string            `json:"customerId"`
	CustomerName              string            `json:"customerName"`
	CustomerDomainName        string            `json:"customerDomainName"`
	CustomerCountry           string            `json:"customerCountry"`
	MpnID                     string            `json:"mpnId"`
	ResellerMpnID             string            `json:"resellerMpnId"`
	InvoiceNumber             string            `json:"invoiceNumber"`
	ProductID                 string            `json:"productId"`
	SkuID                     string            `json:"skuId"`
	AvailabilityID            string            `json:"availabilityId"`
	SkuName                   string            `json:"skuName"`
	ProductName               string            `json:"productName"`
	PublisherName             string            `json:"publisherName"`
	PublisherID               string            `json:"publisherId"`
	SubscriptionDescription   string            `json:"subscriptionDescription"`
	SubscriptionID            string            `json:"subscriptionId"`
	ChargeStartDate           time.Time         `json:"chargeStartDate"`
	ChargeEndDate             time.Time         `json:"chargeEndDate"`
	UsageDate                 time.Time         `json:"usageDate"`
	MeterType                 string            `json:"meterType"`
	MeterCategory             string            `json:"meterCategory"`
	MeterID                   string            `json:"meterId"`
	MeterSubCategory          string            `json:"meterSubCategory"`
	MeterName                 string            `json:"meterName"`
	MeterRegion               string            `json:"meterRegion"`
	UnitOfMeasure             string            `json:"unitOfMeasure"`
	ResourceLocation          string            `json:"resourceLocation"`
	ConsumedService           string            `json:"consumedService"`
	ResourceGroup             string            `json:"resourceGroup"`
	ResourceURI               string            `json:"resourceUri"`
	ChargeType                string            `json:"chargeType"`
	UnitPrice                 json.Number       `json:"unitPrice"`
	Quantity                  json.Number       `json:"quantity"`
	UnitType                  string            `json:"unitType"`
	BillingPreTaxTotal        json.Number       `json:"billingPreTaxTotal"`
	BillingCurrency           string            `json:"billingCurrency"`
	PricingPreTaxTotal        json.Number       `json:"pricingPreTaxTotal"`
	PricingCurrency           string            `json:"pricingCurrency"`
	ServiceInfo1              string            `json:"serviceInfo1"`
	ServiceInfo2              string            `json:"serviceInfo2"`
	Tags                      map[string]string `json:"tags"`
	AdditionalInfo            map[string]string `json:"additionalInfo"`
	EffectiveUnitPrice        json.Number       `json:"effectiveUnitPrice"`
	PCToBCExchangeRate        json.Number       `json:"pcToBCExchangeRate"`
	PCToBCExchangeRateDate    time.Time         `json:"pcToBCExchangeRateDate"`
	EntitlementID             string            `json:"entitlementId"`
	EntitlementDescription    string            `json:"entitlementDescription"`
	RateOfPartnerEarnedCredit json.Number       `json:"rateOfPartnerEarnedCredit"`
	HasPartnerEarnedCredit    bool              `json:"hasPartnerEarnedCredit"`
	CreditType                string            `json:"creditType"`
	RateOfCredit              json.Number       `json:"rateOfCredit"`
	BenefitOrderID            string            `json:"benefitOrderId"`
	BenefitID                 string            `json:"benefitId"`
	BenefitType               string            `json:"benefitType"`
	Attributes                map[string]string `json:"attributes"`
}

// unbilledUsageLineItems answers the partner's daily rated usage lines of
// the period: priced in USD from the built-in price file and billed in USD
// (decision 111), so another currencyCode answers no lines.
func (s *Server) unbilledUsageLineItems(w http.ResponseWriter, r *http.Request, currency string, from, to time.Time) {
	kind := "unbilledusage:" + currency + ":" + from.Format("2006-01")
	pg, err := page[app.RatedCursor](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	self := "/invoices/unbilled/lineitems?" + r.URL.RawQuery
	if currency != azure.PriceCurrency {
		if _, err := s.app.UnbilledAzureUsage(r.Context(), principal(r), from, to, app.Page[app.RatedCursor]{Size: 1}); err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, newCollection([]usageLineJSON{}, self, ""))
		return
	}
	got, err := s.app.UnbilledAzureUsage(r.Context(), principal(r), from, to, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]usageLineJSON, len(got.Lines))
	for i, l := range got.Lines {
		items[i] = usageLineOf(got, l, from, to)
	}
	writeJSON(w, http.StatusOK, newCollection(items, self, nextToken(kind, got.Next)))
}

func usageLineOf(pg *app.RatedUsagePage, l app.RatedUsageLine, from, to time.Time) usageLineJSON {
	p, t, plan, m := pg.Partner, l.Customer, l.Plan, l.Meter
	tags := l.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	description := plan.FriendlyName
	if description == "" {
		description = plan.OfferName
	}
	return usageLineJSON{PartnerID: p.ID.String(), PartnerName: p.Name, CustomerID: t.ID.String(), CustomerName: t.DisplayName,
		CustomerDomainName: t.DefaultDomain(), CustomerCountry: t.Country, MpnID: p.MpnID, ResellerMpnID: plan.ResellerMpnID,
		ProductID: plan.ProductID, SkuID: plan.SkuID, AvailabilityID: plan.AvailabilityID, SkuName: plan.OfferName, ProductName: plan.ProductName,
		PublisherName: "Microsoft", SubscriptionDescription: description, SubscriptionID: plan.ID.String(),
		ChargeStartDate: from, ChargeEndDate: to.AddDate(0, 0, -1), UsageDate: l.UsageDate.UTC(),
		MeterCategory: m.Category, MeterID: m.ID.String(), MeterSubCategory: m.SubCategory, MeterName: m.Name, MeterRegion: m.Region,
		UnitOfMeasure: m.Unit, ResourceLocation: l.Location, ConsumedService: l.ConsumedService, ResourceGroup: l.ResourceGroup,
		ResourceURI: l.ResourceURI, ChargeType: "new", UnitPrice: json.Number(l.UnitPrice.Amount.String()), Quantity: json.Number(l.Quantity.String()),
		UnitType: m.Unit, BillingPreTaxTotal: json.Number(l.Amount.Amount.String()), BillingCurrency: l.Amount.Currency,
		PricingPreTaxTotal: json.Number(l.Amount.Amount.String()), PricingCurrency: l.UnitPrice.Currency, Tags: tags, AdditionalInfo: map[string]string{},
		EffectiveUnitPrice: json.Number(l.UnitPrice.Amount.String()), PCToBCExchangeRate: "1", PCToBCExchangeRateDate: from,
		EntitlementID: l.Entitlement.ID.String(), EntitlementDescription: l.Entitlement.FriendlyName,
		RateOfPartnerEarnedCredit: "0", RateOfCredit: "0", Attributes: attrs("DailyRatedUsageLineItem")}
}
