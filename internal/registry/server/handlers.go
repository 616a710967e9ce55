package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
)

// httpError is an error with the response it deserves.
type httpError struct {
	code  int
	msg   string
	scope registry.Scope // the scope that was missing, on 403
}

func (e *httpError) Error() string { return e.msg }

func badRequest(msg string) error { return &httpError{code: http.StatusBadRequest, msg: msg} }
func unauthorized(msg string) error {
	return &httpError{code: http.StatusUnauthorized, msg: msg}
}
func forbidden(scope registry.Scope, msg string) error {
	return &httpError{code: http.StatusForbidden, msg: msg, scope: scope}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client went away; nothing to tell it
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, api.Error{Error: msg})
}

// writeErr answers with err. Errors the server did not expect are logged with the request's
// ID and answered with that ID only: their text may name database internals.
func (s *server) writeErr(w http.ResponseWriter, r *http.Request, err error) {
	var (
		he       *httpError
		conflict *registry.ConflictError
		tooBig   *http.MaxBytesError
	)
	switch {
	case errors.As(err, &he):
		if he.code == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sextant-registry"`)
		}
		writeJSON(w, he.code, api.Error{Error: he.msg, Scope: he.scope})
	case errors.As(err, &conflict):
		writeJSON(w, http.StatusConflict, api.Error{
			Error:          fmt.Sprintf("%v: another request changed it first", conflict),
			CurrentStatus:  conflict.Got,
			ExpectedStatus: conflict.Want,
		})
	case errors.Is(err, registry.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes (the server's --max-body)", tooBig.Limit))
	case r.Context().Err() != nil:
		// The client is gone; the log line says so through the status.
		w.WriteHeader(499)
	default:
		id := ""
		if info := infoFrom(r.Context()); info != nil {
			id = info.id
		}
		s.log.ErrorContext(r.Context(), "request failed", "request_id", id, "route", r.Pattern, "error", err)
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("internal error; the server's log has it under request_id %s", id))
	}
}

// readBody reads the request body, at most s.maxBody bytes.
func (s *server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, badRequest(fmt.Sprintf("read body: %v", err))
	}
	return b, nil
}

// decode reads the JSON object in the body into v, strictly: one object, no unknown fields.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	return decodeJSON(r, b, v)
}

// decodeOptional is decode for bodies that may be left out.
func (s *server) decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := s.readBody(w, r)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return err
	}
	return decodeJSON(r, b, v)
}

func decodeJSON(r *http.Request, b []byte, v any) error {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return &httpError{code: http.StatusUnsupportedMediaType,
			msg: fmt.Sprintf("Content-Type is %q: send the body as application/json", ct)}
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return badRequest("empty body: want a JSON object with " + fieldList(v))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err := dec.Token(); err != io.EOF {
			return badRequest(fmt.Sprintf("malformed JSON: data after the object at byte %d", dec.InputOffset()))
		}
		return nil
	}
	var (
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntax):
		line, col := position(b, syntax.Offset)
		return badRequest(fmt.Sprintf("malformed JSON at line %d, column %d: %v", line, col, strings.TrimPrefix(err.Error(), "json: ")))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("malformed JSON: the body ends inside the object")
	case errors.As(err, &typeErr):
		line, col := position(b, typeErr.Offset)
		return badRequest(fmt.Sprintf("field %q at line %d, column %d: want a JSON value for Go type %s, got %s",
			typeErr.Field, line, col, typeErr.Type, typeErr.Value))
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return badRequest(fmt.Sprintf("unknown field %s (known: %s)", field, fieldList(v)))
	}
	return badRequest(fmt.Sprintf("malformed JSON: %v", err))
}

// position returns the 1-based line and column of the last byte read when the decoder
// stopped after off bytes: the byte it choked on.
func position(b []byte, off int64) (line, col int) {
	if len(b) == 0 {
		return 1, 1
	}
	off = min(max(off, 1), int64(len(b)))
	before := b[:off-1]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// fieldList names the JSON fields of the struct v points to, for error messages.
func fieldList(v any) string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return "a JSON value"
	}
	var names []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// query returns the request's query parameters, rejecting unknown or repeated ones: a typo
// in a filter must not silently list everything.
func query(r *http.Request, known ...string) (map[string]string, error) {
	out := map[string]string{}
	for k, vs := range r.URL.Query() {
		if !slices.Contains(known, k) {
			if len(known) == 0 {
				return nil, badRequest(fmt.Sprintf("unknown query parameter %q: this endpoint takes none", k))
			}
			return nil, badRequest(fmt.Sprintf("unknown query parameter %q (known: %s)", k, strings.Join(known, ", ")))
		}
		if len(vs) > 1 {
			return nil, badRequest(fmt.Sprintf("query parameter %q given %d times", k, len(vs)))
		}
		out[k] = vs[0]
	}
	return out, nil
}

