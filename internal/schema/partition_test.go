package schema

import (
	"slices"
	"testing"
)

func TestScopeApplyDropsPartitionsWithTheirParent(t *testing.T) {
	r := &Realm{Schemas: []*Schema{
		{Name: "public", Tables: []*Table{
			{Schema: "public", Name: "events", PartitionKey: "RANGE (d)"},
			{Schema: "public", Name: "events_a", PartitionOf: "public.events", Bound: "DEFAULT", PartitionKey: "HASH (id)"},
			{Schema: "public", Name: "events_a0", PartitionOf: "public.events_a", Bound: "FOR VALUES WITH (modulus 1, remainder 0)"},
			{Schema: "public", Name: "logs_2024", PartitionOf: "audit.logs", Bound: "DEFAULT"},
			{Schema: "public", Name: "users"},
		}},
		{Name: "audit", Tables: []*Table{{Schema: "audit", Name: "logs", PartitionKey: "LIST (kind)"}}},
	}}
	tables := func(r *Realm) []string {
		var out []string
		for _, s := range r.Schemas {
			for _, t := range s.Tables {
				out = append(out, s.Name+"."+t.Name)
			}
		}
		return out
	}
	for _, tc := range []struct {
		scope Scope
		want  []string
	}{
		{Scope{Exclude: []string{"public.events"}}, []string{"public.logs_2024", "public.users", "audit.logs"}},
		{Scope{Exclude: []string{"public.events_a"}}, []string{"public.events", "public.logs_2024", "public.users", "audit.logs"}},
		{Scope{Exclude: []string{"audit"}}, []string{"public.events", "public.events_a", "public.events_a0", "public.users"}},
		{Scope{Include: []string{"public"}}, []string{"public.events", "public.events_a", "public.events_a0", "public.users"}},
	} {
		if got := tables(tc.scope.Apply(r)); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: got %q, want %q", tc.scope, got, tc.want)
		}
	}
}

func TestPartitionParent(t *testing.T) {
	p := &Table{Schema: "a.b", Name: "p"}
	c := &Table{Schema: "x", Name: "c", PartitionOf: "a.b.p"}
	r := &Realm{Schemas: []*Schema{{Name: "a"}, {Name: "a.b", Tables: []*Table{p}}, {Name: "x", Tables: []*Table{c}}}}
	if got := r.PartitionParent(c); got != p {
		t.Errorf("parent of %q: got %v, want the table p of schema a.b", c.PartitionOf, got)
	}
	if got := r.PartitionParent(p); got != nil {
		t.Errorf("a table that is no partition has parent %v", got)
	}
}
