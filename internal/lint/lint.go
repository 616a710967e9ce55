// Package lint finds the hazards in a migration plan before it runs: data that a statement
// deletes, statements that fail on a populated table, locks that stop production traffic,
// rewrites of large tables, changes that break code still running against the old schema, and
// names that break the team's conventions.
//
// Each hazard is an [Analyzer]: a named, documented rule with a category, a default severity,
// the reason it is a hazard and, where one exists, the safe way to make the same change. The
// analyzers live one file per category (destructive.go, data.go, locking.go, compat.go,
// dialect.go, naming.go) so that a reviewer can read the list and understand every rule;
// docs/lint.md documents each with an example.
//
// Analyzers read the plan's typed changes (plan.Statement.Change) and the from and to models.
// When the plan was rehearsed on a dev database, the measured effects of each statement (locks
// taken, tables rewritten or scanned) replace the locking analyzers' static rules: what
// PostgreSQL was seen to do beats what its statement text suggests.
package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// Severity says how much a diagnostic matters. An error fails `sextant ci plan` and
// `sextant schema lint`; a warning and a notice are shown but do not fail.
type Severity string

// The severities, strongest first. Off is only valid in configuration: it disables an
// analyzer.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Notice  Severity = "notice"
	Off     Severity = "off"
)

func (s Severity) valid() bool { return s == Error || s == Warning || s == Notice || s == Off }

// Category groups analyzers by the kind of harm they describe.
type Category string

// The categories.
const (
	// Destructive: the change deletes data or an object that cannot be got back by running
	// the plan in reverse.
	Destructive Category = "destructive"
	// DataDependent: whether the statement succeeds, or what it does to the rows, depends on
	// the data in the table.
	DataDependent Category = "data-dependent"
	// Locking: the statement holds a lock that blocks reads or writes for longer than an
	// instant, typically while it rewrites or scans a table.
	Locking Category = "locking"
	// BackwardIncompatible: code deployed against the old schema, still running while the
	// migration runs or until it is replaced, breaks.
	BackwardIncompatible Category = "backward-incompatible"
	// Naming: a new name breaks the configured naming conventions.
	Naming Category = "naming"
	// Dialect: the statement is not valid the way the plan runs it on this engine.
	Dialect Category = "dialect"
	// Simulation: rehearsing the plan on a dev database went wrong.
	Simulation Category = "simulation"
)

// Analyzer is one lint rule.
type Analyzer struct {
	// Name is stable and kebab-case; configuration and directives refer to it.
	Name string
	// Category is the kind of harm.
	Category Category
	// Severity is the default severity; configuration may change it.
	Severity Severity
	// Reason says, in a sentence a reviewer can read, why the change is a hazard.
	Reason string
	// Alternative is the safe way to make the same change, empty when there is none.
	Alternative string
	// Run inspects the plan and reports diagnostics through the pass.
	Run func(*Pass)
}

// Input is what the analyzers look at.
type Input struct {
	Plan *plan.Plan
	// From and To are the states before and after the plan.
	From, To *schema.Realm
	// Effects are the measured effects of each statement when the plan was rehearsed on a dev
	// database, index for index with Plan.Statements; nil when it was not. A shorter slice
	// means the statements after its end were not measured.
	Effects []plan.Effects
	// Remaining is what still differed from To after the rehearsal; empty when the plan was
	// not simulated or converged.
	Remaining []diff.Change
	// Sources are the schema files of the two states, when they were read from SQL files:
	// diagnostics then carry the file and line that define their object, and the
	// -- sextant:nolint directives of the desired state's files apply (see nolint.go).
	Sources Sources
}

