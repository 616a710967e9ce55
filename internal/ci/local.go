package ci

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Local is the platform outside CI.
// Inputs are SEXTANT_INPUT_<NAME> variables; outputs, the summary, annotations and the review
// comment are printed, so a developer sees exactly what a pipeline would publish.
type Local struct {
	getenv func(string) string
	w      io.Writer
	// gitDir is where git is asked for the commit and branch the environment does not give;
	// "" is the working directory.
	gitDir string
}

// NewLocal returns the local platform reading variables through getenv (os.Getenv when nil)
// and printing to w (os.Stdout when nil).
func NewLocal(getenv func(string) string, w io.Writer) *Local {
	if getenv == nil {
		getenv = os.Getenv
	}
	if w == nil {
		w = os.Stdout
	}
	return &Local{getenv: getenv, w: w}
}

// Name implements Platform.
func (l *Local) Name() string { return "local" }

// Input implements Platform: "dev-url" is SEXTANT_INPUT_DEV_URL, a name every shell can export.
func (l *Local) Input(name string) string {
	return strings.TrimSpace(l.getenv(localInputVar(name)))
}

// localInputVar is the variable that carries input name outside GitHub.
func localInputVar(name string) string {
	return "SEXTANT_INPUT_" + strings.ToUpper(strings.NewReplacer("-", "_", " ", "_").Replace(name))
}

// SetOutput implements Platform by printing name=value. A value with line breaks is printed in
// the name<<DELIMITER form of GitHub's output files, so every line still parses.
func (l *Local) SetOutput(name, value string) error {
	if !strings.ContainsAny(value, "\r\n") {
		_, err := fmt.Fprintf(l.w, "%s=%s\n", name, value)
		return wrapWrite("print output "+name, err)
	}
	delim := "EOF"
	for i := 0; strings.Contains(value, delim); i++ {
		delim = "EOF_" + strconv.Itoa(i)
	}
	_, err := fmt.Fprintf(l.w, "%s<<%s\n%s\n%s\n", name, delim, value, delim)
	return wrapWrite("print output "+name, err)
}

// Summary implements Platform. Outside CI there is no summary page, and the runner already
// prints the same Markdown as the review comment: printing it twice helps nobody.
func (l *Local) Summary(string) error { return nil }

// Annotate implements Platform by printing "level file:line: message", the form editors and
// terminals turn into a link to the line.
func (l *Local) Annotate(a Annotation) { printAnnotation(l.w, a) }

// printAnnotation writes a as "level file:line: title: message", for platforms whose logs have
// no annotation syntax of their own.
func printAnnotation(w io.Writer, a Annotation) {
	level := a.Level
	if level == "" {
		level = "notice"
	}
	where := a.File
	if where != "" && a.Line > 0 {
		where += ":" + strconv.Itoa(a.Line)
	}
	msg := a.Message
	if a.Title != "" {
		msg = a.Title + ": " + msg
	}
	if where != "" {
		fmt.Fprintf(w, "%s %s: %s\n", level, where, msg)
		return
	}
	fmt.Fprintf(w, "%s: %s\n", level, msg)
}

// Warnf implements Platform.
func (l *Local) Warnf(format string, args ...any) {
	fmt.Fprintf(l.w, "warning: %s\n", warning(format, args...))
}

// Trigger implements Platform from SEXTANT_* variables, so a script can say which pull request
// or commit it stands for: SEXTANT_EVENT (default "local"), SEXTANT_REPO, SEXTANT_PR,
// SEXTANT_PR_URL, SEXTANT_COMMIT, SEXTANT_BRANCH, SEXTANT_BASE_BRANCH, SEXTANT_BASE_COMMIT,
// SEXTANT_DEFAULT_BRANCH and SEXTANT_ACTOR. Commit, branch and default branch the variables do
// not give are asked of git, when the directory is a repository; the actor falls back to $USER.
func (l *Local) Trigger(context.Context) (*Trigger, error) {
	v := func(name string) string { return strings.TrimSpace(l.getenv(name)) }
	t := &Trigger{
		Event:         v("SEXTANT_EVENT"),
		Repo:          v("SEXTANT_REPO"),
		Commit:        v("SEXTANT_COMMIT"),
		Branch:        v("SEXTANT_BRANCH"),
		DefaultBranch: v("SEXTANT_DEFAULT_BRANCH"),
		Actor:         v("SEXTANT_ACTOR"),
		PRURL:         v("SEXTANT_PR_URL"),
		BaseBranch:    v("SEXTANT_BASE_BRANCH"),
		BaseCommit:    v("SEXTANT_BASE_COMMIT"),
	}
	if t.Event == "" {
		t.Event = "local"
	}
	if s := v("SEXTANT_PR"); s != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(s, "#"))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("SEXTANT_PR=%q: want a pull request number", s)
		}
		t.PR = n
	}
	if t.Commit == "" {
		t.Commit = l.git("rev-parse", "--verify", "--quiet", "HEAD")
	}
	if t.Branch == "" {
		// Fails on a detached HEAD, which has no branch.
		t.Branch = l.git("symbolic-ref", "--quiet", "--short", "HEAD")
	}
	if t.DefaultBranch == "" {
		// A clone records the remote's default branch as origin/HEAD.
		if ref := l.git("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"); ref != "" {
			t.DefaultBranch = strings.TrimPrefix(ref, "origin/")
		}
	}
	if t.Actor == "" {
		t.Actor = v("USER")
	}
	return t, nil
}

// git returns the trimmed output of a git command in l.gitDir, "" when it fails: the fallbacks
// it serves are conveniences, and a directory that is not a repository (or a machine without
// git) is a normal place to run the local platform.
func (l *Local) git(args ...string) string { return gitOutput(l.gitDir, args...) }

// gitOutput returns the trimmed output of git args run in dir ("" for the working directory),
// "" when git fails.
func gitOutput(dir string, args ...string) string {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// Review implements Platform with a review that prints the comment: locally there is no pull
// request to post to, and seeing the comment is the point of a dry run.
func (l *Local) Review(context.Context) (Review, error) {
	return printReview{w: l.w}, nil
}

// printReview is the Review of the local platform.
type printReview struct{ w io.Writer }

// Upsert prints body. There is no comment, so the URL is "".
func (p printReview) Upsert(_ context.Context, _ int, _, body string) (string, error) {
	_, err := io.WriteString(p.w, withNewline(body))
	return "", wrapWrite("print comment", err)
}

// MergedPR returns 0: with no code-review system there is no pull request to find; SEXTANT_PR
// names one when a script needs it.
func (printReview) MergedPR(context.Context, string) (int, error) { return 0, nil }

// Shown implements Review: a printed comment cannot be read back.
func (printReview) Shown(context.Context, int, string) (string, error) { return "", nil }

func withNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func wrapWrite(op string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}
