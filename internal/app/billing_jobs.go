package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/schedule"
	"github.com/opencsp/opencsp/internal/store"
)

// The month close (DESIGN.md "Billing"). The billing run of month M is one
// job due at 00:00 UTC on the 1st of M+1 (after that instant's usage hour
// and lifecycle events, csp.JobKind.Order); it makes one invoiceClose job
// per partner, and each closes its partner's month in a transaction of its
// own: its unbilled Microsoft charges posted before M ends and the rated
// usage of M become one invoice in the partner's billing currency. A
// close that is repeated or resumed after a crash finds the invoice (or
// finds nothing done, the transaction having rolled back): every charge is
// billed once, by the unique charge_id of invoice_lines and the invoice's
// unique (partner, currency, month).

// billingRef is the billing run's one job.
const billingRef = "all"

// scheduleBillingRun makes sure the billing run job exists: a job already
// there keeps its due time (a run missed while the program was stopped
// still closes its month).
func scheduleBillingRun(ctx context.Context, tx store.Tx, now time.Time) error {
	return tx.AddJob(ctx, csp.Job{Kind: csp.JobBillingRun, Ref: billingRef, Due: billing.MonthOf(now).End()})
}

type billingRunJobs struct{ a *App }

func (billingRunJobs) Kind() csp.JobKind { return csp.JobBillingRun }

// Solo: its invoiceClose jobs read what the other kinds' batches write.
func (billingRunJobs) Solo() bool { return true }

func (h billingRunJobs) Begin(_ context.Context, tx store.Tx, _ time.Time, _ []csp.Job) (schedule.Batch, error) {
	return billingRunBatch{tx: tx}, nil
}

type billingRunBatch struct{ tx store.Tx }

// Do schedules the month's closes, one per partner Microsoft bills (not an
// indirect reseller: its provider is billed), at the run's instant.
func (b billingRunBatch) Do(ctx context.Context, j csp.Job) (schedule.Outcome, error) {
	month := billing.MonthOf(j.Due.Add(-time.Nanosecond))
	var after *uuid.UUID
	for {
		page, err := b.tx.ListPartners(ctx, store.PartnerFilter{After: after, Limit: store.MaxLimit - 1})
		if err != nil {
			return schedule.Outcome{}, err
		}
		for _, p := range page {
			if p.Type == csp.PartnerIndirectReseller {
				continue
			}
			if err := b.tx.SetJob(ctx, csp.Job{Kind: csp.JobInvoiceClose, Ref: closeRef(month, p.ID), Due: j.Due}); err != nil {
				return schedule.Outcome{}, err
			}
		}
		if len(page) < store.MaxLimit-1 {
			break
		}
		after = &page[len(page)-1].ID
	}
	next := month.Next().End()
	return schedule.Outcome{Next: &next}, b.tx.SetJob(ctx, csp.Job{Kind: csp.JobBillingRun, Ref: billingRef, Due: next})
}

func (billingRunBatch) Flush(context.Context) error { return nil }

func closeRef(m billing.Month, partnerID uuid.UUID) string {
	return m.String() + "/" + partnerID.String()
}

func parseCloseRef(ref string) (billing.Month, uuid.UUID, error) {
	m, id, _ := strings.Cut(ref, "/")
	month, err := billing.ParseMonth(m)
	if err != nil {
		return billing.Month{}, uuid.Nil, fmt.Errorf("invoice close %q: %w", ref, err)
	}
	partnerID, err := uuid.Parse(id)
	if err != nil {
		return billing.Month{}, uuid.Nil, fmt.Errorf("invoice close %q: %w", ref, err)
	}
	return month, partnerID, nil
}

type invoiceCloseJobs struct{ a *App }

func (invoiceCloseJobs) Kind() csp.JobKind { return csp.JobInvoiceClose }
func (invoiceCloseJobs) Solo() bool        { return true }

// OneByOne: a partner's month is one transaction, so that a large partner
// holds no other's close and a crash loses one partner's work at most.
func (invoiceCloseJobs) OneByOne() bool { return true }

func (h invoiceCloseJobs) Begin(_ context.Context, tx store.Tx, _ time.Time, _ []csp.Job) (schedule.Batch, error) {
	return invoiceCloseBatch{a: h.a, tx: tx}, nil
}

type invoiceCloseBatch struct {
	a  *App
	tx store.Tx
}

