package postgres

import (
	"fmt"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

var (
	// partitionCols are the partitioning columns of qTables: the partition key of a
	// partitioned table, and the parent and bound of a partition.
	partitionCols = `coalesce(pg_catalog.pg_get_partkeydef(c.oid), ''),
  coalesce((SELECT pn.nspname || '.' || pc.relname FROM pg_catalog.pg_inherits ih
    JOIN pg_catalog.pg_class pc ON pc.oid = ih.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
    WHERE ih.inhrelid = c.oid AND c.relispartition), ''),
  CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) ELSE '' END`

	// ownConstraint keeps the constraints a table declares itself. A partition also carries a
	// clone of every constraint of its parent: keys and foreign keys point at the parent's
	// constraint (conparentid), inherited checks are not local. A table whose foreign key
	// references a partitioned table carries one such clone per partition as well.
	ownConstraint = `con.conparentid = 0 AND (con.contype <> 'c' OR con.conislocal)`

	// qPartitionColumns refuses a partition column that differs from its parent's column. A
	// partition made by CREATE TABLE … PARTITION OF copies the parent's defaults and NOT NULL
	// and has no column comments; the model keeps a partition's columns only on the parent,
	// so a partition column with a default, NOT NULL or comment of its own (set by ALTER
	// TABLE on the partition, or kept by a table that was attached) is named instead.
	qPartitionColumns = `SELECT 'partition column with its own default, NOT NULL or comment', n.nspname, c.relname,
  ` + qname("n.nspname", "c.relname") + ` || '.' || pg_catalog.quote_ident(a.attname)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_inherits ih ON ih.inhrelid = c.oid
JOIN pg_catalog.pg_attribute pa ON pa.attrelid = ih.inhparent AND pa.attname = a.attname
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
WHERE c.relispartition AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND ` + userNS + `
  AND (a.attnotnull <> pa.attnotnull
    OR coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') <> coalesce(pg_catalog.pg_get_expr(pd.adbin, pd.adrelid), '')
    OR pg_catalog.col_description(a.attrelid, a.attnum) IS NOT NULL)`
)

// partitionIndexDef turns the definition PostgreSQL prints for an index of a partitioned
// table, "CREATE INDEX i ON ONLY public.p …", into the statement that creates it: ONLY would
// create the index on the parent alone, invalid until an index of every partition is
// attached to it, while without ONLY PostgreSQL builds or attaches those itself.
func partitionIndexDef(t *schema.Table, ix *schema.Index) string {
	if t.PartitionKey == "" {
		return ix.Def
	}
	create := "CREATE INDEX "
	if ix.Unique {
		create = "CREATE UNIQUE INDEX "
	}
	prefix := create + Ident(ix.Name) + " ON ONLY "
	if rest, ok := strings.CutPrefix(ix.Def, prefix); ok {
		return create + Ident(ix.Name) + " ON " + rest
	}
	return ix.Def
}

// createPartitioned renders CREATE TABLE for a partitioned table or a partition; ok is false
// for an ordinary table. A partition takes its columns from its parent, so its statement
// lists only its own constraints.
func createPartitioned(t *schema.Table, lines []string) (string, bool) {
	if t.PartitionKey == "" && !t.Partition() {
		return "", false
	}
	name := QName(t.Schema, t.Name)
	create := "CREATE TABLE "
	if t.Unlogged {
		create = "CREATE UNLOGGED TABLE "
	}
	var s string
	if t.Partition() {
		s = create + name + " PARTITION OF " + partitionParent(t)
		if len(lines) > 0 {
			s += " (\n" + strings.Join(lines, ",\n") + "\n)"
		}
		s += " " + t.Bound
	} else {
		s = create + name + " (\n" + strings.Join(lines, ",\n") + "\n)"
	}
	if t.PartitionKey != "" {
		s += " PARTITION BY " + t.PartitionKey
	}
	if len(t.Options) > 0 {
		s += " WITH (" + strings.Join(t.Options, ", ") + ")"
	}
	return s, true
}

// partitionParent quotes the parent named by a partition's PartitionOf. The parent is in the
// partition's schema when PartitionOf says so; otherwise the schema is the part before the
// first dot.
func partitionParent(t *schema.Table) string {
	if rest, ok := strings.CutPrefix(t.PartitionOf, t.Schema+"."); ok {
		return QName(t.Schema, rest)
	}
	sch, name, _ := strings.Cut(t.PartitionOf, ".")
	return QName(sch, name)
}

// attachPartition attaches a partition to its parent with its bound, after giving it the
// parent's checks it lacks.
func attachPartition(c *diff.AttachPartition) []string {
	name := QName(c.T.Schema, c.T.Name)
	var out []string
	for _, k := range c.Checks {
		out = append(out, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", name, Ident(k.Name), k.Def))
	}
	return append(out, fmt.Sprintf("ALTER TABLE %s ATTACH PARTITION %s %s", partitionParent(c.T), name, c.T.Bound))
}

// detachPartition also drops the parent's checks that the detached partition keeps as its own
// and that the target's parent no longer has. IF EXISTS: the parent's own DROP CONSTRAINT may
// have run first and taken the partition's copy along.
func detachPartition(c *diff.DetachPartition) []string {
	name := QName(c.T.Schema, c.T.Name)
	out := []string{fmt.Sprintf("ALTER TABLE %s DETACH PARTITION %s", partitionParent(c.T), name)}
	for _, k := range c.Checks {
		out = append(out, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s", name, Ident(k.Name)))
	}
	return out
}

// disown releases sequences from the table columns that own them, so that dropping the table
// leaves them.
func disown(seqs []*schema.Sequence) []string {
	var out []string
	for _, q := range seqs {
		out = append(out, fmt.Sprintf("ALTER SEQUENCE %s OWNED BY NONE", QName(q.Schema, q.Name)))
	}
	return out
}
