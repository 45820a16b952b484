package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/client"
)

// TestGDAPLifecycleThroughHTTP follows one relationship from draft to
// expiry: created at 2026-01-05T09:00Z for P730D, locked for approval ten
// days later, approved on 2026-01-20T09:00Z and so active until
// 2028-01-20T09:00Z (730 days: 2026 and 2027 have 365 each, and 2028's
// leap day comes after 20 January); its access assignment gives the
// helpdesk agent's group User Administrator in Fabrikam, then Directory
// Readers only, until the relationship expires.
func TestGDAPLifecycleThroughHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newGDAPSetup(t, w)
		rel := s.create(t, w, "Fabrikam helpdesk", "P730D", roleUserAdmin, roleDirectoryReaders)
		if rel.Status != "created" || rel.Duration != "P730D" || rel.AutoExtendDuration != "PT0S" || rel.Customer.TenantID != s.cust.ID ||
			rel.Customer.DisplayName != "Fabrikam" || rel.AccessDetails.ids() != roleUserAdmin+","+roleDirectoryReaders ||
			!rel.CreatedDateTime.Equal(start) || rel.ActivatedDateTime != nil || rel.EndDateTime != nil {
			t.Fatalf("created %+v", rel)
		}
		if rel.Context != "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships/$entity" || !strings.HasPrefix(rel.ETag, `W/"`) {
			t.Fatalf("context %q, etag %q", rel.Context, rel.ETag)
		}

		// The customer does not see the partner's draft.
		var seen client.Collection[gdapJSON]
		if _, err := s.admin.Do(w.ctx, http.MethodGet, "/tenant/v1/delegatedAdminRelationships", nil, &seen, nil); err != nil || seen.TotalCount != 0 {
			t.Fatalf("the customer sees %+v (%v)", seen, err)
		}

		// A draft changes with its etag; the answer carries the next one.
		var renamed gdapJSON
		if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPatch, "/"+rel.ID, map[string]any{"displayName": "Fabrikam helpdesk agents"}, &renamed, rel.ETag); st != 200 {
			t.Fatalf("patch: %d %+v", st, e)
		}
		if renamed.DisplayName != "Fabrikam helpdesk agents" || renamed.ETag == rel.ETag {
			t.Fatalf("renamed %+v", renamed)
		}

		// Locked ten days later, with the partner user's key at /v1.0.
		advance(t, w, "P10D")
		var req gdapRequestJSON
		if st, e := gdapDo(t, w, s.pc, "/v1.0", http.MethodPost, "/"+rel.ID+"/requests", map[string]string{"action": "lockForApproval"}, &req, ""); st != 201 {
			t.Fatalf("lock: %d %+v", st, e)
		}
		at(t, &req.CreatedDateTime, "2026-01-15T09:00:00Z")
		if req.Action != "lockForApproval" || req.Status != "succeeded" {
			t.Fatalf("request %+v", req)
		}
		var reqs graphList[gdapRequestJSON]
		gdapDo(t, w, s.own, "/graph/v1.0", http.MethodGet, "/"+rel.ID+"/requests", nil, &reqs, "")
		if len(reqs.Value) != 1 || reqs.Value[0].ID != req.ID {
			t.Fatalf("requests %+v, want %+v", reqs, req)
		}

		// Fabrikam's admin sees it pending, and approves five days later.
		seen = client.Collection[gdapJSON]{}
		if _, err := s.admin.Do(w.ctx, http.MethodGet, "/tenant/v1/delegatedAdminRelationships", nil, &seen, nil); err != nil ||
			seen.TotalCount != 1 || seen.Items[0].Status != "approvalPending" || seen.Items[0].PartnerID != s.partner.ID.String() {
			t.Fatalf("the customer sees %+v (%v)", seen, err)
		}
		advance(t, w, "P5D")
		approved := s.answer(t, w, rel.ID, "approve")
		at(t, approved.ActivatedDateTime, "2026-01-20T09:00:00Z")
		at(t, approved.EndDateTime, "2028-01-20T09:00:00Z")
		got := s.get(t, w, rel.ID)
		if got.Status != "active" {
			t.Fatalf("status %s", got.Status)
		}
		at(t, got.EndDateTime, "2028-01-20T09:00:00Z")

		// Active, but no role before an access assignment.
		st, e := s.deskListsUsers(t, w)
		wantGraphError(t, st, e, 403, "Authorization_RequestDenied", 4000)
		var as gdapAssignmentJSON
		if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+rel.ID+"/accessAssignments", newAssignment(s.group, roleUserAdmin), &as, ""); st != 201 {
			t.Fatalf("assign: %d %+v", st, e)
		}
		if as.Status != "active" || as.AccessContainer.AccessContainerID != s.group || as.AccessContainer.AccessContainerType != "securityGroup" ||
			as.AccessDetails.ids() != roleUserAdmin {
			t.Fatalf("assignment %+v", as)
		}
		// The helpdesk agent's token now lists Fabrikam's users and creates one.
		var users graphList[graphUserJSON]
		if st, e := graphCall(t, w, s.deskInFabri, http.MethodGet, "/users", nil, &users); st != 200 || len(users.Value) != 1 ||
			users.Value[0].UserPrincipalName != "admin@fabrikam.onmicrosoft.com" {
			t.Fatalf("users: %d %+v %+v", st, e, users)
		}
		if st, e := graphCall(t, w, s.deskInFabri, http.MethodPost, "/users", newUser("ada@fabrikam.onmicrosoft.com", "Ada"), nil); st != 201 {
			t.Fatalf("a User Administrator through GDAP creates a user: %d %+v", st, e)
		}

		// Narrowed to Directory Readers: it reads, no longer writes.
		var list graphList[gdapAssignmentJSON]
		gdapDo(t, w, s.pc, "/v1.0", http.MethodGet, "/"+rel.ID+"/accessAssignments", nil, &list, "")
		if len(list.Value) != 1 || list.Value[0].ID != as.ID {
			t.Fatalf("assignments %+v", list)
		}
		var narrowed gdapAssignmentJSON
		if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPatch, "/"+rel.ID+"/accessAssignments/"+as.ID,
			map[string]any{"accessDetails": map[string]any{"unifiedRoles": []map[string]string{{"roleDefinitionId": roleDirectoryReaders}}}}, &narrowed, as.ETag); st != 200 {
			t.Fatalf("narrow: %d %+v", st, e)
		}
		if narrowed.AccessDetails.ids() != roleDirectoryReaders || narrowed.ETag == as.ETag {
			t.Fatalf("narrowed %+v", narrowed)
		}
		if st, e := s.deskListsUsers(t, w); st != 200 {
			t.Fatalf("Directory Readers lists users: %d %+v", st, e)
		}
		st, e = graphCall(t, w, s.deskInFabri, http.MethodPost, "/users", newUser("bo@fabrikam.onmicrosoft.com", "Bo"), nil)
		wantGraphError(t, st, e, 403, "Authorization_RequestDenied", 4000)

		// A day before its end it still grants; at 2028-01-20T09:00Z it expires.
		advance(t, w, "P729D")
		if got := s.get(t, w, rel.ID); got.Status != "active" {
			t.Fatalf("on 2028-01-19: %s", got.Status)
		}
		if st, e := s.deskListsUsers(t, w); st != 200 {
			t.Fatalf("on 2028-01-19: %d %+v", st, e)
		}
		advance(t, w, "P1D")
		got = s.get(t, w, rel.ID)
		if got.Status != "expired" {
			t.Fatalf("on 2028-01-20: %s", got.Status)
		}
		at(t, got.EndDateTime, "2028-01-20T09:00:00Z")
		st, e = s.deskListsUsers(t, w)
		wantGraphError(t, st, e, 403, "Authorization_RequestDenied", 4000)
		// The customer sees it expired too.
		var one gdapJSON
		if _, err := s.admin.Do(w.ctx, http.MethodGet, "/tenant/v1/delegatedAdminRelationships/"+rel.ID, nil, &one, nil); err != nil || one.Status != "expired" {
			t.Fatalf("the customer's view %+v (%v)", one, err)
		}
	})
}

