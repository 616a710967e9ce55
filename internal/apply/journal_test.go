package apply_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
)

// A plan with a concurrent index build between two transactions, on a populated table.
const (
	itemsV1   = "CREATE TABLE items (id bigint PRIMARY KEY, sku text, qty int);"
	itemsRows = "INSERT INTO items SELECT g, 'sku-' || g, g % 100 FROM generate_series(1, 200000) g;"
	itemsV2   = `CREATE TABLE items (id bigint PRIMARY KEY, sku text, qty int, note text, extra text, tag text);
CREATE INDEX items_sku_idx ON items (sku);`
	cicSQL = "CREATE INDEX CONCURRENTLY items_sku_idx ON public.items USING btree (sku)"
)

var itemsPlan = []plan.Statement{
	{SQL: "ALTER TABLE public.items ADD COLUMN note text", Kind: "add-column", Object: "public.items.note", Tx: 1},
	{SQL: "ALTER TABLE public.items ADD COLUMN extra text", Kind: "add-column", Object: "public.items.extra", Tx: 1},
	{SQL: cicSQL, Kind: "add-index", Object: "public.items_sku_idx", Tx: 2},
	{SQL: "ALTER TABLE public.items ADD COLUMN tag text", Kind: "add-column", Object: "public.items.tag", Tx: 3},
}

// The child mode of the test binary: TestMain runs one apply from the environment and exits,
// so a test can SIGKILL a real deploy process mid-way.
const (
	childEnv     = "SEXTANT_APPLY_TEST_CHILD" // the target URL
	childStore   = "SEXTANT_APPLY_TEST_STORE"
	childDesired = "SEXTANT_APPLY_TEST_DESIRED" // a file holding the desired realm as JSON
)

func TestMain(m *testing.M) {
	if url := os.Getenv(childEnv); url != "" {
		os.Exit(child(url))
	}
	os.Exit(m.Run())
}

func child(url string) int {
	b, err := os.ReadFile(os.Getenv(childDesired))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var desired schema.Realm
	if err := json.Unmarshal(b, &desired); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	store, err := registry.OpenFile(os.Getenv(childStore))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	_, err = apply.Run(context.Background(), apply.Options{Schema: "app", Target: url, Desired: &desired, Registry: store,
		Policy: apply.PolicyAlways, Actor: "child", Log: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// syncBuffer is a log that one goroutine writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// connect opens a session on url for the test's own queries.
func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// holdSnapshot opens a transaction with a snapshot on the target, in a session of its own: a
// concurrent index build waits for it to end, so a test can catch the build mid-way without
// timing anything.
func holdSnapshot(t *testing.T, url string) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "SELECT 1"); err != nil { // takes the snapshot
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { tx.Rollback(ctx) }) } //nolint:errcheck // read nothing
	t.Cleanup(func() { release(); conn.Close(ctx) })
	return release
}

