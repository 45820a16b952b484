package directory

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// Group is a security group of a tenant (or of a partner's own tenant,
// where GDAP access assignments name them). Members are the tenant's users.
type Group struct {
	ID           uuid.UUID
	TenantID     uuid.UUID
	DisplayName  string
	Description  string
	MailNickname string
	CreatedAt    time.Time
	Version      int64
}

// GroupKind is what Graph's create body says the group is.
type GroupKind struct {
	SecurityEnabled *bool
	MailEnabled     *bool
	GroupTypes      []string
}

// CheckGroup checks a new group: Graph requires displayName, mailNickname,
// securityEnabled and mailEnabled; only security groups are modelled
// (securityEnabled true, mailEnabled false, no groupTypes such as Unified).
func CheckGroup(g *Group, k GroupKind) error {
	switch {
	case strings.TrimSpace(g.DisplayName) == "":
		return csp.Errorf(csp.EMissingField, "displayName is required")
	case strings.TrimSpace(g.MailNickname) == "":
		return csp.Errorf(csp.EMissingField, "mailNickname is required (for example helpdesk-agents)")
	case k.SecurityEnabled == nil || k.MailEnabled == nil:
		return csp.Errorf(csp.EMissingField, "securityEnabled and mailEnabled are required: a security group has securityEnabled true and mailEnabled false")
	case !*k.SecurityEnabled || *k.MailEnabled || len(k.GroupTypes) > 0:
		return csp.Errorf(csp.ENotSecurityGroup, "only security groups are supported: send securityEnabled true, mailEnabled false and no groupTypes (Microsoft 365 and mail-enabled groups are not modelled)")
	}
	return csp.CheckTexts(csp.TextField{Name: "displayName", Value: g.DisplayName, Max: csp.MaxName},
		csp.TextField{Name: "description", Value: g.Description, Max: 1024}, csp.TextField{Name: "mailNickname", Value: g.MailNickname, Max: MaxAlias})
}
