package reconfile_test

import (
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opencsp/opencsp/internal/reconfile"
)

// The header lines of the task's contract, copied from Microsoft's column
// lists (ResellerMpnId as in Microsoft's pages).
const (
	licenceHeader = "PartnerId,CustomerId,CustomerName,CustomerDomainName,CustomerCountry,InvoiceNumber,MpnId,ResellerMpnId,OrderId,OrderDate,ProductId,SkuId,AvailabilityId,SkuName,ProductName,ChargeType,UnitPrice,Quantity,Subtotal,TaxTotal,Total,Currency,PriceAdjustmentDescription,PublisherName,PublisherId,SubscriptionDescription,SubscriptionId,ChargeStartDate,ChargeEndDate,TermAndBillingCycle,EffectiveUnitPrice,UnitType,AlternateId,BillableQuantity,BillingFrequency,PricingCurrency,PCToBCExchangeRate,PCToBCExchangeRateDate,MeterDescription,ReservationOrderId,CreditReasonCode,SubscriptionStartDate,SubscriptionEndDate,ReferenceId,ProductQualifiers,PromotionId,ProductCategory"
	usageHeader   = "PartnerId,PartnerName,CustomerId,CustomerName,CustomerDomainName,CustomerCountry,MpnId,Tier2MpnId,InvoiceNumber,ProductId,SkuId,AvailabilityId,SkuName,ProductName,PublisherName,PublisherId,SubscriptionDescription,SubscriptionId,ChargeStartDate,ChargeEndDate,UsageDate,MeterType,MeterCategory,MeterId,MeterSubCategory,MeterName,MeterRegion,Unit,ResourceLocation,ConsumedService,ResourceGroup,ResourceURI,ChargeType,UnitPrice,Quantity,UnitType,BillingPreTaxTotal,BillingCurrency,PricingPreTaxTotal,PricingCurrency,ServiceInfo1,ServiceInfo2,Tags,AdditionalInfo,EffectiveUnitPrice,PCToBCExchangeRate,PCToBCExchangeRateDate,EntitlementId,EntitlementDescription,PartnerEarnedCreditPercentage,CreditPercentage,CreditType,BenefitOrderId,BenefitId,BenefitType"
)

