// Package openapi builds the OpenAPI 3.1 document of OpenCSP's three APIs
// from per-route declarations, and reads a document back for the console's
// reference page.
//
// internal/api declares each route's Operation beside its handler, with
// values of the very Go types the handler decodes and encodes; Build
// reflects their schemas (swaggest/openapi-go), so a field added to a wire
// struct is documented at once. A property is required when its JSON tag
// has no omitempty: in an answer it is always there, in a body it is what
// the server expects.
package openapi

import (
	"net/http"
	"reflect"
)

// Document is what the document says besides its operations.
type Document struct {
	Title, Version, Description string
	// APIs split the paths by prefix; each names its key's security scheme.
	APIs []API
	// PathParams describe path parameters by name ({customer-id}).
	PathParams map[string]Param
	// Fault is a value of the error body every refusal answers.
	Fault any
	// Names overrides the schema name of Go types (by reflect.Type) where
	// the default (the type's name without JSON, Body as Request) collides.
	Names map[reflect.Type]string
	// Mappings document a type as another: a type with its own JSON
	// encoding as one whose shape says what that encoding writes.
	Mappings []Mapping
}

// API is one of the document's APIs: the paths under Prefix, called with a
// bearer key of the scheme Security.
type API struct {
	Name, Prefix, Security, Description string
}

// Mapping documents values of From as values of To.
type Mapping struct{ From, To any }

// Operation declares one route.
type Operation struct {
	Method string
	// Path as documented, with named parameters: /v1/customers/{customer-id}.
	Path        string
	Tag         string
	Summary     string
	Description string
	Query       []Param
	// Body is a value of the type the handler decodes (nil: no body).
	Body any
	// IfMatch: the handler checks the If-Match header.
	IfMatch bool
	// Paged: a keyset-paged listing (size, continuation token).
	Paged bool
	// Public: answered without a key.
	Public    bool
	Responses []Response
}

// Param is a query or path parameter.
type Param struct {
	Name, Description string
	Required          bool
	Enum              []string
}

// Response is one successful answer.
type Response struct {
	Status int
	// Body is a value of the type written (nil: no body).
	Body        any
	Description string
	// ContentType names a body that is not JSON (a document): its media
	// type, with Body nil; a type outside text/ is binary.
	ContentType string
}

// OK is a 200 answer with body.
func OK(body any) []Response { return []Response{{Status: http.StatusOK, Body: body}} }

// Created is a 201 answer with body.
func Created(body any) []Response { return []Response{{Status: http.StatusCreated, Body: body}} }

// File is a 200 answer of a file in contentType (text/csv, text/html,
// application/pdf).
func File(contentType string) []Response {
	return []Response{{Status: http.StatusOK, ContentType: contentType}}
}

// CSV is a 200 answer of a CSV file.
func CSV() []Response { return File("text/csv") }

// NoContent is a 204 answer.
func NoContent() []Response { return []Response{{Status: http.StatusNoContent}} }

// Header names, as Partner Center spells them.
const (
	HeaderRequestID     = "MS-RequestId"
	HeaderCorrelationID = "MS-CorrelationId"
	HeaderContinuation  = "MS-ContinuationToken"
	HeaderIfMatch       = "If-Match"
	HeaderRetryAfter    = "Retry-After"
)
