package reconfile_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/reconfile"
)

// TestSampleLicenceFile reads testdata/licence.csv, whose numbers follow
// the commerce rules (C-2): Microsoft 365 Business Premium at 22.00 a
// month, 10 seats, then 5 more on 3/17 with 15 of March's 31 days left.
func TestSampleLicenceFile(t *testing.T) {
	lines := readLicences(t, testdata(t, "licence.csv"))
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4", len(lines))
	}
	cycle, credit, charge, trial := lines[0], lines[1], lines[2], lines[3]
	// cycleCharge: 22.00 × 10 = 220.00, over March.
	if cycle.ChargeType != "cycleCharge" || cycle.Quantity != 10 || !cycle.UnitPrice.Equal(dec("22")) || !cycle.Subtotal.Equal(dec("220")) ||
		cycle.ChargeStartDate != day(2026, 3, 1) || cycle.ChargeEndDate != day(2026, 3, 31) || cycle.OrderDate != day(2025, 10, 1) ||
		cycle.BillingFrequency != "Monthly" || cycle.TermAndBillingCycle != "1 Year - Monthly" || cycle.UnitType != "Licenses" ||
		cycle.CustomerID != "9f8e1c52-7a4b-4d0e-b6a1-2c3d4e5f6a7b" || cycle.ProductCategory != "Microsoft 365" || cycle.ProductQualifiers != nil {
		t.Errorf("cycleCharge line: %+v", cycle)
	}
	// The addQuantity pair: 22 × 15/31 = 10.645161 (6 decimals), truncated
	// to 10.64 a seat: −10.64 × 10 = −106.40 and +10.64 × 15 = 159.60.
	if credit.ChargeType != "addQuantity" || !credit.EffectiveUnitPrice.Equal(dec("-10.645161")) || !credit.BillableQuantity.Equal(dec("10")) ||
		!credit.Subtotal.Equal(dec("-106.40")) || !credit.Total.Equal(dec("-106.40")) || credit.ChargeStartDate != day(2026, 3, 17) {
		t.Errorf("addQuantity credit: %+v", credit)
	}
	if charge.ChargeType != "addQuantity" || !charge.EffectiveUnitPrice.Equal(dec("10.645161")) || !charge.BillableQuantity.Equal(dec("15")) ||
		!charge.Subtotal.Equal(dec("159.60")) || charge.ReferenceID != credit.ReferenceID {
		t.Errorf("addQuantity charge: %+v", charge)
	}
	// The sample agrees with the rules' own arithmetic.
	if p := csp.ProratePrice(dec("22"), 15, 31); !p.Equal(charge.EffectiveUnitPrice) || !p.Neg().Equal(credit.EffectiveUnitPrice) {
		t.Errorf("ProratePrice(22, 15, 31) = %s", p)
	}
	if s := csp.Subtotal(credit.EffectiveUnitPrice, credit.PCToBCExchangeRate, credit.BillableQuantity); !s.Equal(credit.Subtotal) {
		t.Errorf("credit subtotal by the rules %s, in the file %s", s, credit.Subtotal)
	}
	// A trial: ["Trial"] in the file (quoted, quotes doubled), no frequency.
	if !slices.Equal(trial.ProductQualifiers, []string{"Trial"}) || trial.BillingFrequency != "" || trial.ChargeType != "new" ||
		trial.Quantity != 25 || !trial.Subtotal.IsZero() || trial.CustomerName != "Fabrikam Inc" {
		t.Errorf("trial line: %+v", trial)
	}
}

// A file of 2023: 46 columns (no ProductCategory), Tier2MpnId for
// ResellerMpnId, as real exports name it.
func TestPre2024LicenceFile(t *testing.T) {
	if n := len(records(t, "licence-2023.csv")[0]); n != 46 {
		t.Fatalf("the sample has %d columns, want 46", n)
	}
	lines := readLicences(t, testdata(t, "licence-2023.csv"))
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1", len(lines))
	}
	l := lines[0]
	// 18.10 × 3 = 54.30, VAT 20 % = 10.86, total 65.16.
	if l.ResellerMpnID != "7654321" || l.ProductCategory != "" || l.Currency != "GBP" || !l.Subtotal.Equal(dec("54.30")) ||
		!l.TaxTotal.Equal(dec("10.86")) || !l.Total.Equal(dec("65.16")) || l.SubscriptionEndDate != day(2024, 5, 31) || l.PromotionID != "" {
		t.Errorf("2023 line: %+v", l)
	}
}

// Tier2MpnId is also read in a file of 47 columns, with its value.
func TestTier2MpnIDIsResellerMpnID(t *testing.T) {
	recs := records(t, "licence.csv")
	i := field(t, recs[0], "ResellerMpnId")
	recs[0][i], recs[1][i] = "Tier2MpnId", "7654321"
	if got := readLicences(t, csvText(t, recs))[0].ResellerMpnID; got != "7654321" {
		t.Errorf("ResellerMpnID %q, want 7654321", got)
	}
}

