package report

import (
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

// tableDetail names what a created or dropped table is: a partition has no columns of its
// own, so it is described by its parent and bound instead, and a partitioned table by its key.
func tableDetail(t *schema.Table) (noun, detail string) {
	noun = ""
	if t.PartitionKey != "" {
		noun = "partitioned table"
	}
	if t.Partition() {
		if noun == "" {
			noun = "partition"
		}
		detail = "of " + inlineCode(t.PartitionOf) + " " + inlineCode(t.Bound)
	} else {
		detail = plan.Count(len(t.Columns), "column")
	}
	if t.PartitionKey != "" {
		detail += ", partitioned by " + inlineCode(t.PartitionKey)
	}
	return noun, detail
}
