package apply

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
)

// Choosing the plan: the approved plan of the transition, the operator's plan when its
// digest is approved, or what the review policy makes of a plan nobody approved.

// pick returns the plan to run: the one approved plan for the transition, the given one
// (Options.Plan) when its digest is approved, or what the review policy makes of their
// absence. The caller verifies the returned plan's digest against its approval. A PENDING
// plan (policy always, not approved in time) is returned with a nil error only on a dry run;
// otherwise it is an error.
func (r *run) pick(ctx context.Context) (*registry.Plan, error) {
	if r.Plan != nil {
		return r.given(ctx)
	}
	from, to := r.rec.From, r.rec.To
	approved, err := r.Registry.Plans(ctx, r.Schema, registry.Filter{From: from, To: to, Status: plan.Approved})
	if err != nil {
		return nil, fmt.Errorf("look up approved plans: %w", err)
	}
	switch len(approved) {
	case 1:
		r.logf("approved plan %s takes %s to %s (approved by %s)", approved[0].Header.Name, short(from), short(to), orUnknown(approved[0].Header.ApprovedBy))
		return approved[0], nil
	case 0:
	default:
		names := make([]string, len(approved))
		for i, p := range approved {
			names[i] = p.Header.Name
		}
		return nil, fmt.Errorf("%d approved plans take %s to %s: %s; choose one with --plan or abort the others",
			len(approved), short(from), short(to), strings.Join(names, ", "))
	}
	if err := r.checkDrift(ctx); err != nil {
		return nil, err
	}
	return r.policy(ctx, nil)
}

// given decides about the operator's plan (--plan). Naming a plan is no approval: it runs
// when the registry holds an approval of its digest for this transition, or when the review
// policy allows it, exactly as a plan made at deploy time.
func (r *run) given(ctx context.Context) (*registry.Plan, error) {
	g, from, to := r.Plan, r.rec.From, r.rec.To
	d := g.Plan.Digest()
	if g.Plan.From != from {
		return nil, r.drift(ctx, g)
	}
	if g.Plan.To != to {
		return nil, fmt.Errorf("plan %s goes to %s, not to the desired state %s", g.Header.Name, short(g.Plan.To), short(to))
	}
	approved, err := r.Registry.Plans(ctx, r.Schema, registry.Filter{From: from, To: to, Status: plan.Approved})
	if err != nil {
		return nil, fmt.Errorf("look up approved plans: %w", err)
	}
	// The plan of the given name first, when it is the approved one: several approved plans
	// may hold the same content, and the operator named this one.
	slices.SortStableFunc(approved, func(a, b *registry.Plan) int {
		return cmp.Compare(boolRank(b.Header.Name == g.Header.Name), boolRank(a.Header.Name == g.Header.Name))
	})
	for _, a := range approved {
		if a.Approval != nil && a.Approval.Digest == d {
			r.logf("plan %s (digest %s) is approved in the registry as plan %s (approved by %s)",
				g.Header.Name, plan.ShortDigest(d), a.Header.Name, orUnknown(a.Approval.Actor))
			return a, nil
		}
	}
	aborted, err := r.Registry.Plans(ctx, r.Schema, registry.Filter{From: from, To: to, Status: plan.Aborted})
	if err != nil {
		return nil, fmt.Errorf("look up aborted plans: %w", err)
	}
	for _, a := range aborted {
		if a.Plan.Digest() == d || a.Approval != nil && a.Approval.Digest == d {
			return nil, fmt.Errorf("plan %s (digest %s) was aborted in the registry as plan %s: it runs nowhere", g.Header.Name, d, a.Header.Name)
		}
	}
	r.logf("plan %s (digest %s) is not approved for %s -> %s in the registry; review policy %q decides",
		g.Header.Name, plan.ShortDigest(d), short(from), short(to), r.Policy)
	return r.policy(ctx, g)
}

