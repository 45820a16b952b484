package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/client"
)

// Entra role template ids used below.
const (
	roleGlobalAdmin  = "62e90394-69f5-4237-9190-012177145e10"
	roleUserAdmin    = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	roleLicenseAdmin = "4d6ac14f-3453-41d0-bef9-a3e0c569773a"
)

type graphUserJSON struct {
	ID                string  `json:"id"`
	UserPrincipalName string  `json:"userPrincipalName"`
	DisplayName       string  `json:"displayName"`
	UsageLocation     *string `json:"usageLocation"`
	AccountEnabled    bool    `json:"accountEnabled"`
	AssignedLicenses  []struct {
		SkuID         string   `json:"skuId"`
		DisabledPlans []string `json:"disabledPlans"`
	} `json:"assignedLicenses"`
}

type graphList[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink"`
}

func newUser(upn, name string) map[string]any {
	return map[string]any{"accountEnabled": true, "displayName": name, "mailNickname": strings.Split(upn, "@")[0], "userPrincipalName": upn,
		"passwordProfile": map[string]any{"password": "Xk3!pass-word", "forceChangePasswordNextSignIn": true}}
}

// userKey mints a key for a tenant user and answers its Graph client.
func userKey(t *testing.T, w *world, tenantID, upn string) *client.Client {
	t.Helper()
	k, err := w.op.MintTenantKey(w.ctx, mustUUID(t, tenantID), upn)
	if err != nil {
		t.Fatal(err)
	}
	return graphAs(t, w, client.New(w.url, k.APIKey), tenantID)
}

