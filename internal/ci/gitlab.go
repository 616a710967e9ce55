package ci

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go"
)

// GitLab is the GitLab CI platform. Inputs are SEXTANT_INPUT_<NAME> variables (a .gitlab-ci.yml
// job has no inputs of its own beyond variables), outputs go to a dotenv report, and the plan
// is a note on the merge request, written through the REST API of the instance that runs the
// job, gitlab.com or self-managed alike.
type GitLab struct {
	getenv func(string) string
	w      io.Writer
}

// NewGitLab returns the GitLab CI platform reading the job's predefined variables through getenv
// (os.Getenv when nil) and printing to w (os.Stdout when nil), the job's log.
func NewGitLab(getenv func(string) string, w io.Writer) *GitLab {
	if getenv == nil {
		getenv = os.Getenv
	}
	if w == nil {
		w = os.Stdout
	}
	return &GitLab{getenv: getenv, w: w}
}

// Name implements Platform.
func (g *GitLab) Name() string { return "gitlab" }

// Input implements Platform: "dev-url" is SEXTANT_INPUT_DEV_URL, as on the local platform, so a
// job's variables: block reads the same as a developer's shell.
func (g *GitLab) Input(name string) string {
	return strings.TrimSpace(g.getenv(localInputVar(name)))
}

// CodeQualityFile is where the plan job's Code Quality report goes; templates/plan.yml
// declares it under artifacts:reports:codequality.
const CodeQualityFile = "gl-code-quality-report.json"

// CodeQualityReport implements CodeQuality.
func (g *GitLab) CodeQualityReport() string { return CodeQualityFile }

// DefaultDotenv is the dotenv file outputs go to when $SEXTANT_DOTENV does not name another.
// The job publishes it to later jobs by declaring it as a report:
//
//	artifacts:
//	  reports:
//	    dotenv: sextant.env
const DefaultDotenv = "sextant.env"

// SetOutput implements Platform by appending SEXTANT_<NAME>=value to the dotenv file
// ($SEXTANT_DOTENV, else DefaultDotenv in the working directory) and printing the line to the
// log. The prefix is there because every dotenv variable becomes an environment variable of the
// later jobs, where a bare "status" or "to" would say nothing of where it came from.
//
// GitLab's dotenv parser takes one line per variable and has no escape for a line break, so a
// multi-line value is refused rather than cut short or mangled; the runner's JSON outputs file
// still carries it.
func (g *GitLab) SetOutput(name, value string) error {
	key := "SEXTANT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	if name == "" || strings.TrimLeft(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		return fmt.Errorf("set output %q: a dotenv variable name takes only letters, digits, _ and -", name)
	}
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("set output %s: the value has line breaks, which a GitLab dotenv report cannot carry", name)
	}
	path := strings.TrimSpace(g.getenv("SEXTANT_DOTENV"))
	if path == "" {
		path = DefaultDotenv
	}
	line := key + "=" + value + "\n"
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("set output %s: %w", name, err)
	}
	_, err = f.WriteString(line)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("set output %s: write %s: %w", name, path, err)
	}
	_, err = io.WriteString(g.w, line)
	return wrapWrite("print output "+name, err)
}

// Summary implements Platform. A GitLab job has no summary page; the merge request note carries
// the same Markdown.
func (g *GitLab) Summary(string) error { return nil }

// Annotate implements Platform by printing "level file:line: message" to the log. GitLab shows
// findings on the diff only through a Code Quality report, an artifact the runner writes from
// all findings at once; a single line in the log is what is left to do here.
func (g *GitLab) Annotate(a Annotation) { printAnnotation(g.w, a) }

// Warnf implements Platform. GitLab's log has no warning syntax, but it renders ANSI colours, so
// the prefix is yellow and bold to stand out the way GitLab's own warnings do.
func (g *GitLab) Warnf(format string, args ...any) {
	fmt.Fprintf(g.w, "\x1b[33;1mwarning:\x1b[0m %s\n", warning(format, args...))
}

