package server_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/client"
	"github.com/sextant-db/sextant/internal/registry/server"
	"github.com/sextant-db/sextant/internal/registry/sqlstore"
)

// testPlan is a one-statement PENDING plan of repo app from one fingerprint to another.
func testPlan(name, from, to string) *registry.Plan {
	return &registry.Plan{
		Schema: "app",
		Header: plan.Header{Name: name, CreatedBy: "ci"},
		Plan: &plan.Plan{Dialect: "postgres", From: from, To: to, Statements: []plan.Statement{
			{SQL: "CREATE TABLE public.t (id integer)", Kind: "add-table", Object: "public.t"},
		}},
	}
}

// serverProc is a registry server in a process of its own: the test binary re-executed with
// serveEnv (see TestMain).
type serverProc struct {
	cmd *exec.Cmd
	url string
	log string // the server's stderr
}

// startServer starts a server process over storage and waits until it listens. The test's
// cleanup kills it if it still runs, and shows its log if the test failed.
func startServer(t *testing.T, storage string) *serverProc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	logFile, err := os.CreateTemp(t.TempDir(), "server-*.log")
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close() // the child has its own descriptor
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serveEnv+"="+storage)
	cmd.Stderr = logFile
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProc{cmd: cmd, log: logFile.Name()}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		// The server is the race-enabled test binary under go test -race: a race it found is
		// in its log, and the test's to report.
		b, _ := os.ReadFile(p.log)
		if strings.Contains(string(b), "WARNING: DATA RACE") {
			t.Errorf("server %d found a data race", cmd.Process.Pid)
		}
		if t.Failed() {
			t.Logf("log of server %d:\n%s", cmd.Process.Pid, b)
		}
	})

	lines := make(chan string, 1)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			lines <- sc.Text()
		}
	}()
	select {
	case line, ok := <-lines:
		addr, found := strings.CutPrefix(line, "listening ")
		if !ok || !found {
			_ = cmd.Wait()
			b, _ := os.ReadFile(p.log)
			t.Fatalf("the server process did not start (%v):\n%s", cmd.ProcessState, b)
		}
		p.url = "http://" + addr
	case <-time.After(time.Minute):
		// Not a performance bound: a server that has not opened its store in a minute hangs.
		t.Fatal("the server process did not listen within a minute")
	}
	return p
}

// kill sends SIGKILL to the server and waits until it is gone: no deferred function, no
// graceful shutdown, no flush runs.
func (p *serverProc) kill(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(p.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the server ended with %v, not by SIGKILL", p.cmd.ProcessState)
	}
}

// stop stops the server with SIGTERM, gracefully: it must exit 0.
func (p *serverProc) stop(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(p.cmd.Process.Pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("the server's graceful stop: %v", err)
	}
}

// httpClient is an HTTP client that keeps a connection per concurrent caller, as that many
// CI jobs would, rather than the transport's default two.
func httpClient(conns int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = conns
	tr.MaxIdleConnsPerHost = conns
	// A bound on a request that never ends, so that a hang fails the test instead of timing
	// it out; no request here comes near it.
	return &http.Client{Transport: tr, Timeout: time.Minute}
}

// acked is what the server acknowledged: the plans whose creation and approval returned
// success. Those must survive anything short of losing the disk.
type acked struct {
	mu        sync.Mutex
	plans     []string
	approvals []string
}

func (a *acked) add(list *[]string, name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	*list = append(*list, name)
}

// TestKillDuringWrites kills the server with SIGKILL while 16 clients create and approve
// plans, three times, restarting it on the same storage each time: no acknowledged plan or
// approval is lost, the database is intact, and the server works on.
//
// The server runs in a process of its own so that the kill is a real one: the process dies
// between any two instructions, with requests half read, transactions open and answers
// half written. What was acknowledged had committed before its answer was sent, so it must
// all be there; what was in flight may or may not be.
func TestKillDuringWrites(t *testing.T) {
	for _, tc := range []struct {
		name    string
		storage func(t *testing.T) (url, sqlitePath string)
	}{
		{"sqlite", func(t *testing.T) (string, string) {
			path := filepath.Join(t.TempDir(), "registry.db")
			return "sqlite://" + path, path
		}},
		{"postgres", func(t *testing.T) (string, string) { return postgresURL(t), "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storage, sqlitePath := tc.storage(t)
			testKillDuringWrites(t, storage, sqlitePath)
		})
	}
}

