//go:build unix

package devdb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"

	"github.com/sextant-db/sextant/internal/dburl"
)

// dockerStartTimeout bounds the time from starting a container to the server accepting a
// connection, unless the URL says otherwise (?timeout=). The official mysql image initialises
// its data directory on every start, which takes tens of seconds on a loaded CI runner.
const dockerStartTimeout = 2 * time.Minute

// dockerEngine is what the provider knows about an engine's official image.
type dockerEngine struct {
	dialect string // what Server.Dialect reports
	port    int    // the server's port inside the container
	dataDir string // where the image keeps its data: a tmpfs, for speed and so no volume is left
	// env sets the superuser's password the way the official image expects it.
	env func(password string) map[string]string
	// args are the server's arguments: settings for a throw-away server, and in host-network
	// mode the port and a loopback-only listen address. Nil keeps the image's command.
	args func(hostNet bool, port int) []string
}

var dockerEngines = map[string]dockerEngine{
	"postgres": {
		dialect: "postgres",
		port:    5432,
		dataDir: "/var/lib/postgresql/data",
		env: func(password string) map[string]string {
			return map[string]string{
				"POSTGRES_PASSWORD": password,
				"POSTGRES_USER":     "postgres",
				"POSTGRES_DB":       "postgres",
				// Set, because images from 18 on keep their data elsewhere by default; the
				// tmpfs is mounted here.
				"PGDATA": "/var/lib/postgresql/data",
			}
		},
		args: func(hostNet bool, port int) []string {
			// Durability buys nothing on a server that is deleted after the run.
			args := []string{"postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"}
			if hostNet {
				args = append(args, "-p", strconv.Itoa(port), "-c", "listen_addresses=127.0.0.1")
			}
			return args
		},
	},
	"mysql": {
		dialect: "mysql",
		port:    3306,
		dataDir: "/var/lib/mysql",
		env: func(password string) map[string]string {
			return map[string]string{"MYSQL_ROOT_PASSWORD": password}
		},
		args: mysqlArgs,
	},
	"mariadb": {
		dialect: "mysql",
		port:    3306,
		dataDir: "/var/lib/mysql",
		env: func(password string) map[string]string {
			return map[string]string{"MARIADB_ROOT_PASSWORD": password}
		},
		args: mysqlArgs,
	},
}

// mysqlArgs: the official mysql and mariadb images pass arguments that start with "-" to the
// server.
func mysqlArgs(hostNet bool, port int) []string {
	if !hostNet {
		return nil
	}
	return []string{"--port=" + strconv.Itoa(port), "--bind-address=127.0.0.1"}
}

// dockerSpec is a parsed docker:// URL.
type dockerSpec struct {
	label   string // the URL as given, redacted: for errors and the container's label
	engine  string // postgres, mysql or mariadb
	image   string // postgres:16, or ?image=
	network string // "" (the engine's default bridge), "host", or a network's name
	timeout time.Duration
	roles   []string // ?roles=, PostgreSQL only: created once the server runs
	// cmd replaces the container's command. Tests use it to start containers that never
	// become ready; a URL cannot set it.
	cmd []string
}

func (s dockerSpec) hostNet() bool { return s.network == "host" }

const dockerForms = "docker://ENGINE[/VERSION][?image=IMAGE&network=NAME|host&timeout=DURATION&roles=NAME,…] with ENGINE postgres, mysql or mariadb (roles= for postgres only)"

// imageTag is what Docker accepts as a tag.
var imageTag = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

func parseDockerURL(raw string) (dockerSpec, error) {
	label := dburl.Redact(raw)
	bad := func(format string, args ...any) (dockerSpec, error) {
		return dockerSpec{}, fmt.Errorf("dev database %s: %s; use %s", label, fmt.Sprintf(format, args...), dockerForms)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("not a URL")
	}
	if u.User != nil {
		return bad("no user or password in a docker:// URL: Sextant sets a random password for each container")
	}
	engine := strings.ToLower(u.Host)
	if _, ok := dockerEngines[engine]; !ok {
		return bad("unknown engine %q", u.Host)
	}
	tag := strings.TrimPrefix(u.Path, "/")
	if tag == "" {
		tag = "latest"
	}
	if !imageTag.MatchString(tag) {
		return bad("%q is not an image version", tag)
	}
	spec := dockerSpec{label: label, engine: engine, image: engine + ":" + tag, timeout: dockerStartTimeout}
	for k, v := range u.Query() {
		if len(v) != 1 || v[0] == "" {
			return bad("parameter %q needs one value", k)
		}
		switch k {
		case "image":
			if strings.ContainsAny(v[0], " \t\n") {
				return bad("%q is not an image name", v[0])
			}
			spec.image = v[0]
		case "network":
			spec.network = v[0]
		case "roles":
			if engine != "postgres" {
				return bad("roles= is for PostgreSQL: MySQL and MariaDB schemas do not name roles in grants Sextant models")
			}
			roles, err := parseRoles(v[0])
			if err != nil {
				return bad("%v", err)
			}
			spec.roles = roles
		case "timeout":
			d, err := time.ParseDuration(v[0])
			if err != nil || d <= 0 {
				return bad("timeout %q is not a positive duration such as 90s or 5m", v[0])
			}
			spec.timeout = d
		default:
			return bad("unknown parameter %q", k)
		}
	}
	return spec, nil
}

