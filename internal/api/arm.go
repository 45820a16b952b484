package api

import (
	"net/http"
	"strings"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// Azure Resource Manager (/arm/, docs/arm.md) keeps ARM's conventions: a
// tenant-scoped token of the management audience, api-version accepted and
// ignored, ARM's resource shapes, collections {value, nextLink} and errors
// {error: {code, message}} (arm_errors.go). ARM keeps the case of the names
// it stores and compares them case-insensitively, so its paths are routed
// here as they were sent, not lower-cased as the other APIs' are
// (decision 100).

// armPrefix starts every ARM path (matched case-insensitively).
const armPrefix = "/arm/"

func isARMPath(lower string) bool { return strings.HasPrefix(lower, armPrefix) }

// armRouter serves ARM: the request and token checks, throttling, then one
// dispatcher that reads the path segment by segment.
func (s *Server) armRouter() http.Handler {
	h := http.Handler(http.HandlerFunc(s.armServe))
	h = s.throttle(writeARMError)(h)
	h = s.tokenAuth(app.AudienceARM, writeARMError)(h)
	h = checkRequest(h, writeARMError)
	return s.correlation(h)
}

// armCall is one ARM request: the caller, and the path after /arm as
// segments in the case they were sent (segs) and lower-cased (low).
type armCall struct {
	w    http.ResponseWriter
	r    *http.Request
	c    app.ARMCaller
	segs []string
	low  []string
}

func (s *Server) armServe(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-ms-request-id", w.Header().Get(hdrRequestID))
	w.Header().Set("x-ms-correlation-request-id", w.Header().Get(hdrCorrelationID))
	c, err := s.app.ARMCallerOf(r.Context(), principal(r), principal(r).ActingIn)
	if err == nil {
		err = s.armRoute(&armCall{w: w, r: r, c: c})
	}
	if err != nil {
		writeARMError(w, r, err)
	}
}

// armRoute dispatches on the lower-cased segments; names are taken from
// the segments as sent.
func (s *Server) armRoute(a *armCall) error {
	a.segs = strings.Split(strings.Trim(a.r.URL.Path[len(armPrefix)-1:], "/"), "/")
	for _, seg := range a.segs {
		if seg == "" {
			return a.notFound()
		}
		a.low = append(a.low, strings.ToLower(seg))
	}
	low, n := a.low, len(a.low)
	if low[0] != "subscriptions" {
		return a.notFound()
	}
	if n == 1 {
		return a.only(http.MethodGet, func() error { return s.armListSubscriptions(a) })
	}
	// Role-based access control at any scope: {scope}/providers/Microsoft.Authorization/...
	for i := 2; i+1 < n; i++ {
		if low[i] == "providers" && low[i+1] == "microsoft.authorization" {
			return s.armAuthorization(a, i)
		}
	}
	switch {
	case n == 2:
		return a.only(http.MethodGet, func() error { return s.armGetSubscription(a) })
	case n == 3 && low[2] == "resources":
		return a.only(http.MethodGet, func() error { return s.armListResources(a, false, "") })
	case n == 3 && low[2] == "resourcegroups":
		return a.only(http.MethodGet, func() error { return s.armListGroups(a) })
	case n == 5 && low[2] == "providers":
		return a.only(http.MethodGet, func() error { return s.armListResources(a, false, a.segs[3]+"/"+a.segs[4]) })
	case low[2] != "resourcegroups":
		return a.notFound()
	case n == 4:
		return s.armGroup(a)
	case n == 5 && low[4] == "resources":
		return a.only(http.MethodGet, func() error { return s.armListResources(a, true, "") })
	case n >= 7 && low[4] == "providers":
		return s.armResourcePath(a)
	}
	return a.notFound()
}

// armResourcePath serves .../resourceGroups/{rg}/providers/{namespace}/...:
// a resource ({type}/{name}[/{type}/{name}]), a listing of one type in the
// group ({type}, or a parent's children {type}/{name}/{child type}), or an
// action on a virtual machine ({type}/{name}/start|deallocate|instanceView).
func (s *Server) armResourcePath(a *armCall) error {
	ns, pairs := a.segs[5], a.segs[6:]
	switch len(pairs) {
	case 1:
		return a.only(http.MethodGet, func() error { return s.armListResources(a, true, ns+"/"+pairs[0]) })
	case 3:
		if _, child := azure.LookupType(ns, []string{pairs[0], pairs[2]}); child {
			return a.only(http.MethodGet, func() error { return s.armListResources(a, true, ns+"/"+pairs[0]+"/"+pairs[2]) })
		}
		id, err := azure.ParseResourceID("/" + strings.Join(a.segs[:len(a.segs)-1], "/"))
		if err != nil {
			return err
		}
		switch action := a.low[len(a.low)-1]; action {
		case "start", "deallocate":
			return a.only(http.MethodPost, func() error { return s.armPower(a, id, action) })
		case "instanceview":
			return a.only(http.MethodGet, func() error { return s.armInstanceView(a, id) })
		}
		return a.notFound()
	}
	id, err := azure.ParseResourceID("/" + strings.Join(a.segs, "/"))
	if err != nil {
		return err
	}
	switch a.r.Method {
	case http.MethodPut:
		return s.armPutResource(a, id)
	case http.MethodGet:
		return s.armGetResource(a, id)
	case http.MethodDelete:
		return s.armDeleteResource(a, id)
	}
	return a.methodNotAllowed()
}

// armAuthorization serves {scope}/providers/Microsoft.Authorization/
// roleAssignments[/{name}] and roleDefinitions[/{id}]; i is the index of
// "providers".
func (s *Server) armAuthorization(a *armCall, i int) error {
	scope, err := azure.ParseResourceID("/" + strings.Join(a.segs[:i], "/"))
	if err != nil {
		return err
	}
	rest := a.low[i+2:]
	switch {
	case len(rest) == 1 && rest[0] == "roleassignments":
		return a.only(http.MethodGet, func() error { return s.armListRoleAssignments(a, scope) })
	case len(rest) == 2 && rest[0] == "roleassignments":
		return s.armRoleAssignment(a, scope, a.segs[len(a.segs)-1])
	case len(rest) == 1 && rest[0] == "roledefinitions":
		return a.only(http.MethodGet, func() error { return s.armListRoleDefinitions(a, scope, "") })
	case len(rest) == 2 && rest[0] == "roledefinitions":
		return a.only(http.MethodGet, func() error { return s.armListRoleDefinitions(a, scope, rest[1]) })
	}
	return a.notFound()
}

// only runs h when the request's method is method.
func (a *armCall) only(method string, h func() error) error {
	if a.r.Method != method {
		return a.methodNotAllowed()
	}
	return h()
}

func (a *armCall) notFound() error {
	return csp.Errorf(csp.ENotFound, "No route matches %s %s: see docs/arm.md for the Azure Resource Manager paths this server answers", a.r.Method, a.r.URL.Path)
}

func (a *armCall) methodNotAllowed() error {
	return csp.Errorf(csp.ENotFound, "%s is not supported on %s: see docs/arm.md", a.r.Method, a.r.URL.Path)
}

// subscription answers the Azure subscription id of the path
// (/subscriptions/{id}/...).
func (a *armCall) subscription() (azure.ResourceID, error) {
	return azure.ParseResourceID("/subscriptions/" + a.segs[1])
}

// group answers the resource group of the path
// (/subscriptions/{id}/resourceGroups/{name}/...).
func (a *armCall) group() (azure.ResourceID, error) {
	return azure.ParseResourceID("/subscriptions/" + a.segs[1] + "/resourceGroups/" + a.segs[3])
}

// armCollection is ARM's collection: one page, and the link to the next
// (never set: listings answer every item, decision 104).
type armCollection[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"nextLink,omitempty"`
}

func newARMCollection[T any](items []T) armCollection[T] {
	if items == nil {
		items = []T{}
	}
	return armCollection[T]{Value: items}
}