func (b invoiceCloseBatch) Do(ctx context.Context, j csp.Job) (schedule.Outcome, error) {
	month, partnerID, err := parseCloseRef(j.Ref)
	if err != nil {
		return schedule.Outcome{}, err
	}
	if err := b.a.closeMonth(ctx, b.tx, j.Due, month, partnerID); err != nil {
		return schedule.Outcome{}, fmt.Errorf("close %s of partner %s: %w", month, partnerID, err)
	}
	return schedule.Outcome{}, b.tx.DeleteJob(ctx, csp.JobInvoiceClose, j.Ref)
}

func (invoiceCloseBatch) Flush(context.Context) error { return nil }

// closePage is how many lines a close reads and writes at a time: memory
// stays flat whatever the month holds.
const closePage = 1000

// closer builds one partner's invoice for a month as it reads the lines.
type closer struct {
	a       *App
	tx      store.Tx
	inv     *billing.Invoice
	partner *csp.Partner
	now     time.Time
	rates   billing.Rates
	taxes   map[string]decimal.Decimal
	country map[uuid.UUID]string // tenant → country
	seq     int
}

// open takes the invoice's number and stores it, on its first line: a
// partner with nothing to bill gets no invoice and uses no number.
func (c *closer) open(ctx context.Context) error {
	if c.inv.Number != "" {
		return nil
	}
	n, err := c.tx.NextInvoiceNumber(ctx)
	if err != nil {
		return err
	}
	c.inv.Number = billing.InvoiceNumber(n)
	return c.tx.CreateInvoice(ctx, c.inv)
}

// taxOf is a tenant's country's tax rate.
func (c *closer) taxOf(ctx context.Context, tenantID uuid.UUID) (decimal.Decimal, error) {
	country, ok := c.country[tenantID]
	if !ok {
		t, err := c.tx.GetTenant(ctx, tenantID)
		if err != nil {
			return decimal.Decimal{}, err
		}
		country = t.Country
		c.country[tenantID] = country
	}
	return c.taxes[country], nil
}

func (a *App) closeMonth(ctx context.Context, tx store.Tx, now time.Time, month billing.Month, partnerID uuid.UUID) error {
	partner, err := tx.GetPartner(ctx, partnerID)
	if err != nil {
		return err
	}
	if done, err := tx.FindInvoice(ctx, partnerID, partner.BillingCurrency, month); err != nil || done != nil {
		return err
	}
	set, err := exchangeRates(ctx, tx, month)
	if err != nil {
		return err
	}
	taxes, err := tx.TaxRates(ctx)
	if err != nil {
		return err
	}
	c := &closer{a: a, tx: tx, partner: partner, now: now, rates: set.Rates, taxes: taxes, country: map[uuid.UUID]string{},
		inv: &billing.Invoice{PartnerID: partnerID, Currency: partner.BillingCurrency, Period: month, Date: now}}
	if err := c.licences(ctx); err != nil {
		return err
	}
	if err := c.usage(ctx); err != nil {
		return err
	}
	// With nothing from Microsoft (no number), the partner may still bill
	// its own services.
	if c.inv.Number != "" {
		if err := tx.UpdateInvoiceTotals(ctx, c.inv); err != nil {
			return err
		}
	}
	return a.issueCustomerInvoices(ctx, tx, c.inv, partner, c.rates, c.taxes)
}

// licences bills the partner's unbilled Microsoft charges posted before
// the month's end, currency by currency, in posting order.
func (c *closer) licences(ctx context.Context) error {
	end := c.inv.Period.End()
	currencies, err := c.tx.UnbilledCurrencies(ctx, c.partner.ID, end)
	if err != nil {
		return err
	}
	for _, pc := range currencies {
		rate, err := c.rates.PCToBC(pc, c.inv.Currency)
		if err != nil {
			return err
		}
		var after *store.Cursor
		for {
			page, err := c.tx.ListCharges(ctx, store.ChargeFilter{PartnerID: c.partner.ID, Currency: pc, To: end, Unbilled: true, MicrosoftOnly: true,
				After: after, Limit: closePage})
			if err != nil {
				return err
			}
			if len(page) == 0 {
				break
			}
			if err := c.open(ctx); err != nil {
				return err
			}
			lines := make([]billing.LicenceLine, len(page))
			for i, ch := range page {
				taxRate, err := c.taxOf(ctx, ch.TenantID)
				if err != nil {
					return err
				}
				c.seq++
				sub := billing.LicenceSubtotal(ch.EffectiveUnitPrice.Amount, rate, ch.BillableQuantity)
				lines[i] = billing.LicenceLine{Seq: c.seq, ChargeID: ch.ID, Rate: rate, Subtotal: sub, Tax: billing.Tax(sub, taxRate)}
				c.inv.Licence.Add(lines[i].Subtotal, lines[i].Tax)
			}
			if err := c.tx.AddInvoiceLines(ctx, c.inv.Number, lines); err != nil {
				return err
			}
			if len(page) < closePage {
				break
			}
			last := page[len(page)-1]
			after = &store.Cursor{At: last.PostedAt, ID: last.ID}
		}
	}
	return nil
}

