// Package gitlabfake is a GitLab REST API v4 for tests: an httptest server on loopback that
// answers the calls client-go makes for Sextant (merge request notes with offset pagination,
// merge requests of a commit) with the shapes and headers GitLab documents, and records every
// request. Nothing talks to the network.
package gitlabfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// Token is the token the server accepts in PRIVATE-TOKEN unless SetToken changes it.
	Token = "glpat-testtoken"
	// ProjectID and ProjectPath name the one project the server knows; the API accepts either
	// (the path URL-encoded, as client-go sends it).
	ProjectID   = 4242
	ProjectPath = "acme/shop"
	// WebURL is the project's page, the base of the note URLs the tests expect.
	WebURL = "https://gitlab.example.com/acme/shop"
)

// Note is a merge request note as the API returns it. System notes are the ones GitLab writes
// itself ("added 1 commit", "changed the description"); they quote user text at times.
type Note struct {
	ID          int64     `json:"id"`
	Body        string    `json:"body"`
	System      bool      `json:"system"`
	NoteableIID int       `json:"noteable_iid"`
	CreatedAt   time.Time `json:"created_at"`
	Author      struct {
		Username string `json:"username"`
	} `json:"author"`
}

// MergeRequest is the part of a merge request the API returns that tests set.
type MergeRequest struct {
	IID             int        `json:"iid"`
	State           string     `json:"state"` // opened, closed, merged, locked
	Title           string     `json:"title,omitempty"`
	Description     string     `json:"description,omitempty"`
	SourceBranch    string     `json:"source_branch,omitempty"`
	TargetBranch    string     `json:"target_branch"`
	DiffRefs        *DiffRefs  `json:"diff_refs,omitempty"`
	MergedAt        *time.Time `json:"merged_at"`
	MergeCommitSHA  string     `json:"merge_commit_sha,omitempty"`
	SquashCommitSHA string     `json:"squash_commit_sha,omitempty"`
	WebURL          string     `json:"web_url,omitempty"`
}

// DiffRefs are the commits a merge request's diff is between; BaseSHA is where the source
// branch left the target.
type DiffRefs struct {
	BaseSHA  string `json:"base_sha"`
	HeadSHA  string `json:"head_sha"`
	StartSHA string `json:"start_sha"`
}

type Server struct {
	srv *httptest.Server

	mu       sync.Mutex
	token    string
	notes    map[int][]*Note // by merge request IID, oldest first
	nextID   int64
	clock    time.Time
	mrs      map[string][]MergeRequest // by commit
	open     []MergeRequest            // the project's merge requests, newest first
	fail     map[string]int            // by method: the next such request fails with this status
	requests []string                  // "METHOD path?query", /api/v4 removed
}

// New starts a server that t's cleanup stops.
func New(t testing.TB) *Server {
	t.Helper()
	f := &Server{
		token:  Token,
		notes:  map[int][]*Note{},
		nextID: 9000,
		clock:  time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC),
		mrs:    map[string][]MergeRequest{},
		fail:   map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /projects/{id}/merge_requests/{iid}/notes", f.listNotes)
	mux.HandleFunc("POST /projects/{id}/merge_requests/{iid}/notes", f.createNote)
	mux.HandleFunc("PUT /projects/{id}/merge_requests/{iid}/notes/{note}", f.updateNote)
	mux.HandleFunc("GET /projects/{id}/repository/commits/{sha}/merge_requests", f.commitMRs)
	mux.HandleFunc("GET /projects/{id}", f.getProject)
	mux.HandleFunc("GET /projects/{id}/merge_requests", f.listMRs)
	mux.HandleFunc("GET /projects/{id}/merge_requests/{iid}", f.getMR)
	f.srv = httptest.NewServer(http.StripPrefix("/api/v4", f.guard(mux)))
	t.Cleanup(f.srv.Close)
	return f
}

