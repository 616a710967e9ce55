package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
)

// A grant to a role the target lacks fails with an error that names the role and the object,
// and rolls its transaction back.
func TestRunGrantToMissingRole(t *testing.T) {
	ctx := context.Background()
	conn := simScratch(t, devServer(t), "")
	p := &plan.Plan{Statements: []plan.Statement{
		{SQL: "CREATE TABLE public.t (id integer)", Kind: "add-table", Object: "public.t"},
		{SQL: "GRANT SELECT ON TABLE public.t TO sextant_no_such_role", Kind: "grant-table", Object: "public.t"},
	}}
	err := postgres.Run(ctx, conn, p)
	var runErr *postgres.RunError
	if !errors.As(err, &runErr) || runErr.Statement != 1 {
		t.Fatalf("got %v, want a RunError at the grant", err)
	}
	for _, want := range []string{`role "sextant_no_such_role"`, "public.t", "does not exist on the target database"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 't'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the table exists after the failed plan (count %d, %v)", n, err)
	}
}
