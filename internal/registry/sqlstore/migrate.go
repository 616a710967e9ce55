package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
)

// The schema is built by numbered migrations, applied in order, each in a transaction of
// its own that also records it in schema_migrations. A migration is never edited once
// released: a change to the schema is a new migration.
//
// One text serves both engines: the placeholders in braces stand for what the engines spell
// differently, and expand replaces them.
//
//	{name}   text compared and ordered byte by byte, as Go compares strings (COLLATE "C" on
//	         PostgreSQL, whose default collation follows the locale)
//	{int}    a 64-bit integer
//	{bytes}  a byte string
//	{serial} an integer primary key the database assigns, increasing
//	{strict} STRICT on SQLite, which then checks the column types as PostgreSQL does
const (
	createMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    {int} PRIMARY KEY,
	applied_at {int} NOT NULL
){strict}`

	// migration1 creates the registry. Times are {int} nanoseconds since the Unix epoch
	// (see package doc).
	migration1 = `
CREATE TABLE states (
	repo        {name} NOT NULL,
	fingerprint {name} NOT NULL,
	dialect     TEXT NOT NULL,
	sql         TEXT NOT NULL,
	created_at  {int} NOT NULL,
	PRIMARY KEY (repo, fingerprint)
){strict};

CREATE TABLE tags (
	repo        {name} NOT NULL,
	tag         {name} NOT NULL,
	fingerprint {name} NOT NULL,
	PRIMARY KEY (repo, tag),
	FOREIGN KEY (repo, fingerprint) REFERENCES states (repo, fingerprint)
){strict};

-- file is the plan file (package plan), the plan's canonical content; status, the
-- transition and the creation time repeat what its header says, to filter, order and
-- compare-and-set on.
CREATE TABLE plans (
	repo       {name} NOT NULL,
	name       {name} NOT NULL,
	status     TEXT NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'ABORTED')),
	from_fp    {name} NOT NULL,
	to_fp      {name} NOT NULL,
	created_at {int} NOT NULL,
	file       TEXT NOT NULL,
	PRIMARY KEY (repo, name)
){strict};

CREATE INDEX plans_by_transition ON plans (repo, from_fp, to_fp);

-- seq orders the log; id is the apply's ID, unique within its repo as the file store's
-- per-schema logs have it.
CREATE TABLE applies (
	seq         {serial},
	repo        {name} NOT NULL,
	id          {name} NOT NULL,
	plan        {name} NOT NULL,
	from_fp     {name} NOT NULL,
	to_fp       {name} NOT NULL,
	target      TEXT NOT NULL,
	actor       TEXT NOT NULL,
	pr          {int} NOT NULL,
	commit_sha  TEXT NOT NULL,
	url         TEXT NOT NULL,
	started     {int},
	duration_ms {int} NOT NULL,
	statements  {int} NOT NULL,
	total       {int} NOT NULL,
	result      TEXT NOT NULL,
	error       TEXT NOT NULL,
	UNIQUE (repo, id)
){strict};

-- scopes and repos are comma-separated lists: neither a scope nor a repo name has a comma.
CREATE TABLE tokens (
	id         {name} PRIMARY KEY,
	name       TEXT NOT NULL,
	scopes     TEXT NOT NULL,
	repos      TEXT NOT NULL,
	hash       {bytes} NOT NULL UNIQUE,
	created_at {int} NOT NULL,
	revoked_at {int}
){strict};

CREATE TABLE audit (
	id     {serial},
	at     {int} NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	repo   {name} NOT NULL,
	object TEXT NOT NULL,
	detail TEXT NOT NULL
){strict};

CREATE INDEX audit_by_repo ON audit (repo, id);
`

	// migration2 binds reviews to content. plans gains the digest of its content, the
	// revision (the number of contents stored under the name), the approval record kept
	// apart from the content (NULL approved_digest: not approved) and the abort. applies
	// gains the digest of the plan that ran, the journal of its steps (a JSON array) and the
	// apply it resumed. SQLite adds one column per ALTER TABLE.
	//
	// The digests of the plans already stored are computed by fillDigests, in Go and in the
	// same transaction: the digest is defined over the parsed plan, which SQL cannot do.
	migration2 = `
ALTER TABLE plans ADD COLUMN digest {name} NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN revision {int} NOT NULL DEFAULT 1;
ALTER TABLE plans ADD COLUMN approved_digest {name};
ALTER TABLE plans ADD COLUMN approved_revision {int};
ALTER TABLE plans ADD COLUMN approved_by TEXT;
ALTER TABLE plans ADD COLUMN approved_at {int};
ALTER TABLE plans ADD COLUMN approved_pr {int};
ALTER TABLE plans ADD COLUMN approved_commit TEXT;
ALTER TABLE plans ADD COLUMN approved_url TEXT;
ALTER TABLE plans ADD COLUMN aborted_by TEXT;
ALTER TABLE plans ADD COLUMN aborted_at {int};

