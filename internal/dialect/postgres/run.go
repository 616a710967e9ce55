package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/plan"
)

// Run executes a plan on conn, one transaction per plan transaction. A failing statement rolls
// its transaction back and the error names the statement; earlier transactions stay committed
// (in a rendered plan only the enum-value transaction comes before the rest).
//
// A transaction of one statement that PostgreSQL refuses inside a transaction block (CREATE
// INDEX CONCURRENTLY …) runs on its own: that is how an edited plan builds an index without
// blocking writes.
func Run(ctx context.Context, conn *pgx.Conn, p *plan.Plan) error {
	for _, stmts := range p.Transactions() {
		if len(stmts) == 1 && NeedsNoTransaction(stmts[0].SQL) {
			if _, err := conn.Exec(ctx, stmts[0].SQL); err != nil {
				return fmt.Errorf("%s %s: %s: %w", stmts[0].Kind, stmts[0].Object, stmts[0].SQL, err)
			}
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			for _, s := range stmts {
				if _, err := tx.Exec(ctx, s.SQL); err != nil {
					return fmt.Errorf("%s %s: %s: %w", s.Kind, s.Object, s.SQL, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// NeedsNoTransaction reports whether PostgreSQL refuses to run the statement inside a
// transaction block.
func NeedsNoTransaction(sql string) bool { return outsideTx.MatchString(stripComments(sql)) }
