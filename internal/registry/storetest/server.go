package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/registry"
)

// RunServer checks the methods registry.ServerStore adds to registry.Store: tokens, the
// audit log and Ping. open must return a new, empty store each time it is called, and close
// it in t.Cleanup. It does not run Run: a server store's tests call both.
func RunServer(t *testing.T, open func(t *testing.T) registry.ServerStore) {
	t.Run("Tokens", func(t *testing.T) { testTokens(t, open(t)) })
	t.Run("TokenRevoke", func(t *testing.T) { testTokenRevoke(t, open(t)) })
	t.Run("BadTokens", func(t *testing.T) { testBadTokens(t, open(t)) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, open(t)) })
	t.Run("AuditConcurrent", func(t *testing.T) { testAuditConcurrent(t, open(t)) })
	t.Run("Ping", func(t *testing.T) {
		if err := open(t).Ping(context.Background()); err != nil {
			t.Error(err)
		}
	})
}

// hash stands for the hash of a token's secret; the store treats it as opaque bytes.
func hash(s string) []byte { return []byte("hash of " + s + "\x00\xff") }

// tokens are three tokens as a registry server would hand them out.
func tokens() []registry.Token {
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	return []registry.Token{
		{ID: "tok-1", Name: "ci-pr", Scopes: []registry.Scope{registry.ScopeRead, registry.ScopePlan},
			Repos: []string{"app"}, CreatedAt: t0},
		{ID: "tok-2", Name: "ci-main", Scopes: []registry.Scope{registry.ScopeRead, registry.ScopeApprove, registry.ScopeApply},
			Repos: []string{"app", "web"}, CreatedAt: t0.Add(time.Second)},
		{ID: "tok-3", Name: "ops", Scopes: []registry.Scope{registry.ScopeAdmin},
			CreatedAt: time.Date(2025, 5, 1, 14, 0, 2, 123456789, time.FixedZone("", 2*3600))},
	}
}

// sameToken fails the test unless got is want: equal times, and no repos however spelled.
func sameToken(t *testing.T, got, want registry.Token) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || !slices.Equal(got.Scopes, want.Scopes) ||
		!slices.Equal(got.Repos, want.Repos) || !got.CreatedAt.Equal(want.CreatedAt) || !got.RevokedAt.Equal(want.RevokedAt) {
		t.Errorf("token:\n got %+v\nwant %+v", got, want)
	}
}

func createTokens(t *testing.T, s registry.ServerStore) []registry.Token {
	t.Helper()
	ts := tokens()
	for _, tok := range ts {
		if err := s.CreateToken(context.Background(), tok, hash(tok.ID)); err != nil {
			t.Fatal(err)
		}
	}
	return ts
}

func testTokens(t *testing.T, s registry.ServerStore) {
	ctx := context.Background()
	ts := createTokens(t, s)
	for _, want := range ts {
		got, err := s.TokenByHash(ctx, hash(want.ID))
		if err != nil {
			t.Fatal(err)
		}
		sameToken(t, *got, want)
	}
	_, err := s.TokenByHash(ctx, hash("tok-4"))
	if !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("TokenByHash of an unknown hash = %v, want ErrNotFound", err)
	}
	// A prefix of a hash is not the hash.
	if _, err := s.TokenByHash(ctx, hash("tok-1")[:4]); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("TokenByHash of a prefix = %v, want ErrNotFound", err)
	}
	list, err := s.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(ts) {
		t.Fatalf("Tokens = %+v, want %d tokens", list, len(ts))
	}
	slices.SortFunc(list, func(a, b registry.Token) int { return strings.Compare(a.ID, b.ID) })
	for i := range ts {
		sameToken(t, list[i], ts[i])
	}

	// Duplicates of an ID or a hash are refused, and change nothing.
	dup := ts[0]
	dup.Name = "other"
	if err := s.CreateToken(ctx, dup, hash("tok-new")); err == nil {
		t.Error("a second token with ID tok-1 was created")
	}
	dup.ID = "tok-new"
	if err := s.CreateToken(ctx, dup, hash("tok-1")); err == nil {
		t.Error("a second token with the hash of tok-1 was created")
	}
	if got, err := s.TokenByHash(ctx, hash("tok-1")); err != nil || got.Name != "ci-pr" {
		t.Errorf("tok-1 after the duplicates = %+v, %v", got, err)
	}
	if list, err := s.Tokens(ctx); err != nil || len(list) != len(ts) {
		t.Errorf("Tokens after the duplicates = %+v, %v; want %d", list, err, len(ts))
	}

	// What the tokens allow, as read back: scopes and repos survive the store.
	read := func(id string) *registry.Token {
		t.Helper()
		tok, err := s.TokenByHash(ctx, hash(id))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	pr, main, ops := read("tok-1"), read("tok-2"), read("tok-3")
	for _, tc := range []struct {
		tok   *registry.Token
		scope registry.Scope
		repo  string
		want  bool
	}{
		{pr, registry.ScopePlan, "app", true},
		{pr, registry.ScopeRead, "app", true},
		{pr, registry.ScopePlan, "web", false}, // not its repo
		{pr, registry.ScopeApprove, "app", false},
		{pr, registry.ScopeApply, "app", false},
		{pr, registry.ScopeRead, "", true}, // listing what it may read
		{pr, registry.ScopeAdmin, "", false},
		{main, registry.ScopeApprove, "app", true},
		{main, registry.ScopeApprove, "web", true},
		{main, registry.ScopeApply, "web", true},
		{main, registry.ScopeApprove, "api", false},
		{main, registry.ScopePlan, "app", false},
		{ops, registry.ScopeApprove, "anything", true},
		{ops, registry.ScopePlan, "", true},
		{ops, registry.ScopeAdmin, "", true},
	} {
		if got := tc.tok.Allows(tc.scope, tc.repo); got != tc.want {
			t.Errorf("%s.Allows(%s, %q) = %v, want %v", tc.tok.Name, tc.scope, tc.repo, got, tc.want)
		}
	}
}

