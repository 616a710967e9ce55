package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/devdb"
)

// where returns "file:line" of object, or "-" when it is not found.
func where(l *Locations, object string, lookup bool) string {
	find := l.Find
	if lookup {
		find = l.Lookup
	}
	loc, ok := find(object)
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%s:%d", loc.File, loc.Line)
}

func checkFound(t *testing.T, l *Locations, want map[string]string) {
	t.Helper()
	for object, w := range want {
		if got := where(l, object, false); got != w {
			t.Errorf("Find(%q) = %s, want %s", object, got, w)
		}
	}
}

// TestScanTableObjects: triggers and policies are named after their table, event triggers
// unqualified, collations like types.
func TestScanTableObjects(t *testing.T) {
	l := Scan([]File{{Path: "t.sql", SQL: `SET search_path TO app;
CREATE TRIGGER touch BEFORE UPDATE OF a, b ON orders
  FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE OR REPLACE CONSTRAINT TRIGGER
  check_total AFTER INSERT ON public.lines DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION app.check_total();
CREATE POLICY "Own rows" ON orders USING (owner = current_user);
CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION app.audit();
CREATE COLLATION IF NOT EXISTS app.ci (provider = icu, locale = 'und', deterministic = false);
`}})
	for object, line := range map[string]int{
		"app.orders.touch":         2,
		"public.lines.check_total": 4,
		"app.orders.Own rows":      7,
		"audit_ddl":                8,
		"app.ci":                   9,
	} {
		loc, ok := l.Find(object)
		if !ok || loc.File != "t.sql" || loc.Line != line {
			t.Errorf("Find(%q) = %v, %v, want t.sql:%d", object, loc, ok, line)
		}
	}
}

func TestScanTables(t *testing.T) {
	l := Scan([]File{{Path: "s.sql", SQL: `CREATE TABLE Users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  Email text NOT NULL UNIQUE,
  age int CONSTRAINT age_positive CHECK (age > 0) DEFAULT 1,
  nick varchar(20) CHECK (length(nick) > 2),
  "Mixed" text,
  CONSTRAINT users_email_lower CHECK (email = lower(email)),
  UNIQUE (age, nick),
  CHECK (age < 200 AND nick <> '')
);
CREATE UNLOGGED TABLE IF NOT EXISTS app.posts (
  id serial,
  author bigint REFERENCES users (id) ON DELETE CASCADE,
  FOREIGN KEY (id, author) REFERENCES app.other (a, b)
);
ALTER TABLE ONLY app.posts
  ADD COLUMN title text,
  ALTER COLUMN author SET NOT NULL,
  ADD CONSTRAINT posts_title_check CHECK (title <> ''),
  ADD PRIMARY KEY (id);
ALTER TABLE users ADD score int;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON public.users USING btree (lower(email));
CREATE INDEX ON app.posts (author) INCLUDE (title);
CREATE INDEX
  posts_title_idx ON app.posts (title);
CREATE TYPE status AS ENUM ('new', 'paid');
CREATE DOMAIN app.positive AS int CHECK (VALUE > 0);
CREATE SEQUENCE IF NOT EXISTS app.counter;
CREATE SCHEMA IF NOT EXISTS app;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
COMMENT ON COLUMN users.age IS 'years';
COMMENT ON CONSTRAINT users_pkey ON users IS 'key';
CREATE TEMP TABLE scratch (x int);
`}})
	checkFound(t, l, map[string]string{
		"public.users":                    "s.sql:1",
		"public.users.id":                 "s.sql:2",
		"public.users_id_seq":             "s.sql:2",
		"public.users.users_pkey":         "s.sql:2",
		"public.users.email":              "s.sql:3",
		"public.users.users_email_key":    "s.sql:3",
		"public.users.age":                "s.sql:4",
		"public.users.age_positive":       "s.sql:4",
		"public.users.nick":               "s.sql:5",
		"public.users.users_nick_check":   "s.sql:5",
		"public.users.Mixed":              "s.sql:6",
		"public.users.users_email_lower":  "s.sql:7",
		"public.users.users_age_nick_key": "s.sql:8",
		"public.users.users_check":        "s.sql:9",
		"app.posts":                       "s.sql:11",
		"app.posts.id":                    "s.sql:12",
		"app.posts_id_seq":                "s.sql:12",
		"app.posts.author":                "s.sql:13",
		"app.posts.posts_author_fkey":     "s.sql:13",
		"app.posts.posts_id_author_fkey":  "s.sql:14",
		"app.posts.title":                 "s.sql:17",
		"app.posts.posts_title_check":     "s.sql:19",
		"app.posts.posts_pkey":            "s.sql:20",
		"public.users.score":              "s.sql:21",
		"public.users_email_idx":          "s.sql:22",
		"app.posts_author_title_idx":      "s.sql:23",
		"app.posts_title_idx":             "s.sql:24",
		"public.status":                   "s.sql:26",
		"app.positive":                    "s.sql:27",
		"app.counter":                     "s.sql:28",
		"app":                             "s.sql:29",
		"pgcrypto":                        "s.sql:30",
		"public.scratch":                  "-",
		"public.Users":                    "-",
	})
	if tb, ok := l.Table("public.users_email_idx"); !ok || tb != "public.users" {
		t.Errorf("Table(index) = %q, %v", tb, ok)
	}
	if got := len(l.Statements); got != 15 {
		t.Errorf("%d statements, want 15", got)
	}
	// The column is defined on line 4: the comment on line 31 does not move it.
	if got := where(l, "public.users.age", false); got != "s.sql:4" {
		t.Errorf("a commented column moved to %s", got)
	}
	if got := l.Statements[0].Objects[:3]; !slices.Equal(got, []string{"public.users", "public.users.id", "public.users.email"}) {
		t.Errorf("objects of the first statement %q", got)
	}
}

