package wrappers

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The workflows of docs/github.md are what users copy: their commit steps are run here, in a
// scratch clone, as GitHub would run them.

// docWorkflow is the part of a GitHub workflow the checks read.
type docWorkflow struct {
	Jobs map[string]struct {
		Steps []struct {
			ID   string            `yaml:"id"`
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Env  map[string]string `yaml:"env"`
			Run  string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// docCommitStep returns the env and run script of the step that commits after the action
// sextant-db/sextant/action/<command> in docs/github.md.
func docCommitStep(t *testing.T, command string) (map[string]string, string) {
	t.Helper()
	doc, err := os.ReadFile("../../../docs/github.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1) {
		var wf docWorkflow
		if err := yaml.Unmarshal(m[1], &wf); err != nil {
			continue // a fragment, not a workflow
		}
		for _, job := range wf.Jobs {
			uses := false
			for _, s := range job.Steps {
				if strings.Contains(s.Uses, "/action/"+command+"@") {
					uses = true
				}
				if uses && strings.Contains(s.Run, "git commit") || uses && strings.Contains(s.Run, "commit -m") {
					return s.Env, s.Run
				}
			}
		}
	}
	t.Fatalf("docs/github.md: no workflow commits after action/%s", command)
	return nil, ""
}

// runDocStep runs script as GitHub's bash shell does (bash -e) in a clone whose remote it may
// push to, after change made the registry's files; outputs stand for the action's step outputs
// in the step's env. It returns the subject of the commit the remote's main ends at, and the
// files of that commit.
func runDocStep(t *testing.T, env map[string]string, script string, outputs map[string]string, change func(dir string)) (subject, files string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root := t.TempDir()
	remote, work := filepath.Join(root, "remote.git"), filepath.Join(root, "work")
	git := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@x", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git(root, "init", "-q", "--bare", "-b", "main", remote)
	git(root, "clone", "-q", remote, work)
	git(work, "commit", "-q", "--allow-empty", "-m", "start")
	git(work, "push", "-q", "origin", "HEAD:main")
	git(work, "branch", "-q", "--set-upstream-to=origin/main")
	change(work)

	cmd := exec.Command("bash", "-e", "-c", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "GITHUB_REF_NAME=main", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x")
	expr := regexp.MustCompile(`^\$\{\{ steps\.sextant\.outputs\.([a-z-]+) \}\}$`)
	for name, v := range env {
		m := expr.FindStringSubmatch(v)
		if m == nil {
			t.Fatalf("env %s: %q is not a step output", name, v)
		}
		cmd.Env = append(cmd.Env, name+"="+outputs[m[1]])
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the step fails: %v\n%s", err, out)
	}
	return git(remote, "log", "-1", "--format=%s", "main"), git(remote, "show", "--name-only", "--format=", "main")
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDocsApproveCommitMessage(t *testing.T) {
	env, script := docCommitStep(t, "approve")
	// A push that merged no pull request: no plan output, main's state recorded all the same.
	subject, _ := runDocStep(t, env, script, map[string]string{"to": "sha256:00"}, func(dir string) {
		writeFile(t, filepath.Join(dir, ".sextant/app/tags/main"), "sha256:00\n")
	})
	if strings.Contains(subject, "  ") || !strings.Contains(subject, "main") || !strings.HasSuffix(subject, "[skip ci]") {
		t.Errorf("commit without a merged pull request: %q", subject)
	}
	subject, _ = runDocStep(t, env, script, map[string]string{"plan": "pr-42-1a2b3c4d", "to": "sha256:00"}, func(dir string) {
		writeFile(t, filepath.Join(dir, ".sextant/app/plans/pr-42-1a2b3c4d.sql"), "-- sextant plan\n")
	})
	if subject != "sextant: approve pr-42-1a2b3c4d [skip ci]" {
		t.Errorf("commit of an approval: %q", subject)
	}
}

func TestDocsDeployCommitsApplyRecord(t *testing.T) {
	env, script := docCommitStep(t, "apply")
	subject, files := runDocStep(t, env, script, map[string]string{"plan": "pr-42-1a2b3c4d", "result": "applied"}, func(dir string) {
		writeFile(t, filepath.Join(dir, ".sextant/app/applies.jsonl"), "{}\n")
	})
	if files != ".sextant/app/applies.jsonl" || !strings.Contains(subject, "pr-42-1a2b3c4d") || !strings.Contains(subject, "applied") {
		t.Errorf("deploy commit %q of %q; want the apply record committed", subject, files)
	}
}

// TestDocsImagePinning keeps docs/github.md from promising more than action.yml does: an
// image named by a tag is not pinned by the action's commit.
func TestDocsImagePinning(t *testing.T) {
	files, err := GitHub(ImageVersion)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../../docs/github.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(files["action.yml"]), "@sha256:") && strings.Contains(string(doc), "exactly the image") {
		t.Error("docs/github.md says pinning the action runs exactly the image, but action.yml names the image by a mutable tag")
	}
}
