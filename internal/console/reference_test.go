package console_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/server"
)

// TestReferencePage reads the API reference without signing in: it lists
// every operation of the document /openapi.json serves, each with its
// method, path, summary, parameters and body fields.
func TestReferencePage(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	h, err := server.Handler(w.app)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	get := func(path string) string {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s answered %d: %s", path, res.StatusCode, b)
		}
		return string(b)
	}

	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(get("/openapi.json")), &doc); err != nil {
		t.Fatal(err)
	}
	ops := 0
	for _, item := range doc.Paths {
		for m := range item {
			if m != "parameters" {
				ops++
			}
		}
	}

	page := get("/console/reference")
	if got := strings.Count(page, `class="card ref-op"`); got != ops || ops < 60 {
		t.Errorf("the page lists %d operations, the document has %d", got, ops)
	}
	carts := section(t, page, `id="op-postV1CustomersByCustomerIdCarts"`)
	for _, want := range []string{
		`data-method="POST" data-path="/v1/customers/{customer-id}/carts"`,
		`<span class="ref-method method-POST">POST</span> <code class="ref-path">/v1/customers/{customer-id}/carts</code>`,
		`<p class="ref-summary">Create a cart</p>`,
		`<code class="ref-name">customer-id</code> <small>path, string, required</small>`,
		`Request body <small><code>CartRequest</code></small>`,
		`<code class="ref-name">lineItems[].catalogItemId</code>`,
		`201 <small>Created · <code>Cart</code></small>`,
		`<code class="ref-name">lineItems[].error.errorCode</code>`,
		"Refusals: 400, 401, 403, 404, 409, 429",
	} {
		if !strings.Contains(carts, want) {
			t.Errorf("the carts operation lacks %q:\n%s", want, carts)
		}
	}
	// A paged listing shows its paging parameters; the common headers are
	// listed once, not per operation.
	list := section(t, page, `id="op-getV1Customers"`)
	for _, want := range []string{`<code class="ref-name">filter</code>`, `<code class="ref-name">MS-ContinuationToken</code> <small>header`, "CustomerCollection"} {
		if !strings.Contains(list, want) {
			t.Errorf("GET /v1/customers lacks %q", want)
		}
	}
	if strings.Contains(list, `<code class="ref-name">MS-CorrelationId</code>`) {
		t.Error("GET /v1/customers repeats the common MS-CorrelationId header")
	}
	if !strings.Contains(section(t, page, `id="ref-common"`), `<code class="ref-name">MS-CorrelationId</code>`) {
		t.Error("the common headers do not list MS-CorrelationId")
	}
	if !strings.Contains(page, `href="/console/reference" id="nav-reference"`) {
		t.Error("the layout has no link to the reference")
	}
}

// section answers the element that starts at marker, up to the next
// operation.
func section(t *testing.T, page, marker string) string {
	t.Helper()
	i := strings.Index(page, marker)
	if i < 0 {
		t.Fatalf("the page has no %s", marker)
	}
	rest := page[i:]
	if j := strings.Index(rest[1:], "<article "); j >= 0 {
		rest = rest[:j+1]
	}
	return rest
}
