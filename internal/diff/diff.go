package diff

import (
	"errors"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/schema"
)

// Changes returns the changes that take from to to. Objects are matched by name (functions
// by name and argument types); a renamed object is a drop and an add. The result is
// unordered: package plan orders it.
//
// The error lists the differences PostgreSQL cannot carry out in one plan the way Sextant
// plans them (see functionUsers); the changes are returned all the same, for a caller that
// only describes the difference.
func Changes(from, to *schema.Realm) ([]Change, error) {
	d := &differ{from: from, to: to, recreated: recreatedEnums(from, to)}
	d.extensions()
	d.eventTriggers()
	d.planPartitions()
	for _, name := range union(names(from.Schemas, func(s *schema.Schema) string { return s.Name }),
		names(to.Schemas, func(s *schema.Schema) string { return s.Name })) {
		d.schema(from.Schema(name), to.Schema(name))
	}
	d.dependentsOfRecreatedTypes()
	d.foreignKeysOnRecreatedTables()
	d.foreignKeysOnReplacedKeys()
	d.dependants()
	d.takeAlong()
	d.privileges()
	return d.changes, errors.Join(d.errs...)
}

// Realms returns the changes that take from to to, as Changes does, without its error: for
// describing how two states differ.
func Realms(from, to *schema.Realm) []Change {
	changes, _ := Changes(from, to)
	return changes
}

type differ struct {
	from, to  *schema.Realm
	recreated map[string]bool // "schema.name" of user types recreated by this diff
	parts     partitionPlan
	changes   []Change
	errs      []error
}

// recreatedEnums finds the enums whose values were removed or reordered: the engine can only
// add values, so these are replaced by a new type.
func recreatedEnums(from, to *schema.Realm) map[string]bool {
	out := map[string]bool{}
	for _, fs := range from.Schemas {
		ts := to.Schema(fs.Name)
		if ts == nil {
			continue
		}
		for _, f := range fs.Enums {
			for _, t := range ts.Enums {
				if t.Name == f.Name && !isSubsequence(f.Values, t.Values) {
					out[f.Schema+"."+f.Name] = true
				}
			}
		}
	}
	return out
}

func (d *differ) recreate(r *RecreateType) {
	d.add(r, &DropReplacedType{R: r})
}

func (d *differ) add(c ...Change) { d.changes = append(d.changes, c...) }

func names[T any](xs []T, name func(T) string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, name(x))
	}
	return out
}

// union returns the names of a followed by those only in b, keeping their order.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, n := range b {
		if !slices.Contains(a, n) {
			out = append(out, n)
		}
	}
	return out
}

func find[T any](xs []T, name func(T) string, n string) (T, bool) {
	for _, x := range xs {
		if name(x) == n {
			return x, true
		}
	}
	var zero T
	return zero, false
}

func (d *differ) extensions() {
	ename := func(e *schema.Extension) string { return e.Name }
	for _, n := range union(names(d.from.Extensions, ename), names(d.to.Extensions, ename)) {
		f, inFrom := find(d.from.Extensions, ename, n)
		t, inTo := find(d.to.Extensions, ename, n)
		switch {
		case !inFrom:
			d.add(&AddExtension{E: t})
		case !inTo:
			d.add(&DropExtension{E: f})
		case *f != *t:
			d.add(&ModifyExtension{From: f, To: t})
		}
	}
}

func (d *differ) schema(f, t *schema.Schema) {
	switch {
	case f == nil:
		d.add(&AddSchema{S: t})
		f = &schema.Schema{Name: t.Name}
	case t == nil:
		d.add(&DropSchema{S: f})
		t = &schema.Schema{Name: f.Name}
	case f.Comment != t.Comment:
		d.add(&ModifySchema{From: f, To: t})
	}
	d.collations(f, t)
	d.enums(f, t)
	d.ranges(f, t)
	d.domains(f, t)
	d.composites(f, t)
	d.sequences(f, t)
	d.tables(f, t)
	d.functions(f, t)
	d.views(f, t)
}

