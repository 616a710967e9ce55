package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
	"github.com/sextant-db/sextant/internal/registry/server"
)

// fp returns a fingerprint made of one repeated hex digit.
func fp(digit string) string { return "sha256:" + strings.Repeat(digit, 64) }

// syncBuffer is a bytes.Buffer for a logger that handlers write to concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// env is a registry server on loopback with a token of each kind.
type env struct {
	t      *testing.T
	store  registry.ServerStore
	url    string
	log    *syncBuffer
	tokens map[string]string // name -> secret
}

// tokenSpecs are the tokens every test server has: a pull request job's, the default
// branch's, a second approver, a reader of another repo, and an admin.
var tokenSpecs = []struct {
	name   string
	scopes []registry.Scope
	repos  []string
}{
	{"ci-pr", []registry.Scope{registry.ScopeRead, registry.ScopePlan}, []string{"app"}},
	{"ci-main", []registry.Scope{registry.ScopeRead, registry.ScopePlan, registry.ScopeApprove, registry.ScopeApply}, []string{"app"}},
	{"ci-main-2", []registry.Scope{registry.ScopeApprove}, nil},
	{"web-reader", []registry.Scope{registry.ScopeRead}, []string{"web"}},
	{"ops", []registry.Scope{registry.ScopeAdmin}, nil},
}

func start(t *testing.T, store registry.ServerStore, opts server.Options) *env {
	t.Helper()
	e := &env{t: t, store: store, log: &syncBuffer{}, tokens: map[string]string{}}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewJSONHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	for _, s := range tokenSpecs {
		secret, _, err := server.CreateToken(context.Background(), store, s.name, s.scopes, s.repos)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[s.name] = secret
	}
	srv := httptest.NewServer(server.New(store, opts))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// response is an answer of the server.
type response struct {
	code   int
	header http.Header
	body   string
}

// json decodes the body into v.
func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

// errMsg returns the "error" of a JSON error body.
func (r response) errMsg(t *testing.T) string {
	t.Helper()
	var e api.Error
	r.json(t, &e)
	return e.Error
}

// call makes a request as the token called as ("" for none); a body is sent as JSON unless
// it is a string, which is sent as it is, as JSON.
func (e *env) call(method, path, as string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[as])
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) response {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{code: resp.StatusCode, header: resp.Header, body: string(b)}
}

// must fails the test unless the response has status code.
func (r response) must(t *testing.T, code int) response {
	t.Helper()
	if r.code != code {
		t.Fatalf("status %d, want %d: %s", r.code, code, r.body)
	}
	return r
}

// planFile writes a one-statement plan file.
func planFile(t *testing.T, name string, status plan.Status, from, to string) string {
	t.Helper()
	p := &plan.Plan{Dialect: "postgres", From: from, To: to, Statements: []plan.Statement{
		{SQL: "CREATE TABLE public.t (id integer)", Kind: "add-table", Object: "public.t"},
	}}
	var b bytes.Buffer
	h := plan.Header{Name: name, Status: status, CreatedAt: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC), CreatedBy: "alice",
		Context: plan.Context{PR: 7, Commit: "0123abcd"}}
	if err := p.WriteFile(&b, h); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const repo = "/api/v1/repos/app"

