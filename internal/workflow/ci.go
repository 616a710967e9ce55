package workflow

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// The CI forms of the workflow: where a pull request's plan starts, and approving the plan of
// a merged pull request. They take plain values (numbers, tags, commits) so that any runner,
// or the operator, can call them; comments and outputs are the caller's.

// CurrentState is where a pull request's plan starts when no from source is given: the
// registry's state tagged tag (the default branch's); else the desired state to at the pull
// request's base commit (git), when to is a file source; else the empty schema (""). A
// warning, when not empty, says why the base commit could not be used and how to fix it.
func (p *Project) CurrentState(ctx context.Context, env source.Env, to, tag, baseCommit string, log io.Writer) (from, warning string, err error) {
	from, err = p.DefaultFrom(ctx, tag)
	if err != nil || from != "" {
		return from, "", err
	}
	path, isFile := strings.CutPrefix(to, "file://")
	if !isFile || baseCommit == "" {
		fmt.Fprintf(log, "no state recorded for %s: planning from the empty schema\n", tag)
		return "", "", nil
	}
	base := "git://" + baseCommit + ":" + path
	if _, err := source.SQLFiles(ctx, base, env); err != nil {
		return "", fmt.Sprintf("no state recorded for %s, and the desired state at the base commit cannot be read (%v): planning from the empty schema. "+
			"Record the deployed state with sextant ci approve on %s (or sextant schema push --tag %s), or check out with fetch-depth: 0.",
			tag, err, tag, tag), nil
	}
	fmt.Fprintf(log, "no state recorded for %s: planning from the base commit, %s\n", tag, base)
	return base, "", nil
}

// PRRequest asks to approve the plan of a merged pull request.
type PRRequest struct {
	PR      int
	To      string        // the desired state's source at the merge commit
	Desired *schema.Realm // To, loaded
	Tag     string        // the default branch's registry tag
	Actor   string        // who approves (the CI job's actor)
	// Shown is the digest the plan job showed the reviewers (report.ShownDigest of its own
	// comment), "" when none could be read. Only that content is approved.
	Shown string
	// Commit and URL are the merge commit and the CI job, recorded with the approval.
	Commit, URL string
	// ReverseBy is recorded as the creator of the reverse plan.
	ReverseBy string
}

// PROutcome says what ApprovePR did.
type PROutcome int

const (
	// NoPlan: the pull request has no plan; nothing was approved.
	NoPlan PROutcome = iota
	// AlreadyApproved: its plan was approved before; nothing changed.
	AlreadyApproved
	// Approved: its plan (or, when Superseded is set, an identical plan made again from the
	// branch's state) is approved, and the way back stored.
	Approved
	// Stale: the plan no longer leads from the branch's state to its desired state and
	// planning again gives other SQL; it stays PENDING, Note says why.
	Stale
	// Unreviewed: what the plan holds is not what was shown for review (its content changed
	// after the comment, or no comment of the job's own shows a digest); nothing was
	// approved. When the content changed, the plan was made again and stored as a new
	// PENDING revision. Note says why.
	Unreviewed
)

// PRApproval is what ApprovePR did, for the runner's outputs and comment.
type PRApproval struct {
	Outcome PROutcome
	// Plan is the plan approved, already approved, or left PENDING (nil with NoPlan).
	Plan *registry.Plan
	// Superseded names the stale plan that an identical new plan replaced (it is aborted).
	Superseded string
	// Note explains a Stale plan.
	Note string
	// From is the plan's from state, Lint its findings and Rehearsal how it ran on the dev
	// database, for the comment (not set for NoPlan and AlreadyApproved; Rehearsal is nil
	// when the plan could not be rehearsed again).
	From      *schema.Realm
	Lint      *lint.Result
	Rehearsal *lint.Rehearsal
}

