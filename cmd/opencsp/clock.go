package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencsp/opencsp/client"
)

func newClock(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "clock", Short: "Read or advance the sandbox clock (operator key)"}
	get := &cobra.Command{
		Use:   "get",
		Short: "Show the clock",
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			now, err := c.Clock(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), now.Now.Format(time.RFC3339))
			return nil
		},
	}
	advance := &cobra.Command{
		Use:   "advance DURATION",
		Short: "Move the sandbox clock forward (720h, PT12H, P30D, P1M, P1Y)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			now, err := c.AdvanceClock(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s (%d events processed)\n", now.Now.Format(time.RFC3339), now.ProcessedEvents)
			return nil
		},
	}
	cmd.AddCommand(get, advance)
	return cmd
}

func newTenants(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "tenants",
		Aliases: []string{"tenant", "directories", "organizations", "accounts"},
		Short:   "Tenants outside any partner (operator key); a tenant is also a 365 tenant, Azure tenant, directory, organization or account",
	}
	var in client.NewTenant
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a tenant for a customer who signed up directly; prints its admin's key",
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			t, err := c.CreateTenant(cmd.Context(), in)
			if err != nil {
				return err
			}
			return printJSON(cmd.OutOrStdout(), t)
		},
	}
	create.Flags().StringVar(&in.DisplayName, "name", "", "organization name")
	create.Flags().StringVar(&in.DomainPrefix, "domain", "", "domain prefix")
	create.Flags().StringVar(&in.Country, "country", "", "country (ISO 3166 alpha-2); fixes the tenant region")
	create.Flags().StringVar(&in.Segment, "segment", "", "segment")
	cmd.AddCommand(create)
	return cmd
}