func TestEndpoints(t *testing.T) {
	e := start(t, newStore(t), server.Options{})

	e.call("GET", "/healthz", "", nil).must(t, 200)
	e.call("GET", "/readyz", "", nil).must(t, 200)

	// States and tags.
	var st api.State
	e.call("PUT", repo+"/states/"+fp("1"), "ci-pr", api.PutState{Dialect: "postgres", SQL: "CREATE TABLE t (id int);\n"}).must(t, 200).json(t, &st)
	if st.Fingerprint != fp("1") || st.SQL != "CREATE TABLE t (id int);\n" || st.CreatedAt.IsZero() {
		t.Errorf("pushed state = %+v", st)
	}
	e.call("PUT", repo+"/states/"+fp("2"), "ci-pr", api.PutState{Dialect: "postgres", SQL: "CREATE TABLE t (id int, b int);\n"}).must(t, 200)
	e.call("PUT", repo+"/tags/main", "ci-pr", api.PutTag{Fingerprint: fp("1")}).must(t, 200)
	e.call("GET", repo+"/states/main", "ci-pr", nil).must(t, 200).json(t, &st)
	if st.Fingerprint != fp("1") {
		t.Errorf("state main = %s, want %s", st.Fingerprint, fp("1"))
	}
	e.call("GET", repo+"/states/"+fp("2"), "ci-pr", nil).must(t, 200).json(t, &st)
	if st.Fingerprint != fp("2") || st.Dialect != "postgres" {
		t.Errorf("state by fingerprint = %+v", st)
	}
	msg := e.call("GET", repo+"/states/staging", "ci-pr", nil).must(t, 404).errMsg(t)
	if !strings.Contains(msg, `"staging"`) {
		t.Errorf("404 message %q does not name the tag", msg)
	}
	msg = e.call("PUT", repo+"/tags/main", "ci-pr", api.PutTag{Fingerprint: fp("3")}).must(t, 404).errMsg(t)
	if !strings.Contains(msg, "push the state before tagging it") {
		t.Errorf("tagging a missing state: %q", msg)
	}

	// Plans: create, replace while pending, read, pull, list.
	var p api.Plan
	e.call("PUT", repo+"/plans/pr-7", "ci-pr", api.PutPlan{PlanFile: planFile(t, "pr-7", "", fp("1"), fp("2"))}).must(t, 201).json(t, &p)
	if p.Status != plan.Pending || p.Name != "pr-7" || p.Repo != "app" || p.Statements != 1 {
		t.Errorf("created plan = %+v", p)
	}
	// A plan file without a name takes the path's.
	noName := strings.Replace(planFile(t, "pr-7", plan.Pending, fp("1"), fp("2")), "-- name: pr-7\n", "", 1)
	e.call("PUT", repo+"/plans/pr-7", "ci-pr", api.PutPlan{PlanFile: noName}).must(t, 200).json(t, &p)
	if p.Name != "pr-7" || !strings.Contains(p.PlanFile, "-- name: pr-7\n") {
		t.Errorf("replaced plan = %+v", p)
	}
	e.call("GET", repo+"/plans/pr-7", "ci-pr", nil).must(t, 200).json(t, &p)
	if p.From != fp("1") || p.To != fp("2") || p.CreatedBy != "alice" || p.PR != 7 || p.Commit != "0123abcd" {
		t.Errorf("plan = %+v", p)
	}
	file := e.call("GET", repo+"/plans/pr-7/file", "ci-pr", nil).must(t, 200)
	if ct := file.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("plan file served as %q", ct)
	}
	if file.body != p.PlanFile || !strings.HasPrefix(file.body, plan.FileMagic+"\n") {
		t.Errorf("pulled plan file:\n%s\nwant\n%s", file.body, p.PlanFile)
	}
	e.call("PUT", repo+"/plans/pr-8", "ci-pr", api.PutPlan{PlanFile: planFile(t, "pr-8", "", fp("2"), fp("3"))}).must(t, 201)
	for query, want := range map[string][]string{
		"":                 {"pr-7", "pr-8"},
		"?from=" + fp("1"): {"pr-7"},
		"?to=" + fp("3"):   {"pr-8"},
		"?status=PENDING":  {"pr-7", "pr-8"},
		"?status=APPROVED": nil,
		"?from=" + fp("2") + "&to=" + fp("3") + "&status=PENDING": {"pr-8"},
	} {
		var list api.Plans
		e.call("GET", repo+"/plans"+query, "ci-pr", nil).must(t, 200).json(t, &list)
		var names []string
		for _, p := range list.Plans {
			names = append(names, p.Name)
			if p.PlanFile == "" {
				t.Errorf("listed plan %s without its plan file", p.Name)
			}
		}
		if fmt.Sprint(names) != fmt.Sprint(want) {
			t.Errorf("plans%s = %v, want %v", query, names, want)
		}
	}

	// Approve (the body's digest is what was reviewed, its actor the approver) and abort (no
	// body at all).
	e.call("GET", repo+"/plans/pr-7", "ci-pr", nil).must(t, 200).json(t, &p)
	if p.Digest == "" || !strings.Contains(p.PlanFile, "-- digest: "+p.Digest+"\n") || p.Revision != 1 || p.Approval != nil {
		t.Errorf("plan before approval = %+v", p)
	}
	digest7 := p.Digest
	e.call("POST", repo+"/plans/pr-7/approve", "ci-main", api.Approve{Digest: digest7, Actor: "bob",
		Context: api.Context{PR: 7, Commit: "abc123"}}).must(t, 200).json(t, &p)
	if p.Status != plan.Approved || p.ApprovedBy != "bob" || p.ApprovedAt.IsZero() || !strings.Contains(p.PlanFile, "-- approved-by: bob\n") ||
		p.Approval == nil || p.Approval.Digest != digest7 || p.Approval.Revision != 1 || p.Approval.Actor != "bob" || p.Approval.Context.Commit != "abc123" {
		t.Errorf("approved plan = %+v", p)
	}
	e.call("POST", repo+"/plans/pr-8/abort", "ci-main", nil).must(t, 200).json(t, &p)
	if p.Status != plan.Aborted {
		t.Errorf("aborted plan = %+v", p)
	}
	// A plan approved without an actor names the token.
	e.call("PUT", repo+"/plans/pr-9", "ci-pr", api.PutPlan{PlanFile: planFile(t, "pr-9", "", fp("2"), fp("3"))}).must(t, 201).json(t, &p)
	e.call("POST", repo+"/plans/pr-9/approve", "ci-main", api.Approve{Digest: p.Digest}).must(t, 200).json(t, &p)
	if p.ApprovedBy != "ci-main" {
		t.Errorf("approved by %q, want the token's name", p.ApprovedBy)
	}
	// An approved plan is not replaced.
	r := e.call("PUT", repo+"/plans/pr-7", "ci-main", api.PutPlan{PlanFile: planFile(t, "pr-7", "", fp("1"), fp("3"))}).must(t, 409)
	var conflict api.Error
	r.json(t, &conflict)
	if conflict.CurrentStatus != plan.Approved || conflict.ExpectedStatus != plan.Pending || !strings.Contains(conflict.Error, "is APPROVED, not PENDING") {
		t.Errorf("replacing an approved plan: %+v", conflict)
	}
	// A plan file saying APPROVED is stored PENDING: a status line approves nothing, so a
	// plan token may send one.
	p = api.Plan{}
	e.call("PUT", repo+"/plans/imported", "ci-pr", api.PutPlan{PlanFile: planFile(t, "imported", plan.Approved, fp("3"), fp("4"))}).must(t, 201).json(t, &p)
	if p.Status != plan.Pending || p.Approval != nil {
		t.Errorf("a plan file saying APPROVED was stored as %s, %+v", p.Status, p.Approval)
	}

	// Applies.
	started := time.Date(2025, 5, 3, 10, 0, 0, 0, time.UTC)
	var created api.Created
	e.call("POST", repo+"/applies", "ci-main", api.Apply{Plan: "pr-7", From: fp("1"), To: fp("2"), Target: "db:5432/app",
		Started: started, DurationMS: 1500, Statements: 1, Total: 1, Result: registry.Applied}).must(t, 201).json(t, &created)
	if created.ID == "" {
		t.Error("no apply ID")
	}
	var applies api.Applies
	e.call("GET", repo+"/applies", "ci-pr", nil).must(t, 200).json(t, &applies)
	if len(applies.Applies) != 1 || applies.Applies[0].ID != created.ID || applies.Applies[0].Actor != "" ||
		applies.Applies[0].DurationMS != 1500 || !applies.Applies[0].Started.Equal(started) {
		t.Errorf("applies = %+v", applies)
	}

	// Tokens.
	var tc api.TokenCreated
	e.call("POST", "/api/v1/tokens", "ops", api.CreateToken{Name: "ci-web", Scopes: []registry.Scope{"plan", "read", "plan"}, Repos: []string{"web"}}).must(t, 201).json(t, &tc)
	if !strings.HasPrefix(tc.Secret, server.SecretPrefix) || tc.ID == "" || fmt.Sprint(tc.Scopes) != "[plan read]" {
		t.Errorf("created token = %+v", tc)
	}
	e.tokens["ci-web"] = tc.Secret
	e.call("GET", "/api/v1/repos/web/plans", "ci-web", nil).must(t, 200)
	var toks api.Tokens
	e.call("GET", "/api/v1/tokens", "ops", nil).must(t, 200).json(t, &toks)
	if len(toks.Tokens) != len(tokenSpecs)+1 || strings.Contains(e.call("GET", "/api/v1/tokens", "ops", nil).body, tc.Secret) {
		t.Errorf("tokens = %+v", toks)
	}
	e.call("DELETE", "/api/v1/tokens/"+tc.ID, "ops", nil).must(t, 204)
	e.call("DELETE", "/api/v1/tokens/"+tc.ID, "ops", nil).must(t, 204) // twice is fine
	e.call("DELETE", "/api/v1/tokens/tok-nope", "ops", nil).must(t, 404)
	msg = e.call("GET", "/api/v1/repos/web/plans", "ci-web", nil).must(t, 401).errMsg(t)
	if !strings.Contains(msg, "revoked") {
		t.Errorf("revoked token: %q", msg)
	}

	// The audit log: everything above, by token name.
	var audit api.Audit
	e.call("GET", "/api/v1/audit", "ops", nil).must(t, 200).json(t, &audit)
	var got []string
	for _, en := range audit.Entries {
		got = append(got, en.Actor+" "+en.Action+" "+en.Object)
	}
	want := []string{
		"ci-pr state.push " + fp("1"), "ci-pr state.push " + fp("2"), "ci-pr tag.set main",
		"ci-pr plan.create pr-7", "ci-pr plan.replace pr-7", "ci-pr plan.create pr-8",
		"ci-main plan.approve pr-7", "ci-main plan.abort pr-8", "ci-pr plan.create pr-9", "ci-main plan.approve pr-9",
		"ci-pr plan.create imported", "ci-main apply.record " + created.ID,
		"ops token.create " + tc.ID, "ops token.revoke " + tc.ID, "ops token.revoke " + tc.ID,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := audit.Entries[6].Detail; d != "PENDING -> APPROVED, "+digest7+" revision 1 as bob" {
		t.Errorf("approval's audit detail = %q", d)
	}
	// Paging, and one repo's log with read on it.
	e.call("GET", fmt.Sprintf("/api/v1/audit?after=%d&limit=2", audit.Entries[1].ID), "ops", nil).must(t, 200).json(t, &audit)
	if len(audit.Entries) != 2 || audit.Entries[0].Action != "tag.set" || audit.Next != fmt.Sprint(audit.Entries[1].ID) {
		t.Errorf("audit page = %+v", audit)
	}
	e.call("GET", "/api/v1/audit?repo=app", "ci-pr", nil).must(t, 200).json(t, &audit)
	if len(audit.Entries) != 12 {
		t.Errorf("audit of app has %d entries, want 12", len(audit.Entries))
	}
}