// TestGDAPTerminate: the partner terminates one relationship and the
// customer another; each ends at once, its end the time of termination,
// and the partner's users lose its roles.
func TestGDAPTerminate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newGDAPSetup(t, w)
		byPartner := s.create(t, w, "Readers by partner", "P90D", roleDirectoryReaders)
		byCustomer := s.create(t, w, "Readers by customer", "P90D", roleDirectoryReaders)
		for _, id := range []string{byPartner.ID, byCustomer.ID} {
			s.activate(t, w, id)
			if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+id+"/accessAssignments", newAssignment(s.group, roleDirectoryReaders), nil, ""); st != 201 {
				t.Fatalf("assign: %d %+v", st, e)
			}
		}
		advance(t, w, "P3D")
		var req gdapRequestJSON
		if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+byPartner.ID+"/requests", map[string]string{"action": "terminate"}, &req, ""); st != 201 {
			t.Fatalf("terminate: %d %+v", st, e)
		}
		got := s.get(t, w, byPartner.ID)
		if got.Status != "terminated" {
			t.Fatalf("status %s", got.Status)
		}
		at(t, got.EndDateTime, "2026-01-08T09:00:00Z")
		var reqs graphList[gdapRequestJSON]
		gdapDo(t, w, s.own, "/graph/v1.0", http.MethodGet, "/"+byPartner.ID+"/requests", nil, &reqs, "")
		if len(reqs.Value) != 2 || reqs.Value[0].Action != "lockForApproval" || reqs.Value[1].Action != "terminate" || reqs.Value[1].ID != req.ID {
			t.Fatalf("requests %+v", reqs)
		}
		// The other relationship still grants Directory Readers.
		if st, e := s.deskListsUsers(t, w); st != 200 {
			t.Fatalf("with one relationship left: %d %+v", st, e)
		}

		advance(t, w, "P1D")
		ended := s.answer(t, w, byCustomer.ID, "terminate")
		if ended.Status != "terminated" {
			t.Fatalf("status %s", ended.Status)
		}
		at(t, ended.EndDateTime, "2026-01-09T09:00:00Z")
		// The reader acts no more, and nothing is left to terminate.
		before := w.Dump()
		st, e := s.deskListsUsers(t, w)
		wantGraphError(t, st, e, 403, "Authorization_RequestDenied", 4000)
		st, e = gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+byCustomer.ID+"/requests", map[string]string{"action": "terminate"}, nil, "")
		wantGraphError(t, st, e, 400, "Request_BadRequest", 4210)
		_, err := s.admin.Do(w.ctx, http.MethodPost, "/tenant/v1/delegatedAdminRelationships/"+byPartner.ID+"/terminate", nil, nil, nil)
		wantAPIError(t, err, 400, 4210)
		st, e = gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+byCustomer.ID+"/accessAssignments", newAssignment(s.group, roleDirectoryReaders), nil, "")
		wantGraphError(t, st, e, 400, "Request_BadRequest", 4210)
		if w.Dump() != before {
			t.Fatal("refusals after termination changed the database")
		}
	})
}
