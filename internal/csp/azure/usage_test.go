package azure

import (
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/shopspring/decimal"
)

func at(h, m int) time.Time { return t0.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestVMDeallocatedAtHalfPastOne(t *testing.T) {
	// A Standard_B2s in eastus runs from 2026-03-01T00:00Z and is
	// deallocated at 13:30Z. Hours 0 to 12 each run a full hour: 1.000000;
	// hour 13 runs 30 minutes: 0.500000; hours 14 to 23 nothing.
	vm := NewResource(NewResourceID(subA, "rg", TypeVirtualMachine, "vm1"), Spec{Location: "eastus", Sku: "Standard_B2s", Tags: map[string]string{"env": "prod"}}, t0)
	runs := []Interval{{Start: t0, End: at(13, 30), Sku: "Standard_B2s"}}
	recs, err := Usage(vm, runs, t0, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 14 {
		t.Fatalf("%d records, want 14 (hours 0..13)", len(recs))
	}
	for i, r := range recs {
		want := "1"
		if i == 13 {
			want = "0.5"
		}
		if !r.Start.Equal(at(i, 0)) || !r.End.Equal(at(i+1, 0)) || !r.Quantity.Equal(dec(want)) {
			t.Errorf("hour %d: [%s, %s) %s, want %s", i, r.Start, r.End, r.Quantity, want)
		}
	}
	r := recs[0]
	if r.MeterName != "B2s" || r.MeterCategory != "Virtual Machines" || r.MeterSubCategory != "BS Series" || r.MeterRegion != "US East" ||
		r.Unit != "1 Hour" || r.ResourceURI != vm.ID.String() || r.Location != "eastus" || r.ConsumedService != "Microsoft.Compute" ||
		r.ResourceGroup != "rg" || r.Tags["env"] != "prod" {
		t.Errorf("record fields: %+v", r)
	}
	// Rated: 13 × 1 + 0.5 = 13.5 hours at the B2s US East price of $0.0416:
	// 13.5 × 0.0416 = 0.5616.
	lines, err := Rate(recs)
	if err != nil || len(lines) != 1 {
		t.Fatalf("lines: %v %v", lines, err)
	}
	l := lines[0]
	if !l.Quantity.Equal(dec("13.5")) || !l.UnitPrice.Amount.Equal(dec("0.0416")) || !l.Amount.Amount.Equal(dec("0.5616")) ||
		l.Amount.Currency != "USD" || !l.UsageDate.Equal(t0) {
		t.Errorf("rated line: %s × %s = %s on %s", l.Quantity, l.UnitPrice, l.Amount, l.UsageDate)
	}
	// The same intervals give the same records.
	again, _ := Usage(vm, runs, t0, t0.Add(24*time.Hour))
	for i := range recs {
		if !again[i].Quantity.Equal(recs[i].Quantity) || again[i].MeterID != recs[i].MeterID || !again[i].Start.Equal(recs[i].Start) {
			t.Fatalf("hour %d differs on a second run", i)
		}
	}
}

func TestUsageEdges(t *testing.T) {
	vm := NewResource(NewResourceID(subA, "rg", TypeVirtualMachine, "vm1"), Spec{Location: "westeurope", Sku: "Standard_B1s"}, t0)
	// Created at 10:15 as B1s, resized at 10:45 to B2s, deallocated at 12:00,
	// started at 12:20 and still running: hour 10 gives B1s 0.5 and B2s
	// 0.25; hour 11 B2s 1; hour 12 B2s 40 min = 0.666667 (0.6666… rounded
	// half away); hour 13 B2s 1.
	runs := []Interval{
		{Start: at(10, 15), End: at(10, 45), Sku: "Standard_B1s"},
		{Start: at(10, 45), End: at(12, 0), Sku: "Standard_B2s"},
		{Start: at(12, 20), Sku: "Standard_B2s"},
	}
	recs, err := Usage(vm, runs, at(9, 30), at(14, 0)) // from truncates to 09:00
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.Start.Format("15")+" "+r.MeterName+" "+r.Quantity.String()+" "+r.MeterRegion)
	}
	want := "10 B1s 0.5 EU West|10 B2s 0.25 EU West|11 B2s 1 EU West|12 B2s 0.666667 EU West|13 B2s 1 EU West"
	if strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
	// One nanosecond of running rounds to zero and gives no record.
	if recs, _ := Usage(vm, []Interval{{Start: at(1, 0), End: at(1, 0).Add(1), Sku: "Standard_B1s"}}, t0, at(2, 0)); len(recs) != 0 {
		t.Errorf("a nanosecond: %v", recs)
	}
	vnet := NewResource(NewResourceID(subA, "rg", TypeVirtualNetwork, "hub"), Spec{Location: "eastus"}, t0)
	if recs, _ := Usage(vnet, []Interval{{Start: t0}}, t0, at(5, 0)); recs != nil {
		t.Errorf("virtual networks are free: %v", recs)
	}
	lost := NewResource(NewResourceID(subA, "rg", TypeVirtualMachine, "vm1"), Spec{Location: "eastus", Sku: "Standard_M128"}, t0)
	if _, err := Usage(lost, []Interval{{Start: t0, Sku: "Standard_M128"}}, t0, at(1, 0)); csp.ErrorCode(err) != csp.EAzureNoMeter {
		t.Errorf("no meter: %v", err)
	}
}

