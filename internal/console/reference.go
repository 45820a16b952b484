package console

// The API reference: the OpenAPI document the APIs serve at /openapi.json,
// read by internal/openapi and rendered as a page (no script).

import (
	_ "embed"
	"html/template"
	"net/http"
	"strings"
	"unicode"

	"github.com/opencsp/opencsp/internal/openapi"
)

//go:embed static/reference.css
var referenceCSS []byte

// Option configures the console.
type Option func(*handler) error

// WithReference serves doc, an OpenAPI document as internal/openapi builds
// it, as the page GET /console/reference, which needs no sign-in (the
// document itself needs no key).
func WithReference(doc []byte) Option {
	return func(h *handler) error {
		ref, err := openapi.Read(doc)
		if err != nil {
			return err
		}
		t, err := template.New("reference").Funcs(template.FuncMap{"slug": slug}).ParseFS(files, "templates/layout.html", "templates/reference.html")
		if err != nil {
			return err
		}
		h.pages["reference"] = t
		h.mux.HandleFunc("GET /console/reference", func(w http.ResponseWriter, r *http.Request) {
			h.render(w, r, http.StatusOK, "reference", referencePage{layout: h.layout("API reference", nil), Ref: ref})
		})
		h.mux.HandleFunc("GET /console/static/reference.css", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
			w.Header().Set("Cache-Control", "public, max-age=3600")
			_, _ = w.Write(referenceCSS)
		})
		return nil
	}
}

// slug makes an HTML id of a name: "Audit records" is audit-records.
func slug(s string) string {
	return strings.Trim(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return '-'
	}, s), "-")
}

type referencePage struct {
	layout
	Ref *openapi.Reference
}
