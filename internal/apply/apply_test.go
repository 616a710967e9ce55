package apply_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// The CLI scripts (internal/cli/testdata/script/workflow.txtar, apply_policy.txtar) run the
// whole story; these tests reach the paths a script cannot set up: a plan that runs cleanly
// but ends elsewhere, and the exact records.

type fixture struct {
	t     *testing.T
	srv   devdb.Server
	dir   string // the file registry's directory
	store *registry.File
}

func newFixture(t *testing.T) *fixture {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	dev := &devdb.Lazy{URL: "local://postgres"}
	t.Cleanup(func() { dev.Close() })
	srv, err := dev.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	store, err := registry.OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, srv: srv, dir: dir, store: store}
}

// target creates a database holding sql.
func (f *fixture) target(sql string) string {
	f.t.Helper()
	ctx := context.Background()
	db, err := f.srv.CreateDB(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		f.t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		f.t.Fatal(err)
	}
	return db.URL
}

func (f *fixture) realm(sql string) *schema.Realm {
	f.t.Helper()
	r, err := source.LoadSQL(context.Background(), []source.File{{Path: "t.sql", SQL: sql}},
		func(context.Context) (devdb.Server, error) { return f.srv, nil })
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// approve stores the plan of stmts and approves its digest, as a merged review would.
func (f *fixture) approve(name string, from, to *schema.Realm, stmts ...plan.Statement) *registry.Plan {
	f.t.Helper()
	ctx := context.Background()
	p := &registry.Plan{Schema: "app", Header: plan.Header{Name: name},
		Plan: &plan.Plan{Dialect: "postgres", From: schema.Fingerprint(from), To: schema.Fingerprint(to), Statements: stmts}}
	if err := f.store.SavePlan(ctx, p); err != nil {
		f.t.Fatal(err)
	}
	a, err := f.store.Approve(ctx, "app", name, registry.Approval{Digest: p.Plan.Digest(), Actor: "bob", At: time.Now()})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// fingerprint inspects the database at url.
func (f *fixture) fingerprint(url string) string {
	f.t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		f.t.Fatal(err)
	}
	defer conn.Close(ctx)
	got, err := postgres.Inspect(ctx, conn)
	if err != nil {
		f.t.Fatal(err)
	}
	return schema.Fingerprint(got)
}

// applies returns the registry's apply records.
func (f *fixture) applies() []registry.Apply {
	f.t.Helper()
	a, err := f.store.Applies(context.Background(), "app")
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) options(url string, desired *schema.Realm) apply.Options {
	return apply.Options{Schema: "app", Target: url, Desired: desired, Registry: f.store, Policy: apply.PolicyAlways, Actor: "ci"}
}

const (
	v1 = "CREATE TABLE users (id bigint PRIMARY KEY, email text);"
	v2 = "CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);"
)

func TestApplyRunsApprovedPlanAndRecords(t *testing.T) {
	f := newFixture(t)
	from, to := f.realm(v1), f.realm(v2)
	p := f.approve("pr-1", from, to, plan.Statement{SQL: "ALTER TABLE public.users ADD COLUMN name text", Kind: "add-column", Object: "public.users.name"})
	url := f.target(v1)
	var log bytes.Buffer
	o := f.options(url, to)
	o.Log = &log
	o.Context = plan.Context{PR: 1, Commit: "abc"}
	out, err := apply.Run(context.Background(), o)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	rec := out.Record
	if rec.Result != registry.Applied || rec.Plan != "pr-1" || rec.Statements != 1 || rec.Total != 1 || rec.Digest != p.Plan.Digest() ||
		len(rec.Steps) != 1 || rec.Steps[0].Fingerprint != rec.To ||
		rec.From != schema.Fingerprint(from) || rec.To != schema.Fingerprint(to) || rec.Context.Commit != "abc" || rec.ID == "" {
		t.Errorf("record %+v", rec)
	}
	if strings.Contains(rec.Target, "@") || !strings.HasPrefix(rec.Target, "postgres://") {
		t.Errorf("target %q: want postgres://host:port/db without credentials", rec.Target)
	}
	applies, err := f.store.Applies(context.Background(), "app")
	if err != nil || len(applies) != 1 || applies[0].ID != rec.ID {
		t.Errorf("recorded applies %+v, %v", applies, err)
	}
}

// A plan that runs without error but ends in another state fails verification, naming what
// still differs, and is recorded as failed.
func TestApplyVerifiesTheResult(t *testing.T) {
	f := newFixture(t)
	from, to := f.realm(v1), f.realm(v2)
	f.approve("wrong", from, to, plan.Statement{SQL: "ALTER TABLE public.users ADD COLUMN nick text"})
	url := f.target(v1)
	out, err := apply.Run(context.Background(), f.options(url, to))
	if err == nil || !strings.Contains(err.Error(), "verification failed") ||
		!strings.Contains(err.Error(), "drop-column public.users.nick") || !strings.Contains(err.Error(), "add-column public.users.name") {
		t.Fatalf("error %v, want a verification failure naming the difference", err)
	}
	if out.Record.Result != registry.Failed || out.Record.Statements != 1 {
		t.Errorf("record %+v", out.Record)
	}
}

// Under policy always a deploy waits for the pending plan and runs it once it is approved.
func TestApplyWaitsForApproval(t *testing.T) {
	f := newFixture(t)
	to := f.realm(v2)
	url := f.target(v1)
	o := f.options(url, to)
	o.WaitTimeout, o.PollInterval = time.Minute, 50*time.Millisecond
	o.Check = func(ctx context.Context, from, to *schema.Realm, p *plan.Plan) (*lint.Result, error) {
		return &lint.Result{}, nil
	}
	var (
		wg  sync.WaitGroup
		out *apply.Outcome
		err error
	)
	wg.Add(1)
	go func() { defer wg.Done(); out, err = apply.Run(context.Background(), o) }()

	ctx := context.Background()
	var pending []*registry.Plan
	for i := 0; i < 200 && len(pending) == 0; i++ {
		time.Sleep(25 * time.Millisecond)
		if pending, err = f.store.Plans(ctx, "app", registry.Filter{Status: plan.Pending}); err != nil {
			t.Fatal(err)
		}
	}
	if len(pending) != 1 {
		t.Fatalf("no pending plan appeared")
	}
	if _, err := f.store.Approve(ctx, "app", pending[0].Header.Name, registry.Approval{Digest: pending[0].Plan.Digest(), Actor: "bob"}); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err != nil || out.Record.Result != registry.Applied || out.Record.Plan != pending[0].Header.Name {
		t.Fatalf("apply after approval: %+v, %v", out, err)
	}
}

func TestApplyPolicyRefuses(t *testing.T) {
	f := newFixture(t)
	to := f.realm(v2)
	url := f.target(v1)
	o := f.options(url, to)
	o.Policy = apply.PolicyWarning
	o.Check = func(ctx context.Context, from, to *schema.Realm, p *plan.Plan) (*lint.Result, error) {
		return &lint.Result{Diagnostics: []lint.Diagnostic{{Analyzer: "volatile-default", Severity: lint.Warning, Statement: 0, Message: "m"}}}, nil
	}
	_, err := apply.Run(context.Background(), o)
	var refused *apply.RefusedError
	if !errors.As(err, &refused) || len(refused.Findings) != 1 {
		t.Fatalf("error %v, want a RefusedError with the warning", err)
	}
	// Nothing ran: the target is still at v1.
	if f.fingerprint(url) != schema.Fingerprint(f.realm(v1)) {
		t.Error("a refused apply changed the target")
	}
	if strings.Contains(err.Error(), "--auto-approve") {
		t.Errorf("the refusal advises --auto-approve:\n%v", err)
	}
}
