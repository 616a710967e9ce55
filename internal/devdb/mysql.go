package devdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"strings"
	"sync"

	"github.com/go-sql-driver/mysql"

	"github.com/sextant-db/sextant/internal/dburl"
)

// quietMySQL stops the MySQL driver from logging to stderr: while a server starts, every
// refused attempt would print a line, and the errors that matter are returned anyway.
var quietMySQL = sync.OnceFunc(func() { mysql.SetLogger(log.New(io.Discard, "", 0)) })

// MySQLDSN turns a mysql://user:password@host:port/db?param=value URL, the form of a MySQL-
// family scratch database's DB.URL, into a DSN for github.com/go-sql-driver/mysql. Query
// parameters are the driver's own (e.g. tls=true).
func MySQLDSN(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "mysql" || u.Host == "" {
		return "", fmt.Errorf("%s is not a mysql://user:password@host:port/database URL", dburl.Redact(raw))
	}
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr += ":3306"
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	dsn := cfg.FormatDSN()
	if u.RawQuery != "" {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + u.RawQuery
	}
	if _, err := mysql.ParseDSN(dsn); err != nil {
		return "", fmt.Errorf("%s: %w", dburl.Redact(raw), oneLine(err, cfg.Passwd, raw))
	}
	return dsn, nil
}

// mysqlScratch creates and drops scratch databases on a MySQL or MariaDB server, and
// remembers which databases it created so that it drops those and nothing else. It is the
// MySQL family's scratchSet.
type mysqlScratch struct {
	label string  // the dev URL, redacted, for errors
	base  string  // mysql://… of the server, without a database
	db    *sql.DB // maintenance connections

	mu     sync.Mutex
	dbs    map[string]bool
	closed bool
}

// newMySQLScratch connects to the server at base (a mysql:// URL without a database) and
// returns the scratch set and the server's version, e.g. "8.4.3" or "10.11.6-MariaDB".
func newMySQLScratch(ctx context.Context, label, base string) (*mysqlScratch, string, error) {
	quietMySQL()
	password := ""
	if u, err := url.Parse(base); err == nil && u.User != nil {
		password, _ = u.User.Password()
	}
	dsn, err := MySQLDSN(base)
	if err != nil {
		return nil, "", err
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, "", oneLine(err, password, base)
	}
	cfg.Timeout = defaultConnectTimeout
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, "", oneLine(err, password, base)
	}
	db := sql.OpenDB(conn)
	var version string
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		db.Close()
		return nil, "", fmt.Errorf("cannot connect: %w", oneLine(err, password, base))
	}
	return &mysqlScratch{label: label, base: base, db: db, dbs: map[string]bool{}}, mysqlVersion(version), nil
}

// mysqlVersion shortens VERSION() ("10.11.6-MariaDB-0+deb12u1", "8.4.3") to the number and,
// for MariaDB, its name.
func mysqlVersion(v string) string {
	number, rest, _ := strings.Cut(v, "-")
	if strings.Contains(rest, "MariaDB") {
		return number + "-MariaDB"
	}
	return number
}

func (m *mysqlScratch) create(ctx context.Context) (*DB, error) {
	suffix, err := randomHex(8)
	if err != nil {
		return nil, fmt.Errorf("scratch database name: %w", err)
	}
	name := "sextant_" + suffix
	u, err := url.Parse(m.base)
	if err != nil {
		return nil, fmt.Errorf("dev database %s: %w", m.label, err)
	}
	u.Path = "/" + name

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, fmt.Errorf("dev database %s: create scratch database: server is closed", m.label)
	}
	// Remembered before creating: a cancelled CREATE may still have happened.
	m.dbs[name] = true
	if _, err := m.db.ExecContext(ctx, "CREATE DATABASE "+mysqlIdent(name)+" CHARACTER SET utf8mb4"); err != nil {
		var myErr *mysql.MySQLError
		if errors.As(err, &myErr) && myErr.Number == 1007 { // ER_DB_CREATE_EXISTS: not ours
			delete(m.dbs, name)
		}
		return nil, fmt.Errorf("dev database %s: create scratch database: %w", m.label, oneLine(err, ""))
	}
	return &DB{URL: u.String(), Name: name, drop: func(ctx context.Context) error { return m.drop(ctx, name) }}, nil
}

func (m *mysqlScratch) drop(ctx context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || !m.dbs[name] {
		return nil
	}
	return m.dropLocked(ctx, name)
}

func (m *mysqlScratch) dropLocked(ctx context.Context, name string) error {
	if _, err := m.db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+mysqlIdent(name)); err != nil {
		return fmt.Errorf("dev database %s: drop scratch database %s: %w", m.label, name, oneLine(err, ""))
	}
	delete(m.dbs, name)
	return nil
}

// close drops the scratch databases still alive when dropAll is set and closes the
// connections. Later calls do nothing.
func (m *mysqlScratch) close(dropAll bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	var errs []error
	if dropAll {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		for name := range m.dbs {
			errs = append(errs, m.dropLocked(ctx, name))
		}
	}
	m.closed = true
	errs = append(errs, m.db.Close())
	return errors.Join(errs...)
}

// mysqlIdent quotes a MySQL identifier.
func mysqlIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}
