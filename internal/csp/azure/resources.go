package azure

import (
	"maps"
	"net/netip"
	"strings"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
)

// Spec is what a PUT of a resource says, named after ARM's properties.
type Spec struct {
	Location string
	Tags     map[string]string
	// Sku is a virtual machine's properties.hardwareProfile.vmSize, or the
	// sku.name of a storage account, SQL database or App Service plan.
	Sku string
	// Kind is a storage account's kind: StorageV2 or BlockBlobStorage.
	Kind string
	// AddressPrefixes is a virtual network's properties.addressSpace.addressPrefixes.
	AddressPrefixes []string
	// ServerFarmID is a web app's properties.serverFarmId: its App Service plan.
	ServerFarmID string
}

// Resource is a resource as stored: its id, its spec, a virtual machine's
// power state, and when it was created.
type Resource struct {
	ID ResourceID
	Spec
	PowerState PowerState // virtual machines only
	Created    time.Time
}

// CheckSpec applies the rules of a resource's type to a PUT: the names in
// id, the location, the tags, and the type's own properties. It answers the
// spec with location and sku spelled canonically and the properties the
// type does not take cleared. Rules between resources (a database and its
// server, a web app and its plan) are CheckParent's and CheckPlan's.
func CheckSpec(id ResourceID, s Spec, prices *PriceList) (Spec, error) {
	if err := CheckNames(id); err != nil {
		return Spec{}, err
	}
	if id.Level() != LevelResource {
		return Spec{}, csp.Errorf(csp.EAzureInvalidResourceID, "%s is not a resource id: resources live at /subscriptions/{id}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}", id)
	}
	region, err := CheckLocation(s.Location)
	if err != nil {
		return Spec{}, err
	}
	if err := CheckTags(s.Tags); err != nil {
		return Spec{}, err
	}
	out := Spec{Location: region.Name, Tags: maps.Clone(s.Tags)}
	t := id.Type
	if t.HasSku() {
		field := "sku.name"
		if t == TypeVirtualMachine {
			field = "properties.hardwareProfile.vmSize"
		}
		if s.Sku == "" {
			return Spec{}, csp.Errorf(csp.EAzureInvalidProperty, "%s is required for %s: one of %s", field, t, strings.Join(skus(t), ", "))
		}
		sku, ok := canonicalSku(t, s.Sku)
		if !ok {
			return Spec{}, csp.Errorf(csp.EAzureSkuNotAvailable, "%s %q is not available for %s: this program models %s", field, s.Sku, t, strings.Join(skus(t), ", "))
		}
		if _, ok := prices.Lookup(t, sku, region.Name); !ok {
			return Spec{}, csp.Errorf(csp.EAzureSkuNotAvailable, "%s %q is not available for %s in %s: no price is listed for it there", field, sku, t, region.Name)
		}
		out.Sku = sku
	}
	switch t {
	case TypeStorageAccount:
		want := KindStorageV2
		if out.Sku == "Premium_LRS" {
			want = KindBlockBlobStorage
		}
		if !strings.EqualFold(s.Kind, want) {
			return Spec{}, csp.Errorf(csp.EAzureInvalidKind, "a %s storage account has kind %s (kind %q was sent): general-purpose v2 accounts take the Standard skus, premium block blob accounts Premium_LRS", out.Sku, want, s.Kind)
		}
		out.Kind = want
	case TypeVirtualNetwork:
		prefixes, err := checkAddressSpace(s.AddressPrefixes)
		if err != nil {
			return Spec{}, err
		}
		out.AddressPrefixes = prefixes
	case TypeWebApp:
		plan, err := ParseResourceID(s.ServerFarmID)
		if s.ServerFarmID == "" || err != nil || plan.Type != TypeAppServicePlan {
			return Spec{}, csp.Errorf(csp.EAzureInvalidProperty, "properties.serverFarmId must be the id of an App Service plan (/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Web/serverfarms/{name}); %q is not", s.ServerFarmID)
		}
		if plan.Subscription != id.Subscription {
			return Spec{}, csp.Errorf(csp.EAzureInvalidProperty, "properties.serverFarmId names a plan of another subscription: a web app runs on a plan of its own subscription")
		}
		out.ServerFarmID = plan.String()
	}
	return out, nil
}

