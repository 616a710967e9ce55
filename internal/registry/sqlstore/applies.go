package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sextant-db/sextant/internal/registry"
)

// step is a journaled step as the steps column keeps it, in a JSON array.
type step struct {
	First       int       `json:"first"`
	Last        int       `json:"last"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	At          time.Time `json:"at,omitzero"`
}

// RecordApply implements registry.Store. An empty ID records a new apply, with an ID
// assigned by registry.NewApplyID from the time of recording, later than the log's last
// assigned ID even when the clocks of replicas disagree, so the log stays in the order of its
// IDs. A caller's ID that is new in the schema records a new apply too; the ID of a Running
// apply replaces its record in place (its position in the log stays), which is how an apply
// journals its steps and its end; the ID of an apply that ended is refused. The duration is
// kept to the millisecond.
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
	steps := make([]step, len(a.Steps))
	for i, st := range a.Steps {
		steps[i] = step{First: st.First, Last: st.Last, Fingerprint: st.Fingerprint, At: st.At.UTC()}
	}
	stepsJSON, err := json.Marshal(steps)
	if err != nil {
		return "", err
	}
	err = d.change(ctx, lockApplies(a.Schema), func(tx *sql.Tx) (registry.Change, error) {
		replace := false
		if a.ID != "" {
			var result string
			err := tx.QueryRowContext(ctx, `SELECT result FROM applies WHERE repo = $1 AND id = $2`+d.forUpdate(), a.Schema, a.ID).Scan(&result)
			switch {
			case err == nil && registry.Result(result) != registry.Running:
				return registry.Change{}, fmt.Errorf("apply %q has ended (%s): %w", a.ID, result, registry.ErrApplyEnded)
			case err == nil:
				replace = true
			case !errors.Is(err, sql.ErrNoRows):
				return registry.Change{}, err
			}
		} else {
			// Taken under the lock, so the log's order is the order of its IDs.
			var last string
			err := tx.QueryRowContext(ctx, `SELECT id FROM applies WHERE repo = $1 ORDER BY seq DESC LIMIT 1`, a.Schema).Scan(&last)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return registry.Change{}, err
			}
			now := time.Now()
			if len(last) >= len(registry.ApplyIDLayout) {
				if t, err := time.Parse(registry.ApplyIDLayout, last[:len(registry.ApplyIDLayout)]); err == nil && !now.After(t) {
					now = t.Add(time.Nanosecond)
				}
			}
			a.ID = registry.NewApplyID(now)
		}
		args := []any{a.Schema, a.ID, a.Plan, a.From, a.To, a.Target, a.Actor, a.Context.PR, a.Context.Commit, a.Context.URL,
			started, a.Duration.Round(time.Millisecond).Milliseconds(), a.Statements, a.Total, string(a.Result), a.Error,
			a.Digest, string(stepsJSON), a.Resumes}
		query := `INSERT INTO applies (repo, id, plan, from_fp, to_fp, target, actor, pr, commit_sha, url,
				started, duration_ms, statements, total, result, error, digest, steps, resumes)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`
		if replace {
			// Only over a running record: the condition repeats the check on the locked row.
			query = `UPDATE applies SET plan = $3, from_fp = $4, to_fp = $5, target = $6, actor = $7, pr = $8,
					commit_sha = $9, url = $10, started = $11, duration_ms = $12, statements = $13, total = $14,
					result = $15, error = $16, digest = $17, steps = $18, resumes = $19
				WHERE repo = $1 AND id = $2 AND result = 'running'`
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return registry.Change{}, err
		}
		return registry.Change{Created: !replace, ID: a.ID}, nil
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
	out, _, err := d.applies(ctx, schema, registry.Page{})
	if err != nil {
		return nil, fmt.Errorf("list applies of schema %q: %w", schema, err)
	}
	return out, nil
}

// AppliesPage implements registry.ServerStore. The cursor is the log position of the last
// apply of the page before; a journal entry keeps its apply's position.
func (d *DB) AppliesPage(ctx context.Context, schema string, pg registry.Page) ([]registry.Apply, string, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, "", fmt.Errorf("list applies: %w", err)
	}
	if pg.Limit <= 0 {
		return nil, "", fmt.Errorf("list applies of schema %q: a page needs a limit above 0", schema)
	}
	out, next, err := d.applies(ctx, schema, pg)
	if err != nil {
		return nil, "", fmt.Errorf("list applies of schema %q: %w", schema, err)
	}
	return out, next, nil
}

func (d *DB) applies(ctx context.Context, schema string, pg registry.Page) ([]registry.Apply, string, error) {
	query := `SELECT seq, id, plan, from_fp, to_fp, target, actor, pr, commit_sha, url,
			started, duration_ms, statements, total, result, error, digest, steps, resumes
		FROM applies WHERE repo = $1`
	args := []any{schema}
	if pg.Cursor != "" {
		seq, _, err := decodeCursor(pg.Cursor, "applies")
		if err != nil {
			return nil, "", err
		}
		args = append(args, seq)
		query += " AND seq > $2"
	}
	query += " ORDER BY seq"
	if pg.Limit > 0 {
		args = append(args, pg.Limit+1)
		query += fmt.Sprintf(" LIMIT $%d", len(args))
	}
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var (
		out     []registry.Apply
		last    int64
		hasMore bool
	)
	for rows.Next() {
		if pg.Limit > 0 && len(out) == pg.Limit {
			hasMore = true
			break
		}
		a := registry.Apply{Schema: schema}
		var (
			seq, durationMS int64
			started         sql.NullInt64
			result, steps   string
		)
		if err := rows.Scan(&seq, &a.ID, &a.Plan, &a.From, &a.To, &a.Target, &a.Actor, &a.Context.PR, &a.Context.Commit,
			&a.Context.URL, &started, &durationMS, &a.Statements, &a.Total, &result, &a.Error, &a.Digest, &steps, &a.Resumes); err != nil {
			return nil, "", err
		}
		a.Started = fromNanos(started)
		a.Duration = time.Duration(durationMS) * time.Millisecond
		a.Result = registry.Result(result)
		var ss []step
		if err := json.Unmarshal([]byte(steps), &ss); err != nil {
			return nil, "", fmt.Errorf("apply %q: its steps: %w", a.ID, err)
		}
		for _, st := range ss {
			a.Steps = append(a.Steps, registry.Step{First: st.First, Last: st.Last, Fingerprint: st.Fingerprint, At: st.At})
		}
		out, last = append(out, a), seq
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	var next string
	if hasMore {
		next = encodeCursor("applies", last, "")
	}
	return out, next, nil
}
