package apply_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
)

var addName = plan.Statement{SQL: "ALTER TABLE public.users ADD COLUMN name text", Kind: "add-column", Object: "public.users.name"}

func cleanLint(context.Context, *schema.Realm, *schema.Realm, *plan.Plan) (*lint.Result, error) {
	return &lint.Result{}, nil
}

// A plan edited after its approval runs nowhere: nothing runs, and the failed apply's record
// names both digests.
func TestApplyRefusesAPlanEditedAfterApproval(t *testing.T) {
	f := newFixture(t)
	from, to := f.realm(v1), f.realm(v2)
	approved := f.approve("pr-1", from, to, addName)
	path := filepath.Join(f.dir, "app", "plans", "pr-1.sql")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(text), "ADD COLUMN name text", "ADD COLUMN name text; DROP TABLE public.users", 1)
	if edited == string(text) {
		t.Fatalf("the plan file does not hold the statement:\n%s", text)
	}
	if err := os.WriteFile(path, []byte(edited), 0o666); err != nil {
		t.Fatal(err)
	}
	now, err := f.store.Plan(context.Background(), "app", "pr-1")
	if err != nil {
		t.Fatal(err)
	}
	want, got := approved.Approval.Digest, now.Plan.Digest()
	if want == got {
		t.Fatal("the edit did not change the digest")
	}

	url := f.target(v1)
	out, err := apply.Run(context.Background(), f.options(url, to))
	t.Logf("edited approved plan: %v", err)
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), got) {
		t.Fatalf("error %v, want a refusal naming %s and %s", err, want, got)
	}
	if f.fingerprint(url) != schema.Fingerprint(from) {
		t.Error("the edited plan ran")
	}
	applies := f.applies()
	if len(applies) != 1 || applies[0].Result != registry.Failed || applies[0].Statements != 0 || applies[0].Digest != "" ||
		!strings.Contains(applies[0].Error, want) || !strings.Contains(applies[0].Error, got) || out.Record.ID != applies[0].ID {
		t.Errorf("recorded %+v", applies)
	}
}

// --plan is no approval: under policy always an unapproved plan is stored PENDING, named by
// its digest, and nothing runs; once its digest is approved, the same --plan runs.
func TestApplyGivenPlanUnderPolicyAlways(t *testing.T) {
	f := newFixture(t)
	from, to := f.realm(v1), f.realm(v2)
	given := &registry.Plan{Schema: "app", Header: plan.Header{Name: "hotfix", Status: plan.Approved}, // the file's status line is no approval
		Plan: &plan.Plan{Dialect: "postgres", From: schema.Fingerprint(from), To: schema.Fingerprint(to), Statements: []plan.Statement{addName}}}
	digest := given.Plan.Digest()
	url := f.target(v1)
	var log bytes.Buffer
	o := f.options(url, to)
	o.Plan, o.Check, o.Log = given, cleanLint, &log
	out, err := apply.Run(context.Background(), o)
	t.Logf("--plan under always:\n%s%v", log.String(), err)
	var pending *apply.PendingError
	if !errors.As(err, &pending) || pending.Digest != digest || !strings.Contains(err.Error(), digest) || !strings.Contains(log.String(), digest) {
		t.Fatalf("error %v, want a PendingError naming digest %s", err, digest)
	}
	if f.fingerprint(url) != schema.Fingerprint(from) {
		t.Fatal("an unapproved --plan ran")
	}
	stored, err := f.store.Plan(context.Background(), "app", "hotfix")
	if err != nil || stored.Header.Status != plan.Pending || stored.Plan.Digest() != digest || out.Pending == nil {
		t.Fatalf("stored %+v, %v; outcome %+v", stored, err, out)
	}
	if _, err := f.store.Approve(context.Background(), "app", "hotfix", registry.Approval{Digest: digest, Actor: "bob"}); err != nil {
		t.Fatal(err)
	}
	out, err = apply.Run(context.Background(), o)
	if err != nil || out.Record.Result != registry.Applied || out.Record.Digest != digest {
		t.Fatalf("approved --plan: %+v, %v", out.Record, err)
	}
}

// Under policy error a given plan that lints clean is stored as approved by the policy (its
// digest bound) and runs; a lint error refuses it, naming its digest.
func TestApplyGivenPlanUnderPolicyError(t *testing.T) {
	f := newFixture(t)
	from, to := f.realm(v1), f.realm(v2)
	given := &registry.Plan{Schema: "app", Header: plan.Header{Name: "hotfix"},
		Plan: &plan.Plan{Dialect: "postgres", From: schema.Fingerprint(from), To: schema.Fingerprint(to), Statements: []plan.Statement{addName}}}
	digest := given.Plan.Digest()

	o := f.options(f.target(v1), to)
	o.Policy, o.Plan = apply.PolicyError, given
	o.Check = func(context.Context, *schema.Realm, *schema.Realm, *plan.Plan) (*lint.Result, error) {
		return &lint.Result{Diagnostics: []lint.Diagnostic{{Analyzer: "a", Severity: lint.Error, Statement: 0, Message: "m"}}}, nil
	}
	_, err := apply.Run(context.Background(), o)
	var refused *apply.RefusedError
	if !errors.As(err, &refused) || refused.Digest != digest || !strings.Contains(err.Error(), digest) {
		t.Fatalf("error %v, want a refusal naming %s", err, digest)
	}

	o.Check = cleanLint
	out, err := apply.Run(context.Background(), o)
	if err != nil || out.Record.Result != registry.Applied || out.Record.Digest != digest {
		t.Fatalf("allowed --plan: %+v, %v", out.Record, err)
	}
	stored, err := f.store.Plan(context.Background(), "app", out.Record.Plan)
	if err != nil || stored.Verify() != nil || stored.Approval.Digest != digest || !strings.Contains(stored.Approval.Actor, "review policy error") {
		t.Fatalf("stored %+v (%+v), %v", stored, stored.Approval, err)
	}
}

// Drift advice never suggests --auto-approve, and --auto-approve cannot override "always".
func TestDriftAdviceAndAutoApproveUnderAlways(t *testing.T) {
	e := &apply.DriftError{Target: "sha256:aaaa", Plan: "pr-1", Expected: "sha256:bbbb", URL: "postgres://db:5432/app", Changes: []string{"drop-column public.users.nick"}}
	msg := e.Error()
	if strings.Contains(msg, "--auto-approve") || !strings.Contains(msg, "sextant schema plan --from postgres://db:5432/app") {
		t.Errorf("drift advice:\n%s", msg)
	}
	_, err := apply.Run(context.Background(), apply.Options{Schema: "app", Target: "postgres://nowhere.invalid/app", Policy: apply.PolicyAlways, AutoApprove: true})
	if err == nil || !strings.Contains(err.Error(), `refused under review policy "always"`) {
		t.Errorf("--auto-approve under always: %v", err)
	}
}

// A drifted target gets advice to plan from its real state, never --auto-approve.
func TestApplyDriftMessage(t *testing.T) {
	f := newFixture(t)
	from, to := f.realm(v1), f.realm(v2)
	f.approve("pr-1", from, to, addName)
	url := f.target("CREATE TABLE users (id bigint PRIMARY KEY, email text, nick text);")
	_, err := apply.Run(context.Background(), f.options(url, to))
	var drift *apply.DriftError
	if !errors.As(err, &drift) || strings.Contains(err.Error(), "--auto-approve") || !strings.Contains(err.Error(), "sextant schema plan --from postgres://") ||
		strings.Contains(drift.URL, "@") {
		t.Fatalf("error %v, want drift advice without --auto-approve", err)
	}
}