// Columns are found by name: in another order, in lower case, with a
// byte order mark and columns this package does not know, the file reads
// as the sample does.
func TestColumnsByName(t *testing.T) {
	want := readLicences(t, testdata(t, "licence.csv"))
	reversed := records(t, "licence.csv")
	for _, r := range reversed {
		slices.Reverse(r)
	}
	lower := records(t, "licence.csv")
	for i := range lower[0] {
		lower[0][i] = strings.ToLower(lower[0][i])
	}
	extra := records(t, "licence.csv")
	for i := range extra {
		extra[i] = slices.Insert(extra[i], 3, "x")
		extra[i] = append(extra[i], "y")
	}
	extra[0][3], extra[0][len(extra[0])-1] = "Notes", "ResellerName"
	for name, text := range map[string]string{"reversed": csvText(t, reversed), "lower case": csvText(t, lower),
		"unknown columns": csvText(t, extra), "byte order mark": "\ufeff" + testdata(t, "licence.csv")} {
		if d := cmp.Diff(want, readLicences(t, text), equalLines); d != "" {
			t.Errorf("%s (-sample +read):\n%s", name, d)
		}
	}
}

// Dates also read in the ISO forms some tools write, and with leading
// zeros.
func TestDateForms(t *testing.T) {
	for _, s := range []string{"10/3/2020", "2020-10-03", "2020-10-03T00:00:00Z", "10/03/2020"} {
		l := readLicences(t, withValue(t, "licence.csv", 1, "ChargeStartDate", s))[0]
		if l.ChargeStartDate != day(2020, 10, 3) {
			t.Errorf("%s read as %s, want 2020-10-03 UTC", s, l.ChargeStartDate)
		}
	}
}

// Charge types, currencies and frequencies match whatever their case and
// read in Microsoft's spelling; qualifiers read as a semicolon list too.
func TestValuesNormalised(t *testing.T) {
	recs := records(t, "licence.csv")
	recs[1][field(t, recs[0], "ChargeType")] = "CYCLECHARGE"
	recs[1][field(t, recs[0], "Currency")] = "usd"
	recs[1][field(t, recs[0], "BillingFrequency")] = "monthly"
	recs[1][field(t, recs[0], "ProductQualifiers")] = "Trial; Promotion"
	l := readLicences(t, csvText(t, recs))[0]
	if l.ChargeType != "cycleCharge" || l.Currency != "USD" || l.BillingFrequency != "Monthly" || !slices.Equal(l.ProductQualifiers, []string{"Trial", "Promotion"}) {
		t.Errorf("read %q %q %q %q", l.ChargeType, l.Currency, l.BillingFrequency, l.ProductQualifiers)
	}
}

// TestSampleUsageFile: a Standard_B2s VM at 0.0416 an hour in US East,
// 24 hours on 3/14 with a 15 % partner-earned credit, 10 hours on 3/15
// without.
func TestSampleUsageFile(t *testing.T) {
	lines := readUsages(t, testdata(t, "usage.csv"))
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	pec, plain := lines[0], lines[1]
	// 0.0416 × 0.85 = 0.03536 an hour; × 24 = 0.84864.
	if pec.UsageDate != day(2026, 3, 14) || pec.MeterName != "B2s" || pec.UnitType != "1 Hour" || !pec.Quantity.Equal(dec("24")) ||
		!pec.EffectiveUnitPrice.Equal(dec("0.03536")) || !pec.BillingPreTaxTotal.Equal(dec("0.84864")) ||
		!pec.PartnerEarnedCreditPercentage.Equal(dec("15")) || pec.EntitlementID != "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e" ||
		pec.AdditionalInfo != `{"ImageType":null,"ServiceType":"Standard_B2s","VMName":null,"VCPUs":2}` || pec.Tags != `{"env":"prod"}` {
		t.Errorf("usage line with PEC: %+v", pec)
	}
	if !pec.EffectiveUnitPrice.Mul(pec.Quantity).Equal(pec.BillingPreTaxTotal) {
		t.Errorf("0.03536 × 24 is not the file's %s", pec.BillingPreTaxTotal)
	}
	// 0.0416 × 10 = 0.416; empty percentages read as 0.
	if plain.UsageDate != day(2026, 3, 15) || !plain.BillingPreTaxTotal.Equal(dec("0.416")) || !plain.PartnerEarnedCreditPercentage.IsZero() ||
		!plain.CreditPercentage.IsZero() || plain.CreditType != "" {
		t.Errorf("usage line without PEC: %+v", plain)
	}
}

// A usage file from before savings plans lacks the Benefit columns.
func TestUsageFileWithoutBenefitColumns(t *testing.T) {
	recs := records(t, "usage.csv")
	for i := range recs {
		recs[i] = recs[i][:len(recs[i])-3]
	}
	if got := readUsages(t, csvText(t, recs)); len(got) != 2 || got[0].BenefitType != "" {
		t.Errorf("read %d lines", len(got))
	}
}

func TestKindCalls(t *testing.T) {
	r, err := reconfile.NewReader(strings.NewReader(testdata(t, "usage.csv")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadLicence(); err == nil {
		t.Error("ReadLicence read a usage file")
	}
}

// TestEnded: a bad value leaves the file open; a malformed CSV ends it.
func TestEnded(t *testing.T) {
	bad := licenceHeader + "\n" + strings.Repeat(",", 46) + "\n" + `"unterminated` + "\n"
	r, err := reconfile.NewReader(strings.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadLicence(); err == nil || r.Ended() {
		t.Fatalf("a row of empty values: %v, ended %v", err, r.Ended())
	}
	if _, err := r.ReadLicence(); err == nil || !r.Ended() {
		t.Fatalf("a bad quote: %v, ended %v", err, r.Ended())
	}
}
