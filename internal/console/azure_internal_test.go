package console

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestUsageChart: four days through 2026-03-04 10:00 with hand-worked
// amounts 1.20, 0 (no line), 0.30 and 0.60 (two lines of 0.45 and 0.15):
// the largest day fills the 200-unit plot, so the bars are 200, 0, 50 and
// 100 high, each on the baseline at y = 24 + 200 = 224.
func TestUsageChart(t *testing.T) {
	march := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	d := func(day int, amount string) dayAmount {
		return dayAmount{Day: march.AddDate(0, 0, day-1), Amount: decimal.RequireFromString(amount)}
	}
	c := newChart("Usage", march, march.AddDate(0, 0, 3).Add(10*time.Hour), []dayAmount{d(1, "1.20"), d(3, "0.30"), d(4, "0.45"), d(4, "0.15")})
	if c == nil || len(c.Bars) != 4 {
		t.Fatalf("chart %+v", c)
	}
	for i, want := range []struct{ day, amount, h, y string }{
		{"2026-03-01", "1.200000", "200.00", "24.00"},
		{"2026-03-02", "0.000000", "0.00", "224.00"},
		{"2026-03-03", "0.300000", "50.00", "174.00"},
		{"2026-03-04", "0.600000", "100.00", "124.00"},
	} {
		b := c.Bars[i]
		if b.Day != want.day || b.Amount != want.amount || b.Height != want.h || b.Y != want.y {
			t.Errorf("bar %d = %+v, want %+v", i, b, want)
		}
	}
	if c.Width != 72+4*24+8 || c.Height != 264 || c.YTicks[2].Label != "1.2000" || c.YTicks[1].Label != "0.6000" || c.XLabels[3].Label != "4" {
		t.Errorf("axes: %d×%d, ticks %+v, days %+v", c.Width, c.Height, c.YTicks, c.XLabels)
	}
	if want := "4 days from 2026-03-01 through 2026-03-04; total USD 2.10; largest day USD 1.20."; c.Desc != want {
		t.Errorf("desc %q, want %q", c.Desc, want)
	}
	if newChart("Usage", march, march, nil) != nil {
		t.Error("a chart before the month's first hour is over")
	}
}

// TestUsageChartEscapes: a subscription's name lands in the chart's title
// as text, never as markup.
func TestUsageChartEscapes(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	march := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	sec := &azureSection{Subscriptions: []azureView{{ID: "s1", Name: `<script>x</script>`,
		Chart: newChart(`Usage of </title><script>x</script>`, march, march.Add(time.Hour), nil)}}}
	var buf bytes.Buffer
	if err := pages["tenant"].ExecuteTemplate(&buf, "tenant_azure", sec); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>") || !strings.Contains(buf.String(), "Usage of &lt;/title&gt;&lt;script&gt;") {
		t.Errorf("not escaped:\n%s", buf.String())
	}
}
