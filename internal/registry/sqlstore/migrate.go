package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
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
)

// migrations lists the migrations; the schema version is the number of the last one
// applied.
var migrations = []struct {
	version int
	sql     string
}{
	{1, migration1},
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

// migrate brings the schema up to date. Several processes may migrate the same database at
// once (replicas starting together): on PostgreSQL each migration's transaction first takes
// an advisory lock, and on SQLite transactions begin IMMEDIATE, taking the write lock; so one
// process applies a migration and the others, once they get the lock, find it applied.
func (d *DB) migrate(ctx context.Context) error {
	for _, m := range migrations {
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
