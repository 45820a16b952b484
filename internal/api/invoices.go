package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

// periodOf is the month of the sandbox (or wall) clock that
// period=current|previous names.
func periodOf(now time.Time, period string) (time.Time, time.Time, error) {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	switch strings.ToLower(period) {
	case "", "current":
		return first, first.AddDate(0, 1, 0), nil
	case "previous":
		return first.AddDate(0, -1, 0), first, nil
	}
	return time.Time{}, time.Time{}, csp.Errorf(csp.EInvalidQuery, "period %q is not valid: use current or previous", period)
}

var invoicesDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/invoices/unbilled/lineitems", Tag: "Invoices", Paged: true,
		Summary: "The reconciliation line items not yet invoiced (Microsoft's offers), or the Azure daily rated usage lines",
		Query: []openapi.Param{{Name: "provider", Required: true, Enum: []string{"onetime"}}, {Name: "invoiceLineItemType", Required: true, Enum: []string{"billinglineitems", "usagelineitems"},
			Description: "billinglineitems: licence charges (OneTimeInvoiceLineItem); usagelineitems: Azure daily rated usage (DailyRatedUsageLineItem)."},
			{Name: "currencyCode", Required: true, Description: "USD, CAD, GBP or EUR."},
			{Name: "period", Enum: []string{"current", "previous"}, Description: "The month of the clock; default current."}},
		Responses: openapi.OK(unbilledLinesDoc{})},
}

// reconLineJSON is Partner Center's new-commerce (one-time provider)
// reconciliation line item.
type reconLineJSON struct {
	PartnerID                  string            `json:"partnerId"`
	CustomerID                 string            `json:"customerId"`
	CustomerName               string            `json:"customerName"`
	CustomerDomainName         string            `json:"customerDomainName"`
	CustomerCountry            string            `json:"customerCountry"`
	InvoiceNumber              string            `json:"invoiceNumber"`
	MpnID                      string            `json:"mpnId"`
	ResellerMpnID              string            `json:"resellerMpnId"`
	OrderID                    string            `json:"orderId"`
	OrderDate                  *time.Time        `json:"orderDate"`
	ProductID                  string            `json:"productId"`
	SkuID                      string            `json:"skuId"`
	AvailabilityID             string            `json:"availabilityId"`
	ProductName                string            `json:"productName"`
	SkuName                    string            `json:"skuName"`
	ChargeType                 csp.ChargeType    `json:"chargeType"`
	UnitPrice                  json.Number       `json:"unitPrice"`
	EffectiveUnitPrice         json.Number       `json:"effectiveUnitPrice"`
	UnitType                   string            `json:"unitType"`
	Quantity                   int               `json:"quantity"`
	Subtotal                   json.Number       `json:"subtotal"`
	TaxTotal                   json.Number       `json:"taxTotal"`
	TotalForCustomer           json.Number       `json:"totalForCustomer"`
	Currency                   string            `json:"currency"`
	PublisherName              string            `json:"publisherName"`
	PublisherID                string            `json:"publisherId"`
	SubscriptionDescription    string            `json:"subscriptionDescription"`
	SubscriptionID             string            `json:"subscriptionId"`
	SubscriptionStartDate      time.Time         `json:"subscriptionStartDate"`
	SubscriptionEndDate        time.Time         `json:"subscriptionEndDate"`
	ChargeStartDate            time.Time         `json:"chargeStartDate"`
	ChargeEndDate              time.Time         `json:"chargeEndDate"`
	TermAndBillingCycle        string            `json:"termAndBillingCycle"`
	AlternateID                string            `json:"alternateId"`
	ReferenceID                string            `json:"referenceId"`
	ProductQualifiers          []string          `json:"productQualifiers"`
	PriceAdjustmentDescription string            `json:"priceAdjustmentDescription"`
	PricingCurrency            string            `json:"pricingCurrency"`
	PCToBCExchangeRate         json.Number       `json:"pcToBCExchangeRate"`
	PCToBCExchangeRateDate     time.Time         `json:"pcToBCExchangeRateDate"`
	BillableQuantity           json.Number       `json:"billableQuantity"`
	MeterDescription           string            `json:"meterDescription"`
	BillingFrequency           string            `json:"billingFrequency"`
	ReservationOrderID         string            `json:"reservationOrderId"`
	CreditReasonCode           string            `json:"creditReasonCode"`
	PromotionID                string            `json:"promotionId"`
	Attributes                 map[string]string `json:"attributes"`
}