// TestScanLexical: semicolons, keywords and line breaks inside comments, strings, dollar
// quotes and quoted identifiers neither end a statement nor define anything.
func TestScanLexical(t *testing.T) {
	l := Scan([]File{{Path: "x.sql", SQL: `-- a comment; CREATE TABLE c1 (x int);
/* a block; /* nested; CREATE TABLE c2 (x int); */ still comment;
   CREATE TABLE c3 (x int); */ CREATE TABLE t1 (
  a text DEFAULT 'it''s; CREATE TABLE s1 (x int)',
  b text DEFAULT E'\'; CREATE TABLE s2 (x int);',
  "c;d" int
);
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$
  SELECT 1; CREATE TABLE d1 (x int); $$ not the end $$;
$body$;
CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $$ SELECT 2; $$;
CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC
  SELECT 1;
  SELECT CASE WHEN true THEN 1 END;
END;
CREATE TABLE "Odd.Name" ("Col.A" int, "we""ird" int);
CREATE TABLE t2 (x int)`}})
	checkFound(t, l, map[string]string{
		"public.t1":              "x.sql:3",
		"public.t1.a":            "x.sql:4",
		"public.t1.b":            "x.sql:5",
		"public.t1.c;d":          "x.sql:6",
		"public.Odd.Name":        "x.sql:16",
		"public.Odd.Name.Col.A":  "x.sql:16",
		`public.Odd.Name.we"ird`: "x.sql:16",
		"public.t2":              "x.sql:17",
		"public.c1":              "-",
		"public.c2":              "-",
		"public.c3":              "-",
		"public.s1":              "-",
		"public.s2":              "-",
		"public.d1":              "-",
		"public.odd.name":        "-",
	})
	if got := len(l.Statements); got != 6 {
		for _, s := range l.Statements {
			t.Logf("%s:%d %q", s.File, s.Line, s.Objects)
		}
		t.Errorf("%d statements, want 6", got)
	}
	// A column of a dotted table name falls back to the table.
	if got := where(l, "public.Odd.Name.missing", true); got != "x.sql:16" {
		t.Errorf("Lookup of a missing column of a dotted table: %s", got)
	}
}

