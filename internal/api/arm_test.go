package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
)

// The partner's admin agent is Owner of the Azure subscription (admin on
// behalf of): it creates a resource group whose name keeps its case, a
// virtual machine it deallocates and starts, and one resource of each
// other modelled type, with ARM's status codes.
func TestARMAdminAgentBuildsAndPowersAVirtualMachine(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		var subs struct {
			Value []struct {
				ID               string `json:"id"`
				SubscriptionID   string `json:"subscriptionId"`
				TenantID         string `json:"tenantId"`
				DisplayName      string `json:"displayName"`
				State            string `json:"state"`
				ManagedByTenants []struct {
					TenantID string `json:"tenantId"`
				} `json:"managedByTenants"`
			} `json:"value"`
		}
		if st, e := armCall(t, ww, w.owner, http.MethodGet, "/subscriptions", nil, &subs); st != 200 || len(subs.Value) != 1 {
			t.Fatalf("subscriptions: %d %+v %+v", st, e, subs)
		}
		if s := subs.Value[0]; s.ID != w.subPath() || s.SubscriptionID != w.sub.ID.String() || s.TenantID != w.customer || s.DisplayName != "Production" ||
			s.State != "Enabled" || len(s.ManagedByTenants) != 1 || s.ManagedByTenants[0].TenantID != w.agent.PartnerID.String() {
			t.Errorf("subscription: %+v", s)
		}

		// A resource group keeps the case it was created with; ARM finds it in any case.
		rg := w.subPath() + "/resourceGroups/MyRG"
		var g armResourceJSON
		if st, e := armCall(t, ww, w.owner, http.MethodPut, rg, map[string]any{"location": "EastUS", "tags": map[string]string{"env": "prod"}}, &g); st != 201 {
			t.Fatalf("create group: %d %+v", st, e)
		}
		if g.ID != rg || g.Name != "MyRG" || g.Type != "Microsoft.Resources/resourceGroups" || g.Location != "eastus" || g.Tags["env"] != "prod" || g.Properties.ProvisioningState != "Succeeded" {
			t.Errorf("group: %+v", g)
		}
		if st, e := armCall(t, ww, w.owner, http.MethodPut, w.subPath()+"/resourcegroups/myrg", map[string]any{"location": "eastus"}, &g); st != 200 || g.Name != "MyRG" || g.ID != rg {
			t.Fatalf("update group in lower case: %d %+v %+v", st, e, g)
		}
		if st, _ := armCall(t, ww, w.owner, http.MethodGet, "/SUBSCRIPTIONS/"+strings.ToUpper(w.sub.ID.String())+"/resourcegroups/MYRG", nil, &g); st != 200 || g.Name != "MyRG" {
			t.Fatalf("group in upper case: %d %+v", st, g)
		}
		var groups armListJSON
		if st, _ := armCall(t, ww, w.owner, http.MethodGet, w.subPath()+"/resourcegroups", nil, &groups); st != 200 || len(groups.Value) != 1 || groups.Value[0].Name != "MyRG" {
			t.Fatalf("groups: %d %+v", st, groups)
		}
		st, e := armCall(t, ww, w.owner, http.MethodPut, rg, map[string]any{"location": "westus2"}, nil)
		wantARMError(t, "moving the group", st, e, 409, "InvalidResourceGroupLocation", csp.EAzureLocationMismatch)

		// A virtual machine: created running (201), then deallocated and started (200).
		vm := rg + "/providers/Microsoft.Compute/virtualMachines/Web01"
		var r armResourceJSON
		if st, e := armCall(t, ww, w.owner, http.MethodPut, vm, vmBody("standard_b2s"), &r); st != 201 {
			t.Fatalf("create vm: %d %+v", st, e)
		}
		if r.ID != vm || r.Name != "Web01" || r.Type != "Microsoft.Compute/virtualMachines" || r.Properties.HardwareProfile.VMSize != "Standard_B2s" || r.Properties.ProvisioningState != "Succeeded" {
			t.Errorf("vm: %+v", r)
		}
		power := func(want string) {
			t.Helper()
			var v armInstanceViewJSON
			if st, e := armCall(t, ww, w.owner, http.MethodGet, strings.ToLower(vm)+"/instanceView", nil, &v); st != 200 || v.power() != want {
				t.Fatalf("instance view: %d %+v %+v, want %s", st, e, v, want)
			}
			var r armResourceJSON
			if st, _ := armCall(t, ww, w.owner, http.MethodGet, vm+"?$expand=instanceView", nil, &r); st != 200 || r.Properties.InstanceView == nil || r.Properties.InstanceView.power() != want {
				t.Fatalf("$expand=instanceView: %d %+v, want %s", st, r, want)
			}
		}
		power("running")
		for _, step := range []struct{ action, want string }{{"deallocate", "deallocated"}, {"deallocate", "deallocated"}, {"start", "running"}} {
			if st, e := armCall(t, ww, w.owner, http.MethodPost, vm+"/"+step.action, nil, nil); st != 200 {
				t.Fatalf("%s: %d %+v", step.action, st, e)
			}
			power(step.want)
		}
		if st, e := armCall(t, ww, w.owner, http.MethodPut, vm, vmBody("Standard_D2s_v3"), &r); st != 200 || r.Properties.HardwareProfile.VMSize != "Standard_D2s_v3" {
			t.Fatalf("resize: %d %+v %+v", st, e, r)
		}

		// One resource of each other type, with the status ARM answers on create.
		net := rg + "/providers/Microsoft.Network/virtualNetworks/vnet1"
		storage := rg + "/providers/Microsoft.Storage/storageAccounts/fabrikamdata"
		server := rg + "/providers/Microsoft.Sql/servers/fabrikam-sql"
		plan := rg + "/providers/Microsoft.Web/serverfarms/plan1"
		for _, c := range []struct {
			path   string
			body   map[string]any
			status int
			kind   string
			sku    string
		}{
			{net, map[string]any{"location": "eastus", "properties": map[string]any{"addressSpace": map[string]any{"addressPrefixes": []string{"10.0.0.0/16"}}}}, 201, "", ""},
			{storage, map[string]any{"location": "eastus", "kind": "StorageV2", "sku": map[string]string{"name": "Standard_LRS"}}, 200, "StorageV2", "Standard_LRS"},
			{server, map[string]any{"location": "eastus", "properties": map[string]any{"administratorLogin": "sqladmin"}}, 201, "v12.0", ""},
			{server + "/databases/orders", map[string]any{"location": "eastus", "sku": map[string]string{"name": "S0"}}, 201, "v12.0,user", "S0"},
			{plan, map[string]any{"location": "eastus", "sku": map[string]string{"name": "B1"}}, 200, "app", "B1"},
			{rg + "/providers/Microsoft.Web/sites/fabrikam-web", map[string]any{"location": "eastus", "properties": map[string]any{"serverFarmId": plan}}, 200, "app", ""},
		} {
			var r armResourceJSON
			st, e := armCall(t, ww, w.owner, http.MethodPut, c.path, c.body, &r)
			if st != c.status || r.ID != c.path || r.Kind != c.kind || (c.sku == "") != (r.Sku == nil) || r.Sku != nil && r.Sku.Name != c.sku {
				t.Errorf("PUT %s: %d %+v %+v", c.path, st, e, r)
			}
		}
		var site armResourceJSON
		if st, _ := armCall(t, ww, w.owner, http.MethodGet, rg+"/providers/Microsoft.Web/sites/fabrikam-web", nil, &site); st != 200 || site.Properties.DefaultHostName != "fabrikam-web.azurewebsites.net" || site.Properties.ServerFarmID != plan {
			t.Errorf("site: %d %+v", st, site)
		}

		// Listings: the subscription's resources, the group's, one type's, a server's databases.
		for _, c := range []struct {
			path string
			n    int
		}{
			{w.subPath() + "/resources", 7}, {rg + "/resources", 7}, {w.subPath() + "/providers/Microsoft.Compute/virtualMachines", 1},
			{rg + "/providers/microsoft.sql/servers", 1}, {server + "/databases", 1}, {rg + "/providers/Microsoft.Storage/storageAccounts", 1},
		} {
			var l armListJSON
			if st, e := armCall(t, ww, w.owner, http.MethodGet, c.path, nil, &l); st != 200 || len(l.Value) != c.n {
				t.Errorf("GET %s: %d %+v, %d items, want %d", c.path, st, e, len(l.Value), c.n)
			}
		}

		// DELETE answers 200, then 204 for what is no longer there; the group goes with what it holds.
		if st, _ := armCall(t, ww, w.owner, http.MethodDelete, vm, nil, nil); st != 200 {
			t.Fatalf("delete vm: %d", st)
		}
		if st, _ := armCall(t, ww, w.owner, http.MethodDelete, vm, nil, nil); st != 204 {
			t.Fatalf("delete vm again: %d", st)
		}
		st, e = armCall(t, ww, w.owner, http.MethodGet, vm, nil, nil)
		wantARMError(t, "deleted vm", st, e, 404, "ResourceNotFound", csp.EAzureResourceNotFound)
		if st, _ := armCall(t, ww, w.owner, http.MethodDelete, w.subPath()+"/resourcegroups/myrg", nil, nil); st != 200 {
			t.Fatalf("delete group: %d", st)
		}
		st, e = armCall(t, ww, w.owner, http.MethodGet, rg, nil, nil)
		wantARMError(t, "deleted group", st, e, 404, "ResourceGroupNotFound", csp.EAzureResourceGroupNotFound)
		var all armListJSON
		if st, _ := armCall(t, ww, w.owner, http.MethodGet, w.subPath()+"/resources", nil, &all); st != 200 || len(all.Value) != 0 {
			t.Fatalf("resources after the group's deletion: %d %+v", st, all)
		}
	})
}

