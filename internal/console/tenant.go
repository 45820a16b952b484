package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

type tenantPage struct {
	layout
	Tenant   *csp.Tenant
	Partners []app.PartnerOfTenant
	MTO      *mtoView // nil when the tenant belongs to none
}

type mtoView struct {
	Name    string
	Owner   bool // the signed-in tenant owns it, so members' partners are shown
	Role    string
	Members []mtoMember
}

type mtoMember struct {
	Tenant   *csp.Tenant
	Role     string
	State    string
	Self     bool
	Partners []app.PartnerOfTenant
}

func (h *handler) tenantHome(w http.ResponseWriter, r *http.Request, p csp.Principal) {
	ctx := r.Context()
	t, err := h.app.OwnTenant(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	partners, err := h.app.TenantPartners(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	role := "Customer user"
	if p.GlobalAdmin {
		role = "Customer admin"
	}
	page := tenantPage{layout: h.layout(t.DisplayName, &who{Org: t.DisplayName, User: p.UserPrincipalName, Role: role}),
		Tenant: t, Partners: partners}
	v, err := h.app.GetMTO(ctx, p)
	switch {
	case csp.ErrorCode(err) == csp.EMTONotFound:
	case err != nil:
		h.fail(w, r, err)
		return
	default:
		page.MTO = newMTOView(v, p.TenantID)
	}
	h.render(w, r, http.StatusOK, "tenant", page)
}

func newMTOView(v *app.MTOView, self uuid.UUID) *mtoView {
	m := &mtoView{Name: v.Org.DisplayName, Owner: v.Org.OwnerTenantID == self}
	for _, mem := range v.Org.Members {
		t := v.Tenants[mem.TenantID]
		if t == nil {
			// mtoView loads every member; keep the row even if one is missing.
			t = &csp.Tenant{ID: mem.TenantID}
		}
		if mem.TenantID == self {
			m.Role = mem.Role
		}
		m.Members = append(m.Members, mtoMember{Tenant: t, Role: mem.Role, State: mem.State, Self: mem.TenantID == self,
			Partners: v.Partners[mem.TenantID]})
	}
	// The owner first, then the members by name.
	slices.SortStableFunc(m.Members, func(x, y mtoMember) int {
		if (x.Role == "owner") != (y.Role == "owner") {
			if x.Role == "owner" {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(x.Tenant.DisplayName), strings.ToLower(y.Tenant.DisplayName))
	})
	return m
}
