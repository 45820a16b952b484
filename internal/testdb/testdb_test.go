package testdb

import (
	"context"
	"testing"

	"github.com/opencsp/opencsp/internal/store"
)

func TestEnginesMigrate(t *testing.T) {
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) {
			db := e.Open(t)
			ctx := context.Background()
			if err := db.Write(ctx, func(tx store.Tx) error { return tx.SetSetting(ctx, "k", "v1") }); err != nil {
				t.Fatal(err)
			}
			var got string
			if err := db.Read(ctx, func(tx store.Tx) (err error) { got, _, err = tx.Setting(ctx, "k"); return err }); err != nil {
				t.Fatal(err)
			}
			if got != "v1" {
				t.Fatalf("setting = %q, want v1", got)
			}
		})
	}
}
