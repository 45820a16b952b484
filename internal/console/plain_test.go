package console

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// apiDetail is what the console's words never hold.
var apiDetail = regexp.MustCompile(`/v1/|/admin/v1|\bR-\d|\bcode \d|\b(?:GET|POST|PUT|PATCH) |\b(?:billingProfile|companyProfile|defaultAddress|primaryContact|lineItems)\.|\b[A-Z][a-z]+(?:[A-Z][a-z]+){2,}\b`)

// codes reads every csp.Code constant from csp/error.go, so that a code
// added there is checked here without a list to keep up.
func codes(t *testing.T) map[string]csp.Code {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../csp/error.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]csp.Code{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Code" || len(v.Values) != 1 {
				continue
			}
			n, err := strconv.Atoi(v.Values[0].(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			out[v.Names[0].Name] = csp.Code(n)
		}
	}
	if len(out) < 90 {
		t.Fatalf("read %d codes from csp/error.go; the parser missed some", len(out))
	}
	return out
}

// TestPlainMessageEveryCode gives every code a message written the way the
// use cases write them, with a rule id, an API call, a JSON field and an
// OpenCSP code, and finds none of them in what the console says.
func TestPlainMessageEveryCode(t *testing.T) {
	now := time.Date(2026, 1, 13, 9, 0, 0, 0, time.UTC)
	sub := &csp.Subscription{ID: uuid.New(), Status: csp.StatusActive, TermDuration: "P1Y", BillingCycle: "monthly", Quantity: 12, AutoRenew: true,
		TermStartedAt: now.AddDate(0, 0, -8), TermEnd: now.AddDate(1, 0, -9)}
	partner := &csp.Partner{Name: "Contoso", Locations: []string{"US"}, SalePolicy: &csp.SalePolicy{Segments: []csp.Segment{csp.SegmentCommercial}}}
	msg := "customer 8b3c has no attested Microsoft Customer Agreement (commerce rule R-33): record it with POST /v1/customers/8b3c/agreements, " +
		"then check out again; billingProfile.email is required (OpenCSP code 3205)"
	for name, code := range codes(t) {
		for _, ab := range []about{{}, {Sub: sub, Action: "cancel", Country: "DE", Partner: partner}} {
			for _, data := range [][]string{nil, {"country=JP", "segment=education", "tenantRegion=UK", "refundableQuantity=2", "requiredRoles=adminAgent,billingAdmin", "field=friendlyName"}} {
				got := plainMessage(&csp.Error{Code: code, Message: msg, Data: data}, ab)
				if got == "" || apiDetail.MatchString(got) || !strings.HasSuffix(got, ".") {
					t.Errorf("%s (%d) with %+v, data %q: %q", name, code, ab, data, got)
				}
			}
		}
	}
}

