package report_test

import (
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
)

func TestCommentTriggersAndPolicies(t *testing.T) {
	from := &schema.Table{Schema: "public", Name: "t"}
	to := &schema.Table{Schema: "public", Name: "t", RowSecurity: true}
	tr := &schema.Trigger{Name: "tg"}
	pol := &schema.Policy{Name: "p", Command: "all"}
	ev := &schema.EventTrigger{Name: "log_ddl"}
	var p plan.Plan
	for _, c := range []diff.Change{
		&diff.DropTrigger{T: from, Tr: tr}, &diff.AddTrigger{T: to, Tr: tr}, &diff.SetRowSecurity{From: from, To: to},
		&diff.AddPolicy{T: to, P: pol}, &diff.ModifyEventTrigger{From: ev, To: ev},
	} {
		p.Statements = append(p.Statements, plan.Statement{SQL: "-- " + c.Kind(), Kind: c.Kind(), Object: c.Object(), Change: c})
	}
	c := &report.Comment{Schema: "app", Plan: &p, Header: plan.Header{Name: "rls", Status: plan.Pending}}
	s, err := c.Markdown(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| changed | trigger `public.t.tg` | replaced |",
		"| changed | table `public.t` | row level security enabled |",
		"| added | policy `public.t.p` |  |",
		"| changed | event trigger `log_ddl` | firing state or comment |",
		"1 added, 3 changed, 0 dropped",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("comment lacks %q\n%s", want, s)
		}
	}
}
