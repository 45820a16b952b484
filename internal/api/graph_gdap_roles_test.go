package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/client"
)

// The directory actions, one representative call each (gdapRoleCalls).
const (
	actRead     = iota // GET /users: directory.read
	actUsers           // POST /users: users.write
	actGroups          // POST /groups: groups.write
	actLicences        // POST /users/{id}/assignLicense: licenses.assign
	actBilling         // GET /subscribedSkus: billing.read
	actRoles           // POST /directoryRoles/{id}/members/$ref: roles.assign
	actCARead          // GET conditionalAccess/policies: conditionalAccess.read
	actCAWrite         // POST conditionalAccess/policies: conditionalAccess.write
	actPCRead          // Partner Center GET /v1/customers/{id}/users: directory.read
	actPCCreate        // Partner Center POST /v1/customers/{id}/users: users.write
	actCount
)

var actNames = [actCount]string{"list users", "create user", "create group", "assignLicense", "subscribedSkus", "add role member",
	"read CA policies", "create CA policy", "PC list users", "PC create user"}

// actAllower is a role that Microsoft's reference gives each action: the
// refusal must name it among the roles that would do.
var actAllower = [actCount]string{"Directory Readers", "User Administrator", "Groups Administrator", "License Administrator",
	"Billing Administrator", "Privileged Role Administrator", "Security Reader", "Conditional Access Administrator",
	"Directory Readers", "User Administrator"}

// gdapRoleMatrix is what each role allows, written out by hand from
// Microsoft's "Microsoft Entra built-in roles" reference (the role's
// microsoft.directory actions; Global Administrator allows everything):
//
//   - list users needs microsoft.directory/users/standard/read, which of
//     these roles only Directory Readers and Global Reader list; the others
//     manage part of the directory and are modelled as reading it too
//     (decision 125), marked r below.
//   - create user: microsoft.directory/users/create (User Administrator).
//   - create group: microsoft.directory/groups/create (User and Groups
//     Administrator; Privileged Role Administrator creates only
//     role-assignable groups, not modelled).
//   - assignLicense: microsoft.directory/users/assignLicense (User and
//     License Administrator; Groups Administrator assigns to groups only).
//   - subscribedSkus: microsoft.directory/subscribedSkus/standard/read
//     (Directory Readers, Global Reader), licence reads (User and License
//     Administrator: "assign and read licenses", "read ... license
//     assignments") and microsoft.commerce.billing (Billing Administrator).
//   - add role member: microsoft.directory/roleAssignments/allProperties/allTasks
//     (Privileged Role Administrator).
//   - CA read: microsoft.directory/conditionalAccessPolicies/standard/read
//     (Conditional Access, Security Administrator, Security Reader, Global
//     Reader); CA create: .../conditionalAccessPolicies/create (Conditional
//     Access and Security Administrator).
//   - Partner Center's customer user calls are the same reads and writes.
//
// Columns: list users, create user, create group, assignLicense,
// subscribedSkus, add role member, read CA, create CA, PC list, PC create.
var gdapRoleMatrix = []struct {
	name, id string
	allows   string
}{
	{"Global Administrator", roleGlobalAdmin, "Y Y Y Y Y Y Y Y Y Y"},
	{"User Administrator", roleUserAdmin, "r Y Y Y Y - - - r Y"},
	{"License Administrator", roleLicenseAdmin, "r - - Y Y - - - r -"},
	{"Billing Administrator", "b0f54661-2d74-4c50-afa3-1ec803f12efe", "r - - - Y - - - r -"},
	{"Conditional Access Administrator", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "r - - - - - Y Y r -"},
	{"Directory Readers", roleDirectoryReaders, "Y - - - Y - - - Y -"},
	{"Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Y - - - Y - Y - Y -"},
	{"Groups Administrator", "fdd7a751-b60b-444a-984c-02652fe8fa1c", "r - Y - - - - - r -"},
	{"Helpdesk Administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8", "r - - - - - - - r -"},
	{"Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814", "r - - - - Y - - r -"},
	{"Security Administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d", "r - - - - - Y Y r -"},
	{"Security Reader", "5d6b6bb7-de71-4623-b4af-96380a352509", "r - - - - - Y - r -"},
}

