package api

import (
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// partnerJSON is a partner as the operator API shows it.
type partnerJSON struct {
	ID              uuid.UUID         `json:"id"`
	MpnID           string            `json:"mpnId"`
	Name            string            `json:"name"`
	PartnerType     csp.PartnerType   `json:"partnerType"`
	ProviderID      *uuid.UUID        `json:"providerId,omitempty"`
	Country         string            `json:"country"`
	Locations       []string          `json:"locations"`
	Markets         []csp.Market      `json:"markets"`
	SalePolicy      *csp.SalePolicy   `json:"salePolicy"`
	BillingCurrency string            `json:"billingCurrency"`
	CreatedAt       time.Time         `json:"createdAt"`
	Attributes      map[string]string `json:"attributes"`
}

func partnerResource(p *csp.Partner) partnerJSON {
	return partnerJSON{ID: p.ID, MpnID: p.MpnID, Name: p.Name, PartnerType: p.Type, ProviderID: p.ProviderID, Country: p.Country,
		Locations: p.Locations, Markets: p.Markets(), SalePolicy: p.SalePolicy, BillingCurrency: p.BillingCurrency, CreatedAt: p.CreatedAt, Attributes: attrs("Partner")}
}

// relationshipJSON is one of a tenant's partners, as the customer API shows it.
type relationshipJSON struct {
	PartnerID        uuid.UUID         `json:"partnerId"`
	PartnerName      string            `json:"partnerName"`
	MpnID            string            `json:"mpnId"`
	RelationshipType string            `json:"relationshipType"`
	Since            time.Time         `json:"since"`
	Attributes       map[string]string `json:"attributes"`
}

func relationshipResources(ps []app.PartnerOfTenant) []relationshipJSON {
	out := make([]relationshipJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, relationshipJSON{PartnerID: p.Partner.ID, PartnerName: p.Partner.Name, MpnID: p.Partner.MpnID,
			RelationshipType: p.Relationship.Type, Since: p.Relationship.Since, Attributes: attrs("PartnerRelationship")})
	}
	return out
}
