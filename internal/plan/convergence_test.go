package plan_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/dockertest"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// The convergence suite proves the planner: for every case in testdata/convergence, build
// `from`, plan to `to`, apply the plan, inspect, and require the fingerprint of `to` built
// directly; then plan again and require an empty plan. Each case runs in both directions.

// TestConvergence runs the suite on every PostgreSQL version of the test matrix (see
// matrix), or on SEXTANT_TEST_DEV_URL alone when that is set.
func TestConvergence(t *testing.T) {
	if url := os.Getenv("SEXTANT_TEST_DEV_URL"); url != "" {
		runConvergence(t, openDev(t, url))
		return
	}
	for _, v := range matrix(t) {
		url := "local://postgres"
		if v != "" {
			url += "?version=" + v
		}
		t.Run("pg"+v, func(t *testing.T) {
			runConvergence(t, openDev(t, url))
		})
	}
}

// matrix returns the PostgreSQL major versions the suite runs on: SEXTANT_TEST_PG_VERSIONS
// ("15,16"; `make test PG_VERSIONS="15 16"` sets it and installs them), else every version
// installed side by side under Debian's /usr/lib/postgresql. A listed version that is not
// installed fails its run with local://postgres's error, rather than being skipped.
func matrix(t *testing.T) []string {
	t.Helper()
	if env := os.Getenv("SEXTANT_TEST_PG_VERSIONS"); env != "" {
		return strings.FieldsFunc(env, func(r rune) bool { return r == ',' || r == ' ' })
	}
	servers, err := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if err != nil {
		t.Fatal(err)
	}
	var versions []string
	for _, s := range servers {
		versions = append(versions, filepath.Base(filepath.Dir(filepath.Dir(s))))
	}
	if len(versions) == 0 {
		// Binaries elsewhere (SEXTANT_PG_BIN, PATH): whatever local://postgres finds.
		return []string{""}
	}
	return versions
}

// TestConvergenceDocker runs the suite once more on a docker://postgres dev database, as a CI
// runner with a Docker engine would: every scratch database of the suite in one container,
// reached through the port the engine publishes. The engine and the image (PostgreSQL 15 from
// Debian's packages, standing in for the official image, which cannot be pulled here) come
// from internal/dockertest.
func TestConvergenceDocker(t *testing.T) {
	runConvergence(t, openDev(t, dockerDevURL(t)))
}

// dockerDevURL returns the docker://postgres URL of the test engine's PostgreSQL image and
// points DOCKER_HOST at the engine for the rest of the test.
func dockerDevURL(tb testing.TB) string {
	tb.Helper()
	host := dockertest.Engine(tb)
	image := dockertest.PostgresImage(tb, host)
	network := dockertest.Network(tb, host)
	tb.Setenv("DOCKER_HOST", host)
	// testcontainers-go must neither start its reaper nor guess where published ports are.
	tb.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	tb.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1")
	return "docker://postgres/15?image=" + image + "&network=" + network
}

