package server_test

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
	"github.com/sextant-db/sextant/internal/registry/server"
	"github.com/sextant-db/sextant/internal/registry/sqlstore"
)

// TestMetricsUnknownMethods sends hundreds of unauthenticated requests with made-up, long
// methods, to routes and to nowhere: they are counted under method "other", so the number of
// series stays what the known requests make, and no made-up name reaches /metrics.
func TestMetricsUnknownMethods(t *testing.T) {
	e := start(t, newStore(t), server.Options{})
	series := func() []string {
		var out []string
		for l := range strings.Lines(e.call("GET", "/metrics", "", nil).must(t, 200).body) {
			if strings.HasPrefix(l, "sextant_registry_http_requests_total{") {
				out = append(out, l)
			}
		}
		return out
	}
	letters := []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	var sent []string
	for i := range 300 {
		m := make([]byte, 10<<10)
		for j := range m {
			m[j] = letters[rand.N(len(letters))]
		}
		method := string(m)
		sent = append(sent, method[:64])
		path := "/nowhere"
		if i%2 == 0 {
			path = repo + "/plans"
		}
		req, err := http.NewRequest(method, e.url+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r := e.send(req); r.code < 400 {
			t.Fatalf("a made-up method got %d", r.code)
		}
	}
	series() // the scrape is counted too, from the next one on
	got := series()
	// Two paths (a route and no route), one method label, the few status codes the server
	// answers with, and the /metrics requests themselves.
	if len(got) > 6 {
		t.Errorf("%d request series after made-up methods, want a handful:\n%s", len(got), strings.Join(got, ""))
	}
	body := strings.Join(got, "")
	if !strings.Contains(body, `method="other"`) {
		t.Errorf("no series with method other:\n%s", body)
	}
	for _, m := range sent {
		if strings.Contains(body, m) {
			t.Fatalf("a made-up method is a label: %.64s…", m)
		}
	}
	// More of the same adds no series.
	req, _ := http.NewRequest("YETANOTHERMETHOD", e.url+"/nowhere", nil)
	e.send(req)
	if n := len(series()); n != len(got) {
		t.Errorf("one more made-up method made %d series from %d", n, len(got))
	}
}

// TestRepoLimitedTokens gives an admin token limited to repo app every escalation to try:
// reading the audit log of all repos or another repo's, minting a token for every repo or
// for another repo, listing and revoking tokens beyond its repos. Each is 403 with a
// message that says why; within its repos it manages tokens as an admin does.
func TestRepoLimitedTokens(t *testing.T) {
	store := newStore(t)
	e := start(t, store, server.Options{})
	secret, _, err := server.CreateToken(context.Background(), store, "app-admin", []registry.Scope{registry.ScopeAdmin}, []string{"app"})
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["app-admin"] = secret
	e.call("PUT", repo+"/states/"+fp("1"), "ci-pr", api.PutState{Dialect: "postgres"}).must(t, 200)
	e.call("PUT", "/api/v1/repos/web/states/"+fp("1"), "ops", api.PutState{Dialect: "postgres"}).must(t, 200)
	var all api.Tokens
	e.call("GET", "/api/v1/tokens", "ops", nil).must(t, 200).json(t, &all)
	id := map[string]string{}
	for _, tok := range all.Tokens {
		id[tok.Name] = tok.ID
	}

	for _, tc := range []struct {
		what, method, path string
		body               any
		want               string
	}{
		{"audit of all repos", "GET", "/api/v1/audit", nil,
			`token "app-admin" is limited to repos app: it may not read the audit log of all repos`},
		{"audit of another repo", "GET", "/api/v1/audit?repo=web", nil, `token "app-admin" is not allowed on repo "web"`},
		{"an unrestricted token", "POST", "/api/v1/tokens", api.CreateToken{Name: "x", Scopes: []registry.Scope{"admin"}},
			"may only manage tokens limited to some of them, not a token for every repo"},
		{"a token for another repo", "POST", "/api/v1/tokens", api.CreateToken{Name: "x", Scopes: []registry.Scope{"read"}, Repos: []string{"web"}},
			`may not manage a token for repo "web"`},
		{"a token for its repo and another", "POST", "/api/v1/tokens", api.CreateToken{Name: "x", Scopes: []registry.Scope{"read"}, Repos: []string{"app", "web"}},
			`may not manage a token for repo "web"`},
		{"revoking an unrestricted admin", "DELETE", "/api/v1/tokens/" + id["ops"], nil, "not a token for every repo"},
		{"revoking another repo's token", "DELETE", "/api/v1/tokens/" + id["web-reader"], nil, `may not manage a token for repo "web"`},
		{"revoking a token that may not exist", "DELETE", "/api/v1/tokens/tok-nope", nil, `may only revoke tokens limited to some of them, and "tok-nope" is not one`},
	} {
		msg := e.call(tc.method, tc.path, "app-admin", tc.body).must(t, 403).errMsg(t)
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q, want %q in it", tc.what, msg, tc.want)
		}
	}
	// A token without admin, limited or not, manages no tokens at all; a limited reader
	// reads its repo's audit log only.
	for _, as := range []string{"ci-main", "web-reader"} {
		msg := e.call("POST", "/api/v1/tokens", as, api.CreateToken{Name: "x", Scopes: []registry.Scope{"read"}, Repos: []string{"app"}}).must(t, 403).errMsg(t)
		if !strings.Contains(msg, "lacks the admin scope") {
			t.Errorf("%s minting a token: %q", as, msg)
		}
	}
	e.call("GET", "/api/v1/audit", "web-reader", nil).must(t, 403)

	// Within its repos it is an admin: its repo's audit log, tokens for its repo, and the
	// list shows only tokens limited to it.
	var audit api.Audit
	e.call("GET", "/api/v1/audit?repo=app", "app-admin", nil).must(t, 200).json(t, &audit)
	for _, en := range audit.Entries {
		if en.Repo != "app" {
			t.Errorf("app's audit log shows %+v", en)
		}
	}
	var tc api.TokenCreated
	e.call("POST", "/api/v1/tokens", "app-admin", api.CreateToken{Name: "app-ci", Scopes: []registry.Scope{"plan", "read"}, Repos: []string{"app"}}).must(t, 201).json(t, &tc)
	var list api.Tokens
	e.call("GET", "/api/v1/tokens", "app-admin", nil).must(t, 200).json(t, &list)
	var names []string
	for _, tok := range list.Tokens {
		names = append(names, tok.Name)
	}
	slices.Sort(names)
	if want := []string{"app-admin", "app-ci", "ci-main", "ci-pr"}; !slices.Equal(names, want) {
		t.Errorf("app-admin lists tokens %v, want %v", names, want)
	}
	e.call("DELETE", "/api/v1/tokens/"+tc.ID, "app-admin", nil).must(t, 204)
	// Nothing of the refused happened: ops and web-reader still work.
	e.call("GET", "/api/v1/repos/web/states/"+fp("1"), "web-reader", nil).must(t, 200)
	e.call("GET", "/api/v1/tokens", "ops", nil).must(t, 200).json(t, &all)
	if len(all.Tokens) != len(tokenSpecs)+2 {
		t.Errorf("%d tokens after the refused requests, want %d", len(all.Tokens), len(tokenSpecs)+2)
	}
}

