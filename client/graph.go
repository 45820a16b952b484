package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Scopes of the tenant-scoped tokens.
const (
	ScopeGraph = "https://graph.microsoft.com/.default"
	ScopeARM   = "https://management.azure.com/.default"
)

// KeyID answers the key id inside a key (ocsp_<key id>_<secret>), the
// client_id of the token endpoint, or "" when key is not one.
func KeyID(key string) string {
	rest, ok := strings.CutPrefix(key, "ocsp_")
	id, _, ok2 := strings.Cut(rest, "_")
	if !ok || !ok2 || len(id) != 32 {
		return ""
	}
	return id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:]
}

// OAuthError is the token endpoint's error answer.
type OAuthError struct {
	Status           int    `json:"-"`
	Err              string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	OpenCSPCode      int    `json:"opencsp_code"`
}

func (e *OAuthError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Err, e.ErrorDescription)
}

// Token exchanges the client's key for a token acting in tenant (a GUID
// or a domain) for scope (ScopeGraph or ScopeARM), and answers a client
// that calls with it.
func (c *Client) Token(ctx context.Context, tenant, scope string) (*Client, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {KeyID(c.Key)}, "client_secret": {c.Key}, "scope": {scope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/"+url.PathEscape(tenant)+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		e := &OAuthError{Status: res.StatusCode}
		_ = json.Unmarshal(b, e)
		return nil, e
	}
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, err
	}
	return &Client{BaseURL: c.BaseURL, Key: t.AccessToken, HTTP: c.HTTP}, nil
}

// GraphError is Microsoft Graph's (and Azure Resource Manager's) error
// body, read from a Response of Do.
type GraphError struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			OpenCSPCode int `json:"opencspCode"`
		} `json:"innerError"`
	} `json:"error"`
}

// ReadGraphError decodes res's body as a Graph error.
func ReadGraphError(res *Response) GraphError {
	var e GraphError
	if res != nil {
		_ = json.Unmarshal(res.Body, &e)
	}
	return e
}
