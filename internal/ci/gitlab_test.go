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
	"time"

	"github.com/sextant-db/sextant/internal/ci/gitlabfake"
)

// The GitLab tests run against gitlabfake, an httptest server on loopback that answers the v4
// REST calls client-go makes with the shapes and pagination headers GitLab sends.

// gitlabEnv is the environment of a merge request pipeline for !42; extra overrides it, an
// empty value removing the variable.
func gitlabEnv(extra map[string]string) map[string]string {
	env := map[string]string{
		"GITLAB_CI":                           "true",
		"CI":                                  "true",
		"CI_PIPELINE_SOURCE":                  "merge_request_event",
		"CI_PROJECT_ID":                       "4242",
		"CI_PROJECT_PATH":                     "acme/shop",
		"CI_PROJECT_URL":                      gitlabfake.WebURL,
		"CI_SERVER_URL":                       "https://gitlab.example.com",
		"CI_API_V4_URL":                       "https://gitlab.example.com/api/v4",
		"CI_COMMIT_SHA":                       "aaaabbbbccccddddeeeeffff0000111122223333",
		"CI_COMMIT_REF_NAME":                  "add-shipped-at",
		"CI_DEFAULT_BRANCH":                   "main",
		"CI_JOB_URL":                          "https://gitlab.example.com/acme/shop/-/jobs/777",
		"GITLAB_USER_LOGIN":                   "ada",
		"CI_MERGE_REQUEST_IID":                "42",
		"CI_MERGE_REQUEST_PROJECT_ID":         "4242",
		"CI_MERGE_REQUEST_PROJECT_URL":        gitlabfake.WebURL,
		"CI_MERGE_REQUEST_TITLE":              "orders: add a shipped_at column",
		"CI_MERGE_REQUEST_DESCRIPTION":        "Adds shipped_at.\n\nsextant: allow-destructive",
		"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "add-shipped-at",
		"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
		"CI_MERGE_REQUEST_DIFF_BASE_SHA":      "1111222233334444555566667777888899990000",
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

// gitlabReviewFor returns the review of a merge request pipeline pointed at f.
func gitlabReviewFor(t *testing.T, f *gitlabfake.Server, extra map[string]string) Review {
	t.Helper()
	env := gitlabEnv(map[string]string{"CI_API_V4_URL": f.APIURL(), "GITLAB_TOKEN": gitlabfake.Token})
	for k, v := range extra {
		env[k] = v
	}
	rev, err := NewGitLab(envOf(env), &bytes.Buffer{}).Review(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rev == nil {
		t.Fatal("Review() = nil with a token")
	}
	return rev
}

const notesPath = "/projects/4242/merge_requests/42/notes"

func noteURL(id int64) string {
	return fmt.Sprintf("%s/-/merge_requests/42#note_%d", gitlabfake.WebURL, id)
}

func TestGitLabUpsertUpdatesMarkedNoteOnLaterPage(t *testing.T) {
	f := gitlabfake.New(t)
	// 150 notes, 100 a page, oldest first: the sticky note is the 121st, on page 2.
	marked := f.Seed(42, 150, 120, testMarker+"\n### Plan\nold statements")
	rev := gitlabReviewFor(t, f, nil)

	body := testMarker + "\n### Plan\nnew statements"
	url, err := rev.Upsert(context.Background(), 42, testMarker, body)
	if err != nil {
		t.Fatal(err)
	}
	if want := noteURL(marked.ID); url != want {
		t.Errorf("Upsert() URL = %q, want %q", url, want)
	}
	assertRequests(t, f.TakeRequests(), []string{
		"GET " + notesPath + "?order_by=created_at&per_page=100&sort=asc",
		"GET " + notesPath + "?order_by=created_at&page=2&per_page=100&sort=asc",
		fmt.Sprintf("PUT %s/%d", notesPath, marked.ID),
	})
	notes := f.NotesOf(42)
	if len(notes) != 150 {
		t.Fatalf("%d notes after the update, want 150 (updated in place)", len(notes))
	}
	if notes[120].Body != body {
		t.Fatalf("marked note body = %q, want %q", notes[120].Body, body)
	}
}

func TestGitLabUpsertSkipsSystemNotes(t *testing.T) {
	f := gitlabfake.New(t)
	// GitLab's own notes can quote a description holding the marker; they are not the plan's,
	// and GitLab would refuse to edit them.
	sys := f.AddSystemNote(42, "changed the description: "+testMarker)
	f.Seed(42, 3, -1, "")
	rev := gitlabReviewFor(t, f, nil)

	body := testMarker + "\n### Plan"
	url, err := rev.Upsert(context.Background(), 42, testMarker, body)
	if err != nil {
		t.Fatal(err)
	}
	assertRequests(t, f.TakeRequests(), []string{
		"GET " + notesPath + "?order_by=created_at&per_page=100&sort=asc",
		"POST " + notesPath,
	})
	notes := f.NotesOf(42)
	if len(notes) != 5 || notes[0].ID != sys.ID || notes[0].Body != sys.Body || notes[4].Body != body {
		t.Fatalf("notes = %+v; want the system note untouched and a new note", notes)
	}
	if url != noteURL(notes[4].ID) {
		t.Errorf("Upsert() URL = %q, want %q", url, noteURL(notes[4].ID))
	}

	// The next run finds the note it created, not the system note.
	if _, err := rev.Upsert(context.Background(), 42, testMarker, body+"\nedited"); err != nil {
		t.Fatal(err)
	}
	reqs := f.TakeRequests()
	if last, want := reqs[len(reqs)-1], fmt.Sprintf("PUT %s/%d", notesPath, notes[4].ID); last != want {
		t.Fatalf("second run ended with %q, want %q", last, want)
	}
}

func TestGitLabUpsertCreatesWithoutMarker(t *testing.T) {
	f := gitlabfake.New(t)
	f.Seed(42, 150, -1, "")
	// Another schema's sticky note is not this one's.
	f.Seed(42, 1, 0, "<!-- sextant:plan billing -->\nplan")
	rev := gitlabReviewFor(t, f, nil)

	if _, err := rev.Upsert(context.Background(), 42, testMarker, "### Plan"); err != nil {
		t.Fatal(err)
	}
	assertRequests(t, f.TakeRequests(), []string{
		"GET " + notesPath + "?order_by=created_at&per_page=100&sort=asc",
		"GET " + notesPath + "?order_by=created_at&page=2&per_page=100&sort=asc",
		"POST " + notesPath,
	})
	notes := f.NotesOf(42)
	// The body lacked the marker; it was added so that the next run finds the note.
	if len(notes) != 152 || notes[151].Body != testMarker+"\n### Plan" {
		t.Fatalf("%d notes, last %q; want 152, the last carrying the marker", len(notes), notes[len(notes)-1].Body)
	}
	if _, err := rev.Upsert(context.Background(), 42, " ", "body"); err == nil {
		t.Fatal("Upsert with an empty marker: no error")
	}
}

func TestGitLabUpsertIdenticalBodyWritesNothing(t *testing.T) {
	f := gitlabfake.New(t)
	body := testMarker + "\n### Plan\nno changes"
	marked := f.Seed(42, 150, 140, strings.ReplaceAll(body, "\n", "\r\n")+"\n")
	rev := gitlabReviewFor(t, f, nil)

	url, err := rev.Upsert(context.Background(), 42, testMarker, body)
	if err != nil {
		t.Fatal(err)
	}
	if url != noteURL(marked.ID) {
		t.Errorf("Upsert() URL = %q, want %q", url, noteURL(marked.ID))
	}
	for _, r := range f.TakeRequests() {
		if !strings.HasPrefix(r, "GET ") {
			t.Errorf("identical body: unexpected write %s", r)
		}
	}
}

func TestGitLabUpsertPermissionErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		seeded bool // a marked note exists, so the write is a PUT
		method string
		status int
	}{
		{"403 on create", false, "POST", http.StatusForbidden},
		{"403 on update", true, "PUT", http.StatusForbidden},
		{"403 on list", false, "GET", http.StatusForbidden},
		{"401 on list", false, "GET", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := gitlabfake.New(t)
			if tc.seeded {
				f.Seed(42, 3, 1, testMarker+"\nold")
			}
			rev := gitlabReviewFor(t, f, map[string]string{"SEXTANT_INPUT_TOKEN_VARIABLE": "SHOP_NOTES_TOKEN", "SHOP_NOTES_TOKEN": gitlabfake.Token})
			f.FailNext(tc.method, tc.status)

			_, err := rev.Upsert(context.Background(), 42, testMarker, testMarker+"\nnew")
			var perr *PermissionError
			if !errors.As(err, &perr) {
				t.Fatalf("Upsert() error = %v (%T), want *PermissionError", err, err)
			}
			for _, want := range []string{"api scope", "Reporter role", "CI_JOB_TOKEN cannot", "project access token", "masked CI/CD variable SHOP_NOTES_TOKEN"} {
				if !strings.Contains(perr.Hint, want) {
					t.Errorf("Hint lacks %q:\n%s", want, perr.Hint)
				}
			}
			if got := strings.Contains(perr.Hint, "rejected the token"); got != (tc.status == http.StatusUnauthorized) {
				t.Errorf("status %d: hint says the token was rejected: %v\n%s", tc.status, got, perr.Hint)
			}
			if !strings.Contains(err.Error(), "merge request !42") || !strings.Contains(err.Error(), fmt.Sprint(tc.status)) {
				t.Errorf("error %q does not say what failed and why", err)
			}
		})
	}
}

func TestGitLabUpsertOtherErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		method string
		status int
	}{
		{"404 on list", "GET", http.StatusNotFound},
		// A create is not retried, so this fails at once instead of after client-go's retries.
		{"500 on create", "POST", http.StatusInternalServerError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := gitlabfake.New(t)
			rev := gitlabReviewFor(t, f, nil)
			f.FailNext(tc.method, tc.status)
			_, err := rev.Upsert(context.Background(), 42, testMarker, testMarker+"\nnew")
			var perr *PermissionError
			if err == nil || errors.As(err, &perr) {
				t.Fatalf("Upsert() error = %v; want a plain error", err)
			}
			if !strings.HasPrefix(err.Error(), "gitlab: ") || !strings.Contains(err.Error(), "merge request !42") {
				t.Fatalf("error %q lacks context", err)
			}
			if n := len(f.NotesOf(42)); n != 0 {
				t.Fatalf("%d notes after a failed create, want 0", n)
			}
		})
	}
}

func TestGitLabMergedPR(t *testing.T) {
	f := gitlabfake.New(t)
	at := func(day int) *time.Time {
		v := time.Date(2024, 5, day, 10, 0, 0, 0, time.UTC)
		return &v
	}
	const commit = "c0ffee0000000000000000000000000000000042"
	f.SetMergeRequests(commit,
		gitlabfake.MergeRequest{IID: 7, State: "opened", TargetBranch: "main"},
		gitlabfake.MergeRequest{IID: 9, State: "merged", TargetBranch: "release-1", MergedAt: at(3), MergeCommitSHA: commit},
		gitlabfake.MergeRequest{IID: 40, State: "merged", TargetBranch: "main", MergedAt: at(4)},
		gitlabfake.MergeRequest{IID: 42, State: "merged", TargetBranch: "main", MergedAt: at(2), SquashCommitSHA: commit},
	)
	f.SetMergeRequests("ff", // fast-forward merges: no merge commit, the latest wins
		gitlabfake.MergeRequest{IID: 3, State: "merged", TargetBranch: "main", MergedAt: at(1)},
		gitlabfake.MergeRequest{IID: 5, State: "merged", TargetBranch: "main", MergedAt: at(2)},
	)
	rev := gitlabReviewFor(t, f, map[string]string{"CI_PIPELINE_SOURCE": "push", "CI_MERGE_REQUEST_IID": ""})

	for _, tc := range []struct {
		commit string
		want   int
	}{{commit, 42}, {"ff", 5}, {"0000", 0}} {
		n, err := rev.MergedPR(context.Background(), tc.commit)
		if err != nil || n != tc.want {
			t.Errorf("MergedPR(%s) = %d, %v; want %d", tc.commit, n, err, tc.want)
		}
	}
	assertRequests(t, f.TakeRequests()[:1], []string{"GET /projects/4242/repository/commits/" + commit + "/merge_requests"})
}