-- The order of Plans and of its pages: a page starts where the previous one ended.
CREATE INDEX plans_by_created ON plans (repo, created_at, name);

ALTER TABLE applies ADD COLUMN digest {name} NOT NULL DEFAULT '';
ALTER TABLE applies ADD COLUMN steps TEXT NOT NULL DEFAULT '[]';
ALTER TABLE applies ADD COLUMN resumes TEXT NOT NULL DEFAULT '';
`
)

// migrations lists the migrations; the schema version is the number of the last one
// applied.
var migrations = []struct {
	version int
	sql     string
	// fill, when set, runs after sql in the migration's transaction: for what SQL alone
	// cannot compute.
	fill func(ctx context.Context, tx *sql.Tx) error
}{
	{1, migration1, nil},
	{2, migration2, fillDigests},
}

var (
	sqliteTypes = strings.NewReplacer(
		"{name}", "TEXT",
		"{int}", "INTEGER",
		"{bytes}", "BLOB",
		"{serial}", "INTEGER PRIMARY KEY AUTOINCREMENT", // AUTOINCREMENT: never reuse an ID
		"{strict}", " STRICT",
	)
	postgresTypes = strings.NewReplacer(
		"{name}", `TEXT COLLATE "C"`,
		"{int}", "BIGINT",
		"{bytes}", "BYTEA",
		"{serial}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
		"{strict}", "",
	)
)

// expand spells a schema text for the database's engine.
func (d *DB) expand(text string) string {
	if d.pg {
		return postgresTypes.Replace(text)
	}
	return sqliteTypes.Replace(text)
}

// migrateTo brings the schema up to version upto (the last one, but for tests of
// migrations). Several processes may migrate the same database at once (replicas starting
// together): on PostgreSQL each migration's transaction first takes an advisory lock, and on
// SQLite transactions begin IMMEDIATE, taking the write lock; so one process applies a
// migration and the others, once they get the lock, find it applied.
func (d *DB) migrateTo(ctx context.Context, upto int) error {
	for _, m := range migrations {
		if m.version > upto {
			break
		}
		err := d.inTx(ctx, lockMigrate, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, d.expand(createMigrations)); err != nil {
				return err
			}
			var version sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil {
				return err
			}
			if latest := migrations[len(migrations)-1].version; version.Int64 > int64(latest) {
				return fmt.Errorf("the database has schema version %d, newer than this sextant's %d: upgrade sextant", version.Int64, latest)
			}
			if version.Int64 >= int64(m.version) {
				return nil
			}
			if _, err := tx.ExecContext(ctx, d.expand(m.sql)); err != nil {
				return err
			}
			if m.fill != nil {
				if err := m.fill(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
				m.version, time.Now().UnixNano())
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate to schema version %d: %w", m.version, err)
		}
	}
	return nil
}

// fillDigests is migration 2's Go part, run once and eagerly (not lazily on read, which
// would leave a reader to find a plan without its digest at any later time): it stores the
// digest of every plan's content, and for the plans a schema-1 registry approved an approval
// record binding that digest, with the approver and time their files' headers hold. Schema 1
// only replaced PENDING plans and rewrote a plan's file in the transaction that approved it,
// so an approved plan's content is the content that was approved. A plan file that no longer
// parses stops the migration, naming the plan: an approval must not be dropped unseen.
func fillDigests(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT repo, name, status, file FROM plans`)
	if err != nil {
		return err
	}
	type fill struct {
		repo, name, digest string
		approved           bool
		h                  plan.Header
	}
	var fills []fill
	for rows.Next() {
		var repo, name, status, file string
		if err := rows.Scan(&repo, &name, &status, &file); err != nil {
			rows.Close()
			return err
		}
		p, err := readPlan(repo, name, file)
		if err != nil {
			rows.Close()
			return fmt.Errorf("digest of stored plan: %w", err)
		}
		// An aborted plan with an approver in its header was approved, then aborted.
		approved := plan.Status(status) == plan.Approved || p.Header.ApprovedBy != "" || !p.Header.ApprovedAt.IsZero()
		fills = append(fills, fill{repo: repo, name: name, digest: p.Plan.Digest(), approved: approved, h: p.Header})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range fills {
		if !f.approved {
			if _, err := tx.ExecContext(ctx, `UPDATE plans SET digest = $1 WHERE repo = $2 AND name = $3`, f.digest, f.repo, f.name); err != nil {
				return err
			}
			continue
		}
		at, err := nanos("approved at", f.h.ApprovedAt)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET digest = $1, approved_digest = $1, approved_revision = 1,
				approved_by = $2, approved_at = $3, approved_pr = 0, approved_commit = '', approved_url = ''
			WHERE repo = $4 AND name = $5`, f.digest, f.h.ApprovedBy, at, f.repo, f.name); err != nil {
			return err
		}
	}
	return nil
}
