package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
)

// planFile writes p's plan file with header h, without the review: a plan row's file is its
// content (see the package doc), and its status, revision and approval come from columns.
func planFile(p *plan.Plan, h plan.Header) (string, error) {
	h.Status, h.Revision, h.ApprovedAt, h.ApprovedBy = "", 0, time.Time{}, ""
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

// planColumns are the columns scanPlan reads, in its order.
const planColumns = `name, status, file, digest, revision, created_at, approved_digest, approved_revision,
	approved_by, approved_at, approved_pr, approved_commit, approved_url`

// scanPlan reads a row of planColumns: the content from the file, the review from the
// columns (whatever the file's own status lines say). It also returns the row's created_at,
// for cursors.
func scanPlan(schema string, scan func(...any) error) (*registry.Plan, int64, error) {
	var (
		name, status, file, digest string
		revision, created          int64
		apDigest, apBy, apCommit   sql.NullString
		apURL                      sql.NullString
		apRevision, apAt, apPR     sql.NullInt64
	)
	if err := scan(&name, &status, &file, &digest, &revision, &created, &apDigest, &apRevision,
		&apBy, &apAt, &apPR, &apCommit, &apURL); err != nil {
		return nil, 0, err
	}
	p, err := readPlan(schema, name, file)
	if err != nil {
		return nil, 0, err
	}
	h := &p.Header
	h.Status, h.Revision, h.Digest = plan.Status(status), int(revision), digest
	h.ApprovedAt, h.ApprovedBy = time.Time{}, ""
	if apDigest.Valid {
		p.Approval = &registry.Approval{Digest: apDigest.String, Revision: int(apRevision.Int64), Actor: apBy.String,
			At: fromNanos(apAt), Context: plan.Context{PR: int(apPR.Int64), Commit: apCommit.String, URL: apURL.String}}
		h.ApprovedAt, h.ApprovedBy = p.Approval.At, p.Approval.Actor
	}
	return p, created, nil
}

// planByName reads plan name in q (the database or a transaction), locking its row on
// PostgreSQL when lock is set.
func (d *DB) planByName(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, schema, name string, lock bool) (*registry.Plan, error) {
	query := `SELECT ` + planColumns + ` FROM plans WHERE repo = $1 AND name = $2`
	if lock {
		query += d.forUpdate()
	}
	p, _, err := scanPlan(schema, q.QueryRowContext(ctx, query, schema, name).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("plan %q of schema %q: %w", name, schema, registry.ErrNotFound)
	}
	return p, err
}

// SavePlan implements registry.Store. The plan's Header.Name names it; a zero CreatedAt is
// saved as now. Status, revision and approval fields of p.Header are ignored: a new plan is
// PENDING at revision 1, a replacement of a PENDING plan keeps its revision for the same
// content (digest) and takes the next for other content. p itself is not modified.
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

// errRaced is a create that lost to a concurrent one: savePlan tries again as a replacement.
var errRaced = errors.New("the plan was created concurrently")

func (d *DB) savePlan(ctx context.Context, p *registry.Plan) error {
	schema, name := p.Schema, p.Header.Name
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name)); err != nil {
		return err
	}
	h := p.Header
	if h.CreatedAt.IsZero() {
		h.CreatedAt = time.Now().UTC().Truncate(time.Second)
	}
	file, err := planFile(p.Plan, h)
	if err != nil {
		return err
	}
	digest := p.Plan.Digest()
	// The plan file keeps the time to the second; the column orders plans as it reads back.
	created, err := nanos("created at", h.CreatedAt.Truncate(time.Second))
	if err != nil {
		return err
	}
	save := func(tx *sql.Tx) (registry.Change, error) {
		var (
			status, oldDigest string
			revision          int
		)
		err := tx.QueryRowContext(ctx, `SELECT status, digest, revision FROM plans WHERE repo = $1 AND name = $2`+d.forUpdate(),
			schema, name).Scan(&status, &oldDigest, &revision)
		if errors.Is(err, sql.ErrNoRows) {
			// DO NOTHING rather than an error on a concurrent create: the caller retries,
			// and then replaces the plan the other request created.
			res, err := tx.ExecContext(ctx, `INSERT INTO plans (repo, name, status, from_fp, to_fp, created_at, file, digest, revision)
				VALUES ($1, $2, 'PENDING', $3, $4, $5, $6, $7, 1) ON CONFLICT (repo, name) DO NOTHING`,
				schema, name, p.Plan.From, p.Plan.To, created, file, digest)
			if err != nil {
				return registry.Change{}, err
			}
			if n, err := res.RowsAffected(); err != nil {
				return registry.Change{}, err
			} else if n == 0 {
				return registry.Change{}, errRaced
			}
			return registry.Change{Created: true, Revision: 1}, nil
		}
		if err != nil {
			return registry.Change{}, err
		}
		if plan.Status(status) != plan.Pending {
			// Approved content is immutable and an abort final.
			return registry.Change{}, &registry.ConflictError{Schema: schema, Plan: name, Want: plan.Pending, Got: plan.Status(status)}
		}
		if oldDigest != digest {
			revision++
		}
		// The status condition repeats what the locked row said: a compare-and-set says
		// what it compares.
		res, err := tx.ExecContext(ctx, `UPDATE plans SET from_fp = $1, to_fp = $2, created_at = $3, file = $4, digest = $5, revision = $6
			WHERE repo = $7 AND name = $8 AND status = 'PENDING'`,
			p.Plan.From, p.Plan.To, created, file, digest, revision, schema, name)
		if err != nil {
			return registry.Change{}, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return registry.Change{}, err
		} else if n != 1 {
			return registry.Change{}, fmt.Errorf("the plan changed while it was replaced (%d rows updated)", n)
		}
		return registry.Change{Revision: revision}, nil
	}
	err = d.change(ctx, noLock, save)
	if errors.Is(err, errRaced) {
		err = d.change(ctx, noLock, save)
	}
	return err
}

