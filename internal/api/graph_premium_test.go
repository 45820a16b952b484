package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func caPolicy(name string, users []string, risk ...string) map[string]any {
	if risk == nil {
		risk = []string{}
	}
	return map[string]any{"displayName": name, "state": "enabled",
		"conditions": map[string]any{"users": map[string]any{"includeUsers": users}, "applications": map[string]any{"includeApplications": []string{"All"}},
			"clientAppTypes": []string{"all"}, "signInRiskLevels": risk},
		"grantControls": map[string]any{"operator": "OR", "builtInControls": []string{"mfa"}}}
}

type licenseGapsJSON struct {
	Items []struct {
		UserPrincipalName string `json:"userPrincipalName"`
		Feature           string `json:"feature"`
		RequiredLicense   string `json:"requiredLicense"`
		CurrentLicense    string `json:"currentLicense"`
		SourceName        string `json:"sourceName"`
	} `json:"items"`
}

func TestPremiumFeaturesNeedTheirLicence(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		s.buy(t, cartLine{CatalogItemID: basic, Quantity: 5, TermDuration: "P1Y", BillingCycle: "monthly"})
		adminKey := w.MustAdmin(s.customer, "contoso.onmicrosoft.com")
		admin := graphAs(t, w, adminKey, s.customer)
		var ada, bob graphUserJSON
		for _, u := range []struct {
			name string
			into *graphUserJSON
		}{{"ada", &ada}, {"bob", &bob}} {
			body := newUser(u.name+"@contoso.onmicrosoft.com", u.name)
			body["usageLocation"] = "US"
			if st, e := graphCall(t, w, admin, http.MethodPost, "/users", body, u.into); st != 201 {
				t.Fatalf("user: %d %+v", st, e)
			}
		}
		refused := func(method, path string, body any, status int, code string, opencsp int) string {
			t.Helper()
			before := w.Dump()
			st, e := graphCall(t, w, admin, method, path, body, nil)
			wantGraphError(t, st, e, status, code, opencsp)
			if w.Dump() != before {
				t.Fatalf("%s %s was refused but changed the database", method, path)
			}
			return e.Error.Message
		}
		const policies = "/identity/conditionalAccess/policies"
		// Business Basic has no Entra ID P1: no conditional access.
		msg := refused(http.MethodPost, policies, caPolicy("MFA for all", []string{"All"}), 400, "Request_BadRequest", 4100)
		if !strings.Contains(msg, "needs Microsoft Entra ID P1") || !strings.Contains(msg, "Buy Microsoft Entra ID P1") {
			t.Fatalf("the refusal names the licence: %s", msg)
		}
		// One seat of Entra ID P1 unlocks it for the tenant.
		s.buy(t, cartLine{CatalogItemID: entraP1Item, Quantity: 1, TermDuration: "P1Y", BillingCycle: "monthly"})
		var pol struct{ ID string }
		if st, e := graphCall(t, w, admin, http.MethodPost, policies, caPolicy("MFA for all", []string{"All"}), &pol); st != 201 {
			t.Fatalf("policy with P1: %d %+v", st, e)
		}
		// Risk-based policies and PIM need P2.
		refused(http.MethodPost, policies, caPolicy("Risky sign-ins", []string{"All"}, "high"), 400, "Request_BadRequest", 4101)
		refused(http.MethodPatch, policies+"/"+pol.ID, map[string]any{"conditions": caPolicy("", []string{"All"}, "medium")["conditions"]}, 400, "Request_BadRequest", 4101)
		pim := map[string]any{"action": "adminAssign", "justification": "on call", "roleDefinitionId": roleUserAdmin, "directoryScopeId": "/", "principalId": ada.ID,
			"scheduleInfo": map[string]any{"startDateTime": "2026-01-10T09:00:00Z", "expiration": map[string]any{"type": "afterDateTime", "endDateTime": "2026-07-10T09:00:00Z"}}}
		refused(http.MethodPost, "/roleManagement/directory/roleEligibilityScheduleRequests", pim, 400, "Request_BadRequest", 4101)
		// Malformed policies.
		refused(http.MethodPost, policies, caPolicy("", []string{"All"}), 400, "Request_BadRequest", 1002)
		refused(http.MethodPost, policies, caPolicy("Ghost", []string{"00000000-0000-4000-8000-000000000005"}), 400, "Request_BadRequest", 4103)
		bad := caPolicy("Bad state", []string{"All"})
		bad["state"] = "on"
		refused(http.MethodPost, policies, bad, 400, "Request_BadRequest", 4103)
		refused(http.MethodGet, policies+"/00000000-0000-4000-8000-000000000006", nil, 404, "Request_ResourceNotFound", 4102)

		// The policy covers all three users; only the one assigned Entra ID P1
		// is licensed for it.
		if st, e := graphCall(t, w, admin, http.MethodPost, "/users/"+ada.ID+"/assignLicense", assign("078d2b04-f1bd-4111-bbd4-b4b1b354cef4"), nil); st != 200 {
			t.Fatalf("assign P1: %d %+v", st, e)
		}
		var gaps licenseGapsJSON
		if _, err := adminKey.Do(w.ctx, http.MethodGet, "/tenant/v1/licenseGaps", nil, &gaps, nil); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, g := range gaps.Items {
			got = append(got, g.UserPrincipalName+" "+g.Feature+" needs "+g.RequiredLicense+" has "+g.CurrentLicense)
		}
		want := []string{
			"admin@contoso.onmicrosoft.com Conditional access needs Microsoft Entra ID P1 has Microsoft Entra ID Free",
			"bob@contoso.onmicrosoft.com Conditional access needs Microsoft Entra ID P1 has Microsoft Entra ID Free",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("gaps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// With Entra ID P2 the risk-based policy and PIM are allowed; Ada,
		// eligible for User Administrator with P1 only, is a gap for PIM.
		s.buy(t, cartLine{CatalogItemID: entraP2Item, Quantity: 1, TermDuration: "P1Y", BillingCycle: "monthly"})
		if st, e := graphCall(t, w, admin, http.MethodPost, policies, caPolicy("Risky sign-ins", []string{ada.ID}, "high"), nil); st != 201 {
			t.Fatalf("risk policy with P2: %d %+v", st, e)
		}
		var req struct {
			Status string `json:"status"`
		}
		if st, e := graphCall(t, w, admin, http.MethodPost, "/roleManagement/directory/roleEligibilityScheduleRequests", pim, &req); st != 201 || req.Status != "Provisioned" {
			t.Fatalf("pim: %d %+v %+v", st, e, req)
		}
		gaps = licenseGapsJSON{}
		if _, err := adminKey.Do(w.ctx, http.MethodGet, "/tenant/v1/licenseGaps", nil, &gaps, nil); err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, g := range gaps.Items {
			got = append(got, g.UserPrincipalName+" "+g.Feature+" ("+g.SourceName+") needs "+g.RequiredLicense)
		}
		want = []string{
			"admin@contoso.onmicrosoft.com Conditional access (MFA for all) needs Microsoft Entra ID P1",
			"bob@contoso.onmicrosoft.com Conditional access (MFA for all) needs Microsoft Entra ID P1",
			"ada@contoso.onmicrosoft.com Risk-based conditional access (Risky sign-ins) needs Microsoft Entra ID P2",
			"ada@contoso.onmicrosoft.com Privileged Identity Management (User Administrator (eligible)) needs Microsoft Entra ID P2",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("gaps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// A Conditional Access Administrator's work: Ada, a plain user, may not.
		adaToken := userKey(t, w, s.customer, "ada@contoso.onmicrosoft.com")
		st, e := graphCall(t, w, adaToken, http.MethodPost, policies, caPolicy("Mine", []string{"All"}), nil)
		wantGraphError(t, st, e, 403, "Authorization_RequestDenied", 4000)
		if !strings.Contains(e.Error.Message, "Conditional Access Administrator") {
			t.Fatalf("names the role: %s", e.Error.Message)
		}
	})
}