func testTokenRevoke(t *testing.T, s registry.ServerStore) {
	ctx := context.Background()
	ts := createTokens(t, s)
	at := time.Date(2025, 6, 1, 8, 0, 0, 500, time.FixedZone("", -3600))
	if err := s.RevokeToken(ctx, "tok-1", at); err != nil {
		t.Fatal(err)
	}
	// Revoking twice is not an error, and the token stays revoked.
	if err := s.RevokeToken(ctx, "tok-1", at.Add(time.Hour)); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	tok, err := s.TokenByHash(ctx, hash("tok-1"))
	if err != nil {
		t.Fatal(err)
	}
	if tok.RevokedAt.IsZero() {
		t.Fatalf("tok-1 after revocation: %+v, want it revoked", tok)
	}
	for _, sc := range registry.Scopes {
		if tok.Allows(sc, "app") || tok.Allows(sc, "") {
			t.Errorf("the revoked token allows %s", sc)
		}
	}
	list, err := s.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range list {
		if revoked := !tok.RevokedAt.IsZero(); revoked != (tok.ID == "tok-1") {
			t.Errorf("Tokens: %s revoked at %v", tok.ID, tok.RevokedAt)
		}
	}
	if other, err := s.TokenByHash(ctx, hash("tok-2")); err != nil {
		t.Fatal(err)
	} else {
		sameToken(t, *other, ts[1])
	}
	if err := s.RevokeToken(ctx, "tok-9", at); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("revoking an unknown token = %v, want ErrNotFound", err)
	}
}

func testBadTokens(t *testing.T, s registry.ServerStore) {
	ctx := context.Background()
	good := registry.Token{ID: "tok-1", Name: "ci", Scopes: []registry.Scope{registry.ScopeRead}, CreatedAt: time.Now()}
	for what, tc := range map[string]struct {
		change func(*registry.Token)
		hash   []byte
	}{
		"no ID":          {func(t *registry.Token) { t.ID = "" }, hash("a")},
		"no hash":        {func(t *registry.Token) {}, nil},
		"no scopes":      {func(t *registry.Token) { t.Scopes = nil }, hash("a")},
		"unknown scope":  {func(t *registry.Token) { t.Scopes = []registry.Scope{"write"} }, hash("a")},
		"bad repo name":  {func(t *registry.Token) { t.Repos = []string{"../x"} }, hash("a")},
		"empty repo":     {func(t *registry.Token) { t.Repos = []string{""} }, hash("a")},
		"name two lines": {func(t *registry.Token) { t.Name = "a\nb" }, hash("a")},
	} {
		tok := good
		tc.change(&tok)
		if err := s.CreateToken(ctx, tok, tc.hash); err == nil {
			t.Errorf("CreateToken with %s succeeded", what)
		}
	}
	if list, err := s.Tokens(ctx); err != nil || len(list) != 0 {
		t.Errorf("Tokens after the rejected ones = %+v, %v; want none", list, err)
	}
	// A token without a creation time was created now.
	before := time.Now()
	good.CreatedAt = time.Time{}
	if err := s.CreateToken(ctx, good, hash("a")); err != nil {
		t.Fatal(err)
	}
	tok, err := s.TokenByHash(ctx, hash("a"))
	if err != nil {
		t.Fatal(err)
	}
	if tok.CreatedAt.Before(before.Truncate(time.Second)) || tok.CreatedAt.After(time.Now()) {
		t.Errorf("created at %v, want now", tok.CreatedAt)
	}
}

