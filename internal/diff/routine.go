package diff

import (
	"fmt"
	"slices"

	"github.com/sextant-db/sextant/internal/schema"
)

// Views and functions are defined by a query or a body that PostgreSQL has parsed and bound
// to the objects it names. Three things follow, and this file handles them:
//
//   - A view whose query changes is replaced in place when PostgreSQL allows it (its old
//     columns stay, in order, with their types) and recreated otherwise; a function likewise
//     (CREATE OR REPLACE unless its result, parameters or kind change).
//   - A view or function that uses an object this plan drops, recreates or retypes must go
//     before that change and, when the target keeps it, come back after: PostgreSQL refuses
//     to drop what it uses and to change the type of a column it reads. The uses are the ones
//     the engine recorded (DependsOn), so this spreads transitively: a view over a recreated
//     view is recreated too.
//   - A dropped or recreated function takes the defaults, checks and indexes that call it
//     along: they are dropped before it and, where the target keeps them, put back after (a
//     default that reads the same may call another function of that name in the target).

// functions compares the functions and procedures of one schema, matched by name and
// argument types.
func (d *differ) functions(fs, ts *schema.Schema) {
	key := func(f *schema.Function) string { return f.Key() }
	for _, n := range union(names(fs.Functions, key), names(ts.Functions, key)) {
		f, inFrom := find(fs.Functions, key, n)
		t, inTo := find(ts.Functions, key, n)
		switch {
		case !inFrom:
			d.add(&AddFunction{F: t})
		case !inTo:
			d.add(&DropFunction{F: f})
		case !Replaceable(f, t):
			d.add(&DropFunction{F: f}, &RecreateFunction{From: f, To: t})
		case f.Def != t.Def:
			d.add(&ReplaceFunction{From: f, To: t})
		case f.Comment != t.Comment:
			d.add(&ModifyFunction{From: f, To: t})
		}
	}
}

// Replaceable reports whether CREATE OR REPLACE can turn function f into t: PostgreSQL
// refuses to change a routine's kind, its result type (OUT parameters included), the names
// and modes of its parameters, and to remove parameter defaults.
func Replaceable(f, t *schema.Function) bool {
	return f.Procedure == t.Procedure && f.Result == t.Result && slices.Equal(f.Params, t.Params) && t.Defaults >= f.Defaults
}

// views compares the views and materialized views of one schema.
func (d *differ) views(fs, ts *schema.Schema) {
	vname := func(v *schema.View) string { return v.Name }
	for _, n := range union(names(fs.Views, vname), names(ts.Views, vname)) {
		f, inFrom := find(fs.Views, vname, n)
		t, inTo := find(ts.Views, vname, n)
		switch {
		case !inFrom:
			d.add(&AddView{V: t})
		case !inTo:
			d.add(&DropView{V: f})
		case f.Materialized == t.Materialized && f.Def == t.Def && slices.EqualFunc(f.Columns, t.Columns, sameViewColumn):
			if !viewExtrasEqual(f, t) {
				d.add(&ModifyView{From: f, To: t})
			}
		case viewReplaceable(f, t):
			d.add(&ReplaceView{From: f, To: t})
		default:
			d.add(&DropView{V: f}, &RecreateView{From: f, To: t})
		}
	}
}

// sameViewColumn compares what CREATE OR REPLACE VIEW keeps fixed about a column.
func sameViewColumn(a, b *schema.ViewColumn) bool {
	return a.Name == b.Name && a.Type == b.Type && a.Collation == b.Collation
}

// viewReplaceable reports whether CREATE OR REPLACE VIEW can turn f into t: both are plain
// views and t starts with f's columns, same names, types and collations, in the same order.
func viewReplaceable(f, t *schema.View) bool {
	return !f.Materialized && !t.Materialized && len(t.Columns) >= len(f.Columns) &&
		slices.EqualFunc(f.Columns, t.Columns[:len(f.Columns)], sameViewColumn)
}

// viewExtrasEqual compares what ModifyView changes: options, comments, column defaults,
// indexes.
func viewExtrasEqual(f, t *schema.View) bool {
	if !slices.Equal(f.Options, t.Options) || f.Comment != t.Comment || len(f.Indexes) != len(t.Indexes) {
		return false
	}
	for i, c := range f.Columns {
		if c.Comment != t.Columns[i].Comment || c.Default != t.Columns[i].Default {
			return false
		}
	}
	for _, fi := range f.Indexes {
		ti := t.Index(fi.Name)
		if ti == nil || ti.Def != fi.Def || ti.Comment != fi.Comment {
			return false
		}
	}
	return true
}

