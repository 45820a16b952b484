package api

import (
	"net/http"
	"reflect"
	"slices"
	"sync"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

// The OpenAPI document: each resource file declares its routes' operations
// (…Doc) beside their handlers, with values of the types they decode and
// write; this file says the rest and serves the result at /openapi.json.

// operations are every documented route. The tests check that it names
// every route the router serves, and that each answers.
func operations() []openapi.Operation {
	return slices.Concat(documentDoc, customersDoc, partnerDoc, qualificationsDoc, auditDoc, catalogDoc, agreementsDoc, cartsDoc, ordersDoc,
		subscriptionsDoc, cotermDoc, historyDoc, transitionsDoc, invoicesDoc, partnersDoc, tenantKeysDoc, clockDoc, qualificationRequestsDoc, tenantDoc,
		customerUsersDoc, licenseGapsDoc, tenantGDAPDoc, azurePlanDoc, utilizationsDoc, usageBudgetDoc, azureNonPaymentDoc,
		channelSubscriptionsDoc, transfersDoc, transferPolicyDoc, tenantTransfersDoc, channelPlansDoc, billingDoc, reconciliationDoc, priceBookDoc, customerInvoicesDoc, importsDoc)
}

var documentDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/openapi.json", Tag: "Document", Summary: "This OpenAPI document (no key needed)", Public: true,
		Responses: []openapi.Response{{Status: http.StatusOK, Body: map[string]any{}, Description: "The OpenAPI 3.1 document."}}},
}

var document = openapi.Document{
	Title:   "OpenCSP",
	Version: "1",
	Description: "The three APIs of OpenCSP, a simulation of Microsoft's Cloud Solution Provider program: the Partner Center shaped partner API, " +
		"the operator API and the customer API. Every refusal answers Partner Center's error body with a stable code (docs/errors.md); " +
		"paths are case-insensitive.",
	APIs: []openapi.API{
		{Name: "Partner API", Prefix: "/v1", Security: "partnerKey", Description: "a partner user's key; roles decide what it may do."},
		{Name: "Operator API", Prefix: "/admin/v1", Security: "operatorKey", Description: "the operator's key."},
		{Name: "Customer API", Prefix: "/tenant/v1", Security: "customerKey", Description: "a customer tenant user's key."},
	},
	PathParams: map[string]openapi.Param{
		"customer-id":         {Description: "The customer's tenant id (a GUID)."},
		"invoice-id":          {Description: "The invoice's number (G000000001)."},
		"customer-invoice-id": {Description: "The customer invoice's id (a GUID)."},
		"cart-id":             {Description: "The cart's id (a GUID)."},
		"order-id":            {Description: "The order's id (a GUID)."},
		"subscription-id":     {Description: "The subscription's id (a GUID)."},
		"product-id":          {Description: "The product's id (CFQ7TTC0LH18)."},
		"sku-id":              {Description: "The SKU's id (0001)."},
		"availability-id":     {Description: "The availability's id."},
		"partner-id":          {Description: "The partner's id (a GUID)."},
		"tenant-id":           {Description: "The tenant's id (a GUID)."},
		"key-id":              {Description: "The key's id (a GUID, the middle part of the key)."},
		"request-id":          {Description: "The qualification request's id (a GUID)."},
		"domain":              {Description: "A default domain: the prefix or the full onmicrosoft.com domain."},
		"country":             {Description: "ISO 3166 alpha-2 country code."},
		"user-id":             {Description: "A customer user's id (a GUID) or user principal name."},
		"role-id":             {Description: "A directory role's id: its Entra role template id (a GUID)."},
		"relationship-id":     {Description: "A delegated admin (GDAP) relationship's id (a GUID)."},
		"entitlement-id":      {Description: "An Azure subscription's id (a GUID), as azureEntitlements list it."},
		"transfer-id":         {Description: "A transfer's id (a GUID)."},
		"plan-id":             {Description: "A channel plan's id (a GUID)."},
	},
	Fault: apiFault{},
	Names: map[reflect.Type]string{
		reflect.TypeFor[csp.Product](): "PartnerService",
		reflect.TypeFor[csp.Catalog](): "CatalogDocument",
		// The catalog document's parts, beside the listings' resources.
		reflect.TypeFor[csp.Sku]():          "CatalogSku",
		reflect.TypeFor[csp.Availability](): "CatalogAvailability",
		reflect.TypeFor[csp.Term]():         "CatalogTerm",
		reflect.TypeFor[mtoJSON]():          "MultiTenantOrganization",
		reflect.TypeFor[mtoTenantJSON]():    "MultiTenantOrganizationMember",
		reflect.TypeFor[auditJSON]():        "AuditRecord",
		reflect.TypeFor[keyJSON]():          "ApiKey",
		reflect.TypeFor[advancedJSON]():     "ClockAdvance",
		reflect.TypeFor[reconLineJSON]():    "ReconciliationLineItem",
		reflect.TypeFor[eventJSON]():        "HistoryEvent",
		reflect.TypeFor[header]():           "LinkHeader",
		reflect.TypeFor[credentialsJSON]():  "UserCredentials",
		reflect.TypeFor[usageLineJSON]():    "DailyRatedUsageLineItem",
		reflect.TypeFor[unbilledLinesDoc](): "UnbilledLineItems",
		reflect.TypeFor[utilizationJSON]():  "AzureUtilizationRecord",
		reflect.TypeFor[instanceDataJSON](): "AzureInstanceData",
		reflect.TypeFor[promotionJSON]():    "PriceBookPromotion",
	},
	Mappings: []openapi.Mapping{
		{From: csp.Value[csp.Status]{}, To: openapi.ValueOrPair[csp.Status]{}},
		{From: csp.Value[int]{}, To: openapi.ValueOrPair[int]{}},
		{From: csp.Value[string]{}, To: openapi.ValueOrPair[string]{}},
		{From: csp.Value[bool]{}, To: openapi.ValueOrPair[bool]{}},
		{From: csp.Value[*csp.NextTerm]{}, To: openapi.ValueOrPair[*csp.NextTerm]{}},
		{From: scheduledPatch{}, To: scheduledBody{}},
	},
}

// OpenAPI answers the OpenAPI 3.1 document of the three APIs, as
// /openapi.json serves it.
var OpenAPI = sync.OnceValues(func() ([]byte, error) { return document.Build(operations()) })

// serveOpenAPI answers the document without a key.
func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	b, err := OpenAPI()
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
