package api

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/openapi"
)

// Partner Center's customer user calls: the customer's directory as the
// partner sees it, allowed by the same Entra roles the partner user holds
// there through GDAP as Graph is.

func (s *Server) customerUserRoutes(r chi.Router) {
	r.Get("/customers/{id}/users", s.customerUsers)
	r.Post("/customers/{id}/users", s.createCustomerUser)
	r.Get("/customers/{id}/subscribedskus", s.customerSubscribedSkus)
	r.Post("/customers/{id}/users/{user}/licenseupdates", s.customerLicenseUpdate)
	r.Get("/customers/{id}/users/{user}/licenses", s.customerUserLicenses)
	r.Get("/customers/{id}/directoryroles", s.customerDirectoryRoles)
	r.Get("/customers/{id}/directoryroles/{role}/usermembers", s.customerRoleMembers)
}

var customerUsersDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/users", Tag: "Customer users", Summary: "The customer's users (Directory Readers or more through GDAP)",
		Paged: true, Responses: openapi.OK(collection[customerUserJSON]{})},
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/users", Tag: "Customer users", Summary: "Create a user in the customer's directory (User Administrator)",
		Body: newCustomerUserBody{}, Responses: openapi.Created(customerUserJSON{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/subscribedskus", Tag: "Customer users", Summary: "The customer's licence pools, from every partner and channel",
		Responses: openapi.OK(collection[subscribedSkuJSON]{})},
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/users/{user-id}/licenseupdates", Tag: "Customer users",
		Summary: "Assign and remove a user's licences (License Administrator)", Body: licenseUpdateJSON{}, Responses: openapi.Created(licenseUpdateJSON{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/users/{user-id}/licenses", Tag: "Customer users", Summary: "A user's licences",
		Responses: openapi.OK(collection[licenseJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/directoryroles", Tag: "Customer users", Summary: "The customer's directory roles",
		Responses: openapi.OK(collection[directoryRoleJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/directoryroles/{role-id}/usermembers", Tag: "Customer users", Summary: "A directory role's members",
		Responses: openapi.OK(collection[userMemberJSON]{})},
}

// customerUserJSON is Partner Center's CustomerUser.
type customerUserJSON struct {
	ID                uuid.UUID         `json:"id"`
	UserPrincipalName string            `json:"userPrincipalName"`
	FirstName         string            `json:"firstName"`
	LastName          string            `json:"lastName"`
	DisplayName       string            `json:"displayName"`
	UsageLocation     string            `json:"usageLocation"`
	UserDomainType    string            `json:"userDomainType"`
	State             string            `json:"state" enum:"active,inactive"`
	Attributes        map[string]string `json:"attributes"`
}

func customerUserOf(u *csp.TenantUser) customerUserJSON {
	state := "active"
	if u.Blocked {
		state = "inactive"
	}
	return customerUserJSON{ID: u.ID, UserPrincipalName: u.UserPrincipalName, FirstName: u.GivenName, LastName: u.Surname, DisplayName: u.DisplayName,
		UsageLocation: u.UsageLocation, UserDomainType: "none", State: state, Attributes: attrs("CustomerUser")}
}

func (s *Server) customerUsers(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	pg, err := page[app.UserCursor](r, "customerusers", 100)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out, err := s.app.ListUsers(r.Context(), principal(r), id, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]customerUserJSON, len(out.Items))
	for i, u := range out.Items {
		items[i] = customerUserOf(u)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+id.String()+"/users", nextToken("customerusers", out.Next)))
}

// newCustomerUserBody is Partner Center's new CustomerUser.
type newCustomerUserBody struct {
	UserPrincipalName string `json:"userPrincipalName"`
	FirstName         string `json:"firstName"`
	LastName          string `json:"lastName"`
	DisplayName       string `json:"displayName"`
	UsageLocation     string `json:"usageLocation"`
	PasswordProfile   struct {
		Password            string `json:"password"`
		ForceChangePassword bool   `json:"forceChangePassword"`
	} `json:"passwordProfile"`
}

func (s *Server) createCustomerUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b newCustomerUserBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	alias, _, _ := strings.Cut(b.UserPrincipalName, "@")
	u, err := s.app.CreateUser(r.Context(), principal(r), id, app.NewUser{UserPrincipalName: b.UserPrincipalName, DisplayName: b.DisplayName, GivenName: b.FirstName,
		Surname: b.LastName, MailNickname: alias, UsageLocation: b.UsageLocation, Password: b.PasswordProfile.Password})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, customerUserOf(u.TenantUser))
}

// subscribedSkuJSON is Partner Center's SubscribedSku.
type subscribedSkuJSON struct {
	AvailableUnits   int                 `json:"availableUnits"`
	ActiveUnits      int                 `json:"activeUnits"`
	ConsumedUnits    int                 `json:"consumedUnits"`
	SuspendedUnits   int                 `json:"suspendedUnits"`
	TotalUnits       int                 `json:"totalUnits"`
	WarningUnits     int                 `json:"warningUnits"`
	ProductSku       productSkuJSON      `json:"productSku"`
	ServicePlans     []pcServicePlanJSON `json:"servicePlans"`
	CapabilityStatus string              `json:"capabilityStatus"`
	Attributes       map[string]string   `json:"attributes"`
}

type productSkuJSON struct {
	ID             uuid.UUID `json:"id"`
	Name           string    `json:"name"`
	SkuPartNumber  string    `json:"skuPartNumber"`
	TargetType     string    `json:"targetType"`
	LicenseGroupID string    `json:"licenseGroupId"`
}

type pcServicePlanJSON struct {
	DisplayName      string    `json:"displayName"`
	ServiceName      string    `json:"serviceName"`
	ID               uuid.UUID `json:"id"`
	CapabilityStatus string    `json:"capabilityStatus"`
	TargetType       string    `json:"targetType"`
}

func productSkuOf(p directory.Pool) productSkuJSON {
	return productSkuJSON{ID: p.SkuID, Name: p.Title, SkuPartNumber: p.SkuPartNumber, TargetType: "User", LicenseGroupID: "Group1"}
}

func pcPlansOf(p directory.Pool, disabled []uuid.UUID) []pcServicePlanJSON {
	out := []pcServicePlanJSON{}
	for _, sp := range p.ServicePlans {
		status := "Enabled"
		if contains(disabled, sp.ID) {
			status = "Disabled"
		}
		out = append(out, pcServicePlanJSON{DisplayName: sp.Name, ServiceName: sp.Name, ID: sp.ID, CapabilityStatus: status, TargetType: sp.AppliesTo})
	}
	return out
}

func (s *Server) customerSubscribedSkus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	pools, err := s.app.SubscribedSkus(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]subscribedSkuJSON, len(pools))
	for i, p := range pools {
		items[i] = subscribedSkuJSON{AvailableUnits: p.Available(), ActiveUnits: p.Prepaid.Enabled, ConsumedUnits: p.Consumed, SuspendedUnits: p.Prepaid.Suspended + p.Prepaid.LockedOut,
			TotalUnits: p.Prepaid.Enabled + p.Prepaid.Warning + p.Prepaid.Suspended + p.Prepaid.LockedOut, WarningUnits: p.Prepaid.Warning, ProductSku: productSkuOf(p),
			ServicePlans: pcPlansOf(p, nil), CapabilityStatus: p.CapabilityStatus(), Attributes: attrs("SubscribedSku")}
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+id.String()+"/subscribedskus", ""))
}

