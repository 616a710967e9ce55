package postgres

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/schema"
)

// viewKind is the object kind a view statement names.
func viewKind(v *schema.View) string {
	if v.Materialized {
		return "MATERIALIZED VIEW"
	}
	return "VIEW"
}

// createView creates a view with its comments and, for a materialized view, its indexes.
//
// A materialized view is created WITH DATA, PostgreSQL's default, said out loud: a migration
// that creates one should leave it usable, and a view created WITH NO DATA fails every query
// until someone runs REFRESH MATERIALIZED VIEW. Populating it runs the query once, inside
// the plan's transaction; on a large table that takes as long as the query does.
func createView(v *schema.View) []string {
	name := QName(v.Schema, v.Name)
	s := "CREATE " + viewKind(v) + " " + name + withOptions(v.Options) + " AS\n" + v.Def
	if v.Materialized {
		s += "\nWITH DATA"
	}
	out := []string{s}
	out = append(out, columnDefaults(name, nil, v)...)
	out = append(out, comment(viewKind(v), name, "", v.Comment)...)
	for _, c := range v.Columns {
		out = append(out, comment("COLUMN", name+"."+Ident(c.Name), "", c.Comment)...)
	}
	for _, i := range v.Indexes {
		out = append(out, i.Def)
		out = append(out, comment("INDEX", QName(v.Schema, i.Name), "", i.Comment)...)
	}
	return out
}

func withOptions(opts []string) string {
	if len(opts) == 0 {
		return ""
	}
	return " WITH (" + strings.Join(opts, ", ") + ")"
}

// replaceView changes a view's query in place. CREATE OR REPLACE VIEW sets the options to
// exactly those it is given, so the target's are always said; comments and column defaults
// survive it.
func replaceView(f, t *schema.View) []string {
	name := QName(t.Schema, t.Name)
	out := []string{"CREATE OR REPLACE VIEW " + name + withOptions(t.Options) + " AS\n" + t.Def}
	out = append(out, columnDefaults(name, f, t)...)
	out = append(out, comment("VIEW", name, f.Comment, t.Comment)...)
	return append(out, columnComments(name, f, t)...)
}

// fromColumn returns the column of view f (nil: a new view) called name, or an empty one.
func fromColumn(f *schema.View, name string) *schema.ViewColumn {
	if f != nil {
		if i := slices.IndexFunc(f.Columns, func(x *schema.ViewColumn) bool { return x.Name == name }); i >= 0 {
			return f.Columns[i]
		}
	}
	return &schema.ViewColumn{}
}

// columnComments sets the column comments of view t that differ from f's.
func columnComments(name string, f, t *schema.View) []string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, comment("COLUMN", name+"."+Ident(c.Name), fromColumn(f, c.Name).Comment, c.Comment)...)
	}
	return out
}

// columnDefaults sets and drops the column defaults of view t that differ from f's (nil: a
// new view).
func columnDefaults(name string, f, t *schema.View) []string {
	var out []string
	for _, c := range t.Columns {
		from := fromColumn(f, c.Name).Default
		switch {
		case c.Default == from:
		case c.Default == "":
			out = append(out, fmt.Sprintf("ALTER VIEW %s ALTER COLUMN %s DROP DEFAULT", name, Ident(c.Name)))
		default:
			out = append(out, fmt.Sprintf("ALTER VIEW %s ALTER COLUMN %s SET DEFAULT %s", name, Ident(c.Name), c.Default))
		}
	}
	return out
}

// alterView changes the options, comments and indexes of a view whose query stays.
func alterView(f, t *schema.View) []string {
	name := QName(t.Schema, t.Name)
	kind := viewKind(t)
	var out []string
	set, reset := optionChanges(f.Options, t.Options)
	if len(set) > 0 {
		out = append(out, fmt.Sprintf("ALTER %s %s SET (%s)", kind, name, strings.Join(set, ", ")))
	}
	if len(reset) > 0 {
		out = append(out, fmt.Sprintf("ALTER %s %s RESET (%s)", kind, name, strings.Join(reset, ", ")))
	}
	out = append(out, columnDefaults(name, f, t)...)
	out = append(out, comment(kind, name, f.Comment, t.Comment)...)
	out = append(out, columnComments(name, f, t)...)
	for _, fi := range f.Indexes {
		if ti := t.Index(fi.Name); ti == nil || ti.Def != fi.Def {
			out = append(out, "DROP INDEX "+QName(f.Schema, fi.Name))
		}
	}
	for _, ti := range t.Indexes {
		iname := QName(t.Schema, ti.Name)
		switch fi := f.Index(ti.Name); {
		case fi == nil || fi.Def != ti.Def:
			out = append(out, ti.Def)
			out = append(out, comment("INDEX", iname, "", ti.Comment)...)
		default:
			out = append(out, comment("INDEX", iname, fi.Comment, ti.Comment)...)
		}
	}
	return out
}

// optionChanges returns the "key=value" options of to that from lacks or has with another
// value, and the keys of from's options that to lacks.
func optionChanges(from, to []string) (set, reset []string) {
	for _, o := range to {
		if !slices.Contains(from, o) {
			set = append(set, o)
		}
	}
	for _, o := range from {
		k, _, _ := strings.Cut(o, "=")
		if !slices.ContainsFunc(to, func(x string) bool { return strings.HasPrefix(x, k+"=") }) {
			reset = append(reset, k)
		}
	}
	return set, reset
}

// routineKind is the object kind a function statement names.
func routineKind(f *schema.Function) string {
	if f.Procedure {
		return "PROCEDURE"
	}
	return "FUNCTION"
}

// functionName names a function the way DROP and COMMENT ON take it: qualified, with the
// argument types that tell it from its overloads.
func functionName(f *schema.Function) string {
	return QName(f.Schema, f.Name) + "(" + f.Signature + ")"
}

// createFunction creates a function from its definition. pg_get_functiondef prints CREATE OR
// REPLACE; a function the plan adds must not exist yet, so the statement says CREATE and
// fails loudly on a target that has drifted, rather than overwrite what it finds.
func createFunction(f *schema.Function) []string {
	def := f.Def
	if rest, ok := strings.CutPrefix(def, "CREATE OR REPLACE "); ok {
		def = "CREATE " + rest
	}
	return append([]string{def}, comment(routineKind(f), functionName(f), "", f.Comment)...)
}
