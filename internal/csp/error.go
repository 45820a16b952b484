package csp

import (
	"errors"
	"fmt"
)

// Code is a stable numeric error code. Each rule of the program has its own;
// docs/errors.md lists them and internal/api maps each to an HTTP status.
type Code int

// Request shape and protocol (1000-1099).
const (
	EInternal            Code = 1000 // unexpected failure; details are logged, never returned
	EInvalidBody         Code = 1001 // body is not valid JSON or has a field of the wrong type
	EMissingField        Code = 1002 // a required field is absent or empty
	EInvalidField        Code = 1003 // a field has a value outside what the rule allows
	EInvalidToken        Code = 1004 // continuation token is malformed or from another listing
	EInvalidQuery        Code = 1005 // query parameter malformed (size, filter, dates)
	EIdempotencyMismatch Code = 1010 // MS-RequestId reused with another body
	ERequestInProgress   Code = 1011 // MS-RequestId still being processed
	ERateLimited         Code = 1020 // too many requests
)

// Authentication and authorisation (1100-1199).
const (
	EUnauthenticated Code = 1100 // no bearer key
	EKeyInvalid      Code = 1101 // unknown key
	EKeyExpired      Code = 1102 // key past its expiry
	EKeyRevoked      Code = 1103 // key revoked
	EForbiddenRole   Code = 1110 // the user's roles do not allow the action
	EWrongAPI        Code = 1111 // the key's kind (operator, partner, customer) may not call this API
)

// Not found (1200-1299). The partner API answers 404 for resources of others.
const (
	ENotFound         Code = 1200
	ECustomerNotFound Code = 1201
	EPartnerNotFound  Code = 1202
	EKeyNotFound      Code = 1203
	ETenantNotFound   Code = 1204
	EUserNotFound     Code = 1205
	EDomainNotFound   Code = 1206 // GET /v1/domains/{domain}: the domain is available
)

// Parties (2000-2099).
const (
	EInvalidPartnerType    Code = 2001
	EResellerNeedsProvider Code = 2002
	EProviderNotIndirect   Code = 2003
	EInvalidMpnID          Code = 2004
	EMpnIDTaken            Code = 2005
	EInvalidRole           Code = 2006
	EInvalidExpiry         Code = 2007
	EEmailTaken            Code = 2008
)

// Tenants and customers (2100-2199).
const (
	EInvalidDomain        Code = 2101
	EDomainTaken          Code = 2102
	EUnknownCountry       Code = 2103
	EInvalidAddress       Code = 2104
	EInvalidPostalCode    Code = 2105
	EInvalidEmail         Code = 2106
	EInvalidSegment       Code = 2107
	ECountryImmutable     Code = 2108
	EInvalidQualification Code = 2109
	EInvalidState         Code = 2110
)

// Markets and sale policy (2200-2299).
const (
	ECountryOutsideMarkets Code = 2201 // customer country outside the partner's market regions
	ESegmentNotInPolicy    Code = 2202 // partner's sale policy excludes the segment
	ERegionNotInPolicy     Code = 2203 // partner's sale policy excludes the tenant region
	EInvalidSalePolicy     Code = 2204
)

// Relationships (2300-2399).
const (
	ERelationshipExists   Code = 2301
	EPartnerHasActiveSubs Code = 2302
	EInvalidInvitation    Code = 2303
	ERelationshipNotFound Code = 2304
	EResellerCannotInvite Code = 2305
)

// Multitenant organizations (2400-2499).
const (
	EMTOExists        Code = 2401
	ENotMTOOwner      Code = 2402
	ETenantInOtherMTO Code = 2403
	ENotInvitedToMTO  Code = 2404
	EMTONotFound      Code = 2405
	EMTOSelf          Code = 2406
)

// Clock (2500-2599).
const (
	ENotSandbox      Code = 2501
	EClockBackwards  Code = 2502
	EInvalidDuration Code = 2503
)

// Error is a broken rule: a stable code and a message that says which rule and
// what to do about it. Data carries optional machine-readable details.
type Error struct {
	Code    Code
	Message string
	Data    []string
}

func (e *Error) Error() string { return fmt.Sprintf("csp error %d: %s", e.Code, e.Message) }

// Errorf builds an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithData returns e with machine-readable details attached.
func (e *Error) WithData(data ...string) *Error {
	e.Data = append(e.Data, data...)
	return e
}

// ErrorCode returns the code of the *Error in err's chain, or EInternal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of the *Error in err's chain, or a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred. Retry the request; if it persists, report the MS-CorrelationId."
}