const (
	killRounds  = 3
	killClients = 16
	// killAfter is how many operations are acknowledged in a round before the kill; the
	// clients keep writing while it is sent, so several requests are in flight when it lands.
	killAfter = 300
)

func testKillDuringWrites(t *testing.T, storage, sqlitePath string) {
	ctx := context.Background()
	// The token is made with direct database access, as `sextant registry token create`
	// does, before any server runs.
	db, err := sqlstore.Open(ctx, storage)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := server.CreateToken(ctx, db, "ci-main", []registry.Scope{registry.ScopeRead, registry.ScopePlan, registry.ScopeApprove}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	var ack acked
	srv := startServer(t, storage)
	for round := range killRounds {
		inFlight := writeUntilKilled(t, srv, secret, round, &ack)
		t.Logf("round %d: killed with %d plans and %d approvals acknowledged so far; %d requests failed with the server gone",
			round, len(ack.plans), len(ack.approvals), inFlight)
		if t.Failed() {
			return
		}
		if sqlitePath != "" {
			checkSQLite(t, sqlitePath)
		}
		srv = startServer(t, storage)
		verifyAcked(t, client.New(srv.url, secret, nil), &ack, round)
	}
	srv.stop(t)
}

// writeUntilKilled runs killClients clients that create and approve plans until killAfter
// operations are acknowledged, then kills the server while they go on. It returns how many
// requests failed once the kill was sent.
func writeUntilKilled(t *testing.T, srv *serverProc, secret string, round int, ack *acked) int {
	ctx := context.Background()
	c := client.New(srv.url, secret, httpClient(killClients))
	var (
		n        atomic.Int64
		killed   atomic.Bool
		failed   atomic.Int64
		reached  = make(chan struct{})
		signalIt sync.Once
		wg       sync.WaitGroup
	)
	// done counts an acknowledged operation and wakes the killer at the threshold.
	done := func() {
		if n.Add(1) == killAfter {
			signalIt.Do(func() { close(reached) })
		}
	}
	// fail sorts an error: after the kill it is expected, before it the test fails. The flag
	// is set before the signal is sent, so no error caused by the kill is seen as earlier.
	fail := func(what string, err error) {
		if killed.Load() {
			failed.Add(1)
			return
		}
		t.Errorf("%s before the kill: %v", what, err)
		signalIt.Do(func() { close(reached) })
	}
	for i := range killClients {
		wg.Go(func() {
			for j := 0; ; j++ {
				name := fmt.Sprintf("r%d-c%d-%d", round, i, j)
				if err := c.SavePlan(ctx, testPlan(name, fp("1"), fp("2"))); err != nil {
					fail("create "+name, err)
					return
				}
				ack.add(&ack.plans, name)
				done()
				if _, err := c.Approve(ctx, "app", name, registry.Approval{Digest: testPlan("", fp("1"), fp("2")).Plan.Digest(), Actor: "approver-" + name}); err != nil {
					fail("approve "+name, err)
					return
				}
				ack.add(&ack.approvals, name)
				done()
			}
		})
	}
	<-reached
	killed.Store(true)
	srv.kill(t)
	wg.Wait()
	return int(failed.Load())
}

// checkSQLite runs SQLite's own consistency check on the database the killed server left,
// before anything else opens it.
func checkSQLite(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var result string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
		t.Fatalf("integrity_check after the kill: %q, %v", result, err)
	}
}

