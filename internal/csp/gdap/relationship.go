// Package gdap holds the rules of granular delegated admin privileges:
// Microsoft Graph's delegatedAdminRelationship between a partner and a
// customer tenant (its fields, its states and what moves it between them),
// the delegatedAdminAccessAssignment that gives one of the partner's
// security groups a subset of its roles, and the roles a partner user holds
// in a customer tenant through them. Pure: no I/O, no clock, no random ids;
// times and ids are parameters.
package gdap

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

// Status is a relationship's status, Graph's delegatedAdminRelationshipStatus.
// Provisioning is instant here, so Graph's passing states (approved,
// activating, expiring, terminationRequested, terminating) are never held.
type Status string

// Statuses held.
const (
	StatusCreated         Status = "created"         // the partner's draft: changeable, invisible to the customer
	StatusApprovalPending Status = "approvalPending" // locked for approval: the customer may approve or reject it
	StatusActive          Status = "active"          // approved: its access assignments grant their roles until endDateTime
	StatusExpired         Status = "expired"         // its end passed without extension, or its request was never answered
	StatusTerminated      Status = "terminated"      // ended early by either side, or rejected by the customer
)

// Limits and fixed durations of Graph's rules.
const (
	MaxDisplayName = 50  // displayName characters
	MinDays        = 1   // P1D
	MaxDays        = 730 // P2Y = P730D
	ExtendDays     = 180 // the one auto-extension Graph offers, P180D
	// RequestDays is how long a relationship locked for approval waits for
	// the customer's answer before it expires (Partner Center's GDAP FAQ:
	// "GDAP relationship requests expire after 90 days").
	RequestDays = 90
)

// Day is the length of one day of a duration: Graph's durations are whole
// days of 24 hours, so P730D from 2026-01-10T09:00Z ends 2028-01-10T09:00Z.
const Day = 24 * time.Hour

// Relationship is a delegatedAdminRelationship. The partner's own tenant is
// the partner's id.
type Relationship struct {
	ID                  uuid.UUID
	PartnerID           uuid.UUID
	CustomerTenantID    uuid.UUID // customer.tenantId
	CustomerDisplayName string    // customer.displayName
	DisplayName         string
	Duration            int         // days; Graph's duration is "P<Duration>D"
	Roles               []uuid.UUID // accessDetails.unifiedRoles[].roleDefinitionId
	AutoExtendDays      int         // 0 or ExtendDays; Graph's autoExtendDuration
	Status              Status
	CreatedAt           time.Time  // createdDateTime
	LockedAt            *time.Time // when the partner locked it for approval
	ActivatedAt         *time.Time // activatedDateTime
	EndAt               *time.Time // endDateTime: activatedDateTime + duration (extended), or when it ended
	LastModifiedAt      time.Time  // lastModifiedDateTime
	Version             int64      // its etag's version
}

// DurationText answers Graph's form of the duration: "P730D".
func (r *Relationship) DurationText() string { return FormatDays(r.Duration) }

// AutoExtendDuration answers Graph's autoExtendDuration: "P180D", or "PT0S"
// (Graph's default) for none.
func (r *Relationship) AutoExtendDuration() string {
	if r.AutoExtendDays == 0 {
		return "PT0S"
	}
	return FormatDays(r.AutoExtendDays)
}

// ETag is the relationship's etag.
func (r *Relationship) ETag() string { return csp.ETag(r.ID, r.Version) }

// HasRole reports whether the relationship grants the role.
func (r *Relationship) HasRole(id uuid.UUID) bool { return slices.Contains(r.Roles, id) }

// ActiveAt reports whether the relationship grants its roles at now: active
// since before now and not past its end (its expiry job may not have run
// yet).
func (r *Relationship) ActiveAt(now time.Time) bool {
	return r.Status == StatusActive && r.ActivatedAt != nil && r.EndAt != nil && !now.Before(*r.ActivatedAt) && now.Before(*r.EndAt)
}

// Due answers when the relationship's expiry job is due: an active one at
// its end, one waiting for approval when its request lapses, others never.
func (r *Relationship) Due() *time.Time {
	switch {
	case r.Status == StatusActive && r.EndAt != nil:
		t := *r.EndAt
		return &t
	case r.Status == StatusApprovalPending && r.LockedAt != nil:
		t := r.LockedAt.Add(RequestDays * Day)
		return &t
	}
	return nil
}

// VisibleToCustomer reports whether the customer sees the relationship: once
// the partner locked it for approval, never as a draft.
func (r *Relationship) VisibleToCustomer() bool { return r.Status != StatusCreated }

func (r *Relationship) clone() *Relationship {
	c := *r
	c.Roles = slices.Clone(r.Roles)
	return &c
}

