package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// NewAgreement is a partner's attestation that a customer accepted the
// Microsoft Customer Agreement.
type NewAgreement struct {
	Type       string
	TemplateID string
	DateAgreed time.Time
	Contact    csp.Contact
}

// CreateAgreement records an attested MCA for a customer.
func (a *App) CreateAgreement(ctx context.Context, p csp.Principal, customerID uuid.UUID, in NewAgreement) (*csp.Agreement, error) {
	if err := p.Can(csp.PermOrdersWrite); err != nil {
		return nil, err
	}
	if in.Type == "" {
		in.Type = csp.AgreementMCA
	}
	switch {
	case in.Type != csp.AgreementMCA:
		return nil, csp.Errorf(csp.EInvalidAgreement, "type %q is not supported: use %s", in.Type, csp.AgreementMCA)
	case in.TemplateID != csp.MCATemplateID:
		return nil, csp.Errorf(csp.EInvalidAgreement, "templateId %q is not the current Microsoft Customer Agreement: use %s (GET /v1/agreements?agreementType=%s)", in.TemplateID, csp.MCATemplateID, csp.AgreementMCA)
	case in.DateAgreed.IsZero():
		return nil, csp.Errorf(csp.EInvalidAgreement, "dateAgreed is required: when the customer accepted the agreement")
	case in.Contact.FirstName == "" || in.Contact.LastName == "":
		return nil, csp.Errorf(csp.EInvalidAgreement, "primaryContact.firstName and lastName are required: the person who accepted")
	}
	if err := csp.ValidateEmail("primaryContact.email", in.Contact.Email); err != nil {
		return nil, err
	}
	if err := csp.CheckTexts(csp.TextField{Name: "primaryContact.firstName", Value: in.Contact.FirstName, Max: csp.MaxName},
		csp.TextField{Name: "primaryContact.lastName", Value: in.Contact.LastName, Max: csp.MaxName},
		csp.TextField{Name: "primaryContact.phoneNumber", Value: in.Contact.PhoneNumber, Max: csp.MaxShort}); err != nil {
		return nil, err
	}
	var ag *csp.Agreement
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		user := p.UserID
		ag = &csp.Agreement{ID: a.newID(), TenantID: customerID, PartnerID: p.PartnerID, UserID: &user, Type: in.Type, TemplateID: in.TemplateID,
			DateAgreed: in.DateAgreed.UTC(), Contact: in.Contact, CreatedAt: now}
		c, err := a.customer(ctx, tx, p, customerID, true)
		if err != nil {
			return err
		}
		if csp.Day(ag.DateAgreed).Before(csp.Day(c.Tenant.CreatedAt)) {
			return csp.Errorf(csp.EInvalidAgreement, "dateAgreed %s is before the customer's tenant existed (%s): give the day the customer accepted",
				ag.DateAgreed.Format(time.DateOnly), c.Tenant.CreatedAt.Format(time.DateOnly))
		}
		if ag.DateAgreed.After(now) {
			return csp.Errorf(csp.EInvalidAgreement, "dateAgreed %s is in the future", ag.DateAgreed.Format(time.RFC3339))
		}
		if err := tx.CreateAgreement(ctx, ag); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &customerID, CustomerName: c.Tenant.DisplayName, ResourceType: "agreement", OperationType: "create_customer_agreement"}, nil, ag)
	})
	return ag, err
}

// ListAgreements pages through the agreements the partner attested for a customer.
func (a *App) ListAgreements(ctx context.Context, p csp.Principal, customerID uuid.UUID, pg Page[Cursor]) (Paged[*csp.Agreement, Cursor], error) {
	out, err := readForCustomer(ctx, a, p, csp.PermCustomersRead, customerID, func(tx store.Tx) ([]*csp.Agreement, error) {
		return tx.ListAgreements(ctx, store.AgreementFilter{PartnerID: p.PartnerID, TenantID: customerID, After: pg.After.store(), Limit: pg.limit()})
	})
	return paged(out, pg, func(x *csp.Agreement) Cursor { return Cursor{At: x.CreatedAt, ID: x.ID} }), err
}

