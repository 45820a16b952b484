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

// graphDirectoryRoutes serves the directory: users, groups, roles and
// licences of the tenant the token acts in.
func (s *Server) graphDirectoryRoutes(r chi.Router) {
	r.Get("/users", graphHandler(s.graphListUsers))
	r.Post("/users", graphHandler(s.graphCreateUser))
	r.Get("/users/{user}", graphHandler(s.graphGetUser))
	r.Patch("/users/{user}", graphHandler(s.graphUpdateUser))
	r.Post("/users/{user}/assignlicense", graphHandler(s.graphAssignLicense))
	r.Get("/users/{user}/licensedetails", graphHandler(s.graphLicenseDetails))
	r.Get("/subscribedskus", graphHandler(s.graphSubscribedSkus))
	r.Get("/groups", graphHandler(s.graphListGroups))
	r.Post("/groups", graphHandler(s.graphCreateGroup))
	r.Get("/groups/{group}", graphHandler(s.graphGetGroup))
	r.Get("/groups/{group}/members", graphHandler(s.graphGroupMembers))
	r.Post("/groups/{group}/members/$ref", graphHandler(s.graphAddGroupMember))
	r.Delete("/groups/{group}/members/{member}/$ref", graphHandler(s.graphRemoveGroupMember))
	r.Get("/directoryroles", graphHandler(s.graphListRoles))
	r.Get("/directoryroles/{role}/members", graphHandler(s.graphRoleMembers))
	r.Post("/directoryroles/{role}/members/$ref", graphHandler(s.graphAddRoleMember))
	r.Delete("/directoryroles/{role}/members/{member}/$ref", graphHandler(s.graphRemoveRoleMember))
}

// graphUser is Graph's user.
type graphUser struct {
	ODataType         string                 `json:"@odata.type,omitempty"`
	ID                uuid.UUID              `json:"id"`
	UserPrincipalName string                 `json:"userPrincipalName"`
	DisplayName       string                 `json:"displayName"`
	GivenName         *string                `json:"givenName"`
	Surname           *string                `json:"surname"`
	Mail              *string                `json:"mail"`
	MailNickname      string                 `json:"mailNickname"`
	UsageLocation     *string                `json:"usageLocation"`
	AccountEnabled    bool                   `json:"accountEnabled"`
	CreatedDateTime   time.Time              `json:"createdDateTime"`
	BusinessPhones    []string               `json:"businessPhones"`
	AssignedLicenses  []graphAssignedLicense `json:"assignedLicenses"`
}

