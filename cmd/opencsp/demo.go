package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/demo"
)

func newDemo() *cobra.Command {
	o := &serveOptions{sandbox: true}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a sandbox with a temporary SQLite database and the demo world",
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := os.MkdirTemp("", "opencsp-demo-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			o.db = "sqlite:" + filepath.Join(dir, "demo.db")
			o.sandbox = true
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			out := cmd.OutOrStdout()
			return serve(ctx, out, *o, func(ctx context.Context, a *app.App, base string) error {
				w, err := demo.Seed(ctx, a)
				if err != nil {
					return err
				}
				printDemo(out, w, base)
				return nil
			})
		},
	}
	addServeFlags(cmd, o)
	// The demo is always a sandbox.
	_ = cmd.Flags().MarkHidden("sandbox")
	return cmd
}

func printDemo(out io.Writer, w *demo.World, base string) {
	fmt.Fprintf(out, "Demo world loaded: %d partners, %d customer tenants. Keys (sign in at %s/console):\n", len(w.Partners), len(w.Tenants), base)
	for _, k := range w.Keys {
		fmt.Fprintf(out, "  %-16s %-58s %s\n", k.Role, k.Who, k.APIKey)
	}
	fmt.Fprintf(out, "Try: curl -s -H \"Authorization: Bearer <key>\" %s/v1/customers\n", base)
}
