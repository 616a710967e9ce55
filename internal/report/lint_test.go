package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/lint/report")

var goldenDir = filepath.Join("..", "..", "testdata", "lint", "report")

const reportFrom = `
CREATE TYPE status AS ENUM ('new', 'paid');
CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy_flag boolean, age integer);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status status NOT NULL DEFAULT 'new');
`

const reportTo = `
CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, age bigint,
	token uuid DEFAULT gen_random_uuid(),
	created timestamptz NOT NULL DEFAULT now());
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users,
	status status NOT NULL DEFAULT 'new');
CREATE TABLE audit (at timestamptz NOT NULL, what text);
`

// reportEffects are measurements as the simulation of the plan on a populated dev database
// would record them; statements not listed took only weak locks.
var reportEffects = map[string]plan.Effects{
	"DROP COLUMN legacy_flag": {Locks: []plan.Lock{{Relation: "public.users", Mode: "AccessExclusiveLock"}}},
	"ALTER COLUMN email SET NOT NULL": {Locks: []plan.Lock{{Relation: "public.users", Mode: "AccessExclusiveLock"}},
		Scanned: []string{"public.users"}},
	"ALTER COLUMN age TYPE": {Locks: []plan.Lock{{Relation: "public.users", Mode: "AccessExclusiveLock"}},
		Rewritten: []string{"public.users"}, Scanned: []string{"public.users"}},
	"ADD COLUMN token": {Locks: []plan.Lock{{Relation: "public.users", Mode: "AccessExclusiveLock"}},
		Rewritten: []string{"public.users"}},
	"ADD COLUMN created": {Locks: []plan.Lock{{Relation: "public.users", Mode: "AccessExclusiveLock"}}},
	"CREATE UNIQUE INDEX": {Locks: []plan.Lock{{Relation: "public.users", Mode: "ShareLock"}, {Relation: "public.users_email_key", Mode: "AccessExclusiveLock"}},
		Scanned: []string{"public.users"}},
	"FOREIGN KEY": {Locks: []plan.Lock{{Relation: "public.orders", Mode: "ShareRowExclusiveLock"}, {Relation: "public.users", Mode: "ShareRowExclusiveLock"},
		{Relation: "public.users_pkey", Mode: "AccessShareLock"}}, Scanned: []string{"public.orders"}},
	"ADD VALUE": {Locks: []plan.Lock{{Relation: "public.orders", Mode: "AccessShareLock"}}},
}

// lintCase is a plan with its lint result, as the golden tests of every format render it.
type lintCase struct {
	name    string
	p       *plan.Plan
	effects []plan.Effects
	res     *lint.Result
}

var (
	lintCasesOnce sync.Once
	lintCasesVal  []lintCase
	lintCasesErr  error
)

// lintCases builds the report fixtures once per test binary: the plan from reportFrom to
// reportTo linted as measured, static and failed simulations, an empty plan, a bad naming
// pattern, and "located", the measured result with schema files and lines set on some of its
// diagnostics and not on others.
func lintCases(t *testing.T) []lintCase {
	t.Helper()
	lintCasesOnce.Do(func() { lintCasesVal, lintCasesErr = buildLintCases() })
	if lintCasesErr != nil {
		t.Fatal(lintCasesErr)
	}
	return lintCasesVal
}

func buildLintCases() ([]lintCase, error) {
	url := os.Getenv("SEXTANT_TEST_DEV_URL")
	if url == "" {
		url = "local://postgres"
	}
	dev := &devdb.Lazy{URL: url}
	defer dev.Close()
	ctx := context.Background()
	from, err := source.LoadSQL(ctx, []source.File{{Path: "from.sql", SQL: reportFrom}}, dev.Get)
	if err != nil {
		return nil, err
	}
	to, err := source.LoadSQL(ctx, []source.File{{Path: "to.sql", SQL: reportTo}}, dev.Get)
	if err != nil {
		return nil, err
	}
	p, err := plan.New(from, to, postgres.Renderer{})
	if err != nil {
		return nil, err
	}
	measured := make([]plan.Effects, len(p.Statements))
	for i, s := range p.Statements {
		for k, e := range reportEffects {
			if strings.Contains(s.SQL, k) {
				measured[i] = e
			}
		}
	}
	failed := make([]plan.Effects, len(p.Statements))
	for i, s := range p.Statements {
		if strings.Contains(s.SQL, "ALTER COLUMN email SET NOT NULL") {
			failed[i] = plan.Effects{Err: `ERROR: column "email" of relation "users" contains null values (SQLSTATE 23502)`}
			break
		}
		failed[i] = measured[i]
	}
	cfg := lint.Config{
		Analyzers: map[string]lint.Severity{"drop-index-not-concurrently": lint.Off, "change-column-type": lint.Notice},
		Naming:    lint.NamingPatterns{Table: "[a-z_]+s"}, // "audit" breaks it
	}

	defs := []struct {
		name    string
		p       *plan.Plan
		from    *schema.Realm
		to      *schema.Realm
		effects []plan.Effects
		cfg     lint.Config
	}{
		{"measured", p, from, to, measured, cfg},
		{"static", p, from, to, nil, cfg},
		{"failed", p, from, to, failed, cfg},
		{"empty", &plan.Plan{Dialect: "postgres", From: p.From, To: p.From}, from, from, nil, lint.Config{}},
		{"bad-pattern", &plan.Plan{Dialect: "postgres", From: p.From, To: p.From}, from, from, nil,
			lint.Config{Naming: lint.NamingPatterns{Column: "[a-z"}}},
	}
	var cases []lintCase
	for _, d := range defs {
		res := lint.Run(lint.Input{Plan: d.p, From: d.from, To: d.to, Effects: d.effects}, d.cfg)
		cases = append(cases, lintCase{d.name, d.p, d.effects, res})
		if d.name == "measured" {
			cases = append(cases, lintCase{"located", d.p, d.effects, located(res)})
		}
	}
	return cases, nil
}

