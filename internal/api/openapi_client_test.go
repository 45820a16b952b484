package api_test

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
)

// clientUse is one place a client type meets the document: the body it
// sends to an operation (status "") or the answer it reads.
type clientUse struct {
	typ          reflect.Type
	method, path string
	status       string
}

func use[T any](method, path, status string) clientUse {
	return clientUse{reflect.TypeFor[T](), method, path, status}
}

// clientUses are the client's calls (client/calls.go), each with the
// document's operation it calls.
var clientUses = []clientUse{
	use[client.NewPartner](http.MethodPost, "/admin/v1/partners", ""),
	use[client.Partner](http.MethodPost, "/admin/v1/partners", "201"),
	use[client.Collection[client.Partner]](http.MethodGet, "/admin/v1/partners", "200"),
	use[client.Partner](http.MethodGet, "/admin/v1/partners/{partner-id}", "200"),
	use[client.SalePolicy](http.MethodPut, "/admin/v1/partners/{partner-id}/salePolicy", ""),
	use[client.Partner](http.MethodPut, "/admin/v1/partners/{partner-id}/salePolicy", "200"),
	use[client.NewPartnerUser](http.MethodPost, "/admin/v1/partners/{partner-id}/users", ""),
	use[client.IssuedKey](http.MethodPost, "/admin/v1/partners/{partner-id}/users", "201"),
	use[client.NewTenant](http.MethodPost, "/admin/v1/tenants", ""),
	use[client.CreatedTenant](http.MethodPost, "/admin/v1/tenants", "201"),
	use[client.IssuedKey](http.MethodPost, "/admin/v1/tenants/{tenant-id}/keys", "201"),
	use[client.Clock](http.MethodGet, "/admin/v1/clock", "200"),
	use[client.Clock](http.MethodPost, "/admin/v1/clock/advance", "200"),
	use[client.Customer](http.MethodPost, "/v1/customers", ""),
	use[client.Customer](http.MethodPost, "/v1/customers", "201"),
	use[client.Collection[client.Customer]](http.MethodGet, "/v1/customers", "200"),
	use[client.Customer](http.MethodGet, "/v1/customers/{customer-id}", "200"),
	use[client.CompanyProfile](http.MethodGet, "/v1/customers/{customer-id}/profiles/company", "200"),
	use[client.BillingProfile](http.MethodGet, "/v1/customers/{customer-id}/profiles/billing", "200"),
	use[client.Collection[client.AuditRecord]](http.MethodGet, "/v1/auditrecords", "200"),
	use[client.Collection[client.Relationship]](http.MethodGet, "/tenant/v1/relationships", "200"),
	use[client.Collection[client.Relationship]](http.MethodPost, "/tenant/v1/relationships", "201"),
	use[client.MultiTenantOrganization](http.MethodGet, "/tenant/v1/multiTenantOrganization", "200"),
	use[client.MultiTenantOrganization](http.MethodPut, "/tenant/v1/multiTenantOrganization", "201"),
	use[client.MultiTenantOrganization](http.MethodPost, "/tenant/v1/multiTenantOrganization/tenants", "201"),
	use[client.MultiTenantOrganization](http.MethodPatch, "/tenant/v1/multiTenantOrganization/joinRequest", "200"),
	use[client.Collection[client.Subscription]](http.MethodGet, "/v1/customers/{customer-id}/subscriptions", "200"),
	use[client.Collection[client.CustomTermEndDate]](http.MethodGet, "/v1/customers/{customer-id}/subscriptions/customTermEndDates", "200"),
	use[client.Collection[client.HistoryEvent]](http.MethodGet, "/v1/subscriptions/{subscription-id}/history", "200"),
	use[client.Error](http.MethodGet, "/v1/customers/{customer-id}", "404"),
}

// TestClientTypesMatchSchemas reads each client type's JSON fields by
// reflection and finds each in the schema of the operations it is used
// with (in one of them at least: client.Clock reads both the clock and an
// advance), with a compatible type, nested types included. What a request
// schema requires, the client type that sends it must hold. (An answer's
// schema requires every property the server always writes; the client
// reads the ones it needs.)
func TestClientTypesMatchSchemas(t *testing.T) {
	_, b := mustDoc(t)
	var d map[string]any
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	s := schemas{doc: d}
	uses := map[reflect.Type]int{}
	missing := map[reflect.Type]map[string]int{}
	for _, u := range clientUses {
		sch, err := s.of(u)
		if err != nil {
			t.Errorf("%s %s %s: %v", u.method, u.path, u.status, err)
			continue
		}
		uses[u.typ]++
		if missing[u.typ] == nil {
			missing[u.typ] = map[string]int{}
		}
		c := check{s: s, where: fmt.Sprintf("%s (%s %s %s)", u.typ, u.method, u.path, u.status), request: u.status == "", missing: missing[u.typ]}
		c.value(t, u.typ, sch, "")
	}
	for typ, fields := range missing {
		for f, n := range fields {
			if n == uses[typ] {
				t.Errorf("%s: field %s is in none of the schemas of its %d operations", typ, f, n)
			}
		}
	}
}

// schemas resolves the document's references.
type schemas struct{ doc map[string]any }

func (s schemas) at(path ...string) (map[string]any, bool) {
	var cur any = s.doc
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur = m[p]
	}
	m, ok := cur.(map[string]any)
	return m, ok
}

