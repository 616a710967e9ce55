package registry

import (
	"context"
	"slices"
	"time"
)

// Scope is what a registry server token may do.
type Scope string

// The scopes. A token without ScopeApprove can only create PENDING plans; approving is the
// default-branch job's privilege.
const (
	ScopeRead    Scope = "read"    // read states, plans, applies and the audit log
	ScopePlan    Scope = "plan"    // push states, create and replace PENDING plans
	ScopeApprove Scope = "approve" // approve and abort plans
	ScopeApply   Scope = "apply"   // record applies
	ScopeAdmin   Scope = "admin"   // everything, and manage tokens
)

// Scopes lists every scope.
var Scopes = []Scope{ScopeRead, ScopePlan, ScopeApprove, ScopeApply, ScopeAdmin}

// Token is an API token of the registry server. Only its hash is stored: the secret is shown
// once, when the token is created.
type Token struct {
	ID        string
	Name      string // who or what holds it, e.g. "ci-main"
	Scopes    []Scope
	Repos     []string // repos it may touch; empty means all
	CreatedAt time.Time
	RevokedAt time.Time // zero while valid
}

// Allows reports whether the token has scope s (admin has every scope) on repo ("" for an
// action outside any repo, which needs admin).
func (t *Token) Allows(s Scope, repo string) bool {
	if !t.RevokedAt.IsZero() {
		return false
	}
	if !slices.Contains(t.Scopes, s) && !slices.Contains(t.Scopes, ScopeAdmin) {
		return false
	}
	if repo == "" {
		return slices.Contains(t.Scopes, ScopeAdmin) || s == ScopeRead
	}
	return len(t.Repos) == 0 || slices.Contains(t.Repos, repo)
}

// AuditEntry is one line of the append-only audit log: who did what to which object.
type AuditEntry struct {
	ID     int64 // assigned by the store, increasing
	At     time.Time
	Actor  string // the token's name
	Action string // e.g. "plan.create", "plan.approve", "state.push", "apply.record", "token.create"
	Repo   string
	Object string // plan name, fingerprint, tag, token ID …
	Detail string
}

// ServerStore is the storage of the registry server: the registry itself, tokens and the
// audit log, in one database.
//
// Its writes honour WithAudit: the audit entry a context carries is appended in the
// transaction of the change it records.
type ServerStore interface {
	Store
	// PlansPage is one page of Plans, in its order.
	PlansPage(ctx context.Context, schema string, f Filter, p Page) (plans []*Plan, next string, err error)
	// AppliesPage is one page of Applies, in its order.
	AppliesPage(ctx context.Context, schema string, p Page) (applies []Apply, next string, err error)

	CreateToken(ctx context.Context, t Token, hash []byte) error
	// TokenByHash returns the token whose secret hashes to hash; ErrNotFound when none.
	TokenByHash(ctx context.Context, hash []byte) (*Token, error)
	Tokens(ctx context.Context) ([]Token, error)
	// TokensPage is one page of Tokens, oldest first, of the tokens keep accepts (nil keeps
	// every one).
	TokensPage(ctx context.Context, p Page, keep func(Token) bool) (tokens []Token, next string, err error)
	// RevokeToken marks the token revoked; revoking twice is not an error.
	RevokeToken(ctx context.Context, id string, at time.Time) error
	// AppendAudit adds an entry; the store assigns ID.
	AppendAudit(ctx context.Context, e AuditEntry) error
	// Audit lists entries of repo ("" for all) with ID greater than after, oldest first, at
	// most limit.
	Audit(ctx context.Context, repo string, after int64, limit int) ([]AuditEntry, error)
	// Ping checks the database is reachable (readiness).
	Ping(ctx context.Context) error
	Close() error
}
