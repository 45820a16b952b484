package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/reconfile"
	"github.com/opencsp/opencsp/internal/store"
)

// Importing a real Partner Center file (DESIGN.md "Billing": Import): a
// new-commerce reconciliation file or a daily rated usage file the partner
// downloaded from its Partner Center account becomes its customer
// invoices, priced by its price books, so that it can bill its real
// customers from OpenCSP. The whole file is read twice: first to check
// every line (the refusal names each bad line and column, and nothing is
// imported), then, in one transaction, to price it. Memory stays flat: the
// file is read a line at a time and the invoices' lines are written in
// batches. The customers are the file's (its CustomerId, name and
// country); one that is a customer of the partner in this program also
// gets its own price book.

// maxImportErrors bounds the errors a refused import lists.
const maxImportErrors = 100

// ImportResult is an import and the customer invoices made from it;
// Repeated says the same file had been imported before (nothing new was
// made).
type ImportResult struct {
	Import   *billing.Import
	Invoices []*pricebook.Issued
	Repeated bool
}

// importLine is one checked line of a file, as a cost.
type importLine struct {
	customer      uuid.UUID
	name, country string
	cost          pricebook.CostLine
	month         billing.Month
	reconfileSeq  int
}

// ImportReconciliation imports a file that open opens (twice).
func (a *App) ImportReconciliation(ctx context.Context, p csp.Principal, open func() (io.ReadCloser, error)) (*ImportResult, error) {
	if err := p.Can(csp.PermBillingWrite); err != nil {
		return nil, err
	}
	kind, lines, period, sum, err := checkImport(open)
	if err != nil {
		return nil, err
	}
	out := &ImportResult{}
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		out.Repeated = false
		partner, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		if out.Import, err = tx.FindImport(ctx, partner.ID, sum); err != nil {
			return err
		}
		if out.Import != nil {
			out.Repeated = true
			out.Invoices, err = tx.ListCustomerInvoices(ctx, store.CustomerInvoiceFilter{PartnerID: partner.ID, ImportID: &out.Import.ID, Limit: store.MaxLimit})
			return err
		}
		out.Import = &billing.Import{ID: a.newID(), PartnerID: partner.ID, Kind: kind, SHA256: sum, Lines: lines, Period: period, CreatedAt: now,
			CreatedBy: p.UserPrincipalName}
		if err := tx.CreateImport(ctx, out.Import); err != nil {
			return err
		}
		is, err := a.importIssuer(ctx, tx, partner, out.Import)
		if err != nil {
			return err
		}
		err = readImport(open, func(l importLine) error {
			c, err := is.importedCustomer(ctx, l)
			if err != nil {
				return err
			}
			return is.add(ctx, c.tenant.ID, l.cost.Subtotal.Currency, l.cost, pricebook.IssuedLine{ImportSeq: l.reconfileSeq})
		})
		if err != nil {
			return err
		}
		out.Invoices = nil
		for _, oi := range is.order {
			if err := is.flush(ctx, oi); err != nil {
				return err
			}
			if err := tx.UpdateCustomerInvoiceTotals(ctx, oi.inv); err != nil {
				return err
			}
			out.Invoices = append(out.Invoices, oi.inv)
		}
		return nil
	})
	return out, err
}

// importIssuer is the issuer of an import's customer invoices: the
// partner's book, the month's rates and the tax rates.
func (a *App) importIssuer(ctx context.Context, tx store.Tx, partner *csp.Partner, imp *billing.Import) (*issuer, error) {
	is := &issuer{a: a, tx: tx, partner: partner, from: &billing.Invoice{Period: imp.Period, Date: imp.CreatedAt}, customers: map[uuid.UUID]*customerBill{},
		open: map[[2]string]*openInvoice{}, plans: map[uuid.UUID]*csp.Subscription{}, importID: &imp.ID}
	book, err := tx.GetPriceBook(ctx, partner.ID, nil)
	if err != nil {
		return nil, err
	}
	if book != nil {
		is.book = book.Book
	}
	if is.taxes, err = tx.TaxRates(ctx); err != nil {
		return nil, err
	}
	return is, nil
}

