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

// Plan is a plan as the registry keeps it: the plan file's header and statements.
type Plan struct {
	Schema string
	Header plan.Header
	Plan   *plan.Plan
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
)

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
	// (re-running a pull request's plan updates it). Replacing an approved or aborted plan is
	// a *ConflictError.
	SavePlan(ctx context.Context, p *Plan) error
	// Plan returns the plan called name.
	Plan(ctx context.Context, schema, name string) (*Plan, error)
	// Plans lists the plans that pass f, oldest first.
	Plans(ctx context.Context, schema string, f Filter) ([]*Plan, error)
	// SetStatus changes the plan's status from want to to, as one compare-and-set, recording
	// who did it and when for an approval. It returns the updated plan.
	SetStatus(ctx context.Context, schema, name string, want, to plan.Status, actor string, at time.Time) (*Plan, error)

	// RecordApply appends a to the apply log and returns its ID.
	RecordApply(ctx context.Context, a Apply) (string, error)
	// Applies lists the recorded applies of schema, oldest first.
	Applies(ctx context.Context, schema string) ([]Apply, error)
}