func noQuery(r *http.Request) error {
	_, err := query(r)
	return err
}

// The checks of package registry, as 400 responses: every store runs them too, but the
// server answers bad input itself rather than with the store's 500.

func checkName(what, name string) error { return invalid(registry.CheckName(what, name)) }
func checkFingerprint(fp string) error  { return invalid(registry.CheckFingerprint(fp)) }
func checkLine(what, v string) error    { return invalid(registry.CheckLine(what, v)) }
func checkRef(ref string) error {
	if strings.HasPrefix(ref, "sha256:") {
		return checkFingerprint(ref)
	}
	return checkName("tag", ref)
}

func invalid(err error) error {
	if err == nil {
		return nil
	}
	return badRequest(err.Error())
}

// record appends to the audit log. The change it records has happened by then, so a failure
// is logged rather than returned: answering 500 would make the client retry a change that
// was made. For the same reason a client that hangs up now does not cancel the append.
func (s *server) record(r *http.Request, tok *registry.Token, action, repo, object, detail string) {
	e := registry.AuditEntry{At: s.now().UTC(), Actor: tok.Name, Action: action, Repo: repo, Object: object, Detail: detail}
	if err := s.store.AppendAudit(context.WithoutCancel(r.Context()), e); err != nil {
		s.log.ErrorContext(r.Context(), "audit log append failed", "action", action, "repo", repo, "object", object, "error", err)
	}
}

// putState is PUT /repos/{repo}/states/{fingerprint}.
func (s *server) putState(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	repo, fp := r.PathValue("repo"), r.PathValue("fingerprint")
	if err := errors.Join(checkName("repo", repo), checkFingerprint(fp)); err != nil {
		return err
	}
	var req api.PutState
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if req.Dialect == "" {
		return badRequest(`missing field "dialect" (e.g. "postgres")`)
	}
	if err := checkLine("dialect", req.Dialect); err != nil {
		return err
	}
	ctx := r.Context()
	st := registry.State{Fingerprint: fp, Dialect: req.Dialect, SQL: req.SQL, CreatedAt: req.CreatedAt}
	if err := s.store.PutState(ctx, repo, st); err != nil {
		return fmt.Errorf("put state: %w", err)
	}
	s.record(r, tok, "state.push", repo, fp, req.Dialect)
	// The stored state, which is the first one pushed under this fingerprint.
	got, err := s.store.State(ctx, repo, fp)
	if err != nil {
		return fmt.Errorf("read back state: %w", err)
	}
	writeJSON(w, http.StatusOK, api.FromState(got))
	return nil
}

// getState is GET /repos/{repo}/states/{ref}.
func (s *server) getState(w http.ResponseWriter, r *http.Request, _ *registry.Token) error {
	repo, ref := r.PathValue("repo"), r.PathValue("ref")
	if err := errors.Join(checkName("repo", repo), checkRef(ref), noQuery(r)); err != nil {
		return err
	}
	st, err := s.store.State(r.Context(), repo, ref)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.FromState(st))
	return nil
}

// putTag is PUT /repos/{repo}/tags/{tag}.
func (s *server) putTag(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	repo, tag := r.PathValue("repo"), r.PathValue("tag")
	if err := errors.Join(checkName("repo", repo), checkName("tag", tag)); err != nil {
		return err
	}
	if strings.HasPrefix(tag, "sha256") {
		// GET /states/{ref} could not tell it from a fingerprint.
		return badRequest(fmt.Sprintf("bad tag name %q: a tag may not start with sha256", tag))
	}
	var req api.PutTag
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if err := checkFingerprint(req.Fingerprint); err != nil {
		return err
	}
	if err := s.store.Tag(r.Context(), repo, tag, req.Fingerprint); err != nil {
		if errors.Is(err, registry.ErrNotFound) {
			return fmt.Errorf("%w (push the state before tagging it)", err)
		}
		return err
	}
	s.record(r, tok, "tag.set", repo, tag, req.Fingerprint)
	writeJSON(w, http.StatusOK, api.Tag{Tag: tag, Fingerprint: req.Fingerprint})
	return nil
}