// Trigger implements Platform from GitLab's predefined CI/CD variables. A merge request pipeline
// (CI_PIPELINE_SOURCE=merge_request_event) has the CI_MERGE_REQUEST_* variables; a branch or
// tag pipeline has none of them, even when an open merge request exists for the branch.
func (g *GitLab) Trigger(context.Context) (*Trigger, error) {
	v := func(name string) string { return strings.TrimSpace(g.getenv(name)) }
	t := &Trigger{
		Event:         v("CI_PIPELINE_SOURCE"),
		Repo:          v("CI_PROJECT_PATH"),
		Commit:        v("CI_COMMIT_SHA"),
		Actor:         v("GITLAB_USER_LOGIN"),
		DefaultBranch: v("CI_DEFAULT_BRANCH"),
		JobURL:        v("CI_JOB_URL"),
	}
	// CI_COMMIT_REF_NAME is a tag's name in a tag pipeline, which is no branch; CI_COMMIT_BRANCH
	// is set only in branch pipelines, and a merge request pipeline names its source branch.
	switch {
	case v("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME") != "":
		t.Branch = v("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")
	case v("CI_COMMIT_BRANCH") != "":
		t.Branch = v("CI_COMMIT_BRANCH")
	case v("CI_COMMIT_TAG") == "":
		t.Branch = v("CI_COMMIT_REF_NAME")
	}
	if s := v("CI_MERGE_REQUEST_IID"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("CI_MERGE_REQUEST_IID=%q: want a merge request number", s)
		}
		t.PR = n
		t.PRTitle = v("CI_MERGE_REQUEST_TITLE")
		// GitLab cuts CI_MERGE_REQUEST_DESCRIPTION at 2700 characters; what the runner reads
		// from it (directives near the top) fits.
		t.PRBody = g.getenv("CI_MERGE_REQUEST_DESCRIPTION")
		t.BaseBranch = v("CI_MERGE_REQUEST_TARGET_BRANCH_NAME")
		t.BaseCommit = v("CI_MERGE_REQUEST_DIFF_BASE_SHA")
		if p := g.mrProjectURL(); p != "" {
			t.PRURL = p + "/-/merge_requests/" + s
		}
	}
	return t, nil
}

// mrProjectURL is the web page of the project that holds the merge request: the target project,
// which differs from CI_PROJECT_URL when a fork's pipeline runs in the fork.
func (g *GitLab) mrProjectURL() string {
	for _, k := range []string{"CI_MERGE_REQUEST_PROJECT_URL", "CI_PROJECT_URL"} {
		if u := strings.TrimSpace(g.getenv(k)); u != "" {
			return strings.TrimSuffix(u, "/")
		}
	}
	return ""
}

// DefaultGitLabTokenVariable is the CI/CD variable the token is read from unless the
// token-variable input names another.
const DefaultGitLabTokenVariable = "GITLAB_TOKEN"

// Review implements Platform. The token is the "token" input, else the variable the
// "token-variable" input names (DefaultGitLabTokenVariable by default); without one Review
// returns nil. CI_JOB_TOKEN is not used: GitLab does not let a job token read or write notes.
// The API is CI_API_V4_URL, which every job of every instance has.
func (g *GitLab) Review(ctx context.Context) (Review, error) {
	tokenVar := g.Input("token-variable")
	if tokenVar == "" {
		tokenVar = DefaultGitLabTokenVariable
	}
	token := g.Input("token")
	if token == "" {
		token = strings.TrimSpace(g.getenv(tokenVar))
	}
	if token == "" {
		return nil, nil
	}

	api := strings.TrimSpace(g.getenv("CI_API_V4_URL"))
	if api == "" {
		if server := strings.TrimSpace(g.getenv("CI_SERVER_URL")); server != "" {
			api = strings.TrimSuffix(server, "/") + "/api/v4"
		}
	}
	// The merge request belongs to the target project, which is not the pipeline's project when
	// a fork's pipeline runs in the fork. The numeric ID survives a project being renamed.
	var project any
	for _, k := range []string{"CI_MERGE_REQUEST_PROJECT_ID", "CI_PROJECT_ID"} {
		if s := strings.TrimSpace(g.getenv(k)); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("gitlab review: %s=%q is not a project ID", k, s)
			}
			project = id
			break
		}
	}
	if project == nil {
		p := strings.TrimSpace(g.getenv("CI_PROJECT_PATH"))
		if p == "" {
			return nil, errors.New("gitlab review: neither CI_PROJECT_ID nor CI_PROJECT_PATH is set")
		}
		project = p
	}
	r, err := newGitLabReview(token, api, project, g.mrProjectURL(), strings.TrimSpace(g.getenv("CI_DEFAULT_BRANCH")), tokenVar)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// gitlabDotComAPI is the API of gitlab.com, the instance a job outside GitLab CI means unless
