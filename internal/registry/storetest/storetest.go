// Package storetest checks that a registry store keeps the contract of registry.Store and
// registry.ServerStore, so that the file store, the SQL stores and whatever comes next behave
// the same: the same input is accepted or rejected, the same races have one winner, and
// lists come back in the same order.
//
// A store's tests call Run (and RunServer for a server store) with a function that opens a
// new, empty store; Run calls it once per subtest. Stores may differ in what they do beyond
// the contract (file layout, SQL schema), and test that themselves.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
)

// Run checks every method of registry.Store on stores that open returns. open must return a
// new, empty store each time it is called, and close it in t.Cleanup. The concurrency checks
// share one store among goroutines, as the handlers of a server do; whether several handles
// on the same storage (several processes) serialise too is for the store's own tests.
func Run(t *testing.T, open func(t *testing.T) registry.Store) {
	RunLoad(t, open, FullLoad)
}

// Load sizes the concurrent-append check: Writers goroutines record Each applies.
type Load struct{ Writers, Each int }

// FullLoad is the load Run checks with.
var FullLoad = Load{Writers: 16, Each: 20}

// RunLoad is Run with the concurrent-append check at load l, for a store whose every write
// is a slow round trip (the git store commits and pushes each one). Every other check is
// Run's.
func RunLoad(t *testing.T, open func(t *testing.T) registry.Store, l Load) {
	t.Run("States", func(t *testing.T) { testStates(t, open(t)) })
	t.Run("StateCreatedNow", func(t *testing.T) { testStateCreatedNow(t, open(t)) })
	t.Run("Plans", func(t *testing.T) { testPlans(t, open(t)) })
	t.Run("SavePlanReplace", func(t *testing.T) { testSavePlanReplace(t, open(t)) })
	t.Run("SetStatus", func(t *testing.T) { testSetStatus(t, open(t)) })
	t.Run("SetStatusRace", func(t *testing.T) { testSetStatusRace(t, open(t)) })
	t.Run("DigestBinding", func(t *testing.T) { testDigestBinding(t, open(t)) })
	t.Run("Revisions", func(t *testing.T) { testRevisions(t, open(t)) })
	t.Run("StatusForwardOnly", func(t *testing.T) { testStatusForwardOnly(t, open(t)) })
	t.Run("Applies", func(t *testing.T) { testApplies(t, open(t)) })
	t.Run("ApplyJournal", func(t *testing.T) { testApplyJournal(t, open(t)) })
	t.Run("AppliesConcurrent", func(t *testing.T) { testAppliesConcurrent(t, open(t), l) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, open(t)) })
	t.Run("Canceled", func(t *testing.T) { testCanceled(t, open(t)) })
}

// approve approves plan name with the digest of the content it has now, as an approver who
// reviewed it would.
func approve(ctx context.Context, t *testing.T, s registry.Store, schema, name, actor string, at time.Time) (*registry.Plan, error) {
	t.Helper()
	d := fp("d")
	if p, err := s.Plan(ctx, schema, name); err == nil {
		d = p.Plan.Digest()
	}
	return s.Approve(ctx, schema, name, registry.Approval{Digest: d, Actor: actor, At: at})
}

// fp returns a fingerprint made of one repeated hex digit.
func fp(digit string) string { return "sha256:" + strings.Repeat(digit, 64) }

// newPlan builds a one-statement plan of schema app from one fingerprint to another.
func newPlan(name, from, to string, created time.Time) *registry.Plan {
	return &registry.Plan{
		Schema: "app",
		Header: plan.Header{Name: name, CreatedAt: created, CreatedBy: "alice",
			Context: plan.Context{PR: 7, Commit: "0123abcd", URL: "https://example.com/pr/7"}},
		Plan: &plan.Plan{Dialect: "postgres", From: from, To: to, Statements: []plan.Statement{
			{SQL: "CREATE TABLE public.t (id integer)", Kind: "add-table", Object: "public.t"},
		}},
	}
}

