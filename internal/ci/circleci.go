package ci

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
)

// CircleCI is the CircleCI platform. CircleCI builds commits of a branch and says little about
// pull requests: at most the URL of one (CIRCLE_PULL_REQUEST, and only once it is open), and
// nothing of its base or of the repository's default branch. The platform therefore asks the
// code host that holds the repository, GitHub or GitLab, through its REST API, and also posts
// the plan comment there. Inputs are SEXTANT_INPUT_<NAME> variables (the orb's commands set
// them from their parameters); outputs are exported through $BASH_ENV to the job's later steps.
type CircleCI struct {
	getenv func(string) string
	w      io.Writer
	gitDir string // where git is asked what the variables do not say; "" is the working directory

	once     sync.Once
	host     forge // nil without a token
	hostErr  error
	tokenVar string
}

// NewCircleCI returns the CircleCI platform reading the job's variables through getenv
// (os.Getenv when nil) and printing to w (os.Stdout when nil), the step's log.
func NewCircleCI(getenv func(string) string, w io.Writer) *CircleCI {
	if getenv == nil {
		getenv = os.Getenv
	}
	if w == nil {
		w = os.Stdout
	}
	return &CircleCI{getenv: getenv, w: w}
}

// Name implements Platform.
func (c *CircleCI) Name() string { return "circleci" }

// Input implements Platform: "dev-url" is SEXTANT_INPUT_DEV_URL, which the orb's commands set
// from their parameters.
func (c *CircleCI) Input(name string) string {
	return strings.TrimSpace(c.getenv(localInputVar(name)))
}

// SetOutput implements Platform by appending `export SEXTANT_<NAME>='value'` to the file
// $BASH_ENV names, which CircleCI sources at the start of every later step of the job. The
// value is quoted for the shell, so line breaks and quotes in it arrive intact.
func (c *CircleCI) SetOutput(name, value string) error {
	key := "SEXTANT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	if name == "" || strings.TrimLeft(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		return fmt.Errorf("set output %q: an environment variable name takes only letters, digits, _ and -", name)
	}
	path := strings.TrimSpace(c.getenv("BASH_ENV"))
	if path == "" {
		return fmt.Errorf("set output %s: BASH_ENV is not set (CircleCI sets it in every step)", name)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("set output %s: %w", name, err)
	}
	_, err = fmt.Fprintf(f, "export %s=%s\n", key, shellQuote(value))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("set output %s: write %s: %w", name, path, err)
	}
	if strings.ContainsAny(value, "\r\n") {
		_, err = fmt.Fprintf(c.w, "%s: %d lines\n", key, strings.Count(value, "\n")+1)
	} else {
		_, err = fmt.Fprintf(c.w, "%s=%s\n", key, value)
	}
	return wrapWrite("print output "+name, err)
}

// shellQuote quotes s for a POSIX shell: single quotes keep everything literal but a single
// quote, which is closed, escaped and reopened.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Summary implements Platform. A CircleCI job has no summary page; the pull request comment
// carries the same Markdown.
func (c *CircleCI) Summary(string) error { return nil }

// Annotate implements Platform by printing "level file:line: message" to the log: CircleCI
// has no annotations on a diff.
func (c *CircleCI) Annotate(a Annotation) { printAnnotation(c.w, a) }

// Warnf implements Platform. CircleCI's log renders ANSI colours.
func (c *CircleCI) Warnf(format string, args ...any) {
	fmt.Fprintf(c.w, "\x1b[33;1mwarning:\x1b[0m %s\n", warning(format, args...))
}

