package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// Locking analyzers: the statement holds a lock that blocks reads or writes on a table that
// exists (and so may be large and busy) for as long as it rewrites, scans or indexes the table.
// Queries pile up behind the lock; on a busy table that is an outage.
//
// Each analyzer has a static rule, judged from the change. When the plan was simulated, the
// measured effects of the statement decide instead: the lock PostgreSQL took and whether it
// rewrote or scanned the table. Messages say "measured:" when they rest on a measurement. A
// brief lock (ALTER TABLE … ADD COLUMN without a default) is not a diagnostic; reports show
// it on the statement's effects line.
//
// Measured relation names are "schema.table", as the model spells qualified names.

// CreateIndexNotConcurrently reports an index built on an existing table without
// CONCURRENTLY, including the index behind a primary key, unique or exclusion constraint
// added to an existing table.
var CreateIndexNotConcurrently = &Analyzer{
	Name:     "create-index-not-concurrently",
	Category: Locking,
	Severity: Warning,
	Reason: "CREATE INDEX holds a SHARE lock on the table for the whole build, so every write " +
		"waits; a constraint's index is built under ACCESS EXCLUSIVE, so reads wait too. On a " +
		"large table that takes minutes.",
	Alternative: "CREATE INDEX CONCURRENTLY, in a transaction of its own (it cannot run inside a " +
		"transaction block); for a key, build the unique index CONCURRENTLY and then ADD " +
		"CONSTRAINT … USING INDEX.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			switch c := c.(type) {
			case *diff.AddIndex:
				if !p.existing(c.T) {
					continue
				}
				stmt := p.Statement(c, func(sql string) bool { return containsWord(sql, "INDEX") && !strings.HasPrefix(sql, "COMMENT") })
				if stmt < 0 || containsWord(p.Plan.Statements[stmt].SQL, "CONCURRENTLY") {
					continue
				}
				tbl := tableName(c.T)
				msg := fmt.Sprintf("creating index %s on %s without CONCURRENTLY blocks writes to %s for the whole build", c.Object(), tbl, tbl)
				p.reportWriteBlocking(stmt, tbl, c.Object(), msg, concurrentIndex(p.Plan.Statements[stmt].SQL)+", in a transaction of its own")
			case *diff.AddConstraint:
				k := c.C.Kind
				if (k != schema.PrimaryKey && k != schema.Unique && k != schema.Exclusion) || !p.existing(c.T) {
					continue
				}
				stmt := p.Statement(c, nil)
				tbl := tableName(c.T)
				msg := fmt.Sprintf("adding %s %s builds its index while holding ACCESS EXCLUSIVE on %s: reads and writes wait for the build",
					constraintKind(c.C), c.Object(), tbl)
				alt := "none: PostgreSQL cannot build an exclusion constraint's index concurrently; run it when the table is quiet"
				if k != schema.Exclusion {
					what := "UNIQUE"
					if k == schema.PrimaryKey {
						what = "PRIMARY KEY"
					}
					alt = fmt.Sprintf("CREATE UNIQUE INDEX CONCURRENTLY %s ON %s (%s) in a transaction of its own, then ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s",
						c.C.Name, tbl, strings.Join(c.C.Columns, ", "), tbl, c.C.Name, what, c.C.Name)
				}
				p.reportWriteBlocking(stmt, tbl, c.Object(), msg, alt)
			}
		}
	},
}

// DropIndexNotConcurrently reports an index dropped from a table that stays, without
// CONCURRENTLY.
var DropIndexNotConcurrently = &Analyzer{
	Name:     "drop-index-not-concurrently",
	Category: Locking,
	Severity: Notice,
	Reason: "DROP INDEX takes ACCESS EXCLUSIVE on the table. The drop itself is quick, but the " +
		"lock waits for every running query on the table, and every query that arrives meanwhile " +
		"waits behind it.",
	Alternative: "DROP INDEX CONCURRENTLY, in a transaction of its own.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.DropIndex)
			if !ok || !p.existing(c.T) {
				continue
			}
			stmt := p.Statement(c, nil)
			if stmt < 0 || containsWord(p.Plan.Statements[stmt].SQL, "CONCURRENTLY") {
				continue
			}
			tbl := tableName(c.T)
			msg := fmt.Sprintf("dropping index %s without CONCURRENTLY takes ACCESS EXCLUSIVE on %s: queries on %s queue behind it", c.Object(), tbl, tbl)
			p.reportWriteBlocking(stmt, tbl, c.Object(), msg, concurrentIndex(p.Plan.Statements[stmt].SQL)+", in a transaction of its own")
		}
	},
}