func testAudit(t *testing.T, s registry.ServerStore) {
	ctx := context.Background()
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 123, time.FixedZone("", 3600))
	entries := []registry.AuditEntry{
		{At: t0, Actor: "admin", Action: "token.create", Object: "tok-1"},
		{At: t0.Add(time.Second), Actor: "ci-pr", Action: "state.push", Repo: "app", Object: fp("1")},
		{At: t0.Add(2 * time.Second), Actor: "ci-pr", Action: "plan.create", Repo: "app", Object: "pr-1", Detail: "from sha256:1… to sha256:2…\nline two"},
		{At: t0.Add(3 * time.Second), Actor: "ci-web", Action: "plan.create", Repo: "web", Object: "pr-9"},
		{At: t0.Add(4 * time.Second), Actor: "ci-main", Action: "plan.approve", Repo: "app", Object: "pr-1"},
	}
	for _, e := range entries {
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Audit(ctx, "", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(entries) {
		t.Fatalf("Audit = %+v, want %d entries", all, len(entries))
	}
	for i, e := range all {
		want := entries[i]
		want.ID = e.ID
		if !e.At.Equal(want.At) {
			t.Errorf("entry %d at %v, want %v", i, e.At, want.At)
		}
		e.At, want.At = time.Time{}, time.Time{}
		if e != want {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, e, want)
		}
		if e.ID <= 0 || i > 0 && e.ID <= all[i-1].ID {
			t.Errorf("entry %d has ID %d after %d, want IDs positive and increasing", i, e.ID, all[max(i-1, 0)].ID)
		}
	}
	ids := func(es []registry.AuditEntry) []int64 {
		var out []int64
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	id := ids(all)
	for _, tc := range []struct {
		repo  string
		after int64
		limit int
		want  []int64
	}{
		{"app", 0, 100, []int64{id[1], id[2], id[4]}},
		{"web", 0, 100, []int64{id[3]}},
		{"api", 0, 100, nil},
		{"", id[1], 100, id[2:]},
		{"", 0, 2, id[:2]},
		{"", id[0], 2, id[1:3]},
		{"app", id[1], 1, []int64{id[2]}},
		{"app", id[2], 100, []int64{id[4]}},
		{"", id[4], 100, nil},
	} {
		got, err := s.Audit(ctx, tc.repo, tc.after, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), tc.want) {
			t.Errorf("Audit(%q, %d, %d) = %v, want %v", tc.repo, tc.after, tc.limit, ids(got), tc.want)
		}
	}

	// An entry without a time happened now.
	before := time.Now()
	if err := s.AppendAudit(ctx, registry.AuditEntry{Actor: "admin", Action: "token.revoke", Object: "tok-1"}); err != nil {
		t.Fatal(err)
	}
	last, err := s.Audit(ctx, "", id[4], 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(last) != 1 || last[0].At.Before(before.Truncate(time.Second)) || last[0].At.After(time.Now()) {
		t.Errorf("the entry without a time = %+v, want one at about %v", last, before)
	}
	if err := s.AppendAudit(ctx, registry.AuditEntry{Actor: "admin", Action: "plan.create", Repo: "../x"}); err == nil {
		t.Error("AppendAudit with a bad repo name succeeded")
	}
	if err := s.AppendAudit(ctx, registry.AuditEntry{Actor: "admin"}); err == nil {
		t.Error("AppendAudit without an action succeeded")
	}
}

// testAuditConcurrent appends from 8 goroutines: no entry is lost, IDs are unique and
// increasing, and reading page by page after the last ID seen returns every entry once.
func testAuditConcurrent(t *testing.T, s registry.ServerStore) {
	ctx := context.Background()
	const writers, each = 8, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := s.AppendAudit(ctx, registry.AuditEntry{Actor: fmt.Sprintf("writer-%d", w), Action: "apply.record",
					Repo: "app", Object: fmt.Sprint(i)})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	var got []registry.AuditEntry
	for after := int64(0); ; {
		page, err := s.Audit(ctx, "app", after, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		after = page[len(page)-1].ID
	}
	if len(got) != writers*each {
		t.Fatalf("%d entries read, want %d", len(got), writers*each)
	}
	next := map[string]int{}
	for i, e := range got {
		if i > 0 && e.ID <= got[i-1].ID {
			t.Errorf("entry %d: ID %d after %d", i, e.ID, got[i-1].ID)
		}
		if e.Object != fmt.Sprint(next[e.Actor]) {
			t.Errorf("entry %d of %s: object %s, want %d", i, e.Actor, e.Object, next[e.Actor])
		}
		next[e.Actor]++
	}
}