func TestDirectoryUsersGroupsAndRoles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Contoso"))
		cust := w.MustCustomer(pc, customer("Fabrikam", "fabrikam", "US"))
		admin := graphAs(t, w, w.MustAdmin(cust.ID, "fabrikam.onmicrosoft.com"), cust.ID)

		var ada graphUserJSON
		if st, e := graphCall(t, w, admin, http.MethodPost, "/users", newUser("ada@Fabrikam.onmicrosoft.com", "Ada Lovelace"), &ada); st != 201 {
			t.Fatalf("create user: %d %+v", st, e)
		}
		// The domain is the tenant's, in lower case; enabled; no usage location yet.
		if ada.UserPrincipalName != "ada@fabrikam.onmicrosoft.com" || !ada.AccountEnabled || ada.UsageLocation != nil {
			t.Fatalf("created %+v", ada)
		}
		refused := func(method, path string, body any, status int, code string, opencsp int) {
			t.Helper()
			before := w.Dump()
			st, e := graphCall(t, w, admin, method, path, body, nil)
			wantGraphError(t, st, e, status, code, opencsp)
			if after := w.Dump(); after != before {
				t.Fatalf("%s %s was refused but changed the database", method, path)
			}
		}
		refused(http.MethodPost, "/users", newUser("bob@contoso.com", "Bob"), 400, "Request_BadRequest", 4001)
		refused(http.MethodPost, "/users", newUser(".bob@fabrikam.onmicrosoft.com", "Bob"), 400, "Request_BadRequest", 4001)
		refused(http.MethodPost, "/users", newUser("ADA@fabrikam.onmicrosoft.com", "Ada again"), 400, "Request_BadRequest", 4002)
		weak := newUser("bob@fabrikam.onmicrosoft.com", "Bob")
		weak["passwordProfile"] = map[string]any{"password": "password"}
		refused(http.MethodPost, "/users", weak, 400, "Request_BadRequest", 1003)
		noName := newUser("bob@fabrikam.onmicrosoft.com", "")
		refused(http.MethodPost, "/users", noName, 400, "Request_BadRequest", 1002)
		refused(http.MethodPatch, "/users/"+ada.ID, map[string]any{"usageLocation": "XX"}, 400, "Request_BadRequest", 4003)
		refused(http.MethodGet, "/users/00000000-0000-4000-8000-000000000001", nil, 404, "Request_ResourceNotFound", 1205)

		if st, e := graphCall(t, w, admin, http.MethodPatch, "/users/ada@fabrikam.onmicrosoft.com", map[string]any{"usageLocation": "gb"}, nil); st != 204 {
			t.Fatalf("patch: %d %+v", st, e)
		}
		var got graphUserJSON
		graphCall(t, w, admin, http.MethodGet, "/users/"+ada.ID, nil, &got)
		if got.UsageLocation == nil || *got.UsageLocation != "GB" {
			t.Fatalf("usage location %+v", got.UsageLocation)
		}

		// Two users: the admin made with the tenant, and Ada; by UPN.
		var users graphList[graphUserJSON]
		graphCall(t, w, admin, http.MethodGet, "/users?$top=1", nil, &users)
		if len(users.Value) != 1 || users.Value[0].UserPrincipalName != "ada@fabrikam.onmicrosoft.com" || users.NextLink == "" {
			t.Fatalf("first page %+v", users)
		}
		next := strings.TrimPrefix(users.NextLink, "https://graph.microsoft.com/v1.0")
		users = graphList[graphUserJSON]{}
		graphCall(t, w, admin, http.MethodGet, next, nil, &users)
		if len(users.Value) != 1 || users.Value[0].UserPrincipalName != "admin@fabrikam.onmicrosoft.com" || users.NextLink != "" {
			t.Fatalf("second page %+v", users)
		}

		// Ada, a plain member, reads the directory but may not change it.
		adaToken := userKey(t, w, cust.ID, "ada@fabrikam.onmicrosoft.com")
		if st, _ := graphCall(t, w, adaToken, http.MethodGet, "/users", nil, nil); st != 200 {
			t.Fatalf("a member reads the directory: %d", st)
		}
		st, e := graphCall(t, w, adaToken, http.MethodPost, "/users", newUser("cy@fabrikam.onmicrosoft.com", "Cy"), nil)
		wantGraphError(t, st, e, 403, "Authorization_RequestDenied", 4000)
		if !strings.Contains(e.Error.Message, "Global Administrator or User Administrator") {
			t.Fatalf("the refusal names the roles: %s", e.Error.Message)
		}

		// Made User Administrator, she may.
		ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + ada.ID}
		if st, e := graphCall(t, w, admin, http.MethodPost, "/directoryRoles/"+roleUserAdmin+"/members/$ref", ref, nil); st != 204 {
			t.Fatalf("add role member: %d %+v", st, e)
		}
		refused(http.MethodPost, "/directoryRoles/"+roleUserAdmin+"/members/$ref", ref, 400, "Request_BadRequest", 4006)
		refused(http.MethodPost, "/directoryRoles/00000000-0000-4000-8000-000000000002/members/$ref", ref, 404, "Request_ResourceNotFound", 4008)
		if st, e := graphCall(t, w, adaToken, http.MethodPost, "/users", newUser("cy@fabrikam.onmicrosoft.com", "Cy"), nil); st != 201 {
			t.Fatalf("user admin creates a user: %d %+v", st, e)
		}
		// But she may not hand out roles: that is a Privileged Role Administrator's.
		st, e = graphCall(t, w, adaToken, http.MethodPost, "/directoryRoles/"+roleLicenseAdmin+"/members/$ref", ref, nil)
		wantGraphError(t, st, e, 403, "Authorization_RequestDenied", 4000)

		// The only Global Administrator cannot be removed or blocked.
		var adminUser graphUserJSON
		graphCall(t, w, admin, http.MethodGet, "/users/admin@fabrikam.onmicrosoft.com", nil, &adminUser)
		refused(http.MethodDelete, "/directoryRoles/"+roleGlobalAdmin+"/members/"+adminUser.ID+"/$ref", nil, 400, "Request_BadRequest", 4009)
		refused(http.MethodPatch, "/users/"+adminUser.ID, map[string]any{"accountEnabled": false}, 400, "Request_BadRequest", 4009)

		// Blocking Ada ends her token's rights: her key no longer acts.
		if st, _ := graphCall(t, w, admin, http.MethodPatch, "/users/"+ada.ID, map[string]any{"accountEnabled": false}, nil); st != 204 {
			t.Fatalf("block: %d", st)
		}
		st, e = graphCall(t, w, adaToken, http.MethodGet, "/users", nil, nil)
		wantGraphError(t, st, e, 401, "InvalidAuthenticationToken", 1104)

		// Security groups.
		var group struct {
			ID              string `json:"id"`
			SecurityEnabled bool   `json:"securityEnabled"`
		}
		body := map[string]any{"displayName": "Sales", "mailNickname": "sales", "mailEnabled": false, "securityEnabled": true}
		if st, e := graphCall(t, w, admin, http.MethodPost, "/groups", body, &group); st != 201 || !group.SecurityEnabled {
			t.Fatalf("create group: %d %+v", st, e)
		}
		refused(http.MethodPost, "/groups", map[string]any{"displayName": "All", "mailNickname": "all", "mailEnabled": true, "securityEnabled": false, "groupTypes": []string{"Unified"}},
			400, "Request_BadRequest", 4010)
		refused(http.MethodPost, "/groups", map[string]any{"displayName": "All", "mailNickname": "all"}, 400, "Request_BadRequest", 1002)
		if st, e := graphCall(t, w, admin, http.MethodPost, "/groups/"+group.ID+"/members/$ref", ref, nil); st != 204 {
			t.Fatalf("add member: %d %+v", st, e)
		}
		refused(http.MethodPost, "/groups/"+group.ID+"/members/$ref", ref, 400, "Request_BadRequest", 4006)
		refused(http.MethodPost, "/groups/00000000-0000-4000-8000-000000000003/members/$ref", ref, 404, "Request_ResourceNotFound", 4004)
		var members graphList[graphUserJSON]
		graphCall(t, w, admin, http.MethodGet, "/groups/"+group.ID+"/members", nil, &members)
		if len(members.Value) != 1 || members.Value[0].ID != ada.ID {
			t.Fatalf("members %+v", members)
		}
		if st, _ := graphCall(t, w, admin, http.MethodDelete, "/groups/"+group.ID+"/members/"+ada.ID+"/$ref", nil, nil); st != 204 {
			t.Fatalf("remove member: %d", st)
		}
		refused(http.MethodDelete, "/groups/"+group.ID+"/members/"+ada.ID+"/$ref", nil, 404, "Request_ResourceNotFound", 4007)

		// A partner user without GDAP has no rights in the customer's tenant.
		partnerToken := graphAs(t, w, pc, cust.ID)
		st, e = graphCall(t, w, partnerToken, http.MethodGet, "/users", nil, nil)
		wantGraphError(t, st, e, 403, "Authorization_RequestDenied", 4000)
		if !strings.Contains(e.Error.Message, "GDAP") {
			t.Fatalf("the refusal says how a partner gets the role: %s", e.Error.Message)
		}
	})
}

