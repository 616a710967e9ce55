package plan_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden plan files in testdata/plans")

var goldenDir = filepath.Join("..", "..", "testdata", "plans")

// The states of the file tests: adding an enum value puts it in a transaction of its own
// ahead of the table that uses it, and the string literals hold semicolons and comment
// markers.
const (
	fileFrom = `CREATE TYPE status AS ENUM ('new');
CREATE TABLE orders (id int PRIMARY KEY, s status);
`
	fileTo = `CREATE TYPE status AS ENUM ('new', 'paid');
CREATE TABLE orders (id int PRIMARY KEY, s status DEFAULT 'paid',
  note text DEFAULT 'a; b -- not a comment /* nor this */');
COMMENT ON TABLE orders IS 'it''s; here';
CREATE TABLE items (id int, label text CHECK (label <> $$;$$));
`
)

var fileHeader = plan.Header{
	Name:      "pr-42-enum",
	Status:    plan.Pending,
	CreatedAt: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC),
	CreatedBy: "alice",
	Context:   plan.Context{PR: 42, Commit: "0123456789abcdef", URL: "https://github.com/acme/app/pull/42"},
}

// reviewedHeader is fileHeader after approval, with lint findings on the plan and on its
// first and last statements.
func reviewedHeader(p *plan.Plan) plan.Header {
	h := fileHeader
	h.Status = plan.Approved
	h.ApprovedAt = time.Date(2025, 5, 2, 9, 30, 0, 0, time.UTC)
	h.ApprovedBy = "bob"
	h.Linted = true
	last := len(p.Statements) - 1
	h.Findings = []plan.Finding{
		{Statement: -1, Severity: "error", Analyzer: "plan-does-not-converge", Message: "after the plan, public.t still differs"},
		{Statement: 0, Severity: "notice", Analyzer: "drop-index-not-concurrently", Message: "DROP INDEX takes an ACCESS EXCLUSIVE lock"},
		{Statement: last, Severity: "warning", Analyzer: "drop-column", Message: "dropping public.orders.note: deletes: its data"},
		{Statement: last, Severity: "error", Analyzer: "statement-fails", Message: "column \"x\" does not exist"},
	}
	return h
}

