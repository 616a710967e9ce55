package lint

import (
	"fmt"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// Destructive analyzers: the change deletes data, or an object whose loss running code or the
// database's own guarantees notice. Running the plan in reverse brings the object back empty.

// DropSchema reports a schema that is dropped.
var DropSchema = &Analyzer{
	Name:     "drop-schema",
	Category: Destructive,
	Severity: Error,
	Reason: "A dropped schema takes its name with it: running code, search_path settings and " +
		"grants that name it stop working, and everything that was in it is gone.",
	Alternative: "Move what must survive to another schema first, and drop the schema in a later " +
		"release, once nothing refers to it.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			if c, ok := c.(*diff.DropSchema); ok {
				msg := fmt.Sprintf("dropping schema %s", c.S.Name)
				if n := len(c.S.Tables); n > 0 {
					msg += fmt.Sprintf(" together with its %d %s, dropped earlier in this plan", n, plural(n, "table", "tables"))
				}
				p.Report(p.Statement(c, nil), c.Object(), msg)
			}
		}
	},
}

// DropTable reports a table that is dropped: its rows are deleted, and code that still reads
// or writes it fails.
var DropTable = &Analyzer{
	Name:     "drop-table",
	Category: Destructive,
	Severity: Error,
	Reason: "Dropping a table deletes all its rows, and code deployed before the change that " +
		"still reads or writes the table fails (destructive and backward incompatible).",
	Alternative: "Stop using the table in one release; drop it in a later one, after keeping a " +
		"copy of the rows you may need (pg_dump --table).",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			if c, ok := c.(*diff.DropTable); ok && c.Recreate {
				p.Reportf(p.Statement(c, nil), c.Object(),
					"the partitioning of table %s changes in a way PostgreSQL cannot alter (partition key, or where the table sits in a partition tree): it is dropped and created again, which deletes its rows", c.Object())
			} else if ok {
				p.Reportf(p.Statement(c, nil), c.Object(),
					"dropping table %s deletes its rows; running code that still uses it fails", c.Object())
			}
		}
	},
}

// DropColumn reports a column that is dropped. A column dropped and added again by the plan
// (a changed generation expression) keeps its data and is not reported.
var DropColumn = &Analyzer{
	Name:     "drop-column",
	Category: Destructive,
	Severity: Error,
	Reason: "Dropping a column deletes its data, and code deployed before the change that still " +
		"selects, inserts or updates the column fails (destructive and backward incompatible).",
	Alternative: "Stop reading and writing the column in one release (remove it from ORM models " +
		"first), then drop it in a later one.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			if c, ok := c.(*diff.DropColumn); ok && !p.readdsColumn(c.T.Schema, c.T.Name, c.C.Name) {
				p.Reportf(p.Statement(c, nil), c.Object(),
					"dropping column %s deletes its data; running code that still selects or writes it fails", c.Object())
			}
		}
	},
}

// DropIndex reports an index that goes away for good. An index the plan creates again under
// the same name (a changed definition) is not reported here; drop-index-not-concurrently and
// create-index-not-concurrently speak about its locks.
var DropIndex = &Analyzer{
	Name:     "drop-index",
	Category: Destructive,
	Severity: Warning,
	Reason: "Queries that use the index become slower, sometimes by orders of magnitude, and a " +
		"unique index stops enforcing uniqueness; building it again on a large table takes long.",
	Alternative: "Check that no query needs it (pg_stat_user_indexes.idx_scan stays at 0 over a " +
		"representative period) before dropping it, with DROP INDEX CONCURRENTLY.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.DropIndex)
			if !ok || p.dropsTable(c.T.Schema, c.T.Name) || p.readdsIndex(c.T.Schema, c.T.Name, c.I.Name) {
				continue
			}
			msg := fmt.Sprintf("dropping index %s: queries on %s that use it may become slow", c.Object(), tableName(c.T))
			if c.I.Unique {
				msg += ", and it no longer enforces uniqueness"
			}
			p.Report(p.Statement(c, nil), c.Object(), msg)
		}
	},
}

// DropConstraint reports a constraint that goes away for good. A constraint the plan adds
// again under the same name (a changed definition, a key that foreign keys rest on) is not
// reported here, nor the foreign keys of a table that is dropped.
var DropConstraint = &Analyzer{
	Name:     "drop-constraint",
	Category: Destructive,
	Severity: Warning,
	Reason: "Once dropped, the constraint no longer guards the data: rows that break it can be " +
		"written, and adding it back later means validating every row, which then may fail. A " +
		"primary key or unique constraint takes its index with it.",
	Alternative: "Keep the constraint until no code relies on it; if it has to come back, add it " +
		"NOT VALID and then VALIDATE CONSTRAINT.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.DropConstraint)
			if !ok || p.dropsTable(c.T.Schema, c.T.Name) || p.readdsConstraint(c.T.Schema, c.T.Name, c.C.Name) {
				continue
			}
			msg := fmt.Sprintf("dropping %s %s: the database stops enforcing it", constraintKind(c.C), c.Object())
			if c.C.Kind == schema.PrimaryKey || c.C.Kind == schema.Unique || c.C.Kind == schema.Exclusion {
				msg += ", and its index goes with it"
			}
			p.Report(p.Statement(c, nil), c.Object(), msg)
		}
	},
}

