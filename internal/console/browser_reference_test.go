package console_test

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opencsp/opencsp/internal/server"
)

// TestBrowserReferenceNarrow opens the API reference 420 pixels wide: long
// paths wrap and the field tables scroll inside their box, so the page
// itself is no wider than the window.
func TestBrowserReferenceNarrow(t *testing.T) {
	ctx := MustBrowser(t)
	w := MustSeed(t, "http://console.test")
	h, err := server.Handler(w.app)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(420, 900)); err != nil {
		t.Fatal(err)
	}
	MustLoad(t, ctx, chromedp.Navigate(srv.URL+"/console/reference"))
	if width := MustRun(t, ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth")); width > 420 {
		t.Errorf("the reference is %d px wide in a 420 px window", width)
	}
	title := MustRun(t, ctx, chromedp.Text(chromedp.CSS(`#op-postV1CustomersByCustomerIdCarts .ref-title`)))
	if title != "POST /v1/customers/{customer-id}/carts" {
		t.Errorf("the carts operation's title is %q", title)
	}
	// The widest operation path fits: it wraps inside the page.
	right := MustRun(t, ctx, chromedp.Evaluate[float64](`Math.max(...Array.from(document.querySelectorAll(".ref-path")).map(e => e.getBoundingClientRect().right))`))
	if right > 420 {
		t.Errorf("an operation path ends at %.0f px, past the 420 px window", right)
	}
}