// filePlan plans fileFrom -> fileTo on the dev database.
func filePlan(t *testing.T, dev *devdb.Lazy) *plan.Plan {
	t.Helper()
	ctx := context.Background()
	from, err := source.LoadSQL(ctx, []source.File{{Path: "from.sql", SQL: fileFrom}}, dev.Get)
	if err != nil {
		t.Fatal(err)
	}
	to, err := source.LoadSQL(ctx, []source.File{{Path: "to.sql", SQL: fileTo}}, dev.Get)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.New(from, to, postgres.Renderer{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.Transactions()); n != 2 {
		t.Fatalf("the plan has %d transactions, want 2", n)
	}
	return p
}

// edit adds to p what a reviewer might: a hand-written backfill without a change comment, a
// DO block with semicolons in its dollar-quoted body, and a directive on a statement.
func edit(t *testing.T, p *plan.Plan) *plan.Plan {
	t.Helper()
	e := *p
	e.Statements = slices.Clone(p.Statements)
	i := slices.IndexFunc(e.Statements, func(s plan.Statement) bool { return s.Kind == "add-column" })
	if i < 0 {
		t.Fatal("no add-column statement to edit")
	}
	e.Statements[i].SQL = "-- sextant:nolint volatile-default -- reviewed\n" + e.Statements[i].SQL
	tx := e.Statements[len(e.Statements)-1].Tx
	e.Statements = append(e.Statements,
		plan.Statement{SQL: "UPDATE public.orders SET note = 'x; y' WHERE note IS NULL -- backfill", Tx: tx},
		plan.Statement{SQL: "DO $body$\nBEGIN\n  PERFORM 1; -- not the end;\nEND\n$body$", Tx: tx})
	return &e
}

func writeFile(t *testing.T, p *plan.Plan, h plan.Header) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := p.WriteFile(&b, h); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// roundTrip writes p, reads it back and writes it again: the plans must agree and the two
// files be identical.
func roundTrip(p *plan.Plan, h plan.Header) error {
	var first, second bytes.Buffer
	if err := p.WriteFile(&first, h); err != nil {
		return err
	}
	q, qh, err := plan.ReadFile(bytes.NewReader(first.Bytes()), "plan.sql")
	if err != nil {
		return fmt.Errorf("%v\n%s", err, first.String())
	}
	if err := samePlan(p, q); err != nil {
		return fmt.Errorf("%v\n%s", err, first.String())
	}
	if qh.Digest != p.Digest() {
		return fmt.Errorf("digest read back as %s, want the plan's %s", qh.Digest, p.Digest())
	}
	if h.Digest = qh.Digest; !reflect.DeepEqual(qh, h) {
		return fmt.Errorf("header read back as %+v, want %+v", qh, h)
	}
	if err := q.WriteFile(&second, qh); err != nil {
		return err
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		return fmt.Errorf("the rewritten file differs:\n%s\n---\n%s", first.String(), second.String())
	}
	return nil
}

func samePlan(want, got *plan.Plan) error {
	if got.Dialect != want.Dialect || got.From != want.From || got.To != want.To {
		return fmt.Errorf("read %s %s -> %s, want %s %s -> %s", got.Dialect, got.From, got.To, want.Dialect, want.From, want.To)
	}
	if len(got.Statements) != len(want.Statements) {
		return fmt.Errorf("read %d statements, want %d", len(got.Statements), len(want.Statements))
	}
	// Transactions are numbered afresh, in order.
	tx, wantTx := 0, map[int]int{}
	for i, s := range want.Statements {
		if i > 0 && s.Tx != want.Statements[i-1].Tx {
			tx++
		}
		wantTx[i] = tx
	}
	for i, g := range got.Statements {
		w := want.Statements[i]
		if g.SQL != w.SQL || g.Kind != w.Kind || g.Object != w.Object || g.Tx != wantTx[i] {
			return fmt.Errorf("statement %d read as %+v, want %+v (tx %d)", i+1, g, w, wantTx[i])
		}
	}
	return nil
}

func TestFileRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("needs a dev database")
	}
	dev := &devdb.Lazy{URL: "local://postgres"}
	t.Cleanup(func() { dev.Close() })
	p := filePlan(t, dev)
	edited := edit(t, p)
	for name, c := range map[string]struct {
		p *plan.Plan
		h plan.Header
	}{
		"generated":      {p, fileHeader},
		"edited":         {edited, fileHeader},
		"no header":      {p, plan.Header{}},
		"one tx":         {&plan.Plan{Dialect: p.Dialect, From: p.From, To: p.To, Statements: p.Transactions()[1]}, fileHeader},
		"empty":          {&plan.Plan{Dialect: p.Dialect, From: p.From, To: p.From}, plan.Header{Status: plan.Approved}},
		"reviewed":       {p, reviewedHeader(p)},
		"linted, clean":  {p, plan.Header{Linted: true}},
		"offset created": {p, plan.Header{CreatedAt: time.Date(2025, 5, 1, 14, 0, 0, 0, time.FixedZone("", 2*3600))}},
	} {
		if err := roundTrip(c.p, c.h); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The directive stays with its statement, where package lint reads it.
	q, _, err := plan.ReadFile(bytes.NewReader(writeFile(t, edited, fileHeader)), "edited.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range q.Statements {
		ds := source.Directives(s.SQL)
		if want := s.Kind == "add-column"; (len(ds) == 1 && slices.Equal(ds[0].Analyzers, []string{"volatile-default"})) != want {
			t.Errorf("%s %s: directives %+v", s.Kind, s.Object, ds)
		}
	}
}

