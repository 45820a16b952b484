package api_test

import (
	"net/http"
	"testing"
)

func TestCustomerUserCallsNeedGDAPRoles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Contoso"))
		_, rival := w.MustPartner(designPartner("Rival"))
		cust := w.MustCustomer(pc, customer("Fabrikam", "fabrikam", "US"))
		// Without an active GDAP relationship the partner holds no role in
		// the tenant: each call is refused naming the roles that would do.
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, "/v1/customers/" + cust.ID + "/users", nil},
			{http.MethodPost, "/v1/customers/" + cust.ID + "/users", map[string]any{"userPrincipalName": "ada@fabrikam.onmicrosoft.com", "displayName": "Ada", "usageLocation": "US",
				"passwordProfile": map[string]any{"password": "Xk3!pass-word"}}},
			{http.MethodGet, "/v1/customers/" + cust.ID + "/subscribedskus", nil},
			{http.MethodGet, "/v1/customers/" + cust.ID + "/directoryroles", nil},
			{http.MethodPost, "/v1/customers/" + cust.ID + "/users/admin@fabrikam.onmicrosoft.com/licenseupdates", map[string]any{"licensesToAssign": []any{}}},
		} {
			before := w.Dump()
			_, err := pc.Do(w.ctx, c.method, c.path, c.body, nil, nil)
			wantAPIError(t, err, 403, 4000)
			if w.Dump() != before {
				t.Fatalf("%s %s changed the database", c.method, c.path)
			}
			// Another partner does not see the customer at all.
			_, err = rival.Do(w.ctx, c.method, c.path, c.body, nil, nil)
			wantAPIError(t, err, 404, 1201)
		}
	})
}
