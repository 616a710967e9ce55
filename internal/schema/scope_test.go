package schema

import (
	"errors"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"testing"
)

// scopeRealm builds a realm with every object kind in several schemas, the references Apply
// must leave alone (foreign keys, a type reference) and sequences owned by tables.
func scopeRealm() *Realm {
	id := func() *Column { return &Column{Name: "id", Type: "bigint", NotNull: true} }
	pk := func(table string) *Constraint {
		return &Constraint{Name: table + "_pkey", Kind: PrimaryKey, Def: "PRIMARY KEY (id)", Columns: []string{"id"}}
	}
	fk := func(name, refSchema, refTable string) *Constraint {
		return &Constraint{Name: name, Kind: ForeignKey, Def: "FOREIGN KEY (user_id) REFERENCES " + refSchema + "." + refTable + "(id)",
			Columns: []string{"user_id"}, RefSchema: refSchema, RefTable: refTable, RefColumns: []string{"id"}}
	}
	table := func(schema, name string, cs ...*Constraint) *Table {
		return &Table{Schema: schema, Name: name, Columns: []*Column{id()}, Constraints: append([]*Constraint{pk(name)}, cs...)}
	}
	seq := func(schema, name, ownedBy string) *Sequence {
		return &Sequence{Schema: schema, Name: name, OwnedBy: ownedBy,
			Opts: SequenceOpts{Type: "bigint", Start: 1, Increment: 1, Min: 1, Max: 1 << 62, Cache: 1}}
	}

	orders := table("public", "orders", fk("orders_user_fkey", "public", "users"))
	orders.Columns = append(orders.Columns,
		&Column{Name: "user_id", Type: "bigint"},
		&Column{Name: "status", Type: "legacy_status", TypeRef: "public.legacy_status"})
	orders.Indexes = []*Index{{Name: "orders_user_idx", Def: "CREATE INDEX orders_user_idx ON public.orders USING btree (user_id)",
		Method: "btree", Columns: []string{"user_id"}}}
	invoices := table("billing", "invoices", fk("invoices_user_fkey", "public", "users"))
	invoices.Columns = append(invoices.Columns, &Column{Name: "user_id", Type: "bigint"})

	return &Realm{
		Dialect: "postgres",
		Schemas: []*Schema{
			{
				Name:   "public",
				Tables: []*Table{table("public", "users"), orders, table("public", "legacy_items"), table("public", "legacy_log")},
				Enums: []*Enum{
					{Schema: "public", Name: "mood", Values: []string{"sad", "ok", "happy"}},
					{Schema: "public", Name: "legacy_status", Values: []string{"new", "done"}},
				},
				Domains: []*Domain{
					{Schema: "public", Name: "email", Type: "text", Checks: []*Constraint{{Name: "email_check", Kind: Check, Def: "CHECK (VALUE ~ '@')"}}},
					{Schema: "public", Name: "legacy_code", Type: "text"},
				},
				Sequences: []*Sequence{
					seq("public", "users_id_seq", "users.id"),
					seq("public", "legacy_log_id_seq", "legacy_log.id"),
					seq("public", "legacy_counter", ""),
					seq("public", "invoice_no", ""),
				},
				Views: []*View{
					{Schema: "public", Name: "user_list", Def: " SELECT users.id FROM public.users", DependsOn: []string{"table:public.users"}},
					{Schema: "public", Name: "legacy_report", Materialized: true, Def: " SELECT 1 AS one"},
				},
				Functions: []*Function{
					{Schema: "public", Name: "slug", Signature: "text", Def: "slug"},
					{Schema: "public", Name: "legacy_fn", Signature: "integer", Def: "int"},
					{Schema: "public", Name: "legacy_fn", Signature: "text", Def: "text", UsedBy: []string{"default:public.users.id"}},
				},
			},
			{Name: "billing", Comment: "money", Tables: []*Table{invoices}, Sequences: []*Sequence{seq("billing", "invoices_id_seq", "invoices.id")}},
			{Name: "audit", Tables: []*Table{table("audit", "events")}},
			{Name: "tmp_a", Tables: []*Table{table("tmp_a", "scratch")}},
			{Name: "tmp_b", Enums: []*Enum{{Schema: "tmp_b", Name: "e", Values: []string{"x"}}}},
		},
		Extensions: []*Extension{
			{Name: "pgcrypto", Schema: "public", Version: "1.3"},
			{Name: "pg_trgm", Schema: "audit", Version: "1.6"},
			{Name: "plpgsql", Schema: "pg_catalog", Version: "1.0"},
			{Name: "floating", Version: "1.0"}, // no schema
		},
	}
}

