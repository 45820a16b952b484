package app

import (
	"context"
	"crypto/rand"
	"math/big"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// NewCustomer is a partner's request to create a customer: a new tenant with
// a reseller relationship to the partner.
type NewCustomer struct {
	csp.NewTenant
	// AssociatedPartnerID names an indirect reseller of the calling provider
	// that also gets a relationship (Partner Center's associatedPartnerId).
	AssociatedPartnerID *uuid.UUID
}

// CreatedTenant is a new tenant with its admin's one-time credentials.
type CreatedTenant struct {
	Tenant        *csp.Tenant
	AdminUPN      string
	AdminPassword string     // shown once, never stored
	AdminKey      *IssuedKey // operator-created tenants only
	Relationships []csp.Relationship
}

// CreateCustomer creates a tenant for a partner's customer. The partner's
// markets and sale policy (and those of an associated reseller) must allow
// the tenant's country, region and segment.
func (a *App) CreateCustomer(ctx context.Context, p csp.Principal, in NewCustomer) (*CreatedTenant, error) {
	if err := p.Can(csp.PermCustomersWrite); err != nil {
		return nil, err
	}
	prefix, addr, region, seg, err := in.Validate(true)
	if err != nil {
		return nil, err
	}
	var out *CreatedTenant
	err = a.store.Write(ctx, func(tx store.Tx) error {
		partner, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		sellers := []*csp.Partner{partner}
		if in.AssociatedPartnerID != nil {
			reseller, err := tx.GetPartner(ctx, *in.AssociatedPartnerID)
			if err != nil || reseller.ProviderID == nil || *reseller.ProviderID != partner.ID {
				return csp.Errorf(csp.EInvalidField, "associatedPartnerId %s is not an indirect reseller of this provider", *in.AssociatedPartnerID)
			}
			sellers = append(sellers, reseller)
		}
		if partner.Type == csp.PartnerIndirectReseller && partner.ProviderID != nil {
			prov, err := tx.GetPartner(ctx, *partner.ProviderID)
			if err != nil {
				return err
			}
			sellers = append(sellers, prov)
		}
		for _, s := range sellers {
			if err := s.CheckSale(addr.Country, region, seg); err != nil {
				return err
			}
		}
		out, err = a.createTenant(ctx, tx, p, in.NewTenant, prefix, addr, region, seg)
		if err != nil {
			return err
		}
		for _, s := range sellers {
			rel := csp.Relationship{PartnerID: s.ID, TenantID: out.Tenant.ID, Type: csp.RelationshipTypeFor(s.Type), Since: a.Now()}
			if err := tx.CreateRelationship(ctx, rel); err != nil {
				return err
			}
			out.Relationships = append(out.Relationships, rel)
			if err := a.audit(ctx, tx, p, csp.AuditRecord{PartnerID: &s.ID, TenantID: &out.Tenant.ID, CustomerName: out.Tenant.DisplayName,
				ResourceType: csp.ResCustomer, OperationType: csp.OpAddCustomer}, nil, customerAudit(out.Tenant)); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// CreateDirectTenant creates a tenant outside any partner, as a customer
// who signed up directly (operator only), and answers a key for its admin.
func (a *App) CreateDirectTenant(ctx context.Context, p csp.Principal, in csp.NewTenant) (*CreatedTenant, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	prefix, addr, region, seg, err := in.Validate(false)
	if err != nil {
		return nil, err
	}
	var out *CreatedTenant
	err = a.store.Write(ctx, func(tx store.Tx) error {
		if out, err = a.createTenant(ctx, tx, p, in, prefix, addr, region, seg); err != nil {
			return err
		}
		u, err := tx.GetTenantUserByUPN(ctx, out.Tenant.ID, out.AdminUPN)
		if err != nil {
			return err
		}
		k, err := a.mintKey(ctx, tx, store.Key{Kind: csp.PrincipalTenant, UserID: &u.ID, TenantID: &out.Tenant.ID, Description: u.UserPrincipalName})
		out.AdminKey = &k
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, p, csp.AuditRecord{TenantID: &out.Tenant.ID, CustomerName: out.Tenant.DisplayName, ResourceType: csp.ResCustomer, OperationType: csp.OpAddCustomer},
			nil, customerAudit(out.Tenant))
	})
	return out, err
}

// createTenant stores a validated tenant and its global administrator.
func (a *App) createTenant(ctx context.Context, tx store.Tx, p csp.Principal, in csp.NewTenant, prefix string, addr csp.Address, region csp.Region, seg csp.Segment) (*CreatedTenant, error) {
	t := &csp.Tenant{ID: uuid.New(), CommerceID: uuid.New(), DisplayName: strings.TrimSpace(in.CompanyName), DomainPrefix: prefix,
		Country: addr.Country, Region: region, Segment: seg, Address: addr, BillingProfile: in.BillingProfile,
		OrgRegNumber: in.OrgRegNumber, CreatedAt: a.Now()}
	t.BillingProfile.CompanyName = t.DisplayName
	if err := tx.CreateTenant(ctx, t); err != nil {
		return nil, err
	}
	admin := &csp.TenantUser{ID: uuid.New(), TenantID: t.ID, UserPrincipalName: "admin@" + t.DefaultDomain(), DisplayName: "Global Administrator",
		GlobalAdmin: true, CreatedAt: t.CreatedAt}
	if err := tx.CreateTenantUser(ctx, admin); err != nil {
		return nil, err
	}
	return &CreatedTenant{Tenant: t, AdminUPN: admin.UserPrincipalName, AdminPassword: oneTimePassword()}, nil
}

func customerAudit(t *csp.Tenant) map[string]any {
	return map[string]any{"id": t.ID, "companyName": t.DisplayName, "domain": t.DefaultDomain(), "country": t.Country,
		"tenantRegion": t.Region, "segment": t.Segment}
}

// oneTimePassword makes a password that meets Entra's complexity rules.
func oneTimePassword() string {
	const (
		upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		lower  = "abcdefghijkmnopqrstuvwxyz"
		digits = "23456789"
	)
	pick := func(set string) byte {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		return set[n.Int64()]
	}
	b := []byte{pick(upper), pick(lower), pick(digits), '!'}
	for range 12 {
		b = append(b, pick(upper+lower+digits))
	}
	return string(b)
}

// Customer is a tenant as one partner sees it.
type Customer struct {
	Tenant       *csp.Tenant
	Relationship *csp.Relationship
}

// GetCustomer reads a customer of the calling partner; a tenant the partner
// has no relationship with answers ECustomerNotFound, exactly like one that
// does not exist.
func (a *App) GetCustomer(ctx context.Context, p csp.Principal, id uuid.UUID) (*Customer, error) {
	if err := p.Can(csp.PermCustomersRead); err != nil {
		return nil, err
	}
	var c *Customer
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		c, err = a.customer(ctx, tx, p, id)
		return err
	})
	return c, err
}

func (a *App) customer(ctx context.Context, tx store.Tx, p csp.Principal, id uuid.UUID) (*Customer, error) {
	rel, err := tx.GetRelationship(ctx, p.PartnerID, id)
	if csp.ErrorCode(err) == csp.ERelationshipNotFound {
		return nil, csp.Errorf(csp.ECustomerNotFound, "customer %s was not found among this partner's customers", id)
	}
	if err != nil {
		return nil, err
	}
	t, err := tx.GetTenant(ctx, id)
	if err != nil {
		return nil, err
	}
	return &Customer{Tenant: t, Relationship: rel}, nil
}

// ListCustomers pages through the calling partner's customers.
func (a *App) ListCustomers(ctx context.Context, p csp.Principal, f store.CustomerFilter) ([]*csp.Tenant, error) {
	if err := p.Can(csp.PermCustomersRead); err != nil {
		return nil, err
	}
	f.PartnerID = p.PartnerID
	var out []*csp.Tenant
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		out, err = tx.ListCustomers(ctx, f)
		return err
	})
	return out, err
}

