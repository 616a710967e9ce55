package gitstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/gitstore"
	"github.com/sextant-db/sextant/internal/registry/storetest"
)

const ref = gitstore.DefaultRef

// TestMain keeps the tests from the user's and the system's git configuration (hooks,
// signing, templates), as a CI runner's clean environment would.
func TestMain(m *testing.M) {
	if _, err := exec.LookPath("git"); err != nil {
		fmt.Println("skipping: no git command")
		os.Exit(0)
	}
	os.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	os.Unsetenv("SEXTANT_ACTOR")
	os.Exit(m.Run())
}

// git runs git in dir and returns its trimmed output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=dev", "GIT_AUTHOR_EMAIL=dev@example.com",
		"GIT_COMMITTER_NAME=dev", "GIT_COMMITTER_EMAIL=dev@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return strings.TrimSpace(string(out))
}

// newOrigin makes a bare repository, the remote every job pushes to.
func newOrigin(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "origin.git")
	git(t, "", "init", "-q", "--bare", "-b", "main", dir)
	// Saves a process per push; a hosting service runs its own gc.
	git(t, dir, "config", "receive.autogc", "false")
	return dir
}

// newJob makes a repository whose origin is origin, as a CI job's checkout: cheap, without
// the project's history, which the store never reads.
func newJob(t *testing.T, origin string) string {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "remote", "add", "origin", origin)
	return dir
}