// TestScanSearchPath: unqualified names resolve through the latest SET search_path, across
// files, the way the files run.
func TestScanSearchPath(t *testing.T) {
	l := Scan([]File{
		{Path: "01.sql", SQL: "CREATE TABLE a (x int);\nSET search_path TO app, public;\nCREATE TABLE b (x int);\n"},
		{Path: "02.sql", SQL: "CREATE TABLE c (x int);\nCREATE INDEX c_x_idx ON c (x);\n" +
			"SET search_path = \"$user\", \"Other\";\nCREATE TABLE d (x int);\n" +
			"SET SESSION search_path TO DEFAULT;\nCREATE TABLE e (x int);\n" +
			"SET search_path = 'My Schema';\nCREATE TABLE f (x int);\n" +
			"RESET search_path;\nCREATE TABLE g (x int);\nCREATE TABLE other.h (x int);\n"},
	})
	checkFound(t, l, map[string]string{
		"public.a":      "01.sql:1",
		"app.b":         "01.sql:3",
		"app.c":         "02.sql:1",
		"app.c_x_idx":   "02.sql:2",
		"Other.d":       "02.sql:4",
		"public.e":      "02.sql:6",
		"My Schema.f":   "02.sql:8",
		"public.g":      "02.sql:10",
		"other.h":       "02.sql:11",
		"public.b":      "-",
		"public.c":      "-",
		"app.c.x":       "02.sql:1",
		"My Schema.f.x": "02.sql:8",
	})
}

func TestLookupFallback(t *testing.T) {
	l := Scan([]File{
		{Path: "a.sql", SQL: "CREATE TABLE users (\n  id int,\n  email text\n);\n"},
		{Path: "b.sql", SQL: "\nCREATE INDEX users_email_idx ON users (email);\nCOMMENT ON COLUMN users.gone IS 'x';\n" +
			"CREATE OR REPLACE FUNCTION app.f(x int) RETURNS int LANGUAGE sql RETURN x;\nCREATE MATERIALIZED VIEW v AS SELECT 1;\n"},
	})
	for object, want := range map[string]string{
		"public.users":                   "a.sql:1",
		"public.users.email":             "a.sql:3",
		"public.users.nickname":          "a.sql:1", // a column written nowhere: its table
		"public.users.users_email_check": "a.sql:1", // an unknown constraint: its table
		"public.users_email_idx":         "b.sql:2",
		"public.users.gone":              "b.sql:3", // only a comment names it
		"app.f(integer)":                 "b.sql:4", // a function: by name, whatever its arguments
		"app.f":                          "b.sql:4",
		"public.v":                       "b.sql:5",
		"public.f(integer)":              "-",
		"public.users_name_idx":          "-", // an unknown index: no table to fall back to
		"public.sessions":                "-",
		"public.sessions.id":             "-",
		"app.users.email":                "-",
		"public":                         "-",
		"":                               "-",
	} {
		if got := where(l, object, true); got != want {
			t.Errorf("Lookup(%q) = %s, want %s", object, got, want)
		}
	}
	if got := where(l, "public.users.nickname", false); got != "-" {
		t.Errorf("Find of a missing column: %s", got)
	}
	var nl *Locations
	if got := where(nl, "public.users", true); got != "-" {
		t.Errorf("nil Locations: %s", got)
	}
}