func (s *Server) unbilledLineItems(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if p := strings.ToLower(q.Get("provider")); p != "onetime" {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "provider %q is not available: use provider=onetime (new-commerce licence charges)", q.Get("provider")))
		return
	}
	lineType := strings.ToLower(q.Get("invoiceLineItemType"))
	if lineType != "billinglineitems" && lineType != "usagelineitems" {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "invoiceLineItemType %q is not available: use billinglineitems (licence charges) or usagelineitems (Azure daily rated usage)", q.Get("invoiceLineItemType")))
		return
	}
	currency := strings.ToUpper(q.Get("currencyCode"))
	if len(currency) != 3 {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "currencyCode is required (USD, CAD, GBP, EUR)"))
		return
	}
	from, to, err := periodOf(s.app.Now(r.Context()), q.Get("period"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if lineType == "usagelineitems" {
		s.unbilledUsageLineItems(w, r, currency, from, to)
		return
	}
	kind := "unbilled:" + currency + ":" + from.Format("2006-01")
	// Partner Center's default page of line items is 2000; ours is at most
	// 1000 (DESIGN.md), with the next page offered while lines remain.
	pg, err := page[app.Cursor](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	page, err := s.app.UnbilledCharges(r.Context(), principal(r), currency, from, to, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	next := nextToken(kind, page.Next)
	items := make([]reconLineJSON, len(page.Lines))
	for i, l := range page.Lines {
		items[i] = reconLineResource(page.Partner, l)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/invoices/unbilled/lineitems?"+r.URL.RawQuery, next))
}

func reconLineResource(p *csp.Partner, l csp.ReconLine) reconLineJSON {
	t := l.Customer
	line := reconLineJSON{PartnerID: p.ID.String(), CustomerID: l.TenantID.String(), CustomerName: t.DisplayName,
		CustomerDomainName: t.DefaultDomain(), CustomerCountry: t.Country, InvoiceNumber: l.InvoiceNumber, MpnID: p.MpnID, ResellerMpnID: l.ResellerMpnID,
		OrderDate: l.OrderDate, ProductID: l.ProductID, SkuID: l.SkuID, AvailabilityID: l.AvailabilityID, ProductName: l.ProductName,
		SkuName: l.SkuName, ChargeType: l.ChargeType, UnitPrice: money(l.UnitPrice.Amount), EffectiveUnitPrice: unitPrice(l.EffectiveUnitPrice.Amount),
		UnitType: l.UnitType, Quantity: l.Quantity, Subtotal: money(l.Subtotal.Amount), TaxTotal: money(l.TaxTotal.Amount),
		TotalForCustomer: money(l.TotalForCustomer.Amount), Currency: l.Subtotal.Currency, PublisherName: l.PublisherName,
		SubscriptionDescription: l.SkuName, SubscriptionID: l.SubscriptionID.String(), SubscriptionStartDate: l.SubscriptionStart,
		SubscriptionEndDate: l.SubscriptionEnd, ChargeStartDate: l.ChargeStart, ChargeEndDate: l.ChargeEnd,
		TermAndBillingCycle: l.TermAndBillingCycle, AlternateID: l.ID.String(), PricingCurrency: l.PricingCurrency,
		PCToBCExchangeRate: json.Number(l.PCToBCExchangeRate.String()), PCToBCExchangeRateDate: l.PCToBCExchangeRateDate,
		BillableQuantity: json.Number(l.BillableQuantity.String()), BillingFrequency: l.BillingFrequency,
		ReferenceID: l.ReferenceID.String(), ProductQualifiers: qualifiers(l.ProductQualifiers), PromotionID: l.PromotionID,
		Attributes: attrs("OneTimeInvoiceLineItem")}
	if l.OrderID != nil {
		line.OrderID = l.OrderID.String()
	}
	return line
}
