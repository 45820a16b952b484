package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Reference is a document read for people: its operations grouped by API
// and tag, each with its parameters and the fields of its bodies.
type Reference struct {
	Title, Version, Description string
	Groups                      []Group
	// Common are the parameters every operation takes (listed once).
	Common []RefParam
	// Fault is the error body every refusal answers.
	Fault []Field
}

// Group is one API's tags.
type Group struct {
	Name string
	Tags []Tag
}

// Tag is the operations of one tag.
type Tag struct {
	Name       string
	Operations []RefOperation
}

// RefOperation is one operation as the reference shows it.
type RefOperation struct {
	ID, Method, Path, Summary, Description string
	Security                               string
	Params                                 []RefParam
	// Body is the request body's schema name and fields (none: no body).
	Body      *Body
	Responses []RefResponse
	Refusals  []string // "400", "401", ...: the error body
}

// RefParam is one parameter.
type RefParam struct {
	Name, In, Type, Description string
	Required                    bool
}

// RefResponse is one successful answer.
type RefResponse struct {
	Status, Description string
	Body                *Body
}

// Body is a schema's name and its fields, nested fields by dotted name.
type Body struct {
	Schema string
	Fields []Field
}

// Field is one property of a body.
type Field struct {
	Name, Type, Description string
	Required                bool
}

// maxDepth bounds how deep nested fields are listed.
const maxDepth = 4

// methodOrder lists an operation's methods in reading order.
var methodOrder = []string{"get", "head", "post", "put", "patch", "delete"}

// Read reads a document (as Build writes it) for the reference page.
func Read(doc []byte) (*Reference, error) {
	var d map[string]any
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("read the OpenAPI document: %w", err)
	}
	r := reader{doc: d}
	info := obj(d["info"])
	ref := &Reference{Title: str(info["title"]), Version: str(info["version"]), Description: str(info["description"])}

	byTag := map[string][]RefOperation{}
	paths := obj(d["paths"])
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		item := obj(paths[p])
		for _, m := range methodOrder {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			o := r.operation(strings.ToUpper(m), p, op)
			tag := "Other"
			if tags := list(op["tags"]); len(tags) > 0 {
				tag = str(tags[0])
			}
			byTag[tag] = append(byTag[tag], o)
		}
	}
	ref.Common = common(byTag)
	placed := map[string]bool{}
	for _, g := range list(d["x-tagGroups"]) {
		gm := obj(g)
		group := Group{Name: str(gm["name"])}
		for _, t := range list(gm["tags"]) {
			if ops, ok := byTag[str(t)]; ok && !placed[str(t)] {
				placed[str(t)] = true
				group.Tags = append(group.Tags, Tag{Name: str(t), Operations: ops})
			}
		}
		ref.Groups = append(ref.Groups, group)
	}
	// Tags in no group (the document itself) come last, each its own group.
	for _, t := range list(d["tags"]) {
		name := str(obj(t)["name"])
		if ops, ok := byTag[name]; ok && !placed[name] {
			placed[name] = true
			ref.Groups = append(ref.Groups, Group{Name: name, Tags: []Tag{{Name: name, Operations: ops}}})
		}
	}
	for _, resp := range obj(obj(d["components"])["responses"]) {
		if b := r.body(obj(resp)); b != nil {
			ref.Fault = b.Fields
			break
		}
	}
	return ref, nil
}

