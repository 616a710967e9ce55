// Package registry keeps what the deploy workflow needs between its steps: desired states
// (by fingerprint and by tag), plans with their review status, and the record of every apply.
//
// Plans are looked up by transition (from and to fingerprints), never by database, so one
// approved plan serves every database in the same state. Status changes are compare-and-set:
// a plan is approved or aborted once, and of two racing approvers one wins and the other gets
// a *ConflictError.
//
// Store is implemented by the file store (a directory a team can commit, see OpenFile) and,
// later, by the HTTP client of the registry server.
package registry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
)

// ErrNotFound is returned (wrapped) when a state, tag or plan does not exist.
var ErrNotFound = errors.New("not found")

// ConflictError is returned when a status change finds the plan in another status than the
// caller expected.
type ConflictError struct {
	Schema, Plan string
	Want, Got    plan.Status
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("plan %s/%s is %s, not %s", e.Schema, e.Plan, e.Got, e.Want)
}

// State is a desired schema state: the DDL that builds it on an empty database and its
// fingerprint.
type State struct {
	Fingerprint string
	Dialect     string
	SQL         string
	CreatedAt   time.Time
}

// DigestError reports plan content that is not the content a review bound: an approval of a
// digest the plan no longer has, or an approved plan whose content changed after approval.
// Nothing may run, and nothing may be approved, on such a mismatch.
type DigestError struct {
	Schema, Plan string
	Want         string // the digest that was reviewed or approved
	Got          string // the digest of the content the registry holds now
	// Approved says Want is an approval record's digest (the content changed after the
	// approval); otherwise Want is what an approver was shown (the content changed since).
	Approved bool
}

func (e *DigestError) Error() string {
	if e.Approved {
		return fmt.Sprintf("plan %s/%s was approved as %s but its content is now %s: it was changed after approval, and runs nowhere",
			e.Schema, e.Plan, e.Want, e.Got)
	}
	return fmt.Sprintf("plan %s/%s holds content %s, not the reviewed %s: it was changed since it was shown for review, and is not approved",
		e.Schema, e.Plan, e.Got, e.Want)
}

// Plan is a plan as the registry keeps it: the plan file's header and statements, and the
// record of its approval.
//
// Header.Status is the registry's own: a store derives it from its review records, never from
// what a plan file's status line says, so an edited status line approves nothing.
// Header.Revision counts the contents stored under the name.
type Plan struct {
	Schema string
	Header plan.Header
	Plan   *plan.Plan
	// Approval is the record of the plan's approval; nil while it is not approved. It stays
	// when an approved plan is aborted.
	Approval *Approval
}

// Approval binds a review decision to one content: the digest of the plan the approver saw.
type Approval struct {
	Digest   string
	Revision int
	Actor    string
	At       time.Time
	Context  plan.Context // where the approval came from (the merged pull request, its commit)
}

// Verify checks that p may run: it is approved, and its content is the content its approval
// bound. A mismatch is a *DigestError naming both digests.
func (p *Plan) Verify() error {
	if p.Header.Status != plan.Approved || p.Approval == nil {
		return fmt.Errorf("plan %s/%s is %s, not approved", p.Schema, p.Header.Name, p.Header.Status)
	}
	if got := p.Plan.Digest(); got != p.Approval.Digest {
		return &DigestError{Schema: p.Schema, Plan: p.Header.Name, Want: p.Approval.Digest, Got: got, Approved: true}
	}
	return nil
}

// Filter selects plans; empty fields match every plan.
type Filter struct {
	From, To string
	Status   plan.Status
}

// Match reports whether p passes the filter.
func (f Filter) Match(p *Plan) bool {
	return (f.From == "" || p.Plan.From == f.From) &&
		(f.To == "" || p.Plan.To == f.To) &&
		(f.Status == "" || p.Header.Status == f.Status)
}

// Result is how an apply ended.
type Result string

const (
	Applied   Result = "applied"   // the target reached the desired state
	NoChanges Result = "no-change" // the target already had it
	Failed    Result = "failed"    // a statement failed or verification did not match
	// Running is a journaled apply that has not ended: in progress, or killed. A deploy that
	// holds the target's lock and finds one knows it was killed.
	Running Result = "running"
	// Interrupted is a Running apply that a later deploy found unfinished and took over.
	Interrupted Result = "interrupted"
)

// Step is one journaled step of an apply: statements First to Last (0-based, inclusive) of
// its plan committed, and the target was then at Fingerprint.
type Step struct {
	First, Last int
	Fingerprint string
	At          time.Time
}

// Apply records one run of sextant schema apply against one target.
type Apply struct {
	ID     string // assigned by the store when empty
	Schema string
	Plan   string // the plan's name; empty when nothing ran
	From   string // the target's fingerprint before (F1)
	To     string // the desired fingerprint (F2)
	// Target identifies the database without credentials (host, port, database).
	Target  string
	Actor   string
	Context plan.Context
	Started time.Time
	// Duration is how long the apply took, from taking the lock to verification.
	Duration time.Duration
	// Statements is how many statements ran and committed; Total how many the plan has.
	Statements, Total int
	Result            Result
	Error             string // the failure, when Result is Failed
	// Digest is the digest of the plan that ran (verified against its approval before the
	// first statement); empty when nothing ran.
	Digest string
	// Steps is the journal of a plan's run, one entry per committed step, in order.
	Steps []Step
	// Resumes is the ID of the interrupted apply this one took over, if any.
	Resumes string
}

// Store is a registry.
type Store interface {
	// PutState records a state under its fingerprint; the same fingerprint twice is a no-op.
	PutState(ctx context.Context, schema string, s State) error
	// Tag points tag at the state with fingerprint fp, which must have been put.
	Tag(ctx context.Context, schema, tag, fp string) error
	// State returns the state with fingerprint ref (sha256:…) or the one tag ref points at.
	State(ctx context.Context, schema, ref string) (*State, error)

	// SavePlan creates the plan, or replaces the plan of that name while it is PENDING
	// (re-running a pull request's plan updates it): other content (another digest) becomes
	// the next revision, the same content keeps its revision. An approved plan is immutable
	// and an aborted one final: replacing either is a *ConflictError. The store ignores
	// p.Header's Status, Revision and approval fields.
	SavePlan(ctx context.Context, p *Plan) error
	// Plan returns the plan called name.
	Plan(ctx context.Context, schema, name string) (*Plan, error)
	// Plans lists the plans that pass f, oldest first.
	Plans(ctx context.Context, schema string, f Filter) ([]*Plan, error)
	// Approve approves the plan called name, as one compare-and-set: it must be PENDING
	// (else a *ConflictError) and its content must have digest a.Digest (else a
	// *DigestError). It returns the approved plan.
	Approve(ctx context.Context, schema, name string, a Approval) (*Plan, error)
	// SetStatus moves the plan's status forward from want to to, as one compare-and-set, and
	// returns the updated plan. The only moves it makes are aborts: PENDING or APPROVED to
	// ABORTED (approvals go through Approve, which binds a digest); ABORTED is final.
	SetStatus(ctx context.Context, schema, name string, want, to plan.Status, actor string, at time.Time) (*Plan, error)

	// RecordApply journals a and returns its ID: an empty a.ID records a new apply (the store
	// assigns the ID); the ID of a Running apply replaces its record, which is how a running
	// apply journals its steps and its end. An apply that has ended is not replaced.
	RecordApply(ctx context.Context, a Apply) (string, error)
	// Applies lists the recorded applies of schema, oldest first.
	Applies(ctx context.Context, schema string) ([]Apply, error)
}
