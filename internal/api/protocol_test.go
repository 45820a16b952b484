package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/api"
	"github.com/opencsp/opencsp/internal/csp"
)

func TestIdempotentCreate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Alpha Partners"))
		body := customer("Retry Corp", "retrycorp", "US")
		opt := &client.Request{RequestID: client.NewRequestID(), CorrelationID: "c0ffee00-0000-4000-8000-000000000001"}
		first, err := pc.Do(w.ctx, http.MethodPost, "/v1/customers", body, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if first.Header.Get("MS-CorrelationId") != opt.CorrelationID || first.Header.Get("MS-RequestId") != opt.RequestID {
			t.Fatalf("headers not echoed: %v", first.Header)
		}
		again, err := pc.Do(w.ctx, http.MethodPost, "/v1/customers", body, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		// The replay is the first answer, but for the one-time password:
		// it is shown once and never stored.
		if again.Status != http.StatusCreated || withoutPassword(t, again.Body) != withoutPassword(t, first.Body) {
			t.Fatalf("replay answered %d %s\nwant 201 %s", again.Status, again.Body, withoutPassword(t, first.Body))
		}
		if !strings.Contains(string(first.Body), `"password":"`) || !strings.Contains(string(again.Body), `"password":null`) {
			t.Fatalf("the first answer must show the password and the replay null:\n%s\n%s", first.Body, again.Body)
		}
		page, err := pc.ListCustomers(w.ctx, client.CustomerQuery{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("after a retried create: %d customers, %v; want 1", len(page.Items), err)
		}
		// Same id, another body: 409, nothing created.
		other := customer("Other Corp", "othercorp", "US")
		_, err = pc.Do(w.ctx, http.MethodPost, "/v1/customers", other, nil, opt)
		wantAPIError(t, err, http.StatusConflict, int(csp.EIdempotencyMismatch))
		// A refused request is replayed as refused, too.
		bad := &client.Request{RequestID: client.NewRequestID()}
		_, err1 := pc.Do(w.ctx, http.MethodPost, "/v1/customers", customer("Nordic", "nordic", "NO"), nil, bad)
		_, err2 := pc.Do(w.ctx, http.MethodPost, "/v1/customers", customer("Nordic", "nordic", "NO"), nil, bad)
		wantAPIError(t, err1, http.StatusBadRequest, int(csp.ERegionNotInPolicy))
		wantAPIError(t, err2, http.StatusBadRequest, int(csp.ERegionNotInPolicy))
	})
}

func TestCustomerPaging(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Alpha Partners"))
		names := []string{"Zeta", "alpha", "Beta", "gamma", "Delta", "epsilon", "Eta"}
		for i, n := range names {
			w.MustCustomer(pc, customer(n, fmt.Sprintf("pagecust%d", i), "US"))
		}
		var got []string
		token := ""
		for page := 0; ; page++ {
			c, err := pc.ListCustomers(w.ctx, client.CustomerQuery{Size: 3, Token: token})
			if err != nil {
				t.Fatal(err)
			}
			if c.TotalCount != len(c.Items) {
				t.Fatalf("totalCount %d, items %d", c.TotalCount, len(c.Items))
			}
			for _, it := range c.Items {
				got = append(got, it.CompanyProfile.CompanyName)
			}
			token = c.Next()
			if token == "" {
				if page != 2 || len(c.Items) != 1 {
					t.Fatalf("last page %d had %d items; want page 2 with 1", page, len(c.Items))
				}
				break
			}
		}
		if want := "alpha,Beta,Delta,epsilon,Eta,gamma,Zeta"; strings.Join(got, ",") != want {
			t.Fatalf("paged order %s, want %s", strings.Join(got, ","), want)
		}
		// Search by name, domain and tenant id; Partner Center's filter.
		find := func(q client.CustomerQuery) string {
			c, err := pc.ListCustomers(w.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range c.Items {
				out = append(out, it.CompanyProfile.CompanyName)
			}
			return strings.Join(out, ",")
		}
		if got := find(client.CustomerQuery{Q: "ETA"}); got != "Beta,Eta,Zeta" {
			t.Errorf("q=ETA found %s", got)
		}
		if got := find(client.CustomerQuery{Q: "PageCust3.onmicrosoft.com"}); got != "gamma" {
			t.Errorf("q=pagecust3 found %s", got)
		}
		all, _ := pc.ListCustomers(w.ctx, client.CustomerQuery{Q: "delta"})
		if got := find(client.CustomerQuery{Q: all.Items[0].ID}); got != "Delta" {
			t.Errorf("q=<tenant id> found %s", got)
		}
		if got := find(client.CustomerQuery{Filter: `{"Field":"CompanyName","Value":"e","Operator":"starts_with"}`}); got != "epsilon,Eta" {
			t.Errorf("filter CompanyName starts_with e found %s", got)
		}
		if got := find(client.CustomerQuery{Filter: `{"Field":"Domain","Value":"pagecust6","Operator":"starts_with"}`}); got != "Eta" {
			t.Errorf("filter Domain found %s", got)
		}
		// A token from another listing is refused.
		parts, err := w.op.ListPartners(w.ctx, 1, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = pc.ListCustomers(w.ctx, client.CustomerQuery{Token: parts.Next()})
		if parts.Next() == "" {
			_, err = pc.ListCustomers(w.ctx, client.CustomerQuery{Token: "bm90LWEtdG9rZW4"})
		}
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EInvalidToken))
	})
}

