// Package apply deploys a desired schema state to a target database: it takes the target's
// advisory lock, inspects it, picks the approved plan for the transition (or lets the review
// policy decide when there is none), runs it verbatim, verifies the result by inspecting the
// target again, and records the apply in the registry.
//
// Planning is not its job: a plan comes from the registry, or, when the policy allows
// planning at deploy time, from package plan with the checks the caller supplies.
package apply

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
)

// Policy is the review policy: what apply may do when no approved plan exists for the
// transition it needs.
type Policy string

const (
	// PolicyError plans at deploy time and applies when lint finds no error.
	PolicyError Policy = "error"
	// PolicyWarning plans at deploy time and applies only when lint finds nothing at all
	// (notices aside).
	PolicyWarning Policy = "warning"
	// PolicyAlways never applies without approval: it stores the plan as PENDING and, with a
	// wait timeout, waits for someone to approve it.
	PolicyAlways Policy = "always"
)

// Valid reports whether p is a known policy.
func (p Policy) Valid() bool { return p == PolicyError || p == PolicyWarning || p == PolicyAlways }

// Options say what to apply, where, and how carefully.
type Options struct {
	Schema  string // the registry name of the schema
	Target  string // the target database URL
	Desired *schema.Realm
	// Scope is the part of the target the project manages; the rest is neither compared
	// nor changed.
	Scope    schema.Scope
	Registry registry.Store
	Policy   Policy

	// Plan, when not nil, is run instead of looking up an approved plan (--plan). It must
	// go from the target's state to the desired one.
	Plan *registry.Plan
	// AutoApprove applies a plan made at deploy time whatever the policy and lint say.
	AutoApprove bool
	// DryRun stops before changing anything: no statement runs and nothing is recorded.
	DryRun bool
	// WaitTimeout is how long PolicyAlways waits for the pending plan to be approved; zero
	// means not at all. PollInterval is how often it looks (default 2s).
	WaitTimeout, PollInterval time.Duration
	// LockTimeout and StatementTimeout bound every statement (see postgres.RunOptions).
	LockTimeout, StatementTimeout time.Duration

	Actor   string
	Context plan.Context

	// Check lints and rehearses a plan made at deploy time. Required unless every
	// transition has an approved plan.
	Check func(ctx context.Context, from, to *schema.Realm, p *plan.Plan) (*lint.Result, error)
	// PutState records a state in the registry; it is called with the target's state before
	// a plan made at deploy time is stored, so the plan can be reversed later. May be nil.
	PutState func(ctx context.Context, r *schema.Realm) error
	// LoadState turns a registry state into a model, for drift reports; nil skips the diff.
	LoadState func(ctx context.Context, fingerprint string) (*schema.Realm, error)

	// Log receives progress, one line at a time.
	Log io.Writer
	Now func() time.Time
}

// Outcome is what an apply did.
type Outcome struct {
	// Record is the apply as recorded in the registry (not recorded on a dry run).
	Record registry.Apply
	// Plan is the plan that ran, or would have run on a dry run; nil when there was nothing
	// to do.
	Plan *registry.Plan
	// Pending is set when the review policy stored a plan for approval instead of applying.
	Pending *registry.Plan
}

type run struct {
	Options
	conn    *pgx.Conn
	secrets dburl.Secrets // the target's passwords, masked in the record
	rec     registry.Apply
	current *schema.Realm
}

func (r *run) logf(format string, args ...any) {
	if r.Log != nil {
		fmt.Fprintf(r.Log, format+"\n", args...)
	}
}

