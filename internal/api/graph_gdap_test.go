package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
)

const roleDirectoryReaders = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"

type gdapRolesJSON struct {
	UnifiedRoles []struct {
		RoleDefinitionID string `json:"roleDefinitionId"`
	} `json:"unifiedRoles"`
}

func (r gdapRolesJSON) ids() string {
	var s []string
	for _, x := range r.UnifiedRoles {
		s = append(s, x.RoleDefinitionID)
	}
	return strings.Join(s, ",")
}

type gdapJSON struct {
	Context     string `json:"@odata.context"`
	ETag        string `json:"@odata.etag"`
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Duration    string `json:"duration"`
	Customer    struct {
		TenantID    string `json:"tenantId"`
		DisplayName string `json:"displayName"`
	} `json:"customer"`
	AccessDetails        gdapRolesJSON `json:"accessDetails"`
	Status               string        `json:"status"`
	AutoExtendDuration   string        `json:"autoExtendDuration"`
	CreatedDateTime      time.Time     `json:"createdDateTime"`
	LastModifiedDateTime time.Time     `json:"lastModifiedDateTime"`
	ActivatedDateTime    *time.Time    `json:"activatedDateTime"`
	EndDateTime          *time.Time    `json:"endDateTime"`
	PartnerID            string        `json:"partnerId"` // the customer API's
}

type gdapRequestJSON struct {
	ID              string    `json:"id"`
	Action          string    `json:"action"`
	Status          string    `json:"status"`
	CreatedDateTime time.Time `json:"createdDateTime"`
}

type gdapAssignmentJSON struct {
	ETag            string `json:"@odata.etag"`
	ID              string `json:"id"`
	Status          string `json:"status"`
	AccessContainer struct {
		AccessContainerID   string `json:"accessContainerId"`
		AccessContainerType string `json:"accessContainerType"`
	} `json:"accessContainer"`
	AccessDetails gdapRolesJSON `json:"accessDetails"`
}

const gdapPath = "/tenantRelationships/delegatedAdminRelationships"

// gdapDo sends a GDAP request under prefix ("/graph/v1.0" with a token,
// "/v1.0" with a partner user's key), with If-Match when etag is set.
func gdapDo(t *testing.T, w *world, c *client.Client, prefix, method, path string, body, out any, etag string) (int, client.GraphError) {
	t.Helper()
	res, err := c.Do(w.ctx, method, prefix+gdapPath+path, body, out, &client.Request{IfMatch: etag})
	if res == nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return res.Status, client.ReadGraphError(res)
}

