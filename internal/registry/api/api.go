// Package api holds the wire types of the registry server's HTTP JSON API (/api/v1), shared
// by the server (package server) and its client (package client), and the conversions between
// them and the registry's own types.
//
// A plan travels as its plan file (see package plan): the file is the canonical content, so a
// plan pulled from the server is byte for byte what a reviewer reads, and the JSON fields next
// to it are a convenience for scripts that do not parse plan files.
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

// Error is the body of every error response.
type Error struct {
	Error string `json:"error"`
	// Scope is the scope the request needed, on 403 responses.
	Scope registry.Scope `json:"scope,omitempty"`
	// CurrentStatus and ExpectedStatus describe a compare-and-set conflict (409): the plan's
	// status, and the status the request expected it to have.
	CurrentStatus  plan.Status `json:"current_status,omitempty"`
	ExpectedStatus plan.Status `json:"expected_status,omitempty"`
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

// PutPlan is the body of PUT /repos/{repo}/plans/{name}.
type PutPlan struct {
	PlanFile string `json:"plan_file"`
}

// Plan is a plan as the server returns it: the plan file, and its header as fields.
type Plan struct {
	Repo       string      `json:"repo"`
	Name       string      `json:"name"`
	Status     plan.Status `json:"status"`
	Dialect    string      `json:"dialect"`
	From       string      `json:"from"`
	To         string      `json:"to"`
	CreatedAt  time.Time   `json:"created_at,omitzero"`
	CreatedBy  string      `json:"created_by,omitempty"`
	ApprovedAt time.Time   `json:"approved_at,omitzero"`
	ApprovedBy string      `json:"approved_by,omitempty"`
	PR         int         `json:"pr,omitempty"`
	Commit     string      `json:"commit,omitempty"`
	URL        string      `json:"url,omitempty"`
	Statements int         `json:"statement_count"`
	Linted     bool        `json:"linted"`
	PlanFile   string      `json:"plan_file"`
}

// FromPlan converts a registry plan, writing its plan file.
func FromPlan(p *registry.Plan) (Plan, error) {
	var b bytes.Buffer
	if err := p.Plan.WriteFile(&b, p.Header); err != nil {
		return Plan{}, err
	}
	h := p.Header
	return Plan{
		Repo: p.Schema, Name: h.Name, Status: h.Status, Dialect: p.Plan.Dialect, From: p.Plan.From, To: p.Plan.To,
		CreatedAt: h.CreatedAt, CreatedBy: h.CreatedBy, ApprovedAt: h.ApprovedAt, ApprovedBy: h.ApprovedBy,
		PR: h.Context.PR, Commit: h.Context.Commit, URL: h.Context.URL,
		Statements: len(p.Plan.Statements), Linted: h.Linted, PlanFile: b.String(),
	}, nil
}

// ToPlan reads the plan back from its plan file; the other fields are not consulted.
func (p Plan) ToPlan() (*registry.Plan, error) {
	pl, h, err := plan.ReadFile(strings.NewReader(p.PlanFile), "plan "+p.Name)
	if err != nil {
		return nil, err
	}
	if h.Name == "" {
		h.Name = p.Name
	}
	if h.Status == "" {
		h.Status = plan.Pending
	}
	return &registry.Plan{Schema: p.Repo, Header: h, Plan: pl}, nil
}

// Plans is the answer to GET /repos/{repo}/plans.
type Plans struct {
	Plans []Plan `json:"plans"`
}

// SetStatus is the optional body of POST /repos/{repo}/plans/{name}/approve and /abort.
type SetStatus struct {
	// Expect is the status the plan must have for the change to happen; PENDING when empty.
	Expect plan.Status `json:"expect,omitempty"`
	// Actor is who approves, as the plan records it (the person who merged, the CI job's
	// actor); the token's name when empty. The audit log records the token's name either way.
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
	return Apply{
		ID: a.ID, Repo: a.Schema, Plan: a.Plan, From: a.From, To: a.To, Target: a.Target, Actor: a.Actor,
		Context: Context{PR: a.Context.PR, Commit: a.Context.Commit, URL: a.Context.URL},
		Started: a.Started, DurationMS: a.Duration.Round(time.Millisecond).Milliseconds(),
		Statements: a.Statements, Total: a.Total, Result: a.Result, Error: a.Error,
	}
}

// ToApply converts back.
func (a Apply) ToApply() registry.Apply {
	return registry.Apply{
		ID: a.ID, Schema: a.Repo, Plan: a.Plan, From: a.From, To: a.To, Target: a.Target, Actor: a.Actor,
		Context: plan.Context{PR: a.Context.PR, Commit: a.Context.Commit, URL: a.Context.URL},
		Started: a.Started, Duration: time.Duration(a.DurationMS) * time.Millisecond,
		Statements: a.Statements, Total: a.Total, Result: a.Result, Error: a.Error,
	}
}

// Applies is the answer to GET /repos/{repo}/applies.
type Applies struct {
	Applies []Apply `json:"applies"`
}

// Created is the answer to POST /repos/{repo}/applies.
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

// Audit is the answer to GET /audit. Next is the after= of the following page; it equals the
// request's after when there are no entries.
type Audit struct {
	Entries []AuditEntry `json:"entries"`
	Next    int64        `json:"next"`
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

// Tokens is the answer to GET /tokens.
type Tokens struct {
	Tokens []Token `json:"tokens"`
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
