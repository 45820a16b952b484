package api

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

// Azure Resource Manager answers errors as {error: {code, message, target,
// details, additionalInfo}} with its string codes (decision 102). OpenCSP's
// stable numeric code (docs/errors.md) rides in additionalInfo as
// {type: "OpenCSP", info: {code}}.

// armCodes are ARM's error codes for OpenCSP's kinds of refusal; armCodeOf
// names the codes that have their own.
var armCodes = map[csp.Kind]string{
	csp.KindInvalid:            "BadRequest",
	csp.KindUnauthenticated:    "InvalidAuthenticationToken",
	csp.KindForbidden:          "AuthorizationFailed",
	csp.KindNotFound:           "ResourceNotFound",
	csp.KindConflict:           "Conflict",
	csp.KindPreconditionFailed: "PreconditionFailed",
	csp.KindThrottled:          "TooManyRequests",
	csp.KindInternal:           "InternalServerError",
}

// armCodeOf are the codes ARM answers for OpenCSP's Azure rules (as
// internal/csp/codes_azure.go names them) and for the token and request
// checks.
var armCodeOf = map[csp.Code]string{
	csp.EAzureAuthorizationFailed:    "AuthorizationFailed",
	csp.EAzureInvalidResourceID:      "InvalidResourceId",
	csp.EAzureUnknownResourceType:    "InvalidResourceType",
	csp.EAzureSubscriptionNotFound:   "SubscriptionNotFound",
	csp.EAzureResourceGroupNotFound:  "ResourceGroupNotFound",
	csp.EAzureResourceNotFound:       "ResourceNotFound",
	csp.EAzureParentNotFound:         "ParentResourceNotFound",
	csp.EAzureInvalidGroupName:       "InvalidResourceGroup",
	csp.EAzureInvalidResourceName:    "InvalidResourceName",
	csp.EAzureNameTaken:              "Conflict",
	csp.EAzureInvalidLocation:        "LocationNotAvailableForResourceType",
	csp.EAzureLocationMismatch:       "InvalidLocation",
	csp.EAzureSkuNotAvailable:        "SkuNotAvailable",
	csp.EAzureInvalidKind:            "InvalidKind",
	csp.EAzureInvalidAddressSpace:    "InvalidAddressPrefix",
	csp.EAzureInvalidTags:            "InvalidTag",
	csp.EAzureInvalidProperty:        "InvalidParameter",
	csp.EAzureInvalidOperation:       "OperationNotAllowed",
	csp.EAzureDatabaseNameReserved:   "ReservedResourceName",
	csp.EAzureSubscriptionDisabled:   "ReadOnlyDisabledSubscription",
	csp.EAzureRoleDefinitionNotFound: "RoleDefinitionDoesNotExist",
	csp.EAzureRoleAssignmentExists:   "RoleAssignmentExists",
	csp.EAzureRoleAssignmentNotFound: "RoleAssignmentNotFound",
	csp.EAzureInvalidPrincipal:       "InvalidPrincipalId",
	csp.EAzureInvalidAssignmentID:    "InvalidRoleAssignmentId",
	csp.EAzureScopeMismatch:          "InvalidRoleAssignmentScope",
	csp.EInvalidBody:                 "InvalidRequestContent",
	csp.EUnauthenticated:             "AuthenticationFailed",
	csp.ETokenExpired:                "ExpiredAuthenticationToken",
	csp.ENotFound:                    "NotFound",
}

// armTypedCodes are the codes ARM gives a rule by resource type: a taken
// or invalid storage account name, a taken SQL server name, a web app name
// in use.
var armTypedCodes = map[csp.Code]map[string]string{
	csp.EAzureNameTaken: {"microsoft.storage/storageaccounts": "StorageAccountAlreadyTaken",
		"microsoft.sql/servers": "ServerNameAlreadyExists", "microsoft.web/sites": "WebsiteAlreadyExists"},
	csp.EAzureInvalidResourceName: {"microsoft.storage/storageaccounts": "AccountNameInvalid"},
}

// armStatusOf names the ARM codes whose status differs from Partner
// Center's for the kind: ARM answers a move of a resource group with 409.
var armStatusOf = map[string]int{"InvalidResourceGroupLocation": http.StatusConflict}

// ARMCodeOf answers ARM's error code for an OpenCSP code met on path (the
// resource type in the path picks the typed codes).
func ARMCodeOf(c csp.Code, path string) string {
	low := strings.ToLower(path)
	for frag, code := range armTypedCodes[c] {
		if strings.Contains(low, "/providers/"+frag+"/") {
			return code
		}
	}
	if c == csp.EAzureLocationMismatch && !strings.Contains(low, "/providers/") {
		return "InvalidResourceGroupLocation"
	}
	if code, ok := armCodeOf[c]; ok {
		return code
	}
	return armCodes[c.Kind()]
}

// ARMStatusOf answers the HTTP status ARM gives an error code.
func ARMStatusOf(c csp.Code, armCode string) int {
	if st, ok := armStatusOf[armCode]; ok {
		return st
	}
	return StatusOf(c)
}

type armAdditionalInfo struct {
	Type string `json:"type"`
	Info struct {
		Code int `json:"code"`
	} `json:"info"`
}

type armErrorBody struct {
	Error struct {
		Code           string              `json:"code"`
		Message        string              `json:"message"`
		Target         string              `json:"target,omitempty"`
		Details        []any               `json:"details"`
		AdditionalInfo []armAdditionalInfo `json:"additionalInfo"`
	} `json:"error"`
}

// writeARMError answers err in ARM's error shape.
func writeARMError(w http.ResponseWriter, r *http.Request, err error) {
	var e *csp.Error
	if !errors.As(err, &e) {
		slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "correlationId", w.Header().Get(hdrCorrelationID), "err", err)
		e = &csp.Error{Code: csp.EInternal, Message: csp.ErrorMessage(err)}
	}
	var b armErrorBody
	b.Error.Code = ARMCodeOf(e.Code, r.URL.Path)
	b.Error.Message = e.Message
	b.Error.Details = []any{}
	info := armAdditionalInfo{Type: "OpenCSP"}
	info.Info.Code = int(e.Code)
	b.Error.AdditionalInfo = []armAdditionalInfo{info}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	status := ARMStatusOf(e.Code, b.Error.Code)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The access token is missing, invalid or expired"`)
	}
	writeJSON(w, status, b)
}