func TestAuth(t *testing.T) {
	e := start(t, newStore(t), server.Options{})
	e.call("PUT", repo+"/plans/pr-1", "ci-pr", api.PutPlan{PlanFile: planFile(t, "pr-1", "", fp("1"), fp("2"))}).must(t, 201)

	for _, tc := range []struct {
		name   string
		header string // the Authorization header
		want   string
	}{
		{"missing", "", "missing Authorization header"},
		{"not bearer", "Basic dXNlcjpwYXNz", `not "Bearer <token>"`},
		{"empty bearer", "Bearer ", `not "Bearer <token>"`},
		{"unknown", "Bearer sxt_nope", "unknown token"},
	} {
		req, _ := http.NewRequest("GET", e.url+repo+"/plans", nil)
		if tc.header != "" {
			req.Header.Set("Authorization", tc.header)
		}
		r := e.send(req).must(t, 401)
		if got := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", tc.name, got)
		}
		if msg := r.errMsg(t); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q, want %q in it", tc.name, msg, tc.want)
		}
	}

	for _, tc := range []struct {
		what, method, path, as string
		body                   any
		want                   string
	}{
		{"plan token approves", "POST", repo + "/plans/pr-1/approve", "ci-pr", nil,
			`token "ci-pr" lacks the approve scope on repo "app" (it has: read, plan)`},
		{"plan token aborts", "POST", repo + "/plans/pr-1/abort", "ci-pr", nil, "lacks the approve scope"},
		{"plan token records an apply", "POST", repo + "/applies", "ci-pr", api.Apply{Result: registry.Applied}, "lacks the apply scope"},
		{"approver pushes a state", "PUT", repo + "/states/" + fp("1"), "ci-main-2", api.PutState{Dialect: "postgres"}, "lacks the plan scope"},
		{"another repo", "GET", "/api/v1/repos/web/plans", "ci-pr", nil, `token "ci-pr" is not allowed on repo "web" (its repos: app)`},
		{"reader of another repo", "GET", repo + "/plans/pr-1", "web-reader", nil, `not allowed on repo "app"`},
		{"global audit", "GET", "/api/v1/audit", "ci-main", nil, "lacks the admin scope"},
		{"audit of another repo", "GET", "/api/v1/audit?repo=app", "web-reader", nil, `not allowed on repo "app"`},
		{"token list", "GET", "/api/v1/tokens", "ci-main", nil, "lacks the admin scope"},
		{"token create", "POST", "/api/v1/tokens", "ci-main-2", api.CreateToken{Name: "x", Scopes: []registry.Scope{"admin"}}, "lacks the admin scope"},
		{"token revoke", "DELETE", "/api/v1/tokens/tok-1", "ci-pr", nil, "lacks the admin scope"},
	} {
		msg := e.call(tc.method, tc.path, tc.as, tc.body).must(t, 403).errMsg(t)
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q, want %q in it", tc.what, msg, tc.want)
		}
	}
	// Nothing of that happened.
	var p api.Plan
	e.call("GET", repo+"/plans/pr-1", "ci-pr", nil).must(t, 200).json(t, &p)
	if p.Status != plan.Pending {
		t.Errorf("pr-1 is %s", p.Status)
	}
	e.call("GET", repo+"/plans/pr-2", "ci-pr", nil).must(t, 404)
}

