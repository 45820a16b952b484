package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// armWorld is a partner (Contoso) with an admin agent, a customer
// (Fabrikam) with an Azure plan and one Azure subscription under it, and
// the agent's ARM token acting in Fabrikam's tenant.
type armWorld struct {
	*world
	agent    csp.Principal // the partner's admin agent
	pc       *client.Client
	customer string
	plan     uuid.UUID
	sub      *azure.Subscription
	owner    *client.Client // the agent's ARM token in Fabrikam (Owner through admin on behalf of)
	admin    *client.Client // Fabrikam's global admin's Graph token
}

func newARMWorld(t *testing.T, w *world) *armWorld {
	t.Helper()
	_, pc := w.MustPartner(designPartner("Contoso"))
	cust := w.MustCustomer(pc, customer("Fabrikam", "fabrikam", "US"))
	agent, err := w.app.Authenticate(w.ctx, pc.Key, "")
	if err != nil {
		t.Fatal(err)
	}
	aw := &armWorld{world: w, agent: agent, pc: pc, customer: cust.ID}
	aw.plan = aw.buyAzurePlan(t)
	aw.sub = aw.newAzureSubscription(t, "Production")
	aw.owner = armToken(t, w, pc, cust.ID)
	aw.admin = graphAs(t, w, w.MustAdmin(cust.ID, "fabrikam.onmicrosoft.com"), cust.ID)
	return aw
}

