package schema

import "strings"

// Partition reports whether t is a partition of another table.
func (t *Table) Partition() bool { return t.PartitionOf != "" }

// PartitionRef is the form of Table.PartitionOf: the schema and name of the parent, unquoted,
// joined by a dot.
func PartitionRef(schemaName, table string) string { return schemaName + "." + table }

// PartitionParent returns the table t is a partition of, or nil. Names may hold dots, so the
// parent is found by trying each schema of r as the prefix of PartitionOf.
func (r *Realm) PartitionParent(t *Table) *Table {
	if !t.Partition() {
		return nil
	}
	for _, s := range r.Schemas {
		if strings.HasPrefix(t.PartitionOf, s.Name+".") {
			if p := s.Table(t.PartitionOf[len(s.Name)+1:]); p != nil {
				return p
			}
		}
	}
	return nil
}

// excludesParent reports whether the scope leaves out a table that t, a table of schema sc,
// is a partition of, directly or through a partition that is partitioned itself: a partition
// hangs on its parent and is managed only with it.
func (s Scope) excludesParent(sc *Schema, t *Table) bool {
	for seen := map[*Table]bool{}; t != nil && t.Partition() && !seen[t]; {
		seen[t] = true
		if s.excludes(t.PartitionOf) {
			return true
		}
		rest, ok := strings.CutPrefix(t.PartitionOf, sc.Name+".")
		if !ok {
			// A parent in another schema: managed when its schema is.
			schemaName, _, _ := strings.Cut(t.PartitionOf, ".")
			return !s.keepsSchema(schemaName)
		}
		if s.excludes(sc.Name + "." + rest) {
			return true
		}
		t = sc.Table(rest)
	}
	return false
}
