package report

// The marks the diagram puts on the tables a plan touches.

import (
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

// planMarks finds what the plan does to each table, from its typed changes or, in a plan
// read from a file, from its change kinds and object names looked up in the two states.
func planMarks(p *plan.Plan, from, to *schema.Realm) []*tableMarks {
	var order []*tableMarks
	byKey := map[string]*tableMarks{}
	get := func(schemaName, table string) *tableMarks {
		k := schemaName + "." + table
		if m := byKey[k]; m != nil {
			return m
		}
		m := &tableMarks{schema: schemaName, name: table, columns: map[string]string{}, fks: map[string]string{}}
		byKey[k] = m
		order = append(order, m)
		return m
	}
	// A foreign key dropped and added again in one plan is changed.
	fk := func(m *tableMarks, name, mark string) {
		if old := m.fks[name]; old != "" && old != mark {
			mark = markChanged
		}
		m.fks[name] = mark
	}
	col := func(m *tableMarks, name, mark string) {
		if old := m.columns[name]; old != "" && old != mark && !strings.HasPrefix(old, markChanged) {
			mark = markChanged
		}
		m.columns[name] = mark
	}
	res := newResolver(from, to)
	for _, s := range p.Statements {
		switch c := s.Change.(type) {
		case nil:
			res.mark(s.Kind, s.Object, get, col, fk)
		case *diff.AddTable:
			get(c.T.Schema, c.T.Name).table = markAdded
		case *diff.DropTable:
			get(c.T.Schema, c.T.Name).table = markDropped
		case *diff.ModifyTable:
			get(c.To.Schema, c.To.Name)
		case *diff.AddColumn:
			col(get(c.T.Schema, c.T.Name), c.C.Name, markAdded)
		case *diff.DropColumn:
			col(get(c.T.Schema, c.T.Name), c.C.Name, markDropped)
		case *diff.ModifyColumn:
			mark := markChanged
			if c.From.Type != c.To.Type {
				mark += ", was " + c.From.Type
			}
			col(get(c.T.Schema, c.T.Name), c.To.Name, mark)
		case *diff.DropIdentity:
			col(get(c.T.Schema, c.T.Name), c.C.Name, markChanged)
		case *diff.RecreateType:
			for _, u := range c.Columns {
				col(get(u.Table.Schema, u.Table.Name), u.Column.Name, markChanged)
			}
		case *diff.AddConstraint:
			m := get(c.T.Schema, c.T.Name)
			if c.C.Kind == schema.ForeignKey {
				fk(m, c.C.Name, markAdded)
			}
		case *diff.DropConstraint:
			m := get(c.T.Schema, c.T.Name)
			if c.C.Kind == schema.ForeignKey {
				fk(m, c.C.Name, markDropped)
			}
		case *diff.ValidateConstraint:
			get(c.T.Schema, c.T.Name)
		case *diff.CommentConstraint:
			get(c.T.Schema, c.T.Name)
		case *diff.AddIndex:
			get(c.T.Schema, c.T.Name)
		case *diff.DropIndex:
			get(c.T.Schema, c.T.Name)
		case *diff.CommentIndex:
			get(c.T.Schema, c.T.Name)
		}
	}
	return order
}

// resolver finds the table an object name of a plan read from a file belongs to. Names are
// joined with dots, and a quoted name may hold a dot itself, so it matches known tables
// rather than splitting.
type resolver struct {
	tables  map[string]*schema.Table // "schema.table" in either state, to's version first
	indexes map[string]string        // "schema.index" -> "schema.table"
}

func newResolver(from, to *schema.Realm) *resolver {
	r := &resolver{tables: map[string]*schema.Table{}, indexes: map[string]string{}}
	for _, realm := range []*schema.Realm{from, to} {
		for k, t := range tablesByKey(realm) {
			r.tables[k] = t
			schemaName := strings.TrimSuffix(k, "."+t.Name)
			for _, i := range t.Indexes {
				r.indexes[schemaName+"."+i.Name] = k
			}
		}
	}
	return r
}

// table returns the table key object starts with, the longest that fits, and the rest.
func (r *resolver) table(object string) (key, rest string, ok bool) {
	for k := range r.tables {
		if (object == k || strings.HasPrefix(object, k+".")) && len(k) > len(key) {
			key, ok = k, true
		}
	}
	return key, strings.TrimPrefix(strings.TrimPrefix(object, key), "."), ok
}

func (r *resolver) mark(kind, object string,
	get func(schema, table string) *tableMarks, col, fk func(*tableMarks, string, string)) {
	verb, noun, ok := describeKind(kind)
	if !ok {
		return
	}
	if noun == "index" {
		if k, found := r.indexes[object]; found {
			t := r.tables[k]
			get(strings.TrimSuffix(k, "."+t.Name), t.Name)
		}
		return
	}
	key, rest, found := r.table(object)
	if !found {
		return
	}
	t := r.tables[key]
	m := get(strings.TrimSuffix(key, "."+t.Name), t.Name)
	switch noun {
	case "table":
		if verb != markChanged {
			m.table = verb
		}
	case "column":
		col(m, rest, verb)
	case "constraint":
		// Only foreign keys are drawn; the name says nothing of the kind, the models do.
		for _, c := range t.Constraints {
			if c.Name == rest && c.Kind == schema.ForeignKey {
				fk(m, rest, verb)
			}
		}
		if verb == markDropped && !slices.ContainsFunc(t.Constraints, func(c *schema.Constraint) bool { return c.Name == rest }) {
			fk(m, rest, verb) // dropped: only the from version knows it; relationships checks the kind
		}
	}
}
