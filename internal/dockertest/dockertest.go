// Package dockertest gives tests a running Docker engine and a Debian base image, on a machine
// that can reach no container registry: nothing is ever pulled.
//
// Engine returns a DOCKER_HOST for a running engine. It uses $DOCKER_HOST when that engine
// answers, else the default socket (/var/run/docker.sock) when a system engine answers there,
// else it starts dockerd itself (as root):
//
//   - data root os.UserCacheDir()/sextant/docker (~/.cache/sextant/docker; the cache directory
//     as the process started, whatever a TestMain sets later), kept between runs, so images
//     and the build cache survive and a rebuild only redoes what changed;
//   - exec root, socket, pidfile, daemon.json and dockerd.log under /tmp/sextant-dockerd-<uid>
//     (a unix socket path must stay under 108 bytes, so not under $TMPDIR or the cache);
//   - no default bridge and no iptables rules (--bridge none --iptables=false), so it runs
//     beside any other engine and adds no firewall or NAT rule. A build that fetches packages
//     passes `docker build --network host`. Containers that need no network run with
//     --network none.
//
// Containers that publish a port, as the docker:// dev database provider's do, join the
// bridge network that Network creates: sextant-test, whose host interface is sextant-test0.
// Without iptables the engine publishes a port through its userland proxy (docker-proxy),
// which listens on the host's loopback and forwards over the bridge; tests connect to
// 127.0.0.1 only, and the bridge reaches nothing but this machine's containers. Stop deletes
// the interface with the engine it stops; the engine recreates it when it starts. That is the
// path Sextant's users have (a random host port published by their engine), so it is the one
// tested; the provider's network=host mode, where the server listens on a loopback port of
// the host's own network, is tested beside it. Host networking for everything was the
// alternative: it needs no bridge at all, but would leave the default, published-port path
// untested.
//
// The database images the docker:// provider is tested with cannot be pulled either:
// PostgresImage and MariaDBImage build them (sextant-test/postgres:15, sextant-test/mariadb:
// 10.11) on BaseImage from Debian's packages, with entrypoints that honour the official
// images' POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB and MARIADB_ROOT_PASSWORD,
// MARIADB_DATABASE (images/*). An image is built when the engine lacks it or when its
// HashLabel differs from the hash of its files, so it is cached in the engine's data root
// between runs and an edit rebuilds it.
//
// Test processes share that engine: the first one that needs it starts it, later ones (other
// packages' test binaries running at the same time) join it, and the last one to call Stop
// stops it. A package whose tests call Engine therefore calls Stop from its TestMain:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		dockertest.Stop()
//		os.Exit(code)
//	}
//
// A test binary killed before Stop leaves the engine running; the next Engine call reuses it
// (or, when it no longer answers, stops it and starts a new one), and a pidfile naming a dead
// or unrelated process is removed.
//
// When no engine can be had, Engine skips the test with the reason, or, when
// SEXTANT_REQUIRE_DOCKER=1 (`make test` sets it), fails it with the reason and the tail of
// dockerd's log. scripts/install-docker.sh installs the engine and debootstrap.
//
// BaseImage makes sure the image debian:bookworm-slim exists, building it with debootstrap from
// the Debian package mirror when it does not (the rootfs tarball is cached as
// ~/.cache/sextant/debootstrap/bookworm.tar).
package dockertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BaseImageName is the image BaseImage provides: the base of Sextant's Dockerfile.
const BaseImageName = "debian:bookworm-slim"

// RequireEnv is the environment variable that turns "no Docker engine" from a skip into a
// failure when it is "1".
const RequireEnv = "SEXTANT_REQUIRE_DOCKER"

// DefaultHost is where a system engine listens when DOCKER_HOST is unset.
const DefaultHost = "unix:///var/run/docker.sock"

const (
	startTimeout = 60 * time.Second // dockerd answering after it starts
	stopTimeout  = 30 * time.Second // dockerd gone after SIGTERM, before SIGKILL
	logTailLines = 40
)

