package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/reconfile"
)

// Reconciliation files (DESIGN.md "Billing"): an invoice's lines, or a
// period's unbilled lines, as Partner Center's CSV files
// (internal/reconfile), page by page so that memory stays flat. start is
// called once, when the first page was read: a refusal before it is the
// caller's to answer in its own shape; after it the file is being written.

// InvoiceReconciliation writes an invoice's licence lines, or its usage
// lines, as the new-commerce reconciliation or daily rated usage file.
func (a *App) InvoiceReconciliation(ctx context.Context, p csp.Principal, number string, usage bool, start func() *reconfile.Writer) error {
	var out *reconfile.Writer
	var after *int
	for {
		var next *int
		if usage {
			got, err := a.InvoiceUsageLines(ctx, p, number, Page[int]{After: after})
			if err != nil {
				return err
			}
			if out == nil {
				out = start()
			}
			m := got.Invoice.Period
			for _, l := range got.Lines {
				row := usageRow(got.Partner, RatedUsageLine{RatedLine: l.Rated, Customer: l.Customer, Plan: l.Plan, Entitlement: l.Entitlement}, m.Start(), m.End())
				row.InvoiceNumber, row.EffectiveUnitPrice, row.PricingPreTaxTotal = got.Invoice.Number, l.EffectiveUnitPrice, l.PricingPreTax
				row.BillingPreTaxTotal, row.BillingCurrency, row.PCToBCExchangeRate, row.PCToBCExchangeRateDate = l.Subtotal, got.Invoice.Currency, l.Rate, m.Start()
				row.PartnerEarnedCreditPercentage = l.PECPercent
				if err := out.WriteUsage(row); err != nil {
					return err
				}
			}
			next = got.Next
		} else {
			got, err := a.InvoiceLines(ctx, p, number, Page[int]{After: after})
			if err != nil {
				return err
			}
			if out == nil {
				out = start()
			}
			for _, l := range got.Lines {
				if err := out.WriteLicence(licenceRow(got.Partner, l)); err != nil {
					return err
				}
			}
			next = got.Next
		}
		if err := out.Flush(); err != nil || next == nil {
			return err
		}
		after = next
	}
}

// UnbilledReconciliation writes the partner's unbilled lines of [from, to)
// in a currency: its licence charges, or its daily rated usage (priced and
// billed in USD, decision 111: another currency has no usage lines).
func (a *App) UnbilledReconciliation(ctx context.Context, p csp.Principal, currency string, from, to time.Time, usage bool, start func() *reconfile.Writer) error {
	var out *reconfile.Writer
	if usage {
		var after *RatedCursor
		for {
			got, err := a.UnbilledAzureUsage(ctx, p, from, to, Page[RatedCursor]{After: after})
			if err != nil {
				return err
			}
			if out == nil {
				out = start()
			}
			if currency != azure.PriceCurrency {
				return out.Flush()
			}
			for _, l := range got.Lines {
				if err := out.WriteUsage(usageRow(got.Partner, l, from, to)); err != nil {
					return err
				}
			}
			if err := out.Flush(); err != nil || got.Next == nil {
				return err
			}
			after = got.Next
		}
	}
	var after *Cursor
	for {
		got, err := a.UnbilledCharges(ctx, p, currency, from, to, Page[Cursor]{After: after})
		if err != nil {
			return err
		}
		if out == nil {
			out = start()
		}
		for _, l := range got.Lines {
			if err := out.WriteLicence(licenceRow(got.Partner, l)); err != nil {
				return err
			}
		}
		if err := out.Flush(); err != nil || got.Next == nil {
			return err
		}
		after = got.Next
	}
}

