package registry_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
)

// fp returns a fingerprint made of one repeated hex digit.
func fp(digit string) string { return "sha256:" + strings.Repeat(digit, 64) }

func openStore(t *testing.T, dir string) *registry.File {
	t.Helper()
	s, err := registry.OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newPlan builds a one-statement plan from one fingerprint to another.
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
	g := *got
	g.Header.CreatedAt = g.Header.CreatedAt.UTC()
	if !reflect.DeepEqual(g.Header, w.Header) || g.Schema != w.Schema || !reflect.DeepEqual(g.Plan, w.Plan) {
		t.Errorf("plan %s:\n got %+v %+v\nwant %+v %+v", want.Header.Name, g.Header, g.Plan, w.Header, w.Plan)
	}
}

func TestFileStates(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), ".sextant"))
	created := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	// SQL that a header parser could trip on: leading and doubled blank lines, a header-like
	// comment, no final line break.
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
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres", SQL: "other"}); err != nil {
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
	want := registry.State{Fingerprint: fp("1"), Dialect: "postgres", SQL: sql1, CreatedAt: created}
	if got := get(fp("1")); !reflect.DeepEqual(*got, want) {
		t.Errorf("state by fingerprint:\n got %#v\nwant %#v", *got, want)
	}

	if err := s.Tag(ctx, "app", "main", fp("1")); err != nil {
		t.Fatal(err)
	}
	if got := get("main"); got.SQL != sql1 || got.Fingerprint != fp("1") {
		t.Errorf("state by tag main = %s %q, want %s", got.Fingerprint, got.SQL, fp("1"))
	}
	if err := s.Tag(ctx, "app", "main", fp("2")); err != nil {
		t.Fatal(err)
	}
	if got := get("main"); got.SQL != sql2 || got.Fingerprint != fp("2") || !got.CreatedAt.Equal(created.Add(time.Hour)) {
		t.Errorf("state by re-tagged main = %+v, want the state %s", got, fp("2"))
	}

	// Unknown tags, fingerprints and schemas; tagging a state never put.
	for _, tc := range []struct{ schema, ref, msg string }{
		{"app", "prod", `state "prod" of schema "app": not found`},
		{"app", fp("3"), fmt.Sprintf(`state %q of schema "app": not found`, fp("3"))},
		{"other", "main", `state "main" of schema "other": not found`},
	} {
		_, err := s.State(ctx, tc.schema, tc.ref)
		if !errors.Is(err, registry.ErrNotFound) || err.Error() != tc.msg {
			t.Errorf("State(%s, %s) = %v, want %s", tc.schema, tc.ref, err, tc.msg)
		}
	}
	if err := s.Tag(ctx, "app", "prod", fp("3")); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("tagging a missing state = %v, want ErrNotFound", err)
	}
}

func TestFileLayout(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	created := time.Date(2025, 5, 1, 12, 0, 0, 0, time.FixedZone("", 2*3600))
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("a"), Dialect: "postgres", SQL: "SELECT 1;\n", CreatedAt: created}); err != nil {
		t.Fatal(err)
	}
	if err := s.Tag(ctx, "app", "main", fp("a")); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePlan(ctx, newPlan("pr-1", fp("a"), fp("b"), created)); err != nil {
		t.Fatal(err)
	}
	read := func(rel string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	wantState := "-- sextant state\n-- fingerprint: " + fp("a") + "\n-- dialect: postgres\n-- created-at: 2025-05-01T10:00:00Z\n\nSELECT 1;\n"
	if got := read("app/states/" + strings.Repeat("a", 64) + ".sql"); got != wantState {
		t.Errorf("state file:\n%s\nwant\n%s", got, wantState)
	}
	if got := read("app/tags/main"); got != fp("a")+"\n" {
		t.Errorf("tag file = %q", got)
	}
	if got := read("app/plans/pr-1.sql"); !strings.HasPrefix(got, plan.FileMagic+"\n-- name: pr-1\n") || !strings.Contains(got, "-- status: PENDING\n") {
		t.Errorf("plan file:\n%s", got)
	}
	// No temporary file is left behind.
	for _, sub := range []string{"app/states", "app/tags", "app/plans"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Errorf("%s holds %d files, want 1", sub, len(entries))
		}
	}
}

