package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// TestInspectViewsAndFunctions checks what inspect records about views and functions, and
// above all their dependencies, which come from the catalog and not from the text: a name in
// a string or a comment is no dependency, a column is.
func TestInspectViewsAndFunctions(t *testing.T) {
	const sql = `
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('ok', 'sad');
CREATE TABLE app.t (id int CONSTRAINT t_pkey PRIMARY KEY, a int, b text, m app.mood[]);
CREATE FUNCTION app.inc(x int, step int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE STRICT RETURN x + step;
CREATE FUNCTION app.inc(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE RETURN x + 1;
CREATE FUNCTION app.total() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(a) FROM app.t; END;
CREATE FUNCTION app.rows_of() RETURNS SETOF app.t LANGUAGE sql AS 'SELECT * FROM app.t -- not a dependency: app.v';
CREATE PROCEDURE app.touch(IN x int, OUT y int) LANGUAGE plpgsql SECURITY DEFINER SET search_path = app AS $$ BEGIN y := x; END $$;
CREATE VIEW app.v WITH (security_barrier) AS SELECT id, app.inc(a) AS a1, 'app.t.b' AS label FROM app.t WHERE m IS NOT NULL;
CREATE VIEW app.g AS SELECT t.id, t.b FROM app.t GROUP BY t.id;
CREATE MATERIALIZED VIEW app.mv AS SELECT * FROM app.v;
CREATE INDEX mv_a1 ON app.mv (a1);
COMMENT ON VIEW app.v IS 'incremented';
COMMENT ON COLUMN app.v.a1 IS 'a plus one';
ALTER TABLE app.t ADD CONSTRAINT t_a_check CHECK (app.inc(a) > 0), ALTER COLUMN a SET DEFAULT app.inc(0);
CREATE INDEX t_inc ON app.t (app.inc(a));
CREATE DOMAIN app.positive AS int CHECK (app.inc(VALUE) > 1);
`
	r, err := source.LoadSQL(context.Background(), []source.File{{Path: "deps.sql", SQL: sql}}, devServer(t))
	if err != nil {
		t.Fatal(err)
	}
	s := r.Schema("app")
	if s == nil {
		t.Fatal("schema app missing")
	}
	keys := func() []string {
		var out []string
		for _, f := range s.Functions {
			out = append(out, f.Key())
		}
		return out
	}
	if got, want := keys(), []string{"inc(bigint)", "inc(integer, integer)", "rows_of()", "total()", "touch(integer)"}; !slices.Equal(got, want) {
		t.Fatalf("functions %q, want %q", got, want)
	}

	inc := s.Function("inc(integer, integer)")
	if inc.Args != "x integer, step integer DEFAULT 1" || inc.Defaults != 1 || inc.Result != "integer" ||
		inc.Volatility != "immutable" || !inc.Strict || inc.Language != "sql" {
		t.Errorf("inc: %+v", inc)
	}
	if want := []string{"constraint:app.t.t_a_check", "default:app.t.a", "index:app.t_inc", "type:app.positive"}; !slices.Equal(inc.UsedBy, want) {
		t.Errorf("inc is used by %q, want %q (views record their own use)", inc.UsedBy, want)
	}
	if want := []string{"column:app.t.a", "table:app.t"}; !slices.Equal(s.Function("total()").DependsOn, want) {
		t.Errorf("total depends on %q, want %q", s.Function("total()").DependsOn, want)
	}
	if want := []string{"table:app.t"}; !slices.Equal(s.Function("rows_of()").DependsOn, want) {
		t.Errorf("rows_of depends on %q, want %q (its row type; a string body records nothing)", s.Function("rows_of()").DependsOn, want)
	}
	touch := s.Function("touch(integer)")
	wantParams := []schema.Param{{Mode: "in", Name: "x", Type: "integer"}, {Mode: "out", Name: "y", Type: "integer"}}
	if !touch.Procedure || !touch.SecurityDefiner || !slices.Equal(touch.Config, []string{"search_path=app"}) || !slices.Equal(touch.Params, wantParams) {
		t.Errorf("touch: %+v", touch)
	}

	v := s.View("v")
	if want := []string{"column:app.t.a", "column:app.t.id", "column:app.t.m", "function:app.inc(integer, integer)", "table:app.t"}; !slices.Equal(v.DependsOn, want) {
		t.Errorf("v depends on %q, want %q", v.DependsOn, want)
	}
	if !slices.Equal(v.Options, []string{"security_barrier=true"}) || v.Comment != "incremented" || v.Columns[1].Comment != "a plus one" || v.Columns[1].Name != "a1" {
		t.Errorf("v: %+v", v)
	}
	if want := []string{"column:app.t.b", "column:app.t.id", "constraint:app.t.t_pkey", "table:app.t"}; !slices.Equal(s.View("g").DependsOn, want) {
		t.Errorf("g depends on %q, want %q (GROUP BY a primary key uses the key)", s.View("g").DependsOn, want)
	}
	mv := s.View("mv")
	if !mv.Materialized || len(mv.Indexes) != 1 || mv.Indexes[0].Name != "mv_a1" || !slices.Equal(mv.DependsOn, []string{"view:app.v"}) {
		t.Errorf("mv: %+v", mv)
	}

	// Dependencies follow from the definitions: they are not part of the fingerprint.
	before := schema.Fingerprint(r)
	v.DependsOn, inc.UsedBy = nil, nil
	if schema.Fingerprint(r) != before {
		t.Error("dependency lists changed the fingerprint")
	}
}
