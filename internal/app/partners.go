package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// NewPartner is the operator's request to create a partner.
type NewPartner struct {
	Name        string
	Country     string
	Locations   []string
	PartnerType string
	ProviderID  *uuid.UUID
	MpnID       string
	SalePolicy  *csp.SalePolicy
}

// CreatePartner creates a partner (operator only).
func (a *App) CreatePartner(ctx context.Context, p csp.Principal, in NewPartner) (*csp.Partner, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, csp.Errorf(csp.EMissingField, "name is required: the partner's company name")
	}
	typ, err := csp.ParsePartnerType(in.PartnerType)
	if err != nil {
		return nil, err
	}
	if in.Country == "" {
		return nil, csp.Errorf(csp.EMissingField, "country is required: the ISO 3166 code of the partner's head office")
	}
	var locations []string
	for _, c := range append([]string{in.Country}, in.Locations...) {
		country, ok := csp.LookupCountry(c)
		if !ok {
			return nil, csp.Errorf(csp.EUnknownCountry, "country %q is unknown: use an ISO 3166 alpha-2 code such as US, GB or DE", c)
		}
		if !slices.Contains(locations, country.Code) {
			locations = append(locations, country.Code)
		}
	}
	if in.SalePolicy != nil {
		if err := in.SalePolicy.Validate(); err != nil {
			return nil, err
		}
	}
	if in.MpnID != "" {
		if err := csp.ValidateMpnID(in.MpnID); err != nil {
			return nil, err
		}
	}
	part := &csp.Partner{ID: uuid.Must(uuid.NewV7()), MpnID: in.MpnID, Name: strings.TrimSpace(in.Name), Type: typ,
		Country: locations[0], Locations: locations, SalePolicy: in.SalePolicy, CreatedAt: a.Now()}
	err = a.store.Write(ctx, func(tx store.Tx) error {
		switch {
		case typ == csp.PartnerIndirectReseller && in.ProviderID == nil:
			return csp.Errorf(csp.EResellerNeedsProvider, "an indirectReseller needs providerId: the id of the indirect provider it sells through")
		case typ == csp.PartnerIndirectReseller:
			prov, err := tx.GetPartner(ctx, *in.ProviderID)
			if err != nil {
				return err
			}
			if prov.Type != csp.PartnerIndirectProvider {
				return csp.Errorf(csp.EProviderNotIndirect, "providerId %s is a %s partner: an indirect reseller must name an indirectProvider", prov.ID, prov.Type)
			}
			part.ProviderID = in.ProviderID
		case in.ProviderID != nil:
			return csp.Errorf(csp.EInvalidField, "providerId is only for indirectReseller partners")
		}
		if part.MpnID == "" {
			id, err := tx.NextMpnID(ctx)
			if err != nil {
				return err
			}
			part.MpnID = id
		}
		if err := tx.CreatePartner(ctx, part); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, csp.AuditRecord{PartnerID: &part.ID, ResourceType: csp.ResPartner, OperationType: csp.OpAddPartner}, nil, part)
	})
	if err != nil {
		return nil, err
	}
	return part, nil
}

// GetPartner reads a partner (operator only).
func (a *App) GetPartner(ctx context.Context, p csp.Principal, id uuid.UUID) (*csp.Partner, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	var part *csp.Partner
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		part, err = tx.GetPartner(ctx, id)
		return err
	})
	return part, err
}

// ListPartners pages through partners (operator only).
func (a *App) ListPartners(ctx context.Context, p csp.Principal, f store.PartnerFilter) ([]*csp.Partner, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	var out []*csp.Partner
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		out, err = tx.ListPartners(ctx, f)
		return err
	})
	return out, err
}

// SetSalePolicy replaces a partner's sale policy (operator only). Existing
// relationships stay; the policy applies to new customers, acceptances and
// orders.
func (a *App) SetSalePolicy(ctx context.Context, p csp.Principal, partnerID uuid.UUID, sp csp.SalePolicy) (*csp.Partner, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	if err := sp.Validate(); err != nil {
		return nil, err
	}
	var part *csp.Partner
	err := a.store.Write(ctx, func(tx store.Tx) error {
		var err error
		if part, err = tx.GetPartner(ctx, partnerID); err != nil {
			return err
		}
		before := part.SalePolicy
		if err := tx.SetSalePolicy(ctx, partnerID, &sp); err != nil {
			return err
		}
		part.SalePolicy = &sp
		return a.audit(ctx, tx, p, csp.AuditRecord{PartnerID: &partnerID, ResourceType: csp.ResSalePolicy, OperationType: csp.OpUpdateSalePolicy}, before, sp)
	})
	return part, err
}

// NewPartnerUser is the operator's request to add a user to a partner.
type NewPartnerUser struct {
	DisplayName string
	Email       string
	Roles       []string
	ExpiresAt   *time.Time
}

// CreatePartnerUser adds a user with roles to a partner and answers its key
// (operator only).
func (a *App) CreatePartnerUser(ctx context.Context, p csp.Principal, partnerID uuid.UUID, in NewPartnerUser) (*csp.PartnerUser, IssuedKey, error) {
	if err := requireOperator(p); err != nil {
		return nil, IssuedKey{}, err
	}
	if strings.TrimSpace(in.DisplayName) == "" {
		return nil, IssuedKey{}, csp.Errorf(csp.EMissingField, "displayName is required")
	}
	if err := csp.ValidateEmail("email", in.Email); err != nil {
		return nil, IssuedKey{}, err
	}
	roles, err := csp.ParseRoles(in.Roles)
	if err != nil {
		return nil, IssuedKey{}, err
	}
	u := &csp.PartnerUser{ID: uuid.Must(uuid.NewV7()), PartnerID: partnerID, DisplayName: strings.TrimSpace(in.DisplayName),
		Email: strings.ToLower(in.Email), Roles: roles, CreatedAt: a.Now()}
	var key IssuedKey
	err = a.store.Write(ctx, func(tx store.Tx) error {
		if _, err := tx.GetPartner(ctx, partnerID); err != nil {
			return err
		}
		if err := tx.CreatePartnerUser(ctx, u); err != nil {
			return err
		}
		var err error
		key, err = a.mintKey(ctx, tx, store.Key{Kind: csp.PrincipalPartner, PartnerID: &partnerID, UserID: &u.ID, ExpiresAt: in.ExpiresAt, Description: u.Email})
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, p, csp.AuditRecord{PartnerID: &partnerID, ResourceType: csp.ResPartnerUser, OperationType: csp.OpAddPartnerUser}, nil,
			map[string]any{"id": u.ID, "email": u.Email, "roles": u.Roles, "keyId": key.KeyID})
	})
	if err != nil {
		return nil, IssuedKey{}, err
	}
	return u, key, nil
}

// OwnPartner reads the calling partner user's partner.
func (a *App) OwnPartner(ctx context.Context, p csp.Principal) (*csp.Partner, error) {
	if p.Kind != csp.PrincipalPartner {
		return nil, csp.Errorf(csp.EWrongAPI, "only partner users have a partner")
	}
	var part *csp.Partner
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		part, err = tx.GetPartner(ctx, p.PartnerID)
		return err
	})
	return part, err
}