// Diagnostic is one hazard found in a plan.
type Diagnostic struct {
	Analyzer string   `json:"analyzer"`
	Category Category `json:"category"`
	// Severity is the analyzer's severity after configuration.
	Severity Severity `json:"severity"`
	// Statement is the index of the statement in the plan, -1 when the diagnostic is about
	// the plan as a whole.
	Statement int `json:"statement"`
	// Object is the qualified name of the object concerned, e.g. "public.users.email".
	Object  string `json:"object,omitempty"`
	Message string `json:"message"`
	// Alternative is the safe way to make the change, when there is one.
	Alternative string `json:"alternative,omitempty"`
	// File and Line point at the schema source line that defines the object, when it can be
	// known (a SQL source); empty otherwise.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// Result is the outcome of linting a plan.
type Result struct {
	// Diagnostics are sorted by statement, then analyzer name.
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Counts holds the number of diagnostics of each severity.
type Counts struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Notices  int `json:"notices"`
}

// Counts returns the number of diagnostics per severity.
func (r *Result) Counts() Counts {
	var c Counts
	for _, d := range r.Diagnostics {
		switch d.Severity {
		case Error:
			c.Errors++
		case Warning:
			c.Warnings++
		case Notice:
			c.Notices++
		}
	}
	return c
}

// HasErrors reports whether an error-severity diagnostic remains.
func (r *Result) HasErrors() bool { return r.Counts().Errors > 0 }

// Findings returns the diagnostics as a plan file keeps them, on one line each; nil for a
// nil result.
func (r *Result) Findings() []plan.Finding {
	if r == nil {
		return nil
	}
	out := make([]plan.Finding, 0, len(r.Diagnostics))
	for _, d := range r.Diagnostics {
		if d.Severity == Off {
			continue
		}
		out = append(out, plan.Finding{Statement: d.Statement, Severity: string(d.Severity), Analyzer: d.Analyzer,
			Message: strings.Join(strings.Fields(d.Message), " ")})
	}
	return out
}

// ForStatement returns the diagnostics of statement i (-1: those about the whole plan).
func (r *Result) ForStatement(i int) []Diagnostic {
	var out []Diagnostic
	for _, d := range r.Diagnostics {
		if d.Statement == i {
			out = append(out, d)
		}
	}
	return out
}

// Analyzers returns every analyzer, in the order they run.
func Analyzers() []*Analyzer { return slices.Clone(analyzers) }

// Lookup returns the analyzer called name, or nil.
func Lookup(name string) *Analyzer {
	for _, a := range analyzers {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Run runs every analyzer that cfg does not turn off and returns the diagnostics, with the
// severities cfg sets. cfg should have passed Validate (decoding it does that); a naming
// pattern that does not compile is reported as a diagnostic rather than ignored.
//
// A diagnostic that a -- sextant:nolint directive silences (in its statement's SQL, or in
// in.Sources next to its object's definition) is dropped; the others carry the file and line
// that define their object when in.Sources knows it. Run does not check the directives' names:
// CheckDirectives does.
func Run(in Input, cfg Config) *Result {
	if in.From == nil {
		in.From = &schema.Realm{}
	}
	if in.To == nil {
		in.To = &schema.Realm{}
	}
	if in.Plan == nil {
		in.Plan = &plan.Plan{}
	}
	st := &state{in: in, byChange: map[diff.Change][]int{}}
	for i, s := range in.Plan.Statements {
		if s.Change == nil {
			continue
		}
		if _, seen := st.byChange[s.Change]; !seen {
			st.changes = append(st.changes, s.Change)
		}
		st.byChange[s.Change] = append(st.byChange[s.Change], i)
	}
	// Every analyzer runs, also those configured off, and their diagnostics are dropped
	// afterwards: an analyzer that reports what the others did not (blocking-lock) must not
	// start reporting a statement because the one that explains it better was turned off.
	for _, a := range analyzers {
		a.Run(&Pass{Plan: in.Plan, From: in.From, To: in.To, Effects: in.Effects, Remaining: in.Remaining, Config: cfg, analyzer: a, st: st})
	}
	// Directives, like configuration, drop diagnostics only after every analyzer ran.
	srcs, stmtDirectives := in.Sources.scan(), planDirectives(in.Plan)
	res := &Result{Diagnostics: []Diagnostic{}}
	for _, d := range st.diags {
		sev := Lookup(d.Analyzer).Severity
		if s, ok := cfg.Analyzers[d.Analyzer]; ok {
			sev = s
		}
		if sev == Off {
			continue
		}
		if d.Statement >= 0 && d.Statement < len(stmtDirectives) && slices.ContainsFunc(stmtDirectives[d.Statement],
			func(dir source.Directive) bool { return covers(dir.Analyzers, d.Analyzer) }) {
			continue
		}
		if srcs.suppressed(d.Object, d.Analyzer) {
			continue
		}
		if d.File == "" {
			d.File, d.Line = srcs.position(d.Object)
		}
		d.Severity = sev
		res.Diagnostics = append(res.Diagnostics, d)
	}
	slices.SortStableFunc(res.Diagnostics, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Statement, b.Statement), cmp.Compare(a.Analyzer, b.Analyzer),
			cmp.Compare(a.Object, b.Object), cmp.Compare(a.Message, b.Message))
	})
	return res
}

