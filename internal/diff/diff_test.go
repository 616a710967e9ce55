package diff

import (
	"fmt"
	"slices"
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