// TestAuditAtomic makes the database refuse audit entries: every change request fails, and
// nothing it would have changed is changed. Once entries are accepted again, every change
// has its entry.
func TestAuditAtomic(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.db")
	store, err := sqlstore.Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e := start(t, store, server.Options{})
	var p api.Plan
	e.call("PUT", repo+"/plans/pr-1", "ci-pr", api.PutPlan{PlanFile: planFile(t, "pr-1", "", fp("1"), fp("2"))}).must(t, 201).json(t, &p)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// A trigger stands for whatever can make the append fail after the change was written:
	// a full disk, a constraint, a lost connection.
	if _, err := raw.Exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit refused'); END`); err != nil {
		t.Fatal(err)
	}
	changes := []struct {
		method, path, as string
		body             any
	}{
		{"PUT", repo + "/states/" + fp("1"), "ci-pr", api.PutState{Dialect: "postgres"}},
		{"PUT", repo + "/plans/pr-2", "ci-pr", api.PutPlan{PlanFile: planFile(t, "pr-2", "", fp("1"), fp("2"))}},
		{"POST", repo + "/plans/pr-1/approve", "ci-main", api.Approve{Digest: p.Digest}},
		{"POST", repo + "/applies", "ci-main", api.Apply{Result: registry.Applied}},
		{"POST", "/api/v1/tokens", "ops", api.CreateToken{Name: "x", Scopes: []registry.Scope{"read"}}},
	}
	for _, c := range changes {
		e.call(c.method, c.path, c.as, c.body).must(t, 500)
	}
	e.call("GET", repo+"/states/"+fp("1"), "ci-pr", nil).must(t, 404)
	e.call("GET", repo+"/plans/pr-2", "ci-pr", nil).must(t, 404)
	e.call("GET", repo+"/plans/pr-1", "ci-pr", nil).must(t, 200).json(t, &p)
	if p.Status != plan.Pending || p.Approval != nil {
		t.Errorf("pr-1 was approved without an audit entry: %+v", p)
	}
	var applies api.Applies
	if e.call("GET", repo+"/applies", "ci-pr", nil).must(t, 200).json(t, &applies); len(applies.Applies) != 0 {
		t.Errorf("%d applies recorded without audit entries", len(applies.Applies))
	}
	var toks api.Tokens
	if e.call("GET", "/api/v1/tokens", "ops", nil).must(t, 200).json(t, &toks); len(toks.Tokens) != len(tokenSpecs) {
		t.Errorf("a token was created without an audit entry: %d tokens", len(toks.Tokens))
	}

	if _, err := raw.Exec(`DROP TRIGGER refuse_audit`); err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if r := e.call(c.method, c.path, c.as, c.body); r.code/100 != 2 {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.code, r.body)
		}
	}
	var audit api.Audit
	e.call("GET", "/api/v1/audit", "ops", nil).must(t, 200).json(t, &audit)
	var got []string
	for _, en := range audit.Entries {
		got = append(got, en.Action)
	}
	want := []string{"plan.create", "state.push", "plan.create", "plan.approve", "apply.record", "token.create"}
	if !slices.Equal(got, want) {
		t.Errorf("audit log %v, want %v: one entry per change, and none for the refused ones", got, want)
	}
}