// state is shared by the passes of one run.
type state struct {
	in       Input
	changes  []diff.Change         // distinct changes, in plan order
	byChange map[diff.Change][]int // the statements of each change
	diags    []Diagnostic          // everything reported, before configuration
}

// Pass is one analyzer's view of a run: the plan, the two states, the measured effects and
// the configuration, and the means to report.
type Pass struct {
	Plan     *plan.Plan
	From, To *schema.Realm
	// Effects are the measured effects per statement, nil when the plan was not simulated;
	// prefer Measured, which knows which statements actually ran.
	Effects []plan.Effects
	// Remaining is what the rehearsal left different from To (see Input).
	Remaining []diff.Change
	Config    Config

	analyzer *Analyzer
	st       *state
}

// Report records a diagnostic on statement stmt (-1: the plan as a whole) about object, with
// the analyzer's safe alternative.
func (p *Pass) Report(stmt int, object, message string) {
	p.ReportAlternative(stmt, object, message, p.analyzer.Alternative)
}

// ReportAlternative records a diagnostic with a safe alternative specific to it, for example
// the statement rewritten with CONCURRENTLY; an empty alternative means the analyzer's.
func (p *Pass) ReportAlternative(stmt int, object, message, alternative string) {
	if alternative == "" {
		alternative = p.analyzer.Alternative
	}
	p.st.diags = append(p.st.diags, Diagnostic{
		Analyzer: p.analyzer.Name, Category: p.analyzer.Category, Severity: p.analyzer.Severity,
		Statement: stmt, Object: object, Message: message, Alternative: alternative,
	})
}

// Reportf is Report with a formatted message.
func (p *Pass) Reportf(stmt int, object, format string, args ...any) {
	p.Report(stmt, object, fmt.Sprintf(format, args...))
}

// Changes returns the typed changes of the plan, in plan order, each once. Plans read back
// from a file carry no typed changes: then it is empty.
func (p *Pass) Changes() []diff.Change { return p.st.changes }

// Statements returns the indexes of the statements that change c renders to.
func (p *Pass) Statements(c diff.Change) []int { return p.st.byChange[c] }

// Statement returns the first statement of change c whose SQL satisfies match (any statement
// when match is nil), or -1.
func (p *Pass) Statement(c diff.Change, match func(sql string) bool) int {
	for _, i := range p.st.byChange[c] {
		if match == nil || match(p.Plan.Statements[i].SQL) {
			return i
		}
	}
	return -1
}

// Measured returns the measured effects of statement i, and whether there are any: the plan
// was simulated and the statement ran and succeeded. Statements after a failed one did not
// run; a failed statement's effects describe nothing that will happen.
func (p *Pass) Measured(i int) (plan.Effects, bool) {
	if p.Effects == nil || i < 0 || i >= len(p.Effects) || i >= len(p.Plan.Statements) {
		return plan.Effects{}, false
	}
	for j := 0; j <= i; j++ {
		if p.Effects[j].Err != "" {
			return plan.Effects{}, false
		}
	}
	return p.Effects[i], true
}

// FromTable returns the table schemaName.name of the from state, or nil: a table that exists
// before the plan runs and may hold rows.
func (p *Pass) FromTable(schemaName, name string) *schema.Table {
	return realmTable(p.From, schemaName, name)
}

// ToTable returns the table schemaName.name of the to state, or nil.
func (p *Pass) ToTable(schemaName, name string) *schema.Table {
	return realmTable(p.To, schemaName, name)
}

func realmTable(r *schema.Realm, schemaName, name string) *schema.Table {
	if s := r.Schema(schemaName); s != nil {
		return s.Table(name)
	}
	return nil
}

// existing reports whether t is a table of the from state that the plan keeps: one that may
// hold rows and serve traffic while the statement runs.
func (p *Pass) existing(t *schema.Table) bool {
	return p.FromTable(t.Schema, t.Name) != nil && p.ToTable(t.Schema, t.Name) != nil
}

// reported reports whether any analyzer, configured off or not, has reported a diagnostic of
// category cat on statement i so far in this run.
func (p *Pass) reported(i int, cat Category) bool {
	return slices.ContainsFunc(p.st.diags, func(d Diagnostic) bool { return d.Statement == i && d.Category == cat })
}
