package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/testgen"
)

// BenchmarkInspect500 inspects a live database of 500 tables, each with indexes, checks,
// defaults and a foreign key: the catalog read of every plan and apply.
func BenchmarkInspect500(b *testing.B) {
	ctx := context.Background()
	srv, err := devServer(b)(ctx)
	if err != nil {
		b.Fatal(err)
	}
	db, err := srv.CreateDB(ctx)
	if err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.PgConn().Exec(ctx, testgen.Schema(500, 1)).ReadAll(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		r, err := postgres.Inspect(ctx, conn)
		if err != nil {
			b.Fatal(err)
		}
		if n := len(r.Schema("public").Tables); n != 500 {
			b.Fatalf("inspected %d tables", n)
		}
	}
}
