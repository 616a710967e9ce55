package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/sqlstore"
)

func testPlan(schema, name string) *registry.Plan {
	return &registry.Plan{Schema: schema, Header: plan.Header{Name: name, CreatedBy: "alice",
		CreatedAt: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)},
		Plan: &plan.Plan{Dialect: "postgres", From: fp("1"), To: fp("2"), Statements: []plan.Statement{{SQL: "CREATE TABLE t (id int)"}}}}
}

// TestMigrateDigests opens a schema-1 database holding an approved, an approved-then-aborted
// and a pending plan: the migration stores their digests, and binds the approvals to the
// content they approved, so the approved plan still verifies and the pending one is not
// approved by the status line its file may carry.
func TestMigrateDigests(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testMigrateDigests(t, sqliteURL(t)) })
	t.Run("Postgres", func(t *testing.T) { testMigrateDigests(t, postgresURL(t)) })
}

func testMigrateDigests(t *testing.T, url string) {
	ctx := context.Background()
	old, err := sqlstore.OpenVersion(ctx, url, 1)
	if err != nil {
		t.Fatal(err)
	}
	approvedAt := time.Date(2025, 5, 2, 9, 0, 0, 0, time.UTC)
	plans := map[string]plan.Status{"approved": plan.Approved, "aborted": plan.Aborted, "pending": plan.Pending}
	for name, status := range plans {
		p := testPlan("app", name)
		h := p.Header
		h.Status = status
		if status != plan.Pending {
			h.ApprovedAt, h.ApprovedBy = approvedAt, "bob"
		} else {
			h.Status = plan.Approved // a schema-1 file edited in the database: its line is not the status
		}
		var b strings.Builder
		if err := p.Plan.WriteFile(&b, h); err != nil {
			t.Fatal(err)
		}
		if err := old.Exec(ctx, `INSERT INTO plans (repo, name, status, from_fp, to_fp, created_at, file) VALUES ('app', $1, $2, $3, $4, 0, $5)`,
			name, string(status), p.Plan.From, p.Plan.To, b.String()); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	s := open(t, url)
	want := testPlan("app", "x").Plan.Digest()
	for name, status := range plans {
		p, err := s.Plan(ctx, "app", name)
		if err != nil {
			t.Fatal(err)
		}
		if p.Header.Status != status || p.Header.Digest != want || p.Header.Revision != 1 {
			t.Errorf("%s after the migration: status %s, digest %s, revision %d; want %s, %s, 1", name, p.Header.Status, p.Header.Digest, p.Header.Revision, status, want)
		}
		switch status {
		case plan.Pending:
			if p.Approval != nil {
				t.Errorf("the pending plan has an approval: %+v", p.Approval)
			}
		default:
			if a := p.Approval; a == nil || a.Digest != want || a.Actor != "bob" || !a.At.Equal(approvedAt) || a.Revision != 1 {
				t.Errorf("%s: approval %+v, want bob's of %s at %v", name, a, want, approvedAt)
			}
		}
	}
	if err := mustGet(t, s, "approved").Verify(); err != nil {
		t.Errorf("the approved plan does not verify after the migration: %v", err)
	}
	// The pending plan is approved by digest now, as any other.
	if _, err := s.Approve(ctx, "app", "pending", registry.Approval{Digest: want, Actor: "carol"}); err != nil {
		t.Error(err)
	}
}

func mustGet(t *testing.T, s *sqlstore.DB, name string) *registry.Plan {
	t.Helper()
	p, err := s.Plan(context.Background(), "app", name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAuditInTransaction makes the database refuse audit entries (a trigger, as a full disk
// or a lost connection would at that point): every audited write fails and leaves nothing
// behind. Without the trigger each write commits with its entry.
func TestAuditInTransaction(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testAuditInTransaction(t, sqliteURL(t),
			`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit refused'); END`,
			`DROP TRIGGER refuse_audit`)
	})
	t.Run("Postgres", func(t *testing.T) {
		testAuditInTransaction(t, postgresURL(t),
			`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$;
			CREATE TRIGGER refuse_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
			`DROP TRIGGER refuse_audit ON audit`)
	})
}

func testAuditInTransaction(t *testing.T, url, refuse, accept string) {
	ctx := context.Background()
	s := open(t, url)
	if err := s.PutState(ctx, "app", registry.State{Fingerprint: fp("1"), Dialect: "postgres"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePlan(ctx, testPlan("app", "pr-1")); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, refuse); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var recorded []registry.Change
	actx := registry.WithAudit(ctx, func(c registry.Change) registry.AuditEntry {
		mu.Lock()
		defer mu.Unlock()
		recorded = append(recorded, c)
		return registry.AuditEntry{Actor: "test", Action: "x", Repo: "app", Object: fmt.Sprint(len(recorded))}
	})
	digest := testPlan("app", "pr-1").Plan.Digest()
	writes := map[string]func() error{
		"PutState": func() error {
			return s.PutState(actx, "app", registry.State{Fingerprint: fp("2"), Dialect: "postgres"})
		},
		"Tag":      func() error { return s.Tag(actx, "app", "main", fp("1")) },
		"SavePlan": func() error { return s.SavePlan(actx, testPlan("app", "pr-2")) },
		"Approve": func() error {
			_, err := s.Approve(actx, "app", "pr-1", registry.Approval{Digest: digest, Actor: "bob"})
			return err
		},
		"SetStatus": func() error {
			_, err := s.SetStatus(actx, "app", "pr-1", plan.Pending, plan.Aborted, "bob", time.Time{})
			return err
		},
		"RecordApply": func() error {
			_, err := s.RecordApply(actx, registry.Apply{Schema: "app", Result: registry.Applied})
			return err
		},
		"CreateToken": func() error {
			return s.CreateToken(actx, registry.Token{ID: "tok-1", Name: "t", Scopes: []registry.Scope{"read"}}, []byte("h"))
		},
	}
	for what, write := range writes {
		if err := write(); err == nil || !strings.Contains(err.Error(), "audit refused") {
			t.Errorf("%s with the audit log refusing = %v, want the refusal", what, err)
		}
	}
	if _, err := s.State(ctx, "app", fp("2")); err == nil {
		t.Error("the state was stored without its audit entry")
	}
	if _, err := s.State(ctx, "app", "main"); err == nil {
		t.Error("the tag was stored without its audit entry")
	}
	if _, err := s.Plan(ctx, "app", "pr-2"); err == nil {
		t.Error("the plan was stored without its audit entry")
	}
	if p := mustGet(t, s, "pr-1"); p.Header.Status != plan.Pending || p.Approval != nil {
		t.Errorf("pr-1 changed without an audit entry: %s %+v", p.Header.Status, p.Approval)
	}
	if as, _ := s.Applies(ctx, "app"); len(as) != 0 {
		t.Errorf("%d applies recorded without audit entries", len(as))
	}
	if ts, _ := s.Tokens(ctx); len(ts) != 0 {
		t.Errorf("%d tokens created without audit entries", len(ts))
	}

	if err := s.Exec(ctx, accept); err != nil {
		t.Fatal(err)
	}
	recorded = nil
	for what, write := range writes {
		if what == "SetStatus" {
			continue // pr-1 is approved by then, or not yet: the order of a map
		}
		if err := write(); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	es, err := s.Audit(ctx, "app", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != len(writes)-1 || len(recorded) != len(writes)-1 {
		t.Errorf("%d audit entries and %d changes after %d writes", len(es), len(recorded), len(writes)-1)
	}
}

// TestPlansPage lists plans a page at a time while others are saved: every plan that was
// there before is listed once, in order.
func TestPlansPage(t *testing.T) {
	ctx := context.Background()
	s := open(t, sqliteURL(t))
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	const n = 250
	for i := range n {
		p := testPlan("app", fmt.Sprintf("p-%03d", i))
		p.Header.CreatedAt = t0.Add(time.Duration(i%7) * time.Second) // ties broken by name
		if err := s.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	var prev *registry.Plan
	cursor, pages := "", 0
	for {
		page, next, err := s.PlansPage(ctx, "app", registry.Filter{}, registry.Page{Cursor: cursor, Limit: 30})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, p := range page {
			seen[p.Header.Name]++
			if prev != nil && (p.Header.CreatedAt.Before(prev.Header.CreatedAt) ||
				p.Header.CreatedAt.Equal(prev.Header.CreatedAt) && p.Header.Name <= prev.Header.Name) {
				t.Errorf("%s after %s", p.Header.Name, prev.Header.Name)
			}
			prev = p
		}
		// Concurrent inserts, before and after the cursor in the list's order.
		for _, at := range []time.Time{t0, t0.Add(time.Hour)} {
			p := testPlan("app", fmt.Sprintf("new-%d-%d", pages, at.Unix()))
			p.Header.CreatedAt = at
			if err := s.SavePlan(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	for i := range n {
		if name := fmt.Sprintf("p-%03d", i); seen[name] != 1 {
			t.Errorf("%s listed %d times", name, seen[name])
		}
	}
	if _, _, err := s.PlansPage(ctx, "app", registry.Filter{}, registry.Page{Cursor: "nonsense", Limit: 10}); err == nil {
		t.Error("a bad cursor was taken")
	}
}
