package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// maxBody bounds request bodies.
const maxBody = 1 << 20

// decode reads a JSON body into v. Malformed JSON and wrong types answer
// EInvalidBody naming the field; a string with invalid UTF-8 or a control
// character answers EInvalidText, and one longer than csp.MaxText
// ETooLong, naming its field; unknown fields are ignored, as Partner
// Center does.
func decode(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return csp.Errorf(csp.EInvalidBody, "a JSON request body is required")
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	err = json.Unmarshal(body, v)
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return csp.Errorf(csp.EInvalidBody, "the request body must be a JSON object, not %s", typeErr.Value)
		}
		return csp.Errorf(csp.EInvalidBody, "field %s must be of type %s, not %s", field, jsonType(typeErr.Type.Kind().String()), typeErr.Value).WithData("field=" + field)
	case errors.As(err, &syntaxErr):
		return csp.Errorf(csp.EInvalidBody, "the request body is not valid JSON (at byte %d): %s", syntaxErr.Offset, syntaxErr.Error())
	}
	return csp.Errorf(csp.EInvalidBody, "the request body does not have the expected shape: %s", err.Error())
}

// readBody reads a request body of at most maxBody bytes.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, csp.Errorf(csp.EInvalidBody, "the request body could not be read")
	}
	if len(body) > maxBody {
		return nil, csp.Errorf(csp.EInvalidBody, "the request body is larger than %d bytes", maxBody)
	}
	return body, nil
}

// checkJSONText walks a JSON document's strings (keys and values) and
// answers the first that holds invalid UTF-8 or a control character, or is
// longer than csp.MaxText characters, naming it by its path
// (billingProfile.companyName, lineItems[0].friendlyName). encoding/json
// would silently turn invalid UTF-8 into U+FFFD; this refuses it. Malformed
// JSON passes, for Unmarshal to describe.
func checkJSONText(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		array bool
		index int
		key   string
		// wantKey is set in an object when the next string is a key.
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			switch {
			case f.array:
				fmt.Fprintf(&b, "[%d]", f.index)
			case f.key != "":
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		if b.Len() == 0 {
			return "body"
		}
		return b.String()
	}
	// afterValue moves the enclosing container past one value.
	afterValue := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	prev := int64(0)
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		raw := body[prev:dec.InputOffset()]
		prev = dec.InputOffset()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{wantKey: true})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				afterValue()
			}
		case string:
			isKey := len(stack) > 0 && !stack[len(stack)-1].array && stack[len(stack)-1].wantKey
			if isKey {
				stack[len(stack)-1].key, stack[len(stack)-1].wantKey = t, false
			}
			field := path()
			if isKey {
				field += " (a key)"
			}
			if !utf8.Valid(raw) {
				return csp.Errorf(csp.EInvalidText, "%s is not valid UTF-8: send text encoded as UTF-8", field).WithData("field=" + field)
			}
			if err := csp.CheckText(field, t, csp.MaxText); err != nil {
				return err
			}
			if !isKey {
				afterValue()
			}
		default:
			afterValue()
		}
	}
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	case "bool":
		return "boolean"
	}
	return "number"
}

// pathID parses a GUID path parameter; a malformed one answers notFound.
func pathID(r *http.Request, name string, notFound csp.Code, what string) (uuid.UUID, error) {
	raw := chi.URLParam(r, name)
	id, err := uuid.Parse(raw)
	if err != nil {
		return uuid.Nil, csp.Errorf(notFound, "%s %q was not found (ids are GUIDs)", what, raw)
	}
	return id, nil
}

// pageSize reads ?size= (default def). Partner Center's sizes are 1 and
// up; a size above app.MaxPageSize is treated as app.MaxPageSize, and the
// next page is offered while rows remain.
func pageSize(r *http.Request, def int) (int, error) {
	s := r.URL.Query().Get("size")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, csp.Errorf(csp.EInvalidQuery, "size %q is not valid: use a whole number from 1 (a size above %d is treated as %d)", s, app.MaxPageSize, app.MaxPageSize).
			WithData("field=size")
	}
	return min(n, app.MaxPageSize), nil
}