// waitForBuild polls the server until a session runs the concurrent build and waits in it
// for older snapshots; it returns that session's pid. alive, when not nil, reports a reason
// to stop looking.
func waitForBuild(t *testing.T, conn *pgx.Conn, alive func() error) int {
	t.Helper()
	for {
		var pid int
		err := conn.QueryRow(context.Background(), `SELECT pid FROM pg_stat_activity
WHERE datname = current_database() AND query = $1 AND wait_event = 'virtualxid'`, cicSQL).Scan(&pid)
		if err == nil {
			return pid
		}
		if err != pgx.ErrNoRows {
			t.Fatal(err)
		}
		if alive != nil {
			if err := alive(); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func invalidIndexes(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_index WHERE NOT indisvalid").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Two deploys at once of a plan with a concurrent index build: one applies, the other waits
// for the lock without holding a snapshot the build would wait for, then finds nothing to
// do. The build is held at its wait for older snapshots until the second deploy is waiting,
// so the two really overlap.
func TestApplyConcurrentDeploysOfAConcurrentBuild(t *testing.T) {
	f := newFixture(t)
	from, to := f.realm(itemsV1), f.realm(itemsV2)
	f.approve("cic", from, to, itemsPlan...)
	url := f.target(itemsV1 + itemsRows)
	conn, release := connect(t, url), holdSnapshot(t, url)

	var (
		wg   sync.WaitGroup
		logs [2]syncBuffer
		outs [2]*apply.Outcome
		errs [2]error
	)
	start := make(chan struct{})
	for i := range 2 {
		o := f.options(url, to)
		o.Log = &logs[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			outs[i], errs[i] = apply.Run(context.Background(), o)
		}()
	}
	close(start)
	waitForBuild(t, conn, nil)
	for !strings.Contains(logs[0].String()+logs[1].String(), "waiting for another apply") {
		time.Sleep(10 * time.Millisecond)
	}
	release()
	wg.Wait()

	results := map[registry.Result]int{}
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("deploy %d: %v\n%s", i, errs[i], logs[i].String())
		}
		results[outs[i].Record.Result]++
	}
	if results[registry.Applied] != 1 || results[registry.NoChanges] != 1 {
		t.Fatalf("results %v, want one applied and one without changes\n%s\n%s", results, logs[0].String(), logs[1].String())
	}
	if n := invalidIndexes(t, conn); n != 0 {
		t.Errorf("%d invalid indexes left", n)
	}
	if f.fingerprint(url) != schema.Fingerprint(to) {
		t.Error("the target is not at the desired state")
	}
}

// A deploy killed (SIGKILL, its server session terminated) during its concurrent index build
// leaves a Running record and an invalid index; the next deploy reports it, drops the
// index, resumes the plan at the build and finishes, and the journal links the two.
func TestApplyResumesAKilledDeploy(t *testing.T) {
	f := newFixture(t)
	from, to := f.realm(itemsV1), f.realm(itemsV2)
	f.approve("cic", from, to, itemsPlan...)
	url := f.target(itemsV1 + itemsRows)
	desired, err := json.Marshal(to)
	if err != nil {
		t.Fatal(err)
	}
	desiredFile := filepath.Join(t.TempDir(), "desired.json")
	if err := os.WriteFile(desiredFile, desired, 0o666); err != nil {
		t.Fatal(err)
	}
	conn, release := connect(t, url), holdSnapshot(t, url)

	var childLog syncBuffer
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+url, childStore+"="+f.dir, childDesired+"="+desiredFile)
	cmd.Stdout, cmd.Stderr = &childLog, &childLog
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	pid := waitForBuild(t, conn, func() error {
		select {
		case err := <-exited:
			return fmt.Errorf("the child deploy ended before its index build (%v):\n%s", err, childLog.String())
		default:
			return nil
		}
	})
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exited
	// The killed client's server session would build on until it next talks to the client.
	if _, err := conn.Exec(context.Background(), "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	for gone := false; !gone; {
		if err := conn.QueryRow(context.Background(), "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)", pid).Scan(&gone); err != nil {
			t.Fatal(err)
		}
	}
	release()
	t.Logf("killed deploy:\n%s", childLog.String())

	// What the kill left: a Running record with the first step journaled, an invalid index.
	before := f.applies()
	if len(before) != 1 || before[0].Result != registry.Running || len(before[0].Steps) != 1 || before[0].Statements != 2 {
		t.Fatalf("journal after the kill: %+v", before)
	}
	if n := invalidIndexes(t, conn); n != 1 {
		t.Fatalf("%d invalid indexes after the kill, want the build's", n)
	}

	var log bytes.Buffer
	o := f.options(url, to)
	o.Log = &log
	out, err := apply.Run(context.Background(), o)
	t.Logf("resumed deploy:\n%s", log.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"apply " + before[0].ID + " (plan cic) was interrupted after statements 1-2 of 4 (step 1 of 3)",
		"dropped the invalid index public.items_sku_idx",
		"resuming plan cic",
		"verified",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log does not say %q", want)
		}
	}
	after := f.applies()
	if len(after) != 2 || after[0].ID != before[0].ID || after[0].Result != registry.Interrupted ||
		after[1].Result != registry.Applied || after[1].Resumes != before[0].ID || after[1].Statements != 4 || len(after[1].Steps) != 3 ||
		after[1].Digest != before[0].Digest || out.Record.ID != after[1].ID || len(out.Interrupted) != 1 {
		t.Errorf("journal after the resume: %+v", after)
	}
	if n := invalidIndexes(t, conn); n != 0 {
		t.Errorf("%d invalid indexes left", n)
	}
	if f.fingerprint(url) != schema.Fingerprint(to) {
		t.Error("the target is not at the desired state")
	}
}

