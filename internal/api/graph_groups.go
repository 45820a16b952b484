package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
)

// graphGroup is Graph's group (security groups only).
type graphGroup struct {
	ID              uuid.UUID `json:"id"`
	DisplayName     string    `json:"displayName"`
	Description     *string   `json:"description"`
	MailNickname    string    `json:"mailNickname"`
	MailEnabled     bool      `json:"mailEnabled"`
	SecurityEnabled bool      `json:"securityEnabled"`
	GroupTypes      []string  `json:"groupTypes"`
	CreatedDateTime time.Time `json:"createdDateTime"`
}

func graphGroupOf(g *directory.Group) graphGroup {
	return graphGroup{ID: g.ID, DisplayName: g.DisplayName, Description: optional(g.Description), MailNickname: g.MailNickname, SecurityEnabled: true,
		GroupTypes: []string{}, CreatedDateTime: g.CreatedAt}
}

func (s *Server) graphListGroups(w http.ResponseWriter, r *http.Request) error {
	pg, err := graphPage[app.Cursor](r, "groups", 100)
	if err != nil {
		return err
	}
	out, err := s.app.ListGroups(r.Context(), principal(r), actingTenant(r), pg)
	if err != nil {
		return err
	}
	groups := make([]graphGroup, len(out.Items))
	for i, g := range out.Items {
		groups[i] = graphGroupOf(g)
	}
	writeJSON(w, http.StatusOK, newGraphCollection("groups", groups, graphNextLink(r, "groups", pg.Size, out.Next)))
	return nil
}

// newGroupBody is Graph's POST /groups body.
type newGroupBody struct {
	DisplayName     string   `json:"displayName"`
	Description     string   `json:"description"`
	MailNickname    string   `json:"mailNickname"`
	MailEnabled     *bool    `json:"mailEnabled"`
	SecurityEnabled *bool    `json:"securityEnabled"`
	GroupTypes      []string `json:"groupTypes"`
}

func (s *Server) graphCreateGroup(w http.ResponseWriter, r *http.Request) error {
	var b newGroupBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	g, err := s.app.CreateGroup(r.Context(), principal(r), actingTenant(r), directory.Group{DisplayName: b.DisplayName, Description: b.Description, MailNickname: b.MailNickname},
		directory.GroupKind{SecurityEnabled: b.SecurityEnabled, MailEnabled: b.MailEnabled, GroupTypes: b.GroupTypes})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, graphGroupOf(g))
	return nil
}

func (s *Server) graphGetGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "group", "group")
	if err != nil {
		return err
	}
	g, err := s.app.GetGroup(r.Context(), principal(r), actingTenant(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, graphGroupOf(g))
	return nil
}

func (s *Server) graphGroupMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "group", "group")
	if err != nil {
		return err
	}
	members, err := s.app.GroupMembers(r.Context(), principal(r), actingTenant(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newGraphCollection("directoryObjects", graphUsersOf(members), ""))
	return nil
}

func graphUsersOf(us []*csp.TenantUser) []graphUser {
	out := make([]graphUser, len(us))
	for i, u := range us {
		out[i] = graphUserOf(u, nil)
		out[i].ODataType = "#microsoft.graph.user"
	}
	return out
}

func (s *Server) graphAddGroupMember(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "group", "group")
	if err != nil {
		return err
	}
	member, err := graphRef(r)
	if err != nil {
		return err
	}
	if err := s.app.AddGroupMember(r.Context(), principal(r), actingTenant(r), id, member); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) graphRemoveGroupMember(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "group", "group")
	if err != nil {
		return err
	}
	if err := s.app.RemoveGroupMember(r.Context(), principal(r), actingTenant(r), id, chi.URLParam(r, "member")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// graphRole is Graph's directoryRole; its id is the role's template id.
type graphRole struct {
	ID             uuid.UUID `json:"id"`
	RoleTemplateID uuid.UUID `json:"roleTemplateId"`
	DisplayName    string    `json:"displayName"`
	Description    string    `json:"description"`
}

func (s *Server) graphListRoles(w http.ResponseWriter, r *http.Request) error {
	roles, err := s.app.ListDirectoryRoles(r.Context(), principal(r), actingTenant(r))
	if err != nil {
		return err
	}
	out := make([]graphRole, len(roles))
	for i, ro := range roles {
		out[i] = graphRole{ro.TemplateID, ro.TemplateID, ro.DisplayName, ro.Description}
	}
	writeJSON(w, http.StatusOK, newGraphCollection("directoryRoles", out, ""))
	return nil
}

func (s *Server) graphRoleMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "role", "directory role")
	if err != nil {
		return err
	}
	roles, err := s.app.ListDirectoryRoles(r.Context(), principal(r), actingTenant(r))
	if err != nil {
		return err
	}
	for _, ro := range roles {
		if ro.TemplateID == id {
			writeJSON(w, http.StatusOK, newGraphCollection("directoryObjects", graphUsersOf(ro.Members), ""))
			return nil
		}
	}
	return csp.Errorf(csp.ERoleNotFound, "no directory role %s: use an id of GET /directoryRoles", id)
}

func (s *Server) graphAddRoleMember(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "role", "directory role")
	if err != nil {
		return err
	}
	member, err := graphRef(r)
	if err != nil {
		return err
	}
	if err := s.app.ChangeRoleMember(r.Context(), principal(r), actingTenant(r), id, member, true); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) graphRemoveRoleMember(w http.ResponseWriter, r *http.Request) error {
	id, err := graphID(r, "role", "directory role")
	if err != nil {
		return err
	}
	if err := s.app.ChangeRoleMember(r.Context(), principal(r), actingTenant(r), id, chi.URLParam(r, "member"), false); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