// ApprovePR approves the plan of merged pull request r.PR when it still leads from the
// branch's previous state to its desired state. A stale plan (the branch moved on since it was
// made) is approved only when planning again gives the same SQL. Progress goes to log.
func (p *Project) ApprovePR(ctx context.Context, env source.Env, r PRRequest, log io.Writer) (*PRApproval, error) {
	want := schema.Fingerprint(r.Desired)
	plans, err := p.Registry.Plans(ctx, p.Schema.Name, registry.Filter{})
	if err != nil {
		return nil, err
	}
	var pl *registry.Plan
	for _, q := range plans {
		if q.Header.Context.PR == r.PR && q.Header.Status != plan.Aborted && !strings.HasSuffix(q.Header.Name, "-rollback") {
			pl = q // the newest, plans are oldest first
		}
	}
	switch {
	case pl == nil:
		fmt.Fprintf(log, "pull request #%d has no plan: nothing to approve\n", r.PR)
		return &PRApproval{Outcome: NoPlan}, nil
	case pl.Header.Status == plan.Approved:
		fmt.Fprintf(log, "plan %s is already approved\n", pl.Header.Name)
		return &PRApproval{Outcome: AlreadyApproved, Plan: pl}, nil
	}
	base, err := p.branchState(ctx, r.Tag, pl, log)
	if err != nil {
		return nil, err
	}
	if held := pl.Plan.Digest(); r.Shown != held {
		return p.unreviewed(ctx, env, r, pl, base, log)
	}
	fromR, err := p.LoadState(ctx, env, pl.Plan.From)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", pl.Header.Name, err)
	}
	res := &PRApproval{}
	switch {
	case pl.Plan.To != want:
		res.Note = fmt.Sprintf("The plan leads to %s, but the desired state on %s is %s: the merge brought in other schema changes.",
			apply.Short8(pl.Plan.To), r.Tag, apply.Short8(want))
	case pl.Plan.From != base:
		replanned, err := p.replan(ctx, env, pl, base, r.To, r.Actor)
		if err != nil {
			return nil, err
		}
		if replanned == nil {
			res.Note = fmt.Sprintf("The plan starts from %s, but %s was at %s when it merged, and planning again gives other SQL.",
				apply.Short8(pl.Plan.From), r.Tag, apply.Short8(base))
			break
		}
		fmt.Fprintf(log, "plan %s is stale (made from %s, %s was at %s), but planning again gives the same SQL: approving plan %s\n",
			pl.Header.Name, apply.Short8(pl.Plan.From), r.Tag, apply.Short8(base), replanned.Header.Name)
		if _, err := p.Registry.SetStatus(ctx, p.Schema.Name, pl.Header.Name, plan.Pending, plan.Aborted,
			r.Actor+" (superseded by "+replanned.Header.Name+")", time.Now()); err != nil {
			return nil, err
		}
		res.Superseded = pl.Header.Name
		pl = replanned
		if fromR, err = p.LoadState(ctx, env, pl.Plan.From); err != nil {
			return nil, err
		}
	}
	res.Plan, res.From = pl, fromR
	res.Lint, res.Rehearsal = p.recheck(ctx, env, r, pl, fromR, log)
	if res.Note != "" {
		fmt.Fprintf(log, "plan %s stays PENDING: %s\n", pl.Header.Name, res.Note)
		res.Outcome = Stale
		return res, nil
	}
	// The digest is the one shown (or, for a stale plan made again with the same SQL, the new
	// plan's): the store approves it only if the plan still holds exactly that content.
	approved, err := p.Registry.Approve(ctx, p.Schema.Name, pl.Header.Name, registry.Approval{Digest: pl.Plan.Digest(),
		Actor: r.Actor, At: time.Now(), Context: plan.Context{PR: r.PR, Commit: r.Commit, URL: r.URL}})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "approved plan %s (%s -> %s), digest %s\n", approved.Header.Name, apply.Short8(approved.Plan.From),
		apply.Short8(approved.Plan.To), approved.Approval.Digest)
	if err := p.StoreReverse(ctx, log, env, approved, r.ReverseBy); err != nil {
		return nil, err
	}
	// The comment quotes the plan as it was reviewed, with the approval's header.
	res.Outcome, res.Plan = Approved, &registry.Plan{Schema: pl.Schema, Header: approved.Header, Plan: pl.Plan}
	return res, nil
}

// branchState is the fingerprint the default branch (tag) was at before the merge: the state
// recorded under its tag. When nothing was ever recorded (no approve ran on the branch before
// this one) the plan's own from is taken: the plan job started from the best knowledge there
// was, the base commit's desired state (or the empty schema without one), and measuring it
// against the empty schema would call the first plan of every repository stale. Nothing is
// less safe for it: apply runs a plan only on a target whose fingerprint is the plan's from.
func (p *Project) branchState(ctx context.Context, tag string, pl *registry.Plan, log io.Writer) (string, error) {
	st, err := p.Registry.State(ctx, p.Schema.Name, tag)
	switch {
	case err == nil:
		return st.Fingerprint, nil
	case !isNotFound(err):
		return "", err
	}
	fmt.Fprintf(log, "no state recorded for %s yet: taking plan %s's from, %s, as the state it was at\n",
		tag, pl.Header.Name, apply.Short8(pl.Plan.From))
	return pl.Plan.From, nil
}