// TestFileGolden writes the plans of the file tests and compares them with the golden files,
// then runs each golden file with psql on a database in the from state: it must reach to.
func TestFileGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("needs a dev database")
	}
	dev := &devdb.Lazy{URL: "local://postgres"}
	t.Cleanup(func() { dev.Close() })
	p := filePlan(t, dev)
	for name, q := range map[string]*plan.Plan{"enum-value.sql": p, "edited.sql": edit(t, p)} {
		path := filepath.Join(goldenDir, name)
		got := writeFile(t, q, fileHeader)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file (go test -run FileGolden -update):\n%s", name, got)
		}
		read, h, err := plan.ReadFile(bytes.NewReader(want), path)
		if err != nil {
			t.Fatal(err)
		}
		wantH := fileHeader
		wantH.Digest = q.Digest()
		if err := samePlan(q, read); err != nil || !reflect.DeepEqual(h, wantH) {
			t.Errorf("%s read back: %v, header %+v", name, err, h)
		}
		if err := runWithPsql(t, dev, path, p.To); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// runWithPsql builds the from state on a scratch database, runs the plan file with psql and
// requires the fingerprint to.
func runWithPsql(t *testing.T, dev *devdb.Lazy, path, to string) error {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("no psql")
	}
	ctx := context.Background()
	srv, err := dev.Get(ctx)
	if err != nil {
		return err
	}
	db, err := srv.CreateDB(ctx)
	if err != nil {
		return err
	}
	defer db.Drop(ctx) //nolint:errcheck // the server drops leftovers when it closes
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fileFrom); err != nil {
		return err
	}
	out, err := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.URL, "-f", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("psql: %v\n%s", err, out)
	}
	r, err := postgres.Inspect(ctx, conn)
	if err != nil {
		return err
	}
	if got := schema.Fingerprint(r); got != to {
		return fmt.Errorf("after psql the fingerprint is %s, want %s", got, to)
	}
	return nil
}

const (
	fpA = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	fpB = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
)

// TestReadFileEdited reads a plan file the way a reviewer may leave it.
func TestReadFileEdited(t *testing.T) {
	text := "-- sextant plan\n-- from: " + fpA + "\n-- to: " + fpB + "\n" +
		`
-- a note that belongs to no statement

BEGIN WORK;
-- add-enum-value public.status
ALTER TYPE public.status ADD VALUE 'paid'; -- sextant:nolint add-enum-value
END;

-- Backfill first; then the column.
UPDATE orders SET s = 'paid'
  WHERE s IS NULL -- all of them
;
-- drop-column public.orders.note
-- sextant:nolint drop-column -- moved
ALTER TABLE public.orders DROP COLUMN note;
START TRANSACTION;
CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
COMMIT TRANSACTION;
-- trailing remarks
`
	p, h, err := plan.ReadFile(strings.NewReader(text), "edited.sql")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h, plan.Header{}) || p.From != fpA || p.To != fpB || p.Dialect != "" {
		t.Errorf("header %+v, plan %s -> %s", h, p.From, p.To)
	}
	want := []plan.Statement{
		{Kind: "add-enum-value", Object: "public.status", SQL: "ALTER TYPE public.status ADD VALUE 'paid' -- sextant:nolint add-enum-value", Tx: 0},
		{SQL: "-- Backfill first; then the column.\nUPDATE orders SET s = 'paid'\n  WHERE s IS NULL -- all of them", Tx: 1},
		{Kind: "drop-column", Object: "public.orders.note", SQL: "-- sextant:nolint drop-column -- moved\nALTER TABLE public.orders DROP COLUMN note", Tx: 1},
		{SQL: "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END", Tx: 2},
	}
	if len(p.Statements) != len(want) {
		t.Fatalf("%d statements: %+v", len(p.Statements), p.Statements)
	}
	for i, w := range want {
		if g := p.Statements[i]; g.SQL != w.SQL || g.Kind != w.Kind || g.Object != w.Object || g.Tx != w.Tx {
			t.Errorf("statement %d:\n got %+v\nwant %+v", i+1, g, w)
		}
	}
	for i, n := range []int{1, 0, 1, 0} {
		if got := len(source.Directives(p.Statements[i].SQL)); got != n {
			t.Errorf("statement %d has %d directives, want %d", i+1, got, n)
		}
	}
	// What it reads, it writes in the canonical form, which reads back the same.
	if err := roundTrip(p, h); err != nil {
		t.Error(err)
	}
}

