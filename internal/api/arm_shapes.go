package api

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp/azure"
)

// armResourceOut is a resource as ARM answers it: id, name, type, location,
// tags, kind and sku where the type has them, and the type's properties.
type armResourceOut struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Kind       string            `json:"kind,omitempty"`
	Sku        *armSku           `json:"sku,omitempty"`
	Properties map[string]any    `json:"properties"`
}

type armSku struct {
	Name     string `json:"name"`
	Tier     string `json:"tier,omitempty"`
	Size     string `json:"size,omitempty"`
	Family   string `json:"family,omitempty"`
	Capacity int    `json:"capacity,omitempty"`
}

// armSkus are the sku objects ARM answers for the modelled skus (the name
// is kept as it is PUT, so a GET can be PUT back).
var armSkus = map[string]armSku{
	"Standard_LRS": {Tier: "Standard"}, "Standard_GRS": {Tier: "Standard"}, "Premium_LRS": {Tier: "Premium"},
	"Basic": {Tier: "Basic", Capacity: 5}, "S0": {Tier: "Standard", Capacity: 10},
	"GP_Gen5_2": {Tier: "GeneralPurpose", Family: "Gen5", Capacity: 2},
	"B1":        {Tier: "Basic", Size: "B1", Family: "B", Capacity: 1}, "S1": {Tier: "Standard", Size: "S1", Family: "S", Capacity: 1},
	"P1v3": {Tier: "PremiumV3", Size: "P1v3", Family: "Pv3", Capacity: 1},
}

// armIDSpace derives the GUIDs ARM shows for a resource (a virtual
// machine's vmId, a virtual network's resourceGuid) from its id, so that
// they are stable without being stored.
var armIDSpace = uuid.MustParse("5d1f3a60-3b5e-4c53-9a8e-0f6c2b7a4d10")

func armTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

// armResource renders a resource; expand adds a virtual machine's
// instanceView ($expand=instanceView).
func armResource(r azure.Resource, expand bool) armResourceOut {
	out := armResourceOut{ID: r.ID.String(), Name: r.ID.Name(), Type: string(r.ID.Type), Location: r.Location, Tags: r.Tags}
	props := map[string]any{"provisioningState": "Succeeded"}
	if sku, ok := armSkus[r.Sku]; ok && r.ID.Type != azure.TypeVirtualMachine {
		sku.Name = r.Sku
		out.Sku = &sku
	}
	name := strings.ToLower(r.ID.Name())
	switch r.ID.Type {
	case azure.TypeVirtualMachine:
		props["vmId"] = uuid.NewSHA1(armIDSpace, []byte(r.ID.Key())).String()
		props["hardwareProfile"] = map[string]string{"vmSize": r.Sku}
		props["timeCreated"] = armTime(r.Created)
		if expand {
			props["instanceView"] = armInstanceViewOf(r)
		}
	case azure.TypeStorageAccount:
		out.Kind = r.Kind
		props["creationTime"] = armTime(r.Created)
		props["primaryLocation"] = r.Location
		props["statusOfPrimary"] = "available"
		endpoints := map[string]string{"blob": "https://" + name + ".blob.core.windows.net/"}
		if r.Kind == azure.KindStorageV2 {
			props["accessTier"] = "Hot"
			for _, svc := range []string{"queue", "table", "file", "dfs", "web"} {
				endpoints[svc] = "https://" + name + "." + svc + ".core.windows.net/"
			}
		}
		props["primaryEndpoints"] = endpoints
	case azure.TypeSQLServer:
		out.Kind = "v12.0"
		props["fullyQualifiedDomainName"] = name + ".database.windows.net"
		props["state"] = "Ready"
		props["version"] = "12.0"
	case azure.TypeSQLDatabase:
		out.Kind = "v12.0,user"
		props["status"] = "Online"
		props["creationDate"] = armTime(r.Created)
		props["databaseId"] = uuid.NewSHA1(armIDSpace, []byte(r.ID.Key())).String()
	case azure.TypeVirtualNetwork:
		props["addressSpace"] = map[string][]string{"addressPrefixes": r.AddressPrefixes}
		props["subnets"] = []any{}
		props["resourceGuid"] = uuid.NewSHA1(armIDSpace, []byte(r.ID.Key())).String()
	case azure.TypeAppServicePlan:
		out.Kind = "app"
		props["status"] = "Ready"
	case azure.TypeWebApp:
		out.Kind = "app"
		host := name + ".azurewebsites.net"
		props["state"] = "Running"
		props["enabled"] = true
		props["defaultHostName"] = host
		props["hostNames"] = []string{host}
		props["serverFarmId"] = r.ServerFarmID
	}
	out.Properties = props
	return out
}

type armStatus struct {
	Code          string `json:"code"`
	Level         string `json:"level"`
	DisplayStatus string `json:"displayStatus"`
	Time          string `json:"time,omitempty"`
}

// armInstanceViewOf is a virtual machine's instance view: provisioning
// succeeded, and its power state.
func armInstanceViewOf(r azure.Resource) map[string]any {
	display := "VM running"
	if r.PowerState == azure.PowerDeallocated {
		display = "VM deallocated"
	}
	return map[string]any{"statuses": []armStatus{
		{Code: "ProvisioningState/succeeded", Level: "Info", DisplayStatus: "Provisioning succeeded", Time: armTime(r.Created)},
		{Code: "PowerState/" + string(r.PowerState), Level: "Info", DisplayStatus: display},
	}}
}