// Trigger implements Platform from CircleCI's built-in variables, completed by the code host.
//
// The pull request is, in this order: CIRCLE_PR_NUMBER (set for pull requests from forks),
// the number at the end of CIRCLE_PULL_REQUEST, or the open pull request whose head is the
// job's branch, found through the API. Its title, description and base come from the API too.
// Without a token the API is not asked: the job knows the pull request only from the
// variables, and its base commit from git (the merge base with the default branch).
//
// A failed API call is a warning, not an error: the job goes on with what the variables say,
// and `sextant ci plan` then explains that it found no pull request.
func (c *CircleCI) Trigger(ctx context.Context) (*Trigger, error) {
	v := func(name string) string { return strings.TrimSpace(c.getenv(name)) }
	_, path := c.repository()
	t := &Trigger{
		Event:  "push",
		Repo:   path,
		Branch: v("CIRCLE_BRANCH"),
		Commit: v("CIRCLE_SHA1"),
		Actor:  v("CIRCLE_USERNAME"),
		PRURL:  v("CIRCLE_PULL_REQUEST"),
		JobURL: v("CIRCLE_BUILD_URL"),
	}
	if v("CIRCLE_TAG") != "" {
		// A tag build names the tag, not a branch, in CIRCLE_BRANCH's place.
		t.Event, t.Branch = "tag", ""
	}
	switch {
	case v("CIRCLE_PR_NUMBER") != "":
		n, err := strconv.Atoi(v("CIRCLE_PR_NUMBER"))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("CIRCLE_PR_NUMBER=%q: want a pull request number", v("CIRCLE_PR_NUMBER"))
		}
		t.PR = n
	case t.PRURL != "":
		n, err := pullNumberOf(t.PRURL)
		if err != nil {
			return nil, fmt.Errorf("CIRCLE_PULL_REQUEST: %w", err)
		}
		t.PR = n
	}

	host, err := c.forge()
	if err != nil {
		return nil, err
	}
	asked := false // whether the code host said which pull request the branch has
	if host != nil {
		asked = c.complete(ctx, host, t)
	}
	if t.DefaultBranch == "" {
		// A clone records the remote's default branch as origin/HEAD.
		if ref := gitOutput(c.gitDir, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"); ref != "" {
			t.DefaultBranch = strings.TrimPrefix(ref, "origin/")
		}
	}
	if t.PR == 0 && t.Branch != "" && t.Branch != t.DefaultBranch {
		switch {
		case asked:
			t.NoPRYet = true
		case host == nil:
			t.PRUnknown = fmt.Sprintf("without an API token the pull request of branch %s cannot be looked up: "+
				"set %s (in a context), or name the variable that holds the token with the token-variable parameter", t.Branch, c.tokenVar)
		default:
			t.PRUnknown = fmt.Sprintf("the pull request of branch %s could not be looked up (see the warning above)", t.Branch)
		}
	}
	if t.PR > 0 {
		t.Event = "pull_request"
		if t.BaseCommit == "" {
			// CircleCI's checkout fetches the remote's branches: the fork point from the base
			// branch is the state the pull request started from.
			if base := firstNonEmpty(t.BaseBranch, t.DefaultBranch); base != "" {
				t.BaseCommit = gitOutput(c.gitDir, "merge-base", "HEAD", "origin/"+base)
			}
		}
	}
	return t, nil
}

// complete fills in from the code host what the variables leave out. It reports whether the
// host answered which pull request the job is about (false after a warning).
func (c *CircleCI) complete(ctx context.Context, host forge, t *Trigger) bool {
	warn := func(err error) {
		var perm *PermissionError
		if errors.As(err, &perm) {
			c.Warnf("%v", perm)
			return
		}
		c.Warnf("%v; going on with what CircleCI's variables say", err)
	}
	base, err := host.defaultBranchName(ctx)
	if err != nil {
		warn(err)
		return false
	}
	t.DefaultBranch = base
	if t.PR == 0 && t.Branch != "" && t.Branch != base {
		owner := strings.TrimSpace(c.getenv("CIRCLE_PR_USERNAME"))
		if owner == "" {
			owner = strings.TrimSpace(c.getenv("CIRCLE_PROJECT_USERNAME"))
		}
		if t.PR, err = host.openPull(ctx, owner, t.Branch); err != nil {
			warn(err)
			return false
		}
	}
	if t.PR == 0 {
		return true
	}
	p, err := host.pull(ctx, t.PR)
	if err != nil {
		warn(err)
		return false
	}
	t.PRURL, t.PRTitle, t.PRBody = p.URL, p.Title, p.Body
	t.BaseBranch, t.BaseCommit = p.BaseBranch, p.BaseCommit
	return true
}

// Review implements Platform with the code host's review API; nil without a token.
func (c *CircleCI) Review(context.Context) (Review, error) {
	host, err := c.forge()
	if err != nil || host == nil {
		return nil, err
	}
	return host, nil
}

// Code hosts a CircleCI project can live on.
const (
	hostGitHub = "github"
	hostGitLab = "gitlab"
)