func TestFileMissingDir(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), ".sextant")
	s := openStore(t, dir)
	if _, err := s.State(ctx, "app", "main"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("State = %v, want ErrNotFound", err)
	}
	if _, err := s.Plan(ctx, "app", "pr-1"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("Plan = %v, want ErrNotFound", err)
	}
	if _, err := s.SetStatus(ctx, "app", "pr-1", plan.Pending, plan.Approved, "bob", time.Now()); !errors.Is(err, registry.ErrNotFound) || !strings.Contains(err.Error(), `"pr-1"`) {
		t.Errorf("SetStatus = %v, want ErrNotFound naming the plan", err)
	}
	if ps, err := s.Plans(ctx, "app", registry.Filter{}); err != nil || len(ps) != 0 {
		t.Errorf("Plans = %v, %v, want none", ps, err)
	}
	if as, err := s.Applies(ctx, "app"); err != nil || len(as) != 0 {
		t.Errorf("Applies = %v, %v, want none", as, err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("reads created the store's directory (%v)", err)
	}

	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := registry.OpenFile(file); err == nil {
		t.Error("OpenFile of a regular file succeeded")
	}
}

func TestFilePlans(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	// Saved out of order; b and c share a creation time, so the name decides.
	plans := map[string]*registry.Plan{
		"c": newPlan("c", fp("1"), fp("3"), t0.Add(time.Minute)),
		"a": newPlan("a", fp("1"), fp("2"), t0),
		"b": newPlan("b", fp("2"), fp("3"), t0.Add(time.Minute)),
		"d": newPlan("d", fp("1"), fp("2"), t0.Add(2*time.Minute)),
	}
	for _, name := range []string{"c", "a", "b", "d"} {
		if err := s.SavePlan(ctx, plans[name]); err != nil {
			t.Fatal(err)
		}
	}
	if plans["a"].Header.Status != "" {
		t.Error("SavePlan modified its argument")
	}
	got, err := s.Plan(ctx, "app", "a")
	if err != nil {
		t.Fatal(err)
	}
	samePlan(t, got, plans["a"], plan.Pending)
	if _, err := s.SetStatus(ctx, "app", "d", plan.Pending, plan.Aborted, "carol", time.Time{}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		f    registry.Filter
		want []string
	}{
		{registry.Filter{}, []string{"a", "b", "c", "d"}},
		{registry.Filter{From: fp("1")}, []string{"a", "c", "d"}},
		{registry.Filter{To: fp("3")}, []string{"b", "c"}},
		{registry.Filter{From: fp("1"), To: fp("2")}, []string{"a", "d"}},
		{registry.Filter{Status: plan.Pending}, []string{"a", "b", "c"}},
		{registry.Filter{From: fp("1"), To: fp("2"), Status: plan.Aborted}, []string{"d"}},
		{registry.Filter{Status: plan.Approved}, nil},
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

	if _, err := s.Plan(ctx, "app", "e"); !errors.Is(err, registry.ErrNotFound) || err.Error() != `plan "e" of schema "app": not found` {
		t.Errorf("Plan(e) = %v, want not found", err)
	}
}

func TestFilePlansBadFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	if err := s.SavePlan(ctx, newPlan("good", fp("1"), fp("2"), time.Time{})); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "app", "plans", "bad.sql")
	if err := os.WriteFile(bad, []byte("-- sextant plan\n-- from: nope\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Plans(ctx, "app", registry.Filter{}); err == nil || !strings.Contains(err.Error(), bad+":2:") {
		t.Errorf("Plans with a bad file = %v, want an error naming %s:2", err, bad)
	}
	// A plan file whose header names another plan.
	b, err := os.ReadFile(filepath.Join(dir, "app", "plans", "good.sql"))
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(dir, "app", "plans", "copy.sql")
	if err := os.WriteFile(copied, b, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Plan(ctx, "app", "copy"); err == nil || !strings.Contains(err.Error(), copied) {
		t.Errorf("Plan(copy) = %v, want an error naming %s", err, copied)
	}
}

func TestFileSavePlanReplace(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
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
	samePlan(t, got, p, plan.Pending)

	if _, err := s.SetStatus(ctx, "app", "pr-1", plan.Pending, plan.Approved, "bob", t0); err != nil {
		t.Fatal(err)
	}
	err = s.SavePlan(ctx, newPlan("pr-1", fp("1"), fp("4"), t0))
	var conflict *registry.ConflictError
	if !errors.As(err, &conflict) || *conflict != (registry.ConflictError{Schema: "app", Plan: "pr-1", Want: plan.Pending, Got: plan.Approved}) {
		t.Fatalf("replacing an approved plan = %v, want a conflict", err)
	}
	if got, err := s.Plan(ctx, "app", "pr-1"); err != nil || got.Plan.To != fp("3") {
		t.Errorf("the approved plan changed: %v %v", got, err)
	}
}

func TestFileSetStatus(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	if err := s.SavePlan(ctx, newPlan("pr-1", fp("1"), fp("2"), time.Time{})); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 5, 2, 9, 30, 15, 999_000_000, time.FixedZone("", -5*3600))
	p, err := s.SetStatus(ctx, "app", "pr-1", plan.Pending, plan.Approved, "bob", at)
	if err != nil {
		t.Fatal(err)
	}
	wantAt := time.Date(2025, 5, 2, 14, 30, 15, 0, time.UTC)
	if p.Header.Status != plan.Approved || p.Header.ApprovedBy != "bob" || !p.Header.ApprovedAt.Equal(wantAt) || p.Header.ApprovedAt.Location() != time.UTC {
		t.Errorf("approved plan header = %+v, want APPROVED by bob at %v", p.Header, wantAt)
	}
	b, err := os.ReadFile(filepath.Join(dir, "app", "plans", "pr-1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"-- status: APPROVED\n", "-- approved-at: 2025-05-02T14:30:15Z\n", "-- approved-by: bob\n"} {
		if !strings.Contains(string(b), line) {
			t.Errorf("the plan file has no line %q:\n%s", line, b)
		}
	}
	if again, err := s.Plan(ctx, "app", "pr-1"); err != nil || again.Header.ApprovedBy != "bob" || !again.Header.ApprovedAt.Equal(wantAt) {
		t.Errorf("the approval read back as %+v, %v", again, err)
	}

	_, err = s.SetStatus(ctx, "app", "pr-1", plan.Pending, plan.Aborted, "carol", at)
	var conflict *registry.ConflictError
	if !errors.As(err, &conflict) || conflict.Want != plan.Pending || conflict.Got != plan.Approved {
		t.Errorf("second change from PENDING = %v, want a conflict", err)
	}
	if _, err := s.SetStatus(ctx, "app", "pr-1", plan.Approved, plan.Aborted, "carol", at); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Plan(ctx, "app", "pr-1"); err != nil || p.Header.Status != plan.Aborted {
		t.Errorf("after abort: %v, %v", p, err)
	}
	_, err = s.SetStatus(ctx, "app", "pr-2", plan.Pending, plan.Approved, "bob", at)
	if !errors.Is(err, registry.ErrNotFound) || !strings.Contains(err.Error(), `"pr-2"`) {
		t.Errorf("SetStatus of a missing plan = %v, want ErrNotFound naming it", err)
	}
	if _, err := s.SetStatus(ctx, "app", "pr-1", plan.Aborted, "DONE", "bob", at); err == nil {
		t.Error("SetStatus to an unknown status succeeded")
	}
}

// TestFileSetStatusRace approves one plan from 8 stores on the same directory at once, as 8
// CI jobs would: exactly one wins.
func TestFileSetStatusRace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := openStore(t, dir).SavePlan(ctx, newPlan("pr-1", fp("1"), fp("2"), time.Time{})); err != nil {
		t.Fatal(err)
	}
	const n = 8
	stores := make([]*registry.File, n)
	for i := range stores {
		stores[i] = openStore(t, dir)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, s := range stores {
		wg.Go(func() {
			<-start
			_, errs[i] = s.SetStatus(ctx, "app", "pr-1", plan.Pending, plan.Approved, fmt.Sprintf("approver-%d", i), time.Now())
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
		case !errors.As(err, &conflict):
			t.Errorf("approver %d: %v, want a conflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no approver succeeded")
	}
	p, err := stores[0].Plan(ctx, "app", "pr-1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Header.Status != plan.Approved {
		t.Errorf("status = %s, want APPROVED", p.Header.Status)
	}
}

func TestFileApplies(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	full := registry.Apply{
		Schema: "app", Plan: "pr-1", From: fp("1"), To: fp("2"),
		Target: "db.example.com:5432/app", Actor: "deploy-bot",
		Context:  plan.Context{PR: 1, Commit: "0123abcd", URL: "https://ci.example.com/job/9"},
		Started:  time.Date(2025, 5, 3, 8, 0, 0, 123456789, time.UTC),
		Duration: 1500 * time.Millisecond, Statements: 1, Total: 2,
		Result: registry.Failed, Error: "ERROR: relation \"t\" already exists\nline 2",
	}
	id, err := s.RecordApply(ctx, full)
	if err != nil {
		t.Fatal(err)
	}
	if len(id) != len("20060102T150405.000000000Z-abcd") || !strings.HasSuffix(id[:26], "Z") {
		t.Errorf("assigned ID %q is not a UTC timestamp and 4 hex digits", id)
	}
	as, err := s.Applies(ctx, "app")
	if err != nil {
		t.Fatal(err)
	}
	full.ID = id
	if len(as) != 1 || !reflect.DeepEqual(as[0], full) {
		t.Errorf("Applies = %+v\nwant %+v", as, full)
	}
	b, err := os.ReadFile(filepath.Join(dir, "app", "applies.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"duration_ms":1500`) || strings.Count(string(b), "\n") != 1 {
		t.Errorf("applies.jsonl = %s", b)
	}

	// A caller's ID is kept.
	if id, err := s.RecordApply(ctx, registry.Apply{ID: "mine", Schema: "app", Result: registry.NoChanges}); err != nil || id != "mine" {
		t.Errorf("RecordApply with an ID = %q, %v", id, err)
	}
}

// TestFileAppliesConcurrent records applies from 16 goroutines through separate stores: none
// is lost or mangled, and the log is in the order of the assigned IDs.
func TestFileAppliesConcurrent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const writers, each = 16, 20
	var wg sync.WaitGroup
	for w := range writers {
		s := openStore(t, dir)
		wg.Go(func() {
			for i := range each {
				_, err := s.RecordApply(ctx, registry.Apply{
					Schema: "app", Target: fmt.Sprintf("writer-%d", w), Statements: i,
					// Lines longer than a page: unserialised appends would interleave.
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
	as, err := openStore(t, dir).Applies(ctx, "app")
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != writers*each {
		t.Fatalf("%d applies recorded, want %d", len(as), writers*each)
	}
	next := map[string]int{}
	ids := map[string]bool{}
	for i, a := range as {
		if ids[a.ID] {
			t.Errorf("ID %s twice", a.ID)
		}
		ids[a.ID] = true
		if i > 0 && as[i-1].ID >= a.ID {
			t.Errorf("apply %d: ID %s after %s", i, a.ID, as[i-1].ID)
		}
		if a.Statements != next[a.Target] {
			t.Errorf("apply %d of %s: statements %d, want %d", i, a.Target, a.Statements, next[a.Target])
		}
		next[a.Target]++
	}
}

// TestFileAppliesTorn reads a log whose last append was cut short: the torn line is not an
// apply, and the next append does not run into it.
func TestFileAppliesTorn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	if _, err := s.RecordApply(ctx, registry.Apply{Schema: "app", Result: registry.Applied}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "app", "applies.jsonl")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"id":"torn","res`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if as, err := s.Applies(ctx, "app"); err != nil || len(as) != 1 {
		t.Errorf("Applies with a torn line = %d applies, %v; want 1", len(as), err)
	}
	if _, err := s.RecordApply(ctx, registry.Apply{Schema: "app", Result: registry.Failed}); err != nil {
		t.Fatal(err)
	}
	as, err := s.Applies(ctx, "app")
	if err != nil || len(as) != 2 || as[1].Result != registry.Failed {
		t.Errorf("Applies after the next append = %+v, %v", as, err)
	}

	// A mangled line in the middle is an error naming the file and line.
	if err := os.WriteFile(path, []byte("{}\nnot json\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Applies(ctx, "app"); err == nil || !strings.Contains(err.Error(), path+":2:") {
		t.Errorf("Applies of a mangled log = %v, want an error naming %s:2", err, path)
	}
}

func TestFileBadNames(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	dir := filepath.Join(root, ".sextant")
	s := openStore(t, dir)
	p := newPlan("ok", fp("1"), fp("2"), time.Time{})
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres"}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a", 129)
	for _, bad := range []string{"../x", "..", ".", "", ".hidden", "a/b", `a\b`, "a b", "-x", long} {
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
		_, checks["Plan"] = s.Plan(ctx, "app", bad)
		_, checks["Plans"] = s.Plans(ctx, bad, registry.Filter{})
		_, checks["SetStatus"] = s.SetStatus(ctx, "app", bad, plan.Pending, plan.Approved, "bob", time.Time{})
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
	for _, bad := range []string{"sha256:" + strings.Repeat("A", 64), "sha256:" + strings.Repeat("1", 63), "md5:" + strings.Repeat("1", 64), "sha256:../../x"} {
		if err := s.PutState(ctx, "app", registry.State{Fingerprint: bad, Dialect: "postgres"}); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("PutState(%q) = %v, want an error naming it", bad, err)
		}
		if err := s.Tag(ctx, "app", "main", bad); err == nil {
			t.Errorf("Tag to %q succeeded", bad)
		}
		if _, err := s.State(ctx, "app", bad); err == nil || errors.Is(err, registry.ErrNotFound) {
			t.Errorf("State(%q) = %v, want a bad-fingerprint error", bad, err)
		}
	}
	// Nothing was written outside the store, nor anything but the one state inside it.
	entries, err := os.ReadDir(root)
	if err != nil || len(entries) != 1 {
		t.Errorf("the store's parent holds %v (%v), want only .sextant", entries, err)
	}
	entries, err = os.ReadDir(dir)
	if err != nil || len(entries) != 1 || entries[0].Name() != "app" {
		t.Errorf("the store holds %v (%v), want only app", entries, err)
	}
}
