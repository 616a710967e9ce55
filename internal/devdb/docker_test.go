//go:build unix

package devdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/dockertest"
)

// The docker:// tests run on the engine dockertest provides (a private dockerd unless
// DOCKER_HOST or the system socket names one) with images built from Debian packages, since
// no image can be pulled: sextant-test/postgres:15 and sextant-test/mariadb:10.11. Containers
// join dockertest's bridge network and publish their port on 127.0.0.1, as they would on a
// developer's or a CI runner's engine; TestDockerHostNetwork covers network=host.

var dockerEnvOnce sync.Once

// testEngine returns the test engine and points DOCKER_HOST at it. testcontainers-go keeps the
// engine it finds first for the life of the process, so every test uses this one.
func testEngine(t testing.TB) string {
	t.Helper()
	host := dockertest.Engine(t)
	dockerEnvOnce.Do(func() { os.Setenv("DOCKER_HOST", host) })
	if got := os.Getenv("DOCKER_HOST"); got != host {
		t.Fatalf("DOCKER_HOST is %s, want the test engine %s", got, host)
	}
	dockertest.Network(t, host)
	return host
}

// dockerURL is the docker:// URL of engine (postgres, mysql or mariadb) on the test engine
// and its test images, with extra parameters appended.
func dockerURL(t testing.TB, engine, extra string) string {
	t.Helper()
	host := testEngine(t)
	var u string
	switch engine {
	case "postgres":
		u = "docker://postgres/15?image=" + dockertest.PostgresImage(t, host)
	case "mysql":
		u = "docker://mysql/8?image=" + dockertest.MariaDBImage(t, host)
	case "mariadb":
		u = "docker://mariadb/10.11?image=" + dockertest.MariaDBImage(t, host)
	default:
		t.Fatalf("no test image for %s", engine)
	}
	if !strings.Contains(extra, "network=") {
		u += "&network=" + dockertest.NetworkName
	}
	if extra != "" {
		u += "&" + extra
	}
	return u
}

