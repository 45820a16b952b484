package app

import (
	"context"
	"encoding/binary"
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
	// BillingCurrency is empty for the head office's (csp.DefaultBillingCurrency).
	BillingCurrency string
}

// CreatePartner creates a partner (operator only).
func (a *App) CreatePartner(ctx context.Context, p csp.Principal, in NewPartner) (*csp.Partner, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, csp.Errorf(csp.EMissingField, "name is required: the partner's company name")
	}
	if err := csp.CheckTexts(csp.TextField{Name: "name", Value: in.Name, Max: csp.MaxName}, csp.TextField{Name: "mpnId", Value: in.MpnID, Max: csp.MaxShort},
		csp.TextField{Name: "country", Value: in.Country, Max: csp.MaxShort}, csp.TextField{Name: "partnerType", Value: in.PartnerType, Max: csp.MaxShort}); err != nil {
		return nil, err
	}
	typ, err := csp.ParsePartnerType(in.PartnerType)
	if err != nil {
		return nil, err
	}
	if in.Country == "" {
		return nil, csp.Errorf(csp.EMissingField, "country is required: the ISO 3166 code of the partner's head office")
	}
	locations, err := csp.PartnerLocations(in.Country, in.Locations)
	if err != nil {
		return nil, err
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
	currency := csp.DefaultBillingCurrency(locations[0])
	if in.BillingCurrency != "" {
		if currency, err = csp.CheckBillingCurrency(in.BillingCurrency); err != nil {
			return nil, err
		}
	}
	var part *csp.Partner
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		part = &csp.Partner{ID: a.newID(), MpnID: in.MpnID, Name: strings.TrimSpace(in.Name), Type: typ,
			Country: locations[0], Locations: locations, SalePolicy: in.SalePolicy, BillingCurrency: currency, CreatedAt: now}
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
			id, err := tx.NextMpnID(ctx, func() uint64 { u := a.newID(); return binary.BigEndian.Uint64(u[8:]) })
			if err != nil {
				return err
			}
			part.MpnID = id
		}
		if err := tx.CreatePartner(ctx, part); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: &part.ID, ResourceType: csp.ResPartner, OperationType: csp.OpAddPartner}, nil, part)
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
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		part, err = tx.GetPartner(ctx, id)
		return err
	})
	return part, err
}

// ListPartners pages through partners by id (operator only).
func (a *App) ListPartners(ctx context.Context, p csp.Principal, pg Page[uuid.UUID]) (Paged[*csp.Partner, uuid.UUID], error) {
	if err := requireOperator(p); err != nil {
		return Paged[*csp.Partner, uuid.UUID]{}, err
	}
	var out []*csp.Partner
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.ListPartners(ctx, store.PartnerFilter{After: pg.After, Limit: pg.limit()})
		return err
	})
	return paged(out, pg, func(x *csp.Partner) uuid.UUID { return x.ID }), err
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
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		var err error
		if part, err = tx.LockPartner(ctx, partnerID); err != nil {
			return err
		}
		before := part.SalePolicy
		if err := tx.SetSalePolicy(ctx, partnerID, &sp); err != nil {
			return err
		}
		part.SalePolicy = &sp
		return a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: &partnerID, ResourceType: csp.ResSalePolicy, OperationType: csp.OpUpdateSalePolicy}, before, sp)
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
	if err := csp.CheckText("displayName", in.DisplayName, csp.MaxName); err != nil {
		return nil, IssuedKey{}, err
	}
	if err := csp.ValidateEmail("email", in.Email); err != nil {
		return nil, IssuedKey{}, err
	}
	roles, err := csp.ParseRoles(in.Roles)
	if err != nil {
		return nil, IssuedKey{}, err
	}
	var u *csp.PartnerUser
	var key IssuedKey
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		u = &csp.PartnerUser{ID: a.newID(), PartnerID: partnerID, DisplayName: strings.TrimSpace(in.DisplayName),
			Email: strings.ToLower(in.Email), Roles: roles, CreatedAt: now}
		if _, err := tx.GetPartner(ctx, partnerID); err != nil {
			return err
		}
		if err := tx.CreatePartnerUser(ctx, u); err != nil {
			return err
		}
		var err error
		key, err = a.mintKey(ctx, tx, now, store.Key{Kind: csp.PrincipalPartner, PartnerID: &partnerID, UserID: &u.ID, ExpiresAt: in.ExpiresAt, Description: u.Email})
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: &partnerID, ResourceType: csp.ResPartnerUser, OperationType: csp.OpAddPartnerUser}, nil,
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
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		part, err = tx.GetPartner(ctx, p.PartnerID)
		return err
	})
	return part, err
}
