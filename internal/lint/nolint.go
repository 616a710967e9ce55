package lint

import (
	"errors"
	"fmt"
	"slices"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/source"
)

// Directives and locations.
//
// A diagnostic is about an object ("public.users.nickname"). When the states of the plan were
// read from SQL files, the diagnostic points at the line that defines its object, and
// -- sextant:nolint comments next to that definition silence named analyzers for it:
//
//	-- sextant:nolint drop-column -- nickname moved to profiles
//	CREATE TABLE users (…);
//
// A statement of a plan (an edited plan file) carries its own directives as comments in its
// SQL. See docs/lint.md, "Directives" and "Locations".

// Sources are the schema files the two states of a plan were read from, when they were read
// from SQL files (file://); nil for a state read from a database.
type Sources struct {
	From, To []source.File
}

// located are the scanned sources of one run.
type located struct {
	from, to *source.Locations
}

func (s Sources) scan() located {
	var l located
	if len(s.From) > 0 {
		l.from = source.Scan(s.From)
	}
	if len(s.To) > 0 {
		l.to = source.Scan(s.To)
	}
	return l
}

// position returns the file and line that define object: its own definition in the desired
// state, else in the current one (a dropped object is defined only there), else the
// definition of the table it belongs to, desired state first.
func (l located) position(object string) (string, int) {
	if object == "" {
		return "", 0
	}
	for _, src := range []*source.Locations{l.to, l.from} {
		if loc, ok := src.Find(object); ok {
			return loc.File, loc.Line
		}
	}
	if t, ok := l.table(object); ok {
		for _, src := range []*source.Locations{l.to, l.from} {
			if loc, ok := src.Find(t); ok {
				return loc.File, loc.Line
			}
		}
	}
	return "", 0
}

// table returns the table object belongs to, as either state knows it.
func (l located) table(object string) (string, bool) {
	if t, ok := l.to.Table(object); ok {
		return t, true
	}
	return l.from.Table(object)
}

// suppressed reports whether a directive of the desired state silences analyzer for object:
// one on the statement that defines the object, or on the statement that defines its table.
// Directives of the current state do not count: they were written for an earlier change.
func (l located) suppressed(object, analyzer string) bool {
	if object == "" || l.to == nil {
		return false
	}
	objects := []string{object}
	if t, ok := l.table(object); ok {
		objects = append(objects, t)
	}
	for _, o := range objects {
		for _, d := range l.to.Directives(o) {
			if covers(d.Analyzers, analyzer) {
				return true
			}
		}
	}
	return false
}

// covers reports whether a directive that names analyzers silences analyzer. A directive that
// names none silences every analyzer except those of the rehearsal: a statement that fails, or
// a plan that does not reach the desired state, fails the deploy whatever the review says, so
// silencing them takes their names.
func covers(analyzers []string, analyzer string) bool {
	if len(analyzers) == 0 {
		a := Lookup(analyzer)
		return a != nil && a.Category != Simulation
	}
	return slices.Contains(analyzers, analyzer)
}

// planDirectives returns the directives written in each statement of p.
func planDirectives(p *plan.Plan) [][]source.Directive {
	out := make([][]source.Directive, len(p.Statements))
	for i, s := range p.Statements {
		out[i] = source.Directives(s.SQL)
	}
	return out
}

// CheckDirectives reports every directive that would apply in a run on in and names an
// analyzer that does not exist: a misspelt name that silently silences nothing is worse than
// an error. Directives of the current state are not checked, since they do not apply.
func CheckDirectives(in Input) error {
	var errs []error
	check := func(where string, d source.Directive) {
		for _, name := range d.Analyzers {
			if msg := checkAnalyzer(name); msg != "" {
				errs = append(errs, fmt.Errorf("%s: sextant:nolint %s: %s", where, name, msg))
			}
		}
	}
	if len(in.Sources.To) > 0 {
		for _, d := range source.Scan(in.Sources.To).AllDirectives() {
			check(fmt.Sprintf("%s:%d", d.File, d.Line), d)
		}
	}
	if in.Plan != nil {
		for i, ds := range planDirectives(in.Plan) {
			for _, d := range ds {
				check(fmt.Sprintf("statement %d of the plan", i+1), d)
			}
		}
	}
	return errors.Join(errs...)
}
