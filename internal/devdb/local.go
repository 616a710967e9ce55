//go:build unix

package devdb

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sextant-db/sextant/internal/dburl"
)

// readyTimeout bounds how long a fresh cluster may take to accept connections.
const readyTimeout = 30 * time.Second

// localConfig says where the local provider looks for things; tests point it elsewhere.
type localConfig struct {
	binDir    string   // $SEXTANT_PG_BIN
	libRoot   string   // Debian's /usr/lib/postgresql
	version   string   // the major version asked for with ?version=, or ""
	roles     []string // ?roles=: created on the cluster once it runs
	cacheRoot string   // where initialised clusters are cached; "" disables the cache
	tempRoot  string   // where run directories go
}

func defaultLocalConfig() localConfig {
	cfg := localConfig{
		binDir:   os.Getenv("SEXTANT_PG_BIN"),
		libRoot:  "/usr/lib/postgresql",
		tempRoot: memoryTempDir(),
	}
	if dir, err := os.UserCacheDir(); err == nil {
		cfg.cacheRoot = filepath.Join(dir, "sextant")
	}
	return cfg
}

// memoryTempDir prefers a memory file system for run directories: a throw-away cluster gains
// nothing from a disk, and creating a database writes hundreds of small files. TMPDIR, when
// set, still wins.
func memoryTempDir() string {
	if os.Getenv("TMPDIR") == "" {
		if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() && fi.Mode().Perm()&0o002 != 0 {
			return "/dev/shm"
		}
	}
	return os.TempDir()
}

// localForm is the form of a local:// URL, for errors.
const localForm = "local://postgres[?version=N&roles=NAME,…]"

func openLocalURL(ctx context.Context, raw string) (Server, error) {
	cfg := defaultLocalConfig()
	u, err := url.Parse(raw)
	if err != nil || u.Host != "postgres" || (u.Path != "" && u.Path != "/") || u.User != nil {
		return nil, fmt.Errorf("dev database %q: the local provider supports %s", dburl.Redact(raw), localForm)
	}
	for k, v := range u.Query() {
		if len(v) != 1 || v[0] == "" {
			return nil, fmt.Errorf("dev database %q: parameter %q needs one value; use %s", dburl.Redact(raw), k, localForm)
		}
		switch k {
		case "version":
			cfg.version = v[0]
		case "roles":
			if cfg.roles, err = parseRoles(v[0]); err != nil {
				return nil, fmt.Errorf("dev database %q: %w", dburl.Redact(raw), err)
			}
		default:
			return nil, fmt.Errorf("dev database %q: unknown parameter %q; use %s", dburl.Redact(raw), k, localForm)
		}
	}
	s, err := openLocal(ctx, cfg)
	if err != nil {
		return nil, err // not a Server holding a nil *local
	}
	return s, nil
}

// local is an ephemeral PostgreSQL cluster in a run directory of its own:
//
//	<tempRoot>/sextant-pg-XXXX/      owned by the server user, 0700; also the socket directory
//	  sextant.owner                  PID of the owning Sextant, for reapStale
//	  postgres.log                   server output, quoted in startup errors
//	  data/                          the cluster
type local struct {
	*scratchSet
	bins    pgBinaries
	runDir  string
	baseURL string // the postgres maintenance database
	proc    *proc

	closeOnce sync.Once
	closeErr  error
}

