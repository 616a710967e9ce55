package source

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitFiles reads a file and a directory as they were at an earlier commit, after the
// working tree has moved on.
func TestGitFiles(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@x", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q", "-b", "main")
	write("schema/02_b.sql", "CREATE TABLE b (id int);\n")
	write("schema/01_a.sql", "CREATE TABLE a (id int);\n")
	write("schema/notes.txt", "not SQL\n")
	run("add", ".")
	run("commit", "-q", "-m", "v1")
	write("schema/01_a.sql", "CREATE TABLE a (id bigint);\n")
	run("commit", "-q", "-am", "v2")

	t.Chdir(dir)
	ctx := context.Background()
	files, err := SQLFiles(ctx, "git://HEAD~1:schema/", Env{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Path != "git://HEAD~1:schema/01_a.sql" || files[0].SQL != "CREATE TABLE a (id int);\n" ||
		files[1].Path != "git://HEAD~1:schema/02_b.sql" {
		t.Errorf("directory at HEAD~1: %+v", files)
	}
	files, err = SQLFiles(ctx, "git://main:schema/01_a.sql", Env{})
	if err != nil || len(files) != 1 || files[0].SQL != "CREATE TABLE a (id bigint);\n" {
		t.Errorf("file at main: %+v, %v", files, err)
	}
	for src, want := range map[string]string{
		"git://main":                "want git://REV:path",
		"git://nope:schema/":        "git cat-file",
		"git://main:missing.sql":    "git cat-file",
		"git://HEAD~1:schema/x.sql": "git cat-file",
	} {
		if _, err := SQLFiles(ctx, src, Env{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}
