package app

import (
	"context"
	"crypto/rand"
	"math/big"
	"strings"
	"time"

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
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
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
		out, err = a.createTenant(ctx, tx, now, in.NewTenant, prefix, addr, region, seg)
		if err != nil {
			return err
		}
		for _, s := range sellers {
			rel := csp.Relationship{PartnerID: s.ID, TenantID: out.Tenant.ID, Type: csp.RelationshipTypeFor(s.Type), Since: now,
				Profile: out.Tenant.Profile(), Version: 1}
			if err := tx.CreateRelationship(ctx, rel); err != nil {
				return err
			}
			out.Relationships = append(out.Relationships, rel)
			if err := a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: &s.ID, TenantID: &out.Tenant.ID, CustomerName: out.Tenant.DisplayName,
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
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		var err error
		if out, err = a.createTenant(ctx, tx, now, in, prefix, addr, region, seg); err != nil {
			return err
		}
		u, err := tx.GetTenantUserByUPN(ctx, out.Tenant.ID, out.AdminUPN)
		if err != nil {
			return err
		}
		k, err := a.mintKey(ctx, tx, now, store.Key{Kind: csp.PrincipalTenant, UserID: &u.ID, TenantID: &out.Tenant.ID, Description: u.UserPrincipalName})
		out.AdminKey = &k
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &out.Tenant.ID, CustomerName: out.Tenant.DisplayName, ResourceType: csp.ResCustomer, OperationType: csp.OpAddCustomer},
			nil, customerAudit(out.Tenant))
	})
	return out, err
}

// createTenant stores a validated tenant and its global administrator.
func (a *App) createTenant(ctx context.Context, tx store.Tx, now time.Time, in csp.NewTenant, prefix string, addr csp.Address, region csp.Region, seg csp.Segment) (*CreatedTenant, error) {
	t := &csp.Tenant{ID: a.newID(), CommerceID: a.newID(), DisplayName: strings.TrimSpace(in.CompanyName), DomainPrefix: prefix,
		Country: addr.Country, Region: region, Segment: seg, Address: addr, BillingProfile: in.BillingProfile,
		OrgRegNumber: in.OrgRegNumber, CreatedAt: now}
	t.BillingProfile.CompanyName = t.DisplayName
	if err := tx.CreateTenant(ctx, t); err != nil {
		return nil, err
	}
	admin := &csp.TenantUser{ID: a.newID(), TenantID: t.ID, UserPrincipalName: "admin@" + t.DefaultDomain(), DisplayName: "Global Administrator", MailNickname: "admin",
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

// GetCustomer reads a customer of the calling partner, as the partner sees
// it; a tenant the partner has no relationship with answers
// ECustomerNotFound, exactly like one that does not exist.
func (a *App) GetCustomer(ctx context.Context, p csp.Principal, id uuid.UUID) (*csp.Customer, error) {
	if err := p.Can(csp.PermCustomersRead); err != nil {
		return nil, err
	}
	var c *csp.Customer
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		c, err = a.customer(ctx, tx, p, id, false)
		return err
	})
	return c, err
}

// customer reads a customer of the calling partner. With lock set (every
// write about a partner's customer) the relationship row is locked first,
// so that the partner's writes about one customer run one after the other,
// and a relationship removal cannot interleave with them.
func (a *App) customer(ctx context.Context, tx store.Tx, p csp.Principal, id uuid.UUID, lock bool) (*csp.Customer, error) {
	c, err := tx.GetCustomer(ctx, p.PartnerID, id, lock)
	if csp.ErrorCode(err) == csp.ERelationshipNotFound {
		return nil, csp.Errorf(csp.ECustomerNotFound, "customer %s was not found among this partner's customers", id)
	}
	return c, err
}

// changeCustomer locks a customer of the calling partner to change it and,
// when ifMatch is set, checks that it still has that etag.
func (a *App) changeCustomer(ctx context.Context, tx store.Tx, p csp.Principal, id uuid.UUID, ifMatch string) (*csp.Customer, error) {
	c, err := a.customer(ctx, tx, p, id, true)
	if err != nil {
		return nil, err
	}
	// c.ETag() is the etag of this version number.
	return c, csp.CheckETag("customer", id, c.Tenant.Version+c.Relationship.Version, ifMatch)
}