// putPlan is PUT /repos/{repo}/plans/{name}: the body's plan file is the plan.
func (s *server) putPlan(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	repo, name := r.PathValue("repo"), r.PathValue("name")
	if err := errors.Join(checkName("repo", repo), checkName("plan", name)); err != nil {
		return err
	}
	var req api.PutPlan
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if req.PlanFile == "" {
		return badRequest(`missing field "plan_file": the plan file's text`)
	}
	pl, h, err := plan.ReadFile(strings.NewReader(req.PlanFile), "plan_file")
	if err != nil {
		return badRequest("bad plan file: " + err.Error())
	}
	switch h.Name {
	case "":
		h.Name = name
	case name:
	default:
		return badRequest(fmt.Sprintf("the plan file's header names plan %q, the path %q", h.Name, name))
	}
	if h.Status == "" {
		h.Status = plan.Pending
	}
	if h.Status != plan.Pending && !tok.Allows(registry.ScopeApprove, repo) {
		// A pull request's token must not be able to store a plan that deploys would run.
		return forbidden(registry.ScopeApprove, fmt.Sprintf(
			"token %q may only create PENDING plans: a plan file with status %s needs the approve scope (store it as PENDING, then POST .../plans/%s/approve with an approve token)",
			tok.Name, h.Status, name))
	}
	if h.CreatedAt.IsZero() {
		h.CreatedAt = s.now().UTC().Truncate(time.Second)
	}
	p := &registry.Plan{Schema: repo, Header: h, Plan: pl}
	out, err := api.FromPlan(p)
	if err != nil {
		return badRequest("bad plan file: " + err.Error())
	}

	ctx := r.Context()
	// Only for the audit log's action: create or replace. A race between two creators makes
	// both say create, which is what each of them did as far as it knew.
	_, err = s.store.Plan(ctx, repo, name)
	action, code := "plan.replace", http.StatusOK
	switch {
	case errors.Is(err, registry.ErrNotFound):
		action, code = "plan.create", http.StatusCreated
	case err != nil:
		return fmt.Errorf("look up plan: %w", err)
	}
	if err := s.store.SavePlan(ctx, p); err != nil {
		return err
	}
	s.record(r, tok, action, repo, name, fmt.Sprintf("%s %s -> %s, %s", h.Status, pl.From, pl.To, plan.Count(len(pl.Statements), "statement")))
	writeJSON(w, code, out)
	return nil
}