// gone returns the references of the from state's objects that this plan drops, recreates
// or changes the type of: whatever uses one of them has to be out of the way first.
func (d *differ) gone() map[string]bool {
	out := map[string]bool{}
	put := func(kind string, parts ...string) { out[schema.Ref(kind, parts...)] = true }
	for _, c := range d.changes {
		switch c := c.(type) {
		case *DropTable:
			put(schema.RefKindTable, c.T.Schema, c.T.Name)
			for _, col := range c.T.Columns {
				put(schema.RefKindColumn, c.T.Schema, c.T.Name, col.Name)
			}
			for _, k := range c.T.Constraints {
				put(schema.RefKindConstraint, c.T.Schema, c.T.Name, k.Name)
			}
		case *DropColumn:
			put(schema.RefKindColumn, c.T.Schema, c.T.Name, c.C.Name)
		case *ModifyColumn:
			if c.From.Type != c.To.Type || c.From.Collation != c.To.Collation {
				put(schema.RefKindColumn, c.T.Schema, c.T.Name, c.From.Name)
			}
		case *DropConstraint:
			put(schema.RefKindConstraint, c.T.Schema, c.T.Name, c.C.Name)
		case *RecreateType:
			out[schema.Ref(schema.RefKindType, c.Object())] = true
			for _, u := range c.Columns {
				put(schema.RefKindColumn, u.Table.Schema, u.Table.Name, u.Column.Name)
			}
		case *DropEnum:
			put(schema.RefKindType, c.E.Schema, c.E.Name)
		case *DropDomain:
			put(schema.RefKindType, c.D.Schema, c.D.Name)
		case *DropSequence:
			put(schema.RefKindSequence, c.S.Schema, c.S.Name)
		case *DropView:
			out[schema.ViewRef(c.V)] = true
		case *DropFunction:
			out[schema.FunctionRef(c.F)] = true
		}
	}
	return out
}

// dependants recreates (or, when the target has no such object, leaves dropped) every view
// and function of the from state that uses something gone (see gone), until nothing more
// changes: a recreated view takes the views over it along. One that is replaced in place
// and whose new version no longer uses the gone object stays a replacement; the plan runs
// it before the object goes. A recreated function then takes its users along
// (functionUsers).
func (d *differ) dependants() {
	for changed := true; changed; {
		changed = false
		gone := d.gone()
		uses := func(deps []string, to []string, inPlace bool) bool {
			return slices.ContainsFunc(deps, func(r string) bool { return gone[r] && !(inPlace && !slices.Contains(to, r)) })
		}
		for _, s := range d.from.Schemas {
			for _, v := range s.Views {
				if gone[schema.ViewRef(v)] {
					continue
				}
				to := d.toView(v)
				replaced := d.replacesView(v)
				if uses(v.DependsOn, to.DependsOn, replaced) {
					d.recreateView(v, to)
					changed = true
				}
			}
			for _, f := range s.Functions {
				if gone[schema.FunctionRef(f)] {
					continue
				}
				to := d.toFunction(f)
				replaced := d.replacesFunction(f)
				if uses(f.DependsOn, to.DependsOn, replaced) {
					d.recreateFunction(f, to)
					changed = true
				}
			}
			// An index on a materialized view, or a view's column default, that calls a dropped
			// function goes with its view.
			for _, v := range s.Views {
				if d.has(func(c Change) bool { x, ok := c.(*DropView); return ok && x.V == v }) {
					continue // dropped already, maybe in this round
				}
				if slices.ContainsFunc(schema.ViewParts(v), d.usesDroppedFunction) {
					d.recreateView(v, d.toView(v))
					changed = true
				}
			}
		}
	}
	d.functionUsers()
}

// toView returns the target's version of from-state view v; it exists whenever v is not
// dropped (a view the target lacks has a DropView already).
func (d *differ) toView(v *schema.View) *schema.View {
	return d.to.Schema(v.Schema).View(v.Name)
}

func (d *differ) toFunction(f *schema.Function) *schema.Function {
	return d.to.Schema(f.Schema).Function(f.Key())
}

func (d *differ) replacesView(v *schema.View) bool {
	return d.has(func(c Change) bool { x, ok := c.(*ReplaceView); return ok && x.From == v })
}

func (d *differ) replacesFunction(f *schema.Function) bool {
	return d.has(func(c Change) bool { x, ok := c.(*ReplaceFunction); return ok && x.From == f })
}

// recreateView turns whatever the diff planned for view v into a drop and a create.
func (d *differ) recreateView(v, to *schema.View) {
	d.changes = slices.DeleteFunc(d.changes, func(c Change) bool {
		switch c := c.(type) {
		case *ReplaceView:
			return c.From == v
		case *ModifyView:
			return c.From == v
		}
		return false
	})
	d.add(&DropView{V: v}, &RecreateView{From: v, To: to})
}