func TestKeysAndRoles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		p, admin := w.MustPartner(designPartner("Alpha Partners"))
		cust := w.MustCustomer(admin, customer("Roles Corp", "rolescorp", "US"))
		helpdesk := w.MustUser(p.ID, "help@alpha.example", "helpdeskAgent")
		billing := w.MustUser(p.ID, "bill@alpha.example", "billingAdmin")
		sales := w.MustUser(p.ID, "sales@alpha.example", "salesAgent")

		// Reads are open to every role; creating needs adminAgent or salesAgent.
		for name, c := range map[string]*client.Client{"helpdesk": helpdesk, "billing": billing, "sales": sales} {
			if _, err := c.GetCustomer(w.ctx, cust.ID); err != nil {
				t.Errorf("%s cannot read a customer: %v", name, err)
			}
		}
		_, err := helpdesk.CreateCustomer(w.ctx, customer("No", "nohelp", "US"), nil)
		e := wantAPIError(t, err, http.StatusForbidden, int(csp.EForbiddenRole))
		if !strings.Contains(e.Description, "adminAgent, salesAgent") {
			t.Errorf("403 %q should name the roles needed", e.Description)
		}
		_, err = billing.CreateCustomer(w.ctx, customer("No", "nobilling", "US"), nil)
		wantAPIError(t, err, http.StatusForbidden, int(csp.EForbiddenRole))
		if _, err := sales.CreateCustomer(w.ctx, customer("Yes", "yessales", "US"), nil); err != nil {
			t.Fatalf("salesAgent cannot create a customer: %v", err)
		}
		_, err = sales.AuditRecords(w.ctx, "2026-01-01", "", "")
		wantAPIError(t, err, http.StatusForbidden, int(csp.EForbiddenRole))

		// Keys of one API do not open another.
		_, err = w.op.GetCustomer(w.ctx, cust.ID)
		wantAPIError(t, err, http.StatusForbidden, int(csp.EWrongAPI))
		_, err = admin.ListPartners(w.ctx, 10, "")
		wantAPIError(t, err, http.StatusForbidden, int(csp.EWrongAPI))
		tenantAdmin := w.MustAdmin(cust.ID, "rolescorp.onmicrosoft.com")
		_, err = tenantAdmin.GetCustomer(w.ctx, cust.ID)
		wantAPIError(t, err, http.StatusForbidden, int(csp.EWrongAPI))

		// Missing, malformed, revoked and expired keys get 401.
		_, err = client.New(w.url, "").GetCustomer(w.ctx, cust.ID)
		wantAPIError(t, err, http.StatusUnauthorized, int(csp.EUnauthenticated))
		_, err = client.New(w.url, "ocsp_nothing").GetCustomer(w.ctx, cust.ID)
		wantAPIError(t, err, http.StatusUnauthorized, int(csp.EKeyInvalid))
		k, err := w.op.CreatePartnerUser(w.ctx, p.ID, client.NewPartnerUser{DisplayName: "Temp", Email: "temp@alpha.example", Roles: []string{"adminAgent"}})
		if err != nil {
			t.Fatal(err)
		}
		forged := k.APIKey[:len(k.APIKey)-4] + "AAAA"
		_, err = client.New(w.url, forged).GetCustomer(w.ctx, cust.ID)
		wantAPIError(t, err, http.StatusUnauthorized, int(csp.EKeyInvalid))
		if err := w.op.RevokeKey(w.ctx, k.KeyID); err != nil {
			t.Fatal(err)
		}
		_, err = client.New(w.url, k.APIKey).GetCustomer(w.ctx, cust.ID)
		wantAPIError(t, err, http.StatusUnauthorized, int(csp.EKeyRevoked))

		expires := start.Add(2 * time.Hour)
		short, err := w.op.CreatePartnerUser(w.ctx, p.ID, client.NewPartnerUser{DisplayName: "Short", Email: "short@alpha.example", Roles: []string{"adminAgent"}, ExpiresAt: &expires})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.New(w.url, short.APIKey).GetCustomer(w.ctx, cust.ID); err != nil {
			t.Fatalf("key before expiry: %v", err)
		}
		now, err := w.op.AdvanceClock(w.ctx, "PT2H")
		if err != nil || !now.Now.Equal(expires) {
			t.Fatalf("advance: %+v, %v; want now %s", now, err, expires)
		}
		_, err = client.New(w.url, short.APIKey).GetCustomer(w.ctx, cust.ID)
		wantAPIError(t, err, http.StatusUnauthorized, int(csp.EKeyExpired))
	})
}

