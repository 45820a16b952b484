package openapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"github.com/swaggest/jsonschema-go"
)

// ValueOrPair documents a value written either as T or as the pair
// [before, after] (a history event's changes).
type ValueOrPair[T any] struct{}

// JSONSchemaOneOf is the two shapes.
func (ValueOrPair[T]) JSONSchemaOneOf() []any { return []any{new(T), new([2]T)} }

// oneOfOnly marks documentation types whose schema is their oneOf alone.
func (ValueOrPair[T]) oneOfOnly() {}

// namer names the schemas of Go types: cartJSON is Cart, cartBody is
// CartRequest, collection[cartJSON] is CartCollection; names must not
// collide.
type namer struct {
	overrides map[reflect.Type]string
	// byPath are the overrides by package path and name, as a generic
	// type's name spells its arguments.
	byPath   map[string]string
	byName   map[string]reflect.Type
	reported map[string]bool
	errs     []error
}

func newNamer(overrides map[reflect.Type]string) *namer {
	n := &namer{overrides: overrides, byPath: map[string]string{}, byName: map[string]reflect.Type{}, reported: map[string]bool{}}
	for t, name := range overrides {
		n.byPath[t.PkgPath()+"."+t.Name()] = name
	}
	return n
}

func (n *namer) option(rc *jsonschema.ReflectContext) {
	jsonschema.InterceptDefName(func(t reflect.Type, _ string) string { return n.nameOf(t) })(rc)
}

func (n *namer) nameOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name, ok := n.overrides[t]
	if !ok {
		name = n.typeName(t.Name())
	}
	if t.Kind() == reflect.Struct {
		prev, ok := n.byName[name]
		switch {
		case !ok:
			n.byName[name] = t
		case prev != t && !n.reported[name]:
			n.reported[name] = true
			n.errs = append(n.errs, fmt.Errorf("schema name %s is taken by both %s and %s: name one in Document.Names", name, prev, t))
		}
	}
	return name
}

// typeName turns a Go type name into a schema name; a generic type's
// arguments come first (collection[pkg.cartJSON] is CartCollection).
func (n *namer) typeName(goName string) string {
	base, args, generic := strings.Cut(goName, "[")
	name := ""
	if generic {
		for _, a := range strings.Split(strings.TrimSuffix(args, "]"), ",") {
			a = strings.TrimLeft(a, "[]*")
			if o, ok := n.byPath[a]; ok {
				name += o
				continue
			}
			name += n.typeName(a[strings.LastIndex(a, ".")+1:])
		}
	}
	switch {
	case strings.HasSuffix(base, "JSON"):
		base = strings.TrimSuffix(base, "JSON")
	case strings.HasSuffix(base, "Body"):
		base = strings.TrimSuffix(base, "Body") + "Request"
	}
	if base == "" {
		return name
	}
	r := []rune(base)
	r[0] = unicode.ToUpper(r[0])
	return name + string(r)
}

// envelopNull writes a nullable reference as anyOf [null, $ref], leaving
// the shared schema itself not nullable.
func envelopNull(rc *jsonschema.ReflectContext) { rc.EnvelopNullability = true }

// requiredUnlessOmitEmpty marks a property required when its JSON tag has
// neither omitempty nor omitzero: encoding/json always writes it.
func requiredUnlessOmitEmpty(rc *jsonschema.ReflectContext) {
	jsonschema.InterceptProp(func(p jsonschema.InterceptPropParams) error {
		if !p.Processed || p.ParentSchema == nil {
			return nil
		}
		tag, ok := p.Field.Tag.Lookup("json")
		name, opts, _ := strings.Cut(tag, ",")
		if (!ok && p.Field.Anonymous) || name == "-" || omits(opts) {
			return nil
		}
		if !slices.Contains(p.ParentSchema.Required, p.Name) {
			p.ParentSchema.Required = append(p.ParentSchema.Required, p.Name)
		}
		return nil
	})(rc)
}

// omits reports whether JSON tag options let encoding/json leave the field out.
func omits(opts string) bool {
	o := strings.Split(opts, ",")
	return slices.Contains(o, "omitempty") || slices.Contains(o, "omitzero")
}

var (
	typeNumber = reflect.TypeFor[json.Number]()
	typeUUID   = reflect.TypeFor[uuid.UUID]()
)

// wireTypes writes json.Number as the number it marshals to, a UUID as a
// string in place, and a ValueOrPair as its oneOf alone.
func wireTypes(rc *jsonschema.ReflectContext) {
	jsonschema.InterceptSchema(func(p jsonschema.InterceptSchemaParams) (bool, error) {
		if !p.Value.IsValid() {
			return false, nil
		}
		t := p.Value.Type()
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t == typeNumber:
			p.Schema.WithType(jsonschema.Number.Type())
			return true, nil
		case t == typeUUID:
			p.Schema.WithType(jsonschema.String.Type()).WithFormat("uuid")
			return true, nil
		case p.Processed && t.Implements(reflect.TypeFor[interface{ oneOfOnly() }]()):
			p.Schema.Type = nil
		}
		return false, nil
	})(rc)
}

// tidy drops the "type" the reflection leaves beside a $ref or an anyOf:
// beside anyOf [null, $ref] it would refuse the null the anyOf allows.
func tidy(v any) {
	switch v := v.(type) {
	case map[string]any:
		_, ref := v["$ref"]
		_, anyOf := v["anyOf"]
		if ref || anyOf {
			delete(v, "type")
		}
		for _, x := range v {
			tidy(x)
		}
	case []any:
		for _, x := range v {
			tidy(x)
		}
	}
}