// policy decides what happens without an approved plan: about the given plan, or else about
// one made now.
func (r *run) policy(ctx context.Context, given *registry.Plan) (*registry.Plan, error) {
	from, to := r.rec.From, r.rec.To
	name, what := DeployName(from, to), "the plan made now"
	var p *plan.Plan
	if given != nil {
		p, what = given.Plan, fmt.Sprintf("plan %s (digest %s)", given.Header.Name, given.Plan.Digest())
		if given.Header.Name != "" {
			name = given.Header.Name
		}
	} else {
		var err error
		if p, err = plan.New(r.current, r.Desired, postgres.Renderer{}); err != nil {
			return nil, fmt.Errorf("plan %s -> %s: %w", short(from), short(to), err)
		}
	}
	if r.Check == nil {
		if given != nil {
			return nil, fmt.Errorf("%s is not approved for %s -> %s, and cannot be linted and rehearsed here", what, short(from), short(to))
		}
		return nil, fmt.Errorf("no approved plan takes %s to %s", short(from), short(to))
	}
	res, err := r.Check(ctx, r.current, r.Desired, p)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", what, err)
	}
	h := plan.Header{Name: name, CreatedAt: r.Now().UTC().Truncate(time.Second), CreatedBy: r.Actor,
		Context: r.Context, Linted: true, Findings: res.Findings()}
	rp := &registry.Plan{Schema: r.Schema, Header: h, Plan: p}
	c := res.Counts()
	lintLine := "lint: " + h.LintSummary()
	switch {
	case r.AutoApprove: // never under PolicyAlways: Run refuses that
		r.logf("no approved plan; --auto-approve: %s, %s (%s)", what, plan.Count(len(p.Statements), "statement"), lintLine)
		return r.approveNow(ctx, rp, "auto-approve")
	case r.Policy == PolicyAlways:
		return r.waitForApproval(ctx, rp, given != nil)
	case c.Errors > 0 || r.Policy == PolicyWarning && c.Warnings > 0:
		e := &RefusedError{Policy: r.Policy, From: from, To: to, Findings: h.Findings}
		if given != nil {
			e.Plan, e.Digest = given.Header.Name, given.Plan.Digest()
		}
		return nil, e
	}
	r.logf("no approved plan; review policy %q allows %s (%s)", r.Policy, what, lintLine)
	return r.approveNow(ctx, rp, "review policy "+string(r.Policy))
}

// RefusedError is a plan nobody approved that the review policy refuses: one made at deploy
// time, or the given one (Plan and Digest set).
type RefusedError struct {
	Policy       Policy
	From, To     string
	Plan, Digest string
	Findings     []plan.Finding
}

func (e *RefusedError) Error() string {
	var b strings.Builder
	if e.Plan != "" {
		fmt.Fprintf(&b, "plan %s (digest %s) is not approved for %s -> %s, and review policy %q refuses it:", e.Plan, e.Digest, short(e.From), short(e.To), e.Policy)
	} else {
		fmt.Fprintf(&b, "no approved plan takes %s to %s, and review policy %q refuses the plan made now:", short(e.From), short(e.To), e.Policy)
	}
	for _, f := range e.Findings {
		if f.Severity == "error" || e.Policy == PolicyWarning && f.Severity == "warning" {
			where := "plan"
			if f.Statement >= 0 {
				where = "statement " + strconv.Itoa(f.Statement+1)
			}
			fmt.Fprintf(&b, "\n  %s: %s %s: %s", where, f.Severity, f.Analyzer, f.Message)
		}
	}
	b.WriteString("\nplan it for review (sextant schema plan) and get it approved; nothing was applied")
	return b.String()
}

// approveNow stores a plan the policy allows as approved, binding the digest of the content
// that was checked, so the registry shows what ran and why.
func (r *run) approveNow(ctx context.Context, rp *registry.Plan, by string) (*registry.Plan, error) {
	if r.DryRun {
		rp.Header.Status = plan.Approved
		return rp, nil
	}
	if err := r.save(ctx, rp); err != nil {
		return nil, err
	}
	if rp.Header.Status == plan.Approved { // the same content, approved meanwhile
		return rp, nil
	}
	actor := by
	if r.Actor != "" {
		actor = r.Actor + " (" + by + ")"
	}
	a, err := r.Registry.Approve(ctx, r.Schema, rp.Header.Name, registry.Approval{
		Digest: rp.Plan.Digest(), Actor: actor, At: r.Now(), Context: r.Context})
	if err != nil {
		return nil, fmt.Errorf("store plan %s as approved by %s: %w", rp.Header.Name, by, err)
	}
	return a, nil
}