func (d *differ) enums(fs, ts *schema.Schema) {
	ename := func(e *schema.Enum) string { return e.Name }
	for _, n := range union(names(fs.Enums, ename), names(ts.Enums, ename)) {
		f, inFrom := find(fs.Enums, ename, n)
		t, inTo := find(ts.Enums, ename, n)
		switch {
		case !inFrom:
			d.add(&AddEnum{E: t})
		case !inTo:
			d.add(&DropEnum{E: f})
		default:
			if slices.Equal(f.Values, t.Values) {
				if f.Comment != t.Comment {
					d.add(&ModifyEnum{From: f, To: t})
				}
				continue
			}
			if d.recreated[f.Schema+"."+f.Name] {
				d.recreate(&RecreateType{FromEnum: f, ToEnum: t, Columns: d.uses(f.Schema, f.Name)})
				continue
			}
			// New values go in one at a time, each next to a neighbour that already exists.
			for i, v := range t.Values {
				if slices.Contains(f.Values, v) {
					continue
				}
				c := &AddEnumValue{E: t, Value: v}
				if i > 0 {
					c.After = t.Values[i-1]
				} else if len(f.Values) > 0 {
					c.Before = f.Values[0]
				}
				d.add(c)
			}
			if f.Comment != t.Comment {
				d.add(&ModifyEnum{From: f, To: t})
			}
		}
	}
}

// isSubsequence reports whether every element of a appears in b in the same relative order.
func isSubsequence(a, b []string) bool {
	i := 0
	for _, v := range b {
		if i < len(a) && a[i] == v {
			i++
		}
	}
	return i == len(a)
}

// uses lists the columns of the from state whose type is, or is an array of, the user type
// schema.name. Each is converted when the type is recreated; where the column survives with
// a default, that default is put back afterwards.
func (d *differ) uses(schemaName, typeName string) []TypeUse {
	ref := schemaName + "." + typeName
	var out []TypeUse
	for _, s := range d.from.Schemas {
		for _, t := range s.Tables {
			for _, c := range t.Columns {
				if c.TypeRef != ref {
					continue
				}
				u := TypeUse{Table: t, Column: c}
				if ts := d.to.Schema(s.Name); ts != nil {
					if tt := ts.Table(t.Name); tt != nil {
						if tc := tt.Column(c.Name); tc != nil && tc.TypeRef == ref {
							u.Default = tc.Default
						}
					}
				}
				out = append(out, u)
			}
		}
	}
	return out
}

func (d *differ) domains(fs, ts *schema.Schema) {
	dname := func(x *schema.Domain) string { return x.Name }
	for _, n := range union(names(fs.Domains, dname), names(ts.Domains, dname)) {
		f, inFrom := find(fs.Domains, dname, n)
		t, inTo := find(ts.Domains, dname, n)
		switch {
		case !inFrom:
			d.add(&AddDomain{D: t})
		case !inTo:
			d.add(&DropDomain{D: f})
		case f.Type != t.Type || f.Collation != t.Collation || d.recreated[f.TypeRef]:
			// A domain over a recreated enum is recreated with it.
			d.recreate(&RecreateType{FromDomain: f, ToDomain: t, Columns: d.uses(f.Schema, f.Name)})
		case !domainEqual(f, t):
			d.add(&ModifyDomain{From: f, To: t})
		}
	}
}

func domainEqual(a, b *schema.Domain) bool {
	return a.NotNull == b.NotNull && a.Default == b.Default && a.Comment == b.Comment &&
		slices.EqualFunc(sortedChecks(a.Checks), sortedChecks(b.Checks), func(x, y *schema.Constraint) bool {
			return x.Name == y.Name && x.Def == y.Def && x.NotValid == y.NotValid && x.Comment == y.Comment
		})
}

