package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/sqlstore"
	"github.com/sextant-db/sextant/internal/registry/storetest"
)

// pg is the PostgreSQL server of the tests, started on first use and shared; every test
// gets a database of its own on it.
var pg = &devdb.Lazy{URL: "local://postgres"}

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Close()
	os.Exit(code)
}

// open opens url and closes the store when the test ends.
func open(t *testing.T, url string) *sqlstore.DB {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// sqliteURL returns the URL of a new SQLite file.
func sqliteURL(t *testing.T) string {
	return "sqlite://" + filepath.Join(t.TempDir(), "registry.db")
}

// postgresURL creates a database on the test server and returns its URL. PostgreSQL tests
// are skipped in short mode: starting the server takes seconds.
func postgresURL(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("short mode: no PostgreSQL server")
	}
	ctx := context.Background()
	srv, err := pg.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db, err := srv.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Drop(context.Background()) })
	return db.URL
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) registry.Store { return open(t, sqliteURL(t)) })
	storetest.RunServer(t, func(t *testing.T) registry.ServerStore { return open(t, sqliteURL(t)) })
}

func TestSQLiteMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) registry.Store { return open(t, "sqlite://memory") })
	storetest.RunServer(t, func(t *testing.T) registry.ServerStore { return open(t, "sqlite://memory") })
}

func TestPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: no PostgreSQL server")
	}
	storetest.Run(t, func(t *testing.T) registry.Store { return open(t, postgresURL(t)) })
	storetest.RunServer(t, func(t *testing.T) registry.ServerStore { return open(t, postgresURL(t)) })
}

// TestSQLiteRelativePath opens sqlite://relative/path.db: the file, and its directory, are
// created relative to the working directory.
func TestSQLiteRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s := open(t, "sqlite://data/my registry?.db")
	if err := s.PutState(context.Background(), "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "my registry?.db")); err != nil {
		t.Errorf("the database file is not where the URL says: %v", err)
	}
}

// TestSQLiteReopen closes a SQLite store and opens it again: the data is there, the
// migrations are not run twice, and the file is in WAL mode.
func TestSQLiteReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.db")
	s, err := sqlstore.Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres", SQL: "SELECT 1;"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, "sqlite://"+path)
	if st, err := s.State(ctx, "app", fp("1")); err != nil || st.SQL != "SELECT 1;" {
		t.Errorf("after reopening: %+v, %v", st, err)
	}

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var mode string
	var versions int
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q (%v), want wal", mode, err)
	}
	if err := raw.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&versions); err != nil || versions != 2 {
		t.Errorf("schema_migrations has %d rows (%v), want 2", versions, err)
	}
}

// TestNewerSchema opens a database migrated by a later sextant: Open refuses it rather than
// write to a schema it does not know.
func TestNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.db")
	open(t, "sqlite://"+path)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	_, err = sqlstore.Open(ctx, "sqlite://"+path)
	if err == nil || !strings.Contains(err.Error(), "schema version 99") {
		t.Errorf("Open of a newer schema = %v, want an error naming version 99", err)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ url, want string }{
		{"mysql://u:s3cret@localhost/db", "unsupported URL"},
		{"registry.db", "unsupported URL"},
		{"sqlite://", "no file"},
		{"sqlite://" + file + "/registry.db", file},
		// Nothing listens on port 1: the connection is refused at once.
		{"postgres://app:s3cret@127.0.0.1:1/app?connect_timeout=5", "127.0.0.1"},
		{"postgresql://app:s3cret@127.0.0.1:1/app?sslmode=nonsense", "sslmode"},
	} {
		_, err := sqlstore.Open(ctx, tc.url)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%s) = %v, want an error about %s", tc.url, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open(%s): the error shows the password: %v", tc.url, err)
		}
	}
}

// TestPostgresConcurrentOpen opens four stores on one new PostgreSQL database at once, as
// replicas starting together would: each migrates without error, the schema is built once,
// and each sees what the others write.
func TestPostgresConcurrentOpen(t *testing.T) {
	url := postgresURL(t)
	ctx := context.Background()
	const n = 4
	stores := make([]*sqlstore.DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			stores[i], errs[i] = sqlstore.Open(ctx, url)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("store %d: %v", i, err)
		}
		t.Cleanup(func() { stores[i].Close() })
	}
	for i, s := range stores {
		if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp(fmt.Sprint(i)), Dialect: "postgres"}); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range stores {
		for j := range n {
			if _, err := s.State(ctx, "app", fp(fmt.Sprint(j))); err != nil {
				t.Errorf("store %d does not see the state store %d put: %v", i, j, err)
			}
		}
	}
	testTwoHandles(t, stores[0], stores[1])
}

