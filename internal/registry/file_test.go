package registry_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/storetest"
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

// TestFileStore runs the store contract on the file store.
func TestFileStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) registry.Store {
		return openStore(t, filepath.Join(t.TempDir(), ".sextant"))
	})
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
	// An approval rewrites the plan file; an apply is one JSON line.
	at := time.Date(2025, 5, 2, 9, 30, 15, 999_000_000, time.FixedZone("", -5*3600))
	if _, err := s.Approve(ctx, "app", "pr-1", registry.Approval{Digest: digestOf(s, "pr-1"), Actor: "bob", At: at}); err != nil {
		t.Fatal(err)
	}
	got := read("app/plans/pr-1.sql")
	for _, line := range []string{"-- status: APPROVED\n", "-- approved-at: 2025-05-02T14:30:15Z\n", "-- approved-by: bob\n"} {
		if !strings.Contains(got, line) {
			t.Errorf("the approved plan file has no line %q:\n%s", line, got)
		}
	}
	if _, err := s.RecordApply(ctx, registry.Apply{Schema: "app", Duration: 1500 * time.Millisecond, Result: registry.Applied}); err != nil {
		t.Fatal(err)
	}
	if got := read("app/applies.jsonl"); !strings.Contains(got, `"duration_ms":1500`) || strings.Count(got, "\n") != 1 || !strings.HasSuffix(got, "}\n") {
		t.Errorf("applies.jsonl = %s", got)
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
	if _, err := s.Approve(ctx, "app", "pr-1", registry.Approval{Digest: digestOf(s, "pr-1"), Actor: "bob", At: time.Now()}); !errors.Is(err, registry.ErrNotFound) || !strings.Contains(err.Error(), `"pr-1"`) {
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
			_, errs[i] = s.Approve(ctx, "app", "pr-1", registry.Approval{Digest: digestOf(s, "pr-1"), Actor: fmt.Sprintf("approver-%d", i), At: time.Now()})
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

// TestFileBadNamesStayInside passes names that point outside the store to every write:
// nothing is written outside it, nor anything but the one good state inside it.
func TestFileBadNamesStayInside(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	dir := filepath.Join(root, ".sextant")
	s := openStore(t, dir)
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"../x", "..", ".", ".hidden", "a/b", "/tmp/x"} {
		var errs []error
		errs = append(errs, s.PutState(ctx, bad, registry.State{Fingerprint: fp("1"), Dialect: "postgres"}))
		errs = append(errs, s.Tag(ctx, "app", bad, fp("1")))
		p := newPlan(bad, fp("1"), fp("2"), time.Time{})
		errs = append(errs, s.SavePlan(ctx, p))
		p = newPlan("ok", fp("1"), fp("2"), time.Time{})
		p.Schema = bad
		errs = append(errs, s.SavePlan(ctx, p))
		_, err := s.Approve(ctx, bad, "ok", registry.Approval{Digest: digestOf(s, "ok"), Actor: "bob", At: time.Time{}})
		errs = append(errs, err)
		_, err = s.RecordApply(ctx, registry.Apply{Schema: bad, Result: registry.Applied})
		errs = append(errs, err)
		for i, err := range errs {
			if err == nil {
				t.Errorf("write %d with %q succeeded", i, bad)
			}
		}
	}
	for _, bad := range []string{"sha256:../../x", "sha256:/tmp/x"} {
		if err := s.PutState(ctx, "app", registry.State{Fingerprint: bad, Dialect: "postgres"}); err == nil {
			t.Errorf("PutState(%q) succeeded", bad)
		}
	}
	entries, err := os.ReadDir(root)
	if err != nil || len(entries) != 1 {
		t.Errorf("the store's parent holds %v (%v), want only .sextant", entries, err)
	}
	entries, err = os.ReadDir(dir)
	if err != nil || len(entries) != 1 || entries[0].Name() != "app" {
		t.Errorf("the store holds %v (%v), want only app", entries, err)
	}
	entries, err = os.ReadDir(filepath.Join(dir, "app"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if err != nil || !slices.Equal(names, []string{".gitignore", ".lock", "states"}) {
		t.Errorf("the schema directory holds %v (%v), want .gitignore, .lock and states", names, err)
	}
}

// digestOf is the digest of plan name of schema app as stored, or a well-formed digest of
// nothing when there is no such plan.
func digestOf(s registry.Store, name string) string {
	if p, err := s.Plan(context.Background(), "app", name); err == nil {
		return p.Plan.Digest()
	}
	return "sha256:" + strings.Repeat("d", 64)
}

// TestFileTampering edits plan files behind the store's back, as anyone with write access to
// a committed registry directory can: a forged status line approves nothing, and content
// edited after its approval no longer verifies.
func TestFileTampering(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	for _, name := range []string{"forged", "edited"} {
		if err := s.SavePlan(ctx, newPlan(name, fp("a"), fp("b"), time.Time{})); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(name, old, new string) {
		t.Helper()
		path := filepath.Join(dir, "app", "plans", name+".sql")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q:\n%s", path, old, b)
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("forged", "-- status: PENDING\n", "-- status: APPROVED\n-- approved-by: mallory\n")
	p, err := s.Plan(ctx, "app", "forged")
	if err != nil {
		t.Fatal(err)
	}
	if p.Header.Status != plan.Pending || p.Approval != nil || p.Header.ApprovedBy != "" || p.Verify() == nil {
		t.Errorf("a forged status line reads as %s approved by %q (%+v)", p.Header.Status, p.Header.ApprovedBy, p.Approval)
	}
	if ps, err := s.Plans(ctx, "app", registry.Filter{Status: plan.Approved}); err != nil || len(ps) != 0 {
		t.Errorf("approved plans after forging a status line: %v, %v", ps, err)
	}

	approved := digestOf(s, "edited")
	if _, err := s.Approve(ctx, "app", "edited", registry.Approval{Digest: approved, Actor: "bob"}); err != nil {
		t.Fatal(err)
	}
	edit("edited", "CREATE TABLE public.t (id integer);\n", "CREATE TABLE public.t (id integer);\nDELETE FROM public.orders;\n")
	p, err = s.Plan(ctx, "app", "edited")
	if err != nil {
		t.Fatal(err)
	}
	var de *registry.DigestError
	if err := p.Verify(); !errors.As(err, &de) || de.Want != approved || de.Got != p.Plan.Digest() || !de.Approved ||
		!strings.Contains(err.Error(), approved) || !strings.Contains(err.Error(), p.Plan.Digest()) {
		t.Errorf("Verify of a plan edited after approval = %v, want a DigestError naming both digests", err)
	}
}
