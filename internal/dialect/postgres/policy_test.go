package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

// Roles are not part of the schema. A plan that gives a policy to a role the target lacks
// fails on that statement, names the policy and the role, and leaves nothing half-applied.
func TestPolicyMissingRole(t *testing.T) {
	ctx := context.Background()
	conn := simScratch(t, devServer(t), `CREATE TABLE public.docs (id integer, owner text);`)
	from, err := postgres.Inspect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	to := schema.Sorted(from)
	docs := to.Schema("public").Table("docs")
	docs.RowSecurity = true
	docs.Policies = []*schema.Policy{{Name: "docs_owner", Command: "all", Roles: []string{"pg_monitor", "sextant_no_such_role"}, Using: "(owner = CURRENT_USER)"}}
	p, err := plan.New(from, to, postgres.Renderer{})
	if err != nil {
		t.Fatal(err)
	}
	err = postgres.Run(ctx, conn, p)
	var re *postgres.RunError
	if !errors.As(err, &re) || re.Object != "public.docs.docs_owner" || !strings.Contains(err.Error(), `role "sextant_no_such_role" does not exist`) {
		t.Fatalf("got %v, want a RunError for policy public.docs.docs_owner naming the missing role", err)
	}
	after, err := postgres.Inspect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if schema.Fingerprint(after) != schema.Fingerprint(from) {
		t.Errorf("the failed plan left changes behind")
	}
}