// importedCustomer is what pricing a file's customer needs: the file's
// name and country, its currency the line's, and the customer's own book
// when it is the partner's customer in this program too.
func (is *issuer) importedCustomer(ctx context.Context, l importLine) (*customerBill, error) {
	if c, ok := is.customers[l.customer]; ok {
		return c, nil
	}
	var customerBook pricebook.Book
	if _, err := is.tx.GetCustomer(ctx, is.partner.ID, l.customer, false); err == nil {
		own, err := is.tx.GetPriceBook(ctx, is.partner.ID, &l.customer)
		if err != nil {
			return nil, err
		}
		if own != nil {
			customerBook = own.Book
		}
	} else if csp.ErrorCode(err) != csp.ERelationshipNotFound && csp.ErrorCode(err) != csp.ETenantNotFound {
		return nil, err
	}
	pricer, err := pricebook.NewPricer(is.book, customerBook)
	if err != nil {
		return nil, err
	}
	country := strings.ToUpper(l.country)
	c := &customerBill{tenant: &csp.Tenant{ID: l.customer, DisplayName: l.name, Country: country}, currency: l.cost.Subtotal.Currency, pricer: pricer,
		tax: is.taxes[country], external: true}
	is.customers[l.customer] = c
	return c, nil
}

// checkImport reads the whole file once: its kind, lines and month, its
// SHA-256, and every error (the first maxImportErrors named).
func checkImport(open func() (io.ReadCloser, error)) (kind string, lines int, period billing.Month, sum string, err error) {
	f, err := open()
	if err != nil {
		return "", 0, billing.Month{}, "", err
	}
	defer f.Close()
	h := sha256.New()
	var bad []string
	total := 0
	fail := func(e error) {
		total++
		if len(bad) < maxImportErrors {
			bad = append(bad, e.Error())
		}
	}
	var partner string
	err = eachImportLine(io.TeeReader(f, h), func(k string, l importLine, partnerID string, lineErr error) error {
		kind = k
		if lineErr != nil {
			fail(lineErr)
			return nil
		}
		if partner == "" {
			partner = partnerID
		} else if !strings.EqualFold(partnerID, partner) {
			fail(&reconfile.Error{Line: l.reconfileSeq, Column: "PartnerId", Message: fmt.Sprintf("%s is another partner than the file's first line's (%s): a file is one partner's", partnerID, partner)})
			return nil
		}
		lines++
		if l.month.Start().After(period.Start()) {
			period = l.month
		}
		return nil
	})
	if err != nil {
		fail(err)
	}
	if _, err := io.Copy(h, f); err != nil {
		return "", 0, billing.Month{}, "", err
	}
	if total == 0 && lines == 0 {
		fail(&reconfile.Error{Line: 2, Message: "the file has a header and no line: there is nothing to import"})
	}
	if total > 0 {
		more := ""
		if total > len(bad) {
			more = fmt.Sprintf(" (the first %d of %d)", len(bad), total)
		}
		return "", 0, billing.Month{}, "", csp.Errorf(csp.EImportInvalid, "the file was not imported: %d error(s)%s, the first: %s", total, more, bad[0]).WithData(bad...)
	}
	return kind, lines, period, hex.EncodeToString(h.Sum(nil)), nil
}

// readImport reads the checked file again, line by line.
func readImport(open func() (io.ReadCloser, error), fn func(importLine) error) error {
	f, err := open()
	if err != nil {
		return err
	}
	defer f.Close()
	return eachImportLine(f, func(_ string, l importLine, _ string, lineErr error) error {
		if lineErr != nil {
			return fmt.Errorf("import: the file changed after it was checked: %w", lineErr)
		}
		return fn(l)
	})
}

