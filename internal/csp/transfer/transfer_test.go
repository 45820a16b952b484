package transfer_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
)

var (
	customerID = uuid.MustParse("00000000-0000-4000-8000-0000000000c1")
	sourceID   = uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	targetID   = uuid.MustParse("00000000-0000-4000-8000-0000000000b1")
	bought     = time.Date(2026, 1, 12, 10, 0, 0, 0, time.UTC)
	moveDay    = time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC)
)

// premium is Business Premium P1Y billed monthly at $22.00, 10 seats,
// bought 2026-01-12 (term 2026-01-12..2027-01-11).
func premium() *csp.Subscription {
	s := &csp.Subscription{ID: uuid.MustParse("00000000-0000-4000-8000-000000000051"), TenantID: customerID, PartnerID: &sourceID, Channel: csp.ChannelCSP,
		ProductID: "CFQ7TTC0LCHC", SkuID: "0001", AvailabilityID: "CFQ7TTC0MM1W", OfferName: "Microsoft 365 Business Premium", FriendlyName: "Premium",
		Quantity: 10, AutoRenew: true, TermDuration: "P1Y", BillingCycle: "monthly", UnitPrice: csp.NewMoney(decimal.NewFromInt(22), "USD")}
	s.Purchase(bought, nil)
	return s
}

func lines(ev *csp.Event) string {
	var out []string
	for _, c := range ev.Charges {
		out = append(out, fmt.Sprintf("%s %s %s %s %s..%s", c.ChargeType, c.BillableQuantity, c.EffectiveUnitPrice.Amount.StringFixed(6), c.Subtotal.Amount.StringFixed(2),
			c.ChargeStart.Format(time.DateOnly), c.ChargeEnd.Format(time.DateOnly)))
	}
	return strings.Join(out, "; ")
}

// TestTransferSeats: R-40's example on 2026 dates. The cycle around
// 2026-04-20 is 04-12..05-11 (D = 30); from the transfer day, inclusive
// (C-1), d = 11 days of April + 11 of May = 22. EUP = 22 × 22/30 =
// 16.133333; subtotal = ROUNDDOWN(16.133333, 2) × seats (C-2).
func TestTransferSeats(t *testing.T) {
	price := csp.NewMoney(decimal.NewFromInt(22), "USD")
	t.Run("full", func(t *testing.T) {
		s := premium()
		tr := uuid.New()
		target, srcEv, tgtEv := s.TransferSeats(moveDay, csp.SeatTransfer{TransferID: tr, Quantity: 10, NewID: uuid.New(), TargetPartnerID: targetID, Price: price})
		if got, want := lines(srcEv), "cancelImmediate 10 -16.133333 -161.30 2026-04-20..2026-05-11"; got != want {
			t.Errorf("source lines %s, want %s", got, want)
		}
		if got, want := lines(tgtEv), "new 10 16.133333 161.30 2026-04-20..2026-05-11"; got != want {
			t.Errorf("target lines %s, want %s", got, want)
		}
		if s.Status != csp.StatusDeleted || s.NextEventAt != nil {
			t.Errorf("source %s next %v, want deleted with no next event", s.Status, s.NextEventAt)
		}
		if *target.PartnerID != targetID || target.Quantity != 10 || !target.TermStart.Equal(s.TermStart) || target.TermEnd.Format(time.DateOnly) != "2027-01-11" ||
			target.NextEventAt.Format(time.DateOnly) != "2026-05-12" || len(target.Lots) != 0 || !target.AutoRenew {
			t.Errorf("target %+v", target)
		}
		for _, c := range append(srcEv.Charges, tgtEv.Charges...) {
			if c.ReferenceID != tr {
				t.Errorf("referenceId %s, want the transfer's %s", c.ReferenceID, tr)
			}
		}
	})
	t.Run("partial", func(t *testing.T) {
		s := premium()
		target, srcEv, tgtEv := s.TransferSeats(moveDay, csp.SeatTransfer{TransferID: uuid.New(), Quantity: 4, NewID: uuid.New(), TargetPartnerID: targetID, Price: price})
		if got, want := lines(srcEv), "cancelImmediate 4 -16.133333 -64.52 2026-04-20..2026-05-11"; got != want {
			t.Errorf("source lines %s, want %s", got, want)
		}
		if got, want := lines(tgtEv), "new 4 16.133333 64.52 2026-04-20..2026-05-11"; got != want {
			t.Errorf("target lines %s, want %s", got, want)
		}
		if s.Status != csp.StatusActive || s.Quantity != 6 || target.Quantity != 4 {
			t.Errorf("source %s %d seats, target %d seats", s.Status, s.Quantity, target.Quantity)
		}
	})
}