// listPlans is GET /repos/{repo}/plans.
func (s *server) listPlans(w http.ResponseWriter, r *http.Request, _ *registry.Token) error {
	repo := r.PathValue("repo")
	q, err := query(r, "from", "to", "status")
	if err != nil {
		return err
	}
	f := registry.Filter{From: q["from"], To: q["to"], Status: plan.Status(q["status"])}
	errs := []error{checkName("repo", repo)}
	if f.From != "" {
		errs = append(errs, checkFingerprint(f.From))
	}
	if f.To != "" {
		errs = append(errs, checkFingerprint(f.To))
	}
	if f.Status != "" && !f.Status.Valid() {
		errs = append(errs, badRequest(fmt.Sprintf("unknown status %q (want %s, %s or %s)", f.Status, plan.Pending, plan.Approved, plan.Aborted)))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	plans, err := s.store.Plans(r.Context(), repo, f)
	if err != nil {
		return fmt.Errorf("list plans: %w", err)
	}
	out := api.Plans{Plans: []api.Plan{}}
	for _, p := range plans {
		ap, err := api.FromPlan(p)
		if err != nil {
			return fmt.Errorf("plan %s: %w", p.Header.Name, err)
		}
		out.Plans = append(out.Plans, ap)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// plan reads the path's plan.
func (s *server) plan(r *http.Request) (api.Plan, error) {
	repo, name := r.PathValue("repo"), r.PathValue("name")
	if err := errors.Join(checkName("repo", repo), checkName("plan", name), noQuery(r)); err != nil {
		return api.Plan{}, err
	}
	p, err := s.store.Plan(r.Context(), repo, name)
	if err != nil {
		return api.Plan{}, err
	}
	return api.FromPlan(p)
}

// getPlan is GET /repos/{repo}/plans/{name}.
func (s *server) getPlan(w http.ResponseWriter, r *http.Request, _ *registry.Token) error {
	p, err := s.plan(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// getPlanFile is GET /repos/{repo}/plans/{name}/file: the plan file itself, for pulling.
func (s *server) getPlanFile(w http.ResponseWriter, r *http.Request, _ *registry.Token) error {
	p, err := s.plan(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", p.Name+".sql"))
	_, _ = io.WriteString(w, p.PlanFile)
	return nil
}

// statusChange is what approve and abort do.
type statusChange struct {
	to     plan.Status
	action string
}

var (
	planApprove = statusChange{to: plan.Approved, action: "plan.approve"}
	planAbort   = statusChange{to: plan.Aborted, action: "plan.abort"}
)

// setStatus is POST /repos/{repo}/plans/{name}/approve and /abort: a compare-and-set from
// the body's expect (PENDING by default).
//
// The plan records the body's actor and time as its approver and approval time, and the
// token's name and the server's time only when they are left out: the approver a reviewer
// wants to read is the person who merged, on whose behalf a CI job's token acts, and a token
// that may approve may write a plan file with any approved-by anyway. The audit entry is the
// record that cannot be claimed: the token's name at the server's time, with the claimed
// actor in its detail.
func (s *server) setStatus(c statusChange) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
		repo, name := r.PathValue("repo"), r.PathValue("name")
		if err := errors.Join(checkName("repo", repo), checkName("plan", name), noQuery(r)); err != nil {
			return err
		}
		var req api.SetStatus
		if err := s.decodeOptional(w, r, &req); err != nil {
			return err
		}
		want := req.Expect
		if want == "" {
			want = plan.Pending
		}
		if !want.Valid() {
			return badRequest(fmt.Sprintf("unknown status %q in expect (want %s, %s or %s)", want, plan.Pending, plan.Approved, plan.Aborted))
		}
		if err := checkLine("actor", req.Actor); err != nil {
			return err
		}
		actor, at := req.Actor, req.At
		if actor == "" {
			actor = tok.Name
		}
		if at.IsZero() {
			at = s.now()
		}
		p, err := s.store.SetStatus(r.Context(), repo, name, want, c.to, actor, at)
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%s -> %s", want, c.to)
		if actor != tok.Name {
			detail += " as " + actor
		}
		s.record(r, tok, c.action, repo, name, detail)
		out, err := api.FromPlan(p)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}

// recordApply is POST /repos/{repo}/applies.
func (s *server) recordApply(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	repo := r.PathValue("repo")
	if err := errors.Join(checkName("repo", repo), noQuery(r)); err != nil {
		return err
	}
	var req api.Apply
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if req.Repo != "" && req.Repo != repo {
		return badRequest(fmt.Sprintf("the body's repo %q is not the path's %q", req.Repo, repo))
	}
	a := req.ToApply()
	a.Schema = repo // the actor stays as sent: the audit entry says which token recorded it
	// Everyone who can read the repo reads its applies: a client that sent a target or an
	// error with a password in it (another tool, an old version) has it masked here.
	a.Target, a.Error = dburl.Redact(a.Target), dburl.Redact(a.Error)
	if err := errors.Join(registry.CheckApply(a), registry.CheckLine("actor", a.Actor)); err != nil {
		return badRequest(err.Error())
	}
	id, err := s.store.RecordApply(r.Context(), a)
	if err != nil {
		return fmt.Errorf("record apply: %w", err)
	}
	detail := string(a.Result)
	if a.Plan != "" {
		detail += " plan " + a.Plan
	}
	if a.Target != "" {
		detail += " on " + a.Target
	}
	s.record(r, tok, "apply.record", repo, id, detail)
	writeJSON(w, http.StatusCreated, api.Created{ID: id})
	return nil
}

// listApplies is GET /repos/{repo}/applies.
func (s *server) listApplies(w http.ResponseWriter, r *http.Request, _ *registry.Token) error {
	repo := r.PathValue("repo")
	if err := errors.Join(checkName("repo", repo), noQuery(r)); err != nil {
		return err
	}
	applies, err := s.store.Applies(r.Context(), repo)
	if err != nil {
		return fmt.Errorf("list applies: %w", err)
	}
	out := api.Applies{Applies: []api.Apply{}}
	for _, a := range applies {
		out.Applies = append(out.Applies, api.FromApply(a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// Audit paging limits.
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// getAudit is GET /audit: the whole log for admins, one repo's for readers of that repo.
func (s *server) getAudit(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	q, err := query(r, "repo", "after", "limit")
	if err != nil {
		return err
	}
	repo := q["repo"]
	if repo == "" {
		err = authorize(tok, registry.ScopeAdmin, "")
	} else if err = checkName("repo", repo); err == nil {
		err = authorize(tok, registry.ScopeRead, repo)
	}
	if err != nil {
		return err
	}
	var after int64
	if v, ok := q["after"]; ok {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			return badRequest(fmt.Sprintf("after=%q: want the ID of the last entry seen (a number ≥ 0)", v))
		}
	}
	limit := defaultAuditLimit
	if v, ok := q["limit"]; ok {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxAuditLimit {
			return badRequest(fmt.Sprintf("limit=%q: want 1 to %d", v, maxAuditLimit))
		}
	}
	entries, err := s.store.Audit(r.Context(), repo, after, limit)
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	out := api.Audit{Entries: []api.AuditEntry{}, Next: after}
	for _, e := range entries {
		out.Entries = append(out.Entries, api.FromAudit(e))
		out.Next = max(out.Next, e.ID)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