func TestWriterWritesTheExactHeaders(t *testing.T) {
	for _, tc := range []struct {
		kind   reconfile.Kind
		header string
		cols   int
	}{{reconfile.Licence, licenceHeader, 47}, {reconfile.Usage, usageHeader, 55}} {
		var b strings.Builder
		w := reconfile.NewWriter(&b, tc.kind)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.header+"\n" {
			t.Errorf("%v header:\n%s\nwant\n%s", tc.kind, b.String(), tc.header)
		}
		if n := strings.Count(tc.header, ",") + 1; n != tc.cols {
			t.Errorf("%v header has %d columns, want %d", tc.kind, n, tc.cols)
		}
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// licenceLine is a line with every column set, and the awkward values:
// a comma in TermAndBillingCycle, a quote in the description.
func licenceLine() reconfile.LicenceLine {
	return reconfile.LicenceLine{
		PartnerID: "3b33e682-00c3-41ee-9dd2-a548adf56438", CustomerID: "9f8e1c52-7a4b-4d0e-b6a1-2c3d4e5f6a7b",
		CustomerName: "Contoso Ltd", CustomerDomainName: "contoso.onmicrosoft.com", CustomerCountry: "US",
		InvoiceNumber: "G012345678", MpnID: "1234567", ResellerMpnID: "7654321",
		OrderID: "R6fd6vWFoKhyGqXz9xCMnM3L", OrderDate: day(2025, 10, 1),
		ProductID: "CFQ7TTC0LCHC", SkuID: "0002", AvailabilityID: "CFQ7TTC0LF8S",
		SkuName: "Microsoft 365 Business Premium", ProductName: "Microsoft 365 Business Premium",
		ChargeType: "cycleCharge", UnitPrice: dec("22"), Quantity: 10,
		Subtotal: dec("220"), TaxTotal: dec("15.40"), Total: dec("235.40"), Currency: "USD",
		PriceAdjustmentDescription: `["5% promotion"]`, PublisherName: "Microsoft Corporation", PublisherID: "",
		SubscriptionDescription: `Contoso "Sales" seats`, SubscriptionID: "5a6b7c8d-1e2f-4a3b-9c4d-5e6f7a8b9c0d",
		ChargeStartDate: day(2026, 3, 1), ChargeEndDate: day(2026, 3, 31),
		TermAndBillingCycle: "One-Year commitment, billed monthly", EffectiveUnitPrice: dec("22"),
		UnitType: "Licenses", AlternateID: "8c1f0b2e9d3a", BillableQuantity: dec("10"), BillingFrequency: "Monthly",
		PricingCurrency: "USD", PCToBCExchangeRate: dec("1"), PCToBCExchangeRateDate: day(2026, 3, 1),
		MeterDescription: "", ReservationOrderID: "", CreditReasonCode: "",
		SubscriptionStartDate: day(2025, 10, 1), SubscriptionEndDate: day(2026, 9, 30),
		ReferenceID: "c0ffee00-1111-4222-8333-944455556666", ProductQualifiers: []string{"Trial"},
		PromotionID: "39NFJQT1Q5KL:0002:39NFJQT1Q5KQ", ProductCategory: "Microsoft 365",
	}
}

func usageLine() reconfile.UsageLine {
	return reconfile.UsageLine{
		PartnerID: "3b33e682-00c3-41ee-9dd2-a548adf56438", PartnerName: "Adatum Cloud Services",
		CustomerID: "9f8e1c52-7a4b-4d0e-b6a1-2c3d4e5f6a7b", CustomerName: "Contoso, Ltd", CustomerDomainName: "contoso.onmicrosoft.com",
		CustomerCountry: "US", MpnID: "1234567", Tier2MpnID: "7654321", InvoiceNumber: "G012345679",
		ProductID: "DZH318Z0BPS6", SkuID: "0001", AvailabilityID: "DZH318Z09M0M", SkuName: "Microsoft Azure plan",
		ProductName: "Azure plan", PublisherName: "Microsoft", SubscriptionDescription: "Azure plan",
		SubscriptionID: "4c5d6e7f-8091-4a2b-9c3d-4e5f60718293", ChargeStartDate: day(2026, 3, 1), ChargeEndDate: day(2026, 3, 31),
		UsageDate: day(2026, 3, 14), MeterType: "1 Compute Hour", MeterCategory: "Virtual Machines",
		MeterID: "e2d1c0b9-a8f7-4e6d-8c5b-4a3928171605", MeterSubCategory: "BS Series", MeterName: "B2s", MeterRegion: "US East",
		Unit: "1 Hour", ResourceLocation: "eastus", ConsumedService: "Microsoft.Compute", ResourceGroup: "rg-web",
		ResourceURI: "/subscriptions/b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e/resourceGroups/rg-web", ChargeType: "new",
		UnitPrice: dec("0.0416"), Quantity: dec("24"), UnitType: "1 Hour",
		BillingPreTaxTotal: dec("0.84864"), BillingCurrency: "USD", PricingPreTaxTotal: dec("0.84864"), PricingCurrency: "USD",
		ServiceInfo1: "", ServiceInfo2: "", Tags: `{"env":"prod"}`, AdditionalInfo: `{"ServiceType":"Standard_B2s","VCPUs":2}`,
		EffectiveUnitPrice: dec("0.03536"), PCToBCExchangeRate: dec("1.0834"), PCToBCExchangeRateDate: day(2026, 3, 1),
		EntitlementID: "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", EntitlementDescription: "Contoso production",
		PartnerEarnedCreditPercentage: dec("15"), CreditPercentage: dec("15"), CreditType: "Partner Earned Credit Applied",
		BenefitOrderID: "a0b1c2d3", BenefitID: "e4f5a6b7", BenefitType: "SavingsPlan",
	}
}

func TestLicenceRoundTrip(t *testing.T) {
	credit := licenceLine()
	credit.ChargeType, credit.Quantity, credit.BillableQuantity = "addQuantity", 5, dec("10")
	credit.EffectiveUnitPrice, credit.Subtotal, credit.TaxTotal, credit.Total = dec("-10.645161"), dec("-106.40"), dec("0"), dec("-106.40")
	credit.OrderDate, credit.SubscriptionStartDate, credit.ProductQualifiers, credit.BillingFrequency = time.Time{}, time.Time{}, nil, ""
	want := []reconfile.LicenceLine{licenceLine(), credit}
	var b strings.Builder
	w := reconfile.NewWriter(&b, reconfile.Licence)
	for _, l := range want {
		if err := w.WriteLicence(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	// RFC 4180: a field with a comma or a quote is quoted, a quote doubled.
	for _, quoted := range []string{`,"One-Year commitment, billed monthly",`, `,"Contoso ""Sales"" seats",`, `,"[""Trial""]",`, `,"[""5% promotion""]",`} {
		if !strings.Contains(text, quoted) {
			t.Errorf("the file lacks %s:\n%s", quoted, text)
		}
	}
	// Amounts: 2 decimals for money, 6 for the effective unit price, the
	// rest as given; empty dates and qualifiers are empty fields.
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i, h := range rows[0] {
		got[h] = rows[2][i]
	}
	for col, v := range map[string]string{"UnitPrice": "22.00", "Subtotal": "-106.40", "TaxTotal": "0.00", "EffectiveUnitPrice": "-10.645161",
		"BillableQuantity": "10", "PCToBCExchangeRate": "1", "OrderDate": "", "ProductQualifiers": "", "Quantity": "5", "BillingFrequency": ""} {
		if got[col] != v {
			t.Errorf("%s written %q, want %q", col, got[col], v)
		}
	}
	if d := cmp.Diff(want, readLicences(t, text), equalLines); d != "" {
		t.Errorf("read back (-written +read):\n%s", d)
	}
}

func TestUsageRoundTrip(t *testing.T) {
	noCredit := usageLine()
	noCredit.UsageDate, noCredit.Quantity, noCredit.BillingPreTaxTotal, noCredit.PricingPreTaxTotal = day(2026, 3, 15), dec("10"), dec("0.416"), dec("0.416")
	noCredit.EffectiveUnitPrice, noCredit.PartnerEarnedCreditPercentage, noCredit.CreditPercentage, noCredit.CreditType = dec("0.0416"), dec("0"), dec("0"), ""
	want := []reconfile.UsageLine{usageLine(), noCredit}
	var b strings.Builder
	w := reconfile.NewWriter(&b, reconfile.Usage)
	for _, l := range want {
		if err := w.WriteUsage(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	// 0.84864 keeps its 5 decimals (never rounded to 2); 0.03536 is
	// padded to 6; the PEC is the number 15.
	for _, s := range []string{`,"Contoso, Ltd",`, `,new,0.0416,24,1 Hour,0.84864,USD,0.84864,USD,,,"{""env"":""prod""}",`, `,0.035360,1.0834,3/1/2026,`, `,15,15,Partner Earned Credit Applied,`, `,0.416,USD,0.416,USD,`} {
		if !strings.Contains(text, s) {
			t.Errorf("the file lacks %s:\n%s", s, text)
		}
	}
	if d := cmp.Diff(want, readUsages(t, text), equalLines); d != "" {
		t.Errorf("read back (-written +read):\n%s", d)
	}
}

// Dates are M/D/YYYY without leading zeros, of the UTC day.
func TestWriterDates(t *testing.T) {
	l := licenceLine()
	l.ChargeStartDate, l.ChargeEndDate = day(2026, 3, 5), day(2026, 12, 31)
	// 00:30 at +02:00 is 22:30 UTC the day before.
	l.OrderDate = time.Date(2026, 3, 5, 0, 30, 0, 0, time.FixedZone("EET", 2*3600))
	var b strings.Builder
	w := reconfile.NewWriter(&b, reconfile.Licence)
	if err := w.WriteLicence(l); err != nil {
		t.Fatal(err)
	}
	_ = w.Flush()
	if !strings.Contains(b.String(), ",3/5/2026,12/31/2026,") {
		t.Errorf("charge dates not 3/5/2026,12/31/2026:\n%s", b.String())
	}
	if !strings.Contains(b.String(), ",R6fd6vWFoKhyGqXz9xCMnM3L,3/4/2026,") {
		t.Errorf("order date not the UTC day 3/4/2026:\n%s", b.String())
	}
}

// The writer writes Microsoft's spelling whatever it is given, and refuses
// a line the Reader would refuse without writing it.
func TestWriterNormalisesAndRefuses(t *testing.T) {
	var b strings.Builder
	w := reconfile.NewWriter(&b, reconfile.Licence)
	bad := licenceLine()
	bad.CustomerID = "contoso"
	err := w.WriteLicence(bad)
	var e *reconfile.Error
	if !errors.As(err, &e) || e.Line != 2 || e.Column != "CustomerId" {
		t.Fatalf("a bad CustomerId: %v, want line 2, column CustomerId", err)
	}
	l := licenceLine()
	l.ChargeType, l.Currency, l.BillingFrequency = "CYCLECHARGE", "usd", "monthly"
	if err := w.WriteLicence(l); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteUsage(usageLine()); err == nil {
		t.Error("a usage line went into a licence file")
	}
	_ = w.Flush()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], ",cycleCharge,22.00,10,220.00,15.40,235.40,USD,") || !strings.Contains(lines[1], ",Monthly,USD,") {
		t.Errorf("want the header and one line with cycleCharge, USD and Monthly:\n%s", b.String())
	}
}
