package schema

import (
	"slices"
	"testing"
)

// Event triggers follow the schema of their function and can be excluded by name; triggers
// and policies go with their table.
func TestScopeApplyTriggersAndPolicies(t *testing.T) {
	r := &Realm{Dialect: "postgres",
		Schemas: []*Schema{{Name: "public", Tables: []*Table{
			{Name: "kept", Triggers: []*Trigger{{Name: "tg"}}, Policies: []*Policy{{Name: "p"}}},
			{Name: "legacy_t", Triggers: []*Trigger{{Name: "tg"}}, RowSecurity: true, Policies: []*Policy{{Name: "p"}}},
		}}, {Name: "audit"}},
		EventTriggers: []*EventTrigger{
			{Name: "log_ddl", FunctionSchema: "public", FunctionName: "f"},
			{Name: "audit_ddl", FunctionSchema: "audit", FunctionName: "f"},
			{Name: "legacy_ddl", FunctionSchema: "public", FunctionName: "f"},
		}}
	got := Scope{Exclude: []string{"audit", "public.legacy_*", "legacy_*"}}.Apply(r)
	var events []string
	for _, e := range got.EventTriggers {
		events = append(events, e.Name)
	}
	if want := []string{"log_ddl"}; !slices.Equal(events, want) {
		t.Errorf("event triggers %q, want %q", events, want)
	}
	s := got.Schema("public")
	if len(s.Tables) != 1 || s.Table("kept").Trigger("tg") == nil || s.Table("kept").Policy("p") == nil {
		t.Errorf("kept table lost its trigger or policy, or the excluded one stayed: %+v", s.Tables)
	}
}
