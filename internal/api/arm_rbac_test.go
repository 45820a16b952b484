package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// snapshot answers the raw listing at path as the admin agent sees it, to
// prove that a refused request changed nothing.
func (w *armWorld) snapshot(t *testing.T, path string) []byte {
	t.Helper()
	var raw json.RawMessage
	if st, e := armCall(t, w.world, w.owner, http.MethodGet, path, nil, &raw); st != 200 {
		t.Fatalf("GET %s: %d %+v", path, st, e)
	}
	return raw
}

func (w *armWorld) mustPut(t *testing.T, path string, body any, status int) {
	t.Helper()
	if st, e := armCall(t, w.world, w.owner, http.MethodPut, path, body, nil); st != status {
		t.Fatalf("PUT %s: %d %+v, want %d", path, st, e, status)
	}
}

// A customer user made Reader of the subscription reads everything in it
// (the role is inherited by groups and resources) and changes nothing.
func TestARMReaderReadsButCannotWrite(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		rg := w.subPath() + "/resourceGroups/web"
		vm1 := rg + "/providers/Microsoft.Compute/virtualMachines/vm1"
		w.mustPut(t, rg, map[string]any{"location": "eastus"}, 201)
		w.mustPut(t, vm1, vmBody("Standard_B1s"), 201)
		ada, reader := w.customerUser(t, "ada")
		w.assign(t, w.subPath(), azure.RoleReader, ada)

		var r armResourceJSON
		if st, e := armCall(t, ww, reader, http.MethodGet, vm1, nil, &r); st != 200 || r.Name != "vm1" {
			t.Fatalf("reader GET vm: %d %+v", st, e)
		}
		for _, path := range []string{"/subscriptions", w.subPath(), w.subPath() + "/resourcegroups", rg, rg + "/resources", w.subPath() + "/resources"} {
			if st, e := armCall(t, ww, reader, http.MethodGet, path, nil, nil); st != 200 {
				t.Errorf("reader GET %s: %d %+v", path, st, e)
			}
		}

		before := w.snapshot(t, w.subPath()+"/resources?$expand=instanceView")
		vm2 := rg + "/providers/Microsoft.Compute/virtualMachines/vm2"
		st, e := armCall(t, ww, reader, http.MethodPut, vm2, vmBody("Standard_B1s"), nil)
		wantARMError(t, "reader PUT vm", st, e, 403, "AuthorizationFailed", csp.EAzureAuthorizationFailed)
		if m := e.Error.Message; !strings.Contains(m, "'"+ada+"'") || !strings.Contains(m, "'Microsoft.Compute/virtualMachines/write' over scope '"+vm2+"'") || !strings.Contains(m, "Owner, Contributor") {
			t.Errorf("the refusal names the object id, the action, the scope and the roles that allow it: %q", m)
		}
		for _, c := range []struct {
			method, path string
			body         any
			action       string
		}{
			{http.MethodPost, vm1 + "/deallocate", nil, "Microsoft.Compute/virtualMachines/deallocate/action"},
			{http.MethodDelete, vm1, nil, "Microsoft.Compute/virtualMachines/delete"},
			{http.MethodDelete, rg, nil, "Microsoft.Resources/subscriptions/resourceGroups/delete"},
			{http.MethodPut, w.subPath() + "/resourceGroups/data", map[string]any{"location": "eastus"}, "Microsoft.Resources/subscriptions/resourceGroups/write"},
			{http.MethodPut, rg + "/providers/Microsoft.Authorization/roleAssignments/3f1c2b7e-0d4a-4e59-8f0b-2c6d7a9e1b21",
				map[string]any{"properties": map[string]any{"roleDefinitionId": azure.RoleOwner.String(), "principalId": ada}}, "Microsoft.Authorization/roleAssignments/write"},
		} {
			st, e := armCall(t, ww, reader, c.method, c.path, c.body, nil)
			wantARMError(t, c.method+" "+c.path, st, e, 403, "AuthorizationFailed", csp.EAzureAuthorizationFailed)
			if !strings.Contains(e.Error.Message, "'"+c.action+"'") {
				t.Errorf("%s %s: %q does not name %s", c.method, c.path, e.Error.Message, c.action)
			}
		}
		if after := w.snapshot(t, w.subPath()+"/resources?$expand=instanceView"); !bytes.Equal(before, after) {
			t.Errorf("refused writes changed the resources:\n%s\n%s", before, after)
		}
		st, e = armCall(t, ww, w.owner, http.MethodGet, vm2, nil, nil)
		wantARMError(t, "the refused vm", st, e, 404, "ResourceNotFound", csp.EAzureResourceNotFound)

		// At the VM's scope the reader sees the assignments that reach it: its own
		// Reader at the subscription and the admin agents' Owner.
		var ras armListJSON
		if st, e := armCall(t, ww, reader, http.MethodGet, vm1+"/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()", nil, &ras); st != 200 || len(ras.Value) != 2 {
			t.Fatalf("role assignments at the vm: %d %+v %+v", st, e, ras)
		}
		readerPath := "/subscriptions/" + w.sub.ID.String() + "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
		var found bool
		for _, ra := range ras.Value {
			if ra.Properties.PrincipalID == ada {
				found = ra.Properties.Scope == w.subPath() && ra.Properties.RoleDefinitionID == readerPath && ra.Type == "Microsoft.Authorization/roleAssignments"
			}
		}
		if !found {
			t.Errorf("the reader's assignment: %+v", ras.Value)
		}
		if st, _ := armCall(t, ww, reader, http.MethodGet, w.subPath()+"/providers/Microsoft.Authorization/roleAssignments?$filter="+url.QueryEscape("principalId eq '"+ada+"'"), nil, &ras); st != 200 || len(ras.Value) != 1 {
			t.Fatalf("filtered by principal: %d %+v", st, ras)
		}

		// The four built-in roles by their real GUIDs, and by name.
		var defs armListJSON
		if st, e := armCall(t, ww, reader, http.MethodGet, rg+"/providers/Microsoft.Authorization/roleDefinitions", nil, &defs); st != 200 || len(defs.Value) != 4 {
			t.Fatalf("role definitions: %d %+v %+v", st, e, defs)
		}
		want := map[string]string{"Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
			"Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"}
		for _, d := range defs.Value {
			if want[d.Properties.RoleName] != d.Name || !strings.HasSuffix(d.ID, "/roleDefinitions/"+d.Name) {
				t.Errorf("role definition %+v", d)
			}
		}
		if st, _ := armCall(t, ww, reader, http.MethodGet, w.subPath()+"/providers/Microsoft.Authorization/roleDefinitions?$filter="+url.QueryEscape("roleName eq 'Reader'"), nil, &defs); st != 200 || len(defs.Value) != 1 || defs.Value[0].ID != readerPath {
			t.Fatalf("roleName filter: %d %+v", st, defs)
		}
	})
}

