package app

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// invitationPath is where a reseller invitation link points on this server.
const invitationPath = "/invitations/reseller"

// InvitationURL answers the calling partner's reseller relationship link: an
// absolute URL on this server naming the partner (and, for an indirect
// reseller, its provider) that a tenant's admin accepts.
func (a *App) InvitationURL(ctx context.Context, p csp.Principal) (string, error) {
	if err := p.Can(csp.PermCustomersWrite); err != nil {
		return "", err
	}
	var partner *csp.Partner
	if err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		partner, err = tx.GetPartner(ctx, p.PartnerID)
		return err
	}); err != nil {
		return "", err
	}
	q := url.Values{"partnerId": {partner.ID.String()}}
	if partner.ProviderID != nil {
		q.Set("indirectProviderId", partner.ProviderID.String())
	}
	return strings.TrimRight(a.BaseURL, "/") + invitationPath + "?" + q.Encode(), nil
}

// PartnerOfTenant is one of a tenant's partners as the tenant sees it.
type PartnerOfTenant struct {
	Partner      *csp.Partner
	Relationship csp.Relationship
}

// AcceptInvitation makes the partner named in an invitation link a reseller
// of the caller's tenant (and its provider, for an indirect reseller). Each
// partner's markets and sale policy must cover the tenant.
func (a *App) AcceptInvitation(ctx context.Context, p csp.Principal, invitationURL string) ([]PartnerOfTenant, error) {
	if err := requireTenantAdmin(p); err != nil {
		return nil, err
	}
	partnerID, err := a.parseInvitation(invitationURL)
	if err != nil {
		return nil, err
	}
	var out []PartnerOfTenant
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		out = nil
		t, err := tx.LockTenant(ctx, p.TenantID)
		if err != nil {
			return err
		}
		partner, err := tx.GetPartner(ctx, partnerID)
		if csp.ErrorCode(err) == csp.EPartnerNotFound {
			return csp.Errorf(csp.EInvalidInvitation, "the invitation names partner %s, which does not exist: ask the partner for a new link", partnerID)
		}
		if err != nil {
			return err
		}
		partners := []*csp.Partner{partner}
		if partner.ProviderID != nil {
			prov, err := tx.GetPartner(ctx, *partner.ProviderID)
			if err != nil {
				return err
			}
			partners = append(partners, prov)
		}
		for _, s := range partners {
			if err := s.CheckSale(t.Country, t.Region, t.Segment); err != nil {
				return err
			}
		}
		for i, s := range partners {
			rel := csp.Relationship{PartnerID: s.ID, TenantID: t.ID, Type: csp.RelationshipTypeFor(s.Type), Since: now, Profile: t.Profile(), Version: 1}
			err := tx.CreateRelationship(ctx, rel)
			if i > 0 && csp.ErrorCode(err) == csp.ERelationshipExists {
				continue // the provider already serves this tenant
			}
			if err != nil {
				return err
			}
			out = append(out, PartnerOfTenant{Partner: s, Relationship: rel})
			if err := a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: &s.ID, TenantID: &t.ID, CustomerName: t.DisplayName,
				ResourceType: csp.ResRelationship, OperationType: csp.OpAddRelationship}, nil, rel); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// InvitationPartners previews an invitation link for a tenant's admin: the
// partners that accepting it would add (the reseller, then its provider).
func (a *App) InvitationPartners(ctx context.Context, p csp.Principal, invitationURL string) ([]*csp.Partner, error) {
	if err := requireTenantAdmin(p); err != nil {
		return nil, err
	}
	partnerID, err := a.parseInvitation(invitationURL)
	if err != nil {
		return nil, err
	}
	var out []*csp.Partner
	err = a.read(ctx, func(tx store.Tx, _ time.Time) error {
		partner, err := tx.GetPartner(ctx, partnerID)
		if csp.ErrorCode(err) == csp.EPartnerNotFound {
			return csp.Errorf(csp.EInvalidInvitation, "the invitation names partner %s, which does not exist: ask the partner for a new link", partnerID)
		}
		if err != nil {
			return err
		}
		out = append(out, partner)
		if partner.ProviderID != nil {
			prov, err := tx.GetPartner(ctx, *partner.ProviderID)
			if err != nil {
				return err
			}
			out = append(out, prov)
		}
		return nil
	})
	return out, err
}

// parseInvitation reads the partner id of an invitation link of this
// server: a link on another host (or scheme) is refused, whatever partner
// it names.
func (a *App) parseInvitation(raw string) (uuid.UUID, error) {
	if err := csp.CheckText("invitationUrl", raw, csp.MaxURL); err != nil {
		return uuid.Nil, err
	}
	bad := csp.Errorf(csp.EInvalidInvitation, "invitationUrl %q is not a reseller invitation link of this server (%s): use the url a partner got from GET /v1/customers/relationshiprequests", raw, a.BaseURL)
	if strings.TrimSpace(raw) == "" {
		return uuid.Nil, csp.Errorf(csp.EMissingField, "invitationUrl is required: the link a partner got from GET /v1/customers/relationshiprequests")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	base, berr := url.Parse(a.BaseURL)
	if err != nil || berr != nil || !strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) ||
		strings.TrimRight(u.Path, "/") != strings.TrimRight(base.Path, "/")+invitationPath {
		return uuid.Nil, bad
	}
	id, err := uuid.Parse(u.Query().Get("partnerId"))
	if err != nil {
		return uuid.Nil, bad
	}
	return id, nil
}

