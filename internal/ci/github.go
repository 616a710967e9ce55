package ci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v66/github"
	"github.com/sethvargo/go-githubactions"
)

// GitHub is the GitHub Actions platform. Inputs, outputs, the job summary and workflow commands
// go through go-githubactions; pull-request comments through the REST API (go-github).
type GitHub struct {
	getenv func(string) string
	action *githubactions.Action
}

// NewGitHub returns the GitHub Actions platform reading the job's environment through getenv
// (os.Getenv when nil) and writing workflow commands (annotations, warnings) to w (os.Stdout
// when nil). The files the runner names in the environment ($GITHUB_EVENT_PATH, $GITHUB_OUTPUT,
// $GITHUB_STEP_SUMMARY) are found through getenv too.
func NewGitHub(getenv func(string) string, w io.Writer) *GitHub {
	if getenv == nil {
		getenv = os.Getenv
	}
	if w == nil {
		w = os.Stdout
	}
	return &GitHub{
		getenv: getenv,
		action: githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(w)),
	}
}

// Name implements Platform.
func (g *GitHub) Name() string { return "github" }

// Input implements Platform. The runner passes an action's inputs as INPUT_<NAME>, upper-cased
// with spaces as _ and - kept, so "dev-url" arrives as INPUT_DEV-URL. A shell cannot export a
// name with a -, so a job that runs the binary from a run: step and sets its variables by hand
// writes INPUT_DEV_URL; that spelling is read when the runner's is absent.
func (g *GitHub) Input(name string) string {
	if v := g.action.GetInput(name); v != "" {
		return v
	}
	if alt := strings.ReplaceAll(name, "-", "_"); alt != name {
		return g.action.GetInput(alt)
	}
	return ""
}

// SetOutput implements Platform by appending to the file named by $GITHUB_OUTPUT.
func (g *GitHub) SetOutput(name, value string) error {
	if g.getenv("GITHUB_OUTPUT") == "" {
		return fmt.Errorf("set output %s: GITHUB_OUTPUT is not set", name)
	}
	if name == "" || strings.ContainsAny(name, "\r\n=<") {
		return fmt.Errorf("set output %q: not a valid output name", name)
	}
	// go-githubactions writes every value between fixed heredoc delimiters. A value holding that
	// delimiter on a line of its own would end early, and the runner would read the rest as
	// further outputs of the attacker's choosing (a plan's SQL comes from the pull request).
	if strings.Contains(value, githubOutputDelimiter) {
		return fmt.Errorf("set output %s: the value contains the delimiter %s", name, githubOutputDelimiter)
	}
	return fileCommand("set output "+name, func() { g.action.SetOutput(name, value) })
}

// githubOutputDelimiter is the heredoc delimiter go-githubactions v1.3.1 writes around every
// output value in $GITHUB_OUTPUT.
const githubOutputDelimiter = "_GitHubActionsFileCommandDelimeter_"

// Summary implements Platform by appending to the file named by $GITHUB_STEP_SUMMARY; without one
// (an old runner, a local run with GITHUB_ACTIONS set) there is no summary page to write to.
func (g *GitHub) Summary(markdown string) error {
	if g.getenv("GITHUB_STEP_SUMMARY") == "" {
		return nil
	}
	return fileCommand("write job summary", func() { g.action.AddStepSummary(markdown) })
}

// fileCommand runs a go-githubactions call that writes an environment file. The library panics
// when the file cannot be opened or written; a full disk or a missing file must be an error the
// command can report, not a crash.
func fileCommand(op string, write func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("%s: %w", op, e)
				return
			}
			err = fmt.Errorf("%s: %v", op, r)
		}
	}()
	write()
	return nil
}

// Annotate implements Platform with an ::error, ::warning or ::notice workflow command; GitHub
// shows it on the file's line in the pull request's diff.
func (g *GitHub) Annotate(a Annotation) {
	fields := map[string]string{}
	if a.File != "" {
		fields["file"] = a.File
		if a.Line > 0 {
			fields["line"] = strconv.Itoa(a.Line)
		}
	}
	if a.Title != "" {
		fields["title"] = a.Title
	}
	act := g.action.WithFieldsMap(fields)
	// The message goes through "%s" so that a % in it (SQL's LIKE patterns) stays literal.
	switch a.Level {
	case "error":
		act.Errorf("%s", a.Message)
	case "warning":
		act.Warningf("%s", a.Message)
	default:
		act.Noticef("%s", a.Message)
	}
}

