package api_test

import (
	"net/http"
	"testing"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/api"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestGDAPRefusals: each refused GDAP call answers its status and codes
// (Graph's shape at /graph/v1.0 and /v1.0, Partner Center's at /tenant/v1)
// and changes nothing.
func TestGDAPRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newGDAPSetup(t, w)
		draft := s.create(t, w, "Draft", "P30D", roleUserAdmin)
		active := s.create(t, w, "Active", "P30D", roleUserAdmin, roleDirectoryReaders)
		s.activate(t, w, active.ID)
		pending := s.create(t, w, "Pending", "P30D", roleUserAdmin)
		if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+pending.ID+"/requests", map[string]string{"action": "lockForApproval"}, nil, ""); st != 201 {
			t.Fatalf("lock: %d %+v", st, e)
		}
		var as gdapAssignmentJSON
		if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+active.ID+"/accessAssignments", newAssignment(s.group, roleUserAdmin), &as, ""); st != 201 {
			t.Fatalf("assign: %d %+v", st, e)
		}
		// Stale etags: each resource changed once since they were read.
		staleDraft, staleAssignment := draft.ETag, as.ETag
		if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPatch, "/"+draft.ID, map[string]any{"duration": "P60D"}, &draft, draft.ETag); st != 200 {
			t.Fatalf("patch: %d %+v", st, e)
		}
		if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPatch, "/"+active.ID+"/accessAssignments/"+as.ID,
			map[string]any{"accessDetails": map[string]any{"unifiedRoles": []map[string]string{{"roleDefinitionId": roleDirectoryReaders}}}}, &as, as.ETag); st != 200 {
			t.Fatalf("patch assignment: %d %+v", st, e)
		}

		var second struct{ ID string }
		body := map[string]any{"displayName": "Second line", "mailNickname": "second", "mailEnabled": false, "securityEnabled": true}
		if st, e := graphCall(t, w, s.own, http.MethodPost, "/groups", body, &second); st != 201 {
			t.Fatalf("create group: %d %+v", st, e)
		}

		// Others: a helpdesk agent, a token acting in Fabrikam, Fabrikam's
		// admin's token, another partner, a plain Fabrikam user, another
		// customer's admin.
		desk := graphAs(t, w, s.desk, s.partner.ID.String())
		inFabrikam := graphAs(t, w, s.pc, s.cust.ID)
		rivalPartner, rivalKey := w.MustPartner(designPartner("Rival"))
		rival := graphAs(t, w, rivalKey, rivalPartner.ID.String())
		if st, e := graphCall(t, w, s.adminGraph, http.MethodPost, "/users", newUser("ada@fabrikam.onmicrosoft.com", "Ada"), nil); st != 201 {
			t.Fatalf("create user: %d %+v", st, e)
		}
		adaKey, err := w.op.MintTenantKey(w.ctx, mustUUID(t, s.cust.ID), "ada@fabrikam.onmicrosoft.com")
		if err != nil {
			t.Fatal(err)
		}
		ada := client.New(w.url, adaKey.APIKey)
		other := w.MustCustomer(s.pc, customer("Tailspin", "tailspin", "US"))
		otherAdmin := w.MustAdmin(other.ID, "tailspin.onmicrosoft.com")

		graph := func(c *client.Client, prefix, method, path string, body any, etag string, status int, code string, opencsp int) {
			t.Helper()
			before := w.Dump()
			st, e := gdapDo(t, w, c, prefix, method, path, body, nil, etag)
			wantGraphError(t, st, e, status, code, opencsp)
			if w.Dump() != before {
				t.Fatalf("%s %s was refused but changed the database", method, path)
			}
		}
		g := "/graph/v1.0"
		graph(s.own, g, http.MethodPost, "", newRelationship("Long", "P731D", s.cust.ID, roleUserAdmin), "", 400, "Request_BadRequest", 4202)
		graph(s.own, g, http.MethodPost, "", newRelationship("Long", "P3Y", s.cust.ID, roleUserAdmin), "", 400, "Request_BadRequest", 4202)
		graph(s.own, g, http.MethodPost, "", newRelationship("Odd", "P30D", s.cust.ID, "00000000-0000-4000-8000-000000000009"), "", 400, "Request_BadRequest", 4204)
		graph(s.own, g, http.MethodPost, "", newRelationship("Odd", "P30D", s.cust.ID, "user-admin"), "", 400, "Request_BadRequest", 4204)
		graph(s.own, g, http.MethodPost, "", newRelationship("ACTIVE", "P30D", s.cust.ID, roleUserAdmin), "", 409, "Request_Conflict", 4201)
		graph(desk, g, http.MethodPost, "", newRelationship("Desk", "P30D", s.cust.ID, roleUserAdmin), "", 403, "Authorization_RequestDenied", 1110)
		graph(inFabrikam, g, http.MethodGet, "", nil, "", 403, "Authorization_RequestDenied", 4228)
		graph(s.adminGraph, g, http.MethodGet, "", nil, "", 403, "Authorization_RequestDenied", 4228)
		graph(rival, g, http.MethodGet, "/"+draft.ID, nil, "", 404, "Request_ResourceNotFound", 4207)
		graph(rival, g, http.MethodPatch, "/"+draft.ID, map[string]any{"displayName": "Mine"}, draft.ETag, 404, "Request_ResourceNotFound", 4207)
		graph(rival, g, http.MethodGet, "/"+active.ID+"/accessAssignments/"+as.ID, nil, "", 404, "Request_ResourceNotFound", 4207)
		graph(s.own, g, http.MethodPatch, "/"+draft.ID, map[string]any{"displayName": "Renamed"}, "", 400, "Request_BadRequest", 4227)
		graph(s.own, g, http.MethodPatch, "/"+draft.ID, map[string]any{"displayName": "Renamed"}, staleDraft, 412, "PreconditionFailed", 1013)
		graph(s.own, g, http.MethodDelete, "/"+draft.ID, nil, "", 400, "Request_BadRequest", 4227)
		graph(s.own, g, http.MethodDelete, "/"+draft.ID, nil, staleDraft, 412, "PreconditionFailed", 1013)
		graph(s.own, g, http.MethodDelete, "/"+active.ID, nil, s.get(t, w, active.ID).ETag, 400, "Request_BadRequest", 4208)
		graph(s.own, g, http.MethodPatch, "/"+active.ID, map[string]any{"duration": "P60D"}, s.get(t, w, active.ID).ETag, 400, "Request_BadRequest", 4208)
		graph(s.own, g, http.MethodPost, "/"+pending.ID+"/requests", map[string]string{"action": "approve"}, "", 400, "Request_BadRequest", 4213)
		graph(s.own, g, http.MethodPost, "/"+active.ID+"/accessAssignments", newAssignment(second.ID, roleLicenseAdmin), "", 400, "Request_BadRequest", 4222)
		graph(s.own, g, http.MethodPost, "/"+pending.ID+"/accessAssignments", newAssignment(s.group, roleUserAdmin), "", 400, "Request_BadRequest", 4210)
		graph(s.own, g, http.MethodPost, "/"+active.ID+"/accessAssignments", newAssignment("00000000-0000-4000-8000-00000000000a", roleUserAdmin), "", 400, "Request_BadRequest", 4226)
		graph(s.own, g, http.MethodPost, "/"+active.ID+"/accessAssignments", newAssignment(s.group, roleUserAdmin), "", 409, "Request_Conflict", 4223)
		roles := map[string]any{"accessDetails": map[string]any{"unifiedRoles": []map[string]string{{"roleDefinitionId": roleUserAdmin}}}}
		graph(s.own, g, http.MethodPatch, "/"+active.ID+"/accessAssignments/"+as.ID, roles, "", 400, "Request_BadRequest", 4227)
		graph(s.own, g, http.MethodPatch, "/"+active.ID+"/accessAssignments/"+as.ID, roles, staleAssignment, 412, "PreconditionFailed", 1013)
		graph(s.own, g, http.MethodDelete, "/"+active.ID+"/accessAssignments/"+as.ID, nil, "", 400, "Request_BadRequest", 4227)
		license := map[string]any{"accessDetails": map[string]any{"unifiedRoles": []map[string]string{{"roleDefinitionId": roleLicenseAdmin}}}}
		graph(s.own, g, http.MethodPatch, "/"+active.ID+"/accessAssignments/"+as.ID, license, as.ETag, 400, "Request_BadRequest", 4222)
		// At /v1.0: a partner user's key only, answered in Graph's shape.
		graph(s.pc, "/v1.0", http.MethodGet, "/00000000-0000-4000-8000-00000000000b", nil, "", 404, "Request_ResourceNotFound", 4207)
		graph(s.admin, "/v1.0", http.MethodGet, "", nil, "", 403, "Authorization_RequestDenied", 1111)
		graph(client.New(w.url, ""), "/v1.0", http.MethodGet, "", nil, "", 401, "InvalidAuthenticationToken", 1100)

		// The customer API: only this tenant's Global Administrator answers
		// what was asked of it.
		customerAPI := func(c *client.Client, id, action string, status, code int) {
			t.Helper()
			before := w.Dump()
			_, err := c.Do(w.ctx, http.MethodPost, "/tenant/v1/delegatedAdminRelationships/"+id+"/"+action, nil, nil, nil)
			wantAPIError(t, err, status, code)
			if w.Dump() != before {
				t.Fatalf("%s of %s was refused but changed the database", action, id)
			}
		}
		customerAPI(ada, pending.ID, "approve", 403, 1110)
		customerAPI(otherAdmin, pending.ID, "approve", 404, 4207)
		customerAPI(s.admin, draft.ID, "approve", 404, 4207)
		customerAPI(s.admin, active.ID, "approve", 400, 4209)
		customerAPI(s.admin, pending.ID, "terminate", 400, 4210)
		customerAPI(s.pc, pending.ID, "approve", 403, 1111)
		_, err = ada.Do(w.ctx, http.MethodGet, "/tenant/v1/delegatedAdminRelationships", nil, nil, nil)
		wantAPIError(t, err, 403, 1110)

		// What was refused is as it was: the pending one still waits.
		var one gdapJSON
		if _, err := s.admin.Do(w.ctx, http.MethodGet, "/tenant/v1/delegatedAdminRelationships/"+pending.ID, nil, &one, nil); err != nil || one.Status != "approvalPending" {
			t.Fatalf("pending %+v (%v)", one, err)
		}
	})
}