func TestStorageMetersGBMonths(t *testing.T) {
	// A Standard_LRS account in eastus for the whole of 2026-03-01: March
	// has 31 × 24 = 744 hours, so each hour meters 100 GB × 1/744 =
	// 0.134408602… GB-months, 0.134409 rounded. The day: 24 × 0.134409 =
	// 3.225816 GB-months at $0.018 = 0.058064688, 0.058065 rounded.
	sa := NewResource(NewResourceID(subA, "rg", TypeStorageAccount, "data01"), Spec{Location: "eastus", Sku: "Standard_LRS", Kind: KindStorageV2}, t0)
	recs, err := Usage(sa, []Interval{{Start: t0, Sku: "Standard_LRS"}}, t0, at(24, 0))
	if err != nil || len(recs) != 24 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	if !recs[5].Quantity.Equal(dec("0.134409")) || recs[5].Unit != "1 GB/Month" || recs[5].MeterName != "Hot LRS Data Stored" {
		t.Errorf("an hour: %+v", recs[5])
	}
	lines, _ := Rate(recs)
	if len(lines) != 1 || !lines[0].Quantity.Equal(dec("3.225816")) || !lines[0].Amount.Amount.Equal(dec("0.058065")) {
		t.Errorf("the day: %+v", lines)
	}
	// February 2026 has 28 × 24 = 672 hours: 100/672 = 0.148809523… → 0.14881.
	feb := time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)
	recs, _ = Usage(sa, []Interval{{Start: feb, Sku: "Standard_LRS"}}, feb, feb.Add(time.Hour))
	if len(recs) != 1 || !recs[0].Quantity.Equal(dec("0.14881")) {
		t.Errorf("a February hour: %+v", recs)
	}
}

func TestRateGroupsByDayResourceAndMeter(t *testing.T) {
	// Two VMs across midnight: vm1 (B1s, eastus, $0.0104) runs 22:00 to
	// 02:00, vm2 (D2s v3, eastus, $0.096) 23:30 to 00:30. Day 1: vm1 2 h →
	// 0.0208; vm2 0.5 h → 0.048. Day 2: vm1 2 h → 0.0208; vm2 0.5 h → 0.048.
	vm1 := NewResource(NewResourceID(subA, "rg", TypeVirtualMachine, "vm1"), Spec{Location: "eastus", Sku: "Standard_B1s"}, t0)
	vm2 := NewResource(NewResourceID(subA, "rg", TypeVirtualMachine, "vm2"), Spec{Location: "eastus", Sku: "Standard_D2s_v3"}, t0)
	r1, _ := Usage(vm1, []Interval{{Start: at(22, 0), End: at(26, 0), Sku: "Standard_B1s"}}, t0, at(48, 0))
	r2, _ := Usage(vm2, []Interval{{Start: at(23, 30), End: at(24, 30), Sku: "Standard_D2s_v3"}}, t0, at(48, 0))
	lines, err := Rate(append(r2, r1...))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, l.UsageDate.Format("02")+" "+l.ResourceURI[strings.LastIndex(l.ResourceURI, "/")+1:]+" "+l.Quantity.String()+" "+l.Amount.Amount.String())
	}
	if want := "01 vm1 2 0.0208|01 vm2 0.5 0.048|02 vm1 2 0.0208|02 vm2 0.5 0.048"; strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
	if s := Spend(lines); !s.Amount.Equal(dec("0.1376")) {
		t.Errorf("spend %s, want 0.0208×2 + 0.048×2 = 0.1376", s)
	}
}

