package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
)

// testDigestBinding checks that an approval binds the digest the approver saw: another
// digest approves nothing, and the approved plan verifies.
// t0 is a creation time for the review tests.
var t0 = time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)

func testDigestBinding(t *testing.T, s registry.Store) {
	ctx := context.Background()
	p := newPlan("pr-1", fp("1"), fp("2"), t0)
	if err := s.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	shown := p.Plan.Digest()
	// Someone swaps the content after it was shown for review.
	swapped := newPlan("pr-1", fp("1"), fp("2"), t0)
	swapped.Plan.Statements[0].SQL = "DROP TABLE public.users"
	if err := s.SavePlan(ctx, swapped); err != nil {
		t.Fatal(err)
	}
	_, err := s.Approve(ctx, "app", "pr-1", registry.Approval{Digest: shown, Actor: "bob", At: t0})
	var de *registry.DigestError
	if !errors.As(err, &de) || de.Want != shown || de.Got != swapped.Plan.Digest() || de.Plan != "pr-1" {
		t.Fatalf("approving the digest shown after a swap = %v, want a DigestError naming both digests", err)
	}
	if got, err := s.Plan(ctx, "app", "pr-1"); err != nil || got.Header.Status != plan.Pending || got.Approval != nil {
		t.Fatalf("after the refused approval: %+v, %v; want PENDING, no approval", got, err)
	}
	// The content as it is now, approved by its digest, verifies.
	ap, err := s.Approve(ctx, "app", "pr-1", registry.Approval{Digest: swapped.Plan.Digest(), Actor: "bob", At: t0,
		Context: plan.Context{PR: 1, Commit: "abc123"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []*registry.Plan{ap, mustPlan(t, s, "pr-1")} {
		if got.Approval == nil || got.Approval.Digest != swapped.Plan.Digest() || got.Approval.Actor != "bob" ||
			got.Approval.Context.Commit != "abc123" || got.Approval.Revision != 2 {
			t.Errorf("approval record %+v, want bob's of digest %s, revision 2, commit abc123", got.Approval, swapped.Plan.Digest())
		}
		if err := got.Verify(); err != nil {
			t.Errorf("Verify of the approved plan: %v", err)
		}
	}
	if err := mustPlan(t, s, "pr-1").Verify(); err != nil {
		t.Error(err)
	}
	// A plan that is only PENDING never verifies.
	if err := s.SavePlan(ctx, newPlan("pr-2", fp("1"), fp("2"), t0)); err != nil {
		t.Fatal(err)
	}
	if err := mustPlan(t, s, "pr-2").Verify(); err == nil {
		t.Error("a PENDING plan verified")
	}
}

// testRevisions checks that other content under a name is a new revision and the same content
// is not.
func testRevisions(t *testing.T, s registry.Store) {
	ctx := context.Background()
	p := newPlan("pr-1", fp("1"), fp("2"), t0)
	for i, want := range []int{1, 1} { // the same content twice
		p.Header.CreatedAt = t0.Add(time.Duration(i) * time.Minute)
		if err := s.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got := mustPlan(t, s, "pr-1").Header.Revision; got != want {
			t.Errorf("save %d: revision %d, want %d", i+1, got, want)
		}
	}
	p.Plan.Statements[0].SQL = "CREATE TABLE public.t (id bigint)"
	if err := s.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got := mustPlan(t, s, "pr-1").Header.Revision; got != 2 {
		t.Errorf("other content: revision %d, want 2", got)
	}
	// What a caller says of status and revision is not the store's business.
	forged := newPlan("pr-2", fp("1"), fp("2"), t0)
	forged.Header.Status, forged.Header.Revision, forged.Header.ApprovedBy = plan.Approved, 9, "mallory"
	if err := s.SavePlan(ctx, forged); err != nil {
		t.Fatal(err)
	}
	if got := mustPlan(t, s, "pr-2"); got.Header.Status != plan.Pending || got.Header.Revision != 1 || got.Header.ApprovedBy != "" || got.Approval != nil {
		t.Errorf("a plan saved as APPROVED revision 9 reads back as %s revision %d approved by %q (%+v); want PENDING revision 1",
			got.Header.Status, got.Header.Revision, got.Header.ApprovedBy, got.Approval)
	}
}

// testStatusForwardOnly checks that statuses only move forward and ABORTED is final.
func testStatusForwardOnly(t *testing.T, s registry.Store) {
	ctx := context.Background()
	for _, name := range []string{"a", "b"} {
		if err := s.SavePlan(ctx, newPlan(name, fp("1"), fp("2"), t0)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetStatus(ctx, "app", "a", plan.Pending, plan.Approved, "bob", t0); err == nil {
		t.Error("SetStatus approved a plan without a digest")
	}
	if _, err := s.SetStatus(ctx, "app", "a", plan.Pending, plan.Aborted, "bob", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := approve(ctx, t, s, "app", "a", "bob", t0); err == nil {
		t.Error("an ABORTED plan was approved")
	}
	for _, move := range [][2]plan.Status{{plan.Aborted, plan.Pending}, {plan.Aborted, plan.Approved}, {plan.Aborted, plan.Aborted}} {
		if _, err := s.SetStatus(ctx, "app", "a", move[0], move[1], "bob", t0); err == nil {
			t.Errorf("SetStatus %s -> %s succeeded", move[0], move[1])
		}
	}
	if _, err := approve(ctx, t, s, "app", "b", "bob", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, "app", "b", plan.Approved, plan.Pending, "bob", t0); err == nil {
		t.Error("SetStatus APPROVED -> PENDING succeeded")
	}
	for name, want := range map[string]plan.Status{"a": plan.Aborted, "b": plan.Approved} {
		if got := mustPlan(t, s, name).Header.Status; got != want {
			t.Errorf("plan %s is %s, want %s", name, got, want)
		}
	}
}

// testApplyJournal checks that a running apply's record is replaced by its later entries,
// and that an ended one is final.
func testApplyJournal(t *testing.T, s registry.Store) {
	ctx := context.Background()
	a := registry.Apply{Schema: "app", Plan: "pr-1", From: fp("1"), To: fp("2"), Target: "postgres://db:5432/app",
		Started: t0, Total: 3, Result: registry.Running, Digest: fp("d")}
	id, err := s.RecordApply(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	a.ID = id
	a.Steps = []registry.Step{{First: 0, Last: 1, Fingerprint: fp("5"), At: t0.Add(time.Second)}}
	a.Statements = 2
	if _, err := s.RecordApply(ctx, a); err != nil {
		t.Fatal(err)
	}
	as, err := s.Applies(ctx, "app")
	if err != nil || len(as) != 1 {
		t.Fatalf("Applies after two entries of one apply = %+v, %v; want one record", as, err)
	}
	if g := as[0]; g.ID != id || g.Result != registry.Running || len(g.Steps) != 1 || g.Steps[0].Fingerprint != fp("5") ||
		!g.Steps[0].At.Equal(t0.Add(time.Second)) || g.Digest != fp("d") || g.Statements != 2 {
		t.Errorf("journaled apply = %+v", g)
	}
	a.Result, a.Statements = registry.Applied, 3
	a.Steps = append(a.Steps, registry.Step{First: 2, Last: 2, Fingerprint: fp("2"), At: t0.Add(2 * time.Second)})
	if _, err := s.RecordApply(ctx, a); err != nil {
		t.Fatal(err)
	}
	a.Result = registry.Failed
	if _, err := s.RecordApply(ctx, a); err == nil {
		t.Error("an ended apply's record was replaced")
	}
	as, err = s.Applies(ctx, "app")
	if err != nil || len(as) != 1 || as[0].Result != registry.Applied || len(as[0].Steps) != 2 {
		t.Errorf("Applies after the end = %+v, %v; want one applied record with 2 steps", as, err)
	}
}

func mustPlan(t *testing.T, s registry.Store, name string) *registry.Plan {
	t.Helper()
	p, err := s.Plan(context.Background(), "app", name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
