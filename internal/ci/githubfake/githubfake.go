// Package githubfake is a GitHub REST API for tests: an httptest server on loopback that
// answers the calls go-github makes for Sextant (repository, issue comments with pagination,
// pull requests of a commit) with the shapes GitHub documents, under /api/v3 as on GitHub
// Enterprise Server, and records every request. Nothing talks to the network.
package githubfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Token is the token the server accepts unless SetToken changes it.
const Token = "ghs_testtoken"

type Comment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
	User    User   `json:"user"`
}

// User is a comment's author. Comments made through the API are the Actions bot's, as the
// GITHUB_TOKEN of a workflow makes them.
type User struct {
	Login string `json:"login"`
	Type  string `json:"type"` // User or Bot
}

// Bot is the author of the comments made through the API.
var Bot = User{Login: "github-actions[bot]", Type: "Bot"}

// Pull is a pull request as the pulls endpoints return it.
type Pull struct {
	Number         int     `json:"number"`
	State          string  `json:"state"` // open or closed
	Title          string  `json:"title,omitempty"`
	Body           string  `json:"body,omitempty"`
	HTMLURL        string  `json:"html_url,omitempty"`
	MergedAt       *string `json:"merged_at"`
	MergeCommitSHA string  `json:"merge_commit_sha,omitempty"`
	Head           struct {
		Ref   string `json:"ref"`
		Label string `json:"label"` // owner:ref
	} `json:"head"`
	Base struct {
		Ref string `json:"ref"`
		SHA string `json:"sha,omitempty"`
	} `json:"base"`
}

// failure is an injected error response.
type failure struct {
	status  int
	message string
	header  map[string]string
}

type Server struct {
	t      testing.TB
	srv    *httptest.Server
	prefix string
	token  string

	mu            sync.Mutex
	comments      map[int][]*Comment // by pull request number
	nextID        int64
	pulls         map[string][]Pull // by commit
	prs           []Pull            // the repository's pull requests, newest first
	defaultBranch string
	fail          map[string]failure // by method: the next such request fails
	requests      []string           // "METHOD path?query", the prefix removed
}

func New(t testing.TB) *Server {
	t.Helper()
	f := &Server{
		t:             t,
		prefix:        "/api/v3",
		token:         Token,
		comments:      map[int][]*Comment{},
		nextID:        5000,
		pulls:         map[string][]Pull{},
		defaultBranch: "main",
		fail:          map[string]failure{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/{owner}/{repo}", f.getRepo)
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}/comments", f.listComments)
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues/{number}/comments", f.createComment)
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/issues/comments/{id}", f.editComment)
	mux.HandleFunc("GET /repos/{owner}/{repo}/commits/{sha}/pulls", f.listPulls)
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls", f.listRepoPulls)
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls/{number}", f.getPull)
	f.srv = httptest.NewServer(http.StripPrefix(f.prefix, f.guard(mux)))
	t.Cleanup(f.srv.Close)
	return f
}

// guard records every request, checks the token and repository, and plays injected failures.
func (f *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
		failure, failing := f.fail[r.Method]
		delete(f.fail, r.Method)
		f.mu.Unlock()

		if r.Header.Get("Authorization") != "Bearer "+f.token {
			writeAPIError(w, http.StatusUnauthorized, "Bad credentials")
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/repos/acme/shop") {
			writeAPIError(w, http.StatusNotFound, "Not Found")
			return
		}
		if failing {
			for k, v := range failure.header {
				w.Header().Set(k, v)
			}
			writeAPIError(w, failure.status, failure.message)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeAPIError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{
		"message":           message,
		"documentation_url": "https://docs.github.com/rest",
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *Server) getRepo(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"full_name":      r.PathValue("owner") + "/" + r.PathValue("repo"),
		"default_branch": f.defaultBranch,
	})
}

// listComments pages like GitHub: page and per_page (default 30, at most 100) in the query, a
// Link header with rel="next" and rel="last" while pages remain.
func (f *Server) listComments(w http.ResponseWriter, r *http.Request) {
	pr, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		writeAPIError(w, http.StatusNotFound, "Not Found")
		return
	}
	q := r.URL.Query()
	page, perPage := 1, 30
	if v := q.Get("page"); v != "" {
		page, _ = strconv.Atoi(v)
	}
	if v := q.Get("per_page"); v != "" {
		perPage, _ = strconv.Atoi(v)
	}
	perPage = min(max(perPage, 1), 100)
	page = max(page, 1)

	f.mu.Lock()
	all := f.comments[pr]
	start := min((page-1)*perPage, len(all))
	end := min(start+perPage, len(all))
	pageItems := make([]Comment, 0, end-start)
	for _, c := range all[start:end] {
		pageItems = append(pageItems, *c)
	}
	last := max((len(all)+perPage-1)/perPage, 1)
	f.mu.Unlock()

	if page < last {
		link := func(p int) string {
			return fmt.Sprintf("<%s%s%s?page=%d&per_page=%d>", f.srv.URL, f.prefix, r.URL.Path, p, perPage)
		}
		w.Header().Set("Link", link(page+1)+`; rel="next", `+link(last)+`; rel="last"`)
	}
	writeJSON(w, http.StatusOK, pageItems)
}