func TestPlainMessages(t *testing.T) {
	contoso := &csp.Partner{Name: "Contoso", Type: csp.PartnerDirect, Locations: []string{"US", "DE"}}
	litware := &csp.Partner{Name: "Litware", Type: csp.PartnerDirect, Locations: []string{"US"},
		SalePolicy: &csp.SalePolicy{Segments: []csp.Segment{csp.SegmentCommercial}, Regions: []csp.Region{csp.RegionUS, csp.RegionCA}}}
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	sub := &csp.Subscription{Status: csp.StatusActive, TermDuration: "P1Y", BillingCycle: "monthly", Quantity: 10, AutoRenew: true,
		TermStartedAt: start, TermStart: start, TermEnd: time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)}
	late := start.Add(csp.CancellationWindow + time.Minute)
	_, cancelErr := sub.Cancel(late)
	_, decreaseErr := sub.ChangeQuantity(late, 9, 1, 300)
	deleted := *sub
	deleted.Status = csp.StatusDeleted
	_, suspendErr := deleted.Suspend(late)

	for _, c := range []struct {
		name string
		err  error
		ab   about
		want string
	}{
		// The rules' own refusals, from csp.
		{"OutsideMarkets", contoso.CheckSale("JP", csp.RegionJP, csp.SegmentCommercial), about{Partner: contoso},
			"Your partner account does not sell to customers in Japan. It sells only in the CSP markets where it is registered: Europe and United States."},
		{"SegmentNotInPolicy", litware.CheckSale("US", csp.RegionUS, csp.SegmentEducation), about{Partner: litware},
			"Your partner account does not sell to education customers. Its sale policy covers commercial customers only."},
		{"RegionNotInPolicy", (&csp.Partner{Locations: []string{"US", "GB"}, SalePolicy: &csp.SalePolicy{Regions: []csp.Region{csp.RegionUS}}}).CheckSale("GB", csp.RegionUK, csp.SegmentCommercial),
			about{Country: "GB"}, "Your partner account does not sell to customers in the United Kingdom: its sale policy leaves out their tenant region."},
		{"CancelWindowClosed", cancelErr, about{Sub: sub, Action: "cancel"},
			"This subscription can no longer be cancelled: cancellation is possible only within 7 days of the purchase or renewal, and that window closed on 2026-01-12 09:00 UTC. Turn auto-renew off to end it when its term ends on 2027-01-04."},
		{"DecreaseOutsideWindow", decreaseErr, about{Sub: sub, Action: "quantity"},
			"No seats can be removed now: seats can be removed only within 7 days of the purchase, increase or renewal that added them. To have fewer seats later, schedule fewer seats for the next term."},
		{"SuspendDeleted", suspendErr, about{Sub: &deleted, Action: "suspend"}, "This subscription is deleted: only an active subscription can be suspended."},
		{"Forbidden", csp.Authorize([]csp.Role{csp.RoleSalesAgent}, csp.PermAuditRead), about{},
			"Your role does not allow this: it needs the role Admin agent. Ask your partner's admin agent."},
		{"Missing", csp.Errorf(csp.EMissingField, "billingProfile.companyName is required: the customer's company name"), about{}, "Enter the company name."},
		// A message with no saying of its own loses its API details only.
		{"Sanitized", csp.Errorf(csp.EInvalidField, "quantity 0 is too small (commerce rule R-13): send a larger one with PATCH /v1/customers/x/subscriptions/y"), about{},
			"Quantity 0 is too small."},
		{"Internal", errPlain("disk on fire"), about{}, internalMessage},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil {
				t.Fatal("the rule did not refuse")
			}
			if got := plainMessage(c.err, c.ab); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

type errPlain string

func (e errPlain) Error() string { return string(e) }

// cartErrorCodes are Partner Center's CartErrorCode names (csp/cart.go).
var cartErrorCodes = []string{csp.CartCurrencyNotSupported, csp.CartCatalogItemNotValid, csp.CartQuotaNotAvailable, csp.CartParticipantsNotSupported,
	csp.CartUnableToProcess, csp.CartSubscriptionNotValid, csp.CartInvalidInput, csp.CartBillingPlanNotSupported, csp.CartMaxSeatsExceeded,
	csp.CartInvalidCustomEndProduct, csp.CartInvalidCustomEnd, csp.CartBaseSeatsNotMet, "SomethingNew"}

// TestLineProblems puts every cart line error in words, with and without
// the catalog item, and finds no API detail in them.
func TestLineProblems(t *testing.T) {
	prod := &csp.Product{ID: "CFQ7TTC0LCHC", Title: "Microsoft 365 Business Premium", ProductType: "OnlineServices"}
	sku := &csp.Sku{ID: "0001", Title: "Microsoft 365 Business Premium", MinimumQuantity: 1, MaximumQuantity: 300, IsAddon: true, Prerequisites: []string{"CFQ7TTC0LH18:0001"}}
	av := &csp.Availability{ID: "CFQ7TTC0MM1W", Segment: csp.SegmentEducation, Terms: []csp.Term{{Duration: "P1M", BillingCycle: "monthly"}, {Duration: "P1Y", BillingCycle: "annual"}}}
	it := app.MarketItem{Item: csp.Item{Product: prod, Sku: sku, Availability: av}, Currency: "USD"}
	m := market{Tenant: &csp.Tenant{DisplayName: "Fabrikam", Country: "US", Region: csp.RegionUS, Segment: csp.SegmentCommercial},
		Partner: &csp.Partner{Locations: []string{"DE"}}, Items: map[string]app.MarketItem{it.ID().String(): it}}
	for _, code := range cartErrorCodes {
		for _, item := range []*app.MarketItem{nil, &it} {
			l := csp.CartLine{CatalogItemID: it.ID().String(), Quantity: 2, TermDuration: "P3Y", BillingCycle: "annual",
				Error: &csp.CartLineError{ErrorCode: code, ErrorDescription: "see commerce rule R-1 (OpenCSP code 2201)"}}
			got := m.lineProblem(l, item)
			if got == "" || apiDetail.MatchString(got) || strings.Contains(got, "R-1") || !strings.HasSuffix(got, ".") {
				t.Errorf("%s (item %v): %q", code, item != nil, got)
			}
		}
	}
	l := csp.CartLine{Quantity: 2, TermDuration: "P3Y", BillingCycle: "annual", Error: &csp.CartLineError{ErrorCode: csp.CartUnableToProcess}}
	if got, want := m.lineProblem(l, &it), "Your partner account does not sell to customers in the United States. It sells only in the CSP market where it is registered: Europe. Remove this line."; got != want {
		t.Errorf("sale refused:\n got %q\nwant %q", got, want)
	}
	l.Error.ErrorCode = csp.CartCatalogItemNotValid
	if got, want := m.lineProblem(l, &it), "This item is sold to education customers only, and Fabrikam is a commercial customer. Remove this line."; got != want {
		t.Errorf("segment:\n got %q\nwant %q", got, want)
	}
}