// NewRelationship is what a partner sends to create a relationship (Graph's
// POST body, fields named after it).
type NewRelationship struct {
	DisplayName         string
	Duration            string // ISO 8601, P1D to P2Y
	CustomerTenantID    uuid.UUID
	CustomerDisplayName string
	Roles               []uuid.UUID
	AutoExtendDuration  string // P0D, PT0S (or empty: the default) or P180D
}

// New checks a partner's request and answers the relationship in status
// created. The display name's uniqueness is checked by the caller with
// NameKey (or the store's unique index) and answered with NameTaken.
func New(id, partnerID uuid.UUID, in NewRelationship, now time.Time) (*Relationship, error) {
	if err := CheckDisplayName(in.DisplayName); err != nil {
		return nil, err
	}
	if err := csp.CheckText("customer.displayName", in.CustomerDisplayName, csp.MaxName); err != nil {
		if csp.ErrorCode(err) == csp.ETooLong {
			return nil, csp.Errorf(csp.EGDAPCustomerName, "customer.displayName is %d characters long: at most %d are allowed",
				utf8.RuneCountInString(in.CustomerDisplayName), csp.MaxName)
		}
		return nil, err
	}
	if in.CustomerTenantID == uuid.Nil {
		return nil, csp.Errorf(csp.EMissingField, "customer.tenantId is required: the id of the customer tenant whose roles the relationship asks for")
	}
	days, err := ParseDuration(in.Duration)
	if err != nil {
		return nil, err
	}
	roles, err := CheckRoles(in.Roles)
	if err != nil {
		return nil, err
	}
	ext, err := ParseAutoExtend(in.AutoExtendDuration)
	if err != nil {
		return nil, err
	}
	if err := checkExtension(ext, roles); err != nil {
		return nil, err
	}
	return &Relationship{
		ID: id, PartnerID: partnerID, CustomerTenantID: in.CustomerTenantID, CustomerDisplayName: strings.TrimSpace(in.CustomerDisplayName),
		DisplayName: strings.TrimSpace(in.DisplayName), Duration: days, Roles: roles, AutoExtendDays: ext,
		Status: StatusCreated, CreatedAt: now, LastModifiedAt: now, Version: 1,
	}, nil
}

// CheckDisplayName answers nil for a displayName of 1 to 50 characters
// (spaces around it do not count).
func CheckDisplayName(name string) error {
	if err := csp.CheckChars("displayName", name); err != nil {
		return err
	}
	n := utf8.RuneCountInString(strings.TrimSpace(name))
	if n == 0 || n > MaxDisplayName {
		return csp.Errorf(csp.EGDAPDisplayName, "displayName is %d characters long: a delegated admin relationship's name is 1 to %d characters", n, MaxDisplayName).
			WithData("field=displayName")
	}
	return nil
}

// NameKey is the key under which a partner's relationship names must be
// unique: trimmed and lower-cased.
func NameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// NameTaken is the refusal of a displayName another relationship of the
// partner has.
func NameTaken(name string) error {
	return csp.Errorf(csp.EGDAPDisplayNameTaken, "the partner already has a delegated admin relationship named %q (names are unique across all of a partner's relationships, whatever their status): choose another displayName", strings.TrimSpace(name))
}

// CheckRoles answers the roles without duplicates (in the order given), or
// the refusal of an empty list or of a role this program does not model.
func CheckRoles(ids []uuid.UUID) ([]uuid.UUID, error) {
	if len(ids) == 0 {
		return nil, csp.Errorf(csp.EGDAPNoRoles, "accessDetails.unifiedRoles is empty: list at least one Entra role by its roleDefinitionId (for example User Administrator %s)", directory.UserAdministrator)
	}
	out := make([]uuid.UUID, 0, len(ids))
	for _, id := range ids {
		if _, ok := directory.RoleByID(id); !ok {
			return nil, csp.Errorf(csp.EGDAPInvalidRole, "roleDefinitionId %s is not an Entra built-in role template id this program models: use one of %s", id, modelledRoles()).
				WithData("roleDefinitionId=" + id.String())
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

func modelledRoles() string {
	names := make([]string, len(directory.Roles))
	for i, r := range directory.Roles {
		names[i] = r.DisplayName + " " + r.TemplateID.String()
	}
	return strings.Join(names, ", ")
}

// checkExtension refuses auto-extension with Global Administrator among the
// roles (Partner Center: "Don't autoextend GDAP with Global Administrator").
func checkExtension(days int, roles []uuid.UUID) error {
	if days > 0 && slices.Contains(roles, directory.GlobalAdministrator) {
		return csp.Errorf(csp.EGDAPAutoExtendAdmin, "a relationship with the Global Administrator role cannot auto-extend: set autoExtendDuration to PT0S, or ask for narrower roles")
	}
	return nil
}