// unreviewed handles a plan whose content is not what its pull request's comment showed:
// nothing is approved. Content that changed after the comment is replaced by a plan made
// again from the branch's state, as a new PENDING revision, for a fresh review.
func (p *Project) unreviewed(ctx context.Context, env source.Env, r PRRequest, pl *registry.Plan, base string, log io.Writer) (*PRApproval, error) {
	held := pl.Plan.Digest()
	res := &PRApproval{Outcome: Unreviewed, Plan: pl, Lint: FindingsResult(pl.Header)}
	if r.Shown == "" {
		res.Note = fmt.Sprintf("No comment of this CI job's own on the pull request shows the digest of plan %s, so what was reviewed is not known: nothing was approved. "+
			"Review the plan (digest %s) and approve it by hand: sextant schema plan approve %s --digest %s", pl.Header.Name, held, pl.Header.Name, held)
		fmt.Fprintf(log, "plan %s stays PENDING: no comment shows its digest\n", pl.Header.Name)
		return res, nil
	}
	from := p.stateSource(base)
	again, err := p.Plan(ctx, env, PlanRequest{From: from, To: r.To, Name: pl.Header.Name, Context: pl.Header.Context, Actor: r.Actor})
	if err != nil {
		return nil, fmt.Errorf("plan %s again: %w", pl.Header.Name, err)
	}
	h, err := p.Store(ctx, *again)
	if err != nil {
		return nil, err
	}
	res.Plan = &registry.Plan{Schema: p.Schema.Name, Header: h, Plan: again.Plan}
	res.From, res.Lint, res.Rehearsal = again.From, again.Result, again.Rehearsal
	res.Note = fmt.Sprintf("The content of plan %s changed after it was shown for review: the comment showed digest %s, the registry held %s (revision %d). "+
		"Nothing was approved. The plan was made again from %s (digest %s) and stays PENDING: review it, then approve it with sextant schema plan approve %s --digest %s.",
		pl.Header.Name, r.Shown, held, pl.Header.Revision, r.Tag, again.Plan.Digest(), pl.Header.Name, again.Plan.Digest())
	fmt.Fprintf(log, "plan %s is not approved: the comment showed digest %s, the registry held %s; planned again as revision %d (digest %s), PENDING\n",
		pl.Header.Name, r.Shown, held, h.Revision, again.Plan.Digest())
	return res, nil
}

// recheck rehearses and lints stored plan pl again, from fromR, for the approve job's comment.
// A plan file keeps its findings as one-line messages only, while the plan job's comment also
// showed the rehearsal, the change details, the line that defines each finding's object and
// its safe alternative; the approval must not take them away. A plan's rehearsal and lint
// follow from its states, so doing them again on the dev database shows what the plan job
// showed, located in the desired state's files as they are at the merge. The approval does not
// depend on it: when the states cannot be built again the comment falls back to the stored
// findings, with a warning on log.
func (p *Project) recheck(ctx context.Context, env source.Env, r PRRequest, pl *registry.Plan, fromR *schema.Realm, log io.Writer) (*lint.Result, *lint.Rehearsal) {
	c, err := func() (*Checked, error) {
		toR, to := r.Desired, r.To
		if pl.Plan.To != schema.Fingerprint(r.Desired) { // a stale plan leads elsewhere
			to = "registry://" + p.Schema.Name + "@" + pl.Plan.To
			var err error
			if toR, err = p.LoadState(ctx, env, pl.Plan.To); err != nil {
				return nil, err
			}
		}
		from := p.stateSource(pl.Plan.From)
		srcs, err := LintSources(ctx, from, to, env)
		if err != nil {
			return nil, err
		}
		// A plan read back from the registry has no typed changes; the analyzers and the
		// comment's change details read them.
		plan.Attach(pl.Plan, diff.Realms(fromR, toR))
		return p.Linter(env).Check(ctx, pl.Plan, fromR, toR, nil, srcs)
	}()
	if err != nil {
		fmt.Fprintf(log, "warning: plan %s not rehearsed again (%v): the comment shows its stored findings\n", pl.Header.Name, err)
		return FindingsResult(pl.Header), nil
	}
	return c.Result, c.Rehearsal
}

// replan plans base -> desired again and, when its SQL is the stale plan's, stores the new
// plan (PENDING) and returns it; nil when the SQL differs.
func (p *Project) replan(ctx context.Context, env source.Env, stale *registry.Plan, base, to, actor string) (*registry.Plan, error) {
	from := p.stateSource(base)
	pl, err := p.Plan(ctx, env, PlanRequest{From: from, To: to, Context: stale.Header.Context, Actor: actor})
	if err != nil {
		return nil, err
	}
	if !sameSQL(pl.Plan, stale.Plan) {
		return nil, nil
	}
	h, err := p.Store(ctx, *pl)
	if err != nil {
		return nil, err
	}
	return &registry.Plan{Schema: p.Schema.Name, Header: h, Plan: pl.Plan}, nil
}

// sameSQL reports whether two plans run the same statements in the same transactions.
func sameSQL(a, b *plan.Plan) bool {
	return slices.EqualFunc(a.Statements, b.Statements, func(x, y plan.Statement) bool { return x.SQL == y.SQL && x.Tx == y.Tx })
}

// FindingsResult turns a plan file's findings back into a lint result, for a comment on a
// plan that is not linted again; nil when the plan was never linted.
func FindingsResult(h plan.Header) *lint.Result {
	if !h.Linted {
		return nil
	}
	res := &lint.Result{}
	for _, f := range h.Findings {
		d := lint.Diagnostic{Analyzer: f.Analyzer, Severity: lint.Severity(f.Severity), Statement: f.Statement, Message: f.Message}
		if a := lint.Lookup(f.Analyzer); a != nil {
			d.Category = a.Category
		}
		res.Diagnostics = append(res.Diagnostics, d)
	}
	return res
}

// stateSource is the source that loads the registry state fp: "" (the empty schema, which the
// registry does not hold and which has no files) for the baseline's fingerprint.
func (p *Project) stateSource(fp string) string {
	if fp == schema.Fingerprint(postgres.Baseline()) {
		return ""
	}
	return "registry://" + p.Schema.Name + "@" + fp
}
