package workflow

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
)

// A project without sextant.yaml gets the default schema, dev database and the registry named.
func TestOpenDefaults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reg")
	p, err := Open(&config.Config{}, Options{Registry: "file://" + dir})
	if err != nil {
		t.Fatal(err)
	}
	if p.Schema.Name != DefaultSchemaName || p.DevURL != DefaultDevURL || p.RegistryURL != "file://"+dir {
		t.Errorf("got schema %q, dev %q, registry %q", p.Schema.Name, p.DevURL, p.RegistryURL)
	}
	p, err = Open(&config.Config{}, Options{Schema: "billing", Registry: "file://" + dir, DevURL: "docker://postgres/16"})
	if err != nil || p.Schema.Name != "billing" || p.DevURL != "docker://postgres/16" {
		t.Errorf("overrides: %+v, %v", p, err)
	}
}

// A registry server needs a token, and an unknown scheme says which ones there are.
func TestOpenRegistryErrors(t *testing.T) {
	_, err := OpenRegistry("https://registry.example.com", "")
	if err == nil || !strings.Contains(err.Error(), "set $"+TokenEnv) {
		t.Errorf("no token: %v", err)
	}
	if _, err := OpenRegistry("https://registry.example.com", "sxt_x"); err != nil {
		t.Errorf("with a token: %v", err)
	}
	_, err = OpenRegistry("s3://bucket", "")
	if err == nil || !strings.Contains(err.Error(), "use file://DIR") || !strings.Contains(err.Error(), "git:REF") {
		t.Errorf("unknown scheme: %v", err)
	}
	// A git registry on a branch would commit into the project's history.
	_, err = OpenRegistry("git:refs/heads/main", "")
	if err == nil || !strings.Contains(err.Error(), "a ref of its own") {
		t.Errorf("git registry on a branch: %v", err)
	}
	// The working directory's repository: the test runs in the module's, with an origin or
	// without one, and either way it is not a question of the URL's form.
	if _, err := OpenRegistry("git:refs/sextant/registry?remote=no-such-remote", ""); err == nil || !strings.Contains(err.Error(), "no-such-remote") {
		t.Errorf("git registry on a missing remote: %v", err)
	}
}

// A stale plan is approved after planning again only when the statements and their
// transactions are the same; kinds and objects do not matter.
func TestSameSQL(t *testing.T) {
	a := &plan.Plan{Statements: []plan.Statement{{SQL: "CREATE TABLE t ();", Tx: 1}, {SQL: "CREATE INDEX CONCURRENTLY i ON t ();", Tx: 2}}}
	b := &plan.Plan{Statements: []plan.Statement{{SQL: "CREATE TABLE t ();", Tx: 1, Kind: "add-table"}, {SQL: "CREATE INDEX CONCURRENTLY i ON t ();", Tx: 2}}}
	if !sameSQL(a, b) {
		t.Error("same statements are not the same SQL")
	}
	b.Statements[1].Tx = 1
	if sameSQL(a, b) {
		t.Error("other transactions are the same SQL")
	}
	if sameSQL(a, &plan.Plan{Statements: a.Statements[:1]}) {
		t.Error("fewer statements are the same SQL")
	}
}

func TestFindingsResult(t *testing.T) {
	if FindingsResult(plan.Header{}) != nil {
		t.Error("a plan never linted has a lint result")
	}
	res := FindingsResult(plan.Header{Linted: true, Findings: []plan.Finding{{Statement: 0, Severity: "error", Analyzer: "drop-column", Message: "m"}}})
	if len(res.Diagnostics) != 1 || !res.HasErrors() || res.Diagnostics[0].Analyzer != "drop-column" {
		t.Errorf("got %+v", res)
	}
}

// A rejected edit names the statement that failed, on one line.
func TestNotConvergingError(t *testing.T) {
	p := &plan.Plan{Statements: []plan.Statement{{SQL: "ALTER TABLE t\n  ADD COLUMN c int;"}}}
	err := &NotConvergingError{Plan: p, Rehearsal: &lint.Rehearsal{Failed: 0, Effects: []plan.Effects{{Err: "boom"}}}}
	want := "rejected: the edited plan does not take from to to on the dev database\nstatement 1 fails: boom\n  ALTER TABLE t ADD COLUMN c int;"
	if err.Error() != want {
		t.Errorf("got %q, want %q", err.Error(), want)
	}
}
