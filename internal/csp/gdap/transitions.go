package gdap

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

// Actions of Graph's delegatedAdminRelationshipRequest.
const (
	ActionLockForApproval = "lockForApproval" // partner: created → approvalPending
	ActionApprove         = "approve"         // customer: approvalPending → active
	ActionReject          = "reject"          // customer: approvalPending → terminated
	ActionTerminate       = "terminate"       // either side: active → terminated
)

// Patch is a partner's change of a relationship (Graph's PATCH body): nil
// fields are left as they are, and so is a field sent with its current
// value, so that a whole object sent back changes only what differs.
type Patch struct {
	DisplayName        *string
	Duration           *string
	Roles              []uuid.UUID // nil: unchanged
	AutoExtendDuration *string
}

// Apply answers the relationship with p applied at now. While created
// everything may change; while active only autoExtendDuration, and the
// roles only by dropping Global Administrator (Graph's one role change of
// an active relationship); after that nothing.
func (r *Relationship) Apply(p Patch, now time.Time) (*Relationship, error) {
	if p.DisplayName == nil && p.Duration == nil && p.Roles == nil && p.AutoExtendDuration == nil {
		return nil, csp.Errorf(csp.EEmptyPatch, "the PATCH changes nothing: send displayName, duration, accessDetails or autoExtendDuration")
	}
	n := r.clone()
	var fixed []string // fields that changed but may not in this status
	if p.DisplayName != nil && strings.TrimSpace(*p.DisplayName) != r.DisplayName {
		if err := CheckDisplayName(*p.DisplayName); err != nil {
			return nil, err
		}
		n.DisplayName = strings.TrimSpace(*p.DisplayName)
		fixed = append(fixed, "displayName")
	}
	if p.Duration != nil {
		days, err := ParseDuration(*p.Duration)
		if err != nil {
			return nil, err
		}
		if days != r.Duration {
			n.Duration = days
			fixed = append(fixed, "duration")
		}
	}
	rolesChanged := false
	if p.Roles != nil {
		roles, err := CheckRoles(p.Roles)
		if err != nil {
			return nil, err
		}
		if !sameSet(roles, r.Roles) {
			n.Roles, rolesChanged = roles, true
		}
	}
	extChanged := false
	if p.AutoExtendDuration != nil {
		ext, err := ParseAutoExtend(*p.AutoExtendDuration)
		if err != nil {
			return nil, err
		}
		n.AutoExtendDays, extChanged = ext, ext != r.AutoExtendDays
	}
	switch r.Status {
	case StatusCreated:
	case StatusActive:
		if len(fixed) > 0 {
			return nil, notCreated(r, "change "+strings.Join(fixed, " and "))
		}
		if rolesChanged && !sameSet(n.Roles, without(r.Roles, directory.GlobalAdministrator)) {
			return nil, csp.Errorf(csp.EGDAPActiveRoles, "relationship %s is active: its roles can no longer change, except that Global Administrator may be removed (send the current roles without it); for other roles, request a new relationship", r.ID)
		}
	default:
		if rolesChanged {
			fixed = append(fixed, "accessDetails")
		}
		if len(fixed) > 0 {
			return nil, notCreated(r, "change "+strings.Join(fixed, " and "))
		}
		if extChanged {
			return nil, csp.Errorf(csp.EGDAPAutoExtendFixed, "relationship %s is %s: autoExtendDuration can change only while it is created or active", r.ID, r.Status)
		}
	}
	if err := checkExtension(n.AutoExtendDays, n.Roles); err != nil {
		return nil, err
	}
	n.LastModifiedAt = now
	return n, nil
}

// LockForApproval is the partner's lockForApproval request: the draft is
// final and waits, at most RequestDays, for the customer's answer.
func (r *Relationship) LockForApproval(now time.Time) (*Relationship, error) {
	if r.Status != StatusCreated {
		return nil, notCreated(r, "lock it for approval")
	}
	n := r.clone()
	n.Status, n.LockedAt, n.LastModifiedAt = StatusApprovalPending, &now, now
	return n, nil
}

