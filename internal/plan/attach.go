package plan

import "github.com/sextant-db/sextant/internal/diff"

// Attach gives the statements of p that name a change ("-- <kind> <object>" in a plan file)
// the typed change of that kind and object from changes, the changes between the plan's from
// and to states. A plan read back from a file has none, and the analyzers that read a
// statement's change would then find nothing to say about an edited plan: with them attached
// it is linted statement by statement as the generated plan was. Hand-written statements
// (no kind) and statements whose change is not among changes keep none.
func Attach(p *Plan, changes []diff.Change) {
	type key struct{ kind, object string }
	byKey := make(map[key]diff.Change, len(changes))
	for _, c := range changes {
		byKey[key{c.Kind(), c.Object()}] = c
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.Change == nil && s.Kind != "" {
			s.Change = byKey[key{s.Kind, s.Object}]
		}
	}
}
