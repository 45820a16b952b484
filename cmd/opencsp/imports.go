package main

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

// newImport reads a real Partner Center file into customer invoices (a
// partner user's key with a billing role).
func newImport(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "import", Short: "Import files from a real Partner Center account (billing roles)"}
	recon := &cobra.Command{
		Use:   "recon FILE.csv",
		Short: "Make customer invoices from a Partner Center reconciliation or daily rated usage file",
		Long: `Uploads a new-commerce reconciliation file or a daily rated usage file, as Partner Center exports
it, with a progress bar. The server checks every line first: a refusal names each bad line and
column, and nothing is imported. Then it prices the lines with the partner's price books into one
customer invoice per customer and currency, and this command lists them. Importing the same file
again answers its first import.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			info, err := f.Stat()
			if err != nil {
				return err
			}
			bar := progressbar.NewOptions64(info.Size(), progressbar.OptionSetWriter(cmd.ErrOrStderr()), progressbar.OptionShowBytes(true),
				progressbar.OptionSetDescription("uploading "+filepath.Base(args[0])), progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(cmd.ErrOrStderr(), "\nchecking and pricing...") }))
			body := progressbar.NewReader(f, bar)
			imp, err := c.ImportReconciliation(cmd.Context(), &body)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			state := "imported"
			if imp.Repeated {
				state = "imported before (the same file): nothing new"
			}
			fmt.Fprintf(out, "import %s: %s file, %d lines, %s, %s\n", imp.ID, imp.Kind, imp.Lines, imp.Period, state)
			w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "invoice\tcustomer\tcurrency\tsubtotal\ttax\ttotal\tcost\tprofit\tlines")
			for _, inv := range imp.CustomerInvoices {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", inv.Number, inv.CustomerName, inv.CurrencyCode, inv.Subtotal, inv.TaxTotal, inv.Total,
					inv.Cost, inv.Profit, inv.LineCount)
			}
			return w.Flush()
		},
	}
	cmd.AddCommand(recon)
	return cmd
}
