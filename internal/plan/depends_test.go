package plan_test

import (
	"slices"
	"testing"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

func kinds(changes []diff.Change) []string {
	var out []string
	for _, c := range changes {
		out = append(out, c.Kind()+" "+c.Object())
	}
	return out
}

// Functions are created last of all unless something needs them: then they move to just
// before the first change that waits for them, and no further.
func TestOrderFunctionsByUse(t *testing.T) {
	used := &schema.Function{Schema: "public", Name: "zero", UsedBy: []string{"default:public.t.a"}}
	free := &schema.Function{Schema: "public", Name: "free"}
	reads := &schema.Function{Schema: "public", Name: "reads", DependsOn: []string{"table:public.u"}}
	tbl := &schema.Table{Schema: "public", Name: "t", Columns: []*schema.Column{{Name: "a", Type: "numeric", Default: "public.zero()"}}}
	other := &schema.Table{Schema: "public", Name: "u", Columns: []*schema.Column{{Name: "b", Type: "integer"}}}
	view := &schema.View{Schema: "public", Name: "v", DependsOn: []string{"function:public.reads()"}}
	got := kinds(plan.Order([]diff.Change{
		&diff.AddFunction{F: free}, &diff.AddView{V: view}, &diff.AddFunction{F: reads}, &diff.AddFunction{F: used},
		&diff.AddTable{T: other}, &diff.AddTable{T: tbl},
	}))
	want := []string{"add-table public.u", "add-function public.zero()", "add-table public.t",
		"add-function public.reads()", "add-view public.v", "add-function public.free()"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// Drops run in reverse: a view before the function it calls, the function before the table
// whose row type it returns.
func TestOrderDrops(t *testing.T) {
	tbl := &schema.Table{Schema: "public", Name: "t"}
	f := &schema.Function{Schema: "public", Name: "rows", DependsOn: []string{"table:public.t"}}
	v := &schema.View{Schema: "public", Name: "v", DependsOn: []string{"function:public.rows()"}}
	w := &schema.View{Schema: "public", Name: "w", DependsOn: []string{"view:public.v"}}
	got := kinds(plan.Order([]diff.Change{&diff.DropTable{T: tbl}, &diff.DropFunction{F: f}, &diff.DropView{V: v}, &diff.DropView{V: w}}))
	want := []string{"drop-view public.w", "drop-view public.v", "drop-function public.rows()", "drop-table public.t"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// A cycle, which PostgreSQL would not let a schema hold, is broken rather than lose a change.
func TestOrderCycle(t *testing.T) {
	v := &schema.View{Schema: "public", Name: "v", DependsOn: []string{"function:public.f()"}}
	f := &schema.Function{Schema: "public", Name: "f", DependsOn: []string{"view:public.v"}}
	tbl := &schema.Table{Schema: "public", Name: "t"}
	got := kinds(plan.Order([]diff.Change{&diff.AddFunction{F: f}, &diff.AddView{V: v}, &diff.AddTable{T: tbl}}))
	want := []string{"add-table public.t", "add-view public.v", "add-function public.f()"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
