package console

// The tenant page's directory sections: licences per SKU with the partners
// and channels their seats come from, users with their licences and roles,
// premium features, and the partners with admin rights (GDAP) with the
// customer's answers to them.

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

type directoryView struct {
	Licences  []licenceRow
	Users     []userRow
	MoreUsers bool // the tenant has more users than the page shows
	Tier      string
	Features  []app.PremiumFeature
	Policies  []policyRow
	Eligible  []eligibleRow
	Gaps      []gapRow
}

type licenceRow struct {
	SkuID, Name, PartNumber                string
	Enabled, Warning, Suspended, LockedOut int
	Prepaid, Assigned, Available, Overage  int
	Sources                                []sourceRow
}

// sourceRow is one subscription behind a pool: who sold it, how many
// seats, in what state.
type sourceRow struct {
	From     string
	Quantity int
	Status   string
	Trial    bool
}

type userRow struct {
	ID, UPN, Name string
	Enabled       bool
	Licences      []string
	Roles         []string
}

type policyRow struct {
	Name, State, Needs string
	RiskBased          bool
}

type eligibleRow struct {
	User, Role, Until string
}

type gapRow struct {
	User, Feature, Covered, Needs, Has string
}

// loadDirectory reads the directory sections; names maps partner ids to
// their names, for the licences' sources.
func (h *handler) loadDirectory(ctx context.Context, p csp.Principal, names map[uuid.UUID]string) (*directoryView, error) {
	pools, err := h.app.SubscribedSkus(ctx, p, p.TenantID)
	if err != nil {
		return nil, err
	}
	users, err := h.app.ListDirectoryUsers(ctx, p, p.TenantID, app.Page[app.UserCursor]{Size: pageSize})
	if err != nil {
		return nil, err
	}
	premium, err := h.app.Premium(ctx, p, p.TenantID)
	if err != nil {
		return nil, err
	}
	v := &directoryView{MoreUsers: users.Next != nil, Tier: premium.Tier.String(), Features: premium.Features()}
	skuNames := map[uuid.UUID]string{}
	for _, pl := range pools {
		skuNames[pl.SkuID] = pl.Title
		row := licenceRow{SkuID: pl.SkuID.String(), Name: pl.Title, PartNumber: pl.SkuPartNumber,
			Enabled: pl.Prepaid.Enabled, Warning: pl.Prepaid.Warning, Suspended: pl.Prepaid.Suspended, LockedOut: pl.Prepaid.LockedOut,
			Assigned: pl.Consumed, Available: pl.Available(), Overage: pl.Overage()}
		row.Prepaid = row.Enabled + row.Warning + row.Suspended + row.LockedOut
		for _, s := range pl.Sources {
			row.Sources = append(row.Sources, sourceRow{From: sourceName(s.PartnerID, string(s.Channel), names), Quantity: s.Quantity, Status: string(s.Status), Trial: s.IsTrial})
		}
		v.Licences = append(v.Licences, row)
	}
	upn := map[uuid.UUID]string{}
	for _, u := range users.Items {
		upn[u.ID] = u.UserPrincipalName
		row := userRow{ID: u.ID.String(), UPN: u.UserPrincipalName, Name: u.DisplayName, Enabled: !u.Blocked}
		for _, l := range u.Licenses {
			n := skuNames[l.SkuID]
			if n == "" {
				n = l.SkuID.String()
			}
			row.Licences = append(row.Licences, n)
		}
		for _, r := range u.Roles {
			row.Roles = append(row.Roles, app.RoleName(r))
		}
		v.Users = append(v.Users, row)
	}
	for _, pol := range premium.Policies {
		v.Policies = append(v.Policies, policyRow{Name: pol.DisplayName, State: pol.State, Needs: pol.Needs().String(), RiskBased: pol.RiskBased()})
	}
	for _, e := range premium.Eligible {
		who := upn[e.PrincipalID]
		if who == "" {
			who = e.PrincipalID.String()
		}
		until := "permanent"
		if e.EndAt != nil {
			until = formatDateTime(*e.EndAt)
		}
		v.Eligible = append(v.Eligible, eligibleRow{User: who, Role: app.RoleName(e.RoleID), Until: until})
	}
	for _, g := range premium.Gaps {
		v.Gaps = append(v.Gaps, gapRow{User: g.UserPrincipalName, Feature: g.Feature, Covered: g.Name, Needs: g.Needs.String(), Has: g.Has.String()})
	}
	return v, nil
}

// sourceName is who sold a subscription: its partner's name, else its
// channel (direct from Microsoft, an enterprise agreement).
func sourceName(partner *uuid.UUID, channel string, names map[uuid.UUID]string) string {
	if partner != nil {
		if n, ok := names[*partner]; ok {
			return n
		}
		return "partner " + partner.String()
	}
	switch channel {
	case "direct":
		return "Microsoft (direct)"
	case "ea":
		return "Enterprise Agreement"
	case "mcaE":
		return "Microsoft Customer Agreement (enterprise)"
	}
	return channel
}

type gdapRow struct {
	ID, Name, Partner, Status string
	Roles                     []string
	Since, End                string
	Approvable, Terminable    bool
}

// gdapActions are the customer's answers, as the form's path names them
// and as the page says what they did.
var gdapActions = map[string]string{"approve": "approved", "reject": "rejected", "terminate": "terminated"}

func newGDAPRow(r app.PartnerAdminRelationship) gdapRow {
	row := gdapRow{ID: r.ID.String(), Name: r.DisplayName, Partner: r.PartnerName, Status: string(r.Status), Roles: r.RoleNames,
		Approvable: r.Status == "approvalPending", Terminable: r.Status == "active"}
	if r.ActivatedAt != nil {
		row.Since = formatDate(*r.ActivatedAt)
	}
	if r.EndAt != nil {
		row.End = formatDateTime(*r.EndAt)
	}
	return row
}

// gdapNotice is the flash after an answer, read back from the
// relationship as it now is: only the action's known word and stored data
// reach the page, never the query's text.
func gdapNotice(q url.Values, rows []gdapRow) string {
	done, ok := gdapActions[q.Get("done")]
	if !ok {
		return ""
	}
	for _, r := range rows {
		if r.ID != q.Get("gdap") {
			continue
		}
		s := "You " + done + " " + r.Partner + "'s relationship “" + r.Name + "”: it is " + r.Status
		if r.Status == "active" && r.End != "" {
			s += " until " + r.End
		}
		return s + "."
	}
	return ""
}

// gdapAction answers a relationship: approve or reject a pending one,
// terminate an active one. A refusal shows the tenant page with the
// message; a missing relationship, the error page.
func (h *handler) gdapAction(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	action := r.PathValue("action")
	if _, ok := gdapActions[action]; !ok {
		h.fail(w, r, csp.Errorf(csp.ENotFound, "There is no page at %s.", r.URL.Path))
		return
	}
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, csp.Errorf(csp.EGDAPNotFound, "No partner asked this organization for that relationship: open it from the tenant page."))
		return
	}
	if _, err := h.app.TenantGDAPAction(r.Context(), p, id, action); err != nil {
		status := statusOf(err)
		if status == http.StatusNotFound || status >= http.StatusInternalServerError || p.Kind != csp.PrincipalTenant {
			h.fail(w, r, err)
			return
		}
		h.showTenant(w, r, p, status, plainMessage(err, about{}))
		return
	}
	http.Redirect(w, r, "/console?"+url.Values{"gdap": {id.String()}, "done": {action}}.Encode(), http.StatusSeeOther)
}

// count is n in words with its noun: "1 seat", "2 seats".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