func runConvergence(t *testing.T, dev source.DevFunc) {
	cases, err := filepath.Glob(filepath.Join("..", "..", "testdata", "convergence", "*", "from.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 80 {
		t.Fatalf("found %d convergence cases, want at least 80", len(cases))
	}
	for _, c := range cases {
		dir := filepath.Dir(c)
		name := filepath.Base(dir)
		fromSQL, toSQL := readCase(t, filepath.Join(dir, "from.sql")), readCase(t, filepath.Join(dir, "to.sql"))
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// Each state is built once and serves as the start of one direction and the
			// expected end of the other.
			ctx := context.Background()
			from, to := build(ctx, t, dev, "from", fromSQL), build(ctx, t, dev, "to", toSQL)
			if err := errors.Join(from.err, to.err); err != nil {
				t.Fatal(err)
			}
			// Diagnostics point at the line that defines an object: the lexical scanner must
			// find every object the server built, generated names included.
			for _, st := range []struct {
				files []source.File
				realm *schema.Realm
			}{{fromSQL, from.realm}, {toSQL, to.realm}} {
				if missing := source.Scan(st.files).Missing(st.realm); len(missing) > 0 {
					t.Errorf("%s: source.Scan does not locate %s", st.files[0].Path, strings.Join(missing, ", "))
				}
			}
			t.Run("forward", func(t *testing.T) {
				if err := migrate(ctx, from.conn, from.realm, to.realm); err != nil {
					t.Fatal(err)
				}
			})
			t.Run("reverse", func(t *testing.T) {
				if err := migrate(ctx, to.conn, to.realm, from.realm); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

func readCase(t *testing.T, path string) []source.File {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return []source.File{{Path: path, SQL: string(b)}}
}

// testDev returns the dev server for the suite: SEXTANT_TEST_DEV_URL, else local://postgres.
func testDev(t *testing.T) source.DevFunc {
	t.Helper()
	url := os.Getenv("SEXTANT_TEST_DEV_URL")
	if url == "" {
		url = "local://postgres"
	}
	return openDev(t, url)
}

// openDev opens the dev server at url for the rest of the test.
func openDev(t *testing.T, url string) source.DevFunc {
	t.Helper()
	srv, err := devdb.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open dev database: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close dev database: %v", err)
		}
	})
	createTestRoles(t, srv)
	return func(context.Context) (devdb.Server, error) { return srv, nil }
}

// testRoles are the roles the grant- cases grant to. Roles belong to the cluster, not to a
// schema, so the suite creates them once on its dev server (they survive on a shared one).
var testRoles = []string{"sextant_reader", "sextant_writer"}

func createTestRoles(t *testing.T, srv devdb.Server) {
	t.Helper()
	ctx := context.Background()
	db, err := srv.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Drop(ctx) //nolint:errcheck // the server's Close drops it too
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, r := range testRoles {
		// A role that exists already (a shared server, a parallel run) is fine.
		sql := fmt.Sprintf(`DO $$BEGIN CREATE ROLE %s NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$`, r)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("create test role %s: %v", r, err)
		}
	}
}

// builtState is one state built directly: a scratch database holding it and its inspected
// realm, or the error building or inspecting it.
type builtState struct {
	which string // "from", "to", "current", "desired"
	conn  *pgx.Conn
	realm *schema.Realm
	err   error
}

func build(ctx context.Context, t *testing.T, dev source.DevFunc, which string, files []source.File) *builtState {
	st := &builtState{which: which, conn: scratch(t, dev)}
	if len(files) > 0 {
		if err := source.Exec(ctx, st.conn, files); err != nil {
			st.err = fmt.Errorf("build %s: %w", which, err)
			return st
		}
	}
	st.realm, st.err = postgres.Inspect(ctx, st.conn)
	if st.err != nil {
		st.err = fmt.Errorf("inspect %s: %w", which, st.err)
	}
	return st
}

// migrate plans from -> want, applies the plan on conn (which holds from), and requires the
// inspected result to have want's fingerprint and an empty re-plan. from and want must differ.
func migrate(ctx context.Context, conn *pgx.Conn, from, want *schema.Realm) error {
	p, err := plan.New(from, want, postgres.Renderer{})
	if err != nil {
		return fmt.Errorf("plan: %v", err)
	}
	if p.Empty() {
		return fmt.Errorf("plan is empty, but from and to differ (%s vs %s)", p.From, p.To)
	}
	if err := roundTrip(p, plan.Header{}); err != nil {
		return fmt.Errorf("plan file: %v", err)
	}
	if err := postgres.Run(ctx, conn, p); err != nil {
		return fmt.Errorf("apply: %v\nplan:\n%s", err, planText(p))
	}
	got, err := postgres.Inspect(ctx, conn)
	if err != nil {
		return fmt.Errorf("inspect after apply: %v", err)
	}
	if schema.Fingerprint(got) != schema.Fingerprint(want) {
		return fmt.Errorf("after apply the fingerprint is %s, want %s\nremaining changes: %s\nplan:\n%s",
			schema.Fingerprint(got), schema.Fingerprint(want), describe(diff.Realms(got, want)), planText(p))
	}
	again, err := plan.New(got, want, postgres.Renderer{})
	if err != nil {
		return fmt.Errorf("re-plan: %v", err)
	}
	if !again.Empty() {
		return fmt.Errorf("re-plan is not empty:\n%s", planText(again))
	}
	return nil
}

// scratch returns a connection to a fresh scratch database, dropped when the test ends.
func scratch(t *testing.T, dev source.DevFunc) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	srv, err := dev(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db, err := srv.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Close(ctx)
		if err := db.Drop(ctx); err != nil {
			t.Errorf("drop scratch database: %v", err)
		}
	})
	return conn
}

func planText(p *plan.Plan) string {
	var b strings.Builder
	for _, s := range p.Statements {
		fmt.Fprintf(&b, "  [tx %d] %s;\n", s.Tx, s.SQL)
	}
	return b.String()
}

func describe(changes []diff.Change) string {
	var parts []string
	for _, c := range changes {
		j, _ := json.Marshal(c)
		parts = append(parts, fmt.Sprintf("\n  %s %s %s", c.Kind(), c.Object(), j))
	}
	return strings.Join(parts, "")
}