// DomainTaken reports whether a default domain is used by any tenant.
func (a *App) DomainTaken(ctx context.Context, p csp.Principal, domain string) (bool, error) {
	if err := p.Can(csp.PermCustomersRead); err != nil {
		return false, err
	}
	prefix, err := csp.ParseDomainPrefix(domain)
	if err != nil {
		return false, err
	}
	taken := false
	err = a.store.Read(ctx, func(tx store.Tx) error {
		_, err := tx.GetTenantByDomain(ctx, prefix)
		if csp.ErrorCode(err) == csp.ETenantNotFound {
			return nil
		}
		taken = err == nil
		return err
	})
	return taken, err
}

// SetQualification changes a customer's segment through a Partner Center
// qualification; the partner's sale policy must cover the new segment.
func (a *App) SetQualification(ctx context.Context, p csp.Principal, id uuid.UUID, qualification string) (*csp.Tenant, error) {
	if err := p.Can(csp.PermCustomersWrite); err != nil {
		return nil, err
	}
	seg, err := csp.SegmentForQualification(qualification)
	if err != nil {
		return nil, err
	}
	var t *csp.Tenant
	err = a.store.Write(ctx, func(tx store.Tx) error {
		c, err := a.customer(ctx, tx, p, id)
		if err != nil {
			return err
		}
		t = c.Tenant
		partner, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		if err := partner.CheckSale(t.Country, t.Region, seg); err != nil {
			return err
		}
		before := t.Segment
		if err := tx.SetTenantSegment(ctx, id, seg); err != nil {
			return err
		}
		t.Segment = seg
		return a.audit(ctx, tx, p, csp.AuditRecord{TenantID: &id, CustomerName: t.DisplayName, ResourceType: csp.ResCustomer, OperationType: csp.OpUpdateQualification},
			map[string]any{"qualification": csp.QualificationFor(before), "segment": before}, map[string]any{"qualification": csp.QualificationFor(seg), "segment": seg})
	})
	return t, err
}

