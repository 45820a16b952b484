// Package client is a Go client for OpenCSP's three APIs: the Partner
// Center shaped partner API (/v1), the operator API (/admin/v1) and the
// customer API (/tenant/v1). The CLI and the acceptance tests use it.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// Client calls one server with one key.
type Client struct {
	BaseURL string
	Key     string
	HTTP    *http.Client
}

// New makes a client for the server at baseURL using key.
func New(baseURL, key string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Key: key, HTTP: http.DefaultClient}
}

// Error is an API error in Partner Center's shape, with the HTTP status.
type Error struct {
	Status      int      `json:"-"`
	Code        int      `json:"code"`
	Description string   `json:"description"`
	Data        []string `json:"data"`
	Source      string   `json:"source"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: code %d: %s", e.Status, http.StatusText(e.Status), e.Code, e.Description)
}

// Request carries optional headers of one call.
type Request struct {
	RequestID         string // MS-RequestId: makes a write idempotent
	CorrelationID     string // MS-CorrelationId
	ContinuationToken string // MS-ContinuationToken
	IfMatch           string // If-Match: the etag the resource must still have (Graph's @odata.etag, sent as is)
}

// Response is the raw answer of Do.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a request and decodes a 2xx JSON answer into out (if non-nil).
// Non-2xx answers return *Error.
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opt *Request) (*Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	if opt != nil {
		setIf(req.Header, "MS-RequestId", opt.RequestID)
		setIf(req.Header, "MS-CorrelationId", opt.CorrelationID)
		setIf(req.Header, "MS-ContinuationToken", opt.ContinuationToken)
		setIf(req.Header, "If-Match", opt.IfMatch)
	}
	return c.send(req, method, path, out)
}

// send sends a request and decodes a 2xx JSON answer into out (if
// non-nil); non-2xx answers return *Error.
func (c *Client) send(req *http.Request, method, path string, out any) (*Response, error) {
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	resp := &Response{Status: res.StatusCode, Header: res.Header, Body: b}
	if res.StatusCode >= 300 {
		e := &Error{Status: res.StatusCode}
		if len(b) > 0 {
			if err := json.Unmarshal(b, e); err != nil {
				e.Description = string(b)
			}
		}
		return resp, e
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp, fmt.Errorf("decode %s %s: %w", method, path, err)
		}
	}
	return resp, nil
}

func setIf(h http.Header, k, v string) {
	if v != "" {
		h.Set(k, v)
	}
}

// NewRequestID makes a fresh MS-RequestId.
func NewRequestID() string { return uuid.NewString() }

// Link is Partner Center's link object.
type Link struct {
	URI     string `json:"uri"`
	Method  string `json:"method"`
	Headers []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"headers"`
}

// Collection is one page of a Partner Center collection.
type Collection[T any] struct {
	TotalCount        int             `json:"totalCount"`
	Items             []T             `json:"items"`
	ContinuationToken string          `json:"continuationToken"`
	Links             map[string]Link `json:"links"`
}

// Next answers the continuation token of the next page, or "".
func (c Collection[T]) Next() string {
	if n, ok := c.Links["next"]; ok {
		for _, h := range n.Headers {
			if strings.EqualFold(h.Key, "MS-ContinuationToken") {
				return h.Value
			}
		}
	}
	return ""
}
