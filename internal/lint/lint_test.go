package lint_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// lintCase is one migration and the analyzers that must report on it. Every analyzer has a
// case in which it fires (it is in want) and a close case in which it must not (it is in not).
type lintCase struct {
	name     string
	from, to string
	cfg      lint.Config
	// edit changes the generated plan before linting, as a person editing a plan file would.
	edit func(*plan.Plan)
	// effects, when set, simulates the plan: each statement whose SQL contains a key gets
	// that entry, every other statement empty effects.
	effects map[string]plan.Effects
	// simulate rehearses the (edited) plan on the dev database with lint.Simulate instead.
	simulate bool
	// want is exactly the set of analyzers that report.
	want []string
	// not names the analyzers this case is the close, must-not-fire case for.
	not []string
	// messages are substrings that some diagnostic's message must contain.
	messages []string
}

const users = `CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(100), age integer,
	price numeric(10,2), born timestamp, token text);`

var lintCases = []lintCase{
	// destructive
	{name: "drop schema", from: `CREATE SCHEMA app; CREATE TABLE app.t (id int);`, to: ``,
		want: []string{"drop-schema", "drop-table"}, messages: []string{"together with its 1 table"}},
	{name: "add schema", from: ``, to: `CREATE SCHEMA app;`, not: []string{"drop-schema"}},
	{name: "drop table", from: `CREATE TABLE t (id int); CREATE TABLE keep (id int);`, to: `CREATE TABLE keep (id int);`,
		want: []string{"drop-table"}, messages: []string{"dropping table public.t deletes its rows"}},
	{name: "add table", from: `CREATE TABLE keep (id int);`, to: `CREATE TABLE keep (id int); CREATE TABLE t (id int);`,
		not: []string{"drop-table"}},
	{name: "drop column", from: users, to: strings.Replace(users, ", token text", "", 1),
		want: []string{"drop-column"}, messages: []string{"dropping column public.users.token deletes its data"}},
	{name: "generated column re-created", from: `CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);`,
		to:   `CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 3) STORED);`,
		want: []string{"table-rewrite"}, not: []string{"drop-column", "possible-rename"}},
	{name: "drop index", from: `CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a);`, to: `CREATE TABLE t (a int);`,
		want: []string{"drop-index", "drop-index-not-concurrently"}, messages: []string{"DROP INDEX CONCURRENTLY public.t_a_idx"}},
	{name: "index definition changed", from: `CREATE TABLE t (a int, b int); CREATE INDEX t_a_idx ON t (a);`,
		to:   `CREATE TABLE t (a int, b int); CREATE INDEX t_a_idx ON t (a, b);`,
		want: []string{"create-index-not-concurrently", "drop-index-not-concurrently"}, not: []string{"drop-index", "make-index-unique", "add-unique"}},
	{name: "drop table with its index", from: `CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a);`, to: ``,
		want: []string{"drop-table"}, not: []string{"drop-index", "drop-index-not-concurrently"}},
	{name: "drop constraint", from: `CREATE TABLE t (a int CONSTRAINT a_positive CHECK (a > 0));`, to: `CREATE TABLE t (a int);`,
		want: []string{"drop-constraint"}, messages: []string{"dropping check constraint public.t.a_positive"}},
	{name: "constraint definition changed", from: `CREATE TABLE t (a int CONSTRAINT a_positive CHECK (a > 0));`,
		to:   `CREATE TABLE t (a int CONSTRAINT a_positive CHECK (a > 1));`,
		want: []string{"check-without-not-valid"}, not: []string{"drop-constraint"}},
	{name: "drop sequence", from: `CREATE SEQUENCE invoice_no;`, to: ``, want: []string{"drop-sequence"}},
	{name: "drop table with its serial", from: `CREATE TABLE t (id serial, x int);`, to: ``,
		want: []string{"drop-table"}, not: []string{"drop-sequence"}},
	{name: "drop view", from: `CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;`, to: `CREATE TABLE t (a int);`,
		want: []string{"drop-view"}, messages: []string{"dropping view public.v: queries that still select from it fail"}},
	{name: "drop materialized view", from: `CREATE TABLE t (a int); CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;`,
		to: `CREATE TABLE t (a int);`, want: []string{"drop-view"}, messages: []string{"dropping materialized view public.mv"}},
	{name: "view recreated around a column type change", from: `CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;`,
		to: `CREATE TABLE t (a bigint); CREATE VIEW v AS SELECT a FROM t;`, want: []string{"column-type-rewrite"}, not: []string{"drop-view"}},
	{name: "drop function", from: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN x;`, to: ``,
		want: []string{"drop-function"}, messages: []string{"dropping function public.f(integer): code that still calls it fails"}},
	{name: "drop function with an overload left", from: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN x;`,
		to: `CREATE FUNCTION f(x bigint) RETURNS bigint LANGUAGE sql RETURN x;`, want: []string{"drop-function"},
		messages: []string{"or calls public.f(bigint) instead where the arguments fit"}},
	{name: "drop procedure", from: `CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';`, to: ``,
		want: []string{"drop-function"}, messages: []string{"dropping procedure public.p()"}},
	{name: "function recreated for a new result type", from: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN x;`,
		to: `CREATE FUNCTION f(x int) RETURNS bigint LANGUAGE sql RETURN x;`, not: []string{"drop-function"}},

	// data-dependent
	{name: "add NOT NULL column", from: `CREATE TABLE t (id int);`, to: `CREATE TABLE t (id int, email text NOT NULL);`,
		want: []string{"add-not-null-column"}, messages: []string{"without a default fails if public.t has any rows"}},
	{name: "add NOT NULL column with a default", from: `CREATE TABLE t (id int);`, to: `CREATE TABLE t (id int, email text NOT NULL DEFAULT '');`,
		not: []string{"add-not-null-column", "volatile-default"}},
	{name: "new table with a NOT NULL column", from: ``, to: `CREATE TABLE t (id int, email text NOT NULL);`,
		not: []string{"add-not-null-column"}},
	{name: "set NOT NULL", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int NOT NULL);`,
		want: []string{"set-not-null"}},
	{name: "drop NOT NULL", from: `CREATE TABLE t (a int NOT NULL);`, to: `CREATE TABLE t (a int);`,
		not: []string{"set-not-null"}},
	{name: "add unique constraint", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int UNIQUE);`,
		want:     []string{"add-unique", "create-index-not-concurrently"},
		messages: []string{"adding unique constraint public.t.t_a_key fails if public.t holds duplicate values in (a)", "ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_key"}},
	{name: "add primary key", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int PRIMARY KEY);`,
		want: []string{"add-unique", "create-index-not-concurrently", "set-not-null"}, messages: []string{"duplicates or NULLs in (a)"}},
	{name: "add unique index", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a_uidx ON t (a);`,
		want:     []string{"add-unique", "create-index-not-concurrently"},
		messages: []string{"creating unique index public.t_a_uidx fails"}},
	{name: "new table with a unique constraint", from: ``, to: `CREATE TABLE t (a int UNIQUE); CREATE UNIQUE INDEX t_b ON t (a);`,
		not: []string{"add-unique", "create-index-not-concurrently"}},
	{name: "make index unique", from: `CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a);`,
		to:   `CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a_idx ON t (a);`,
		want: []string{"make-index-unique", "create-index-not-concurrently", "drop-index-not-concurrently"}},
	{name: "narrow varchar", from: users, to: strings.Replace(users, "varchar(100)", "varchar(20)", 1),
		want: []string{"narrow-type", "column-type-rewrite"}, messages: []string{"values longer than 20 characters are cut off silently"}},
	{name: "narrow text to varchar", from: users, to: strings.Replace(users, "email text", "email varchar(50)", 1),
		want: []string{"narrow-type", "column-type-rewrite"}},
	{name: "narrow bigint to integer", from: `CREATE TABLE t (n bigint);`, to: `CREATE TABLE t (n integer);`,
		want: []string{"narrow-type", "column-type-rewrite"}, messages: []string{"fails if a value is outside the range of integer"}},
	{name: "narrow numeric scale", from: users, to: strings.Replace(users, "numeric(10,2)", "numeric(10,1)", 1),
		want: []string{"narrow-type", "column-type-rewrite"}, messages: []string{"rounded to 1 decimal places"}},
	{name: "widen varchar", from: users, to: strings.Replace(users, "varchar(100)", "varchar(200)", 1),
		not: []string{"narrow-type", "column-type-rewrite", "change-column-type"}},
	{name: "widen integer", from: users, to: strings.Replace(users, "age integer", "age bigint", 1),
		want: []string{"column-type-rewrite"}, not: []string{"narrow-type", "change-column-type"},
		messages: []string{"changing public.users.age from integer to bigint rewrites public.users"}},
	{name: "drop enum value", from: `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (m mood);`,
		to:   `CREATE TYPE mood AS ENUM ('sad', 'happy'); CREATE TABLE t (m mood);`,
		want: []string{"drop-enum-value", "table-rewrite"}, messages: []string{"removing value 'ok' from enum public.mood: converting public.t.m fails"}},
	{name: "reorder enum values", from: `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (m mood);`,
		to:   `CREATE TYPE mood AS ENUM ('ok', 'sad', 'happy'); CREATE TABLE t (m mood);`,
		want: []string{"table-rewrite"}, not: []string{"drop-enum-value"},
		messages: []string{"converting public.t.m to the recreated type public.mood rewrites public.t"}},
	{name: "drop value of an unused enum", from: `CREATE TYPE mood AS ENUM ('sad', 'ok');`, to: `CREATE TYPE mood AS ENUM ('sad');`,
		not: []string{"drop-enum-value"}},

	// backward-incompatible
	{name: "change column type", from: users, to: strings.Replace(users, "age integer", "age text", 1),
		want: []string{"change-column-type", "column-type-rewrite"}},
	{name: "varchar to text", from: users, to: strings.Replace(users, "varchar(100)", "text", 1),
		not: []string{"change-column-type", "column-type-rewrite", "narrow-type"}},
	{name: "rename column", from: `CREATE TABLE t (id int, mail text);`, to: `CREATE TABLE t (id int, email text);`,
		want: []string{"drop-column", "possible-rename"}, messages: []string{"public.t.mail is dropped and public.t.email added with the same type"}},
	{name: "rename table", from: `CREATE TABLE customers (id int, name text);`, to: `CREATE TABLE clients (id int, name text);`,
		want: []string{"drop-table", "possible-rename"}},
	{name: "partition key change", from: `CREATE TABLE e (id int, d date) PARTITION BY RANGE (d);`,
		to:   `CREATE TABLE e (id int, d date) PARTITION BY RANGE (id);`,
		want: []string{"drop-table"}, messages: []string{"the partitioning of table public.e changes in a way PostgreSQL cannot alter"}},
	{name: "partition bound change", from: `CREATE TABLE e (id int) PARTITION BY RANGE (id); CREATE TABLE e1 PARTITION OF e FOR VALUES FROM (0) TO (10);`,
		to:  `CREATE TABLE e (id int) PARTITION BY RANGE (id); CREATE TABLE e1 PARTITION OF e FOR VALUES FROM (0) TO (20);`,
		not: []string{"drop-table"}},
	{name: "drop one column and add another", from: `CREATE TABLE t (id int, n int);`, to: `CREATE TABLE t (id int, email text);`,
		want: []string{"drop-column"}, not: []string{"possible-rename"}},

	// dialect
	{name: "concurrently in a transaction", from: `CREATE TABLE t (a int, b int);`,
		to: `CREATE TABLE t (a int, b int NOT NULL DEFAULT 0); CREATE INDEX t_a_idx ON t (a);`,
		edit: func(p *plan.Plan) {
			for i, s := range p.Statements {
				if strings.HasPrefix(s.SQL, "CREATE INDEX") {
					p.Statements[i].SQL = strings.Replace(s.SQL, "INDEX", "INDEX CONCURRENTLY", 1)
				}
			}
		},
		want: []string{"concurrently-in-transaction", "set-not-null"}, messages: []string{"shares its transaction with 2 other statements"}},
	{name: "concurrently alone in its transaction", from: `CREATE TABLE t (a int, b int);`,
		to: `CREATE TABLE t (a int, b int NOT NULL DEFAULT 0); CREATE INDEX t_a_idx ON t (a);`,
		edit: func(p *plan.Plan) {
			for i, s := range p.Statements {
				if strings.HasPrefix(s.SQL, "CREATE INDEX") {
					p.Statements[i].SQL = strings.Replace(s.SQL, "INDEX", "INDEX CONCURRENTLY", 1)
					p.Statements[i].Tx = 1
				}
			}
		},
		want: []string{"set-not-null"}, not: []string{"concurrently-in-transaction", "create-index-not-concurrently"}},
	{name: "concurrently in a comment", from: `CREATE TABLE t (a int);`,
		to:  `CREATE TABLE t (a int); COMMENT ON TABLE t IS 'built concurrently'; CREATE TABLE u (a int);`,
		not: []string{"concurrently-in-transaction"}},

	// naming
	{name: "naming", from: `CREATE TABLE "Legacy" (id int);`,
		to:   `CREATE TABLE "Legacy" (id int, "badColumn" int, good_column int); CREATE TABLE "Users" (id int CONSTRAINT users_pk PRIMARY KEY); CREATE INDEX "IdxLegacy" ON "Legacy" (id);`,
		cfg:  lint.Config{Naming: lint.NamingPatterns{Table: "[a-z_]+", Column: "[a-z_]+", Index: "[a-z_]+_idx", Constraint: "[a-z_]+_pkey"}},
		want: []string{"naming-convention", "create-index-not-concurrently"},
		messages: []string{`table name "Users" does not match the naming pattern "[a-z_]+" (lint.naming.table)`,
			`column name "badColumn"`, `index name "IdxLegacy"`, `constraint name "users_pk"`}},
	{name: "naming of kept names", from: `CREATE TABLE "Legacy" (id int);`,
		to:  `CREATE TABLE "Legacy" (id int, good_column int);`,
		cfg: lint.Config{Naming: lint.NamingPatterns{Table: "[a-z_]+", Column: "[a-z_]+"}}, not: []string{"naming-convention"}},
	{name: "naming without patterns", from: ``, to: `CREATE TABLE "Users" ("badColumn" int);`, not: []string{"naming-convention"}},

	// locking
	{name: "create index", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a);`,
		want:     []string{"create-index-not-concurrently"},
		messages: []string{"blocks writes to public.t for the whole build"}},
	{name: "create index on a new table", from: ``, to: `CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a);`,
		not: []string{"create-index-not-concurrently"}},
	{name: "add foreign key", from: `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int);`,
		to:   `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p);`,
		want: []string{"foreign-key-without-not-valid"},
		messages: []string{"SHARE ROW EXCLUSIVE on public.c and public.p",
			"NOT VALID; then, in a later transaction, ALTER TABLE public.c VALIDATE CONSTRAINT c_pid_fkey"}},
	{name: "add foreign key NOT VALID", from: `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int);`,
		to:  `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int); ALTER TABLE c ADD CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES p NOT VALID;`,
		not: []string{"foreign-key-without-not-valid"}},
	{name: "new table with a foreign key", from: `CREATE TABLE p (id int PRIMARY KEY);`,
		to:  `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p);`,
		not: []string{"foreign-key-without-not-valid"}},
	{name: "add check", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int CONSTRAINT a_positive CHECK (a > 0));`,
		want: []string{"check-without-not-valid"}},
	{name: "add check NOT VALID", from: `CREATE TABLE t (a int);`,
		to:  `CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT a_positive CHECK (a > 0) NOT VALID;`,
		not: []string{"check-without-not-valid"}},
	{name: "validate constraint", from: `CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT a_positive CHECK (a > 0) NOT VALID;`,
		to:  `CREATE TABLE t (a int CONSTRAINT a_positive CHECK (a > 0));`,
		not: []string{"check-without-not-valid"}},
	{name: "volatile default", from: `CREATE TABLE t (id int);`, to: `CREATE TABLE t (id int, token uuid DEFAULT gen_random_uuid());`,
		want: []string{"volatile-default"}, messages: []string{"volatile default gen_random_uuid() computes it for every existing row: public.t is rewritten"}},
	{name: "volatile default clock_timestamp", from: `CREATE TABLE t (id int);`, to: `CREATE TABLE t (id int, seen timestamptz NOT NULL DEFAULT clock_timestamp());`,
		want: []string{"volatile-default"}},
	{name: "identity column added", from: `CREATE TABLE t (id int);`, to: `CREATE TABLE t (id int, n bigint GENERATED ALWAYS AS IDENTITY);`,
		want: []string{"volatile-default"}, not: []string{"add-not-null-column"}, messages: []string{"identity column public.t.n numbers every existing row"}},
	{name: "serial column added", from: `CREATE TABLE t (id int);`, to: `CREATE TABLE t (id int, n serial);`,
		want: []string{"volatile-default"}},
	{name: "stable default", from: `CREATE TABLE t (id int);`, to: `CREATE TABLE t (id int, created timestamptz NOT NULL DEFAULT now());`,
		not: []string{"volatile-default", "add-not-null-column"}},
	{name: "new table with a volatile default", from: ``, to: `CREATE TABLE t (id int, token uuid DEFAULT gen_random_uuid());`,
		not: []string{"volatile-default"}},
	{name: "collation only", from: `CREATE TABLE t (a text);`, to: `CREATE TABLE t (a text COLLATE "C");`,
		not: []string{"column-type-rewrite", "change-column-type"}},
	{name: "set unlogged", from: `CREATE TABLE t (a int);`, to: `CREATE UNLOGGED TABLE t (a int);`,
		want: []string{"table-rewrite"}, messages: []string{"SET UNLOGGED rewrites public.t"}},
	{name: "add generated column", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);`,
		want: []string{"table-rewrite"}},
	{name: "new table with a generated column", from: ``, to: `CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);`,
		not: []string{"table-rewrite"}},
	{name: "table comment", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int); COMMENT ON TABLE t IS 'x';`,
		not: []string{"table-rewrite"}},

	// measured effects
	{name: "measured SET NOT NULL scan", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int NOT NULL);`,
		effects: map[string]plan.Effects{"SET NOT NULL": {Locks: []plan.Lock{{Relation: "public.t", Mode: "AccessExclusiveLock"}}, Scanned: []string{"public.t"}}},
		want:    []string{"set-not-null", "blocking-lock"},
		messages: []string{"the statement holds ACCESS EXCLUSIVE on public.t while reading the whole table: reads and writes wait until it ends " +
			"(measured: ACCESS EXCLUSIVE on public.t, full scan of public.t)"}},
	{name: "measured brief lock", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int, b int);`,
		effects: map[string]plan.Effects{"ADD COLUMN": {Locks: []plan.Lock{{Relation: "public.t", Mode: "AccessExclusiveLock"}}}},
		not:     []string{"blocking-lock"}},
	{name: "measured create index", from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a);`,
		effects: map[string]plan.Effects{"CREATE INDEX": {Locks: []plan.Lock{{Relation: "public.t", Mode: "ShareLock"}, {Relation: "public.t_a_idx", Mode: "AccessExclusiveLock"}}, Scanned: []string{"public.t"}}},
		want:    []string{"create-index-not-concurrently"},
		messages: []string{"(measured: SHARE on public.t, full scan of public.t)",
			"CREATE INDEX CONCURRENTLY t_a_idx ON public.t USING btree (a), in a transaction of its own"}},
	{name: "measured type change without rewrite", from: `CREATE TABLE t (a timestamp);`, to: `CREATE TABLE t (a timestamptz);`,
		effects: map[string]plan.Effects{"TYPE": {Locks: []plan.Lock{{Relation: "public.t", Mode: "AccessExclusiveLock"}}}},
		want:    []string{"change-column-type"}, not: []string{"column-type-rewrite"}},
	{name: "static type change that may rewrite", from: `CREATE TABLE t (a timestamp);`, to: `CREATE TABLE t (a timestamptz);`,
		want: []string{"change-column-type", "column-type-rewrite"}, messages: []string{"unless the server's TimeZone is UTC"}},
	{name: "measured type change with rewrite", from: `CREATE TABLE t (a varchar(10));`, to: `CREATE TABLE t (a varchar(20));`,
		effects: map[string]plan.Effects{"TYPE": {Locks: []plan.Lock{{Relation: "public.t", Mode: "AccessExclusiveLock"}}, Rewritten: []string{"public.t"}}},
		want:    []string{"column-type-rewrite"},
		messages: []string{"changing public.t.a from character varying(10) to character varying(20) rewrites public.t: reads and writes wait " +
			"(measured: ACCESS EXCLUSIVE on public.t, table rewritten)"}},
	{name: "measured rewrite by a stable-looking default", from: `CREATE TABLE t (id int);`, to: `CREATE TABLE t (id int, created timestamptz DEFAULT now());`,
		effects:  map[string]plan.Effects{"ADD COLUMN": {Locks: []plan.Lock{{Relation: "public.t", Mode: "AccessExclusiveLock"}}, Rewritten: []string{"public.t"}}},
		want:     []string{"volatile-default"},
		messages: []string{"with the default now() computes it for every existing row: public.t is rewritten and reads and writes wait (measured:"}},
	{name: "measured volatile default without rewrite", from: `CREATE TABLE t (id int);`, to: `CREATE TABLE t (id int, token uuid DEFAULT gen_random_uuid());`,
		effects: map[string]plan.Effects{},
		not:     []string{"volatile-default", "table-rewrite", "blocking-lock"}},
	{name: "measured foreign key", from: `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int);`,
		to: `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p);`,
		effects: map[string]plan.Effects{"FOREIGN KEY": {Locks: []plan.Lock{{Relation: "public.c", Mode: "ShareRowExclusiveLock"},
			{Relation: "public.p", Mode: "ShareRowExclusiveLock"}, {Relation: "public.p_pkey", Mode: "AccessShareLock"}}, Scanned: []string{"public.c"}}},
		want:     []string{"foreign-key-without-not-valid"},
		messages: []string{"(measured: SHARE ROW EXCLUSIVE on public.c and public.p, full scan of public.c)"}},
	{name: "failed statement: later ones fall back to static rules", from: `CREATE TABLE t (a int);`,
		to: `CREATE TABLE t (a int NOT NULL); CREATE INDEX t_a_idx ON t (a);`,
		effects: map[string]plan.Effects{
			"SET NOT NULL": {Err: `ERROR: column "a" of relation "t" contains null values (SQLSTATE 23502)`},
			"CREATE INDEX": {}, // not run: must not count as "measured, no lock"
		},
		want: []string{"set-not-null", "create-index-not-concurrently", "statement-fails"}},

	// Rehearsals on the dev database (lint.Simulate).
	{name: "rehearsal: an edited statement fails", from: `CREATE TABLE t (a int);`,
		to: `CREATE TABLE t (a int, b int);`, simulate: true,
		edit: func(p *plan.Plan) {
			p.Statements[0].SQL = "ALTER TABLE public.t ADD COLUMN b int REFERENCES public.missing (id)"
		},
		want: []string{"statement-fails"}, messages: []string{`relation "public.missing" does not exist`}},
	{name: "rehearsal: an edited plan falls short", from: `CREATE TABLE t (a int);`,
		to: `CREATE TABLE t (a int, b int, c int);`, simulate: true,
		edit: func(p *plan.Plan) { p.Statements = p.Statements[:1] },
		want: []string{"plan-does-not-converge"}, messages: []string{"add-column public.t.c"}},
	{name: "rehearsal: the generated plan converges", from: `CREATE TABLE t (a int);`,
		to: `CREATE TABLE t (a int, b int, c int);`, simulate: true,
		not: []string{"statement-fails", "plan-does-not-converge"}},
}

