package lint

import (
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// Data-dependent analyzers: whether the statement succeeds, or what it does to the rows,
// depends on the data already in the table. On an empty dev database such a plan passes; on
// production it may fail halfway through a deploy, or quietly change values.

// AddNotNullColumn reports a NOT NULL column without a default added to a table that exists:
// the existing rows would hold NULL in it. Identity and generated columns get values and are
// not reported.
var AddNotNullColumn = &Analyzer{
	Name:     "add-not-null-column",
	Category: DataDependent,
	Severity: Error,
	Reason: "Existing rows have no value for the new column, so adding it NOT NULL without a " +
		"default fails as soon as the table holds a single row.",
	Alternative: "Add the column with a DEFAULT (instant since PostgreSQL 11 when the default is " +
		"not volatile), or add it nullable, backfill it, and set NOT NULL in a later migration.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.AddColumn)
			if !ok || !p.existing(c.T) || !c.C.NotNull || c.C.Default != "" || c.C.Identity != nil || c.C.Generated != "" {
				continue
			}
			p.Reportf(p.Statement(c, nil), c.Object(),
				"adding NOT NULL column %s without a default fails if %s has any rows", c.Object(), tableName(c.T))
		}
	},
}

// SetNotNull reports SET NOT NULL on an existing column.
var SetNotNull = &Analyzer{
	Name:     "set-not-null",
	Category: DataDependent,
	Severity: Warning,
	Reason: "SET NOT NULL fails if any row holds NULL, and checks that by scanning the whole " +
		"table while holding an ACCESS EXCLUSIVE lock: reads and writes wait for the scan.",
	Alternative: "Backfill the NULLs first; then ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, " +
		"VALIDATE CONSTRAINT, SET NOT NULL (PostgreSQL 12+ skips the scan when a valid check " +
		"proves it), and drop the check.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.ModifyColumn)
			if !ok || c.From.NotNull || !c.To.NotNull || !p.existing(c.T) {
				continue
			}
			stmt := p.Statement(c, func(sql string) bool { return strings.HasSuffix(sql, " SET NOT NULL") })
			p.Reportf(stmt, c.Object(),
				"setting NOT NULL on %s fails if a row holds NULL, and scans %s under ACCESS EXCLUSIVE to check", c.Object(), tableName(c.T))
		}
	},
}

// AddUnique reports a primary key, unique constraint, exclusion constraint or unique index
// added to an existing table. One rebuilt with the definition it had is not reported (the rows
// already satisfy it), nor a non-unique index made unique, which make-index-unique reports.
var AddUnique = &Analyzer{
	Name:     "add-unique",
	Category: DataDependent,
	Severity: Warning,
	Reason: "Existing rows may already hold duplicates (or NULLs, for a primary key); then " +
		"building the index fails and the migration with it.",
	Alternative: "Find and fix duplicates first; then CREATE UNIQUE INDEX CONCURRENTLY outside a " +
		"transaction and ADD CONSTRAINT … UNIQUE (or PRIMARY KEY) USING INDEX.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			switch c := c.(type) {
			case *diff.AddConstraint:
				k := c.C.Kind
				if (k != schema.PrimaryKey && k != schema.Unique && k != schema.Exclusion) || !p.existing(c.T) {
					continue
				}
				if old := constraintNamed(p.FromTable(c.T.Schema, c.T.Name), c.C.Name); old != nil && old.Kind == k && old.Def == c.C.Def {
					continue
				}
				what := "duplicate values in (" + strings.Join(c.C.Columns, ", ") + ")"
				switch k {
				case schema.PrimaryKey:
					what = "duplicates or NULLs in (" + strings.Join(c.C.Columns, ", ") + ")"
				case schema.Exclusion:
					what = "rows that conflict under it"
				}
				p.Reportf(p.Statement(c, nil), c.Object(), "adding %s %s fails if %s holds %s",
					constraintKind(c.C), c.Object(), tableName(c.T), what)
			case *diff.AddIndex:
				if !c.I.Unique || !p.existing(c.T) {
					continue
				}
				if old := indexNamed(p.FromTable(c.T.Schema, c.T.Name), c.I.Name); old != nil && (old.Def == c.I.Def || !old.Unique) {
					continue
				}
				p.Reportf(p.Statement(c, nil), c.Object(), "creating unique index %s fails if %s holds duplicate values in (%s)",
					c.Object(), tableName(c.T), strings.Join(c.I.Columns, ", "))
			}
		}
	},
}