// readForCustomer checks perm, runs fn in a read transaction once the
// customer is known to be the partner's, and answers what fn read.
func readForCustomer[T any](ctx context.Context, a *App, p csp.Principal, perm csp.Permission, customerID uuid.UUID, fn func(store.Tx) (T, error)) (T, error) {
	var out T
	if err := p.Can(perm); err != nil {
		return out, err
	}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := a.customer(ctx, tx, p, customerID, false); err != nil {
			return err
		}
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// CreateCart stores a cart for a customer; each line is validated and keeps
// its error, as Partner Center does (the cart is created all the same).
func (a *App) CreateCart(ctx context.Context, p csp.Principal, customerID uuid.UUID, lines []csp.CartLine) (*csp.Cart, error) {
	if err := p.Can(csp.PermOrdersWrite); err != nil {
		return nil, err
	}
	if err := checkCartTexts(lines); err != nil {
		return nil, err
	}
	var cart *csp.Cart
	err := a.write(ctx, func(tx store.Tx, now time.Time) (err error) {
		cart, err = a.createCart(ctx, tx, now, p, customerID, lines)
		return err
	})
	return cart, err
}

// createCart is CreateCart's work inside a write transaction (the channel
// planner makes the destination partner's carts with it).
func (a *App) createCart(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, customerID uuid.UUID, lines []csp.CartLine) (*csp.Cart, error) {
	cart, err := a.newCart(ctx, tx, now, p, customerID, lines)
	if err != nil {
		return nil, err
	}
	return cart, tx.CreateCart(ctx, cart)
}

// newCart answers a new cart of p's with the lines checked (each with its
// error, if any), not stored yet.
func (a *App) newCart(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, customerID uuid.UUID, lines []csp.CartLine) (*csp.Cart, error) {
	check, err := a.cartCheck(ctx, tx, now, p, customerID, true)
	if err != nil {
		return nil, err
	}
	cart := &csp.Cart{ID: a.newID(), TenantID: customerID, PartnerID: p.PartnerID, Status: csp.CartActive,
		LastModifiedUser: p.UserPrincipalName, CreatedAt: now, ModifiedAt: now, ExpiresAt: now.Add(csp.CartLifetime)}
	if cart.Lines, _, err = checkLines(ctx, tx, check, lines); err != nil {
		return nil, err
	}
	return cart, nil
}

// UpdateCart replaces a cart's lines (PUT). ifMatch, when set, must be the
// cart's etag.
func (a *App) UpdateCart(ctx context.Context, p csp.Principal, customerID, cartID uuid.UUID, lines []csp.CartLine, ifMatch string) (*csp.Cart, error) {
	if err := p.Can(csp.PermOrdersWrite); err != nil {
		return nil, err
	}
	if err := checkCartTexts(lines); err != nil {
		return nil, err
	}
	var cart *csp.Cart
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		check, err := a.cartCheck(ctx, tx, now, p, customerID, true)
		if err != nil {
			return err
		}
		if cart, err = a.activeCart(ctx, tx, now, p, customerID, cartID, ifMatch); err != nil {
			return err
		}
		if cart.Lines, _, err = checkLines(ctx, tx, check, lines); err != nil {
			return err
		}
		cart.ModifiedAt, cart.LastModifiedUser = now, p.UserPrincipalName
		return tx.UpdateCart(ctx, cart)
	})
	return cart, err
}

// checkCartTexts bounds the texts of cart lines.
func checkCartTexts(lines []csp.CartLine) error {
	for i, l := range lines {
		f := func(name string) string { return fmt.Sprintf("lineItems[%d].%s", i, name) }
		fields := []csp.TextField{{Name: f("catalogItemId"), Value: l.CatalogItemID, Max: csp.MaxName}, {Name: f("friendlyName"), Value: l.FriendlyName, Max: csp.MaxFriendlyName},
			{Name: f("termDuration"), Value: l.TermDuration, Max: csp.MaxShort}, {Name: f("billingCycle"), Value: l.BillingCycle, Max: csp.MaxShort},
			{Name: f("orderGroup"), Value: l.OrderGroup, Max: csp.MaxShort}}
		for j, pt := range l.Participants {
			fields = append(fields, csp.TextField{Name: f(fmt.Sprintf("participants[%d].key", j)), Value: pt.Key, Max: csp.MaxShort},
				csp.TextField{Name: f(fmt.Sprintf("participants[%d].value", j)), Value: pt.Value, Max: csp.MaxShort})
		}
		if err := csp.CheckTexts(fields...); err != nil {
			return err
		}
	}
	return nil
}