func openLocal(ctx context.Context, cfg localConfig) (_ *local, err error) {
	bins, err := findBinaries(ctx, cfg.binDir, cfg.libRoot, cfg.version)
	if err != nil {
		return nil, fmt.Errorf("dev database local://postgres: %w", err)
	}
	ra, err := serverUser()
	if err != nil {
		return nil, fmt.Errorf("dev database local://postgres: %w", err)
	}
	root, err := runRoot(cfg.tempRoot, ra)
	if err != nil {
		return nil, fmt.Errorf("dev database local://postgres: %w", err)
	}
	reapStale(root)

	s := &local{bins: bins}
	s.runDir, err = os.MkdirTemp(root, runPrefix)
	if err != nil {
		return nil, fmt.Errorf("dev database local://postgres: run directory: %w", err)
	}
	defer func() {
		if err != nil {
			_ = s.Close()
		}
	}()
	if err := os.WriteFile(filepath.Join(s.runDir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("dev database local://postgres: %w", err)
	}
	if err := ra.chown(s.runDir); err != nil {
		return nil, fmt.Errorf("dev database local://postgres: %w", err)
	}
	dataDir := filepath.Join(s.runDir, "data")
	if err := prepareDataDir(ctx, bins, ra, cfg.cacheRoot, dataDir); err != nil {
		return nil, fmt.Errorf("dev database local://postgres: %w", err)
	}
	if err := s.start(ctx, ra, dataDir); err != nil {
		return nil, fmt.Errorf("dev database local://postgres: start postgres in %s: %w", s.runDir, err)
	}
	if err := s.createRoles(ctx, cfg.roles); err != nil {
		return nil, fmt.Errorf("dev database local://postgres: %w", err)
	}
	return s, nil
}

// runRoot is the directory for run directories. The socket lives in the run directory and a
// Unix socket path has room for 107 bytes, so a long TMPDIR (macOS has them) falls back to
// /tmp, as does one the postgres user cannot enter when Sextant runs as root.
func runRoot(tempRoot string, ra runAs) (string, error) {
	const room = 107 - len("/"+runPrefix+"0123456789/.s.PGSQL.65535")
	if len(tempRoot) <= room && ra.canReach(tempRoot) {
		return tempRoot, nil
	}
	if ra.canReach("/tmp") {
		return "/tmp", nil
	}
	return "", fmt.Errorf("no temporary directory the postgres user can enter: %s and /tmp are closed to it", tempRoot)
}

// start starts the postmaster on a random port and waits until it accepts connections. It
// listens on a Unix socket only, in the 0700 run directory, so only its owner (and root) can
// reach a server that trusts every connection. With a private socket directory a port
// collision is unlikely; a taken port is still retried with another.
func (s *local) start(ctx context.Context, ra runAs, dataDir string) error {
	logPath := filepath.Join(s.runDir, "postgres.log")
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		port := 20000 + rand.IntN(40000)
		if err = s.startOn(ctx, ra, dataDir, logPath, port); err == nil {
			return nil
		}
		if ctx.Err() != nil || !portTaken(logPath) {
			return err
		}
	}
	return err
}

func (s *local) startOn(ctx context.Context, ra runAs, dataDir, logPath string, port int) error {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close() // the child has its own descriptor
	cmd := ra.command(s.bins.postgres,
		"-D", dataDir,
		"-k", s.runDir,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=",
		// Durability buys nothing on a cluster that is deleted after the run.
		"-F", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=100",
	)
	cmd.Dir = s.runDir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	s.proc, err = start(cmd)
	if err != nil {
		return err
	}
	s.baseURL = fmt.Sprintf("postgres://postgres@/postgres?host=%s&port=%d&sslmode=disable", queryEscape(s.runDir), port)
	conn, err := s.waitReady(ctx, logPath)
	if err != nil {
		_ = s.proc.stop()
		return err
	}
	base := s.baseURL
	set, err := newScratchSet(ctx, "local://postgres", conn, func(name string) (string, error) {
		return dburl.WithDatabase(base, name)
	}, true)
	if err != nil {
		conn.Close(context.Background())
		return err
	}
	s.scratchSet = set
	return nil
}

// waitReady polls with real connections: pg_isready-style checks can report ready before
// the server accepts the connections that matter.
func (s *local) waitReady(ctx context.Context, logPath string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(s.baseURL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	delay := 5 * time.Millisecond
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.ConnectConfig(attempt, cfg.Copy())
		cancelAttempt()
		if err == nil {
			return conn, nil
		}
		if s.proc.done() {
			return nil, fmt.Errorf("postgres exited during startup (%v); log:\n%s", s.proc.waitErr, logTail(logPath))
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, fmt.Errorf("postgres did not accept connections within %s (%v); log:\n%s", readyTimeout, oneLine(err, ""), logTail(logPath))
			}
			return nil, ctx.Err()
		case <-s.proc.exited:
		case <-time.After(delay):
		}
		delay = min(2*delay, 100*time.Millisecond)
	}
}

func portTaken(logPath string) bool {
	log := logTail(logPath)
	return strings.Contains(log, "already in use") || strings.Contains(log, "could not create lock file") ||
		strings.Contains(log, "could not bind")
}

func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return tail(string(b), 20)
}

// queryEscape escapes a URL query value but leaves slashes readable: a socket directory
// is a path, and host=/tmp/sextant-pg-1 is what people expect to read in a URL.
func queryEscape(v string) string {
	return strings.ReplaceAll(url.QueryEscape(v), "%2F", "/")
}

func (s *local) Dialect() string { return "postgres" }
func (s *local) Version() string { return s.bins.version }

func (s *local) CreateDB(ctx context.Context) (*DB, error) {
	if s.scratchSet == nil {
		return nil, errors.New("dev database local://postgres: not started")
	}
	return s.create(ctx)
}

// Close stops the server and deletes the run directory. Scratch databases are not dropped
// one by one: they go with the cluster.
func (s *local) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		if s.scratchSet != nil {
			errs = append(errs, s.close(false))
		}
		if s.proc != nil {
			errs = append(errs, s.proc.stop())
		}
		if s.runDir != "" {
			if err := os.RemoveAll(s.runDir); err != nil {
				errs = append(errs, fmt.Errorf("remove %s: %w", s.runDir, err))
			}
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}