// common moves the parameters every operation takes out of each.
func common(byTag map[string][]RefOperation) []RefParam {
	count := map[RefParam]int{}
	n := 0
	for _, ops := range byTag {
		for _, o := range ops {
			n++
			for _, p := range o.Params {
				count[p]++
			}
		}
	}
	var out []RefParam
	for p, c := range count {
		if c == n {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	for tag, ops := range byTag {
		for i := range ops {
			ops[i].Params = slices.DeleteFunc(ops[i].Params, func(p RefParam) bool { return count[p] == n })
		}
		byTag[tag] = ops
	}
	return out
}

type reader struct{ doc map[string]any }

func (r reader) operation(method, path string, op map[string]any) RefOperation {
	o := RefOperation{ID: str(op["operationId"]), Method: method, Path: path, Summary: str(op["summary"]), Description: str(op["description"])}
	for _, s := range list(op["security"]) {
		for name := range obj(s) {
			o.Security = name
		}
	}
	for _, p := range list(op["parameters"]) {
		pm := r.resolve(obj(p))
		o.Params = append(o.Params, RefParam{Name: str(pm["name"]), In: str(pm["in"]), Type: r.typeOf(obj(pm["schema"])),
			Description: str(pm["description"]), Required: pm["required"] == true})
	}
	if rb, ok := op["requestBody"].(map[string]any); ok {
		o.Body = r.body(r.resolve(rb))
	}
	resps := obj(op["responses"])
	for _, s := range slices.Sorted(maps.Keys(resps)) {
		resp := obj(resps[s])
		if _, shared := resp["$ref"]; shared && s >= "400" {
			o.Refusals = append(o.Refusals, s)
			continue
		}
		resp = r.resolve(resp)
		o.Responses = append(o.Responses, RefResponse{Status: s, Description: str(resp["description"]), Body: r.body(resp)})
	}
	return o
}

// body reads the application/json schema of a request body or answer.
func (r reader) body(holder map[string]any) *Body {
	sch, ok := obj(obj(holder["content"])["application/json"])["schema"].(map[string]any)
	if !ok {
		return nil
	}
	b := &Body{Schema: r.typeOf(sch)}
	r.fields(&b.Fields, sch, "", 0, nil)
	return b
}

// fields lists the properties of sch under prefix: an object's properties,
// an array's items' (name[]), a map's values' (name{}).
func (r reader) fields(out *[]Field, sch map[string]any, prefix string, depth int, seen []string) {
	if depth >= maxDepth {
		return
	}
	if ref := str(sch["$ref"]); ref != "" {
		if slices.Contains(seen, ref) {
			return
		}
		seen = append(seen, ref)
	}
	s := r.resolve(sch)
	for _, alt := range append(list(s["anyOf"]), list(s["oneOf"])...) {
		if am := obj(alt); am["type"] != "null" && am["$ref"] != nil {
			r.fields(out, am, prefix, depth, seen)
			return
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		r.fields(out, items, prefix+"[]", depth, seen)
		return
	}
	props := obj(s["properties"])
	for _, n := range slices.Sorted(maps.Keys(props)) {
		p := obj(props[n])
		name := n
		if prefix != "" {
			name = prefix + "." + n
		}
		desc := str(p["description"])
		if desc == "" {
			desc = str(r.resolve(p)["description"])
		}
		*out = append(*out, Field{Name: name, Type: r.typeOf(p), Description: desc, Required: slices.Contains(list(s["required"]), any(n))})
		r.fields(out, p, name, depth+1, seen)
	}
}

// typeOf names a schema's type for people: a schema name, string
// (date-time), Cart[], map of Link, "a or b".
func (r reader) typeOf(sch map[string]any) string {
	if ref := str(sch["$ref"]); ref != "" {
		// A named object shows its name; a named string its type.
		if t := r.resolve(sch); t["properties"] != nil || t["oneOf"] != nil || t["anyOf"] != nil || t["type"] == "object" {
			return ref[strings.LastIndex(ref, "/")+1:]
		}
		return r.typeOf(r.resolve(sch))
	}
	var alts []string
	null := ""
	for _, alt := range append(list(sch["anyOf"]), list(sch["oneOf"])...) {
		if obj(alt)["type"] == "null" {
			null = " or null"
		} else if t := r.typeOf(obj(alt)); !slices.Contains(alts, t) {
			alts = append(alts, t)
		}
	}
	if len(alts) > 0 {
		return strings.Join(alts, " or ") + null
	}
	var types []string
	switch t := sch["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			types = append(types, str(x))
		}
	}
	nullable := slices.Contains(types, "null")
	types = slices.DeleteFunc(types, func(s string) bool { return s == "null" })
	var name string
	switch {
	case len(types) == 0:
		name = "any"
	case types[0] == "array":
		name = r.typeOf(obj(sch["items"])) + "[]"
	case types[0] == "object" && sch["additionalProperties"] != nil && sch["properties"] == nil:
		name = "map of " + r.typeOf(obj(sch["additionalProperties"]))
	default:
		name = strings.Join(types, " or ")
		if f := str(sch["format"]); f != "" {
			name += " (" + f + ")"
		}
	}
	if e := list(sch["enum"]); len(e) > 0 {
		var vs []string
		for _, v := range e {
			vs = append(vs, fmt.Sprint(v))
		}
		name += ": " + strings.Join(vs, ", ")
	}
	if nullable {
		name += " or null"
	}
	return name
}

// resolve follows a local $ref.
func (r reader) resolve(m map[string]any) map[string]any {
	for range 8 {
		ref := str(m["$ref"])
		if !strings.HasPrefix(ref, "#/") {
			return m
		}
		var cur any = r.doc
		for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = obj(cur)[p]
		}
		m = obj(cur)
	}
	return m
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