// GetCart reads a cart of the partner's customer.
func (a *App) GetCart(ctx context.Context, p csp.Principal, customerID, cartID uuid.UUID) (*csp.Cart, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	var cart *csp.Cart
	err := a.read(ctx, func(tx store.Tx, now time.Time) (err error) {
		cart, err = a.ownCart(ctx, tx, now, p, customerID, cartID, false)
		return err
	})
	return cart, err
}

// ownCart reads a cart of the partner's customer, locking it (after the
// relationship, which the caller locked) when lock is set.
func (a *App) ownCart(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, customerID, cartID uuid.UUID, lock bool) (*csp.Cart, error) {
	if _, err := a.customer(ctx, tx, p, customerID, lock); err != nil {
		return nil, err
	}
	get := tx.GetCart
	if lock {
		get = tx.LockCart
	}
	cart, err := get(ctx, cartID)
	if csp.ErrorCode(err) == csp.ECartNotFound || (err == nil && (cart.PartnerID != p.PartnerID || cart.TenantID != customerID)) {
		return nil, csp.Errorf(csp.ECartNotFound, "cart %s was not found for customer %s", cartID, customerID)
	}
	if err != nil {
		return nil, err
	}
	if cart.Status == csp.CartActive && !now.Before(cart.ExpiresAt) {
		cart.Status = csp.CartExpired
	}
	return cart, nil
}

// activeCart locks a cart to change it: it must be active and, when
// ifMatch is set, still at that etag.
func (a *App) activeCart(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, customerID, cartID uuid.UUID, ifMatch string) (*csp.Cart, error) {
	cart, err := a.ownCart(ctx, tx, now, p, customerID, cartID, true)
	if err != nil {
		return nil, err
	}
	if err := csp.CheckETag("cart", cart.ID, cart.Version, ifMatch); err != nil {
		return nil, err
	}
	if cart.Status != csp.CartActive {
		return nil, csp.Errorf(csp.ECartNotActive, "cart %s is %s: create a new cart", cartID, strings.ToLower(cart.Status))
	}
	return cart, nil
}

// CheckoutResult is Partner Center's CartCheckoutResult.
type CheckoutResult struct {
	Orders        []*csp.Order
	Subscriptions []*csp.Subscription
}

// Checkout turns a cart into orders and the subscriptions they provision.
// Every line must be valid (400 otherwise, naming the lines) and
// the customer must have an attested Microsoft Customer Agreement.
// Lines are grouped into one order per orderGroup and billing cycle. The
// relationship and then the cart are locked first: two checkouts of one
// cart, or a checkout and the relationship's removal, run one after
// the other. ifMatch, when set, must be the cart's etag.
func (a *App) Checkout(ctx context.Context, p csp.Principal, customerID, cartID uuid.UUID, ifMatch string) (*CheckoutResult, error) {
	if err := p.Can(csp.PermOrdersWrite); err != nil {
		return nil, err
	}
	var res *CheckoutResult
	var lineErr error
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		res, lineErr = nil, nil
		check, err := a.cartCheck(ctx, tx, now, p, customerID, true)
		if err != nil {
			return err
		}
		cart, err := a.activeCart(ctx, tx, now, p, customerID, cartID, ifMatch)
		if err != nil {
			return err
		}
		if len(cart.Lines) == 0 {
			return csp.Errorf(csp.ECartEmpty, "cart %s has no line items", cartID)
		}
		ags, err := tx.ListAgreements(ctx, store.AgreementFilter{PartnerID: p.PartnerID, TenantID: customerID, Limit: 1})
		if err != nil {
			return err
		}
		if len(ags) == 0 {
			return csp.Errorf(csp.ENoAgreement,
				"customer %s has no attested Microsoft Customer Agreement (commerce rule R-33): record the customer's acceptance with POST /v1/customers/%s/agreements, then check out again", customerID, customerID)
		}
		var checked map[int]csp.CheckedLine
		if cart.Lines, checked, err = checkLines(ctx, tx, check, cart.Lines); err != nil {
			return err
		}
		var bad []string
		for _, l := range cart.Lines {
			if l.Error != nil {
				bad = append(bad, fmt.Sprintf("line %d: %s", l.ID, l.Error.ErrorCode))
			}
		}
		if len(bad) > 0 {
			// Refuse and write nothing: the cart keeps the errors its last
			// create or update found; the answer names the current ones.
			lineErr = csp.Errorf(csp.ECartLineErrors, "cart %s has line items in error (%s): fix them with PUT on the cart, then check out", cartID, strings.Join(bad, "; ")).WithData(bad...)
			return nil
		}
		res, err = a.placeOrders(ctx, tx, now, p, check, checked, cart)
		if err != nil {
			return err
		}
		cart.Status, cart.ModifiedAt = csp.CartOrdered, now
		return tx.UpdateCart(ctx, cart)
	})
	if err == nil && lineErr != nil {
		err = lineErr
	}
	return res, err
}

