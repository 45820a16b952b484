package api

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
)

var update = flag.Bool("update", false, "rewrite docs/errors.md from internal/csp/error.go")

// TestErrorsDocumented keeps docs/errors.md equal to the codes declared in
// internal/csp/error.go and the statuses of this package's table. Run with
// -update after adding a code.
func TestErrorsDocumented(t *testing.T) {
	fset := gotoken.NewFileSet()
	// error.go holds the shared codes; each context declares its own in
	// codes_<context>.go.
	files, err := filepath.Glob("../csp/codes_*.go")
	if err != nil {
		t.Fatal(err)
	}
	var decls []ast.Decl
	for _, name := range append([]string{"../csp/error.go"}, files...) {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		decls = append(decls, f.Decls...)
	}
	var b strings.Builder
	b.WriteString(errorsDocHeader)
	n := 0
	for _, d := range decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != gotoken.CONST {
			continue
		}
		header := g.Doc != nil
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			if header {
				fmt.Fprintf(&b, "\n### %s\n\n| code | name | status | meaning |\n|---|---|---|---|\n", strings.TrimSuffix(strings.TrimSpace(g.Doc.Text()), "."))
				header = false
			}
			code, err := strconv.Atoi(v.Values[0].(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			meaning := ""
			if v.Comment != nil {
				meaning = strings.TrimSpace(v.Comment.Text())
			}
			fmt.Fprintf(&b, "| %d | %s | %d | %s |\n", code, v.Names[0].Name, StatusOf(csp.Code(code)), meaning)
			n++
		}
	}
	if n < 40 {
		t.Fatalf("found only %d codes in error.go", n)
	}
	const path = "../../docs/errors.md"
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != b.String() {
		t.Fatalf("docs/errors.md is out of date with internal/csp/error.go: run go test ./internal/api -run TestErrorsDocumented -update")
	}
}

const errorsDocHeader = `# Error codes

Every refusal answers Partner Center's error body with a stable numeric code:

` + "```json" + `
{"code": 2203, "description": "which rule was broken, and what to do", "data": ["tenantRegion=NO"],
 "source": "OpenCSP", "attributes": {"objectType": "ApiFault"}}
` + "```" + `

Each rule has its own code. The HTTP status comes from one table in internal/api/errors.go; this
page is generated from internal/csp/error.go and that table by
` + "`go test ./internal/api -run TestErrorsDocumented -update`" + `, and a test keeps it current.
A partner asking for another partner's customer gets the same 404 (1201) as for one that does not
exist. Cart line items will carry Partner Center's CartErrorCode names instead (commerce engine).
`
