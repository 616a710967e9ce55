package diff

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/schema"
)

func realm(s ...*schema.Schema) *schema.Realm { return &schema.Realm{Dialect: "postgres", Schemas: s} }

func summary(changes []Change) []string {
	var out []string
	for _, c := range changes {
		s := c.Kind() + " " + c.Object()
		if v, ok := c.(*AddEnumValue); ok {
			s += fmt.Sprintf(" %s before=%q after=%q", v.Value, v.Before, v.After)
		}
		out = append(out, s)
	}
	return out
}

func TestEnumValues(t *testing.T) {
	enum := func(vals ...string) *schema.Realm {
		return realm(&schema.Schema{Name: "public", Enums: []*schema.Enum{{Schema: "public", Name: "mood", Values: vals}}})
	}
	tests := []struct {
		from, to []string
		want     []string
	}{
		{[]string{"b"}, []string{"a", "b", "c"}, []string{
			`add-enum-value public.mood a before="b" after=""`,
			`add-enum-value public.mood c before="" after="b"`,
		}},
		{[]string{"a", "c"}, []string{"a", "b1", "b2", "c"}, []string{
			`add-enum-value public.mood b1 before="" after="a"`,
			`add-enum-value public.mood b2 before="" after="b1"`,
		}},
		{[]string{"a", "b"}, []string{"b", "a"}, []string{"recreate-enum public.mood", "drop-replaced-enum public.mood"}},
		{[]string{"a", "b"}, []string{"a"}, []string{"recreate-enum public.mood", "drop-replaced-enum public.mood"}},
		{[]string{"a"}, []string{"a"}, nil},
	}
	for _, tt := range tests {
		got := summary(Realms(enum(tt.from...), enum(tt.to...)))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%v -> %v:\n got %q\nwant %q", tt.from, tt.to, got, tt.want)
		}
	}
}

