package gdap

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

// AssignmentStatus is an access assignment's status (Graph's
// delegatedAdminAccessAssignmentStatus). Provisioning is instant here, so
// pending and deleting are never held, and error never happens.
type AssignmentStatus string

// Assignment statuses held.
const (
	AssignmentActive  AssignmentStatus = "active"
	AssignmentDeleted AssignmentStatus = "deleted"
)

// ContainerSecurityGroup is the one accessContainerType Graph has.
const ContainerSecurityGroup = "securityGroup"

// AccessAssignment is a delegatedAdminAccessAssignment: it gives the members
// of one security group of the partner's own tenant (accessContainer) some
// of its relationship's roles in the customer tenant.
type AccessAssignment struct {
	ID             uuid.UUID
	RelationshipID uuid.UUID
	GroupID        uuid.UUID   // accessContainer.accessContainerId
	Roles          []uuid.UUID // accessDetails.unifiedRoles[].roleDefinitionId
	Status         AssignmentStatus
	CreatedAt      time.Time // createdDateTime
	LastModifiedAt time.Time // lastModifiedDateTime
	Version        int64     // its etag's version (PATCH needs If-Match)
}

// ETag is the assignment's etag.
func (a *AccessAssignment) ETag() string { return csp.ETag(a.ID, a.Version) }

// CheckContainerType answers nil for Graph's one container type (an empty
// one is taken as it).
func CheckContainerType(t string) error {
	if t != "" && t != ContainerSecurityGroup {
		return csp.Errorf(csp.EGDAPContainerType, "accessContainer.accessContainerType %q is not supported: the only container is securityGroup, a security group of the partner's own tenant", t).
			WithData("field=accessContainer.accessContainerType")
	}
	return nil
}

// NewAssignment gives the group roles of rel at now. existing are rel's
// access assignments (any status): a group has at most one active
// assignment per relationship.
func NewAssignment(id uuid.UUID, rel *Relationship, groupID uuid.UUID, roles []uuid.UUID, existing []*AccessAssignment, now time.Time) (*AccessAssignment, error) {
	if err := checkAssignable(rel, now); err != nil {
		return nil, err
	}
	if groupID == uuid.Nil {
		return nil, csp.Errorf(csp.EMissingField, "accessContainer.accessContainerId is required: the id of a security group of the partner's own tenant").
			WithData("field=accessContainer.accessContainerId")
	}
	for _, e := range existing {
		if e.RelationshipID == rel.ID && e.GroupID == groupID && e.Status == AssignmentActive {
			return nil, AssignmentExists(rel.ID, groupID, e.ID)
		}
	}
	roles, err := assignmentRoles(rel, roles)
	if err != nil {
		return nil, err
	}
	return &AccessAssignment{ID: id, RelationshipID: rel.ID, GroupID: groupID, Roles: roles, Status: AssignmentActive,
		CreatedAt: now, LastModifiedAt: now, Version: 1}, nil
}

// AssignmentExists is the refusal of a second active assignment of one
// group in one relationship.
func AssignmentExists(relID, groupID, existingID uuid.UUID) error {
	msg := "security group %s already has an access assignment in relationship %s: change its roles there (PATCH)"
	if existingID == uuid.Nil {
		return csp.Errorf(csp.EGDAPAssignmentExists, msg, groupID, relID)
	}
	return csp.Errorf(csp.EGDAPAssignmentExists, msg+" — assignment %s", groupID, relID, existingID)
}

// SetRoles answers the assignment with its roles replaced at now.
func (a *AccessAssignment) SetRoles(rel *Relationship, roles []uuid.UUID, now time.Time) (*AccessAssignment, error) {
	if err := a.checkLive(); err != nil {
		return nil, err
	}
	if err := checkAssignable(rel, now); err != nil {
		return nil, err
	}
	roles, err := assignmentRoles(rel, roles)
	if err != nil {
		return nil, err
	}
	n := *a
	n.Roles, n.LastModifiedAt = roles, now
	return &n, nil
}

