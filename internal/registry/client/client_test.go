package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/client"
	"github.com/sextant-db/sextant/internal/registry/server"
	"github.com/sextant-db/sextant/internal/registry/sqlstore"
	"github.com/sextant-db/sextant/internal/registry/storetest"
)

// openDB opens a new SQLite registry database.
func openDB(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "registry.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// serve serves a registry over db on loopback, mounted under prefix when not empty.
func serve(t *testing.T, db registry.ServerStore, prefix string) string {
	t.Helper()
	var h http.Handler = server.New(db, server.Options{})
	if prefix != "" {
		mux := http.NewServeMux()
		mux.Handle(prefix+"/", http.StripPrefix(prefix, h))
		h = mux
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

func token(t *testing.T, db registry.ServerStore, name string, scopes ...registry.Scope) string {
	t.Helper()
	secret, _, err := server.CreateToken(context.Background(), db, name, scopes, nil)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// TestConformance runs the store contract through the client, the server and SQLite: the
// registry behaves the same over HTTP as on disk.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) registry.Store {
		db := openDB(t)
		return client.New(serve(t, db, ""), token(t, db, "admin", registry.ScopeAdmin), nil)
	})
}

// TestPrefix mounts the server under a path, as a reverse proxy may.
func TestPrefix(t *testing.T) {
	db := openDB(t)
	c := client.New(serve(t, db, "/registry")+"/", token(t, db, "admin", registry.ScopeAdmin), nil)
	ctx := context.Background()
	fp := "sha256:" + strings.Repeat("1", 64)
	if err := c.PutState(ctx, "app", registry.State{Fingerprint: fp, Dialect: "postgres", SQL: "SELECT 1;"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Tag(ctx, "app", "main", fp); err != nil {
		t.Fatal(err)
	}
	st, err := c.State(ctx, "app", "main")
	if err != nil || st.Fingerprint != fp {
		t.Fatalf("State = %+v, %v", st, err)
	}
	if err := c.Ready(ctx); err != nil {
		t.Error(err)
	}
}

func newPlan(name string) *registry.Plan {
	return &registry.Plan{
		Schema: "app",
		Header: plan.Header{Name: name, CreatedBy: "alice"},
		Plan: &plan.Plan{Dialect: "postgres", From: "sha256:" + strings.Repeat("1", 64), To: "sha256:" + strings.Repeat("2", 64),
			Statements: []plan.Statement{{SQL: "CREATE TABLE public.t (id integer)", Kind: "add-table", Object: "public.t"}}},
	}
}

func TestErrors(t *testing.T) {
	db := openDB(t)
	url := serve(t, db, "")
	ctx := context.Background()
	admin := client.New(url, token(t, db, "ops", registry.ScopeAdmin), nil)
	pr := client.New(url, token(t, db, "ci-pr", registry.ScopeRead, registry.ScopePlan), nil)

	_, err := pr.Plan(ctx, "app", "pr-1")
	if !errors.Is(err, registry.ErrNotFound) || !strings.Contains(err.Error(), `plan "pr-1" of schema "app"`) {
		t.Errorf("missing plan: %v", err)
	}
	if err := pr.SavePlan(ctx, newPlan("pr-1")); err != nil {
		t.Fatal(err)
	}

	// 403: the message names the scope.
	digest := newPlan("pr-1").Plan.Digest()
	_, err = pr.Approve(ctx, "app", "pr-1", registry.Approval{Digest: digest, Actor: "alice"})
	var se *client.StatusError
	if !errors.As(err, &se) || se.Code != 403 || se.Scope != registry.ScopeApprove ||
		!strings.Contains(err.Error(), `token "ci-pr" lacks the approve scope`) || !strings.Contains(err.Error(), "needs a token with the approve scope") {
		t.Errorf("approving with a plan token: %v", err)
	}
	// A status line approves nothing: the plan is stored PENDING.
	approved := newPlan("pr-2")
	approved.Header.Status = plan.Approved
	if err := pr.SavePlan(ctx, approved); err != nil {
		t.Fatal(err)
	}
	if p, err := pr.Plan(ctx, "app", "pr-2"); err != nil || p.Header.Status != plan.Pending || p.Approval != nil {
		t.Errorf("a plan file saying APPROVED reads back as %+v, %v; want PENDING", p, err)
	}

	// 409 on another digest: a *registry.DigestError naming both, as from every store.
	other := "sha256:" + strings.Repeat("e", 64)
	_, err = admin.Approve(ctx, "app", "pr-1", registry.Approval{Digest: other, Actor: "bob"})
	var de *registry.DigestError
	if !errors.As(err, &de) || de.Schema != "app" || de.Plan != "pr-1" || de.Want != other || de.Got != digest ||
		!strings.Contains(err.Error(), other) || !strings.Contains(err.Error(), digest) {
		t.Errorf("approving another digest: %v, want a DigestError naming %s and %s", err, other, digest)
	}
	// 409 on a status: a *registry.ConflictError, as from every store.
	if _, err := admin.Approve(ctx, "app", "pr-1", registry.Approval{Digest: digest, Actor: "bob"}); err != nil {
		t.Fatal(err)
	}
	_, err = admin.SetStatus(ctx, "app", "pr-1", plan.Pending, plan.Aborted, "bob", time.Time{})
	var conflict *registry.ConflictError
	if !errors.As(err, &conflict) || *conflict != (registry.ConflictError{Schema: "app", Plan: "pr-1", Want: plan.Pending, Got: plan.Approved}) {
		t.Errorf("second status change: %v", err)
	}
	if _, err := admin.SetStatus(ctx, "app", "pr-1", plan.Approved, plan.Pending, "bob", time.Time{}); err == nil ||
		!strings.Contains(err.Error(), "only moves forward") {
		t.Errorf("setting a plan back to PENDING: %v", err)
	}

	// 401: a bad or missing token.
	for _, tok := range []string{"", "sxt_wrong"} {
		_, err = client.New(url, tok, nil).Plans(ctx, "app", registry.Filter{})
		if !errors.As(err, &se) || se.Code != 401 || !strings.Contains(err.Error(), "check the registry token") {
			t.Errorf("token %q: %v", tok, err)
		}
		if tok != "" && strings.Contains(err.Error(), tok) {
			t.Errorf("the error shows the token: %v", err)
		}
	}

	// Audit and tokens through the client.
	entries, err := admin.Audit(ctx, "app", 0, 0)
	if err != nil || len(entries) != 3 || entries[0].Action != "plan.create" || entries[2].Action != "plan.approve" || entries[2].Actor != "ops" {
		t.Errorf("Audit = %+v, %v", entries, err)
	}
	secret, tok, err := admin.CreateToken(ctx, "reader", []registry.Scope{registry.ScopeRead}, []string{"app"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.New(url, secret, nil).Plan(ctx, "app", "pr-1"); err != nil {
		t.Error(err)
	}
	if err := admin.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	toks, err := admin.Tokens(ctx)
	if err != nil || len(toks) != 3 {
		t.Errorf("Tokens = %+v, %v", toks, err)
	}
	if _, err := client.New(url, secret, nil).Plan(ctx, "app", "pr-1"); err == nil || !strings.Contains(err.Error(), "revoked") {
		t.Errorf("revoked token: %v", err)
	}

	// Bad URLs fail every call.
	for _, u := range []string{"ftp://x", "https://user:pw@host", "::"} {
		if _, err := client.New(u, "t", nil).Plan(ctx, "app", "x"); err == nil || strings.Contains(err.Error(), "pw") {
			t.Errorf("client of %q: %v", u, err)
		}
	}
}

// TestNotTheRegistry reads error pages that are not the registry's JSON, as a proxy in front
// of it would send.
func TestNotTheRegistry(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream connect error\nmore", http.StatusTeapot)
	}))
	defer srv.Close()
	err := client.New(srv.URL, "t", nil).PutState(context.Background(), "app",
		registry.State{Fingerprint: "sha256:" + strings.Repeat("1", 64), Dialect: "postgres"})
	if err == nil || !strings.Contains(err.Error(), "418 I'm a teapot: upstream connect error") {
		t.Errorf("error = %v", err)
	}
}

// flaky fails the first n requests by closing their connection unanswered.
type flaky struct {
	next   http.Handler
	fail   atomic.Int32
	status int // when not 0, answer with it instead of closing
	seen   atomic.Int32
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.seen.Add(1)
	if f.fail.Add(-1) >= 0 {
		if f.status != 0 {
			w.WriteHeader(f.status)
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	f.next.ServeHTTP(w, r)
}

func TestRetries(t *testing.T) {
	db := openDB(t)
	secret := token(t, db, "ops", registry.ScopeAdmin)
	for _, status := range []int{0, http.StatusServiceUnavailable} {
		f := &flaky{next: server.New(db, server.Options{}), status: status}
		srv := httptest.NewServer(f)
		defer srv.Close()
		// New connections every time: a kept-alive connection that the server closed is
		// retried by net/http itself.
		hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		c := client.New(srv.URL, secret, hc)
		ctx := context.Background()

		f.fail.Store(2)
		if _, err := c.Plans(ctx, "app", registry.Filter{}); err != nil {
			t.Errorf("status %d: GET after 2 failures: %v", status, err)
		}
		if n := f.seen.Load(); n != 3 {
			t.Errorf("status %d: %d requests, want 3", status, n)
		}

		// Writes are not retried: the first failure is the answer.
		f.fail.Store(1)
		f.seen.Store(0)
		if err := c.SavePlan(ctx, newPlan(fmt.Sprintf("pr-%d", status))); err == nil {
			t.Errorf("status %d: a failed write succeeded", status)
		}
		if n := f.seen.Load(); n != 1 {
			t.Errorf("status %d: the write was sent %d times", status, n)
		}

		// A server that stays down: the GET gives up.
		f.fail.Store(100)
		f.seen.Store(0)
		if _, err := c.Plans(ctx, "app", registry.Filter{}); err == nil {
			t.Errorf("status %d: GET of a dead server succeeded", status)
		}
		if n := f.seen.Load(); n != 4 {
			t.Errorf("status %d: %d tries, want 4", status, n)
		}
	}
}

// TestRetryCanceled stops retrying when the context ends.
func TestRetryCanceled(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every try fails to connect
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = client.New("http://"+addr, "t", nil).Plans(ctx, "app", registry.Filter{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want the context's", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("gave up after %v", d)
	}
}
