package csp

import (
	"errors"
	"fmt"
	"time"
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
	EInvalidText         Code = 1006 // a text field or parameter holds a control character or invalid UTF-8
	ETooLong             Code = 1007 // a text field, parameter or header is longer than its limit (in characters)
	EEmptyPatch          Code = 1008 // a PATCH body is null or {}: it changes nothing
	EInvalidHeader       Code = 1009 // a header is malformed (MS-RequestId, MS-CorrelationId, If-Match)
	EIdempotencyMismatch Code = 1010 // MS-RequestId reused with another body
	ERequestInProgress   Code = 1011 // MS-RequestId still being processed
	EAnswerLost          Code = 1012 // MS-RequestId's work was done but its answer was lost in a crash
	EPreconditionFailed  Code = 1013 // If-Match names an etag the resource no longer has
	EConcurrentChange    Code = 1014 // the change met too many concurrent changes of the same data: retry
	ERateLimited         Code = 1020 // too many requests from one partner or tenant: retry after Retry-After seconds
	EAuthThrottled       Code = 1021 // too many failed authentications from one client address
)

// Authentication and authorisation (1100-1199).
const (
	EUnauthenticated Code = 1100 // no bearer key
	EKeyInvalid      Code = 1101 // unknown key
	EKeyExpired      Code = 1102 // key past its expiry
	EKeyRevoked      Code = 1103 // key revoked
	EUserBlocked     Code = 1104 // the key's user is blocked in its directory (accountEnabled false)
	EForbiddenRole   Code = 1110 // the user's roles do not allow the action
	EWrongAPI        Code = 1111 // the key's kind (operator, partner, customer) may not call this API
)

// Not found (1200-1299). The partner API answers 404 for resources of others.
const (
	ENotFound         Code = 1200 // no resource at that path
	ECustomerNotFound Code = 1201 // no such customer among the calling partner's customers
	EPartnerNotFound  Code = 1202 // no such partner
	EKeyNotFound      Code = 1203 // no such key, or already revoked
	ETenantNotFound   Code = 1204 // no such tenant
	EUserNotFound     Code = 1205 // no such user
	EDomainNotFound   Code = 1206 // GET /v1/domains/{domain}: the domain is available
)

// Parties (2000-2099).
const (
	EInvalidPartnerType    Code = 2001 // partnerType is not direct, indirectProvider or indirectReseller
	EResellerNeedsProvider Code = 2002 // an indirectReseller was created without providerId
	EProviderNotIndirect   Code = 2003 // providerId names a partner that is not an indirectProvider
	EInvalidMpnID          Code = 2004 // mpnId is not 6 to 10 digits
	EMpnIDTaken            Code = 2005 // mpnId belongs to another partner
	EInvalidRole           Code = 2006 // a role is not a Partner Center partner role
	EInvalidExpiry         Code = 2007 // a key's expiresAt is not in the future
	EEmailTaken            Code = 2008 // the partner (or tenant) already has a user with that email or UPN
)

// Tenants and customers (2100-2199).
const (
	EInvalidDomain         Code = 2101 // the domain prefix is not 1-27 letters and digits
	EDomainTaken           Code = 2102 // another tenant has that onmicrosoft.com domain
	EUnknownCountry        Code = 2103 // the country is not an ISO 3166 alpha-2 code this program knows (for a partner location: in no CSP market)
	EInvalidAddress        Code = 2104
	EInvalidPostalCode     Code = 2105 // the postal code does not match the country's format
	EInvalidEmail          Code = 2106 // an email address is malformed
	EInvalidSegment        Code = 2107 // segment is not commercial, education, government or nonprofit
	ECountryImmutable      Code = 2108 // a tenant's country cannot change
	EInvalidQualification  Code = 2109 // qualification is not one Partner Center knows
	EInvalidState          Code = 2110 // the state or province is not one of the country's codes
	EQualificationNotFound Code = 2111 // no such qualification request
	EQualificationDecided  Code = 2112 // the qualification request was already approved or rejected
)

