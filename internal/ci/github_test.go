package ci

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/ci/githubfake"
)

// The GitHub tests run against fakeGitHub, an httptest server on loopback that answers the REST
// calls go-github makes with the shapes GitHub's API documents, under /api/v3 as on GitHub
// Enterprise Server. Nothing talks to the network.

const (
	testToken  = githubfake.Token
	testMarker = "<!-- sextant:plan app -->"
)

func newFakeGitHub(t *testing.T) *githubfake.Server { return githubfake.New(t) }

// githubEnv is the environment of a GitHub Actions job for event (a payload in
// testdata/github), with fresh output and summary files; extra overrides it.
func githubEnv(t *testing.T, event string, extra map[string]string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_EVENT_NAME":   event,
		"GITHUB_REPOSITORY":   "acme/shop",
		"GITHUB_ACTOR":        "ada",
		"GITHUB_SERVER_URL":   "https://ghe.example.com",
		"GITHUB_API_URL":      "https://ghe.example.com/api/v3",
		"GITHUB_RUN_ID":       "9876543210",
		"GITHUB_RUN_ATTEMPT":  "1",
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
	}
	switch event {
	case "pull_request":
		env["GITHUB_EVENT_PATH"] = filepath.Join("testdata", "github", "pull_request.json")
		env["GITHUB_REF"] = "refs/pull/42/merge"
		env["GITHUB_HEAD_REF"] = "add-shipped-at"
		env["GITHUB_BASE_REF"] = "main"
		env["GITHUB_SHA"] = "aaaabbbbccccddddeeeeffff0000111122223333"
	case "push":
		env["GITHUB_EVENT_PATH"] = filepath.Join("testdata", "github", "push.json")
		env["GITHUB_REF"] = "refs/heads/main"
		env["GITHUB_SHA"] = "c0ffee0000000000000000000000000000000042"
	}
	for k, v := range extra {
		if v == "" {
			delete(env, k)
			continue
		}
		env[k] = v
	}
	return env
}

