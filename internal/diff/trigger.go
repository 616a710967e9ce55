package diff

import (
	"slices"

	"github.com/sextant-db/sextant/internal/schema"
)

// Triggers, policies and event triggers hang on objects modelled elsewhere: a trigger or a
// policy on its table, an event trigger on its function. Nothing in the schema depends on
// them, so they are created after, and dropped before, everything they use. PostgreSQL
// refuses to drop a function a trigger executes, a column a trigger or policy names, or to
// change such a column's type; such a trigger or policy is dropped first and created again
// afterwards (takeAlong).

// Triggers.
type (
	AddTrigger struct {
		T  *schema.Table
		Tr *schema.Trigger
	}
	DropTrigger struct {
		T  *schema.Table
		Tr *schema.Trigger
	}
	// ModifyTrigger changes the firing state or the comment of an otherwise unchanged
	// trigger. Any other change drops and creates it: a constraint trigger cannot be
	// replaced in place.
	ModifyTrigger struct {
		T        *schema.Table
		From, To *schema.Trigger
	}
)

// Event triggers.
type (
	AddEventTrigger  struct{ E *schema.EventTrigger }
	DropEventTrigger struct{ E *schema.EventTrigger }
	// ModifyEventTrigger changes the firing state or the comment; a new event, tag list or
	// function drops and creates the event trigger.
	ModifyEventTrigger struct{ From, To *schema.EventTrigger }
)

func (c *AddTrigger) Kind() string         { return "add-trigger" }
func (c *DropTrigger) Kind() string        { return "drop-trigger" }
func (c *ModifyTrigger) Kind() string      { return "modify-trigger" }
func (c *AddEventTrigger) Kind() string    { return "add-event-trigger" }
func (c *DropEventTrigger) Kind() string   { return "drop-event-trigger" }
func (c *ModifyEventTrigger) Kind() string { return "modify-event-trigger" }

func (c *AddTrigger) Object() string         { return q(c.T.Schema, c.T.Name, c.Tr.Name) }
func (c *DropTrigger) Object() string        { return q(c.T.Schema, c.T.Name, c.Tr.Name) }
func (c *ModifyTrigger) Object() string      { return q(c.T.Schema, c.T.Name, c.To.Name) }
func (c *AddEventTrigger) Object() string    { return c.E.Name }
func (c *DropEventTrigger) Object() string   { return c.E.Name }
func (c *ModifyEventTrigger) Object() string { return c.To.Name }

// triggers compares the triggers of table f with those of its target version t; f is nil
// for a new table.
func (d *differ) triggers(f, t *schema.Table) {
	for _, tt := range t.Triggers {
		var ft *schema.Trigger
		if f != nil {
			ft = f.Trigger(tt.Name)
		}
		switch {
		case ft == nil:
			d.add(&AddTrigger{T: t, Tr: tt})
		case ft.Def != tt.Def || ft.Constraint != tt.Constraint:
			d.add(&DropTrigger{T: f, Tr: ft}, &AddTrigger{T: t, Tr: tt})
		case ft.Enabled != tt.Enabled || ft.Comment != tt.Comment:
			d.add(&ModifyTrigger{T: t, From: ft, To: tt})
		}
	}
	if f == nil {
		return
	}
	for _, ft := range f.Triggers {
		if t.Trigger(ft.Name) == nil {
			d.add(&DropTrigger{T: f, Tr: ft})
		}
	}
}

// eventTriggers compares the event triggers of the two realms.
func (d *differ) eventTriggers() {
	ename := func(e *schema.EventTrigger) string { return e.Name }
	for _, n := range union(names(d.from.EventTriggers, ename), names(d.to.EventTriggers, ename)) {
		f, inFrom := find(d.from.EventTriggers, ename, n)
		t, inTo := find(d.to.EventTriggers, ename, n)
		switch {
		case !inFrom:
			d.add(&AddEventTrigger{E: t})
		case !inTo:
			d.add(&DropEventTrigger{E: f})
		case f.Event != t.Event || !slices.Equal(f.Tags, t.Tags) || f.FunctionSchema != t.FunctionSchema || f.FunctionName != t.FunctionName:
			d.add(&DropEventTrigger{E: f}, &AddEventTrigger{E: t})
		case f.Enabled != t.Enabled || f.Comment != t.Comment:
			d.add(&ModifyEventTrigger{From: f, To: t})
		}
	}
}

// takeAlong drops, and where the target keeps them creates again, the triggers, policies
// and event triggers of the from state that use something this plan drops, recreates or
// retypes (see gone). It runs once views and functions have settled: nothing depends on
// what it changes.
func (d *differ) takeAlong() {
	gone := d.gone()
	uses := func(deps []string) bool { return slices.ContainsFunc(deps, func(r string) bool { return gone[r] }) }
	for _, s := range d.from.Schemas {
		for _, f := range s.Tables {
			if d.dropped(f.Schema, f.Name) {
				continue // its triggers and policies go with it
			}
			t := d.to.Schema(f.Schema).Table(f.Name)
			for _, ft := range f.Triggers {
				if !uses(ft.DependsOn) || d.has(func(c Change) bool { x, ok := c.(*DropTrigger); return ok && x.Tr == ft }) {
					continue
				}
				d.changes = slices.DeleteFunc(d.changes, func(c Change) bool { x, ok := c.(*ModifyTrigger); return ok && x.From == ft })
				d.add(&DropTrigger{T: f, Tr: ft})
				if tt := t.Trigger(ft.Name); tt != nil {
					d.add(&AddTrigger{T: t, Tr: tt})
				}
			}
			for _, fp := range f.Policies {
				if !uses(fp.DependsOn) || d.has(func(c Change) bool { x, ok := c.(*DropPolicy); return ok && x.P == fp }) {
					continue
				}
				d.changes = slices.DeleteFunc(d.changes, func(c Change) bool {
					switch x := c.(type) {
					case *AlterPolicy:
						return x.From == fp
					case *CommentPolicy:
						return x.From == fp
					}
					return false
				})
				d.add(&DropPolicy{T: f, P: fp})
				if tp := t.Policy(fp.Name); tp != nil {
					d.add(&AddPolicy{T: t, P: tp})
				}
			}
		}
	}
	for _, f := range d.from.EventTriggers {
		if !gone[f.FunctionRef()] || d.has(func(c Change) bool { x, ok := c.(*DropEventTrigger); return ok && x.E == f }) {
			continue
		}
		d.changes = slices.DeleteFunc(d.changes, func(c Change) bool { x, ok := c.(*ModifyEventTrigger); return ok && x.From == f })
		d.add(&DropEventTrigger{E: f})
		if t, ok := find(d.to.EventTriggers, func(e *schema.EventTrigger) string { return e.Name }, f.Name); ok {
			d.add(&AddEventTrigger{E: t})
		}
	}
}