// guard records the request, checks the token, and plays an injected failure. The project is
// checked by the handlers, since only they have the path parsed.
func (f *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
		status, failing := f.fail[r.Method]
		delete(f.fail, r.Method)
		token := f.token
		f.mu.Unlock()

		// A CI_JOB_TOKEN arrives as JOB-TOKEN; GitLab does not let it use these endpoints.
		if r.Header.Get("Job-Token") != "" {
			writeError(w, http.StatusForbidden)
			return
		}
		if r.Header.Get("Private-Token") != token {
			writeError(w, http.StatusUnauthorized)
			return
		}
		if failing {
			writeError(w, status)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// writeError answers like GitLab: {"message": "403 Forbidden"}.
func writeError(w http.ResponseWriter, status int) {
	writeJSON(w, status, map[string]string{"message": fmt.Sprintf("%d %s", status, http.StatusText(status))})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// project reports whether the request is for the known project, by ID or by path.
func project(r *http.Request) bool {
	id := r.PathValue("id")
	return id == strconv.Itoa(ProjectID) || id == ProjectPath || id == url.PathEscape(ProjectPath)
}

// mrIID returns the merge request IID of the path, or writes a 404 and returns false.
func mrIID(w http.ResponseWriter, r *http.Request) (int, bool) {
	iid, err := strconv.Atoi(r.PathValue("iid"))
	if err != nil || !project(r) {
		writeError(w, http.StatusNotFound)
		return 0, false
	}
	return iid, true
}

// listNotes pages like GitLab's offset pagination: page and per_page (default 20, at most 100),
// newest first unless sort=asc, and the X-Page, X-Per-Page, X-Total, X-Total-Pages,
// X-Next-Page, X-Prev-Page and Link headers. X-Next-Page is empty on the last page.
func (f *Server) listNotes(w http.ResponseWriter, r *http.Request) {
	iid, ok := mrIID(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	page, perPage := 1, 20
	if v, err := strconv.Atoi(q.Get("page")); err == nil {
		page = v
	}
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil {
		perPage = v
	}
	perPage = min(max(perPage, 1), 100)
	page = max(page, 1)

	f.mu.Lock()
	all := make([]Note, 0, len(f.notes[iid]))
	for _, n := range f.notes[iid] {
		all = append(all, *n)
	}
	f.mu.Unlock()
	if q.Get("sort") != "asc" {
		for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
			all[i], all[j] = all[j], all[i]
		}
	}
	start := min((page-1)*perPage, len(all))
	end := min(start+perPage, len(all))
	pages := max((len(all)+perPage-1)/perPage, 1)

	h := w.Header()
	h.Set("X-Page", strconv.Itoa(page))
	h.Set("X-Per-Page", strconv.Itoa(perPage))
	h.Set("X-Total", strconv.Itoa(len(all)))
	h.Set("X-Total-Pages", strconv.Itoa(pages))
	h.Set("X-Next-Page", "")
	h.Set("X-Prev-Page", "")
	link := func(p int, rel string) string {
		u := *r.URL
		v := u.Query()
		v.Set("page", strconv.Itoa(p))
		v.Set("per_page", strconv.Itoa(perPage))
		u.RawQuery = v.Encode()
		return fmt.Sprintf(`<%s/api/v4%s>; rel="%s"`, f.srv.URL, u.RequestURI(), rel)
	}
	links := []string{}
	if page > 1 {
		h.Set("X-Prev-Page", strconv.Itoa(page-1))
		links = append(links, link(page-1, "prev"))
	}
	if page < pages {
		h.Set("X-Next-Page", strconv.Itoa(page+1))
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(1, "first"), link(pages, "last"))
	h.Set("Link", strings.Join(links, ", "))
	writeJSON(w, http.StatusOK, all[start:end])
}

func readBody(r *http.Request) (string, bool) {
	var in struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
		return "", false
	}
	return in.Body, true
}

func (f *Server) createNote(w http.ResponseWriter, r *http.Request) {
	iid, ok := mrIID(w, r)
	if !ok {
		return
	}
	body, ok := readBody(r)
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "400 Bad request - Note {:note=>[\"can't be blank\"]}"})
		return
	}
	f.mu.Lock()
	n := *f.addNote(iid, body, false)
	f.mu.Unlock()
	writeJSON(w, http.StatusCreated, n)
}

