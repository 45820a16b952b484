package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/clock"
	"github.com/opencsp/opencsp/internal/testdb"
)

// graphAs exchanges c's key for a Graph token acting in tenant.
func graphAs(t *testing.T, w *world, c *client.Client, tenant string) *client.Client {
	t.Helper()
	g, err := c.Token(w.ctx, tenant, client.ScopeGraph)
	if err != nil {
		t.Fatalf("token for %s: %v", tenant, err)
	}
	return g
}

// graphCall sends a Graph request and answers its status and error body.
func graphCall(t *testing.T, w *world, c *client.Client, method, path string, body, out any) (int, client.GraphError) {
	t.Helper()
	res, err := c.Do(w.ctx, method, "/graph/v1.0"+path, body, out, nil)
	if res == nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return res.Status, client.ReadGraphError(res)
}

// wantGraphError checks a refusal's status, Graph code and OpenCSP code.
func wantGraphError(t *testing.T, status int, e client.GraphError, wantStatus int, wantCode string, opencsp int) {
	t.Helper()
	if status != wantStatus || e.Error.Code != wantCode || e.Error.InnerError.OpenCSPCode != opencsp {
		t.Fatalf("got %d %s (%d) %q, want %d %s (%d)", status, e.Error.Code, e.Error.InnerError.OpenCSPCode, e.Error.Message, wantStatus, wantCode, opencsp)
	}
}

func postToken(t *testing.T, w *world, tenant string, form url.Values) (int, client.OAuthError) {
	t.Helper()
	res, err := http.PostForm(w.url+"/"+tenant+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e client.OAuthError
	_ = decodeJSON(res.Body, &e)
	return res.StatusCode, e
}

func TestTokenEndpointRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Contoso"))
		cust := w.MustCustomer(pc, customer("Fabrikam", "fabrikam", "US"))
		other := w.MustCustomer(pc, customer("Tailspin", "tailspin", "US"))
		admin := w.MustAdmin(cust.ID, "fabrikam.onmicrosoft.com")
		form := func(change func(url.Values)) url.Values {
			f := url.Values{"grant_type": {"client_credentials"}, "client_id": {client.KeyID(admin.Key)}, "client_secret": {admin.Key}, "scope": {client.ScopeGraph}}
			change(f)
			return f
		}
		cases := []struct {
			name   string
			tenant string
			form   url.Values
			status int
			err    string
			aadsts int
			code   int
		}{
			{"password grant", cust.ID, form(func(f url.Values) { f.Set("grant_type", "password") }), 400, "unsupported_grant_type", 70003, 1121},
			{"unknown scope", cust.ID, form(func(f url.Values) { f.Set("scope", "https://outlook.office.com/.default") }), 400, "invalid_scope", 70011, 1122},
			{"two audiences", cust.ID, form(func(f url.Values) { f.Set("scope", client.ScopeGraph+" "+client.ScopeARM) }), 400, "invalid_scope", 70011, 1122},
			{"wrong secret", cust.ID, form(func(f url.Values) { f.Set("client_secret", admin.Key[:len(admin.Key)-2]+"xx") }), 401, "invalid_client", 7000215, 1120},
			{"secret of another key", cust.ID, form(func(f url.Values) { f.Set("client_id", "6f1c1a57-0d0e-4b51-9f35-1d2b1f6c1a11") }), 401, "invalid_client", 7000215, 1120},
			{"client id not a guid", cust.ID, form(func(f url.Values) { f.Set("client_id", "admin") }), 401, "invalid_client", 700016, 1120},
			{"no scope", cust.ID, form(func(f url.Values) { f.Del("scope") }), 400, "invalid_request", 900144, 1002},
			{"unknown tenant", "5b0e7c1e-8a0a-4c38-9a43-3a0c1d7e2f10", form(func(url.Values) {}), 400, "invalid_request", 90002, 1123},
			{"unknown domain", "nowhere.onmicrosoft.com", form(func(url.Values) {}), 400, "invalid_request", 90002, 1123},
			{"another tenant's user", other.ID, form(func(url.Values) {}), 400, "unauthorized_client", 700016, 1124},
			{"operator key", cust.ID, form(func(f url.Values) { f.Set("client_id", client.KeyID(w.op.Key)); f.Set("client_secret", w.op.Key) }), 400, "unauthorized_client", 700016, 1124},
		}
		for _, c := range cases {
			status, e := postToken(t, w, c.tenant, c.form)
			if status != c.status || e.Err != c.err || len(e.ErrorCodes) != 1 || e.ErrorCodes[0] != c.aadsts || e.OpenCSPCode != c.code {
				t.Errorf("%s: got %d %s %v (%d) %q, want %d %s [%d] (%d)", c.name, status, e.Err, e.ErrorCodes, e.OpenCSPCode, e.ErrorDescription, c.status, c.err, c.aadsts, c.code)
			}
		}

		// The admin's token, by tenant id and by domain, for one hour.
		res, err := http.PostForm(w.url+"/fabrikam.onmicrosoft.com/oauth2/v2.0/token", form(func(url.Values) {}))
		if err != nil {
			t.Fatal(err)
		}
		var tok struct {
			TokenType   string `json:"token_type"`
			ExpiresIn   int    `json:"expires_in"`
			AccessToken string `json:"access_token"`
		}
		if err := decodeJSON(res.Body, &tok); err != nil || res.StatusCode != 200 || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 || !strings.HasPrefix(tok.AccessToken, "ocspt_") {
			t.Fatalf("token: %d %+v %v", res.StatusCode, tok, err)
		}

		// Graph takes tokens only, of its own audience.
		status, e := graphCall(t, w, admin, http.MethodGet, "/users", nil, nil)
		wantGraphError(t, status, e, 401, "InvalidAuthenticationToken", 1126)
		arm, err := admin.Token(w.ctx, cust.ID, client.ScopeARM)
		if err != nil {
			t.Fatal(err)
		}
		status, e = graphCall(t, w, arm, http.MethodGet, "/users", nil, nil)
		wantGraphError(t, status, e, 401, "InvalidAuthenticationToken", 1126)
		status, e = graphCall(t, w, client.New(w.url, ""), http.MethodGet, "/users", nil, nil)
		wantGraphError(t, status, e, 401, "InvalidAuthenticationToken", 1100)
	})
}

func decodeJSON(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTokensExpireInWallTime(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			wall := clock.NewManual(time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC))
			w := newWorldWith(t, e.Open(t), app.Options{Sandbox: true, StartTime: start, Wall: wall})
			_, pc := w.MustPartner(designPartner("Contoso"))
			cust := w.MustCustomer(pc, customer("Fabrikam", "fabrikam", "US"))
			admin := graphAs(t, w, w.MustAdmin(cust.ID, "fabrikam.onmicrosoft.com"), cust.ID)
			// A year of program time does not age it.
			if _, err := w.op.AdvanceClock(w.ctx, "P1Y"); err != nil {
				t.Fatal(err)
			}
			wall.Add(3599 * time.Second)
			if st, e := graphCall(t, w, admin, http.MethodGet, "/users", nil, nil); st != 200 {
				t.Fatalf("at 3,599 s: %d %+v", st, e)
			}
			wall.Add(time.Second)
			st, ge := graphCall(t, w, admin, http.MethodGet, "/users", nil, nil)
			wantGraphError(t, st, ge, 401, "InvalidAuthenticationToken", 1125)
		})
	}
}