func TestBudgetCrossed(t *testing.T) {
	usd := func(s string) csp.Money { return csp.NewMoney(dec(s), "USD") }
	for _, c := range []struct {
		budget, before, after string
		want                  bool
	}{
		{"100", "99.99", "100.00", true}, {"100", "50", "150", true}, {"100", "100", "101", false},
		{"100", "10", "99.999999", false}, {"0", "0", "5", false},
	} {
		got, err := Crossed(usd(c.budget), usd(c.before), usd(c.after))
		if err != nil || got != c.want {
			t.Errorf("budget %s, %s → %s: %v %v", c.budget, c.before, c.after, got, err)
		}
	}
	if _, err := Crossed(csp.NewMoney(dec("100"), "EUR"), usd("1"), usd("2")); err == nil {
		t.Error("currencies differ")
	}
	if CheckBudget(dec("-1")) == nil || CheckBudget(dec("0")) != nil {
		t.Error("budget amounts")
	}
}

func TestBuiltInPriceFile(t *testing.T) {
	p := Prices()
	// Every modelled sku of every metered type is priced in every region.
	for _, typ := range Types {
		for _, sku := range skus(typ) {
			for _, r := range Regions {
				if _, ok := p.Lookup(typ, sku, r.Name); !ok {
					t.Errorf("no meter for %s %s in %s", typ, sku, r.Name)
				}
			}
		}
	}
	m, _ := p.Lookup(TypeVirtualMachine, "Standard_B2s", "eastus")
	if !m.UnitPrice.Equal(dec("0.0416")) || m.Region != "US East" {
		t.Errorf("B2s US East: %+v", m)
	}
	if back, ok := p.ByID(m.ID); !ok || back.Name != "B2s" {
		t.Error("ByID")
	}
	head := strings.Join(priceColumns, "\t")
	for name, text := range map[string]string{
		"no header":  "",
		"bad header": "a\tb\n",
		"bad type":   head + "\nMicrosoft.Foo/bars\tx\teastus\t" + m.ID.String() + "\tc\ts\tn\tUS East\t1 Hour\t1\n",
		"bad price":  head + "\nMicrosoft.Compute/virtualMachines\tStandard_B1s\teastus\t" + m.ID.String() + "\tc\ts\tn\tUS East\t1 Hour\t-1\n",
		"bad region": head + "\nMicrosoft.Compute/virtualMachines\tStandard_B1s\teastus\t" + m.ID.String() + "\tc\ts\tn\tEU West\t1 Hour\t1\n",
		"dup id": head + "\nMicrosoft.Compute/virtualMachines\tStandard_B1s\teastus\t" + m.ID.String() + "\tc\ts\tn\tUS East\t1 Hour\t1\n" +
			"Microsoft.Compute/virtualMachines\tStandard_B2s\teastus\t" + m.ID.String() + "\tc\ts\tn\tUS East\t1 Hour\t1\n",
	} {
		if _, err := ParsePrices(text); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPECFieldAndEligibility(t *testing.T) {
	if !Prices().PECPercent.Equal(decimal.NewFromInt(15)) {
		t.Errorf("the built-in list's PEC: %s", Prices().PECPercent)
	}
	header := strings.Join(priceColumns, "\t")
	p, err := ParsePrices("@partnerEarnedCreditPercent\t12.5\n" + header + "\n")
	if err != nil || !p.PECPercent.Equal(decimal.RequireFromString("12.5")) {
		t.Errorf("a list's own PEC: %v, %v", p, err)
	}
	if p, err := ParsePrices(header + "\n"); err != nil || !p.PECPercent.Equal(decimal.NewFromInt(15)) {
		t.Errorf("no field: %v", err)
	}
	for _, bad := range []string{"@partnerEarnedCreditPercent\t150", "@partnerEarnedCreditPercent\tx", "@other\t1"} {
		if _, err := ParsePrices(bad + "\n" + header + "\n"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for m, want := range map[Meter]bool{
		{Category: "Virtual Machines", SubCategory: "BS Series", Name: "B2s"}:                    true,
		{Category: "Storage", SubCategory: "General Block Blob v2", Name: "Hot LRS Data Stored"}: true,
		{Category: "Virtual Machines", SubCategory: "BS Series", Name: "B2s Spot"}:               false,
		{Category: "Reservation", Name: "B2s 1 Year"}:                                            false,
		{Category: "Savings Plan", Name: "Compute"}:                                              false,
		{Category: "Azure Marketplace", Name: "Third-party image"}:                               false,
	} {
		if got := m.PECEligible(); got != want {
			t.Errorf("%s/%s/%s: eligible %v, want %v", m.Category, m.SubCategory, m.Name, got, want)
		}
	}
}
