package plan_test

import (
	"bytes"
	"testing"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

// A plan written to a file and read back gets its typed changes again.
func TestAttach(t *testing.T) {
	from := &schema.Realm{Dialect: "postgres", Schemas: []*schema.Schema{{Name: "public"}}}
	to := &schema.Realm{Dialect: "postgres", Schemas: []*schema.Schema{{Name: "public", Tables: []*schema.Table{{
		Name: "t", Columns: []*schema.Column{{Name: "id", Type: "integer"}}}}}}}
	changes, err := diff.Changes(from, to)
	if err != nil || len(changes) == 0 {
		t.Fatalf("changes: %v, %v", changes, err)
	}
	p := &plan.Plan{Dialect: "postgres", From: fp('a'), To: fp('b'), Statements: []plan.Statement{
		{SQL: "CREATE TABLE public.t (id integer)", Kind: changes[0].Kind(), Object: changes[0].Object()},
		{SQL: "UPDATE public.t SET id = 1"},
	}}
	var b bytes.Buffer
	if err := p.WriteFile(&b, plan.Header{}); err != nil {
		t.Fatal(err)
	}
	read, _, err := plan.ReadFile(&b, "p.sql")
	if err != nil {
		t.Fatal(err)
	}
	plan.Attach(read, changes)
	if read.Statements[0].Change != changes[0] || read.Statements[1].Change != nil {
		t.Errorf("attached %v and %v; want the table's change and none", read.Statements[0].Change, read.Statements[1].Change)
	}
}