// DropSequence reports a sequence that is dropped, unless it belongs to a column or table that
// this plan drops as well.
var DropSequence = &Analyzer{
	Name:     "drop-sequence",
	Category: Destructive,
	Severity: Warning,
	Reason: "A sequence's current value is state: a sequence created again starts over and hands " +
		"out numbers that are already in use.",
	Alternative: "Keep the sequence until nothing calls nextval on it; note its value " +
		"(SELECT last_value) in case it has to come back.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.DropSequence)
			if !ok || ownerGoes(p, c.S) {
				continue
			}
			p.Reportf(p.Statement(c, nil), c.Object(),
				"dropping sequence %s loses its current value; a sequence created again starts over", c.Object())
		}
	},
}

// DropView reports a view or materialized view that is gone from the target. A view the plan
// drops only to create it again (its query changed, or something it reads changes type) comes
// back and is not reported.
var DropView = &Analyzer{
	Name:     "drop-view",
	Category: Destructive,
	Severity: Warning,
	Reason: "Code deployed before the change that still selects from the view fails, and so do " +
		"reports, dashboards and grants that name it; a materialized view's rows are gone until " +
		"it is created and populated again.",
	Alternative: "Stop querying the view in one release (search the code and the BI tools for its " +
		"name), then drop it in a later one.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.DropView)
			if !ok || p.recreatesView(c.V.Schema, c.V.Name) {
				continue
			}
			kind := "view"
			if c.V.Materialized {
				kind = "materialized view"
			}
			p.Reportf(p.Statement(c, nil), c.Object(),
				"dropping %s %s: queries that still select from it fail", kind, c.Object())
		}
	},
}

// DropFunction reports a function or procedure that is gone from the target: its name with
// these argument types. One the plan drops only to create it again (a new result type, a
// renamed parameter) comes back and is not reported.
var DropFunction = &Analyzer{
	Name:     "drop-function",
	Category: Destructive,
	Severity: Warning,
	Reason: "Code deployed before the change that still calls the function fails, or, when another " +
		"function of the same name remains, silently calls that one instead wherever its argument " +
		"types fit.",
	Alternative: "Stop calling the function in one release, then drop it in a later one; to change " +
		"its arguments, add the new signature next to the old one first.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.DropFunction)
			if !ok || p.recreatesFunction(c.F.Schema, c.F.Key()) {
				continue
			}
			kind := "function"
			if c.F.Procedure {
				kind = "procedure"
			}
			msg := fmt.Sprintf("dropping %s %s: code that still calls it fails", kind, c.Object())
			if others := p.overloads(c.F); len(others) > 0 {
				msg += fmt.Sprintf(", or calls %s instead where the arguments fit", strings.Join(others, " or "))
			}
			p.Report(p.Statement(c, nil), c.Object(), msg)
		}
	},
}

// recreatesView reports whether the plan creates view schemaName.name, again or anew.
func (p *Pass) recreatesView(schemaName, name string) bool {
	return p.has(func(c diff.Change) bool {
		switch c := c.(type) {
		case *diff.RecreateView:
			return c.To.Schema == schemaName && c.To.Name == name
		case *diff.AddView:
			return c.V.Schema == schemaName && c.V.Name == name
		}
		return false
	})
}

// recreatesFunction reports whether the plan creates the function with key in schemaName.
func (p *Pass) recreatesFunction(schemaName, key string) bool {
	return p.has(func(c diff.Change) bool {
		switch c := c.(type) {
		case *diff.RecreateFunction:
			return c.To.Schema == schemaName && c.To.Key() == key
		case *diff.AddFunction:
			return c.F.Schema == schemaName && c.F.Key() == key
		}
		return false
	})
}

// overloads lists the functions of the target that share f's schema and name.
func (p *Pass) overloads(f *schema.Function) []string {
	s := p.To.Schema(f.Schema)
	if s == nil {
		return nil
	}
	var out []string
	for _, g := range s.Functions {
		if g.Name == f.Name && g.Key() != f.Key() {
			out = append(out, qualify(g.Schema, g.Key()))
		}
	}
	return out
}

// ownerGoes reports whether the plan drops the column or table that owns sequence s.
func ownerGoes(p *Pass, s *schema.Sequence) bool {
	table, column, ok := cutLast(s.OwnedBy)
	if !ok {
		return false
	}
	if p.dropsTable(s.Schema, table) {
		return true
	}
	return p.has(func(c diff.Change) bool {
		d, ok := c.(*diff.DropColumn)
		return ok && d.T.Schema == s.Schema && d.T.Name == table && d.C.Name == column
	})
}

func cutLast(s string) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

// constraintKind names a constraint's kind for a message.
func constraintKind(c *schema.Constraint) string {
	switch c.Kind {
	case schema.PrimaryKey:
		return "primary key"
	case schema.Unique:
		return "unique constraint"
	case schema.Check:
		return "check constraint"
	case schema.ForeignKey:
		return "foreign key"
	case schema.Exclusion:
		return "exclusion constraint"
	}
	return "constraint"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
