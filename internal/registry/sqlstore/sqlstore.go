// Package sqlstore is the storage of the registry server in a SQL database, through
// database/sql: a SQLite file (modernc.org/sqlite, no cgo) for a single server, or
// PostgreSQL (pgx) when several replicas run behind a load balancer and share one database.
// It implements registry.ServerStore: states, tags, plans and applies, as the file store
// keeps them, and the server's tokens and audit log.
//
// Open creates or upgrades the schema (see migrate.go). The tables:
//
//	states(repo, fingerprint, dialect, sql, created_at)          PRIMARY KEY (repo, fingerprint)
//	tags(repo, tag, fingerprint)                                  PRIMARY KEY (repo, tag), fingerprint → states
//	plans(repo, name, status, from_fp, to_fp, created_at, file,   PRIMARY KEY (repo, name)
//	      digest, revision, approved_*, aborted_*)
//	applies(seq, repo, id, plan, from_fp, to_fp, target, …,      seq orders the log; UNIQUE (repo, id)
//	        digest, steps, resumes)
//	tokens(id, name, scopes, repos, hash, created_at, revoked_at) hash UNIQUE
//	audit(id, at, actor, action, repo, object, detail)            id assigned, increasing
//
// A plan row holds the plan file (package plan) for the plan's content, its digest, and
// apart from the content the review: status, the approval record (the approved digest,
// revision, actor, time and context) and the abort. The status column is the truth: the
// status and approval lines of the stored file are never read, so a file edited in the
// database approves nothing, and an approval binds the digest the approver saw.
//
// Writes honour registry.WithAudit: the audit entry is inserted in the transaction of the
// change it records.
//
// Every time is a 64-bit integer of nanoseconds since the Unix epoch, NULL for none (the
// zero time.Time), on both engines: one representation for both, exact, ordered as numbers,
// and clear of each driver's own time conversions. Times come back in UTC. What the file
// store keeps to the second (a state's creation, a plan's creation and approval) is kept to
// the second here too, and an apply's duration to the millisecond, so that the two stores
// return the same values.
//
// Every write commits before it returns: SQLite runs in WAL mode with synchronous=FULL, so a
// commit is on disk; PostgreSQL commits synchronously unless its configuration says
// otherwise. Concurrent writers are serialised by the database: on SQLite every transaction
// begins IMMEDIATE (taking the write lock at once, waiting up to the busy timeout for it),
// and the writes of one process take turns in arrival order on one connection before they
// reach SQLite (see beginWrite); on PostgreSQL compare-and-set reads lock their row (SELECT …
// FOR UPDATE), and appends to the apply log and the audit log take an advisory lock, so that
// IDs are assigned in the order the rows become visible and a reader paging by ID never
// skips one. Connections are pooled, at most poolSize for reads (and on PostgreSQL writes).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/registry"
)

// DB is a registry server's store in a SQL database. It is safe for concurrent use.
type DB struct {
	db *sql.DB // reads, and on PostgreSQL and in memory writes too
	// w writes. A SQLite file has a pool of one connection for writes, the writer's, so
	// that a write in its turn (see beginWrite) never queues for a connection behind reads.
	w  *sql.DB
	pg bool // PostgreSQL; else SQLite
	// writer is SQLite's write turn, a slot of one that writes take in the order they
	// arrive (see beginWrite); nil on PostgreSQL.
	writer chan struct{}
}

var _ registry.ServerStore = (*DB)(nil)

// Forms lists the URLs Open accepts, for help texts and errors.
const Forms = "sqlite:///abs/path/registry.db, sqlite://relative/path.db, sqlite://memory (for tests) " +
	"or postgres://user:password@host:port/db"

// busyTimeout is how long a SQLite transaction waits for another connection's write lock.
const busyTimeout = 10 * time.Second

// poolSize bounds a store's open connections, and as many are kept idle. database/sql's
// default (no bound, 2 idle) fails under load: with a few hundred requests at once it
// reconnects for most of them (a new backend process each on PostgreSQL) and opens more
// connections than PostgreSQL allows (max_connections, 100 by default). Requests beyond the
// pool wait for a connection instead. 16 keeps a few cores busy while some connections
// wait on locks or disk, and leaves room for several replicas on a default PostgreSQL.
const poolSize = 16