// holds answers when, during a span it billed, the partner held Owner or
// Contributor on the Azure subscription's own scope: for its admin agents
// (the foreign group naming it) or for one of its own security groups
//
func (c *closer) holds(ctx context.Context, sp billedSpan) ([]billing.Hold, error) {
	spans, err := c.tx.RoleHistory(ctx, sp.sub.ID, sp.from, sp.to)
	if err != nil {
		return nil, err
	}
	var out []billing.Hold
	for _, s := range spans {
		if s.RoleDefinitionID != azure.RoleOwner && s.RoleDefinitionID != azure.RoleContributor {
			continue
		}
		switch s.PrincipalType {
		case azure.PrincipalForeignGroup:
			if s.PrincipalID != c.partner.ID {
				continue
			}
		case azure.PrincipalGroup:
			if _, err := c.tx.GetGroup(ctx, c.partner.ID, s.PrincipalID); csp.ErrorCode(err) == csp.EGroupNotFound {
				continue
			} else if err != nil {
				return nil, err
			}
		default:
			continue
		}
		out = append(out, billing.Hold{From: s.CreatedOn, To: s.RemovedOn})
	}
	return out, nil
}

// usage bills the month's rated Azure usage of every Azure subscription
// the partner billed, for the hours it held each (billedSpans): one line
// per day, resource and meter, priced in the price file's currency.
func (c *closer) usage(ctx context.Context) error {
	m := c.inv.Period
	spans, err := c.a.billedSpans(ctx, c.tx, c.partner.ID, m.Start(), m.End())
	if err != nil {
		return err
	}
	plans := map[uuid.UUID]*csp.Subscription{}
	var lines []billing.UsageLine
	flush := func() error {
		if len(lines) == 0 {
			return nil
		}
		if err := c.open(ctx); err != nil {
			return err
		}
		err := c.tx.AddInvoiceUsageLines(ctx, c.inv.Number, lines)
		lines = lines[:0]
		return err
	}
	for _, sp := range spans {
		rated, err := ratedSpan(ctx, c.tx, sp)
		if err != nil {
			return err
		}
		plan, ok := plans[sp.sub.PlanSubscriptionID]
		if !ok {
			if plan, err = c.tx.GetSubscription(ctx, sp.sub.PlanSubscriptionID); err != nil {
				return err
			}
			plans[plan.ID] = plan
		}
		taxRate, err := c.taxOf(ctx, sp.sub.TenantID)
		if err != nil {
			return err
		}
		holds, err := c.holds(ctx, sp)
		if err != nil {
			return err
		}
		for _, r := range rated {
			rate, err := c.rates.PCToBC(r.UnitPrice.Currency, c.inv.Currency)
			if err != nil {
				return err
			}
			pec := decimal.Zero
			if r.Meter.PECEligible() && billing.HeldWholeDay(holds, r.UsageDate) {
				pec = azure.Prices().PECPercent
			}
			eup, pricing, sub, tax := billing.BillUsage(r, pec, rate, taxRate)
			c.seq++
			lines = append(lines, billing.UsageLine{Seq: c.seq, TenantID: sp.sub.TenantID, PlanSubscriptionID: plan.ID, ResellerMpnID: plan.ResellerMpnID,
				EntitlementName: sp.sub.FriendlyName, Rated: r, EffectiveUnitPrice: eup, PECPercent: pec, PricingPreTax: pricing, Rate: rate,
				Subtotal: sub, Tax: tax})
			c.inv.Usage.Add(sub, tax)
			if len(lines) == closePage {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}