// Contributor on one resource group manages it and nothing else: not
// another group, not the subscription's listing, not role assignments.
func TestARMContributorOnOneGroupOnly(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		web, data := w.subPath()+"/resourceGroups/web", w.subPath()+"/resourceGroups/data"
		w.mustPut(t, web, map[string]any{"location": "eastus"}, 201)
		w.mustPut(t, data, map[string]any{"location": "westeurope"}, 201)
		bob, contributor := w.customerUser(t, "bob")
		w.assign(t, web, azure.RoleContributor, bob)

		if st, e := armCall(t, ww, contributor, http.MethodPut, web+"/providers/Microsoft.Compute/virtualMachines/vm1", vmBody("Standard_B1s"), nil); st != 201 {
			t.Fatalf("contributor creates a vm in its group: %d %+v", st, e)
		}
		if st, e := armCall(t, ww, contributor, http.MethodPost, web+"/providers/Microsoft.Compute/virtualMachines/vm1/deallocate", nil, nil); st != 200 {
			t.Fatalf("contributor deallocates it: %d %+v", st, e)
		}
		var subs armListJSON
		if st, _ := armCall(t, ww, contributor, http.MethodGet, "/subscriptions", nil, &subs); st != 200 || len(subs.Value) != 1 {
			t.Fatalf("the subscription it has access in: %d %+v", st, subs)
		}

		before := w.snapshot(t, data+"/resources")
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPut, data + "/providers/Microsoft.Compute/virtualMachines/vm2", vmBody("Standard_B1s")},
			{http.MethodGet, data, nil},
			{http.MethodDelete, data, nil},
			{http.MethodGet, w.subPath() + "/resourcegroups", nil},
			{http.MethodPut, web + "/providers/Microsoft.Authorization/roleAssignments/7a3e9c51-2b4d-4f6a-9e8c-1d0b5a7f3c92",
				map[string]any{"properties": map[string]any{"roleDefinitionId": azure.RoleOwner.String(), "principalId": bob}}},
		} {
			st, e := armCall(t, ww, contributor, c.method, c.path, c.body, nil)
			wantARMError(t, c.method+" "+c.path, st, e, 403, "AuthorizationFailed", csp.EAzureAuthorizationFailed)
		}
		if after := w.snapshot(t, data+"/resources"); !bytes.Equal(before, after) || string(after) != `{"value":[]}` {
			t.Errorf("the other group changed: %s → %s", before, after)
		}
	})
}

