// Package ci is the runner's view of the CI system it runs in: which platform, the inputs the
// job was given, where outputs, summaries and annotations go, what triggered the job (pull
// request, push, deploy), and the code-review API that carries the plan comment.
//
// Every platform implements the same small interfaces, so the commands (sextant ci plan,
// approve, apply) never ask which platform they are on: GitHub Actions, GitLab CI and CircleCI
// differ only here. Outside CI the local platform reads SEXTANT_INPUT_<NAME> variables and
// prints what would be posted.
package ci

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sextant-db/sextant/internal/dburl"
)

// Platform is the CI system the runner is in.
type Platform interface {
	// Name is "github", "gitlab", "circleci" or "local".
	Name() string
	// Input returns the input called name (see Manifest), "" when it is not set.
	Input(name string) string
	// SetOutput publishes a step output.
	SetOutput(name, value string) error
	// Summary appends Markdown to the job's summary page; a no-op where there is none.
	Summary(markdown string) error
	// Annotate attaches a message to a line of a file in the job's view of the change.
	Annotate(a Annotation)
	// Warnf logs a warning the job's log shows as one.
	Warnf(format string, args ...any)
	// Trigger describes what started the job.
	Trigger(ctx context.Context) (*Trigger, error)
	// Review returns the code-review API (pull-request comments), or nil when the job has no
	// way to reach it (no token); the runner then only warns.
	Review(ctx context.Context) (Review, error)
}

// Trigger is what started a job.
type Trigger struct {
	Event         string // the platform's event name, e.g. "pull_request", "push"
	Repo          string // owner/name, or the project path
	Branch        string // the branch the job runs on (a pull request's head branch)
	Commit        string // the commit the job checked out
	Actor         string // who triggered it
	DefaultBranch string
	// PR is the pull or merge request number, 0 when the job is not about one.
	PR      int
	PRURL   string
	PRTitle string
	PRBody  string
	// BaseBranch and BaseCommit are the pull request's target, when there is one.
	BaseBranch, BaseCommit string
	// JobURL links to the job's log.
	JobURL string
	// NoPRYet is set for a branch build with no pull request open for the branch, on a
	// platform that builds branches rather than pull requests (CircleCI): a plan job there is
	// early, not misplaced.
	NoPRYet bool
	// PRUnknown, on such a platform, says why a branch build's pull request could not be
	// looked up (no token, the code host refused): there may well be one open. NoPRYet is
	// then false, since nobody could tell.
	PRUnknown string
}

// OnDefaultBranch reports whether the job runs for a push to the default branch.
func (t *Trigger) OnDefaultBranch() bool {
	return t.PR == 0 && t.DefaultBranch != "" && t.Branch == t.DefaultBranch
}

// CodeQuality is implemented by platforms that show lint results from a Code Quality report
// (GitLab's merge-request widget): the runner writes the report to the path it returns, which
// is the path the platform's job template declares as an artifact.
type CodeQuality interface {
	CodeQualityReport() string
}

// Review is the code-review API of a platform.
type Review interface {
	// Upsert makes body the one comment on pull request pr that carries marker (a hidden
	// HTML comment, see report.Marker): an existing comment is updated in place, found by
	// listing every page of comments; otherwise one is created. It returns the comment's URL.
	Upsert(ctx context.Context, pr int, marker, body string) (url string, err error)
	// MergedPR returns the number of the pull request that commit merged into the default
	// branch, 0 when it merged none.
	MergedPR(ctx context.Context, commit string) (int, error)
	// Shown returns the body of the comment on pull request pr that carries marker and that
	// the job's own identity wrote (a bot or the token's user): what the plan job showed the
	// reviewers. Comments by anyone else are ignored, since anyone who may comment could
	// copy the marker. "" when there is none.
	Shown(ctx context.Context, pr int, marker string) (string, error)
}

// PermissionError is a review call refused for lack of rights (a fork's pull request, a token
// without the scope). The runner reports it as a warning that says what to grant; it never
// fails the job.
type PermissionError struct {
	Op   string // what was attempted, e.g. "update comment 123"
	Hint string // what to grant, e.g. a workflow's permissions: block
	Err  error
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("%s: %v\n%s", e.Op, e.Err, e.Hint)
}

func (e *PermissionError) Unwrap() error { return e.Err }

// Annotation is a message on a line of a file.
type Annotation struct {
	Level   string // "error", "warning" or "notice"
	File    string // relative to the repository root; "" for none
	Line    int    // 1-based; 0 for none
	Title   string
	Message string
}

// stickyBody checks a sticky comment's arguments and returns the body to post: with the
// marker, since the next run finds the comment by it and a body without one would be posted
// anew every time. An empty marker is refused: it is in every comment and would overwrite the
// first one listed.
func stickyBody(pr int, marker, body string) (string, error) {
	switch {
	case pr <= 0:
		return "", fmt.Errorf("%d is not a pull or merge request number", pr)
	case strings.TrimSpace(marker) == "":
		return "", errors.New("empty marker")
	case !strings.Contains(body, marker):
		return marker + "\n" + body, nil
	}
	return body, nil
}

// pullInfo is what a code host tells of a pull or merge request.
type pullInfo struct {
	Number                 int
	URL, Title, Body       string
	BaseBranch, BaseCommit string
}

// forge is a code host's API as a platform that does not name the pull request itself
// (CircleCI) needs it: the review, and the questions the job's variables leave open.
type forge interface {
	Review
	// defaultBranchName returns the repository's default branch.
	defaultBranchName(ctx context.Context) (string, error)
	// openPull returns the number of the open pull request from branch of headOwner's
	// repository, 0 when there is none.
	openPull(ctx context.Context, headOwner, branch string) (int, error)
	// pull returns pull request n.
	pull(ctx context.Context, n int) (*pullInfo, error)
}

var (
	_ forge = (*githubReview)(nil)
	_ forge = (*gitlabReview)(nil)
)

// warning formats a warning for the job's log, redacted: warnings carry errors, and the log
// of a CI job is read by everyone who can read the repository (see dburl.Redact).
func warning(format string, args ...any) string {
	return dburl.Redact(fmt.Sprintf(format, args...))
}