// save stores rp as PENDING under its name, or finds it stored already. A plan of that name
// with other content (a pull request's, or one someone edited) is left alone: rp is then
// stored under its name suffixed with its digest's first 8 hex digits. On return rp is the
// stored plan.
func (r *run) save(ctx context.Context, rp *registry.Plan) error {
	d := rp.Plan.Digest()
	base := rp.Header.Name
	names := []string{base, base + "-" + Short8(d)}
	for _, name := range names {
		old, err := r.Registry.Plan(ctx, r.Schema, name)
		switch {
		case errors.Is(err, registry.ErrNotFound):
			if r.PutState != nil {
				// The from state, so that the plan can be reversed and drift shown later.
				if err := r.PutState(ctx, r.current); err != nil {
					return fmt.Errorf("record the target's state: %w", err)
				}
			}
			rp.Header.Name, rp.Header.Status = name, plan.Pending
			if err := r.Registry.SavePlan(ctx, rp); err != nil {
				return fmt.Errorf("store plan %s: %w", name, err)
			}
			stored, err := r.Registry.Plan(ctx, r.Schema, name)
			if err != nil {
				return fmt.Errorf("read back plan %s: %w", name, err)
			}
			*rp = *stored
			return nil
		case err != nil:
			return fmt.Errorf("look up plan %s: %w", name, err)
		case old.Plan.Digest() != d:
			continue
		case old.Header.Status == plan.Aborted:
			return fmt.Errorf("plan %s holds this content (digest %s) and was aborted: it runs nowhere", name, d)
		}
		*rp = *old
		return nil
	}
	return fmt.Errorf("plans %s hold other content than %s (digest %s): abort or rename them", strings.Join(names, " and "), base, d)
}

// waitForApproval stores the plan as PENDING and, with a wait timeout, polls until it is
// approved, aborted or the time is up. A given plan (--plan) is the one that must be
// approved; for a plan made now, a plan already waiting for review for the transition is.
func (r *run) waitForApproval(ctx context.Context, rp *registry.Plan, given bool) (*registry.Plan, error) {
	digest, file := rp.Plan.Digest(), rp.Header.Name
	var waiting []*registry.Plan
	if !given {
		// A plan already waiting for review for this transition (a pull request's) is the
		// one to approve, not a new one.
		var err error
		waiting, err = r.Registry.Plans(ctx, r.Schema, registry.Filter{From: r.rec.From, To: r.rec.To, Status: plan.Pending})
		if err != nil {
			return nil, fmt.Errorf("look up pending plans: %w", err)
		}
		if len(waiting) > 0 {
			rp = waiting[len(waiting)-1]
			digest = rp.Plan.Digest()
		}
	}
	if r.DryRun {
		r.logf("dry run: review policy \"always\" would store plan %s (digest %s) as PENDING for approval", rp.Header.Name, digest)
		rp.Header.Status = plan.Pending
		return rp, nil
	}
	if len(waiting) == 0 {
		if err := r.save(ctx, rp); err != nil {
			return nil, err
		}
	}
	name := rp.Header.Name
	if given {
		r.logf("review policy \"always\": plan %s (digest %s) is not approved; it is stored as PENDING plan %s; review it, then approve it with: sextant schema plan approve %s --digest %s",
			file, digest, name, name, digest)
	} else {
		r.logf("review policy \"always\": plan %s (digest %s) is PENDING; review it, then approve it with: sextant schema plan approve %s --digest %s", name, digest, name, digest)
	}
	if rp.Header.Status == plan.Approved { // the same content, approved meanwhile
		return rp, nil
	}
	if r.WaitTimeout <= 0 {
		return rp, &PendingError{Plan: name, Digest: digest}
	}
	r.logf("waiting up to %s for the approval…", r.WaitTimeout)
	deadline := r.Now().Add(r.WaitTimeout)
	for {
		cur, err := r.Registry.Plan(ctx, r.Schema, name)
		if err != nil {
			return nil, fmt.Errorf("look up plan %s: %w", name, err)
		}
		switch cur.Header.Status {
		case plan.Approved:
			r.logf("plan %s was approved by %s", name, orUnknown(cur.Header.ApprovedBy))
			if cur.Plan.From != r.rec.From || cur.Plan.To != r.rec.To {
				return nil, fmt.Errorf("plan %s was changed to go from %s to %s while waiting", name, short(cur.Plan.From), short(cur.Plan.To))
			}
			if got := cur.Plan.Digest(); given && got != digest {
				return nil, fmt.Errorf("plan %s was changed while waiting: it holds digest %s, not the given plan's %s; nothing ran", name, got, digest)
			}
			return cur, nil
		case plan.Aborted:
			return nil, fmt.Errorf("plan %s was aborted while waiting for its approval", name)
		}
		if !r.Now().Before(deadline) {
			return cur, &PendingError{Plan: name, Digest: digest, Waited: r.WaitTimeout}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(min(r.PollInterval, deadline.Sub(r.Now()))):
		}
	}
}

// PendingError says the apply stopped because its plan awaits approval.
type PendingError struct {
	Plan   string
	Digest string // the content that awaits approval
	Waited time.Duration
}

func (e *PendingError) Error() string {
	if e.Waited > 0 {
		return fmt.Sprintf("plan %s (digest %s) was not approved within %s; nothing was applied", e.Plan, e.Digest, e.Waited)
	}
	return fmt.Sprintf("plan %s (digest %s) awaits approval (review policy \"always\"); nothing was applied", e.Plan, e.Digest)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
