package console

import (
	"testing"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
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

func TestKeyCookie(t *testing.T) {
	for _, key := range []string{
		"ocsp_0190a1b2c3d4e5f60718293a4b5c6d7e_abc-DEF_123",
		"operator token; with spaces, \"quotes\"",
		"b64.looks-encoded",
	} {
		v := encodeKey(key)
		if !cookieSafe(v) {
			t.Errorf("encodeKey(%q) = %q is not cookie-safe", key, v)
		}
		if got := decodeKey(v); got != key {
			t.Errorf("decodeKey(encodeKey(%q)) = %q", key, got)
		}
	}
	// Minted keys are stored as they are.
	if k := "ocsp_0190a1b2c3d4e5f60718293a4b5c6d7e_abc"; encodeKey(k) != k {
		t.Errorf("encodeKey changed a cookie-safe key: %q", encodeKey(k))
	}
}

func TestCursor(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c := store.CustomerCursor{NameKey: store.NameKey("Fabrikam"), TenantID: uuid.New()}
		got, err := decodeCursor(encodeCursor(c))
		if err != nil || got == nil || *got != c {
			t.Fatalf("decodeCursor(encodeCursor(%+v)) = %+v, %v", c, got, err)
		}
	})
	t.Run("ErrInvalidToken", func(t *testing.T) {
		for _, s := range []string{"!!!", "e30", "bm90IGpzb24"} {
			if _, err := decodeCursor(s); csp.ErrorCode(err) != csp.EInvalidToken {
				t.Errorf("decodeCursor(%q) error = %v, want EInvalidToken", s, err)
			}
		}
	})
}
