package lint_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sextant.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// loadLint reads the lint section the way the program does: through the project
// configuration, whose lint: section lint.Config decodes itself.
func loadLint(path string, required bool) (lint.Config, error) {
	cfg, err := config.Load(path, required)
	if err != nil {
		return lint.Config{}, err
	}
	return cfg.Lint, nil
}

func TestLoadConfig(t *testing.T) {
	path := writeConfig(t, `
registry: file://.sextant   # another section: not the linter's business
lint:
  analyzers:
    drop-column: warning
    drop-index-not-concurrently: off
  naming:
    table: "[a-z][a-z0-9_]*"
    index: "[a-z0-9_]+_idx"
`)
	cfg, err := loadLint(path, true)
	if err != nil {
		t.Fatal(err)
	}
	want := lint.Config{
		Analyzers: map[string]lint.Severity{"drop-column": lint.Warning, "drop-index-not-concurrently": lint.Off},
		Naming:    lint.NamingPatterns{Table: "[a-z][a-z0-9_]*", Index: "[a-z0-9_]+_idx"},
	}
	if cfg.Naming != want.Naming || len(cfg.Analyzers) != 2 || cfg.Analyzers["drop-column"] != lint.Warning || cfg.Analyzers["drop-index-not-concurrently"] != lint.Off {
		t.Errorf("got %+v, want %+v", cfg, want)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestLoadConfigEmptyOrAbsent(t *testing.T) {
	for name, content := range map[string]string{
		"empty file":         "",
		"no lint section":    "registry: file://.sextant\n",
		"empty lint section": "lint:\n",
		"empty subsections":  "lint:\n  analyzers:\n  naming:\n",
	} {
		cfg, err := loadLint(writeConfig(t, content), true)
		if err != nil || len(cfg.Analyzers) != 0 || cfg.Naming != (lint.NamingPatterns{}) {
			t.Errorf("%s: got %+v, %v; want the default configuration", name, cfg, err)
		}
	}
	missing := filepath.Join(t.TempDir(), "sextant.yaml")
	if _, err := loadLint(missing, false); err != nil {
		t.Errorf("a missing default file: %v", err)
	}
	if _, err := loadLint(missing, true); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a missing file named by the user: got %v, want an error naming it", err)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	for _, c := range []struct {
		name, content string
		want          []string // lines of the error, each a substring
	}{
		{"unknown analyzer", "lint:\n  analyzers:\n    drop-colum: warning\n",
			[]string{`sextant.yaml:3: lint.analyzers.drop-colum: unknown analyzer (did you mean drop-column?)`}},
		{"unknown analyzer without suggestion", "lint:\n  analyzers:\n    frobnicate: warning\n",
			[]string{`sextant.yaml:3: lint.analyzers.frobnicate: unknown analyzer; docs/lint.md lists the analyzers`}},
		{"bad severity", "lint:\n  analyzers:\n    drop-column: fatal\n",
			[]string{`sextant.yaml:3: lint.analyzers.drop-column: severity "fatal": use error, warning, notice or off`}},
		{"severity not a scalar", "lint:\n  analyzers:\n    drop-column: [error]\n",
			[]string{`sextant.yaml:3: lint.analyzers.drop-column: severity ""`}},
		{"set twice", "lint:\n  analyzers:\n    drop-column: error\n    drop-column: notice\n",
			[]string{`sextant.yaml:4: lint.analyzers.drop-column: set twice`}},
		{"bad pattern", "lint:\n  naming:\n    table: \"[a-z\"\n",
			[]string{`sextant.yaml:3: lint.naming.table: bad pattern "[a-z": error parsing regexp: missing closing ]`}},
		{"unknown naming key", "lint:\n  naming:\n    tables: x\n",
			[]string{`sextant.yaml:3: lint.naming.tables: unknown key; use table, column, index or constraint`}},
		{"unknown key", "lint:\n  analyser:\n    drop-column: off\n",
			[]string{`sextant.yaml:2: lint.analyser: unknown key; use analyzers or naming`}},
		{"lint not a mapping", "lint: strict\n", []string{`sextant.yaml:1: lint: want a mapping`}},
		{"analyzers not a mapping", "lint:\n  analyzers: [drop-column]\n", []string{`sextant.yaml:2: lint.analyzers: want a mapping`}},
		{"every problem at once", "lint:\n  analyzers:\n    drop-colum: warning\n    drop-table: fatal\n  naming:\n    column: \"(\"\n",
			[]string{"sextant.yaml:3: lint.analyzers.drop-colum", "sextant.yaml:4: lint.analyzers.drop-table", "sextant.yaml:6: lint.naming.column"}},
		{"not YAML", "lint: [\n", []string{"sextant.yaml: yaml:"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadLint(writeConfig(t, c.content), true)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to contain\n%s", err, w)
				}
			}
		})
	}
}

// The lint section decodes on its own too, as part of a larger configuration struct.
func TestConfigDecodesWithYAML(t *testing.T) {
	var doc struct {
		Lint lint.Config `yaml:"lint"`
	}
	err := yaml.Unmarshal([]byte("lint:\n  analyzers:\n    no-such-thing: error\n"), &doc)
	var ces lint.ConfigErrors
	if !errors.As(err, &ces) || len(ces) != 1 || ces[0].Line != 3 {
		t.Errorf("got %v (%T), want one ConfigError on line 3", err, err)
	}
}

func TestValidate(t *testing.T) {
	err := lint.Config{
		Analyzers: map[string]lint.Severity{"drop-table": "loud", "dorp-table": lint.Error},
		Naming:    lint.NamingPatterns{Index: "*"},
	}.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		`lint.analyzers.dorp-table: unknown analyzer (did you mean drop-table?)`,
		`lint.analyzers.drop-table: severity "loud"`,
		`lint.naming.index: bad pattern "*"`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error\n%v\nwant it to contain %s", err, w)
		}
	}
}

