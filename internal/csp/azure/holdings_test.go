package azure_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp/azure"
)

// TestHoldings: a subscription created 2026-03-01T10:00 by A moves to B at
// 2026-03-15T14:00 (a transfer completed at 14:25 bills B from 14:00) and to
// C at 2026-03-20T00:00; each hour's holder follows.
func TestHoldings(t *testing.T) {
	a, b, c := uuid.New(), uuid.New(), uuid.New()
	pa, pb, pc := uuid.New(), uuid.New(), uuid.New()
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	s := &azure.Subscription{ID: uuid.New(), PartnerID: a, PlanSubscriptionID: pa, CreatedAt: at("2026-03-01T10:00:00Z")}
	hour := azure.TransferHour(at("2026-03-15T14:25:00Z"))
	if hour != at("2026-03-15T14:00:00Z") {
		t.Fatalf("transfer hour %s", hour)
	}
	h1 := s.MoveTo(b, pb, uuid.New(), hour)
	h2 := s.MoveTo(c, pc, uuid.New(), at("2026-03-20T00:00:00Z"))
	if h1.PartnerID != a || !h1.From.Equal(s.CreatedAt) || !h1.To.Equal(hour) || h2.PartnerID != b || !h2.From.Equal(hour) || s.PartnerID != c || s.PlanSubscriptionID != pc {
		t.Fatalf("holdings %+v %+v, now %+v", h1, h2, s)
	}
	past := []azure.Holding{h1, h2}
	for _, tc := range []struct {
		hour       string
		partner, p uuid.UUID
	}{
		{"2026-03-01T10:00:00Z", a, pa}, {"2026-03-15T13:00:00Z", a, pa}, {"2026-03-15T14:00:00Z", b, pb},
		{"2026-03-19T23:00:00Z", b, pb}, {"2026-03-20T00:00:00Z", c, pc}, {"2026-02-01T00:00:00Z", a, pa},
	} {
		if partner, plan := s.HolderAt(past, at(tc.hour)); partner != tc.partner || plan != tc.p {
			t.Errorf("%s: holder %s plan %s", tc.hour, partner, plan)
		}
	}
	if f, to, ok := azure.Clip(at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"), h2.From, h2.To); !ok || !f.Equal(hour) || !to.Equal(h2.To) {
		t.Errorf("clip %s %s %v", f, to, ok)
	}
	if _, _, ok := azure.Clip(at("2026-04-01T00:00:00Z"), at("2026-05-01T00:00:00Z"), h2.From, h2.To); ok {
		t.Error("clip outside the holding")
	}
}
