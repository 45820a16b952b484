package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

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
	ag := &csp.Agreement{ID: uuid.Must(uuid.NewV7()), TenantID: customerID, PartnerID: p.PartnerID, Type: in.Type, TemplateID: in.TemplateID,
		DateAgreed: in.DateAgreed.UTC(), Contact: in.Contact, CreatedAt: a.Now()}
	err := a.store.Write(ctx, func(tx store.Tx) error {
		c, err := a.customer(ctx, tx, p, customerID)
		if err != nil {
			return err
		}
		if ag.DateAgreed.After(a.Now()) {
			return csp.Errorf(csp.EInvalidAgreement, "dateAgreed %s is in the future", ag.DateAgreed.Format(time.RFC3339))
		}
		if err := tx.CreateAgreement(ctx, ag); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, csp.AuditRecord{TenantID: &customerID, CustomerName: c.Tenant.DisplayName, ResourceType: "agreement", OperationType: "create_customer_agreement"}, nil, ag)
	})
	return ag, err
}

// ListAgreements lists the agreements the partner attested for a customer.
func (a *App) ListAgreements(ctx context.Context, p csp.Principal, customerID uuid.UUID) ([]*csp.Agreement, error) {
	return readForCustomer(ctx, a, p, csp.PermCustomersRead, customerID, func(tx store.Tx) ([]*csp.Agreement, error) {
		return tx.ListAgreements(ctx, p.PartnerID, customerID)
	})
}