// lintDev is the dev server of this package's tests: SEXTANT_TEST_DEV_URL, else an ephemeral
// local cluster, started on first use.
func lintDev(t *testing.T) *devdb.Lazy {
	t.Helper()
	url := os.Getenv("SEXTANT_TEST_DEV_URL")
	if url == "" {
		url = "local://postgres"
	}
	dev := &devdb.Lazy{URL: url}
	t.Cleanup(func() {
		if err := dev.Close(); err != nil {
			t.Errorf("close dev database: %v", err)
		}
	})
	return dev
}

// buildPlan loads both states on the dev server and plans from -> to.
func buildPlan(t *testing.T, dev *devdb.Lazy, from, to string) (*plan.Plan, *schema.Realm, *schema.Realm) {
	t.Helper()
	ctx := context.Background()
	var (
		realms [2]*schema.Realm
		errs   [2]error
		wg     sync.WaitGroup
	)
	for i, sql := range []string{from, to} {
		wg.Go(func() {
			realms[i], errs[i] = source.LoadSQL(ctx, []source.File{{Path: []string{"from.sql", "to.sql"}[i], SQL: sql}}, dev.Get)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := plan.New(realms[0], realms[1], postgres.Renderer{})
	if err != nil {
		t.Fatal(err)
	}
	return p, realms[0], realms[1]
}

// fakeEffects gives each statement whose SQL contains a key of m that entry, and every other
// statement empty effects.
func fakeEffects(p *plan.Plan, m map[string]plan.Effects) []plan.Effects {
	out := make([]plan.Effects, len(p.Statements))
	for i, s := range p.Statements {
		for k, e := range m {
			if strings.Contains(s.SQL, k) {
				out[i] = e
			}
		}
	}
	return out
}

func TestAnalyzers(t *testing.T) {
	dev := lintDev(t)
	for _, c := range lintCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p, from, to := buildPlan(t, dev, c.from, c.to)
			if p.Empty() {
				t.Fatal("the plan is empty")
			}
			if c.edit != nil {
				c.edit(p)
			}
			in := lint.Input{Plan: p, From: from, To: to}
			if c.effects != nil {
				in.Effects = fakeEffects(p, c.effects)
			}
			if c.simulate {
				srv, err := dev.Get(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				sim, err := lint.Simulate(context.Background(), srv, nil, from, to, p, schema.Scope{})
				if err != nil {
					t.Fatal(err)
				}
				in.Effects, in.Remaining = sim.Effects, sim.Remaining
			}
			res := lint.Run(in, c.cfg)
			var got []string
			for _, d := range res.Diagnostics {
				if !slices.Contains(got, d.Analyzer) {
					got = append(got, d.Analyzer)
				}
			}
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("analyzers %q, want %q\n%s", got, want, dump(p, res))
			}
			for _, n := range c.not {
				if slices.Contains(got, n) {
					t.Errorf("%s fired on its close case", n)
				}
			}
			for _, m := range c.messages {
				if !slices.ContainsFunc(res.Diagnostics, func(d lint.Diagnostic) bool {
					return strings.Contains(d.Message, m) || strings.Contains(d.Alternative, m)
				}) {
					t.Errorf("no diagnostic says %q\n%s", m, dump(p, res))
				}
			}
			for _, d := range res.Diagnostics {
				if d.Statement < -1 || d.Statement >= len(p.Statements) {
					t.Errorf("%s: statement %d out of range", d.Analyzer, d.Statement)
				}
				if d.Message == "" || d.Alternative == "" {
					t.Errorf("%s: empty message or alternative: %+v", d.Analyzer, d)
				}
			}
		})
	}
}

