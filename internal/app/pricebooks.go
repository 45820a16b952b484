package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/store"
)

// Price books (OpenCSP additions, DESIGN.md "Price books and customer
// invoices"): the partner's book prices every customer line, a customer's
// book wins over it; the month close prices by both. Billing roles read
// and write them.

// PriceBookView is a book as stored: never set, it is the empty book at
// version 0 (a partner without one sells at cost).
type PriceBookView struct {
	CustomerID *uuid.UUID // nil for the partner's own book
	Book       pricebook.Book
	ETag       string
	UpdatedAt  *time.Time
}

func priceBookView(partnerID uuid.UUID, customerID *uuid.UUID, b *store.PriceBook) PriceBookView {
	id := partnerID
	if customerID != nil {
		id = *customerID
	}
	v := PriceBookView{CustomerID: customerID, Book: pricebook.Book{Items: []pricebook.Item{}}, ETag: csp.ETag(id, 0)}
	if b != nil {
		v.Book, v.ETag = b.Book, csp.ETag(id, b.Version)
		at := b.UpdatedAt
		v.UpdatedAt = &at
		if v.Book.Items == nil {
			v.Book.Items = []pricebook.Item{}
		}
	}
	return v
}

// bookCustomer makes sure a customer book's customer is the partner's
// (locked to change its book, as every write about a customer).
func (a *App) bookCustomer(ctx context.Context, tx store.Tx, p csp.Principal, customerID *uuid.UUID, lock bool) (*csp.Customer, error) {
	if customerID == nil {
		return nil, nil
	}
	return a.customer(ctx, tx, p, *customerID, lock)
}

// PriceBook reads the partner's book (customerID nil) or one customer's.
func (a *App) PriceBook(ctx context.Context, p csp.Principal, customerID *uuid.UUID) (PriceBookView, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return PriceBookView{}, err
	}
	var out PriceBookView
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := a.bookCustomer(ctx, tx, p, customerID, false); err != nil {
			return err
		}
		b, err := tx.GetPriceBook(ctx, p.PartnerID, customerID)
		out = priceBookView(p.PartnerID, customerID, b)
		return err
	})
	return out, err
}

// PutPriceBook replaces the partner's book or a customer's whole, after
// pricebook's rules accept it; ifMatch, when sent, is the etag of the book
// read (a book never set has one too, at version 0).
func (a *App) PutPriceBook(ctx context.Context, p csp.Principal, customerID *uuid.UUID, book pricebook.Book, ifMatch string) (PriceBookView, error) {
	if err := p.Can(csp.PermBillingWrite); err != nil {
		return PriceBookView{}, err
	}
	if err := book.Validate(); err != nil {
		return PriceBookView{}, err
	}
	if book.Items == nil {
		book.Items = []pricebook.Item{}
	}
	var out PriceBookView
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		c, err := a.bookCustomer(ctx, tx, p, customerID, true)
		if err != nil {
			return err
		}
		old, err := tx.GetPriceBook(ctx, p.PartnerID, customerID)
		if err != nil {
			return err
		}
		before := priceBookView(p.PartnerID, customerID, old)
		id, version := p.PartnerID, int64(0)
		if customerID != nil {
			id = *customerID
		}
		if old != nil {
			version = old.Version
		}
		if err := csp.CheckETag("price book", id, version, ifMatch); err != nil {
			return err
		}
		b := &store.PriceBook{PartnerID: p.PartnerID, TenantID: customerID, Book: book, UpdatedAt: now}
		if err := tx.PutPriceBook(ctx, b, version); err != nil {
			return err
		}
		out = priceBookView(p.PartnerID, customerID, b)
		rec := csp.AuditRecord{ResourceType: csp.ResPriceBook, OperationType: csp.OpUpdatePriceBook}
		if c != nil {
			rec.TenantID, rec.CustomerName = customerID, c.Tenant.DisplayName
		}
		var was any
		if old != nil {
			was = before.Book
		}
		return a.audit(ctx, tx, now, p, rec, was, out.Book)
	})
	return out, err
}
