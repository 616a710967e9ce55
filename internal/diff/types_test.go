package diff

import (
	"slices"
	"testing"

	"github.com/sextant-db/sextant/internal/schema"
)

func TestCompositeChanges(t *testing.T) {
	comp := func(attrs ...string) *schema.Composite {
		c := &schema.Composite{Schema: "public", Name: "c"}
		for i := 0; i < len(attrs); i += 2 {
			c.Attributes = append(c.Attributes, &schema.Attribute{Name: attrs[i], Type: attrs[i+1]})
		}
		return c
	}
	used := func(c *schema.Composite) *schema.Realm {
		return realm(&schema.Schema{Name: "public", Composites: []*schema.Composite{c},
			Tables: []*schema.Table{{Schema: "public", Name: "t", Columns: []*schema.Column{{Name: "x", Type: "public.c", TypeRef: "public.c"}}}}})
	}
	unused := func(c *schema.Composite) *schema.Realm {
		return realm(&schema.Schema{Name: "public", Composites: []*schema.Composite{c}})
	}
	for _, tt := range []struct {
		name     string
		from, to *schema.Realm
		want     string
	}{
		{"append while used", used(comp("a", "int", "b", "text")), used(comp("a", "int", "b", "text", "c", "date")), "modify-composite-type public.c"},
		{"drop while used", used(comp("a", "int", "b", "text")), used(comp("b", "text")), "modify-composite-type public.c"},
		{"retype unused", unused(comp("a", "int")), unused(comp("a", "bigint")), "modify-composite-type public.c"},
		{"retype used", used(comp("a", "int")), used(comp("a", "bigint")), "recreate-composite-type public.c"},
		{"reorder", unused(comp("a", "int", "b", "text")), unused(comp("b", "text", "a", "int")), "recreate-composite-type public.c"},
		{"add before kept", unused(comp("b", "text")), unused(comp("a", "int", "b", "text")), "recreate-composite-type public.c"},
	} {
		got := summary(Realms(tt.from, tt.to))
		if !slices.Contains(got, tt.want) {
			t.Errorf("%s: got %q, want %q among them", tt.name, got, tt.want)
		}
	}
}

func TestCollationRecreateConvertsColumns(t *testing.T) {
	state := func(det bool) *schema.Realm {
		return realm(&schema.Schema{Name: "public",
			Collations: []*schema.Collation{{Schema: "public", Name: "My Coll", Provider: "icu", Locale: "und", Deterministic: det}},
			Tables: []*schema.Table{{Schema: "public", Name: "t", Columns: []*schema.Column{
				{Name: "a", Type: "text", Collation: `public."My Coll"`}, {Name: "b", Type: "text"}}}}})
	}
	changes := Realms(state(true), state(false))
	i := slices.IndexFunc(changes, func(c Change) bool { _, ok := c.(*RecreateType); return ok })
	if i < 0 {
		t.Fatalf("no recreate in %q", summary(changes))
	}
	r := changes[i].(*RecreateType)
	if r.Kind() != "recreate-collation" || len(r.Columns) != 1 || r.Columns[0].Column.Name != "a" {
		t.Errorf("got %s with %d columns, want recreate-collation converting column a", r.Kind(), len(r.Columns))
	}
}

func TestGrantsOfCreatedObjectsStartFromDefaults(t *testing.T) {
	fn := func(result string, grants ...schema.Grant) *schema.Realm {
		return realm(&schema.Schema{Name: "public", Functions: []*schema.Function{{Schema: "public", Name: "f",
			Result: result, Def: "def " + result, Grants: grants}}})
	}
	reader := schema.Grant{Grantee: "reader", Privilege: "EXECUTE"}
	// The function is recreated: its grant to reader is put back and PUBLIC's default revoked.
	changes := Realms(fn("integer", reader), fn("bigint", reader))
	var g *ModifyGrants
	for _, c := range changes {
		if x, ok := c.(*ModifyGrants); ok {
			g = x
		}
	}
	if g == nil || !slices.Equal(g.From, DefaultGrants(GrantsOnFunction)) || !slices.Equal(g.To, []schema.Grant{reader}) {
		t.Fatalf("got %q (%+v), want a grant change from the defaults to reader", summary(changes), g)
	}
	// An unchanged function with the same grants in another order changes nothing.
	public := schema.Grant{Grantee: "PUBLIC", Privilege: "EXECUTE"}
	if got := summary(Realms(fn("integer", reader, public), fn("integer", public, reader))); len(got) != 0 {
		t.Errorf("got %q, want no changes", got)
	}
}

func TestSplitQName(t *testing.T) {
	for in, want := range map[string][2]string{
		`public.de`:        {"public", "de"},
		`"My ""S"""."x.y"`: {`My "S"`, "x.y"},
		`pg_catalog."C"`:   {"pg_catalog", "C"},
	} {
		s, n, ok := SplitQName(in)
		if !ok || s != want[0] || n != want[1] {
			t.Errorf("SplitQName(%q) = %q, %q, %v; want %q", in, s, n, ok, want)
		}
	}
	if _, _, ok := SplitQName("nodot"); ok {
		t.Error("SplitQName accepted an unqualified name")
	}
}
