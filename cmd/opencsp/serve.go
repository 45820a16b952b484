package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencsp/opencsp/internal/api"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/server"
	"github.com/opencsp/opencsp/internal/store/engines"
)

type serveOptions struct {
	addr      string
	db        string
	sandbox   bool
	startTime string
	publicURL string
	seed      uint64
	seeded    bool
}

func newServe() *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the server (APIs and console)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, cmd.OutOrStdout(), *o, nil)
		},
	}
	addServeFlags(cmd, o)
	cmd.Flags().StringVar(&o.db, "db", envOr("OPENCSP_DB", "sqlite:opencsp.db"), "database: sqlite:PATH or postgres://...")
	return cmd
}

func addServeFlags(cmd *cobra.Command, o *serveOptions) {
	cmd.Flags().StringVar(&o.addr, "addr", envOr("OPENCSP_ADDR", "127.0.0.1:8080"), "listen address")
	cmd.Flags().BoolVar(&o.sandbox, "sandbox", false, "simulated clock, moved by POST /admin/v1/clock/advance")
	cmd.Flags().StringVar(&o.startTime, "start-time", "", "sandbox clock's first value (RFC 3339); default: now, at the database's first start")
	cmd.Flags().Func("seed", "sandbox only: make ids repeatable (the same seed, start time and calls give the same ids, dates and amounts; secrets stay random)",
		func(v string) error {
			n, err := strconv.ParseUint(v, 10, 64)
			o.seed, o.seeded = n, err == nil
			return err
		})
	cmd.Flags().StringVar(&o.publicURL, "public-url", os.Getenv("OPENCSP_PUBLIC_URL"),
		"the address clients reach the server at (https://... behind a TLS proxy): invitation links name it, and the console's cookie is Secure when it is https")
}

// serve opens the store, builds the app and serves until ctx ends. seed, if
// set, runs after the app is built and before the listener opens (demo).
func serve(ctx context.Context, out io.Writer, o serveOptions, seed func(context.Context, *app.App, string) error) error {
	db, err := engines.Open(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	opts := app.Options{Sandbox: o.sandbox, OperatorToken: os.Getenv("OPENCSP_OPERATOR_TOKEN")}
	if o.seeded {
		opts.Seed = &o.seed
	}
	if o.startTime != "" {
		if opts.StartTime, err = time.Parse(time.RFC3339, o.startTime); err != nil {
			return fmt.Errorf("--start-time: %w", err)
		}
	}
	// OPENCSP_LEASE_TTL shortens how long a crashed instance's leases hold
	// (the fault tests restart a killed server and should not wait 15 s).
	if v := os.Getenv("OPENCSP_LEASE_TTL"); v != "" {
		if opts.LeaseTTL, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("OPENCSP_LEASE_TTL %q: %w", v, err)
		}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	opts.BaseURL = base
	if o.publicURL != "" {
		u, err := url.Parse(o.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ln.Close()
			return fmt.Errorf("--public-url %q: give an absolute http:// or https:// URL", o.publicURL)
		}
		opts.BaseURL = strings.TrimRight(o.publicURL, "/")
	}
	a, err := app.New(ctx, db, opts)
	if err != nil {
		ln.Close()
		return err
	}
	if seed != nil {
		if err := seed(ctx, a, base); err != nil {
			ln.Close()
			return err
		}
	} else if opts.OperatorToken == "" {
		k, err := a.MintOperatorKey(ctx)
		if err != nil {
			ln.Close()
			return err
		}
		fmt.Fprintf(out, "operator key (shown once; set OPENCSP_OPERATOR_TOKEN to choose your own): %s\n", k.APIKey)
	}
	perMinute := 500 // Partner Center's published subscription-resource figure, per partner
	if v := os.Getenv("OPENCSP_RATE_LIMIT"); v != "" {
		if perMinute, err = strconv.Atoi(v); err != nil {
			ln.Close()
			return fmt.Errorf("OPENCSP_RATE_LIMIT %q: a number of requests per minute (0 turns throttling off)", v)
		}
	}
	h, err := server.Handler(a, api.Options{RequestsPerMinute: perMinute})
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "OpenCSP on %s (db %s, %s)\n  console: %s/console\n  APIs:    %s/v1  %s/admin/v1  %s/tenant/v1\n",
		base, db.Engine(), mode(a), base, base, base, base)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go a.RunScheduler(ctx, 30*time.Second)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			slog.Error("shutdown", "err", err)
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

func mode(a *app.App) string {
	if a.IsSandbox() {
		return "sandbox, clock at " + a.Now(context.Background()).Format(time.RFC3339)
	}
	return "real clock"
}

func newMigrate() *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply the embedded database migrations and exit",
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := engines.Open(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "migrated %s database\n", db.Engine())
			return nil
		},
	}
	cmd.Flags().StringVar(&dsn, "db", envOr("OPENCSP_DB", "sqlite:opencsp.db"), "database: sqlite:PATH or postgres://...")
	return cmd
}