func TestGitLabReviewToken(t *testing.T) {
	// No token, no review: the runner only warns. CI_JOB_TOKEN is no substitute.
	env := gitlabEnv(map[string]string{"CI_JOB_TOKEN": "job-token"})
	if rev, err := NewGitLab(envOf(env), &bytes.Buffer{}).Review(context.Background()); rev != nil || err != nil {
		t.Fatalf("Review() without a token = %v, %v; want nil, nil", rev, err)
	}

	// The token input wins over the variable; token-variable names another variable.
	for _, extra := range []map[string]string{
		{"SEXTANT_INPUT_TOKEN": "input-token", "GITLAB_TOKEN": "other"},
		{"SEXTANT_INPUT_TOKEN_VARIABLE": "SHOP_TOKEN", "SHOP_TOKEN": "input-token", "GITLAB_TOKEN": "other"},
	} {
		f := gitlabfake.New(t)
		f.SetToken("input-token")
		rev := gitlabReviewFor(t, f, extra)
		if _, err := rev.Upsert(context.Background(), 42, testMarker, testMarker+"\nplan"); err != nil {
			t.Errorf("%v: Upsert: %v", extra, err)
		}
	}

	env = gitlabEnv(map[string]string{"GITLAB_TOKEN": "t", "CI_API_V4_URL": "gitlab.example.com/api/v4"})
	if _, err := NewGitLab(envOf(env), &bytes.Buffer{}).Review(context.Background()); err == nil {
		t.Error("Review() with a relative CI_API_V4_URL: no error")
	}
}

