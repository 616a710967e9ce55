package lint

import (
	"slices"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// Backward-incompatible analyzers: code deployed against the old schema keeps running while
// the migration runs (and, in a rolling deploy, for a while after it) and breaks. Dropping a
// table or a column is the most common case; drop-table and drop-column report it together with
// the data loss. Sextant matches objects by name, so it never plans a rename: a renamed object
// is a drop and an add, which possible-rename points out.

// ChangeColumnType reports a column whose values become a different kind of value: integer
// to text, text to uuid, timestamp to timestamptz. Widening within a kind (a longer varchar, a
// bigger integer) is compatible and not reported; narrowing is narrow-type's.
var ChangeColumnType = &Analyzer{
	Name:     "change-column-type",
	Category: BackwardIncompatible,
	Severity: Warning,
	Reason: "Code deployed before the change reads and writes the column as its old type: drivers " +
		"that decode by type, ORM models and queries that compare it with old-type values may break.",
	Alternative: "Add a column of the new type, write both while code moves over to the new one, " +
		"backfill, then drop the old column in a later release.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			c, ok := c.(*diff.ModifyColumn)
			if !ok || c.From.Type == c.To.Type || !p.existing(c.T) {
				continue
			}
			if kind, _ := classify(underlying(p.From, c.From), underlying(p.To, c.To)); kind == otherType {
				p.Reportf(typeStatement(p, c), c.Object(), "changing the type of %s from %s to %s: running code that reads or writes it as %s may break",
					c.Object(), c.From.Type, c.To.Type, c.From.Type)
			}
		}
	},
}

// PossibleRename reports a table dropped while another with the same columns is added, and a
// column dropped while another of the same type is added to the same table: likely renames,
// which the plan carries out as a drop (the data is lost) and an add.
var PossibleRename = &Analyzer{
	Name:     "possible-rename",
	Category: BackwardIncompatible,
	Severity: Warning,
	Reason: "Sextant matches objects by name, so a rename is planned as a drop and an add: the " +
		"data of the old object is not carried over, and running code that uses the old name fails.",
	Alternative: "Deploy code that works with both names first; then edit the plan to use ALTER " +
		"TABLE … RENAME (TO or COLUMN) instead of the drop and the add: the resulting schema is the " +
		"same and the data stays.",
	Run: func(p *Pass) {
		for _, c := range p.Changes() {
			switch c := c.(type) {
			case *diff.DropTable:
				if c.Recreate {
					continue // the same table created again, not a rename
				}
				for _, a := range p.Changes() {
					if a, ok := a.(*diff.AddTable); ok && a.T.Schema == c.T.Schema && sameColumns(a.T, c.T) {
						p.Reportf(p.Statement(c, nil), c.Object(), "%s is dropped and %s added with the same columns: if this is a rename, the rows of %s are lost",
							c.Object(), a.Object(), c.Object())
						break
					}
				}
			case *diff.DropColumn:
				if p.readdsColumn(c.T.Schema, c.T.Name, c.C.Name) {
					continue
				}
				for _, a := range p.Changes() {
					if a, ok := a.(*diff.AddColumn); ok && a.T.Schema == c.T.Schema && a.T.Name == c.T.Name &&
						a.C.Type == c.C.Type && a.C.Name != c.C.Name && c.T.Column(a.C.Name) == nil {
						p.Reportf(p.Statement(c, nil), c.Object(), "%s is dropped and %s added with the same type: if this is a rename, the data of %s is lost",
							c.Object(), a.Object(), c.C.Name)
						break
					}
				}
			}
		}
	},
}

// sameColumns reports whether two tables have the same column names and types.
func sameColumns(a, b *schema.Table) bool {
	sig := func(t *schema.Table) []string {
		var out []string
		for _, c := range t.Columns {
			out = append(out, c.Name+" "+c.Type)
		}
		slices.Sort(out)
		return out
	}
	return len(a.Columns) > 0 && slices.Equal(sig(a), sig(b))
}
