package apply

import (
	"context"
	"fmt"
	"slices"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
)

// Taking over an interrupted apply.
//
// Applies hold the target's advisory lock for as long as they run, and the lock goes with
// their session. So a deploy that holds the lock and finds a Running record for the same
// target knows that record's deploy is gone (killed, or its machine lost) without having
// written its end. The newest such record going to the desired state is resumed when its
// plan still verifies and the target is where its journal left it; every other one is only
// marked Interrupted, so that it is neither taken for a running deploy nor looked at again.

// takeover is an interrupted apply this deploy can resume.
type takeover struct {
	orphan registry.Apply
	plan   *registry.Plan
	start  int    // statements of the plan committed: the resume point
	at     string // the fingerprint the journal last recorded (the orphan's From without steps)
	// invalid is the invalid index the interrupted step left, on a dry run, which leaves it
	// in place (a real run drops it).
	invalid string
}

// interruptedNote is the error text of an apply marked Interrupted.
const interruptedNote = "its deploy ended without recording an end (killed?): a later deploy holding the target's lock found it running"

// takeOver looks for applies of the schema still marked Running on this target, reports
// them, and returns the one to resume, if any, after dropping the invalid index its
// interrupted concurrent index build left. The others are marked Interrupted (not on a dry
// run).
func (r *run) takeOver(ctx context.Context) (*takeover, error) {
	all, err := r.Registry.Applies(ctx, r.Schema)
	if err != nil {
		return nil, fmt.Errorf("look for interrupted applies: %w", err)
	}
	var orphans []registry.Apply
	for _, a := range all {
		if a.Result == registry.Running && a.Target == r.rec.Target {
			orphans = append(orphans, a)
		}
	}
	var t *takeover
	for i := len(orphans) - 1; i >= 0; i-- { // newest first
		o := orphans[i]
		r.logf("apply %s (plan %s, %s -> %s, started %s) never finished: its deploy was interrupted",
			o.ID, orUnknown(o.Plan), short(o.From), short(o.To), o.Started.Format("2006-01-02 15:04:05Z07:00"))
		if t == nil && o.To == r.rec.To {
			var why string
			if t, why = r.resumable(ctx, o); t != nil {
				continue
			}
			r.logf("  it cannot be resumed: %s", why)
		}
		if err := r.interrupt(ctx, o, ""); err != nil {
			return nil, err
		}
	}
	if t == nil {
		return nil, nil
	}
	p := t.plan.Plan
	r.logf("apply %s (plan %s) was interrupted %s", t.orphan.ID, t.plan.Header.Name, progress(p, t.start))
	if t.start == len(p.Statements) {
		return t, nil
	}
	// What an interrupted step left: a transaction rolls back by itself, a concurrent index
	// build leaves its index behind, invalid.
	if next := stepAt(p, t.start); len(next) == 1 && postgres.NeedsNoTransaction(next[0].SQL) {
		if r.DryRun {
			ix, err := postgres.InvalidIndex(ctx, r.conn, next[0].SQL)
			if err != nil {
				return nil, err
			}
			t.invalid = ix
			return t, nil
		}
		ix, err := postgres.DropInvalidIndex(ctx, r.conn, next[0].SQL)
		if err != nil {
			return nil, fmt.Errorf("clean up after interrupted apply %s: %w", t.orphan.ID, err)
		}
		if ix != "" {
			r.logf("dropped the invalid index %s that the interrupted statement %d (CREATE INDEX CONCURRENTLY) left behind", ix, t.start+1)
		}
	}
	return t, nil
}

// resumable returns o as a takeover when its plan may run on: it is the plan that ran (the
// same digest) and it still verifies against its approval. Otherwise it says why not.
func (r *run) resumable(ctx context.Context, o registry.Apply) (*takeover, string) {
	if o.Plan == "" || o.Digest == "" {
		return nil, "its record names no plan and digest"
	}
	p, err := r.Registry.Plan(ctx, r.Schema, o.Plan)
	if err != nil {
		return nil, fmt.Sprintf("its plan %s: %v", o.Plan, err)
	}
	if err := p.Verify(); err != nil {
		return nil, err.Error()
	}
	if d := p.Plan.Digest(); d != o.Digest {
		return nil, fmt.Sprintf("plan %s now holds digest %s, not the %s that ran", o.Plan, d, o.Digest)
	}
	t := &takeover{orphan: o, plan: p, at: o.From}
	if n := len(o.Steps); n > 0 {
		t.start, t.at = o.Steps[n-1].Last+1, o.Steps[n-1].Fingerprint
	}
	if t.start > len(p.Plan.Statements) || stepAt(p.Plan, t.start) == nil && t.start < len(p.Plan.Statements) {
		return nil, fmt.Sprintf("its journal ends at statement %d, which is not the end of a step of plan %s", t.start, o.Plan)
	}
	return t, ""
}