func sortedChecks(cs []*schema.Constraint) []*schema.Constraint {
	out := slices.Clone(cs)
	slices.SortFunc(out, func(a, b *schema.Constraint) int {
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

func (d *differ) sequences(fs, ts *schema.Schema) {
	sname := func(x *schema.Sequence) string { return x.Name }
	for _, n := range union(names(fs.Sequences, sname), names(ts.Sequences, sname)) {
		f, inFrom := find(fs.Sequences, sname, n)
		t, inTo := find(ts.Sequences, sname, n)
		switch {
		case !inFrom:
			d.add(&AddSequence{S: t})
			if t.OwnedBy != "" {
				d.add(&SetSequenceOwner{S: t})
			}
		case !inTo:
			// A sequence owned by a column goes with its column; dropping it as well would fail.
			if f.OwnedBy == "" || ownerSurvives(f, ts) {
				d.add(&DropSequence{S: f})
			}
		default:
			if f.Opts != t.Opts || f.Comment != t.Comment {
				d.add(&ModifySequence{From: f, To: t})
			}
			if f.OwnedBy != t.OwnedBy {
				d.add(&SetSequenceOwner{S: t})
			}
		}
	}
}

// ownerSurvives reports whether the column that owns sequence s still exists in the target
// schema ts, with the same type (a column whose type changes through drop and add does not).
func ownerSurvives(s *schema.Sequence, ts *schema.Schema) bool {
	tbl, col, ok := cutLast(s.OwnedBy)
	if !ok {
		return false
	}
	t := ts.Table(tbl)
	return t != nil && t.Column(col) != nil
}

func cutLast(s string) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

func (d *differ) tables(fs, ts *schema.Schema) {
	tname := func(x *schema.Table) string { return x.Name }
	for _, n := range union(names(fs.Tables, tname), names(ts.Tables, tname)) {
		f, inFrom := find(fs.Tables, tname, n)
		t, inTo := find(ts.Tables, tname, n)
		switch {
		case !inFrom:
			d.addTable(t)
		case !inTo:
			d.dropTable(f)
		case !d.partitionedTable(f, t):
			d.table(f, t)
		}
	}
}

// addTable creates the table with its inline constraints; foreign keys and NOT VALID
// constraints come as their own changes so they can run once every table exists.
func (d *differ) addTable(t *schema.Table) {
	d.add(&AddTable{T: t})
	for _, c := range t.Constraints {
		if !Inline(c) {
			d.add(&AddConstraint{T: t, C: c})
		}
	}
	for _, ix := range t.Indexes {
		d.add(&AddIndex{T: t, I: ix})
	}
	d.triggers(nil, t)
	d.policies(nil, t)
}

// Inline reports whether constraint c is created inside CREATE TABLE rather than by a later
// ALTER TABLE: foreign keys may reference tables created later, and NOT VALID only exists for
// constraints added to an existing table.
func Inline(c *schema.Constraint) bool {
	return c.Kind != schema.ForeignKey && !c.NotValid
}

func (d *differ) dropTable(t *schema.Table) {
	// A foreign key to another dropped table would block whichever table goes first.
	for _, c := range t.Constraints {
		if c.Kind == schema.ForeignKey && !(c.RefSchema == t.Schema && c.RefTable == t.Name) && d.dropped(c.RefSchema, c.RefTable) {
			d.add(&DropConstraint{T: t, C: c})
		}
	}
	if !d.goesWithParent(t) {
		d.add(&DropTable{T: t})
	}
}

func (d *differ) dropped(schemaName, table string) bool {
	s := d.to.Schema(schemaName)
	return s == nil || s.Table(table) == nil
}

func (d *differ) table(f, t *schema.Table) {
	if f.Unlogged != t.Unlogged || !slices.Equal(f.Options, t.Options) || f.Comment != t.Comment {
		d.add(&ModifyTable{From: f, To: t})
	}
	recreated := d.columns(f, t, f.Columns, t.Columns)
	touches := func(cols []string) bool {
		for _, c := range cols {
			if slices.Contains(recreated, c) {
				return true
			}
		}
		return false
	}

	kname := func(c *schema.Constraint) string { return c.Name }
	for _, n := range union(names(f.Constraints, kname), names(t.Constraints, kname)) {
		fc, inFrom := find(f.Constraints, kname, n)
		tc, inTo := find(t.Constraints, kname, n)
		switch {
		case !inFrom:
			d.add(&AddConstraint{T: t, C: tc})
		case !inTo:
			d.add(&DropConstraint{T: f, C: fc})
		case fc.Kind != tc.Kind || fc.Def != tc.Def || (!fc.NotValid && tc.NotValid) || touches(tc.Columns):
			d.add(&DropConstraint{T: f, C: fc}, &AddConstraint{T: t, C: tc})
		default:
			if fc.NotValid && !tc.NotValid {
				d.add(&ValidateConstraint{T: t, C: tc})
			}
			if fc.Comment != tc.Comment {
				d.add(&CommentConstraint{T: t, C: tc})
			}
		}
	}

	iname := func(i *schema.Index) string { return i.Name }
	for _, n := range union(names(f.Indexes, iname), names(t.Indexes, iname)) {
		fi, inFrom := find(f.Indexes, iname, n)
		ti, inTo := find(t.Indexes, iname, n)
		switch {
		case !inFrom:
			d.add(&AddIndex{T: t, I: ti})
		case !inTo:
			d.add(&DropIndex{T: f, I: fi})
		case fi.Def != ti.Def || touches(ti.Columns):
			d.add(&DropIndex{T: f, I: fi}, &AddIndex{T: t, I: ti})
		case fi.Comment != ti.Comment:
			d.add(&CommentIndex{T: t, I: ti})
		}
	}
	d.triggers(f, t)
	d.policies(f, t)
}

// columns compares the columns of table f, fcols, with those of its target version t, tcols,
// and returns the names of the columns it drops and adds again.
func (d *differ) columns(f, t *schema.Table, fcols, tcols []*schema.Column) []string {
	cname := func(c *schema.Column) string { return c.Name }
	var recreated []string
	for _, n := range union(names(fcols, cname), names(tcols, cname)) {
		fc, inFrom := find(fcols, cname, n)
		tc, inTo := find(tcols, cname, n)
		switch {
		case !inFrom:
			d.add(&AddColumn{T: t, C: tc})
		case !inTo:
			d.add(&DropColumn{T: f, C: fc})
		case tc.Generated != "" && tc.Generated != fc.Generated:
			// A stored generation expression cannot be changed in place.
			d.add(&DropColumn{T: f, C: fc}, &AddColumn{T: t, C: tc})
			recreated = append(recreated, n)
		default:
			if fc.Identity != nil && tc.Identity == nil {
				d.add(&DropIdentity{T: t, C: fc})
				plain := *fc
				plain.Identity = nil
				fc = &plain
			}
			if !columnEqual(fc, tc) {
				d.add(&ModifyColumn{T: t, From: fc, To: tc})
			}
		}
	}
	return recreated
}

func columnEqual(a, b *schema.Column) bool {
	if (a.Identity == nil) != (b.Identity == nil) || (a.Identity != nil && *a.Identity != *b.Identity) {
		return false
	}
	return a.Type == b.Type && a.NotNull == b.NotNull && a.Default == b.Default && a.Generated == b.Generated &&
		a.Collation == b.Collation && a.Comment == b.Comment
}

// foreignKeysOnReplacedKeys drops and re-adds the foreign keys that rest on a primary key or
// unique constraint this diff drops: the engine refuses to drop a key a foreign key needs.
func (d *differ) foreignKeysOnReplacedKeys() {
	type key struct {
		schema, table string
		cols          string
	}
	replaced := map[key]bool{}
	droppedFK := map[*schema.Constraint]bool{}
	for _, c := range d.changes {
		if dc, ok := c.(*DropConstraint); ok {
			if dc.C.Kind == schema.PrimaryKey || dc.C.Kind == schema.Unique {
				replaced[key{dc.T.Schema, dc.T.Name, colSet(dc.C.Columns)}] = true
			}
			if dc.C.Kind == schema.ForeignKey {
				droppedFK[dc.C] = true
			}
		}
		if di, ok := c.(*DropIndex); ok && di.I.Unique {
			replaced[key{di.T.Schema, di.T.Name, colSet(di.I.Columns)}] = true
		}
	}
	if len(replaced) == 0 {
		return
	}
	for _, s := range d.from.Schemas {
		for _, t := range s.Tables {
			for _, c := range t.Constraints {
				if c.Kind != schema.ForeignKey || droppedFK[c] || !replaced[key{c.RefSchema, c.RefTable, colSet(c.RefColumns)}] {
					continue
				}
				// Keys are dropped before tables, so even the foreign key of a table that goes
				// away must go first.
				d.add(&DropConstraint{T: t, C: c})
				if d.dropped(t.Schema, t.Name) {
					continue
				}
				tt := d.to.Schema(t.Schema).Table(t.Name)
				if i := slices.IndexFunc(tt.Constraints, func(x *schema.Constraint) bool { return x.Name == c.Name }); i >= 0 {
					if !d.adds(tt, tt.Constraints[i]) {
						d.add(&AddConstraint{T: tt, C: tt.Constraints[i]})
					}
				}
			}
		}
	}
}

func (d *differ) adds(t *schema.Table, c *schema.Constraint) bool {
	for _, ch := range d.changes {
		if ac, ok := ch.(*AddConstraint); ok && ac.T == t && ac.C == c {
			return true
		}
	}
	return false
}

func colSet(cols []string) string {
	s := slices.Clone(cols)
	slices.Sort(s)
	out := ""
	for _, c := range s {
		out += c + "\x00"
	}
	return out
}

// dependentsOfRecreatedTypes drops and re-adds the indexes and constraints whose definitions
// name a recreated type (a partial index on status <> 'gone'::mood, say): they would not
// survive the conversion of their column.
func (d *differ) dependentsOfRecreatedTypes() {
	var refs []string
	for _, c := range d.changes {
		if r, ok := c.(*RecreateType); ok {
			refs = append(refs, r.Object())
		}
	}
	if len(refs) == 0 {
		return
	}
	names := func(def string) bool {
		return slices.ContainsFunc(refs, func(ref string) bool { return strings.Contains(def, ref) })
	}
	for _, s := range d.from.Schemas {
		for _, f := range s.Tables {
			if d.dropped(f.Schema, f.Name) {
				continue
			}
			t := d.to.Schema(f.Schema).Table(f.Name)
			for _, fc := range f.Constraints {
				if !names(fc.Def) || d.has(func(c Change) bool { x, ok := c.(*DropConstraint); return ok && x.C == fc }) {
					continue
				}
				d.add(&DropConstraint{T: f, C: fc})
				if i := slices.IndexFunc(t.Constraints, func(x *schema.Constraint) bool { return x.Name == fc.Name }); i >= 0 {
					d.add(&AddConstraint{T: t, C: t.Constraints[i]})
				}
			}
			for _, fi := range f.Indexes {
				if !names(fi.Def) || d.has(func(c Change) bool { x, ok := c.(*DropIndex); return ok && x.I == fi }) {
					continue
				}
				d.add(&DropIndex{T: f, I: fi})
				if i := slices.IndexFunc(t.Indexes, func(x *schema.Index) bool { return x.Name == fi.Name }); i >= 0 {
					d.add(&AddIndex{T: t, I: t.Indexes[i]})
				}
			}
		}
	}
}

func (d *differ) has(match func(Change) bool) bool { return slices.ContainsFunc(d.changes, match) }