// TestApproveRace approves one plan from two tokens at once over HTTP: one wins, the other
// gets 409 naming the status the winner set.
func TestApproveRace(t *testing.T) {
	e := start(t, newStore(t), server.Options{})
	for i := range 5 {
		name := fmt.Sprintf("pr-%d", i)
		var p api.Plan
		e.call("PUT", repo+"/plans/"+name, "ci-pr", api.PutPlan{PlanFile: planFile(t, name, "", fp("1"), fp("2"))}).must(t, 201).json(t, &p)
		digest := p.Digest
		var (
			wg    sync.WaitGroup
			codes [2]response
			start = make(chan struct{})
		)
		for j, as := range []string{"ci-main", "ci-main-2"} {
			wg.Go(func() {
				<-start
				codes[j] = e.call("POST", repo+"/plans/"+name+"/approve", as, api.Approve{Digest: digest})
			})
		}
		close(start)
		wg.Wait()
		if codes[0].code+codes[1].code != 200+409 {
			t.Fatalf("%s: statuses %d and %d, want 200 and 409", name, codes[0].code, codes[1].code)
		}
		loser := codes[0]
		if loser.code == 200 {
			loser = codes[1]
		}
		var conflict api.Error
		loser.json(t, &conflict)
		if conflict.CurrentStatus != plan.Approved || !strings.Contains(conflict.Error, "plan app/"+name+" is APPROVED, not PENDING") {
			t.Errorf("%s: conflict %+v", name, conflict)
		}
	}
}

