// Package catalog holds OpenCSP's built-in product catalog, a csp.Catalog
// document embedded in the binary, and reads catalog documents that the
// operator supplies (PUT /admin/v1/catalog). The format and the offers are
// described in docs/catalog.md.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

//go:embed catalog.json
var builtin []byte

// Default parses and validates the built-in catalog. It fails only if
// catalog.json was edited into an invalid document (a test guards that).
func Default() (*csp.Catalog, error) {
	return Parse(builtin)
}

// DefaultJSON answers a copy of the built-in catalog document as written
// (two-space indented JSON).
func DefaultJSON() []byte {
	return bytes.Clone(builtin)
}

// Parse reads one catalog document and validates it. Fields the format does
// not know are rejected rather than ignored, so that a misspelt field name
// ("upgradeTarget") does not silently drop a rule. Every failure is a
// *csp.Error with code csp.EInvalidCatalog whose message names the problem.
func Parse(b []byte) (*csp.Catalog, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c csp.Catalog
	if err := dec.Decode(&c); err != nil {
		return nil, csp.Errorf(csp.EInvalidCatalog, "catalog: %s", describe(err))
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, csp.Errorf(csp.EInvalidCatalog, "catalog: unexpected data after the document; send exactly one JSON object")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// describe turns an encoding/json error into a sentence for the operator.
func describe(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the document is empty; send one JSON object with version and products"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the document ends in the middle of a JSON value"
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the document"
		}
		return fmt.Sprintf("field %s: want %s, got a JSON %s (byte %d)", field, typ.Type, typ.Value, typ.Offset)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	switch {
	case strings.HasPrefix(msg, "unknown field"):
		return msg + ": the catalog format has no such field (docs/catalog.md)"
	case strings.HasPrefix(msg, "error decoding string"), strings.HasPrefix(msg, "can't convert"):
		// shopspring/decimal's words; prices are the only decimals in the format.
		return "a unit price is not a decimal number (" + msg + ")"
	}
	return msg
}
