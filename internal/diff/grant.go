package diff

import (
	"slices"

	"github.com/sextant-db/sextant/internal/schema"
)

// DefaultGrants are the privileges PostgreSQL gives an object of kind on (a GrantsOn kind)
// when it is created, besides its owner's: EXECUTE for PUBLIC on a function, nothing on the
// others. An object the plan creates starts from these.
func DefaultGrants(on string) []schema.Grant {
	if on == GrantsOnFunction {
		return []schema.Grant{{Grantee: "PUBLIC", Privilege: "EXECUTE"}}
	}
	return nil
}

// privileges adds a ModifyGrants for every object of the target whose grants differ from what
// it holds once the other changes have run: its grants in the from state, or the defaults of
// its kind when the plan creates or recreates it.
func (d *differ) privileges() {
	fresh := map[string]bool{}
	mark := func(kind string, parts ...string) { fresh[schema.Ref(kind, parts...)] = true }
	for _, c := range d.changes {
		switch c := c.(type) {
		case *AddSchema:
			mark(GrantsOnSchema, c.S.Name)
		case *AddTable:
			mark(GrantsOnTable, c.T.Schema, c.T.Name)
			for _, col := range c.T.Columns {
				mark(GrantsOnColumn, c.T.Schema, c.T.Name, col.Name)
			}
		case *AddColumn:
			mark(GrantsOnColumn, c.T.Schema, c.T.Name, c.C.Name)
		case *AddView:
			mark(GrantsOnView, c.V.Schema, c.V.Name)
		case *RecreateView:
			mark(GrantsOnView, c.To.Schema, c.To.Name)
		case *AddSequence:
			mark(GrantsOnSequence, c.S.Schema, c.S.Name)
		case *AddFunction:
			mark(GrantsOnFunction, c.F.Schema, c.F.Key())
		case *RecreateFunction:
			mark(GrantsOnFunction, c.To.Schema, c.To.Key())
		}
	}
	// before returns what an object holds before its ModifyGrants runs.
	before := func(on string, old []schema.Grant, exists bool, parts ...string) []schema.Grant {
		if !exists || fresh[schema.Ref(on, parts...)] {
			return DefaultGrants(on)
		}
		return old
	}
	for _, ts := range d.to.Schemas {
		fs := d.from.Schema(ts.Name)
		if fs == nil {
			fs = &schema.Schema{Name: ts.Name}
		}
		d.grants(&ModifyGrants{On: GrantsOnSchema, Schema: ts.Name,
			From: before(GrantsOnSchema, fs.Grants, d.from.Schema(ts.Name) != nil, ts.Name), To: ts.Grants})
		for _, t := range ts.Tables {
			ft := fs.Table(t.Name)
			var old []schema.Grant
			if ft != nil {
				old = ft.Grants
			}
			d.grants(&ModifyGrants{On: GrantsOnTable, Schema: t.Schema, Name: t.Name,
				From: before(GrantsOnTable, old, ft != nil, t.Schema, t.Name), To: t.Grants})
			for _, c := range t.Columns {
				var fc *schema.Column
				if ft != nil {
					fc = ft.Column(c.Name)
				}
				old = nil
				if fc != nil {
					old = fc.Grants
				}
				d.grants(&ModifyGrants{On: GrantsOnColumn, Schema: t.Schema, Name: t.Name, Column: c.Name,
					From: before(GrantsOnColumn, old, fc != nil, t.Schema, t.Name, c.Name), To: c.Grants})
			}
		}
		for _, v := range ts.Views {
			fv := fs.View(v.Name)
			var old []schema.Grant
			if fv != nil {
				old = fv.Grants
			}
			d.grants(&ModifyGrants{On: GrantsOnView, Schema: v.Schema, Name: v.Name,
				From: before(GrantsOnView, old, fv != nil, v.Schema, v.Name), To: v.Grants})
		}
		for _, q := range ts.Sequences {
			fq, found := find(fs.Sequences, func(x *schema.Sequence) string { return x.Name }, q.Name)
			var old []schema.Grant
			if found {
				old = fq.Grants
			}
			d.grants(&ModifyGrants{On: GrantsOnSequence, Schema: q.Schema, Name: q.Name,
				From: before(GrantsOnSequence, old, found, q.Schema, q.Name), To: q.Grants})
		}
		for _, f := range ts.Functions {
			ff := fs.Function(f.Key())
			var old []schema.Grant
			if ff != nil {
				old = ff.Grants
			}
			d.grants(&ModifyGrants{On: GrantsOnFunction, Schema: f.Schema, Name: f.Key(), Function: f,
				From: before(GrantsOnFunction, old, ff != nil, f.Schema, f.Key()), To: f.Grants})
		}
	}
}

// grants adds g when its grants change.
func (d *differ) grants(g *ModifyGrants) {
	from, to := slices.Clone(g.From), slices.Clone(g.To)
	slices.SortFunc(from, schema.CompareGrants)
	slices.SortFunc(to, schema.CompareGrants)
	if slices.Equal(from, to) {
		return
	}
	g.From, g.To = from, to
	d.add(g)
}
