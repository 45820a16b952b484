package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

// invitationLink is where a partner's reseller invitation link lands. The
// key cookie lives under /console, so the link hands over to a console page.
func (h *handler) invitationLink(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/console/invitation?"+url.Values{"url": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
}

type invitationPage struct {
	layout
	Tenant   *csp.Tenant
	Partners []*csp.Partner
	URL      string
}

func (h *handler) invitation(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	link := h.absolute(r.URL.Query().Get("url"))
	partners, err := h.app.InvitationPartners(r.Context(), p, link)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.app.OwnTenant(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "invitation", invitationPage{layout: h.layout("Reseller invitation", &who{Org: t.DisplayName, User: p.UserPrincipalName, Role: "Customer admin"}),
		Tenant: t, Partners: partners, URL: link})
}

func (h *handler) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.failStatus(w, r, http.StatusBadRequest, "The form could not be read; try again.")
		return
	}
	if _, err := h.app.AcceptInvitation(r.Context(), p, h.absolute(r.PostForm.Get("url"))); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console", http.StatusSeeOther)
}

// absolute turns the path of an invitation link that landed here (the
// console hands it over as a path) into the link on this server.
func (h *handler) absolute(link string) string {
	if strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") {
		return strings.TrimRight(h.app.BaseURL, "/") + link
	}
	return link
}