func at(t *testing.T, got *time.Time, want string) {
	t.Helper()
	if got == nil || !got.Equal(mustTime(t, want)) {
		t.Fatalf("got %v, want %s", got, want)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func advance(t *testing.T, w *world, d string) {
	t.Helper()
	if _, err := w.op.AdvanceClock(w.ctx, d); err != nil {
		t.Fatalf("advance %s: %v", d, err)
	}
}

func newRelationship(name, duration, tenantID string, roles ...string) map[string]any {
	rs := make([]map[string]string, len(roles))
	for i, r := range roles {
		rs[i] = map[string]string{"roleDefinitionId": r}
	}
	return map[string]any{"displayName": name, "duration": duration, "customer": map[string]string{"tenantId": tenantID},
		"accessDetails": map[string]any{"unifiedRoles": rs}}
}

func newAssignment(groupID string, roles ...string) map[string]any {
	rs := make([]map[string]string, len(roles))
	for i, r := range roles {
		rs[i] = map[string]string{"roleDefinitionId": r}
	}
	return map[string]any{"accessContainer": map[string]string{"accessContainerId": groupID, "accessContainerType": "securityGroup"},
		"accessDetails": map[string]any{"unifiedRoles": rs}}
}

// gdapSetup is a partner (Contoso) with an admin agent and a helpdesk
// agent, the helpdesk agent a member of a security group of Contoso's own
// tenant, and a customer (Fabrikam) with its Global Administrator.
type gdapSetup struct {
	partner     *client.Partner
	pc, own     *client.Client // the admin agent's key, and its token for Contoso's own tenant
	desk        *client.Client // the helpdesk agent's key
	group       string         // the security group the helpdesk agent is in
	cust        *client.Customer
	admin       *client.Client // Fabrikam's Global Administrator's key
	adminGraph  *client.Client // and token
	deskInFabri *client.Client // the helpdesk agent's token for Fabrikam
}

func newGDAPSetup(t *testing.T, w *world) *gdapSetup {
	t.Helper()
	s := &gdapSetup{}
	s.partner, s.pc = w.MustPartner(designPartner("Contoso"))
	s.desk = w.MustUser(s.partner.ID, "desk@contoso.example", "helpdeskAgent")
	s.own = graphAs(t, w, s.pc, s.partner.ID.String())
	var group struct{ ID string }
	body := map[string]any{"displayName": "Fabrikam admins", "mailNickname": "fabrikam-admins", "mailEnabled": false, "securityEnabled": true}
	if st, e := graphCall(t, w, s.own, http.MethodPost, "/groups", body, &group); st != 201 {
		t.Fatalf("create group: %d %+v", st, e)
	}
	s.group = group.ID
	var desk graphUserJSON
	if st, e := graphCall(t, w, s.own, http.MethodGet, "/users/desk@contoso.example", nil, &desk); st != 200 {
		t.Fatalf("read the helpdesk agent: %d %+v", st, e)
	}
	ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + desk.ID}
	if st, e := graphCall(t, w, s.own, http.MethodPost, "/groups/"+s.group+"/members/$ref", ref, nil); st != 204 {
		t.Fatalf("add member: %d %+v", st, e)
	}
	s.cust = w.MustCustomer(s.pc, customer("Fabrikam", "fabrikam", "US"))
	s.admin = w.MustAdmin(s.cust.ID, "fabrikam.onmicrosoft.com")
	s.adminGraph = graphAs(t, w, s.admin, s.cust.ID)
	s.deskInFabri = graphAs(t, w, s.desk, s.cust.ID)
	return s
}

// create makes a draft relationship with Fabrikam through Graph.
func (s *gdapSetup) create(t *testing.T, w *world, name, duration string, roles ...string) gdapJSON {
	t.Helper()
	var rel gdapJSON
	if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "", newRelationship(name, duration, s.cust.ID, roles...), &rel, ""); st != 201 {
		t.Fatalf("create %s: %d %+v", name, st, e)
	}
	return rel
}

// activate locks rel for approval and has Fabrikam's admin approve it.
func (s *gdapSetup) activate(t *testing.T, w *world, id string) gdapJSON {
	t.Helper()
	if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodPost, "/"+id+"/requests", map[string]string{"action": "lockForApproval"}, nil, ""); st != 201 {
		t.Fatalf("lock %s: %d %+v", id, st, e)
	}
	return s.answer(t, w, id, "approve")
}

// answer is Fabrikam's admin's answer in the customer API.
func (s *gdapSetup) answer(t *testing.T, w *world, id, action string) gdapJSON {
	t.Helper()
	var rel gdapJSON
	if _, err := s.admin.Do(w.ctx, http.MethodPost, "/tenant/v1/delegatedAdminRelationships/"+id+"/"+action, nil, &rel, nil); err != nil {
		t.Fatalf("%s %s: %v", action, id, err)
	}
	return rel
}

func (s *gdapSetup) get(t *testing.T, w *world, id string) gdapJSON {
	t.Helper()
	var rel gdapJSON
	if st, e := gdapDo(t, w, s.own, "/graph/v1.0", http.MethodGet, "/"+id, nil, &rel, ""); st != 200 {
		t.Fatalf("get %s: %d %+v", id, st, e)
	}
	return rel
}

// deskListsUsers answers the status of the helpdesk agent's listing of
// Fabrikam's users, and the refusal's codes.
func (s *gdapSetup) deskListsUsers(t *testing.T, w *world) (int, client.GraphError) {
	t.Helper()
	return graphCall(t, w, s.deskInFabri, http.MethodGet, "/users", nil, nil)
}
