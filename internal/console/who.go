package console

import (
	"context"
	"net/http"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

// who is the signed-in user as the header shows them.
type who struct {
	Org  string // the partner's or tenant's name; empty for the operator
	User string // email or user principal name; empty for the operator
	Role string // how the user acts here, e.g. "Admin agent"
	// Partner shows the partner's navigation; the Can flags hide the links
	// to pages the user's roles do not open.
	Partner                         bool
	CanCreate, CanBilling, CanAudit bool
	CanTransfers                    bool
	// Reseller: an indirect reseller, whose costs are its provider's
	// invoices to it (the Costs page).
	Reseller bool
}

// roleNames are Partner Center's partner roles in the words of its own
// user pages.
var roleNames = map[csp.Role]string{
	csp.RoleAdminAgent:    "Admin agent",
	csp.RoleSalesAgent:    "Sales agent",
	csp.RoleBillingAdmin:  "Billing admin",
	csp.RoleHelpdeskAgent: "Helpdesk agent",
}

// roleLabel names a partner user's roles: "Admin agent, Billing admin".
func roleLabel(roles []csp.Role) string {
	names := make([]string, 0, len(roles))
	for _, r := range roles {
		if n, ok := roleNames[r]; ok {
			names = append(names, n)
		} else {
			names = append(names, string(r))
		}
	}
	if len(names) == 0 {
		return "Partner user"
	}
	return strings.Join(names, ", ")
}

// partnerWho is the header of a partner user's page.
func (h *handler) partnerWho(ctx context.Context, p csp.Principal) (*who, error) {
	w, _, err := h.partnerHeader(ctx, p)
	return w, err
}

// partnerUser answers the signed-in partner user and the header of their
// page; false when it has answered the request already (a sign-in, or the
// refusal in plain words).
func (h *handler) partnerUser(w http.ResponseWriter, r *http.Request) (csp.Principal, *who, bool) {
	p, ok := h.principal(w, r)
	if !ok {
		return p, nil, false
	}
	wh, err := h.partnerWho(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return p, nil, false
	}
	return p, wh, true
}

// partnerHeader is the header of a partner user's page and the partner.
func (h *handler) partnerHeader(ctx context.Context, p csp.Principal) (*who, *csp.Partner, error) {
	partner, err := h.app.OwnPartner(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	return &who{Org: partner.Name, User: p.UserPrincipalName, Role: roleLabel(p.Roles), Partner: true,
		CanCreate:    p.Can(csp.PermCustomersWrite) == nil,
		CanBilling:   p.Can(csp.PermBillingRead) == nil,
		CanAudit:     p.Can(csp.PermAuditRead) == nil,
		CanTransfers: p.Can(csp.PermTransfers) == nil, Reseller: partner.Type == csp.PartnerIndirectReseller}, partner, nil
}