// licenceRow is a reconciliation line as a row of the new-commerce file.
func licenceRow(p *csp.Partner, l csp.ReconLine) reconfile.LicenceLine {
	t := l.Customer
	row := reconfile.LicenceLine{PartnerID: p.ID.String(), CustomerID: l.TenantID.String(), CustomerName: t.DisplayName, CustomerDomainName: t.DefaultDomain(),
		CustomerCountry: t.Country, InvoiceNumber: l.InvoiceNumber, MpnID: p.MpnID, ResellerMpnID: l.ResellerMpnID, ProductID: l.ProductID, SkuID: l.SkuID,
		AvailabilityID: l.AvailabilityID, SkuName: l.SkuName, ProductName: l.ProductName, ChargeType: string(l.ChargeType), UnitPrice: l.UnitPrice.Amount.Round(2),
		Quantity: l.Quantity, Subtotal: l.Subtotal.Amount, TaxTotal: l.TaxTotal.Amount, Total: l.TotalForCustomer.Amount, Currency: l.Subtotal.Currency,
		PublisherName: l.PublisherName, SubscriptionDescription: l.SkuName, SubscriptionID: l.SubscriptionID.String(), ChargeStartDate: l.ChargeStart,
		ChargeEndDate: l.ChargeEnd, TermAndBillingCycle: l.TermAndBillingCycle, EffectiveUnitPrice: l.EffectiveUnitPrice.Amount, UnitType: l.UnitType,
		AlternateID: l.ID.String(), BillableQuantity: l.BillableQuantity, BillingFrequency: l.BillingFrequency, PricingCurrency: l.PricingCurrency,
		PCToBCExchangeRate: l.PCToBCExchangeRate, PCToBCExchangeRateDate: l.PCToBCExchangeRateDate, SubscriptionStartDate: l.SubscriptionStart,
		SubscriptionEndDate: l.SubscriptionEnd, ReferenceID: l.ReferenceID.String(), ProductQualifiers: l.ProductQualifiers, PromotionID: l.PromotionID}
	if l.OrderID != nil {
		row.OrderID = l.OrderID.String()
	}
	if l.OrderDate != nil {
		row.OrderDate = *l.OrderDate
	}
	return row
}

// usageRow is a rated usage line of [from, to) as a row of the daily rated
// usage file, unbilled (the invoice's fields are set by its caller).
func usageRow(p *csp.Partner, l RatedUsageLine, from, to time.Time) reconfile.UsageLine {
	t, plan, m := l.Customer, l.Plan, l.Meter
	tags := l.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	tagText, _ := json.Marshal(tags)
	description := plan.FriendlyName
	if description == "" {
		description = plan.OfferName
	}
	return reconfile.UsageLine{PartnerID: p.ID.String(), PartnerName: p.Name, CustomerID: t.ID.String(), CustomerName: t.DisplayName,
		CustomerDomainName: t.DefaultDomain(), CustomerCountry: t.Country, MpnID: p.MpnID, Tier2MpnID: plan.ResellerMpnID, ProductID: plan.ProductID,
		SkuID: plan.SkuID, AvailabilityID: plan.AvailabilityID, SkuName: plan.OfferName, ProductName: plan.ProductName, PublisherName: "Microsoft",
		SubscriptionDescription: description, SubscriptionID: plan.ID.String(), ChargeStartDate: from, ChargeEndDate: to.AddDate(0, 0, -1),
		UsageDate: l.UsageDate.UTC(), MeterCategory: m.Category, MeterID: m.ID.String(), MeterSubCategory: m.SubCategory, MeterName: m.Name,
		MeterRegion: m.Region, Unit: m.Unit, ResourceLocation: l.Location, ConsumedService: l.ConsumedService, ResourceGroup: l.ResourceGroup,
		ResourceURI: l.ResourceURI, ChargeType: "new", UnitPrice: l.UnitPrice.Amount, Quantity: l.Quantity, UnitType: m.Unit,
		BillingPreTaxTotal: l.Amount.Amount, BillingCurrency: l.Amount.Currency, PricingPreTaxTotal: l.Amount.Amount, PricingCurrency: l.UnitPrice.Currency,
		Tags: string(tagText), AdditionalInfo: "{}", EffectiveUnitPrice: l.UnitPrice.Amount, PCToBCExchangeRate: decimal.NewFromInt(1),
		PCToBCExchangeRateDate: from, EntitlementID: l.Entitlement.ID.String(), EntitlementDescription: l.Entitlement.FriendlyName}
}
