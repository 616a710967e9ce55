package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
	"github.com/sextant-db/sextant/internal/testgen"
)

// simScratch returns a connection to a new scratch database holding the result of sql.
func simScratch(t testing.TB, dev source.DevFunc, sql string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	srv, err := dev(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db, err := srv.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Drop(context.Background()) }) //nolint:errcheck // the server's Close drops leftovers
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if err := source.Exec(ctx, conn, []source.File{{Path: "from.sql", SQL: sql}}); err != nil {
		t.Fatal(err)
	}
	return conn
}

// simulatePlan builds the from state (schema and rows) on a scratch database, plans to the schema
// in to, and simulates the plan there.
func simulatePlan(t *testing.T, dev source.DevFunc, from, to string) (*pgx.Conn, *plan.Plan, []plan.Effects) {
	t.Helper()
	ctx := context.Background()
	conn := simScratch(t, dev, from)
	fromRealm, err := postgres.Inspect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	toRealm, err := source.LoadSQL(ctx, []source.File{{Path: "to.sql", SQL: to}}, dev)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.New(fromRealm, toRealm, postgres.Renderer{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Empty() {
		t.Fatal("the plan is empty")
	}
	effects, err := postgres.Simulate(ctx, conn, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(effects) != len(p.Statements) {
		t.Fatalf("%d effects for %d statements", len(effects), len(p.Statements))
	}
	if s := conn.PgConn().TxStatus(); s != 'I' {
		t.Errorf("connection left in transaction status %q", s)
	}
	return conn, p, effects
}

// simConverged checks that the simulation applied the whole plan: the database has the to state.
func simConverged(t *testing.T, conn *pgx.Conn, p *plan.Plan) {
	t.Helper()
	r, err := postgres.Inspect(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	if got := schema.Fingerprint(r); got != p.To {
		t.Errorf("after the simulation the database is %s, the plan's to state is %s", got, p.To)
	}
}

// simOnly returns the effects of the one statement of p whose SQL contains sub.
func simOnly(t *testing.T, p *plan.Plan, effects []plan.Effects, sub string) plan.Effects {
	t.Helper()
	var found []int
	for i, s := range p.Statements {
		if strings.Contains(s.SQL, sub) {
			found = append(found, i)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d statements contain %q; the plan:\n%s", len(found), sub, simDump(p, effects))
	}
	return effects[found[0]]
}

func simDump(p *plan.Plan, effects []plan.Effects) string {
	var b strings.Builder
	for i, s := range p.Statements {
		fmt.Fprintf(&b, "  [tx %d] %s\n", s.Tx, s.SQL)
		if i < len(effects) {
			fmt.Fprintf(&b, "         %s\n", simDescribe(effects[i]))
		}
	}
	return b.String()
}

func simDescribe(e plan.Effects) string {
	var locks []string
	for _, l := range e.Locks {
		locks = append(locks, l.Mode+" "+l.Relation)
	}
	s := fmt.Sprintf("locks=%v rewritten=%v scanned=%v", locks, e.Rewritten, e.Scanned)
	if e.Err != "" {
		s += " err=" + strings.ReplaceAll(e.Err, "\n", " | ")
	}
	return s
}

func simLockOn(e plan.Effects, rel string) string {
	for _, l := range e.Locks {
		if l.Relation == rel {
			return l.Mode
		}
	}
	return ""
}

const (
	simUsersRows     = "INSERT INTO public.users SELECT g, g, 'user ' || g, CASE WHEN g % 2 = 0 THEN 'x' END FROM generate_series(1, 50) g;\n"
	simUsersWithRows = simUsersDDL + simUsersRows
)

func TestSimulateMeasuresEffects(t *testing.T) {
	dev := devServer(t)
	type want struct {
		stmt      string // a unique part of the statement measured
		lock      string // the lock mode wanted on public.users ("" for none)
		rewritten bool
		scanned   bool
	}
	cases := []struct {
		name, from, to string
		want           want
	}{
		{
			name: "int to bigint rewrites",
			from: simUsersWithRows,
			to:   `CREATE TABLE public.users (id int PRIMARY KEY, n bigint, name varchar(100), note text);`,
			want: want{stmt: "TYPE bigint", lock: "AccessExclusiveLock", rewritten: true, scanned: true},
		},
		{
			name: "longer varchar does not rewrite",
			from: simUsersWithRows,
			to:   `CREATE TABLE public.users (id int PRIMARY KEY, n int, name varchar(200), note text);`,
			want: want{stmt: "TYPE character varying(200)", lock: "AccessExclusiveLock"},
		},
		{
			name: "create index on an existing table",
			from: simUsersWithRows,
			to:   simUsersDDL + `CREATE INDEX users_n ON public.users (n);`,
			want: want{stmt: "CREATE INDEX users_n", lock: "ShareLock", scanned: true},
		},
		{
			name: "check constraint is validated by a scan",
			from: simUsersWithRows,
			to:   simUsersDDL + `ALTER TABLE public.users ADD CONSTRAINT n_positive CHECK (n > 0);`,
			want: want{stmt: "ADD CONSTRAINT n_positive", lock: "AccessExclusiveLock", scanned: true},
		},
		{
			name: "check constraint NOT VALID does not scan",
			from: simUsersWithRows,
			to:   simUsersDDL + `ALTER TABLE public.users ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;`,
			want: want{stmt: "ADD CONSTRAINT n_positive", lock: "AccessExclusiveLock"},
		},
		{
			name: "validate constraint",
			from: simUsersWithRows + `ALTER TABLE public.users ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;`,
			to:   simUsersDDL + `ALTER TABLE public.users ADD CONSTRAINT n_positive CHECK (n > 0);`,
			want: want{stmt: "VALIDATE CONSTRAINT", lock: "ShareUpdateExclusiveLock", scanned: true},
		},
		{
			name: "set not null scans",
			from: simUsersWithRows,
			to:   `CREATE TABLE public.users (id int PRIMARY KEY, n int NOT NULL, name varchar(100), note text);`,
			want: want{stmt: "SET NOT NULL", lock: "AccessExclusiveLock", scanned: true},
		},
		{
			name: "new column with a constant default does not rewrite",
			from: simUsersWithRows,
			to:   `CREATE TABLE public.users (id int PRIMARY KEY, n int, name varchar(100), note text, flag boolean NOT NULL DEFAULT false);`,
			want: want{stmt: "ADD COLUMN flag", lock: "AccessExclusiveLock"},
		},
		{
			name: "new column with a volatile default rewrites",
			from: simUsersWithRows,
			to:   `CREATE TABLE public.users (id int PRIMARY KEY, n int, name varchar(100), note text, r float8 DEFAULT random());`,
			want: want{stmt: "ADD COLUMN r", lock: "AccessExclusiveLock", rewritten: true, scanned: true},
		},
		{
			name: "create table locks nothing that existed",
			from: simUsersWithRows,
			to:   simUsersDDL + `CREATE TABLE public.orders (id int PRIMARY KEY, total numeric);`,
			want: want{stmt: "CREATE TABLE", lock: ""},
		},
	}
	// In real use the dev database holds the from state without a row, so every case also runs
	// on empty tables: the measurements must not depend on the data.
	for _, tc := range cases {
		if !strings.Contains(tc.from, simUsersRows) {
			t.Fatalf("case %s: its from state does not insert simUsersRows", tc.name)
		}
		for _, empty := range []bool{false, true} {
			name, from := tc.name, tc.from
			if empty {
				name += " (empty)"
				from = strings.ReplaceAll(from, simUsersRows, "")
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				conn, p, effects := simulatePlan(t, dev, from, tc.to)
				t.Logf("plan and measured effects:\n%s", simDump(p, effects))
				for i, e := range effects {
					if e.Err != "" {
						t.Fatalf("statement %d failed: %s", i+1, e.Err)
					}
				}
				e := simOnly(t, p, effects, tc.want.stmt)
				if got := simLockOn(e, "public.users"); got != tc.want.lock {
					t.Errorf("lock on public.users: got %q, want %q (%s)", got, tc.want.lock, simDescribe(e))
				}
				if tc.want.lock == "" && len(e.Locks) != 0 {
					t.Errorf("want no locks on existing relations, got %v", e.Locks)
				}
				if got := slices.Contains(e.Rewritten, "public.users"); got != tc.want.rewritten {
					t.Errorf("rewritten: got %v, want %v (%s)", got, tc.want.rewritten, simDescribe(e))
				}
				if got := slices.Contains(e.Scanned, "public.users"); got != tc.want.scanned {
					t.Errorf("scanned: got %v, want %v (%s)", got, tc.want.scanned, simDescribe(e))
				}
				for _, name := range append(slices.Clone(e.Rewritten), e.Scanned...) {
					if name != "public.users" {
						t.Errorf("unexpected table %s in %s", name, simDescribe(e))
					}
				}
				simConverged(t, conn, p)
			})
		}
	}
}

const simUsersDDL = `CREATE TABLE public.users (id int PRIMARY KEY, n int, name varchar(100), note text);
`

// TestSimulateForeignKey: adding a foreign key locks both tables and is checked against the
// rows; a new table is not reported, only the existing one it references.
func TestSimulateForeignKey(t *testing.T) {
	dev := devServer(t)
	conn, p, effects := simulatePlan(t, dev,
		simUsersWithRows+`CREATE TABLE public.orders (id int PRIMARY KEY, user_id int);
INSERT INTO public.orders SELECT g, g FROM generate_series(1, 20) g;`,
		simUsersDDL+`CREATE TABLE public.orders (id int PRIMARY KEY, user_id int REFERENCES public.users);
CREATE TABLE public.audit (id int PRIMARY KEY, user_id int REFERENCES public.users);`)
	t.Logf("plan and measured effects:\n%s", simDump(p, effects))
	create := simOnly(t, p, effects, "CREATE TABLE public.audit")
	if len(create.Locks) != 0 || len(create.Scanned) != 0 || len(create.Rewritten) != 0 {
		t.Errorf("CREATE TABLE: want nothing on existing relations, got %s", simDescribe(create))
	}
	fk := simOnly(t, p, effects, "ALTER TABLE public.orders ADD CONSTRAINT")
	for _, rel := range []string{"public.orders", "public.users"} {
		if got := simLockOn(fk, rel); got != "ShareRowExclusiveLock" {
			t.Errorf("foreign key: lock on %s is %q, want ShareRowExclusiveLock (%s)", rel, got, simDescribe(fk))
		}
	}
	if !slices.Contains(fk.Scanned, "public.orders") {
		t.Errorf("foreign key: public.orders not scanned (%s)", simDescribe(fk))
	}
	simConverged(t, conn, p)
}

// TestSimulateFailure: a statement that fails on the rows gets the server's error, later
// statements are marked as not run, and the effects still line up with the statements.
func TestSimulateFailure(t *testing.T) {
	dev := devServer(t)
	conn, p, effects := simulatePlan(t, dev, simUsersWithRows,
		`CREATE TABLE public.users (id int PRIMARY KEY, n int, name varchar(100), note text NOT NULL);
CREATE INDEX users_n ON public.users (n);`)
	t.Logf("plan and measured effects:\n%s", simDump(p, effects))
	failed := slices.IndexFunc(p.Statements, func(s plan.Statement) bool { return strings.Contains(s.SQL, "SET NOT NULL") })
	if failed < 0 || failed == len(p.Statements)-1 {
		t.Fatalf("want SET NOT NULL with a statement after it; the plan:\n%s", simDump(p, effects))
	}
	for i, e := range effects {
		switch {
		case i < failed && e.Err != "":
			t.Errorf("statement %d (before the failure) has error %q", i+1, e.Err)
		case i == failed:
			if !strings.Contains(e.Err, `column "note" of relation "users" contains null values`) || !strings.Contains(e.Err, "SQLSTATE 23502") {
				t.Errorf("failed statement: error %q, want the server's message with SQLSTATE 23502", e.Err)
			}
			if len(e.Locks)+len(e.Rewritten)+len(e.Scanned) != 0 {
				t.Errorf("failed statement has measurements: %s", simDescribe(e))
			}
		case i > failed && e.Err != postgres.NotRun:
			t.Errorf("statement %d after the failure: error %q, want %q", i+1, e.Err, postgres.NotRun)
		}
	}
	// The failed statement was rolled back and nothing after it ran.
	var notNull bool
	if err := conn.QueryRow(context.Background(), `SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attname = 'note'`).Scan(&notNull); err != nil {
		t.Fatal(err)
	}
	var index bool
	if err := conn.QueryRow(context.Background(), `SELECT to_regclass('public.users_n') IS NOT NULL`).Scan(&index); err != nil {
		t.Fatal(err)
	}
	if notNull || index {
		t.Errorf("after the failure: note NOT NULL %v, index users_n exists %v; want neither", notNull, index)
	}
}

// TestSimulateEnumValue: a value added to an enum is usable by the next statement, because
// every statement commits.
func TestSimulateEnumValue(t *testing.T) {
	dev := devServer(t)
	conn, p, effects := simulatePlan(t, dev,
		`CREATE TYPE public.mood AS ENUM ('sad', 'ok');
CREATE TABLE public.people (id int PRIMARY KEY, mood public.mood DEFAULT 'ok');
INSERT INTO public.people SELECT g FROM generate_series(1, 10) g;`,
		`CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE public.people (id int PRIMARY KEY, mood public.mood DEFAULT 'happy');`)
	t.Logf("plan and measured effects:\n%s", simDump(p, effects))
	for i, e := range effects {
		if e.Err != "" {
			t.Errorf("statement %d: %s", i+1, e.Err)
		}
	}
	simOnly(t, p, effects, "ADD VALUE")
	def := simOnly(t, p, effects, "SET DEFAULT")
	if got := simLockOn(def, "public.people"); got != "AccessExclusiveLock" {
		t.Errorf("SET DEFAULT: lock %q, want AccessExclusiveLock", got)
	}
	if len(def.Rewritten)+len(def.Scanned) != 0 {
		t.Errorf("SET DEFAULT: %s, want no rewrite or scan", simDescribe(def))
	}
	simConverged(t, conn, p)
}

// TestSimulateOutsideTransaction: statements that cannot run in a transaction block run
// outside one; their locks are not measured, but scans and rewrites are. The last one is not
// recognised by its text and falls back on the server's refusal (SQLSTATE 25001).
func TestSimulateOutsideTransaction(t *testing.T) {
	dev := devServer(t)
	conn := simScratch(t, dev, simUsersWithRows+`
CREATE TABLE public.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`)
	p := &plan.Plan{Statements: []plan.Statement{
		{SQL: "-- a comment first\nCREATE INDEX CONCURRENTLY users_n ON public.users (n)"},
		{SQL: "REINDEX (VERBOSE) TABLE CONCURRENTLY public.users"},
		{SQL: "DROP INDEX CONCURRENTLY public.users_n"},
		{SQL: "ALTER TABLE public.events DETACH PARTITION public.events_2024 CONCURRENTLY"},
		{SQL: "ALTER TABLE public.users ALTER COLUMN n TYPE bigint"},
	}}
	effects, err := postgres.Simulate(context.Background(), conn, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("plan and measured effects:\n%s", simDump(p, effects))
	if len(effects) != len(p.Statements) {
		t.Fatalf("%d effects for %d statements", len(effects), len(p.Statements))
	}
	for i, e := range effects {
		if e.Err != "" {
			t.Fatalf("statement %d: %s", i+1, e.Err)
		}
		if i < 4 && len(e.Locks) != 0 {
			t.Errorf("statement %d ran outside a transaction but has locks %v", i+1, e.Locks)
		}
	}
	if !slices.Contains(effects[0].Scanned, "public.users") {
		t.Errorf("CREATE INDEX CONCURRENTLY: users not scanned (%s)", simDescribe(effects[0]))
	}
	if len(effects[1].Rewritten) != 0 {
		t.Errorf("REINDEX CONCURRENTLY: tables rewritten %v", effects[1].Rewritten)
	}
	var detached bool
	if err := conn.QueryRow(context.Background(), `SELECT NOT relispartition FROM pg_class WHERE oid = 'public.events_2024'::regclass`).Scan(&detached); err != nil {
		t.Fatal(err)
	}
	if !detached {
		t.Error("DETACH PARTITION CONCURRENTLY did not run")
	}
	// A statement in a transaction again after them: measured as usual.
	last := effects[4]
	if simLockOn(last, "public.users") != "AccessExclusiveLock" || !slices.Contains(last.Rewritten, "public.users") {
		t.Errorf("ALTER COLUMN TYPE after the concurrent statements: %s", simDescribe(last))
	}
}

// TestSimulateDroppedRelations: relations a statement drops are reported under the name they
// had, and a rename reports the old name.
func TestSimulateDroppedRelations(t *testing.T) {
	dev := devServer(t)
	conn := simScratch(t, dev, simUsersWithRows+`CREATE INDEX users_n ON public.users (n);`)
	p := &plan.Plan{Statements: []plan.Statement{
		{SQL: "DROP INDEX public.users_n"},
		{SQL: "ALTER TABLE public.users RENAME TO people"},
		{SQL: "TRUNCATE public.people"},
	}}
	effects, err := postgres.Simulate(context.Background(), conn, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("plan and measured effects:\n%s", simDump(p, effects))
	if got := simLockOn(effects[0], "public.users_n"); got != "AccessExclusiveLock" {
		t.Errorf("DROP INDEX: lock on the index %q, want AccessExclusiveLock (%s)", got, simDescribe(effects[0]))
	}
	if got := simLockOn(effects[0], "public.users"); got != "AccessExclusiveLock" {
		t.Errorf("DROP INDEX: lock on the table %q, want AccessExclusiveLock (%s)", got, simDescribe(effects[0]))
	}
	if got := simLockOn(effects[1], "public.users"); got != "AccessExclusiveLock" {
		t.Errorf("RENAME: lock under the old name %q, want AccessExclusiveLock (%s)", got, simDescribe(effects[1]))
	}
	// TRUNCATE gives the table a new file node, and rebuilding the primary key over the new,
	// empty storage counts as a sequential scan.
	if !slices.Contains(effects[2].Rewritten, "public.people") || !slices.Contains(effects[2].Scanned, "public.people") {
		t.Errorf("TRUNCATE: %s, want rewritten (new file node) and scanned (index rebuild)", simDescribe(effects[2]))
	}
}

// TestSimulateDeferredFailure: a statement whose error only shows at COMMIT (a deferred
// foreign key) fails like any other.
func TestSimulateDeferredFailure(t *testing.T) {
	dev := devServer(t)
	conn := simScratch(t, dev, simUsersWithRows+`CREATE TABLE public.orders (id int PRIMARY KEY,
  user_id int REFERENCES public.users DEFERRABLE INITIALLY DEFERRED);`)
	p := &plan.Plan{Statements: []plan.Statement{
		{SQL: "INSERT INTO public.orders VALUES (1, 1)"},
		{SQL: "INSERT INTO public.orders VALUES (2, 999)"},
		{SQL: "CREATE INDEX orders_user ON public.orders (user_id)"},
	}}
	effects, err := postgres.Simulate(context.Background(), conn, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("plan and measured effects:\n%s", simDump(p, effects))
	if effects[0].Err != "" {
		t.Errorf("first insert: %s", effects[0].Err)
	}
	if e := effects[1].Err; !strings.Contains(e, "violates foreign key constraint") || !strings.Contains(e, "SQLSTATE 23503") || !strings.Contains(e, "DETAIL: Key (user_id)=(999)") {
		t.Errorf("deferred violation: error %q, want the server's message, SQLSTATE 23503 and the detail", e)
	}
	if got := simLockOn(effects[1], "public.orders"); got != "RowExclusiveLock" {
		t.Errorf("deferred violation: lock on orders %q, want RowExclusiveLock measured before the commit", got)
	}
	if effects[2].Err != postgres.NotRun {
		t.Errorf("after the failure: %q, want %q", effects[2].Err, postgres.NotRun)
	}
	if s := conn.PgConn().TxStatus(); s != 'I' {
		t.Errorf("connection left in transaction status %q", s)
	}
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM public.orders`).Scan(&n); err != nil || n != 1 {
		t.Errorf("orders holds %d rows (%v), want the one committed before the failure", n, err)
	}
}

// TestSimulateRefuses: what is not a statement's failure is Simulate's error.
func TestSimulateRefuses(t *testing.T) {
	dev := devServer(t)
	one := &plan.Plan{Statements: []plan.Statement{{SQL: "CREATE TABLE public.t (a int)"}}}
	t.Run("open transaction", func(t *testing.T) {
		conn := simScratch(t, dev, "")
		if _, err := conn.Exec(context.Background(), "BEGIN"); err != nil {
			t.Fatal(err)
		}
		_, err := postgres.Simulate(context.Background(), conn, one)
		if err == nil || !strings.Contains(err.Error(), "inside a transaction") {
			t.Errorf("got %v, want an error about the open transaction", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		conn := simScratch(t, dev, "")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		effects, err := postgres.Simulate(ctx, conn, one)
		if err == nil || effects != nil {
			t.Errorf("got %v, %v; want no effects and an error", effects, err)
		}
	})
	t.Run("empty plan", func(t *testing.T) {
		conn := simScratch(t, dev, "")
		effects, err := postgres.Simulate(context.Background(), conn, &plan.Plan{})
		if err != nil || len(effects) != 0 {
			t.Errorf("got %v, %v; want no effects and no error", effects, err)
		}
	})
}

// BenchmarkSimulate500 simulates statements on a database of 500 tables (about 2,500
// relations): the measuring queries read the whole catalog twice per statement, so this is
// the per-statement cost of simulation on a large schema. The statements undo each other, so
// every iteration starts from the same state.
func BenchmarkSimulate500(b *testing.B) {
	ctx := context.Background()
	conn := simScratch(b, devServer(b), testgen.Schema(500, 1))
	var p plan.Plan
	for i := 1; i <= 10; i++ {
		p.Statements = append(p.Statements,
			plan.Statement{SQL: fmt.Sprintf("CREATE INDEX bench_%d ON public.t%d (created_at)", i, i)},
			plan.Statement{SQL: fmt.Sprintf("DROP INDEX public.bench_%d", i)})
	}
	b.ResetTimer()
	for range b.N {
		effects, err := postgres.Simulate(ctx, conn, &p)
		if err != nil {
			b.Fatal(err)
		}
		if e := effects[0]; e.Err != "" || len(e.Scanned) != 1 {
			b.Fatalf("CREATE INDEX: %s", simDescribe(e))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(p.Statements)), "µs/statement")
}
