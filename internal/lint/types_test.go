package lint

import (
	"testing"

	"github.com/sextant-db/sextant/internal/plan"
)

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     typeChange
	}{
		{"character varying(100)", "character varying(20)", narrowing},
		{"character varying(20)", "character varying(100)", widening},
		{"character varying(20)", "character varying", widening},
		{"character varying(20)", "text", widening},
		{"text", "character varying(20)", narrowing},
		{"text", "character varying", widening},
		{"character varying(10)", "character(5)", narrowing},
		{"character varying(10)", "character(10)", widening},
		{"character(5)", "text", widening},
		{"bigint", "integer", narrowing},
		{"integer", "smallint", narrowing},
		{"smallint", "bigint", widening},
		{"integer", "numeric", widening},
		{"integer", "numeric(12,2)", widening},
		{"bigint", "numeric(12,2)", narrowing},
		{"numeric(10,2)", "numeric(12,2)", widening},
		{"numeric(10,2)", "numeric", widening},
		{"numeric(10,2)", "numeric(10,1)", narrowing},
		{"numeric(10,2)", "numeric(9,2)", narrowing},
		{"numeric(10,2)", "numeric(12,4)", widening},
		{"numeric", "numeric(10,2)", narrowing},
		{"numeric(10,2)", "integer", narrowing},
		{"double precision", "real", narrowing},
		{"real", "double precision", widening},
		{"double precision", "bigint", narrowing},
		{"timestamp(6) without time zone", "timestamp(3) without time zone", narrowing},
		{"timestamp without time zone", "timestamp(3) without time zone", narrowing},
		{"timestamp(3) without time zone", "timestamp without time zone", widening},
		{"timestamp with time zone", "date", narrowing},
		{"timestamp without time zone", "timestamp with time zone", otherType},
		{"integer", "text", otherType},
		{"text", "uuid", otherType},
		{"text", "text[]", otherType},
		{"character varying(20)[]", "character varying(10)[]", narrowing},
		{"public.mood", "public.level", otherType},
		{"bit varying(10)", "bit varying(5)", narrowing},
		{"bit varying(5)", "bit varying", widening},
		{"text", "text", sameType},
	} {
		if got, detail := classify(c.from, c.to); got != c.want {
			t.Errorf("classify(%q, %q) = %d (%s), want %d", c.from, c.to, got, detail, c.want)
		} else if got == narrowing && detail == "" {
			t.Errorf("classify(%q, %q): narrowing without a detail", c.from, c.to)
		}
	}
}

