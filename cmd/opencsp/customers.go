package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/opencsp/opencsp/client"
)

func newCustomers(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "customers",
		Aliases: []string{"customer"},
		Short:   "Manage a partner's customers (partner key)",
		Long:    "A customer is one tenant (365 tenant, Azure tenant, directory, organization, account) as a partner sees it.",
	}
	var q client.CustomerQuery
	var all bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List customers, with region and segment",
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TENANT ID\tNAME\tDOMAIN\tCOUNTRY\tREGION\tSEGMENT")
			for {
				page, err := c.ListCustomers(cmd.Context(), q)
				if err != nil {
					return err
				}
				for _, it := range page.Items {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.CompanyProfile.CompanyName, it.CompanyProfile.Domain,
						it.BillingProfile.DefaultAddress.Country, it.TenantRegion, it.Segment)
				}
				if q.Token = page.Next(); q.Token == "" || !all {
					if q.Token != "" {
						fmt.Fprintf(tw, "(more: --all, or --token %s)\n", q.Token)
					}
					return tw.Flush()
				}
			}
		},
	}
	list.Flags().StringVarP(&q.Q, "search", "q", "", "name or domain contains, or tenant id")
	list.Flags().IntVar(&q.Size, "size", 40, "page size")
	list.Flags().StringVar(&q.Token, "token", "", "continuation token of a previous page")
	list.Flags().BoolVar(&all, "all", false, "follow every page")
	get := &cobra.Command{
		Use:   "get CUSTOMER_ID",
		Short: "Show a customer",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			cust, err := c.GetCustomer(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return printJSON(cmd.OutOrStdout(), cust)
		},
	}
	var in client.Customer
	var requestID string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a customer: a new tenant with a reseller relationship",
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			if requestID == "" {
				requestID = client.NewRequestID()
			}
			cust, err := c.CreateCustomer(cmd.Context(), in, &client.Request{RequestID: requestID})
			if err != nil {
				return err
			}
			return printJSON(cmd.OutOrStdout(), cust)
		},
	}
	f := create.Flags()
	f.StringVar(&in.CompanyProfile.Domain, "domain", "", "domain prefix (contoso) or contoso.onmicrosoft.com")
	f.StringVar(&in.BillingProfile.CompanyName, "name", "", "company name")
	f.StringVar(&in.BillingProfile.Email, "email", "", "billing contact email")
	f.StringVar(&in.BillingProfile.FirstName, "first-name", "", "billing contact first name")
	f.StringVar(&in.BillingProfile.LastName, "last-name", "", "billing contact last name")
	f.StringVar(&in.BillingProfile.Culture, "culture", "en-US", "culture")
	f.StringVar(&in.BillingProfile.Language, "language", "en", "language")
	a := &in.BillingProfile.DefaultAddress
	f.StringVar(&a.Country, "country", "", "address country (ISO 3166 alpha-2); fixes the tenant region for good")
	f.StringVar(&a.City, "city", "", "address city")
	f.StringVar(&a.State, "state", "", "address state or province")
	f.StringVar(&a.AddressLine1, "address", "", "address line 1")
	f.StringVar(&a.PostalCode, "postal-code", "", "postal code")
	f.StringVar(&in.Segment, "segment", "", "commercial (default), education, government or nonprofit")
	f.StringVar(&requestID, "request-id", "", "MS-RequestId, to retry safely (default: a new one)")
	cmd.AddCommand(list, get, create)
	return cmd
}