func open(t *testing.T, dir string) *gitstore.Store {
	t.Helper()
	s, err := gitstore.Open(dir, "origin", ref)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConformance runs the store contract on a git registry in a new remote each time. Every
// write is a commit and a push (a tenth of a second or more), so the concurrent appends are 4
// goroutines of 8, not storetest.FullLoad's 320 appends.
func TestConformance(t *testing.T) {
	storetest.RunLoad(t, func(t *testing.T) registry.Store { return open(t, newJob(t, newOrigin(t))) },
		storetest.Load{Writers: 4, Each: 8})
}

func fp(digit string) string { return "sha256:" + strings.Repeat(digit, 64) }

func newPlan(name string) *registry.Plan {
	return &registry.Plan{
		Schema: "app",
		Header: plan.Header{Name: name, CreatedBy: "alice", Context: plan.Context{PR: 42}},
		Plan: &plan.Plan{Dialect: "postgres", From: fp("1"), To: fp("2"), Statements: []plan.Statement{
			{SQL: "CREATE TABLE public.t (id integer)", Kind: "add-table", Object: "public.t"},
		}},
	}
}

// history is the subjects of the ref's commits on the remote, oldest first.
func history(t *testing.T, origin string) []string {
	t.Helper()
	out := git(t, origin, "log", "--reverse", "--format=%s", ref)
	return strings.Split(out, "\n")
}

// TestJobs is the workflow across throw-away jobs: what one job's checkout writes, a fresh
// checkout of another job reads, and the remote's history says what happened.
func TestJobs(t *testing.T) {
	ctx := context.Background()
	origin := newOrigin(t)
	p := newPlan("pr-42")
	if err := open(t, newJob(t, origin)).SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SEXTANT_ACTOR", "merge-bot")
	approver := open(t, newJob(t, origin))
	got, err := approver.Approve(ctx, "app", "pr-42", registry.Approval{Digest: p.Plan.Digest(), Actor: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Header.Status != plan.Approved {
		t.Fatalf("approved plan is %s", got.Header.Status)
	}
	deployer := open(t, newJob(t, origin))
	if got, err := deployer.Plan(ctx, "app", "pr-42"); err != nil || got.Verify() != nil {
		t.Fatalf("the deploy job's plan: %v, %v", got, err)
	}
	want := []string{
		"sextant: save plan app/pr-42 (" + p.Plan.Digest() + ")",
		"sextant: approve app/pr-42 (" + p.Plan.Digest() + ") by bob",
	}
	if h := history(t, origin); strings.Join(h, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant\n%s", strings.Join(h, "\n"), strings.Join(want, "\n"))
	}
	if a := git(t, origin, "log", "-1", "--format=%an <%ae> / %cn", ref); a != "merge-bot <sextant@localhost> / sextant" {
		t.Errorf("approval authored as %q", a)
	}
	// The layout is the file store's, with its lock files left out.
	files := git(t, origin, "ls-tree", "-r", "--name-only", ref)
	if files != "app/.gitignore\napp/plans/pr-42.sql\napp/reviews.jsonl" {
		t.Errorf("tree:\n%s", files)
	}
}

// TestRace approves one plan from several jobs at once, each in its own checkout: one wins,
// the others get the conflict a file store gives, and the history holds one approval.
func TestRace(t *testing.T) {
	ctx := context.Background()
	origin := newOrigin(t)
	p := newPlan("pr-1")
	if err := open(t, newJob(t, origin)).SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	const n = 6
	stores := make([]*gitstore.Store, n)
	for i := range stores {
		stores[i] = open(t, newJob(t, origin))
	}
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() {
			<-start
			_, errs[i] = s.Approve(ctx, "app", "pr-1", registry.Approval{Digest: p.Plan.Digest(), Actor: fmt.Sprintf("job-%d", i)})
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		var conflict *registry.ConflictError
		switch {
		case err == nil && winner >= 0:
			t.Errorf("jobs %d and %d both approved", winner, i)
		case err == nil:
			winner = i
		case !errors.As(err, &conflict) || conflict.Got != plan.Approved:
			t.Errorf("job %d: %v, want a conflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no job approved")
	}
	want := []string{
		"sextant: save plan app/pr-1 (" + p.Plan.Digest() + ")",
		fmt.Sprintf("sextant: approve app/pr-1 (%s) by job-%d", p.Plan.Digest(), winner),
	}
	if h := history(t, origin); strings.Join(h, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant\n%s", strings.Join(h, "\n"), strings.Join(want, "\n"))
	}
}

// TestRetry has another job push between a store's fetch and its push: the push is rejected
// as not a fast-forward, and the store redoes its write on the new tip.
func TestRetry(t *testing.T) {
	ctx := context.Background()
	origin := newOrigin(t)
	other := open(t, newJob(t, origin))
	s := open(t, newJob(t, origin))
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres"}); err != nil {
		t.Fatal(err)
	}
	pushes := 0
	gitstore.SetBeforePush(s, func() {
		if pushes++; pushes == 1 {
			if err := other.SavePlan(ctx, newPlan("pr-7")); err != nil {
				t.Error(err)
			}
		}
	})
	if err := s.Tag(ctx, "app", "main", fp("1")); err != nil {
		t.Fatal(err)
	}
	if pushes != 2 {
		t.Errorf("%d pushes, want 2: the rejected one and the retry", pushes)
	}
	want := []string{"sextant: put state app " + fp("1"), "sextant: save plan app/pr-7 (" + newPlan("pr-7").Plan.Digest() + ")",
		"sextant: tag app/main " + fp("1")}
	if h := history(t, origin); strings.Join(h, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant\n%s", strings.Join(h, "\n"), strings.Join(want, "\n"))
	}

	// An approval that loses its push to another approval is judged again: a conflict.
	p := newPlan("pr-8")
	if err := s.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	pushes = 0
	gitstore.SetBeforePush(s, func() {
		if pushes++; pushes == 1 {
			if _, err := other.Approve(ctx, "app", "pr-8", registry.Approval{Digest: p.Plan.Digest(), Actor: "other"}); err != nil {
				t.Error(err)
			}
		}
	})
	_, err := s.Approve(ctx, "app", "pr-8", registry.Approval{Digest: p.Plan.Digest(), Actor: "me"})
	var conflict *registry.ConflictError
	if !errors.As(err, &conflict) || conflict.Got != plan.Approved {
		t.Errorf("approval that lost the push = %v, want a conflict", err)
	}

	// A ref that keeps moving: the store gives up after its attempts.
	gitstore.SetAttempts(s, 2)
	gitstore.SetBeforePush(s, func() {
		if _, err := other.RecordApply(ctx, registry.Apply{Schema: "app", Result: registry.Applied}); err != nil {
			t.Error(err)
		}
	})
	if _, err := s.RecordApply(ctx, registry.Apply{Schema: "app", Result: registry.Applied}); err == nil || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Errorf("RecordApply on a ref that keeps moving = %v", err)
	}
}

// TestUntouched checks that a job's working tree, index, HEAD and branches are as they were:
// the registry is written beside the checkout, never into it.
func TestUntouched(t *testing.T) {
	ctx := context.Background()
	origin := newOrigin(t)
	dir := t.TempDir()
	git(t, "", "clone", "-q", origin, dir)
	os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE t (id int);\n"), 0o666)
	git(t, dir, "add", "schema.sql")
	git(t, dir, "commit", "-q", "-m", "schema")
	git(t, dir, "push", "-q", "origin", "main")
	// Work in progress: a staged change, an unstaged one, an untracked file.
	os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE t (id int, a text);\n"), 0o666)
	git(t, dir, "add", "schema.sql")
	os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE t (id int, b text);\n"), 0o666)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("wip\n"), 0o666)
	state := func() string {
		return strings.Join([]string{git(t, dir, "status", "--porcelain=v2", "--branch"), git(t, dir, "symbolic-ref", "HEAD"),
			git(t, dir, "rev-parse", "HEAD"), git(t, dir, "for-each-ref", "refs/heads", "refs/tags")}, "\n")
	}
	index := func() string {
		b, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	before := state()
	indexBefore := index() // after git status, which refreshes the index's stat data

	s := open(t, dir)
	p := newPlan("pr-1")
	if err := s.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(ctx, "app", "pr-1", registry.Approval{Digest: p.Plan.Digest(), Actor: "bob"}); err != nil {
		t.Fatal(err)
	}
	if index() != indexBefore {
		t.Error("the index file changed")
	}
	if after := state(); after != before {
		t.Errorf("the checkout changed:\n%s\nwas\n%s", after, before)
	}
	// The project's branch on the remote is not touched either.
	if got := git(t, origin, "log", "--format=%s", "main"); got != "schema" {
		t.Errorf("main on the remote: %q", got)
	}
}

// TestRejected checks a push the remote refuses for another reason than a lost race: it is
// not retried, and the error names the remote and the ref.
func TestRejected(t *testing.T) {
	origin := newOrigin(t)
	hook := filepath.Join(origin, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\necho 'registry writes are off' >&2\nexit 1\n"), 0o777); err != nil {
		t.Fatal(err)
	}
	s := open(t, newJob(t, origin))
	pushes := 0
	gitstore.SetBeforePush(s, func() { pushes++ })
	err := s.SavePlan(context.Background(), newPlan("pr-1"))
	if err == nil || !strings.Contains(err.Error(), "git registry origin") || !strings.Contains(err.Error(), ref) ||
		!strings.Contains(err.Error(), "registry writes are off") {
		t.Errorf("SavePlan on a remote that refuses it = %v", err)
	}
	if pushes != 1 {
		t.Errorf("%d pushes, want 1", pushes)
	}
}

// TestRedacted checks that a remote URL's credentials (a CI job token in it) are in no error.
func TestRedacted(t *testing.T) {
	dir := newJob(t, newOrigin(t))
	git(t, dir, "remote", "set-url", "origin", "https://gitlab-ci-token:s3cr3t-t0ken@127.0.0.1:1/group/app.git")
	s := open(t, dir)
	_, err := s.Plan(context.Background(), "app", "pr-1")
	if err == nil || strings.Contains(err.Error(), "s3cr3t-t0ken") || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("Plan from an unreachable remote = %v, want an error without the token", err)
	}
}

// TestNotRegistry refuses a ref that holds a project's tree, and URLs that name no registry.
func TestNotRegistry(t *testing.T) {
	origin := newOrigin(t)
	dir := t.TempDir()
	git(t, "", "clone", "-q", origin, dir)
	os.WriteFile(filepath.Join(dir, "README"), []byte("hi\n"), 0o666)
	git(t, dir, "add", "README")
	git(t, dir, "commit", "-q", "-m", "readme")
	git(t, dir, "push", "-q", "origin", "main:"+ref)
	_, err := open(t, dir).Plan(context.Background(), "app", "pr-1")
	if err == nil || !strings.Contains(err.Error(), "not a registry") {
		t.Errorf("Plan on a code branch = %v", err)
	}

	for _, u := range []string{"git:", "git:main", "git:refs/heads/main", "git:refs/tags/v1", "git:refs/x", "git:refs/a b/c",
		"git:refs/sextant/registry?remote=", "git:refs/sextant/registry?branch=x"} {
		if _, _, ok, err := gitstore.ParseURL(u); !ok || err == nil {
			t.Errorf("ParseURL(%q) = %v, %v; want an error", u, ok, err)
		}
	}
	for u, want := range map[string]string{
		"git:refs/sextant/registry":                 "origin refs/sextant/registry",
		"git:refs/sextant/registry?remote=upstream": "upstream refs/sextant/registry",
	} {
		if remote, r, ok, err := gitstore.ParseURL(u); !ok || err != nil || remote+" "+r != want {
			t.Errorf("ParseURL(%q) = %s %s, %v, %v; want %s", u, remote, r, ok, err, want)
		}
	}
	for _, u := range []string{"git://main:schema.sql", "file://.sextant", "https://registry"} {
		if _, _, ok, _ := gitstore.ParseURL(u); ok {
			t.Errorf("ParseURL(%q) took it for a git registry", u)
		}
	}
}