// told otherwise.
const gitlabDotComAPI = "https://gitlab.com/api/v4"

// newGitLabReview returns the review of project (a numeric ID or a path) through the API at
// api ("" for gitlab.com). webURL is the project's page, for note links ("" when unknown);
// defaultBranch may be "": it is looked up when needed. tokenVar names where the token came
// from, for the hint when it is refused.
func newGitLabReview(token, api string, project any, webURL, defaultBranch, tokenVar string) (*gitlabReview, error) {
	if api == "" {
		api = gitlabDotComAPI
	}
	if u, err := url.Parse(api); err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("gitlab review: API URL %q is not an absolute URL", api)
	}
	// The context bounds each call; the client's timeout only stops a server that stops
	// answering from holding the job until the runner kills it.
	client, err := gitlab.NewClient(token,
		gitlab.WithBaseURL(api),
		gitlab.WithHTTPClient(&http.Client{Timeout: time.Minute}),
	)
	if err != nil {
		return nil, fmt.Errorf("gitlab review: %w", err)
	}
	return &gitlabReview{
		client:        client,
		project:       project,
		webURL:        webURL,
		defaultBranch: defaultBranch,
		tokenVar:      tokenVar,
	}, nil
}

// gitlabReview is Review over GitLab's REST API: merge request notes.
type gitlabReview struct {
	client        *gitlab.Client
	project       any    // numeric ID, or the path
	webURL        string // the project's page, for note links; "" when unknown
	defaultBranch string
	tokenVar      string // where the token came from, for the permission hint
}

// noteURL links to a note on its merge request's page; the API does not return one.
func (r *gitlabReview) noteURL(iid int, note int64) string {
	if r.webURL == "" {
		return ""
	}
	return fmt.Sprintf("%s/-/merge_requests/%d#note_%d", r.webURL, iid, note)
}

// Upsert implements Review with a merge request note, the comment the Overview tab shows.
func (r *gitlabReview) Upsert(ctx context.Context, pr int, marker, body string) (string, error) {
	body, err := stickyBody(pr, marker, body)
	if err != nil {
		return "", fmt.Errorf("gitlab: note on merge request: %w", err)
	}

	existing, err := r.findNote(ctx, pr, func(n *gitlab.Note) bool { return strings.Contains(n.Body, marker) })
	if err != nil {
		return "", err
	}
	if existing == nil {
		// A create is not retried on a server error, as client-go otherwise would: the note may
		// have been stored before the error, and a retry would post it twice. Only a rate limit
		// (429), which refused the request, is worth retrying.
		n, _, err := r.client.Notes.CreateMergeRequestNote(r.project, int64(pr),
			&gitlab.CreateMergeRequestNoteOptions{Body: gitlab.Ptr(body)},
			gitlab.WithContext(ctx),
			gitlab.WithRequestRetry(func(ctx context.Context, resp *http.Response, err error) (bool, error) {
				if ctx.Err() != nil {
					return false, ctx.Err()
				}
				return err == nil && resp.StatusCode == http.StatusTooManyRequests, nil
			}))
		if err != nil {
			return "", r.fail(err, fmt.Sprintf("create a note on merge request !%d", pr))
		}
		return r.noteURL(pr, n.ID), nil
	}
	// Editing an unchanged note would only mark it edited.
	if sameBody(existing.Body, body) {
		return r.noteURL(pr, existing.ID), nil
	}
	_, _, err = r.client.Notes.UpdateMergeRequestNote(r.project, int64(pr), existing.ID,
		&gitlab.UpdateMergeRequestNoteOptions{Body: gitlab.Ptr(body)}, gitlab.WithContext(ctx))
	if err != nil {
		return "", r.fail(err, fmt.Sprintf("update note %d on merge request !%d", existing.ID, pr))
	}
	return r.noteURL(pr, existing.ID), nil
}

