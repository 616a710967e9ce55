package lint_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/source"
)

// analyzersOf lists the analyzers that reported, sorted, each once.
func analyzersOf(res *lint.Result) []string {
	var out []string
	for _, d := range res.Diagnostics {
		if !slices.Contains(out, d.Analyzer) {
			out = append(out, d.Analyzer)
		}
	}
	slices.Sort(out)
	return out
}

// concurrentPlan is an edited plan that runs CREATE INDEX CONCURRENTLY in a transaction with
// another statement; directive is written above the index statement.
func concurrentPlan(directive string) *plan.Plan {
	return &plan.Plan{Statements: []plan.Statement{
		{SQL: "ALTER TABLE public.users ADD COLUMN nickname text;", Object: "public.users.nickname"},
		{SQL: directive + "CREATE INDEX CONCURRENTLY users_email_idx ON public.users USING btree (email);", Object: "public.users_email_idx"},
	}}
}

// TestPlanDirectives: a directive in a plan statement's SQL silences the analyzers it names on
// that statement, and nothing else.
func TestPlanDirectives(t *testing.T) {
	for _, c := range []struct {
		name, directive string
		want            []string
	}{
		{"none", "", []string{"concurrently-in-transaction"}},
		{"named", "-- sextant:nolint concurrently-in-transaction\n", nil},
		{"named among others", "-- sextant:nolint drop-column, concurrently-in-transaction -- built by hand\n", nil},
		{"bare", "-- sextant:nolint\n", nil},
		{"another analyzer", "-- sextant:nolint drop-column\n", []string{"concurrently-in-transaction"}},
		{"not a directive", "-- see sextant:nolint concurrently-in-transaction\n", []string{"concurrently-in-transaction"}},
		{"inside a string", "SELECT '-- sextant:nolint concurrently-in-transaction';\n", []string{"concurrently-in-transaction"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := lint.Run(lint.Input{Plan: concurrentPlan(c.directive)}, lint.Config{})
			if got := analyzersOf(res); !slices.Equal(got, c.want) {
				t.Errorf("analyzers %q, want %q", got, c.want)
			}
		})
	}
	// A directive on another statement of the plan does not reach this one.
	p := concurrentPlan("")
	p.Statements[0].SQL = "-- sextant:nolint concurrently-in-transaction\n" + p.Statements[0].SQL
	if got := analyzersOf(lint.Run(lint.Input{Plan: p}, lint.Config{})); !slices.Equal(got, []string{"concurrently-in-transaction"}) {
		t.Errorf("a directive on statement 1 silenced statement 2: %q", got)
	}
}

// TestBareDirectiveKeepsRehearsal: a statement that failed in the rehearsal fails the deploy,
// so only a directive that names statement-fails silences it.
func TestBareDirectiveKeepsRehearsal(t *testing.T) {
	for directive, want := range map[string][]string{
		"-- sextant:nolint\n":                 {"statement-fails"},
		"-- sextant:nolint statement-fails\n": nil,
	} {
		p := &plan.Plan{Statements: []plan.Statement{{SQL: directive + "ALTER TABLE public.t DROP COLUMN c;", Object: "public.t.c"}}}
		res := lint.Run(lint.Input{Plan: p, Effects: []plan.Effects{{Err: `column "c" of relation "t" does not exist`}}}, lint.Config{})
		if got := analyzersOf(res); !slices.Equal(got, want) {
			t.Errorf("%q: analyzers %q, want %q", directive, got, want)
		}
	}
}

const (
	nolintFrom = `CREATE TABLE users (
  id int PRIMARY KEY,
  age int,
  nickname text
);
CREATE INDEX users_age_idx ON users (age);
CREATE TABLE other (id int);
`
	// nolintTo drops users.nickname (drop-column), widens users.age (column-type-rewrite) and
	// drops users_age_idx (drop-index, drop-index-not-concurrently). %s is written above the
	// table; the tables are on lines 2 and 6.
	nolintTo = `%s
CREATE TABLE users (
  id int PRIMARY KEY,
  age bigint
);
CREATE TABLE other (id int);
`
)