// Run applies o.Desired to o.Target. Every failure after the lock is taken is recorded in
// the registry (except on a dry run) and returned.
func Run(ctx context.Context, o Options) (*Outcome, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 2 * time.Second
	}
	if !o.Policy.Valid() {
		return nil, fmt.Errorf("review policy %q: use error, warning or always", o.Policy)
	}
	conn, err := postgres.Connect(ctx, o.Target)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", dburl.Redact(o.Target), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	r := &run{Options: o, conn: conn}
	// The record goes to the registry, where everyone who can read plans reads it: its
	// target and error are redacted with the target's own passwords (a malformed URL may
	// leave a piece of one in the host or database name pgx read).
	r.secrets.AddConn(o.Target)
	r.secrets.Add(conn.Config().Password)
	r.rec = registry.Apply{Schema: o.Schema, To: schema.Fingerprint(o.Desired), Target: r.secrets.Redact(Identity(conn.Config())),
		Actor: o.Actor, Context: o.Context}

	release, err := postgres.AdvisoryLock(ctx, conn, postgres.LockKey("apply"), func() {
		r.logf("waiting for another apply on %s to finish…", r.rec.Target)
	})
	if err != nil {
		return nil, err
	}
	defer release(context.WithoutCancel(ctx)) //nolint:errcheck // closing the session releases it too
	r.rec.Started = o.Now().UTC()

	out, err := r.apply(ctx)
	r.rec.Duration = o.Now().Sub(r.rec.Started)
	if err != nil {
		err = r.secrets.Err(err)
		r.rec.Result, r.rec.Error = registry.Failed, err.Error()
	}
	if out == nil {
		out = &Outcome{}
	}
	out.Record = r.rec
	if o.DryRun || r.rec.Result == "" {
		return out, err
	}
	id, rerr := o.Registry.RecordApply(context.WithoutCancel(ctx), r.rec)
	if rerr != nil {
		return out, errors.Join(err, fmt.Errorf("record the apply: %w", rerr))
	}
	out.Record.ID = id
	return out, err
}

func (r *run) apply(ctx context.Context) (*Outcome, error) {
	current, err := r.inspect(ctx)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", r.rec.Target, err)
	}
	r.current = current
	r.rec.From = schema.Fingerprint(current)
	r.logf("target %s is at %s; desired state is %s", r.rec.Target, short(r.rec.From), short(r.rec.To))
	if r.rec.From == r.rec.To {
		r.logf("nothing to do: the target already has the desired state")
		r.rec.Result = registry.NoChanges
		return &Outcome{}, nil
	}

	p, err := r.pick(ctx)
	if err != nil || p == nil {
		return &Outcome{Pending: p}, err
	}
	if p.Header.Status != plan.Approved { // a dry run under policy always
		return &Outcome{Pending: p}, nil
	}
	out := &Outcome{Plan: p}
	r.rec.Plan, r.rec.Total = p.Header.Name, len(p.Plan.Statements)
	if r.DryRun {
		r.logf("dry run: plan %s (%s) would run; nothing was changed", p.Header.Name, plan.Count(len(p.Plan.Statements), "statement"))
		return out, nil
	}
	return out, r.execute(ctx, p)
}

