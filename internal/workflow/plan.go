package workflow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// PlanRequest says what to plan.
type PlanRequest struct {
	// From and To are sources. From "" starts from the state tagged FromTag, else (or without
	// FromTag) from the empty schema.
	From, To string
	FromTag  string
	Name     string // "" for the default name
	Context  plan.Context
	Actor    string
}

// Planned is a plan made, rehearsed and linted, not yet stored.
type Planned struct {
	*Checked
	Header   plan.Header
	From, To *schema.Realm
}

// Plan plans, rehearses and lints a request.
func (p *Project) Plan(ctx context.Context, env source.Env, r PlanRequest) (*Planned, error) {
	from := r.From
	if from == "" && r.FromTag != "" {
		var err error
		if from, err = p.DefaultFrom(ctx, r.FromTag); err != nil {
			return nil, err
		}
	}
	c, fromR, toR, err := p.planChecked(ctx, env, from, r.To)
	if err != nil {
		return nil, err
	}
	h := plan.Header{Name: r.Name, CreatedAt: time.Now().UTC().Truncate(time.Second), CreatedBy: r.Actor,
		Context: r.Context, Linted: true, Findings: c.Result.Findings()}
	if h.Name == "" {
		h.Name = planName(r.Context.PR, c.Plan)
	}
	return &Planned{Checked: c, Header: h, From: fromR, To: toR}, nil
}

// planName is the default name of a plan: deterministic for a pull request, so that a re-run
// replaces the plan instead of adding one.
func planName(pr int, p *plan.Plan) string {
	if pr > 0 {
		return fmt.Sprintf("pr-%d-%s", pr, apply.Short8(p.From))
	}
	return "plan-" + apply.Short8(p.From) + "-" + apply.Short8(p.To)
}