// Approve is the customer's approval: the relationship is active from now
// for its duration. customerName, when set, becomes customer.displayName
// (Graph: configured by the system once the customer approves).
func (r *Relationship) Approve(now time.Time, customerName string) (*Relationship, error) {
	if err := r.checkPending(now, ActionApprove); err != nil {
		return nil, err
	}
	n := r.clone()
	end := now.Add(time.Duration(r.Duration) * Day)
	n.Status, n.ActivatedAt, n.EndAt, n.LastModifiedAt = StatusActive, &now, &end, now
	if customerName != "" {
		n.CustomerDisplayName = customerName
	}
	return n, nil
}

// Reject is the customer's refusal: the request ends as terminated (Graph
// has no rejected status), ended now, never active.
func (r *Relationship) Reject(now time.Time) (*Relationship, error) {
	if err := r.checkPending(now, ActionReject); err != nil {
		return nil, err
	}
	n := r.clone()
	n.Status, n.EndAt, n.LastModifiedAt = StatusTerminated, &now, now
	return n, nil
}

func (r *Relationship) checkPending(now time.Time, action string) error {
	if r.Status != StatusApprovalPending {
		return csp.Errorf(csp.EGDAPNotPending, "relationship %s is %s: only a relationship waiting for approval (approvalPending) can be %s", r.ID, r.Status, past(action))
	}
	if due := r.Due(); due != nil && !now.Before(*due) {
		return csp.Errorf(csp.EGDAPNotPending, "relationship %s's request lapsed on %s, %d days after it was locked for approval: it expires and cannot be %s; ask the partner for a new one",
			r.ID, due.Format(time.RFC3339), RequestDays, past(action))
	}
	return nil
}

// Terminate ends an active relationship now, at either side's request.
func (r *Relationship) Terminate(now time.Time) (*Relationship, error) {
	if !r.ActiveAt(now) {
		state := string(r.Status)
		if r.Status == StatusActive {
			state = "past its end (" + r.EndAt.Format(time.RFC3339) + ")"
		}
		return nil, csp.Errorf(csp.EGDAPNotActive, "relationship %s is %s: only an active relationship can be terminated (delete a created one; a pending one is rejected by the customer or lapses)", r.ID, state)
	}
	n := r.clone()
	n.Status, n.EndAt, n.LastModifiedAt = StatusTerminated, &now, now
	return n, nil
}

// CheckDeletable answers nil for a relationship that may be deleted: only
// drafts (created) are.
func (r *Relationship) CheckDeletable() error {
	if r.Status != StatusCreated {
		return notCreated(r, "delete it (terminate an active one instead)")
	}
	return nil
}

// Lapse is what the relationship's due time brings, at due (the time of its
// job): an active relationship at its end extends by ExtendDays when it
// auto-extends, else expires; a request never answered expires RequestDays
// after it was locked. It answers nil when nothing is due at due (the job
// is stale: the relationship changed since it was scheduled).
func (r *Relationship) Lapse(due time.Time) *Relationship {
	d := r.Due()
	if d == nil || due.Before(*d) {
		return nil
	}
	n := r.clone()
	n.LastModifiedAt = *d
	switch {
	case r.Status == StatusActive && r.AutoExtendDays > 0 && !r.HasRole(directory.GlobalAdministrator):
		end := r.EndAt.Add(time.Duration(r.AutoExtendDays) * Day)
		n.EndAt = &end
	case r.Status == StatusActive:
		n.Status = StatusExpired
	default: // approvalPending, its request lapsed
		n.Status, n.EndAt = StatusExpired, d
	}
	return n
}

func notCreated(r *Relationship, what string) error {
	return csp.Errorf(csp.EGDAPNotCreated, "relationship %s is %s: only a created relationship (before lockForApproval) can %s", r.ID, r.Status, what)
}

func past(action string) string {
	if action == ActionApprove {
		return "approved"
	}
	return action + "ed"
}

// sameSet reports whether a and b hold the same ids.
func sameSet(a, b []uuid.UUID) bool {
	if len(a) != len(b) {
		return false
	}
	for _, id := range a {
		if !slices.Contains(b, id) {
			return false
		}
	}
	return true
}

func without(ids []uuid.UUID, drop uuid.UUID) []uuid.UUID {
	return slices.DeleteFunc(slices.Clone(ids), func(id uuid.UUID) bool { return id == drop })
}