// TestRewrites pins the static rule to what PostgreSQL 15 was seen to do (relfilenode before
// and after ALTER TABLE … ALTER COLUMN … TYPE … USING col::type on a table with rows).
func TestRewrites(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     bool
	}{
		{"character varying(10)", "character varying(20)", false},
		{"character varying(10)", "character varying(5)", true},
		{"character varying(10)", "character varying", false},
		{"character varying(10)", "text", false},
		{"text", "character varying", false},
		{"text", "character varying(5)", true},
		{"character(5)", "character(10)", true},
		{"character(5)", "character varying(10)", true},
		{"character(5)", "text", true},
		{"text", "character(5)", true},
		{"numeric(10,2)", "numeric(12,2)", false},
		{"numeric(10,2)", "numeric(12,4)", true},
		{"numeric(10,2)", "numeric", false},
		{"numeric", "numeric(10,0)", true},
		{"integer", "bigint", true},
		{"integer", "numeric", true},
		{"timestamp(3) without time zone", "timestamp(6) without time zone", false},
		{"timestamp(3) without time zone", "timestamp without time zone", false},
		{"timestamp without time zone", "timestamp(3) without time zone", true},
		{"time(3) without time zone", "time(5) without time zone", false},
		{"interval(3)", "interval", false},
		{"bit varying(5)", "bit varying(10)", false},
		{"cidr", "inet", false},
		{"character varying(10)[]", "character varying(20)[]", true},
		{"character varying[]", "text[]", true},
		{"text", "uuid", true},
		{"text", "text", false},
	} {
		if got, _ := rewrites(c.from, c.to); got != c.want {
			t.Errorf("rewrites(%q, %q) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
	if _, note := rewrites("timestamp without time zone", "timestamp with time zone"); note == "" {
		t.Error("timestamp -> timestamptz: want the note about the TimeZone")
	}
}

func TestVolatileExpr(t *testing.T) {
	for expr, want := range map[string]bool{
		"gen_random_uuid()":                    true,
		"public.gen_random_uuid()":             true,
		"clock_timestamp()":                    true,
		"nextval('public.t_id_seq'::regclass)": true,
		"(random() * 10)":                      true,
		"now()":                                false,
		"CURRENT_TIMESTAMP":                    false,
		"statement_timestamp()":                false,
		"'random()'::text":                     false,
		"0":                                    false,
		"":                                     false,
	} {
		if got := volatileExpr(expr); got != want {
			t.Errorf("volatileExpr(%q) = %v, want %v", expr, got, want)
		}
	}
}

func TestContainsWord(t *testing.T) {
	for sql, want := range map[string]bool{
		"CREATE INDEX CONCURRENTLY i ON t (a)":                true,
		"create index concurrently i on t (a)":                true,
		"COMMENT ON TABLE t IS 'built concurrently'":          false,
		`CREATE INDEX "concurrently" ON t (a)`:                false,
		"CREATE INDEX i ON t (a) -- not CONCURRENTLY":         false,
		"CREATE INDEX /* CONCURRENTLY */ i ON t (a)":          false,
		"CREATE INDEX /* x */ CONCURRENTLY i ON t (a)":        true,
		"COMMENT ON TABLE t IS 'it''s built concurrently'":    false,
		"CREATE INDEX nonconcurrently_idx ON t (a)":           false,
		"DROP INDEX CONCURRENTLY public.i":                    true,
		"COMMENT ON TABLE t IS 'x'; -- end\nCONCURRENTLY foo": true,
	} {
		if got := containsWord(sql, "CONCURRENTLY"); got != want {
			t.Errorf("containsWord(%q) = %v, want %v", sql, got, want)
		}
	}
}

func TestConcurrentIndex(t *testing.T) {
	for in, want := range map[string]string{
		"CREATE INDEX i ON public.t USING btree (a)":        "CREATE INDEX CONCURRENTLY i ON public.t USING btree (a)",
		"CREATE UNIQUE INDEX i ON public.t USING btree (a)": "CREATE UNIQUE INDEX CONCURRENTLY i ON public.t USING btree (a)",
		"DROP INDEX public.i":                               "DROP INDEX CONCURRENTLY public.i",
	} {
		if got := concurrentIndex(in); got != want {
			t.Errorf("concurrentIndex(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNotValidAlternative(t *testing.T) {
	got := notValidAlternative(`ALTER TABLE public."Orders" ADD CONSTRAINT "Orders ""fk""" FOREIGN KEY (u) REFERENCES public.users(id)`)
	want := `ALTER TABLE public."Orders" ADD CONSTRAINT "Orders ""fk""" FOREIGN KEY (u) REFERENCES public.users(id) NOT VALID; ` +
		`then, in a later transaction, ALTER TABLE public."Orders" VALIDATE CONSTRAINT "Orders ""fk""" (SHARE UPDATE EXCLUSIVE: reads and writes go on)`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestDescribeEffects(t *testing.T) {
	for _, c := range []struct {
		e    plan.Effects
		want string
	}{
		{plan.Effects{}, ""},
		{plan.Effects{Locks: []plan.Lock{{Relation: "public.users", Mode: "AccessShareLock"}}}, ""},
		{plan.Effects{Locks: []plan.Lock{{Relation: "public.users", Mode: "AccessExclusiveLock"}}, Rewritten: []string{"public.users"}, Scanned: []string{"public.users"}},
			"ACCESS EXCLUSIVE on public.users, table rewritten, full scan of public.users"},
		{plan.Effects{Locks: []plan.Lock{{Relation: "public.a", Mode: "ShareUpdateExclusiveLock"}, {Relation: "public.b", Mode: "ShareRowExclusiveLock"}, {Relation: "public.c", Mode: "RowExclusiveLock"}}},
			"SHARE ROW EXCLUSIVE on public.b, SHARE UPDATE EXCLUSIVE on public.a"},
		{plan.Effects{Locks: []plan.Lock{{Relation: "public.a", Mode: "AccessExclusiveLock"}, {Relation: "public.b", Mode: "AccessExclusiveLock"}}, Rewritten: []string{"public.a"}},
			"ACCESS EXCLUSIVE on public.a and public.b, public.a rewritten"},
		{plan.Effects{Err: "ERROR: boom"}, "failed: ERROR: boom"},
	} {
		if got := DescribeEffects(c.e); got != c.want {
			t.Errorf("DescribeEffects(%+v) = %q, want %q", c.e, got, c.want)
		}
	}
	if got := ModeName("ShareRowExclusiveLock"); got != "SHARE ROW EXCLUSIVE" {
		t.Errorf("ModeName = %q", got)
	}
}

// The locking analyzer that reports what the others did not must run last.
func TestBlockingLockRunsLast(t *testing.T) {
	if analyzers[len(analyzers)-1] != BlockingLock {
		t.Error("blocking-lock must be the last analyzer")
	}
	seen := map[string]bool{}
	for _, a := range analyzers {
		if seen[a.Name] {
			t.Errorf("analyzer %s listed twice", a.Name)
		}
		seen[a.Name] = true
		if a.Run == nil || a.Reason == "" || a.Alternative == "" || !a.Severity.valid() || a.Severity == Off {
			t.Errorf("analyzer %s is incomplete", a.Name)
		}
	}
}
