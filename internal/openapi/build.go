package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi31"
)

// Build answers the document of ops as indented JSON.
func (d Document) Build(ops []Operation) ([]byte, error) {
	s, err := d.Spec(ops)
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(s, "", "  ")
}

// faults are the refusals every keyed operation may answer, by status, with
// the name of their shared response; writes add 409, If-Match adds 412.
var faults = map[int]string{
	http.StatusBadRequest:         "BadRequest",
	http.StatusUnauthorized:       "Unauthorized",
	http.StatusForbidden:          "Forbidden",
	http.StatusNotFound:           "NotFound",
	http.StatusConflict:           "Conflict",
	http.StatusPreconditionFailed: "PreconditionFailed",
	http.StatusTooManyRequests:    "TooManyRequests",
}

var faultText = map[int]string{
	http.StatusBadRequest:         "The request is malformed or breaks a rule: the code says which (docs/errors.md).",
	http.StatusUnauthorized:       "No key, or an unknown, expired or revoked key.",
	http.StatusForbidden:          "The key's kind or the user's roles may not do this.",
	http.StatusNotFound:           "No such resource for this caller (another partner's resources answer the same).",
	http.StatusConflict:           "The state forbids it, MS-RequestId was reused with another body, or a clock advance runs (with Retry-After).",
	http.StatusPreconditionFailed: "If-Match names an etag the resource no longer has; nothing changed.",
	http.StatusTooManyRequests:    "Throttled: retry after Retry-After seconds.",
}

// Spec answers the document of ops. Every declaration error is reported,
// joined, with the document built from the rest.
func (d Document) Spec(ops []Operation) (*openapi31.Spec, error) {
	r := openapi31.NewReflector()
	s := r.SpecEns()
	s.Info.WithTitle(d.Title).WithVersion(d.Version)
	if d.Description != "" {
		s.Info.WithDescription(d.Description)
	}
	n := newNamer(d.Names)
	r.DefaultOptions = append(r.DefaultOptions, n.option, envelopNull, requiredUnlessOmitEmpty, wireTypes)
	for _, m := range d.Mappings {
		r.AddTypeMapping(m.From, m.To)
	}
	d.components(s)
	var errs []error
	var tags []string
	groups := map[string][]string{}
	for _, op := range ops {
		api, err := d.add(r, op)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !slices.Contains(groups[api.Name], op.Tag) {
			groups[api.Name] = append(groups[api.Name], op.Tag)
		}
		if !slices.Contains(tags, op.Tag) {
			tags = append(tags, op.Tag)
			s.Tags = append(s.Tags, openapi31.Tag{Name: op.Tag})
		}
	}
	// x-tagGroups groups the tags by API, as Redoc reads it.
	var tagGroups []map[string]any
	for _, a := range d.APIs {
		if len(groups[a.Name]) > 0 {
			tagGroups = append(tagGroups, map[string]any{"name": a.Name, "tags": groups[a.Name]})
		}
	}
	s.MapOfAnything = map[string]any{"x-tagGroups": tagGroups}
	d.faultResponses(s, n.nameOf(reflect.TypeOf(d.Fault)))
	for _, sch := range s.ComponentsEns().Schemas {
		tidy(sch)
	}
	errs = append(errs, n.errs...)
	return s, errors.Join(errs...)
}