// samePlan fails the test unless got is want as saved, with status status.
func samePlan(t *testing.T, got, want *registry.Plan, status plan.Status) {
	t.Helper()
	w := *want
	w.Header.Status = status
	w.Header.CreatedAt = w.Header.CreatedAt.UTC()
	if w.Header.Revision == 0 {
		w.Header.Revision = 1
	}
	g := *got
	g.Header.CreatedAt = g.Header.CreatedAt.UTC()
	// A header's digest is what a file said when read; the store must hold no other.
	if d := g.Header.Digest; d != "" && d != g.Plan.Digest() {
		t.Errorf("plan %s: header digest %s, content digest %s", want.Header.Name, d, g.Plan.Digest())
	}
	g.Header.Digest, w.Header.Digest = "", ""
	if !reflect.DeepEqual(g.Header, w.Header) || g.Schema != w.Schema || !reflect.DeepEqual(g.Plan, w.Plan) {
		t.Errorf("plan %s:\n got %+v %+v\nwant %+v %+v", want.Header.Name, g.Header, g.Plan, w.Header, w.Plan)
	}
}

// notFound fails the test unless err wraps registry.ErrNotFound and names every one of names
// (quoted, as the stores quote them).
func notFound(t *testing.T, what string, err error, names ...string) {
	t.Helper()
	if !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("%s = %v, want ErrNotFound", what, err)
		return
	}
	for _, n := range names {
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", n)) {
			t.Errorf("%s = %v, want an error naming %q", what, err, n)
		}
	}
}

func testStates(t *testing.T, s registry.Store) {
	ctx := context.Background()
	// A time zone other than UTC: stores keep times in UTC.
	created := time.Date(2025, 5, 1, 14, 0, 0, 0, time.FixedZone("", 2*3600))
	// SQL that a header parser could trip on: leading and doubled blank lines, a header-like
	// comment, a carriage return, no final line break.
	sql1 := "\n\n-- sextant state\n-- fingerprint: sha256:x\n\nCREATE TABLE t (id int);\n\n\nCREATE TABLE u (a text DEFAULT '\r\n')"
	sql2 := "CREATE TABLE t (id int, b int);\n"
	for _, st := range []registry.State{
		{Fingerprint: fp("1"), Dialect: "postgres", SQL: sql1, CreatedAt: created},
		{Fingerprint: fp("2"), Dialect: "postgres", SQL: sql2, CreatedAt: created.Add(time.Hour)},
	} {
		if err := s.PutState(ctx, "app", st); err != nil {
			t.Fatal(err)
		}
	}
	// The same fingerprint again changes nothing.
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "mysql", SQL: "other"}); err != nil {
		t.Fatal(err)
	}

	get := func(ref string) *registry.State {
		t.Helper()
		st, err := s.State(ctx, "app", ref)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	want := registry.State{Fingerprint: fp("1"), Dialect: "postgres", SQL: sql1, CreatedAt: created.UTC()}
	if got := get(fp("1")); !reflect.DeepEqual(*got, want) {
		t.Errorf("state by fingerprint:\n got %#v\nwant %#v", *got, want)
	}

	if err := s.Tag(ctx, "app", "main", fp("1")); err != nil {
		t.Fatal(err)
	}
	if got := get("main"); !reflect.DeepEqual(*got, want) {
		t.Errorf("state by tag main:\n got %#v\nwant %#v", *got, want)
	}
	if err := s.Tag(ctx, "app", "main", fp("2")); err != nil {
		t.Fatal(err)
	}
	if got := get("main"); got.SQL != sql2 || got.Fingerprint != fp("2") || !got.CreatedAt.Equal(created.Add(time.Hour)) {
		t.Errorf("state by re-tagged main = %+v, want the state %s", got, fp("2"))
	}
	// Re-tagging one tag leaves the others alone.
	if err := s.Tag(ctx, "app", "prod", fp("1")); err != nil {
		t.Fatal(err)
	}
	if got := get("prod"); got.Fingerprint != fp("1") {
		t.Errorf("state by tag prod = %s, want %s", got.Fingerprint, fp("1"))
	}
	if got := get("main"); got.Fingerprint != fp("2") {
		t.Errorf("state by tag main = %s after tagging prod, want %s", got.Fingerprint, fp("2"))
	}

	// Unknown tags, fingerprints and schemas: schemas do not share states or tags.
	for _, tc := range []struct{ schema, ref string }{
		{"app", "staging"},
		{"app", fp("3")},
		{"other", "main"},
		{"other", fp("1")},
	} {
		_, err := s.State(ctx, tc.schema, tc.ref)
		notFound(t, fmt.Sprintf("State(%s, %s)", tc.schema, tc.ref), err, tc.schema, tc.ref)
	}
	// Tagging a state never put, or put in another schema.
	notFound(t, "tagging a missing state", s.Tag(ctx, "app", "staging", fp("3")), "app", "staging")
	notFound(t, "tagging another schema's state", s.Tag(ctx, "other", "main", fp("1")), "other", "main")
	if _, err := s.State(ctx, "app", "staging"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("a failed tag created the tag: %v", err)
	}
}