// gdapRoleAgent is one partner user holding one role in Fabrikam through
// its own group, relationship and access assignment.
type gdapRoleAgent struct {
	key, token *client.Client
	group, rel string
	target     graphUserJSON // a Fabrikam user its licence and role calls act on
}

// TestGDAPEachRole: a partner user holding each modelled role through GDAP
// may do exactly what Microsoft's reference says the role allows; every
// other call is refused 403 naming a role that would do and changes
// nothing; before approval and after termination every call is refused.
func TestGDAPEachRole(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newGDAPSetup(t, w)
		// 20 seats of Business Premium: licences to assign, and Entra ID P1
		// for conditional access.
		shop := &shop{w: w, pc: s.pc, customer: s.cust.ID}
		shop.agree(t)
		shop.buy(t, cartLine{CatalogItemID: premium, Quantity: 20, TermDuration: "P1Y", BillingCycle: "monthly"})

		agents := make([]gdapRoleAgent, len(gdapRoleMatrix))
		for i, r := range gdapRoleMatrix {
			a := &agents[i]
			email := fmt.Sprintf("role%d@contoso.example", i)
			a.key = w.MustUser(s.partner.ID, email, "helpdeskAgent")
			var group struct{ ID string }
			body := map[string]any{"displayName": r.name + " agents", "mailNickname": fmt.Sprintf("role%d-agents", i), "mailEnabled": false, "securityEnabled": true}
			if st, e := graphCall(t, w, s.own, http.MethodPost, "/groups", body, &group); st != 201 {
				t.Fatalf("create group: %d %+v", st, e)
			}
			a.group = group.ID
			var u graphUserJSON
			if st, e := graphCall(t, w, s.own, http.MethodGet, "/users/"+email, nil, &u); st != 200 {
				t.Fatalf("read %s: %d %+v", email, st, e)
			}
			ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + u.ID}
			if st, e := graphCall(t, w, s.own, http.MethodPost, "/groups/"+a.group+"/members/$ref", ref, nil); st != 204 {
				t.Fatalf("add member: %d %+v", st, e)
			}
			a.token = graphAs(t, w, a.key, s.cust.ID)
			tb := newUser(fmt.Sprintf("target%d@fabrikam.onmicrosoft.com", i), "Target "+r.name)
			tb["usageLocation"] = "US"
			if st, e := graphCall(t, w, s.adminGraph, http.MethodPost, "/users", tb, &a.target); st != 201 {
				t.Fatalf("create target: %d %+v", st, e)
			}
			rel := s.create(t, w, r.name+" through GDAP", "P30D", r.id)
			a.rel = rel.ID
			if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+a.rel+"/requests", map[string]string{"action": "lockForApproval"}, nil, ""); st != 201 {
				t.Fatalf("lock %s: %d %+v", r.name, st, e)
			}
		}

		// call makes agent i's representative call for act and answers its
		// status, and for a refusal its OpenCSP code, error code and message.
		call := func(i, act int) (int, int, string, string) {
			t.Helper()
			a := agents[i]
			const policies = "/identity/conditionalAccess/policies"
			var (
				method, path string
				body         any
			)
			switch act {
			case actRead:
				method, path = http.MethodGet, "/users"
			case actUsers:
				method, path, body = http.MethodPost, "/users", newUser(fmt.Sprintf("new%d@fabrikam.onmicrosoft.com", i), "New")
			case actGroups:
				method, path, body = http.MethodPost, "/groups", map[string]any{"displayName": fmt.Sprintf("Group %d", i), "mailNickname": fmt.Sprintf("group%d", i),
					"mailEnabled": false, "securityEnabled": true}
			case actLicences:
				method, path, body = http.MethodPost, "/users/"+a.target.ID+"/assignLicense", assign(skuSPB)
			case actBilling:
				method, path = http.MethodGet, "/subscribedSkus"
			case actRoles:
				method, path, body = http.MethodPost, "/directoryRoles/"+roleDirectoryReaders+"/members/$ref",
					map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + a.target.ID}
			case actCARead:
				method, path = http.MethodGet, policies
			case actCAWrite:
				method, path, body = http.MethodPost, policies, caPolicy(fmt.Sprintf("MFA %d", i), []string{"All"})
			case actPCRead, actPCCreate:
				path := "/v1/customers/" + s.cust.ID + "/users"
				if act == actPCRead {
					res, err := a.key.Do(w.ctx, http.MethodGet, path, nil, nil, nil)
					return pcOutcome(t, res, err)
				}
				body := map[string]any{"userPrincipalName": fmt.Sprintf("pc%d@fabrikam.onmicrosoft.com", i), "displayName": "PC user", "usageLocation": "US",
					"passwordProfile": map[string]any{"password": "Xk3!pass-word"}}
				res, err := a.key.Do(w.ctx, http.MethodPost, path, body, nil, nil)
				return pcOutcome(t, res, err)
			}
			st, e := graphCall(t, w, a.token, method, path, body, nil)
			if st < 300 {
				return st, 0, "", ""
			}
			return st, e.Error.InnerError.OpenCSPCode, e.Error.Code, e.Error.Message
		}
		wantRefused := func(i, act, st, code int, graphCode, msg string) {
			t.Helper()
			name := gdapRoleMatrix[i].name
			if st != 403 || code != 4000 || (act < actPCRead && graphCode != "Authorization_RequestDenied") {
				t.Fatalf("%s, %s: got %d %s (%d) %q, want 403 Authorization_RequestDenied (4000)", name, actNames[act], st, graphCode, code, msg)
			}
			if !strings.Contains(msg, actAllower[act]) {
				t.Fatalf("%s, %s: the refusal does not name %s: %q", name, actNames[act], actAllower[act], msg)
			}
		}
		// allRefused: no call of any agent succeeds, and none changes anything.
		allRefused := func(when string) {
			t.Helper()
			before := w.Dump()
			for i := range agents {
				for act := 0; act < actCount; act++ {
					st, code, graphCode, msg := call(i, act)
					if st < 300 {
						t.Fatalf("%s: %s may %s (%d)", when, gdapRoleMatrix[i].name, actNames[act], st)
					}
					wantRefused(i, act, st, code, graphCode, msg)
				}
			}
			if w.Dump() != before {
				t.Fatalf("%s: refused calls changed the database", when)
			}
		}

		// Locked for approval, not yet approved: no role yet.
		allRefused("before approval")

		for i := range agents {
			s.answer(t, w, agents[i].rel, "approve")
			if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+agents[i].rel+"/accessAssignments",
				newAssignment(agents[i].group, gdapRoleMatrix[i].id), nil, ""); st != 201 {
				t.Fatalf("assign %s: %d %+v", gdapRoleMatrix[i].name, st, e)
			}
		}
		success := [actCount]int{200, 201, 201, 200, 200, 204, 200, 201, 200, 201}
		for i, r := range gdapRoleMatrix {
			allows := strings.Fields(r.allows)
			if len(allows) != actCount {
				t.Fatalf("%s: %d columns", r.name, len(allows))
			}
			for act := 0; act < actCount; act++ {
				before := w.Dump()
				st, code, graphCode, msg := call(i, act)
				if allows[act] != "-" {
					if st != success[act] {
						t.Fatalf("%s, %s: got %d %s (%d) %q, want %d", r.name, actNames[act], st, graphCode, code, msg, success[act])
					}
					continue
				}
				wantRefused(i, act, st, code, graphCode, msg)
				if w.Dump() != before {
					t.Fatalf("%s, %s: refused but changed the database", r.name, actNames[act])
				}
			}
		}

		// Terminated by the partner: every role is gone.
		for i := range agents {
			if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+agents[i].rel+"/requests", map[string]string{"action": "terminate"}, nil, ""); st != 201 {
				t.Fatalf("terminate %s: %d %+v", gdapRoleMatrix[i].name, st, e)
			}
		}
		allRefused("after termination")
	})
}

// pcOutcome reads a Partner Center call's status and refusal.
func pcOutcome(t *testing.T, res *client.Response, err error) (int, int, string, string) {
	t.Helper()
	if err == nil {
		return res.Status, 0, "", ""
	}
	e, ok := err.(*client.Error)
	if !ok {
		t.Fatalf("got error %v (%T), want an API error", err, err)
	}
	return e.Status, e.Code, "", e.Description
}