// readForCustomer checks perm, runs fn in a read transaction once the
// customer is known to be the partner's, and answers what fn read.
func readForCustomer[T any](ctx context.Context, a *App, p csp.Principal, perm csp.Permission, customerID uuid.UUID, fn func(store.Tx) (T, error)) (T, error) {
	var out T
	if err := p.Can(perm); err != nil {
		return out, err
	}
	err := a.store.Read(ctx, func(tx store.Tx) error {
		if _, err := a.customer(ctx, tx, p, customerID); err != nil {
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
	var cart *csp.Cart
	err := a.store.Write(ctx, func(tx store.Tx) error {
		v, err := a.cartValidator(ctx, tx, p, customerID)
		if err != nil {
			return err
		}
		now := a.Now()
		cart = &csp.Cart{ID: uuid.Must(uuid.NewV7()), TenantID: customerID, PartnerID: p.PartnerID, Status: csp.CartActive,
			LastModifiedUser: p.UserPrincipalName, CreatedAt: now, ModifiedAt: now, ExpiresAt: now.Add(csp.CartLifetime)}
		if cart.Lines, err = v.validate(ctx, lines); err != nil {
			return err
		}
		return tx.CreateCart(ctx, cart)
	})
	return cart, err
}

// UpdateCart replaces a cart's lines (PUT).
func (a *App) UpdateCart(ctx context.Context, p csp.Principal, customerID, cartID uuid.UUID, lines []csp.CartLine) (*csp.Cart, error) {
	if err := p.Can(csp.PermOrdersWrite); err != nil {
		return nil, err
	}
	var cart *csp.Cart
	err := a.store.Write(ctx, func(tx store.Tx) error {
		v, err := a.cartValidator(ctx, tx, p, customerID)
		if err != nil {
			return err
		}
		if cart, err = a.activeCart(ctx, tx, p, customerID, cartID); err != nil {
			return err
		}
		if cart.Lines, err = v.validate(ctx, lines); err != nil {
			return err
		}
		cart.ModifiedAt, cart.LastModifiedUser = a.Now(), p.UserPrincipalName
		return tx.UpdateCart(ctx, cart)
	})
	return cart, err
}

// GetCart reads a cart of the partner's customer.
func (a *App) GetCart(ctx context.Context, p csp.Principal, customerID, cartID uuid.UUID) (*csp.Cart, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	var cart *csp.Cart
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		cart, err = a.ownCart(ctx, tx, p, customerID, cartID)
		return err
	})
	return cart, err
}

func (a *App) ownCart(ctx context.Context, tx store.Tx, p csp.Principal, customerID, cartID uuid.UUID) (*csp.Cart, error) {
	if _, err := a.customer(ctx, tx, p, customerID); err != nil {
		return nil, err
	}
	cart, err := tx.GetCart(ctx, cartID)
	if err != nil || cart.PartnerID != p.PartnerID || cart.TenantID != customerID {
		return nil, csp.Errorf(csp.ECartNotFound, "cart %s was not found for customer %s", cartID, customerID)
	}
	if cart.Status == csp.CartActive && !a.Now().Before(cart.ExpiresAt) {
		cart.Status = csp.CartExpired
	}
	return cart, nil
}

func (a *App) activeCart(ctx context.Context, tx store.Tx, p csp.Principal, customerID, cartID uuid.UUID) (*csp.Cart, error) {
	cart, err := a.ownCart(ctx, tx, p, customerID, cartID)
	if err != nil {
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
// Lines are grouped into one order per orderGroup and billing cycle.
func (a *App) Checkout(ctx context.Context, p csp.Principal, customerID, cartID uuid.UUID) (*CheckoutResult, error) {
	if err := p.Can(csp.PermOrdersWrite); err != nil {
		return nil, err
	}
	var res *CheckoutResult
	var lineErr error
	err := a.store.Write(ctx, func(tx store.Tx) error {
		v, err := a.cartValidator(ctx, tx, p, customerID)
		if err != nil {
			return err
		}
		cart, err := a.activeCart(ctx, tx, p, customerID, cartID)
		if err != nil {
			return err
		}
		if len(cart.Lines) == 0 {
			return csp.Errorf(csp.ECartEmpty, "cart %s has no line items", cartID)
		}
		ags, err := tx.ListAgreements(ctx, p.PartnerID, customerID)
		if err != nil {
			return err
		}
		if len(ags) == 0 {
			return csp.Errorf(csp.ENoAgreement,
				"customer %s has no attested Microsoft Customer Agreement (commerce rule R-33): record the customer's acceptance with POST /v1/customers/%s/agreements, then check out again", customerID, customerID)
		}
		if cart.Lines, err = v.validate(ctx, cart.Lines); err != nil {
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
		res, err = a.placeOrders(ctx, tx, p, v, cart)
		if err != nil {
			return err
		}
		cart.Status, cart.ModifiedAt = csp.CartOrdered, a.Now()
		return tx.UpdateCart(ctx, cart)
	})
	if err == nil && lineErr != nil {
		err = lineErr
	}
	return res, err
}

func (a *App) placeOrders(ctx context.Context, tx store.Tx, p csp.Principal, v *cartValidator, cart *csp.Cart) (*CheckoutResult, error) {
	now := a.Now()
	res := &CheckoutResult{}
	groups := map[string]*csp.Order{}
	var order []string
	for _, l := range cart.Lines {
		key := l.OrderGroup + "|" + strings.ToLower(l.BillingCycle)
		o, ok := groups[key]
		if !ok {
			o = &csp.Order{ID: uuid.Must(uuid.NewV7()), TenantID: cart.TenantID, PartnerID: p.PartnerID, Currency: v.currency,
				BillingCycle: strings.ToLower(l.BillingCycle), Status: "completed", TransactionType: "UserPurchase", CreatedAt: now}
			groups[key] = o
			order = append(order, key)
		}
		item := v.resolved[l.ID]
		sub := &csp.Subscription{ID: uuid.New(), TenantID: cart.TenantID, PartnerID: &p.PartnerID, Channel: csp.ChannelCSP, OrderID: &o.ID,
			ResellerMpnID: v.reseller[l.ID], ProductID: item.Product.ID, SkuID: item.Sku.ID, AvailabilityID: item.Availability.ID,
			ProductName: item.Product.Title, OfferName: item.Sku.Title, FriendlyName: l.FriendlyName, UnitType: item.Sku.UnitType,
			Quantity: l.Quantity, IsTrial: item.Sku.IsTrial, PartnerService: item.Product.PartnerID != nil, AutoRenew: !item.Sku.IsTrial && item.Product.ProductType != "Azure",
			TermDuration: strings.ToUpper(l.TermDuration), BillingCycle: strings.ToLower(l.BillingCycle), Currency: v.currency, UnitPrice: v.price[l.ID]}
		if sub.FriendlyName == "" {
			sub.FriendlyName = item.Sku.Title
		}
		if item.Product.ProductType == "Azure" {
			sub.TermDuration = ""
		}
		ev := sub.Purchase(now, l.CustomTermEndDate)
		ev.Changes["orderId"], ev.Changes["catalogItemId"] = o.ID, l.CatalogItemID
		if err := tx.CreateSubscription(ctx, sub); err != nil {
			return nil, err
		}
		if err := tx.AddEvent(ctx, sub.ID, ev); err != nil {
			return nil, err
		}
		prorated := decimal.Zero
		for _, c := range ev.Charges {
			prorated = prorated.Add(c.Subtotal)
		}
		o.ResellerMpnID = sub.ResellerMpnID
		o.Lines = append(o.Lines, csp.OrderLine{LineNumber: len(o.Lines), OfferID: l.CatalogItemID, SubscriptionID: sub.ID,
			TermDuration: sub.TermDuration, BillingCycle: sub.BillingCycle, FriendlyName: sub.FriendlyName, Quantity: sub.Quantity,
			PartnerIDOnRecord: sub.ResellerMpnID, CustomTermEndDate: l.CustomTermEndDate, ListPrice: sub.UnitPrice, ProratedPrice: prorated})
		res.Subscriptions = append(res.Subscriptions, sub)
	}
	for _, k := range order {
		o := groups[k]
		if err := tx.CreateOrder(ctx, o); err != nil {
			return nil, err
		}
		if err := a.audit(ctx, tx, p, csp.AuditRecord{TenantID: &o.TenantID, CustomerName: v.customer.Tenant.DisplayName, ResourceType: "order", OperationType: "create_order"},
			nil, map[string]any{"orderId": o.ID, "lines": len(o.Lines), "total": o.Total().StringFixed(2), "currency": o.Currency}); err != nil {
			return nil, err
		}
		res.Orders = append(res.Orders, o)
	}
	return res, nil
}

// ListOrders lists the partner's orders for a customer.
func (a *App) ListOrders(ctx context.Context, p csp.Principal, customerID uuid.UUID) ([]*csp.Order, error) {
	return readForCustomer(ctx, a, p, csp.PermSubscriptionsRead, customerID, func(tx store.Tx) ([]*csp.Order, error) {
		return tx.ListOrders(ctx, p.PartnerID, customerID)
	})
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
