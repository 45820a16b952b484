package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/opencsp/opencsp/client"
)

// newPlans is the customer's planner (a tenant Global Administrator's
// key): plan a move to another CSP partner or channel, read it, apply it.
func newPlans(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "plans", Aliases: []string{"plan"}, Short: "Plan a move to another partner or channel (customer admin key)"}
	var toPartner, toChannel string
	create := &cobra.Command{
		Use:   "create (--to-partner ID | --to-channel direct|ea|mcaE)",
		Short: "Work out the steps for moving every subscription, with their dates",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			p, err := c.CreateChannelPlan(cmd.Context(), client.PlanDestination{PartnerID: toPartner, Channel: toChannel})
			if err != nil {
				return err
			}
			return printPlan(cmd.OutOrStdout(), p)
		},
	}
	create.Flags().StringVar(&toPartner, "to-partner", "", "the destination CSP partner's id")
	create.Flags().StringVar(&toChannel, "to-channel", "", "the destination channel: direct, ea or mcaE")
	create.MarkFlagsMutuallyExclusive("to-partner", "to-channel")
	create.MarkFlagsOneRequired("to-partner", "to-channel")
	show := &cobra.Command{
		Use:   "show PLAN_ID",
		Short: "Show a plan's steps and where each stands",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			p, err := c.ChannelPlan(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return printPlan(cmd.OutOrStdout(), p)
		},
	}
	apply := &cobra.Command{
		Use:   "apply PLAN_ID",
		Short: "Schedule a plan's steps (the day it was made); the clock carries them out",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			p, err := c.ApplyChannelPlan(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return printPlan(cmd.OutOrStdout(), p)
		},
	}
	cmd.AddCommand(create, show, apply)
	return cmd
}

func printPlan(w io.Writer, p *client.ChannelPlan) error {
	applied := "not applied"
	if p.AppliedDateTime != nil {
		applied = "applied " + p.AppliedDateTime.Format("2006-01-02T15:04:05Z07:00")
	}
	fmt.Fprintf(w, "plan %s to %s (%s)\n", p.ID, p.DestinationName, applied)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tACTION\tSUBSCRIPTION\tFROM\tOFFER\tQTY\tAUTO-RENEW OFF BY\tSTATE\tRESULT")
	for _, s := range p.Steps {
		off := s.LastDayToTurnOffAutoRenew
		if off == "" {
			off = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.Date, s.Action, s.SubscriptionID, s.From, s.OfferName, s.Quantity, off, s.State, s.Result)
	}
	for _, s := range p.Skipped {
		fmt.Fprintf(tw, "-\tunchanged (%s)\t%s\t\t\t\t\t\t\n", s.Reason, s.SubscriptionID)
	}
	return tw.Flush()
}
