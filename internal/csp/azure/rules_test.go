package azure

import (
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
)

func TestNamingRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	for _, c := range []struct {
		t    Type
		name string
		code csp.Code // 0: accepted
	}{
		{TypeVirtualMachine, "web-01", 0}, {TypeVirtualMachine, long(64), 0}, {TypeVirtualMachine, long(65), csp.EAzureInvalidResourceName},
		{TypeVirtualMachine, "vm_", 0}, {TypeVirtualMachine, "vm-", csp.EAzureInvalidResourceName}, {TypeVirtualMachine, "vm.", csp.EAzureInvalidResourceName},
		{TypeVirtualMachine, "_vm", csp.EAzureInvalidResourceName}, {TypeVirtualMachine, "my vm", csp.EAzureInvalidResourceName},
		{TypeStorageAccount, "abc", 0}, {TypeStorageAccount, "ab", csp.EAzureInvalidResourceName}, {TypeStorageAccount, long(24), 0},
		{TypeStorageAccount, long(25), csp.EAzureInvalidResourceName}, {TypeStorageAccount, "Abc", csp.EAzureInvalidResourceName}, {TypeStorageAccount, "ab-c", csp.EAzureInvalidResourceName},
		{TypeSQLServer, "sql-1", 0}, {TypeSQLServer, "-sql", csp.EAzureInvalidResourceName}, {TypeSQLServer, "Sql", csp.EAzureInvalidResourceName}, {TypeSQLServer, long(63), 0}, {TypeSQLServer, long(64), csp.EAzureInvalidResourceName},
		{TypeSQLDatabase, "Sales DB (2026)", 0}, {TypeSQLDatabase, "a/b", csp.EAzureInvalidResourceName}, {TypeSQLDatabase, "db.", csp.EAzureInvalidResourceName},
		{TypeSQLDatabase, "db ", csp.EAzureInvalidResourceName}, {TypeSQLDatabase, "Master", csp.EAzureDatabaseNameReserved}, {TypeSQLDatabase, long(129), csp.EAzureInvalidResourceName},
		{TypeVirtualNetwork, "v", csp.EAzureInvalidResourceName}, {TypeVirtualNetwork, "vnet.hub_", 0},
		{TypeAppServicePlan, "plan-1", 0}, {TypeAppServicePlan, long(61), csp.EAzureInvalidResourceName},
		{TypeWebApp, "a", csp.EAzureInvalidResourceName}, {TypeWebApp, "shop-web", 0}, {TypeWebApp, "shop-", csp.EAzureInvalidResourceName},
	} {
		err := CheckName(c.t, c.name)
		if csp.ErrorCode(err) != c.code && !(c.code == 0 && err == nil) {
			t.Errorf("%s %q: got %v, want code %d", c.t, c.name, err, c.code)
		}
	}
	for name, ok := range map[string]bool{"rg": true, "Web_RG-(1).a": true, "rg.": false, "": false, strings.Repeat("r", 90): true,
		strings.Repeat("r", 91): false, "rg#1": false, "grüße": true} {
		if err := CheckGroupName(name); (err == nil) != ok {
			t.Errorf("group %q: %v", name, err)
		}
	}
}

func TestCheckTags(t *testing.T) {
	many := map[string]string{}
	for i := range 51 {
		many[strings.Repeat("k", i+1)] = "v"
	}
	for _, c := range []struct {
		tags map[string]string
		ok   bool
	}{
		{map[string]string{"env": "prod", "cost-center": ""}, true},
		{many, false},
		{map[string]string{"a/b": "x"}, false},
		{map[string]string{"a": strings.Repeat("v", 257)}, false},
		{map[string]string{strings.Repeat("k", 513): "v"}, false},
	} {
		if err := CheckTags(c.tags); (err == nil) != c.ok {
			t.Errorf("%d tags: %v", len(c.tags), err)
		}
	}
}