// repository returns the code host's name and the repository's path (owner/name, or a GitLab
// project path with its groups) from CIRCLE_REPOSITORY_URL, the clone URL in any of git's
// forms; without it, github.com and CIRCLE_PROJECT_USERNAME/CIRCLE_PROJECT_REPONAME.
func (c *CircleCI) repository() (host, path string) {
	if h, p, ok := parseRepoURL(c.getenv("CIRCLE_REPOSITORY_URL")); ok {
		return h, p
	}
	owner, name := strings.TrimSpace(c.getenv("CIRCLE_PROJECT_USERNAME")), strings.TrimSpace(c.getenv("CIRCLE_PROJECT_REPONAME"))
	if owner == "" || name == "" {
		return "github.com", ""
	}
	return "github.com", owner + "/" + name
}

// parseRepoURL splits a clone URL, git@host:path.git, ssh://git@host:port/path.git or
// https://host/path, into its host (without a port) and its path (without .git).
func parseRepoURL(s string) (host, path string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", false
	}
	if !strings.Contains(s, "://") {
		// The scp-like form: [user@]host:path.
		at := strings.LastIndex(s[:max(strings.Index(s, ":"), 0)], "@")
		h, p, found := strings.Cut(s[at+1:], ":")
		if !found {
			return "", "", false
		}
		host, path = h, p
	} else {
		u, err := url.Parse(s)
		if err != nil {
			return "", "", false
		}
		host, path = u.Hostname(), u.Path
	}
	path = strings.TrimSuffix(strings.Trim(path, "/"), ".git")
	if host == "" || !strings.Contains(path, "/") {
		return "", "", false
	}
	return host, path, true
}

// kind says which code host's API to use, and where it is: the api-url input wins (a GitLab API
// root always ends in /api/v4); otherwise the repository's host decides, GitLab when its name
// says so, else GitHub (github.com, or GitHub Enterprise Server at https://HOST/api/v3).
func (c *CircleCI) kind() (kind, api, path string) {
	host, path := c.repository()
	api = strings.TrimSuffix(c.Input("api-url"), "/")
	switch {
	case strings.HasSuffix(api, "/api/v4"),
		api == "" && strings.Contains(strings.ToLower(host), "gitlab"):
		kind = hostGitLab
		if api == "" {
			api = "https://" + host + "/api/v4"
		}
	default:
		kind = hostGitHub
		if api == "" && host != "github.com" {
			api = "https://" + host + "/api/v3"
		}
	}
	return kind, api, path
}

// forge returns the code host's API, built once; nil without a token. The token is the token
// input, else the variable the token-variable input names, else GITHUB_TOKEN or GITLAB_TOKEN.
func (c *CircleCI) forge() (forge, error) {
	c.once.Do(func() {
		kind, api, path := c.kind()
		c.tokenVar = c.Input("token-variable")
		if c.tokenVar == "" {
			c.tokenVar = map[string]string{hostGitHub: "GITHUB_TOKEN", hostGitLab: DefaultGitLabTokenVariable}[kind]
		}
		token := c.Input("token")
		if token == "" {
			token = strings.TrimSpace(c.getenv(c.tokenVar))
		}
		if token == "" {
			return
		}
		if path == "" {
			c.hostErr = errors.New("circleci: neither CIRCLE_REPOSITORY_URL nor CIRCLE_PROJECT_USERNAME and CIRCLE_PROJECT_REPONAME name the repository")
			return
		}
		switch kind {
		case hostGitLab:
			host, _ := c.repository()
			web := "https://" + host + "/" + path
			var r *gitlabReview
			if r, c.hostErr = newGitLabReview(token, api, path, web, "", c.tokenVar); c.hostErr == nil {
				c.host = r
			}
		default:
			owner, name, _ := strings.Cut(path, "/")
			var r *githubReview
			if r, c.hostErr = newGitHubReview(token, api, owner, name, ""); c.hostErr == nil {
				c.host = r
			}
		}
	})
	return c.host, c.hostErr
}

// pullNumberOf reads the number at the end of a pull request's URL: …/pull/42 on GitHub,
// …/-/merge_requests/42 on GitLab.
func pullNumberOf(u string) (int, error) {
	i := strings.LastIndex(strings.TrimSuffix(u, "/"), "/")
	n, err := strconv.Atoi(strings.TrimSuffix(u, "/")[i+1:])
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q does not end in a pull request number", u)
	}
	return n, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
