package console

import (
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

func TestTemplatesParse(t *testing.T) {
	// New parses every page once; it does not touch the app while doing so.
	h, err := New(nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if h == nil {
		t.Fatal("New returned a nil handler")
	}
}

func TestCursor(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c := app.CustomerCursor{NameKey: "fabrikam", TenantID: uuid.New()}
		got, err := decodeCursor(encodeCursor(c), func(c app.CustomerCursor) bool { return c.TenantID != uuid.Nil })
		if err != nil || got == nil || *got != c {
			t.Fatalf("decodeCursor(encodeCursor(%+v)) = %+v, %v", c, got, err)
		}
	})
	t.Run("ErrInvalidToken", func(t *testing.T) {
		for _, s := range []string{"!!!", "e30", "bm90IGpzb24"} {
			if _, err := decodeCursor(s, func(c app.CustomerCursor) bool { return c.TenantID != uuid.Nil }); csp.ErrorCode(err) != csp.EInvalidToken {
				t.Errorf("decodeCursor(%q) error = %v, want EInvalidToken", s, err)
			}
		}
	})
}