func TestGitLabReviewBaseURL(t *testing.T) {
	for _, tc := range []struct{ api, server, want string }{
		{"https://gitlab.example.com/api/v4", "", "https://gitlab.example.com/api/v4/"},
		{"", "https://git.acme.internal", "https://git.acme.internal/api/v4/"},
		{"", "", "https://gitlab.com/api/v4/"},
	} {
		env := gitlabEnv(map[string]string{"GITLAB_TOKEN": "t", "CI_API_V4_URL": tc.api, "CI_SERVER_URL": tc.server})
		rev, err := NewGitLab(envOf(env), &bytes.Buffer{}).Review(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := rev.(*gitlabReview).client.BaseURL().String(); got != tc.want {
			t.Errorf("CI_API_V4_URL=%q CI_SERVER_URL=%q: base URL %q, want %q", tc.api, tc.server, got, tc.want)
		}
	}
}

func TestGitLabTrigger(t *testing.T) {
	g := NewGitLab(envOf(gitlabEnv(nil)), &bytes.Buffer{})
	got, err := g.Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Trigger{
		Event:         "merge_request_event",
		Repo:          "acme/shop",
		Branch:        "add-shipped-at",
		Commit:        "aaaabbbbccccddddeeeeffff0000111122223333",
		Actor:         "ada",
		DefaultBranch: "main",
		PR:            42,
		PRURL:         gitlabfake.WebURL + "/-/merge_requests/42",
		PRTitle:       "orders: add a shipped_at column",
		PRBody:        "Adds shipped_at.\n\nsextant: allow-destructive",
		BaseBranch:    "main",
		BaseCommit:    "1111222233334444555566667777888899990000",
		JobURL:        "https://gitlab.example.com/acme/shop/-/jobs/777",
	}
	if *got != want {
		t.Fatalf("Trigger() =\n%+v\nwant\n%+v", *got, want)
	}
	if got.OnDefaultBranch() {
		t.Error("a merge request pipeline is on the default branch")
	}

	// A push to the default branch: no merge request variables.
	push := gitlabEnv(map[string]string{
		"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_REF_NAME": "main", "CI_COMMIT_BRANCH": "main",
		"CI_MERGE_REQUEST_IID": "", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "", "CI_MERGE_REQUEST_TITLE": "",
		"CI_MERGE_REQUEST_DESCRIPTION": "", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "", "CI_MERGE_REQUEST_DIFF_BASE_SHA": "",
	})
	got, err = NewGitLab(envOf(push), &bytes.Buffer{}).Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.PR != 0 || got.PRURL != "" || got.Branch != "main" || !got.OnDefaultBranch() {
		t.Fatalf("push Trigger() = %+v; want branch main, no merge request", *got)
	}

	// A tag pipeline runs on no branch, though CI_COMMIT_REF_NAME holds the tag.
	tag := gitlabEnv(map[string]string{"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_TAG": "v1.2.0", "CI_COMMIT_REF_NAME": "v1.2.0",
		"CI_MERGE_REQUEST_IID": "", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": ""})
	if got, err := NewGitLab(envOf(tag), &bytes.Buffer{}).Trigger(context.Background()); err != nil || got.Branch != "" {
		t.Fatalf("tag Trigger() = %+v, %v; want no branch", got, err)
	}

	bad := gitlabEnv(map[string]string{"CI_MERGE_REQUEST_IID": "!42"})
	if _, err := NewGitLab(envOf(bad), &bytes.Buffer{}).Trigger(context.Background()); err == nil {
		t.Error("Trigger() with CI_MERGE_REQUEST_IID=!42: no error")
	}
}

func TestGitLabOutputsAndInputs(t *testing.T) {
	dotenv := filepath.Join(t.TempDir(), "out.env")
	var log bytes.Buffer
	g := NewGitLab(envOf(gitlabEnv(map[string]string{
		"SEXTANT_DOTENV":        dotenv,
		"SEXTANT_INPUT_DEV_URL": "  postgres://dev  ",
	})), &log)

	if got := g.Input("dev-url"); got != "postgres://dev" {
		t.Errorf(`Input("dev-url") = %q`, got)
	}
	if got := g.Input("token"); got != "" {
		t.Errorf(`Input("token") = %q, want ""`, got)
	}
	if err := g.SetOutput("status", "pending"); err != nil {
		t.Fatal(err)
	}
	if err := g.SetOutput("plan-url", "https://sextant.example.com/p/1?a=b"); err != nil {
		t.Fatal(err)
	}
	// A line break would let the rest of the value pose as further variables.
	if err := g.SetOutput("sql", "ALTER TABLE t;\nEVIL=1"); err == nil || !strings.Contains(err.Error(), "line breaks") {
		t.Errorf("SetOutput with a line break: error %v", err)
	}
	if err := g.SetOutput("a b", "x"); err == nil {
		t.Error("SetOutput with a space in the name: no error")
	}
	b, err := os.ReadFile(dotenv)
	if err != nil {
		t.Fatal(err)
	}
	const want = "SEXTANT_STATUS=pending\nSEXTANT_PLAN_URL=https://sextant.example.com/p/1?a=b\n"
	if string(b) != want {
		t.Fatalf("dotenv file:\n%s\nwant\n%s", b, want)
	}
	if log.String() != want {
		t.Fatalf("log:\n%s\nwant the same lines", log.String())
	}

	log.Reset()
	if err := g.Summary("# plan"); err != nil || log.Len() != 0 {
		t.Errorf("Summary() = %v, printed %q; want a no-op", err, log.String())
	}
	g.Annotate(Annotation{Level: "error", File: "schema/orders.sql", Line: 12, Title: "destructive", Message: "drops 100% of column x"})
	g.Warnf("no token in %s", "GITLAB_TOKEN")
	wantLog := "error schema/orders.sql:12: destructive: drops 100% of column x\n\x1b[33;1mwarning:\x1b[0m no token in GITLAB_TOKEN\n"
	if log.String() != wantLog {
		t.Errorf("log = %q, want %q", log.String(), wantLog)
	}
}

func TestGitLabDefaultDotenv(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := NewGitLab(envOf(gitlabEnv(nil)), &bytes.Buffer{}).SetOutput("changes", "3"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(DefaultDotenv)
	if err != nil || string(b) != "SEXTANT_CHANGES=3\n" {
		t.Fatalf("%s = %q, %v", DefaultDotenv, b, err)
	}
}

// Shown reads the bot's own sticky note, never a system note or a person's copy of the marker.
func TestGitLabShownIgnoresOthersNotes(t *testing.T) {
	f := gitlabfake.New(t)
	f.AddSystemNote(12, testMarker+"\nquoted by a system note")
	f.Seed(12, 3, 1, testMarker+"\n### Plan\nthe bot's")
	rev := gitlabReviewFor(t, f, nil)
	body, err := rev.Shown(context.Background(), 12, testMarker)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "the bot's") {
		t.Errorf("Shown() = %q, want the bot's note", body)
	}
}