// TestEveryAnalyzerHasCases requires, for every analyzer, a case where it fires and a close
// case where it must not.
func TestEveryAnalyzerHasCases(t *testing.T) {
	for _, a := range lint.Analyzers() {
		fires := slices.ContainsFunc(lintCases, func(c lintCase) bool { return slices.Contains(c.want, a.Name) })
		close := slices.ContainsFunc(lintCases, func(c lintCase) bool { return slices.Contains(c.not, a.Name) })
		if !fires || !close {
			t.Errorf("%s: case where it fires: %v; close case where it must not: %v", a.Name, fires, close)
		}
	}
	for _, c := range lintCases {
		for _, n := range append(slices.Clone(c.want), c.not...) {
			if lint.Lookup(n) == nil {
				t.Errorf("case %q names unknown analyzer %q", c.name, n)
			}
		}
	}
}

func dump(p *plan.Plan, res *lint.Result) string {
	var b strings.Builder
	b.WriteString("plan:\n")
	for i, s := range p.Statements {
		b.WriteString("  " + strconv.Itoa(i) + " [" + s.Kind + "] " + s.SQL + "\n")
	}
	b.WriteString("diagnostics:\n")
	for _, d := range res.Diagnostics {
		b.WriteString("  " + strconv.Itoa(d.Statement) + " " + string(d.Severity) + " " + d.Analyzer + ": " + d.Message + "\n")
	}
	return b.String()
}
