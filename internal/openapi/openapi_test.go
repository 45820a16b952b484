package openapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

type fault struct {
	Code int `json:"code"`
}

type thingJSON struct {
	ID     uuid.UUID   `json:"id"`
	Price  json.Number `json:"price"`
	Parent *thingRef   `json:"parent"`
	Note   string      `json:"note,omitempty"`
	When   *time.Time  `json:"when,omitempty"`
	Tags   []string    `json:"tags"`
	Origin uuid.UUID   `json:"origin,omitzero"`
}

type thingRef struct {
	Name string `json:"name"`
}

type thingBody struct {
	Name  string `json:"name"`
	Count int    `json:"count,omitempty"`
}

type page[T any] struct {
	Items []T `json:"items"`
}

var testDoc = Document{Title: "T", Version: "1", APIs: []API{{Name: "Things API", Prefix: "/v1", Security: "thingKey"}},
	PathParams: map[string]Param{"thing-id": {Description: "The thing."}}, Fault: fault{}}

func build(t *testing.T, d Document, ops ...Operation) map[string]any {
	t.Helper()
	b, err := d.Build(ops)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func schema(doc map[string]any, name string) map[string]any {
	return obj(obj(obj(doc["components"])["schemas"])[name])
}

// TestSchemasFollowTheWire: names, required unless omitempty or omitzero, and the types
// encoding/json writes.
func TestSchemasFollowTheWire(t *testing.T) {
	doc := build(t, testDoc,
		Operation{Method: http.MethodPost, Path: "/v1/things/{thing-id}", Tag: "Things", Summary: "Make", Body: thingBody{}, IfMatch: true, Responses: Created(thingJSON{})},
		Operation{Method: http.MethodGet, Path: "/v1/things", Tag: "Things", Summary: "List", Paged: true, Responses: OK(page[thingJSON]{})})
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi %v", doc["openapi"])
	}
	thing := schema(doc, "Thing")
	req := list(thing["required"])
	if want := []any{"id", "price", "parent", "tags"}; !slices.Equal(req, want) {
		t.Errorf("Thing requires %v, want %v (the fields without omitempty or omitzero)", req, want)
	}
	props := obj(thing["properties"])
	if id := (reader{doc: doc}).resolve(obj(props["id"])); id["type"] != "string" || id["format"] != "uuid" {
		t.Errorf("id is %v, want a uuid string", id)
	}
	if price := obj(props["price"]); price["type"] != "number" {
		t.Errorf("price (json.Number) is %v, want a number", price)
	}
	// A nullable reference is anyOf null and the reference, nothing else.
	if parent := obj(props["parent"]); len(parent) != 1 || len(list(parent["anyOf"])) != 2 {
		t.Errorf("parent is %v, want anyOf [null, $ref]", parent)
	}
	if req := list(schema(doc, "ThingRequest")["required"]); !slices.Equal(req, []any{"name"}) {
		t.Errorf("ThingRequest requires %v, want [name]", req)
	}
	if schema(doc, "ThingPage") == nil {
		t.Error("page[thingJSON] is not named ThingPage")
	}
	post := obj(obj(obj(doc["paths"])["/v1/things/{thing-id}"])["post"])
	var refusals []string
	for s, r := range obj(post["responses"]) {
		if ref := str(obj(r)["$ref"]); ref != "" {
			refusals = append(refusals, s+" "+ref[strings.LastIndex(ref, "/")+1:])
		}
	}
	slices.Sort(refusals)
	want := []string{"400 BadRequest", "401 Unauthorized", "403 Forbidden", "404 NotFound", "409 Conflict", "412 PreconditionFailed", "429 TooManyRequests"}
	if !slices.Equal(refusals, want) {
		t.Errorf("a write with If-Match refuses with %v, want %v", refusals, want)
	}
	if sec := list(post["security"]); len(sec) != 1 || obj(sec[0])["thingKey"] == nil {
		t.Errorf("security %v, want thingKey", sec)
	}
}

// TestDeclarationErrors: a collision of names, an undescribed path
// parameter and a path outside every API are refused, each named.
func TestDeclarationErrors(t *testing.T) {
	type other struct{ thingJSON }
	d := testDoc
	d.Names = map[reflect.Type]string{reflect.TypeFor[other](): "Thing"}
	_, err := d.Build([]Operation{
		{Method: http.MethodGet, Path: "/v1/a", Tag: "A", Summary: "A", Responses: OK(thingJSON{})},
		{Method: http.MethodGet, Path: "/v1/b", Tag: "A", Summary: "B", Responses: OK(other{})},
		{Method: http.MethodGet, Path: "/v1/c/{nope}", Tag: "A", Summary: "C", Responses: OK(thingJSON{})},
		{Method: http.MethodGet, Path: "/v2/d", Tag: "A", Summary: "D", Responses: OK(thingJSON{})},
	})
	for _, want := range []string{"schema name Thing is taken", "{nope} has no entry", "GET /v2/d: the path is under no API's prefix"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
}

// TestRead reads a built document back as the reference page shows it.
func TestRead(t *testing.T) {
	b, err := testDoc.Build([]Operation{
		{Method: http.MethodPost, Path: "/v1/things/{thing-id}", Tag: "Things", Summary: "Make", Body: thingBody{}, Responses: Created(thingJSON{})},
		{Method: http.MethodGet, Path: "/v1/things", Tag: "Things", Summary: "List", Paged: true, Responses: OK(page[thingJSON]{})},
	})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Read(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Groups) != 1 || ref.Groups[0].Name != "Things API" || len(ref.Groups[0].Tags) != 1 {
		t.Fatalf("groups %+v", ref.Groups)
	}
	ops := ref.Groups[0].Tags[0].Operations
	if len(ops) != 2 || ops[0].Method+" "+ops[0].Path != "GET /v1/things" || ops[1].Method+" "+ops[1].Path != "POST /v1/things/{thing-id}" {
		t.Fatalf("operations %+v", ops)
	}
	var common []string
	for _, p := range ref.Common {
		common = append(common, p.Name)
	}
	if !slices.Equal(common, []string{HeaderCorrelationID, HeaderRequestID}) {
		t.Errorf("common parameters %v", common)
	}
	var fields []string
	for _, f := range ops[0].Responses[0].Body.Fields {
		fields = append(fields, f.Name+":"+f.Type)
	}
	want := []string{"items:Thing[] or null", "items[].id:string (uuid)", "items[].note:string", "items[].origin:string (uuid)", "items[].parent:ThingRef or null",
		"items[].parent.name:string", "items[].price:number", "items[].tags:string[] or null", "items[].when:string (date-time) or null"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields\n%q\nwant\n%q", fields, want)
	}
	if p := ops[1].Params; len(p) != 1 || p[0].Name != "thing-id" || !p[0].Required || p[0].In != "path" {
		t.Errorf("POST params %+v", p)
	}
}

// TestOperationIDs: a parameter with a suffix keeps it, so that a
// resource's forms get ids of their own.
func TestOperationIDs(t *testing.T) {
	for path, want := range map[string]string{
		"/v1/customers/{customer-id}/carts": "getV1CustomersByCustomerIdCarts",
		"/v1/invoices/{invoice-id}":         "getV1InvoicesByInvoiceId",
		"/v1/invoices/{invoice-id}.pdf":     "getV1InvoicesByInvoiceIdPdf",
	} {
		if got := operationID(http.MethodGet, path); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
}
