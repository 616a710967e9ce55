package plan_test

import (
	"slices"
	"testing"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

// A trigger goes before the function it executes and comes back after the new version; a
// dropped table takes its triggers along, so it goes before their dropped function too.
func TestOrderTriggers(t *testing.T) {
	fn := &schema.Function{Schema: "public", Name: "touch"}
	tr := &schema.Trigger{Name: "tg", DependsOn: []string{"function:public.touch()", "column:public.t.a"}}
	tbl := &schema.Table{Schema: "public", Name: "t", Columns: []*schema.Column{{Name: "a", Type: "integer"}}, Triggers: []*schema.Trigger{tr}}
	got := kinds(plan.Order([]diff.Change{&diff.AddTrigger{T: tbl, Tr: tr}, &diff.RecreateFunction{From: fn, To: fn},
		&diff.DropFunction{F: fn}, &diff.DropTrigger{T: tbl, Tr: tr}}))
	want := []string{"drop-trigger public.t.tg", "drop-function public.touch()", "recreate-function public.touch()", "add-trigger public.t.tg"}
	if !slices.Equal(got, want) {
		t.Errorf("recreated function:\n got %q\nwant %q", got, want)
	}
	got = kinds(plan.Order([]diff.Change{&diff.DropFunction{F: fn}, &diff.DropTable{T: tbl}}))
	if want := []string{"drop-table public.t", "drop-function public.touch()"}; !slices.Equal(got, want) {
		t.Errorf("dropped table and function:\n got %q\nwant %q", got, want)
	}
	// A new policy reading a new table comes after it, whatever their phases say.
	p := &schema.Policy{Name: "p", DependsOn: []string{"table:public.u"}}
	u := &schema.Table{Schema: "public", Name: "u"}
	got = kinds(plan.Order([]diff.Change{&diff.AddPolicy{T: tbl, P: p}, &diff.AddTable{T: u}}))
	if want := []string{"add-table public.u", "add-policy public.t.p"}; !slices.Equal(got, want) {
		t.Errorf("new policy:\n got %q\nwant %q", got, want)
	}
}