// TestGDAPThrottledInGraphShape: over its limit a partner's GDAP calls
// answer 429 in Graph's shape, with Retry-After, at /v1.0 and /graph/v1.0
// alike, while its Partner Center calls answer Partner Center's.
func TestGDAPThrottledInGraphShape(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			w := newWorld(t, e.Open(t), api.Options{RequestsPerMinute: 1})
			p, pc := w.MustPartner(designPartner("Contoso"))
			own := graphAs(t, w, pc, p.ID.String())
			if st, e := gdapDo(t, w, pc, "/v1.0", http.MethodGet, "", nil, nil, ""); st != 200 {
				t.Fatalf("first call: %d %+v", st, e)
			}
			for _, c := range []struct {
				c      *client.Client
				prefix string
			}{{pc, "/v1.0"}, {own, "/graph/v1.0"}} {
				res, _ := c.c.Do(w.ctx, http.MethodGet, c.prefix+gdapPath, nil, nil, nil)
				wantGraphError(t, res.Status, client.ReadGraphError(res), 429, "TooManyRequests", 1020)
				if res.Header.Get("Retry-After") == "" {
					t.Fatalf("%s: no Retry-After", c.prefix)
				}
			}
			_, err := pc.ListCustomers(w.ctx, client.CustomerQuery{})
			wantAPIError(t, err, 429, 1020)
		})
	}
}