func (a *App) placeOrders(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, check csp.CartCheck, checked map[int]csp.CheckedLine, cart *csp.Cart) (*CheckoutResult, error) {
	placed, err := csp.PlaceOrders(cart, checked, check.Currency, now, a.newID)
	if err != nil {
		return nil, err
	}
	for i, sub := range placed.Subscriptions {
		if err := tx.CreateSubscription(ctx, sub); err != nil {
			return nil, err
		}
		if err := a.record(ctx, tx, sub.ID, placed.Events[i]); err != nil {
			return nil, err
		}
	}
	for _, o := range placed.Orders {
		if err := tx.CreateOrder(ctx, o); err != nil {
			return nil, err
		}
		total, err := o.Total()
		if err != nil {
			return nil, err
		}
		if err := a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &o.TenantID, CustomerName: check.Customer.Tenant.DisplayName, ResourceType: "order", OperationType: "create_order"},
			nil, map[string]any{"orderId": o.ID, "lines": len(o.Lines), "total": total.Amount.StringFixed(2), "currency": o.Currency}); err != nil {
			return nil, err
		}
	}
	return &CheckoutResult{Orders: placed.Orders, Subscriptions: placed.Subscriptions}, nil
}

// ListOrders pages through the partner's orders for a customer, oldest first.
func (a *App) ListOrders(ctx context.Context, p csp.Principal, customerID uuid.UUID, pg Page[Cursor]) (Paged[*csp.Order, Cursor], error) {
	out, err := readForCustomer(ctx, a, p, csp.PermSubscriptionsRead, customerID, func(tx store.Tx) ([]*csp.Order, error) {
		return tx.ListOrders(ctx, store.OrderFilter{PartnerID: p.PartnerID, TenantID: customerID, After: pg.After.store(), Limit: pg.limit()})
	})
	return paged(out, pg, func(o *csp.Order) Cursor { return Cursor{At: o.CreatedAt, ID: o.ID} }), err
}

// GetOrder reads one of the partner's orders for a customer.
func (a *App) GetOrder(ctx context.Context, p csp.Principal, customerID, orderID uuid.UUID) (*csp.Order, error) {
	return readForCustomer(ctx, a, p, csp.PermSubscriptionsRead, customerID, func(tx store.Tx) (*csp.Order, error) {
		o, err := tx.GetOrder(ctx, orderID)
		if err == nil && (o.PartnerID != p.PartnerID || o.TenantID != customerID) {
			err = csp.Errorf(csp.EOrderNotFound, "order %s was not found for customer %s", orderID, customerID)
		}
		return o, err
	})
}

// partnerSells reports whether a partner may transact (indirect resellers
// buy through their provider, R-32).
func partnerSells(p *csp.Partner) error {
	if p.Type == csp.PartnerIndirectReseller {
		return csp.Errorf(csp.EResellerCannotTransact, "partner %s is an indirect reseller: it cannot buy from Microsoft; its indirect provider orders and names it as partner of record (commerce rule R-32)", p.Name)
	}
	return nil
}