// reviewFor returns the GitHub review of a pull_request job pointed at f.
func reviewFor(t *testing.T, f *githubfake.Server, event string, extra map[string]string) Review {
	t.Helper()
	env := githubEnv(t, event, map[string]string{
		"GITHUB_API_URL": f.APIURL(),
		"GITHUB_TOKEN":   githubfake.Token,
	})
	for k, v := range extra {
		env[k] = v
	}
	rev, err := NewGitHub(envOf(env), &bytes.Buffer{}).Review(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rev == nil {
		t.Fatal("Review() = nil with a token")
	}
	return rev
}

func TestGitHubUpsertUpdatesMarkedCommentOnLaterPage(t *testing.T) {
	f := newFakeGitHub(t)
	// 150 comments, 100 a page: the sticky comment is the 121st, on page 2.
	marked := f.Seed(42, 150, 120, testMarker+"\n### Plan\nold statements")
	rev := reviewFor(t, f, "pull_request", nil)

	body := testMarker + "\n### Plan\nnew statements"
	url, err := rev.Upsert(context.Background(), 42, testMarker, body)
	if err != nil {
		t.Fatal(err)
	}
	if url != marked.HTMLURL {
		t.Errorf("Upsert() URL = %q, want the marked comment's %q", url, marked.HTMLURL)
	}
	wantRequests := []string{
		"GET /repos/acme/shop/issues/42/comments?per_page=100",
		"GET /repos/acme/shop/issues/42/comments?page=2&per_page=100",
		fmt.Sprintf("PATCH /repos/acme/shop/issues/comments/%d", marked.ID),
	}
	assertRequests(t, f.TakeRequests(), wantRequests)

	comments := f.CommentsOf(42)
	if len(comments) != 150 {
		t.Fatalf("%d comments after the update, want 150 (updated in place)", len(comments))
	}
	if comments[120].Body != body {
		t.Fatalf("marked comment body = %q, want %q", comments[120].Body, body)
	}
}

func TestGitHubUpsertStopsListingAtMarker(t *testing.T) {
	f := newFakeGitHub(t)
	marked := f.Seed(42, 150, 3, testMarker+"\nold")
	rev := reviewFor(t, f, "pull_request", nil)
	if _, err := rev.Upsert(context.Background(), 42, testMarker, testMarker+"\nnew"); err != nil {
		t.Fatal(err)
	}
	assertRequests(t, f.TakeRequests(), []string{
		"GET /repos/acme/shop/issues/42/comments?per_page=100",
		fmt.Sprintf("PATCH /repos/acme/shop/issues/comments/%d", marked.ID),
	})
}

func TestGitHubUpsertCreatesWithoutMarker(t *testing.T) {
	f := newFakeGitHub(t)
	f.Seed(42, 150, -1, "")
	// Another schema's sticky comment is not this one's.
	f.Seed(42, 1, 0, "<!-- sextant:plan billing -->\nplan")
	rev := reviewFor(t, f, "pull_request", nil)

	body := testMarker + "\n### Plan\nALTER TABLE orders ADD COLUMN shipped_at timestamptz;"
	url, err := rev.Upsert(context.Background(), 42, testMarker, body)
	if err != nil {
		t.Fatal(err)
	}
	assertRequests(t, f.TakeRequests(), []string{
		"GET /repos/acme/shop/issues/42/comments?per_page=100",
		"GET /repos/acme/shop/issues/42/comments?page=2&per_page=100",
		"POST /repos/acme/shop/issues/42/comments",
	})
	comments := f.CommentsOf(42)
	if len(comments) != 152 {
		t.Fatalf("%d comments, want 152", len(comments))
	}
	created := comments[151]
	if created.Body != body || url != created.HTMLURL {
		t.Fatalf("created %+v, URL %q; want body %q and its URL", created, url, body)
	}

	// The next run finds what this one created.
	if _, err := rev.Upsert(context.Background(), 42, testMarker, body+"\n-- edited"); err != nil {
		t.Fatal(err)
	}
	reqs := f.TakeRequests()
	if last := reqs[len(reqs)-1]; last != fmt.Sprintf("PATCH /repos/acme/shop/issues/comments/%d", created.ID) {
		t.Fatalf("second run ended with %q, want a PATCH of comment %d", last, created.ID)
	}
	if n := len(f.CommentsOf(42)); n != 152 {
		t.Fatalf("%d comments after the second run, want 152", n)
	}
}

func TestGitHubUpsertOnEmptyPullRequest(t *testing.T) {
	f := newFakeGitHub(t)
	rev := reviewFor(t, f, "pull_request", nil)
	if _, err := rev.Upsert(context.Background(), 42, testMarker, testMarker+"\nplan"); err != nil {
		t.Fatal(err)
	}
	assertRequests(t, f.TakeRequests(), []string{
		"GET /repos/acme/shop/issues/42/comments?per_page=100",
		"POST /repos/acme/shop/issues/42/comments",
	})
}

func TestGitHubUpsertIdenticalBodyWritesNothing(t *testing.T) {
	f := newFakeGitHub(t)
	body := testMarker + "\n### Plan\nno changes"
	// GitHub may hand the body back with CRLF line ends; that is still the same comment.
	marked := f.Seed(42, 150, 140, strings.ReplaceAll(body, "\n", "\r\n"))
	rev := reviewFor(t, f, "pull_request", nil)

	url, err := rev.Upsert(context.Background(), 42, testMarker, body)
	if err != nil {
		t.Fatal(err)
	}
	if url != marked.HTMLURL {
		t.Errorf("Upsert() URL = %q, want %q", url, marked.HTMLURL)
	}
	for _, r := range f.TakeRequests() {
		if !strings.HasPrefix(r, "GET ") {
			t.Errorf("identical body: unexpected write %s", r)
		}
	}
}

func TestGitHubUpsertAddsMissingMarker(t *testing.T) {
	f := newFakeGitHub(t)
	rev := reviewFor(t, f, "pull_request", nil)
	if _, err := rev.Upsert(context.Background(), 42, testMarker, "### Plan"); err != nil {
		t.Fatal(err)
	}
	if got := f.CommentsOf(42); len(got) != 1 || !strings.Contains(got[0].Body, testMarker) {
		t.Fatalf("comments = %+v, want one carrying the marker", got)
	}
	if _, err := rev.Upsert(context.Background(), 42, "", "body"); err == nil {
		t.Fatal("Upsert with an empty marker: no error")
	}
}

func TestGitHubUpsertPermissionErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		seeded  bool // a marked comment exists, so the write is a PATCH
		method  string
		status  int
		message string
	}{
		{"403 on create", false, "POST", http.StatusForbidden, "Resource not accessible by integration"},
		{"403 on update", true, "PATCH", http.StatusForbidden, "Must have admin rights to Repository."},
		{"404 on create", false, "POST", http.StatusNotFound, "Not Found"},
		{"403 on list", false, "GET", http.StatusForbidden, "Resource not accessible by integration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGitHub(t)
			if tc.seeded {
				f.Seed(42, 3, 1, testMarker+"\nold")
			}
			rev := reviewFor(t, f, "pull_request", nil)
			f.FailNext(tc.method, tc.status, tc.message)

			_, err := rev.Upsert(context.Background(), 42, testMarker, testMarker+"\nnew")
			var perr *PermissionError
			if !errors.As(err, &perr) {
				t.Fatalf("Upsert() error = %v (%T), want *PermissionError", err, err)
			}
			for _, want := range []string{
				"permissions:\n  contents: read\n  pull-requests: write\n",
				"fork",
				"pull_request_target",
			} {
				if !strings.Contains(perr.Hint, want) {
					t.Errorf("Hint lacks %q:\n%s", want, perr.Hint)
				}
			}
			if !strings.Contains(err.Error(), tc.message) || !strings.Contains(err.Error(), "pull request #42") {
				t.Errorf("error %q does not say what failed and why", err)
			}
		})
	}
}

func TestGitHubUpsertOtherErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		method string
		status int
		header map[string]string
	}{
		// A pull request the token can read nothing of is not a missing permission to write.
		{"404 on list", "GET", http.StatusNotFound, nil},
		{"500 on create", "POST", http.StatusInternalServerError, nil},
		// A rate limit is a 403 too, but granting permissions will not help.
		{"rate limited", "POST", http.StatusForbidden, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "1000", "X-RateLimit-Reset": "4102444800"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGitHub(t)
			rev := reviewFor(t, f, "pull_request", nil)
			f.FailNextWith(tc.method, tc.status, "boom", tc.header)

			_, err := rev.Upsert(context.Background(), 42, testMarker, testMarker+"\nnew")
			if err == nil {
				t.Fatal("Upsert() succeeded")
			}
			var perr *PermissionError
			if errors.As(err, &perr) {
				t.Fatalf("Upsert() error = %v, a *PermissionError; want a plain error", err)
			}
			if !strings.HasPrefix(err.Error(), "github: ") || !strings.Contains(err.Error(), "pull request #42") {
				t.Fatalf("error %q lacks context", err)
			}
		})
	}
}

func TestGitHubMergedPR(t *testing.T) {
	f := newFakeGitHub(t)
	merged := func(s string) *string { return &s }
	pull := func(n int, state string, mergedAt *string, base, mergeSHA string) githubfake.Pull {
		p := githubfake.Pull{Number: n, State: state, MergedAt: mergedAt, MergeCommitSHA: mergeSHA}
		p.Base.Ref = base
		return p
	}
	const commit = "c0ffee0000000000000000000000000000000042"
	f.SetPulls(commit,
		pull(7, "open", nil, "main", ""),                                                  // contains the commit, not merged
		pull(9, "closed", merged("2024-05-03T09:00:00Z"), "release-1", "1111"),            // merged elsewhere
		pull(42, "closed", merged("2024-05-02T10:00:00Z"), "main", commit),                // the merge
		pull(40, "closed", merged("2024-05-01T10:00:00Z"), "main", "2222222222222222222"), // an older one carrying it
	)
	rev := reviewFor(t, f, "push", nil)

	n, err := rev.MergedPR(context.Background(), commit)
	if err != nil {
		t.Fatal(err)
	}
	if n != 42 {
		t.Fatalf("MergedPR() = %d, want 42", n)
	}
	// The push payload names the default branch; nothing else was asked.
	assertRequests(t, f.TakeRequests(), []string{
		"GET /repos/acme/shop/commits/" + commit + "/pulls?per_page=100",
	})

	if n, err := rev.MergedPR(context.Background(), "0000000000000000000000000000000000000000"); n != 0 || err != nil {
		t.Fatalf("MergedPR(unmerged commit) = %d, %v; want 0, nil", n, err)
	}
}