func TestPartnerTenantSecurityGroups(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		p, pc := w.MustPartner(designPartner("Contoso"))
		helpdesk := w.MustUser(p.ID, "desk@contoso.example", "helpdeskAgent")
		own := graphAs(t, w, pc, p.ID.String())
		var group struct{ ID string }
		body := map[string]any{"displayName": "Contoso helpdesk agents", "mailNickname": "helpdesk", "mailEnabled": false, "securityEnabled": true}
		if st, e := graphCall(t, w, own, http.MethodPost, "/groups", body, &group); st != 201 {
			t.Fatalf("admin agent creates a group: %d %+v", st, e)
		}
		// The partner's users are its tenant's users.
		var users graphList[graphUserJSON]
		graphCall(t, w, own, http.MethodGet, "/users", nil, &users)
		if len(users.Value) != 2 || users.Value[0].UserPrincipalName != "agent@contoso.example" || users.Value[1].UserPrincipalName != "desk@contoso.example" {
			t.Fatalf("partner users %+v", users)
		}
		ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + users.Value[1].ID}
		if st, e := graphCall(t, w, own, http.MethodPost, "/groups/"+group.ID+"/members/$ref", ref, nil); st != 204 {
			t.Fatalf("add member: %d %+v", st, e)
		}
		// A helpdesk agent reads its partner's tenant but does not manage it.
		desk := graphAs(t, w, helpdesk, p.ID.String())
		st, e := graphCall(t, w, desk, http.MethodPost, "/groups", body, nil)
		wantGraphError(t, st, e, 403, "Authorization_RequestDenied", 4000)
		var members graphList[graphUserJSON]
		if st, _ := graphCall(t, w, desk, http.MethodGet, "/groups/"+group.ID+"/members", nil, &members); st != 200 || len(members.Value) != 1 {
			t.Fatalf("members: %d %+v", st, members)
		}
	})
}