// Warnf implements Platform with a ::warning workflow command.
func (g *GitHub) Warnf(format string, args ...any) {
	g.action.Warningf("%s", warning(format, args...))
}

// githubEvent is the part of a webhook payload ($GITHUB_EVENT_PATH) the runner reads.
type githubEvent struct {
	PullRequest *struct {
		Number  int    `json:"number"`
		HTMLURL string `json:"html_url"`
		Title   string `json:"title"`
		Body    string `json:"body"`
		Base    struct {
			Ref string `json:"ref"`
			SHA string `json:"sha"`
		} `json:"base"`
		Head struct {
			Ref string `json:"ref"`
		} `json:"head"`
	} `json:"pull_request"`
	Repository struct {
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`
}

// Trigger implements Platform from the job's GITHUB_* variables and its event payload.
func (g *GitHub) Trigger(context.Context) (*Trigger, error) {
	gc, err := g.action.Context()
	if err != nil {
		return nil, fmt.Errorf("read the GitHub Actions context: %w", err)
	}
	var ev githubEvent
	if gc.Event != nil {
		// Context decodes the payload into a map; a round trip gives the typed view without
		// reading the file a second time.
		raw, err := json.Marshal(gc.Event)
		if err != nil {
			return nil, fmt.Errorf("read the event payload %s: %w", gc.EventPath, err)
		}
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("read the event payload %s: %w", gc.EventPath, err)
		}
	}

	owner, name := gc.Repo()
	t := &Trigger{
		Event:         gc.EventName,
		Commit:        gc.SHA,
		Actor:         gc.Actor,
		DefaultBranch: ev.Repository.DefaultBranch,
	}
	if owner != "" && name != "" {
		t.Repo = owner + "/" + name
	}
	// Only a branch push or a pull request runs "on" a branch; a tag's ref names no branch.
	if b, ok := strings.CutPrefix(gc.Ref, "refs/heads/"); ok {
		t.Branch = b
	}
	if pr := ev.PullRequest; pr != nil {
		t.PR = pr.Number
		t.PRURL = pr.HTMLURL
		t.PRTitle = pr.Title
		t.PRBody = pr.Body
		t.BaseBranch = pr.Base.Ref
		t.BaseCommit = pr.Base.SHA
		// A pull request's ref is refs/pull/N/merge; the branch is the head's, which the runner
		// gives as GITHUB_HEAD_REF for pull_request events and the payload has for the others.
		t.Branch = gc.HeadRef
		if t.Branch == "" {
			t.Branch = pr.Head.Ref
		}
	}
	if gc.ServerURL != "" && t.Repo != "" && gc.RunID != 0 {
		t.JobURL = fmt.Sprintf("%s/%s/actions/runs/%d", strings.TrimSuffix(gc.ServerURL, "/"), t.Repo, gc.RunID)
	}
	return t, nil
}

// githubDotComAPI is the API of github.com, go-github's default; any other GITHUB_API_URL is a
// GitHub Enterprise Server (https://HOST/api/v3) or GHE.com (https://api.SUBDOMAIN.ghe.com).
const githubDotComAPI = "https://api.github.com"

// Review implements Platform. The token is the "token" input, else $GITHUB_TOKEN; without
// either there is no way to comment and Review returns nil.
func (g *GitHub) Review(ctx context.Context) (Review, error) {
	token := g.Input("token")
	if token == "" {
		token = strings.TrimSpace(g.getenv("GITHUB_TOKEN"))
	}
	if token == "" {
		return nil, nil
	}
	t, err := g.Trigger(ctx)
	if err != nil {
		return nil, err
	}
	owner, repo, ok := strings.Cut(t.Repo, "/")
	if !ok || owner == "" || repo == "" {
		return nil, errors.New("github review: GITHUB_REPOSITORY is not set to owner/name")
	}
	r, err := newGitHubReview(token, g.getenv("GITHUB_API_URL"), owner, repo, t.DefaultBranch)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// newGitHubReview returns the review of repository owner/repo through the API at api ("" for
// github.com). defaultBranch may be "": it is looked up when needed.
func newGitHubReview(token, api, owner, repo, defaultBranch string) (*githubReview, error) {
	// The context bounds each call; the client's timeout only stops a server that stops
	// answering from holding the job until the runner kills it.
	client := github.NewClient(&http.Client{Timeout: time.Minute}).WithAuthToken(token)
	if api = strings.TrimSpace(api); api != "" && strings.TrimSuffix(api, "/") != githubDotComAPI {
		// The base URL is set as given rather than through WithEnterpriseURLs, which appends
		// /api/v3/ to any host not starting with "api." and so cannot address GHE.com or a
		// test server. GITHUB_API_URL is already the API root on every kind of GitHub.
		base, err := url.Parse(api)
		if err != nil || base.Scheme == "" || base.Host == "" {
			return nil, fmt.Errorf("github review: API URL %q is not an absolute URL", api)
		}
		if !strings.HasSuffix(base.Path, "/") {
			base.Path += "/"
		}
		client.BaseURL = base
	}
	return &githubReview{client: client, owner: owner, repo: repo, defaultBranch: defaultBranch}, nil
}

// githubReview is Review over the GitHub REST API.
type githubReview struct {
	client        *github.Client
	owner, repo   string
	defaultBranch string // from the event payload; looked up when empty
}

// Upsert implements Review with issue comments, which is what a pull request's conversation
// tab shows.
func (r *githubReview) Upsert(ctx context.Context, pr int, marker, body string) (string, error) {
	body, err := stickyBody(pr, marker, body)
	if err != nil {
		return "", fmt.Errorf("github: comment on pull request: %w", err)
	}

	existing, err := r.findComment(ctx, pr, func(c *github.IssueComment) bool { return strings.Contains(c.GetBody(), marker) })
	if err != nil {
		return "", err
	}
	if existing == nil {
		c, _, err := r.client.Issues.CreateComment(ctx, r.owner, r.repo, pr, &github.IssueComment{Body: github.String(body)})
		if err != nil {
			return "", r.fail(err, fmt.Sprintf("create a comment on pull request #%d", pr), true)
		}
		return c.GetHTMLURL(), nil
	}
	// Editing an unchanged comment would only bump its "edited" time and notify nobody usefully.
	if sameBody(existing.GetBody(), body) {
		return existing.GetHTMLURL(), nil
	}
	c, _, err := r.client.Issues.EditComment(ctx, r.owner, r.repo, existing.GetID(), &github.IssueComment{Body: github.String(body)})
	if err != nil {
		return "", r.fail(err, fmt.Sprintf("update comment %d on pull request #%d", existing.GetID(), pr), true)
	}
	if u := c.GetHTMLURL(); u != "" {
		return u, nil
	}
	return existing.GetHTMLURL(), nil
}

// findComment pages through a pull request's comments until one matches; a busy pull
// request has more comments than one page holds, and the sticky comment is usually an early one.
func (r *githubReview) findComment(ctx context.Context, pr int, match func(*github.IssueComment) bool) (*github.IssueComment, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		comments, resp, err := r.client.Issues.ListComments(ctx, r.owner, r.repo, pr, opts)
		if err != nil {
			return nil, r.fail(err, fmt.Sprintf("list the comments of pull request #%d", pr), false)
		}
		for _, c := range comments {
			if match(c) {
				return c, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}

// Shown implements Review. The job's own comments are those of a bot account (the
// GITHUB_TOKEN of Actions comments as github-actions[bot], a GitHub App as its bot) or of the
// token's user, when the API names it (a personal access token).
func (r *githubReview) Shown(ctx context.Context, pr int, marker string) (string, error) {
	self := ""
	if u, _, err := r.client.Users.Get(ctx, ""); err == nil { // an Actions token may not read it
		self = u.GetLogin()
	}
	c, err := r.findComment(ctx, pr, func(c *github.IssueComment) bool {
		own := c.GetUser().GetType() == "Bot" || self != "" && c.GetUser().GetLogin() == self
		return own && strings.Contains(c.GetBody(), marker)
	})
	if c == nil || err != nil {
		return "", err
	}
	return c.GetBody(), nil
}

// sameBody compares comment bodies as GitHub shows them: the API may hand a body back with CRLF
// line ends, and trailing white space renders as nothing.
func sameBody(a, b string) bool {
	norm := func(s string) string { return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \t\r\n") }
	return norm(a) == norm(b)
}

// MergedPR implements Review with the pull requests GitHub associates with the commit: for a
// merge, squash or rebase that is the pull request it landed, among open ones that contain it.
func (r *githubReview) MergedPR(ctx context.Context, commit string) (int, error) {
	if commit == "" {
		return 0, errors.New("github: find the merged pull request: no commit")
	}
	base, err := r.defaultBranchName(ctx)
	if err != nil {
		return 0, err
	}

	var best *github.PullRequest
	opts := &github.ListOptions{PerPage: 100}
	for {
		pulls, resp, err := r.client.PullRequests.ListPullRequestsWithCommit(ctx, r.owner, r.repo, commit, opts)
		if err != nil {
			return 0, r.fail(err, "list the pull requests of commit "+commit, false)
		}
		for _, p := range pulls {
			if p.MergedAt == nil || p.GetBase().GetRef() != base {
				continue
			}
			// The pull request whose merge made this very commit wins; otherwise the commit
			// came in through several (a branch merged twice) and the latest is the one that
			// brought it to the default branch.
			if p.GetMergeCommitSHA() == commit {
				return p.GetNumber(), nil
			}
			if best == nil || p.MergedAt.After(best.MergedAt.Time) {
				best = p
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if best == nil {
		return 0, nil
	}
	return best.GetNumber(), nil
}

// defaultBranchName returns the repository's default branch, asking the API once when the job's
// context did not name it.
func (r *githubReview) defaultBranchName(ctx context.Context) (string, error) {
	if r.defaultBranch != "" {
		return r.defaultBranch, nil
	}
	repo, _, err := r.client.Repositories.Get(ctx, r.owner, r.repo)
	if err != nil {
		return "", r.fail(err, "read the repository's default branch", false)
	}
	r.defaultBranch = repo.GetDefaultBranch()
	return r.defaultBranch, nil
}

// openPull returns the open pull request whose head is branch of headOwner's repository, 0
// when there is none. Of several (one branch proposed to two bases) the one into the default
// branch wins, else the newest, which GitHub lists first.
func (r *githubReview) openPull(ctx context.Context, headOwner, branch string) (int, error) {
	base, err := r.defaultBranchName(ctx)
	if err != nil {
		return 0, err
	}
	opts := &github.PullRequestListOptions{State: "open", Head: headOwner + ":" + branch, ListOptions: github.ListOptions{PerPage: 100}}
	pulls, _, err := r.client.PullRequests.List(ctx, r.owner, r.repo, opts)
	if err != nil {
		return 0, r.fail(err, "find the pull request of branch "+branch, false)
	}
	for _, p := range pulls {
		if p.GetBase().GetRef() == base {
			return p.GetNumber(), nil
		}
	}
	if len(pulls) > 0 {
		return pulls[0].GetNumber(), nil
	}
	return 0, nil
}

// pull returns what the job needs to know of pull request n.
func (r *githubReview) pull(ctx context.Context, n int) (*pullInfo, error) {
	p, _, err := r.client.PullRequests.Get(ctx, r.owner, r.repo, n)
	if err != nil {
		return nil, r.fail(err, fmt.Sprintf("read pull request #%d", n), false)
	}
	return &pullInfo{
		Number:     p.GetNumber(),
		URL:        p.GetHTMLURL(),
		Title:      p.GetTitle(),
		Body:       p.GetBody(),
		BaseBranch: p.GetBase().GetRef(),
		BaseCommit: p.GetBase().GetSHA(),
	}, nil
}

// githubPermissionHint is what a refused call tells the user to change. GITHUB_TOKEN gets only
// the permissions the workflow grants, and a fork's pull request only ever a read-only one.
const githubPermissionHint = `Grant the job's token the permissions to comment, in the workflow or the job:

permissions:
  contents: read
  pull-requests: write

Pull requests from forks always get a read-only token: post the comment from a follow-up workflow (on: workflow_run), or use pull_request_target only with care, since it runs with a write token in the base repository.`

// fail wraps an API error with what was attempted. A refusal (403, a 404 on a write, which is
// how GitHub hides a repository the token cannot write to, or an integration token without the
// permission) becomes a *PermissionError carrying the permissions to grant.
func (r *githubReview) fail(err error, op string, write bool) error {
	var resp *github.ErrorResponse
	if errors.As(err, &resp) && resp.Response != nil {
		code := resp.Response.StatusCode
		if code == http.StatusForbidden || (write && code == http.StatusNotFound) ||
			strings.Contains(resp.Message, "Resource not accessible by integration") {
			return &PermissionError{Op: "github: " + op, Hint: githubPermissionHint, Err: err}
		}
	}
	return fmt.Errorf("github: %s: %w", op, err)
}
