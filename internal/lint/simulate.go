package lint

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

// Rehearsal is what happened when a plan ran on a dev database that held its from state.
type Rehearsal struct {
	// Effects holds what each statement was measured to do, one entry per plan statement.
	Effects []plan.Effects
	// Failed is the index of the statement that failed, or -1.
	Failed int
	// Got is the fingerprint of the dev database after the last statement that ran.
	Got string
	// Remaining lists what still differs from the to state after the plan ran. Empty when
	// the plan converged.
	Remaining []diff.Change
}

// Converged reports whether every statement ran and the result has the to state.
func (s *Rehearsal) Converged() bool { return s.Failed < 0 && len(s.Remaining) == 0 }

// Simulate rehearses plan p on a scratch database of dev and measures locks, rewrites and scans
// statement by statement, then inspects the result. fromDB, when not nil, is a scratch
// database that already holds the from state (a normalised SQL source, see source.LoadKeep);
// the rehearsal runs on it and it is dropped afterwards. Otherwise the from state is rebuilt
// on a new scratch database from its own DDL, so a live database's schema can be rehearsed
// without touching it. An error means the rehearsal itself could not be set up; a failing
// statement or a plan that does not reach to is a result, not an error.
//
// scope is the part of the database the project manages (see schema.Scope): the result is
// compared with to within it, since a normalised SQL source may hold more.
func Simulate(ctx context.Context, dev devdb.Server, fromDB *devdb.DB, from, to *schema.Realm, p *plan.Plan, scope schema.Scope) (*Rehearsal, error) {
	db := fromDB
	if db == nil {
		var err error
		if db, err = dev.CreateDB(ctx); err != nil {
			return nil, fmt.Errorf("simulate: %w", err)
		}
	}
	defer db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // the server's Close drops leftovers
	conn, err := postgres.Connect(ctx, db.URL)
	if err != nil {
		return nil, fmt.Errorf("simulate: connect to scratch database: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if fromDB == nil {
		if err := rebuild(ctx, conn, from); err != nil {
			return nil, err
		}
	}

	effects, err := postgres.Simulate(ctx, conn, p)
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	sim := &Rehearsal{Effects: effects, Failed: -1}
	for i, e := range effects {
		if e.Err != "" {
			sim.Failed = i
			break
		}
	}
	after, err := postgres.InspectScope(ctx, conn, scope)
	if err != nil {
		return nil, fmt.Errorf("simulate: inspect the result: %w", err)
	}
	sim.Got = schema.Fingerprint(after)
	if sim.Got != schema.Fingerprint(to) {
		sim.Remaining = diff.Realms(after, to)
	}
	return sim, nil
}

// rebuild creates the from state on an empty scratch database and checks that it came out
// the same.
func rebuild(ctx context.Context, conn *pgx.Conn, from *schema.Realm) error {
	build, err := plan.New(postgres.Baseline(), from, postgres.Renderer{})
	if err != nil {
		return fmt.Errorf("simulate: render the from state: %w", err)
	}
	// One script in one round trip: a large schema has thousands of statements.
	script := make([]string, len(build.Statements))
	for i, s := range build.Statements {
		script[i] = s.SQL
	}
	if _, err := conn.PgConn().Exec(ctx, strings.Join(script, ";\n")).ReadAll(); err != nil {
		return fmt.Errorf("simulate: rebuild the from state on the dev database: %w", err)
	}
	built, err := postgres.Inspect(ctx, conn)
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	if got, want := schema.Fingerprint(built), schema.Fingerprint(from); got != want {
		return fmt.Errorf("simulate: the from state rebuilt on the dev database has fingerprint %s, want %s (the dev server differs from the source, e.g. in extension versions)", got, want)
	}
	return nil
}
