package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/openapi"
	"github.com/opencsp/opencsp/internal/reconfile"
)

// Reconciliation files (DESIGN.md "Billing"): an invoice's billed lines, or
// the unbilled lines of a period, as Partner Center's CSV files with its
// column names and order (internal/reconfile). Each row is the JSON line
// item of the same call's lineitems twin, so the two never disagree. The
// file streams page by page: memory stays flat whatever its length.

var reconciliationDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/invoices/{invoice-id}/reconciliation", Tag: "Invoices",
		Summary:     "An invoice's reconciliation file (CSV)",
		Description: "billinglineitems: the new-commerce invoice reconciliation file (47 columns); usagelineitems: the daily rated usage file (55 columns). text/csv.",
		Query: []openapi.Param{{Name: "provider", Required: true, Enum: []string{"onetime"}},
			{Name: "invoiceLineItemType", Required: true, Enum: []string{"billinglineitems", "usagelineitems"}}},
		Responses: openapi.CSV()},
	{Method: http.MethodGet, Path: "/v1/invoices/unbilled/reconciliation", Tag: "Invoices",
		Summary: "The unbilled reconciliation file of a period (CSV)",
		Query: []openapi.Param{{Name: "provider", Required: true, Enum: []string{"onetime"}},
			{Name: "invoiceLineItemType", Required: true, Enum: []string{"billinglineitems", "usagelineitems"}},
			{Name: "currencyCode", Required: true}, {Name: "period", Enum: []string{"current", "previous"}}},
		Responses: openapi.CSV()},
}

// lineItemQuery reads provider and invoiceLineItemType.
func lineItemQuery(r *http.Request) (string, error) {
	q := r.URL.Query()
	if p := strings.ToLower(q.Get("provider")); p != "onetime" {
		return "", csp.Errorf(csp.EInvalidQuery, "provider %q is not available: use provider=onetime (new-commerce invoices)", q.Get("provider"))
	}
	lineType := strings.ToLower(q.Get("invoiceLineItemType"))
	if lineType != "billinglineitems" && lineType != "usagelineitems" {
		return "", csp.Errorf(csp.EInvalidQuery, "invoiceLineItemType %q is not available: use billinglineitems (licence charges) or usagelineitems (Azure daily rated usage)", q.Get("invoiceLineItemType"))
	}
	return lineType, nil
}

// csvFile starts a CSV answer once the first page is read (a refusal before
// it is the API's JSON error).
type csvFile struct {
	w    http.ResponseWriter
	out  *reconfile.Writer
	name string
	kind reconfile.Kind
}

func (f *csvFile) start() {
	if f.out != nil {
		return
	}
	f.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	f.w.Header().Set("Content-Disposition", `attachment; filename="`+f.name+`"`)
	f.w.WriteHeader(http.StatusOK)
	f.out = reconfile.NewWriter(f.w, f.kind)
}

