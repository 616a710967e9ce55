package ci

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/ci/githubfake"
	"github.com/sextant-db/sextant/internal/ci/gitlabfake"
)

// circleEnv is the environment of a CircleCI job on branch of acme/shop at GitHub; extra
// overrides it ("" removes a variable).
func circleEnv(t *testing.T, branch string, extra map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{
		"CIRCLECI":                "true",
		"CI":                      "true",
		"CIRCLE_BRANCH":           branch,
		"CIRCLE_SHA1":             "c0ffee0000000000000000000000000000000042",
		"CIRCLE_USERNAME":         "ada",
		"CIRCLE_PROJECT_USERNAME": "acme",
		"CIRCLE_PROJECT_REPONAME": "shop",
		"CIRCLE_REPOSITORY_URL":   "git@github.com:acme/shop.git",
		"CIRCLE_BUILD_URL":        "https://circleci.example.com/gh/acme/shop/17",
		"BASH_ENV":                filepath.Join(t.TempDir(), "bash_env"),
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

// newCircle is NewCircleCI asking git in an empty directory, so the repository the tests run
// in does not answer for the job's.
func newCircle(t *testing.T, getenv func(string) string, w *bytes.Buffer) *CircleCI {
	c := NewCircleCI(getenv, w)
	c.gitDir = t.TempDir()
	return c
}

func TestCircleCITriggerFromGit(t *testing.T) {
	// Without a token the default branch is the clone's origin/HEAD, and a pull request's base
	// the fork point from it.
	dir, git := gitRepo(t)
	git("checkout", "--quiet", "-b", "trunk")
	git("commit", "--quiet", "--allow-empty", "-m", "base")
	base := git("rev-parse", "HEAD")
	git("update-ref", "refs/remotes/origin/trunk", base)
	git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
	git("commit", "--quiet", "--allow-empty", "-m", "trunk moved on")
	git("update-ref", "refs/remotes/origin/trunk", "HEAD")
	git("checkout", "--quiet", "-b", "add-shipped-at", base)
	git("commit", "--quiet", "--allow-empty", "-m", "change")

	env := circleEnv(t, "add-shipped-at", map[string]string{"CIRCLE_PULL_REQUEST": "https://github.com/acme/shop/pull/42"})
	c := NewCircleCI(envOf(env), &bytes.Buffer{})
	c.gitDir = dir
	got, err := c.Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.DefaultBranch != "trunk" || got.BaseCommit != base || got.PR != 42 {
		t.Fatalf("Trigger() = %+v; want default branch trunk and base %s", *got, base)
	}
}

func TestCircleCITriggerFromVariables(t *testing.T) {
	// No token: the job knows the pull request only from CircleCI's variables.
	env := circleEnv(t, "add-shipped-at", map[string]string{"CIRCLE_PULL_REQUEST": "https://github.com/acme/shop/pull/42"})
	got, err := newCircle(t, envOf(env), &bytes.Buffer{}).Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Trigger{Event: "pull_request", Repo: "acme/shop", Branch: "add-shipped-at",
		Commit: "c0ffee0000000000000000000000000000000042", Actor: "ada", PR: 42,
		PRURL: "https://github.com/acme/shop/pull/42", JobURL: "https://circleci.example.com/gh/acme/shop/17"}
	if *got != want {
		t.Fatalf("Trigger() =\n%+v\nwant\n%+v", *got, want)
	}

	// A fork's pull request: CircleCI names it by number, and the branch as pull/N.
	env = circleEnv(t, "pull/43", map[string]string{"CIRCLE_PR_NUMBER": "43", "CIRCLE_PR_USERNAME": "bob"})
	if got, err = newCircle(t, envOf(env), &bytes.Buffer{}).Trigger(context.Background()); err != nil || got.PR != 43 {
		t.Fatalf("fork Trigger() = %+v, %v; want pull request 43", got, err)
	}

	// A branch build without a token: whether it has a pull request is unknown, not "none
	// yet", and the reason names the token variable to set.
	env = circleEnv(t, "add-shipped-at", map[string]string{"SEXTANT_INPUT_TOKEN_VARIABLE": "SHOP_BOT_TOKEN"})
	got, err = newCircle(t, envOf(env), &bytes.Buffer{}).Trigger(context.Background())
	if err != nil || got.PR != 0 || got.NoPRYet || !strings.Contains(got.PRUnknown, "without an API token") ||
		!strings.Contains(got.PRUnknown, "set SHOP_BOT_TOKEN") {
		t.Fatalf("tokenless branch Trigger() = %+v, %v; want PRUnknown naming SHOP_BOT_TOKEN", got, err)
	}

	// A tag build runs on no branch.
	env = circleEnv(t, "", map[string]string{"CIRCLE_TAG": "v1.2.0"})
	if got, err = newCircle(t, envOf(env), &bytes.Buffer{}).Trigger(context.Background()); err != nil || got.Branch != "" || got.Event != "tag" {
		t.Fatalf("tag Trigger() = %+v, %v", got, err)
	}

	for _, bad := range []map[string]string{
		{"CIRCLE_PR_NUMBER": "#43"},
		{"CIRCLE_PULL_REQUEST": "https://github.com/acme/shop/pulls"},
	} {
		if _, err := newCircle(t, envOf(circleEnv(t, "x", bad)), &bytes.Buffer{}).Trigger(context.Background()); err == nil {
			t.Errorf("Trigger() with %v: no error", bad)
		}
	}
}

func TestCircleCITriggerFromGitHub(t *testing.T) {
	f := githubfake.New(t)
	f.SetDefaultBranch("trunk")
	f.OpenPull(41, "add-shipped-at", "release-1", "1111111111111111111111111111111111111111", "Backport")
	p := f.OpenPull(42, "add-shipped-at", "trunk", "b45e000000000000000000000000000000000001", "Add shipped_at")
	api := map[string]string{"SEXTANT_INPUT_API_URL": f.APIURL(), "GITHUB_TOKEN": githubfake.Token}

	// The branch's open pull request into the default branch is found without
	// CIRCLE_PULL_REQUEST, which CircleCI sets only for builds after the pull request opened.
	var log bytes.Buffer
	got, err := newCircle(t, envOf(circleEnv(t, "add-shipped-at", api)), &log).Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.PR != 42 || got.PRURL != p.HTMLURL || got.PRTitle != "Add shipped_at" || got.BaseBranch != "trunk" ||
		got.BaseCommit != p.Base.SHA || got.DefaultBranch != "trunk" || got.Event != "pull_request" {
		t.Fatalf("Trigger() = %+v; want pull request 42 into trunk from base %s", *got, p.Base.SHA)
	}
	reqs := strings.Join(f.TakeRequests(), "\n")
	for _, want := range []string{"GET /repos/acme/shop\n", "GET /repos/acme/shop/pulls?head=acme%3Aadd-shipped-at", "GET /repos/acme/shop/pulls/42"} {
		if !strings.Contains(reqs+"\n", want) {
			t.Errorf("requests lack %q:\n%s", want, reqs)
		}
	}

	// On the default branch nothing is looked up beyond the branch's name.
	got, err = newCircle(t, envOf(circleEnv(t, "trunk", api)), &log).Trigger(context.Background())
	if err != nil || got.PR != 0 || !got.OnDefaultBranch() || got.NoPRYet {
		t.Fatalf("default-branch Trigger() = %+v, %v", got, err)
	}
	if reqs := f.TakeRequests(); len(reqs) != 1 {
		t.Errorf("default-branch requests %q, want only the repository", reqs)
	}

	// A branch without a pull request is a push.
	got, err = newCircle(t, envOf(circleEnv(t, "spike", api)), &log).Trigger(context.Background())
	if err != nil || got.PR != 0 || got.Event != "push" || !got.NoPRYet {
		t.Fatalf("Trigger() without a pull request = %+v, %v", got, err)
	}

	// The token variable can be named; the API refusing it is a warning, and the job goes on
	// with the variables.
	log.Reset()
	env := circleEnv(t, "add-shipped-at", map[string]string{"SEXTANT_INPUT_API_URL": f.APIURL(),
		"SEXTANT_INPUT_TOKEN_VARIABLE": "SHOP_BOT_TOKEN", "SHOP_BOT_TOKEN": "wrong",
		"CIRCLE_PULL_REQUEST": "https://github.com/acme/shop/pull/42"})
	got, err = newCircle(t, envOf(env), &log).Trigger(context.Background())
	if err != nil || got.PR != 42 || got.PRTitle != "" {
		t.Fatalf("Trigger() with a refused token = %+v, %v", got, err)
	}
	if !strings.Contains(log.String(), "warning:") || !strings.Contains(log.String(), "401") {
		t.Errorf("log %q: want a warning with the API's refusal", log.String())
	}
}

func TestCircleCIGitLabHosted(t *testing.T) {
	f := gitlabfake.New(t)
	mr := f.OpenMergeRequest(7, "add-shipped-at", "main", "b45e000000000000000000000000000000000001", "Add shipped_at")
	env := circleEnv(t, "add-shipped-at", map[string]string{
		"CIRCLE_REPOSITORY_URL": "https://gitlab.example.com/acme/shop.git",
		"SEXTANT_INPUT_API_URL": f.APIURL(),
		"GITLAB_TOKEN":          gitlabfake.Token,
	})
	c := newCircle(t, envOf(env), &bytes.Buffer{})
	got, err := c.Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.PR != 7 || got.PRURL != mr.WebURL || got.BaseCommit != mr.DiffRefs.BaseSHA || got.DefaultBranch != "main" {
		t.Fatalf("Trigger() = %+v; want merge request !7", *got)
	}
	rev, err := c.Review(context.Background())
	if err != nil || rev == nil {
		t.Fatalf("Review() = %v, %v", rev, err)
	}
	url, err := rev.Upsert(context.Background(), 7, "<!-- sextant:plan app -->", "plan")
	if err != nil {
		t.Fatal(err)
	}
	if notes := f.NotesOf(7); len(notes) != 1 || !strings.HasPrefix(url, gitlabfake.WebURL+"/-/merge_requests/7#note_") {
		t.Fatalf("notes %+v, url %q", notes, url)
	}
}

func TestCircleCIReviewPostsToGitHub(t *testing.T) {
	f := githubfake.New(t)
	env := circleEnv(t, "add-shipped-at", map[string]string{"SEXTANT_INPUT_API_URL": f.APIURL(), "SEXTANT_INPUT_TOKEN": githubfake.Token})
	rev, err := newCircle(t, envOf(env), &bytes.Buffer{}).Review(context.Background())
	if err != nil || rev == nil {
		t.Fatalf("Review() = %v, %v", rev, err)
	}
	for range 2 {
		if _, err := rev.Upsert(context.Background(), 42, "<!-- sextant:plan app -->", "plan"); err != nil {
			t.Fatal(err)
		}
	}
	if cs := f.CommentsOf(42); len(cs) != 1 {
		t.Fatalf("comments %+v, want one sticky comment", cs)
	}

	// Without a token there is no review, and no error.
	if rev, err := newCircle(t, envOf(circleEnv(t, "x", nil)), &bytes.Buffer{}).Review(context.Background()); rev != nil || err != nil {
		t.Fatalf("Review() without a token = %v, %v", rev, err)
	}
}

func TestCircleCISetOutput(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to source $BASH_ENV with")
	}
	env := circleEnv(t, "main", nil)
	var log bytes.Buffer
	c := newCircle(t, envOf(env), &log)
	values := map[string]string{
		"plan":    "pr-42-0a1b2c3d",
		"quoted":  `it's "fine" $HOME ` + "`date`",
		"lines":   "one\ntwo\n",
		"dry-run": "",
	}
	for _, name := range []string{"plan", "quoted", "lines", "dry-run"} {
		if err := c.SetOutput(name, values[name]); err != nil {
			t.Fatal(err)
		}
	}
	// A later step sources $BASH_ENV: every value must arrive as it was, unexpanded.
	script := `. "$BASH_ENV"; printf '%s\0' "$SEXTANT_PLAN" "$SEXTANT_QUOTED" "$SEXTANT_LINES" "${SEXTANT_DRY_RUN-unset}"`
	cmd := exec.Command(bash, "-c", script)
	cmd.Env = append(os.Environ(), "BASH_ENV="+env["BASH_ENV"])
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	want := []string{values["plan"], values["quoted"], values["lines"], ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sourced values %q, want %q", got, want)
	}
	if !strings.Contains(log.String(), "SEXTANT_PLAN=pr-42-0a1b2c3d\n") || !strings.Contains(log.String(), "SEXTANT_LINES: 3 lines") {
		t.Errorf("log %q", log.String())
	}

	if err := c.SetOutput("bad name", "x"); err == nil {
		t.Error("SetOutput(\"bad name\"): no error")
	}
	delete(env, "BASH_ENV")
	if err := newCircle(t, envOf(env), &log).SetOutput("plan", "x"); err == nil || !strings.Contains(err.Error(), "BASH_ENV") {
		t.Errorf("SetOutput without BASH_ENV: %v", err)
	}
}

func TestParseRepoURL(t *testing.T) {
	for _, tc := range []struct{ in, host, path string }{
		{"git@github.com:acme/shop.git", "github.com", "acme/shop"},
		{"https://github.com/acme/shop", "github.com", "acme/shop"},
		{"https://github.com/acme/shop.git/", "github.com", "acme/shop"},
		{"ssh://git@git.example.com:2222/acme/shop.git", "git.example.com", "acme/shop"},
		{"git@gitlab.example.com:group/sub/shop.git", "gitlab.example.com", "group/sub/shop"},
		{"https://user@gitlab.example.com/group/shop.git", "gitlab.example.com", "group/shop"},
	} {
		host, path, ok := parseRepoURL(tc.in)
		if !ok || host != tc.host || path != tc.path {
			t.Errorf("parseRepoURL(%q) = %q, %q, %v; want %q, %q", tc.in, host, path, ok, tc.host, tc.path)
		}
	}
	for _, bad := range []string{"", "shop", "https://github.com/shop", "git@github.com"} {
		if _, _, ok := parseRepoURL(bad); ok {
			t.Errorf("parseRepoURL(%q) ok", bad)
		}
	}
}

func TestCircleCIKind(t *testing.T) {
	for _, tc := range []struct {
		repoURL, apiURL string
		kind, api       string
	}{
		{"git@github.com:acme/shop.git", "", hostGitHub, ""},
		{"git@github.example.com:acme/shop.git", "", hostGitHub, "https://github.example.com/api/v3"},
		{"git@gitlab.com:acme/shop.git", "", hostGitLab, "https://gitlab.com/api/v4"},
		{"git@git.example.com:acme/shop.git", "https://git.example.com/api/v4/", hostGitLab, "https://git.example.com/api/v4"},
		{"git@git.example.com:acme/shop.git", "https://git.example.com/api/v3", hostGitHub, "https://git.example.com/api/v3"},
	} {
		c := newCircle(t, envOf(map[string]string{"CIRCLE_REPOSITORY_URL": tc.repoURL, "SEXTANT_INPUT_API_URL": tc.apiURL}), &bytes.Buffer{})
		if kind, api, _ := c.kind(); kind != tc.kind || api != tc.api {
			t.Errorf("%s with api-url %q: %s at %q, want %s at %q", tc.repoURL, tc.apiURL, kind, api, tc.kind, tc.api)
		}
	}
}
