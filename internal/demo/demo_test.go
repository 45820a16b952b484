package demo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/demo"
	"github.com/opencsp/opencsp/internal/server"
	"github.com/opencsp/opencsp/internal/testdb"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// world runs the demo world on a fresh sandbox with seed, advances it a
// year and answers what the APIs show of it, page by page, with one-time
// secrets and per-request values masked.
func world(t *testing.T, seed uint64) string {
	t.Helper()
	ctx := context.Background()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	a, err := app.New(ctx, testdb.SQLite(t), app.Options{Sandbox: true, StartTime: start, BaseURL: "http://demo.test", Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	if h, err = server.Handler(a); err != nil {
		t.Fatal(err)
	}
	w, err := demo.Seed(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	get := func(c *client.Client, path string) {
		opt := &client.Request{}
		for {
			var page client.Collection[json.RawMessage]
			res, err := c.Do(ctx, http.MethodGet, path, nil, &page, opt)
			if err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			fmt.Fprintf(&out, "GET %s\n%s\n", path, mask(res.Body))
			if opt.ContinuationToken = page.Next(); opt.ContinuationToken == "" {
				return
			}
		}
	}
	op := client.New(srv.URL, w.Keys[0].APIKey)
	if _, err := op.AdvanceClock(ctx, "P1Y"); err != nil {
		t.Fatal(err)
	}
	get(op, "/admin/v1/partners")
	get(op, "/admin/v1/clock")
	for _, k := range w.Keys[1:] {
		c := client.New(srv.URL, k.APIKey)
		fmt.Fprintf(&out, "== %s (%s)\n", k.Who, k.Role)
		switch k.Role {
		case "adminAgent":
			var cs client.Collection[client.Customer]
			if _, err := c.Do(ctx, http.MethodGet, "/v1/customers?size=1000", nil, &cs, nil); err != nil {
				t.Fatal(err)
			}
			get(c, "/v1/customers?size=2")
			for _, cu := range cs.Items {
				get(c, "/v1/customers/"+cu.ID+"/subscriptions")
				subs, err := c.Subscriptions(ctx, cu.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range subs {
					get(c, "/v1/customers/"+cu.ID+"/subscriptions/"+s.ID+"/history")
				}
				get(c, "/v1/customers/"+cu.ID+"/orders")
			}
			for _, period := range []string{"current", "previous"} {
				get(c, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD&period="+period)
			}
			get(c, "/v1/auditrecords?startDate=2026-01-01")
		case "customer admin":
			get(c, "/tenant/v1/tenant")
			get(c, "/tenant/v1/relationships")
			get(c, "/tenant/v1/subscriptions")
		}
	}
	return out.String()
}

// masks are the values that may differ between runs: one-time secrets
// (keys, passwords) and the correlation id each request makes.
var masks = []*regexp.Regexp{
	regexp.MustCompile(`"(apiKey|password)":"[^"]*"`),
	regexp.MustCompile(`"originalCorrelationId":"[^"]*"`),
}

func mask(b []byte) string {
	s := string(b)
	for _, m := range masks {
		s = m.ReplaceAllStringFunc(s, func(x string) string { return x[:strings.Index(x, ":")] + `:"***"` })
	}
	return s
}

// TestSeededWorldRepeats runs the demo world and a year of its clock twice
// with one seed: every id, date and amount the APIs show is the same. Another
// seed gives other ids.
func TestSeededWorldRepeats(t *testing.T) {
	first, second := world(t, 7), world(t, 7)
	if first != second {
		a, b := strings.Split(first, "\n"), strings.Split(second, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("two runs with seed 7 differ at line %d:\n%.400s\n%.400s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("two runs with seed 7 differ in length: %d and %d lines", len(a), len(b))
	}
	if n := strings.Count(first, `"chargeType"`) + strings.Count(first, `"eventType"`); n < 100 {
		t.Fatalf("the comparison covers only %d events and charges", n)
	}
	other := world(t, 8)
	ids := regexp.MustCompile(`"id":"([0-9a-f-]{36})"`)
	seen := map[string]bool{}
	for _, m := range ids.FindAllStringSubmatch(first, -1) {
		seen[m[1]] = true
	}
	shared := 0
	for _, m := range ids.FindAllStringSubmatch(other, -1) {
		if seen[m[1]] {
			shared++
		}
	}
	var keys []string
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) < 20 || shared > 0 {
		t.Fatalf("seed 8 shares %d of seed 7's %d ids", shared, len(keys))
	}
}

// TestDemoMarkets: each demo partner is located in the CSP markets of the
// customers it serves: Northwind sells to US, CA, UK and EU tenants,
// so it is located in the United States, Canada and Europe.
func TestDemoMarkets(t *testing.T) {
	ctx := context.Background()
	seed := uint64(7)
	a, err := app.New(ctx, testdb.SQLite(t), app.Options{Sandbox: true, StartTime: start, BaseURL: "http://demo.test", Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	w, err := demo.Seed(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Northwind Cloud":      "Canada|Europe|United States",
		"Contoso Distribution": "Canada|Europe|United States",
		"Fabrikam IT":          "United States",
		"Litware Solutions":    "Europe",
	}
	for name, markets := range want {
		p := w.Partners[name]
		var got []string
		for _, m := range p.Markets() {
			got = append(got, string(m))
		}
		if strings.Join(got, "|") != markets {
			t.Errorf("%s (located in %v): markets %q, want %s", name, p.Locations, got, markets)
		}
	}
}
