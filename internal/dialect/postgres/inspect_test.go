package postgres_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

func devServer(t testing.TB) source.DevFunc {
	t.Helper()
	dev := &devdb.Lazy{URL: "local://postgres"}
	t.Cleanup(func() {
		if err := dev.Close(); err != nil {
			t.Error(err)
		}
	})
	return dev.Get
}

func load(t *testing.T, dev source.DevFunc, name string) *schema.Realm {
	t.Helper()
	files, err := source.Files(filepath.Join("..", "..", "..", "testdata", "fingerprint", name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := source.LoadSQL(context.Background(), files, dev)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFingerprint(t *testing.T) {
	dev := devServer(t)
	a := load(t, dev, "order-a.sql")
	again := load(t, dev, "order-a.sql")
	b := load(t, dev, "order-b.sql")
	other := load(t, dev, "different.sql")
	fa := schema.Fingerprint(a)
	if len(a.Schemas) < 2 {
		t.Fatalf("order-a.sql inspected into %d schemas; the fixture is richer than that", len(a.Schemas))
	}
	if f := schema.Fingerprint(again); f != fa {
		t.Errorf("inspecting the same SQL twice: %s then %s", fa, f)
	}
	if f := schema.Fingerprint(b); f != fa {
		t.Errorf("same schema in another statement order: %s vs %s\n%s\n%s", fa, f, schema.Canonical(a), schema.Canonical(b))
	}
	if f := schema.Fingerprint(other); f == fa {
		t.Errorf("different.sql has the fingerprint of order-a.sql (%s)", f)
	}
}

// TestInspectLiveDatabase inspects through a postgres:// URL, the way a target is read.
func TestInspectLiveDatabase(t *testing.T) {
	ctx := context.Background()
	srv, err := devServer(t)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db, err := srv.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Drop(ctx)
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	sql, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "fingerprint", "order-a.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.PgConn().Exec(ctx, string(sql)).ReadAll(); err != nil {
		t.Fatal(err)
	}
	live, err := source.Load(ctx, db.URL, source.Env{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := schema.Fingerprint(live), schema.Fingerprint(load(t, devServer(t), "order-a.sql")); got != want {
		t.Errorf("live database %s, same SQL normalised %s", got, want)
	}

	// Aggregates and triggers on views are not modelled yet: inspect refuses by name rather
	// than drop them from the model. A trigger on a table is modelled.
	if _, err := conn.Exec(ctx, `CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE public.touched (id int);
CREATE TRIGGER touched_touch BEFORE INSERT ON public.touched FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE VIEW public.touched_v AS SELECT id FROM public.touched;
CREATE TRIGGER touched_v_insert INSTEAD OF INSERT ON public.touched_v FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE AGGREGATE public.total(int) (sfunc = int4pl, stype = int)`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Inspect(ctx, conn)
	want := []string{"aggregate public.total(integer)", "trigger touched_v_insert on public.touched_v"}
	if got := unsupportedNames(err); !slices.Equal(got, want) {
		t.Errorf("got %v, want an UnsupportedError naming %q", err, want)
	}

	// What the scope leaves out does not stop it: a trigger goes with its view, an aggregate
	// with its own name, everything with its schema.
	for _, tc := range []struct {
		scope      schema.Scope
		publicGone bool // the result is the scoped live realm from before the additions
	}{
		{scope: schema.Scope{Exclude: []string{"public.touched_v", "public.total"}}},
		{scope: schema.Scope{Exclude: []string{"public"}}, publicGone: true},
		{scope: schema.Scope{Include: []string{"elsewhere"}}, publicGone: true},
	} {
		r, err := postgres.InspectScope(ctx, conn, tc.scope)
		if err != nil {
			t.Errorf("scope %+v: %v", tc.scope, err)
			continue
		}
		if got, want := schema.Fingerprint(r), schema.Fingerprint(tc.scope.Apply(live)); tc.publicGone && got != want {
			t.Errorf("scope %+v: fingerprint %s, want %s", tc.scope, got, want)
		}
		if r.Schema("public") != nil && r.Schema("public").Table("touched") == nil {
			t.Errorf("scope %+v: the table public.touched is in scope but missing", tc.scope)
		}
	}
	_, err = postgres.InspectScope(ctx, conn, schema.Scope{Exclude: []string{"public.total"}})
	if got, want := unsupportedNames(err), want[1:]; !slices.Equal(got, want) {
		t.Errorf("excluding only the aggregate: got %v, want an UnsupportedError naming %q", err, want)
	}
}

// TestInspectRefusesUnmodelled: what Sextant does not model is named, never silently left out
// of the schema, down to the catalog objects few schemas use. The cast a range type makes for
// its multirange is the range type's, not a cast of its own.
func TestInspectRefusesUnmodelled(t *testing.T) {
	_, err := inspectSQL(t, `CREATE SCHEMA ts;
CREATE TEXT SEARCH DICTIONARY ts.plain (TEMPLATE = pg_catalog.simple);
CREATE OPERATOR FAMILY public.fam USING btree;
CREATE CONVERSION public.latin1_utf8 FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;
CREATE DOMAIN public.code AS text;
CREATE CAST (public.code AS integer) WITH INOUT;
CREATE TYPE public.span AS RANGE (subtype = float8);
CREATE TABLE public.pairs (a int, b int);
CREATE STATISTICS public.st ON a, b FROM public.pairs`)
	want := []string{
		"cast (public.code AS integer)",
		"conversion public.latin1_utf8",
		"operator family public.fam",
		"statistics object public.st",
		"text search dictionary ts.plain",
	}
	if got := unsupportedNames(err); !slices.Equal(got, want) {
		t.Errorf("got %v, want an UnsupportedError naming %q", err, want)
	}
}

// unsupportedNames returns the objects an *UnsupportedError names, or nil for another error.
func unsupportedNames(err error) []string {
	var ue *postgres.UnsupportedError
	if !errors.As(err, &ue) {
		return nil
	}
	var names []string
	for _, u := range ue.Objects {
		names = append(names, u.String())
	}
	return names
}