// TestStatusForwardOnly drives a plan's status over HTTP: it moves only forward, ABORTED is
// final, and an approve token cannot bring an aborted plan back.
func TestStatusForwardOnly(t *testing.T) {
	e := start(t, newStore(t), server.Options{})
	var p api.Plan
	for _, name := range []string{"a", "b"} {
		e.call("PUT", repo+"/plans/"+name, "ci-pr", api.PutPlan{PlanFile: planFile(t, name, "", fp("1"), fp("2"))}).must(t, 201).json(t, &p)
	}
	digest := p.Digest
	// a: PENDING -> ABORTED, then nothing.
	e.call("POST", repo+"/plans/a/abort", "ci-main", nil).must(t, 200)
	var conflict api.Error
	e.call("POST", repo+"/plans/a/approve", "ci-main", api.Approve{Digest: digest}).must(t, 409).json(t, &conflict)
	if conflict.CurrentStatus != plan.Aborted || conflict.ExpectedStatus != plan.Pending {
		t.Errorf("approving an aborted plan: %+v", conflict)
	}
	for _, body := range []string{`{"expect": "ABORTED"}`, `{"expect": "APPROVED"}`, `{}`} {
		r := e.call("POST", repo+"/plans/a/abort", "ci-main", body)
		if r.code != 400 && r.code != 409 {
			t.Errorf("abort %s of an aborted plan: %d %s", body, r.code, r.body)
		}
	}
	e.call("PUT", repo+"/plans/a", "ci-main", api.PutPlan{PlanFile: planFile(t, "a", "", fp("1"), fp("2"))}).must(t, 409)
	// b: PENDING -> APPROVED -> ABORTED, then nothing.
	e.call("POST", repo+"/plans/b/approve", "ci-main", api.Approve{Digest: digest}).must(t, 200)
	e.call("POST", repo+"/plans/b/approve", "ci-main", api.Approve{Digest: digest}).must(t, 409)
	e.call("POST", repo+"/plans/b/abort", "ci-main", api.SetStatus{Expect: plan.Approved}).must(t, 200)
	e.call("POST", repo+"/plans/b/approve", "ci-main-2", api.Approve{Digest: digest}).must(t, 409)
	for name, want := range map[string]plan.Status{"a": plan.Aborted, "b": plan.Aborted} {
		e.call("GET", repo+"/plans/"+name, "ci-pr", nil).must(t, 200).json(t, &p)
		if p.Status != want {
			t.Errorf("plan %s is %s, want %s", name, p.Status, want)
		}
	}
	if p.Approval == nil || p.Approval.Digest != digest {
		t.Errorf("the aborted plan b lost its approval record: %+v", p.Approval)
	}
}

