package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencsp/opencsp/internal/bench"
)

type benchOptions struct {
	db     string
	n      int
	counts string
	// cpuprofile names a file for a CPU profile of the advance (with
	// several sizes, one file per size: PATH.n).
	cpuprofile string
	// shuffled seeds the subscriptions in random order (bench.Shuffled).
	shuffled bool
}

func newBench() *cobra.Command {
	cmd := &cobra.Command{Use: "bench", Short: "Benchmarks on a fresh database (docs/benchmarks.md)"}
	o := &benchOptions{}
	lifecycle := &cobra.Command{
		Use:   "lifecycle",
		Short: "Time one sandbox clock advance over a month of renewals, cycle charges and expiries",
		Long: `Seeds n subscriptions whose renewals, cycle charges and expiries fall over one month, advances
the sandbox clock by P1M once, checks the outcome, and times a raw batched insert of n rows into
a table shaped like charges in the same database (three times: the ratio uses the median). Prints
the advance time, the insert time, their ratio, the events processed per second and the peak Go
heap during the advance.

The subscriptions are stored in the order they were bought, as a database the program fills has
them; --shuffled stores them in random order instead, the worst case for the advance (the rows due
together are spread over the whole table).

--db is "" (a temporary SQLite file, removed afterwards), sqlite:PATH (a new file, kept) or
postgres://... (a new schema in that database, dropped afterwards). --counts runs several sizes,
each on a fresh database, to show whether the peak heap stays flat as n grows.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			counts := []int{o.n}
			if o.counts != "" {
				var err error
				if counts, err = parseCounts(o.counts); err != nil {
					return err
				}
			}
			return runLifecycleBench(cmd, *o, counts)
		},
	}
	lifecycle.Flags().StringVar(&o.db, "db", "", "database: empty for a temporary SQLite file, sqlite:PATH (new file) or postgres://...")
	lifecycle.Flags().IntVar(&o.n, "n", 100_000, "number of subscriptions")
	lifecycle.Flags().StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the advance alone to this file (go tool pprof reads it)")
	lifecycle.Flags().StringVar(&o.counts, "counts", "", "comma-separated sizes to run in turn, for example 10000,50000,100000 (overrides --n)")
	lifecycle.Flags().BoolVar(&o.shuffled, "shuffled", false, "store the seeded subscriptions in random order instead of purchase order (the worst case)")
	cmd.AddCommand(lifecycle)
	var usage int
	closeCmd := &cobra.Command{
		Use:   "close",
		Short: "Time a month close over n subscriptions and a month of Azure usage records",
		Long: `Seeds n subscriptions (as bench lifecycle does) and about --usage hourly usage records of Azure
subscriptions of one partner over December, advances the sandbox clock to the month's last hour,
then times the advance over that hour, which closes December into the partner's invoice (every
charge and usage record of the month read, the invoice's lines written). Checks the invoice, and
times a raw batched insert of as many rows as were seeded (n + usage records) in the same database:
the ratio is close / insert. Prints the peak Go heap during the close.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, closeDB, err := bench.Open(ctx, o.db)
			if err != nil {
				return err
			}
			defer closeDB()
			r, err := bench.MonthClose(ctx, db, o.n, usage, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(w, "engine	n	usage records	licence lines	usage lines	close	raw insert	ratio	base heap	peak heap	")
			fmt.Fprintf(w, "%s	%d	%d	%d	%d	%s	%s	%.1f	%.1f MiB	%.1f MiB	\n", r.Engine, r.N, r.Usage, r.LicenceLines, r.UsageLines, seconds(r.Close),
				seconds(r.RawInsert), r.Ratio, mib(r.BaseHeapBytes), mib(r.PeakHeapBytes))
			return w.Flush()
		},
	}
	closeCmd.Flags().StringVar(&o.db, "db", "", "database: empty for a temporary SQLite file, sqlite:PATH (new file) or postgres://...")
	closeCmd.Flags().IntVar(&o.n, "n", 100_000, "number of subscriptions")
	closeCmd.Flags().IntVar(&usage, "usage", 1_000_000, "about this many hourly usage records")
	cmd.AddCommand(closeCmd)
	var lines int
	importCmd := &cobra.Command{
		Use:   "import",
		Short: "Time importing a generated reconciliation file of --lines lines",
		Long: `Writes a new-commerce reconciliation file of --lines cycle charges of 1,000 customers, times its
import (the whole file checked, then priced into 1,000 customer invoices in one transaction),
and a raw batched insert of as many rows in the same database; prints the ratio and the peak Go
heap during the import.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, closeDB, err := bench.Open(ctx, o.db)
			if err != nil {
				return err
			}
			defer closeDB()
			r, err := bench.Import(ctx, db, lines, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(w, "engine	lines	file	invoices	import	raw insert	ratio	base heap	peak heap	")
			fmt.Fprintf(w, "%s	%d	%.0f MB	%d	%s	%s	%.1f	%.1f MiB	%.1f MiB	\n", r.Engine, r.Lines, float64(r.FileBytes)/1e6, r.Invoices, seconds(r.Import),
				seconds(r.RawInsert), r.Ratio, mib(r.BaseHeapBytes), mib(r.PeakHeapBytes))
			return w.Flush()
		},
	}
	importCmd.Flags().StringVar(&o.db, "db", "", "database: empty for a temporary SQLite file, sqlite:PATH (new file) or postgres://...")
	importCmd.Flags().IntVar(&lines, "lines", 1_000_000, "lines of the generated file")
	cmd.AddCommand(importCmd)
	return cmd
}

func parseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--counts: %q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func runLifecycleBench(cmd *cobra.Command, o benchOptions, counts []int) error {
	ctx, out := cmd.Context(), cmd.OutOrStdout()
	var results []bench.Result
	for _, n := range counts {
		dsn := o.db
		if len(counts) > 1 && dsn != "" && !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
			dsn = fmt.Sprintf("%s.%d", dsn, n) // one new file per size
		}
		db, closeDB, err := bench.Open(ctx, dsn)
		if err != nil {
			return err
		}
		var prof *os.File
		if o.cpuprofile != "" {
			path := o.cpuprofile
			if len(counts) > 1 {
				path = fmt.Sprintf("%s.%d", path, n)
			}
			if prof, err = os.Create(path); err != nil {
				return errors.Join(err, closeDB())
			}
		}
		order := bench.ByPurchase
		if o.shuffled {
			order = bench.Shuffled
		}
		r, err := bench.Lifecycle(ctx, db, n, order, cmd.ErrOrStderr(), profileWriter(prof))
		if prof != nil {
			err = errors.Join(err, prof.Close())
		}
		if err = errors.Join(err, closeDB()); err != nil {
			return fmt.Errorf("n=%d: %w", n, err)
		}
		results = append(results, r)
	}
	printLifecycle(out, results)
	return nil
}

func printLifecycle(out io.Writer, results []bench.Result) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "engine\tn\tseed\tadvance\traw insert\tratio\tevents\tevents/s\tbase heap\tpeak heap\talloc/event\t")
	for _, r := range results {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%.1f\t%d\t%.0f\t%.1f MiB\t%.1f MiB\t%.1f KiB\t\n", r.Engine, r.N, seconds(r.Seed), seconds(r.Advance),
			seconds(r.RawInsert), r.Ratio, r.Events, r.EventsPerSecond, mib(r.BaseHeapBytes), mib(r.PeakHeapBytes),
			float64(r.AllocBytes)/float64(max(r.Events, 1))/1024)
	}
	w.Flush()
}

// profileWriter keeps a nil file a nil io.Writer.
func profileWriter(f *os.File) io.Writer {
	if f == nil {
		return nil
	}
	return f
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