// Plan implements registry.Store.
func (d *DB) Plan(ctx context.Context, schema, name string) (*registry.Plan, error) {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name)); err != nil {
		return nil, fmt.Errorf("get plan %q: %w", name, err)
	}
	p, err := d.planByName(ctx, d.db, schema, name, false)
	switch {
	case errors.Is(err, registry.ErrNotFound):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("get plan %q of schema %q: %w", name, schema, err)
	}
	return p, nil
}

// Plans implements registry.Store. Plans are ordered by CreatedAt, then name (byte-wise).
func (d *DB) Plans(ctx context.Context, schema string, f registry.Filter) ([]*registry.Plan, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	out, _, err := d.plans(ctx, schema, f, registry.Page{})
	if err != nil {
		return nil, fmt.Errorf("list plans of schema %q: %w", schema, err)
	}
	return out, nil
}

// PlansPage implements registry.ServerStore. The cursor is the position (creation time,
// name) of the last plan of the page before.
func (d *DB) PlansPage(ctx context.Context, schema string, f registry.Filter, pg registry.Page) ([]*registry.Plan, string, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, "", fmt.Errorf("list plans: %w", err)
	}
	if pg.Limit <= 0 {
		return nil, "", fmt.Errorf("list plans of schema %q: a page needs a limit above 0", schema)
	}
	out, next, err := d.plans(ctx, schema, f, pg)
	if err != nil {
		return nil, "", fmt.Errorf("list plans of schema %q: %w", schema, err)
	}
	return out, next, nil
}