// verifyAcked checks through the restarted server that every acknowledged plan and approval
// is there, that every stored plan and approval, acknowledged or cut off by the kill, has its
// audit entry, and that the server takes new writes.
func verifyAcked(t *testing.T, c *client.Client, ack *acked, round int) {
	t.Helper()
	ctx := context.Background()
	plans, err := c.Plans(ctx, "app", registry.Filter{})
	if err != nil {
		t.Fatalf("listing plans after the restart: %v", err)
	}
	byName := map[string]*registry.Plan{}
	for _, p := range plans {
		byName[p.Header.Name] = p
		if s := p.Header.Status; s != plan.Pending && s != plan.Approved {
			t.Errorf("plan %s is %s", p.Header.Name, s)
		}
	}
	for _, name := range ack.plans {
		if byName[name] == nil {
			t.Errorf("acknowledged plan %s is lost", name)
		}
	}
	for _, name := range ack.approvals {
		if p := byName[name]; p != nil && (p.Header.Status != plan.Approved || p.Header.ApprovedBy != "approver-"+name) {
			t.Errorf("acknowledged approval of %s is lost: the plan is %s, approved by %q", name, p.Header.Status, p.Header.ApprovedBy)
		}
	}

	// The audit entry is written in the change's transaction, so every stored change has one,
	// whether or not its answer got out before the kill.
	audited := map[string]bool{}
	for after := int64(0); ; {
		page, err := c.Audit(ctx, "app", after, 1000)
		if err != nil {
			t.Fatalf("reading the audit log after the restart: %v", err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			audited[e.Action+" "+e.Object] = true
		}
		after = page[len(page)-1].ID
	}
	for _, p := range plans {
		name := p.Header.Name
		if !audited["plan.create "+name] {
			t.Errorf("stored plan %s has no plan.create audit entry", name)
		}
		if p.Header.Status == plan.Approved && !audited["plan.approve "+name] {
			t.Errorf("approval of %s is stored without its plan.approve audit entry", name)
		}
	}

	name := fmt.Sprintf("after-kill-%d", round)
	if err := c.SavePlan(ctx, testPlan(name, fp("1"), fp("2"))); err != nil {
		t.Fatalf("a new plan after the restart: %v", err)
	}
	if _, err := c.Approve(ctx, "app", name, registry.Approval{Digest: testPlan("", fp("1"), fp("2")).Plan.Digest(), Actor: ""}); err != nil {
		t.Fatalf("an approval after the restart: %v", err)
	}
}

// TestReplicas runs two servers on one PostgreSQL database, each with its own connection
// pool, as replicas behind a load balancer: what one writes the other serves at once,
// tokens made or revoked on one count on the other, and the compare-and-set holds across
// them.
func TestReplicas(t *testing.T) {
	ctx := context.Background()
	url := postgresURL(t)
	var urls [2]string
	for i := range urls {
		db, err := sqlstore.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		srv := httptest.NewServer(server.New(db, server.Options{}))
		t.Cleanup(srv.Close)
		urls[i] = srv.URL
	}
	// The admin token is made on the database directly; the replicas only share the database.
	admin, err := sqlstore.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := server.CreateToken(ctx, admin, "ops", []registry.Scope{registry.ScopeAdmin}, nil)
	admin.Close()
	if err != nil {
		t.Fatal(err)
	}
	a, b := client.New(urls[0], secret, nil), client.New(urls[1], secret, nil)

	t.Run("WriteOneReadOther", func(t *testing.T) {
		for _, f := range []string{fp("1"), fp("2")} {
			if err := a.PutState(ctx, "app", registry.State{Fingerprint: f, Dialect: "postgres", SQL: "-- " + f}); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Tag(ctx, "app", "main", fp("1")); err != nil {
			t.Fatal(err)
		}
		if err := a.SavePlan(ctx, testPlan("pr-1", fp("1"), fp("2"))); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Approve(ctx, "app", "pr-1", registry.Approval{Digest: testPlan("", fp("1"), fp("2")).Plan.Digest(), Actor: "alice"}); err != nil {
			t.Fatal(err)
		}
		id, err := a.RecordApply(ctx, registry.Apply{Schema: "app", Plan: "pr-1", From: fp("1"), To: fp("2"), Target: "db1", Result: registry.Applied})
		if err != nil {
			t.Fatal(err)
		}

		if st, err := b.State(ctx, "app", fp("2")); err != nil || st.SQL != "-- "+fp("2") {
			t.Errorf("state by fingerprint through the other replica: %+v, %v", st, err)
		}
		if st, err := b.State(ctx, "app", "main"); err != nil || st.Fingerprint != fp("1") {
			t.Errorf("state by tag through the other replica: %+v, %v", st, err)
		}
		ps, err := b.Plans(ctx, "app", registry.Filter{From: fp("1"), To: fp("2"), Status: plan.Approved})
		if err != nil || len(ps) != 1 || ps[0].Header.Name != "pr-1" || ps[0].Header.ApprovedBy != "alice" {
			t.Errorf("approved plans through the other replica: %v, %v", ps, err)
		}
		as, err := b.Applies(ctx, "app")
		if err != nil || len(as) != 1 || as[0].ID != id || as[0].Target != "db1" {
			t.Errorf("applies through the other replica: %+v, %v", as, err)
		}
		entries, err := b.Audit(ctx, "app", 0, 0)
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if want := []string{"state.push", "state.push", "tag.set", "plan.create", "plan.approve", "apply.record"}; err != nil || !slices.Equal(actions, want) {
			t.Errorf("audit through the other replica: %v, %v; want %v", actions, err, want)
		}

		// And back: a tag moved through the second is what the first serves.
		if err := b.Tag(ctx, "app", "main", fp("2")); err != nil {
			t.Fatal(err)
		}
		if st, err := a.State(ctx, "app", "main"); err != nil || st.Fingerprint != fp("2") {
			t.Errorf("the moved tag through the first replica: %+v, %v", st, err)
		}
	})

	t.Run("Tokens", func(t *testing.T) {
		// No replica keeps tokens of its own: one made on the first works on the second at
		// once, and one revoked on the second is refused by the first at once.
		pr, tok, err := a.CreateToken(ctx, "ci-pr", []registry.Scope{registry.ScopeRead}, []string{"app"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.New(urls[1], pr, nil).Plans(ctx, "app", registry.Filter{}); err != nil {
			t.Errorf("a token made on one replica, used on the other: %v", err)
		}
		if err := b.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = client.New(urls[0], pr, nil).Plans(ctx, "app", registry.Filter{})
		var se *client.StatusError
		if !errors.As(err, &se) || se.Code != http.StatusUnauthorized || !strings.Contains(se.Message, "revoked") {
			t.Errorf("a token revoked on one replica, used on the other: %v, want 401 revoked", err)
		}
	})

	t.Run("ApproveRace", func(t *testing.T) {
		for i := range 10 {
			name := fmt.Sprintf("race-%d", i)
			if err := a.SavePlan(ctx, testPlan(name, fp("1"), fp("2"))); err != nil {
				t.Fatal(err)
			}
			var (
				wg    sync.WaitGroup
				errs  [2]error
				start = make(chan struct{})
			)
			for j, c := range []*client.Client{a, b} {
				wg.Go(func() {
					<-start
					_, errs[j] = c.Approve(ctx, "app", name, registry.Approval{Digest: testPlan("", fp("1"), fp("2")).Plan.Digest(), Actor: fmt.Sprint("approver-", j)})
				})
			}
			close(start)
			wg.Wait()
			winners := 0
			for j, err := range errs {
				var conflict *registry.ConflictError
				switch {
				case err == nil:
					winners++
				case errors.As(err, &conflict) && conflict.Got == plan.Approved:
				default:
					t.Errorf("%s: replica %d: %v, want success or a conflict with APPROVED", name, j, err)
				}
			}
			if winners != 1 {
				t.Errorf("%s: %d approvals succeeded across the replicas (%v), want 1", name, winners, errs)
			}
		}
	})

	t.Run("ConcurrentWrites", func(t *testing.T) {
		// Eight writers split across the replicas create plans and record applies at once:
		// both replicas list all of them, and the apply log is in the order of its IDs.
		const writers, each = 8, 25
		var wg sync.WaitGroup
		for w := range writers {
			c := []*client.Client{a, b}[w%2]
			wg.Go(func() {
				for k := range each {
					if err := c.SavePlan(ctx, testPlan(fmt.Sprintf("w%d-%d", w, k), fp("3"), fp("4"))); err != nil {
						t.Error(err)
						return
					}
					if _, err := c.RecordApply(ctx, registry.Apply{Schema: "many", Target: fmt.Sprintf("w%d-%d", w, k), Result: registry.NoChanges}); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		for i, c := range []*client.Client{a, b} {
			ps, err := c.Plans(ctx, "app", registry.Filter{From: fp("3"), To: fp("4")})
			if err != nil || len(ps) != writers*each {
				t.Errorf("replica %d lists %d of the %d plans: %v", i, len(ps), writers*each, err)
			}
			as, err := c.Applies(ctx, "many")
			if err != nil || len(as) != writers*each {
				t.Fatalf("replica %d lists %d of the %d applies: %v", i, len(as), writers*each, err)
			}
			seen := map[string]bool{}
			for k, ap := range as {
				seen[ap.Target] = true
				if k > 0 && ap.ID <= as[k-1].ID {
					t.Errorf("replica %d: apply %d has ID %s after %s", i, k, ap.ID, as[k-1].ID)
				}
			}
			if len(seen) != writers*each {
				t.Errorf("replica %d: %d distinct applies, want %d", i, len(seen), writers*each)
			}
		}
	})
}