func TestBadRequests(t *testing.T) {
	e := start(t, newStore(t), server.Options{MaxBody: 1 << 10})
	put := repo + "/states/" + fp("1")
	for _, tc := range []struct {
		what, method, path, body string
		code                     int
		want                     string
	}{
		{"malformed JSON", "PUT", put, "{\n  \"dialect\": \"postgres\",\n  \"sql\" \"x\"\n}", 400, "malformed JSON at line 3, column 9"},
		{"truncated JSON", "PUT", put, `{"dialect": "postgres"`, 400, "the body ends inside the object"},
		{"unknown field", "PUT", put, `{"dialect": "postgres", "sql": "", "owner": "me"}`, 400, `unknown field "owner" (known: dialect, sql, created_at)`},
		{"wrong type", "PUT", put, `{"dialect": 5}`, 400, `field "dialect" at line 1`},
		{"two objects", "PUT", put, `{"dialect": "postgres"} {}`, 400, "data after the object"},
		{"empty body", "PUT", put, ``, 400, "empty body: want a JSON object with dialect, sql, created_at"},
		{"no dialect", "PUT", put, `{"sql": "x"}`, 400, `missing field "dialect"`},
		{"oversized", "PUT", put, `{"dialect": "postgres", "sql": "` + strings.Repeat("x", 2<<10) + `"}`, 413, "request body larger than 1024 bytes"},
		{"bad fingerprint", "PUT", repo + "/states/sha256:abc", `{"dialect": "postgres"}`, 400, `bad fingerprint "sha256:abc"`},
		{"bad repo", "GET", "/api/v1/repos/-x/plans", "", 400, `bad repo name "-x"`},
		{"bad plan file", "PUT", repo + "/plans/pr-1", `{"plan_file": "-- sextant plan\n-- name: pr-1\n-- color: red\n"}`, 400,
			`bad plan file: plan_file:3: unknown header key "color"`},
		{"not a plan file", "PUT", repo + "/plans/pr-1", `{"plan_file": "SELECT 1;"}`, 400, "plan_file:1: not a plan file"},
		{"plan file of another name", "PUT", repo + "/plans/pr-2", mustJSON(t, api.PutPlan{PlanFile: planFile(t, "pr-1", "", fp("1"), fp("2"))}), 400,
			`the plan file's header names plan "pr-1", the path "pr-2"`},
		{"unknown query parameter", "GET", repo + "/plans?state=PENDING", "", 400, `unknown query parameter "state" (known: from, to, status, limit, cursor)`},
		{"bad plans limit", "GET", repo + "/plans?limit=1001", "", 400, "limit=\"1001\": want 1 to 1000"},
		{"bad cursor", "GET", repo + "/plans?cursor=nonsense", "", 400, "bad cursor"},
		{"cursor of another list", "GET", repo + "/applies?cursor=cGxhbnMKMQp4", "", 400, "not a cursor of the applies list"},
		{"unknown status filter", "GET", repo + "/plans?status=DONE", "", 400, `unknown status "DONE"`},
		{"unknown expect", "POST", repo + "/plans/pr-1/abort", `{"expect": "DONE"}`, 400, `unknown status "DONE" in expect`},
		{"approve without a digest", "POST", repo + "/plans/pr-1/approve", `{"actor": "bob"}`, 400,
			`missing field "digest": an approval binds the digest of the plan content that was reviewed`},
		{"approve without a body", "POST", repo + "/plans/pr-1/approve", ``, 400, "empty body: want a JSON object with digest"},
		{"approve with a bad digest", "POST", repo + "/plans/pr-1/approve", `{"digest": "sha256:abc"}`, 400, `bad digest "sha256:abc"`},
		{"approve with expect", "POST", repo + "/plans/pr-1/approve", `{"expect": "ABORTED"}`, 400, `unknown field "expect"`},
		{"abort an aborted plan", "POST", repo + "/plans/pr-1/abort", `{"expect": "ABORTED"}`, 400, "only moves forward"},
		{"bad audit limit", "GET", "/api/v1/audit?limit=0", "", 400, "limit=\"0\": want 1 to 1000"},
		{"bad token request", "POST", "/api/v1/tokens", `{"name": "x", "scopes": ["write"]}`, 400, `unknown scope "write"`},
		{"apply result", "POST", repo + "/applies", `{"result": "done"}`, 400, `unknown result "done"`},
		{"no such endpoint", "GET", "/api/v1/nothing", "", 404, "no such endpoint: GET /api/v1/nothing"},
		{"wrong method", "DELETE", repo + "/plans/pr-1", "", 405, "DELETE is not allowed on /api/v1/repos/app/plans/pr-1 (allowed: [GET PUT])"},
	} {
		req, err := http.NewRequest(tc.method, e.url+tc.path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.tokens["ops"])
		r := e.send(req)
		if r.code != tc.code {
			t.Errorf("%s: status %d, want %d: %s", tc.what, r.code, tc.code, r.body)
			continue
		}
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", tc.what, ct)
		}
		if msg := r.errMsg(t); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q, want %q in it", tc.what, msg, tc.want)
		}
	}

	// A JSON body must say it is one.
	req, _ := http.NewRequest("PUT", e.url+put, strings.NewReader(`{"dialect": "postgres"}`))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Authorization", "Bearer "+e.tokens["ops"])
	if msg := e.send(req).must(t, 415).errMsg(t); !strings.Contains(msg, "application/json") {
		t.Errorf("415: %q", msg)
	}
	// Nothing was stored.
	e.call("GET", repo+"/states/"+fp("1"), "ops", nil).must(t, 404)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadyz(t *testing.T) {
	store := downStore{ServerStore: newStore(t), err: fmt.Errorf("dial tcp db.internal:5432: connection refused")}
	e := start(t, store, server.Options{})
	r := e.call("GET", "/readyz", "", nil).must(t, 503)
	if strings.Contains(r.body, "db.internal") {
		t.Errorf("readyz shows the store's error to anyone: %s", r.body)
	}
	if !strings.Contains(e.log.String(), "db.internal") {
		t.Error("the store's error is not in the log")
	}
	e.call("GET", "/healthz", "", nil).must(t, 200)
}