// buyAzurePlan accepts the customer agreement and buys the Azure plan.
func (w *armWorld) buyAzurePlan(t *testing.T) uuid.UUID {
	t.Helper()
	id := mustUUID(t, w.customer)
	_, err := w.app.CreateAgreement(w.ctx, w.agent, id, app.NewAgreement{TemplateID: csp.MCATemplateID, DateAgreed: start,
		Contact: csp.Contact{FirstName: "Gena", LastName: "Soto", Email: "gena@fabrikam.example"}})
	if err != nil {
		t.Fatal(err)
	}
	cart, err := w.app.CreateCart(w.ctx, w.agent, id, []csp.CartLine{{ID: 0, CatalogItemID: "DZH318Z0BPS6:0001:DZH318Z0BML6", Quantity: 1, BillingCycle: "monthly"}})
	if err != nil || cart.Lines[0].Error != nil {
		t.Fatalf("Azure plan cart: %+v %v", cart, err)
	}
	out, err := w.app.Checkout(w.ctx, w.agent, id, cart.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return out.Subscriptions[0].ID
}

func (w *armWorld) newAzureSubscription(t *testing.T, name string) *azure.Subscription {
	t.Helper()
	sub, err := w.app.CreateAzureSubscription(w.ctx, w.agent, mustUUID(t, w.customer), w.plan, name)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// subPath is /subscriptions/{the Azure subscription}.
func (w *armWorld) subPath() string { return "/subscriptions/" + w.sub.ID.String() }

// customerUser creates a user in Fabrikam's directory through Graph and
// answers its object id and its ARM token.
func (w *armWorld) customerUser(t *testing.T, nick string) (string, *client.Client) {
	t.Helper()
	upn := nick + "@fabrikam.onmicrosoft.com"
	var u graphUserJSON
	if st, e := graphCall(t, w.world, w.admin, http.MethodPost, "/users", newUser(upn, nick), &u); st != http.StatusCreated {
		t.Fatalf("create user %s: %d %+v", upn, st, e)
	}
	k, err := w.op.MintTenantKey(w.ctx, mustUUID(t, w.customer), upn)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID, armToken(t, w.world, client.New(w.url, k.APIKey), w.customer)
}

// assign gives principal a built-in role at scope (a path below /arm),
// as the admin agent.
func (w *armWorld) assign(t *testing.T, scope string, role uuid.UUID, principal string) {
	t.Helper()
	body := map[string]any{"properties": map[string]any{"roleDefinitionId": azure.RoleDefinitionPath(w.sub.ID, role), "principalId": principal, "principalType": "User"}}
	if st, e := armCall(t, w.world, w.owner, http.MethodPut, scope+"/providers/Microsoft.Authorization/roleAssignments/"+uuid.NewString(), body, nil); st != http.StatusCreated {
		t.Fatalf("assign %s at %s: %d %+v", role, scope, st, e)
	}
}

// armToken exchanges c's key for an ARM token acting in tenant.
func armToken(t *testing.T, w *world, c *client.Client, tenant string) *client.Client {
	t.Helper()
	a, err := c.Token(w.ctx, tenant, client.ScopeARM)
	if err != nil {
		t.Fatalf("ARM token for %s: %v", tenant, err)
	}
	return a
}

// armErrorJSON is ARM's error body.
type armErrorJSON struct {
	Error struct {
		Code           string `json:"code"`
		Message        string `json:"message"`
		AdditionalInfo []struct {
			Type string `json:"type"`
			Info struct {
				Code int `json:"code"`
			} `json:"info"`
		} `json:"additionalInfo"`
	} `json:"error"`
}

func (e armErrorJSON) opencsp() int {
	if len(e.Error.AdditionalInfo) != 1 || e.Error.AdditionalInfo[0].Type != "OpenCSP" {
		return 0
	}
	return e.Error.AdditionalInfo[0].Info.Code
}

// armCall sends an ARM request (path below /arm, with an api-version as
// ARM's clients send) and answers its status and error body.
func armCall(t *testing.T, w *world, c *client.Client, method, path string, body, out any) (int, armErrorJSON) {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	res, err := c.Do(w.ctx, method, "/arm"+path+sep+"api-version=2024-03-01", body, out, nil)
	if res == nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	var e armErrorJSON
	if res.Status >= 300 {
		_ = json.Unmarshal(res.Body, &e)
	}
	return res.Status, e
}

// wantARMError checks a refusal's status, ARM code and OpenCSP code.
func wantARMError(t *testing.T, what string, status int, e armErrorJSON, wantStatus int, wantCode string, opencsp csp.Code) {
	t.Helper()
	if status != wantStatus || e.Error.Code != wantCode || e.opencsp() != int(opencsp) {
		t.Fatalf("%s: got %d %s (%d) %q, want %d %s (%d)", what, status, e.Error.Code, e.opencsp(), e.Error.Message, wantStatus, wantCode, opencsp)
	}
}

// armResourceJSON is the part of a resource the tests read.
type armResourceJSON struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Type     string            `json:"type"`
	Location string            `json:"location"`
	Tags     map[string]string `json:"tags"`
	Kind     string            `json:"kind"`
	Sku      *struct {
		Name string `json:"name"`
		Tier string `json:"tier"`
	} `json:"sku"`
	Properties struct {
		ProvisioningState string `json:"provisioningState"`
		HardwareProfile   struct {
			VMSize string `json:"vmSize"`
		} `json:"hardwareProfile"`
		InstanceView     *armInstanceViewJSON `json:"instanceView"`
		DefaultHostName  string               `json:"defaultHostName"`
		ServerFarmID     string               `json:"serverFarmId"`
		RoleDefinitionID string               `json:"roleDefinitionId"`
		PrincipalID      string               `json:"principalId"`
		Scope            string               `json:"scope"`
		RoleName         string               `json:"roleName"`
	} `json:"properties"`
}

type armInstanceViewJSON struct {
	Statuses []struct {
		Code string `json:"code"`
	} `json:"statuses"`
}

func (v armInstanceViewJSON) power() string {
	for _, s := range v.Statuses {
		if p, ok := strings.CutPrefix(s.Code, "PowerState/"); ok {
			return p
		}
	}
	return ""
}

type armListJSON struct {
	Value    []armResourceJSON `json:"value"`
	NextLink string            `json:"nextLink"`
}

// vmBody is a virtual machine's PUT body, with properties ARM takes and
// this program ignores.
func vmBody(size string) map[string]any {
	return map[string]any{"location": "eastus", "properties": map[string]any{
		"hardwareProfile": map[string]any{"vmSize": size},
		"osProfile":       map[string]any{"computerName": "vm1", "adminUsername": "azureuser"},
	}}
}
