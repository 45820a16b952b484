package api_test

import (
	"net/http"
	"testing"
)

// TestTenantKeepsItsDataWhenAPartnerLeaves: Contoso's admin makes a user
// with a Business Premium licence and a security group; all 10 seats move
// to the target partner on 2026-04-20, after which Contoso removes the
// source partner (nothing of it is live any more, R-34). The user, its
// licence (now from the target's 10 seats) and the group are all still
// there: a partner only ever sold the seats.
func TestTenantKeepsItsDataWhenAPartnerLeaves(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newTransferWorld(t, w)
		admin := graphAs(t, w, x.admin, x.customer)
		body := newUser("ada@contoso.onmicrosoft.com", "Ada Lovelace")
		body["usageLocation"] = "US"
		var ada graphUserJSON
		if st, e := graphCall(t, w, admin, http.MethodPost, "/users", body, &ada); st != 201 {
			t.Fatalf("create ada: %d %+v", st, e)
		}
		if st, e := graphCall(t, w, admin, http.MethodPost, "/users/"+ada.ID+"/assignLicense", assign(skuSPB), nil); st != 200 {
			t.Fatalf("assign: %d %+v", st, e)
		}
		group := map[string]any{"displayName": "Finance", "mailNickname": "finance", "securityEnabled": true, "mailEnabled": false}
		var g struct {
			ID string `json:"id"`
		}
		if st, e := graphCall(t, w, admin, http.MethodPost, "/groups", group, &g); st != 201 {
			t.Fatalf("create group: %d %+v", st, e)
		}

		// The source still sells the seats: removing it is refused.
		if _, err := x.admin.Do(w.ctx, http.MethodDelete, "/tenant/v1/relationships/"+x.srcID, nil, nil, nil); err == nil {
			t.Fatal("removed the source partner while it had a live subscription")
		}
		x.src.advanceTo(t, "2026-04-20T09:00:00Z")
		tr := x.create(t)
		x.lines(t, tr.ID, 10)
		if tr = x.do(t, x.src.pc, http.MethodPost, x.base+"/"+tr.ID+"/submit", nil); tr.Status != "Completed" {
			t.Fatalf("transfer: %+v", tr)
		}
		if _, err := x.admin.Do(w.ctx, http.MethodDelete, "/tenant/v1/relationships/"+x.srcID, nil, nil, nil); err != nil {
			t.Fatalf("removing the source partner once nothing of it is live: %v", err)
		}

		var got graphUserJSON
		if st, e := graphCall(t, w, admin, http.MethodGet, "/users/"+ada.ID, nil, &got); st != 200 || got.UserPrincipalName != "ada@contoso.onmicrosoft.com" {
			t.Fatalf("ada after the source left: %d %+v %+v", st, got, e)
		}
		wantPool(t, pool(t, w, admin), 10, 0, 0, 0, 1, "Enabled")
		if st, e := graphCall(t, w, admin, http.MethodGet, "/groups/"+g.ID, nil, nil); st != 200 {
			t.Fatalf("the group after the source left: %d %+v", st, e)
		}
	})
}
