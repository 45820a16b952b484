package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/api"
)

// doc is the parsed document: what the tests below read of it.
type doc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]map[string]any `json:"schemas"`
	} `json:"components"`
}

// operation is one documented method and path.
type operation struct{ method, path string }

func mustDoc(t *testing.T) (*doc, []byte) {
	t.Helper()
	b, err := api.OpenAPI()
	if err != nil {
		t.Fatalf("the document does not build: %v", err)
	}
	var d doc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return &d, b
}

var methods = []string{"get", "head", "post", "put", "patch", "delete"}

// operations lists the document's operations in path order.
func (d *doc) operations() []operation {
	var out []operation
	for p, item := range d.Paths {
		for _, m := range methods {
			if _, ok := item[m]; ok {
				out = append(out, operation{strings.ToUpper(m), p})
			}
		}
	}
	slices.SortFunc(out, func(a, b operation) int { return strings.Compare(a.path+a.method, b.path+b.method) })
	return out
}

var param = regexp.MustCompile(`\{[^}]*\}`)

// normal is a route's key: method and lower-cased path with every
// parameter as {} (chi's {id} is the document's {customer-id}).
func normal(method, path string) string {
	return method + " " + param.ReplaceAllString(strings.ToLower(path), "{}")
}

// TestOpenAPIServedWithoutKey reads /openapi.json through the server with
// no key, while a throttle of one request a minute refuses the partner who
// sent two: the document is behind neither key nor throttle.
func TestOpenAPIServedWithoutKey(t *testing.T) {
	w := newWorld(t, testdbSQLite(t), api.Options{RequestsPerMinute: 1})
	_, partner := w.MustPartner(designPartner("Contoso"))
	if _, err := partner.ListCustomers(w.ctx, client.CustomerQuery{}); err != nil {
		t.Fatal(err)
	}
	_, err := partner.ListCustomers(w.ctx, client.CustomerQuery{})
	wantAPIError(t, err, http.StatusTooManyRequests, 1020)
	anon := client.New(w.url, "")
	for i := range 3 {
		res, err := anon.Do(w.ctx, http.MethodGet, "/openapi.json", nil, nil, nil)
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q, want application/json", ct)
		}
		var d doc
		if err := json.Unmarshal(res.Body, &d); err != nil || d.OpenAPI != "3.1.0" {
			t.Fatalf("read %d: openapi %q (%v), want 3.1.0", i, d.OpenAPI, err)
		}
	}
}

// TestOpenAPIDocumentsEveryRoute walks the real router: every route it
// serves is in the document, and the document names no route it lacks.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	w := newWorld(t, testdbSQLite(t))
	d, _ := mustDoc(t)
	documented := map[string]bool{}
	for _, op := range d.operations() {
		documented[normal(op.method, op.path)] = true
	}
	served := map[string]bool{}
	err := chi.Walk(api.New(w.app, api.Options{}).Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		served[normal(method, route)] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(served) < 60 {
		t.Fatalf("the walk found only %d routes", len(served))
	}
	for r := range served {
		if !documented[r] {
			t.Errorf("route %s is served but not in the OpenAPI document: declare it in its resource file's …Doc", r)
		}
	}
	for r := range documented {
		if !served[r] {
			t.Errorf("%s is documented but the router does not serve it", r)
		}
	}
}

// TestOpenAPIRoutesAnswer calls every documented operation through the
// server with a key of its API and made-up ids: each must reach a handler.
// The router's own answers (no route, or no such method) are 404 with code
// 1200, which no handler gives.
func TestOpenAPIRoutesAnswer(t *testing.T) {
	w := newWorld(t, testdbSQLite(t))
	_, partner := w.MustPartner(designPartner("Contoso"))
	cust := w.MustCustomer(partner, customer("Fabrikam", "fabrikam", "US"))
	keys := map[string]*client.Client{"/v1/": partner, "/admin/v1/": w.op, "/tenant/v1/": w.MustAdmin(cust.ID, "fabrikam.onmicrosoft.com"), "/openapi.json": client.New(w.url, "")}
	made := uuid.MustParse("00000000-0000-4000-8000-00000000abcd").String()
	values := map[string]string{"{domain}": "fabrikam.onmicrosoft.com", "{country}": "US", "{product-id}": "CFQ7TTC0LH18", "{sku-id}": "0001"}
	router := func(res *client.Response) bool {
		var e client.Error
		return res.Status == http.StatusNotFound && json.Unmarshal(res.Body, &e) == nil && e.Code == 1200
	}

	// The check tells the router's answers apart: a made-up path and a
	// method a route lacks are the router's.
	for _, c := range []operation{{http.MethodGet, "/v1/no/such/route"}, {http.MethodDelete, "/v1/customers"}} {
		res, _ := partner.Do(w.ctx, c.method, c.path, nil, nil, nil)
		if res == nil || !router(res) {
			t.Fatalf("%s %s: %+v is not recognised as the router's answer", c.method, c.path, res)
		}
	}

	d, _ := mustDoc(t)
	ops := d.operations()
	if len(ops) < 60 {
		t.Fatalf("the document has only %d operations", len(ops))
	}
	for _, op := range ops {
		path := param.ReplaceAllStringFunc(op.path, func(p string) string {
			if v, ok := values[p]; ok {
				return v
			}
			return made
		})
		var c *client.Client
		for prefix, k := range keys {
			if strings.HasPrefix(op.path, prefix) {
				c = k
			}
		}
		var body any
		if strings.Contains(string(d.Paths[op.path][strings.ToLower(op.method)]), `"requestBody"`) {
			body = map[string]any{}
		}
		res, err := c.Do(w.ctx, op.method, path, body, nil, nil)
		if res == nil {
			t.Fatalf("%s %s: %v", op.method, path, err)
		}
		if router(res) {
			t.Errorf("%s %s (documented as %s) reaches no handler: %s", op.method, path, op.path, res.Body)
		}
	}
}

// TestOpenAPIValidates checks the document against the OpenAPI 3.1 schema
// with libopenapi's validator, which also refuses a broken document.
func TestOpenAPIValidates(t *testing.T) {
	_, b := mustDoc(t)
	valid := func(b []byte) (bool, string) {
		t.Helper()
		d, err := libopenapi.NewDocument(b)
		if err != nil {
			t.Fatal(err)
		}
		if v := d.GetVersion(); v != "3.1.0" {
			t.Fatalf("libopenapi reads version %q, want 3.1.0", v)
		}
		if _, err := d.BuildV3Model(); err != nil {
			return false, err.Error()
		}
		v, errs := validator.NewValidator(d)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		ok, verrs := v.ValidateDocument()
		var msgs []string
		for _, e := range verrs {
			msgs = append(msgs, e.Message+": "+e.Reason)
			for _, se := range e.SchemaValidationErrors {
				msgs = append(msgs, "  "+se.KeywordLocation+": "+se.Reason)
			}
		}
		return ok, strings.Join(msgs, "\n")
	}
	if ok, why := valid(b); !ok {
		t.Fatalf("the document is not valid OpenAPI 3.1:\n%s", why)
	}
	// A parameter without its required "in" must be refused.
	broken := strings.Replace(string(b), `"in": "path",`, "", 1)
	if ok, _ := valid([]byte(broken)); ok {
		t.Fatal("the validator accepts a path parameter without \"in\"")
	}
}
