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
//	plans(repo, name, status, from_fp, to_fp, created_at, file)  PRIMARY KEY (repo, name)
//	applies(seq, repo, id, plan, from_fp, to_fp, target, …)      seq orders the log; UNIQUE (repo, id)
//	tokens(id, name, scopes, repos, hash, created_at, revoked_at) hash UNIQUE
//	audit(id, at, actor, action, repo, object, detail)            id assigned, increasing
//
// A plan row holds the plan file (package plan), the plan's canonical content, so that a
// plan reads back exactly as the file store would return it; the other columns repeat its
// header to filter and compare-and-set on, and change together with it.
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
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/plan"
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
	d, err := open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open registry database %s: %w", dburl.Redact(url), err)
	}
	return d, nil
}

func open(ctx context.Context, rawURL string) (*DB, error) {
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
	if err := d.migrate(ctx); err != nil {
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

// exec runs a write that is one statement, in its turn (see beginWrite).
func (d *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	end, err := d.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	return d.w.ExecContext(ctx, query, args...)
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
	if d.pg && lock != noLock {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lock.class, lock.obj); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
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
	_, err = d.exec(ctx, `INSERT INTO states (repo, fingerprint, dialect, sql, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (repo, fingerprint) DO NOTHING`,
		schema, s.Fingerprint, s.Dialect, s.SQL, at)
	return err
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
	res, err := d.exec(ctx, `INSERT INTO tags (repo, tag, fingerprint)
		SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM states WHERE repo = $1 AND fingerprint = $3)
		ON CONFLICT (repo, tag) DO UPDATE SET fingerprint = excluded.fingerprint`,
		schema, tag, fp)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("state %s: %w", fp, registry.ErrNotFound)
	}
	return nil
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

// planFile writes p's plan file with header h.
func planFile(p *plan.Plan, h plan.Header) (string, error) {
	var b strings.Builder
	if err := p.WriteFile(&b, h); err != nil {
		return "", err
	}
	return b.String(), nil
}

// readPlan parses a plan row's file.
func readPlan(schema, name, file string) (*registry.Plan, error) {
	where := fmt.Sprintf("plan %s/%s in the registry database", schema, name)
	p, h, err := plan.ReadFile(strings.NewReader(file), where)
	if err != nil {
		return nil, err
	}
	if h.Name != name {
		return nil, fmt.Errorf("%s: its header names plan %q", where, h.Name)
	}
	return &registry.Plan{Schema: schema, Header: h, Plan: p}, nil
}

// SavePlan implements registry.Store. The plan's Header.Name names it; an empty status is
// saved as PENDING and a zero CreatedAt as now. p itself is not modified.
func (d *DB) SavePlan(ctx context.Context, p *registry.Plan) error {
	if p == nil || p.Plan == nil {
		return errors.New("save plan: no plan")
	}
	err := d.savePlan(ctx, p)
	var conflict *registry.ConflictError
	if err == nil || errors.As(err, &conflict) {
		return err // a conflict names the plan already
	}
	return fmt.Errorf("save plan %q of schema %q: %w", p.Header.Name, p.Schema, err)
}

func (d *DB) savePlan(ctx context.Context, p *registry.Plan) error {
	schema, name := p.Schema, p.Header.Name
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name)); err != nil {
		return err
	}
	h := p.Header
	if h.Status == "" {
		h.Status = plan.Pending
	}
	if h.CreatedAt.IsZero() {
		h.CreatedAt = time.Now().UTC().Truncate(time.Second)
	}
	file, err := planFile(p.Plan, h)
	if err != nil {
		return err
	}
	// The plan file keeps the time to the second; the column orders plans as it reads back.
	created, err := nanos("created at", h.CreatedAt.Truncate(time.Second))
	if err != nil {
		return err
	}
	return d.inTx(ctx, noLock, func(tx *sql.Tx) error {
		// Create, or replace while PENDING. When the WHERE rejects the update, PostgreSQL
		// still locks the row, so the status read next is the one that refused.
		res, err := tx.ExecContext(ctx, `INSERT INTO plans (repo, name, status, from_fp, to_fp, created_at, file)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (repo, name) DO UPDATE SET status = excluded.status, from_fp = excluded.from_fp,
				to_fp = excluded.to_fp, created_at = excluded.created_at, file = excluded.file
			WHERE plans.status = 'PENDING'`,
			schema, name, string(h.Status), p.Plan.From, p.Plan.To, created, file)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM plans WHERE repo = $1 AND name = $2`, schema, name).Scan(&status); err != nil {
			return err
		}
		return &registry.ConflictError{Schema: schema, Plan: name, Want: plan.Pending, Got: plan.Status(status)}
	})
}

// Plan implements registry.Store.
func (d *DB) Plan(ctx context.Context, schema, name string) (*registry.Plan, error) {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name)); err != nil {
		return nil, fmt.Errorf("get plan %q: %w", name, err)
	}
	var file string
	err := d.db.QueryRowContext(ctx, `SELECT file FROM plans WHERE repo = $1 AND name = $2`, schema, name).Scan(&file)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("plan %q of schema %q: %w", name, schema, registry.ErrNotFound)
	}
	var p *registry.Plan
	if err == nil {
		p, err = readPlan(schema, name, file)
	}
	if err != nil {
		return nil, fmt.Errorf("get plan %q of schema %q: %w", name, schema, err)
	}
	return p, nil
}

// Plans implements registry.Store. Plans are ordered by CreatedAt, then name (byte-wise).
func (d *DB) Plans(ctx context.Context, schema string, f registry.Filter) ([]*registry.Plan, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	out, err := d.plans(ctx, schema, f)
	if err != nil {
		return nil, fmt.Errorf("list plans of schema %q: %w", schema, err)
	}
	return out, nil
}

func (d *DB) plans(ctx context.Context, schema string, f registry.Filter) ([]*registry.Plan, error) {
	query := `SELECT name, file FROM plans WHERE repo = $1`
	args := []any{schema}
	for _, c := range []struct{ column, value string }{{"from_fp", f.From}, {"to_fp", f.To}, {"status", string(f.Status)}} {
		if c.value != "" {
			args = append(args, c.value)
			query += fmt.Sprintf(" AND %s = $%d", c.column, len(args))
		}
	}
	rows, err := d.db.QueryContext(ctx, query+` ORDER BY created_at, name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*registry.Plan
	for rows.Next() {
		var name, file string
		if err := rows.Scan(&name, &file); err != nil {
			return nil, err
		}
		p, err := readPlan(schema, name, file)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetStatus implements registry.Store. An approval records actor and at (UTC, to the second;
// a zero at is now) as the plan's ApprovedBy and ApprovedAt.
func (d *DB) SetStatus(ctx context.Context, schema, name string, want, to plan.Status, actor string, at time.Time) (*registry.Plan, error) {
	p, err := d.setStatus(ctx, schema, name, want, to, actor, at)
	var conflict *registry.ConflictError
	switch {
	case err == nil:
		return p, nil
	case errors.As(err, &conflict), errors.Is(err, registry.ErrNotFound):
		return nil, err // they name the plan already
	}
	return nil, fmt.Errorf("set status of plan %q of schema %q to %s: %w", name, schema, to, err)
}

func (d *DB) setStatus(ctx context.Context, schema, name string, want, to plan.Status, actor string, at time.Time) (*registry.Plan, error) {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name), registry.CheckLine("actor", actor)); err != nil {
		return nil, err
	}
	for _, s := range []plan.Status{want, to} {
		if !s.Valid() {
			return nil, fmt.Errorf("unknown status %q", s)
		}
	}
	if at.IsZero() {
		at = time.Now()
	}
	var p *registry.Plan
	err := d.inTx(ctx, noLock, func(tx *sql.Tx) error {
		var status, file string
		err := tx.QueryRowContext(ctx, `SELECT status, file FROM plans WHERE repo = $1 AND name = $2`+d.forUpdate(),
			schema, name).Scan(&status, &file)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("plan %q of schema %q: %w", name, schema, registry.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if plan.Status(status) != want {
			return &registry.ConflictError{Schema: schema, Plan: name, Want: want, Got: plan.Status(status)}
		}
		if p, err = readPlan(schema, name, file); err != nil {
			return err
		}
		p.Header.Status = to
		if to == plan.Approved {
			p.Header.ApprovedAt = at.UTC().Truncate(time.Second)
			p.Header.ApprovedBy = actor
		}
		if file, err = planFile(p.Plan, p.Header); err != nil {
			return err
		}
		// The status condition repeats the check above: the row is locked, so it holds,
		// but a compare-and-set should say what it compares.
		res, err := tx.ExecContext(ctx, `UPDATE plans SET status = $1, file = $2 WHERE repo = $3 AND name = $4 AND status = $5`,
			string(to), file, schema, name, string(want))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fmt.Errorf("the plan changed during its status change (%d rows updated)", n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// RecordApply implements registry.Store. An empty ID is assigned by registry.NewApplyID
// from the time of recording, later than the log's last assigned ID even when the clocks of
// replicas disagree, so the log stays in the order of its IDs; a caller's ID must be new in
// the schema's log. The duration is kept to the millisecond.
func (d *DB) RecordApply(ctx context.Context, a registry.Apply) (string, error) {
	id, err := d.recordApply(ctx, a)
	if err != nil {
		return "", fmt.Errorf("record apply of schema %q: %w", a.Schema, err)
	}
	return id, nil
}

func (d *DB) recordApply(ctx context.Context, a registry.Apply) (string, error) {
	if err := registry.CheckApply(a); err != nil {
		return "", err
	}
	started, err := nanos("start time", a.Started)
	if err != nil {
		return "", err
	}
	err = d.inTx(ctx, lockApplies(a.Schema), func(tx *sql.Tx) error {
		if a.ID != "" {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM applies WHERE repo = $1 AND id = $2`, a.Schema, a.ID).Scan(&one)
			if err == nil {
				return fmt.Errorf("an apply with ID %q is recorded already", a.ID)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		} else {
			// Taken under the lock, so the log's order is the order of its IDs.
			var last string
			err := tx.QueryRowContext(ctx, `SELECT id FROM applies WHERE repo = $1 ORDER BY seq DESC LIMIT 1`, a.Schema).Scan(&last)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			now := time.Now()
			if len(last) >= len(registry.ApplyIDLayout) {
				if t, err := time.Parse(registry.ApplyIDLayout, last[:len(registry.ApplyIDLayout)]); err == nil && !now.After(t) {
					now = t.Add(time.Nanosecond)
				}
			}
			a.ID = registry.NewApplyID(now)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO applies (repo, id, plan, from_fp, to_fp, target, actor, pr, commit_sha, url,
				started, duration_ms, statements, total, result, error)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			a.Schema, a.ID, a.Plan, a.From, a.To, a.Target, a.Actor, a.Context.PR, a.Context.Commit, a.Context.URL,
			started, a.Duration.Round(time.Millisecond).Milliseconds(), a.Statements, a.Total, string(a.Result), a.Error)
		return err
	})
	if err != nil {
		return "", err
	}
	return a.ID, nil
}

// Applies implements registry.Store.
func (d *DB) Applies(ctx context.Context, schema string) ([]registry.Apply, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("list applies: %w", err)
	}
	out, err := d.applies(ctx, schema)
	if err != nil {
		return nil, fmt.Errorf("list applies of schema %q: %w", schema, err)
	}
	return out, nil
}

func (d *DB) applies(ctx context.Context, schema string) ([]registry.Apply, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, plan, from_fp, to_fp, target, actor, pr, commit_sha, url,
			started, duration_ms, statements, total, result, error
		FROM applies WHERE repo = $1 ORDER BY seq`, schema)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []registry.Apply
	for rows.Next() {
		a := registry.Apply{Schema: schema}
		var (
			started    sql.NullInt64
			durationMS int64
			result     string
		)
		if err := rows.Scan(&a.ID, &a.Plan, &a.From, &a.To, &a.Target, &a.Actor, &a.Context.PR, &a.Context.Commit,
			&a.Context.URL, &started, &durationMS, &a.Statements, &a.Total, &result, &a.Error); err != nil {
			return nil, err
		}
		a.Started = fromNanos(started)
		a.Duration = time.Duration(durationMS) * time.Millisecond
		a.Result = registry.Result(result)
		out = append(out, a)
	}
	return out, rows.Err()
}

// checkToken checks a token before it is stored. Scopes and repos are stored as
// comma-separated lists, which known scopes and valid repo names make unambiguous.
func checkToken(t registry.Token, hash []byte) error {
	var errs []error
	if t.ID == "" {
		errs = append(errs, errors.New("no ID"))
	}
	errs = append(errs, registry.CheckLine("token ID", t.ID), registry.CheckLine("token name", t.Name))
	if len(hash) == 0 {
		errs = append(errs, errors.New("no hash"))
	}
	if len(t.Scopes) == 0 {
		errs = append(errs, errors.New("no scopes"))
	}
	for _, s := range t.Scopes {
		if !slices.Contains(registry.Scopes, s) {
			errs = append(errs, fmt.Errorf("unknown scope %q", s))
		}
	}
	for _, r := range t.Repos {
		errs = append(errs, registry.CheckName("repo", r))
	}
	return errors.Join(errs...)
}

// CreateToken implements registry.ServerStore. A zero CreatedAt is recorded as now. The ID
// and the hash must both be new.
func (d *DB) CreateToken(ctx context.Context, t registry.Token, hash []byte) error {
	if err := d.createToken(ctx, t, hash); err != nil {
		return fmt.Errorf("create token %q: %w", t.ID, err)
	}
	return nil
}

func (d *DB) createToken(ctx context.Context, t registry.Token, hash []byte) error {
	if err := checkToken(t, hash); err != nil {
		return err
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	created, err := nanos("created at", t.CreatedAt)
	if err != nil {
		return err
	}
	revoked, err := nanos("revoked at", t.RevokedAt)
	if err != nil {
		return err
	}
	scopes := make([]string, len(t.Scopes))
	for i, s := range t.Scopes {
		scopes[i] = string(s)
	}
	return d.inTx(ctx, noLock, func(tx *sql.Tx) error {
		// The unique constraints have the last word; this check is for a clear message.
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM tokens WHERE id = $1 OR hash = $2`, t.ID, hash).Scan(&id)
		switch {
		case err == nil && id == t.ID:
			return errors.New("a token with this ID exists")
		case err == nil:
			return fmt.Errorf("token %q has the same hash", id) // a secret generated twice
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO tokens (id, name, scopes, repos, hash, created_at, revoked_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			t.ID, t.Name, strings.Join(scopes, ","), strings.Join(t.Repos, ","), hash, created, revoked)
		return err
	})
}

const tokenColumns = `id, name, scopes, repos, created_at, revoked_at`

// scanToken reads a row of tokenColumns.
func scanToken(scan func(...any) error) (*registry.Token, error) {
	var (
		t                registry.Token
		scopes, repos    string
		created, revoked sql.NullInt64
	)
	if err := scan(&t.ID, &t.Name, &scopes, &repos, &created, &revoked); err != nil {
		return nil, err
	}
	for s := range strings.SplitSeq(scopes, ",") {
		if s != "" {
			t.Scopes = append(t.Scopes, registry.Scope(s))
		}
	}
	if repos != "" {
		t.Repos = strings.Split(repos, ",")
	}
	t.CreatedAt, t.RevokedAt = fromNanos(created), fromNanos(revoked)
	return &t, nil
}

// TokenByHash implements registry.ServerStore. A revoked token is returned too, with its
// RevokedAt: its Allows says no to everything.
func (d *DB) TokenByHash(ctx context.Context, hash []byte) (*registry.Token, error) {
	t, err := scanToken(d.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash).Scan)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// No hash in the message: it is as good as the secret to whoever can read the store.
		return nil, fmt.Errorf("token: %w", registry.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("look up token: %w", err)
	}
	return t, nil
}

// Tokens implements registry.ServerStore: every token, revoked ones too, oldest first.
func (d *DB) Tokens(ctx context.Context) ([]registry.Token, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []registry.Token
	for rows.Next() {
		t, err := scanToken(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, *t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// RevokeToken implements registry.ServerStore. A zero at is now. Revoking a revoked token
// keeps the time of the first revocation; revoking an unknown one is ErrNotFound (wrapped).
func (d *DB) RevokeToken(ctx context.Context, id string, at time.Time) error {
	if err := d.revokeToken(ctx, id, at); err != nil {
		return fmt.Errorf("revoke token %q: %w", id, err)
	}
	return nil
}

func (d *DB) revokeToken(ctx context.Context, id string, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	when, err := nanos("revoked at", at)
	if err != nil {
		return err
	}
	res, err := d.exec(ctx, `UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, when, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var one int
	err = d.db.QueryRowContext(ctx, `SELECT 1 FROM tokens WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return registry.ErrNotFound
	}
	return err // nil: revoked already
}

// AppendAudit implements registry.ServerStore. A zero At is recorded as now.
func (d *DB) AppendAudit(ctx context.Context, e registry.AuditEntry) error {
	if err := d.appendAudit(ctx, e); err != nil {
		return fmt.Errorf("append %s to the audit log: %w", e.Action, err)
	}
	return nil
}

func (d *DB) appendAudit(ctx context.Context, e registry.AuditEntry) error {
	if e.Action == "" {
		return errors.New("no action")
	}
	if e.Repo != "" {
		if err := registry.CheckName("repo", e.Repo); err != nil {
			return err
		}
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	at, err := nanos("time", e.At)
	if err != nil {
		return err
	}
	// The lock makes PostgreSQL assign IDs in commit order (see the package doc).
	return d.inTx(ctx, lockAudit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, repo, object, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
			at, e.Actor, e.Action, e.Repo, e.Object, e.Detail)
		return err
	})
}

// Audit implements registry.ServerStore. A limit of 0 or less means no limit.
func (d *DB) Audit(ctx context.Context, repo string, after int64, limit int) ([]registry.AuditEntry, error) {
	out, err := d.audit(ctx, repo, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	return out, nil
}

func (d *DB) audit(ctx context.Context, repo string, after int64, limit int) ([]registry.AuditEntry, error) {
	query := `SELECT id, at, actor, action, repo, object, detail FROM audit WHERE id > $1`
	args := []any{after}
	if repo != "" {
		args = append(args, repo)
		query += fmt.Sprintf(" AND repo = $%d", len(args))
	}
	query += " ORDER BY id"
	if limit > 0 {
		args = append(args, limit)
		query += fmt.Sprintf(" LIMIT $%d", len(args))
	}
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []registry.AuditEntry
	for rows.Next() {
		var (
			e  registry.AuditEntry
			at sql.NullInt64
		)
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Repo, &e.Object, &e.Detail); err != nil {
			return nil, err
		}
		e.At = fromNanos(at)
		out = append(out, e)
	}
	return out, rows.Err()
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
