package report_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
)

// diagramOf renders the comment of a plan that adds tables to a realm and returns its
// Mermaid block, checked for structure, and the comment.
func diagramOf(t *testing.T, from, to *schema.Realm, changes ...diff.Change) (string, string) {
	t.Helper()
	p := &plan.Plan{Dialect: "postgres", From: fpFrom, To: fpTo}
	for _, c := range changes {
		p.Statements = append(p.Statements, plan.Statement{SQL: "SELECT 1", Kind: c.Kind(), Object: c.Object(), Change: c})
	}
	c := &report.Comment{Schema: "app", Plan: p, From: from, To: to}
	md, err := c.Markdown(0)
	if err != nil {
		t.Fatal(err)
	}
	checkComment(t, md, "app")
	start := strings.Index(md, "```mermaid\n")
	if start < 0 {
		t.Fatalf("no mermaid block:\n%s", md)
	}
	block := md[start+len("```mermaid\n"):]
	return block[:strings.Index(block, "```")], md
}

// Names that Mermaid's lexer would misread become plain words: schema and table joined by
// "_", types without spaces, parentheses or brackets, attributes named like key markers
// renamed, labels without double quotes; names that collide once sanitised are told apart.
func TestMermaidNames(t *testing.T) {
	odd := &schema.Table{Schema: "Sales Data", Name: "order-lines",
		Columns: []*schema.Column{
			{Name: "pk", Type: "bigint", NotNull: true},
			{Name: "Fk", Type: "numeric(10,2)"},
			{Name: "1st choice", Type: "character varying(80)[]"},
			{Name: `say "hi"`, Type: "public.my type"},
			{Name: "ref", Type: "bigint"},
		},
		Constraints: []*schema.Constraint{
			{Name: "order-lines_pkey", Kind: schema.PrimaryKey, Columns: []string{"pk"}},
			{Name: `fk "quoted" 100%`, Kind: schema.ForeignKey, Columns: []string{"ref"}, RefSchema: "public", RefTable: "a_b", RefColumns: []string{"id"}},
			{Name: "sorted by direction TB", Kind: schema.ForeignKey, Columns: []string{"ref"}, RefSchema: "public", RefTable: "sort_direction"},
		},
	}
	// Referenced, without a primary key: a bare entity line, whose name must not end in
	// "direction" (see mermaidLabel).
	sortDir := &schema.Table{Schema: "public", Name: "sort_direction", Columns: []*schema.Column{{Name: "ref", Type: "bigint"}}}
	ab := &schema.Table{Schema: "public", Name: "a_b", Columns: []*schema.Column{{Name: "id", Type: "bigint", NotNull: true}},
		Constraints: []*schema.Constraint{{Name: "a_b_pkey", Kind: schema.PrimaryKey, Columns: []string{"id"}}}}
	collide := &schema.Table{Schema: "public_a", Name: "b", Columns: []*schema.Column{{Name: "x", Type: "text"}}}
	one := &schema.Table{Schema: "public", Name: "one", Columns: []*schema.Column{{Name: "style", Type: "text"}}}
	to := &schema.Realm{Schemas: []*schema.Schema{
		{Name: "Sales Data", Tables: []*schema.Table{odd}},
		{Name: "public", Tables: []*schema.Table{ab, one, sortDir}},
		{Name: "public_a", Tables: []*schema.Table{collide}},
	}}
	from := &schema.Realm{Schemas: []*schema.Schema{{Name: "public", Tables: []*schema.Table{ab, sortDir}}}}
	got, md := diagramOf(t, from, to, &diff.AddTable{T: odd}, &diff.AddTable{T: collide}, &diff.AddTable{T: one},
		&diff.AddConstraint{T: odd, C: odd.Constraints[1]})
	if dump := os.Getenv("SEXTANT_MERMAID_DUMP"); dump != "" {
		// For checking with Mermaid itself: SEXTANT_MERMAID_DUMP=/tmp/names.md.
		if err := os.WriteFile(dump, []byte(md), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{
		"    Sales_Data_order_lines {\n",
		`        bigint pk_ PK "added"`,
		`        numeric_10_2 Fk_ "added"`,
		`        character_varying_80_array x1st_choice "added"`,
		`        public_my_type say_hi "added"`,
		`        bigint ref FK "added"`,
		// public_a.b, touched, comes first and keeps the name; the neighbour public.a_b, whose
		// name sanitises the same, is told apart.
		"    public_a_b {\n        text x \"added\"\n    }\n",
		"    public_a_b_2 {\n        bigint id PK\n    }\n",
		"    public_one {\n        text style \"added\"\n    }\n",
		`    Sales_Data_order_lines }o--o| public_a_b_2 : "fk 'quoted' 100 added"`,
		"    public_sort_direction_\n",
		`    Sales_Data_order_lines }o--o| public_sort_direction_ : "sorted by direction_TB added"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diagram lacks %q:\n%s", want, got)
		}
	}
}

// The diagram keeps to 30 tables, those the plan touches first, and says how many it left
// out; neighbours show only their key columns, and a table that nothing links to the
// touched ones stays out.
func TestMermaidCap(t *testing.T) {
	hub := &schema.Table{Schema: "public", Name: "hub",
		Columns:     []*schema.Column{{Name: "id", Type: "bigint", NotNull: true}, {Name: "note", Type: "text"}},
		Constraints: []*schema.Constraint{{Name: "hub_pkey", Kind: schema.PrimaryKey, Columns: []string{"id"}}}}
	lonely := &schema.Table{Schema: "public", Name: "lonely", Columns: []*schema.Column{{Name: "id", Type: "bigint"}}}
	tables := []*schema.Table{hub, lonely}
	var changes []diff.Change
	for i := range 40 {
		t := &schema.Table{Schema: "public", Name: fmt.Sprintf("t%02d", i),
			Columns: []*schema.Column{{Name: "hub_id", Type: "bigint", NotNull: true}},
			Constraints: []*schema.Constraint{{Name: fmt.Sprintf("t%02d_hub_id_fkey", i), Kind: schema.ForeignKey,
				Columns: []string{"hub_id"}, RefSchema: "public", RefTable: "hub", RefColumns: []string{"id"}}}}
		tables = append(tables, t)
		changes = append(changes, &diff.AddTable{T: t})
	}
	to := &schema.Realm{Schemas: []*schema.Schema{{Name: "public", Tables: tables}}}
	from := &schema.Realm{Schemas: []*schema.Schema{{Name: "public", Tables: []*schema.Table{hub, lonely}}}}
	got, md := diagramOf(t, from, to, changes...)
	if n := strings.Count(got, "{\n"); n != 30 {
		t.Errorf("%d entities, want 30", n)
	}
	if !strings.Contains(md, "11 more tables not shown") {
		t.Errorf("no note on the 11 tables left out:\n%s", md)
	}
	if strings.Contains(got, "public_hub") || strings.Contains(got, "t30") {
		t.Errorf("past the cap, a neighbour or a later table is drawn:\n%s", got)
	}

	// Under the cap the hub is drawn with its key column only, and lonely not at all.
	got, _ = diagramOf(t, from, to, changes[:3]...)
	for _, want := range []string{"    public_hub {\n        bigint id PK\n    }\n", `    public_t02 }o--|| public_hub : "t02_hub_id_fkey added"`} {
		if !strings.Contains(got, want) {
			t.Errorf("diagram lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "lonely") || strings.Contains(got, "note") {
		t.Errorf("an unrelated table or a neighbour's plain column is drawn:\n%s", got)
	}
}