// docker runs the docker CLI against the test engine.
func docker(t testing.TB, args ...string) (string, error) {
	t.Helper()
	out, err := dockertest.Command(context.Background(), testEngine(t), args...).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// ownContainers lists the IDs of the containers this process owns for the dev URL url, by
// label. Tests running in parallel use URLs of their own.
func ownContainers(t *testing.T, url string) []string {
	t.Helper()
	ids, err := listOwn(testEngine(t), url)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// listOwn is ownContainers for goroutines other than the test's.
func listOwn(host, url string) ([]string, error) {
	out, err := dockertest.Command(context.Background(), host, "ps", "-aq", "--no-trunc",
		"--filter", "label="+labelPID+"="+strconv.Itoa(os.Getpid()), "--filter", "label="+labelURL+"="+url).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("docker ps: %v: %s", err, out)
	}
	return strings.Fields(string(out)), nil
}

func containerExists(t *testing.T, id string) bool {
	t.Helper()
	out, err := docker(t, "container", "inspect", "--format", "{{.Id}}", id)
	if err != nil && !strings.Contains(strings.ToLower(out), "no such") {
		t.Fatalf("docker container inspect %s: %v: %s", id, err, out)
	}
	return err == nil
}

func openTestDocker(t *testing.T, url string) *dockerServer {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.(*dockerServer)
}

// TestDockerPostgres: one container serves every scratch database of a run, publishes its
// port on loopback only, carries its owner's labels and is gone after Close.
func TestDockerPostgres(t *testing.T) {
	url := dockerURL(t, "postgres", "roles=app_reader,App")
	before := ownContainers(t, url)
	s := openTestDocker(t, url)
	id := s.ctr.id
	if s.Dialect() != "postgres" || !strings.HasPrefix(s.Version(), "15.") {
		t.Errorf("Dialect, Version = %q, %q, want postgres, 15.x", s.Dialect(), s.Version())
	}

	labels, err := docker(t, "container", "inspect", "--format", "{{json .Config.Labels}}", id)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	for k, v := range map[string]string{labelDevDB: "1", labelPID: strconv.Itoa(os.Getpid()), labelHost: host, labelURL: url} {
		if want := fmt.Sprintf("%q:%q", k, v); !strings.Contains(labels, want) {
			t.Errorf("labels %s lack %s", labels, want)
		}
	}
	port, err := docker(t, "port", id, "5432/tcp")
	if err != nil || !regexp.MustCompile(`^127\.0\.0\.1:\d+$`).MatchString(port) {
		t.Errorf("docker port: %q (%v), want the port published on 127.0.0.1 only", port, err)
	}

	// from, to and the simulation: three scratch databases, one container.
	dbs := createInParallel(t, s, 3)
	for _, db := range dbs {
		cfg, err := pgx.ParseConfig(db.URL)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Host != "127.0.0.1" || port != "127.0.0.1:"+strconv.Itoa(int(cfg.Port)) || cfg.Database != db.Name {
			t.Errorf("scratch URL %s: host %s port %d database %s, want the container's %s", db.URL, cfg.Host, cfg.Port, cfg.Database, port)
		}
		// The superuser's password is random, set for this container alone.
		if cfg.User != "postgres" || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(cfg.Password) || strings.Contains(url, cfg.Password) {
			t.Errorf("scratch URL %s: want user postgres and a random password", dburl.Redact(db.URL))
		}
	}
	if now := ownContainers(t, url); len(now) != len(before)+1 {
		t.Errorf("%d containers of this process after three scratch databases, want %d", len(now), len(before)+1)
	}
	other := connect(t, dbs[1].URL)
	if got := roles(t, other, "app_reader", "App"); got != "App,app_reader" {
		t.Errorf("roles on the container: %q, want App and app_reader from roles=", got)
	}
	var collate string
	if err := other.QueryRow(context.Background(), "SELECT datcollate FROM pg_database WHERE datname = current_database()").Scan(&collate); err != nil || collate != "C" {
		t.Errorf("scratch database collation %q (%v), want C as on local://postgres", collate, err)
	}
	if err := dbs[0].Drop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if databaseExists(t, other, dbs[0].Name) || !databaseExists(t, other, dbs[2].Name) {
		t.Error("Drop removed the wrong database")
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if containerExists(t, id) {
		t.Errorf("container %s survived Close", id)
	}
	if _, err := s.CreateDB(context.Background()); err == nil {
		t.Error("CreateDB after Close: no error")
	}
	if err := dbs[1].Drop(context.Background()); err != nil {
		t.Errorf("Drop after Close: %v", err)
	}
}

// TestDockerHostNetwork: with network=host the container shares the engine host's network,
// and the server listens on a free loopback port that Sextant chose.
func TestDockerHostNetwork(t *testing.T) {
	s := openTestDocker(t, dockerURL(t, "postgres", "network=host"))
	mode, err := docker(t, "container", "inspect", "--format", "{{.HostConfig.NetworkMode}}", s.ctr.id)
	if err != nil || mode != "host" {
		t.Errorf("network mode %q (%v), want host", mode, err)
	}
	dbs := createInParallel(t, s, 2)
	cfg, err := pgx.ParseConfig(dbs[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "127.0.0.1" || cfg.Port == 5432 {
		t.Errorf("scratch URL %s, want 127.0.0.1 and a port of Sextant's choosing", dbs[0].URL)
	}
	var listen string
	if err := connect(t, dbs[0].URL).QueryRow(context.Background(), "SHOW listen_addresses").Scan(&listen); err != nil || listen != "127.0.0.1" {
		t.Errorf("listen_addresses = %q (%v), want 127.0.0.1: the host's other interfaces stay closed", listen, err)
	}
	id := s.ctr.id
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if containerExists(t, id) {
		t.Errorf("container %s survived Close", id)
	}
}

// TestDockerMySQLFamily: docker://mariadb and docker://mysql hand out MySQL-family scratch
// databases (both run on the MariaDB test image here).
func TestDockerMySQLFamily(t *testing.T) {
	for _, engine := range []string{"mariadb", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			s := openTestDocker(t, dockerURL(t, engine, ""))
			if s.Dialect() != "mysql" || !strings.HasPrefix(s.Version(), "10.11.") || !strings.HasSuffix(s.Version(), "-MariaDB") {
				t.Errorf("Dialect, Version = %q, %q, want mysql, 10.11.x-MariaDB", s.Dialect(), s.Version())
			}
			ctx := context.Background()
			dbs := make([]*DB, 2)
			var wg sync.WaitGroup
			errs := make([]error, len(dbs))
			for i := range dbs {
				wg.Go(func() {
					if dbs[i], errs[i] = s.CreateDB(ctx); errs[i] != nil {
						return
					}
					errs[i] = useMySQL(ctx, dbs[i])
				})
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			if dbs[0].Name == dbs[1].Name {
				t.Fatalf("two scratch databases named %s", dbs[0].Name)
			}
			if err := dbs[0].Drop(ctx); err != nil {
				t.Fatal(err)
			}
			names := mysqlDatabases(t, dbs[1])
			if names[dbs[0].Name] || !names[dbs[1].Name] {
				t.Errorf("after dropping %s the server has %v", dbs[0].Name, names)
			}
			id := s.ctr.id
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if containerExists(t, id) {
				t.Errorf("container %s survived Close", id)
			}
		})
	}
}

// useMySQL creates a table in db and reads it back.
func useMySQL(ctx context.Context, db *DB) error {
	dsn, err := MySQLDSN(db.URL)
	if err != nil {
		return err
	}
	conn, err := sql.Open("mysql", dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE TABLE t (id int PRIMARY KEY, note text)"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO t VALUES (1, 'x')"); err != nil {
		return err
	}
	var got string
	if err := conn.QueryRowContext(ctx, "SELECT CONCAT(DATABASE(), ':', COUNT(*)) FROM t").Scan(&got); err != nil {
		return err
	}
	if got != db.Name+":1" {
		return fmt.Errorf("query in %s returned %s", db.Name, got)
	}
	return nil
}

func mysqlDatabases(t *testing.T, db *DB) map[string]bool {
	t.Helper()
	dsn, err := MySQLDSN(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query("SHOW DATABASES")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names[n] = true
	}
	return names
}

// openFailing opens a docker server whose container runs cmd instead of the server, and
// returns the error; it fails t when Open succeeds or leaves a container behind.
func openFailing(ctx context.Context, t *testing.T, extra string, cmd ...string) error {
	t.Helper()
	url := dockerURL(t, "postgres", extra)
	spec, err := parseDockerURL(url)
	if err != nil {
		t.Fatal(err)
	}
	spec.cmd = cmd
	before := ownContainers(t, url)
	s, err := openDocker(ctx, spec)
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded")
	}
	if now := ownContainers(t, url); len(now) > len(before) {
		t.Errorf("a failed Open left containers behind: %v (before: %v)", now, before)
	}
	return err
}

// A server that never answers: the start timeout, with the container's log.
func TestDockerStartTimeout(t *testing.T) {
	t.Parallel()
	err := openFailing(context.Background(), t, "timeout=2s", "sh", "-c", "echo waiting for nothing; exec sleep 300")
	msg := err.Error()
	for _, want := range []string{"did not accept connections within 2s", "?timeout=", "waiting for nothing", "dev database docker://postgres/15?"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
}

// A server that exits: its exit code and log, with the password masked.
func TestDockerExited(t *testing.T) {
	t.Parallel()
	err := openFailing(context.Background(), t, "timeout=1m1s", "sh", "-c", "echo password=$POSTGRES_PASSWORD the server failed >&2; exit 3")
	msg := err.Error()
	for _, want := range []string{"exited with code 3", "password=xxxxx the server failed"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if regexp.MustCompile(`[0-9a-f]{32}`).MatchString(msg) {
		t.Errorf("error %q leaks the password", msg)
	}
}

// Ctrl-C while the server starts: Open returns context.Canceled and removes the container.
func TestDockerOpenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const extra = "timeout=1m2s"
	url := dockerURL(t, "postgres", extra)
	host := testEngine(t)
	before := len(ownContainers(t, url))
	listed := make(chan error, 1)
	go func() {
		// Cancel once the container exists: Open is then waiting for a server that never
		// comes. A failing docker ps cancels at once, and fails the test below.
		var err error
		for ctx.Err() == nil {
			var ids []string
			if ids, err = listOwn(host, url); err != nil || len(ids) > before {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
		listed <- err
	}()
	err := openFailing(ctx, t, extra, "sleep", "300")
	if err := <-listed; err != nil {
		t.Fatal(err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Open cancelled during start: %v, want context.Canceled", err)
	}
}

// An image the engine lacks and cannot pull. The registry named is on loopback, where nothing
// listens: the pull fails at once and no traffic leaves the machine.
func TestDockerImageMissing(t *testing.T) {
	t.Parallel()
	testEngine(t)
	url := "docker://postgres/15?image=127.0.0.1:1/sextant/missing:1&network=" + dockertest.NetworkName
	before := ownContainers(t, url)
	_, err := Open(context.Background(), url)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{"image 127.0.0.1:1/sextant/missing:1 is not on the Docker engine and pulling it failed", "docker load", "?image="} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if now := ownContainers(t, url); len(now) > len(before) {
		t.Errorf("containers left: %v", now)
	}
}

// No engine where DOCKER_HOST points: the error says how to point it at one, and names
// local://postgres.
func TestDockerNoEngine(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+t.TempDir()+"/docker.sock")
	_, err := Open(context.Background(), "docker://postgres/16")
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{"no Docker engine answers at DOCKER_HOST=unix://", "point DOCKER_HOST at a running one", "local://postgres"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	_, err = Open(context.Background(), "docker://mariadb/11")
	if err == nil || strings.Contains(err.Error(), "local://postgres") {
		t.Errorf("docker://mariadb without an engine: %v, want no advice to use local://postgres", err)
	}
}

// A network that does not exist is named, instead of testcontainers-go quietly creating one.
func TestDockerNetworkMissing(t *testing.T) {
	t.Parallel()
	url := strings.Replace(dockerURL(t, "postgres", ""), "network="+dockertest.NetworkName, "network=sextant-no-such-network", 1)
	_, err := Open(context.Background(), url)
	if err == nil || !strings.Contains(err.Error(), `network "sextant-no-such-network"`) {
		t.Errorf("Open with a missing network: %v", err)
	}
	if out, _ := docker(t, "network", "ls", "--format", "{{.Name}}"); strings.Contains(out, "reaper_default") || strings.Contains(out, "sextant-no-such-network") {
		t.Errorf("networks after the failed Open: %s", out)
	}
}

func TestParseDockerURL(t *testing.T) {
	for raw, want := range map[string]dockerSpec{
		"docker://postgres/16": {engine: "postgres", image: "postgres:16", timeout: dockerStartTimeout},
		"docker://postgres":    {engine: "postgres", image: "postgres:latest", timeout: dockerStartTimeout},
		"docker://MySQL/8.4":   {engine: "mysql", image: "mysql:8.4", timeout: dockerStartTimeout},
		"docker://mariadb/11":  {engine: "mariadb", image: "mariadb:11", timeout: dockerStartTimeout},
		"docker://postgres/16?image=mirror.example:5000/lib/postgres:16.4&network=ci&timeout=45s": {
			engine: "postgres", image: "mirror.example:5000/lib/postgres:16.4", network: "ci", timeout: 45 * time.Second},
		"docker://postgres/16-alpine?network=host": {engine: "postgres", image: "postgres:16-alpine", network: "host", timeout: dockerStartTimeout},
		"docker://postgres/16?roles=app_reader,%20App": {engine: "postgres", image: "postgres:16", timeout: dockerStartTimeout,
			roles: []string{"app_reader", "App"}},
	} {
		got, err := parseDockerURL(raw)
		want.label = raw
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("parseDockerURL(%q) = %+v, %v, want %+v", raw, got, err, want)
		}
	}
	for raw, want := range map[string]string{
		"docker://oracle/19":                   `unknown engine "oracle"`,
		"docker://u:secret@postgres/16":        "no user or password",
		"docker://postgres/16/x":               `"16/x" is not an image version`,
		"docker://postgres/16?flavor=alpine":   `unknown parameter "flavor"`,
		"docker://postgres/16?timeout=soon":    `timeout "soon"`,
		"docker://postgres/16?timeout=-1s":     `timeout "-1s"`,
		"docker://postgres/16?image=":          `parameter "image" needs one value`,
		"docker://postgres/16?image=a&image=b": `parameter "image" needs one value`,
		"docker://postgres/16?roles=a,,b":      `an empty role name`,
		"docker://mariadb/11?roles=a":          `roles= is for PostgreSQL`,
	} {
		_, err := parseDockerURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "docker://ENGINE") || strings.Contains(err.Error(), "secret") {
			t.Errorf("parseDockerURL(%q) = %v, want an error containing %q and the forms, without the password", raw, err, want)
		}
	}
}

func TestPublishHost(t *testing.T) {
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	for _, c := range []struct {
		daemon string
		env    map[string]string
		want   string
	}{
		{"unix:///var/run/docker.sock", nil, "127.0.0.1"},
		{"npipe:////./pipe/docker_engine", nil, "127.0.0.1"},
		{"tcp://build-host:2376", nil, "build-host"},
		{"ssh://ci@build-host", nil, "build-host"},
		{"unix:///var/run/docker.sock", map[string]string{envHostOverride: "host.docker.internal"}, "host.docker.internal"},
	} {
		got, err := publishHost(c.daemon, env(c.env))
		if err != nil || got != c.want {
			t.Errorf("publishHost(%q, %v) = %q, %v, want %q", c.daemon, c.env, got, err, c.want)
		}
	}
	if _, err := publishHost("fd://3", env(nil)); err == nil || !strings.Contains(err.Error(), envHostOverride) {
		t.Errorf("publishHost of an unknown scheme: %v, want advice to set %s", err, envHostOverride)
	}
}

func TestMySQLDSN(t *testing.T) {
	for raw, want := range map[string]string{
		"mysql://root:p%40ss%2Fw@127.0.0.1:3307/sextant_1": "root:p@ss/w@tcp(127.0.0.1:3307)/sextant_1",
		"mysql://app@db/x?tls=skip-verify":                 "app@tcp(db:3306)/x?tls=skip-verify",
	} {
		got, err := MySQLDSN(raw)
		if err != nil || got != want {
			t.Errorf("MySQLDSN(%q) = %q, %v, want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"postgres://u:secret@h/db", "mysql://u:secret@h/db?tls=bogus", "mysql:///db"} {
		if _, err := MySQLDSN(raw); err == nil || strings.Contains(err.Error(), "secret") {
			t.Errorf("MySQLDSN(%q) error %v, want one without the password", raw, err)
		}
	}
}