func TestCheckSpec(t *testing.T) {
	p := Prices()
	vm := NewResourceID(subA, "rg", TypeVirtualMachine, "vm1")
	got, err := CheckSpec(vm, Spec{Location: "East US", Sku: "standard_b2s", Kind: "ignored"}, p)
	if err != nil || got.Location != "eastus" || got.Sku != "Standard_B2s" || got.Kind != "" {
		t.Fatalf("vm spec: %+v %v", got, err)
	}
	sa := NewResourceID(subA, "rg", TypeStorageAccount, "data01")
	vnet := NewResourceID(subA, "rg", TypeVirtualNetwork, "hub")
	web := NewResourceID(subA, "rg", TypeWebApp, "shop-web")
	plan := NewResourceID(subA, "rg", TypeAppServicePlan, "plan").String()
	for _, c := range []struct {
		id   ResourceID
		s    Spec
		code csp.Code
	}{
		{vm, Spec{Location: "mars", Sku: "Standard_B2s"}, csp.EAzureInvalidLocation},
		{vm, Spec{Location: "eastus"}, csp.EAzureInvalidProperty},
		{vm, Spec{Location: "eastus", Sku: "Standard_M128"}, csp.EAzureSkuNotAvailable},
		{NewResourceID(subA, "rg.", TypeVirtualMachine, "vm1"), Spec{Location: "eastus", Sku: "Standard_B2s"}, csp.EAzureInvalidGroupName},
		{sa, Spec{Location: "eastus", Sku: "Standard_LRS", Kind: "BlobStorage"}, csp.EAzureInvalidKind},
		{sa, Spec{Location: "eastus", Sku: "Premium_LRS", Kind: "StorageV2"}, csp.EAzureInvalidKind},
		{vnet, Spec{Location: "eastus"}, csp.EAzureInvalidAddressSpace},
		{vnet, Spec{Location: "eastus", AddressPrefixes: []string{"10.0.0.1/16"}}, csp.EAzureInvalidAddressSpace},
		{vnet, Spec{Location: "eastus", AddressPrefixes: []string{"10.0.0.0/30"}}, csp.EAzureInvalidAddressSpace},
		{vnet, Spec{Location: "eastus", AddressPrefixes: []string{"10.0.0.0/16", "10.0.128.0/17"}}, csp.EAzureInvalidAddressSpace},
		{vnet, Spec{Location: "eastus", AddressPrefixes: []string{"fd00::/48"}}, csp.EAzureInvalidAddressSpace},
		{web, Spec{Location: "eastus"}, csp.EAzureInvalidProperty},
		{web, Spec{Location: "eastus", ServerFarmID: vm.String()}, csp.EAzureInvalidProperty},
		{web, Spec{Location: "eastus", ServerFarmID: NewResourceID(subB, "rg", TypeAppServicePlan, "plan").String()}, csp.EAzureInvalidProperty},
		{vm, Spec{Location: "eastus", Sku: "Standard_B2s", Tags: map[string]string{"a?": "b"}}, csp.EAzureInvalidTags},
	} {
		if _, err := CheckSpec(c.id, c.s, p); csp.ErrorCode(err) != c.code {
			t.Errorf("%s %+v: got %v, want code %d", c.id, c.s, err, c.code)
		}
	}
	got, err = CheckSpec(sa, Spec{Location: "uksouth", Sku: "premium_lrs", Kind: "blockblobstorage"}, p)
	if err != nil || got.Kind != KindBlockBlobStorage || got.Sku != "Premium_LRS" {
		t.Errorf("premium account: %+v %v", got, err)
	}
	got, err = CheckSpec(vnet, Spec{Location: "westeurope", AddressPrefixes: []string{"10.0.0.0/16", "10.1.0.0/24"}}, p)
	if err != nil || len(got.AddressPrefixes) != 2 || got.Sku != "" {
		t.Errorf("vnet: %+v %v", got, err)
	}
	if _, err := CheckSpec(web, Spec{Location: "eastus", ServerFarmID: strings.ToLower(plan)}, p); err != nil {
		t.Errorf("web app on a plan: %v", err)
	}
}

func TestPowerAndPlacementRules(t *testing.T) {
	vm := NewResource(NewResourceID(subA, "rg", TypeVirtualMachine, "vm1"), Spec{Location: "eastus", Sku: "Standard_B2s"}, t0)
	if vm.PowerState != PowerRunning || !vm.Running() {
		t.Fatalf("a new vm runs: %+v", vm)
	}
	off, changed, err := vm.Deallocate()
	if err != nil || !changed || off.PowerState != PowerDeallocated || off.Running() {
		t.Fatalf("deallocate: %+v %v %v", off, changed, err)
	}
	if _, changed, _ := off.Deallocate(); changed {
		t.Error("deallocating a deallocated vm changes nothing")
	}
	if on, changed, _ := off.Start(); !changed || !on.Running() {
		t.Error("start runs it again")
	}
	vnet := NewResource(NewResourceID(subA, "rg", TypeVirtualNetwork, "hub"), Spec{Location: "eastus"}, t0)
	if _, _, err := vnet.Start(); csp.ErrorCode(err) != csp.EAzureInvalidOperation {
		t.Errorf("start a vnet: %v", err)
	}
	if vnet.Metered() || vnet.Running() {
		t.Error("virtual networks are free")
	}
	server := NewResource(NewResourceID(subA, "rg", TypeSQLServer, "sql1"), Spec{Location: "eastus"}, t0)
	if err := CheckParent(Spec{Location: "westus2"}, server); csp.ErrorCode(err) != csp.EAzureLocationMismatch {
		t.Errorf("database elsewhere than its server: %v", err)
	}
	if err := CheckPlan(Spec{Location: "eastus"}, server); err != nil {
		t.Errorf("same region: %v", err)
	}
	if err := CheckUpdate(vm, Spec{Location: "westus2", Sku: "Standard_B2s"}); csp.ErrorCode(err) != csp.EAzureLocationMismatch {
		t.Errorf("moving a vm: %v", err)
	}
}