func TestMetrics(t *testing.T) {
	e := start(t, newStore(t), server.Options{})
	e.call("GET", repo+"/plans/pr-1", "ci-pr", nil).must(t, 404)
	e.call("GET", repo+"/plans/pr-1", "ci-pr", nil).must(t, 404)
	e.call("GET", repo+"/plans", "", nil).must(t, 401)
	e.call("GET", "/nothing", "", nil).must(t, 404)
	body := e.call("GET", "/metrics", "", nil).must(t, 200).body
	for _, want := range []string{
		`sextant_registry_http_requests_total{code="404",method="GET",route="/api/v1/repos/{repo}/plans/{name}"} 2`,
		`sextant_registry_http_requests_total{code="401",method="GET",route="/api/v1/repos/{repo}/plans"} 1`,
		`sextant_registry_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`sextant_registry_http_request_duration_seconds_count{route="/api/v1/repos/{repo}/plans/{name}"} 2`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `repo="app"`) || strings.Contains(body, "pr-1") {
		t.Error("/metrics names a repo or plan")
	}
}

// TestLogs checks the request log: one JSON line per request with the route, status and
// token name, and never a secret, even one sent with a failing request or handed out.
func TestLogs(t *testing.T) {
	e := start(t, newStore(t), server.Options{})
	e.call("PUT", repo+"/states/"+fp("1"), "ci-pr", api.PutState{Dialect: "postgres"}).must(t, 200)
	e.call("POST", repo+"/plans/x/approve", "ci-pr", nil).must(t, 403)
	var tc api.TokenCreated
	e.call("POST", "/api/v1/tokens", "ops", api.CreateToken{Name: "new", Scopes: []registry.Scope{"read"}}).must(t, 201).json(t, &tc)
	req, _ := http.NewRequest("GET", e.url+repo+"/plans", nil)
	req.Header.Set("Authorization", "Bearer sxt_wrong-secret-value")
	e.send(req).must(t, 401)

	logs := e.log.String()
	for name, secret := range e.tokens {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds the secret of %s", name)
		}
	}
	for _, bad := range []string{tc.Secret, "sxt_wrong-secret-value", "Bearer", "Authorization"} {
		if strings.Contains(logs, bad) {
			t.Errorf("the log holds %q", bad)
		}
	}
	var lines []map[string]any
	for l := range strings.Lines(logs) {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 4 {
		t.Fatalf("%d request lines, want 4:\n%s", len(lines), logs)
	}
	l := lines[0]
	if l["method"] != "PUT" || l["route"] != "/api/v1/repos/{repo}/states/{fingerprint}" || l["status"] != 200.0 ||
		l["token"] != "ci-pr" || l["request_id"] == "" || l["duration"] == nil {
		t.Errorf("request log line = %v", l)
	}
	if lines[1]["status"] != 403.0 || lines[1]["token"] != "ci-pr" {
		t.Errorf("403 log line = %v", lines[1])
	}
	if _, ok := lines[3]["token"]; ok {
		t.Errorf("a request with an unknown token is logged with a token name: %v", lines[3])
	}
}

func TestCreateToken(t *testing.T) {
	store := newStore(t)
	ctx := context.Background()
	secret, tok, err := server.CreateToken(ctx, store, "ci-main", []registry.Scope{"approve", "read", "approve"}, []string{"app", "app"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, server.SecretPrefix) || len(secret) < 40 {
		t.Errorf("secret %q", secret)
	}
	got, err := store.TokenByHash(ctx, server.HashSecret(secret))
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tok.ID || got.Name != "ci-main" || fmt.Sprint(got.Scopes) != "[approve read]" || fmt.Sprint(got.Repos) != "[app]" {
		t.Errorf("stored token = %+v", got)
	}
	secret2, tok2, err := server.CreateToken(ctx, store, "ci-main", []registry.Scope{"read"}, nil)
	if err != nil || secret2 == secret || tok2.ID == tok.ID {
		t.Errorf("a second token: %v, same secret or ID", err)
	}
	for _, bad := range []struct {
		name   string
		scopes []registry.Scope
		repos  []string
		want   string
	}{
		{"", []registry.Scope{"read"}, nil, `bad token name ""`},
		{"a b", []registry.Scope{"read"}, nil, `bad token name "a b"`},
		{"x", nil, nil, "no scopes"},
		{"x", []registry.Scope{"write"}, nil, `unknown scope "write"`},
		{"x", []registry.Scope{"read"}, []string{"../etc"}, `bad repo name "../etc"`},
	} {
		if _, _, err := server.CreateToken(ctx, store, bad.name, bad.scopes, bad.repos); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("CreateToken(%q, %v, %v) = %v, want %q", bad.name, bad.scopes, bad.repos, err, bad.want)
		}
	}
}

// slowStore holds Plan calls until release is closed, to keep a request in flight.
type slowStore struct {
	registry.ServerStore
	entered chan struct{}
	release chan struct{}
}

func (s *slowStore) Plan(ctx context.Context, schema, name string) (*registry.Plan, error) {
	s.entered <- struct{}{}
	<-s.release
	return s.ServerStore.Plan(ctx, schema, name)
}

// TestGracefulShutdown ends Serve's context while a request is in flight: the request
// finishes with its answer, new connections are refused, and Serve returns nil.
func TestGracefulShutdown(t *testing.T) {
	store := &slowStore{ServerStore: newStore(t), entered: make(chan struct{}, 1), release: make(chan struct{})}
	secret, _, err := server.CreateToken(context.Background(), store, "reader", []registry.Scope{"read"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &syncBuffer{}
	served := make(chan error, 1)
	go func() {
		served <- server.Serve(ctx, ln, server.New(store, server.Options{}), slog.New(slog.NewTextHandler(log, nil)))
	}()

	url := "http://" + ln.Addr().String()
	answered := make(chan response, 1)
	go func() {
		req, _ := http.NewRequest("GET", url+repo+"/plans/pr-1", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- response{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answered <- response{code: resp.StatusCode, body: string(b)}
	}()
	<-store.entered // the request is in the handler
	cancel()
	// Shutdown closes the listener first; then the request may finish.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener still accepts connections after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v with a request in flight", err)
	default:
	}
	close(store.release)
	if r := <-answered; r.code != 404 || !strings.Contains(r.body, "pr-1") {
		t.Errorf("the request in flight got %d %s, want its 404", r.code, r.body)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v, want nil after a graceful shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
	if !strings.Contains(log.String(), "registry server stopped") {
		t.Errorf("log:\n%s", log.String())
	}
}

// TestShutdownDeadline cuts a request that outlives the grace period, and says so.
func TestShutdownDeadline(t *testing.T) {
	store := &slowStore{ServerStore: newStore(t), entered: make(chan struct{}, 1), release: make(chan struct{})}
	defer close(store.release)
	secret, _, err := server.CreateToken(context.Background(), store, "reader", []registry.Scope{"read"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- server.Timeouts{Shutdown: 100 * time.Millisecond}.Serve(ctx, ln, server.New(store, server.Options{}), nil)
	}()
	go func() {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+repo+"/plans/pr-1", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	<-store.entered
	cancel()
	if err := <-served; err == nil || !strings.Contains(err.Error(), "requests still running after 100ms") {
		t.Errorf("Serve = %v, want a shutdown deadline error", err)
	}
}