// planChecked loads both states, plans, rehearses and lints. from "" is the empty schema.
func (p *Project) planChecked(ctx context.Context, env source.Env, from, to string) (*Checked, *schema.Realm, *schema.Realm, error) {
	var (
		fromR, toR *schema.Realm
		fromDB     *devdb.DB
		err        error
	)
	if from == "" {
		fromR = p.Scope().Apply(postgres.Baseline())
		toR, err = source.Load(ctx, to, env)
	} else {
		fromR, toR, fromDB, err = source.LoadPairKeepFrom(ctx, from, to, env)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if fromDB != nil {
		defer fromDB.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // the server's Close drops leftovers
	}
	srcs, err := LintSources(ctx, from, to, env)
	if err != nil {
		return nil, nil, nil, err
	}
	pl, err := plan.New(fromR, toR, postgres.Renderer{})
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := p.Linter(env).Check(ctx, pl, fromR, toR, fromDB, srcs)
	return c, fromR, toR, err
}

// Store records both states and saves the plan as PENDING. It returns the header stored: a
// PENDING plan of the same name that differs only in when, by whom and at which commit it was
// made (a re-run of the same job, or a push that left the schema alone, such as the plan job's
// own commit of the plan file) is left as it is, so its file, and the comment that quotes it,
// do not change and there is nothing new to commit. The header then names the first run that
// made this content, which is still true.
func (p *Project) Store(ctx context.Context, pl Planned) (plan.Header, error) {
	h := pl.Header
	for _, r := range []*schema.Realm{pl.From, pl.To} {
		if _, err := p.PutState(ctx, r); err != nil {
			return h, err
		}
	}
	h.Status = plan.Pending
	if old, err := p.Registry.Plan(ctx, p.Schema.Name, h.Name); err == nil && old.Header.Status == plan.Pending {
		same := h
		same.CreatedAt, same.Revision, same.CreatedBy = old.Header.CreatedAt, old.Header.Revision, old.Header.CreatedBy
		if old.Header.Context.PR == h.Context.PR {
			same.Context = old.Header.Context
		}
		if samePlanFile(old.Plan, old.Header, pl.Plan, same) {
			return old.Header, nil
		}
	}
	err := p.Registry.SavePlan(ctx, &registry.Plan{Schema: p.Schema.Name, Header: h, Plan: pl.Plan})
	if err == nil {
		// The store numbers revisions; the header returned says which this is.
		if saved, gerr := p.Registry.Plan(ctx, p.Schema.Name, h.Name); gerr == nil {
			h.Revision = saved.Header.Revision
		}
	}
	var ce *registry.ConflictError
	if errors.As(err, &ce) {
		return h, fmt.Errorf("plan %s is already %s and is not replaced; abort it first, or store this one under another --name", h.Name, ce.Got)
	}
	return h, err
}

// samePlanFile reports whether two plans write the same plan file.
func samePlanFile(a *plan.Plan, ah plan.Header, b *plan.Plan, bh plan.Header) bool {
	var ab, bb bytes.Buffer
	if a.WriteFile(&ab, ah) != nil || b.WriteFile(&bb, bh) != nil {
		return false
	}
	return bytes.Equal(ab.Bytes(), bb.Bytes())
}

// VerifyEdited rehearses an edited plan from fromR: it must reach toR. The result is the
// edited plan with its lint; a plan that fails or ends elsewhere is a *NotConvergingError.
func (p *Project) VerifyEdited(ctx context.Context, env source.Env, edited *plan.Plan, fromR, toR *schema.Realm) (*Checked, error) {
	if f := schema.Fingerprint(fromR); edited.From != f {
		return nil, fmt.Errorf("the edited plan's from is %s, not %s: the header's fingerprints are not to be edited", edited.From, f)
	}
	if t := schema.Fingerprint(toR); edited.To != t {
		return nil, fmt.Errorf("the edited plan's to is %s, not %s: the header's fingerprints are not to be edited", edited.To, t)
	}
	if edited.Empty() && edited.From != edited.To {
		return nil, &NotConvergingError{Plan: edited, Rehearsal: &lint.Rehearsal{Failed: -1, Remaining: diff.Realms(fromR, toR)}}
	}
	// The statements the edit kept get their typed changes back, so the analyzers judge them
	// as they judged the generated plan; hand-written ones are judged by the rehearsal.
	plan.Attach(edited, diff.Realms(fromR, toR))
	c, err := p.Linter(env).Check(ctx, edited, fromR, toR, nil, lint.Sources{})
	if err != nil {
		return nil, err
	}
	if c.Rehearsal != nil && !c.Rehearsal.Converged() {
		return nil, &NotConvergingError{Plan: edited, Rehearsal: c.Rehearsal}
	}
	return c, nil
}

// NotConvergingError says an edited plan does not take its from state to its to state: the
// statement that failed, or what still differs after the last one.
type NotConvergingError struct {
	Plan      *plan.Plan
	Rehearsal *lint.Rehearsal
}

func (e *NotConvergingError) Error() string {
	var b strings.Builder
	r := e.Rehearsal
	b.WriteString("rejected: the edited plan does not take from to to on the dev database")
	if r.Failed >= 0 {
		s := e.Plan.Statements[r.Failed]
		fmt.Fprintf(&b, "\nstatement %d fails: %s\n  %s", r.Failed+1, r.Effects[r.Failed].Err, strings.Join(strings.Fields(s.SQL), " "))
	}
	if len(r.Remaining) > 0 {
		b.WriteString("\nafter the plan the dev database still differs from the desired state:")
		for _, c := range plan.Order(r.Remaining) {
			fmt.Fprintf(&b, "\n  %s %s", c.Kind(), c.Object())
		}
	}
	return b.String()
}

// PlanFile is a plan file read from disk.
type PlanFile struct {
	Path   string
	Plan   *plan.Plan
	Header plan.Header
}

// ReadPlanFile reads the plan file at path.
func ReadPlanFile(path string) (*PlanFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, h, err := plan.ReadFile(f, path)
	if err != nil {
		return nil, err
	}
	return &PlanFile{Path: path, Plan: p, Header: h}, nil
}

// PushPlan proves an edited plan file and stores it as PENDING, made by actor: both states
// are built from the registry, the file's statements must take one to the other, and the
// approval an earlier version had is gone. It returns the header stored.
func (p *Project) PushPlan(ctx context.Context, env source.Env, f *PlanFile, actor string) (plan.Header, error) {
	h := f.Header
	fromR, err := p.LoadState(ctx, env, f.Plan.From)
	if err != nil {
		return h, fmt.Errorf("%s: from state: %w", f.Path, err)
	}
	toR, err := p.LoadState(ctx, env, f.Plan.To)
	if err != nil {
		return h, fmt.Errorf("%s: to state: %w", f.Path, err)
	}
	c, err := p.VerifyEdited(ctx, env, f.Plan, fromR, toR)
	if err != nil {
		return h, err
	}
	h.Linted, h.Findings = true, c.Result.Findings()
	h.ApprovedAt, h.ApprovedBy = time.Time{}, ""
	h.CreatedBy = actor
	h.CreatedAt = time.Now().UTC().Truncate(time.Second)
	if _, err := p.Store(ctx, Planned{Checked: c, Header: h, From: fromR, To: toR}); err != nil {
		return h, err
	}
	return h, nil
}

// Approve approves the PENDING plan name, bound to digest: deploys may then run exactly that
// content. digest is what the approver reviewed (a comment's, plan show's); "" approves the
// content the plan holds now. Content that no longer has digest is a *registry.DigestError
// and approves nothing. The way back is stored by StoreReverse, which needs a dev database.
func (p *Project) Approve(ctx context.Context, name, digest, actor string) (*registry.Plan, error) {
	if digest == "" {
		cur, err := p.Registry.Plan(ctx, p.Schema.Name, name)
		if err != nil {
			return nil, err
		}
		digest = cur.Plan.Digest()
	}
	return p.Registry.Approve(ctx, p.Schema.Name, name, registry.Approval{Digest: digest, Actor: actor, At: time.Now()})
}

// Abort withdraws plan name, PENDING or APPROVED: it will never run.
func (p *Project) Abort(ctx context.Context, name, actor string) (*registry.Plan, error) {
	return p.setStatus(ctx, name, plan.Aborted, actor)
}

func (p *Project) setStatus(ctx context.Context, name string, to plan.Status, actor string) (*registry.Plan, error) {
	cur, err := p.Registry.Plan(ctx, p.Schema.Name, name)
	if err != nil {
		return nil, err
	}
	want := plan.Pending
	if cur.Header.Status == plan.Approved {
		want = plan.Approved // an approved plan may still be withdrawn before it runs
	}
	return p.Registry.SetStatus(ctx, p.Schema.Name, name, want, to, actor, time.Now())
}

// StoreReverse stores the way back from an approved plan (to -> from) as PENDING, made by
// actor, with its lint, unless a plan for that transition exists already. A missing state is
// a warning on log, not an error: the forward plan is approved either way.
func (p *Project) StoreReverse(ctx context.Context, log io.Writer, env source.Env, fwd *registry.Plan, actor string) error {
	back, err := p.Registry.Plans(ctx, p.Schema.Name, registry.Filter{From: fwd.Plan.To, To: fwd.Plan.From})
	if err != nil {
		return err
	}
	for _, b := range back {
		if b.Header.Status != plan.Aborted {
			fmt.Fprintf(log, "the way back is plan %s (%s)\n", b.Header.Name, b.Header.Status)
			return nil
		}
	}
	fromR, err := p.LoadState(ctx, env, fwd.Plan.To)
	if err == nil {
		var toR *schema.Realm
		if toR, err = p.LoadState(ctx, env, fwd.Plan.From); err == nil {
			return p.saveReverse(ctx, log, env, fwd, fromR, toR, actor)
		}
	}
	if isNotFound(err) {
		fmt.Fprintf(log, "warning: no reverse plan: %v\n", err)
		return nil
	}
	return fmt.Errorf("plan the way back: %w", err)
}

func (p *Project) saveReverse(ctx context.Context, log io.Writer, env source.Env, fwd *registry.Plan, fromR, toR *schema.Realm, actor string) error {
	pl, err := plan.New(fromR, toR, postgres.Renderer{})
	if err != nil {
		return err
	}
	c, err := p.Linter(env).Check(ctx, pl, fromR, toR, nil, lint.Sources{})
	if err != nil {
		return err
	}
	h := plan.Header{Name: fwd.Header.Name + "-rollback", Status: plan.Pending, CreatedAt: time.Now().UTC().Truncate(time.Second),
		CreatedBy: actor, Context: fwd.Header.Context, Linted: true, Findings: c.Result.Findings()}
	if err := p.Registry.SavePlan(ctx, &registry.Plan{Schema: p.Schema.Name, Header: h, Plan: pl}); err != nil {
		return fmt.Errorf("store the reverse plan: %w", err)
	}
	fmt.Fprintf(log, "stored the way back as PENDING plan %s (%s; lint: %s)\n", h.Name, plan.Count(len(pl.Statements), "statement"), h.LintSummary())
	return nil
}