func (f *Server) createComment(w http.ResponseWriter, r *http.Request) {
	pr, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		writeAPIError(w, http.StatusNotFound, "Not Found")
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
		writeAPIError(w, http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	f.mu.Lock()
	c := f.addComment(pr, in.Body)
	out := *c
	f.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

func (f *Server) editComment(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeAPIError(w, http.StatusNotFound, "Not Found")
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
		writeAPIError(w, http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, cs := range f.comments {
		for _, c := range cs {
			if c.ID == id {
				c.Body = in.Body
				writeJSON(w, http.StatusOK, *c)
				return
			}
		}
	}
	writeAPIError(w, http.StatusNotFound, "Not Found")
}

func (f *Server) listPulls(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	pulls := append([]Pull{}, f.pulls[r.PathValue("sha")]...)
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, pulls)
}

// listRepoPulls filters like GitHub: state (open by default, closed or all), head as
// owner:branch, base; newest first. The fake does not page: tests hold few pull requests.
func (f *Server) listRepoPulls(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	f.mu.Lock()
	out := []Pull{}
	for _, p := range f.prs {
		switch {
		case state != "all" && p.State != state,
			q.Get("head") != "" && q.Get("head") != p.Head.Label,
			q.Get("base") != "" && q.Get("base") != p.Base.Ref:
			continue
		}
		out = append(out, p)
	}
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (f *Server) getPull(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("number"))
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.prs {
		if err == nil && p.Number == n {
			writeJSON(w, http.StatusOK, p)
			return
		}
	}
	writeAPIError(w, http.StatusNotFound, "Not Found")
}

// OpenPull opens pull request number from branch of the acme/shop repository into base,
// whose head is at baseSHA; it is listed before the ones opened earlier.
func (f *Server) OpenPull(number int, branch, base, baseSHA, title string) Pull {
	p := Pull{Number: number, State: "open", Title: title,
		HTMLURL: fmt.Sprintf("https://ghe.example.com/acme/shop/pull/%d", number)}
	p.Head.Ref, p.Head.Label = branch, "acme:"+branch
	p.Base.Ref, p.Base.SHA = base, baseSHA
	f.mu.Lock()
	defer f.mu.Unlock()
	f.prs = append([]Pull{p}, f.prs...)
	return p
}

// addComment stores a comment; f.mu must be held.
func (f *Server) addComment(pr int, body string) *Comment {
	return f.addCommentBy(pr, Bot, body)
}

func (f *Server) addCommentBy(pr int, u User, body string) *Comment {
	f.nextID++
	c := &Comment{
		ID:      f.nextID,
		User:    u,
		Body:    body,
		HTMLURL: fmt.Sprintf("https://ghe.example.com/acme/shop/pull/%d#issuecomment-%d", pr, f.nextID),
	}
	f.comments[pr] = append(f.comments[pr], c)
	return c
}

// seed gives pull request pr n comments; the one at index markerAt (-1 for none) carries the
// marker and body.
func (f *Server) Seed(pr, n, markerAt int, body string) *Comment {
	f.mu.Lock()
	defer f.mu.Unlock()
	var marked *Comment
	for i := 0; i < n; i++ {
		if i == markerAt {
			marked = f.addComment(pr, body)
			continue
		}
		f.addCommentBy(pr, User{Login: "octocat", Type: "User"}, fmt.Sprintf("comment %d: looks good to me", i))
	}
	return marked
}

// AddComment adds a comment by user login (a person, not the bot) to pull request pr.
func (f *Server) AddComment(pr int, login, body string) Comment {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.addCommentBy(pr, User{Login: login, Type: "User"}, body)
}

func (f *Server) FailNext(method string, status int, message string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = failure{status: status, message: message}
}

func (f *Server) TakeRequests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

func (f *Server) CommentsOf(pr int) []Comment {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Comment, 0, len(f.comments[pr]))
	for _, c := range f.comments[pr] {
		out = append(out, *c)
	}
	return out
}

// APIURL is the API base URL to give as GITHUB_API_URL.
func (f *Server) APIURL() string { return f.srv.URL + f.prefix }

// SetToken changes the token the server accepts.
func (f *Server) SetToken(token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.token = token
}

// SetDefaultBranch changes the repository's default branch.
func (f *Server) SetDefaultBranch(branch string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.defaultBranch = branch
}

// SetPulls sets the pull requests associated with commit.
func (f *Server) SetPulls(commit string, pulls ...Pull) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pulls[commit] = pulls
}

// FailNextWith makes the next request with method fail with status, message and headers.
func (f *Server) FailNextWith(method string, status int, message string, header map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = failure{status: status, message: message, header: header}
}