// Owner of one subscription has no rights in another of the same tenant,
// and a token of another tenant does not find it at all.
func TestARMOwnerOfOneSubscriptionOnly(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		dev := w.newAzureSubscription(t, "Dev")
		devPath := "/subscriptions/" + dev.ID.String()
		carol, owner := w.customerUser(t, "carol")
		w.assign(t, w.subPath(), azure.RoleOwner, carol)

		var subs armListJSON
		if st, _ := armCall(t, ww, owner, http.MethodGet, "/subscriptions", nil, &subs); st != 200 || len(subs.Value) != 1 || subs.Value[0].ID != w.subPath() {
			t.Fatalf("carol's subscriptions: %d %+v", st, subs)
		}
		if st, _ := armCall(t, ww, w.owner, http.MethodGet, "/subscriptions", nil, &subs); st != 200 || len(subs.Value) != 2 {
			t.Fatalf("the admin agent's subscriptions: %d %+v", st, subs)
		}
		// Owner assigns roles in its subscription, not in the other.
		dan, _ := w.customerUser(t, "dan")
		body := map[string]any{"properties": map[string]any{"roleDefinitionId": azure.RoleDefinitionPath(w.sub.ID, azure.RoleReader), "principalId": dan, "principalType": "User"}}
		var ra armResourceJSON
		if st, e := armCall(t, ww, owner, http.MethodPut, w.subPath()+"/providers/Microsoft.Authorization/roleAssignments/0c7d3a1e-5b2f-4e8a-9d6c-3f1a2b4c5d6e", body, &ra); st != 201 || ra.Properties.PrincipalID != dan {
			t.Fatalf("carol assigns Reader in her subscription: %d %+v", st, e)
		}
		if st, _ := armCall(t, ww, owner, http.MethodPut, w.subPath()+"/providers/Microsoft.Authorization/roleAssignments/0c7d3a1e-5b2f-4e8a-9d6c-3f1a2b4c5d6e", body, &ra); st != 200 {
			t.Fatalf("the same PUT again: %d", st)
		}
		before := w.snapshot(t, devPath+"/resourcegroups")
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, devPath, nil},
			{http.MethodPut, devPath + "/resourceGroups/web", map[string]any{"location": "eastus"}},
			{http.MethodPut, devPath + "/providers/Microsoft.Authorization/roleAssignments/1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a", body},
		} {
			st, e := armCall(t, ww, owner, c.method, c.path, c.body, nil)
			wantARMError(t, c.method+" "+c.path, st, e, 403, "AuthorizationFailed", csp.EAzureAuthorizationFailed)
		}
		if after := w.snapshot(t, devPath+"/resourcegroups"); !bytes.Equal(before, after) {
			t.Errorf("the other subscription changed: %s → %s", before, after)
		}

		// Another customer's admin, in its own tenant, does not find Fabrikam's subscription.
		tail := w.MustCustomer(w.pc, customer("Tailspin", "tailspin", "US"))
		stranger := armToken(t, ww, w.MustAdmin(tail.ID, "tailspin.onmicrosoft.com"), tail.ID)
		st, e := armCall(t, ww, stranger, http.MethodGet, w.subPath(), nil, nil)
		wantARMError(t, "another tenant's subscription", st, e, 404, "SubscriptionNotFound", csp.EAzureSubscriptionNotFound)
		if st, _ := armCall(t, ww, stranger, http.MethodGet, "/subscriptions", nil, &subs); st != 200 || len(subs.Value) != 0 {
			t.Fatalf("the stranger's subscriptions: %d %+v", st, subs)
		}
	})
}