func partner(id uuid.UUID, name string) *csp.Partner {
	return &csp.Partner{ID: id, Name: name, Type: csp.PartnerDirect, Country: "US", Locations: []string{"US"}}
}

// TestStates walks each status move and the refusals of wrong sides and
// wrong states.
func TestStates(t *testing.T) {
	customer := &csp.Tenant{ID: customerID, DisplayName: "Contoso", Country: "US", Region: "US", Segment: csp.SegmentCommercial}
	r := transfer.Request{SourcePartnerID: sourceID, CustomerEmailID: "gena@contoso.example"}
	if err := r.Check(); err != nil || r.Type != transfer.TypeNewCommerce {
		t.Fatalf("check %v type %d", err, r.Type)
	}
	created := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	fresh := func() *transfer.Transfer {
		return transfer.New(uuid.New(), r, customer, partner(sourceID, "Source"), partner(targetID, "Target"), "agent", created)
	}
	tr := fresh()
	if tr.Status != transfer.StatusActive || tr.ExpiresAt.Format(time.RFC3339) != "2026-05-01T09:00:00Z" || *tr.Due() != tr.ExpiresAt {
		t.Fatalf("new transfer %s expires %s", tr.Status, tr.ExpiresAt)
	}
	code := func(err error, want csp.Code) {
		t.Helper()
		if (want == 0 && err != nil) || (want != 0 && csp.ErrorCode(err) != want) {
			t.Errorf("got %v, want code %d", err, want)
		}
	}
	line := []transfer.Line{{SubscriptionID: uuid.New(), Quantity: 3}}
	code(tr.SetLines(created, targetID, "t", line), csp.ETransferSourceOnly)
	code(tr.Submit(created, sourceID, "s"), csp.ETransferNoLines)
	code(tr.Approve(created, sourceID, "s"), csp.ETransferNotAwaitingApproval)
	code(tr.Cancel(created, sourceID, "s"), csp.ETransferTargetOnly)
	code(tr.SetLines(created, sourceID, "s", append(line, line[0])), csp.ETransferLineDuplicate)
	code(tr.SetLines(created, sourceID, "s", []transfer.Line{{SubscriptionID: uuid.New()}}), csp.ETransferLineQuantity)
	many := make([]transfer.Line, 26)
	for i := range many {
		many[i] = transfer.Line{SubscriptionID: uuid.New(), Quantity: 1}
	}
	code(tr.SetLines(created, sourceID, "s", many), csp.ETransferTooManyLines)
	code(tr.SetLines(created, sourceID, "s", line), 0)
	if tr.Lines[0].ID != 1 {
		t.Errorf("line id %d", tr.Lines[0].ID)
	}
	code(tr.Submit(created, targetID, "t"), csp.ETransferSourceOnly)
	code(tr.Submit(created, sourceID, "s"), 0)
	code(tr.Cancel(created, targetID, "t"), csp.ETransferNotActive)
	code(tr.SetLines(created, sourceID, "s", line), csp.ETransferNotActive)
	code(tr.Approve(created, targetID, "t"), csp.ETransferSourceOnly)
	code(tr.Approve(created, sourceID, "s"), 0)
	tr.Complete(created, map[int]transfer.Moved{1: {TargetSubscriptionID: uuid.New(), Quantity: 3}})
	code(tr.Reject(created, "customer"), csp.ETransferClosed)
	code(tr.Decline(created, sourceID, "s"), csp.ETransferClosed)
	if tr.Due() != nil || tr.Lines[0].TransferredCount != 3 {
		t.Errorf("completed: due %v, line %+v", tr.Due(), tr.Lines[0])
	}

	tr = fresh()
	if tr.Lapse(tr.ExpiresAt.Add(-time.Second)) || !tr.Lapse(tr.ExpiresAt) || tr.Status != transfer.StatusExpired {
		t.Errorf("lapse: %s", tr.Status)
	}
	tr = fresh()
	code(tr.Cancel(created, targetID, "t"), 0)
	code(tr.Cancel(created, targetID, "t"), csp.ETransferClosed)
	tr = fresh()
	code(tr.Decline(created, targetID, "t"), csp.ETransferSourceOnly)
	code(tr.Decline(created, sourceID, "s"), 0)
	tr = fresh()
	code(tr.Reject(created, "admin"), 0)
	if tr.Status != transfer.StatusRejected {
		t.Errorf("rejected: %s", tr.Status)
	}

	for _, c := range []struct {
		r    transfer.Request
		want csp.Code
	}{
		{transfer.Request{CustomerEmailID: "a@b.example"}, csp.ETransferSourceRequired},
		{transfer.Request{SourcePartnerID: sourceID, CustomerEmailID: "nobody"}, csp.ETransferCustomerEmail},
		{transfer.Request{SourcePartnerID: sourceID, CustomerEmailID: "a@b.example", Type: 4}, csp.ETransferType},
		{transfer.Request{SourcePartnerID: sourceID, CustomerEmailID: "a@b.example", Type: 3, TargetProductTypes: []string{"OnlineServicesNCE"}}, csp.ETransferTypeProducts},
		{transfer.Request{SourcePartnerID: sourceID, CustomerEmailID: "a@b.example", TargetProductTypes: []string{"AzureSubscription"}}, csp.ETransferTypeProducts},
		{transfer.Request{SourcePartnerID: sourceID, CustomerEmailID: "a@b.example", TargetProductTypes: []string{"Licences"}}, csp.ETransferProductType},
	} {
		code(c.r.Check(), c.want)
	}
	_, err := transfer.ParsePolicy("sometimes")
	code(err, csp.ETransferPolicy)
}

