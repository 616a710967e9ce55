// Package apply deploys a desired schema state to a target database: it takes the target's
// advisory lock, inspects it, picks the approved plan for the transition (or lets the review
// policy decide when there is none), checks that the plan's content is the content its
// approval bound, runs it verbatim with a journal, verifies the result by inspecting the
// target again, and records the apply in the registry.
//
// The promise is "exactly the approved SQL, or nothing": a plan runs only when its digest is
// approved for the transition (Plan.Verify), or when the review policy allows it after lint
// and rehearsal, in which case it is stored as approved by that policy first. A plan given
// by the operator (Options.Plan) passes the same gate.
//
// Every step of a run is journaled in the registry (registry.Apply.Steps) as it commits, so
// a deploy that was killed leaves a Running record behind; the next deploy to take the lock
// finds it, cleans up what an interrupted concurrent index build left, and resumes the same
// plan where the journal says it stopped (see resume.go).
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

	// Plan, when not nil, is the plan to run instead of looking one up (--plan FILE). It
	// must go from the target's state to the desired one, and it passes the review policy
	// like any plan: it runs when its digest is approved for the transition in the registry,
	// or when the policy allows it after Check (it is then stored as approved by the
	// policy); under PolicyAlways an unapproved one is stored PENDING and not run.
	Plan *registry.Plan
	// AutoApprove applies a plan made at deploy time (or given in Plan) whatever lint says.
	// It is refused under PolicyAlways, where every plan needs an approval.
	AutoApprove bool
	// DryRun stops before changing anything: no statement runs and nothing is recorded or
	// journaled; an interrupted apply is reported, not cleaned up or taken over.
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
	// Interrupted are the applies this run found unfinished on the target (their deploys
	// were killed) and marked Interrupted; one of them may be the apply Record.Resumes.
	Interrupted []registry.Apply
}

type run struct {
	Options
	conn    *pgx.Conn
	secrets dburl.Secrets // the target's passwords, masked in the record
	rec     registry.Apply
	current *schema.Realm
	// interrupted collects the orphaned applies marked Interrupted, for the outcome.
	interrupted []registry.Apply
	// resuming is the interrupted apply this run takes over; it is marked Interrupted once
	// this run's own journal record exists.
	resuming *registry.Apply
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
	if o.AutoApprove && o.Policy == PolicyAlways {
		// Under "always" nothing runs without a human approval; auto-approve would let a
		// deploy drop what the policy protects.
		return nil, errors.New(`--auto-approve is refused under review policy "always": every plan needs an approval; plan it for review (sextant schema plan), approve it, and deploy again`)
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

	// Nothing queries the target before the lock is held: a waiting deploy must hold no
	// transaction or snapshot there, or a concurrent index build of the deploy holding the
	// lock would wait for it (see postgres.AdvisoryLock).
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
	out.Interrupted = r.interrupted
	out.Record = r.rec
	if o.DryRun || r.rec.Result == "" {
		return out, err
	}
	// The end of a journaled run replaces its Running record (same ID); an apply that ran
	// nothing is recorded anew.
	id, rerr := o.Registry.RecordApply(context.WithoutCancel(ctx), r.rec)
	if rerr != nil {
		if r.rec.ID != "" {
			rerr = fmt.Errorf("%w (the journal still says apply %s is running; the next deploy will take it over)", rerr, r.rec.ID)
		}
		return out, errors.Join(err, fmt.Errorf("record the end of the apply: %w", rerr))
	}
	out.Record.ID = id
	return out, err
}

func (r *run) apply(ctx context.Context) (*Outcome, error) {
	// Holding the lock, look for applies that never ended before inspecting: an interrupted
	// concurrent index build leaves an invalid index that inspect refuses, and the journal
	// says which build it was.
	t, err := r.takeOver(ctx)
	if err != nil {
		return nil, err
	}
	if t != nil && t.invalid != "" { // a dry run: the invalid index is still there
		r.logf("dry run: would drop the invalid index %s, then resume plan %s at statement %d if the target is at %s; nothing was changed",
			t.invalid, t.plan.Header.Name, t.start+1, short(t.at))
		return &Outcome{Plan: t.plan}, nil
	}
	current, err := r.inspect(ctx)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", r.rec.Target, err)
	}
	r.current = current
	r.rec.From = schema.Fingerprint(current)
	r.logf("target %s is at %s; desired state is %s", r.rec.Target, short(r.rec.From), short(r.rec.To))
	if t != nil {
		return r.resume(ctx, t)
	}
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
	// What was approved is what runs: the plan's content must be the content its approval
	// bound, checked here, before anything is journaled or run. A dry run's deploy-time plan
	// has no approval yet (it would get one when stored).
	if !r.DryRun || p.Approval != nil {
		if err := p.Verify(); err != nil {
			return &Outcome{}, fmt.Errorf("refusing to run plan %s: %w; nothing ran", p.Header.Name, err)
		}
	}
	out := &Outcome{Plan: p}
	if r.DryRun {
		r.logf("dry run: plan %s (%s, digest %s) would run; nothing was changed", p.Header.Name,
			plan.Count(len(p.Plan.Statements), "statement"), plan.ShortDigest(p.Plan.Digest()))
		return out, nil
	}
	return out, r.execute(ctx, p, 0)
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