// ARM's error shape on its own path: tokens only, of ARM's audience;
// unknown paths and types; names checked by the rules.
func TestARMErrors(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		st, e := armCall(t, ww, w.pc, http.MethodGet, "/subscriptions", nil, nil)
		wantARMError(t, "a key instead of a token", st, e, 401, "InvalidAuthenticationToken", csp.ETokenInvalid)
		st, e = armCall(t, ww, w.admin, http.MethodGet, "/subscriptions", nil, nil)
		wantARMError(t, "a Graph token", st, e, 401, "InvalidAuthenticationToken", csp.ETokenInvalid)
		anon := *w.owner
		anon.Key = ""
		st, e = armCall(t, ww, &anon, http.MethodGet, "/subscriptions", nil, nil)
		wantARMError(t, "no token", st, e, 401, "AuthenticationFailed", csp.EUnauthenticated)

		rg := w.subPath() + "/resourceGroups/web"
		for _, c := range []struct {
			what, method, path string
			body               any
			status             int
			code               string
			opencsp            csp.Code
		}{
			{"unknown route", http.MethodGet, "/tenants", nil, 404, "NotFound", csp.ENotFound},
			{"subscription not a GUID", http.MethodGet, "/subscriptions/prod", nil, 400, "InvalidResourceId", csp.EAzureInvalidResourceID},
			{"unknown subscription", http.MethodGet, "/subscriptions/5b0e7c1e-8a0a-4c38-9a43-3a0c1d7e2f10", nil, 404, "SubscriptionNotFound", csp.EAzureSubscriptionNotFound},
			{"no group", http.MethodGet, rg, nil, 404, "ResourceGroupNotFound", csp.EAzureResourceGroupNotFound},
			{"bad group name", http.MethodPut, w.subPath() + "/resourceGroups/web.", map[string]any{"location": "eastus"}, 400, "InvalidResourceGroup", csp.EAzureInvalidGroupName},
			{"group without a body", http.MethodPut, rg, nil, 400, "InvalidRequestContent", csp.EInvalidBody},
			{"unknown region", http.MethodPut, rg, map[string]any{"location": "mars"}, 400, "LocationNotAvailableForResourceType", csp.EAzureInvalidLocation},
			{"unknown type", http.MethodPut, rg + "/providers/Microsoft.Cache/redis/r1", map[string]any{"location": "eastus"}, 400, "InvalidResourceType", csp.EAzureUnknownResourceType},
			{"PATCH", http.MethodPatch, rg, map[string]any{}, 404, "NotFound", csp.ENotFound},
			{"role assignment name not a GUID", http.MethodPut, w.subPath() + "/providers/Microsoft.Authorization/roleAssignments/owner", map[string]any{}, 400, "InvalidRoleAssignmentId", csp.EAzureInvalidAssignmentID},
		} {
			st, e := armCall(t, ww, w.owner, c.method, c.path, c.body, nil)
			wantARMError(t, c.what, st, e, c.status, c.code, c.opencsp)
		}

		if st, e := armCall(t, ww, w.owner, http.MethodPut, rg, map[string]any{"location": "eastus"}, nil); st != 201 {
			t.Fatalf("group: %d %+v", st, e)
		}
		st, e = armCall(t, ww, w.owner, http.MethodPut, rg+"/providers/Microsoft.Storage/storageAccounts/Fabrikam-Data", map[string]any{"location": "eastus", "kind": "StorageV2", "sku": map[string]string{"name": "Standard_LRS"}}, nil)
		wantARMError(t, "storage account name", st, e, 400, "AccountNameInvalid", csp.EAzureInvalidResourceName)
		st, e = armCall(t, ww, w.owner, http.MethodPost, rg+"/providers/Microsoft.Compute/virtualMachines/absent/start", nil, nil)
		wantARMError(t, "starting an absent vm", st, e, 404, "ResourceNotFound", csp.EAzureResourceNotFound)
		st, e = armCall(t, ww, w.owner, http.MethodGet, rg+"/providers/Microsoft.Compute/virtualMachines/absent/start", nil, nil)
		wantARMError(t, "GET on an action", st, e, 404, "NotFound", csp.ENotFound)
	})
}