// Open opens the registry database that url names, creating or upgrading its schema:
//
//	sqlite:///abs/path/registry.db  a SQLite file, created (with its directory) when missing
//	sqlite://relative/path.db       the same, relative to the working directory
//	sqlite://memory                 a SQLite database in memory, gone on Close (for tests)
//	postgres://… or postgresql://…  a PostgreSQL database (any URL or setting pgx accepts)
//
// Errors never contain the URL's password.
func Open(ctx context.Context, url string) (*DB, error) {
	d, err := open(ctx, url, migrations[len(migrations)-1].version)
	if err != nil {
		return nil, fmt.Errorf("open registry database %s: %w", dburl.Redact(url), err)
	}
	return d, nil
}

func open(ctx context.Context, rawURL string, version int) (*DB, error) {
	scheme, rest, _ := strings.Cut(rawURL, "://")
	var (
		d        *DB
		password string
		err      error
	)
	switch scheme {
	case "sqlite":
		d, err = openSQLite(rest)
	case "postgres", "postgresql":
		d, password, err = openPostgres(rawURL)
	default:
		return nil, fmt.Errorf("unsupported URL: use %s", Forms)
	}
	if err != nil {
		return nil, scrub(err, password, rawURL)
	}
	if err := d.db.PingContext(ctx); err != nil {
		d.Close()
		return nil, scrub(err, password, rawURL)
	}
	if err := d.migrateTo(ctx, version); err != nil {
		d.Close()
		return nil, scrub(err, password, rawURL)
	}
	return d, nil
}

// sqlitePragmas configure every SQLite connection: writers wait for each other rather than
// fail; foreign keys are enforced (SQLite's default is not to); WAL lets readers run beside
// the writer, and synchronous=FULL makes every commit durable in WAL mode.
var sqlitePragmas = []string{
	fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()),
	"foreign_keys(1)",
	"journal_mode(WAL)",
	"synchronous(FULL)",
}

func openSQLite(path string) (*DB, error) {
	q := url.Values{"_pragma": sqlitePragmas, "_txlock": {"immediate"}}
	var dsn string
	switch path {
	case "":
		return nil, fmt.Errorf("no file: use %s", Forms)
	case "memory":
		// A named in-memory database shared by the pool's connections; a random name keeps
		// two stores apart. journal_mode is ignored for memory databases.
		dsn = fmt.Sprintf("file:sextant-registry-%016x?mode=memory&cache=shared&%s", rand.Uint64(), q.Encode())
	default:
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o777); err != nil {
			return nil, err
		}
		// A file: URI, so that no character of the path is taken for the start of the query.
		dsn = "file:" + (&url.URL{Path: abs}).EscapedPath() + "?" + q.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	d := &DB{db: db, w: db, writer: make(chan struct{}, 1)}
	if path == "memory" {
		// Connections to a shared-cache database lock each other out without waiting for
		// the busy timeout: one connection serialises them instead. Nothing holds a
		// connection while waiting for another, so this cannot deadlock.
		db.SetMaxOpenConns(1)
		return d, nil
	}
	db.SetMaxOpenConns(poolSize)
	db.SetMaxIdleConns(poolSize)
	if d.w, err = sql.Open("sqlite", dsn); err != nil {
		db.Close()
		return nil, err
	}
	d.w.SetMaxOpenConns(1)
	return d, nil
}

func openPostgres(rawURL string) (*DB, string, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, "", err
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	// The password may come from the URL, PGPASSWORD or a pgpass file: it is masked in
	// errors wherever it came from.
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(poolSize)
	db.SetMaxIdleConns(poolSize)
	return &DB{db: db, w: db, pg: true}, cfg.Password, nil
}

// Ping implements registry.ServerStore: it checks that the database answers a query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	if err := d.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("ping registry database: %w", err)
	}
	return nil
}

// Close implements registry.ServerStore.
func (d *DB) Close() error {
	err := d.db.Close()
	if d.w != d.db {
		err = errors.Join(err, d.w.Close())
	}
	return err
}

