package schema

import "strings"

// A reference names one object in the dependency lists of views and functions (DependsOn,
// UsedBy): its kind, a colon and its schema-qualified name, e.g. "column:public.users.email"
// or "function:public.slug(text)". The kind keeps names of different kinds apart (a table and
// a function may share a name), and the names are the model's own, unquoted, so a reference
// is built from a model object without asking the engine.
//
// Relations and types share one namespace in PostgreSQL, and a reference says which of them
// an object is: a view's row type is the view.

// The kinds of reference.
const (
	RefKindTable      = "table"
	RefKindColumn     = "column"
	RefKindConstraint = "constraint"
	RefKindIndex      = "index"
	RefKindView       = "view" // views and materialized views
	RefKindSequence   = "sequence"
	RefKindType       = "type" // enums and domains
	RefKindFunction   = "function"
	// RefKindDefault is a column's default or generation expression.
	RefKindDefault = "default"
	RefKindTrigger = "trigger" // schema.table.trigger
	RefKindPolicy  = "policy"  // schema.table.policy
)

// Ref builds a reference from a kind and the parts of a qualified name.
func Ref(kind string, parts ...string) string { return kind + ":" + strings.Join(parts, ".") }

// FunctionRef is the reference to function f.
func FunctionRef(f *Function) string { return Ref(RefKindFunction, f.Schema, f.Key()) }

// ViewRef is the reference to view v.
func ViewRef(v *View) string { return Ref(RefKindView, v.Schema, v.Name) }

// RefKind returns the kind of a reference.
func RefKind(ref string) string {
	k, _, _ := strings.Cut(ref, ":")
	return k
}

// ViewParts returns the references of the parts of view v that may call a function outside
// its query, as a function's UsedBy names them: its column defaults and, for a materialized
// view, its indexes.
func ViewParts(v *View) []string {
	var out []string
	for _, c := range v.Columns {
		if c.Default != "" {
			out = append(out, Ref(RefKindDefault, v.Schema, v.Name, c.Name))
		}
	}
	for _, i := range v.Indexes {
		out = append(out, Ref(RefKindIndex, v.Schema, i.Name))
	}
	return out
}
