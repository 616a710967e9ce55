// Package api holds the wire types of the registry server's HTTP JSON API (/api/v1), shared
// by the server (package server) and its client (package client), and the conversions between
// them and the registry's own types.
//
// A plan travels as its plan file (see package plan): the file is the canonical content, so a
// plan pulled from the server is byte for byte what a reviewer reads. The review is not the
// file's: a plan's status, revision and approval record are the JSON fields next to it, and
// a status line in a file sent to the server approves nothing.
//
// Lists are paged: ?limit= (default DefaultLimit, at most MaxLimit) and ?cursor=, the next
// cursor of the page before; a page with more after it says so with a non-empty next.
package api

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
)

// Prefix is the path every API route starts with.
const Prefix = "/api/v1"

// Paging limits of the list endpoints.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Error is the body of every error response.
type Error struct {
	Error string `json:"error"`
	// Scope is the scope the request needed, on 403 responses.
	Scope registry.Scope `json:"scope,omitempty"`
	// CurrentStatus and ExpectedStatus describe a compare-and-set conflict (409): the plan's
	// status, and the status the request expected it to have.
	CurrentStatus  plan.Status `json:"current_status,omitempty"`
	ExpectedStatus plan.Status `json:"expected_status,omitempty"`
	// ExpectedDigest and CurrentDigest describe a digest mismatch (409): the digest the
	// approval named, and the digest of the content the plan holds.
	ExpectedDigest string `json:"expected_digest,omitempty"`
	CurrentDigest  string `json:"current_digest,omitempty"`
}

