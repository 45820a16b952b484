package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/opencsp/opencsp/client"
)

// globals are the connection flags of the client commands.
type globals struct {
	server string
	key    string
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "opencsp",
		Short: "OpenCSP: the Microsoft CSP program end to end, behind the Partner Center API",
		Long: `OpenCSP implements the Cloud Solution Provider program: partners, customers and their
tenants (a tenant is also called a 365 tenant, Azure tenant, directory, organization or account),
relationships and sale policy, behind Partner Center shaped APIs.

Server commands: serve, demo, migrate, bench.
Client commands (talk to a running server): partners, customers, tenants, subscriptions, clock.
They read --server (OPENCSP_SERVER, default http://127.0.0.1:8080) and --key (OPENCSP_KEY).`,
		SilenceUsage: true,
		// main prints the error once.
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.server, "server", envOr("OPENCSP_SERVER", "http://127.0.0.1:8080"), "server URL for client commands")
	// The key's default is read when a command runs, not shown in --help:
	// it is a secret.
	root.PersistentFlags().StringVar(&g.key, "key", "", "API key for client commands (default: $OPENCSP_KEY)")
	root.AddCommand(newServe(), newDemo(), newMigrate(), newPartners(g), newCustomers(g), newTenants(g), newClock(g), newSubscriptions(g), newPlans(g), newImport(g))
	root.AddCommand(newBench())
	return root
}

func (g *globals) client() (*client.Client, error) {
	if g.key == "" {
		g.key = os.Getenv("OPENCSP_KEY")
	}
	if g.key == "" {
		return nil, fmt.Errorf("no key: pass --key or set OPENCSP_KEY (opencsp demo prints keys)")
	}
	return client.New(g.server, g.key), nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// printJSON writes v indented.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