// pick returns the plan to run: the forced one, the one approved plan for the transition, or
// what the review policy makes of its absence. A PENDING plan (policy always, not approved
// in time) is returned with a nil error only on a dry run; otherwise it is an error.
func (r *run) pick(ctx context.Context) (*registry.Plan, error) {
	from, to := r.rec.From, r.rec.To
	if r.Plan != nil {
		if r.Plan.Plan.From != from || r.Plan.Plan.To != to {
			if r.Plan.Plan.From != from {
				return nil, r.drift(ctx, r.Plan)
			}
			return nil, fmt.Errorf("plan %s goes to %s, not to the desired state %s", r.Plan.Header.Name, short(r.Plan.Plan.To), short(to))
		}
		if r.Plan.Header.Status == plan.Aborted {
			return nil, fmt.Errorf("plan %s is ABORTED", r.Plan.Header.Name)
		}
		r.logf("running plan %s (%s), as asked", r.Plan.Header.Name, r.Plan.Header.Status)
		forced := *r.Plan
		forced.Header.Status = plan.Approved // --plan is the operator's approval
		return &forced, nil
	}
	approved, err := r.Registry.Plans(ctx, r.Schema, registry.Filter{From: from, To: to, Status: plan.Approved})
	if err != nil {
		return nil, err
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
	return r.policy(ctx)
}

// checkDrift fails when plans lead to the desired state but none starts where the target
// is: someone changed the target outside the workflow, and no reviewed plan fits it.
func (r *run) checkDrift(ctx context.Context) error {
	if r.AutoApprove {
		return nil
	}
	toDesired, err := r.Registry.Plans(ctx, r.Schema, registry.Filter{To: r.rec.To})
	if err != nil {
		return err
	}
	toDesired = slices.DeleteFunc(toDesired, func(p *registry.Plan) bool { return p.Header.Status == plan.Aborted })
	if len(toDesired) == 0 {
		return nil
	}
	known, err := r.Registry.Plans(ctx, r.Schema, registry.Filter{From: r.rec.From})
	if err != nil {
		return err
	}
	_, err = r.Registry.State(ctx, r.Schema, r.rec.From)
	switch {
	case err == nil || len(known) > 0:
		// A known state, just not planned from: plans to the desired state are stale.
		for _, p := range toDesired {
			if p.Header.Status == plan.Approved {
				r.logf("stale: approved plan %s starts from %s, not the target's %s", p.Header.Name, short(p.Plan.From), short(r.rec.From))
			}
		}
		return nil
	case !errors.Is(err, registry.ErrNotFound):
		return err
	}
	return r.drift(ctx, toDesired[len(toDesired)-1])
}

// DriftError reports a target whose state is not the one the plan expects.
type DriftError struct {
	Target   string // the target's fingerprint
	Plan     string // the plan that expected another state
	Expected string // its from fingerprint
	// Changes are what differs, as the changes that would take the target to Expected;
	// empty when the expected state could not be loaded.
	Changes []string
}

func (e *DriftError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "drift: the target is at %s, a state no plan starts from; plan %s expects %s", short(e.Target), e.Plan, short(e.Expected))
	if len(e.Changes) > 0 {
		b.WriteString("\nthe target differs from what the plan expects (changes that would take it back):")
		for _, c := range e.Changes {
			b.WriteString("\n  " + c)
		}
	}
	b.WriteString("\nfind out who changed the target; then plan from its real state, or apply with --auto-approve")
	return b.String()
}

func (r *run) drift(ctx context.Context, p *registry.Plan) error {
	e := &DriftError{Target: r.rec.From, Plan: p.Header.Name, Expected: p.Plan.From}
	if r.LoadState != nil {
		expected, err := r.LoadState(ctx, p.Plan.From)
		if err != nil {
			r.logf("cannot show the drift: load state %s: %v", short(p.Plan.From), err)
		} else {
			e.Changes = describe(diff.Realms(r.current, expected))
		}
	}
	return e
}

// policy decides what happens without an approved plan.
func (r *run) policy(ctx context.Context) (*registry.Plan, error) {
	from, to := r.rec.From, r.rec.To
	p, err := plan.New(r.current, r.Desired, postgres.Renderer{})
	if err != nil {
		return nil, err
	}
	if r.Check == nil {
		return nil, fmt.Errorf("no approved plan takes %s to %s", short(from), short(to))
	}
	res, err := r.Check(ctx, r.current, r.Desired, p)
	if err != nil {
		return nil, err
	}
	h := plan.Header{Name: DeployName(from, to), CreatedAt: r.Now().UTC().Truncate(time.Second), CreatedBy: r.Actor,
		Context: r.Context, Linted: true, Findings: res.Findings()}
	rp := &registry.Plan{Schema: r.Schema, Header: h, Plan: p}
	c := res.Counts()
	lintLine := "lint: " + h.LintSummary()
	switch {
	case r.AutoApprove:
		r.logf("no approved plan; --auto-approve: planned %s at deploy time (%s)", plan.Count(len(p.Statements), "statement"), lintLine)
		return r.approveNow(ctx, rp, "auto-approve")
	case r.Policy == PolicyAlways:
		return r.waitForApproval(ctx, rp)
	case c.Errors > 0 || r.Policy == PolicyWarning && c.Warnings > 0:
		return nil, &RefusedError{Policy: r.Policy, From: from, To: to, Findings: h.Findings}
	}
	r.logf("no approved plan; review policy %q allows the plan made now (%s)", r.Policy, lintLine)
	return r.approveNow(ctx, rp, "review policy "+string(r.Policy))
}