// resume decides about the interrupted apply t once the target is inspected: resume its plan
// when the target is where the journal left it, report no change when the target already
// has the desired state, and refuse otherwise.
func (r *run) resume(ctx context.Context, t *takeover) (*Outcome, error) {
	p := t.plan.Plan
	switch {
	case r.rec.From == r.rec.To:
		r.logf("nothing to do: the target already has the desired state (the rest of apply %s's plan committed before it stopped)", t.orphan.ID)
		r.rec.Result = registry.NoChanges
		return &Outcome{}, r.interrupt(ctx, t.orphan, "")
	case t.start == len(p.Statements):
		if err := r.interrupt(ctx, t.orphan, ""); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("apply %s committed every statement of plan %s before it was interrupted, but the target is at %s, not the desired %s; nothing was applied",
			t.orphan.ID, t.plan.Header.Name, short(r.rec.From), short(r.rec.To))
	case r.rec.From != t.at:
		if err := r.interrupt(ctx, t.orphan, ""); err != nil {
			return nil, err
		}
		return nil, &ResumeError{Apply: t.orphan.ID, Plan: t.plan.Header.Name, Progress: progress(p, t.start),
			Journaled: t.at, Target: r.rec.From, Desired: r.rec.To, URL: r.rec.Target}
	}
	r.logf("the target is at %s, where apply %s's journal left it: resuming plan %s with its remaining %s",
		short(r.rec.From), t.orphan.ID, t.plan.Header.Name, plan.Count(len(p.Statements)-t.start, "statement"))
	out := &Outcome{Plan: t.plan}
	if r.DryRun {
		r.logf("dry run: would resume plan %s at statement %d; nothing was changed", t.plan.Header.Name, t.start+1)
		return out, nil
	}
	// The journal goes on from the interrupted one: its steps first, so that this record
	// alone says where the plan stands should this deploy be interrupted too.
	r.rec.Resumes, r.rec.Steps = t.orphan.ID, slices.Clone(t.orphan.Steps)
	r.resuming = &t.orphan
	return out, r.execute(ctx, t.plan, t.start)
}

// interrupt marks the orphaned apply o Interrupted (not on a dry run), with note saying more
// (what took it over) when not empty.
func (r *run) interrupt(ctx context.Context, o registry.Apply, note string) error {
	if r.DryRun {
		return nil
	}
	o.Result, o.Error = registry.Interrupted, interruptedNote
	if note != "" {
		o.Error += "; " + note
	}
	if _, err := r.Registry.RecordApply(context.WithoutCancel(ctx), o); err != nil {
		return fmt.Errorf("mark interrupted apply %s: %w", o.ID, err)
	}
	r.interrupted = append(r.interrupted, o)
	return nil
}

// ResumeError is an interrupted apply that cannot be resumed because the target is not
// where its journal left it: something changed the target since.
type ResumeError struct {
	Apply, Plan string // the interrupted apply's ID and its plan
	Progress    string // how far it got, e.g. "after statements 1-3 of 5 (step 2 of 4)"
	// Journaled is the fingerprint its journal last recorded; Target is the target's now.
	Journaled, Target, Desired string
	URL                        string // the target, without credentials
}

func (e *ResumeError) Error() string {
	return fmt.Sprintf("apply %s (plan %s) was interrupted %s, and its journal says the target was then at %s; "+
		"the target is at %s, not there and not at the desired %s: something changed it since, so the rest of the plan does not run; nothing was applied"+
		"\nfind out who changed the target; then plan from its real state for review (sextant schema plan --from %s, with its credentials), get that plan approved, and deploy again",
		e.Apply, e.Plan, e.Progress, short(e.Journaled), short(e.Target), short(e.Desired), e.URL)
}

// progress says how far a run of p got when committed statements had committed, for people:
// "after statements 1-3 of 5 (step 2 of 4)", "before its first statement (0 of 5)".
func progress(p *plan.Plan, committed int) string {
	total, steps := len(p.Statements), p.Transactions()
	if committed == 0 {
		return fmt.Sprintf("before its first statement committed (0 of %d)", total)
	}
	done, n := 0, 0
	for _, s := range steps {
		if done >= committed {
			break
		}
		done += len(s)
		n++
	}
	what := "statements " + fmt.Sprintf("%d-%d", 1, committed)
	if committed == 1 {
		what = "statement 1"
	}
	return fmt.Sprintf("after %s of %d (step %d of %d)", what, total, n, len(steps))
}

// stepAt returns the step of p that begins with statement i, or nil when none does.
func stepAt(p *plan.Plan, i int) []plan.Statement {
	done := 0
	for _, s := range p.Transactions() {
		if done == i {
			return s
		}
		done += len(s)
	}
	return nil
}
