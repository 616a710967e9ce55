package lint

import (
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// analyzers is every analyzer in the order they run. blocking-lock reports the locks no other
// locking analyzer explained, so it runs last.
var analyzers = []*Analyzer{
	// destructive.go
	DropSchema,
	DropTable,
	DropColumn,
	DropIndex,
	DropConstraint,
	DropSequence,
	DropView,
	DropFunction,
	// data.go
	AddNotNullColumn,
	SetNotNull,
	AddUnique,
	MakeIndexUnique,
	NarrowType,
	DropEnumValue,
	// compat.go
	ChangeColumnType,
	PossibleRename,
	// dialect.go
	ConcurrentlyInTransaction,
	// naming.go
	NamingConvention,
	// simulation.go
	StatementFails,
	PlanDoesNotConverge,
	// locking.go
	CreateIndexNotConcurrently,
	DropIndexNotConcurrently,
	ForeignKeyWithoutNotValid,
	CheckWithoutNotValid,
	VolatileDefault,
	ColumnTypeRewrite,
	TableRewrite,
	BlockingLock,
}

// q joins the parts of a qualified name.
func qualify(parts ...string) string { return strings.Join(parts, ".") }

// tableName is the qualified name of a table.
func tableName(t *schema.Table) string { return qualify(t.Schema, t.Name) }

// has reports whether the plan holds a change that satisfies match.
func (p *Pass) has(match func(diff.Change) bool) bool {
	return slices.ContainsFunc(p.st.changes, match)
}

// readdsColumn reports whether the plan adds column name to table schemaName.table: the
// column is re-created, not removed.
func (p *Pass) readdsColumn(schemaName, table, name string) bool {
	return p.has(func(c diff.Change) bool {
		a, ok := c.(*diff.AddColumn)
		return ok && a.T.Schema == schemaName && a.T.Name == table && a.C.Name == name
	})
}

// readdsConstraint reports whether the plan adds a constraint called name to the table.
func (p *Pass) readdsConstraint(schemaName, table, name string) bool {
	return p.has(func(c diff.Change) bool {
		a, ok := c.(*diff.AddConstraint)
		return ok && a.T.Schema == schemaName && a.T.Name == table && a.C.Name == name
	})
}

// readdsIndex reports whether the plan creates an index called name on the table.
func (p *Pass) readdsIndex(schemaName, table, name string) bool {
	return p.has(func(c diff.Change) bool {
		a, ok := c.(*diff.AddIndex)
		return ok && a.T.Schema == schemaName && a.T.Name == table && a.I.Name == name
	})
}

// dropsTable reports whether the plan drops table schemaName.name.
func (p *Pass) dropsTable(schemaName, name string) bool {
	return p.FromTable(schemaName, name) != nil && p.ToTable(schemaName, name) == nil
}

// containsWord reports whether sql holds word (upper case) as a keyword, outside of quotes
// and comments.
func containsWord(sql, word string) bool {
	for _, f := range strings.FieldsFunc(stripQuoted(sql), func(r rune) bool {
		return !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		if strings.EqualFold(f, word) {
			return true
		}
	}
	return false
}

// stripQuoted blanks string literals, quoted identifiers and comments out of sql, so that a
// keyword search does not find a word inside them.
func stripQuoted(sql string) string {
	var b strings.Builder
	for i := 0; i < len(sql); i++ {
		switch c := sql[i]; {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(sql) {
				if sql[j] == c {
					if j+1 < len(sql) && sql[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteByte(' ')
			i = j
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
			b.WriteByte(' ')
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				i = len(sql)
			} else {
				i += end + 3
			}
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
