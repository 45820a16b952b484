package csp

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Kinds of allowed custom term end dates, in Partner Center's spelling
// (allowedCustomTermEndDateType, partner-center-api.md §8).
const (
	CotermCalendarMonth = "calendarMonthAligned"
	CotermSubscription  = "subscriptionAligned"
)

// CotermDate is one customTermEndDate a new term may take.
type CotermDate struct {
	Type string
	Date time.Time
	// SubscriptionIDs are the subscriptions a subscriptionAligned date
	// ends the term with.
	SubscriptionIDs []uuid.UUID
}

// CotermDates lists the custom end dates of a term of duration starting on
// start: the latest calendar month end on or before the natural end,
// then, by date, the latest end of each of others that the term may align
// to in that span (subscriptions ending the same day share one item).
// Every date is after the term's first day. others are the customer's
// subscriptions; those that are not active paid terms are skipped.
func CotermDates(start time.Time, duration string, others []*Subscription) []CotermDate {
	first, natural := Day(start), TermEnd(start, duration)
	var out []CotermDate
	if m := lastMonthEnd(natural); m.After(first) {
		out = append(out, CotermDate{Type: CotermCalendarMonth, Date: m})
	}
	var aligned []CotermDate
	for _, o := range others {
		if !cotermable(o) {
			continue
		}
		var latest time.Time
		for _, e := range o.termEnds(natural) {
			if e.Day.After(first) && cotermRefusal(duration, e) == "" {
				latest = e.Day
			}
		}
		if latest.IsZero() {
			continue
		}
		if i := slices.IndexFunc(aligned, func(d CotermDate) bool { return d.Date.Equal(latest) }); i >= 0 {
			aligned[i].SubscriptionIDs = append(aligned[i].SubscriptionIDs, o.ID)
		} else {
			aligned = append(aligned, CotermDate{Type: CotermSubscription, Date: latest, SubscriptionIDs: []uuid.UUID{o.ID}})
		}
	}
	slices.SortStableFunc(aligned, func(a, b CotermDate) int { return a.Date.Compare(b.Date) })
	return append(out, aligned...)
}

// CheckCustomTermEnd answers end, as a day, when it is one of the dates
// CotermDates lists for the term, and otherwise an error that says
// which rule the date breaks and which dates are allowed.
func CheckCustomTermEnd(start time.Time, duration string, end time.Time, others []*Subscription) (time.Time, error) {
	end = Day(end)
	first, natural := Day(start), TermEnd(start, duration)
	if !end.After(first) || end.After(natural) {
		return end, Errorf(EInvalidCustomTermEnd, "customTermEndDate %s must fall after the term's first day, %s, and on or before its natural end, %s (commerce rule R-4)",
			end.Format(time.DateOnly), first.Format(time.DateOnly), natural.Format(time.DateOnly))
	}
	allowed := CotermDates(start, duration, others)
	if slices.ContainsFunc(allowed, func(d CotermDate) bool { return d.Date.Equal(end) }) {
		return end, nil
	}
	for _, o := range others {
		if !cotermable(o) {
			continue
		}
		for _, e := range o.termEnds(natural) {
			if why := cotermRefusal(duration, e); e.Day.Equal(end) && why != "" {
				return end, Errorf(EInvalidCustomTermEnd, "customTermEndDate %s is the end of subscription %s, but %s (commerce rule R-4)",
					end.Format(time.DateOnly), o.ID, why)
			}
		}
	}
	var dates []string
	for _, d := range allowed {
		dates = append(dates, d.Date.Format(time.DateOnly))
	}
	use := "no custom end date is allowed for it"
	if len(dates) > 0 {
		use = "use " + strings.Join(dates, " or ")
	}
	return end, Errorf(EInvalidCustomTermEnd,
		"customTermEndDate %s is neither the latest calendar month end of the term nor the latest end, within the term, of one of the customer's active paid subscriptions: %s (commerce rule R-4; GET /v1/customers/{id}/subscriptions/customTermEndDates lists them)",
		end.Format(time.DateOnly), use).WithData("allowedCustomTermEndDates=" + strings.Join(dates, ","))
}

// cotermable reports whether a term may align to o: an active paid
// Microsoft subscription with a term.
func cotermable(o *Subscription) bool {
	return o.Status == StatusActive && !o.IsTrial && o.HasTerm() && !o.PartnerService
}

// cotermRefusal says why a term of duration cannot end with the term e
// of another subscription, or "" when it can.
func cotermRefusal(duration string, e termEnd) string {
	switch {
	case duration != "P1M" && e.Duration == "P1M":
		return fmt.Sprintf("that term is month-to-month (P1M): a %s term cannot align to a P1M subscription", duration)
	case duration == "P1M" && e.Day.Day() >= 28 && !IsMonthEnd(e.Day):
		return fmt.Sprintf("a P1M term cannot align to a subscription ending on the %dth unless that is the month's last day", e.Day.Day())
	}
	return ""
}

// termEnd is the last day of one of a subscription's terms, and the term's
// duration.
type termEnd struct {
	Day      time.Time
	Duration string
}

// termEnds lists o's term ends up to last: its current term's and, while
// auto-renew is on, those of the terms it renews into, the scheduled term
// and custom end first.
func (o *Subscription) termEnds(last time.Time) []termEnd {
	var out []termEnd
	e := termEnd{Day: o.TermEnd, Duration: o.TermDuration}
	next, custom := o.TermDuration, (*time.Time)(nil)
	if o.Scheduled != nil {
		next, custom = o.Scheduled.TermDuration, o.Scheduled.CustomTermEndDate
	}
	for !e.Day.After(last) {
		out = append(out, e)
		if !o.AutoRenew {
			break
		}
		n := termEnd{Day: TermEnd(e.Day.AddDate(0, 0, 1), next), Duration: next}
		if custom != nil {
			n.Day, custom = Day(*custom), nil
		}
		if !n.Day.After(e.Day) { // no term: nothing renews
			break
		}
		e = n
	}
	return out
}

// lastMonthEnd is the last calendar month end on or before day.
func lastMonthEnd(day time.Time) time.Time {
	if IsMonthEnd(day) {
		return Day(day)
	}
	return Day(day).AddDate(0, 0, -Day(day).Day())
}