func (s *Server) invoiceReconciliation(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(chi.URLParam(r, "invoiceId"))
	lineType, err := lineItemQuery(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	f := &csvFile{w: w, name: number + "-" + lineType + ".csv", kind: reconfile.Licence}
	if lineType == "usagelineitems" {
		f.kind = reconfile.Usage
	}
	var after *int
	for {
		var next *int
		if f.kind == reconfile.Usage {
			got, err := s.app.InvoiceUsageLines(r.Context(), principal(r), number, app.Page[int]{After: after})
			if err != nil {
				f.fail(r, err)
				return
			}
			f.start()
			for _, l := range got.Lines {
				if err := f.out.WriteUsage(usageRow(billedUsageLineOf(got, l))); err != nil {
					f.fail(r, err)
					return
				}
			}
			next = got.Next
		} else {
			got, err := s.app.InvoiceLines(r.Context(), principal(r), number, app.Page[int]{After: after})
			if err != nil {
				f.fail(r, err)
				return
			}
			f.start()
			for _, l := range got.Lines {
				if err := f.out.WriteLicence(licenceRow(reconLineResource(got.Partner, l))); err != nil {
					f.fail(r, err)
					return
				}
			}
			next = got.Next
		}
		if err := f.out.Flush(); err != nil || next == nil {
			return
		}
		after = next
	}
}

// fail answers a refusal before the file starts; once rows are out, the
// connection is cut (the client sees a short file, never a wrong one).
func (f *csvFile) fail(r *http.Request, err error) {
	if f.out == nil {
		writeError(f.w, r, err)
		return
	}
	panic(http.ErrAbortHandler)
}

func (s *Server) unbilledReconciliation(w http.ResponseWriter, r *http.Request) {
	lineType, err := lineItemQuery(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	q := r.URL.Query()
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
	f := &csvFile{w: w, name: "unbilled-" + from.Format("2006-01") + "-" + lineType + ".csv", kind: reconfile.Licence}
	if lineType == "usagelineitems" {
		f.kind = reconfile.Usage
		var after *app.RatedCursor
		for {
			got, err := s.app.UnbilledAzureUsage(r.Context(), principal(r), from, to, app.Page[app.RatedCursor]{After: after})
			if err != nil {
				f.fail(r, err)
				return
			}
			f.start()
			for _, l := range got.Lines {
				if currency != azure.PriceCurrency {
					break // priced and billed in USD (decision 111)
				}
				if err := f.out.WriteUsage(usageRow(usageLineOf(got, l, from, to))); err != nil {
					f.fail(r, err)
					return
				}
			}
			if err := f.out.Flush(); err != nil || got.Next == nil {
				return
			}
			after = got.Next
		}
	}
	var after *app.Cursor
	for {
		got, err := s.app.UnbilledCharges(r.Context(), principal(r), currency, from, to, app.Page[app.Cursor]{After: after})
		if err != nil {
			f.fail(r, err)
			return
		}
		f.start()
		for _, l := range got.Lines {
			if err := f.out.WriteLicence(licenceRow(reconLineResource(got.Partner, l))); err != nil {
				f.fail(r, err)
				return
			}
		}
		if err := f.out.Flush(); err != nil || got.Next == nil {
			return
		}
		after = got.Next
	}
}

func dec(n json.Number) decimal.Decimal {
	d, _ := decimal.NewFromString(string(n))
	return d
}

func day(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// licenceRow is a licence line item as a row of the reconciliation file.
func licenceRow(l reconLineJSON) reconfile.LicenceLine {
	return reconfile.LicenceLine{PartnerID: l.PartnerID, CustomerID: l.CustomerID, CustomerName: l.CustomerName, CustomerDomainName: l.CustomerDomainName,
		CustomerCountry: l.CustomerCountry, InvoiceNumber: l.InvoiceNumber, MpnID: l.MpnID, ResellerMpnID: l.ResellerMpnID, OrderID: l.OrderID,
		OrderDate: day(l.OrderDate), ProductID: l.ProductID, SkuID: l.SkuID, AvailabilityID: l.AvailabilityID, SkuName: l.SkuName, ProductName: l.ProductName,
		ChargeType: string(l.ChargeType), UnitPrice: dec(l.UnitPrice), Quantity: l.Quantity, Subtotal: dec(l.Subtotal), TaxTotal: dec(l.TaxTotal),
		Total: dec(l.TotalForCustomer), Currency: l.Currency, PriceAdjustmentDescription: l.PriceAdjustmentDescription, PublisherName: l.PublisherName,
		PublisherID: l.PublisherID, SubscriptionDescription: l.SubscriptionDescription, SubscriptionID: l.SubscriptionID, ChargeStartDate: l.ChargeStartDate,
		ChargeEndDate: l.ChargeEndDate, TermAndBillingCycle: l.TermAndBillingCycle, EffectiveUnitPrice: dec(l.EffectiveUnitPrice), UnitType: l.UnitType,
		AlternateID: l.AlternateID, BillableQuantity: dec(l.BillableQuantity), BillingFrequency: l.BillingFrequency, PricingCurrency: l.PricingCurrency,
		PCToBCExchangeRate: dec(l.PCToBCExchangeRate), PCToBCExchangeRateDate: l.PCToBCExchangeRateDate, MeterDescription: l.MeterDescription,
		ReservationOrderID: l.ReservationOrderID, CreditReasonCode: l.CreditReasonCode, SubscriptionStartDate: l.SubscriptionStartDate,
		SubscriptionEndDate: l.SubscriptionEndDate, ReferenceID: l.ReferenceID, ProductQualifiers: l.ProductQualifiers, PromotionID: l.PromotionID}
}

// usageRow is a daily rated usage line item as a row of its file.
func usageRow(l usageLineJSON) reconfile.UsageLine {
	tags, _ := json.Marshal(l.Tags)
	info, _ := json.Marshal(l.AdditionalInfo)
	return reconfile.UsageLine{PartnerID: l.PartnerID, PartnerName: l.PartnerName, CustomerID: l.CustomerID, CustomerName: l.CustomerName,
		CustomerDomainName: l.CustomerDomainName, CustomerCountry: l.CustomerCountry, MpnID: l.MpnID, Tier2MpnID: l.ResellerMpnID,
		InvoiceNumber: l.InvoiceNumber, ProductID: l.ProductID, SkuID: l.SkuID, AvailabilityID: l.AvailabilityID, SkuName: l.SkuName,
		ProductName: l.ProductName, PublisherName: l.PublisherName, PublisherID: l.PublisherID, SubscriptionDescription: l.SubscriptionDescription,
		SubscriptionID: l.SubscriptionID, ChargeStartDate: l.ChargeStartDate, ChargeEndDate: l.ChargeEndDate, UsageDate: l.UsageDate,
		MeterType: l.MeterType, MeterCategory: l.MeterCategory, MeterID: l.MeterID, MeterSubCategory: l.MeterSubCategory, MeterName: l.MeterName,
		MeterRegion: l.MeterRegion, Unit: l.UnitOfMeasure, ResourceLocation: l.ResourceLocation, ConsumedService: l.ConsumedService,
		ResourceGroup: l.ResourceGroup, ResourceURI: l.ResourceURI, ChargeType: l.ChargeType, UnitPrice: dec(l.UnitPrice), Quantity: dec(l.Quantity),
		UnitType: l.UnitType, BillingPreTaxTotal: dec(l.BillingPreTaxTotal), BillingCurrency: l.BillingCurrency, PricingPreTaxTotal: dec(l.PricingPreTaxTotal),
		PricingCurrency: l.PricingCurrency, ServiceInfo1: l.ServiceInfo1, ServiceInfo2: l.ServiceInfo2, Tags: string(tags), AdditionalInfo: string(info),
		EffectiveUnitPrice: dec(l.EffectiveUnitPrice), PCToBCExchangeRate: dec(l.PCToBCExchangeRate), PCToBCExchangeRateDate: l.PCToBCExchangeRateDate,
		EntitlementID: l.EntitlementID, EntitlementDescription: l.EntitlementDescription,
		PartnerEarnedCreditPercentage: dec(l.RateOfPartnerEarnedCredit).Mul(decimal.NewFromInt(100)), CreditPercentage: dec(l.RateOfCredit).Mul(decimal.NewFromInt(100)),
		CreditType: l.CreditType, BenefitOrderID: l.BenefitOrderID, BenefitID: l.BenefitID, BenefitType: l.BenefitType}
}
