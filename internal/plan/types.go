package plan

import (
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// typeEffects are the dependency effects of creating and dropping composite and range types:
// a composite type needs the user types of its attributes, a range type its subtype and its
// difference function, which the plan otherwise creates late, with the other functions.
func typeEffects(c diff.Change) effects {
	var e effects
	typ := func(s, n string) string { return schema.Ref(schema.RefKindType, s, n) }
	userType := func(ref string) string { return schema.Ref(schema.RefKindType, ref) }
	switch c := c.(type) {
	case *diff.AddComposite:
		e.creates = []string{typ(c.C.Schema, c.C.Name)}
		for _, a := range c.C.Attributes {
			if a.TypeRef != "" {
				e.needs = append(e.needs, userType(a.TypeRef))
			}
		}
	case *diff.DropComposite:
		e.removes = []string{typ(c.C.Schema, c.C.Name)}
	case *diff.AddRange:
		e.creates = []string{typ(c.R.Schema, c.R.Name)}
		e.needs = append(e.needs, c.R.DependsOn...)
		if c.R.SubtypeRef != "" {
			e.needs = append(e.needs, userType(c.R.SubtypeRef))
		}
	case *diff.DropRange:
		r := typ(c.R.Schema, c.R.Name)
		e.removes, e.releases = []string{r}, []string{r}
	}
	return e
}

// The change kinds of composite types, range types, collations and grants, which plan files
// name (see kinds).
func init() {
	kinds = append(kinds,
		"add-composite-type", "drop-composite-type", "modify-composite-type", "recreate-composite-type", "drop-replaced-composite-type",
		"add-range-type", "drop-range-type", "modify-range-type", "recreate-range-type", "drop-replaced-range-type",
		"add-collation", "drop-collation", "modify-collation", "recreate-collation", "drop-replaced-collation",
		"grant-schema", "grant-table", "grant-view", "grant-column", "grant-sequence", "grant-function",
	)
}