// recreateFunction turns whatever the diff planned for function f into a drop and a create.
func (d *differ) recreateFunction(f, to *schema.Function) {
	d.changes = slices.DeleteFunc(d.changes, func(c Change) bool {
		switch c := c.(type) {
		case *ReplaceFunction:
			return c.From == f
		case *ModifyFunction:
			return c.From == f
		}
		return false
	})
	d.add(&DropFunction{F: f}, &RecreateFunction{From: f, To: to})
}

// droppedFunctions returns the from-state functions this plan drops, to create them again
// or not.
func (d *differ) droppedFunctions() []*schema.Function {
	var out []*schema.Function
	for _, c := range d.changes {
		if r, ok := c.(*DropFunction); ok {
			out = append(out, r.F)
		}
	}
	return out
}

// usesDroppedFunction reports whether the user ref (see Function.UsedBy) calls a function
// this plan drops.
func (d *differ) usesDroppedFunction(ref string) bool {
	return slices.ContainsFunc(d.droppedFunctions(), func(f *schema.Function) bool { return slices.Contains(f.UsedBy, ref) })
}

// functionUsers takes the defaults, constraints and indexes that call a dropped function out
// of its way: each is dropped before the function and, when the target keeps it, put back
// after. Uses PostgreSQL cannot carry over that way are refused: a generation expression
// (the column would have to be dropped) and a domain that stays.
func (d *differ) functionUsers() {
	for _, f := range d.droppedFunctions() {
		for _, u := range f.UsedBy {
			if err := d.functionUser(f, u); err != nil {
				d.errs = append(d.errs, err)
			}
		}
	}
}

func (d *differ) functionUser(f *schema.Function, use string) error {
	name := func() string { return f.Schema + "." + f.Key() }
	for _, s := range d.from.Schemas {
		for _, t := range s.Tables {
			if d.dropped(t.Schema, t.Name) {
				continue
			}
			tt := d.to.Schema(t.Schema).Table(t.Name)
			for _, c := range t.Columns {
				if use != schema.Ref(schema.RefKindDefault, t.Schema, t.Name, c.Name) || tt.Column(c.Name) == nil {
					continue
				}
				if c.Generated != "" {
					return fmt.Errorf("function %s must be dropped (to be created again, or replaced by another of that name), and the generated column %s.%s.%s calls it: "+
						"PostgreSQL cannot keep the column meanwhile; change the function and the column in separate plans",
						name(), t.Schema, t.Name, c.Name)
				}
				d.dropDefault(t, c, tt)
			}
			for _, k := range t.Constraints {
				if use != schema.Ref(schema.RefKindConstraint, t.Schema, t.Name, k.Name) {
					continue
				}
				if !d.has(func(c Change) bool { x, ok := c.(*DropConstraint); return ok && x.C == k }) {
					d.add(&DropConstraint{T: t, C: k})
					if i := slices.IndexFunc(tt.Constraints, func(x *schema.Constraint) bool { return x.Name == k.Name }); i >= 0 {
						d.add(&AddConstraint{T: tt, C: tt.Constraints[i]})
					}
				}
			}
			for _, ix := range t.Indexes {
				if use != schema.Ref(schema.RefKindIndex, t.Schema, ix.Name) {
					continue
				}
				if !d.has(func(c Change) bool { x, ok := c.(*DropIndex); return ok && x.I == ix }) {
					d.add(&DropIndex{T: t, I: ix})
					if i := slices.IndexFunc(tt.Indexes, func(x *schema.Index) bool { return x.Name == ix.Name }); i >= 0 {
						d.add(&AddIndex{T: tt, I: tt.Indexes[i]})
					}
				}
			}
		}
		for _, dom := range s.Domains {
			if use != schema.Ref(schema.RefKindType, dom.Schema, dom.Name) {
				continue
			}
			if ts := d.to.Schema(dom.Schema); ts != nil && slices.ContainsFunc(ts.Domains, func(x *schema.Domain) bool { return x.Name == dom.Name }) {
				return fmt.Errorf("function %s must be dropped (to be created again, or replaced by another of that name), and the domain %s.%s calls it in its default or a check: "+
					"change the function and the domain in separate plans", name(), dom.Schema, dom.Name)
			}
		}
	}
	return nil
}

// dropDefault drops the default of column c of table t (from state) ahead of a recreated
// function, and has the column's ModifyColumn, or a new one, set the target's default again.
func (d *differ) dropDefault(t *schema.Table, c *schema.Column, tt *schema.Table) {
	d.add(&DropDefault{T: t, C: c})
	plain := *c
	plain.Default = ""
	for _, ch := range d.changes {
		if m, ok := ch.(*ModifyColumn); ok && m.T == tt && m.From.Name == c.Name {
			from := *m.From
			from.Default = ""
			m.From = &from
			return
		}
	}
	if tc := tt.Column(c.Name); tc.Default != "" {
		d.add(&ModifyColumn{T: tt, From: &plain, To: tc})
	}
}
