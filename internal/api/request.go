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

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// maxBody bounds request bodies.
const maxBody = 1 << 20

// decode reads a JSON body into v. Malformed JSON and wrong types answer
// EInvalidBody naming the field; unknown fields are ignored, as Partner
// Center does.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return csp.Errorf(csp.EInvalidBody, "the request body could not be read")
	}
	if len(body) > maxBody {
		return csp.Errorf(csp.EInvalidBody, "the request body is larger than %d bytes", maxBody)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return csp.Errorf(csp.EInvalidBody, "a JSON request body is required")
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

// pageSize reads ?size= (default def, 1..max).
func pageSize(r *http.Request, def, max int) (int, error) {
	s := r.URL.Query().Get("size")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, csp.Errorf(csp.EInvalidQuery, "size %q is not valid: use a whole number from 1 to %d", s, max)
	}
	return n, nil
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
type collection struct {
	TotalCount        int               `json:"totalCount"`
	Items             any               `json:"items"`
	ContinuationToken string            `json:"continuationToken,omitempty"`
	Links             map[string]link   `json:"links"`
	Attributes        map[string]string `json:"attributes"`
}

// newCollection wraps one page. When next is non-empty, links.next names the
// query to call with the MS-ContinuationToken header.
func newCollection[T any](items []T, selfURI, next string) collection {
	if items == nil {
		items = []T{}
	}
	c := collection{TotalCount: len(items), Items: items, Links: map[string]link{"self": {URI: selfURI, Method: http.MethodGet, Headers: []header{}}},
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

type storeChargeCursor = store.ChargeCursor
