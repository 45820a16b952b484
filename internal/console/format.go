package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
)

// formatDateTime is an instant to the minute, in UTC.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// formatTerm is "P1Y/monthly"; the Azure plan has no term: "Usage-based,
// billed monthly".
func formatTerm(duration, cycle string) string {
	if duration == "" {
		return "Usage-based, billed " + cycle
	}
	return duration + "/" + cycle
}

func formatMoney(d decimal.Decimal) string { return d.StringFixed(2) }

func formatQuantity(d decimal.Decimal) string { return d.StringFixed(6) }

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// formatPolicy describes a sale policy; absent means every market the
// partner's locations allow.
func formatPolicy(sp *csp.SalePolicy) string {
	if sp == nil || (len(sp.Segments) == 0 && len(sp.Regions) == 0) {
		return "all its markets"
	}
	segs, regs := "any segment", "any region"
	if len(sp.Segments) > 0 {
		s := make([]string, len(sp.Segments))
		for i, v := range sp.Segments {
			s[i] = string(v)
		}
		segs = strings.Join(s, ", ")
	}
	if len(sp.Regions) > 0 {
		s := make([]string, len(sp.Regions))
		for i, v := range sp.Regions {
			s[i] = string(v)
		}
		regs = "regions " + strings.Join(s, ", ")
	}
	return segs + "; " + regs
}
