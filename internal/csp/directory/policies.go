package directory

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// Policy is a conditional access policy (Graph's conditionalAccessPolicy,
// narrowed to the conditions that decide who it covers and what licence
// it needs).
type Policy struct {
	ID            uuid.UUID      `json:"id"`
	TenantID      uuid.UUID      `json:"-"`
	DisplayName   string         `json:"displayName"`
	State         string         `json:"state"`
	Conditions    Conditions     `json:"conditions"`
	GrantControls GrantControls  `json:"grantControls"`
	CreatedAt     time.Time      `json:"createdDateTime"`
	ModifiedAt    time.Time      `json:"modifiedDateTime"`
	Version       int64          `json:"-"`
	Extra         map[string]any `json:"-"`
}

// Conditions are the policy's conditions.
type Conditions struct {
	Users            UserConditions `json:"users"`
	Applications     AppConditions  `json:"applications"`
	ClientAppTypes   []string       `json:"clientAppTypes"`
	SignInRiskLevels []string       `json:"signInRiskLevels"`
	UserRiskLevels   []string       `json:"userRiskLevels"`
}

// UserConditions say who is in the policy's scope.
type UserConditions struct {
	IncludeUsers  []string `json:"includeUsers"`
	ExcludeUsers  []string `json:"excludeUsers"`
	IncludeGroups []string `json:"includeGroups"`
	ExcludeGroups []string `json:"excludeGroups"`
}

// AppConditions say which applications the policy covers.
type AppConditions struct {
	IncludeApplications []string `json:"includeApplications"`
	ExcludeApplications []string `json:"excludeApplications"`
}

// GrantControls are what the policy asks of a sign-in.
type GrantControls struct {
	Operator        string   `json:"operator"`
	BuiltInControls []string `json:"builtInControls"`
}

// Graph's enumerations, as this program accepts them.
var (
	policyStates  = []string{"enabled", "disabled", "enabledForReportingButNotEnforced"}
	riskLevels    = []string{"low", "medium", "high", "none"}
	grantControls = []string{"block", "mfa", "compliantDevice", "domainJoinedDevice", "approvedApplication", "compliantApplication", "passwordChange"}
	clientApps    = []string{"all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"}
	specialUsers  = []string{"All", "None", "GuestsOrExternalUsers"}
)

// RiskBased reports whether the policy uses sign-in or user risk, which
// needs Entra ID P2.
func (p *Policy) RiskBased() bool {
	return len(p.Conditions.SignInRiskLevels) > 0 || len(p.Conditions.UserRiskLevels) > 0
}

// Needs is the tier the policy needs: P2 when risk-based, else P1.
func (p *Policy) Needs() Tier {
	if p.RiskBased() {
		return P2
	}
	return P1
}

// Feature names the premium feature a policy is.
func (p *Policy) Feature() string {
	if p.RiskBased() {
		return "Risk-based conditional access"
	}
	return "Conditional access"
}

// CheckPolicy checks a policy's fields; users and groups names the
// directory's users and groups, which the policy's ids must be among.
func CheckPolicy(p *Policy, users, groups []uuid.UUID) error {
	bad := func(format string, args ...any) error { return csp.Errorf(csp.EInvalidPolicy, format, args...) }
	switch {
	case strings.TrimSpace(p.DisplayName) == "":
		return csp.Errorf(csp.EMissingField, "displayName is required")
	case len([]rune(p.DisplayName)) > csp.MaxName:
		return csp.Errorf(csp.ETooLong, "displayName is longer than %d characters", csp.MaxName)
	case !slices.Contains(policyStates, p.State):
		return bad("state %q is not valid: use enabled, disabled or enabledForReportingButNotEnforced", p.State)
	case len(p.Conditions.Users.IncludeUsers)+len(p.Conditions.Users.IncludeGroups) == 0:
		return bad("conditions.users must include users or groups (for example includeUsers [\"All\"])")
	case len(p.Conditions.Applications.IncludeApplications) == 0:
		return bad("conditions.applications.includeApplications is required (for example [\"All\"])")
	case len(p.GrantControls.BuiltInControls) == 0:
		return bad("grantControls.builtInControls is required (for example [\"mfa\"])")
	case p.GrantControls.Operator != "AND" && p.GrantControls.Operator != "OR":
		return bad("grantControls.operator %q is not valid: use AND or OR", p.GrantControls.Operator)
	}
	for _, c := range p.GrantControls.BuiltInControls {
		if !slices.Contains(grantControls, c) {
			return bad("grantControls.builtInControls names %q: use %s", c, strings.Join(grantControls, ", "))
		}
	}
	for _, l := range slices.Concat(p.Conditions.SignInRiskLevels, p.Conditions.UserRiskLevels) {
		if !slices.Contains(riskLevels, l) {
			return bad("risk level %q is not valid: use low, medium, high or none", l)
		}
	}
	for _, c := range p.Conditions.ClientAppTypes {
		if !slices.Contains(clientApps, c) {
			return bad("clientAppTypes names %q: use %s", c, strings.Join(clientApps, ", "))
		}
	}
	for _, u := range slices.Concat(p.Conditions.Users.IncludeUsers, p.Conditions.Users.ExcludeUsers) {
		if slices.Contains(specialUsers, u) {
			continue
		}
		if id, err := uuid.Parse(u); err != nil || !slices.Contains(users, id) {
			return bad("conditions.users names %q, which is not All, None, GuestsOrExternalUsers or a user of the tenant", u)
		}
	}
	for _, g := range slices.Concat(p.Conditions.Users.IncludeGroups, p.Conditions.Users.ExcludeGroups) {
		if id, err := uuid.Parse(g); err != nil || !slices.Contains(groups, id) {
			return bad("conditions.users names group %q, which is not a group of the tenant", g)
		}
	}
	return nil
}