func (f *Server) updateNote(w http.ResponseWriter, r *http.Request) {
	iid, ok := mrIID(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("note"), 10, 64)
	if err != nil {
		writeError(w, http.StatusNotFound)
		return
	}
	body, ok := readBody(r)
	if !ok {
		writeError(w, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.notes[iid] {
		if n.ID == id {
			// GitLab refuses to edit system notes and notes of other authors.
			if n.System {
				writeError(w, http.StatusForbidden)
				return
			}
			n.Body = body
			writeJSON(w, http.StatusOK, *n)
			return
		}
	}
	writeError(w, http.StatusNotFound)
}

// commitMRs lists the merge requests of a commit, unpaginated as client-go asks for them.
func (f *Server) commitMRs(w http.ResponseWriter, r *http.Request) {
	if !project(r) {
		writeError(w, http.StatusNotFound)
		return
	}
	f.mu.Lock()
	mrs := append([]MergeRequest{}, f.mrs[r.PathValue("sha")]...)
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, mrs)
}

func (f *Server) getProject(w http.ResponseWriter, r *http.Request) {
	if !project(r) {
		writeError(w, http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": ProjectID, "path_with_namespace": ProjectPath, "web_url": WebURL, "default_branch": "main",
	})
}

// listMRs filters like GitLab: state (all by default), source_branch, target_branch; newest
// first. The fake does not page: tests hold few merge requests.
func (f *Server) listMRs(w http.ResponseWriter, r *http.Request) {
	if !project(r) {
		writeError(w, http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	f.mu.Lock()
	out := []MergeRequest{}
	for _, mr := range f.open {
		switch {
		case q.Get("state") != "" && q.Get("state") != "all" && q.Get("state") != mr.State,
			q.Get("source_branch") != "" && q.Get("source_branch") != mr.SourceBranch,
			q.Get("target_branch") != "" && q.Get("target_branch") != mr.TargetBranch:
			continue
		}
		out = append(out, mr)
	}
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (f *Server) getMR(w http.ResponseWriter, r *http.Request) {
	iid, ok := mrIID(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, mr := range f.open {
		if mr.IID == iid {
			writeJSON(w, http.StatusOK, mr)
			return
		}
	}
	writeError(w, http.StatusNotFound)
}

// OpenMergeRequest opens merge request iid from branch into target, which branch left at
// baseSHA; it is listed before the ones opened earlier.
func (f *Server) OpenMergeRequest(iid int, branch, target, baseSHA, title string) MergeRequest {
	mr := MergeRequest{IID: iid, State: "opened", Title: title, SourceBranch: branch, TargetBranch: target,
		DiffRefs: &DiffRefs{BaseSHA: baseSHA, StartSHA: baseSHA},
		WebURL:   fmt.Sprintf("%s/-/merge_requests/%d", WebURL, iid)}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.open = append([]MergeRequest{mr}, f.open...)
	return mr
}

// addNote stores a note; f.mu must be held.
func (f *Server) addNote(iid int, body string, system bool) *Note {
	f.nextID++
	f.clock = f.clock.Add(time.Minute)
	n := &Note{ID: f.nextID, Body: body, System: system, NoteableIID: iid, CreatedAt: f.clock}
	n.Author.Username = "project_4242_bot"
	if system {
		n.Author.Username = "ada"
	}
	f.notes[iid] = append(f.notes[iid], n)
	return n
}

// Seed gives merge request iid n user notes, oldest first; the one at index markerAt (-1 for
// none) has body, the others filler. It returns the note at markerAt, nil without one.
func (f *Server) Seed(iid, n, markerAt int, body string) *Note {
	f.mu.Lock()
	defer f.mu.Unlock()
	var marked *Note
	for i := 0; i < n; i++ {
		if i == markerAt {
			marked = f.addNote(iid, body, false)
			continue
		}
		f.addNote(iid, fmt.Sprintf("note %d: looks good to me", i), false)
	}
	if marked == nil {
		return nil
	}
	c := *marked
	return &c
}

// AddSystemNote appends a system note with body to merge request iid.
func (f *Server) AddSystemNote(iid int, body string) Note {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.addNote(iid, body, true)
}

// NotesOf returns merge request iid's notes, oldest first.
func (f *Server) NotesOf(iid int) []Note {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Note, 0, len(f.notes[iid]))
	for _, n := range f.notes[iid] {
		out = append(out, *n)
	}
	return out
}

// SetMergeRequests sets the merge requests associated with commit.
func (f *Server) SetMergeRequests(commit string, mrs ...MergeRequest) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mrs[commit] = mrs
}

// FailNext makes the next request with method answer status.
func (f *Server) FailNext(method string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = status
}

// TakeRequests returns the requests so far and forgets them.
func (f *Server) TakeRequests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

// SetToken changes the token the server accepts.
func (f *Server) SetToken(token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.token = token
}

// APIURL is the API base to give as CI_API_V4_URL.
func (f *Server) APIURL() string { return f.srv.URL + "/api/v4" }