// testStateCreatedNow puts a state without a creation time: the store records when it was
// put, in UTC.
func testStateCreatedNow(t *testing.T, s registry.Store) {
	ctx := context.Background()
	before := time.Now().Truncate(time.Second)
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres", SQL: "SELECT 1;\n"}); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	st, err := s.State(ctx, "app", fp("1"))
	if err != nil {
		t.Fatal(err)
	}
	if st.CreatedAt.Before(before) || st.CreatedAt.After(after) || st.CreatedAt.Location() != time.UTC {
		t.Errorf("created at %v, want a UTC time between %v and %v", st.CreatedAt, before, after)
	}
}

func testPlans(t *testing.T, s registry.Store) {
	ctx := context.Background()
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	// Saved out of order; b and c share a creation time, so the name decides; B sorts
	// before a byte-wise, whatever the database's collation says.
	plans := map[string]*registry.Plan{
		"c": newPlan("c", fp("1"), fp("3"), t0.Add(time.Minute)),
		"a": newPlan("a", fp("1"), fp("2"), t0),
		"b": newPlan("b", fp("2"), fp("3"), t0.Add(time.Minute)),
		"B": newPlan("B", fp("4"), fp("5"), t0.Add(time.Minute)),
		"d": newPlan("d", fp("1"), fp("2"), t0.Add(2*time.Minute)),
	}
	// One plan with everything a header can carry.
	plans["b"].Header.Linted = true
	plans["b"].Header.Findings = []plan.Finding{
		{Statement: -1, Severity: "notice", Analyzer: "summary", Message: "one table"},
		{Statement: 0, Severity: "warning", Analyzer: "lock", Message: "takes an ACCESS EXCLUSIVE lock"},
	}
	plans["b"].Plan.Statements = append(plans["b"].Plan.Statements,
		plan.Statement{SQL: "-- backfill\nUPDATE public.t SET id = 1", Tx: 1})
	for _, name := range []string{"c", "a", "b", "B", "d"} {
		if err := s.SavePlan(ctx, plans[name]); err != nil {
			t.Fatal(err)
		}
	}
	if plans["a"].Header.Status != "" {
		t.Error("SavePlan modified its argument")
	}
	// The same name in another schema is another plan.
	other := newPlan("a", fp("7"), fp("8"), t0)
	other.Schema = "other"
	if err := s.SavePlan(ctx, other); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b"} {
		got, err := s.Plan(ctx, "app", name)
		if err != nil {
			t.Fatal(err)
		}
		samePlan(t, got, plans[name], plan.Pending)
	}
	if got, err := s.Plan(ctx, "other", "a"); err != nil {
		t.Fatal(err)
	} else {
		samePlan(t, got, other, plan.Pending)
	}
	if _, err := s.SetStatus(ctx, "app", "d", plan.Pending, plan.Aborted, "carol", time.Time{}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		f    registry.Filter
		want []string
	}{
		{registry.Filter{}, []string{"a", "B", "b", "c", "d"}},
		{registry.Filter{From: fp("1")}, []string{"a", "c", "d"}},
		{registry.Filter{To: fp("3")}, []string{"b", "c"}},
		{registry.Filter{From: fp("1"), To: fp("2")}, []string{"a", "d"}},
		{registry.Filter{Status: plan.Pending}, []string{"a", "B", "b", "c"}},
		{registry.Filter{From: fp("1"), To: fp("2"), Status: plan.Aborted}, []string{"d"}},
		{registry.Filter{Status: plan.Approved}, nil},
		{registry.Filter{From: fp("7")}, nil},
	} {
		ps, err := s.Plans(ctx, "app", tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range ps {
			names = append(names, p.Header.Name)
			if p.Header.Name == "b" {
				samePlan(t, p, plans["b"], plan.Pending)
			}
		}
		if !slices.Equal(names, tc.want) {
			t.Errorf("Plans(%+v) = %v, want %v", tc.f, names, tc.want)
		}
	}
	if ps, err := s.Plans(ctx, "none", registry.Filter{}); err != nil || len(ps) != 0 {
		t.Errorf("Plans of a schema without plans = %v, %v; want none", ps, err)
	}

	_, err := s.Plan(ctx, "app", "e")
	notFound(t, "Plan(e)", err, "app", "e")
	_, err = s.Plan(ctx, "none", "a")
	notFound(t, "Plan(none, a)", err, "none", "a")

	// A plan saved without a creation time gets one, in UTC and to the second as a plan file
	// keeps it.
	before := time.Now().Truncate(time.Second)
	if err := s.SavePlan(ctx, newPlan("now", fp("1"), fp("2"), time.Time{})); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	p, err := s.Plan(ctx, "app", "now")
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Header.CreatedAt; c.Before(before) || c.After(after) || !c.Equal(c.Truncate(time.Second)) {
		t.Errorf("created at %v, want a whole second between %v and %v", c, before, after)
	}
}

