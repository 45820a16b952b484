package console

// The tenant page's Azure section: each Azure subscription the signed-in
// user may read, its role assignments and resources, and its month-to-date
// usage as a bar chart drawn on the server (SVG through html/template, so
// every value is escaped where it lands), with a notice when the spend
// reached the usage budget.

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

type azureSection struct {
	Subscriptions []azureView
}

type azureView struct {
	ID, Name, Status, Partner string
	Assignments               []assignmentRow
	Resources                 []resourceRow
	Chart                     *chartView // nil before the month's first hour is over
	MonthToDate               string     // the sum of the chart's days
	Estimate                  string     // the usage jobs' estimate, what the budget is checked against
	Budget                    string     // empty when none is set
	// OverBudget is the notice when the estimate reached the budget.
	OverBudget string
}

type assignmentRow struct {
	Role, Principal, Type, Scope string
}

type resourceRow struct {
	Name, Type, Group, Region, State string
}

// loadAzure reads the Azure subscriptions p may read in its tenant. names
// maps partner ids to names; dir gives the users' names.
func (h *handler) loadAzure(ctx context.Context, p csp.Principal, names map[uuid.UUID]string, dir *directoryView) (*azureSection, error) {
	c, err := h.app.ARMCallerOf(ctx, p, p.TenantID)
	if err != nil {
		return nil, err
	}
	subs, err := h.app.ListARMSubscriptions(ctx, c)
	if err != nil || len(subs) == 0 {
		return &azureSection{}, err
	}
	principals := map[uuid.UUID]string{}
	for _, u := range dir.Users {
		id, _ := uuid.Parse(u.ID)
		principals[id] = u.UPN
	}
	groups, err := h.app.ListGroups(ctx, p, p.TenantID, app.Page[app.Cursor]{Size: pageSize})
	if err != nil {
		return nil, err
	}
	for _, g := range groups.Items {
		principals[g.ID] = g.DisplayName
	}
	for id, n := range names {
		principals[id] = n + " (admin agents)"
	}
	sec := &azureSection{}
	for _, s := range subs {
		v := azureView{ID: s.ID.String(), Name: s.FriendlyName, Status: string(s.Status), Partner: names[s.PartnerID]}
		if v.Partner == "" {
			v.Partner = s.PartnerID.String()
		}
		ras, err := h.app.ListRoleAssignments(ctx, c, app.SubscriptionScope(s.ID))
		if csp.ErrorCode(err).Kind() == csp.KindForbidden {
			// A role below the subscription (a resource group's) lists
			// the subscription in ARM; the page shows whole subscriptions.
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, ra := range ras {
			who, ok := principals[ra.PrincipalID]
			if !ok {
				who = ra.PrincipalID.String()
			}
			v.Assignments = append(v.Assignments, assignmentRow{Role: app.AzureRoleName(ra.RoleDefinitionID), Principal: who, Type: string(ra.PrincipalType), Scope: ra.Scope.String()})
		}
		res, err := h.app.ListSubscriptionResources(ctx, c, s.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range res {
			state := "Succeeded"
			if r.PowerState != "" {
				state = string(r.PowerState)
			}
			v.Resources = append(v.Resources, resourceRow{Name: r.ID.Name(), Type: string(r.ID.Type), Group: r.ID.Group, Region: r.Location, State: state})
		}
		m, err := h.app.AzureCostToDate(ctx, c, s.ID)
		if err != nil {
			return nil, err
		}
		days, total := ratedDays(m.Lines)
		title := "Month-to-date usage of " + s.FriendlyName + ", " + m.Month.Format("January 2006") + ", in " + m.Estimate.Currency + " per day"
		if v.Chart = newChart(title, m.Month, m.Through, days); v.Chart != nil {
			v.Chart.ID = v.ID
		}
		v.MonthToDate = csp.NewMoney(total, m.Estimate.Currency).String()
		v.Estimate = m.Estimate.String()
		if m.Budget.Amount.IsPositive() {
			v.Budget = m.Budget.String()
		}
		if m.Exceeded() {
			v.OverBudget = "Month-to-date spend with " + v.Partner + " is " + m.Estimate.String() + ", at or above this organization's usage budget of " +
				m.Budget.String() + " for " + m.Month.Format("January 2006") + ". Ask " + v.Partner + " to raise the budget, or stop resources you do not need."
		}
		sec.Subscriptions = append(sec.Subscriptions, v)
	}
	return sec, nil
}

// ratedDays sums rated lines (ordered by day) per UTC day, and in all.
func ratedDays(lines []azure.RatedLine) ([]dayAmount, decimal.Decimal) {
	var days []dayAmount
	total := decimal.Zero
	for _, l := range lines {
		total = total.Add(l.Amount.Amount)
		if n := len(days); n > 0 && days[n-1].Day.Equal(l.UsageDate) {
			days[n-1].Amount = days[n-1].Amount.Add(l.Amount.Amount)
		} else {
			days = append(days, dayAmount{Day: l.UsageDate, Amount: l.Amount.Amount})
		}
	}
	return days, total
}

// dayAmount is one UTC day's rated usage.
type dayAmount struct {
	Day    time.Time
	Amount decimal.Decimal
}

// chartView is a bar chart's geometry, computed here so that the template
// only places values.
type chartView struct {
	ID              string // what the chart's element ids end with: its Azure subscription's id
	Title, Desc     string
	Width, Height   int
	AxisX, AxisY    int // the plot's left edge and baseline
	Right           int
	Bars            []barView
	YTicks, XLabels []tickView
}

type barView struct {
	Day                 string // 2026-03-01
	Amount              string // 6 decimals, as rated
	X, Y, Width, Height string
	Label               string // the bar's accessible title
}

type tickView struct {
	Pos   string // y of a value tick, x of a day label
	Label string
}

// The chart's layout, in SVG user units.
const (
	chartLeft   = 72  // room for the value labels
	chartTop    = 24  // room for the unit
	chartPlot   = 200 // the plot's height: the largest day's bar
	chartBottom = 40  // room for the day labels
	chartSlot   = 24  // one day's width
	chartBar    = 16  // a bar's width
)

// newChart draws one bar per day of the month through the last whole hour
// (days without usage have none of height): heights are proportional to
// the amounts, the largest day filling the plot. It answers nil before the
// month's first hour is over.
func newChart(title string, month, through time.Time, days []dayAmount) *chartView {
	if !month.Before(through) {
		return nil
	}
	n := int(through.Sub(month).Hours()+23) / 24
	amounts := make([]decimal.Decimal, n)
	for _, d := range days {
		if i := int(d.Day.Sub(month).Hours()) / 24; i >= 0 && i < n {
			amounts[i] = amounts[i].Add(d.Amount)
		}
	}
	top := decimal.Zero
	for _, a := range amounts {
		top = decimal.Max(top, a)
	}
	c := &chartView{Title: title, Width: chartLeft + n*chartSlot + 8, Height: chartTop + chartPlot + chartBottom,
		AxisX: chartLeft, AxisY: chartTop + chartPlot, Right: chartLeft + n*chartSlot}
	places := int32(4)
	if top.GreaterThanOrEqual(decimal.NewFromInt(10)) {
		places = 2
	}
	plot := decimal.NewFromInt(chartPlot)
	total := decimal.Zero
	for i, a := range amounts {
		total = total.Add(a)
		h := decimal.Zero
		if top.IsPositive() {
			h = a.Mul(plot).Div(top).Round(2)
		}
		day := month.AddDate(0, 0, i)
		x := chartLeft + i*chartSlot + (chartSlot-chartBar)/2
		c.Bars = append(c.Bars, barView{Day: day.Format(time.DateOnly), Amount: a.StringFixed(6),
			X: strconv.Itoa(x), Y: decimal.NewFromInt(chartTop + chartPlot).Sub(h).StringFixed(2), Width: strconv.Itoa(chartBar), Height: h.StringFixed(2),
			Label: day.Format(time.DateOnly) + ": USD " + a.StringFixed(6)})
		c.XLabels = append(c.XLabels, tickView{Pos: strconv.Itoa(chartLeft + i*chartSlot + chartSlot/2), Label: strconv.Itoa(day.Day())})
	}
	for _, f := range []int64{0, 1, 2} { // 0, half the largest day, the largest day
		v := top.Mul(decimal.NewFromInt(f)).Div(decimal.NewFromInt(2))
		y := decimal.NewFromInt(chartTop + chartPlot).Sub(decimal.NewFromInt(chartPlot * f / 2))
		c.YTicks = append(c.YTicks, tickView{Pos: y.StringFixed(0), Label: v.StringFixed(places)})
	}
	c.Desc = count(n, "day") + " from " + month.Format(time.DateOnly) + " through " + through.Add(-time.Nanosecond).Format(time.DateOnly) +
		"; total USD " + total.StringFixed(2) + "; largest day USD " + top.StringFixed(2) + "."
	return c
}