// RefusedError is a deploy-time plan the review policy refuses.
type RefusedError struct {
	Policy   Policy
	From, To string
	Findings []plan.Finding
}

func (e *RefusedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no approved plan takes %s to %s, and review policy %q refuses the plan made now:", short(e.From), short(e.To), e.Policy)
	for _, f := range e.Findings {
		if f.Severity == "error" || e.Policy == PolicyWarning && f.Severity == "warning" {
			where := "plan"
			if f.Statement >= 0 {
				where = "statement " + strconv.Itoa(f.Statement+1)
			}
			fmt.Fprintf(&b, "\n  %s: %s %s: %s", where, f.Severity, f.Analyzer, f.Message)
		}
	}
	b.WriteString("\nplan it for review (sextant schema plan) and approve it, or apply with --auto-approve")
	return b.String()
}

// approveNow stores a deploy-time plan as approved, so the registry shows what ran and why.
func (r *run) approveNow(ctx context.Context, rp *registry.Plan, by string) (*registry.Plan, error) {
	if r.DryRun {
		rp.Header.Status = plan.Approved
		return rp, nil
	}
	if err := r.save(ctx, rp); err != nil {
		return nil, err
	}
	actor := by
	if r.Actor != "" {
		actor = r.Actor + " (" + by + ")"
	}
	return r.Registry.SetStatus(ctx, r.Schema, rp.Header.Name, plan.Pending, plan.Approved, actor, r.Now())
}

// save stores rp as PENDING, keeping an existing pending plan of that name (someone may have
// edited it) instead of overwriting it.
func (r *run) save(ctx context.Context, rp *registry.Plan) error {
	old, err := r.Registry.Plan(ctx, r.Schema, rp.Header.Name)
	switch {
	case err == nil && old.Header.Status == plan.Pending && old.Plan.From == rp.Plan.From && old.Plan.To == rp.Plan.To:
		*rp = *old
		return nil
	case err == nil || errors.Is(err, registry.ErrNotFound):
		if r.PutState != nil {
			if err := r.PutState(ctx, r.current); err != nil {
				return err
			}
		}
		rp.Header.Status = plan.Pending
		return r.Registry.SavePlan(ctx, rp)
	}
	return err
}