func TestReadFileErrors(t *testing.T) {
	head := "-- sextant plan\n-- from: " + fpA + "\n-- to: " + fpB + "\n\n"
	for _, c := range []struct{ text, want string }{
		{"", `p.sql:1: not a plan file`},
		{"-- from: " + fpA + "\n", `p.sql:1: not a plan file`},
		{"-- sextant plan\n-- to: " + fpB + "\n", `p.sql:1: the header has no "from" fingerprint`},
		{"-- sextant plan\n-- from: " + fpA + "\n\nSELECT 1;\n", `p.sql:1: the header has no "to" fingerprint`},
		{"-- sextant plan\n-- from: " + fpA + "\n-- owner: bob\n", `p.sql:3: unknown header key "owner"`},
		{"-- sextant plan\n-- from: sha256:abc\n", `p.sql:2: from fingerprint "sha256:abc" is not sha256:<64`},
		{"-- sextant plan\n-- from: " + strings.ToUpper(fpA) + "\n", `p.sql:2: from fingerprint`},
		{"-- sextant plan\n-- from: " + fpA + "\n-- from: " + fpB + "\n", `p.sql:3: header key "from" repeated (first on line 2)`},
		{"-- sextant plan\n-- from: " + fpA + "\n-- status: MERGED\n", `p.sql:3: unknown status "MERGED"`},
		{"-- sextant plan\n-- from: " + fpA + "\n-- created-at: yesterday\n", `p.sql:3: created-at "yesterday" is not an RFC 3339 time`},
		{"-- sextant plan\n-- from: " + fpA + "\n-- pr: #12\n", `p.sql:3: pr "#12" is not a pull request number`},
		{"-- sextant plan\n-- from: " + fpA + "\n-- name:\n", `p.sql:3: header key "name" has no value`},
		{"-- sextant plan\n-- from: " + fpA + "\n-- add-column public.t.c\n", `p.sql:3: header line "-- add-column public.t.c" is not "-- key: value"`},
		{head + "SELECT 1;\nALTER TABLE t\n  ADD COLUMN c int\n", `p.sql:6: the statement that starts here does not end with a semicolon`},
		{head + "SELECT 1;\nSELECT 'abc;\n", `p.sql:6: unterminated string`},
		{head + "SELECT $x$ abc;\n", `p.sql:5: unterminated string`},
		{head + "/* SELECT 1;\n", `p.sql:5: unterminated comment`},
		{head + "BEGIN;\nSELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;\nCOMMIT;\n", `p.sql:7: BEGIN inside the transaction begun on line 5: transactions do not nest`},
		{head + "SELECT 1;\nCOMMIT;\n", `p.sql:6: COMMIT without BEGIN`},
		{head + "BEGIN;\nSELECT 1;\n", `p.sql:5: BEGIN without COMMIT`},
		{head + "BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;\n", `p.sql:5: BEGIN ISOLATION LEVEL SERIALIZABLE is not supported`},
		{head + "SELECT 1;\nROLLBACK;\n", `p.sql:6: ROLLBACK is not supported in a plan file`},
		{head + "SELECT 1;\n\n-- sextant:nolint drop-table\n", `p.sql:7: this sextant:nolint directive belongs to no statement`},
		{"-- sextant plan\n-- from: " + fpA + "\n-- approved-at: today\n", `p.sql:3: approved-at "today" is not an RFC 3339 time`},
		{"-- sextant plan\n-- from: " + fpA + "\n-- finding: bad thing\n", `p.sql:3: finding "bad thing" is not`},
		{head + "-- lint: error drop-table: gone\nSELECT 1;\n", `p.sql:5: lint finding in a plan whose header has no "lint" line`},
		{strings.Replace(head, "\n\n", "\n-- lint: 1 errors\n\n", 1) + "-- lint: fatal drop-table: gone\nSELECT 1;\n", `p.sql:6: lint finding "-- lint: fatal drop-table: gone" is not`},
		{head + "-- sextant:nolint\nBEGIN;\nSELECT 1;\nCOMMIT;\n", `p.sql:5: this sextant:nolint directive belongs to no statement`},
	} {
		_, _, err := plan.ReadFile(strings.NewReader(c.text), "p.sql")
		var fe *plan.FileError
		switch {
		case err == nil:
			t.Errorf("no error for\n%s", c.text)
		case !strings.HasPrefix(err.Error(), c.want):
			t.Errorf("error %q, want %q", err, c.want)
		case !errors.As(err, &fe) || fe.File != "p.sql":
			t.Errorf("error %q is not a FileError", err)
		}
	}
}