// inventory lists a realm's schemas and named objects as "kind name", sorted, so that a test
// states what a scope keeps as a short list.
func inventory(r *Realm) []string {
	var out []string
	for _, s := range r.Schemas {
		out = append(out, "schema "+s.Name)
		for _, t := range s.Tables {
			out = append(out, "table "+s.Name+"."+t.Name)
		}
		for _, e := range s.Enums {
			out = append(out, "enum "+s.Name+"."+e.Name)
		}
		for _, d := range s.Domains {
			out = append(out, "domain "+s.Name+"."+d.Name)
		}
		for _, q := range s.Sequences {
			out = append(out, "sequence "+s.Name+"."+q.Name)
		}
		for _, v := range s.Views {
			out = append(out, "view "+s.Name+"."+v.Name)
		}
		for _, f := range s.Functions {
			out = append(out, "function "+s.Name+"."+f.Key())
		}
	}
	for _, e := range r.Extensions {
		out = append(out, "extension "+e.Name)
	}
	slices.Sort(out)
	return out
}

// without returns the full inventory of scopeRealm less the given entries.
func without(drop ...string) []string {
	return slices.DeleteFunc(inventory(scopeRealm()), func(s string) bool { return slices.Contains(drop, s) })
}

func TestScopeApply(t *testing.T) {
	allPublic := []string{
		"schema public", "table public.users", "table public.orders", "table public.legacy_items", "table public.legacy_log",
		"enum public.mood", "enum public.legacy_status", "domain public.email", "domain public.legacy_code",
		"sequence public.users_id_seq", "sequence public.legacy_log_id_seq", "sequence public.legacy_counter", "sequence public.invoice_no",
		"view public.user_list", "view public.legacy_report", "function public.slug(text)", "function public.legacy_fn(integer)",
		"function public.legacy_fn(text)",
	}
	tests := []struct {
		name  string
		scope Scope
		want  []string
	}{
		{"exclude nothing matching", Scope{Exclude: []string{"nothing_*"}}, without()},
		{
			"include only",
			Scope{Include: []string{"public", "billing"}},
			// pg_trgm lives in audit and plpgsql in pg_catalog, neither included; an extension
			// without a schema stays.
			without("schema audit", "table audit.events", "schema tmp_a", "table tmp_a.scratch", "schema tmp_b", "enum tmp_b.e",
				"extension pg_trgm", "extension plpgsql"),
		},
		{
			"include a schema the realm lacks",
			Scope{Include: []string{"nowhere"}},
			[]string{"extension floating"},
		},
		{
			"exclude schema glob",
			Scope{Exclude: []string{"tmp_*", "audit"}},
			without("schema audit", "table audit.events", "schema tmp_a", "table tmp_a.scratch", "schema tmp_b", "enum tmp_b.e",
				"extension pg_trgm"),
		},
		{
			"include and exclude together",
			Scope{Include: []string{"public", "tmp_a"}, Exclude: []string{"tmp_*"}},
			append(slices.Clone(allPublic), "extension pgcrypto", "extension floating"),
		},
		{"exclude table", Scope{Exclude: []string{"public.legacy_items"}}, without("table public.legacy_items")},
		{"exclude enum", Scope{Exclude: []string{"public.legacy_status"}}, without("enum public.legacy_status")},
		{"exclude domain", Scope{Exclude: []string{"public.legacy_code"}}, without("domain public.legacy_code")},
		{"exclude sequence", Scope{Exclude: []string{"public.legacy_counter"}}, without("sequence public.legacy_counter")},
		{
			"exclude object glob across kinds",
			Scope{Exclude: []string{"public.legacy_*"}},
			without("table public.legacy_items", "table public.legacy_log", "enum public.legacy_status", "domain public.legacy_code",
				"sequence public.legacy_log_id_seq", "sequence public.legacy_counter", "view public.legacy_report",
				"function public.legacy_fn(integer)", "function public.legacy_fn(text)"),
		},
		{"exclude view", Scope{Exclude: []string{"public.user_list"}}, without("view public.user_list")},
		{
			"exclude a function with all its overloads",
			Scope{Exclude: []string{"public.legacy_fn"}},
			without("function public.legacy_fn(integer)", "function public.legacy_fn(text)"),
		},
		{
			"object glob is qualified by schema",
			Scope{Exclude: []string{"billing.legacy_*", "legacy_*"}},
			without(),
		},
		{
			"qualified glob keeps the schema itself",
			Scope{Exclude: []string{"tmp_a.*"}},
			without("table tmp_a.scratch"),
		},
		{
			"owned sequence follows its table",
			Scope{Exclude: []string{"public.legacy_log", "billing.invoices"}},
			without("table public.legacy_log", "sequence public.legacy_log_id_seq", "table billing.invoices", "sequence billing.invoices_id_seq"),
		},
		{
			"excluded sequence leaves its table",
			Scope{Exclude: []string{"public.users_id_seq"}},
			without("sequence public.users_id_seq"),
		},
		{"exclude extension by name", Scope{Exclude: []string{"pg_*"}}, without("extension pg_trgm", "extension plpgsql")},
		{
			"extension follows an excluded schema",
			Scope{Exclude: []string{"public"}},
			[]string{"extension floating", "extension pg_trgm", "extension plpgsql",
				"schema audit", "table audit.events", "schema billing", "table billing.invoices", "sequence billing.invoices_id_seq",
				"schema tmp_a", "table tmp_a.scratch", "schema tmp_b", "enum tmp_b.e"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.scope.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			got := inventory(tt.scope.Apply(scopeRealm()))
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("kept:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

// A scope that drops nothing must copy faithfully: same fingerprint, same dialect, same
// column order (Fingerprint ignores column order, the printed schema does not).
func TestScopeApplyCopiesFaithfully(t *testing.T) {
	r := scopeRealm()
	got := Scope{Exclude: []string{"nothing"}}.Apply(r)
	if Fingerprint(got) != Fingerprint(r) {
		t.Errorf("fingerprint changed: %s, want %s", Fingerprint(got), Fingerprint(r))
	}
	if got.Dialect != r.Dialect {
		t.Errorf("dialect %q, want %q", got.Dialect, r.Dialect)
	}
	var cols []string
	for _, c := range got.Schema("public").Table("orders").Columns {
		cols = append(cols, c.Name)
	}
	if want := []string{"id", "user_id", "status"}; !slices.Equal(cols, want) {
		t.Errorf("columns %v, want %v", cols, want)
	}
	if c := got.Schema("billing").Comment; c != "money" {
		t.Errorf("schema comment %q, want %q", c, "money")
	}
}

// A kept table's foreign key to an excluded table, and its column of an excluded type, stay:
// the referenced objects exist in the database, they are only unmanaged.
func TestScopeApplyKeepsReferencesToExcludedObjects(t *testing.T) {
	got := Scope{Exclude: []string{"public.users", "public.legacy_status"}}.Apply(scopeRealm())
	pub := got.Schema("public")
	if pub.Table("users") != nil {
		t.Fatal("public.users kept")
	}
	for _, tc := range []struct{ schema, table, fk string }{
		{"public", "orders", "orders_user_fkey"},
		{"billing", "invoices", "invoices_user_fkey"},
	} {
		tbl := got.Schema(tc.schema).Table(tc.table)
		if tbl == nil {
			t.Fatalf("%s.%s dropped", tc.schema, tc.table)
		}
		i := slices.IndexFunc(tbl.Constraints, func(c *Constraint) bool { return c.Name == tc.fk })
		if i < 0 {
			t.Fatalf("%s.%s lost %s", tc.schema, tc.table, tc.fk)
		}
		if c := tbl.Constraints[i]; c.RefSchema != "public" || c.RefTable != "users" {
			t.Errorf("%s references %s.%s, want public.users", tc.fk, c.RefSchema, c.RefTable)
		}
	}
	if c := pub.Table("orders").Column("status"); c == nil || c.TypeRef != "public.legacy_status" {
		t.Errorf("orders.status = %+v, want its reference to public.legacy_status kept", c)
	}
	// The index lives on the kept table and stays with it.
	if ix := pub.Table("orders").Indexes; len(ix) != 1 || ix[0].Name != "orders_user_idx" {
		t.Errorf("orders indexes = %v", ix)
	}
}

func TestScopeApplyDoesNotModifyInput(t *testing.T) {
	r := scopeRealm()
	before := Fingerprint(r)

	// Record every slice's backing array and length and every element pointer of the input.
	type header struct {
		first any
		n     int
	}
	snapshot := func() map[string]header {
		m := map[string]header{}
		put := func(key string, first any, n int) { m[key] = header{first, n} }
		put("schemas", &r.Schemas[0], len(r.Schemas))
		put("extensions", &r.Extensions[0], len(r.Extensions))
		for i, e := range r.Extensions {
			put("extension "+e.Name, e, i)
		}
		for i, s := range r.Schemas {
			put("schema "+s.Name, s, i)
			for i, t := range s.Tables {
				put("table "+s.Name+"."+t.Name, t, i)
				put("columns "+s.Name+"."+t.Name, &t.Columns[0], len(t.Columns))
				put("constraints "+s.Name+"."+t.Name, &t.Constraints[0], len(t.Constraints))
			}
			if len(s.Tables) > 0 {
				put("tables "+s.Name, &s.Tables[0], len(s.Tables))
			}
			if len(s.Enums) > 0 {
				put("enums "+s.Name, &s.Enums[0], len(s.Enums))
			}
			if len(s.Domains) > 0 {
				put("domains "+s.Name, &s.Domains[0], len(s.Domains))
			}
			if len(s.Sequences) > 0 {
				put("sequences "+s.Name, &s.Sequences[0], len(s.Sequences))
			}
		}
		return m
	}
	want := snapshot()

	scopes := []Scope{
		{Include: []string{"public"}},
		{Exclude: []string{"tmp_*", "public.legacy_*", "public.users", "pg_trgm"}},
		{Exclude: []string{"nothing"}}, // keeps everything, so every object is a candidate to share
	}
	for _, sc := range scopes {
		got := sc.Apply(r)
		if got == r {
			t.Fatalf("%+v: Apply returned its input", sc)
		}

		// The result shares no object with the input, so changing it cannot reach r.
		inputs := map[any]bool{}
		for _, h := range want {
			inputs[h.first] = true
		}
		for _, s := range got.Schemas {
			if inputs[s] {
				t.Errorf("%+v: schema %s shared with the input", sc, s.Name)
			}
			for _, tb := range s.Tables {
				if inputs[tb] || inputs[&tb.Columns[0]] || inputs[&tb.Constraints[0]] {
					t.Errorf("%+v: table %s.%s or its slices shared with the input", sc, s.Name, tb.Name)
				}
				tb.Name += "_changed"
				tb.Columns[0].Type = "text"
				tb.Columns = append(tb.Columns, &Column{Name: "added", Type: "text"})
			}
			if len(s.Tables) > 0 && inputs[&s.Tables[0]] {
				t.Errorf("%+v: tables of %s shared with the input", sc, s.Name)
			}
			for _, q := range s.Sequences {
				q.Opts.Start = 42
			}
		}
		for _, e := range got.Extensions {
			if inputs[e] {
				t.Errorf("%+v: extension %s shared with the input", sc, e.Name)
			}
			e.Version = "changed"
		}
		if len(got.Schemas) > 0 && inputs[&got.Schemas[0]] {
			t.Errorf("%+v: schema slice shared with the input", sc)
		}

		if after := Fingerprint(r); after != before {
			t.Fatalf("%+v: input fingerprint changed from %s to %s", sc, before, after)
		}
		now := snapshot()
		for k, h := range want {
			if now[k] != h {
				t.Errorf("%+v: input %s changed", sc, k)
			}
		}
		if len(now) != len(want) {
			t.Errorf("%+v: input has %d slices and objects, had %d", sc, len(now), len(want))
		}
	}
}

func TestScopeEmptyReturnsInput(t *testing.T) {
	r := scopeRealm()
	for _, sc := range []Scope{{}, {Include: []string{}, Exclude: []string{}}} {
		if !sc.Empty() {
			t.Errorf("%+v: not Empty", sc)
		}
		if got := sc.Apply(r); got != r {
			t.Errorf("%+v: Apply returned a copy, want the input itself", sc)
		}
	}
	if (Scope{Include: []string{"public"}}).Empty() || (Scope{Exclude: []string{"tmp_*"}}).Empty() {
		t.Error("a scope with a rule reports Empty")
	}
	if got := (Scope{Include: []string{"public"}}).Apply(nil); got != nil {
		t.Errorf("Apply(nil) = %v, want nil", got)
	}
}

// The result's fingerprint does not depend on the order of the input's objects.
func TestScopeApplyOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shuffle := func(r *Realm) *Realm {
		rng.Shuffle(len(r.Schemas), func(i, j int) { r.Schemas[i], r.Schemas[j] = r.Schemas[j], r.Schemas[i] })
		rng.Shuffle(len(r.Extensions), func(i, j int) { r.Extensions[i], r.Extensions[j] = r.Extensions[j], r.Extensions[i] })
		for _, s := range r.Schemas {
			rng.Shuffle(len(s.Tables), func(i, j int) { s.Tables[i], s.Tables[j] = s.Tables[j], s.Tables[i] })
			rng.Shuffle(len(s.Enums), func(i, j int) { s.Enums[i], s.Enums[j] = s.Enums[j], s.Enums[i] })
			rng.Shuffle(len(s.Domains), func(i, j int) { s.Domains[i], s.Domains[j] = s.Domains[j], s.Domains[i] })
			rng.Shuffle(len(s.Sequences), func(i, j int) { s.Sequences[i], s.Sequences[j] = s.Sequences[j], s.Sequences[i] })
			for _, t := range s.Tables {
				rng.Shuffle(len(t.Columns), func(i, j int) { t.Columns[i], t.Columns[j] = t.Columns[j], t.Columns[i] })
			}
		}
		return r
	}
	scopes := []Scope{
		{Include: []string{"billing", "public"}},
		{Exclude: []string{"tmp_*", "public.legacy_*", "public.users"}},
		{Include: []string{"public", "audit"}, Exclude: []string{"public.legacy_log", "pg_*"}},
	}
	for _, sc := range scopes {
		want := Fingerprint(sc.Apply(scopeRealm()))
		for range 20 {
			if got := Fingerprint(sc.Apply(shuffle(scopeRealm()))); got != want {
				t.Fatalf("%+v: fingerprint %s after shuffling, want %s", sc, got, want)
			}
		}
	}
}

func TestScopeValidate(t *testing.T) {
	tests := []struct {
		name  string
		scope Scope
		bad   []string // patterns the error must name; none means valid
	}{
		{"empty", Scope{}, nil},
		{"good globs", Scope{Include: []string{"public"}, Exclude: []string{"audit", "tmp_*", "public.legacy_?", "[a-c]*", `x\*`}}, nil},
		{"unclosed class", Scope{Exclude: []string{"["}}, []string{"["}},
		// Include holds names, not globs, so "[" there is just an odd schema name.
		{"include is not a glob", Scope{Include: []string{"["}}, nil},
		{"every bad pattern named", Scope{Exclude: []string{"tmp_[", "ok_*", `trailing\`}}, []string{"tmp_[", `trailing\`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.scope.Validate()
			if len(tt.bad) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate accepted a malformed pattern")
			}
			if !errors.Is(err, path.ErrBadPattern) {
				t.Errorf("error %v does not wrap path.ErrBadPattern", err)
			}
			for _, p := range tt.bad {
				if q := `"` + strings.ReplaceAll(p, `\`, `\\`) + `"`; !strings.Contains(err.Error(), q) {
					t.Errorf("error %q does not name pattern %s", err, q)
				}
			}
			if strings.Contains(err.Error(), "ok_*") {
				t.Errorf("error %q names a valid pattern", err)
			}
		})
	}
}

// Apply refuses a malformed glob rather than reading it as matching nothing, which would bring
// the objects it meant to exclude under management.
func TestScopeApplyPanicsOnBadPattern(t *testing.T) {
	defer func() {
		if v := recover(); v == nil || !strings.Contains(v.(string), `"["`) {
			t.Errorf("recovered %v, want a panic naming the pattern", v)
		}
	}()
	Scope{Exclude: []string{"["}}.Apply(scopeRealm())
}

func TestScopeKeeps(t *testing.T) {
	s := Scope{Include: []string{"app", "billing"}, Exclude: []string{"billing", "app.legacy_*"}}
	for _, tc := range []struct {
		schema, name string
		want         bool
	}{
		{"app", "", true},
		{"app", "users", true},
		{"app", "legacy_orders", false},
		{"billing", "invoices", false}, // the schema is excluded by name
		{"billing", "", false},
		{"public", "users", false}, // not included
	} {
		if got := s.Keeps(tc.schema, tc.name); got != tc.want {
			t.Errorf("Keeps(%q, %q) = %v, want %v", tc.schema, tc.name, got, tc.want)
		}
	}
	if !(Scope{}).Keeps("anything", "at_all") {
		t.Error("the empty scope must keep everything")
	}
}
