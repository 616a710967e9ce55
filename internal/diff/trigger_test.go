package diff

import (
	"slices"
	"testing"

	"github.com/sextant-db/sextant/internal/schema"
)

// triggerRealm is a table with a trigger and an event trigger, both executing functions
// whose result is result; the trigger's firing state is enabled.
func triggerRealm(result, enabled string) *schema.Realm {
	// EXECUTE for PUBLIC is what inspect reads for a function nobody granted anything on: a
	// function created again gets it back by itself.
	execute := []schema.Grant{{Grantee: "PUBLIC", Privilege: "EXECUTE"}}
	fn := &schema.Function{Schema: "public", Name: "touch", Result: result, Def: "def " + result, Grants: execute}
	ev := &schema.Function{Schema: "public", Name: "ddl", Result: result, Def: "def " + result, Grants: execute}
	tr := &schema.Trigger{Name: "tg", Def: "CREATE TRIGGER tg …", Enabled: enabled, DependsOn: []string{"function:public.touch()"}}
	t := &schema.Table{Schema: "public", Name: "t", Columns: []*schema.Column{{Name: "a", Type: "integer"}},
		Triggers: []*schema.Trigger{tr}}
	r := realm(&schema.Schema{Name: "public", Tables: []*schema.Table{t}, Functions: []*schema.Function{fn, ev}})
	r.EventTriggers = []*schema.EventTrigger{{Name: "e", Event: "ddl_command_end", FunctionSchema: "public", FunctionName: "ddl", Enabled: enabled}}
	return r
}

// A function dropped to be created again takes the triggers and event triggers that execute
// it along: PostgreSQL refuses to drop it under them. A change of firing state alone is made
// in place, and is folded into the new trigger when the trigger is created again.
func TestTriggersTakenAlong(t *testing.T) {
	got := summary(Realms(triggerRealm("trigger", ""), triggerRealm("trigger", "disabled")))
	if want := []string{"modify-event-trigger e", "modify-trigger public.t.tg"}; !slices.Equal(got, want) {
		t.Errorf("firing state:\n got %q\nwant %q", got, want)
	}
	// A new result type cannot be made in place, so both functions are recreated.
	got = summary(Realms(triggerRealm("trigger", ""), triggerRealm("opaque", "disabled")))
	want := []string{"drop-function public.touch()", "recreate-function public.touch()", "drop-function public.ddl()", "recreate-function public.ddl()",
		"drop-trigger public.t.tg", "add-trigger public.t.tg", "drop-event-trigger e", "add-event-trigger e"}
	if !slices.Equal(got, want) {
		t.Errorf("recreated function:\n got %q\nwant %q", got, want)
	}
}

func policyRealm(p *schema.Policy) *schema.Realm {
	t := &schema.Table{Schema: "public", Name: "t", RowSecurity: true, Policies: []*schema.Policy{p}}
	return realm(&schema.Schema{Name: "public", Tables: []*schema.Table{t}})
}

// ALTER POLICY changes roles and expressions; what it cannot do (a new command or kind, an
// expression removed) drops and creates the policy.
func TestPolicyChanges(t *testing.T) {
	base := schema.Policy{Name: "p", Command: "all", Roles: []string{"public"}, Using: "(a > 0)"}
	for _, tt := range []struct {
		name string
		edit func(p *schema.Policy)
		want []string
	}{
		{"roles", func(p *schema.Policy) { p.Roles = []string{"pg_monitor"} }, []string{"alter-policy public.t.p"}},
		{"check added", func(p *schema.Policy) { p.Check = "(a < 9)" }, []string{"alter-policy public.t.p"}},
		{"using removed", func(p *schema.Policy) { p.Using = "" }, []string{"drop-policy public.t.p", "add-policy public.t.p"}},
		{"restrictive", func(p *schema.Policy) { p.Restrictive = true }, []string{"drop-policy public.t.p", "add-policy public.t.p"}},
		{"command", func(p *schema.Policy) { p.Command = "select" }, []string{"drop-policy public.t.p", "add-policy public.t.p"}},
		{"comment", func(p *schema.Policy) { p.Comment = "c" }, []string{"comment-policy public.t.p"}},
	} {
		from, to := base, base
		tt.edit(&to)
		if got := summary(Realms(policyRealm(&from), policyRealm(&to))); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}