func TestGitHubMergedPRLooksUpDefaultBranch(t *testing.T) {
	f := newFakeGitHub(t)
	f.SetDefaultBranch("trunk")
	p := githubfake.Pull{Number: 5, State: "closed"}
	at := "2024-05-02T10:00:00Z"
	p.MergedAt = &at
	p.Base.Ref = "trunk"
	f.SetPulls("abc", p)
	// A workflow_dispatch run has no repository in its payload here: ask the API.
	rev := reviewFor(t, f, "workflow_dispatch", map[string]string{"GITHUB_SHA": "abc", "GITHUB_REF": "refs/heads/trunk"})

	n, err := rev.MergedPR(context.Background(), "abc")
	if err != nil || n != 5 {
		t.Fatalf("MergedPR() = %d, %v; want 5", n, err)
	}
	assertRequests(t, f.TakeRequests(), []string{
		"GET /repos/acme/shop",
		"GET /repos/acme/shop/commits/abc/pulls?per_page=100",
	})
}

func TestGitHubReviewToken(t *testing.T) {
	// No token, no review: the runner only warns.
	env := githubEnv(t, "pull_request", nil)
	rev, err := NewGitHub(envOf(env), &bytes.Buffer{}).Review(context.Background())
	if rev != nil || err != nil {
		t.Fatalf("Review() without a token = %v, %v; want nil, nil", rev, err)
	}

	// The token input wins over GITHUB_TOKEN.
	f := newFakeGitHub(t)
	f.SetToken("input-token")
	rev = reviewFor(t, f, "pull_request", map[string]string{"INPUT_TOKEN": "input-token", "GITHUB_TOKEN": "job-token"})
	if _, err := rev.Upsert(context.Background(), 42, testMarker, testMarker+"\nplan"); err != nil {
		t.Fatalf("Upsert with the token input: %v", err)
	}
}