// A role assignment's life: created (201), the same PUT again (200), read
// by name at its scope only, deleted (200 with it), deleted again (204);
// HEAD on a group and one role definition by its GUID.
func TestARMRoleAssignmentLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		rg := w.subPath() + "/resourceGroups/Web"
		w.mustPut(t, rg, map[string]any{"location": "eastus"}, 201)
		if st, _ := armCall(t, ww, w.owner, http.MethodHead, w.subPath()+"/resourcegroups/web", nil, nil); st != 204 {
			t.Fatalf("HEAD group: %d", st)
		}
		if st, _ := armCall(t, ww, w.owner, http.MethodHead, w.subPath()+"/resourcegroups/absent", nil, nil); st != 404 {
			t.Fatalf("HEAD absent group: %d", st)
		}
		erin, user := w.customerUser(t, "erin")
		path := rg + "/providers/Microsoft.Authorization/roleAssignments/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
		body := map[string]any{"properties": map[string]any{"roleDefinitionId": azure.RoleDefinitionPath(w.sub.ID, azure.RoleContributor), "principalId": erin, "scope": strings.ToLower(rg)}}
		var ra armResourceJSON
		if st, e := armCall(t, ww, w.owner, http.MethodPut, path, body, &ra); st != 201 || ra.ID != path || ra.Properties.Scope != rg {
			t.Fatalf("create: %d %+v %+v", st, e, ra)
		}
		if st, _ := armCall(t, ww, w.owner, http.MethodPut, path, body, nil); st != 200 {
			t.Fatalf("same PUT: %d", st)
		}
		mismatch := map[string]any{"properties": map[string]any{"roleDefinitionId": azure.RoleReader.String(), "principalId": erin, "scope": w.subPath()}}
		st, e := armCall(t, ww, w.owner, http.MethodPut, rg+"/providers/Microsoft.Authorization/roleAssignments/8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a", mismatch, nil)
		wantARMError(t, "scope in the body", st, e, 400, "InvalidRoleAssignmentScope", csp.EAzureScopeMismatch)
		if st, _ := armCall(t, ww, user, http.MethodGet, path, nil, &ra); st != 200 || ra.Properties.PrincipalID != erin {
			t.Fatalf("the contributor reads its assignment: %d %+v", st, ra)
		}
		st, e = armCall(t, ww, w.owner, http.MethodGet, w.subPath()+"/providers/Microsoft.Authorization/roleAssignments/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", nil, nil)
		wantARMError(t, "the name at another scope", st, e, 404, "RoleAssignmentNotFound", csp.EAzureRoleAssignmentNotFound)
		st, e = armCall(t, ww, user, http.MethodDelete, path, nil, nil)
		wantARMError(t, "a contributor deleting it", st, e, 403, "AuthorizationFailed", csp.EAzureAuthorizationFailed)
		if st, _ := armCall(t, ww, w.owner, http.MethodDelete, path, nil, &ra); st != 200 || ra.Properties.PrincipalID != erin {
			t.Fatalf("delete: %d %+v", st, ra)
		}
		if st, _ := armCall(t, ww, w.owner, http.MethodDelete, path, nil, nil); st != 204 {
			t.Fatalf("delete again: %d", st)
		}
		st, e = armCall(t, ww, user, http.MethodGet, rg, nil, nil)
		wantARMError(t, "after the assignment went", st, e, 403, "AuthorizationFailed", csp.EAzureAuthorizationFailed)

		var def armResourceJSON
		if st, _ := armCall(t, ww, w.owner, http.MethodGet, rg+"/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c", nil, &def); st != 200 || def.Properties.RoleName != "Contributor" {
			t.Fatalf("role definition: %d %+v", st, def)
		}
		st, e = armCall(t, ww, w.owner, http.MethodGet, rg+"/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-4000-8000-000000000000", nil, nil)
		wantARMError(t, "unknown role definition", st, e, 404, "RoleDefinitionDoesNotExist", csp.EAzureRoleDefinitionNotFound)
	})
}