// A primary key that changes takes the foreign keys that rest on it with it.
func TestForeignKeysOnReplacedKey(t *testing.T) {
	build := func(pkDef string) *schema.Realm {
		parent := &schema.Table{Schema: "public", Name: "parent",
			Columns:     []*schema.Column{{Name: "id", Type: "integer", NotNull: true}},
			Constraints: []*schema.Constraint{{Name: "parent_pkey", Kind: schema.PrimaryKey, Def: pkDef, Columns: []string{"id"}}}}
		child := &schema.Table{Schema: "public", Name: "child",
			Columns: []*schema.Column{{Name: "parent_id", Type: "integer"}},
			Constraints: []*schema.Constraint{{Name: "child_parent_fkey", Kind: schema.ForeignKey, Columns: []string{"parent_id"},
				Def: "FOREIGN KEY (parent_id) REFERENCES public.parent(id)", RefSchema: "public", RefTable: "parent", RefColumns: []string{"id"}}}}
		return realm(&schema.Schema{Name: "public", Tables: []*schema.Table{child, parent}})
	}
	got := summary(Realms(build("PRIMARY KEY (id)"), build("PRIMARY KEY (id) DEFERRABLE")))
	want := []string{
		"drop-constraint public.parent.parent_pkey", "add-constraint public.parent.parent_pkey",
		"drop-constraint public.child.child_parent_fkey", "add-constraint public.child.child_parent_fkey",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestColumnOrderIsNotAChange(t *testing.T) {
	tbl := func(cols ...string) *schema.Realm {
		t := &schema.Table{Schema: "public", Name: "t"}
		for _, c := range cols {
			t.Columns = append(t.Columns, &schema.Column{Name: c, Type: "text"})
		}
		return realm(&schema.Schema{Name: "public", Tables: []*schema.Table{t}})
	}
	a, b := tbl("x", "y"), tbl("y", "x")
	if got := Realms(a, b); len(got) != 0 {
		t.Errorf("changes %q", summary(got))
	}
	if schema.Fingerprint(a) != schema.Fingerprint(b) {
		t.Error("column order changed the fingerprint")
	}
}

func TestReplaceable(t *testing.T) {
	base := schema.Function{Schema: "public", Name: "f", Signature: "integer", Result: "integer",
		Params: []schema.Param{{Mode: "in", Name: "x", Type: "integer"}, {Mode: "in", Name: "y", Type: "integer"}}, Defaults: 1}
	change := func(edit func(*schema.Function)) *schema.Function {
		f := base
		f.Params = slices.Clone(base.Params)
		edit(&f)
		return &f
	}
	tests := []struct {
		name string
		to   *schema.Function
		want bool
	}{
		{"body only", change(func(f *schema.Function) { f.Def = "other" }), true},
		{"a default added", change(func(f *schema.Function) { f.Defaults = 2 }), true},
		{"a default removed", change(func(f *schema.Function) { f.Defaults = 0 }), false},
		{"result type", change(func(f *schema.Function) { f.Result = "bigint" }), false},
		{"parameter renamed", change(func(f *schema.Function) { f.Params[1].Name = "z" }), false},
		{"parameter mode", change(func(f *schema.Function) { f.Params[1].Mode = "inout" }), false},
		{"procedure", change(func(f *schema.Function) { f.Procedure, f.Result = true, "" }), false},
	}
	for _, tt := range tests {
		if got := Replaceable(&base, tt.to); got != tt.want {
			t.Errorf("%s: Replaceable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// viewRealm is a table t(a) with a view v over it and a view w over v.
func viewRealm(colType, vDef string) *schema.Realm {
	t := &schema.Table{Schema: "public", Name: "t", Columns: []*schema.Column{{Name: "a", Type: colType}}}
	v := &schema.View{Schema: "public", Name: "v", Def: vDef, Columns: []*schema.ViewColumn{{Name: "a", Type: colType}},
		DependsOn: []string{"column:public.t.a", "table:public.t"}}
	w := &schema.View{Schema: "public", Name: "w", Def: " SELECT v.a FROM public.v", Columns: []*schema.ViewColumn{{Name: "a", Type: colType}},
		DependsOn: []string{"view:public.v"}}
	return realm(&schema.Schema{Name: "public", Tables: []*schema.Table{t}, Views: []*schema.View{v, w}})
}

// A column type change takes the views that read it along, transitively; a query change
// that keeps the columns replaces the view in place and leaves the views over it alone.
func TestViewDependants(t *testing.T) {
	const def = " SELECT t.a FROM public.t"
	got := summary(Realms(viewRealm("integer", def), viewRealm("bigint", def)))
	want := []string{"modify-column public.t.a",
		"drop-view public.v", "recreate-view public.v", "drop-view public.w", "recreate-view public.w"}
	if !slices.Equal(got, want) {
		t.Errorf("retyped column:\n got %q\nwant %q", got, want)
	}
	got = summary(Realms(viewRealm("integer", def), viewRealm("integer", def+" WHERE t.a > 0")))
	if want := []string{"replace-view public.v"}; !slices.Equal(got, want) {
		t.Errorf("query change:\n got %q\nwant %q", got, want)
	}
}

// A function that must be dropped while a generated column or a domain that stays calls it
// cannot be planned; the error names both.
func TestDroppedFunctionUsersRefused(t *testing.T) {
	build := func(result string, gen bool) *schema.Realm {
		f := &schema.Function{Schema: "public", Name: "f", Signature: "integer", Result: result, Def: "def " + result,
			Params: []schema.Param{{Mode: "in", Name: "x", Type: "integer"}}}
		s := &schema.Schema{Name: "public", Functions: []*schema.Function{f}}
		if gen {
			f.UsedBy = []string{"default:public.t.b"}
			s.Tables = []*schema.Table{{Schema: "public", Name: "t", Columns: []*schema.Column{
				{Name: "a", Type: "integer"}, {Name: "b", Type: "integer", Generated: "public.f(a)"}}}}
		} else {
			f.UsedBy = []string{"type:public.d"}
			s.Domains = []*schema.Domain{{Schema: "public", Name: "d", Type: "integer",
				Checks: []*schema.Constraint{{Name: "d_check", Kind: schema.Check, Def: "CHECK (public.f(VALUE) > 0)"}}}}
		}
		return realm(s)
	}
	for _, tt := range []struct {
		gen  bool
		want string
	}{
		{true, "generated column public.t.b calls it"},
		{false, "domain public.d calls it"},
	} {
		_, err := Changes(build("integer", tt.gen), build("bigint", tt.gen))
		if err == nil || !strings.Contains(err.Error(), "function public.f(integer) must be dropped") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want an error naming the function and saying %q", err, tt.want)
		}
	}
	// A default that calls it is dropped before and set again after.
	f := func(result string) *schema.Realm {
		return realm(&schema.Schema{Name: "public",
			Functions: []*schema.Function{{Schema: "public", Name: "f", Signature: "", Result: result, Def: "def " + result, UsedBy: []string{"default:public.t.a"},
				Grants: DefaultGrants(GrantsOnFunction)}},
			Tables: []*schema.Table{{Schema: "public", Name: "t", Columns: []*schema.Column{{Name: "a", Type: "integer", Default: "public.f()"}}}}})
	}
	changes, err := Changes(f("integer"), f("bigint"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"drop-function public.f()", "recreate-function public.f()", "drop-default public.t.a", "modify-column public.t.a"}
	if got := summary(changes); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
