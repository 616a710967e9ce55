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
	done := 0
	fail := func(i int, s plan.Statement, err error) error {
		err = missingRole(s, err)
		return &RunError{Statement: i, SQL: s.SQL, Kind: s.Kind, Object: s.Object, Committed: done, Err: err}
	}
	for _, stmts := range p.Transactions() {
		first, last := done, done+len(stmts)-1
		if len(stmts) == 1 && NeedsNoTransaction(stmts[0].SQL) {
			if o.Before != nil {
				o.Before(first, last, false)
			}
			if _, err := conn.Exec(ctx, plan.Canonical(stmts[0].SQL)); err != nil {
				return fail(first, stmts[0], err)
			}
			done++
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
	}
	return nil
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

// AdvisoryLock takes the session-level advisory lock key on conn. When another session holds
// it, waiting is called once and the call blocks until the lock is free or ctx ends. The lock
// is held until release is called or the session ends, so a crashed holder never leaves it
// taken.
func AdvisoryLock(ctx context.Context, conn *pgx.Conn, key int64, waiting func()) (release func(context.Context) error, err error) {
	var got bool
	if err := conn.QueryRow(ctx, "SELECT pg_catalog.pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		return nil, fmt.Errorf("advisory lock: %w", err)
	}
	if !got {
		if waiting != nil {
			waiting()
		}
		if _, err := conn.Exec(ctx, "SELECT pg_catalog.pg_advisory_lock($1)", key); err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("wait for the advisory lock: %w", errors.Join(ctx.Err(), err))
			}
			return nil, fmt.Errorf("advisory lock: %w", err)
		}
	}
	return func(ctx context.Context) error {
		_, err := conn.Exec(ctx, "SELECT pg_catalog.pg_advisory_unlock($1)", key)
		return err
	}, nil
}