// TenantPartners lists the caller's tenant's partners.
func (a *App) TenantPartners(ctx context.Context, p csp.Principal) ([]PartnerOfTenant, error) {
	if p.Kind != csp.PrincipalTenant {
		return nil, csp.Errorf(csp.EWrongAPI, "only a customer's users may call the customer API")
	}
	var out []PartnerOfTenant
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tenantPartners(ctx, tx, p.TenantID)
		return err
	})
	return out, err
}

func tenantPartners(ctx context.Context, tx store.Tx, tenantID uuid.UUID) ([]PartnerOfTenant, error) {
	rels, err := tx.TenantRelationships(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]PartnerOfTenant, 0, len(rels))
	for _, r := range rels {
		part, err := tx.GetPartner(ctx, r.PartnerID)
		if err != nil {
			return nil, err
		}
		out = append(out, PartnerOfTenant{Partner: part, Relationship: r})
	}
	return out, nil
}

// RemovePartner ends a partner's relationship with the caller's tenant. It
// is refused while the partner has live subscriptions on the tenant;
// the tenant and all its data stay the customer's.
func (a *App) RemovePartner(ctx context.Context, p csp.Principal, partnerID uuid.UUID) error {
	if err := requireTenantAdmin(p); err != nil {
		return err
	}
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		return a.removeRelationship(ctx, tx, now, p, partnerID, p.TenantID)
	})
}

// RemoveCustomerRelationship is the partner side of the same act: Partner
// Center's PATCH customer with relationshipToPartner "none". It answers the
// customer as it was. ifMatch, when set, must be the customer's etag.
func (a *App) RemoveCustomerRelationship(ctx context.Context, p csp.Principal, tenantID uuid.UUID, ifMatch string) (*csp.Customer, error) {
	if err := p.Can(csp.PermCustomersWrite); err != nil {
		return nil, err
	}
	var c *csp.Customer
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		var err error
		if c, err = a.changeCustomer(ctx, tx, p, tenantID, ifMatch); err != nil {
			return err
		}
		return a.removeRelationship(ctx, tx, now, p, p.PartnerID, tenantID)
	})
	return c, err
}

// removeRelationship ends a relationship once no live subscription holds
// it. The relationship row is locked first, as every checkout and
// subscription change of the partner on this customer locks it: a purchase
// either commits before the count (and is counted) or finds the
// relationship gone.
func (a *App) removeRelationship(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, partnerID, tenantID uuid.UUID) error {
	c, err := tx.GetCustomer(ctx, partnerID, tenantID, true)
	if err != nil {
		return err
	}
	rel := c.Relationship
	n, err := tx.LiveSubscriptionCount(ctx, partnerID, tenantID)
	if err != nil {
		return err
	}
	if n > 0 {
		return a.partnerHasLiveSubscriptions(ctx, tx, partnerID, tenantID, n)
	}
	if err := tx.DeleteRelationship(ctx, partnerID, tenantID); err != nil {
		return err
	}
	return a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: &partnerID, TenantID: &tenantID, CustomerName: c.Tenant.DisplayName,
		ResourceType: csp.ResRelationship, OperationType: csp.OpRemoveRelationship}, rel, nil)
}

// TenantSubscriptions pages through every subscription of the caller's
// tenant, from every partner and channel, oldest first.
func (a *App) TenantSubscriptions(ctx context.Context, p csp.Principal, pg Page[Cursor]) (Paged[*csp.Subscription, Cursor], error) {
	if p.Kind != csp.PrincipalTenant {
		return Paged[*csp.Subscription, Cursor]{}, csp.Errorf(csp.EWrongAPI, "only a customer's users may call the customer API")
	}
	var out []*csp.Subscription
	err := a.read(ctx, func(tx store.Tx, now time.Time) error {
		viaCSP, err := tx.ListSubscriptions(ctx, store.SubscriptionFilter{TenantID: &p.TenantID, After: pg.After.store(), Limit: pg.limit()})
		if err != nil {
			return err
		}
		set, err := a.catalogIn(ctx, tx)
		if err != nil {
			return err
		}
		held, err := tx.ListChannelSubscriptions(ctx, store.ChannelFilter{TenantID: p.TenantID, After: pg.After.store(), Limit: pg.limit()})
		channels := make([]*csp.Subscription, len(held))
		for i, s := range held {
			channels[i] = s.AsSubscription(set.msft, now)
		}
		out = mergeSubscriptions(viaCSP, channels, pg.limit())
		return err
	})
	return paged(out, pg, subscriptionCursor), err
}

func subscriptionCursor(s *csp.Subscription) Cursor {
	return Cursor{At: s.CreatedAt, ID: s.ID}
}

// OwnTenant reads the caller's tenant.
func (a *App) OwnTenant(ctx context.Context, p csp.Principal) (*csp.Tenant, error) {
	if p.Kind != csp.PrincipalTenant {
		return nil, csp.Errorf(csp.EWrongAPI, "only a customer's users may call the customer API")
	}
	var t *csp.Tenant
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		t, err = tx.GetTenant(ctx, p.TenantID)
		return err
	})
	return t, err
}