// located returns a copy of res whose diagnostics point at the line of reportTo, kept as
// db/schema.sql, that defines their object; diagnostics about an object reportTo does not
// define (a dropped column) have no file. It does not depend on whether lint.Run located
// them already.
func located(res *lint.Result) *lint.Result {
	lineOf := func(text string) int {
		for i, l := range strings.Split(reportTo, "\n") {
			if strings.Contains(l, text) {
				return i + 1
			}
		}
		panic(text + " is not in reportTo")
	}
	lines := map[string]int{
		"public.audit":                      lineOf("CREATE TABLE audit"),
		"public.users.email":                lineOf("email text NOT NULL"),
		"public.users.age":                  lineOf("age bigint"),
		"public.users.token":                lineOf("token uuid"),
		"public.users_email_key":            lineOf("CREATE UNIQUE INDEX users_email_key"),
		"public.orders.orders_user_id_fkey": lineOf("REFERENCES users"),
	}
	out := &lint.Result{Diagnostics: slices.Clone(res.Diagnostics)}
	for i := range out.Diagnostics {
		d := &out.Diagnostics[i]
		d.File, d.Line = "", 0
		if line, ok := lines[d.Object]; ok {
			d.File, d.Line = "db/schema.sql", line
		}
	}
	return out
}

func TestLintReportGolden(t *testing.T) {
	for _, c := range lintCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var text, js bytes.Buffer
			if err := report.LintText(&text, c.p, c.effects, c.res); err != nil {
				t.Fatal(err)
			}
			if err := report.LintJSON(&js, c.p, c.effects, c.res); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(js.Bytes()) {
				t.Fatalf("invalid JSON:\n%s", js.String())
			}
			golden(t, c.name+".txt", text.Bytes())
			golden(t, c.name+".json", js.Bytes())
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenIn(t, goldenDir, name, got)
}

// goldenIn compares got with the golden file dir/name, or rewrites it under -update.
func goldenIn(t *testing.T, dir, name string, got []byte) {
	t.Helper()
	path := filepath.Join(dir, name)
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./internal/report -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// The summary line and the effect lines follow their own small rules.
func TestLintTextDetails(t *testing.T) {
	p := &plan.Plan{Statements: []plan.Statement{
		{SQL: "CREATE TABLE public.t (\n  id integer,\n  note text\n)", Tx: 0},
		{SQL: "ALTER TABLE public.t ADD COLUMN x text DEFAULT '" + strings.Repeat("x", 200) + "'", Tx: 0},
		{SQL: "SELECT 1", Tx: 0},
	}}
	res := &lint.Result{Diagnostics: []lint.Diagnostic{
		{Analyzer: "a", Severity: lint.Warning, Statement: 1, Message: "m1"},
		{Analyzer: "b", Severity: lint.Notice, Statement: 1, Message: "m2", Alternative: "do this"},
	}}
	var b bytes.Buffer
	effects := []plan.Effects{{Locks: []plan.Lock{{Relation: "public.t", Mode: "RowExclusiveLock"}}}} // shorter: the rest not measured
	if err := report.LintText(&b, p, effects, res); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"1  CREATE TABLE public.t (id integer, note text)\n\n",
		"2  ALTER TABLE public.t ADD COLUMN x text DEFAULT 'xxx",
		"…\n   not run\n   warning a: m1\n   notice b: m2\n     safe: do this\n",
		"0 errors, 1 warning, 1 notice\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}
