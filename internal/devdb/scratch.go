package devdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sextant-db/sextant/internal/dburl"
)

// closeTimeout bounds the cleanup Close does on its own context: the caller's is often
// already cancelled (Ctrl-C) when Close runs.
const closeTimeout = 30 * time.Second

// scratchSet creates and drops scratch databases on one PostgreSQL server through a single
// maintenance connection, and remembers which databases it created so that it drops those
// and nothing else.
type scratchSet struct {
	label      string          // the server's URL, redacted, for errors
	connConfig *pgx.ConnConfig // the maintenance connection
	versionNum int             // server_version_num, e.g. 150018
	createOpts string          // appended to CREATE DATABASE name
	dbURL      func(name string) (string, error)

	// mu serialises use of conn (a pgx.Conn is not safe for concurrent use) and guards the
	// rest. CREATE DATABASE takes a server-wide lock on the template anyway, so running them
	// one at a time costs little.
	mu     sync.Mutex
	conn   *pgx.Conn
	dbs    map[string]bool
	closed bool
}

func newScratchSet(ctx context.Context, label string, conn *pgx.Conn, dbURL func(string) (string, error), localeC bool) (*scratchSet, error) {
	s := &scratchSet{
		label:      label,
		connConfig: conn.Config(),
		conn:       conn,
		dbURL:      dbURL,
		dbs:        map[string]bool{},
	}
	if _, err := fmt.Sscan(conn.PgConn().ParameterStatus("server_version_num"), &s.versionNum); err != nil {
		// server_version_num is reported at startup only since PostgreSQL 12; ask for it.
		var v string
		if err := conn.QueryRow(ctx, "SHOW server_version_num").Scan(&v); err != nil {
			return nil, fmt.Errorf("dev database %s: server version: %w", label, err)
		}
		if _, err := fmt.Sscan(v, &s.versionNum); err != nil {
			return nil, fmt.Errorf("dev database %s: server version %q: %w", label, v, err)
		}
	}
	// template0 is the only template guaranteed to be pristine and to accept any encoding.
	opts := []string{"TEMPLATE template0", "ENCODING 'UTF8'"}
	if localeC {
		opts = append(opts, "LC_COLLATE 'C'", "LC_CTYPE 'C'")
	}
	if s.versionNum >= 150000 {
		// WAL_LOG (the default since 15) writes the whole template through the WAL, block by
		// block; FILE_COPY copies the files and pays with two checkpoints, which are cheap
		// while the server holds little data (and free on a cluster without fsync).
		opts = append(opts, "STRATEGY FILE_COPY")
	}
	s.createOpts = strings.Join(opts, " ")
	return s, nil
}

// serverVersion is the version part of server_version ("15.18 (Debian 15.18-0+deb12u1)").
func serverVersion(conn *pgx.Conn) string {
	v, _, _ := strings.Cut(conn.PgConn().ParameterStatus("server_version"), " ")
	return v
}

// maintenance returns a live maintenance connection; the previous one may have been closed
// by a cancelled context. Called with mu held.
func (s *scratchSet) maintenance(ctx context.Context) (*pgx.Conn, error) {
	if s.conn != nil && !s.conn.IsClosed() {
		return s.conn, nil
	}
	conn, err := pgx.ConnectConfig(ctx, s.connConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("dev database %s: cannot connect: %w", s.label, connectCause(err, s.connConfig.Password))
	}
	s.conn = conn
	return conn, nil
}

func (s *scratchSet) create(ctx context.Context) (*DB, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("scratch database name: %w", err)
	}
	name := "sextant_" + hex.EncodeToString(b[:])
	url, err := s.dbURL(name)
	if err != nil {
		return nil, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("dev database %s: create scratch database: server is closed", s.label)
	}
	conn, err := s.maintenance(ctx)
	if err != nil {
		return nil, err
	}
	// Remember the name before creating: a cancelled CREATE may still have committed, and
	// Close must then find and drop it.
	s.dbs[name] = true
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" "+s.createOpts); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			switch pgErr.Code {
			case "42P04": // duplicate_database: not ours, so never drop it
				delete(s.dbs, name)
			case "42501": // insufficient_privilege
				return nil, fmt.Errorf("dev database %s: create scratch database: %w (the role needs the CREATEDB privilege)", s.label, err)
			}
		}
		return nil, fmt.Errorf("dev database %s: create scratch database: %w", s.label, err)
	}
	return &DB{URL: url, Name: name, drop: func(ctx context.Context) error { return s.drop(ctx, name) }}, nil
}

func (s *scratchSet) drop(ctx context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || !s.dbs[name] {
		return nil
	}
	return s.dropLocked(ctx, name)
}

func (s *scratchSet) dropLocked(ctx context.Context, name string) error {
	conn, err := s.maintenance(ctx)
	if err != nil {
		return err
	}
	ident := pgx.Identifier{name}.Sanitize()
	if s.versionNum >= 130000 {
		_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)")
	} else {
		// Before 13 there is no FORCE: end the sessions still using the database first.
		_, err = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
		if err == nil {
			_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident)
		}
	}
	if err != nil {
		return fmt.Errorf("dev database %s: drop scratch database %s: %w", s.label, name, err)
	}
	delete(s.dbs, name)
	return nil
}

// close drops the scratch databases still alive when dropAll is set (an ephemeral server is
// deleted as a whole instead) and closes the maintenance connection. Later calls do nothing.
func (s *scratchSet) close(dropAll bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	var errs []error
	if dropAll {
		for name := range s.dbs {
			errs = append(errs, s.dropLocked(ctx, name))
		}
	}
	s.closed = true
	if s.conn != nil {
		errs = append(errs, s.conn.Close(ctx))
	}
	return errors.Join(errs...)
}

// connectCause shortens a pgx connect error to its cause on one line. pgx prefixes the user
// and database, which the caller's message already names with the URL, and lists one line
// per attempt; with sslmode=prefer that is the same refusal twice.
func connectCause(err error, password string, conns ...string) error {
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) || ce.Unwrap() == nil {
		return oneLine(err, password, conns...)
	}
	var parts []string
	for _, line := range strings.Split(ce.Unwrap().Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" && !slices.Contains(parts, line) {
			parts = append(parts, line)
		}
	}
	return oneLine(&scrubbedError{msg: strings.Join(parts, "; "), err: err}, password, conns...)
}

// oneLine returns err with its message on one line, redacted (dburl.Redact), with every
// occurrence of password masked and the passwords of conns too, whole or in pieces (a parse
// error quotes the piece it choked on). pgx does not print passwords, but an error is the
// last place a password must turn up, so this does not rely on that.
func oneLine(err error, password string, conns ...string) error {
	if err == nil {
		return nil
	}
	var secrets dburl.Secrets
	secrets.AddConn(conns...)
	secrets.Add(password)
	msg := secrets.Redact(err.Error())
	if password != "" {
		// Short ones too, which Secrets leaves out: this message is about this password.
		msg = strings.ReplaceAll(msg, password, dburl.Mask)
	}
	msg = strings.Join(strings.Fields(msg), " ")
	return &scrubbedError{msg: msg, err: err}
}

// scrubbedError keeps the original error for errors.Is/As while printing a cleaned message.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// randomHex returns n random bytes in hex: names and passwords that no two runs share.
func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return hex.EncodeToString(b), nil
}