// TestSQLiteTwoHandles races two stores on one SQLite file, as two processes would.
func TestSQLiteTwoHandles(t *testing.T) {
	url := sqliteURL(t)
	testTwoHandles(t, open(t, url), open(t, url))
}

// testTwoHandles approves one plan from 8 goroutines split between two handles on one
// database, and records applies through both: one approver wins, and the log is in the order
// of its IDs.
func testTwoHandles(t *testing.T, a, b *sqlstore.DB) {
	ctx := context.Background()
	handles := []*sqlstore.DB{a, b}
	p := &registry.Plan{Schema: "race", Header: plan.Header{Name: "pr-1"},
		Plan: &plan.Plan{Dialect: "postgres", From: fp("1"), To: fp("2"), Statements: []plan.Statement{{SQL: "SELECT 1"}}}}
	if err := a.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	const approvers = 8
	wins := make(chan int, approvers)
	var wg sync.WaitGroup
	for i := range approvers {
		wg.Go(func() {
			_, err := handles[i%2].Approve(ctx, "race", "pr-1", registry.Approval{Digest: p.Plan.Digest(), Actor: fmt.Sprint("approver-", i)})
			var conflict *registry.ConflictError
			switch {
			case err == nil:
				wins <- i
			case !errors.As(err, &conflict):
				t.Errorf("approver %d: %v", i, err)
			}
		})
	}
	for i := range 2 * approvers {
		wg.Go(func() {
			if _, err := handles[i%2].RecordApply(ctx, registry.Apply{Schema: "race", Target: fmt.Sprint(i), Result: registry.Applied}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	close(wins)
	if n := len(wins); n != 1 {
		t.Errorf("%d approvers won, want 1", n)
	}
	for _, h := range handles {
		got, err := h.Plan(ctx, "race", "pr-1")
		if err != nil || got.Header.Status != plan.Approved {
			t.Errorf("the plan after the race: %+v, %v", got, err)
		}
		as, err := h.Applies(ctx, "race")
		if err != nil || len(as) != 2*approvers {
			t.Fatalf("Applies = %d applies, %v; want %d", len(as), err, 2*approvers)
		}
		for i := 1; i < len(as); i++ {
			if as[i].ID <= as[i-1].ID {
				t.Errorf("apply %d: ID %s after %s", i, as[i].ID, as[i-1].ID)
			}
		}
	}
}

// TestDuplicateApplyID records a caller's apply ID twice in one schema: the second is
// refused, and the same ID in another schema is fine.
func TestDuplicateApplyID(t *testing.T) {
	ctx := context.Background()
	s := open(t, sqliteURL(t))
	a := registry.Apply{ID: "run-1", Schema: "app", Result: registry.Applied}
	if _, err := s.RecordApply(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordApply(ctx, a); err == nil || !strings.Contains(err.Error(), `"run-1"`) {
		t.Errorf("the same ID again = %v, want an error naming it", err)
	}
	a.Schema = "web"
	if _, err := s.RecordApply(ctx, a); err != nil {
		t.Errorf("the same ID in another schema: %v", err)
	}
}

// TestAuditNoLimit reads the audit log with a limit of 0: every entry.
func TestAuditNoLimit(t *testing.T) {
	ctx := context.Background()
	s := open(t, sqliteURL(t))
	for i := range 3 {
		if err := s.AppendAudit(ctx, registry.AuditEntry{Actor: "admin", Action: "state.push", Object: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if es, err := s.Audit(ctx, "", 0, 0); err != nil || len(es) != 3 {
		t.Errorf("Audit with no limit = %d entries, %v; want 3", len(es), err)
	}
}

// fp returns a fingerprint made of one repeated hex digit.
func fp(digit string) string { return "sha256:" + strings.Repeat(digit, 64) }