// TestEligibility: one refusal per rule of CheckParties and CheckLine.
func TestEligibility(t *testing.T) {
	customer := &csp.Tenant{ID: customerID, DisplayName: "Contoso", Country: "US", Region: "US", Segment: csp.SegmentCommercial}
	src, tgt := partner(sourceID, "Source"), partner(targetID, "Target")
	ok := transfer.Parties{Customer: customer, Source: src, Target: tgt, SourceLinked: true, TargetLinked: true}
	if err := transfer.CheckParties(ok); err != nil {
		t.Fatal(err)
	}
	reseller := *tgt
	reseller.Type = csp.PartnerIndirectReseller
	german := *tgt
	german.Country, german.Locations = "DE", []string{"DE"}
	eduOnly := *tgt
	eduOnly.SalePolicy = &csp.SalePolicy{Segments: []csp.Segment{csp.SegmentEducation}}
	for _, c := range []struct {
		what string
		p    func(p *transfer.Parties)
		want csp.Code
	}{
		{"same partner", func(p *transfer.Parties) { p.Source = tgt }, csp.ETransferSamePartner},
		{"reseller target", func(p *transfer.Parties) { p.Target = &reseller }, csp.ETransferTargetReseller},
		{"target not linked", func(p *transfer.Parties) { p.TargetLinked = false }, csp.ETransferTargetNoRelationship},
		{"source not linked", func(p *transfer.Parties) { p.SourceLinked = false }, csp.ETransferSourceNoRelationship},
		{"target outside the market", func(p *transfer.Parties) { p.Target = &german }, csp.ETransferTargetMarket},
		{"target's sale policy", func(p *transfer.Parties) { p.Target = &eduOnly }, csp.ETransferTargetSalePolicy},
	} {
		p := ok
		c.p(&p)
		if err := transfer.CheckParties(p); csp.ErrorCode(err) != c.want {
			t.Errorf("%s: %v, want %d", c.what, err, c.want)
		}
	}

	price := csp.NewMoney(decimal.NewFromInt(22), "USD")
	item := &csp.Item{Product: &csp.Product{ID: "CFQ7TTC0LCHC"}, Sku: &csp.Sku{ID: "0001"},
		Availability: &csp.Availability{ID: "CFQ7TTC0MM1W", Segment: csp.SegmentCommercial, Terms: []csp.Term{{Duration: "P1Y", BillingCycle: "monthly"}}}}
	base := func() transfer.LineCheck {
		s := premium()
		return transfer.LineCheck{Line: transfer.Line{SubscriptionID: s.ID, Quantity: 4}, CustomerID: customerID, SourceID: sourceID, TargetID: targetID,
			Country: "US", Segment: csp.SegmentCommercial, TargetCurrency: "USD", Subscription: s, Offer: transfer.Offer{Item: item, Price: &price}, Now: moveDay}
	}
	if err := transfer.CheckLine(base()); err != nil {
		t.Fatal(err)
	}
	other := uuid.New()
	edu := *item
	edu.Availability = &csp.Availability{ID: "X", Segment: csp.SegmentEducation, Terms: item.Availability.Terms}
	for _, c := range []struct {
		what string
		l    func(c *transfer.LineCheck)
		want csp.Code
	}{
		{"absent", func(c *transfer.LineCheck) { c.Subscription = nil }, csp.ETransferLineSubscription},
		{"target's own", func(c *transfer.LineCheck) { c.Subscription.PartnerID = &targetID }, csp.ETransferLineSubscription},
		{"Azure plan", func(c *transfer.LineCheck) { c.Subscription.TermDuration = "" }, csp.ETransferLineNotLicence},
		{"partner service", func(c *transfer.LineCheck) { c.Subscription.PartnerService = true }, csp.ETransferLineNotLicence},
		{"add-on", func(c *transfer.LineCheck) { c.Subscription.ParentID = &other }, csp.ETransferLineAddOn},
		{"suspended", func(c *transfer.LineCheck) { c.Subscription.Status = csp.StatusSuspended }, csp.ETransferLineNotActive},
		{"trial", func(c *transfer.LineCheck) { c.Subscription.IsTrial = true }, csp.ETransferLineTrial},
		{"too many seats", func(c *transfer.LineCheck) { c.Line.Quantity = 11 }, csp.ETransferLineQuantity},
		{"other currency", func(c *transfer.LineCheck) { c.TargetCurrency = "EUR" }, csp.ETransferCurrency},
		{"not in the target's catalog", func(c *transfer.LineCheck) { c.Offer.Item = nil }, csp.ETransferOfferNotSellable},
		{"segment", func(c *transfer.LineCheck) { c.Offer.Item = &edu }, csp.ETransferOfferNotSellable},
		{"no price", func(c *transfer.LineCheck) { c.Offer.Price = nil }, csp.ETransferOfferNotSellable},
		{"on another transfer", func(c *transfer.LineCheck) { c.OtherTransfer = &other }, csp.ETransferLineInOtherTransfer},
	} {
		l := base()
		c.l(&l)
		if err := transfer.CheckLine(l); csp.ErrorCode(err) != c.want {
			t.Errorf("%s: %v, want %d", c.what, err, c.want)
		}
	}
}