// ForeignKeyWithoutNotValid reports a foreign key added to an existing table without NOT
// VALID.
var ForeignKeyWithoutNotValid = &Analyzer{
	Name:     "foreign-key-without-not-valid",
	Category: Locking,
	Severity: Warning,
	Reason: "Adding a foreign key checks every existing row while holding SHARE ROW EXCLUSIVE on " +
		"the table and the table it references: writes to both wait for the check, and the " +
		"statement fails if a row has no match.",
	Alternative: "ADD CONSTRAINT … NOT VALID (instant: only new rows are checked), then VALIDATE " +
		"CONSTRAINT in a later transaction; it holds SHARE UPDATE EXCLUSIVE, so reads and writes go on.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.AddConstraint)
			if !ok || c.C.Kind != schema.ForeignKey || c.C.NotValid || !p.existing(c.T) {
				continue
			}
			stmt := p.Statement(c, nil)
			tbl, ref := tableName(c.T), qualify(c.C.RefSchema, c.C.RefTable)
			on := tbl
			if ref != tbl && p.FromTable(c.C.RefSchema, c.C.RefTable) != nil {
				on += " and " + ref
			}
			msg := fmt.Sprintf("adding foreign key %s checks every row of %s while holding SHARE ROW EXCLUSIVE on %s: writes wait, and it fails if a row has no match",
				c.Object(), tbl, on)
			p.reportWriteBlocking(stmt, tbl, c.Object(), msg, notValidAlternative(p.Plan.Statements[stmt].SQL))
		}
	},
}

// reportWriteBlocking reports a statement that, statically, blocks writes to table tbl. When
// the statement was rehearsed, the measurement decides: a lock weaker than SHARE on the table
// reports nothing, a stronger one is named in the message.
func (p *Pass) reportWriteBlocking(stmt int, tbl, object, msg, alternative string) {
	if e, ok := p.Measured(stmt); ok {
		if lockStrength(lockOn(e, tbl)) < strengthShare {
			return
		}
		msg += " (" + p.measuredPhrase(e) + ")"
	}
	p.ReportAlternative(stmt, object, msg, alternative)
}

// CheckWithoutNotValid reports a check constraint added to an existing table without NOT
// VALID.
var CheckWithoutNotValid = &Analyzer{
	Name:     "check-without-not-valid",
	Category: Locking,
	Severity: Warning,
	Reason: "Adding a check constraint scans every existing row while holding ACCESS EXCLUSIVE " +
		"on the table: reads and writes wait for the scan, and the statement fails if a row " +
		"violates the check.",
	Alternative: "ADD CONSTRAINT … NOT VALID (instant: only new rows are checked), then VALIDATE " +
		"CONSTRAINT in a later transaction; it holds SHARE UPDATE EXCLUSIVE, so reads and writes go on.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.AddConstraint)
			if !ok || c.C.Kind != schema.Check || c.C.NotValid || !p.existing(c.T) {
				continue
			}
			stmt := p.Statement(c, nil)
			tbl := tableName(c.T)
			msg := fmt.Sprintf("adding check constraint %s scans every row of %s while holding ACCESS EXCLUSIVE on it: reads and writes wait, and it fails if a row violates it",
				c.Object(), tbl)
			p.reportWriteBlocking(stmt, tbl, c.Object(), msg, notValidAlternative(p.Plan.Statements[stmt].SQL))
		}
	},
}