// resolve follows a $ref.
func (s schemas) resolve(m map[string]any) map[string]any {
	for range 10 {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		next, ok := s.at(strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
		if !ok {
			return map[string]any{"x-unresolved": ref}
		}
		m = next
	}
	return m
}

// of answers the schema of a use: the request body's or the answer's.
func (s schemas) of(u clientUse) (map[string]any, error) {
	op, ok := s.at("paths", u.path, strings.ToLower(u.method))
	if !ok {
		return nil, fmt.Errorf("no such operation")
	}
	var holder map[string]any
	if u.status == "" {
		holder, ok = s.at("paths", u.path, strings.ToLower(u.method), "requestBody")
	} else {
		var resps map[string]any
		if resps, ok = op["responses"].(map[string]any); ok {
			holder, ok = resps[u.status].(map[string]any)
		}
	}
	if !ok {
		return nil, fmt.Errorf("no such body or answer")
	}
	holder = s.resolve(holder)
	content, _ := holder["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	sch, ok := media["schema"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("no application/json schema")
	}
	return s.resolve(sch), nil
}

// branches answers a schema and its anyOf/oneOf/allOf alternatives, resolved.
func (s schemas) branches(m map[string]any) []map[string]any {
	out := []map[string]any{s.resolve(m)}
	for _, k := range []string{"anyOf", "oneOf", "allOf"} {
		alts, _ := out[0][k].([]any)
		for _, a := range alts {
			if am, ok := a.(map[string]any); ok {
				out = append(out, s.branches(am)...)
			}
		}
	}
	return out
}

// types answers the JSON types a schema allows; nil allows anything.
func (s schemas) types(m map[string]any) []string {
	var out []string
	for _, b := range s.branches(m) {
		switch t := b["type"].(type) {
		case string:
			out = append(out, t)
		case []any:
			for _, x := range t {
				out = append(out, fmt.Sprint(x))
			}
		}
	}
	return out
}

// sub answers the schema of a property (key) or of items/values (key "").
func (s schemas) sub(m map[string]any, kind, key string) (map[string]any, bool) {
	for _, b := range s.branches(m) {
		var v any
		switch kind {
		case "property":
			props, _ := b["properties"].(map[string]any)
			v = props[key]
		case "items", "additionalProperties":
			v = b[kind]
		}
		if vm, ok := v.(map[string]any); ok {
			return s.resolve(vm), true
		}
	}
	return nil, false
}

func (s schemas) required(m map[string]any) []string {
	var out []string
	for _, b := range s.branches(m) {
		req, _ := b["required"].([]any)
		for _, r := range req {
			out = append(out, fmt.Sprint(r))
		}
	}
	return out
}

type check struct {
	s       schemas
	where   string
	request bool
	missing map[string]int
}

var (
	typeTime          = reflect.TypeFor[time.Time]()
	typeJSONNumber    = reflect.TypeFor[json.Number]()
	typeTextMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// wants answers the JSON types a Go type may decode from.
func wants(t reflect.Type) []string {
	switch {
	case t == typeJSONNumber:
		return []string{"number", "integer", "string"}
	case t == typeTime, t.Implements(typeTextMarshaler):
		return []string{"string"}
	}
	switch t.Kind() {
	case reflect.String:
		return []string{"string"}
	case reflect.Bool:
		return []string{"boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return []string{"integer", "number"}
	case reflect.Float32, reflect.Float64:
		return []string{"number", "integer"}
	case reflect.Slice, reflect.Array:
		return []string{"array"}
	case reflect.Map, reflect.Struct:
		return []string{"object"}
	}
	return nil // an interface reads anything
}

// value checks that the Go type t fits the schema sch, at path.
func (c check) value(t *testing.T, typ reflect.Type, sch map[string]any, path string) {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if want, got := wants(typ), c.s.types(sch); want != nil && got != nil && !slices.ContainsFunc(want, func(w string) bool { return slices.Contains(got, w) }) {
		t.Errorf("%s: %s is %s in the client but %v in the schema", c.where, orBody(path), typ, got)
		return
	}
	if wants(typ) == nil || typ == typeTime || typ == typeJSONNumber || typ.Implements(typeTextMarshaler) {
		return
	}
	switch typ.Kind() {
	case reflect.Slice, reflect.Array:
		if items, ok := c.s.sub(sch, "items", ""); ok {
			c.value(t, typ.Elem(), items, path+"[]")
		}
	case reflect.Map:
		if vals, ok := c.s.sub(sch, "additionalProperties", ""); ok {
			c.value(t, typ.Elem(), vals, path+"{}")
		}
	case reflect.Struct:
		fields := jsonFields(typ)
		for name, ft := range fields {
			p := strings.TrimPrefix(path+"."+name, ".")
			prop, ok := c.s.sub(sch, "property", name)
			if !ok {
				c.missing[p]++
				continue
			}
			c.value(t, ft, prop, p)
		}
		if c.request {
			for _, r := range c.s.required(sch) {
				if _, ok := fields[r]; !ok {
					t.Errorf("%s: the schema requires %s, which the client type cannot send", c.where, strings.TrimPrefix(path+"."+r, "."))
				}
			}
		}
	}
}

// jsonFields answers a struct's JSON field names and types, embedded
// structs flattened.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		tag, ok := f.Tag.Lookup("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-" || !f.IsExported():
		case f.Anonymous && !ok:
			for n, ft := range jsonFields(f.Type) {
				out[n] = ft
			}
		default:
			if name == "" {
				name = f.Name
			}
			out[name] = f.Type
		}
	}
	return out
}

func orBody(path string) string {
	if path == "" {
		return "the body"
	}
	return path
}