// findNote pages through a merge request's notes, oldest first (GitLab lists newest first by
// default, and the sticky note is usually among the first), until a user note matches.
// System notes are skipped: GitLab writes them itself ("changed the description"), may quote
// user text, and refuses to edit them.
func (r *gitlabReview) findNote(ctx context.Context, pr int, match func(*gitlab.Note) bool) (*gitlab.Note, error) {
	opts := &gitlab.ListMergeRequestNotesOptions{
		ListOptions: gitlab.ListOptions{PerPage: 100},
		OrderBy:     gitlab.Ptr("created_at"),
		Sort:        gitlab.Ptr("asc"),
	}
	for {
		notes, resp, err := r.client.Notes.ListMergeRequestNotes(r.project, int64(pr), opts, gitlab.WithContext(ctx))
		if err != nil {
			return nil, r.fail(err, fmt.Sprintf("list the notes of merge request !%d", pr))
		}
		for _, n := range notes {
			if !n.System && match(n) {
				return n, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}

// botUserRE matches the users GitLab makes for project and group access tokens.
var botUserRE = regexp.MustCompile(`^(project|group)_\d+_bot(_[0-9a-f]+)?$`)

// Shown implements Review. The job's own notes are those of the token's user (GET /user), or,
// when the token cannot say who it is, of a project or group access token's bot user.
func (r *gitlabReview) Shown(ctx context.Context, pr int, marker string) (string, error) {
	var self int64 = -1
	if u, _, err := r.client.Users.CurrentUser(gitlab.WithContext(ctx)); err == nil {
		self = u.ID
	}
	n, err := r.findNote(ctx, pr, func(n *gitlab.Note) bool {
		own := self >= 0 && n.Author.ID == self || self < 0 && botUserRE.MatchString(n.Author.Username)
		return own && strings.Contains(n.Body, marker)
	})
	if n == nil || err != nil {
		return "", err
	}
	return n.Body, nil
}

// MergedPR implements Review with the merge requests GitLab associates with the commit: the
// merged one targeting the default branch, preferring the one whose merge or squash commit is
// this very commit.
func (r *gitlabReview) MergedPR(ctx context.Context, commit string) (int, error) {
	if commit == "" {
		return 0, errors.New("gitlab: find the merged merge request: no commit")
	}
	base, err := r.defaultBranchName(ctx)
	if err != nil {
		return 0, err
	}
	mrs, _, err := r.client.Commits.ListMergeRequestsByCommit(r.project, commit, gitlab.WithContext(ctx))
	if err != nil {
		return 0, r.fail(err, "list the merge requests of commit "+commit)
	}
	var best *gitlab.BasicMergeRequest
	for _, mr := range mrs {
		if mr.State != "merged" || mr.TargetBranch != base {
			continue
		}
		if mr.MergeCommitSHA == commit || mr.SquashCommitSHA == commit {
			return int(mr.IID), nil
		}
		// Otherwise the commit came in through several (a branch merged twice, a fast-forward
		// merge, which has no merge commit): the latest brought it to the default branch.
		if best == nil || (mr.MergedAt != nil && (best.MergedAt == nil || mr.MergedAt.After(*best.MergedAt))) {
			best = mr
		}
	}
	if best == nil {
		return 0, nil
	}
	return int(best.IID), nil
}

// defaultBranchName returns the project's default branch, asking the API once when the job's
// variables did not name it.
func (r *gitlabReview) defaultBranchName(ctx context.Context) (string, error) {
	if r.defaultBranch != "" {
		return r.defaultBranch, nil
	}
	p, _, err := r.client.Projects.GetProject(r.project, nil, gitlab.WithContext(ctx))
	if err != nil {
		return "", r.fail(err, "read the project's default branch")
	}
	r.defaultBranch = p.DefaultBranch
	return r.defaultBranch, nil
}

// openPull returns the open merge request from branch, 0 when there is none. Of several (one
// branch proposed to two targets) the one into the default branch wins, else the newest, which
// GitLab lists first. A fork's merge requests live in the target project; headOwner is not
// needed to tell them apart from the project's own, since the listing is the target's.
func (r *gitlabReview) openPull(ctx context.Context, _ string, branch string) (int, error) {
	base, err := r.defaultBranchName(ctx)
	if err != nil {
		return 0, err
	}
	mrs, _, err := r.client.MergeRequests.ListProjectMergeRequests(r.project, &gitlab.ListProjectMergeRequestsOptions{
		State:        gitlab.Ptr("opened"),
		SourceBranch: gitlab.Ptr(branch),
	}, gitlab.WithContext(ctx))
	if err != nil {
		return 0, r.fail(err, "find the merge request of branch "+branch)
	}
	for _, mr := range mrs {
		if mr.TargetBranch == base {
			return int(mr.IID), nil
		}
	}
	if len(mrs) > 0 {
		return int(mrs[0].IID), nil
	}
	return 0, nil
}

// pull returns what the job needs to know of merge request iid.
func (r *gitlabReview) pull(ctx context.Context, iid int) (*pullInfo, error) {
	mr, _, err := r.client.MergeRequests.GetMergeRequest(r.project, int64(iid), nil, gitlab.WithContext(ctx))
	if err != nil {
		return nil, r.fail(err, fmt.Sprintf("read merge request !%d", iid))
	}
	return &pullInfo{
		Number:     int(mr.IID),
		URL:        mr.WebURL,
		Title:      mr.Title,
		Body:       mr.Description,
		BaseBranch: mr.TargetBranch,
		BaseCommit: mr.DiffRefs.BaseSha,
	}, nil
}

// gitlabPermissionHint says what a token needs to keep the plan note. Reporter is the lowest
// role that can read and comment on the merge requests of a private project; writing needs the
// api scope, read_api only reads; the job token has no access to the notes API at all.
func gitlabPermissionHint(tokenVar string, unauthorized bool) string {
	var b strings.Builder
	if unauthorized {
		fmt.Fprintf(&b, "GitLab rejected the token in %s: it is expired, revoked or mistyped.\n", tokenVar)
	}
	fmt.Fprintf(&b, `The token needs the api scope and at least the Reporter role on the project (Reporter can comment on merge requests; Developer is not needed). A CI_JOB_TOKEN cannot write notes. Create a project access token (Settings > Access tokens) with role Reporter and scope api, and store it as a masked CI/CD variable %s.
GitLab lets only a note's author edit it: keep the same token's user, or the plan note cannot be updated.`, tokenVar)
	return b.String()
}

// fail wraps an API error with what was attempted. 401 (a bad token) and 403 (a role or scope
// short of what the call needs) become a *PermissionError carrying what to grant, which the
// runner reports as a warning.
func (r *gitlabReview) fail(err error, op string) error {
	var resp *gitlab.ErrorResponse
	if errors.As(err, &resp) && resp.Response != nil {
		switch code := resp.Response.StatusCode; code {
		case http.StatusUnauthorized, http.StatusForbidden:
			return &PermissionError{
				Op:   "gitlab: " + op,
				Hint: gitlabPermissionHint(r.tokenVar, code == http.StatusUnauthorized),
				Err:  err,
			}
		}
	}
	if errors.Is(err, gitlab.ErrNotFound) {
		// GitLab answers 404 for a project or merge request the token cannot see.
		return fmt.Errorf("gitlab: %s: %w (is project %v visible to the token?)", op, err, r.project)
	}
	return fmt.Errorf("gitlab: %s: %w", op, err)
}