// waitForApproval stores the plan as PENDING and, with a wait timeout, polls until it is
// approved, aborted or the time is up.
func (r *run) waitForApproval(ctx context.Context, rp *registry.Plan) (*registry.Plan, error) {
	// A plan already waiting for review for this transition (a pull request's) is the one
	// to approve, not a new one.
	waiting, err := r.Registry.Plans(ctx, r.Schema, registry.Filter{From: r.rec.From, To: r.rec.To, Status: plan.Pending})
	if err != nil {
		return nil, err
	}
	if len(waiting) > 0 {
		rp = waiting[len(waiting)-1]
	}
	name := rp.Header.Name
	if r.DryRun {
		r.logf("dry run: review policy \"always\" would store plan %s as PENDING for approval", name)
		rp.Header.Status = plan.Pending
		return rp, nil
	}
	if len(waiting) == 0 {
		if err := r.save(ctx, rp); err != nil {
			return nil, err
		}
	}
	r.logf("review policy \"always\": plan %s is PENDING; approve it with: sextant schema plan approve %s", name, name)
	if r.WaitTimeout <= 0 {
		return rp, &PendingError{Plan: name}
	}
	r.logf("waiting up to %s for the approval…", r.WaitTimeout)
	deadline := r.Now().Add(r.WaitTimeout)
	for {
		cur, err := r.Registry.Plan(ctx, r.Schema, name)
		if err != nil {
			return nil, err
		}
		switch cur.Header.Status {
		case plan.Approved:
			r.logf("plan %s was approved by %s", name, orUnknown(cur.Header.ApprovedBy))
			if cur.Plan.From != r.rec.From || cur.Plan.To != r.rec.To {
				return nil, fmt.Errorf("plan %s was changed to go from %s to %s while waiting", name, short(cur.Plan.From), short(cur.Plan.To))
			}
			return cur, nil
		case plan.Aborted:
			return nil, fmt.Errorf("plan %s was aborted while waiting for its approval", name)
		}
		if !r.Now().Before(deadline) {
			return cur, &PendingError{Plan: name, Waited: r.WaitTimeout}
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
	Waited time.Duration
}

func (e *PendingError) Error() string {
	if e.Waited > 0 {
		return fmt.Sprintf("plan %s was not approved within %s; nothing was applied", e.Plan, e.Waited)
	}
	return fmt.Sprintf("plan %s awaits approval (review policy \"always\"); nothing was applied", e.Plan)
}

// execute runs p on the target and verifies the result.
func (r *run) execute(ctx context.Context, rp *registry.Plan) error {
	p := rp.Plan
	txs := p.Transactions()
	r.logf("applying plan %s: %s in %s", rp.Header.Name, plan.Count(len(p.Statements), "statement"), plan.Count(len(txs), "part"))
	err := postgres.RunWith(ctx, r.conn, p, postgres.RunOptions{
		LockTimeout: r.LockTimeout, StatementTimeout: r.StatementTimeout,
		Before: func(first, last int, atomic bool) {
			what := "atomic, in one transaction"
			if !atomic {
				what = "not atomic: runs outside a transaction"
			}
			r.logf("  %s: %s", span(first, last), what)
		},
	})
	var re *postgres.RunError
	if errors.As(err, &re) {
		r.rec.Statements = re.Committed
		return r.failed(ctx, re, len(txs))
	}
	if err != nil {
		return err
	}
	r.rec.Statements = len(p.Statements)
	return r.verify(ctx)
}

// failed describes a failed run and the state it left the target in.
func (r *run) failed(ctx context.Context, re *postgres.RunError, parts int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "statement %d failed (%s %s):\n  %s\n  %v\n", re.Statement+1, re.Kind, re.Object, oneLine(re.SQL), re.Err)
	failed := fmt.Sprintf("statement %d's transaction was rolled back", re.Statement+1)
	if postgres.NeedsNoTransaction(re.SQL) {
		// Outside a transaction nothing is rolled back: a failed CREATE INDEX CONCURRENTLY
		// leaves an invalid index behind.
		failed = fmt.Sprintf("statement %d ran outside a transaction and may have left something behind", re.Statement+1)
	}
	switch {
	case re.Committed == 0 && parts == 1:
		b.WriteString(failed + ": nothing else ran")
	case re.Committed == 0:
		b.WriteString("nothing was committed before it; " + failed)
	default:
		fmt.Fprintf(&b, "committed before the failure, and still applied: %s; %s", span(0, re.Committed-1), failed)
	}
	after, err := r.inspect(context.WithoutCancel(ctx))
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

// inspect reads the managed part of the target.
func (r *run) inspect(ctx context.Context) (*schema.Realm, error) {
	return postgres.InspectScope(ctx, r.conn, r.Scope)
}

// DeployName is the name of a plan made at deploy time for a transition.
func DeployName(from, to string) string { return "deploy-" + Short8(from) + "-" + Short8(to) }

// Short8 returns the first 8 hex digits of a fingerprint.
func Short8(fp string) string {
	h := strings.TrimPrefix(fp, "sha256:")
	return h[:min(8, len(h))]
}

func short(fp string) string { return "sha256:" + Short8(fp) }

// Identity names a database without credentials: postgres://host:port/database. Only the
// host, port and database pgx read go in; a caller that stores it redacts it still, since
// pgx reads a malformed URL's pieces into those (see Run).
func Identity(c *pgx.ConnConfig) string {
	return "postgres://" + net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port))) + "/" + c.Database
}

func describe(changes []diff.Change) []string {
	out := make([]string, len(changes))
	for i, c := range plan.Order(changes) {
		out[i] = c.Kind() + " " + c.Object()
	}
	return out
}

// span names statements first to last (0-based) for people: "statement 1", "statements 2-5".
func span(first, last int) string {
	if first == last {
		return "statement " + strconv.Itoa(first+1)
	}
	return fmt.Sprintf("statements %d-%d", first+1, last+1)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}