func testSavePlanReplace(t *testing.T, s registry.Store) {
	ctx := context.Background()
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	if err := s.SavePlan(ctx, newPlan("pr-1", fp("1"), fp("2"), t0)); err != nil {
		t.Fatal(err)
	}
	// Re-planning the pull request: another target, no author, no context.
	p := newPlan("pr-1", fp("1"), fp("3"), t0.Add(time.Hour))
	p.Header.CreatedBy, p.Header.Context = "", plan.Context{}
	p.Plan.Statements = append(p.Plan.Statements, plan.Statement{SQL: "CREATE TABLE public.u (id integer)", Kind: "add-table", Object: "public.u"})
	if err := s.SavePlan(ctx, p); err != nil {
		t.Fatalf("replacing a pending plan: %v", err)
	}
	got, err := s.Plan(ctx, "app", "pr-1")
	if err != nil {
		t.Fatal(err)
	}
	p.Header.Revision = 2 // other content under the name
	samePlan(t, got, p, plan.Pending)
	// The listing follows: the plan moved to its new transition and creation time.
	if ps, err := s.Plans(ctx, "app", registry.Filter{To: fp("2")}); err != nil || len(ps) != 0 {
		t.Errorf("Plans to the old target = %v, %v; want none", ps, err)
	}
	if ps, err := s.Plans(ctx, "app", registry.Filter{To: fp("3")}); err != nil || len(ps) != 1 {
		t.Errorf("Plans to the new target = %v, %v; want pr-1", ps, err)
	}

	if _, err := approve(ctx, t, s, "app", "pr-1", "bob", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, "app", "pr-1", plan.Approved, plan.Aborted, "bob", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePlan(ctx, newPlan("pr-2", fp("1"), fp("2"), t0)); err != nil {
		t.Fatal(err)
	}
	if _, err := approve(ctx, t, s, "app", "pr-2", "bob", t0); err != nil {
		t.Fatal(err)
	}
	for name, status := range map[string]plan.Status{"pr-1": plan.Aborted, "pr-2": plan.Approved} {
		// Even a replacement that says it is pending.
		np := newPlan(name, fp("1"), fp("4"), t0)
		np.Header.Status = plan.Pending
		err = s.SavePlan(ctx, np)
		var conflict *registry.ConflictError
		if !errors.As(err, &conflict) || *conflict != (registry.ConflictError{Schema: "app", Plan: name, Want: plan.Pending, Got: status}) {
			t.Errorf("replacing a plan %s = %v, want a conflict", status, err)
		}
		if got, err := s.Plan(ctx, "app", name); err != nil || got.Plan.To == fp("4") || got.Header.Status != status {
			t.Errorf("the %s plan changed: %+v %v", status, got, err)
		}
	}
}

func testSetStatus(t *testing.T, s registry.Store) {
	ctx := context.Background()
	saved := newPlan("pr-1", fp("1"), fp("2"), time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC))
	if err := s.SavePlan(ctx, saved); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 5, 2, 9, 30, 15, 999_000_000, time.FixedZone("", -5*3600))
	p, err := approve(ctx, t, s, "app", "pr-1", "bob", at)
	if err != nil {
		t.Fatal(err)
	}
	// The approval is recorded in UTC, to the second; the rest of the plan is unchanged.
	want := *saved
	want.Header.ApprovedAt = time.Date(2025, 5, 2, 14, 30, 15, 0, time.UTC)
	want.Header.ApprovedBy = "bob"
	samePlan(t, p, &want, plan.Approved)
	if p.Header.ApprovedAt.Location() != time.UTC {
		t.Errorf("approved at %v, want UTC", p.Header.ApprovedAt)
	}
	again, err := s.Plan(ctx, "app", "pr-1")
	if err != nil {
		t.Fatal(err)
	}
	samePlan(t, again, &want, plan.Approved)
	if ps, err := s.Plans(ctx, "app", registry.Filter{Status: plan.Approved}); err != nil || len(ps) != 1 {
		t.Errorf("Plans(APPROVED) = %v, %v; want pr-1", ps, err)
	}

	_, err = s.SetStatus(ctx, "app", "pr-1", plan.Pending, plan.Aborted, "carol", at)
	var conflict *registry.ConflictError
	if !errors.As(err, &conflict) || *conflict != (registry.ConflictError{Schema: "app", Plan: "pr-1", Want: plan.Pending, Got: plan.Approved}) {
		t.Errorf("second change from PENDING = %v, want a conflict", err)
	}
	// Aborting an approved plan keeps the record of its approval.
	p, err = s.SetStatus(ctx, "app", "pr-1", plan.Approved, plan.Aborted, "carol", at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	samePlan(t, p, &want, plan.Aborted)
	if p, err := s.Plan(ctx, "app", "pr-1"); err != nil || p.Header.Status != plan.Aborted {
		t.Errorf("after abort: %v, %v", p, err)
	}
	_, err = s.Approve(ctx, "app", "pr-2", registry.Approval{Digest: fp("d"), Actor: "bob", At: at})
	notFound(t, "Approve of a missing plan", err, "app", "pr-2")
	_, err = s.Approve(ctx, "other", "pr-1", registry.Approval{Digest: fp("d"), Actor: "bob", At: at})
	notFound(t, "Approve of a plan of another schema", err, "other", "pr-1")
	if _, err := s.SetStatus(ctx, "app", "pr-1", plan.Aborted, "DONE", "bob", at); err == nil {
		t.Error("SetStatus to an unknown status succeeded")
	}
	if _, err := s.SetStatus(ctx, "app", "pr-1", "DONE", plan.Pending, "bob", at); err == nil {
		t.Error("SetStatus from an unknown status succeeded")
	}

	// A zero time approves now.
	if err := s.SavePlan(ctx, newPlan("pr-3", fp("1"), fp("2"), time.Time{})); err != nil {
		t.Fatal(err)
	}
	before := time.Now().Truncate(time.Second)
	p, err = approve(ctx, t, s, "app", "pr-3", "bob", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if a := p.Header.ApprovedAt; a.Before(before) || a.After(time.Now()) {
		t.Errorf("approved at %v, want now", a)
	}
}

// testSetStatusRace approves one plan from 8 goroutines at once, as 8 CI jobs would: exactly
// one wins, and the others get a conflict.
func testSetStatusRace(t *testing.T, s registry.Store) {
	ctx := context.Background()
	if err := s.SavePlan(ctx, newPlan("pr-1", fp("1"), fp("2"), time.Time{})); err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = approve(ctx, t, s, "app", "pr-1", fmt.Sprintf("approver-%d", i), time.Now())
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		var conflict *registry.ConflictError
		switch {
		case err == nil && winner >= 0:
			t.Errorf("approvers %d and %d both succeeded", winner, i)
		case err == nil:
			winner = i
		case !errors.As(err, &conflict) || conflict.Got != plan.Approved:
			t.Errorf("approver %d: %v, want a conflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no approver succeeded")
	}
	p, err := s.Plan(ctx, "app", "pr-1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Header.Status != plan.Approved || p.Header.ApprovedBy != fmt.Sprintf("approver-%d", winner) {
		t.Errorf("status %s by %s, want APPROVED by approver-%d", p.Header.Status, p.Header.ApprovedBy, winner)
	}
}

var applyIDRE = regexp.MustCompile(`^\d{8}T\d{6}\.\d{9}Z-[0-9a-f]{4}$`)

func testApplies(t *testing.T, s registry.Store) {
	ctx := context.Background()
	full := registry.Apply{
		Schema: "app", Plan: "pr-1", From: fp("1"), To: fp("2"),
		Target: "db.example.com:5432/app", Actor: "deploy-bot",
		Context:  plan.Context{PR: 1, Commit: "0123abcd", URL: "https://ci.example.com/job/9"},
		Started:  time.Date(2025, 5, 3, 10, 0, 0, 123456789, time.FixedZone("", 2*3600)),
		Duration: 1500 * time.Millisecond, Statements: 1, Total: 2,
		Result: registry.Failed, Error: "ERROR: relation \"t\" already exists\nline 2",
	}
	before := time.Now().UTC()
	id, err := s.RecordApply(ctx, full)
	if err != nil {
		t.Fatal(err)
	}
	if !applyIDRE.MatchString(id) {
		t.Errorf("assigned ID %q is not a UTC timestamp and 4 hex digits", id)
	} else if at, err := time.Parse(registry.ApplyIDLayout, id[:len(registry.ApplyIDLayout)]); err != nil || at.Before(before) || at.After(time.Now()) {
		t.Errorf("assigned ID %q does not hold the time of recording (%v)", id, err)
	}
	// A caller's ID is kept, and the least apply has no times and no context.
	minimal := registry.Apply{ID: "mine", Schema: "app", Result: registry.NoChanges}
	if id, err := s.RecordApply(ctx, minimal); err != nil || id != "mine" {
		t.Errorf("RecordApply with an ID = %q, %v", id, err)
	}
	if _, err := s.RecordApply(ctx, registry.Apply{Schema: "other", Result: registry.Applied}); err != nil {
		t.Fatal(err)
	}

	as, err := s.Applies(ctx, "app")
	if err != nil {
		t.Fatal(err)
	}
	full.ID = id
	full.Started = full.Started.UTC()
	want := []registry.Apply{full, minimal}
	if !reflect.DeepEqual(as, want) {
		t.Errorf("Applies =\n%+v\nwant\n%+v", as, want)
	}
	if as, err := s.Applies(ctx, "none"); err != nil || len(as) != 0 {
		t.Errorf("Applies of a schema without applies = %v, %v; want none", as, err)
	}
	// The duration is kept to the millisecond.
	if _, err := s.RecordApply(ctx, registry.Apply{Schema: "ms", Duration: 1234567 * time.Microsecond, Result: registry.Applied}); err != nil {
		t.Fatal(err)
	}
	if as, err := s.Applies(ctx, "ms"); err != nil || len(as) != 1 || as[0].Duration != 1235*time.Millisecond {
		t.Errorf("Applies(ms) = %+v, %v; want a duration of 1.235s", as, err)
	}
}

// testAppliesConcurrent records applies from l.Writers goroutines (16 in FullLoad): none is lost or mangled, and the
// log is in the order of the assigned IDs.
func testAppliesConcurrent(t *testing.T, s registry.Store, l Load) {
	ctx := context.Background()
	writers, each := l.Writers, l.Each
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				_, err := s.RecordApply(ctx, registry.Apply{
					Schema: "app", Target: fmt.Sprintf("writer-%d", w), Statements: i,
					// Records longer than a page: unserialised appends would interleave.
					Error:  strings.Repeat("x", 5000),
					Result: registry.Applied,
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	as, err := s.Applies(ctx, "app")
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != writers*each {
		t.Fatalf("%d applies recorded, want %d", len(as), writers*each)
	}
	next := map[string]int{}
	for i, a := range as {
		if i > 0 && as[i-1].ID >= a.ID {
			t.Errorf("apply %d: ID %s after %s", i, a.ID, as[i-1].ID)
		}
		if a.Statements != next[a.Target] || len(a.Error) != 5000 {
			t.Errorf("apply %d of %s: statements %d, want %d", i, a.Target, a.Statements, next[a.Target])
		}
		next[a.Target]++
	}
}

// testBadInput passes names that could escape a directory or break a header line, and
// malformed fingerprints: every method rejects them with an error naming them, and stores
// nothing.
func testBadInput(t *testing.T, s registry.Store) {
	ctx := context.Background()
	p := newPlan("ok", fp("1"), fp("2"), time.Time{})
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres"}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a", 129)
	for _, bad := range []string{"../x", "..", ".", "", ".hidden", "a/b", `a\b`, "a b", "-x", "a\nb", "é", long} {
		checks := map[string]error{}
		checks["PutState schema"] = s.PutState(ctx, bad, registry.State{Fingerprint: fp("1"), Dialect: "postgres"})
		checks["Tag schema"] = s.Tag(ctx, bad, "main", fp("1"))
		checks["Tag"] = s.Tag(ctx, "app", bad, fp("1"))
		_, checks["State schema"] = s.State(ctx, bad, fp("1"))
		if bad != "" { // an empty ref is neither a tag nor a fingerprint, and said so differently
			_, checks["State tag"] = s.State(ctx, "app", bad)
		}
		bp := *p
		bp.Schema = bad
		checks["SavePlan schema"] = s.SavePlan(ctx, &bp)
		bp = *p
		bp.Header.Name = bad
		checks["SavePlan name"] = s.SavePlan(ctx, &bp)
		_, checks["Plan schema"] = s.Plan(ctx, bad, "ok")
		_, checks["Plan"] = s.Plan(ctx, "app", bad)
		_, checks["Plans"] = s.Plans(ctx, bad, registry.Filter{})
		_, checks["SetStatus schema"] = approve(ctx, t, s, bad, "ok", "bob", time.Time{})
		_, checks["SetStatus"] = approve(ctx, t, s, "app", bad, "bob", time.Time{})
		_, checks["RecordApply schema"] = s.RecordApply(ctx, registry.Apply{Schema: bad, Result: registry.Applied})
		if bad != "" { // no plan ran
			_, checks["RecordApply plan"] = s.RecordApply(ctx, registry.Apply{Schema: "app", Plan: bad, Result: registry.Applied})
		}
		_, checks["Applies"] = s.Applies(ctx, bad)
		for what, err := range checks {
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
				t.Errorf("%s %q: %v, want an error naming it", what, bad, err)
			}
		}
	}
	for _, bad := range []string{"sha256:" + strings.Repeat("A", 64), "sha256:" + strings.Repeat("1", 63), "md5:" + strings.Repeat("1", 64), "sha256:../../x", "sha256:"} {
		if err := s.PutState(ctx, "app", registry.State{Fingerprint: bad, Dialect: "postgres"}); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("PutState(%q) = %v, want an error naming it", bad, err)
		}
		if err := s.Tag(ctx, "app", "main", bad); err == nil {
			t.Errorf("Tag to %q succeeded", bad)
		}
		if _, err := s.State(ctx, "app", bad); err == nil || errors.Is(err, registry.ErrNotFound) {
			t.Errorf("State(%q) = %v, want a bad-fingerprint error", bad, err)
		}
		if _, err := s.RecordApply(ctx, registry.Apply{Schema: "app", From: bad, Result: registry.Applied}); err == nil {
			t.Errorf("RecordApply from %q succeeded", bad)
		}
		bp := newPlan("bad-fp", bad, fp("2"), time.Time{})
		if err := s.SavePlan(ctx, bp); err == nil {
			t.Errorf("SavePlan from %q succeeded", bad)
		}
	}
	// Values that would break a header line, and other nonsense.
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("2")}); err == nil {
		t.Error("PutState without a dialect succeeded")
	}
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("2"), Dialect: "postgres\n"}); err == nil {
		t.Error("PutState with a dialect on two lines succeeded")
	}
	if err := s.SavePlan(ctx, nil); err == nil {
		t.Error("SavePlan(nil) succeeded")
	}
	if err := s.SavePlan(ctx, &registry.Plan{Schema: "app", Header: plan.Header{Name: "x"}}); err == nil {
		t.Error("SavePlan without a plan succeeded")
	}
	bp := newPlan("bad-author", fp("1"), fp("2"), time.Time{})
	bp.Header.CreatedBy = "alice\n-- status: APPROVED"
	if err := s.SavePlan(ctx, bp); err == nil {
		t.Error("SavePlan with an author on two lines succeeded")
	}
	if err := s.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := approve(ctx, t, s, "app", "ok", "bob\n-- approved-by: eve", time.Time{}); err == nil {
		t.Error("SetStatus by an actor on two lines succeeded")
	}
	if _, err := s.RecordApply(ctx, registry.Apply{Schema: "app", Result: "done"}); err == nil {
		t.Error("RecordApply with an unknown result succeeded")
	}
	if _, err := s.RecordApply(ctx, registry.Apply{Schema: "app", ID: "a\nb", Result: registry.Applied}); err == nil {
		t.Error("RecordApply with an ID on two lines succeeded")
	}

	// Nothing but the one state and the one good plan was stored.
	if st, err := s.State(ctx, "app", "main"); err == nil {
		t.Errorf("a rejected tag was stored: %+v", st)
	}
	if _, err := s.State(ctx, "app", fp("2")); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("a rejected state was stored (%v)", err)
	}
	if ps, err := s.Plans(ctx, "app", registry.Filter{}); err != nil || len(ps) != 1 || ps[0].Header.Name != "ok" || ps[0].Header.Status != plan.Pending {
		t.Errorf("Plans after the rejected calls = %v, %v; want only ok, pending", ps, err)
	}
	if as, err := s.Applies(ctx, "app"); err != nil || len(as) != 0 {
		t.Errorf("Applies after the rejected calls = %v, %v; want none", as, err)
	}
}