// ListCustomers pages through the calling partner's customers, by the
// partner's company name then tenant id.
func (a *App) ListCustomers(ctx context.Context, p csp.Principal, f CustomerQuery, pg Page[CustomerCursor]) (Paged[*csp.Customer, CustomerCursor], error) {
	if err := p.Can(csp.PermCustomersRead); err != nil {
		return Paged[*csp.Customer, CustomerCursor]{}, err
	}
	if err := csp.CheckTexts(csp.TextField{Name: "q", Value: f.Search, Max: csp.MaxSearch}, csp.TextField{Name: "filter.Value", Value: f.NamePrefix, Max: csp.MaxSearch},
		csp.TextField{Name: "filter.Value", Value: f.DomainPrefix, Max: csp.MaxSearch}); err != nil {
		return Paged[*csp.Customer, CustomerCursor]{}, err
	}
	var out []*csp.Customer
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.ListCustomers(ctx, store.CustomerFilter{PartnerID: p.PartnerID, NamePrefix: f.NamePrefix, DomainPrefix: f.DomainPrefix,
			Search: f.Search, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, func(c *csp.Customer) CustomerCursor {
		return CustomerCursor{NameKey: store.NameKey(c.Tenant.DisplayName), TenantID: c.Tenant.ID}
	}), err
}

// CustomerQuery filters a partner's customers.
type CustomerQuery struct {
	NamePrefix   string // company name starts with (case-insensitive)
	DomainPrefix string // default domain starts with
	Search       string // name or domain contains, or tenant id equals
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
	err = a.read(ctx, func(tx store.Tx, _ time.Time) error {
		_, err := tx.GetTenantByDomain(ctx, prefix)
		if csp.ErrorCode(err) == csp.ETenantNotFound {
			return nil
		}
		taken = err == nil
		return err
	})
	return taken, err
}

// UpdateBillingProfile replaces the calling partner's record of its
// customer's company name, billing contact and address, as Partner Center's
// PUT profiles/billing does. It changes nothing another partner of the
// tenant sees, nor the tenant's own profile. The country fixed the tenant's
// region at creation and can never change (R-31). ifMatch, when set, must
// be the customer's etag (else EPreconditionFailed).
func (a *App) UpdateBillingProfile(ctx context.Context, p csp.Principal, id uuid.UUID, bp csp.BillingProfile, addr csp.Address, ifMatch string) (*csp.Customer, error) {
	if err := p.Can(csp.PermCustomersWrite); err != nil {
		return nil, err
	}
	if strings.TrimSpace(bp.CompanyName) == "" {
		return nil, csp.Errorf(csp.EMissingField, "companyName is required")
	}
	if err := bp.Check(""); err != nil {
		return nil, err
	}
	if err := csp.ValidateEmail("email", bp.Email); err != nil {
		return nil, err
	}
	norm, err := csp.ValidateAddress(addr)
	if err != nil {
		return nil, err
	}
	var c *csp.Customer
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		var err error
		if c, err = a.changeCustomer(ctx, tx, p, id, ifMatch); err != nil {
			return err
		}
		t := c.Tenant
		if norm.Country != t.Country {
			return csp.Errorf(csp.ECountryImmutable,
				"the customer's country is %s and cannot change to %s: it fixed the tenant's region (%s) at creation (commerce rule R-31); a customer in another country needs a new tenant",
				t.Country, norm.Country, t.Region)
		}
		before := map[string]any{"billingProfile": t.BillingProfile, "defaultAddress": t.Address}
		prof := csp.CustomerProfile{CompanyName: strings.TrimSpace(bp.CompanyName), BillingProfile: bp, Address: norm}
		prof.BillingProfile.CompanyName = prof.CompanyName
		if err := tx.UpdateCustomerProfile(ctx, p.PartnerID, id, prof); err != nil {
			return err
		}
		c.Relationship.Profile, c.Relationship.Version = prof, c.Relationship.Version+1
		c = csp.NewCustomer(*t, c.Relationship)
		return a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &id, CustomerName: c.Tenant.DisplayName, ResourceType: csp.ResCustomer, OperationType: csp.OpUpdateBillingProfile},
			before, map[string]any{"billingProfile": c.Tenant.BillingProfile, "defaultAddress": c.Tenant.Address})
	})
	return c, err
}
