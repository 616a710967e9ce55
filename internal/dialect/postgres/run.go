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
func Run(ctx context.Context, conn *pgx.Conn, p *plan.Plan) error {
	for _, stmts := range p.Transactions() {
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
