package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// A virtual machine runs from 09:00. The operator disables its Azure
// subscription for non-payment at 14:00: the hours 14:00-17:00 meter
// nothing, ARM refuses writes and the partner's reactivate is refused
// (4440) without a change. The operator enables it at 17:30: [17:00,
// 18:00) meters 0.5 hour and [18:00, 19:00) a whole one again. The
// partner's audit shows both changes, made by the operator.
func TestOperatorDisablesAzureForNonPayment(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		rg := w.subPath() + "/resourceGroups/Batch"
		vm := rg + "/providers/Microsoft.Compute/virtualMachines/Worker"
		w.mustPut(t, rg, map[string]any{"location": "eastus"}, 201)
		w.mustPut(t, vm, vmBody("Standard_B2s"), 201) // 09:00
		w.advance(t, "5h")                            // 14:00

		admin := "/admin/v1/azureSubscriptions/" + w.sub.ID.String()
		var got entitlementJSON
		if _, err := w.op.Do(w.ctx, http.MethodPost, admin+"/disable", map[string]string{"reason": "nonPayment"}, &got, nil); err != nil {
			t.Fatal(err)
		}
		t14 := time.Date(2026, 1, 5, 14, 0, 0, 0, time.UTC)
		if got.ID != w.sub.ID.String() || got.Status != "disabled" || !got.StatusDate.Equal(t14) || got.SubscriptionID != w.plan.String() || got.PartnerID != w.sub.PartnerID.String() {
			t.Fatalf("disabled: %+v", got)
		}

		// While disabled: the partner's reactivate and ARM writes are refused.
		reactivate := "/v1/customers/" + w.customer + "/subscriptions/" + w.plan.String() + "/azureEntitlements/" + w.sub.ID.String() + "/reactivate"
		before := w.Dump() + w.DumpTables(azureTables...)
		_, err := w.pc.Do(w.ctx, http.MethodPost, reactivate, nil, nil, nil)
		if e := wantAPIError(t, err, 409, int(csp.EAzureDisabledForNonPayment)); !strings.Contains(e.Description, "non-payment") {
			t.Errorf("message: %s", e.Description)
		}
		st, e := armCall(t, ww, w.owner, http.MethodPost, vm+"/deallocate", nil, nil)
		wantARMError(t, "deallocate", st, e, 409, "ReadOnlyDisabledSubscription", csp.EAzureSubscriptionDisabled)
		st, e = armCall(t, ww, w.owner, http.MethodPut, rg+"/providers/Microsoft.Compute/virtualMachines/Second", vmBody("Standard_B1s"), nil)
		wantARMError(t, "new VM", st, e, 409, "ReadOnlyDisabledSubscription", csp.EAzureSubscriptionDisabled)
		if after := w.Dump() + w.DumpTables(azureTables...); after != before {
			t.Errorf("refused calls changed data:\n%s\n---\n%s", before, after)
		}
		var pcView entitlementJSON
		if _, err := w.pc.Do(w.ctx, http.MethodGet, strings.TrimSuffix(reactivate, "/reactivate"), nil, &pcView, nil); err != nil || pcView.Status != "disabled" {
			t.Fatalf("partner's view: %+v %v", pcView, err)
		}

		w.advance(t, "3h30m") // 17:30
		if _, err := w.op.Do(w.ctx, http.MethodPost, admin+"/enable", nil, &got, nil); err != nil {
			t.Fatal(err)
		}
		if got.Status != "active" || !got.StatusDate.Equal(t14.Add(210*time.Minute)) {
			t.Fatalf("enabled: %+v", got)
		}
		w.mustPut(t, rg+"/providers/Microsoft.Compute/virtualMachines/Second", vmBody("Standard_B1s"), 201) // writable again
		w.advance(t, "1h30m")                                                                               // 19:00

		from := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
		page, err := w.app.AzureUtilization(w.ctx, w.agent, mustUUID(t, w.customer), w.sub.ID, from, from.Add(10*time.Hour), app.Page[app.UsageCursor]{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"09": "1", "10": "1", "11": "1", "12": "1", "13": "1", "17": "0.5", "18": "1"}
		gotHours := map[string]string{}
		for _, r := range page.Items {
			if r.ResourceURI == vm {
				gotHours[r.Start.UTC().Format("15")] = r.Quantity.String()
			}
		}
		if len(gotHours) != len(want) {
			t.Fatalf("Worker's hours: %v, want %v", gotHours, want)
		}
		for h, q := range want {
			if gotHours[h] != q {
				t.Errorf("%s:00: %q, want %s", h, gotHours[h], q)
			}
		}

		// The partner's audit records name the operator's two changes.
		audit, err := w.app.ListAudit(w.ctx, w.agent, t14, t14.Add(5*time.Hour), app.Page[app.Cursor]{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		var changes []string
		for _, r := range audit.Items {
			if r.OperationType == "update_azure_entitlement_status" {
				changes = append(changes, r.UserPrincipalName+" "+r.OperationDate.UTC().Format("15:04"))
				if r.TenantID == nil || r.TenantID.String() != w.customer || !strings.Contains(r.ResourceNewValue, w.sub.ID.String()) {
					t.Errorf("audit record: %+v", r)
				}
			}
		}
		if strings.Join(changes, ", ") != "operator 14:00, operator 17:30" {
			t.Errorf("audit: %v", changes)
		}
	})
}

// Each refused operator call answers its status and code and changes
// nothing.
func TestOperatorAzureStatusRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ww *world) {
		w := newARMWorld(t, ww)
		cancelled := w.newAzureSubscription(t, "Cancelled")
		if _, err := w.app.SetAzureSubscriptionStatus(w.ctx, w.agent, mustUUID(t, w.customer), w.plan, cancelled.ID, azure.StatusDisabled); err != nil {
			t.Fatal(err)
		}
		unpaid := w.newAzureSubscription(t, "Unpaid")
		admin := func(id, action string) string { return "/admin/v1/azureSubscriptions/" + id + "/" + action }
		nonPayment := map[string]string{"reason": "nonPayment"}
		if _, err := w.op.Do(w.ctx, http.MethodPost, admin(unpaid.ID.String(), "disable"), nonPayment, nil, nil); err != nil {
			t.Fatal(err)
		}
		before := w.Dump() + w.DumpTables(azureTables...)
		for _, c := range []struct {
			what   string
			path   string
			body   any
			status int
			code   csp.Code
		}{
			{"unknown id", admin("00000000-0000-4000-8000-000000000003", "disable"), nonPayment, 404, csp.EAzureSubscriptionNotFound},
			{"unknown id enable", admin("00000000-0000-4000-8000-000000000003", "enable"), nil, 404, csp.EAzureSubscriptionNotFound},
			{"not a GUID", admin("prod", "disable"), nonPayment, 404, csp.EAzureSubscriptionNotFound},
			{"disabling a disabled one", admin(unpaid.ID.String(), "disable"), nonPayment, 409, csp.EAzureSubscriptionStatusSame},
			{"disabling one the partner cancelled", admin(cancelled.ID.String(), "disable"), nonPayment, 409, csp.EAzureSubscriptionStatusSame},
			{"enabling an active one", admin(w.sub.ID.String(), "enable"), nil, 409, csp.EAzureSubscriptionStatusSame},
			{"enabling the partner's cancel", admin(cancelled.ID.String(), "enable"), nil, 409, csp.EAzureNotDisabledForNonPayment},
			{"bad reason", admin(w.sub.ID.String(), "disable"), map[string]string{"reason": "fraud"}, 400, csp.EAzureInvalidDisabledReason},
			{"no reason", admin(w.sub.ID.String(), "disable"), map[string]string{}, 400, csp.EAzureInvalidDisabledReason},
		} {
			_, err := w.op.Do(w.ctx, http.MethodPost, c.path, c.body, nil, nil)
			t.Run(c.what, func(t *testing.T) { wantAPIError(t, err, c.status, int(c.code)) })
		}
		_, err := w.pc.Do(w.ctx, http.MethodPost, admin(w.sub.ID.String(), "disable"), nonPayment, nil, nil)
		wantAPIError(t, err, 403, int(csp.EWrongAPI))
		if _, err := w.app.EnableAzureSubscription(w.ctx, w.agent, unpaid.ID); csp.ErrorCode(err) != csp.EWrongAPI {
			t.Errorf("a partner enabling through the app: %v", err)
		}
		if after := w.Dump() + w.DumpTables(azureTables...); after != before {
			t.Errorf("refused calls changed data:\n%s\n---\n%s", before, after)
		}
	})
}