// Markets and sale policy (2200-2299).
const (
	ECountryOutsideMarkets Code = 2201 // customer country outside the CSP markets of the partner's locations
	ESegmentNotInPolicy    Code = 2202 // partner's sale policy excludes the segment
	ERegionNotInPolicy     Code = 2203 // partner's sale policy excludes the tenant region
	EInvalidSalePolicy     Code = 2204 // the sale policy names an unknown segment or region
)

// Relationships (2300-2399).
const (
	ERelationshipExists   Code = 2301 // the partner already has a relationship with the tenant
	EPartnerHasActiveSubs Code = 2302
	EInvalidInvitation    Code = 2303 // the invitation link is not a reseller invitation of this server
	ERelationshipNotFound Code = 2304 // the partner has no relationship with the tenant
)

// Multitenant organizations (2400-2499).
const (
	EMTOExists        Code = 2401 // the tenant already owns a multitenant organization
	ENotMTOOwner      Code = 2402 // only the owner tenant may change the organization
	ETenantInOtherMTO Code = 2403 // the tenant already belongs to a multitenant organization
	ENotInvitedToMTO  Code = 2404 // the tenant has no pending invitation from that owner
	EMTONotFound      Code = 2405 // the tenant belongs to no multitenant organization
	EMTOSelf          Code = 2406 // the owner tried to add itself
)

// Clock (2500-2599).
const (
	ENotSandbox      Code = 2501 // the clock can only be moved in a sandbox
	EClockBackwards  Code = 2502 // the clock only moves forward
	EInvalidDuration Code = 2503 // the duration is neither a Go nor an ISO 8601 duration
	EClockAdvancing  Code = 2504 // a clock advance is running: writes wait for it (retry after Retry-After seconds)
	EAdvanceTooLong  Code = 2505 // one advance covers at most MaxAdvanceYears of program time
)

// Kind is what sort of refusal a code is. Each adapter maps kinds to its
// own answer (the APIs to an HTTP status, the console to a page), so that
// they agree without depending on each other.
type Kind int

// Kinds of refusal.
const (
	KindInvalid            Kind = iota // a broken rule or a malformed request (most codes)
	KindUnauthenticated                // no valid key
	KindForbidden                      // a valid key whose role or kind may not do it
	KindNotFound                       // no such resource (or not the caller's)
	KindConflict                       // a duplicate, or a state that a retry may change
	KindPreconditionFailed             // If-Match names a stale etag
	KindThrottled                      // too many requests: retry after a while
	KindInternal                       // unexpected failure
)

// kinds lists the codes that are not KindInvalid.
var kinds = map[Code]Kind{
	EInternal:               KindInternal,
	EIdempotencyMismatch:    KindConflict,
	ERequestInProgress:      KindConflict,
	EAnswerLost:             KindConflict,
	EPreconditionFailed:     KindPreconditionFailed,
	EConcurrentChange:       KindConflict,
	EClockAdvancing:         KindConflict,
	ERateLimited:            KindThrottled,
	EAuthThrottled:          KindThrottled,
	EUnauthenticated:        KindUnauthenticated,
	EKeyInvalid:             KindUnauthenticated,
	EKeyExpired:             KindUnauthenticated,
	EKeyRevoked:             KindUnauthenticated,
	EUserBlocked:            KindUnauthenticated,
	EForbiddenRole:          KindForbidden,
	EWrongAPI:               KindForbidden,
	EResellerCannotTransact: KindForbidden,
	ENotMTOOwner:            KindForbidden,
	ENotFound:               KindNotFound,
	ECustomerNotFound:       KindNotFound,
	EPartnerNotFound:        KindNotFound,
	EKeyNotFound:            KindNotFound,
	ETenantNotFound:         KindNotFound,
	EUserNotFound:           KindNotFound,
	EDomainNotFound:         KindNotFound,
	ERelationshipNotFound:   KindNotFound,
	EMTONotFound:            KindNotFound,
	ESubscriptionNotFound:   KindNotFound,
	EOrderNotFound:          KindNotFound,
	ECartNotFound:           KindNotFound,
	EProductNotFound:        KindNotFound,
	EQualificationNotFound:  KindNotFound,
	EMpnIDTaken:             KindConflict,
	EEmailTaken:             KindConflict,
	EDomainTaken:            KindConflict,
	ERelationshipExists:     KindConflict,
	EMTOExists:              KindConflict,
	ETenantInOtherMTO:       KindConflict,
}

