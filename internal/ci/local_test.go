package ci

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestLocalInput(t *testing.T) {
	l := NewLocal(envOf(map[string]string{
		"SEXTANT_INPUT_DEV_URL":           " postgres://localhost/dev \n",
		"SEXTANT_INPUT_WORKING_DIRECTORY": "db",
		"INPUT_DEV-URL":                   "postgres://github-only/dev",
	}), &bytes.Buffer{})
	for name, want := range map[string]string{
		"dev-url":           "postgres://localhost/dev",
		"DEV-URL":           "postgres://localhost/dev",
		"working-directory": "db",
		"registry":          "",
	} {
		if got := l.Input(name); got != want {
			t.Errorf("Input(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestLocalOutputs(t *testing.T) {
	var buf bytes.Buffer
	l := NewLocal(envOf(nil), &buf)
	must(t, l.SetOutput("status", "PENDING"))
	must(t, l.SetOutput("changes", "3"))
	must(t, l.SetOutput("empty", ""))
	must(t, l.SetOutput("sql", "CREATE TABLE t (id int);\nEOF\nDROP TABLE u;"))
	want := "status=PENDING\n" +
		"changes=3\n" +
		"empty=\n" +
		"sql<<EOF_0\nCREATE TABLE t (id int);\nEOF\nDROP TABLE u;\nEOF_0\n"
	if got := buf.String(); got != want {
		t.Fatalf("outputs printed:\n%s\nwant:\n%s", got, want)
	}
	// The same parser that reads GitHub's output file reads these lines back.
	got := parseOutputs(t, buf.String())
	if got["sql"] != "CREATE TABLE t (id int);\nEOF\nDROP TABLE u;" || got["status"] != "PENDING" || got["empty"] != "" {
		t.Fatalf("outputs parsed back: %q", got)
	}
}

func TestLocalSummaryAnnotationsWarnings(t *testing.T) {
	var buf bytes.Buffer
	l := NewLocal(envOf(nil), &buf)
	must(t, l.Summary("## Plan\n\n3 statements"))
	l.Annotate(Annotation{Level: "error", File: "schema/orders.sql", Line: 12, Title: "PG101", Message: "dropping a column loses its data"})
	l.Annotate(Annotation{Level: "warning", File: "schema/orders.sql", Message: "no primary key"})
	l.Annotate(Annotation{Message: "nothing to plan"})
	l.Warnf("comment not posted: %s", "no token")
	want := "error schema/orders.sql:12: PG101: dropping a column loses its data\n" +
		"warning schema/orders.sql: no primary key\n" +
		"notice: nothing to plan\n" +
		"warning: comment not posted: no token\n"
	if got := buf.String(); got != want {
		t.Fatalf("printed:\n%s\nwant:\n%s", got, want)
	}
}

func TestLocalReviewPrints(t *testing.T) {
	var buf bytes.Buffer
	l := NewLocal(envOf(nil), &buf)
	rev, err := l.Review(context.Background())
	if err != nil || rev == nil {
		t.Fatalf("Review() = %v, %v; want a printing review", rev, err)
	}
	body := "<!-- sextant:plan app -->\n### Sextant plan\n\n```sql\nALTER TABLE orders ADD COLUMN shipped_at timestamptz;\n```\n"
	url, err := rev.Upsert(context.Background(), 0, "<!-- sextant:plan app -->", body)
	if err != nil || url != "" {
		t.Fatalf("Upsert() = %q, %v; want \"\", nil", url, err)
	}
	if buf.String() != body {
		t.Fatalf("Upsert printed %q, want %q", buf.String(), body)
	}
	n, err := rev.MergedPR(context.Background(), "c0ffee")
	if n != 0 || err != nil {
		t.Fatalf("MergedPR() = %d, %v; want 0, nil", n, err)
	}
}

func TestLocalTriggerFromEnv(t *testing.T) {
	l := NewLocal(envOf(map[string]string{
		"SEXTANT_PR":             "#42",
		"SEXTANT_COMMIT":         "9f2c1e7",
		"SEXTANT_BRANCH":         "add-shipped-at",
		"SEXTANT_DEFAULT_BRANCH": "main",
		"SEXTANT_ACTOR":          "ada",
		"SEXTANT_REPO":           "acme/shop",
		"SEXTANT_BASE_BRANCH":    "main",
		"SEXTANT_BASE_COMMIT":    "3b1d0c9",
	}), &bytes.Buffer{})
	l.gitDir = t.TempDir() // not a repository: nothing may come from git
	got, err := l.Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Trigger{
		Event: "local", Repo: "acme/shop", Branch: "add-shipped-at", Commit: "9f2c1e7", Actor: "ada",
		DefaultBranch: "main", PR: 42, BaseBranch: "main", BaseCommit: "3b1d0c9",
	}
	if *got != want {
		t.Fatalf("Trigger() =\n%+v\nwant\n%+v", *got, want)
	}
	if got.OnDefaultBranch() {
		t.Fatal("a pull request's trigger reports OnDefaultBranch")
	}
}

func TestLocalTriggerBadPR(t *testing.T) {
	l := NewLocal(envOf(map[string]string{"SEXTANT_PR": "forty-two"}), &bytes.Buffer{})
	l.gitDir = t.TempDir()
	_, err := l.Trigger(context.Background())
	if err == nil || !strings.Contains(err.Error(), "SEXTANT_PR") {
		t.Fatalf("Trigger() error = %v, want one naming SEXTANT_PR", err)
	}
}

func TestLocalTriggerOutsideRepository(t *testing.T) {
	l := NewLocal(envOf(map[string]string{"USER": "ada"}), &bytes.Buffer{})
	l.gitDir = t.TempDir()
	got, err := l.Trigger(context.Background())
	if err != nil {
		t.Fatalf("Trigger() outside a repository: %v", err)
	}
	if got.Commit != "" || got.Branch != "" || got.DefaultBranch != "" || got.Actor != "ada" || got.Event != "local" {
		t.Fatalf("Trigger() outside a repository = %+v", *got)
	}
}

func TestLocalTriggerFromGit(t *testing.T) {
	dir, git := gitRepo(t)
	git("checkout", "--quiet", "-b", "add-shipped-at")
	git("commit", "--quiet", "--allow-empty", "-m", "first")
	head := git("rev-parse", "HEAD")
	// What a clone records for the remote's default branch.
	git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")

	l := NewLocal(envOf(nil), &bytes.Buffer{})
	l.gitDir = dir
	got, err := l.Trigger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.Commit != head || got.Branch != "add-shipped-at" || got.DefaultBranch != "trunk" {
		t.Fatalf("Trigger() = %+v, want commit %s on add-shipped-at, default branch trunk", *got, head)
	}

	// The environment wins over git.
	l = NewLocal(envOf(map[string]string{"SEXTANT_COMMIT": "abc123", "SEXTANT_BRANCH": "main"}), &bytes.Buffer{})
	l.gitDir = dir
	if got, err = l.Trigger(context.Background()); err != nil || got.Commit != "abc123" || got.Branch != "main" {
		t.Fatalf("Trigger() with SEXTANT_COMMIT, SEXTANT_BRANCH = %+v, %v", got, err)
	}

	// A detached HEAD has no branch, and that is not an error.
	git("checkout", "--quiet", "--detach")
	l = NewLocal(envOf(nil), &bytes.Buffer{})
	l.gitDir = dir
	if got, err = l.Trigger(context.Background()); err != nil || got.Branch != "" || got.Commit != head {
		t.Fatalf("Trigger() on a detached HEAD = %+v, %v", got, err)
	}
}

// gitRepo makes an empty repository and returns it with a function that runs git in it, free
// of the machine's git configuration.
func gitRepo(t *testing.T) (dir string, git func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir = t.TempDir()
	git = func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(dir, ".gitconfig-none"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "--quiet")
	return dir, git
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// parseOutputs reads outputs the way the Actions runner reads $GITHUB_OUTPUT: name=value lines,
// and name<<DELIMITER blocks whose value runs to the line holding only the delimiter.
func parseOutputs(t *testing.T, data string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var value []string
			for i++; ; i++ {
				if i == len(lines) {
					t.Fatalf("output %s: no closing delimiter %s in:\n%s", name, delim, data)
				}
				if lines[i] == delim {
					break
				}
				value = append(value, lines[i])
			}
			out[name] = strings.Join(value, "\n")
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("output line %q is neither name=value nor name<<DELIMITER", line)
		}
		out[name] = value
	}
	return out
}