// testCanceled makes every write with a cancelled context: each fails with the context's
// error and writes nothing.
func testCanceled(t *testing.T, s registry.Store) {
	ctx := context.Background()
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePlan(ctx, newPlan("pr-1", fp("1"), fp("2"), time.Time{})); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, setErr := approve(cctx, t, s, "app", "pr-1", "bob", time.Time{})
	_, applyErr := s.RecordApply(cctx, registry.Apply{Schema: "app", Result: registry.Applied})
	for what, err := range map[string]error{
		"PutState":    s.PutState(cctx, "app", registry.State{Fingerprint: fp("2"), Dialect: "postgres"}),
		"Tag":         s.Tag(cctx, "app", "main", fp("1")),
		"SavePlan":    s.SavePlan(cctx, newPlan("pr-2", fp("1"), fp("2"), time.Time{})),
		"SetStatus":   setErr,
		"RecordApply": applyErr,
	} {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context = %v, want context.Canceled", what, err)
		}
	}
	if _, err := s.State(ctx, "app", fp("2")); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("a cancelled PutState stored the state (%v)", err)
	}
	if _, err := s.State(ctx, "app", "main"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("a cancelled Tag stored the tag (%v)", err)
	}
	if _, err := s.Plan(ctx, "app", "pr-2"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("a cancelled SavePlan stored the plan (%v)", err)
	}
	if p, err := s.Plan(ctx, "app", "pr-1"); err != nil || p.Header.Status != plan.Pending {
		t.Errorf("after a cancelled approval: %+v, %v; want PENDING", p, err)
	}
	if as, err := s.Applies(ctx, "app"); err != nil || len(as) != 0 {
		t.Errorf("a cancelled RecordApply recorded %d applies (%v)", len(as), err)
	}
}