// Delete answers the assignment marked deleted at now. It may be deleted
// whatever its relationship's status (an ended relationship's assignments
// grant nothing anyway).
func (a *AccessAssignment) Delete(now time.Time) (*AccessAssignment, error) {
	if err := a.checkLive(); err != nil {
		return nil, err
	}
	n := *a
	n.Roles = slices.Clone(a.Roles)
	n.Status, n.LastModifiedAt = AssignmentDeleted, now
	return &n, nil
}

// Narrow keeps only the roles rel still has (after Global Administrator was
// removed from an active relationship), deleting the assignment when none
// is left. It answers nil when nothing changes.
func (a *AccessAssignment) Narrow(rel *Relationship, now time.Time) *AccessAssignment {
	if a.Status != AssignmentActive {
		return nil
	}
	kept := slices.DeleteFunc(slices.Clone(a.Roles), func(id uuid.UUID) bool { return !rel.HasRole(id) })
	if len(kept) == len(a.Roles) {
		return nil
	}
	n := *a
	n.Roles, n.LastModifiedAt = kept, now
	if len(kept) == 0 {
		n.Roles, n.Status = slices.Clone(a.Roles), AssignmentDeleted
	}
	return &n
}

func (a *AccessAssignment) checkLive() error {
	if a.Status == AssignmentDeleted {
		return csp.Errorf(csp.EGDAPAssignmentDeleted, "access assignment %s was deleted on %s: create a new one for its group", a.ID, a.LastModifiedAt.Format(time.RFC3339))
	}
	return nil
}

func checkAssignable(rel *Relationship, now time.Time) error {
	if !rel.ActiveAt(now) {
		return csp.Errorf(csp.EGDAPNotActive, "relationship %s is %s: access assignments are made and changed only while it is active (after the customer approved it, before it ends)",
			rel.ID, stateAt(rel, now))
	}
	return nil
}

func stateAt(rel *Relationship, now time.Time) string {
	if rel.Status == StatusActive && !rel.ActiveAt(now) {
		return "past its end (" + rel.EndAt.Format(time.RFC3339) + ")"
	}
	return string(rel.Status)
}

// assignmentRoles answers roles without duplicates, or the refusal of an
// empty list or of a role the relationship does not have.
func assignmentRoles(rel *Relationship, roles []uuid.UUID) ([]uuid.UUID, error) {
	if len(roles) == 0 {
		return nil, csp.Errorf(csp.EGDAPAssignmentNoRoles, "accessDetails.unifiedRoles is empty: an access assignment gives its group at least one of the relationship's roles")
	}
	out := make([]uuid.UUID, 0, len(roles))
	for _, id := range roles {
		if !rel.HasRole(id) {
			return nil, csp.Errorf(csp.EGDAPAssignmentRole, "role %s (%s) is not among relationship %s's roles: an access assignment gives a subset of them (%s)",
				id, directory.RoleName(id), rel.ID, roleNames(rel.Roles)).WithData("roleDefinitionId=" + id.String())
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

func roleNames(ids []uuid.UUID) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ", "
		}
		s += directory.RoleName(id)
	}
	return s
}

// EffectiveRoles answers the Entra roles a partner user holds at now in a
// customer tenant: the union of the roles of the active access assignments,
// to a group the user is a member of (groupIDs), of the relationships that
// are active at now. Nothing otherwise: a reseller relationship, a
// relationship not yet approved, ended or past its end, or an assignment to
// another group grants nothing. The roles come in directory.Roles' order.
// rels and assignments are those of one partner and one tenant.
func EffectiveRoles(now time.Time, rels []*Relationship, assignments []*AccessAssignment, groupIDs []uuid.UUID) []uuid.UUID {
	live := map[uuid.UUID]*Relationship{}
	for _, r := range rels {
		if r.ActiveAt(now) {
			live[r.ID] = r
		}
	}
	held := map[uuid.UUID]bool{}
	for _, a := range assignments {
		r := live[a.RelationshipID]
		if r == nil || a.Status != AssignmentActive || !slices.Contains(groupIDs, a.GroupID) {
			continue
		}
		for _, id := range a.Roles {
			if r.HasRole(id) {
				held[id] = true
			}
		}
	}
	var out []uuid.UUID
	for _, role := range directory.Roles {
		if held[role.TemplateID] {
			out = append(out, role.TemplateID)
		}
	}
	return out
}