func openDockerURL(ctx context.Context, raw string) (Server, error) {
	spec, err := parseDockerURL(raw)
	if err != nil {
		return nil, err
	}
	s, err := openDocker(ctx, spec)
	if err != nil {
		return nil, err // not a Server holding a nil *dockerServer
	}
	return s, nil
}

// dockerServer is a database server in a container of its own, started for one Sextant run.
// Every scratch database of the run is created in it; Close removes the container, and with
// it every database.
type dockerServer struct {
	spec    dockerSpec
	engine  dockerEngine
	eng     *dockerEngineConn
	ctr     *trackedContainer
	scratch scratcher
	version string

	closeOnce sync.Once
	closeErr  error
}

// scratcher creates and drops the scratch databases of one server: scratchSet for
// PostgreSQL, mysqlScratch for the MySQL family.
type scratcher interface {
	create(ctx context.Context) (*DB, error)
	close(dropAll bool) error
}

func openDocker(ctx context.Context, spec dockerSpec) (_ *dockerServer, err error) {
	fail := func(err error) error { return fmt.Errorf("dev database %s: %w", spec.label, err) }
	eng, err := connectDockerEngine(ctx, spec)
	if err != nil {
		return nil, fail(err)
	}
	if spec.hostNet() && !isLoopback(eng.publishHost) {
		return nil, fail(fmt.Errorf("network=host needs a Docker engine on this machine, and %s is reached at %s", eng.daemonHost, eng.publishHost))
	}
	// Containers whose Sextant was killed before it could remove them.
	reapContainers(ctx, eng.client)
	if err := ensureImage(ctx, eng.client, spec.image); err != nil {
		return nil, fail(err)
	}
	s := &dockerServer{spec: spec, engine: dockerEngines[spec.engine], eng: eng}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if err := s.start(ctx); err != nil {
		return nil, fail(err)
	}
	return s, nil
}

// start starts the container and waits for its server. In host-network mode the server binds
// a port that was free a moment ago; if another process took it in between, the start is
// tried again with another port.
func (s *dockerServer) start(ctx context.Context) error {
	password, err := randomHex(16)
	if err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		port := s.engine.port
		if s.spec.hostNet() {
			if port, err = freePort(); err != nil {
				return err
			}
		}
		err = s.run(ctx, password, port)
		var exited *exitedError
		if err == nil || attempt == 3 || !s.spec.hostNet() || !errors.As(err, &exited) || !exited.portTaken() {
			return err
		}
		if rerr := s.ctr.remove(); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
}

