package api

import (
	"errors"
	"io"
	"net/http"
	"os"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

// Importing a real Partner Center file (DESIGN.md "Billing"): the body is
// a new-commerce reconciliation file or a daily rated usage file; it is
// spooled to a temporary file (the use case reads it twice: to check, then
// to import), so memory stays flat whatever its size.

// importPath is the import call's path.
const importPath = "/v1/imports/reconciliation"

// maxImport bounds an imported file.
const maxImport = 4 << 30

var importsDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: "/v1/imports/reconciliation", Tag: "Customer invoices",
		Summary: "Import a Partner Center reconciliation or daily rated usage file (CSV) and make its customer invoices",
		Description: "The body is the CSV file as Partner Center exports it (columns matched by name, any order; ResellerMpnId or Tier2MpnId; files before 2024 " +
			"without ProductCategory). Every line is checked first: a refusal (4612) names each bad line and column in data (the first 100) and imports nothing. " +
			"Then one customer invoice per customer and currency, priced by the partner's price books, carries the month of the file's latest charge start or " +
			"usage day. The same file again answers its first import (200, repeated true). Billing roles.",
		Body: "", Responses: []openapi.Response{{Status: http.StatusCreated, Body: importJSON{}}, {Status: http.StatusOK, Body: importJSON{}}}},
}

// importJSON is an import and its customer invoices.
type importJSON struct {
	ID               string                `json:"id"`
	Kind             string                `json:"kind" enum:"licence,usage"`
	Lines            int                   `json:"lines"`
	Period           string                `json:"period"`
	SHA256           string                `json:"sha256"`
	Repeated         bool                  `json:"repeated"`
	CustomerInvoices []customerInvoiceJSON `json:"customerInvoices"`
	Attributes       map[string]string     `json:"attributes"`
}

func (s *Server) importReconciliation(w http.ResponseWriter, r *http.Request) {
	f, err := os.CreateTemp("", "opencsp-import-*.csv")
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := io.Copy(f, http.MaxBytesReader(w, r.Body, maxImport))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, r, csp.Errorf(csp.EImportTooLarge, "the file is larger than %d bytes: split it by month", int64(maxImport)))
		return
	case err != nil:
		writeError(w, r, csp.Errorf(csp.EInvalidBody, "the file could not be read: %v", err))
		return
	case n == 0:
		writeError(w, r, csp.Errorf(csp.EImportInvalid, "the body is empty: send the CSV file as Partner Center exports it").WithData("line=1"))
		return
	}
	open := func() (io.ReadCloser, error) { return os.Open(f.Name()) }
	got, err := s.app.ImportReconciliation(r.Context(), principal(r), open)
	if err != nil {
		writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if got.Repeated {
		status = http.StatusOK
	}
	writeJSON(w, status, importResource(got))
}

func importResource(got *app.ImportResult) importJSON {
	imp := got.Import
	out := importJSON{ID: imp.ID.String(), Kind: imp.Kind, Lines: imp.Lines, Period: imp.Period.String(), SHA256: imp.SHA256, Repeated: got.Repeated,
		CustomerInvoices: make([]customerInvoiceJSON, len(got.Invoices)), Attributes: attrs("ReconciliationImport")}
	for i, inv := range got.Invoices {
		out.CustomerInvoices[i] = customerInvoiceResource(inv)
	}
	return out
}
