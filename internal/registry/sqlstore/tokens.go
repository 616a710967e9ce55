package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/registry"
)

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
	return d.change(ctx, noLock, func(tx *sql.Tx) (registry.Change, error) {
		// The unique constraints have the last word; this check is for a clear message.
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM tokens WHERE id = $1 OR hash = $2`, t.ID, hash).Scan(&id)
		switch {
		case err == nil && id == t.ID:
			return registry.Change{}, errors.New("a token with this ID exists")
		case err == nil:
			return registry.Change{}, fmt.Errorf("token %q has the same hash", id) // a secret generated twice
		case !errors.Is(err, sql.ErrNoRows):
			return registry.Change{}, err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO tokens (id, name, scopes, repos, hash, created_at, revoked_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			t.ID, t.Name, strings.Join(scopes, ","), strings.Join(t.Repos, ","), hash, created, revoked)
		return registry.Change{Created: true, ID: t.ID}, err
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
	out, _, err := d.tokens(ctx, registry.Page{}, nil)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// TokensPage implements registry.ServerStore. The cursor is the position (creation time,
// ID) of the last token of the page before. Tokens keep refuses are skipped in the database's
// order, so a page may end early only when the list does.
func (d *DB) TokensPage(ctx context.Context, pg registry.Page, keep func(registry.Token) bool) ([]registry.Token, string, error) {
	if pg.Limit <= 0 {
		return nil, "", errors.New("list tokens: a page needs a limit above 0")
	}
	out, next, err := d.tokens(ctx, pg, keep)
	if err != nil {
		return nil, "", fmt.Errorf("list tokens: %w", err)
	}
	return out, next, nil
}

func (d *DB) tokens(ctx context.Context, pg registry.Page, keep func(registry.Token) bool) ([]registry.Token, string, error) {
	query := `SELECT ` + tokenColumns + ` FROM tokens`
	var args []any
	if pg.Cursor != "" {
		created, id, err := decodeCursor(pg.Cursor, "tokens")
		if err != nil {
			return nil, "", err
		}
		args = append(args, created, id)
		query += ` WHERE created_at > $1 OR created_at = $1 AND id > $2`
	}
	// The filter runs here, not in SQL (repos are a list in a column): rows are read until
	// the page is full, and one more tells whether a next page exists.
	rows, err := d.db.QueryContext(ctx, query+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var (
		out     []registry.Token
		hasMore bool
	)
	for rows.Next() {
		t, err := scanToken(rows.Scan)
		if err != nil {
			return nil, "", err
		}
		if keep != nil && !keep(*t) {
			continue
		}
		if pg.Limit > 0 && len(out) == pg.Limit {
			hasMore = true
			break
		}
		out = append(out, *t)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	var next string
	if hasMore {
		last := out[len(out)-1]
		next = encodeCursor("tokens", last.CreatedAt.UnixNano(), last.ID)
	}
	return out, next, nil
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
	return d.change(ctx, noLock, func(tx *sql.Tx) (registry.Change, error) {
		res, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, when, id)
		if err != nil {
			return registry.Change{}, err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return registry.Change{ID: id}, err
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM tokens WHERE id = $1`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return registry.Change{}, registry.ErrNotFound
		}
		return registry.Change{ID: id}, err // revoked already: the request is still audited
	})
}

// AppendAudit implements registry.ServerStore. A zero At is recorded as now.
func (d *DB) AppendAudit(ctx context.Context, e registry.AuditEntry) error {
	if err := d.appendAudit(ctx, e); err != nil {
		return fmt.Errorf("append %s to the audit log: %w", e.Action, err)
	}
	return nil
}

func (d *DB) appendAudit(ctx context.Context, e registry.AuditEntry) error {
	return d.inTx(ctx, noLock, func(tx *sql.Tx) error { return d.insertAudit(ctx, tx, e) })
}

// insertAudit inserts e in tx. A zero At is recorded as now. On PostgreSQL it takes the audit
// log's lock first, which makes IDs visible in the order they are assigned (see the package
// doc); it is held to the end of tx, whatever tx changed before.
func (d *DB) insertAudit(ctx context.Context, tx *sql.Tx, e registry.AuditEntry) error {
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
	if err := d.lock(ctx, tx, lockAudit); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, repo, object, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
		at, e.Actor, e.Action, e.Repo, e.Object, e.Detail)
	return err
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
