package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
)

// audit returns r's context carrying the audit entry of the change a handler makes with it
// (registry.WithAudit): the store writes the entry in the change's transaction, so an
// acknowledged change always has its entry and a failed one has none. entry says what
// happened, from what the store did (which the handler cannot know before: whether a plan
// was created, its revision, an apply's ID).
func (s *server) audit(r *http.Request, tok *registry.Token, repo string, entry func(c registry.Change) (action, object, detail string)) context.Context {
	return registry.WithAudit(r.Context(), func(c registry.Change) registry.AuditEntry {
		action, object, detail := entry(c)
		return registry.AuditEntry{At: s.now().UTC(), Actor: tok.Name, Action: action, Repo: repo, Object: object, Detail: detail}
	})
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
	ctx := s.audit(r, tok, repo, func(registry.Change) (string, string, string) { return "state.push", fp, req.Dialect })
	st := registry.State{Fingerprint: fp, Dialect: req.Dialect, SQL: req.SQL, CreatedAt: req.CreatedAt}
	if err := s.store.PutState(ctx, repo, st); err != nil {
		return fmt.Errorf("put state: %w", err)
	}
	// The stored state, which is the first one pushed under this fingerprint.
	got, err := s.store.State(r.Context(), repo, fp)
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
	ctx := s.audit(r, tok, repo, func(registry.Change) (string, string, string) { return "tag.set", tag, req.Fingerprint })
	if err := s.store.Tag(ctx, repo, tag, req.Fingerprint); err != nil {
		if errors.Is(err, registry.ErrNotFound) {
			return fmt.Errorf("%w (push the state before tagging it)", err)
		}
		return err
	}
	writeJSON(w, http.StatusOK, api.Tag{Tag: tag, Fingerprint: req.Fingerprint})
	return nil
}

// putPlan is PUT /repos/{repo}/plans/{name}: the body's plan file is the plan's content. Its
// status, revision and approval lines are ignored, as every store ignores them: a plan is
// approved only by POST .../approve, which binds the digest of what was reviewed, so a plan
// token needs no more than the plan scope whatever its file says.
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
	if h.CreatedAt.IsZero() {
		h.CreatedAt = s.now().UTC().Truncate(time.Second)
	}
	if err := registry.CheckLine("created-by", h.CreatedBy); err != nil {
		return badRequest(err.Error())
	}
	created := false
	ctx := s.audit(r, tok, repo, func(c registry.Change) (string, string, string) {
		created = c.Created
		action := "plan.replace"
		if c.Created {
			action = "plan.create"
		}
		return action, name, fmt.Sprintf("revision %d, %s, %s -> %s, %s", c.Revision, plan.ShortDigest(pl.Digest()), pl.From, pl.To,
			plan.Count(len(pl.Statements), "statement"))
	})
	if err := s.store.SavePlan(ctx, &registry.Plan{Schema: repo, Header: h, Plan: pl}); err != nil {
		return err
	}
	p, err := s.store.Plan(r.Context(), repo, name)
	if err != nil {
		return fmt.Errorf("read back plan: %w", err)
	}
	out, err := api.FromPlan(p)
	if err != nil {
		return err
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	writeJSON(w, code, out)
	return nil
}

// listPlans is GET /repos/{repo}/plans: a page of the plans, oldest first.
func (s *server) listPlans(w http.ResponseWriter, r *http.Request, _ *registry.Token) error {
	repo := r.PathValue("repo")
	q, err := query(r, "from", "to", "status", "limit", "cursor")
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
	pg, err := page(q)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	plans, next, err := s.store.PlansPage(r.Context(), repo, f, pg)
	if err != nil {
		return fmt.Errorf("list plans: %w", err)
	}
	out := api.Plans{Plans: []api.Plan{}, Next: next}
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
	_, _ = w.Write([]byte(p.PlanFile))
	return nil
}

// recordApply is POST /repos/{repo}/applies: a new apply (no id), or a journal entry of a
// running one (its id), which replaces its record.
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
	ctx := s.audit(r, tok, repo, func(c registry.Change) (string, string, string) {
		action := "apply.journal"
		if c.Created {
			action = "apply.record"
		}
		detail := string(a.Result)
		if a.Plan != "" {
			detail += " plan " + a.Plan
		}
		if a.Digest != "" {
			detail += " " + plan.ShortDigest(a.Digest)
		}
		if a.Target != "" {
			detail += " on " + a.Target
		}
		if len(a.Steps) > 0 {
			detail += fmt.Sprintf(", %d steps", len(a.Steps))
		}
		return action, c.ID, detail
	})
	id, err := s.store.RecordApply(ctx, a)
	if err != nil {
		if errors.Is(err, registry.ErrApplyEnded) {
			return &httpError{code: http.StatusConflict, msg: err.Error()}
		}
		return fmt.Errorf("record apply: %w", err)
	}
	writeJSON(w, http.StatusCreated, api.Created{ID: id})
	return nil
}

// listApplies is GET /repos/{repo}/applies: a page of the apply log, oldest first.
func (s *server) listApplies(w http.ResponseWriter, r *http.Request, _ *registry.Token) error {
	repo := r.PathValue("repo")
	q, err := query(r, "limit", "cursor")
	if err != nil {
		return err
	}
	pg, err := page(q)
	if err := errors.Join(checkName("repo", repo), err); err != nil {
		return err
	}
	applies, next, err := s.store.AppliesPage(r.Context(), repo, pg)
	if err != nil {
		return fmt.Errorf("list applies: %w", err)
	}
	out := api.Applies{Applies: []api.Apply{}, Next: next}
	for _, a := range applies {
		out.Applies = append(out.Applies, api.FromApply(a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getAudit is GET /audit: the whole log for unrestricted admins, one repo's for readers of
// that repo. A token limited to repos never reads the log of all repos, whatever its scopes:
// entries of other repos are not its business.
func (s *server) getAudit(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	q, err := query(r, "repo", "after", "cursor", "limit")
	if err != nil {
		return err
	}
	repo := q["repo"]
	switch {
	case repo == "":
		err = authorize(tok, registry.ScopeAdmin, "")
		if err == nil && len(tok.Repos) > 0 {
			err = forbidden(registry.ScopeAdmin, fmt.Sprintf(
				"token %q is limited to repos %s: it may not read the audit log of all repos; ask for one of them with ?repo=",
				tok.Name, strings.Join(tok.Repos, ", ")))
		}
	default:
		if err = checkName("repo", repo); err == nil {
			err = authorize(tok, registry.ScopeRead, repo)
		}
	}
	if err != nil {
		return err
	}
	pg, err := page(q)
	if err != nil {
		return err
	}
	// The cursor is the ID of the last entry seen, as after= is: the log's order is its IDs.
	var after int64
	for _, k := range []string{"after", "cursor"} {
		v, ok := q[k]
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return badRequest(fmt.Sprintf("%s=%q: want the ID of the last entry seen (a number ≥ 0)", k, v))
		}
		after = max(after, n)
	}
	entries, err := s.store.Audit(r.Context(), repo, after, pg.Limit+1)
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	out := api.Audit{Entries: []api.AuditEntry{}}
	if len(entries) > pg.Limit {
		entries = entries[:pg.Limit]
		out.Next = strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	for _, e := range entries {
		out.Entries = append(out.Entries, api.FromAudit(e))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