// components declares the shared headers, parameters and key schemes.
func (d Document) components(s *openapi31.Spec) {
	c := s.ComponentsEns()
	str := map[string]any{"type": "string"}
	header := func(name, text string, max int) {
		sch := map[string]any{"type": "string"}
		if max > 0 {
			sch["maxLength"] = max
		}
		c.WithParametersItem(name, openapi31.ParameterOrReference{Parameter: (&openapi31.Parameter{Name: name, In: openapi31.ParameterInHeader, Schema: sch}).WithDescription(text)})
	}
	header(HeaderRequestID, "The client's id of this request: a write with it is idempotent for 24 hours (the same id and body replay the first answer). Made and echoed when absent.", 128)
	header(HeaderCorrelationID, "Ties requests together in audit records; echoed, made when absent.", 128)
	header(HeaderIfMatch, "The etag (attributes.etag) the resource must still have, or 412 and nothing changes.", 0)
	header(HeaderContinuation, "The token of links.next: the next page of the listing.", 0)
	c.WithParametersItem("size", openapi31.ParameterOrReference{Parameter: (&openapi31.Parameter{Name: "size", In: openapi31.ParameterInQuery,
		Schema: map[string]any{"type": "integer", "minimum": 1}}).WithDescription("Items per page; above 1000 is treated as 1000.")})
	c.WithParametersItem("continuationToken", openapi31.ParameterOrReference{Parameter: (&openapi31.Parameter{Name: "continuationToken", In: openapi31.ParameterInQuery,
		Schema: str}).WithDescription("The MS-ContinuationToken header's value, as a query parameter.")})
	c.WithHeadersItem(HeaderRequestID, openapi31.HeaderOrReference{Header: (&openapi31.Header{Schema: str}).WithDescription("The request's MS-RequestId, or the one made for it.")})
	c.WithHeadersItem(HeaderCorrelationID, openapi31.HeaderOrReference{Header: (&openapi31.Header{Schema: str}).WithDescription("The request's MS-CorrelationId, or the one made for it.")})
	c.WithHeadersItem(HeaderRetryAfter, openapi31.HeaderOrReference{Header: (&openapi31.Header{Schema: map[string]any{"type": "integer"}}).WithDescription("Seconds to wait before retrying.")})
	for _, a := range d.APIs {
		s.SetHTTPBearerTokenSecurity(a.Security, "ocsp_<key id>_<secret>", a.Name+" ("+a.Prefix+"): "+a.Description)
	}
}

// echoed are the headers every answer carries.
func echoed() map[string]openapi31.HeaderOrReference {
	return map[string]openapi31.HeaderOrReference{
		HeaderRequestID:     {Reference: &openapi31.Reference{Ref: "#/components/headers/" + HeaderRequestID}},
		HeaderCorrelationID: {Reference: &openapi31.Reference{Ref: "#/components/headers/" + HeaderCorrelationID}},
	}
}