// VolatileDefault reports a column added to an existing table with a volatile default —
// clock_timestamp(), random(), gen_random_uuid(), nextval(…) (serial), an identity — which
// PostgreSQL must compute for every existing row by rewriting the table. Since PostgreSQL 11 a
// non-volatile default (a constant, now(), current_user) is stored once and costs nothing.
// Statically the default is judged by its text; measured, by whether the table was rewritten,
// which also catches user-defined volatile functions.
var VolatileDefault = &Analyzer{
	Name:     "volatile-default",
	Category: Locking,
	Severity: Warning,
	Reason: "A volatile default has to be computed for every existing row, so adding the column " +
		"rewrites the whole table under ACCESS EXCLUSIVE: reads and writes wait for the rewrite. " +
		"(Since PostgreSQL 11 a non-volatile default does not rewrite.)",
	Alternative: "Add the column without a default (or with a constant one), SET DEFAULT in a " +
		"separate statement (it applies to new rows only), and backfill existing rows in batches.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.AddColumn)
			if !ok || c.C.Generated != "" || !p.existing(c.T) {
				continue
			}
			stmt := p.Statement(c, func(sql string) bool { return strings.HasPrefix(sql, "ALTER TABLE") })
			tbl := tableName(c.T)
			cause := ""
			switch {
			case c.C.Identity != nil:
				cause = fmt.Sprintf("adding identity column %s numbers every existing row", c.Object())
			case volatileExpr(c.C.Default):
				cause = fmt.Sprintf("adding %s with the volatile default %s computes it for every existing row", c.Object(), c.C.Default)
			}
			if e, ok := p.Measured(stmt); ok {
				if !slices.Contains(e.Rewritten, tbl) {
					continue
				}
				if cause == "" {
					cause = fmt.Sprintf("adding %s with the default %s computes it for every existing row", c.Object(), c.C.Default)
				}
				p.Reportf(stmt, c.Object(), "%s: %s is rewritten and reads and writes wait (%s)", cause, tbl, p.measuredPhrase(e))
			} else if cause != "" {
				p.Reportf(stmt, c.Object(), "%s: %s is rewritten under ACCESS EXCLUSIVE, and reads and writes wait", cause, tbl)
			}
		}
	},
}

// ColumnTypeRewrite reports a column type change that rewrites the table. Statically, changes
// that only relabel the stored bytes do not rewrite: a longer or unlimited varchar, varchar to
// text, a numeric with more digits and the same scale, more fractional-second digits, cidr to
// inet, and a collation change alone. Most other changes do.
var ColumnTypeRewrite = &Analyzer{
	Name:     "column-type-rewrite",
	Category: Locking,
	Severity: Warning,
	Reason: "Changing a column's type rewrites the table and rebuilds its indexes under ACCESS " +
		"EXCLUSIVE, unless the old values are valid as they are stored: reads and writes wait for " +
		"the rewrite.",
	Alternative: "Add a column of the new type, fill it in batches (and from new writes, by the " +
		"application or a trigger), switch readers over, then drop the old column.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.ModifyColumn)
			if !ok || (c.From.Type == c.To.Type && c.From.Collation == c.To.Collation) || !p.existing(c.T) {
				continue
			}
			tbl := tableName(c.T)
			what := fmt.Sprintf("changing %s from %s to %s", c.Object(), c.From.Type, c.To.Type)
			if c.From.Type == c.To.Type {
				what = fmt.Sprintf("changing the collation of %s", c.Object())
			}
			stmt := typeStatement(p, c)
			if _, ok := p.Measured(stmt); ok {
				for _, i := range p.Statements(c) {
					if e, ok := p.Measured(i); ok && slices.Contains(e.Rewritten, tbl) {
						p.Reportf(i, c.Object(), "%s rewrites %s: reads and writes wait (%s)", what, tbl, p.measuredPhrase(e))
						break
					}
				}
				continue
			}
			if rewrite, note := rewrites(c.From.Type, c.To.Type); rewrite {
				if note != "" {
					note = " (" + note + ")"
				}
				p.Reportf(stmt, c.Object(), "%s rewrites %s and rebuilds its indexes under ACCESS EXCLUSIVE%s: reads and writes wait", what, tbl, note)
			}
		}
	},
}