func TestWriteFileErrors(t *testing.T) {
	ok := plan.Plan{From: fpA, To: fpB}
	for _, c := range []struct {
		p    plan.Plan
		h    plan.Header
		want string
	}{
		{plan.Plan{From: "abc", To: fpB}, plan.Header{}, `from fingerprint "abc"`},
		{ok, plan.Header{Status: "MERGED"}, `unknown status "MERGED"`},
		{ok, plan.Header{Findings: []plan.Finding{{Statement: -1, Severity: "error", Analyzer: "x", Message: "m"}}}, `not marked linted`},
		{ok, plan.Header{Linted: true, Findings: []plan.Finding{{Statement: -1, Severity: "error", Analyzer: "x", Message: "two\nlines"}}}, `lint finding`},
		{ok, plan.Header{Linted: true, Findings: []plan.Finding{{Statement: 0, Severity: "error", Analyzer: "x", Message: "m"}}}, `lint finding on statement 1 of 0`},
		{ok, plan.Header{Name: "two\nlines"}, `name "two\nlines" has line breaks`},
		{plan.Plan{From: fpA, To: fpB, Statements: []plan.Statement{{SQL: "SELECT 1", Kind: "backfill"}}}, plan.Header{}, `unknown change kind "backfill"`},
		{plan.Plan{From: fpA, To: fpB, Statements: []plan.Statement{{SQL: "SELECT 1; SELECT 2"}}}, plan.Header{}, `not exactly one statement`},
		{plan.Plan{From: fpA, To: fpB, Statements: []plan.Statement{{SQL: "SELECT 1;"}}}, plan.Header{}, `not exactly one statement`},
		{plan.Plan{From: fpA, To: fpB, Statements: []plan.Statement{{SQL: "SELECT 'a"}}}, plan.Header{}, `unterminated`},
		{plan.Plan{From: fpA, To: fpB, Statements: []plan.Statement{{SQL: " SELECT 1"}}}, plan.Header{}, `starts with white space`},
		{plan.Plan{From: fpA, To: fpB, Statements: []plan.Statement{{SQL: "COMMIT"}}}, plan.Header{}, `transaction control`},
		{plan.Plan{From: fpA, To: fpB, Statements: []plan.Statement{{SQL: "-- drop-table t\nSELECT 1"}}}, plan.Header{}, `starts with a change comment`},
	} {
		var b bytes.Buffer
		err := c.p.WriteFile(&b, c.h)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
		if b.Len() != 0 {
			t.Errorf("wrote %q despite the error", b.String())
		}
	}
}