// TestAzureLines: one refusal per rule of CheckAzureLine and
// CheckAzureOverlap.
func TestAzureLines(t *testing.T) {
	plan := &csp.Subscription{ID: uuid.New(), TenantID: customerID, PartnerID: &sourceID, Status: csp.StatusActive}
	sub := transfer.AzureSubscription{ID: uuid.New(), FriendlyName: "Production"}
	base := func() transfer.AzureLineCheck {
		p := *plan
		return transfer.AzureLineCheck{Line: transfer.Line{SubscriptionID: sub.ID, Quantity: 1}, CustomerID: customerID, SourceID: sourceID,
			Plan: &p, Moving: []transfer.AzureSubscription{sub}}
	}
	if err := transfer.CheckAzureLine(base()); err != nil {
		t.Fatal(err)
	}
	other := uuid.New()
	licence := premium()
	for _, c := range []struct {
		what string
		l    func(c *transfer.AzureLineCheck)
		want csp.Code
	}{
		{"a licence of the source", func(c *transfer.AzureLineCheck) { c.Plan, c.Licence = nil, licence }, csp.ETransferAzureLineKind},
		{"absent", func(c *transfer.AzureLineCheck) { c.Plan = nil }, csp.ETransferLineSubscription},
		{"the target's", func(c *transfer.AzureLineCheck) { c.Plan.PartnerID = &targetID }, csp.ETransferLineSubscription},
		{"another customer's", func(c *transfer.AzureLineCheck) { c.Plan.TenantID = uuid.New() }, csp.ETransferLineSubscription},
		{"quantity 2", func(c *transfer.AzureLineCheck) { c.Line.Quantity = 2 }, csp.ETransferLineQuantity},
		{"plan suspended", func(c *transfer.AzureLineCheck) { c.Plan.Status = csp.StatusSuspended }, csp.ETransferLineNotActive},
		{"plan empty", func(c *transfer.AzureLineCheck) { c.IsPlan, c.Moving = true, nil }, csp.ETransferAzurePlanEmpty},
		{"disabled", func(c *transfer.AzureLineCheck) { c.Moving[0].Disabled = true }, csp.ETransferLineNotActive},
		{"on another transfer", func(c *transfer.AzureLineCheck) { c.OtherTransfer = &other }, csp.ETransferLineInOtherTransfer},
	} {
		l := base()
		l.Moving = append([]transfer.AzureSubscription(nil), l.Moving...)
		c.l(&l)
		if err := transfer.CheckAzureLine(l); csp.ErrorCode(err) != c.want {
			t.Errorf("%s: %v, want %d", c.what, err, c.want)
		}
	}
	lines := []transfer.Line{{SubscriptionID: plan.ID, Quantity: 1}, {SubscriptionID: sub.ID, Quantity: 1}}
	if err := transfer.CheckAzureOverlap(lines, map[uuid.UUID]uuid.UUID{sub.ID: plan.ID}); csp.ErrorCode(err) != csp.ETransferAzureLineOverlap {
		t.Errorf("overlap: %v", err)
	}
	if err := transfer.CheckAzureOverlap(lines[1:], map[uuid.UUID]uuid.UUID{sub.ID: plan.ID}); err != nil {
		t.Errorf("one line: %v", err)
	}
}