// TableRewrite reports the other statements that rewrite an existing table: SET LOGGED or SET
// UNLOGGED, a stored generated column added, the conversion of columns to an enum or domain
// the plan recreates — and, measured, any statement seen to rewrite a table that the two
// analyzers above do not already cover.
var TableRewrite = &Analyzer{
	Name:     "table-rewrite",
	Category: Locking,
	Severity: Warning,
	Reason: "The statement writes a new copy of the whole table and its indexes under ACCESS " +
		"EXCLUSIVE: reads and writes wait until it ends, and the table briefly needs twice its " +
		"disk space.",
	Alternative: "Run it when the table is quiet, or reach the same schema in steps that do not " +
		"rewrite (for a generated column: a plain column filled in batches and kept up to date by " +
		"the application or a trigger).",
	Run: func(p *Pass) {
		for i, s := range p.Plan.Statements {
			if e, ok := p.Measured(i); ok {
				if rewriteClaimed(s.Change) {
					continue
				}
				var tables []string
				for _, t := range e.Rewritten {
					if sch, name, ok := cutLast(t); ok && p.FromTable(sch, name) != nil && p.ToTable(sch, name) != nil {
						tables = append(tables, t)
					}
				}
				if len(tables) == 0 {
					continue
				}
				what, _, _ := staticRewrite(p, i)
				if what == "" {
					what = "the statement rewrites " + strings.Join(tables, ", ")
				}
				p.Reportf(i, s.Object, "%s: reads and writes wait (%s)", what, p.measuredPhrase(e))
				continue
			}
			if what, object, ok := staticRewrite(p, i); ok {
				p.Reportf(i, object, "%s under ACCESS EXCLUSIVE: reads and writes wait", what)
			}
		}
	},
}

// rewriteClaimed reports whether a rewrite by a statement of change c is reported by
// volatile-default or column-type-rewrite rather than by table-rewrite.
func rewriteClaimed(c diff.Change) bool {
	switch c := c.(type) {
	case *diff.ModifyColumn:
		return true
	case *diff.AddColumn:
		return c.C.Generated == ""
	}
	return false
}

// staticRewrite says whether statement i rewrites an existing table by table-rewrite's static
// rules, what it does, and the object concerned.
func staticRewrite(p *Pass, i int) (what, object string, ok bool) {
	s := p.Plan.Statements[i]
	switch c := s.Change.(type) {
	case *diff.ModifyTable:
		if p.existing(c.To) && (strings.HasSuffix(s.SQL, " SET LOGGED") || strings.HasSuffix(s.SQL, " SET UNLOGGED")) {
			return fmt.Sprintf("%s rewrites %s", s.SQL[strings.LastIndex(s.SQL, " SET ")+1:], c.Object()), c.Object(), true
		}
	case *diff.AddColumn:
		if c.C.Generated != "" && p.existing(c.T) && strings.HasPrefix(s.SQL, "ALTER TABLE") {
			return fmt.Sprintf("adding the stored generated column %s computes it for every row: it rewrites %s", c.Object(), tableName(c.T)), c.Object(), true
		}
	case *diff.RecreateType:
		// The renderer converts the columns in the order of c.Columns, one ALTER TABLE …
		// TYPE statement each.
		k := 0
		for _, j := range p.Statements(c) {
			sql := p.Plan.Statements[j].SQL
			if !strings.HasPrefix(sql, "ALTER TABLE ") || !strings.Contains(sql, " TYPE ") {
				continue
			}
			if j == i && k < len(c.Columns) {
				u := c.Columns[k]
				if !p.existing(u.Table) {
					return "", "", false
				}
				col := qualify(u.Table.Schema, u.Table.Name, u.Column.Name)
				return fmt.Sprintf("converting %s to the recreated type %s rewrites %s", col, c.Object(), tableName(u.Table)), col, true
			}
			k++
		}
	}
	return "", "", false
}

