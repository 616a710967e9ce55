package diff

import (
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/schema"
)

// Declarative partitioning. PostgreSQL keeps a partition's columns in step with its parent
// and clones the parent's constraints and indexes onto it, so the model holds those on the
// parent only (see schema.Table) and a change to them is made once, on the parent. What is
// left to plan for a partition is where it sits:
//
//   - A partitioned table whose key changes, a table that becomes or stops being
//     partitioned, and a partition that moves to another parent or becomes or stops being a
//     partition are dropped and created again: PostgreSQL cannot change a key in place, and
//     moving a table in or out of a partition tree would carry over or leave behind clones
//     whose names only the server knows. The rows are lost, which lint reports.
//   - A partition whose bound changes is detached early in the plan and attached again with
//     its new bound late in it, so that bounds can be swapped or split among partitions
//     (a new partition taking over part of an old one's range). While it is detached, its
//     columns are changed along with the parent's, and the parent's checks that go away are
//     dropped from it; a change to the parent's keys, foreign keys or indexes makes it a
//     recreation instead, for the same reason as a move.

// Partitions.
type (
	// DetachPartition takes a partition out of its parent (the from state's) before its
	// bound changes. Checks are the parent's checks that the partition keeps as its own once
	// detached and that the parent no longer has or changes: they are dropped with it.
	DetachPartition struct {
		T      *schema.Table
		Checks []*schema.Constraint
	}
	// AttachPartition attaches a detached partition again, with the target's bound. Checks
	// are the target parent's checks that the detached partition lacks: PostgreSQL attaches
	// only a table that has every check of the parent already, so they are added first.
	AttachPartition struct {
		T      *schema.Table
		Checks []*schema.Constraint
	}
)

func (c *DetachPartition) Kind() string   { return "detach-partition" }
func (c *AttachPartition) Kind() string   { return "attach-partition" }
func (c *DetachPartition) Object() string { return q(c.T.Schema, c.T.Name) }
func (c *AttachPartition) Object() string { return q(c.T.Schema, c.T.Name) }

// partitionPlan records, before the tables are compared, which tables are recreated.
type partitionPlan struct {
	recreated map[*schema.Table]bool // from-state tables that are dropped and created again
}

// planPartitions finds the tables to recreate: those whose partitioning changes in a way that
// cannot be altered, and, transitively, the partitions of a recreated table, which go with it.
func (d *differ) planPartitions() {
	d.parts.recreated = map[*schema.Table]bool{}
	for changed := true; changed; {
		changed = false
		for _, s := range d.from.Schemas {
			for _, f := range s.Tables {
				if d.parts.recreated[f] {
					continue
				}
				t := d.toTable(f)
				if t == nil {
					continue
				}
				if d.mustRecreate(f, t) || d.parts.recreated[d.from.PartitionParent(f)] {
					d.parts.recreated[f] = true
					changed = true
				}
			}
		}
	}
}

func (d *differ) toTable(f *schema.Table) *schema.Table {
	s := d.to.Schema(f.Schema)
	if s == nil {
		return nil
	}
	return s.Table(f.Name)
}

// mustRecreate reports whether table f becomes t only by being dropped and created again.
func (d *differ) mustRecreate(f, t *schema.Table) bool {
	if f.PartitionKey != t.PartitionKey || f.PartitionOf != t.PartitionOf {
		return true
	}
	if !f.Partition() || f.Bound == t.Bound {
		return false
	}
	// A bound change detaches the partition; the clones of the parent's keys, foreign keys
	// and indexes stay on it under names of the server's choosing, so they must not change.
	fp, tp := d.from.PartitionParent(f), d.to.PartitionParent(t)
	if fp == nil || tp == nil {
		return true
	}
	sameIndex := func(a, b *schema.Index) bool { return a.Name == b.Name && a.Def == b.Def }
	sameKey := func(a, b *schema.Constraint) bool { return a.Name == b.Name && a.Def == b.Def }
	return !slices.EqualFunc(sortedIndexes(fp.Indexes), sortedIndexes(tp.Indexes), sameIndex) ||
		!slices.EqualFunc(sortedChecks(nonChecks(fp.Constraints)), sortedChecks(nonChecks(tp.Constraints)), sameKey)
}

func nonChecks(cs []*schema.Constraint) []*schema.Constraint {
	return slices.DeleteFunc(slices.Clone(cs), func(c *schema.Constraint) bool { return c.Kind == schema.Check })
}