func TestScanDirectives(t *testing.T) {
	l := Scan([]File{
		{Path: "a.sql", SQL: `-- sextant:nolint drop-column, narrow-type -- moved to profiles
CREATE TABLE users (id int);
CREATE TABLE orders (id int); -- sextant:nolint drop-table
-- an ordinary comment
/* sextant:nolint */
CREATE TABLE items (
  id int, -- sextant:nolint add-unique
  sku text
);
-- sextant:nolintx drop-table
-- see sextant:nolint drop-table
CREATE TABLE plain (id int);
CREATE TABLE two (id int);
-- sextant:nolint drop-index
`},
		{Path: "b.sql", SQL: "CREATE TABLE other (id int);\n"},
	})
	dirs := map[string]string{}
	for _, s := range l.Statements {
		var parts []string
		for _, d := range s.Nolint {
			parts = append(parts, fmt.Sprintf("%s:%d%q", d.File, d.Line, d.Analyzers))
		}
		dirs[s.Objects[0]] = strings.Join(parts, " ")
	}
	want := map[string]string{
		"public.users":  `a.sql:1["drop-column" "narrow-type"]`,
		"public.orders": `a.sql:3["drop-table"]`,
		"public.items":  `a.sql:5[] a.sql:7["add-unique"]`,
		"public.plain":  "",
		"public.two":    "",
		"public.other":  "", // a directive at the end of a file does not reach into the next
	}
	for object, w := range want {
		if got := dirs[object]; got != w {
			t.Errorf("directives of %s: %s, want %s", object, got, w)
		}
	}
	if got := l.Directives("public.items.sku"); len(got) != 2 {
		t.Errorf("directives of a column: %+v", got)
	}
	if got := len(l.AllDirectives()); got != 4 {
		t.Errorf("%d directives in all, want 4", got)
	}
}

func TestDirectivesInSQL(t *testing.T) {
	ds := Directives("-- sextant:nolint drop-column\nALTER TABLE public.users DROP COLUMN nickname; -- sextant:nolint\n" +
		"SELECT '-- sextant:nolint drop-table';")
	if len(ds) != 2 || ds[0].Line != 1 || !slices.Equal(ds[0].Analyzers, []string{"drop-column"}) ||
		ds[1].Line != 2 || len(ds[1].Analyzers) != 0 {
		t.Errorf("directives %+v", ds)
	}
}

func TestMakeName(t *testing.T) {
	long := strings.Repeat("a", 40)
	for _, c := range []struct{ n1, n2, label, want string }{
		{"users", "", "pkey", "users_pkey"},
		{"users", "email", "key", "users_email_key"},
		{long, strings.Repeat("b", 30), "fkey", strings.Repeat("a", 29) + "_" + strings.Repeat("b", 28) + "_fkey"},
		{long + long, "", "pkey", (long + long)[:58] + "_pkey"},
		{"tä" + strings.Repeat("x", 60), "", "key", "tä" + strings.Repeat("x", 56) + "_key"},
	} {
		if got := makeName(c.n1, c.n2, c.label); got != c.want || len(got) > 63 {
			t.Errorf("makeName(%q, %q, %q) = %q (%d bytes), want %q", c.n1, c.n2, c.label, got, len(got), c.want)
		}
	}
}

func TestSQLFiles(t *testing.T) {
	ctx := context.Background()
	if fs, err := SQLFiles(ctx, "postgres://u@h/db", Env{}); fs != nil || err != nil {
		t.Errorf("a database source has files: %v %v", fs, err)
	}
	fs, err := SQLFiles(ctx, "file://testdata/broken", Env{})
	if err != nil || len(fs) != 2 {
		t.Errorf("SQLFiles(dir) = %d files, %v", len(fs), err)
	}
	states := func(_ context.Context, schema, ref string) (string, error) {
		if schema == "app" && ref == "main" {
			return "CREATE TABLE t (id int);", nil
		}
		return "", fmt.Errorf("state %q of schema %q: not found", ref, schema)
	}
	fs, err = SQLFiles(ctx, "registry://app@main", Env{State: states})
	if err != nil || len(fs) != 1 || fs[0].Path != "registry://app@main" || fs[0].SQL != "CREATE TABLE t (id int);" {
		t.Errorf("SQLFiles(registry) = %+v, %v", fs, err)
	}
	for src, want := range map[string]string{
		"registry://app@dev": `source registry://app@dev: state "dev" of schema "app": not found`,
		"registry://app":     "want registry://<schema>@<tag or fingerprint>",
		"mysql://u@h/db":     `unsupported scheme "mysql"`,
		"schema.sql":         "not a URL",
	} {
		if _, err := SQLFiles(ctx, src, Env{State: states}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("SQLFiles(%s): error %v, want %q", src, err, want)
		}
	}
	if _, err := SQLFiles(ctx, "registry://app@main", Env{}); err == nil || !strings.Contains(err.Error(), "no registry configured") {
		t.Errorf("registry source without a registry: %v", err)
	}
}