// UpdateBillingProfile replaces a customer's billing contact and address,
// as Partner Center's PUT profiles/billing does. The country fixed the
// tenant's region at creation and can never change.
func (a *App) UpdateBillingProfile(ctx context.Context, p csp.Principal, id uuid.UUID, bp csp.BillingProfile, addr csp.Address) (*csp.Tenant, error) {
	if err := p.Can(csp.PermCustomersWrite); err != nil {
		return nil, err
	}
	if strings.TrimSpace(bp.CompanyName) == "" {
		return nil, csp.Errorf(csp.EMissingField, "companyName is required")
	}
	if err := csp.ValidateEmail("email", bp.Email); err != nil {
		return nil, err
	}
	norm, err := csp.ValidateAddress(addr)
	if err != nil {
		return nil, err
	}
	var t *csp.Tenant
	err = a.store.Write(ctx, func(tx store.Tx) error {
		c, err := a.customer(ctx, tx, p, id)
		if err != nil {
			return err
		}
		t = c.Tenant
		if norm.Country != t.Country {
			return csp.Errorf(csp.ECountryImmutable,
				"the customer's country is %s and cannot change to %s: it fixed the tenant's region (%s) at creation (commerce rule R-31); a customer in another country needs a new tenant",
				t.Country, norm.Country, t.Region)
		}
		before := map[string]any{"billingProfile": t.BillingProfile, "defaultAddress": t.Address}
		t.DisplayName, t.BillingProfile, t.Address = strings.TrimSpace(bp.CompanyName), bp, norm
		t.BillingProfile.CompanyName = t.DisplayName
		if err := tx.UpdateTenantProfile(ctx, t); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, csp.AuditRecord{TenantID: &id, CustomerName: t.DisplayName, ResourceType: csp.ResCustomer, OperationType: csp.OpUpdateBillingProfile},
			before, map[string]any{"billingProfile": t.BillingProfile, "defaultAddress": t.Address})
	})
	return t, err
}
