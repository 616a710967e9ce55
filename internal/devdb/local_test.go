//go:build unix

package devdb

import (
	"context"
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// testConfig is the default configuration with caches and run directories of the test's own.
func testConfig(t *testing.T) localConfig {
	t.Helper()
	cfg := defaultLocalConfig()
	cfg.cacheRoot = filepath.Join(t.TempDir(), "cache")
	cfg.tempRoot = openTempDir(t)
	return cfg
}

// openTempDir returns a temporary directory the postgres user can enter when the test
// runs as root (t.TempDir is 0700).
func openTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// roles returns which of names exist as NOLOGIN roles on conn's server, sorted, comma-separated.
func roles(t *testing.T, conn *pgx.Conn, names ...string) string {
	t.Helper()
	var got string
	err := conn.QueryRow(context.Background(), `SELECT coalesce(string_agg(rolname, ',' ORDER BY rolname COLLATE "C"), '')
FROM pg_roles WHERE rolname = ANY($1) AND NOT rolcanlogin`, names).Scan(&got)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func databaseExists(t *testing.T, conn *pgx.Conn, name string) bool {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// assertGone checks that the cluster left nothing behind: no run directory, and no process
// in the postmaster's process group (postmaster and backends).
func assertGone(t *testing.T, runDir string, pid int) {
	t.Helper()
	if _, err := os.Stat(runDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("run directory %s still exists (%v)", runDir, err)
	}
	if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process group %d still has processes (kill: %v)", pid, err)
	}
}

// createInParallel creates n scratch databases concurrently and uses each.
func createInParallel(t *testing.T, s Server, n int) []*DB {
	t.Helper()
	ctx := context.Background()
	dbs := make([]*DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			db, err := s.CreateDB(ctx)
			if err != nil {
				errs[i] = err
				return
			}
			dbs[i] = db
			conn, err := pgx.Connect(ctx, db.URL)
			if err != nil {
				errs[i] = err
				return
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, `CREATE TABLE t (id int PRIMARY KEY, note text); INSERT INTO t VALUES (1, 'x')`); err != nil {
				errs[i] = err
				return
			}
			var got string
			errs[i] = conn.QueryRow(ctx, `SELECT current_database() || ':' || count(*) FROM t`).Scan(&got)
			if errs[i] == nil && got != db.Name+":1" {
				errs[i] = errors.New("query in " + db.Name + " returned " + got)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if dbs[0].Name == dbs[1].Name {
		t.Fatalf("two scratch databases named %s", dbs[0].Name)
	}
	return dbs
}

func TestLocalLifecycle(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "local://postgres")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() }) // when the test fails half way
	l := s.(*local)
	pid, runDir := l.proc.cmd.Process.Pid, l.runDir
	if s.Dialect() != "postgres" || !strings.HasPrefix(s.Version(), l.bins.major+".") {
		t.Errorf("Dialect, Version = %q, %q", s.Dialect(), s.Version())
	}
	if os.Geteuid() == 0 {
		// As root the server must run as, and own its directories as, the postgres user.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range []string{runDir, filepath.Join(runDir, "data")} {
			info, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if uid := info.Sys().(*syscall.Stat_t).Uid; strconv.Itoa(int(uid)) != u.Uid || info.Mode().Perm() != 0o700 {
				t.Errorf("%s: owner %d mode %v, want %s and 0700", dir, uid, info.Mode().Perm(), u.Uid)
			}
		}
	}

	dbs := createInParallel(t, s, 2)
	cfg, err := pgx.ParseConfig(dbs[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != runDir || cfg.Database != dbs[0].Name || cfg.User != "postgres" {
		t.Errorf("URL %s parses to host %q database %q user %q", dbs[0].URL, cfg.Host, cfg.Database, cfg.User)
	}

	// A client still connected must not keep Drop or Close from finishing.
	other := connect(t, dbs[1].URL)
	held := connect(t, dbs[0].URL)
	if err := dbs[0].Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := dbs[0].Drop(ctx); err != nil {
		t.Fatalf("second Drop: %v", err)
	}
	if !held.IsClosed() && held.Ping(ctx) == nil {
		t.Error("a session on a dropped database survived")
	}
	if databaseExists(t, other, dbs[0].Name) || !databaseExists(t, other, dbs[1].Name) {
		t.Errorf("after dropping %s: wrong databases", dbs[0].Name)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	assertGone(t, runDir, pid)
	if err := dbs[1].Drop(ctx); err != nil {
		t.Errorf("Drop after Close: %v", err)
	}
	if _, err := s.CreateDB(ctx); err == nil {
		t.Error("CreateDB after Close: no error")
	}
}

// Ctrl-C cancels the caller's context before the deferred Close runs.
func TestLocalCloseAfterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, err := openLocal(ctx, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	pid, runDir := s.proc.cmd.Process.Pid, s.runDir
	if _, err := s.CreateDB(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := s.CreateDB(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateDB on a cancelled context: %v, want context.Canceled", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, runDir, pid)
}

// Ctrl-C during Open, here while initdb runs, leaves nothing behind either.
func TestLocalOpenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	installed, err := findBinaries(ctx, "", "/usr/lib/postgresql", "")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	// An initdb that announces itself in its working directory (the run directory) and hangs.
	cfg.binDir = openTempDir(t)
	if err := os.Symlink(installed.postgres, filepath.Join(cfg.binDir, "postgres")); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\necho $$ > started.tmp && mv started.tmp started\nexec sleep 300\n"
	if err := os.WriteFile(filepath.Join(cfg.binDir, "initdb"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() {
		s, err := openLocal(ctx, cfg)
		if s != nil {
			s.Close()
		}
		done <- err
	}()
	var pid int
	for pid == 0 {
		started, _ := filepath.Glob(filepath.Join(cfg.tempRoot, runPrefix+"*", "started"))
		if len(started) > 0 {
			b, err := os.ReadFile(started[0])
			if err != nil {
				t.Fatal(err)
			}
			if pid, err = strconv.Atoi(strings.TrimSpace(string(b))); err != nil {
				t.Fatal(err)
			}
			break
		}
		select {
		case err := <-done:
			t.Fatalf("openLocal returned before initdb ran: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("openLocal cancelled during initdb: %v, want context.Canceled", err)
	}
	if left, _ := filepath.Glob(filepath.Join(cfg.tempRoot, runPrefix+"*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("initdb (pid %d) survived: %v", pid, err)
	}
	if cached, _ := filepath.Glob(filepath.Join(cfg.cacheRoot, "postgres-*")); len(cached) > 1 || (len(cached) == 1 && !strings.HasSuffix(cached[0], ".lock")) {
		t.Errorf("an interrupted initdb reached the cache: %v", cached)
	}
}

func TestLocalCache(t *testing.T) {
	cfg := testConfig(t)
	cached := filepath.Join(cfg.cacheRoot, "postgres-")
	before := initdbRuns.Load()

	// Two processes' worth of parallel starts on an empty cache: one initdb between them.
	servers := make([]*local, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range servers {
		wg.Go(func() { servers[i], errs[i] = openLocal(context.Background(), cfg) })
	}
	wg.Wait()
	for _, s := range servers {
		if s != nil {
			t.Cleanup(func() { s.Close() })
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := initdbRuns.Load() - before; n != 1 {
		t.Errorf("initdb ran %d times for two parallel starts, want 1", n)
	}
	cached += servers[0].bins.major
	if !validCluster(cached, servers[0].bins.major) {
		t.Fatalf("no cached cluster in %s", cached)
	}

	again, err := openLocal(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	if n := initdbRuns.Load() - before; n != 1 {
		t.Errorf("initdb ran again with a cached cluster (%d runs)", n)
	}
	createInParallel(t, again, 2)
	// The copy is a cluster of its own: the cache stays untouched by the run.
	if _, err := os.Stat(filepath.Join(cached, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cached cluster was started in place (%v)", err)
	}
}

func TestLocalVersion(t *testing.T) {
	ctx := context.Background()
	bins, err := findBinaries(ctx, "", "/usr/lib/postgresql", "")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, "local://postgres?version="+bins.major+"&roles=app_reader,App")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if !strings.HasPrefix(s.Version(), bins.major+".") {
		t.Errorf("Version() = %q, want %s.x", s.Version(), bins.major)
	}
	db, err := s.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := roles(t, connect(t, db.URL), "app_reader", "App"); got != "App,app_reader" {
		t.Errorf("roles on the cluster: %q, want App and app_reader from roles=", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for url, want := range map[string]string{
		"local://postgres?version=99":  "PostgreSQL 99 is not installed (found: " + bins.major,
		"local://postgres?flavor=x":    `unknown parameter "flavor"`,
		"local://postgres?roles=a,,b":  `an empty role name`,
		"local://postgres?roles=":      `parameter "roles" needs one value`,
		"local://mysql":                "supports local://postgres",
		"local://postgres/db":          "supports local://postgres",
		"local://u:secret@postgres/db": "supports local://postgres",
	} {
		_, err := Open(ctx, url)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) = %v, want an error containing %q", url, err, want)
		}
	}
}