// BlockingLock reports, from measurements only, a statement that held a lock blocking writes
// (SHARE or stronger) on an existing table while it scanned or rewrote that table, when no
// other locking analyzer explains the statement: SET NOT NULL, a domain constraint checked
// against every column of the domain, statements in an edited plan. Without a simulation it
// reports nothing; the static rules of the analyzers above stand in.
var BlockingLock = &Analyzer{
	Name:     "blocking-lock",
	Category: Locking,
	Severity: Warning,
	Reason: "The statement was seen to hold a lock that blocks writes (or, ACCESS EXCLUSIVE, reads " +
		"too) while it read or rewrote the whole table: the larger the table, the longer traffic waits.",
	Alternative: "Reach the same schema in steps that keep the long part under a weaker lock (NOT " +
		"VALID then VALIDATE CONSTRAINT, CREATE INDEX CONCURRENTLY, a validated CHECK before SET " +
		"NOT NULL), and set lock_timeout so a waiting statement gives up instead of queueing traffic.",
	Run: func(p *Pass) {
		for i, s := range p.Plan.Statements {
			e, ok := p.Measured(i)
			if !ok || p.reported(i, Locking) {
				continue
			}
			var held []string
			blocksReads := false
			for _, l := range notableLocks(e) {
				sch, name, ok := cutLast(l.Relation)
				if !ok || lockStrength(l.Mode) < strengthShare || p.FromTable(sch, name) == nil || p.ToTable(sch, name) == nil ||
					!(slices.Contains(e.Scanned, l.Relation) || slices.Contains(e.Rewritten, l.Relation)) {
					continue
				}
				held = append(held, ModeName(l.Mode)+" on "+l.Relation)
				blocksReads = blocksReads || lockStrength(l.Mode) >= strengthAccessExclusive
			}
			if len(held) == 0 {
				continue
			}
			waits := "writes wait"
			if blocksReads {
				waits = "reads and writes wait"
			}
			p.Reportf(i, s.Object, "the statement holds %s while reading the whole table: %s until it ends (%s)",
				strings.Join(held, " and "), waits, p.measuredPhrase(e))
		}
	},
}

// volatileCall matches calls of the volatile functions a column default commonly uses. now(),
// current_timestamp, statement_timestamp() and current_user are stable, not volatile: they
// do not rewrite.
var volatileCall = regexp.MustCompile(`(?i)\b(clock_timestamp|timeofday|random|random_normal|gen_random_uuid|gen_random_bytes|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|nextval|txid_current|pg_current_xact_id)\s*\(`)

func volatileExpr(expr string) bool { return expr != "" && volatileCall.MatchString(stripQuoted(expr)) }

var indexKeyword = regexp.MustCompile(`(?i)^\s*(CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX)\s+`)

// concurrentIndex rewrites CREATE INDEX or DROP INDEX with CONCURRENTLY.
func concurrentIndex(sql string) string {
	return indexKeyword.ReplaceAllString(sql, "$1 CONCURRENTLY ")
}

// notValidAlternative spells out the two steps that replace an ALTER TABLE … ADD CONSTRAINT
// statement: the same statement NOT VALID, and the validation.
func notValidAlternative(sql string) string {
	const add = " ADD CONSTRAINT "
	i := strings.Index(sql, add)
	if i < 0 {
		return ""
	}
	name := sql[i+len(add):]
	if strings.HasPrefix(name, `"`) {
		end := 1
		for end < len(name) {
			if name[end] == '"' {
				if end+1 < len(name) && name[end+1] == '"' {
					end += 2
					continue
				}
				break
			}
			end++
		}
		name = name[:min(end+1, len(name))]
	} else if j := strings.IndexByte(name, ' '); j >= 0 {
		name = name[:j]
	}
	return fmt.Sprintf("%s NOT VALID; then, in a later transaction, %s VALIDATE CONSTRAINT %s (SHARE UPDATE EXCLUSIVE: reads and writes go on)",
		sql, sql[:i], name)
}