// licenseUpdateJSON is Partner Center's LicenseUpdate.
type licenseUpdateJSON struct {
	LicensesToAssign []licenseAssignmentJSON `json:"licensesToAssign"`
	LicensesToRemove []uuid.UUID             `json:"licensesToRemove"`
	LicenseWarnings  []string                `json:"licenseWarnings"`
	Attributes       map[string]string       `json:"attributes"`
}

type licenseAssignmentJSON struct {
	SkuID         uuid.UUID   `json:"skuId"`
	ExcludedPlans []uuid.UUID `json:"excludedPlans"`
}

func (s *Server) customerLicenseUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b licenseUpdateJSON
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	c := app.LicenseChange{Remove: b.LicensesToRemove}
	for _, l := range b.LicensesToAssign {
		c.Add = append(c.Add, directory.Assignment{SkuID: l.SkuID, DisabledPlans: l.ExcludedPlans})
	}
	if _, err := s.app.AssignLicense(r.Context(), principal(r), id, chi.URLParam(r, "user"), c); err != nil {
		writeError(w, r, err)
		return
	}
	if b.LicensesToAssign == nil {
		b.LicensesToAssign = []licenseAssignmentJSON{}
	}
	if b.LicensesToRemove == nil {
		b.LicensesToRemove = []uuid.UUID{}
	}
	b.LicenseWarnings, b.Attributes = []string{}, attrs("LicenseUpdate")
	writeJSON(w, http.StatusCreated, b)
}