// flakyStore fails RecordApply calls from the failAt-th on (1-based).
type flakyStore struct {
	*registry.File
	calls, failAt int
}

func (s *flakyStore) RecordApply(ctx context.Context, a registry.Apply) (string, error) {
	if s.calls++; s.calls >= s.failAt {
		return "", fmt.Errorf("registry down")
	}
	return s.File.RecordApply(ctx, a)
}

// When the registry cannot journal the start, nothing runs; when it cannot journal a step,
// the run stops before the next step and says so.
func TestApplyStopsWhenTheJournalFails(t *testing.T) {
	f := newFixture(t)
	v3 := "CREATE TABLE users (id bigint PRIMARY KEY, email text, name text, nick text);"
	from, to := f.realm(v1), f.realm(v3)
	f.approve("two-steps", from, to, addName, plan.Statement{SQL: "ALTER TABLE public.users ADD COLUMN nick text", Tx: 1})
	for _, c := range []struct {
		failAt int
		want   string
		at     string // the target's state afterwards
	}{
		{1, "journal the start of the apply", schema.Fingerprint(from)},
		{2, "the apply stops here, before the next step", schema.Fingerprint(f.realm(v2))},
	} {
		url := f.target(v1)
		o := f.options(url, to)
		o.Registry = &flakyStore{File: f.store, failAt: c.failAt}
		_, err := apply.Run(context.Background(), o)
		t.Logf("journal failing at call %d: %v", c.failAt, err)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("journal failing at call %d: %v, want %q", c.failAt, err, c.want)
		}
		if f.fingerprint(url) != c.at {
			t.Errorf("journal failing at call %d: the target is not where the journal stopped", c.failAt)
		}
	}
}

// An interrupted apply whose target moved since its last journaled step is not resumed: the
// deploy names it and both fingerprints, and applies nothing; an orphan of another
// transition is marked interrupted and reported.
func TestApplyRefusesToResumeOnAMovedTarget(t *testing.T) {
	f := newFixture(t)
	from, to := f.realm(v1), f.realm(v2)
	p := f.approve("pr-1", from, to, addName)
	url := f.target("CREATE TABLE users (id bigint PRIMARY KEY, email text, nick text);")
	conn := connect(t, url)
	target := apply.Identity(conn.Config())
	ctx := context.Background()
	other, err := f.store.RecordApply(ctx, registry.Apply{Schema: "app", Plan: "older", From: schema.Fingerprint(from),
		To: schema.Fingerprint(from), Target: target, Result: registry.Running})
	if err != nil {
		t.Fatal(err)
	}
	orphan, err := f.store.RecordApply(ctx, registry.Apply{Schema: "app", Plan: "pr-1", Digest: p.Plan.Digest(),
		From: schema.Fingerprint(from), To: schema.Fingerprint(to), Target: target, Result: registry.Running, Total: 1})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	o := f.options(url, to)
	o.Log = &log
	out, err := apply.Run(ctx, o)
	t.Logf("moved target:\n%s%v", log.String(), err)
	var re *apply.ResumeError
	if !errors.As(err, &re) || re.Apply != orphan || re.Journaled != schema.Fingerprint(from) || re.Target != f.fingerprint(url) {
		t.Fatalf("error %v, want a ResumeError", err)
	}
	got := map[string]registry.Result{}
	for _, a := range f.applies() {
		got[a.ID] = a.Result
	}
	if got[other] != registry.Interrupted || got[orphan] != registry.Interrupted || got[out.Record.ID] != registry.Failed || len(out.Interrupted) != 2 {
		t.Errorf("journal %v", got)
	}
	if !strings.Contains(log.String(), "apply "+other) {
		t.Errorf("the orphan of another transition is not reported")
	}
}
