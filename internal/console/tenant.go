package console

import (
	"context"
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
	// Notice says what the action that led here did; Error why one was
	// refused.
	Notice, Error string
	Directory     *directoryView
	// Admin shows the partners with admin rights: only the Global
	// Administrator sees and answers them.
	Admin       []gdapRow
	GlobalAdmin bool
	Azure       *azureSection
	// Subscriptions are the tenant's, from every partner and channel.
	Subscriptions *subscriptionsSection
	// Transfers are the tenant's subscriptions' transfers between partners.
	Transfers *tenantTransfers
	// Plans are the tenant's channel plans (Global Administrator only).
	Plans *plansSection
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
	h.showTenant(w, r, p, http.StatusOK, "")
}

// showTenant renders the tenant page with a status and a refusal's
// message (empty when all went well).
func (h *handler) showTenant(w http.ResponseWriter, r *http.Request, p csp.Principal, status int, msg string) {
	page, err := h.loadTenant(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Error = msg
	if msg == "" {
		page.Notice = gdapNotice(r.URL.Query(), page.Admin)
		if page.Notice == "" {
			page.Notice = transferNotice(r.URL.Query(), page.Transfers)
		}
		if page.Notice == "" {
			page.Notice = planNotice(r.URL.Query(), page.Plans)
		}
	}
	h.render(w, r, status, "tenant", page)
}

func (h *handler) loadTenant(ctx context.Context, p csp.Principal) (*tenantPage, error) {
	t, err := h.app.OwnTenant(ctx, p)
	if err != nil {
		return nil, err
	}
	partners, err := h.app.TenantPartners(ctx, p)
	if err != nil {
		return nil, err
	}
	role := "Customer user"
	if p.GlobalAdmin {
		role = "Customer admin"
	}
	page := &tenantPage{layout: h.layout(t.DisplayName, &who{Org: t.DisplayName, User: p.UserPrincipalName, Role: role}),
		Tenant: t, Partners: partners}
	v, err := h.app.GetMTO(ctx, p)
	switch {
	case csp.ErrorCode(err) == csp.EMTONotFound:
	case err != nil:
		return nil, err
	default:
		page.MTO = newMTOView(v, p.TenantID)
	}
	names := map[uuid.UUID]string{}
	for _, pt := range partners {
		names[pt.Partner.ID] = pt.Partner.Name
	}
	page.GlobalAdmin = p.GlobalAdmin
	if p.GlobalAdmin {
		rels, err := h.app.TenantAdminPartners(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, rel := range rels {
			names[rel.PartnerID] = rel.PartnerName
			page.Admin = append(page.Admin, newGDAPRow(rel))
		}
	}
	if page.Subscriptions, err = h.loadSubscriptions(ctx, p, names); err != nil {
		return nil, err
	}
	if page.Transfers, err = h.loadTenantTransfers(ctx, p); err != nil {
		return nil, err
	}
	if page.Plans, err = h.loadPlans(ctx, p, partners); err != nil {
		return nil, err
	}
	if page.Directory, err = h.loadDirectory(ctx, p, names); err != nil {
		return nil, err
	}
	page.Azure, err = h.loadAzure(ctx, p, names, page.Directory)
	return page, err
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
