package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
)

// The review routes. A plan's status only moves forward: PENDING to APPROVED (approve, which
// binds the digest of the content the approver saw) or to ABORTED, APPROVED to ABORTED
// (abort). ABORTED is final, so an approve token cannot bring back a plan that was
// abandoned, and an approved plan's content never changes.
//
// Approvals and aborts record the body's actor and time, and the token's name and the
// server's time only when they are left out: the approver a reviewer wants to read is the
// person who merged, on whose behalf a CI job's token acts. The audit entry is the record
// that cannot be claimed: the token's name at the server's time, with the claimed actor in
// its detail.

// approve is POST /repos/{repo}/plans/{name}/approve {digest, actor, at, context}.
func (s *server) approve(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	repo, name := r.PathValue("repo"), r.PathValue("name")
	if err := errors.Join(checkName("repo", repo), checkName("plan", name), noQuery(r)); err != nil {
		return err
	}
	var req api.Approve
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if req.Digest == "" {
		return badRequest(`missing field "digest": an approval binds the digest of the plan content that was reviewed ` +
			`(the "-- digest:" line of the plan file, "digest" of GET .../plans/` + name + `); the plan is approved only while it holds that content`)
	}
	a := registry.Approval{Digest: req.Digest, Actor: req.Actor, At: req.At,
		Context: plan.Context{PR: req.Context.PR, Commit: req.Context.Commit, URL: req.Context.URL}}
	if a.Actor == "" {
		a.Actor = tok.Name
	}
	if a.At.IsZero() {
		a.At = s.now()
	}
	if err := registry.CheckApproval(repo, name, a); err != nil {
		return badRequest(err.Error())
	}
	ctx := s.audit(r, tok, repo, func(c registry.Change) (string, string, string) {
		detail := fmt.Sprintf("PENDING -> APPROVED, %s revision %d", a.Digest, c.Revision)
		if a.Actor != tok.Name {
			detail += " as " + a.Actor
		}
		return "plan.approve", name, detail
	})
	p, err := s.store.Approve(ctx, repo, name, a)
	if err != nil {
		return err
	}
	return writePlan(w, p)
}

// abort is POST /repos/{repo}/plans/{name}/abort {expect, actor, at}, body optional: a
// compare-and-set from expect (PENDING by default, or APPROVED) to ABORTED.
func (s *server) abort(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
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
		return badRequest(fmt.Sprintf("unknown status %q in expect (want %s or %s)", want, plan.Pending, plan.Approved))
	}
	if err := registry.CheckStatusChange(want, plan.Aborted); err != nil {
		return badRequest(err.Error())
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
	ctx := s.audit(r, tok, repo, func(registry.Change) (string, string, string) {
		detail := fmt.Sprintf("%s -> %s", want, plan.Aborted)
		if actor != tok.Name {
			detail += " as " + actor
		}
		return "plan.abort", name, detail
	})
	p, err := s.store.SetStatus(ctx, repo, name, want, plan.Aborted, actor, at)
	if err != nil {
		return err
	}
	return writePlan(w, p)
}

func writePlan(w http.ResponseWriter, p *registry.Plan) error {
	out, err := api.FromPlan(p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