// checkAddressSpace applies the address space rule: at least one IPv4 CIDR
// prefix, each its network address with a length from /8 to /29, no two
// overlapping. It answers the prefixes in canonical form.
func checkAddressSpace(in []string) ([]string, error) {
	bad := func(format string, args ...any) ([]string, error) {
		return nil, csp.Errorf(csp.EAzureInvalidAddressSpace, "properties.addressSpace.addressPrefixes: "+format, args...)
	}
	if len(in) == 0 {
		return bad("a virtual network needs at least one address prefix, such as 10.0.0.0/16")
	}
	var seen []netip.Prefix
	var out []string
	for _, s := range in {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return bad("%q is not an IPv4 CIDR prefix such as 10.0.0.0/16", s)
		}
		if p.Bits() < 8 || p.Bits() > 29 {
			return bad("%q is /%d: address prefixes are from /8 to /29", s, p.Bits())
		}
		if p.Masked() != p {
			return bad("%q is not a network address: use %s", s, p.Masked())
		}
		for _, q := range seen {
			if q.Overlaps(p) {
				return bad("%s overlaps %s: the prefixes of a virtual network may not overlap", p, q)
			}
		}
		seen = append(seen, p)
		out = append(out, p.String())
	}
	return out, nil
}

// CheckUpdate applies the rules of a PUT on an existing resource: the
// location is fixed at creation.
func CheckUpdate(old Resource, s Spec) error {
	if s.Location != old.Location {
		return csp.Errorf(csp.EAzureLocationMismatch, "%s already exists in location %s: a resource cannot move to %s (delete it and create it there)", old.ID, old.Location, s.Location)
	}
	return nil
}

// CheckParent applies the rule between a nested resource and its parent: a
// SQL database is in its server's region.
func CheckParent(s Spec, parent Resource) error {
	if s.Location != parent.Location {
		return csp.Errorf(csp.EAzureLocationMismatch, "a database is created in its server's location: %s is in %s, not %s", parent.ID, parent.Location, s.Location)
	}
	return nil
}

// CheckPlan applies the rule between a web app and its App Service plan:
// both are in one region.
func CheckPlan(s Spec, plan Resource) error {
	if s.Location != plan.Location {
		return csp.Errorf(csp.EAzureLocationMismatch, "a web app runs in its App Service plan's location: %s is in %s, not %s", plan.ID, plan.Location, s.Location)
	}
	return nil
}

// NewResource is a resource created at now: a virtual machine starts running.
func NewResource(id ResourceID, s Spec, now time.Time) Resource {
	r := Resource{ID: id, Spec: s, Created: now}
	if id.Type == TypeVirtualMachine {
		r.PowerState = PowerRunning
	}
	return r
}

// Start starts a deallocated virtual machine. Starting a running one
// changes nothing (ARM answers it as done); changed says which.
func (r Resource) Start() (Resource, bool, error) { return r.power(PowerRunning, "start") }

// Deallocate stops a virtual machine and releases its compute: it stops
// metering. Deallocating a deallocated one changes nothing.
func (r Resource) Deallocate() (Resource, bool, error) {
	return r.power(PowerDeallocated, "deallocate")
}

func (r Resource) power(to PowerState, action string) (Resource, bool, error) {
	if r.ID.Type != TypeVirtualMachine {
		return r, false, csp.Errorf(csp.EAzureInvalidOperation, "%s is a %s: %s is an action of virtual machines (Microsoft.Compute/virtualMachines/%s/action)", r.ID, r.ID.Type, action, action)
	}
	if r.PowerState == to {
		return r, false, nil
	}
	r.PowerState = to
	return r, true, nil
}

// Metered reports whether the resource emits usage while it runs: virtual
// machines, storage accounts, SQL databases and App Service plans do;
// virtual networks, SQL servers and web apps are free (their plan bills).
func (r Resource) Metered() bool { return r.ID.Type.HasSku() }

// Running reports whether a metered resource meters now, subscription
// status aside: a virtual machine while running, the others while they
// exist.
func (r Resource) Running() bool {
	if !r.Metered() {
		return false
	}
	return r.ID.Type != TypeVirtualMachine || r.PowerState == PowerRunning
}
