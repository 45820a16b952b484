package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newSubscriptions(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "subscriptions", Aliases: []string{"subscription", "subs"}, Short: "Read a customer's subscriptions (partner key)"}
	list := &cobra.Command{
		Use:   "list CUSTOMER_ID",
		Short: "List a customer's subscriptions with term, end date, cancellation window and auto-renew",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			subs, err := c.Subscriptions(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tOFFER\tQTY\tSTATUS\tTERM\tENDS\tCANCEL UNTIL\tAUTO-RENEW\tPRICE")
			for _, s := range subs {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s/%s\t%s\t%s\t%v\t%s %s\n", s.ID, s.OfferName, s.Quantity, s.Status, s.TermDuration, s.BillingCycle,
					date(s.CommitmentEndDate), stamp(s.CancellationAllowedUntilDate), s.AutoRenewEnabled, s.UnitPrice, s.CurrencyCode)
			}
			return tw.Flush()
		},
	}
	history := &cobra.Command{
		Use:   "history SUBSCRIPTION_ID",
		Short: "Show a subscription's history: orders, changes, renewals and charges",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			evs, err := c.SubscriptionHistory(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DATE\tEVENT\tCHANGES / CHARGE\tQTY\tBILLABLE\tSUBTOTAL\tPERIOD")
			for _, ev := range evs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t\t\t\t\n", ev.EventDate.Format(time.RFC3339), ev.EventType, changes(ev.Changes))
				for _, l := range ev.ChargeLines {
					fmt.Fprintf(tw, "\t\t%s\t%d\t%s\t%s %s\t%s..%s\n", l.ChargeType, l.Quantity, l.BillableQuantity, l.Subtotal, l.Currency,
						l.ChargeStartDate.Format(time.DateOnly), l.ChargeEndDate.Format(time.DateOnly))
				}
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(list, history)
	return cmd
}

func date(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.DateOnly)
}

func stamp(t *time.Time) string {
	if t == nil {
		return "closed"
	}
	return t.Format(time.RFC3339)
}

func changes(m map[string]any) string {
	var parts []string
	for _, k := range []string{"orderId", "status", "quantity", "offerId", "termDuration", "billingCycle", "unitPrice", "commitmentEndDate", "autoRenewEnabled", "to", "from"} {
		if v, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	return strings.Join(parts, " ")
}