// PutState is the body of PUT /repos/{repo}/states/{fingerprint}.
type PutState struct {
	Dialect string `json:"dialect"`
	SQL     string `json:"sql"`
	// CreatedAt is when the state was first recorded; zero means now.
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// State is a state as the server returns it.
type State struct {
	Fingerprint string    `json:"fingerprint"`
	Dialect     string    `json:"dialect"`
	SQL         string    `json:"sql"`
	CreatedAt   time.Time `json:"created_at,omitzero"`
}

// FromState converts a registry state.
func FromState(s *registry.State) State {
	return State{Fingerprint: s.Fingerprint, Dialect: s.Dialect, SQL: s.SQL, CreatedAt: s.CreatedAt}
}

// ToState converts back.
func (s State) ToState() *registry.State {
	return &registry.State{Fingerprint: s.Fingerprint, Dialect: s.Dialect, SQL: s.SQL, CreatedAt: s.CreatedAt}
}

// PutTag is the body of PUT /repos/{repo}/tags/{tag}.
type PutTag struct {
	Fingerprint string `json:"fingerprint"`
}

// Tag is the answer to PUT /repos/{repo}/tags/{tag}.
type Tag struct {
	Tag         string `json:"tag"`
	Fingerprint string `json:"fingerprint"`
}

// PutPlan is the body of PUT /repos/{repo}/plans/{name}. The file's status, revision and
// approval lines are ignored: a new plan is PENDING.
type PutPlan struct {
	PlanFile string `json:"plan_file"`
}

// Plan is a plan as the server returns it: the plan file, its header as fields, and its
// review: status, revision and approval record.
type Plan struct {
	Repo   string      `json:"repo"`
	Name   string      `json:"name"`
	Status plan.Status `json:"status"`
	// Digest is the digest of the plan's content (plan.Plan.Digest).
	Digest string `json:"digest"`
	// Revision counts the contents stored under the name.
	Revision int `json:"revision"`
	// Approval is the record of the plan's approval: absent while it is not approved; kept
	// when an approved plan is aborted.
	Approval   *Approval `json:"approval,omitempty"`
	Dialect    string    `json:"dialect"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	CreatedAt  time.Time `json:"created_at,omitzero"`
	CreatedBy  string    `json:"created_by,omitempty"`
	ApprovedAt time.Time `json:"approved_at,omitzero"`
	ApprovedBy string    `json:"approved_by,omitempty"`
	PR         int       `json:"pr,omitempty"`
	Commit     string    `json:"commit,omitempty"`
	URL        string    `json:"url,omitempty"`
	Statements int       `json:"statement_count"`
	Linted     bool      `json:"linted"`
	PlanFile   string    `json:"plan_file"`
}

// FromPlan converts a registry plan, writing its plan file.
func FromPlan(p *registry.Plan) (Plan, error) {
	var b bytes.Buffer
	if err := p.Plan.WriteFile(&b, p.Header); err != nil {
		return Plan{}, err
	}
	h := p.Header
	var ap *Approval
	if a := p.Approval; a != nil {
		ap = &Approval{Digest: a.Digest, Revision: a.Revision, Actor: a.Actor, At: a.At,
			Context: Context{PR: a.Context.PR, Commit: a.Context.Commit, URL: a.Context.URL}}
	}
	return Plan{
		Repo: p.Schema, Name: h.Name, Status: h.Status, Digest: p.Plan.Digest(), Revision: h.Revision, Approval: ap,
		Dialect: p.Plan.Dialect, From: p.Plan.From, To: p.Plan.To,
		CreatedAt: h.CreatedAt, CreatedBy: h.CreatedBy, ApprovedAt: h.ApprovedAt, ApprovedBy: h.ApprovedBy,
		PR: h.Context.PR, Commit: h.Context.Commit, URL: h.Context.URL,
		Statements: len(p.Plan.Statements), Linted: h.Linted, PlanFile: b.String(),
	}, nil
}

// ToPlan reads the plan back: the content from its plan file, the review (status, revision,
// approval) from the fields, whatever the file's lines say.
func (p Plan) ToPlan() (*registry.Plan, error) {
	pl, h, err := plan.ReadFile(strings.NewReader(p.PlanFile), "plan "+p.Name)
	if err != nil {
		return nil, err
	}
	if h.Name == "" {
		h.Name = p.Name
	}
	if !p.Status.Valid() {
		return nil, fmt.Errorf("plan %s: unknown status %q", p.Name, p.Status)
	}
	h.Status, h.Revision, h.ApprovedAt, h.ApprovedBy = p.Status, p.Revision, time.Time{}, ""
	out := &registry.Plan{Schema: p.Repo, Header: h, Plan: pl}
	if a := p.Approval; a != nil {
		out.Approval = &registry.Approval{Digest: a.Digest, Revision: a.Revision, Actor: a.Actor, At: utc(a.At),
			Context: plan.Context{PR: a.Context.PR, Commit: a.Context.Commit, URL: a.Context.URL}}
		out.Header.ApprovedAt, out.Header.ApprovedBy = out.Approval.At, a.Actor
	}
	return out, nil
}

// utc returns t in UTC, and the zero time as it is.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// Approval is a plan's approval record.
type Approval struct {
	Digest   string    `json:"digest"`
	Revision int       `json:"revision"`
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
	Context  Context   `json:"context,omitzero"`
}

// Plans is the answer to GET /repos/{repo}/plans: one page.
type Plans struct {
	Plans []Plan `json:"plans"`
	Next  string `json:"next,omitempty"` // the cursor of the next page; empty on the last
}

// Approve is the body of POST /repos/{repo}/plans/{name}/approve: a compare-and-set of the
// plan from PENDING to APPROVED that binds the digest of the content the approver reviewed.
type Approve struct {
	// Digest is the digest of the plan content that was reviewed (required): the plan is
	// approved only while it holds exactly that content.
	Digest string `json:"digest"`
	// Actor is who approves, as the approval records it (the person who merged, the CI job's
	// actor); the token's name when empty. The audit log records the token's name either way.
	Actor string `json:"actor,omitempty"`
	// At is when, as the approval records it; the server's time when zero.
	At time.Time `json:"at,omitzero"`
	// Context is where the approval came from: the merged pull request, its commit.
	Context Context `json:"context,omitzero"`
}

// SetStatus is the optional body of POST /repos/{repo}/plans/{name}/abort.
type SetStatus struct {
	// Expect is the status the plan must have for the change to happen: PENDING (when
	// empty) or APPROVED. ABORTED is final.
	Expect plan.Status `json:"expect,omitempty"`
	// Actor is who aborts; the token's name when empty.
	Actor string `json:"actor,omitempty"`
	// At is when, as the plan records it; the server's time when zero.
	At time.Time `json:"at,omitzero"`
}

// Apply is an apply record on the wire.
type Apply struct {
	ID         string          `json:"id,omitempty"`
	Repo       string          `json:"repo,omitempty"` // set by the server from the path
	Plan       string          `json:"plan,omitempty"`
	From       string          `json:"from,omitempty"`
	To         string          `json:"to,omitempty"`
	Target     string          `json:"target,omitempty"`
	Actor      string          `json:"actor,omitempty"`
	Context    Context         `json:"context,omitzero"`
	Started    time.Time       `json:"started,omitzero"`
	DurationMS int64           `json:"duration_ms"`
	Statements int             `json:"statements"`
	Total      int             `json:"total"`
	Result     registry.Result `json:"result"`
	Error      string          `json:"error,omitempty"`
	// Digest is the digest of the plan that ran.
	Digest string `json:"digest,omitempty"`
	// Steps is the journal of the run: one entry per committed step.
	Steps []Step `json:"steps,omitempty"`
	// Resumes is the ID of the interrupted apply this one took over.
	Resumes string `json:"resumes,omitempty"`
}

// Step is one journaled step of an apply: statements first to last (0-based, inclusive)
// committed, the target then at fingerprint.
type Step struct {
	First       int       `json:"first"`
	Last        int       `json:"last"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	At          time.Time `json:"at,omitzero"`
}

// Context says where a plan or an apply was made.
type Context struct {
	PR     int    `json:"pr,omitempty"`
	Commit string `json:"commit,omitempty"`
	URL    string `json:"url,omitempty"`
}

// FromApply converts a registry apply; the duration is kept to the millisecond, as the file
// store keeps it.
func FromApply(a registry.Apply) Apply {
	var steps []Step
	for _, st := range a.Steps {
		steps = append(steps, Step{First: st.First, Last: st.Last, Fingerprint: st.Fingerprint, At: st.At})
	}
	return Apply{
		Digest: a.Digest, Steps: steps, Resumes: a.Resumes,
		ID: a.ID, Repo: a.Schema, Plan: a.Plan, From: a.From, To: a.To, Target: a.Target, Actor: a.Actor,
		Context: Context{PR: a.Context.PR, Commit: a.Context.Commit, URL: a.Context.URL},
		Started: a.Started, DurationMS: a.Duration.Round(time.Millisecond).Milliseconds(),
		Statements: a.Statements, Total: a.Total, Result: a.Result, Error: a.Error,
	}
}

// ToApply converts back.
func (a Apply) ToApply() registry.Apply {
	var steps []registry.Step
	for _, st := range a.Steps {
		steps = append(steps, registry.Step{First: st.First, Last: st.Last, Fingerprint: st.Fingerprint, At: utc(st.At)})
	}
	return registry.Apply{
		Digest: a.Digest, Steps: steps, Resumes: a.Resumes,
		ID: a.ID, Schema: a.Repo, Plan: a.Plan, From: a.From, To: a.To, Target: a.Target, Actor: a.Actor,
		Context: plan.Context{PR: a.Context.PR, Commit: a.Context.Commit, URL: a.Context.URL},
		Started: a.Started, Duration: time.Duration(a.DurationMS) * time.Millisecond,
		Statements: a.Statements, Total: a.Total, Result: a.Result, Error: a.Error,
	}
}

// Applies is the answer to GET /repos/{repo}/applies: one page, one record per apply.
type Applies struct {
	Applies []Apply `json:"applies"`
	Next    string  `json:"next,omitempty"` // the cursor of the next page; empty on the last
}

// Created is the answer to POST /repos/{repo}/applies. A body without an ID records a new
// apply; with the ID of a running apply it replaces that record (a journal entry).
type Created struct {
	ID string `json:"id"`
}

// AuditEntry is one entry of the audit log.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Repo   string    `json:"repo,omitempty"`
	Object string    `json:"object,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// FromAudit converts an audit entry.
func FromAudit(e registry.AuditEntry) AuditEntry {
	return AuditEntry{ID: e.ID, At: e.At, Actor: e.Actor, Action: e.Action, Repo: e.Repo, Object: e.Object, Detail: e.Detail}
}

// ToAudit converts back.
func (e AuditEntry) ToAudit() registry.AuditEntry {
	return registry.AuditEntry{ID: e.ID, At: e.At, Actor: e.Actor, Action: e.Action, Repo: e.Repo, Object: e.Object, Detail: e.Detail}
}

// Audit is the answer to GET /audit: one page. Entries' IDs increase; after=<ID> starts
// after an entry, as the cursor does.
type Audit struct {
	Entries []AuditEntry `json:"entries"`
	Next    string       `json:"next,omitempty"` // the cursor of the next page; empty on the last
}

// CreateToken is the body of POST /tokens.
type CreateToken struct {
	Name   string           `json:"name"`
	Scopes []registry.Scope `json:"scopes"`
	Repos  []string         `json:"repos,omitempty"`
}

// Token is a token as the server lists it: never its secret or hash.
type Token struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	Scopes    []registry.Scope `json:"scopes"`
	Repos     []string         `json:"repos,omitempty"`
	CreatedAt time.Time        `json:"created_at,omitzero"`
	RevokedAt time.Time        `json:"revoked_at,omitzero"`
}

// FromToken converts a token.
func FromToken(t registry.Token) Token {
	return Token{ID: t.ID, Name: t.Name, Scopes: t.Scopes, Repos: t.Repos, CreatedAt: t.CreatedAt, RevokedAt: t.RevokedAt}
}

// ToToken converts back.
func (t Token) ToToken() registry.Token {
	return registry.Token{ID: t.ID, Name: t.Name, Scopes: t.Scopes, Repos: t.Repos, CreatedAt: t.CreatedAt, RevokedAt: t.RevokedAt}
}

// TokenCreated is the answer to POST /tokens: the token and its secret, shown this once.
type TokenCreated struct {
	Token
	Secret string `json:"secret"`
}

// Tokens is the answer to GET /tokens: one page.
type Tokens struct {
	Tokens []Token `json:"tokens"`
	Next   string  `json:"next,omitempty"` // the cursor of the next page; empty on the last
}

// ScopeList parses a comma-separated list of scopes ("plan,read"), rejecting unknown ones.
func ScopeList(s string) ([]registry.Scope, error) {
	var out []registry.Scope
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		sc := registry.Scope(f)
		if !ValidScope(sc) {
			return nil, fmt.Errorf("unknown scope %q (known: %s)", f, JoinScopes(registry.Scopes))
		}
		out = append(out, sc)
	}
	return out, nil
}

// ValidScope reports whether s is one of registry.Scopes.
func ValidScope(s registry.Scope) bool {
	return slices.Contains(registry.Scopes, s)
}

// JoinScopes writes scopes as "plan, read".
func JoinScopes(scopes []registry.Scope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, ", ")
}