// TestSourceDirectives: a directive next to a definition in the desired state's files
// silences the named analyzers for the objects of that statement and of the table it defines —
// also objects the desired state no longer has, like a dropped column or index — and nothing
// else.
func TestSourceDirectives(t *testing.T) {
	dev := lintDev(t)
	all := []string{"column-type-rewrite", "drop-column", "drop-index", "drop-index-not-concurrently"}
	p, from, to := buildPlan(t, dev, nolintFrom, fmt.Sprintf(nolintTo, ""))
	for _, c := range []struct {
		name    string
		to      string // the line above the table in the desired state
		variant string // "trailing", "other" or "current": the directive is elsewhere
		edit    func(*plan.Plan)
		want    []string
	}{
		{name: "none", to: "", want: all},
		{name: "drop-column", to: "-- sextant:nolint drop-column",
			want: []string{"column-type-rewrite", "drop-index", "drop-index-not-concurrently"}},
		{name: "two names, a reason", to: "-- sextant:nolint drop-index, column-type-rewrite -- the index was never used",
			want: []string{"drop-column", "drop-index-not-concurrently"}},
		{name: "bare", to: "-- sextant:nolint", want: nil},
		{name: "a typo names nothing", to: "-- sextant:nolint drop-colum", want: all},
		{name: "trailing", variant: "trailing", want: []string{"column-type-rewrite", "drop-index", "drop-index-not-concurrently"}},
		{name: "on another table", variant: "other", want: all},
		{name: "in the current state only", variant: "current", want: all},
		{name: "in the plan", want: []string{"column-type-rewrite", "drop-index", "drop-index-not-concurrently"},
			edit: func(p *plan.Plan) {
				for i, s := range p.Statements {
					if strings.Contains(s.SQL, "DROP COLUMN") {
						p.Statements[i].SQL = "-- sextant:nolint drop-column\n" + s.SQL
					}
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			toSQL, fromSQL := fmt.Sprintf(nolintTo, c.to), nolintFrom
			switch c.variant {
			case "trailing":
				toSQL = strings.Replace(toSQL, "\n);\nCREATE TABLE other", "\n); -- sextant:nolint drop-column\nCREATE TABLE other", 1)
			case "other":
				toSQL = strings.Replace(toSQL, "CREATE TABLE other", "-- sextant:nolint\nCREATE TABLE other", 1)
			case "current":
				fromSQL = "-- sextant:nolint\n" + fromSQL
			}
			pc := *p
			pc.Statements = slices.Clone(p.Statements)
			if c.edit != nil {
				c.edit(&pc)
			}
			in := lint.Input{Plan: &pc, From: from, To: to, Sources: lint.Sources{
				From: []source.File{{Path: "from.sql", SQL: fromSQL}},
				To:   []source.File{{Path: "to.sql", SQL: toSQL}},
			}}
			res := lint.Run(in, lint.Config{})
			if got := analyzersOf(res); !slices.Equal(got, c.want) {
				t.Errorf("analyzers %q, want %q\n%s", got, c.want, dump(&pc, res))
			}
		})
	}
}

// TestDiagnosticLocations: a diagnostic points at the line that defines its object; a dropped
// object at its line in the current state; with no sources, nowhere.
func TestDiagnosticLocations(t *testing.T) {
	dev := lintDev(t)
	toSQL := fmt.Sprintf(nolintTo, "-- the desired state")
	p, from, to := buildPlan(t, dev, nolintFrom, toSQL)
	in := lint.Input{Plan: p, From: from, To: to, Sources: lint.Sources{
		From: []source.File{{Path: "from.sql", SQL: nolintFrom}},
		To:   []source.File{{Path: "to.sql", SQL: toSQL}},
	}}
	want := map[string]string{
		"drop-column":                 "from.sql:4", // public.users.nickname, dropped
		"column-type-rewrite":         "to.sql:4",   // public.users.age
		"drop-index":                  "from.sql:6", // public.users_age_idx, dropped
		"drop-index-not-concurrently": "from.sql:6",
	}
	res := lint.Run(in, lint.Config{})
	if got := analyzersOf(res); len(got) != len(want) {
		t.Fatalf("analyzers %q\n%s", got, dump(p, res))
	}
	for _, d := range res.Diagnostics {
		if got := fmt.Sprintf("%s:%d", d.File, d.Line); got != want[d.Analyzer] {
			t.Errorf("%s on %s at %s, want %s", d.Analyzer, d.Object, got, want[d.Analyzer])
		}
	}
	// A database as the current state: the dropped column points at its table in the desired
	// state, the dropped index (whose table the desired state cannot tell) nowhere.
	in.Sources.From = nil
	want["drop-column"], want["drop-index"], want["drop-index-not-concurrently"] = "to.sql:2", ":0", ":0"
	for _, d := range lint.Run(in, lint.Config{}).Diagnostics {
		if got := fmt.Sprintf("%s:%d", d.File, d.Line); got != want[d.Analyzer] {
			t.Errorf("without current sources: %s on %s at %s, want %s", d.Analyzer, d.Object, got, want[d.Analyzer])
		}
	}
	in.Sources = lint.Sources{}
	for _, d := range lint.Run(in, lint.Config{}).Diagnostics {
		if d.File != "" || d.Line != 0 {
			t.Errorf("without sources: %s at %s:%d", d.Analyzer, d.File, d.Line)
		}
	}
}

func TestCheckDirectives(t *testing.T) {
	p := concurrentPlan("-- sextant:nolint concurrently-in-transaction, drop-tabel\n")
	in := lint.Input{Plan: p, Sources: lint.Sources{
		From: []source.File{{Path: "from.sql", SQL: "-- sextant:nolint whatever\nCREATE TABLE t (id int);"}},
		To:   []source.File{{Path: "to.sql", SQL: "CREATE TABLE t (id int);\n-- sextant:nolint drop-colum\nCREATE TABLE u (id int);"}},
	}}
	err := lint.CheckDirectives(in)
	if err == nil {
		t.Fatal("no error")
	}
	got := strings.Split(err.Error(), "\n")
	want := []string{
		"to.sql:2: sextant:nolint drop-colum: unknown analyzer (did you mean drop-column?); docs/lint.md lists the analyzers",
		"statement 2 of the plan: sextant:nolint drop-tabel: unknown analyzer (did you mean drop-table?); docs/lint.md lists the analyzers",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := lint.CheckDirectives(lint.Input{Plan: concurrentPlan("-- sextant:nolint\n")}); err != nil {
		t.Errorf("a bare directive: %v", err)
	}
}