// plans lists the plans of schema that pass f: every one for a zero page, else one page.
func (d *DB) plans(ctx context.Context, schema string, f registry.Filter, pg registry.Page) ([]*registry.Plan, string, error) {
	query := `SELECT ` + planColumns + ` FROM plans WHERE repo = $1`
	args := []any{schema}
	for _, c := range []struct{ column, value string }{{"from_fp", f.From}, {"to_fp", f.To}, {"status", string(f.Status)}} {
		if c.value != "" {
			args = append(args, c.value)
			query += fmt.Sprintf(" AND %s = $%d", c.column, len(args))
		}
	}
	if pg.Cursor != "" {
		created, name, err := decodeCursor(pg.Cursor, "plans")
		if err != nil {
			return nil, "", err
		}
		args = append(args, created, name)
		query += fmt.Sprintf(" AND (created_at > $%d OR created_at = $%d AND name > $%d)", len(args)-1, len(args)-1, len(args))
	}
	query += ` ORDER BY created_at, name`
	if pg.Limit > 0 {
		// One more than the page, to tell whether a next page exists.
		args = append(args, pg.Limit+1)
		query += fmt.Sprintf(" LIMIT $%d", len(args))
	}
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var (
		out     []*registry.Plan
		last    int64
		hasMore bool
	)
	for rows.Next() {
		if pg.Limit > 0 && len(out) == pg.Limit {
			hasMore = true
			break
		}
		p, created, err := scanPlan(schema, rows.Scan)
		if err != nil {
			return nil, "", err
		}
		out, last = append(out, p), created
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	var next string
	if hasMore {
		next = encodeCursor("plans", last, out[len(out)-1].Header.Name)
	}
	return out, next, nil
}

// Approve implements registry.Store: one compare-and-set on the status and the digest of
// the content. The approval is recorded in its own columns, in UTC and to the second (a zero
// a.At is now), with the revision it approved; the content is not touched.
func (d *DB) Approve(ctx context.Context, schema, name string, a registry.Approval) (*registry.Plan, error) {
	p, err := d.approve(ctx, schema, name, a)
	if err != nil {
		return nil, reviewError(err, "approve", schema, name)
	}
	return p, nil
}

func (d *DB) approve(ctx context.Context, schema, name string, a registry.Approval) (*registry.Plan, error) {
	if err := registry.CheckApproval(schema, name, a); err != nil {
		return nil, err
	}
	if a.At.IsZero() {
		a.At = time.Now()
	}
	at, err := nanos("approved at", a.At.UTC().Truncate(time.Second))
	if err != nil {
		return nil, err
	}
	var p *registry.Plan
	err = d.change(ctx, noLock, func(tx *sql.Tx) (registry.Change, error) {
		res, err := tx.ExecContext(ctx, `UPDATE plans SET status = 'APPROVED', approved_digest = digest,
				approved_revision = revision, approved_by = $1, approved_at = $2, approved_pr = $3,
				approved_commit = $4, approved_url = $5
			WHERE repo = $6 AND name = $7 AND status = 'PENDING' AND digest = $8`,
			a.Actor, at, a.Context.PR, a.Context.Commit, a.Context.URL, schema, name, a.Digest)
		if err != nil {
			return registry.Change{}, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return registry.Change{}, err
		}
		// Approved, or else read why not: the row is locked now, so what it says is what
		// refused.
		cur, err := d.planByName(ctx, tx, schema, name, n == 0)
		if err != nil {
			return registry.Change{}, err
		}
		switch {
		case n == 1:
			p = cur
			return registry.Change{Revision: cur.Header.Revision}, nil
		case cur.Header.Status != plan.Pending:
			return registry.Change{}, &registry.ConflictError{Schema: schema, Plan: name, Want: plan.Pending, Got: cur.Header.Status}
		default:
			return registry.Change{}, &registry.DigestError{Schema: schema, Plan: name, Want: a.Digest, Got: cur.Header.Digest}
		}
	})
	return p, err
}

// SetStatus implements registry.Store: it aborts (see registry.CheckStatusChange), as one
// compare-and-set on the status, and records who aborted when.
func (d *DB) SetStatus(ctx context.Context, schema, name string, want, to plan.Status, actor string, at time.Time) (*registry.Plan, error) {
	p, err := d.setStatus(ctx, schema, name, want, to, actor, at)
	if err != nil {
		return nil, reviewError(err, "set status of", schema, name)
	}
	return p, nil
}

func (d *DB) setStatus(ctx context.Context, schema, name string, want, to plan.Status, actor string, at time.Time) (*registry.Plan, error) {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name), registry.CheckLine("actor", actor),
		registry.CheckStatusChange(want, to)); err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = time.Now()
	}
	when, err := nanos("aborted at", at.UTC().Truncate(time.Second))
	if err != nil {
		return nil, err
	}
	var p *registry.Plan
	err = d.change(ctx, noLock, func(tx *sql.Tx) (registry.Change, error) {
		res, err := tx.ExecContext(ctx, `UPDATE plans SET status = $1, aborted_by = $2, aborted_at = $3
			WHERE repo = $4 AND name = $5 AND status = $6`, string(to), actor, when, schema, name, string(want))
		if err != nil {
			return registry.Change{}, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return registry.Change{}, err
		}
		cur, err := d.planByName(ctx, tx, schema, name, n == 0)
		if err != nil {
			return registry.Change{}, err
		}
		if n == 0 {
			return registry.Change{}, &registry.ConflictError{Schema: schema, Plan: name, Want: want, Got: cur.Header.Status}
		}
		p = cur
		return registry.Change{Revision: cur.Header.Revision}, nil
	})
	return p, err
}

// reviewError adds what was done to which plan to err, unless err names the plan already.
func reviewError(err error, verb, schema, name string) error {
	var (
		conflict *registry.ConflictError
		digest   *registry.DigestError
	)
	if errors.As(err, &conflict) || errors.As(err, &digest) || errors.Is(err, registry.ErrNotFound) {
		return err
	}
	return fmt.Errorf("%s plan %q of schema %q: %w", verb, name, schema, err)
}