// faultResponses declares the shared refusals, each with the error body.
func (d Document) faultResponses(s *openapi31.Spec, fault string) {
	c := s.ComponentsEns()
	for status, name := range faults {
		h := echoed()
		if status == http.StatusConflict || status == http.StatusTooManyRequests {
			h[HeaderRetryAfter] = openapi31.HeaderOrReference{Reference: &openapi31.Reference{Ref: "#/components/headers/" + HeaderRetryAfter}}
		}
		c.WithResponsesItem(name, openapi31.ResponseOrReference{Response: &openapi31.Response{Description: faultText[status], Headers: h,
			Content: map[string]openapi31.MediaType{"application/json": {Schema: map[string]any{"$ref": "#/components/schemas/" + fault}}}}})
	}
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// add adds one operation and answers its API.
func (d Document) add(r *openapi31.Reflector, op Operation) (API, error) {
	where := op.Method + " " + op.Path
	var api API
	for _, a := range d.APIs {
		if strings.HasPrefix(op.Path, a.Prefix+"/") {
			api = a
		}
	}
	if api.Name == "" && !op.Public {
		return api, fmt.Errorf("%s: the path is under no API's prefix", where)
	}
	if op.Tag == "" || op.Summary == "" {
		return api, fmt.Errorf("%s: a tag and a summary are required", where)
	}
	oc, err := r.NewOperationContext(op.Method, op.Path)
	if err != nil {
		return api, fmt.Errorf("%s: %w", where, err)
	}
	oc.SetTags(op.Tag)
	oc.SetSummary(op.Summary)
	if op.Description != "" {
		oc.SetDescription(op.Description)
	}
	oc.SetID(operationID(op.Method, op.Path))
	o := oc.(openapi31.OperationExposer).Operation()
	for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
		p, ok := d.PathParams[m[1]]
		if !ok {
			return api, fmt.Errorf("%s: path parameter {%s} has no entry in Document.PathParams", where, m[1])
		}
		o.Parameters = append(o.Parameters, param(m[1], openapi31.ParameterInPath, p, true))
	}
	for _, q := range op.Query {
		o.Parameters = append(o.Parameters, param(q.Name, openapi31.ParameterInQuery, q, q.Required))
	}
	refs := []string{HeaderRequestID, HeaderCorrelationID}
	if op.IfMatch {
		refs = append(refs, HeaderIfMatch)
	}
	if op.Paged {
		refs = append(refs, "size", "continuationToken", HeaderContinuation)
	}
	for _, ref := range refs {
		o.Parameters = append(o.Parameters, openapi31.ParameterOrReference{Reference: &openapi31.Reference{Ref: "#/components/parameters/" + ref}})
	}
	if op.Body != nil {
		oc.AddReqStructure(op.Body, func(cu *openapi.ContentUnit) {
			cu.Customize = func(cor openapi.ContentOrReference) {
				if rb, ok := cor.(*openapi31.RequestBodyOrReference); ok && rb.RequestBody != nil {
					rb.RequestBody.WithRequired(true)
				}
			}
		})
	}
	if len(op.Responses) == 0 {
		return api, fmt.Errorf("%s: no successful answer declared", where)
	}
	for _, resp := range op.Responses {
		oc.AddRespStructure(resp.Body, openapi.WithHTTPStatus(resp.Status), func(cu *openapi.ContentUnit) {
			cu.Description = resp.Description
			if resp.ContentType != "" {
				cu.ContentType = resp.ContentType
				if !strings.HasPrefix(resp.ContentType, "text/") {
					cu.Format = "binary"
				}
			}
			cu.Customize = func(cor openapi.ContentOrReference) {
				if rr, ok := cor.(*openapi31.ResponseOrReference); ok && rr.Response != nil {
					rr.Response.Headers = echoed()
				}
			}
		})
	}
	if !op.Public {
		oc.AddSecurity(api.Security)
		for _, status := range []int{400, 401, 403, 404, 409, 412, 429} {
			write := op.Method != http.MethodGet && op.Method != http.MethodHead
			if (status == http.StatusConflict && !write) || (status == http.StatusPreconditionFailed && !op.IfMatch) {
				continue
			}
			ref := "#/components/responses/" + faults[status]
			// The body is reflected (to declare its schema), then the
			// answer becomes a reference to the shared refusal.
			oc.AddRespStructure(d.Fault, openapi.WithHTTPStatus(status), func(cu *openapi.ContentUnit) {
				cu.Customize = func(cor openapi.ContentOrReference) {
					if rr, ok := cor.(*openapi31.ResponseOrReference); ok {
						rr.Response, rr.Reference = nil, &openapi31.Reference{Ref: ref}
					}
				}
			})
		}
	}
	if err := r.AddOperation(oc); err != nil {
		return api, fmt.Errorf("%s: %w", where, err)
	}
	return api, nil
}

func param(name string, in openapi31.ParameterIn, p Param, required bool) openapi31.ParameterOrReference {
	sch := map[string]any{"type": "string"}
	if len(p.Enum) > 0 {
		sch["enum"] = p.Enum
	}
	out := &openapi31.Parameter{Name: name, In: in, Schema: sch}
	if p.Description != "" {
		out.WithDescription(p.Description)
	}
	if required {
		out.WithRequired(true)
	}
	return openapi31.ParameterOrReference{Parameter: out}
}

// operationID names an operation by its method and path:
// POST /v1/customers/{customer-id}/carts is postV1CustomersByCustomerIdCarts.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if m := pathParam.FindStringSubmatch(seg); m != nil {
			b.WriteString("By")
			seg = strings.Replace(seg, m[0], m[1], 1) // {id}.pdf is ByIdPdf
		}
		for _, w := range strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '.' || r == '_' }) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