func sortedIndexes(xs []*schema.Index) []*schema.Index {
	out := slices.Clone(xs)
	slices.SortFunc(out, func(a, b *schema.Index) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}

// partitionedTable handles a table present on both sides whose partitioning changes. It
// reports false when the table is compared as usual.
func (d *differ) partitionedTable(f, t *schema.Table) bool {
	if d.parts.recreated[f] {
		// The partitions of a recreated table go with it.
		if !d.parts.recreated[d.from.PartitionParent(f)] {
			d.add(&DropTable{T: f, Recreate: true, Disown: d.ownedSequences(f)})
		}
		d.addTable(t)
		return true
	}
	if !f.Partition() || f.Bound == t.Bound {
		return false
	}
	fp, tp := d.from.PartitionParent(f), d.to.PartitionParent(t)
	d.add(&DetachPartition{T: f, Checks: checksNotIn(fp, tp)}, &AttachPartition{T: t, Checks: checksNotIn(tp, fp)})
	// While detached the partition has the parent's columns as its own; they change with the
	// parent's so that it fits the parent again.
	d.columns(f, t, detachedColumns(fp), detachedColumns(tp))
	d.table(f, t)
	return true
}

// detachedColumns are the columns a partition of p has as its own once detached: p's,
// without comments (a partition has its own, and PostgreSQL copies none) and without
// identity (a partition does not take it).
func detachedColumns(p *schema.Table) []*schema.Column {
	out := make([]*schema.Column, len(p.Columns))
	for i, c := range p.Columns {
		x := *c
		x.Comment, x.Identity = "", nil
		out[i] = &x
	}
	return out
}

// goesWithParent reports whether dropping table f is left to PostgreSQL: it is a partition
// whose parent is dropped or recreated, which drops its partitions too.
func (d *differ) goesWithParent(f *schema.Table) bool {
	p := d.from.PartitionParent(f)
	return p != nil && (d.parts.recreated[p] || d.toTable(p) == nil)
}

// foreignKeysOnRecreatedTables drops the foreign keys that reference a recreated table
// before it goes, and adds them again after, where the target keeps them: PostgreSQL
// refuses to drop a table that a foreign key references.
func (d *differ) foreignKeysOnRecreatedTables() {
	if len(d.parts.recreated) == 0 {
		return
	}
	for _, s := range d.from.Schemas {
		for _, f := range s.Tables {
			if d.parts.recreated[f] {
				continue
			}
			for _, c := range f.Constraints {
				if c.Kind != schema.ForeignKey || !d.recreatedRef(c.RefSchema, c.RefTable) ||
					d.has(func(x Change) bool { y, ok := x.(*DropConstraint); return ok && y.C == c }) {
					continue
				}
				d.add(&DropConstraint{T: f, C: c})
				t := d.toTable(f)
				if t == nil {
					continue
				}
				if i := slices.IndexFunc(t.Constraints, func(x *schema.Constraint) bool { return x.Name == c.Name }); i >= 0 && !d.adds(t, t.Constraints[i]) {
					d.add(&AddConstraint{T: t, C: t.Constraints[i]})
				}
			}
		}
	}
}

func (d *differ) recreatedRef(schemaName, table string) bool {
	s := d.from.Schema(schemaName)
	if s == nil {
		return false
	}
	t := s.Table(table)
	return t != nil && d.parts.recreated[t]
}

// checksNotIn returns the checks of table a that table b lacks or defines otherwise.
func checksNotIn(a, b *schema.Table) []*schema.Constraint {
	var out []*schema.Constraint
	for _, c := range a.Constraints {
		if c.Kind != schema.Check {
			continue
		}
		if i := slices.IndexFunc(b.Constraints, func(x *schema.Constraint) bool { return x.Name == c.Name }); i < 0 || b.Constraints[i].Def != c.Def {
			out = append(out, c)
		}
	}
	return out
}

// ownedSequences returns the sequences of the from state owned by a column of table f that
// the target keeps owned by the same column, and adds the changes that own them again.
func (d *differ) ownedSequences(f *schema.Table) []*schema.Sequence {
	fs, ts := d.from.Schema(f.Schema), d.to.Schema(f.Schema)
	var out []*schema.Sequence
	for _, q := range fs.Sequences {
		col, ok := strings.CutPrefix(q.OwnedBy, f.Name+".")
		if !ok || f.Column(col) == nil {
			continue
		}
		out = append(out, q)
		if tq, ok := find(ts.Sequences, func(x *schema.Sequence) string { return x.Name }, q.Name); ok && tq.OwnedBy == q.OwnedBy {
			d.add(&SetSequenceOwner{S: tq})
		}
	}
	return out
}