func TestGitHubReviewBaseURL(t *testing.T) {
	for _, tc := range []struct{ api, want string }{
		{"", "https://api.github.com/"},
		{"https://api.github.com", "https://api.github.com/"},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/"},
		{"https://api.acme.ghe.com", "https://api.acme.ghe.com/"},
	} {
		env := githubEnv(t, "pull_request", map[string]string{"GITHUB_API_URL": tc.api, "GITHUB_TOKEN": "t"})
		rev, err := NewGitHub(envOf(env), &bytes.Buffer{}).Review(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := rev.(*githubReview).client.BaseURL.String(); got != tc.want {
			t.Errorf("GITHUB_API_URL=%q: base URL %q, want %q", tc.api, got, tc.want)
		}
	}
	env := githubEnv(t, "pull_request", map[string]string{"GITHUB_API_URL": "ghe.example.com", "GITHUB_TOKEN": "t"})
	if _, err := NewGitHub(envOf(env), &bytes.Buffer{}).Review(context.Background()); err == nil {
		t.Error("Review() with a relative GITHUB_API_URL: no error")
	}
}

func TestGitHubTriggerPullRequest(t *testing.T) {
	g := NewGitHub(envOf(githubEnv(t, "pull_request", nil)), &bytes.Buffer{})
	got, err := g.Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Trigger{
		Event:         "pull_request",
		Repo:          "acme/shop",
		Branch:        "add-shipped-at",
		Commit:        "aaaabbbbccccddddeeeeffff0000111122223333",
		Actor:         "ada",
		DefaultBranch: "main",
		PR:            42,
		PRURL:         "https://ghe.example.com/acme/shop/pull/42",
		PRTitle:       "orders: add a shipped_at column",
		PRBody:        "Adds `orders.shipped_at` and an index on it.\r\n\r\nCloses #40.",
		BaseBranch:    "main",
		BaseCommit:    "3b1d0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c",
		JobURL:        "https://ghe.example.com/acme/shop/actions/runs/9876543210",
	}
	if *got != want {
		t.Fatalf("Trigger() =\n%+v\nwant\n%+v", *got, want)
	}
	if got.OnDefaultBranch() {
		t.Error("a pull request reports OnDefaultBranch")
	}

	// pull_request_target and review events have no GITHUB_HEAD_REF: the payload's head.
	g = NewGitHub(envOf(githubEnv(t, "pull_request", map[string]string{"GITHUB_HEAD_REF": "", "GITHUB_EVENT_NAME": "pull_request_target"})), &bytes.Buffer{})
	if got, err = g.Trigger(context.Background()); err != nil || got.Branch != "add-shipped-at" || got.PR != 42 {
		t.Fatalf("pull_request_target Trigger() = %+v, %v", got, err)
	}
}

func TestGitHubTriggerPush(t *testing.T) {
	g := NewGitHub(envOf(githubEnv(t, "push", nil)), &bytes.Buffer{})
	got, err := g.Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Trigger{
		Event:         "push",
		Repo:          "acme/shop",
		Branch:        "main",
		Commit:        "c0ffee0000000000000000000000000000000042",
		Actor:         "ada",
		DefaultBranch: "main",
		JobURL:        "https://ghe.example.com/acme/shop/actions/runs/9876543210",
	}
	if *got != want {
		t.Fatalf("Trigger() =\n%+v\nwant\n%+v", *got, want)
	}
	if !got.OnDefaultBranch() {
		t.Error("a push to main does not report OnDefaultBranch")
	}

	// A tag push runs on no branch.
	g = NewGitHub(envOf(githubEnv(t, "push", map[string]string{"GITHUB_REF": "refs/tags/v1.2.0"})), &bytes.Buffer{})
	if got, err = g.Trigger(context.Background()); err != nil || got.Branch != "" || got.OnDefaultBranch() {
		t.Fatalf("tag push Trigger() = %+v, %v; want no branch", got, err)
	}
}

func TestGitHubTriggerBadPayload(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(bad, []byte(`{"pull_request": `), 0o600); err != nil {
		t.Fatal(err)
	}
	g := NewGitHub(envOf(githubEnv(t, "pull_request", map[string]string{"GITHUB_EVENT_PATH": bad})), &bytes.Buffer{})
	if _, err := g.Trigger(context.Background()); err == nil {
		t.Fatal("Trigger() with a truncated payload: no error")
	}
	g = NewGitHub(envOf(githubEnv(t, "push", map[string]string{"GITHUB_RUN_ID": "not-a-number"})), &bytes.Buffer{})
	if _, err := g.Trigger(context.Background()); err == nil {
		t.Fatal("Trigger() with GITHUB_RUN_ID=not-a-number: no error")
	}
}

func TestGitHubInput(t *testing.T) {
	g := NewGitHub(envOf(map[string]string{
		// How the runner passes an action's inputs: upper case, - kept.
		"INPUT_DEV-URL":           "  postgres://dev:5432/app  ",
		"INPUT_WORKING-DIRECTORY": "db",
		"INPUT_CONFIG":            "sextant.yaml",
		// How a run: step must spell it, since a shell cannot export a -.
		"INPUT_LOCK_TIMEOUT": "5s",
		// Not GitHub's spelling.
		"SEXTANT_INPUT_REGISTRY": "file://.sextant",
	}), &bytes.Buffer{})
	for name, want := range map[string]string{
		"dev-url":           "postgres://dev:5432/app",
		"working-directory": "db",
		"config":            "sextant.yaml",
		"lock-timeout":      "5s",
		"registry":          "",
		"token":             "",
	} {
		if got := g.Input(name); got != want {
			t.Errorf("Input(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestGitHubSetOutput(t *testing.T) {
	env := githubEnv(t, "pull_request", nil)
	g := NewGitHub(envOf(env), &bytes.Buffer{})
	sql := "ALTER TABLE orders ADD COLUMN shipped_at timestamptz;\nCREATE INDEX orders_shipped_at ON orders (shipped_at);"
	must(t, g.SetOutput("status", "PENDING"))
	must(t, g.SetOutput("to", "sha256:0f1e2d"))
	must(t, g.SetOutput("sql", sql))
	must(t, g.SetOutput("status", "APPROVED")) // the last write wins, as on the runner

	data, err := os.ReadFile(env["GITHUB_OUTPUT"])
	if err != nil {
		t.Fatal(err)
	}
	got := parseOutputs(t, string(data))
	want := map[string]string{"status": "APPROVED", "to": "sha256:0f1e2d", "sql": sql}
	if len(got) != len(want) {
		t.Fatalf("outputs = %q, want %q", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("output %s = %q, want %q", k, got[k], v)
		}
	}
}

func TestGitHubSetOutputErrors(t *testing.T) {
	env := githubEnv(t, "pull_request", nil)
	g := NewGitHub(envOf(env), &bytes.Buffer{})
	// A value that would close the heredoc and smuggle in another output.
	evil := "x\n" + githubOutputDelimiter + "\nstatus=APPROVED"
	if err := g.SetOutput("plan", evil); err == nil {
		t.Fatal("SetOutput with the delimiter in the value: no error")
	}
	if _, err := os.Stat(env["GITHUB_OUTPUT"]); !os.IsNotExist(err) {
		t.Fatalf("the refused output was written: %v", err)
	}
	if err := g.SetOutput("a\nb", "v"); err == nil {
		t.Fatal("SetOutput with a line break in the name: no error")
	}

	// No GITHUB_OUTPUT, or one that cannot be written: an error, not a panic.
	g = NewGitHub(envOf(githubEnv(t, "pull_request", map[string]string{"GITHUB_OUTPUT": ""})), &bytes.Buffer{})
	if err := g.SetOutput("status", "PENDING"); err == nil {
		t.Fatal("SetOutput without GITHUB_OUTPUT: no error")
	}
	g = NewGitHub(envOf(githubEnv(t, "pull_request", map[string]string{"GITHUB_OUTPUT": t.TempDir()})), &bytes.Buffer{})
	if err := g.SetOutput("status", "PENDING"); err == nil || !strings.Contains(err.Error(), "set output status") {
		t.Fatalf("SetOutput to a directory: error %v", err)
	}
}

func TestGitHubSummary(t *testing.T) {
	env := githubEnv(t, "pull_request", nil)
	g := NewGitHub(envOf(env), &bytes.Buffer{})
	must(t, g.Summary("## Sextant plan `app`\n\n| statements | errors |\n| --- | --- |\n| 2 | 0 |"))
	must(t, g.Summary("Approved by ada."))
	data, err := os.ReadFile(env["GITHUB_STEP_SUMMARY"])
	if err != nil {
		t.Fatal(err)
	}
	want := "## Sextant plan `app`\n\n| statements | errors |\n| --- | --- |\n| 2 | 0 |\nApproved by ada.\n"
	if string(data) != want {
		t.Fatalf("summary file:\n%q\nwant\n%q", data, want)
	}

	// No summary file: nothing to do, and no error.
	g = NewGitHub(envOf(githubEnv(t, "pull_request", map[string]string{"GITHUB_STEP_SUMMARY": ""})), &bytes.Buffer{})
	must(t, g.Summary("ignored"))
	g = NewGitHub(envOf(githubEnv(t, "pull_request", map[string]string{"GITHUB_STEP_SUMMARY": t.TempDir()})), &bytes.Buffer{})
	if err := g.Summary("x"); err == nil {
		t.Fatal("Summary to a directory: no error")
	}
}

func TestGitHubAnnotationsAndWarnings(t *testing.T) {
	var buf bytes.Buffer
	g := NewGitHub(envOf(githubEnv(t, "pull_request", nil)), &buf)
	g.Annotate(Annotation{
		Level: "error", File: "schema/orders.sql", Line: 12,
		Title:   "PG101: drop column, data loss",
		Message: "Dropping orders.note deletes its data.\nBack it up first; 100% of rows are affected.",
	})
	g.Annotate(Annotation{Level: "warning", File: "schema/orders.sql", Message: "table orders has no primary key"})
	g.Annotate(Annotation{Level: "notice", Message: "no schema change"})
	g.Annotate(Annotation{File: "schema/a.sql", Line: 3, Message: "no level is a notice"})
	g.Warnf("comment not posted: %s", "403")

	got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	want := []string{
		"::error file=schema/orders.sql,line=12,title=PG101%3A drop column%2C data loss::Dropping orders.note deletes its data.%0ABack it up first; 100%25 of rows are affected.",
		"::warning file=schema/orders.sql::table orders has no primary key",
		"::notice::no schema change",
		"::notice file=schema/a.sql,line=3::no level is a notice",
		"::warning::comment not posted: 403",
	}
	if len(got) != len(want) {
		t.Fatalf("workflow commands:\n%s\nwant %d lines", buf.String(), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
}

func assertRequests(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// Shown reads the bot's own sticky comment, never a copy of its marker by someone else.
func TestGitHubShownIgnoresOthersComments(t *testing.T) {
	f := newFakeGitHub(t)
	f.AddComment(42, "mallory", testMarker+"\n<!-- sextant:digest forged -->")
	f.Seed(42, 3, 1, testMarker+"\n### Plan\nthe bot's")
	rev := reviewFor(t, f, "pull_request", nil)
	body, err := rev.Shown(context.Background(), 42, testMarker)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "the bot's") {
		t.Errorf("Shown() = %q, want the bot's comment", body)
	}
	if body, err := rev.Shown(context.Background(), 7, testMarker); err != nil || body != "" {
		t.Errorf("Shown() on a pull request without the comment = %q, %v", body, err)
	}
}