// handPlan is a plan as if read back from a file: statements without typed changes.
func handPlan(stmts ...plan.Statement) *plan.Plan {
	return &plan.Plan{Dialect: "postgres", Statements: stmts}
}

func realmWith(tables ...string) *schema.Realm {
	r := &schema.Realm{Dialect: "postgres"}
	for _, qn := range tables {
		s, n, _ := strings.Cut(qn, ".")
		sch := r.Schema(s)
		if sch == nil {
			sch = &schema.Schema{Name: s}
			r.Schemas = append(r.Schemas, sch)
		}
		sch.Tables = append(sch.Tables, &schema.Table{Schema: s, Name: n, Columns: []*schema.Column{{Name: "id", Type: "integer"}}})
	}
	return r
}

func TestRunOverrides(t *testing.T) {
	users := realmWith("public.users")
	col := &schema.Column{Name: "email", Type: "text"}
	drop := &diff.DropColumn{T: users.Schema("public").Table("users"), C: col}
	p := handPlan(plan.Statement{SQL: "ALTER TABLE public.users DROP COLUMN email", Kind: drop.Kind(), Object: drop.Object(), Change: drop})
	in := lint.Input{Plan: p, From: users, To: users}

	res := lint.Run(in, lint.Config{})
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Severity != lint.Error || !res.HasErrors() || res.Counts() != (lint.Counts{Errors: 1}) {
		t.Fatalf("default: %+v", res)
	}
	d := res.Diagnostics[0]
	if d.Analyzer != "drop-column" || d.Category != lint.Destructive || d.Statement != 0 || d.Object != "public.users.email" || d.Alternative == "" {
		t.Errorf("diagnostic %+v", d)
	}

	res = lint.Run(in, lint.Config{Analyzers: map[string]lint.Severity{"drop-column": lint.Notice}})
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Severity != lint.Notice || res.HasErrors() || res.Counts() != (lint.Counts{Notices: 1}) {
		t.Errorf("drop-column: notice: %+v", res)
	}
	res = lint.Run(in, lint.Config{Analyzers: map[string]lint.Severity{"drop-column": lint.Off}})
	if len(res.Diagnostics) != 0 || res.HasErrors() {
		t.Errorf("drop-column: off: %+v", res)
	}
}

// Measurements drive the locking analyzers of a plan read back from a file, which has no
// typed changes; an analyzer configured off does not hand its statements to blocking-lock.
func TestRunMeasuredFilePlan(t *testing.T) {
	r := realmWith("public.users", "public.orders")
	p := handPlan(
		plan.Statement{SQL: "ALTER TABLE public.users ALTER COLUMN id TYPE bigint", Tx: 0},
		plan.Statement{SQL: "ALTER TABLE public.orders ALTER COLUMN id SET NOT NULL", Tx: 0},
		plan.Statement{SQL: "CREATE INDEX CONCURRENTLY orders_id_idx ON public.orders (id)", Tx: 0},
		plan.Statement{SQL: "ALTER TABLE public.users ADD COLUMN x integer", Tx: 0},
	)
	effects := []plan.Effects{
		{Locks: []plan.Lock{{Relation: "public.users", Mode: "AccessExclusiveLock"}}, Rewritten: []string{"public.users"}},
		{Locks: []plan.Lock{{Relation: "public.orders", Mode: "AccessExclusiveLock"}}, Scanned: []string{"public.orders"}},
		{Locks: []plan.Lock{{Relation: "public.orders", Mode: "ShareUpdateExclusiveLock"}}, Scanned: []string{"public.orders"}},
		{Locks: []plan.Lock{{Relation: "public.users", Mode: "AccessExclusiveLock"}}},
	}
	res := lint.Run(lint.Input{Plan: p, From: r, To: r, Effects: effects}, lint.Config{})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, strconv.Itoa(d.Statement)+" "+d.Analyzer+": "+d.Message)
	}
	want := []string{
		"0 table-rewrite: the statement rewrites public.users: reads and writes wait (measured: ACCESS EXCLUSIVE on public.users, table rewritten)",
		"1 blocking-lock: the statement holds ACCESS EXCLUSIVE on public.orders while reading the whole table: reads and writes wait until it ends (measured: ACCESS EXCLUSIVE on public.orders, full scan of public.orders)",
		"2 concurrently-in-transaction: CONCURRENTLY cannot run inside a transaction block, and this statement shares its transaction with 3 other statements",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	res = lint.Run(lint.Input{Plan: p, From: r, To: r, Effects: effects}, lint.Config{Analyzers: map[string]lint.Severity{"table-rewrite": lint.Off}})
	for _, d := range res.Diagnostics {
		if d.Statement == 0 {
			t.Errorf("table-rewrite off, but statement 0 still reported: %+v", d)
		}
	}
}

// Diagnostics are sorted by statement, then analyzer; the plan-level ones come first.
func TestRunSorts(t *testing.T) {
	r := realmWith("public.users")
	p := handPlan(
		plan.Statement{SQL: "CREATE INDEX CONCURRENTLY a ON public.users (id)", Tx: 0},
		plan.Statement{SQL: "DROP INDEX CONCURRENTLY public.b", Tx: 0},
	)
	res := lint.Run(lint.Input{Plan: p, From: r, To: r}, lint.Config{Naming: lint.NamingPatterns{Table: "("}})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, strconv.Itoa(d.Statement)+" "+d.Analyzer)
	}
	want := []string{"-1 naming-convention", "0 concurrently-in-transaction", "1 concurrently-in-transaction"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