// eachImportLine reads a file's lines as costs; fn gets each line or its
// error. A bad value is the line's error and reading goes on; a malformed
// CSV (which the reader answers for good) ends the file after its error.
func eachImportLine(r io.Reader, fn func(kind string, l importLine, partnerID string, lineErr error) error) error {
	rd, err := reconfile.NewReader(r)
	if err != nil {
		return err
	}
	kind := "licence"
	if rd.Kind() == reconfile.Usage {
		kind = "usage"
	}
	for {
		var (
			l         importLine
			partnerID string
			err       error
		)
		if rd.Kind() == reconfile.Usage {
			var u reconfile.UsageLine
			if u, err = rd.ReadUsage(); err == nil {
				l, err = usageImport(u, rd.Line())
				partnerID = u.PartnerID
			}
		} else {
			var c reconfile.LicenceLine
			if c, err = rd.ReadLicence(); err == nil {
				l, err = licenceImport(c, rd.Line())
				partnerID = c.PartnerID
			}
		}
		var re *reconfile.Error
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil && !errors.As(err, &re):
			return err
		}
		if err := fn(kind, l, partnerID, err); err != nil || rd.Ended() {
			return err
		}
	}
}

// licenceImport is a reconciliation line as a cost in its pricing
// currency: Partner Center's subtotal is in the partner's billing
// currency, so the cost is ROUNDDOWN(effectiveUnitPrice, 2) ×
// billableQuantity at the pricing currency's rate 1 (C-2).
func licenceImport(l reconfile.LicenceLine, line int) (importLine, error) {
	id, err := uuid.Parse(l.CustomerID)
	if err != nil {
		return importLine{}, &reconfile.Error{Line: line, Column: "CustomerId", Message: err.Error()}
	}
	pc := l.PricingCurrency
	if pc == "" {
		pc = l.Currency
	}
	if !l.BillableQuantity.Equal(l.BillableQuantity.Truncate(0)) {
		return importLine{}, &reconfile.Error{Line: line, Column: "BillableQuantity", Message: fmt.Sprintf("%s is not a whole number of seats", l.BillableQuantity)}
	}
	cost := pricebook.CostLine{SubscriptionID: l.SubscriptionID, ProductID: l.ProductID, SkuID: l.SkuID, ProductName: l.ProductName, SkuName: l.SkuName,
		ChargeType: csp.ChargeType(l.ChargeType), UnitPrice: csp.NewMoney(l.UnitPrice, pc), EffectiveUnitPrice: csp.NewMoney(l.EffectiveUnitPrice, pc),
		Quantity: l.Quantity, BillableQuantity: l.BillableQuantity, Subtotal: csp.NewMoney(billing.LicenceSubtotal(l.EffectiveUnitPrice, decimal.NewFromInt(1), l.BillableQuantity), pc),
		ChargeStart: csp.Day(l.ChargeStartDate), ChargeEnd: csp.Day(l.ChargeEndDate)}
	return importLine{customer: id, name: l.CustomerName, country: l.CustomerCountry, cost: cost, month: billing.MonthOf(l.ChargeStartDate), reconfileSeq: line}, nil
}

// usageImport is a daily rated usage line as a cost: its pricing pre-tax
// total in its pricing currency.
func usageImport(u reconfile.UsageLine, line int) (importLine, error) {
	id, err := uuid.Parse(u.CustomerID)
	if err != nil {
		return importLine{}, &reconfile.Error{Line: line, Column: "CustomerId", Message: err.Error()}
	}
	day := csp.Day(u.UsageDate)
	cost := pricebook.CostLine{SubscriptionID: u.EntitlementID, ProductID: u.ProductID, SkuID: u.SkuID, ProductName: u.ProductName, SkuName: u.SkuName,
		ChargeType: usageChargeType, Usage: true, UnitPrice: csp.NewMoney(u.UnitPrice, u.PricingCurrency),
		EffectiveUnitPrice: csp.NewMoney(u.EffectiveUnitPrice, u.PricingCurrency), BillableQuantity: u.Quantity,
		Subtotal: csp.NewMoney(u.PricingPreTaxTotal, u.PricingCurrency), ChargeStart: day, ChargeEnd: day, MeterName: u.MeterName}
	return importLine{customer: id, name: u.CustomerName, country: u.CustomerCountry, cost: cost, month: billing.MonthOf(u.UsageDate), reconfileSeq: line}, nil
}
