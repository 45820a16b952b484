package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// Qualifications is a customer's segment qualification as one partner
// sees it: the tenant's qualification in force and the partner's own
// requests still in review.
type Qualifications struct {
	Customer *csp.Customer
	Pending  []*csp.QualificationRequest
}

// RequestQualification asks to qualify a customer for a segment (Partner
// Center's POST qualifications). The segment is a fact of the tenant that
// every partner's future sales follow, so no partner changes it alone: the
// request waits in review until the operator validates it, or, in a
// sandbox, is validated at once. The calling partner's sale policy must
// cover the new segment. ifMatch, when set, must be the customer's etag.
func (a *App) RequestQualification(ctx context.Context, p csp.Principal, id uuid.UUID, qualification, ifMatch string) (*csp.QualificationRequest, *csp.Customer, error) {
	if err := p.Can(csp.PermCustomersWrite); err != nil {
		return nil, nil, err
	}
	if err := csp.CheckText("qualification", qualification, csp.MaxShort); err != nil {
		return nil, nil, err
	}
	seg, err := csp.SegmentForQualification(qualification)
	if err != nil {
		return nil, nil, err
	}
	var req *csp.QualificationRequest
	var c *csp.Customer
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		var err error
		if c, err = a.changeCustomer(ctx, tx, p, id, ifMatch); err != nil {
			return err
		}
		partner, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		if err := partner.CheckSale(c.Tenant.Country, c.Tenant.Region, seg); err != nil {
			return err
		}
		req = &csp.QualificationRequest{ID: a.newID(), TenantID: id, PartnerID: p.PartnerID, Qualification: csp.QualificationFor(seg),
			Segment: seg, Status: csp.VettingInReview, CreatedAt: now}
		if err := tx.CreateQualificationRequest(ctx, req); err != nil {
			return err
		}
		rec := csp.AuditRecord{TenantID: &id, CustomerName: c.Tenant.DisplayName, ResourceType: csp.ResCustomer, OperationType: csp.OpUpdateQualification}
		before := map[string]any{"qualification": csp.QualificationFor(c.Tenant.Segment), "segment": c.Tenant.Segment}
		if !a.sandbox {
			return a.audit(ctx, tx, now, p, rec, before, map[string]any{"qualification": req.Qualification, "vettingStatus": req.Status, "requestId": req.ID})
		}
		// A sandbox validates at once, as the operator would.
		if err := a.decideQualification(ctx, tx, now, req, true); err != nil {
			return err
		}
		if c, err = a.customer(ctx, tx, p, id, false); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, rec, before, map[string]any{"qualification": req.Qualification, "segment": req.Segment})
	})
	return req, c, err
}

// CustomerQualifications reads a customer's qualification and the calling
// partner's requests in review.
func (a *App) CustomerQualifications(ctx context.Context, p csp.Principal, id uuid.UUID) (*Qualifications, error) {
	if err := p.Can(csp.PermCustomersRead); err != nil {
		return nil, err
	}
	out := &Qualifications{}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		var err error
		if out.Customer, err = a.customer(ctx, tx, p, id, false); err != nil {
			return err
		}
		reqs, err := tx.ListQualificationRequests(ctx, store.QualificationFilter{TenantID: &id, Status: csp.VettingInReview, Limit: MaxPageSize})
		out.Pending = out.Pending[:0]
		for _, r := range reqs {
			if r.PartnerID == p.PartnerID {
				out.Pending = append(out.Pending, r)
			}
		}
		return err
	})
	return out, err
}

// QualificationRequests pages through qualification requests in a status
// (operator only; empty status: every request).
func (a *App) QualificationRequests(ctx context.Context, p csp.Principal, status string, pg Page[Cursor]) (Paged[*csp.QualificationRequest, Cursor], error) {
	if err := requireOperator(p); err != nil {
		return Paged[*csp.QualificationRequest, Cursor]{}, err
	}
	var out []*csp.QualificationRequest
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.ListQualificationRequests(ctx, store.QualificationFilter{Status: status, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, func(q *csp.QualificationRequest) Cursor {
		return Cursor{At: q.CreatedAt, ID: q.ID}
	}), err
}

// DecideQualification approves or denies a request in review (operator
// only). An approval sets the tenant's segment for every partner's future
// sales; subscriptions already bought keep their offers.
func (a *App) DecideQualification(ctx context.Context, p csp.Principal, id uuid.UUID, approve bool) (*csp.QualificationRequest, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	var q *csp.QualificationRequest
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		var err error
		if q, err = tx.LockQualificationRequest(ctx, id); err != nil {
			return err
		}
		t, err := tx.GetTenant(ctx, q.TenantID)
		if err != nil {
			return err
		}
		if err := a.decideQualification(ctx, tx, now, q, approve); err != nil {
			return err
		}
		after := t.Segment
		if approve {
			after = q.Segment
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{PartnerID: &q.PartnerID, TenantID: &t.ID, CustomerName: t.DisplayName, ResourceType: csp.ResCustomer,
			OperationType: csp.OpUpdateQualification}, map[string]any{"qualification": csp.QualificationFor(t.Segment), "segment": t.Segment, "requestId": q.ID},
			map[string]any{"qualification": csp.QualificationFor(after), "segment": after, "vettingStatus": q.Status})
	})
	return q, err
}

// decideQualification records the decision on a request and, on approval,
// sets the tenant's segment.
func (a *App) decideQualification(ctx context.Context, tx store.Tx, now time.Time, q *csp.QualificationRequest, approve bool) error {
	if err := q.Decide(approve, now); err != nil {
		return err
	}
	if err := tx.UpdateQualificationRequest(ctx, q); err != nil {
		return err
	}
	if _, err := tx.LockTenant(ctx, q.TenantID); err != nil {
		return err
	}
	if approve {
		return tx.SetTenantSegment(ctx, q.TenantID, q.Segment)
	}
	return nil
}
