package layers

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/opencsp/opencsp/"

// allowed lists, for every package of the module, the project packages
// its non-test files may import. A new package must be added here: the test
// fails on a package it does not know.
var allowed = map[string][]string{
	"client":                   {},
	"internal/csp":             {},
	"internal/csp/directory":   {"internal/csp"},
	"internal/csp/gdap":        {"internal/csp", "internal/csp/directory"},
	"internal/csp/azure":       {"internal/csp"},
	"internal/csp/transfer":    {"internal/csp"},
	"internal/csp/plan":        {"internal/csp"},
	"internal/csp/billing":     {"internal/csp", "internal/csp/azure"},
	"internal/csp/pricebook":   {"internal/csp"},
	"internal/invoicedoc":      {"internal/csp", "internal/csp/pricebook"},
	"internal/clock":           {},
	"internal/catalog":         {"internal/csp"},
	"internal/store":           {"internal/csp"},
	"internal/store/sqlstore":  {"internal/csp", "internal/store"},
	"internal/store/sqlite":    {"internal/store/sqlstore"},
	"internal/store/postgres":  {"internal/store/sqlstore"},
	"internal/store/engines":   {"internal/store/sqlite", "internal/store/postgres", "internal/store/sqlstore"},
	"internal/store/storetest": {"internal/csp", "internal/store"},
	"internal/schedule":        {"internal/csp", "internal/clock", "internal/store"},
	"internal/reconfile":       {"internal/csp"},
	"internal/app":             {"internal/csp", "internal/clock", "internal/catalog", "internal/ids", "internal/reconfile", "internal/schedule", "internal/store"},
	"internal/ids":             {},
	"internal/openapi":         {},
	"internal/api":             {"internal/app", "internal/csp", "internal/clock", "internal/openapi", "internal/reconfile", "internal/invoicedoc"},
	"internal/console":         {"internal/app", "internal/csp", "internal/openapi", "internal/invoicedoc", "internal/reconfile"},
	"internal/server":          {"internal/api", "internal/app", "internal/console"},
	"internal/demo":            {"internal/app", "internal/csp"},
	"internal/testdb":          {"internal/store/sqlite", "internal/store/postgres", "internal/store/sqlstore"},
	"internal/layers":          {},
	"internal/bench":           {"internal/app", "internal/catalog", "internal/csp", "internal/reconfile", "internal/store", "internal/store/sqlstore", "internal/store/sqlite", "internal/store/postgres"},
	"cmd/opencsp":              {"client", "internal/api", "internal/app", "internal/bench", "internal/demo", "internal/reconfile", "internal/server", "internal/store/engines"},
}

// contextRules are the pure rule packages of the bounded contexts
// (internal/csp/<context>): every layer that may import internal/csp may
// import them too, and they import only internal/csp (and the contexts
// they name above).
var contextRules = []string{"internal/csp/directory", "internal/csp/gdap", "internal/csp/azure", "internal/csp/transfer", "internal/csp/plan", "internal/csp/billing", "internal/csp/pricebook"}

func init() {
	for pkg, deps := range allowed {
		if slices.Contains(deps, "internal/csp") && !slices.Contains(contextRules, pkg) {
			allowed[pkg] = append(deps, contextRules...)
		}
	}
}

func TestImportsFollowTheLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \",\"}}", module+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, "|")
		pkg = strings.TrimPrefix(pkg, module)
		rule, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s has no layer: add it to the table in internal/layers (and docs/architecture.md)", pkg)
			continue
		}
		seen++
		for _, imp := range strings.Split(imports, ",") {
			dep, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			if !slices.Contains(rule, dep) {
				t.Errorf("%s imports %s, which its layer may not (it may import %v)", pkg, dep, rule)
			}
		}
	}
	if seen < 15 {
		t.Fatalf("go list named only %d packages", seen)
	}
}

// maxLines bounds a source file: past it a file holds more than one thing.
// Tests and the store's conformance suite (test code in a package of its
// own) are exempt.
const maxLines = 400

func TestNoGrabBagFiles(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}|{{.ImportPath}}|{{join .GoFiles \",\"}}", module+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		if strings.HasSuffix(parts[1], "/storetest") || parts[2] == "" {
			continue
		}
		for _, f := range strings.Split(parts[2], ",") {
			b, err := os.ReadFile(filepath.Join(parts[0], f))
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(b, []byte("\n")); n > maxLines {
				t.Errorf("%s/%s has %d lines (at most %d): split it by what it holds", parts[1], f, n, maxLines)
			}
		}
	}
}
