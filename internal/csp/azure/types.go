package azure

import (
	"slices"
	"strings"
)

// Type is an ARM resource type, {namespace}/{type}[/{child type}], in ARM's
// canonical spelling.
type Type string

// The resource types this program models (DESIGN.md "Inside a tenant").
const (
	TypeVirtualMachine Type = "Microsoft.Compute/virtualMachines"
	TypeStorageAccount Type = "Microsoft.Storage/storageAccounts"
	TypeSQLServer      Type = "Microsoft.Sql/servers"
	TypeSQLDatabase    Type = "Microsoft.Sql/servers/databases"
	TypeVirtualNetwork Type = "Microsoft.Network/virtualNetworks"
	TypeAppServicePlan Type = "Microsoft.Web/serverfarms"
	TypeWebApp         Type = "Microsoft.Web/sites"
)

// Types lists the resource types that live in resource groups, parents
// before their children.
var Types = []Type{TypeVirtualMachine, TypeStorageAccount, TypeSQLServer, TypeSQLDatabase,
	TypeVirtualNetwork, TypeAppServicePlan, TypeWebApp}

// Namespace is the resource provider: Microsoft.Compute.
func (t Type) Namespace() string {
	ns, _, _ := strings.Cut(string(t), "/")
	return ns
}

// Segments are the type names after the namespace: [servers databases].
func (t Type) Segments() []string {
	_, rest, _ := strings.Cut(string(t), "/")
	return strings.Split(rest, "/")
}

// Parent is a nested type's parent type (servers/databases → servers).
func (t Type) Parent() (Type, bool) {
	if len(t.Segments()) < 2 {
		return "", false
	}
	return t[:strings.LastIndex(string(t), "/")], true
}

// GlobalName reports whether the type's names are unique across Azure, not
// only within a resource group: storage accounts, SQL servers and web apps
// answer at <name>.blob.core.windows.net, <name>.database.windows.net and
// <name>.azurewebsites.net.
func (t Type) GlobalName() bool {
	return t == TypeStorageAccount || t == TypeSQLServer || t == TypeWebApp
}

// LookupType answers the modelled type with that namespace and segments,
// compared case-insensitively.
func LookupType(namespace string, segments []string) (Type, bool) {
	want := namespace + "/" + strings.Join(segments, "/")
	for _, t := range Types {
		if strings.EqualFold(string(t), want) {
			return t, true
		}
	}
	return "", false
}

func typeList() string {
	names := make([]string, len(Types))
	for i, t := range Types {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// PowerState is a virtual machine's state as ARM's instance view reports it
// (statuses[].code "PowerState/running").
type PowerState string

// Power states modelled: a virtual machine is created running, and
// start/deallocate move it between the two. Only a running machine meters.
const (
	PowerRunning     PowerState = "running"
	PowerDeallocated PowerState = "deallocated"
)

// VMSize is a virtual machine size (properties.hardwareProfile.vmSize).
type VMSize struct {
	Name      string
	VCPUs     int
	MemoryMiB int
}

// VMSizes are the modelled sizes, with their vCPUs and memory as
// Microsoft's size tables give them.
var VMSizes = []VMSize{
	{"Standard_B1s", 1, 1024},
	{"Standard_B2s", 2, 4096},
	{"Standard_D2s_v3", 2, 8192},
	{"Standard_D4s_v3", 4, 16384},
	{"Standard_E2s_v3", 2, 16384},
}

// Storage account kinds and skus.
const (
	KindStorageV2        = "StorageV2"
	KindBlockBlobStorage = "BlockBlobStorage"
)

// StorageSkus are the modelled storage account skus; Premium_LRS is the
// premium block blob account (kind BlockBlobStorage), the others general
// purpose v2 (kind StorageV2).
var StorageSkus = []string{"Standard_LRS", "Standard_GRS", "Premium_LRS"}

// SQLDatabaseSkus are the modelled database skus (sku.name): the DTU tiers
// Basic and S0, and the vCore General Purpose Gen5 with 2 vCores.
var SQLDatabaseSkus = []string{"Basic", "S0", "GP_Gen5_2"}

// AppServicePlanSkus are the modelled App Service plan skus (sku.name).
var AppServicePlanSkus = []string{"B1", "S1", "P1v3"}

// skus lists the modelled skus of each type that has one.
func skus(t Type) []string {
	switch t {
	case TypeVirtualMachine:
		out := make([]string, len(VMSizes))
		for i, s := range VMSizes {
			out[i] = s.Name
		}
		return out
	case TypeStorageAccount:
		return StorageSkus
	case TypeSQLDatabase:
		return SQLDatabaseSkus
	case TypeAppServicePlan:
		return AppServicePlanSkus
	}
	return nil
}

// HasSku reports whether resources of type t carry a size or sku.
func (t Type) HasSku() bool { return skus(t) != nil }

// canonicalSku answers the modelled sku spelled as Microsoft does, matched
// case-insensitively (ARM accepts standard_b2s for Standard_B2s).
func canonicalSku(t Type, sku string) (string, bool) {
	i := slices.IndexFunc(skus(t), func(s string) bool { return strings.EqualFold(s, sku) })
	if i < 0 {
		return "", false
	}
	return skus(t)[i], true
}