// Covers answers the users in the policy's scope among users, given each
// user's groups: included by All, by id or by group, and not excluded. A
// disabled policy covers no one.
func (p *Policy) Covers(users []uuid.UUID, groupsOf map[uuid.UUID][]uuid.UUID) []uuid.UUID {
	if p.State == "disabled" {
		return nil
	}
	in := func(ids []string, u uuid.UUID, groups bool) bool {
		for _, s := range ids {
			if !groups && (s == "All" || s == u.String()) {
				return true
			}
			if groups && slices.ContainsFunc(groupsOf[u], func(g uuid.UUID) bool { return g.String() == s }) {
				return true
			}
		}
		return false
	}
	var out []uuid.UUID
	c := p.Conditions.Users
	for _, u := range users {
		if (in(c.IncludeUsers, u, false) || in(c.IncludeGroups, u, true)) && !in(c.ExcludeUsers, u, false) && !in(c.ExcludeGroups, u, true) {
			out = append(out, u)
		}
	}
	return out
}

// Gap is a user covered by a premium feature without the licence for it.
type Gap struct {
	UserID   uuid.UUID
	Feature  string
	Needs    Tier
	Has      Tier
	PolicyID uuid.UUID // the policy or PIM request that covers the user
	Name     string    // its display name
}

// Eligibility is a PIM eligible role assignment (Graph's
// unifiedRoleEligibilityScheduleRequest, as provisioned).
type Eligibility struct {
	ID            uuid.UUID
	TenantID      uuid.UUID
	PrincipalID   uuid.UUID
	RoleID        uuid.UUID
	Action        string
	Justification string
	StartAt       time.Time
	EndAt         *time.Time
	CreatedAt     time.Time
}

// LicenseGaps lists, for each enabled or report-only policy and each PIM
// eligibility, the covered users whose own licences do not give the tier it
// needs (Entra ID asks every user who benefits from a premium feature to be
// licensed for it).
func LicenseGaps(policies []*Policy, eligible []Eligibility, users []uuid.UUID, groupsOf map[uuid.UUID][]uuid.UUID, pools []Pool, held map[uuid.UUID][]Assignment) []Gap {
	var out []Gap
	for _, p := range policies {
		for _, u := range p.Covers(users, groupsOf) {
			if has := UserTier(pools, held[u]); has < p.Needs() {
				out = append(out, Gap{UserID: u, Feature: p.Feature(), Needs: p.Needs(), Has: has, PolicyID: p.ID, Name: p.DisplayName})
			}
		}
	}
	for _, e := range eligible {
		if has := UserTier(pools, held[e.PrincipalID]); has < P2 {
			out = append(out, Gap{UserID: e.PrincipalID, Feature: "Privileged Identity Management", Needs: P2, Has: has, PolicyID: e.ID, Name: RoleName(e.RoleID) + " (eligible)"})
		}
	}
	return out
}

// CheckEligibility checks a PIM request: an adminAssign or adminRemove of
// a modelled role for a user of the tenant, at the directory's scope, with
// an end after its start.
func CheckEligibility(e *Eligibility, users []uuid.UUID) error {
	bad := func(format string, args ...any) error { return csp.Errorf(csp.EInvalidEligibility, format, args...) }
	switch {
	case e.Action != "adminAssign" && e.Action != "adminRemove":
		return bad("action %q is not supported: use adminAssign or adminRemove", e.Action)
	case !slices.Contains(users, e.PrincipalID):
		return bad("principalId %s is not a user of the tenant", e.PrincipalID)
	case e.EndAt != nil && !e.EndAt.After(e.StartAt):
		return bad("scheduleInfo.expiration ends at %s, not after its start %s", e.EndAt.Format(time.RFC3339), e.StartAt.Format(time.RFC3339))
	}
	if _, ok := RoleByID(e.RoleID); !ok {
		return bad("roleDefinitionId %s is not a modelled built-in role", e.RoleID)
	}
	return nil
}