// TestScanFindsEveryObject checks the scanner against the server on a file that leaves the
// server to name constraints, indexes and sequences: every object the server built from it
// must be found at a line of it. The convergence suite (internal/plan) checks the same on every
// case's from.sql and to.sql, which it builds anyway.
func TestScanFindsEveryObject(t *testing.T) {
	dev := &devdb.Lazy{URL: "local://postgres"}
	t.Cleanup(func() { dev.Close() })
	files := []File{{Path: "generated-names.sql", SQL: generatedNames}}
	r, err := LoadSQL(context.Background(), files, dev.Get)
	if err != nil {
		t.Fatal(err)
	}
	l := Scan(files)
	if missing := l.Missing(r); len(missing) > 0 {
		t.Errorf("not found: %v", missing)
	}
	lines := strings.Count(generatedNames, "\n") + 1
	for _, object := range objectNames(r) {
		if loc, _ := l.Find(object); loc.File != files[0].Path || loc.Line < 1 || loc.Line > lines {
			t.Errorf("%s at %s:%d", object, loc.File, loc.Line)
		}
	}
	if len(objectNames(r)) < 30 {
		t.Errorf("only %d objects: %v", len(objectNames(r)), objectNames(r))
	}
}

// generatedNames leaves the server to name constraints, indexes and sequences.
const generatedNames = `CREATE SCHEMA app;
SET search_path TO app;
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  age int CHECK (age > 0),
  nick varchar(20) CHECK (length(nick) > 2 AND nick <> email),
  UNIQUE (age, nick),
  CHECK (age < 200)
);
CREATE TABLE an_extremely_long_table_name_that_goes_on_and_on_for_a_while (
  id serial,
  another_extremely_long_column_name_that_also_goes_on bigint REFERENCES users,
  a int, b int,
  PRIMARY KEY (id),
  UNIQUE (a, b, another_extremely_long_column_name_that_also_goes_on)
);
CREATE INDEX ON users (lower(email));
CREATE INDEX ON users (lower(email), lower(nick));
CREATE INDEX ON users ((email::text), (age + 1), (CASE WHEN age > 1 THEN 1 END));
CREATE TABLE bookings (b box, EXCLUDE USING gist (b WITH &&), CHECK (b IS NOT NULL), CHECK (b IS NOT NULL));
CREATE INDEX ON users (age, nick) INCLUDE (email);
CREATE UNIQUE INDEX ON an_extremely_long_table_name_that_goes_on_and_on_for_a_while (a DESC NULLS LAST);
ALTER TABLE users ADD COLUMN score int CHECK (score >= 0), ADD UNIQUE (score);
CREATE TABLE public.items (id int);
ALTER TABLE public.items ADD FOREIGN KEY (id) REFERENCES users, ADD CHECK (id <> 0);
`

// BenchmarkScan scans every schema file of the convergence cases as one source.
func BenchmarkScan(b *testing.B) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "convergence", "*", "*.sql"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no convergence cases: %v", err)
	}
	var files []File
	size := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, File{Path: p, SQL: string(data)})
		size += len(data)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		Scan(files)
	}
}