// run creates and starts one container and connects to its server.
func (s *dockerServer) run(ctx context.Context, password string, port int) error {
	suffix, err := randomHex(6)
	if err != nil {
		return err
	}
	cport, err := network.ParsePort(strconv.Itoa(s.engine.port) + "/tcp")
	if err != nil {
		return err
	}
	var bindIP netip.Addr // unset: every address of a remote engine's host, which Sextant reaches from elsewhere
	if isLoopback(s.eng.publishHost) {
		// Only this machine reaches the server, whatever else the engine's host is connected to.
		bindIP = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	req := testcontainers.ContainerRequest{
		Image:  s.spec.image,
		Name:   "sextant-devdb-" + suffix,
		Env:    s.engine.env(password),
		Cmd:    s.engine.args(s.spec.hostNet(), port),
		Labels: ownerLabels(s.spec.label),
		Tmpfs:  map[string]string{s.engine.dataDir: "rw"},
		HostConfigModifier: func(hc *container.HostConfig) {
			if s.spec.hostNet() {
				hc.NetworkMode = "host"
				return
			}
			hc.PortBindings = network.PortMap{cport: {{HostIP: bindIP}}}
		},
	}
	if !s.spec.hostNet() {
		req.ExposedPorts = []string{cport.String()}
	}
	if s.spec.network != "" && !s.spec.hostNet() {
		req.Networks = []string{s.spec.network}
	}
	if s.spec.cmd != nil {
		req.Cmd = s.spec.cmd
	}

	ctr, err := s.eng.provider.CreateContainer(ctx, req)
	if ctr != nil && ctr.GetContainerID() != "" {
		// Tracked from here on: a signal now removes it.
		s.ctr = track(s.eng.client, ctr.GetContainerID())
	}
	if err != nil {
		if s.ctr == nil {
			// The call may fail after the engine made the container (cancelled while the
			// create was answered, or in a hook after it): nothing tracks it, so it is removed
			// by its name, which is this run's alone.
			err = errors.Join(err, removeContainer(s.eng.client, req.Name))
		}
		return fmt.Errorf("create a container of %s: %w", s.spec.image, oneLine(err, password))
	}
	if err := ctr.Start(ctx); err != nil {
		return fmt.Errorf("start the container of %s: %w", s.spec.image, oneLine(err, password))
	}
	ctx, cancel := context.WithTimeout(ctx, s.spec.timeout)
	defer cancel()
	hostPort := port
	if !s.spec.hostNet() {
		if hostPort, err = s.mappedPort(ctx, ctr, cport.String(), password); err != nil {
			return err
		}
	}
	addr := net.JoinHostPort(s.eng.publishHost, strconv.Itoa(hostPort))
	return s.waitReady(ctx, ctr, addr, password)
}

// mappedPort waits for the engine to publish the server's port.
func (s *dockerServer) mappedPort(ctx context.Context, ctr testcontainers.Container, port, password string) (int, error) {
	for {
		p, err := ctr.MappedPort(ctx, port)
		if err == nil && p.Num() != 0 {
			return int(p.Num()), nil
		}
		if err := s.checkRunning(ctx, ctr, password); err != nil {
			return 0, err
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return 0, fmt.Errorf("the engine published no host port for %s within %s (%v); container log:\n%s",
					port, s.spec.timeout, oneLine(err, password), s.logTail(ctr, password))
			}
			return 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitReady polls with real connections, logged in with the password: a published port
// accepts TCP connections as soon as the container runs (the engine's proxy answers), and the
// official images run a temporary server, without networking, while they initialise.
func (s *dockerServer) waitReady(ctx context.Context, ctr testcontainers.Container, addr, password string) error {
	delay := 20 * time.Millisecond
	for {
		// Generous: a server that looks up the client's name in a container without DNS
		// answers late.
		attempt, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := s.connect(attempt, addr, password)
		cancel()
		if err == nil {
			return nil
		}
		if err := s.checkRunning(ctx, ctr, password); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("the server in the container of %s did not accept connections within %s (last attempt: %v); raise it with ?timeout=; container log:\n%s",
					s.spec.image, s.spec.timeout, oneLine(err, password), s.logTail(ctr, password))
			}
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 250*time.Millisecond)
	}
}

// connect opens the maintenance connection and the scratch database set on it.
func (s *dockerServer) connect(ctx context.Context, addr, password string) error {
	if s.engine.dialect == "mysql" {
		base := "mysql://root:" + password + "@" + addr + "/"
		m, version, err := newMySQLScratch(ctx, s.spec.label, base)
		if err != nil {
			return err
		}
		s.scratch, s.version = m, version
		return nil
	}
	base := "postgres://postgres:" + password + "@" + addr + "/postgres?sslmode=disable"
	cfg, err := pgx.ParseConfig(base)
	if err != nil {
		return oneLine(err, password)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return connectCause(err, password)
	}
	// A container of our own: the C locale, as local://postgres uses, whatever the image's
	// default is.
	set, err := newScratchSet(ctx, s.spec.label, conn, func(name string) (string, error) {
		return dburl.WithDatabase(base, name)
	}, true)
	if err != nil {
		conn.Close(context.Background())
		return oneLine(err, password)
	}
	if err := set.createRoles(ctx, s.spec.roles); err != nil {
		_ = set.close(false)
		return err
	}
	s.scratch, s.version = set, serverVersion(conn)
	return nil
}

// checkRunning returns an exitedError when the container has stopped.
func (s *dockerServer) checkRunning(ctx context.Context, ctr testcontainers.Container, password string) error {
	st, err := ctr.State(ctx)
	if err != nil || st.Running {
		return nil
	}
	return &exitedError{image: s.spec.image, code: st.ExitCode, log: s.logTail(ctr, password)}
}

// exitedError: the container stopped before its server accepted a connection.
type exitedError struct {
	image string
	code  int
	log   string
}

func (e *exitedError) Error() string {
	return fmt.Sprintf("the container of %s exited with code %d before its server accepted connections; container log:\n%s", e.image, e.code, e.log)
}

// portTaken reports whether the server gave up because its port was taken.
func (e *exitedError) portTaken() bool {
	return strings.Contains(e.log, "already in use") || strings.Contains(e.log, "could not bind") ||
		strings.Contains(e.log, "Do you already have another")
}

// logTail is the end of the container's log, with the password masked.
func (s *dockerServer) logTail(ctr testcontainers.Container, password string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rc, err := ctr.Logs(ctx)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	defer rc.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := rc.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return strings.ReplaceAll(tail(b.String(), 20), password, dburl.Mask)
}

func (s *dockerServer) Dialect() string { return s.engine.dialect }
func (s *dockerServer) Version() string { return s.version }

func (s *dockerServer) CreateDB(ctx context.Context) (*DB, error) {
	if s.scratch == nil {
		return nil, fmt.Errorf("dev database %s: not started", s.spec.label)
	}
	return s.scratch.create(ctx)
}

// Close removes the container. Scratch databases are not dropped one by one: they go with
// it.
func (s *dockerServer) Close() error {
	s.closeOnce.Do(func() {
		if s.scratch != nil {
			// The maintenance connection's server is about to go; how its goodbye went
			// does not matter.
			_ = s.scratch.close(false)
		}
		if s.ctr != nil {
			if err := s.ctr.remove(); err != nil {
				s.closeErr = fmt.Errorf("dev database %s: %w", s.spec.label, err)
			}
		}
	})
	return s.closeErr
}

// freePort returns a loopback TCP port that is free now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