// cacheDir, cacheErr: os.UserCacheDir as the process started. It is read at package
// initialisation, before a TestMain can point XDG_CACHE_HOME at a temporary directory (as
// internal/devdb's does), so every test process puts the engine's data in the same place.
var cacheDir, cacheErr = os.UserCacheDir()

// state is this process's engine. mu serialises Engine and Stop: the first Engine call
// connects (or starts dockerd) while later callers wait for its result.
var (
	mu  sync.Mutex
	eng *engine
)

type engine struct {
	host    string
	err     error    // why there is no engine
	logTail string   // dockerd's log, when starting it failed
	ours    *paths   // set when the engine is the private one: Stop may stop it
	users   *os.File // shared lock on paths.users while this process uses the private engine
	child   *exec.Cmd
	exited  chan struct{} // closed when child has exited (and was reaped)
}

// Engine returns a DOCKER_HOST value (unix:///… or what $DOCKER_HOST says) for a running
// engine, or skips or fails t when there is none (see the package comment). All callers in
// a process get the same engine; the package's TestMain stops it with Stop.
func Engine(t testing.TB) (host string) {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if eng == nil {
		eng = connect(t)
	}
	if eng.err != nil {
		unavailable(t, eng.err, eng.logTail)
	}
	return eng.host
}

// Stop releases this process's use of the engine Engine returned, and stops the engine when
// the package started it and no other test process still uses it (SIGTERM; SIGKILL after 30
// s). An engine named by DOCKER_HOST, or a system engine, is never stopped. Stop without a
// prior Engine call does nothing; Engine after Stop connects again. Call it from TestMain
// after m.Run.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	e := eng
	eng = nil
	if e == nil || e.ours == nil {
		return
	}
	if err := e.stop(); err != nil {
		fmt.Fprintf(os.Stderr, "dockertest: stopping dockerd: %v\n", err)
	}
}

// Command returns `docker args…` for the engine at host (DOCKER_HOST=host, any DOCKER_CONTEXT
// dropped so that it cannot override host).
func Command(ctx context.Context, host string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Env = append(withoutEnv(os.Environ(), "DOCKER_HOST", "DOCKER_CONTEXT"), "DOCKER_HOST="+host)
	return cmd
}

// unavailable skips t, or fails it when RequireEnv is set.
func unavailable(t testing.TB, err error, logTail string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		msg := fmt.Sprintf("no Docker engine, and %s=1 requires one: %v", RequireEnv, err)
		if logTail != "" {
			msg += "\n--- dockerd log (tail) ---\n" + logTail
		}
		t.Fatal(msg)
	}
	t.Skipf("no Docker engine: %v (with %s=1 this fails instead)", err, RequireEnv)
}

// connect finds or starts an engine.
func connect(t testing.TB) *engine {
	t.Helper()
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		err := ping(h)
		if err == nil {
			t.Logf("dockertest: using DOCKER_HOST=%s", h)
			return &engine{host: h}
		}
		t.Logf("dockertest: DOCKER_HOST=%s does not answer (%v); starting an engine of our own", h, err)
	} else if ping(DefaultHost) == nil {
		t.Logf("dockertest: using the system engine at %s", DefaultHost)
		return &engine{host: DefaultHost}
	}
	if _, err := exec.LookPath("docker"); err != nil {
		return &engine{err: errors.New("no docker CLI on PATH: run scripts/install-docker.sh (make deps) or install a Docker engine")}
	}
	dockerd, err := lookSbin("dockerd")
	if err != nil {
		return &engine{err: errors.New("no dockerd: run scripts/install-docker.sh (make deps), or set DOCKER_HOST to a running engine")}
	}
	if os.Geteuid() != 0 {
		return &engine{err: errors.New("starting dockerd needs root: run the tests as root, or set DOCKER_HOST to a running engine")}
	}
	p, err := newPaths()
	if err != nil {
		return &engine{err: err}
	}
	return p.start(t, dockerd)
}