// lockKey names a PostgreSQL advisory lock: pg_advisory_xact_lock(class, obj). The class
// keeps the registry's locks apart from other applications' on a shared database.
type lockKey struct{ class, obj int32 }

const (
	lockClass        int32 = 0x5e7a47 // the registry's own locks
	lockClassApplies int32 = lockClass + 1
)

var (
	noLock      = lockKey{}
	lockMigrate = lockKey{lockClass, 1}
	lockAudit   = lockKey{lockClass, 2}
)

// lockApplies is the lock on the apply log of repo.
func lockApplies(repo string) lockKey {
	h := fnv.New32a()
	h.Write([]byte(repo))
	return lockKey{lockClassApplies, int32(h.Sum32())}
}

// beginWrite waits for the store's turn to write, and returns the function that ends it.
//
// SQLite has one writer at a time, and a connection that finds the write lock taken polls
// for it with growing sleeps until the busy timeout: arrivals between two polls overtake
// the waiter, so under a steady stream of writes one can wait past the timeout and fail
// with SQLITE_BUSY (as it did under load: see docs/performance.md). Queueing
// the writes of this process first, in arrival order, leaves the lock uncontended but for
// other processes on the file (a token command), which the busy timeout still covers. The
// turn is taken before a connection, so a writer never holds one while it waits.
//
// PostgreSQL needs no turn: its row and advisory locks queue their waiters.
func (d *DB) beginWrite(ctx context.Context) (end func(), err error) {
	if d.writer == nil {
		return func() {}, nil
	}
	select {
	case d.writer <- struct{}{}:
		return func() { <-d.writer }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// inTx runs fn in a transaction and commits it, in its turn (see beginWrite). On
// PostgreSQL the transaction first takes the advisory lock lock (unless noLock); on SQLite
// it holds the database's write lock from the start anyway.
func (d *DB) inTx(ctx context.Context, lock lockKey, fn func(*sql.Tx) error) error {
	end, err := d.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer end()
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := d.lock(ctx, tx, lock); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// lock takes the advisory lock on PostgreSQL, for the rest of tx.
func (d *DB) lock(ctx context.Context, tx *sql.Tx, lock lockKey) error {
	if !d.pg || lock == noLock {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lock.class, lock.obj)
	return err
}

// change runs a write that the audit log records: fn makes the change in tx and says what it
// did, and the audit entry that ctx carries (registry.WithAudit), if any, is inserted in the
// same transaction. Either both commit or neither does: a crash between the two, or an entry
// the database refuses, leaves no change behind.
func (d *DB) change(ctx context.Context, lock lockKey, fn func(*sql.Tx) (registry.Change, error)) error {
	return d.inTx(ctx, lock, func(tx *sql.Tx) error {
		c, err := fn(tx)
		if err != nil {
			return err
		}
		auditor := registry.AuditorFrom(ctx)
		if auditor == nil {
			return nil
		}
		if err := d.insertAudit(ctx, tx, auditor(c)); err != nil {
			return fmt.Errorf("audit log: %w", err)
		}
		return nil
	})
}

// forUpdate ends a SELECT that reads a row to change it in the same transaction. SQLite has
// no row locks and needs none: the transaction holds the write lock.
func (d *DB) forUpdate() string {
	if d.pg {
		return " FOR UPDATE"
	}
	return ""
}

// The range of times a nanosecond count holds: the years 1678 to 2262.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// nanos is t for a time column: nanoseconds since the Unix epoch, NULL for the zero time.
func nanos(what string, t time.Time) (sql.NullInt64, error) {
	if t.IsZero() {
		return sql.NullInt64{}, nil
	}
	if t.Before(minTime) || t.After(maxTime) {
		return sql.NullInt64{}, fmt.Errorf("%s %s is outside the years 1678 to 2262", what, t.Format(time.RFC3339))
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}, nil
}

// fromNanos reads a time column.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// PutState implements registry.Store. A zero CreatedAt is recorded as now; the time is kept
// to the second.
func (d *DB) PutState(ctx context.Context, schema string, s registry.State) error {
	if err := d.putState(ctx, schema, s); err != nil {
		return fmt.Errorf("put state %s of schema %q: %w", s.Fingerprint, schema, err)
	}
	return nil
}

func (d *DB) putState(ctx context.Context, schema string, s registry.State) error {
	if err := registry.CheckState(schema, s); err != nil {
		return err
	}
	created := s.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	at, err := nanos("created at", created.Truncate(time.Second))
	if err != nil {
		return err
	}
	// A second put of the fingerprint is a no-op, keeping the first one's SQL and time.
	return d.change(ctx, noLock, func(tx *sql.Tx) (registry.Change, error) {
		res, err := tx.ExecContext(ctx, `INSERT INTO states (repo, fingerprint, dialect, sql, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (repo, fingerprint) DO NOTHING`,
			schema, s.Fingerprint, s.Dialect, s.SQL, at)
		if err != nil {
			return registry.Change{}, err
		}
		n, err := res.RowsAffected()
		return registry.Change{Created: n > 0}, err
	})
}

// Tag implements registry.Store; re-tagging moves the tag.
func (d *DB) Tag(ctx context.Context, schema, tag, fp string) error {
	if err := d.tag(ctx, schema, tag, fp); err != nil {
		return fmt.Errorf("tag %q of schema %q: %w", tag, schema, err)
	}
	return nil
}

func (d *DB) tag(ctx context.Context, schema, tag, fp string) error {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("tag", tag), registry.CheckFingerprint(fp)); err != nil {
		return err
	}
	// One statement, so that the state cannot be missing between a check and the write
	// (states are never removed, but the foreign key would turn that into an obscure error).
	return d.change(ctx, noLock, func(tx *sql.Tx) (registry.Change, error) {
		res, err := tx.ExecContext(ctx, `INSERT INTO tags (repo, tag, fingerprint)
			SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM states WHERE repo = $1 AND fingerprint = $3)
			ON CONFLICT (repo, tag) DO UPDATE SET fingerprint = excluded.fingerprint`,
			schema, tag, fp)
		if err != nil {
			return registry.Change{}, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return registry.Change{}, err
		} else if n == 0 {
			return registry.Change{}, fmt.Errorf("state %s: %w", fp, registry.ErrNotFound)
		}
		return registry.Change{}, nil
	})
}

// State implements registry.Store.
func (d *DB) State(ctx context.Context, schema, ref string) (*registry.State, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("get state %q: %w", ref, err)
	}
	var row *sql.Row
	if strings.HasPrefix(ref, "sha256:") {
		if err := registry.CheckFingerprint(ref); err != nil {
			return nil, fmt.Errorf("get state of schema %q: %w", schema, err)
		}
		row = d.db.QueryRowContext(ctx, `SELECT fingerprint, dialect, sql, created_at FROM states
			WHERE repo = $1 AND fingerprint = $2`, schema, ref)
	} else {
		if err := registry.CheckName("tag", ref); err != nil {
			return nil, fmt.Errorf("get state of schema %q: %w", schema, err)
		}
		row = d.db.QueryRowContext(ctx, `SELECT s.fingerprint, s.dialect, s.sql, s.created_at
			FROM tags t JOIN states s ON s.repo = t.repo AND s.fingerprint = t.fingerprint
			WHERE t.repo = $1 AND t.tag = $2`, schema, ref)
	}
	var (
		s       registry.State
		created sql.NullInt64
	)
	err := row.Scan(&s.Fingerprint, &s.Dialect, &s.SQL, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("state %q of schema %q: %w", ref, schema, registry.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("get state %q of schema %q: %w", ref, schema, err)
	}
	s.CreatedAt = fromNanos(created)
	return &s, nil
}

// scrub returns err with every password in its message masked (the URL's, however it is
// spelled, whole or in pieces, and password, which may have come from elsewhere) and the
// message on one line, keeping err for errors.Is and errors.As. pgx does not print
// passwords, but an error is the last place a password must turn up, so this does not rely
// on that.
func scrub(err error, password, rawURL string) error {
	var secrets dburl.Secrets
	secrets.AddConn(rawURL)
	secrets.Add(password)
	msg := secrets.Redact(err.Error())
	if password != "" {
		msg = strings.ReplaceAll(msg, password, dburl.Mask)
	}
	return &scrubbedError{msg: strings.Join(strings.Fields(msg), " "), err: err}
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
