package bench_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/bench"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store/postgres"
	"github.com/opencsp/opencsp/internal/store/sqlite"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
	"github.com/opencsp/opencsp/internal/testdb"
)

// childEnv names, in a child process of this test binary, the SQLite file
// whose month it advances (TestBillingRunSurvivesKills).
const childEnv = "OPENCSP_CRASH_CHILD_DB"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		if err := advanceChild(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// advanceChild is the child process: it opens the database as a server
// would and advances the sandbox clock to bench.Until, which runs the
// month's lifecycle events and December's billing run; started again
// after a kill, it finishes the stored advance.
func advanceChild(path string) error {
	ctx := context.Background()
	db, err := openDB(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	// A short lease: the next child takes over soon after a kill.
	a, err := app.New(ctx, db, app.Options{Sandbox: true, StartTime: bench.Start, LeaseTTL: 300 * time.Millisecond})
	if err != nil {
		return err
	}
	// The operator as its key would authenticate it (minting a key is a
	// write, which waits while a killed child's advance is stored).
	_, err = a.AdvanceClock(ctx, csp.Principal{Kind: csp.PrincipalOperator}, "", bench.Until)
	return err
}

// openDB opens a SQLite file, or the PostgreSQL schema a URL names.
func openDB(ctx context.Context, path string) (*sqlstore.DB, error) {
	if strings.HasPrefix(path, "postgres://") {
		return postgres.Open(ctx, path)
	}
	return sqlite.Open(ctx, path)
}

// runChild runs the child on path; with kill > 0 it sends SIGKILL after
// that long and reports whether the child was still running.
func runChild(t *testing.T, path string, kill time.Duration) (killed bool, took time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if kill > 0 {
		timer := time.AfterFunc(kill, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	err := cmd.Wait()
	took = time.Since(begin)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL && kill > 0 {
			return true, took
		}
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, stderr.String())
	}
	return false, took
}

func copyDB(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(from + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// outcome is what the run left: the invoices (number, currency, month,
// totals, line counts), each invoice's lines summed, the charges (type,
// period, subtotal, invoice; with ids, their subscription too) as a sorted
// multiset, the events' count and the clock.
func outcome(t *testing.T, path string, ids bool) string {
	t.Helper()
	ctx := context.Background()
	db, err := openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := db.WritePool()
	var b strings.Builder
	rows := func(query string, cols int) []string {
		r, err := q.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var out []string
		for r.Next() {
			vals := make([]any, cols)
			ptrs := make([]any, cols)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			cells := make([]string, cols)
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				cells[i] = fmt.Sprint(v)
			}
			out = append(out, strings.Join(cells, " "))
		}
		return out
	}
	for _, l := range rows(`SELECT number, currency, period, licence_subtotal, licence_tax, total, licence_lines, usage_lines FROM invoices ORDER BY number`, 8) {
		b.WriteString("invoice " + l + "\n")
	}
	// Each invoice's lines, summed exactly (SQLite stores decimals as text).
	sums := map[string][2]decimal.Decimal{}
	for _, l := range rows(`SELECT invoice_number, subtotal, tax_total FROM invoice_lines`, 3) {
		f := strings.Fields(l)
		s := sums[f[0]]
		s[0], s[1] = s[0].Add(decimal.RequireFromString(f[1])), s[1].Add(decimal.RequireFromString(f[2]))
		sums[f[0]] = s
	}
	for _, n := range sortedKeys(sums) {
		fmt.Fprintf(&b, "lines of %s: %s %s\n", n, sums[n][0].StringFixed(2), sums[n][1].StringFixed(2))
	}
	charges := rows(`SELECT charge_type, charge_start, subtotal, COALESCE(invoice_number, '-') FROM charges`, 4)
	if ids {
		charges = rows(`SELECT subscription_id, charge_type, charge_start, subtotal, COALESCE(invoice_number, '-') FROM charges`, 5)
	}
	sort.Strings(charges)
	fmt.Fprintf(&b, "%d charges\n%s\n", len(charges), strings.Join(charges, "\n"))
	b.WriteString(strings.Join(rows(`SELECT COUNT(*) FROM subscription_events`, 1), "") + " events\n")
	for _, l := range rows(`SELECT now, advancing_to FROM sandbox_clock`, 2) {
		// Times as instants: the engines print them differently.
		b.WriteString(strings.ReplaceAll(l, "<nil>", "-") + "\n")
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestBillingRunSurvivesKills seeds 8,000 subscriptions of one partner,
// then advances the month (its lifecycle events, then the billing run that
// closes December into one invoice) in a child process, 20 times, each
// killed with SIGKILL at another point of the run and started again: every
// outcome (the invoice and its totals, each invoice's lines, every charge
// and the invoice it is on, the events) equals the one of a run never
// killed.
func TestBillingRunSurvivesKills(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.db")
	db, err := sqlite.Open(ctx, seed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bench.Seed(ctx, db, 8000, bench.ByPurchase, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(dir, "ref.db")
	copyDB(t, seed, ref)
	if killed, _ := runChild(t, ref, 0); killed {
		t.Fatal("the reference run was killed")
	}
	// Measure the run once more (a copy) for the kill points.
	timing := filepath.Join(dir, "timing.db")
	copyDB(t, seed, timing)
	_, took := runChild(t, timing, 0)
	want := outcome(t, ref, true)
	if !strings.Contains(want, "invoice G000000001 ") || strings.Contains(want, "invoice G000000002 ") {
		t.Fatalf("the reference run did not close December into one invoice:\n%.600s", want)
	}
	if got := outcome(t, timing, true); got != want {
		t.Fatalf("two runs never killed differ")
	}
	interrupted := 0
	for i := 1; i <= 20; i++ {
		path := filepath.Join(dir, fmt.Sprintf("run%02d.db", i))
		copyDB(t, seed, path)
		at := took * time.Duration(i) / 21
		killed, _ := runChild(t, path, at)
		if killed {
			interrupted++
			runChild(t, path, 0)
		}
		if got := outcome(t, path, true); got != want {
			t.Fatalf("killed at %v (%d/21 of the run): the outcome differs from the run never killed", at, i)
		}
	}
	t.Logf("a run takes %v; %d of 20 kills interrupted it", took, interrupted)
	// Most kill points fall inside the run (a child that finished first
	// proves nothing).
	if interrupted < 15 {
		t.Errorf("only %d of 20 kills interrupted a running child (a run takes %v)", interrupted, took)
	}
}

// TestBillingRunSurvivesKillsOnPostgres is the same on PostgreSQL, at 10
// points over 2,000 subscriptions: each run has a schema of its own,
// seeded alike (the same subscriptions and dates, other ids), so the
// outcomes are compared without ids.
func TestBillingRunSurvivesKillsOnPostgres(t *testing.T) {
	ctx := context.Background()
	fresh := func() string {
		dsn := testdb.PostgresURL(t)
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := bench.Seed(ctx, db, 2000, bench.ByPurchase, io.Discard); err != nil {
			t.Fatal(err)
		}
		return dsn
	}
	ref := fresh()
	_, took := runChild(t, ref, 0)
	want := outcome(t, ref, false)
	if !strings.Contains(want, "invoice G000000001 ") {
		t.Fatalf("the reference run closed no invoice:\n%.600s", want)
	}
	interrupted := 0
	for i := 1; i <= 10; i++ {
		dsn := fresh()
		at := took * time.Duration(i) / 11
		if killed, _ := runChild(t, dsn, at); killed {
			interrupted++
			runChild(t, dsn, 0)
		}
		if got := outcome(t, dsn, false); got != want {
			t.Fatalf("killed at %v (%d/11 of the run): the outcome differs from the run never killed:\n%.2000s\nwant\n%.2000s", at, i, got, want)
		}
	}
	t.Logf("a run takes %v; %d of 10 kills interrupted it", took, interrupted)
	if interrupted < 7 {
		t.Errorf("only %d of 10 kills interrupted a running child (a run takes %v)", interrupted, took)
	}
}