// TestApproveDigest approves a plan whose content changed since it was shown: 409 naming
// both digests, and the plan stays PENDING; its new content, approved by its digest, is.
func TestApproveDigest(t *testing.T) {
	e := start(t, newStore(t), server.Options{})
	var shown, now api.Plan
	e.call("PUT", repo+"/plans/pr-1", "ci-pr", api.PutPlan{PlanFile: planFile(t, "pr-1", "", fp("1"), fp("2"))}).must(t, 201).json(t, &shown)
	e.call("PUT", repo+"/plans/pr-1", "ci-pr", api.PutPlan{PlanFile: planFile(t, "pr-1", "", fp("1"), fp("3"))}).must(t, 200).json(t, &now)
	if now.Revision != 2 || now.Digest == shown.Digest {
		t.Fatalf("replaced plan: revision %d, digest %s (was %s)", now.Revision, now.Digest, shown.Digest)
	}
	var e409 api.Error
	e.call("POST", repo+"/plans/pr-1/approve", "ci-main", api.Approve{Digest: shown.Digest}).must(t, 409).json(t, &e409)
	if e409.ExpectedDigest != shown.Digest || e409.CurrentDigest != now.Digest ||
		!strings.Contains(e409.Error, shown.Digest) || !strings.Contains(e409.Error, now.Digest) {
		t.Errorf("approving a stale digest: %+v", e409)
	}
	var p api.Plan
	e.call("POST", repo+"/plans/pr-1/approve", "ci-main", api.Approve{Digest: now.Digest}).must(t, 200).json(t, &p)
	if p.Status != plan.Approved || p.Approval == nil || p.Approval.Revision != 2 || p.Approval.Digest != now.Digest {
		t.Errorf("approved plan: %+v", p)
	}
	// A running apply journals over its record; an ended one is final.
	var created api.Created
	e.call("POST", repo+"/applies", "ci-main", api.Apply{Plan: "pr-1", Digest: now.Digest, Result: registry.Running, Total: 1}).must(t, 201).json(t, &created)
	step := api.Step{First: 0, Last: 0, Fingerprint: fp("3")}
	e.call("POST", repo+"/applies", "ci-main", api.Apply{ID: created.ID, Plan: "pr-1", Digest: now.Digest, Result: registry.Applied, Total: 1,
		Statements: 1, Steps: []api.Step{step}}).must(t, 201)
	msg := e.call("POST", repo+"/applies", "ci-main", api.Apply{ID: created.ID, Result: registry.Failed}).must(t, 409).errMsg(t)
	if !strings.Contains(msg, "final") {
		t.Errorf("journaling an ended apply: %q", msg)
	}
	var applies api.Applies
	e.call("GET", repo+"/applies", "ci-pr", nil).must(t, 200).json(t, &applies)
	if len(applies.Applies) != 1 || applies.Applies[0].Result != registry.Applied || len(applies.Applies[0].Steps) != 1 ||
		applies.Applies[0].Digest != now.Digest {
		t.Errorf("applies = %+v", applies)
	}
}
