package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
)

// sqlWidth is how many characters of a statement the text report shows.
const sqlWidth = 120

// LintText writes a lint result for a terminal: every statement of the plan (numbered from 1,
// its SQL on one line, abbreviated), then what the simulation measured it doing when the plan
// was simulated, then its diagnostics with their safe alternatives; diagnostics about the plan
// as a whole come first, and a summary line ends the report:
//
//	1  ALTER TABLE public.users ADD COLUMN token uuid DEFAULT gen_random_uuid()
//	   ACCESS EXCLUSIVE on public.users, table rewritten
//	   warning volatile-default (schema.sql:4): adding public.users.token with the volatile default …
//	     safe: Add the column without a default …
//
//	0 errors, 1 warning, 0 notices
//
// A diagnostic whose object is defined at a known place in the schema source names it after
// the analyzer, as file:line.
//
// effects is nil when the plan was not simulated.
func LintText(w io.Writer, p *plan.Plan, effects []plan.Effects, res *lint.Result) error {
	if res == nil {
		res = &lint.Result{}
	}
	var b strings.Builder
	width := len(strconv.Itoa(len(p.Statements)))
	indent := strings.Repeat(" ", width+2)
	diags := func(ds []lint.Diagnostic, indent string) {
		for _, d := range ds {
			fmt.Fprintf(&b, "%s%s %s%s: %s\n", indent, d.Severity, d.Analyzer, sourceRef(d), d.Message)
			if d.Alternative != "" {
				fmt.Fprintf(&b, "%s  safe: %s\n", indent, d.Alternative)
			}
		}
	}

	if general := planLevel(p, res); len(general) > 0 {
		b.WriteString("plan\n")
		diags(general, indent)
		b.WriteString("\n")
	}
	if p.Empty() {
		b.WriteString("no changes\n\n")
	}
	txs := p.Transactions()
	i := 0
	for n, tx := range txs {
		if len(txs) > 1 {
			fmt.Fprintf(&b, "transaction %d of %d\n", n+1, len(txs))
		}
		for _, s := range tx {
			fmt.Fprintf(&b, "%*d  %s\n", width, i+1, abbreviate(s.SQL))
			if st, e := simulation(effects, i); st != "" {
				line := ""
				switch st {
				case statusOK:
					line = lint.DescribeEffects(e)
				case statusFailed:
					line = "failed: " + e.Err
				case statusNotRun:
					line = "not run"
					if earlierFailed(effects, i) {
						line += ": an earlier statement failed"
					}
				}
				if line != "" {
					b.WriteString(indent + line + "\n")
				}
			}
			diags(res.ForStatement(i), indent)
			b.WriteString("\n")
			i++
		}
	}
	b.WriteString(summary(res.Counts()) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// LintJSON writes a lint result for scripts:
//
//	{
//	  "from": "sha256:…", "to": "sha256:…",
//	  "simulated": true,
//	  "summary": {"errors": 0, "warnings": 1, "notices": 0},
//	  "statements": [{"index": 0, "tx": 0, "kind": "add-column", "object": "public.users.token",
//	                  "sql": "…", "status": "ok", "effects": {"locks": [...], "rewritten": [...]}}],
//	  "diagnostics": [{"analyzer": "volatile-default", "category": "locking", "severity": "warning",
//	                   "statement": 0, "object": "public.users.token", "message": "…", "alternative": "…"}]
//	}
//
// Statement indexes count from 0; a diagnostic's statement is -1 when it concerns the whole
// plan. status (ok, failed, not-run) and effects appear only for a simulated plan; effects
// hold every lock, also the weak ones the text report leaves out.
func LintJSON(w io.Writer, p *plan.Plan, effects []plan.Effects, res *lint.Result) error {
	if res == nil {
		res = &lint.Result{}
	}
	type statement struct {
		Index   int           `json:"index"`
		Tx      int           `json:"tx"`
		Kind    string        `json:"kind"`
		Object  string        `json:"object"`
		SQL     string        `json:"sql"`
		Status  string        `json:"status,omitempty"`
		Effects *plan.Effects `json:"effects,omitempty"`
	}
	out := struct {
		From        string            `json:"from"`
		To          string            `json:"to"`
		Simulated   bool              `json:"simulated"`
		Summary     lint.Counts       `json:"summary"`
		Statements  []statement       `json:"statements"`
		Diagnostics []lint.Diagnostic `json:"diagnostics"`
	}{
		From: p.From, To: p.To, Simulated: effects != nil, Summary: res.Counts(),
		Statements: []statement{}, Diagnostics: res.Diagnostics,
	}
	if out.Diagnostics == nil {
		out.Diagnostics = []lint.Diagnostic{}
	}
	for i, s := range p.Statements {
		st := statement{Index: i, Tx: s.Tx, Kind: s.Kind, Object: s.Object, SQL: s.SQL}
		if status, e := simulation(effects, i); status != "" {
			st.Status = status
			if status != statusNotRun {
				st.Effects = &e
			}
		}
		out.Statements = append(out.Statements, st)
	}
	return writeJSON(w, out)
}

const (
	statusOK     = "ok"
	statusFailed = "failed"
	statusNotRun = "not-run"
)

// simulation returns what became of statement i when the plan was simulated: "" when it was
// not, else ok, failed or not-run, with the statement's effects.
func simulation(effects []plan.Effects, i int) (string, plan.Effects) {
	switch {
	case effects == nil:
		return "", plan.Effects{}
	case earlierFailed(effects, i) || i >= len(effects):
		return statusNotRun, plan.Effects{}
	}
	if effects[i].Err != "" {
		return statusFailed, effects[i]
	}
	return statusOK, effects[i]
}

func earlierFailed(effects []plan.Effects, i int) bool {
	for j := 0; j < i && j < len(effects); j++ {
		if effects[j].Err != "" {
			return true
		}
	}
	return false
}

// planLevel returns the diagnostics that belong to no statement of p.
func planLevel(p *plan.Plan, res *lint.Result) []lint.Diagnostic {
	var out []lint.Diagnostic
	for _, d := range res.Diagnostics {
		if d.Statement < 0 || d.Statement >= len(p.Statements) {
			out = append(out, d)
		}
	}
	return out
}

// abbreviate puts a statement on one line and shortens it to sqlWidth characters.
func abbreviate(sql string) string {
	s := strings.Join(strings.Fields(sql), " ")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "( ", "("), " )", ")")
	if utf8.RuneCountInString(s) <= sqlWidth {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:sqlWidth-1])) + "…"
}

// sourceRef is " (file:line)" for a diagnostic that knows where its object is defined, " (file)"
// when only the file is known, and "" otherwise.
func sourceRef(d lint.Diagnostic) string {
	switch {
	case d.File == "":
		return ""
	case d.Line > 0:
		return " (" + d.File + ":" + strconv.Itoa(d.Line) + ")"
	}
	return " (" + d.File + ")"
}

// summary is the closing line: "2 errors, 1 warning, 0 notices".
func summary(c lint.Counts) string {
	n := func(k int, one, many string) string {
		if k == 1 {
			return "1 " + one
		}
		return strconv.Itoa(k) + " " + many
	}
	return n(c.Errors, "error", "errors") + ", " + n(c.Warnings, "warning", "warnings") + ", " + n(c.Notices, "notice", "notices")
}
