package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
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

// termAndBilling renders "P1Y:monthly" as Partner Center's "1 Year - Monthly".
func termAndBilling(key string) (string, string) {
	term, cycle, _ := strings.Cut(key, ":")
	names := map[string]string{"P1M": "1 Month", "P1Y": "1 Year", "P3Y": "3 Years", "monthly": "Monthly", "annual": "Annual", "triennial": "Triennial"}
	return names[term] + " - " + names[cycle], names[cycle]
}

func (s *Server) unbilledLineItems(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if p := strings.ToLower(q.Get("provider")); p != "onetime" {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "provider %q is not available: use provider=onetime (new-commerce licence charges)", q.Get("provider")))
		return
	}
	if t := strings.ToLower(q.Get("invoiceLineItemType")); t != "billinglineitems" {
		writeError(w, r, csp.Errorf(csp.EInvalidQuery, "invoiceLineItemType %q is not available: use billinglineitems", q.Get("invoiceLineItemType")))
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
	items := make([]reconLineJSON, len(page.Charges))
	for i, c := range page.Charges {
		t := page.Tenants[c.TenantID]
		tb, freq := termAndBilling(c.TermAndBilling)
		line := reconLineJSON{PartnerID: page.Partner.ID.String(), CustomerID: c.TenantID.String(), CustomerName: t.DisplayName,
			CustomerDomainName: t.DefaultDomain(), CustomerCountry: t.Country, MpnID: page.Partner.MpnID, ResellerMpnID: c.ResellerMpnID,
			ProductID: c.ProductID, SkuID: c.SkuID, AvailabilityID: c.AvailabilityID, ProductName: c.ProductName, SkuName: c.SkuName,
			ChargeType: c.ChargeType, UnitPrice: money(c.UnitPrice), EffectiveUnitPrice: money(c.EffectiveUnitPrice), UnitType: "Licenses",
			Quantity: c.Quantity, Subtotal: money(c.Subtotal), TaxTotal: "0.00", TotalForCustomer: money(c.Subtotal), Currency: c.Currency,
			PublisherName: "Microsoft Corporation", PublisherID: "", SubscriptionDescription: c.SkuName, SubscriptionID: c.SubscriptionID.String(),
			SubscriptionStartDate: c.SubscriptionStart, SubscriptionEndDate: c.SubscriptionEnd, ChargeStartDate: c.ChargeStart, ChargeEndDate: c.ChargeEnd,
			TermAndBillingCycle: tb, AlternateID: c.ID.String(), PricingCurrency: c.Currency, PCToBCExchangeRate: "1",
			PCToBCExchangeRateDate: time.Date(c.PostedAt.Year(), c.PostedAt.Month(), 1, 0, 0, 0, 0, time.UTC),
			BillableQuantity:       json.Number(c.BillableQuantity.StringFixed(6)), BillingFrequency: freq, Attributes: attrs("OneTimeInvoiceLineItem")}
		if c.OrderID != nil {
			line.OrderID = c.OrderID.String()
			if o := page.Orders[*c.OrderID]; o != nil {
				line.OrderDate = &o.CreatedAt
			}
		}
		items[i] = line
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/invoices/unbilled/lineitems?"+r.URL.RawQuery, next))
}
