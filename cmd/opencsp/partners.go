package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/opencsp/opencsp/client"
)

func newPartners(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "partners", Short: "Manage partners (operator key)"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List partners",
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tMPN ID\tTYPE\tNAME\tLOCATIONS")
			token := ""
			for {
				page, err := c.ListPartners(cmd.Context(), 100, token)
				if err != nil {
					return err
				}
				for _, p := range page.Items {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", p.ID, p.MpnID, p.PartnerType, p.Name, p.Locations)
				}
				if token = page.Next(); token == "" {
					return tw.Flush()
				}
			}
		},
	}
	get := &cobra.Command{
		Use:   "get PARTNER_ID",
		Short: "Show a partner",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			id, err := parsePartnerID(args[0])
			if err != nil {
				return err
			}
			p, err := c.GetPartner(cmd.Context(), id)
			if err != nil {
				return err
			}
			return printJSON(cmd.OutOrStdout(), p)
		},
	}
	var in client.NewPartner
	var provider string
	var segments, regions []string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a partner",
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			if provider != "" {
				id, err := uuid.Parse(provider)
				if err != nil {
					return fmt.Errorf("--provider %q is not a GUID", provider)
				}
				in.ProviderID = &id
			}
			if len(segments)+len(regions) > 0 {
				in.SalePolicy = &client.SalePolicy{Segments: segments, Regions: regions}
			}
			p, err := c.CreatePartner(cmd.Context(), in)
			if err != nil {
				return err
			}
			return printJSON(cmd.OutOrStdout(), p)
		},
	}
	f := create.Flags()
	f.StringVar(&in.Name, "name", "", "company name")
	f.StringVar(&in.Country, "country", "", "head office country (ISO 3166 alpha-2)")
	f.StringSliceVar(&in.Locations, "locations", nil, "more countries where the partner is registered")
	f.StringVar(&in.PartnerType, "type", "direct", "direct, indirectProvider or indirectReseller")
	f.StringVar(&provider, "provider", "", "indirect provider id (indirectReseller only)")
	f.StringVar(&in.MpnID, "mpn-id", "", "partner id (assigned if empty)")
	f.StringSliceVar(&segments, "segments", nil, "sale policy: segments sold to")
	f.StringSliceVar(&regions, "regions", nil, "sale policy: tenant regions sold to")
	cmd.AddCommand(list, get, create, newPartnerPolicy(g), newPartnerUser(g))
	return cmd
}

func parsePartnerID(s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, fmt.Errorf("partner id %q is not a GUID", s)
	}
	return id, nil
}

func newPartnerPolicy(g *globals) *cobra.Command {
	var sp client.SalePolicy
	cmd := &cobra.Command{
		Use:   "set-policy PARTNER_ID",
		Short: "Replace a partner's sale policy (segments and tenant regions it sells to)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			id, err := parsePartnerID(args[0])
			if err != nil {
				return err
			}
			p, err := c.SetSalePolicy(cmd.Context(), id, sp)
			if err != nil {
				return err
			}
			return printJSON(cmd.OutOrStdout(), p)
		},
	}
	cmd.Flags().StringSliceVar(&sp.Segments, "segments", nil, "segments (commercial, education, government, nonprofit); empty = all")
	cmd.Flags().StringSliceVar(&sp.Regions, "regions", nil, "tenant regions (US, CA, UK, EU, ...); empty = all in its markets")
	return cmd
}

func newPartnerUser(g *globals) *cobra.Command {
	var in client.NewPartnerUser
	cmd := &cobra.Command{
		Use:   "add-user PARTNER_ID",
		Short: "Add a user with roles to a partner; prints the user's key once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			id, err := parsePartnerID(args[0])
			if err != nil {
				return err
			}
			k, err := c.CreatePartnerUser(cmd.Context(), id, in)
			if err != nil {
				return err
			}
			return printJSON(cmd.OutOrStdout(), k)
		},
	}
	cmd.Flags().StringVar(&in.DisplayName, "name", "", "display name")
	cmd.Flags().StringVar(&in.Email, "email", "", "email")
	cmd.Flags().StringSliceVar(&in.Roles, "roles", []string{"adminAgent"}, "adminAgent, salesAgent, billingAdmin, helpdeskAgent")
	return cmd
}
