// Package report renders plans, schemas and lint results for people and scripts: SQL text,
// JSON, SARIF, GitLab Code Quality, and the Markdown review comment.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

// PlanSQL writes a plan as a plan file (see package plan) a reviewer can read and psql can run:
// each statement under a comment naming its change and the lint findings on it. res may be
// nil (not linted).
func PlanSQL(w io.Writer, p *plan.Plan, res *lint.Result) error {
	return p.WriteFile(w, plan.Header{Linted: res != nil, Findings: res.Findings()})
}

// PlanJSON writes the plan as indented JSON, with its lint diagnostics when res is not nil.
func PlanJSON(w io.Writer, p *plan.Plan, res *lint.Result) error {
	if res == nil {
		return writeJSON(w, p)
	}
	return writeJSON(w, struct {
		*plan.Plan
		Lint        lint.Counts       `json:"lint"`
		Diagnostics []lint.Diagnostic `json:"diagnostics"`
	}{p, res.Counts(), res.Diagnostics})
}

// SchemaSQL writes the DDL that creates the schema from an empty database, headed by its
// fingerprint.
func SchemaSQL(w io.Writer, r *schema.Realm, p *plan.Plan) error {
	var b strings.Builder
	fmt.Fprintf(&b, "-- fingerprint: %s\n", schema.Fingerprint(r))
	for _, s := range p.Statements {
		fmt.Fprintf(&b, "\n%s;\n", s.SQL)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// SchemaJSON writes the model with its fingerprint.
func SchemaJSON(w io.Writer, r *schema.Realm) error {
	return writeJSON(w, struct {
		Fingerprint string        `json:"fingerprint"`
		Realm       *schema.Realm `json:"realm"`
	}{schema.Fingerprint(r), r})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
