package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/reconfile"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
)

// ImportResult is one import run.
type ImportResult struct {
	Engine                       string
	Lines, Invoices              int
	FileBytes                    int64
	Import, RawInsert            time.Duration
	Ratio                        float64
	BaseHeapBytes, PeakHeapBytes uint64
}

// importCustomers is how many customers the generated file bills.
const importCustomers = 1000

// Import writes a new-commerce reconciliation file of n lines (cycle
// charges of 1,000 customers) to a temporary file, times importing it
// (both passes: the check, then pricing it into customer invoices in one
// transaction) for a fresh partner, and a raw insert of n rows.
func Import(ctx context.Context, db *sqlstore.DB, n int, out io.Writer) (ImportResult, error) {
	r := ImportResult{Engine: db.Engine(), Lines: n}
	dir, err := os.MkdirTemp("", "opencsp-import-bench-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "recon.csv")
	if r.FileBytes, err = writeReconFile(path, n); err != nil {
		return r, err
	}
	a, err := app.New(ctx, db, app.Options{Sandbox: true, StartTime: Start})
	if err != nil {
		return r, err
	}
	partner, err := a.CreatePartner(ctx, csp.Principal{Kind: csp.PrincipalOperator}, app.NewPartner{Name: "Import Bench Partner", Country: "US", PartnerType: "direct"})
	if err != nil {
		return r, err
	}
	p := csp.Principal{Kind: csp.PrincipalPartner, PartnerID: partner.ID, Roles: []csp.Role{csp.RoleBillingAdmin}, UserPrincipalName: "bench@import.example"}
	runtime.GC()
	r.BaseHeapBytes = readMem(newSamples()).inuse
	h := startHeapSampler()
	t0 := time.Now()
	got, err := a.ImportReconciliation(ctx, p, func() (io.ReadCloser, error) { return os.Open(path) })
	r.Import = time.Since(t0)
	r.PeakHeapBytes, _ = h.Stop()
	if err != nil {
		return r, fmt.Errorf("import: %w", err)
	}
	r.Invoices = len(got.Invoices)
	if got.Import.Lines != n || r.Invoices != importCustomers {
		return r, fmt.Errorf("import: %d lines and %d customer invoices, want %d and %d", got.Import.Lines, r.Invoices, n, importCustomers)
	}
	fmt.Fprintf(out, "%s: imported %d lines (%.0f MB) into %d customer invoices in %v\n", r.Engine, n, float64(r.FileBytes)/1e6, r.Invoices, r.Import.Round(time.Millisecond))
	raws, err := RawInserts(ctx, db, n)
	if err != nil {
		return r, err
	}
	r.RawInsert = raws[rawRuns/2]
	r.Ratio = r.Import.Seconds() / r.RawInsert.Seconds()
	fmt.Fprintf(out, "%s: raw insert of %d rows in %v: import/insert = %.1f\n", r.Engine, n, r.RawInsert.Round(time.Millisecond), r.Ratio)
	return r, nil
}

// writeReconFile writes n cycle charge lines of importCustomers customers:
// Business Premium, 1 to 50 seats at 22.00, in March 2026.
func writeReconFile(path string, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := bufio.NewWriterSize(f, 1<<20)
	w := reconfile.NewWriter(buf, reconfile.Licence)
	partner := uuid.NewString()
	customers := make([]string, importCustomers)
	for i := range customers {
		customers[i] = uuid.NewString()
	}
	price := decimal.RequireFromString("22.00")
	for i := range n {
		seats := int64(1 + i%50)
		start := time.Date(2026, 3, 1+i%28, 0, 0, 0, 0, time.UTC)
		l := reconfile.LicenceLine{PartnerID: partner, CustomerID: customers[i%importCustomers], CustomerName: fmt.Sprintf("Customer %04d", i%importCustomers),
			CustomerDomainName: "customer.onmicrosoft.com", CustomerCountry: "US", InvoiceNumber: "G000000001", MpnID: "1234567", OrderID: "order",
			OrderDate: start, ProductID: "CFQ7TTC0LCHC", SkuID: "0001", AvailabilityID: "CFQ7TTC0MM1W", SkuName: "Microsoft 365 Business Premium",
			ProductName: "Microsoft 365 Business Premium", ChargeType: "cycleCharge", UnitPrice: price, Quantity: int(seats),
			Subtotal: price.Mul(decimal.NewFromInt(seats)), Total: price.Mul(decimal.NewFromInt(seats)), Currency: "USD", PublisherName: "Microsoft Corporation",
			SubscriptionDescription: "Microsoft 365 Business Premium", SubscriptionID: uuid.NewString(), ChargeStartDate: start,
			ChargeEndDate: csp.AddMonths(start, 1).AddDate(0, 0, -1), TermAndBillingCycle: "1 Year - Monthly", EffectiveUnitPrice: price,
			UnitType: "Licenses", AlternateID: fmt.Sprint(i), BillableQuantity: decimal.NewFromInt(seats), BillingFrequency: "Monthly",
			PricingCurrency: "USD", PCToBCExchangeRate: decimal.NewFromInt(1), PCToBCExchangeRateDate: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			SubscriptionStartDate: start, SubscriptionEndDate: start.AddDate(1, 0, -1), ReferenceID: uuid.NewString()}
		if err := w.WriteLicence(l); err != nil {
			return 0, err
		}
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	if err := buf.Flush(); err != nil {
		return 0, err
	}
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}