type graphAssignedLicense struct {
	SkuID         uuid.UUID   `json:"skuId"`
	DisabledPlans []uuid.UUID `json:"disabledPlans"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func graphUserOf(u *csp.TenantUser, licences []directory.Assignment) graphUser {
	g := graphUser{ID: u.ID, UserPrincipalName: u.UserPrincipalName, DisplayName: u.DisplayName, GivenName: optional(u.GivenName), Surname: optional(u.Surname),
		MailNickname: u.MailNickname, UsageLocation: optional(u.UsageLocation), AccountEnabled: !u.Blocked, CreatedDateTime: u.CreatedAt,
		BusinessPhones: []string{}, AssignedLicenses: []graphAssignedLicense{}}
	for _, l := range licences {
		plans := l.DisabledPlans
		if plans == nil {
			plans = []uuid.UUID{}
		}
		g.AssignedLicenses = append(g.AssignedLicenses, graphAssignedLicense{SkuID: l.SkuID, DisabledPlans: plans})
	}
	return g
}

func (s *Server) graphListUsers(w http.ResponseWriter, r *http.Request) error {
	pg, err := graphPage[app.UserCursor](r, "users", 100)
	if err != nil {
		return err
	}
	out, err := s.app.ListUsers(r.Context(), principal(r), actingTenant(r), pg)
	if err != nil {
		return err
	}
	users := make([]graphUser, len(out.Items))
	for i, u := range out.Items {
		users[i] = graphUserOf(u, nil)
	}
	writeJSON(w, http.StatusOK, newGraphCollection("users", users, graphNextLink(r, "users", pg.Size, out.Next)))
	return nil
}

func (s *Server) graphGetUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.app.GetUser(r.Context(), principal(r), actingTenant(r), chi.URLParam(r, "user"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, graphUserOf(u.TenantUser, u.Licenses))
	return nil
}

// newUserBody is Graph's POST /users body.
type newUserBody struct {
	AccountEnabled    *bool  `json:"accountEnabled"`
	DisplayName       string `json:"displayName"`
	GivenName         string `json:"givenName"`
	Surname           string `json:"surname"`
	MailNickname      string `json:"mailNickname"`
	UserPrincipalName string `json:"userPrincipalName"`
	UsageLocation     string `json:"usageLocation"`
	PasswordProfile   *struct {
		Password                      string `json:"password"`
		ForceChangePasswordNextSignIn bool   `json:"forceChangePasswordNextSignIn"`
	} `json:"passwordProfile"`
}

func (s *Server) graphCreateUser(w http.ResponseWriter, r *http.Request) error {
	var b newUserBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	if b.PasswordProfile == nil {
		return csp.Errorf(csp.EMissingField, "Property 'passwordProfile' is required when creating the entity: send passwordProfile.password")
	}
	u, err := s.app.CreateUser(r.Context(), principal(r), actingTenant(r), app.NewUser{UserPrincipalName: b.UserPrincipalName, DisplayName: b.DisplayName,
		GivenName: b.GivenName, Surname: b.Surname, MailNickname: b.MailNickname, UsageLocation: b.UsageLocation, AccountEnabled: b.AccountEnabled,
		Password: b.PasswordProfile.Password})
	if err != nil {
		return err
	}
	g := graphUserOf(u.TenantUser, nil)
	g.ODataType = "#microsoft.graph.user"
	writeJSON(w, http.StatusCreated, g)
	return nil
}

// userPatchBody is Graph's PATCH /users/{id} body: absent fields stay.
type userPatchBody struct {
	DisplayName    *string `json:"displayName"`
	GivenName      *string `json:"givenName"`
	Surname        *string `json:"surname"`
	UsageLocation  *string `json:"usageLocation"`
	AccountEnabled *bool   `json:"accountEnabled"`
}

func (s *Server) graphUpdateUser(w http.ResponseWriter, r *http.Request) error {
	var b userPatchBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	_, err := s.app.UpdateUser(r.Context(), principal(r), actingTenant(r), chi.URLParam(r, "user"),
		app.UserChange{DisplayName: b.DisplayName, GivenName: b.GivenName, Surname: b.Surname, UsageLocation: b.UsageLocation, AccountEnabled: b.AccountEnabled})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// assignLicenseBody is Graph's assignLicense body.
type assignLicenseBody struct {
	AddLicenses    *[]graphAssignedLicense `json:"addLicenses"`
	RemoveLicenses *[]uuid.UUID            `json:"removeLicenses"`
}

func (s *Server) graphAssignLicense(w http.ResponseWriter, r *http.Request) error {
	var b assignLicenseBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	if b.AddLicenses == nil || b.RemoveLicenses == nil {
		return csp.Errorf(csp.EMissingField, "addLicenses and removeLicenses are both required (send [] for none)")
	}
	c := app.LicenseChange{Remove: *b.RemoveLicenses}
	for _, l := range *b.AddLicenses {
		c.Add = append(c.Add, directory.Assignment{SkuID: l.SkuID, DisabledPlans: l.DisabledPlans})
	}
	u, err := s.app.AssignLicense(r.Context(), principal(r), actingTenant(r), chi.URLParam(r, "user"), c)
	if err != nil {
		return err
	}
	g := graphUserOf(u.TenantUser, u.Licenses)
	g.ODataType = "#microsoft.graph.user"
	writeJSON(w, http.StatusOK, g)
	return nil
}

// graphServicePlan is a service plan as Graph lists it.
type graphServicePlan struct {
	ServicePlanID      uuid.UUID `json:"servicePlanId"`
	ServicePlanName    string    `json:"servicePlanName"`
	ProvisioningStatus string    `json:"provisioningStatus"`
	AppliesTo          string    `json:"appliesTo"`
}

// graphLicenseDetail is Graph's licenseDetails.
type graphLicenseDetail struct {
	ID            string             `json:"id"`
	SkuID         uuid.UUID          `json:"skuId"`
	SkuPartNumber string             `json:"skuPartNumber"`
	ServicePlans  []graphServicePlan `json:"servicePlans"`
}

func (s *Server) graphLicenseDetails(w http.ResponseWriter, r *http.Request) error {
	u, pools, err := s.app.LicenseDetails(r.Context(), principal(r), actingTenant(r), chi.URLParam(r, "user"))
	if err != nil {
		return err
	}
	out := []graphLicenseDetail{}
	for _, l := range u.Licenses {
		d := graphLicenseDetail{ID: u.ID.String() + "_" + l.SkuID.String(), SkuID: l.SkuID, ServicePlans: []graphServicePlan{}}
		for _, p := range pools {
			if p.SkuID != l.SkuID {
				continue
			}
			d.SkuPartNumber = p.SkuPartNumber
			usable := p.Prepaid.Enabled+p.Prepaid.Warning > 0
			for _, sp := range p.ServicePlans {
				status := "Success"
				if !usable || contains(l.DisabledPlans, sp.ID) {
					status = "Disabled"
				}
				d.ServicePlans = append(d.ServicePlans, graphServicePlan{sp.ID, sp.Name, status, sp.AppliesTo})
			}
		}
		out = append(out, d)
	}
	writeJSON(w, http.StatusOK, newGraphCollection("users('"+u.ID.String()+"')/licenseDetails", out, ""))
	return nil
}

func contains(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// graphSubscribedSku is Graph's subscribedSku.
type graphSubscribedSku struct {
	ID               string             `json:"id"`
	AccountID        uuid.UUID          `json:"accountId"`
	AppliesTo        string             `json:"appliesTo"`
	CapabilityStatus string             `json:"capabilityStatus"`
	ConsumedUnits    int                `json:"consumedUnits"`
	PrepaidUnits     directory.Units    `json:"prepaidUnits"`
	ServicePlans     []graphServicePlan `json:"servicePlans"`
	SkuID            uuid.UUID          `json:"skuId"`
	SkuPartNumber    string             `json:"skuPartNumber"`
}

func graphSkuOf(tenantID uuid.UUID, p directory.Pool) graphSubscribedSku {
	g := graphSubscribedSku{ID: tenantID.String() + "_" + p.SkuID.String(), AccountID: tenantID, AppliesTo: "User", CapabilityStatus: p.CapabilityStatus(),
		ConsumedUnits: p.Consumed, PrepaidUnits: p.Prepaid, ServicePlans: []graphServicePlan{}, SkuID: p.SkuID, SkuPartNumber: p.SkuPartNumber}
	for _, sp := range p.ServicePlans {
		g.ServicePlans = append(g.ServicePlans, graphServicePlan{sp.ID, sp.Name, "Success", sp.AppliesTo})
	}
	return g
}

func (s *Server) graphSubscribedSkus(w http.ResponseWriter, r *http.Request) error {
	pools, err := s.app.SubscribedSkus(r.Context(), principal(r), actingTenant(r))
	if err != nil {
		return err
	}
	out := make([]graphSubscribedSku, len(pools))
	for i, p := range pools {
		out[i] = graphSkuOf(actingTenant(r), p)
	}
	writeJSON(w, http.StatusOK, newGraphCollection("subscribedSkus", out, ""))
	return nil
}
