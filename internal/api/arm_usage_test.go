package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/api"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/testdb"
)

func (w *armWorld) advance(t *testing.T, d string) {
	t.Helper()
	if _, err := w.op.AdvanceClock(w.ctx, d); err != nil {
		t.Fatalf("advance %s: %v", d, err)
	}
}

// A virtual machine created at 09:00, deallocated at 09:30, started at
// 10:15 and deallocated at 10:35 meters 0.5 hour in [09:00, 10:00), 20
// minutes = 0.333333 hour in [10:00, 11:00) and nothing after.
func TestARMDeallocatedVMMetersHandWorkedHours(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		rg := w.subPath() + "/resourceGroups/Batch"
		vm := rg + "/providers/Microsoft.Compute/virtualMachines/Worker"
		w.mustPut(t, rg, map[string]any{"location": "eastus"}, 201)
		w.mustPut(t, vm, vmBody("Standard_B2s"), 201) // 09:00, the sandbox's start
		step := func(after, action string) {
			t.Helper()
			w.advance(t, after)
			if st, e := armCall(t, ww, w.owner, http.MethodPost, vm+"/"+action, nil, nil); st != 200 {
				t.Fatalf("%s: %d %+v", action, st, e)
			}
		}
		step("30m", "deallocate") // 09:30
		step("45m", "start")      // 10:15
		step("20m", "deallocate") // 10:35
		w.advance(t, "1h25m")     // 12:00: the hours to 12:00 are posted

		from := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
		page, err := w.app.AzureUtilization(w.ctx, w.agent, mustUUID(t, w.customer), w.sub.ID, from, from.Add(3*time.Hour), app.Page[app.UsageCursor]{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			hour     time.Time
			quantity string
		}{{from, "0.5"}, {from.Add(time.Hour), "0.333333"}}
		if len(page.Items) != len(want) {
			t.Fatalf("records: %+v", page.Items)
		}
		for i, r := range page.Items {
			if !r.Start.Equal(want[i].hour) || r.Quantity.String() != want[i].quantity || r.ResourceURI != vm || r.ResourceGroup != "Batch" ||
				r.MeterName != "B2s" || r.Unit != "1 Hour" || r.Location != "eastus" {
				t.Errorf("record %d: %+v, want %s %s", i, r, want[i].hour, want[i].quantity)
			}
		}
	})
}

// A disabled Azure subscription answers reads and refuses every write,
// role assignments included, until it is enabled again.
func TestARMDisabledSubscriptionRefusesWrites(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		rg := w.subPath() + "/resourceGroups/web"
		w.mustPut(t, rg, map[string]any{"location": "eastus"}, 201)
		if _, err := w.app.SetAzureSubscriptionStatus(w.ctx, w.agent, mustUUID(t, w.customer), w.plan, w.sub.ID, azure.StatusDisabled); err != nil {
			t.Fatal(err)
		}
		var sub struct {
			State string `json:"state"`
		}
		if st, _ := armCall(t, ww, w.owner, http.MethodGet, w.subPath(), nil, &sub); st != 200 || sub.State != "Disabled" {
			t.Fatalf("disabled subscription: %d %+v", st, sub)
		}
		before := w.snapshot(t, w.subPath()+"/resourcegroups")
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPut, rg, map[string]any{"location": "eastus", "tags": map[string]string{"a": "b"}}},
			{http.MethodPut, rg + "/providers/Microsoft.Compute/virtualMachines/vm1", vmBody("Standard_B1s")},
			{http.MethodDelete, rg, nil},
			{http.MethodPut, w.subPath() + "/providers/Microsoft.Authorization/roleAssignments/4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e",
				map[string]any{"properties": map[string]any{"roleDefinitionId": azure.RoleReader.String(), "principalId": w.agent.UserID.String()}}},
		} {
			st, e := armCall(t, ww, w.owner, c.method, c.path, c.body, nil)
			wantARMError(t, c.method+" "+c.path, st, e, 409, "ReadOnlyDisabledSubscription", csp.EAzureSubscriptionDisabled)
		}
		if after := w.snapshot(t, w.subPath()+"/resourcegroups"); string(after) != string(before) {
			t.Errorf("refused writes changed the groups: %s → %s", before, after)
		}
		if _, err := w.app.SetAzureSubscriptionStatus(w.ctx, w.agent, mustUUID(t, w.customer), w.plan, w.sub.ID, azure.StatusActive); err != nil {
			t.Fatal(err)
		}
		w.mustPut(t, rg+"/providers/Microsoft.Compute/virtualMachines/vm1", vmBody("Standard_B1s"), 201)
	})
}

// Over the request budget, ARM answers 429 in its own shape with
// Retry-After.
func TestARMThrottlingAnswersARMShape(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ww := newWorld(t, e.Open(t), api.Options{RequestsPerMinute: 60})
			w := newARMWorld(t, ww)
			for i := 0; i < 30; i++ {
				res, _ := w.owner.Do(w.ctx, http.MethodGet, "/arm/subscriptions?api-version=2022-12-01", nil, nil, nil)
				if res == nil || res.Status == 200 {
					continue
				}
				st, e := armCall(t, ww, w.owner, http.MethodGet, "/subscriptions", nil, nil)
				wantARMError(t, "throttled", st, e, 429, "TooManyRequests", csp.ERateLimited)
				if res.Header.Get("Retry-After") == "" {
					t.Errorf("429 without Retry-After: %v", res.Header)
				}
				return
			}
			t.Fatal("30 requests at once were never throttled at 60 a minute")
		})
	}
}
