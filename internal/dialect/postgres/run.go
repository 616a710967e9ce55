package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/plan"
)

// RunOptions tune how a plan runs on a target.
type RunOptions struct {
	// LockTimeout and StatementTimeout, when not zero, are set for the session before the
	// first statement: a statement that waits longer for a lock, or runs longer, fails (and
	// its transaction rolls back) instead of holding up production traffic.
	LockTimeout, StatementTimeout time.Duration
	// Before, when not nil, is called before each transaction with the indexes of its
	// statements and whether they run atomically (in a transaction block).
	Before func(first, last int, atomic bool)
	// After, when not nil, is called after each step has committed (a transaction, or a
	// statement that runs outside one) with the indexes of its statements: a caller journals
	// the step there. An error stops the run before the next step; RunWith returns it
	// wrapped, and the steps before stay committed.
	After func(first, last int) error
	// Start skips the plan's first Start statements, which committed in an earlier,
	// interrupted run: the run resumes at the step that begins with statement Start. It must
	// be the first statement of a step. Indexes passed to Before and After and reported in a
	// *RunError stay the plan's own.
	Start int
}

// RunError is a failed plan run: which statement failed, and how much of the plan had
// committed before it. Statements before Committed stay applied; the failing statement's
// transaction was rolled back.
type RunError struct {
	Statement int // index of the failing statement
	SQL       string
	Kind      string
	Object    string
	Committed int // number of statements committed before the failure
	Err       error
}

func (e *RunError) Error() string {
	return fmt.Sprintf("statement %d (%s %s): %s: %v", e.Statement+1, e.Kind, e.Object, e.SQL, e.Err)
}

func (e *RunError) Unwrap() error { return e.Err }

// Run executes a plan on conn, one transaction per plan transaction. Each statement is sent
// in its canonical form (plan.Canonical): the text the plan's digest covers, so what an
// approval bound is exactly what the server receives. A failing statement rolls
// its transaction back and the error, a *RunError, names the statement; earlier transactions
// stay committed (in a rendered plan only the enum-value transaction comes before the rest).
//
// A transaction of one statement that PostgreSQL refuses inside a transaction block (CREATE
// INDEX CONCURRENTLY …) runs on its own: that is how an edited plan builds an index without
// blocking writes.
func Run(ctx context.Context, conn *pgx.Conn, p *plan.Plan) error {
	return RunWith(ctx, conn, p, RunOptions{})
}

// RunWith is Run with options.
func RunWith(ctx context.Context, conn *pgx.Conn, p *plan.Plan, o RunOptions) error {
	// Statements run in their canonical form (plan.Canonical), which is read with standard
	// strings: the session must read them the same way, whatever the server's default.
	if _, err := conn.Exec(ctx, "SELECT pg_catalog.set_config('standard_conforming_strings', 'on', false)"); err != nil {
		return fmt.Errorf("set standard_conforming_strings: %w", err)
	}
	for name, d := range map[string]time.Duration{"lock_timeout": o.LockTimeout, "statement_timeout": o.StatementTimeout} {
		if d <= 0 {
			continue
		}
		// set_config takes parameters; SET does not.
		if _, err := conn.Exec(ctx, "SELECT pg_catalog.set_config($1, $2, false)", name, fmt.Sprintf("%dms", d.Milliseconds())); err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
	}
	if o.Start < 0 || o.Start > len(p.Statements) {
		return fmt.Errorf("resume at statement %d: the plan has %d", o.Start+1, len(p.Statements))
	}
	done := 0
	fail := func(i int, s plan.Statement, err error) error {
		err = missingRole(s, err)
		return &RunError{Statement: i, SQL: s.SQL, Kind: s.Kind, Object: s.Object, Committed: done, Err: err}
	}
	after := func(first, last int) error {
		if o.After == nil {
			return nil
		}
		if err := o.After(first, last); err != nil {
			return fmt.Errorf("after %s committed: %w", statementSpan(first, last), err)
		}
		return nil
	}
	for _, stmts := range p.Transactions() {
		first, last := done, done+len(stmts)-1
		if first < o.Start {
			if last >= o.Start {
				return fmt.Errorf("resume at statement %d: it is inside the step of %s", o.Start+1, statementSpan(first, last))
			}
			done += len(stmts)
			continue
		}
		if len(stmts) == 1 && NeedsNoTransaction(stmts[0].SQL) {
			if o.Before != nil {
				o.Before(first, last, false)
			}
			if _, err := conn.Exec(ctx, plan.Canonical(stmts[0].SQL)); err != nil {
				return fail(first, stmts[0], err)
			}
			done++
			if err := after(first, last); err != nil {
				return err
			}
			continue
		}
		if o.Before != nil {
			o.Before(first, last, true)
		}
		failed := -1
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			for i, s := range stmts {
				if _, err := tx.Exec(ctx, plan.Canonical(s.SQL)); err != nil {
					failed = first + i
					return err
				}
			}
			return nil
		})
		if err != nil {
			if failed < 0 { // BEGIN or COMMIT failed: the whole transaction is lost
				failed = first
			}
			return fail(failed, p.Statements[failed], err)
		}
		done += len(stmts)
		if err := after(first, last); err != nil {
			return err
		}
	}
	return nil
}

// statementSpan names statements first to last (0-based) for people.
func statementSpan(first, last int) string {
	if first == last {
		return fmt.Sprintf("statement %d", first+1)
	}
	return fmt.Sprintf("statements %d-%d", first+1, last+1)
}

// NeedsNoTransaction reports whether PostgreSQL refuses to run the statement inside a
// transaction block.
func NeedsNoTransaction(sql string) bool { return outsideTx.MatchString(stripComments(sql)) }

// LockKey is the advisory lock key of a name: stable across processes, machines and server
// versions (a hash computed here, not by the server).
func LockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("sextant:" + name))
	return int64(h.Sum64())
}

// lockPoll is how long AdvisoryLock sleeps between attempts.
const lockPoll = 250 * time.Millisecond

// AdvisoryLock takes the session-level advisory lock key on conn. When another session holds
// it, waiting is called once and the call polls until the lock is free or ctx ends. The lock
// is held until release is called or the session ends, so a crashed holder never leaves it
// taken.
//
// It polls pg_try_advisory_lock, with the session idle between attempts, instead of blocking
// in pg_advisory_lock: a statement blocked on a lock keeps its transaction and snapshot open
// for as long as it waits, and CREATE INDEX CONCURRENTLY waits for every transaction with an
// older snapshot in the database to end. A deploy waiting in pg_advisory_lock behind one that
// builds an index concurrently would make that build wait for the waiter, which waits for
// the builder: "deadlock detected", and the target left half-applied with an invalid index.
// Each attempt here is one short statement, so the build waits at most for that.
func AdvisoryLock(ctx context.Context, conn *pgx.Conn, key int64, waiting func()) (release func(context.Context) error, err error) {
	for told := false; ; {
		var got bool
		if err := conn.QueryRow(ctx, "SELECT pg_catalog.pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("wait for the advisory lock: %w", errors.Join(ctx.Err(), err))
			}
			return nil, fmt.Errorf("advisory lock: %w", err)
		}
		if got {
			break
		}
		if !told && waiting != nil {
			waiting()
		}
		told = true
		t := time.NewTimer(lockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("wait for the advisory lock: %w", ctx.Err())
		case <-t.C:
		}
	}
	return func(ctx context.Context) error {
		_, err := conn.Exec(ctx, "SELECT pg_catalog.pg_advisory_unlock($1)", key)
		return err
	}, nil
}