// MakeIndexUnique reports an existing index that the plan re-creates as a unique index.
var MakeIndexUnique = &Analyzer{
	Name:     "make-index-unique",
	Category: DataDependent,
	Severity: Warning,
	Reason: "The plan drops the index and builds it again as unique: that fails if the table " +
		"holds duplicates, and until it is rebuilt queries run without it.",
	Alternative: "Remove duplicates first; create the unique index CONCURRENTLY under a new name, " +
		"then drop the old one CONCURRENTLY.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.AddIndex)
			if !ok || !c.I.Unique || !p.existing(c.T) {
				continue
			}
			if old := indexNamed(p.FromTable(c.T.Schema, c.T.Name), c.I.Name); old != nil && !old.Unique {
				p.Reportf(p.Statement(c, nil), c.Object(), "index %s becomes unique: building it fails if %s holds duplicate values in (%s)",
					c.Object(), tableName(c.T), strings.Join(c.I.Columns, ", "))
			}
		}
	},
}

// NarrowType reports a column type change after which not every value fits: shorter
// varchar or char, a numeric with fewer digits or decimals, a smaller integer, a float to an
// integer, fewer fractional-second digits, a timestamp to a date. A domain is judged by the
// type it is based on.
var NarrowType = &Analyzer{
	Name:     "narrow-type",
	Category: DataDependent,
	Severity: Error,
	Reason: "Values that do not fit the narrower type are cut off or rounded without a word (the " +
		"plan converts with an explicit cast), or make the statement fail, depending on the type; " +
		"code deployed before the change may keep writing values that no longer fit.",
	Alternative: "Check the data first (e.g. SELECT count(*) … WHERE length(col) > 20) and fix what " +
		"does not fit; or keep the wider type and enforce the limit with a CHECK constraint added " +
		"NOT VALID and then validated.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.ModifyColumn)
			if !ok || c.From.Type == c.To.Type || !p.existing(c.T) {
				continue
			}
			if kind, detail := classify(underlying(p.From, c.From), underlying(p.To, c.To)); kind == narrowing {
				p.Reportf(typeStatement(p, c), c.Object(), "changing %s from %s to %s narrows it: %s",
					c.Object(), c.From.Type, c.To.Type, detail)
			}
		}
	},
}

// DropEnumValue reports values removed from an enum that columns use. The plan recreates the
// type and converts every column through text: a row that holds a removed value makes the
// conversion fail.
var DropEnumValue = &Analyzer{
	Name:     "drop-enum-value",
	Category: DataDependent,
	Severity: Error,
	Reason: "Converting a column to the recreated enum fails if any row holds a removed value, " +
		"and code deployed before the change that still writes the value fails.",
	Alternative: "Stop writing the value, update the rows that hold it to another value, and " +
		"remove it from the enum in a later migration.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.RecreateType)
			if !ok || c.FromEnum == nil || c.ToEnum == nil || len(c.Columns) == 0 {
				continue
			}
			var removed []string
			for _, v := range c.FromEnum.Values {
				if !slices.Contains(c.ToEnum.Values, v) {
					removed = append(removed, "'"+v+"'")
				}
			}
			if len(removed) == 0 {
				continue
			}
			var cols []string
			for _, u := range c.Columns {
				cols = append(cols, qualify(u.Table.Schema, u.Table.Name, u.Column.Name))
			}
			stmt := p.Statement(c, func(sql string) bool { return strings.HasPrefix(sql, "ALTER TABLE ") })
			if stmt < 0 {
				stmt = p.Statement(c, nil)
			}
			p.Reportf(stmt, c.Object(), "removing %s %s from enum %s: converting %s fails if a row holds %s",
				plural(len(removed), "value", "values"), strings.Join(removed, ", "), c.Object(),
				strings.Join(cols, ", "), plural(len(removed), "it", "one of them"))
		}
	},
}

// typeStatement is the ALTER COLUMN … TYPE statement of a column change (or its first).
func typeStatement(p *Pass, c *diff.ModifyColumn) int {
	if i := p.Statement(c, func(sql string) bool { return strings.Contains(sql, " TYPE ") }); i >= 0 {
		return i
	}
	return p.Statement(c, nil)
}

// underlying is the type a column's values have: its own, or for a domain, the type the
// domain is based on (followed through domains over domains).
func underlying(r *schema.Realm, c *schema.Column) string {
	typ, ref := c.Type, c.TypeRef
	for range 10 {
		if ref == "" || strings.HasSuffix(typ, "[]") {
			break
		}
		s, name, _ := cutLast(ref)
		d := domainNamed(r.Schema(s), name)
		if d == nil {
			break
		}
		typ, ref = d.Type, d.TypeRef
	}
	return typ
}

func domainNamed(s *schema.Schema, name string) *schema.Domain {
	if s == nil {
		return nil
	}
	for _, d := range s.Domains {
		if d.Name == name {
			return d
		}
	}
	return nil
}

func constraintNamed(t *schema.Table, name string) *schema.Constraint {
	if t == nil {
		return nil
	}
	for _, c := range t.Constraints {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func indexNamed(t *schema.Table, name string) *schema.Index {
	if t == nil {
		return nil
	}
	for _, i := range t.Indexes {
		if i.Name == name {
			return i
		}
	}
	return nil
}