func TestClockAndPathCase(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		c, err := w.op.AdvanceClock(w.ctx, "P1M")
		if err != nil || !c.Now.Equal(time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC)) {
			t.Fatalf("P1M from %s: %+v, %v", start, c, err)
		}
		var got client.Clock
		if _, err := w.op.Do(w.ctx, http.MethodPost, "/ADMIN/V1/Clock/Advance", map[string]string{"to": "2026-03-31T00:00:00Z"}, &got, nil); err != nil {
			t.Fatal(err)
		}
		if !got.Now.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("advance to: %+v", got)
		}
		_, err = w.op.Do(w.ctx, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"to": "2026-03-01T00:00:00Z"}, nil, nil)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EClockBackwards))
		// The clock survives a restart: a new app on the same database reads it.
		var raw json.RawMessage
		if _, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/clock", nil, &raw, nil); err != nil {
			t.Fatal(err)
		}
		w2 := newWorld(t, w.db)
		again, err := w2.op.Clock(w.ctx)
		if err != nil || !again.Now.Equal(got.Now) {
			t.Fatalf("clock after restart: %+v, %v; want %s", again, err, got.Now)
		}
	})
}

func TestIdempotentCreateConcurrent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Alpha Partners"))
		opt := &client.Request{RequestID: client.NewRequestID()}
		body := customer("Race Corp", "racecorp", "US")
		type answer struct {
			res *client.Response
			err error
		}
		answers := make(chan answer, 8)
		for range 8 {
			go func() {
				res, err := pc.Do(w.ctx, http.MethodPost, "/v1/customers", body, nil, opt)
				answers <- answer{res, err}
			}()
		}
		// Twins wait for the first and replay its answer: every request
		// answers 201 with the same customer, one of them with the password.
		var created []string
		withPassword := 0
		for range 8 {
			a := <-answers
			if a.err != nil {
				t.Fatalf("a twin answered %v: twins wait for the first request's answer", a.err)
			}
			if strings.Contains(string(a.res.Body), `"password":"`) {
				withPassword++
			}
			created = append(created, withoutPassword(t, a.res.Body))
		}
		if withPassword != 1 {
			t.Errorf("%d answers showed the password, want exactly 1", withPassword)
		}
		for _, b := range created[1:] {
			if b != created[0] {
				t.Fatalf("replays differ:\n%s\n%s", b, created[0])
			}
		}
		page, err := pc.ListCustomers(w.ctx, client.CustomerQuery{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("%d customers after 8 concurrent retries, want 1 (%v)", len(page.Items), err)
		}
	})
}

// TestRateLimit: each partner has its own budget of requests a minute; over
// it a request answers 429 with Retry-After and does nothing.
func TestRateLimit(t *testing.T) {
	w := newWorld(t, testdbSQLite(t), api.Options{RequestsPerMinute: 12}) // 0.2 a second, 2 at once
	_, a := w.MustPartner(designPartner("Alpha Partners"))
	_, b := w.MustPartner(client.NewPartner{Name: "Beta Cloud", Country: "GB", PartnerType: "direct"})
	for i := range 2 {
		if _, err := a.ListCustomers(w.ctx, client.CustomerQuery{}); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	res, err := a.Do(w.ctx, http.MethodPost, "/v1/customers", customer("Late", "late", "US"), nil, nil)
	wantAPIError(t, err, http.StatusTooManyRequests, int(csp.ERateLimited))
	if ra := res.Header.Get("Retry-After"); ra != "5" {
		t.Errorf("Retry-After %q, want 5 (one request every 5 seconds)", ra)
	}
	if taken, _ := b.DomainTaken(w.ctx, "late"); taken {
		t.Error("the throttled create went through")
	}
	// Another partner and the operator are not held back.
	if _, err := b.ListCustomers(w.ctx, client.CustomerQuery{}); err != nil {
		t.Errorf("Beta throttled by Alpha's traffic: %v", err)
	}
	if _, err := w.op.Clock(w.ctx); err != nil {
		t.Errorf("operator throttled: %v", err)
	}
}

// withoutPassword answers a create-customer answer with its one-time
// password as null, as a replay shows it.
func withoutPassword(t *testing.T, body []byte) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if creds, ok := v["userCredentials"].(map[string]any); ok {
		creds["password"] = nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var replay map[string]any
	_ = json.Unmarshal(b, &replay)
	out, _ := json.Marshal(replay)
	return string(out)
}