// Kind answers the code's kind of refusal.
func (c Code) Kind() Kind {
	if k, ok := kinds[c]; ok {
		return k
	}
	return KindInvalid
}

// Error is a broken rule: a stable code and a message that says which rule and
// what to do about it. Data carries optional machine-readable details.
type Error struct {
	Code    Code
	Message string
	Data    []string
	// RetryAfter, when set, says the refusal is transient: the same request
	// may succeed after that long (HTTP's Retry-After).
	RetryAfter time.Duration
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

// WithRetryAfter marks e as transient: retry after d.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	e.RetryAfter = d
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

// Catalog (3000-3099).
const (
	EInvalidCatalog  Code = 3001 // the catalog document breaks a rule of its format (docs/catalog.md)
	EProductNotFound Code = 3002 // no such product, SKU or availability in the customer's market
	EProductExists   Code = 3004 // the partner already has a service with that product id, or Microsoft's catalog uses it
)

// Subscriptions (3100-3199).
const (
	ESubscriptionNotFound     Code = 3101 // no such subscription among the partner's subscriptions of that customer
	ESubscriptionNotActive    Code = 3102 // the operation needs an active (or suspended) subscription
	ECancelWindowClosed       Code = 3103 // cancellation after the 168-hour window
	EDecreaseOutsideWindow    Code = 3104 // seat decrease beyond the seats still in their window
	EQuantityBelowOne         Code = 3105 // a subscription keeps at least one seat
	EQuantityAboveMaximum     Code = 3106 // more seats than the offer's maximum
	EQuantityBelowMinimum     Code = 3107 // fewer seats than the offer's minimum
	EQuantityUnchanged        Code = 3108 // the quantity asked is the current one
	EQuantityNotApplicable    Code = 3109 // usage-based subscriptions have no seats or term
	ESubscriptionNotSuspended Code = 3110 // reactivation of a subscription that is not suspended
	ETrialNotCancellable      Code = 3111 // trials end by themselves
	ETrialQuantityFixed       Code = 3112 // a trial's seats are fixed
	EStatusChangeInvalid      Code = 3114 // status can be set only to deleted, suspended or active
	EInvalidScheduledChange   Code = 3115 // scheduledNextTermInstructions that the catalog or R-15 does not allow
	ETermChangeAtRenewal      Code = 3116 // a term or billing plan change allowed only at renewal (a shorter term, P1Y or P1M billing, triennial billing, the term's last period): schedule it (R-2, R-2a, R-2b, R-15)
	EConflictingChanges       Code = 3117 // a PATCH asks for changes that cannot go together (a cancellation with a seat or plan change, two billing plans)
	ETrialStatusFixed         Code = 3120 // trials cannot be suspended
	EInvalidCustomTermEnd     Code = 3130 // customTermEndDate is not one of the dates R-4 allows (GET .../subscriptions/customTermEndDates lists them)
	EInvalidNextCharge        Code = 3131 // nextChargeInstructions that change more than the billing cycle of the subscription's own offer and term (R-2a)
	EPlanNotSold              Code = 3132 // the offer is not sold or priced on the term and billing plan a mid-term change asks for (R-2a, R-2b)
)

// Orders, carts and agreements (3200-3299).
const (
	EOrderNotFound    Code = 3201 // no such order among the partner's orders for the customer
	ECartNotFound     Code = 3202 // no such cart
	ECartNotActive    Code = 3203 // the cart was checked out or has expired
	ECartLineErrors   Code = 3204 // checkout of a cart with a line in error
	ENoAgreement      Code = 3205 // the customer has no attested Microsoft Customer Agreement
	EInvalidAgreement Code = 3206 // the agreement attestation is incomplete
	ECartEmpty        Code = 3207 // a cart needs at least one line item
)

// Channel (3300-3399).
const (
	EResellerCannotTransact Code = 3301 // indirect resellers buy through their provider
)

// Transitions (3400-3499).
const (
	ETransitionNotEligible Code = 3401 // the upgrade or conversion is not allowed; data lists Partner Center's TransitionErrorCode names
)
