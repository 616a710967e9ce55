package plan

import (
	"cmp"
	"slices"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// orderPartitions puts the tables created in this plan after the tables they are partitions
// of: CREATE TABLE … PARTITION OF needs its parent, and a sub-partition's parent is a
// partition itself.
func orderPartitions(changes []diff.Change) {
	parent := map[string]string{} // "schema.table" -> its parent, for tables created here
	for _, c := range changes {
		if a, ok := c.(*diff.AddTable); ok && a.T.Partition() {
			parent[schema.PartitionRef(a.T.Schema, a.T.Name)] = a.T.PartitionOf
		}
	}
	if len(parent) == 0 {
		return
	}
	depth := func(name string) int {
		n := 0
		for seen := map[string]bool{}; parent[name] != "" && !seen[name]; name = parent[name] {
			seen[name] = true
			n++
		}
		return n
	}
	slices.SortStableFunc(changes, func(a, b diff.Change) int {
		pa, pb := phase(a), phase(b)
		if pa != pb || pa != phaseTables {
			return cmp.Compare(pa, pb)
		}
		return cmp.Compare(tableDepth(a, depth), tableDepth(b, depth))
	})
}

func tableDepth(c diff.Change, depth func(string) int) int {
	if a, ok := c.(*diff.AddTable); ok {
		return depth(schema.PartitionRef(a.T.Schema, a.T.Name))
	}
	return 0
}
