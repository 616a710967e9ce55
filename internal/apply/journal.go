package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
)

// Running a plan with a journal. The registry holds the apply's record from before its first
// statement (Running) and gets a Step after every step that commits, with the fingerprint
// the target then had; the end replaces the same record (Applied or Failed). A deploy killed
// at any point leaves a Running record that says how far the plan got, which is what lets
// the next deploy resume it (resume.go) instead of reporting drift.

// execute runs rp on the target from statement start (0 for a fresh run; where an
// interrupted apply stopped when resuming) and verifies the result. rp's digest has been
// verified against its approval.
func (r *run) execute(ctx context.Context, rp *registry.Plan, start int) error {
	p := rp.Plan
	r.rec.Plan, r.rec.Digest, r.rec.Total, r.rec.Statements = rp.Header.Name, p.Digest(), len(p.Statements), start
	if err := r.begin(ctx); err != nil {
		return err
	}
	txs := p.Transactions()
	if start == 0 {
		r.logf("applying plan %s (digest %s): %s in %s", rp.Header.Name, plan.ShortDigest(r.rec.Digest),
			plan.Count(len(p.Statements), "statement"), plan.Count(len(txs), "step"))
	} else {
		r.logf("resuming plan %s (digest %s) at statement %d of %d", rp.Header.Name, plan.ShortDigest(r.rec.Digest), start+1, len(p.Statements))
	}
	err := postgres.RunWith(ctx, r.conn, p, postgres.RunOptions{
		LockTimeout: r.LockTimeout, StatementTimeout: r.StatementTimeout, Start: start,
		Before: func(first, last int, atomic bool) {
			what := "atomic, in one transaction"
			if !atomic {
				what = "not atomic: runs outside a transaction"
			}
			r.logf("  %s: %s", span(first, last), what)
		},
		After: func(first, last int) error { return r.step(ctx, first, last) },
	})
	var re *postgres.RunError
	if errors.As(err, &re) {
		r.rec.Statements = re.Committed
		return r.failed(ctx, re, start, len(txs))
	}
	if err != nil {
		return fmt.Errorf("apply plan %s: %w", rp.Header.Name, err)
	}
	r.rec.Statements = len(p.Statements)
	return r.verify(ctx)
}

// begin journals the apply as Running before its first statement; when the registry cannot
// take it, nothing runs. When resuming, the interrupted apply is marked Interrupted once this
// record (which names it in Resumes) exists, so a crash between the two leaves a record to
// resume from.
func (r *run) begin(ctx context.Context) error {
	r.rec.Result, r.rec.Duration = registry.Running, r.Now().Sub(r.rec.Started)
	id, err := r.Registry.RecordApply(ctx, r.rec)
	if err != nil {
		r.rec.Result = ""
		return fmt.Errorf("journal the start of the apply: %w; nothing ran", err)
	}
	r.rec.ID = id
	if r.resuming != nil {
		if err := r.interrupt(ctx, *r.resuming, "resumed by apply "+id); err != nil {
			return fmt.Errorf("%w; nothing ran", err)
		}
		r.resuming = nil
	}
	return nil
}

// step journals statements first to last as committed, with the fingerprint the target has
// now. A step that cannot be journaled stops the run: continuing would leave a journal that
// no longer says where the plan stands.
func (r *run) step(ctx context.Context, first, last int) error {
	now, err := r.inspect(ctx)
	if err != nil {
		return fmt.Errorf("journal the step: inspect %s: %w; the apply stops here, before the next step", r.rec.Target, err)
	}
	r.rec.Statements = last + 1
	r.rec.Steps = append(r.rec.Steps, registry.Step{First: first, Last: last, Fingerprint: schema.Fingerprint(now), At: r.Now().UTC()})
	r.rec.Duration = r.Now().Sub(r.rec.Started)
	if _, err := r.Registry.RecordApply(ctx, r.rec); err != nil {
		return fmt.Errorf("journal the step: %w; the apply stops here, before the next step", err)
	}
	return nil
}

// failed describes a failed run and the state it left the target in. A concurrent index
// build that failed leaves an invalid index; it is dropped, so the target is back at the
// last journaled step and the next deploy can simply run the step again.
func (r *run) failed(ctx context.Context, re *postgres.RunError, start, parts int) error {
	ctx = context.WithoutCancel(ctx) // say what happened even when the run was cancelled
	var b strings.Builder
	fmt.Fprintf(&b, "statement %d failed (%s %s):\n  %s\n  %v\n", re.Statement+1, re.Kind, re.Object, oneLine(re.SQL), re.Err)
	failed := fmt.Sprintf("statement %d's transaction was rolled back", re.Statement+1)
	if postgres.NeedsNoTransaction(re.SQL) {
		// Outside a transaction nothing is rolled back: a failed CREATE INDEX CONCURRENTLY
		// leaves an invalid index behind.
		failed = fmt.Sprintf("statement %d ran outside a transaction and may have left something behind", re.Statement+1)
		if ix, err := postgres.DropInvalidIndex(ctx, r.conn, re.SQL); err != nil {
			failed += fmt.Sprintf(" (cleaning up its invalid index failed: %v)", err)
		} else if ix != "" {
			failed = fmt.Sprintf("statement %d ran outside a transaction; the invalid index %s it left was dropped", re.Statement+1, ix)
		}
	}
	switch {
	case re.Committed == start && parts == 1:
		b.WriteString(failed + ": nothing else ran")
	case re.Committed == start:
		b.WriteString("nothing was committed before it; " + failed)
	default:
		fmt.Fprintf(&b, "committed before the failure, and still applied: %s; %s", span(0, re.Committed-1), failed)
	}
	after, err := r.inspect(ctx)
	if err != nil {
		fmt.Fprintf(&b, "\nthe target could not be inspected afterwards: %v", err)
	} else {
		fp := schema.Fingerprint(after)
		state := "neither the start nor the desired state"
		switch fp {
		case r.rec.From:
			state = "its state before the apply"
		case r.rec.To:
			state = "the desired state"
		}
		fmt.Fprintf(&b, "\nthe target is now at %s (%s)", short(fp), state)
	}
	return errors.New(b.String())
}

// verify inspects the target again: it must have the desired state.
func (r *run) verify(ctx context.Context) error {
	after, err := r.inspect(ctx)
	if err != nil {
		return fmt.Errorf("verify: inspect %s: %w", r.rec.Target, err)
	}
	if fp := schema.Fingerprint(after); fp != r.rec.To {
		var b strings.Builder
		fmt.Fprintf(&b, "verification failed: after the plan the target is at %s, not the desired %s; it still differs by:", short(fp), short(r.rec.To))
		for _, c := range describe(diff.Realms(after, r.Desired)) {
			b.WriteString("\n  " + c)
		}
		return errors.New(b.String())
	}
	r.logf("verified: the target is at %s", short(r.rec.To))
	r.rec.Result = registry.Applied
	return nil
}