// paths are the private engine's files.
type paths struct {
	run    string // /tmp/sextant-dockerd-<uid>: 0700, ours
	exec   string // dockerd's --exec-root (containerd's sockets and state)
	sock   string
	pid    string
	log    string
	config string // an empty daemon.json: the system's /etc/docker/daemon.json does not apply
	lock   string // held exclusively while starting, joining or stopping the engine
	users  string // held shared by every test process using the engine
	data   string // --data-root, in the user's cache
}

func (p *paths) host() string { return "unix://" + p.sock }

func newPaths() (*paths, error) {
	// A fixed, short directory: dockerd's socket and containerd's under the exec root must stay
	// under the 108-byte limit of a unix socket path, which a long $TMPDIR would break.
	run := fmt.Sprintf("/tmp/sextant-dockerd-%d", os.Geteuid())
	if err := os.Mkdir(run, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	if err := checkOwnDir(run); err != nil {
		return nil, err
	}
	if cacheErr != nil {
		return nil, fmt.Errorf("no cache directory for the engine's data root: %w", cacheErr)
	}
	p := &paths{
		run:    run,
		exec:   filepath.Join(run, "exec"),
		sock:   filepath.Join(run, "docker.sock"),
		pid:    filepath.Join(run, "dockerd.pid"),
		log:    filepath.Join(run, "dockerd.log"),
		config: filepath.Join(run, "daemon.json"),
		lock:   filepath.Join(run, "lock"),
		users:  filepath.Join(run, "users"),
		data:   filepath.Join(cacheDir, "sextant", "docker"),
	}
	if err := os.MkdirAll(p.data, 0o711); err != nil {
		return nil, fmt.Errorf("engine data root: %w", err)
	}
	return p, nil
}

// start joins the private engine when it answers, and starts it otherwise.
func (p *paths) start(t testing.TB, dockerd string) *engine {
	t.Helper()
	lock, err := lockFile(p.lock, true)
	if err != nil {
		return &engine{err: err}
	}
	defer lock.Close()

	e := &engine{host: p.host(), ours: p}
	if ping(e.host) == nil {
		t.Logf("dockertest: joining the running engine at %s", e.host)
	} else if err := p.clearStale(t); err != nil {
		return &engine{err: err, logTail: p.logTail()}
	} else if ping(e.host) == nil {
		t.Logf("dockertest: joining the engine at %s, which an earlier test process left running", e.host)
	} else if err := e.launch(t, dockerd); err != nil {
		return &engine{err: err, logTail: p.logTail()}
	}
	users, err := lockFile(p.users, false)
	if err != nil {
		return &engine{err: err}
	}
	e.users = users
	return e
}

// clearStale deals with a dockerd that an earlier, killed test process left behind: one that
// does not answer is given the start timeout to come up and is stopped otherwise; a pidfile
// naming a dead process, or a process that is not our dockerd (its pid reused), is removed.
func (p *paths) clearStale(t testing.TB) error {
	t.Helper()
	if pid, err := readPid(p.pid); err == nil {
		switch {
		case !alive(pid):
			t.Logf("dockertest: removing the stale pidfile %s (process %d is gone)", p.pid, pid)
			os.Remove(p.pid)
		case p.isOurs(pid):
			t.Logf("dockertest: dockerd %d from an earlier run does not answer; waiting up to %s", pid, startTimeout)
			if waitPing(p.host(), startTimeout, nil) == nil {
				return nil
			}
			t.Logf("dockertest: stopping dockerd %d, which never answered", pid)
			if err := terminate(pid); err != nil {
				return err
			}
			os.Remove(p.pid)
		default:
			t.Logf("dockertest: removing the stale pidfile %s (process %d is not our dockerd)", p.pid, pid)
			os.Remove(p.pid)
		}
	}
	// A dockerd on our data root without our pidfile: ours when it uses our exec root too (its
	// pidfile was lost), someone else's otherwise, and then two engines cannot share the data.
	for _, pid := range dockerdsUsing(p.data) {
		if !p.isOurs(pid) {
			return fmt.Errorf("dockerd %d (not started by these tests) uses the data root %s; stop it or set DOCKER_HOST to it", pid, p.data)
		}
		t.Logf("dockertest: stopping dockerd %d, left from an earlier run without its pidfile", pid)
		if err := terminate(pid); err != nil {
			return err
		}
	}
	// dockerd reuses the containerd its pidfile names when that process exists, and a killed
	// dockerd's containerd may remain as a zombie that nobody reaps (a container's PID 1
	// often does not): dockerd would then wait for it in vain and give up.
	ctrPid := filepath.Join(p.exec, "containerd", "containerd.pid")
	if pid, err := readPid(ctrPid); err == nil {
		if args := cmdline(pid); !alive(pid) || len(args) == 0 || filepath.Base(args[0]) != "containerd" {
			t.Logf("dockertest: removing the stale pidfile %s (process %d is gone or not containerd)", ctrPid, pid)
			os.Remove(ctrPid)
		}
	}
	// The shims of containers that were starting or running when the engine was killed: their
	// containerd is gone, and a new one does not take them over.
	ctrSock := filepath.Join(p.exec, "containerd", "containerd.sock")
	for _, pid := range processes(func(args []string) bool {
		return strings.HasPrefix(filepath.Base(args[0]), "containerd-shim") && flagValue(args, "-address") == ctrSock
	}) {
		t.Logf("dockertest: stopping containerd shim %d and its container, left from an earlier run", pid)
		for _, child := range childrenOf(pid) {
			signal(child, true)
		}
		if err := terminate(pid); err != nil {
			return err
		}
	}
	return nil
}

// isOurs reports whether pid is a dockerd started with our data root and exec root.
func (p *paths) isOurs(pid int) bool {
	args := cmdline(pid)
	return len(args) > 0 && filepath.Base(args[0]) == "dockerd" &&
		flagValue(args, "--data-root") == p.data && flagValue(args, "--exec-root") == p.exec
}

// launch starts dockerd in a session of its own (an interrupted test run does not kill it
// halfway; the next run reuses or stops it) and waits until it answers.
func (e *engine) launch(t testing.TB, dockerd string) error {
	t.Helper()
	p := e.ours
	if err := os.WriteFile(p.config, []byte("{}\n"), 0o600); err != nil {
		return err
	}
	logf, err := os.Create(p.log)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(dockerd,
		"--data-root", p.data,
		"--exec-root", p.exec,
		"-H", p.host(),
		"--pidfile", p.pid,
		"--config-file", p.config,
		"--bridge", "none",
		"--iptables=false",
		"--ip-forward=false",
		"--ip-masq=false",
	)
	// Files, not pipes: go test waits for the pipes of a test binary's children to close.
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = newSession()
	t.Logf("dockertest: starting %s (data root %s, log %s)", strings.Join(cmd.Args, " "), p.data, p.log)
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting dockerd: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	if err := waitPing(p.host(), startTimeout, exited); err != nil {
		select {
		case <-exited:
			return fmt.Errorf("dockerd exited before it answered (%s)", cmd.ProcessState)
		default:
		}
		terminate(cmd.Process.Pid)
		return fmt.Errorf("dockerd did not answer within %s: %w", startTimeout, err)
	}
	t.Logf("dockertest: dockerd %d answers after %s", cmd.Process.Pid, time.Since(begin).Round(time.Millisecond))
	e.child, e.exited = cmd, exited
	return nil
}

// stop gives up this process's share of the private engine and stops the engine when no
// other process holds one.
func (e *engine) stop() error {
	p := e.ours
	lock, err := lockFile(p.lock, true)
	if err != nil {
		return err
	}
	defer lock.Close()
	e.users.Close()
	last, err := tryLockFile(p.users)
	if err != nil {
		return err
	}
	if last == nil {
		return nil // another test process still uses the engine; the last one stops it
	}
	defer last.Close()
	pid, err := readPid(p.pid)
	if err != nil {
		if e.child == nil {
			return nil // not ours to find
		}
		pid = e.child.Process.Pid
	}
	if !p.isOurs(pid) {
		return nil
	}
	if err := terminate(pid); err != nil {
		return err
	}
	// The bridge of Network outlives a stopped dockerd; the engine creates it again when it
	// starts. Best effort: without the ip tool the interface stays, down and unused.
	if _, err := os.Stat("/sys/class/net/" + bridgeName); err == nil {
		exec.Command("ip", "link", "delete", bridgeName).Run()
	}
	return nil
}

// ping asks the engine at host whether it answers: GET /_ping on a unix socket, `docker
// version` for anything else (tcp with TLS, ssh …).
func ping(host string) error {
	if sock, ok := strings.CutPrefix(host, "unix://"); ok {
		client := &http.Client{
			Timeout: 3 * time.Second,
			Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", sock)
			}},
		}
		defer client.CloseIdleConnections()
		resp, err := client.Get("http://docker/_ping")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET /_ping: %s: %s", resp.Status, bytes.TrimSpace(body))
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	out, err := Command(ctx, host, "version", "--format", "{{.Server.Version}}").CombinedOutput()
	if err != nil {
		return fmt.Errorf("docker version: %v: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

// waitPing polls host until it answers, timeout passes or exited (when not nil) is closed.
func waitPing(host string, timeout time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	for {
		err := ping(host)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-exited:
			return errors.New("dockerd exited")
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// terminate stops pid: SIGTERM, then SIGKILL when it is still there after stopTimeout.
func terminate(pid int) error {
	if err := signal(pid, false); err != nil && alive(pid) {
		return fmt.Errorf("SIGTERM to %d: %w", pid, err)
	}
	if waitGone(pid, stopTimeout) {
		return nil
	}
	signal(pid, true)
	if waitGone(pid, 10*time.Second) {
		return nil
	}
	return fmt.Errorf("process %d survived SIGTERM and SIGKILL", pid)
}

func waitGone(pid int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for alive(pid) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
}

func readPid(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("%s: not a pid: %q", path, b)
	}
	return pid, nil
}

// cmdline is pid's argument vector, nil when it cannot be read.
func cmdline(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}

// dockerdsUsing lists the live dockerd processes whose --data-root is dataRoot.
func dockerdsUsing(dataRoot string) []int {
	return processes(func(args []string) bool {
		return filepath.Base(args[0]) == "dockerd" && flagValue(args, "--data-root") == dataRoot
	})
}

// processes lists the live processes (other than this one) whose argument vector match
// accepts; none where there is no /proc.
func processes(match func(args []string) bool) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, ent := range entries {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		if args := cmdline(pid); len(args) > 0 && match(args) && alive(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// childrenOf lists the processes whose parent is pid.
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, ent := range entries {
		child, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", child))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		if f := strings.Fields(string(stat[i+1:])); len(f) > 1 && f[1] == strconv.Itoa(pid) {
			pids = append(pids, child)
		}
	}
	return pids
}

// flagValue returns the value of a flag given as "--name value" or "--name=value".
func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

func (p *paths) logTail() string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return ""
	}
	return tail(string(b), logTailLines)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// checkOwnDir refuses a directory that is a symlink, or that another user owns or may write.
func checkOwnDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if uid, ok := owner(fi); ok && uid != os.Geteuid() {
		return fmt.Errorf("%s belongs to uid %d, not to us (uid %d)", dir, uid, os.Geteuid())
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s may be written by others (mode %s)", dir, fi.Mode().Perm())
	}
	return nil
}

// lookSbin finds name on PATH or in the sbin directories a non-root PATH often leaves out.
func lookSbin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found", name)
}

func withoutEnv(env []string, names ...string) []string {
	out := env[:0:0]
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