// page reads ?size= (default def) and the continuation token of listing
// kind into an app.Page.
func page[C any](r *http.Request, kind string, def int) (app.Page[C], error) {
	size, err := pageSize(r, def)
	if err != nil {
		return app.Page[C]{}, err
	}
	after, err := readToken[C](r, kind)
	return app.Page[C]{After: after, Size: size}, err
}

// nextToken encodes the next page's cursor, or "" at the end.
func nextToken[C any](kind string, next *C) string {
	if next == nil {
		return ""
	}
	return encodeToken(kind, *next)
}

// ifMatch reads the If-Match header: the etag a client expects the
// resource to have ("" when absent). Quotes and a weak W/ prefix are
// dropped.
func ifMatch(r *http.Request) string {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	v = strings.TrimPrefix(v, "W/")
	return strings.Trim(v, `"`)
}

// Continuation tokens are opaque to clients: base64url JSON naming the
// listing they belong to, so a token from one listing fails on another.
type token[T any] struct {
	Kind   string `json:"k"`
	Cursor T      `json:"c"`
}

func encodeToken[T any](kind string, cursor T) string {
	b, _ := json.Marshal(token[T]{Kind: kind, Cursor: cursor})
	return base64.RawURLEncoding.EncodeToString(b)
}

// readToken answers the cursor in MS-ContinuationToken (or nil when absent).
func readToken[T any](r *http.Request, kind string) (*T, error) {
	raw := r.Header.Get(hdrContinuation)
	if raw == "" {
		raw = r.URL.Query().Get("continuationToken")
	}
	if raw == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	var t token[T]
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	if err != nil || t.Kind != kind {
		return nil, csp.Errorf(csp.EInvalidToken, "the continuation token is not valid for this listing: start again without MS-ContinuationToken")
	}
	return &t.Cursor, nil
}

// link is Partner Center's link object; uris are relative to /v1.
type link struct {
	URI     string   `json:"uri"`
	Method  string   `json:"method"`
	Headers []header `json:"headers"`
}

type header struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func selfLink(format string, args ...any) map[string]link {
	return map[string]link{"self": {URI: fmt.Sprintf(format, args...), Method: http.MethodGet, Headers: []header{}}}
}

// collection is Partner Center's ResourceCollection.
type collection[T any] struct {
	TotalCount        int               `json:"totalCount"`
	Items             []T               `json:"items"`
	ContinuationToken string            `json:"continuationToken,omitempty"`
	Links             map[string]link   `json:"links"`
	Attributes        map[string]string `json:"attributes"`
}

// newCollection wraps one page. When next is non-empty, links.next names the
// query to call with the MS-ContinuationToken header.
func newCollection[T any](items []T, selfURI, next string) collection[T] {
	if items == nil {
		items = []T{}
	}
	c := collection[T]{TotalCount: len(items), Items: items, Links: map[string]link{"self": {URI: selfURI, Method: http.MethodGet, Headers: []header{}}},
		Attributes: map[string]string{"objectType": "Collection"}}
	if next != "" {
		sep := "?"
		if bytes.ContainsRune([]byte(selfURI), '?') {
			sep = "&"
		}
		c.ContinuationToken = next
		c.Links["next"] = link{URI: selfURI + sep + "seekOperation=Next", Method: http.MethodGet, Headers: []header{{Key: hdrContinuation, Value: next}}}
	}
	return c
}

func attrs(objectType string) map[string]string { return map[string]string{"objectType": objectType} }

// attrsETag is a resource's attributes with its etag (If-Match checks it).
func attrsETag(objectType, etag string) map[string]string {
	return map[string]string{"objectType": objectType, "etag": etag}
}