// licenseJSON is Partner Center's License.
type licenseJSON struct {
	ServicePlans []pcServicePlanJSON `json:"servicePlans"`
	ProductSku   productSkuJSON      `json:"productSku"`
	Attributes   map[string]string   `json:"attributes"`
}

func (s *Server) customerUserLicenses(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	u, pools, err := s.app.LicenseDetails(r.Context(), principal(r), id, chi.URLParam(r, "user"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := []licenseJSON{}
	for _, l := range u.Licenses {
		for _, p := range pools {
			if p.SkuID == l.SkuID {
				items = append(items, licenseJSON{ServicePlans: pcPlansOf(p, l.DisabledPlans), ProductSku: productSkuOf(p), Attributes: attrs("License")})
			}
		}
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+id.String()+"/users/"+u.ID.String()+"/licenses", ""))
}

// directoryRoleJSON is Partner Center's DirectoryRole.
type directoryRoleJSON struct {
	Name       string            `json:"name"`
	ID         uuid.UUID         `json:"id"`
	Attributes map[string]string `json:"attributes"`
}

// userMemberJSON is Partner Center's UserMember.
type userMemberJSON struct {
	UserPrincipalName string            `json:"userPrincipalName"`
	DisplayName       string            `json:"displayName"`
	RoleID            uuid.UUID         `json:"roleId"`
	ID                uuid.UUID         `json:"id"`
	Attributes        map[string]string `json:"attributes"`
}

func (s *Server) customerDirectoryRoles(w http.ResponseWriter, r *http.Request) {
	s.customerRoles(w, r, false)
}

func (s *Server) customerRoleMembers(w http.ResponseWriter, r *http.Request) {
	s.customerRoles(w, r, true)
}

func (s *Server) customerRoles(w http.ResponseWriter, r *http.Request, members bool) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	roles, err := s.app.ListDirectoryRoles(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !members {
		items := make([]directoryRoleJSON, len(roles))
		for i, ro := range roles {
			items[i] = directoryRoleJSON{Name: ro.DisplayName, ID: ro.TemplateID, Attributes: attrs("DirectoryRole")}
		}
		writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+id.String()+"/directoryroles", ""))
		return
	}
	roleID, err := pathID(r, "role", csp.ERoleNotFound, "directory role")
	if err != nil {
		writeError(w, r, err)
		return
	}
	for _, ro := range roles {
		if ro.TemplateID == roleID {
			items := make([]userMemberJSON, len(ro.Members))
			for i, m := range ro.Members {
				items[i] = userMemberJSON{UserPrincipalName: m.UserPrincipalName, DisplayName: m.DisplayName, RoleID: roleID, ID: m.ID, Attributes: attrs("UserMember")}
			}
			writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+id.String()+"/directoryroles/"+roleID.String()+"/usermembers", ""))
			return
		}
	}
	writeError(w, r, csp.Errorf(csp.ERoleNotFound, "no directory role %s: use an id of GET /v1/customers/%s/directoryroles", roleID, id))
}
