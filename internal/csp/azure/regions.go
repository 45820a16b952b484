package azure

import (
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

// Region is an Azure region: its ARM location name (eastus), the display
// name ARM's locations list gives (East US), and the region name of its
// meters in price sheets and usage files (US East).
type Region struct {
	Name        string
	DisplayName string
	MeterRegion string
}

// Regions are the modelled Azure regions.
var Regions = []Region{
	{"eastus", "East US", "US East"},
	{"westus2", "West US 2", "US West 2"},
	{"canadacentral", "Canada Central", "CA Central"},
	{"uksouth", "UK South", "UK South"},
	{"westeurope", "West Europe", "EU West"},
	{"northeurope", "North Europe", "EU North"},
	{"germanywestcentral", "Germany West Central", "DE West Central"},
}

// RegionByName answers the region named by its location name or display
// name, compared case-insensitively and ignoring spaces (ARM accepts
// "East US" for eastus).
func RegionByName(name string) (Region, bool) {
	n := strings.ReplaceAll(strings.ToLower(name), " ", "")
	for _, r := range Regions {
		if n == r.Name {
			return r, true
		}
	}
	return Region{}, false
}

// CheckLocation answers the region a location names, or a refusal listing
// the modelled regions.
func CheckLocation(location string) (Region, error) {
	if r, ok := RegionByName(location); ok {
		return r, nil
	}
	names := make([]string, len(Regions))
	for i, r := range Regions {
		names[i] = r.Name
	}
	return Region{}, csp.Errorf(csp.EAzureInvalidLocation, "location %q is not an Azure region this program models: use one of %s", location, strings.Join(names, ", "))
}
