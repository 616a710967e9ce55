package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
)

func TestConcurrentIndex(t *testing.T) {
	for _, c := range []struct {
		sql   string
		name  string
		table []string
	}{
		{"CREATE INDEX CONCURRENTLY items_sku_idx ON public.items USING btree (sku)", "items_sku_idx", []string{"public", "items"}},
		{"create unique index concurrently if not exists \"Ix\" on only \"My Schema\".\"T\" (a)", "Ix", []string{"My Schema", "T"}},
		{"/* why */ CREATE INDEX -- build it\n CONCURRENTLY ix ON t (a)", "ix", []string{"t"}},
		{"CREATE INDEX CONCURRENTLY ON t (a)", "", nil},          // the server names it
		{"CREATE INDEX ix ON t (a)", "", nil},                    // not concurrent
		{"DROP INDEX CONCURRENTLY public.ix", "", nil},           // not a build
		{"CREATE INDEX CONCURRENTLY IF EXISTS ix ON t", "", nil}, // not SQL
	} {
		name, table, ok := postgres.ConcurrentIndex(c.sql)
		if ok != (c.name != "") || name != c.name || !slices.Equal(table, c.table) {
			t.Errorf("ConcurrentIndex(%q) = %q, %q, %v; want %q, %q", c.sql, name, table, ok, c.name, c.table)
		}
	}
}

// A waiting AdvisoryLock holds no transaction open between its attempts (the session is
// idle, not "active" in pg_advisory_lock), says so once, and gives up when ctx ends.
func TestAdvisoryLockWaitsIdle(t *testing.T) {
	dev := devServer(t)
	holder := simScratch(t, dev, "")
	ctx := context.Background()
	key := postgres.LockKey("test")
	release, err := postgres.AdvisoryLock(ctx, holder, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	waiter, err := pgx.Connect(ctx, holder.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer waiter.Close(ctx)
	var pid int
	if err := waiter.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}

	wctx, cancel := context.WithCancel(ctx)
	waiting := make(chan struct{}, 2)
	done := make(chan error, 1)
	go func() {
		_, err := postgres.AdvisoryLock(wctx, waiter, key, func() { waiting <- struct{}{} })
		done <- err
	}()
	<-waiting
	// Between attempts the waiter is idle: no transaction, no snapshot for a concurrent
	// index build to wait for. (An attempt itself is one short statement.)
	for seenIdle := false; !seenIdle; {
		var state, wait string
		var xmin *string
		if err := holder.QueryRow(ctx, "SELECT state, coalesce(wait_event_type, ''), backend_xmin::text FROM pg_stat_activity WHERE pid = $1",
			pid).Scan(&state, &wait, &xmin); err != nil {
			t.Fatal(err)
		}
		if state == "active" && wait == "Lock" {
			t.Fatal("the waiter blocks in a statement, holding its snapshot")
		}
		seenIdle = state == "idle" && xmin == nil
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v, want context.Canceled", err)
	}
	if len(waiting) != 0 {
		t.Error("waiting was called more than once")
	}

	// Released, the lock is taken at once.
	if err := release(ctx); err != nil {
		t.Fatal(err)
	}
	rel2, err := postgres.AdvisoryLock(ctx, waiter, key, func() { t.Error("waited for a free lock") })
	if err != nil {
		t.Fatal(err)
	}
	if err := rel2(ctx); err != nil {
		t.Fatal(err)
	}
}

// RunWith resumes at a step boundary, calls After once per committed step with the plan's
// own indexes, and stops when After fails; DropInvalidIndex removes what a failed concurrent
// build left and leaves a valid index alone.
func TestRunWithStartAfterAndInvalidIndex(t *testing.T) {
	dev := devServer(t)
	conn := simScratch(t, dev, "CREATE TABLE t (a int, b int); INSERT INTO t VALUES (1, 1), (1, 2);")
	ctx := context.Background()
	p := &plan.Plan{Statements: []plan.Statement{
		{SQL: "ALTER TABLE t ADD COLUMN c int", Tx: 1},
		{SQL: "ALTER TABLE t ADD COLUMN d int", Tx: 1},
		{SQL: "CREATE INDEX CONCURRENTLY t_b_idx ON public.t (b)", Tx: 2},
		{SQL: "ALTER TABLE t ADD COLUMN e int", Tx: 3},
	}}
	if err := postgres.RunWith(ctx, conn, p, postgres.RunOptions{Start: 1}); err == nil || !strings.Contains(err.Error(), "inside the step") {
		t.Fatalf("Start inside a step: %v", err)
	}
	var steps [][2]int
	stop := errors.New("journal down")
	err := postgres.RunWith(ctx, conn, p, postgres.RunOptions{Start: 2, After: func(first, last int) error {
		steps = append(steps, [2]int{first, last})
		return stop
	}})
	if !errors.Is(err, stop) || !slices.Equal(steps, [][2]int{{2, 2}}) {
		t.Fatalf("RunWith stopped by After: %v, steps %v", err, steps)
	}
	var cols int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0").Scan(&cols); err != nil || cols != 2 {
		t.Fatalf("skipped statements ran, or the step after the failing After did: %d columns, %v", cols, err)
	}

	// A valid index of that name is never dropped.
	if ix, err := postgres.DropInvalidIndex(ctx, conn, p.Statements[2].SQL); err != nil || ix != "" {
		t.Fatalf("DropInvalidIndex of a valid index: %q, %v", ix, err)
	}
	unique := "CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON public.t (a)"
	if _, err := conn.Exec(ctx, unique); err == nil {
		t.Fatal("a unique index over duplicates was built")
	}
	ix, err := postgres.DropInvalidIndex(ctx, conn, unique)
	if err != nil || ix != "public.t_a_key" {
		t.Fatalf("DropInvalidIndex after the failed build: %q, %v", ix, err)
	}
	if _, err := postgres.Inspect(ctx, conn); err != nil {
		t.Fatalf("inspect after the cleanup: %v", err)
	}
}
