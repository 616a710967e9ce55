package report_test

import (
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
)

func TestCommentPartitions(t *testing.T) {
	oldP := &schema.Table{Schema: "public", Name: "events", PartitionKey: "RANGE (d)", Columns: []*schema.Column{{Name: "d", Type: "date"}}}
	newP := &schema.Table{Schema: "public", Name: "events", PartitionKey: "RANGE (id)", Columns: []*schema.Column{{Name: "d", Type: "date"}}}
	part := &schema.Table{Schema: "public", Name: "events_1", PartitionOf: "public.events", Bound: "FOR VALUES FROM (0) TO (10)"}
	moved := &schema.Table{Schema: "public", Name: "events_2", PartitionOf: "public.events", Bound: "DEFAULT"}
	var p plan.Plan
	for _, c := range []diff.Change{
		&diff.DropTable{T: oldP, Recreate: true}, &diff.AddTable{T: newP}, &diff.AddTable{T: part},
		&diff.DetachPartition{T: moved}, &diff.AttachPartition{T: moved},
	} {
		p.Statements = append(p.Statements, plan.Statement{SQL: "-- " + c.Kind(), Kind: c.Kind(), Object: c.Object(), Change: c})
	}
	c := &report.Comment{Schema: "app", Plan: &p, Header: plan.Header{Name: "partitions", Status: plan.Pending}}
	s, err := c.Markdown(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| changed | partitioned table `public.events` | replaced; 1 column, partitioned by `RANGE (d)`; 1 column, partitioned by `RANGE (id)` |",
		"| added | partition `public.events_1` | of `public.events` `FOR VALUES FROM (0) TO (10)` |",
		"| changed | partition `public.events_2` | detached from `public.events`; attached to `public.events` `DEFAULT` |",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("comment lacks %q\n%s", want, s)
		}
	}
}
