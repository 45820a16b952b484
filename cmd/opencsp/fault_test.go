package main

// Fault tests: a child `opencsp serve` (this test binary, re-run as the
// command) is killed with SIGKILL in the middle of checkouts and of a
// three-year clock advance, then restarted on the same database, again and
// again. The ledger it ends with must be exactly that of a run that was
// never interrupted: every subscription's charges, one by one.
//
// CI kills at 10 points per engine (20 in all). For a longer run by hand:
//
//	OPENCSP_FAULT_POINTS=60 OPENCSP_TEST_POSTGRES_URL=postgres://... go test -run TestFault -v ./cmd/opencsp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestMain lets the test binary act as `opencsp` when a fault test starts
// it as a child process.
func TestMain(m *testing.M) {
	if args := os.Getenv("OPENCSP_TEST_CHILD_ARGS"); args != "" {
		root := newRoot()
		root.SetArgs(strings.Split(args, "\n"))
		if err := root.Execute(); err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const (
	faultToken  = "ocsp-fault-test-operator-token"
	faultStart  = "2026-01-05T09:00:00Z"
	faultTarget = "2029-01-05T09:00:00Z"
)

// child is one running `opencsp serve`.
type child struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startChild starts `opencsp serve --sandbox` on dsn and waits for its URL.
func startChild(t *testing.T, dsn string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		"OPENCSP_TEST_CHILD_ARGS="+strings.Join([]string{"serve", "--sandbox", "--db", dsn, "--addr", "127.0.0.1:0", "--start-time", faultStart}, "\n"),
		"OPENCSP_OPERATOR_TOKEN="+faultToken, "OPENCSP_LEASE_TTL=300ms", "OPENCSP_RATE_LIMIT=0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stderr: &syncBuffer{}}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "OpenCSP on "); ok {
				urls <- strings.Fields(rest)[0]
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case c.url = <-urls:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the server did not start: %s", c.stderr)
	}
	return c
}

// kill sends SIGKILL and waits for the process to end.
func (c *child) kill() {
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
}

// faultWorld is the scenario's partner and customer on a running child.
type faultWorld struct {
	op, pc   *client.Client
	customer string
}

// seed creates a partner, a customer with an attested agreement and 120
// subscriptions of four kinds, each with its own friendly name.
func seed(t *testing.T, ctx context.Context, c *child) *faultWorld {
	t.Helper()
	op := client.New(c.url, faultToken)
	p, err := op.CreatePartner(ctx, client.NewPartner{Name: "Fault Partners", Country: "US", Locations: []string{"DE"}, PartnerType: "direct"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := op.CreatePartnerUser(ctx, p.ID, client.NewPartnerUser{DisplayName: "Agent", Email: "agent@fault.example", Roles: []string{"adminAgent"}})
	if err != nil {
		t.Fatal(err)
	}
	pc := client.New(c.url, k.APIKey)
	cust, err := pc.CreateCustomer(ctx, client.Customer{CompanyProfile: client.CompanyProfile{Domain: "faultcorp"},
		BillingProfile: client.BillingProfile{FirstName: "Gena", LastName: "Soto", Email: "gena@fault.example", Culture: "en-US", Language: "en",
			CompanyName: "Fault Corp", DefaultAddress: client.Address{Country: "US", City: "Redmond", State: "WA", AddressLine1: "1 Microsoft Way", PostalCode: "98052"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &faultWorld{op: op, pc: pc, customer: cust.ID}
	body := map[string]any{"primaryContact": map[string]string{"firstName": "Gena", "lastName": "Soto", "email": "gena@fault.example"},
		"templateId": csp.MCATemplateID, "dateAgreed": "2026-01-05T00:00:00Z", "type": "MicrosoftCustomerAgreement"}
	if _, err := pc.Do(ctx, http.MethodPost, "/v1/customers/"+w.customer+"/agreements", body, nil, nil); err != nil {
		t.Fatal(err)
	}
	kinds := []map[string]any{
		{"catalogItemId": "CFQ7TTC0LCHC:0001:CFQ7TTC0MM1W", "termDuration": "P1Y", "billingCycle": "monthly"},
		{"catalogItemId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "termDuration": "P1M", "billingCycle": "monthly"},
		{"catalogItemId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "termDuration": "P1Y", "billingCycle": "annual"},
		{"catalogItemId": "CFQ7TTC0LDPB:0001:CFQ7TTC06D99", "termDuration": "P1Y", "billingCycle": "monthly"},
	}
	var lines []map[string]any
	for i := range 120 {
		l := map[string]any{"quantity": 1 + i%17, "friendlyName": fmt.Sprintf("S%03d", i)}
		for k, v := range kinds[i%len(kinds)] {
			l[k] = v
		}
		lines = append(lines, l)
	}
	w.checkout(t, ctx, w.cart(t, ctx, lines), nil)
	return w
}

func (w *faultWorld) cart(t *testing.T, ctx context.Context, lines []map[string]any) string {
	t.Helper()
	var cart struct {
		ID string `json:"id"`
	}
	if _, err := w.pc.Do(ctx, http.MethodPost, "/v1/customers/"+w.customer+"/carts", map[string]any{"lineItems": lines}, &cart, nil); err != nil {
		t.Fatal(err)
	}
	return cart.ID
}

func (w *faultWorld) checkout(t *testing.T, ctx context.Context, cartID string, opt *client.Request) error {
	t.Helper()
	_, err := w.pc.Do(ctx, http.MethodPost, "/v1/customers/"+w.customer+"/carts/"+cartID+"/checkout", nil, nil, opt)
	return err
}

// smallCart makes checkout k's cart: three lines named C<k>a..c.
func (w *faultWorld) smallCart(t *testing.T, ctx context.Context, k int) string {
	t.Helper()
	return w.cart(t, ctx, []map[string]any{
		{"catalogItemId": "CFQ7TTC0LCHC:0001:CFQ7TTC0MM1W", "termDuration": "P1Y", "billingCycle": "monthly", "quantity": 2 + k, "friendlyName": fmt.Sprintf("C%02da", k)},
		{"catalogItemId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "termDuration": "P1M", "billingCycle": "monthly", "quantity": 3, "friendlyName": fmt.Sprintf("C%02db", k)},
		{"catalogItemId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "termDuration": "P1Y", "billingCycle": "annual", "quantity": 1 + k, "friendlyName": fmt.Sprintf("C%02dc", k)},
	})
}

// ledger renders every subscription's charges by friendly name.
func (w *faultWorld) ledger(t *testing.T, ctx context.Context) map[string][]string {
	t.Helper()
	subs, err := w.pc.Subscriptions(ctx, w.customer)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, s := range subs {
		evs, err := w.pc.SubscriptionHistory(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, ev := range evs {
			for _, c := range ev.ChargeLines {
				lines = append(lines, fmt.Sprintf("%s %s %d %s %s..%s", ev.EventDate.Format(time.DateOnly), c.ChargeType, c.Quantity, c.Subtotal,
					c.ChargeStartDate.Format(time.DateOnly), c.ChargeEndDate.Format(time.DateOnly)))
			}
		}
		if _, dup := out[s.FriendlyName]; dup {
			t.Fatalf("two subscriptions are named %s: a checkout was done twice", s.FriendlyName)
		}
		out[s.FriendlyName] = append([]string{s.Status}, lines...)
	}
	return out
}

// clockOf reads the child's clock.
func clockOf(ctx context.Context, op *client.Client) (*client.Clock, error) {
	var c client.Clock
	_, err := op.Do(ctx, http.MethodGet, "/admin/v1/clock", nil, &c, nil)
	return &c, err
}

func faultPoints() int {
	if n, err := strconv.Atoi(os.Getenv("OPENCSP_FAULT_POINTS")); err == nil && n >= 2 {
		return n
	}
	return 10
}

func TestFaultKilledServerResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("fault tests start server processes: skipped with -short")
	}
	points := faultPoints()
	checkoutKills := max(1, points*3/10)
	advanceKills := points - checkoutKills
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := func() string {
				if e.Name == "sqlite" {
					return "sqlite:" + t.TempDir() + "/opencsp.db"
				}
				return testdb.PostgresURL(t)
			}

			// The run that is never interrupted.
			ref := startChild(t, dsn())
			rw := seed(t, ctx, ref)
			for k := range checkoutKills {
				if err := rw.checkout(t, ctx, rw.smallCart(t, ctx, k), &client.Request{RequestID: client.NewRequestID()}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := rw.op.Do(ctx, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"to": faultTarget}, nil, nil); err != nil {
				t.Fatal(err)
			}
			want := rw.ledger(t, ctx)
			ref.kill()

			// The same run, killed again and again.
			db := dsn()
			c := startChild(t, db)
			w := seed(t, ctx, c)
			restart := func() {
				c.kill()
				c = startChild(t, db)
				w.op, w.pc = client.New(c.url, faultToken), client.New(c.url, w.pc.Key)
			}
			answerLost := 0
			for k := range checkoutKills {
				cart := w.smallCart(t, ctx, k)
				opt := &client.Request{RequestID: client.NewRequestID()}
				go func() { _ = w.checkout(t, ctx, cart, opt) }()
				time.Sleep(time.Duration(k*4) * time.Millisecond)
				restart()
				// The same MS-RequestId again: the checkout happens once,
				// whether the kill came before, during or after it.
				err := w.checkout(t, ctx, cart, opt)
				var ae *client.Error
				switch {
				case err == nil:
				case errors.As(err, &ae) && ae.Code == int(csp.EAnswerLost):
					answerLost++
				default:
					t.Fatalf("checkout %d retried after the kill: %v\n%s", k, err, c.stderr)
				}
			}
			// The advance, killed when the clock passes each mark; each
			// restarted server resumes it.
			go func() {
				_, _ = w.op.Do(ctx, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"to": faultTarget}, nil, nil)
			}()
			begin, _ := time.Parse(time.RFC3339, faultStart)
			end, _ := time.Parse(time.RFC3339, faultTarget)
			killed := 0
			for i := 1; i <= advanceKills; i++ {
				mark := begin.Add(end.Sub(begin) * time.Duration(i) / time.Duration(advanceKills+1))
				deadline := time.Now().Add(2 * time.Minute)
				for {
					clk, err := clockOf(ctx, w.op)
					if err == nil && (!clk.Now.Before(mark) || clk.AdvancingTo == nil && clk.Now.Equal(end)) {
						if clk.AdvancingTo != nil {
							killed++
						}
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("the clock did not reach %s: %+v %v\n%s", mark, clk, err, c.stderr)
					}
					time.Sleep(2 * time.Millisecond)
				}
				restart()
			}
			// The last server finishes the advance by itself.
			deadline := time.Now().Add(2 * time.Minute)
			for {
				clk, err := clockOf(ctx, w.op)
				if err == nil && clk.AdvancingTo == nil && clk.Now.Equal(end) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the advance was not resumed: %+v %v\n%s", clk, err, c.stderr)
				}
				time.Sleep(20 * time.Millisecond)
			}
			got := w.ledger(t, ctx)
			c.kill()
			t.Logf("%s: %d checkouts and %d advance steps killed (%d mid-advance), %d answers lost", e.Name, checkoutKills, advanceKills, killed, answerLost)
			compareLedgers(t, want, got)
		})
	}
}

// compareLedgers reports the subscriptions whose charges differ.
func compareLedgers(t *testing.T, want, got map[string][]string) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	bad := 0
	lines := 0
	for _, n := range names {
		lines += len(want[n])
		if strings.Join(want[n], "\n") != strings.Join(got[n], "\n") {
			bad++
			if bad <= 3 {
				t.Errorf("subscription %s:\n got %s\nwant %s", n, strings.Join(got[n], "\n     "), strings.Join(want[n], "\n     "))
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d subscriptions differ from the uninterrupted run", bad, len(names))
	}
	if len(want) < 120 || lines < 3000 {
		t.Fatalf("the scenario is too small to prove anything: %d subscriptions, %d lines", len(want), lines)
	}
}
