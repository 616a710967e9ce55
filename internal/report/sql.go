// Package report renders plans and schemas for people and scripts: SQL text, JSON and
// (later) Markdown comments.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

// PlanSQL writes a plan as a SQL script a reviewer can read and psql can run: each statement
// preceded by a comment naming the change, and explicit transactions when the plan needs
// more than one.
func PlanSQL(w io.Writer, p *plan.Plan) error {
	var b strings.Builder
	fmt.Fprintf(&b, "-- from: %s\n-- to:   %s\n", p.From, p.To)
	if p.Empty() {
		b.WriteString("-- no changes\n")
	}
	txs := p.Transactions()
	for _, tx := range txs {
		if len(txs) > 1 {
			b.WriteString("\nBEGIN;\n")
		}
		for _, s := range tx {
			fmt.Fprintf(&b, "\n-- %s %s\n%s;\n", s.Kind, s.Object, s.SQL)
		}
		if len(txs) > 1 {
			b.WriteString("\nCOMMIT;\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// PlanJSON writes the plan as indented JSON.
func PlanJSON(w io.Writer, p *plan.Plan) error {
	return writeJSON(w, p)
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
