package report_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
)

// The comment's fixtures are built by hand, without a database: two states of a small
// shop schema, the typed changes between them, and SQL as the PostgreSQL renderer writes
// it. Fingerprints are made up: the comment only shows them.

const (
	fpFrom  = "sha256:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809"
	fpTo    = "sha256:9f8e7d6c5b4a392817069f8e7d6c5b4a392817069f8e7d6c5b4a3928170691ab"
	fpOther = "sha256:0000111122223333444455556666777788889999aaaabbbbccccddddeeeeffff"
)

var commentDir = filepath.Join("testdata", "comment")

func column(name, typ string, notNull bool, def string) *schema.Column {
	return &schema.Column{Name: name, Type: typ, NotNull: notNull, Default: def}
}

func primaryKey(table string, cols ...string) *schema.Constraint {
	return &schema.Constraint{Name: table + "_pkey", Kind: schema.PrimaryKey,
		Def: "PRIMARY KEY (" + strings.Join(cols, ", ") + ")", Columns: cols}
}

func foreignKey(name, col, refTable string) *schema.Constraint {
	return &schema.Constraint{Name: name, Kind: schema.ForeignKey, Columns: []string{col},
		Def:       fmt.Sprintf("FOREIGN KEY (%s) REFERENCES public.%s(id)", col, refTable),
		RefSchema: "public", RefTable: refTable, RefColumns: []string{"id"}}
}

func realm(tables []*schema.Table, enums ...*schema.Enum) *schema.Realm {
	for _, t := range tables {
		t.Schema = "public"
	}
	return &schema.Realm{Dialect: "postgres", Schemas: []*schema.Schema{{Name: "public", Tables: tables, Enums: enums}}}
}

// shop is the plan of a pull request on the shop schema with everything the comment shows:
// a new table with a foreign key, columns added, changed and dropped, a unique index, a
// foreign key added to a table that others reference, a dropped table and an enum value.
type shop struct {
	from, to *schema.Realm
	p        *plan.Plan
	effects  []plan.Effects
}

func newShop() *shop {
	status := &schema.Enum{Schema: "public", Name: "status", Values: []string{"new", "paid"}}
	statusTo := &schema.Enum{Schema: "public", Name: "status", Values: []string{"new", "paid", "shipped"}}
	orderItems := func() *schema.Table {
		return &schema.Table{Name: "order_items",
			Columns:     []*schema.Column{column("id", "bigint", true, ""), column("order_id", "bigint", true, ""), column("sku", "text", false, "")},
			Constraints: []*schema.Constraint{primaryKey("order_items", "id"), foreignKey("order_items_order_id_fkey", "order_id", "orders")}}
	}
	products := func() *schema.Table {
		return &schema.Table{Name: "products", Columns: []*schema.Column{column("id", "bigint", true, "")},
			Constraints: []*schema.Constraint{primaryKey("products", "id")}}
	}
	usersFrom := &schema.Table{Name: "users",
		Columns: []*schema.Column{column("id", "bigint", true, ""), column("email", "text", false, ""),
			column("legacy_flag", "boolean", false, ""), column("age", "integer", false, "")},
		Constraints: []*schema.Constraint{primaryKey("users", "id")}}
	ordersFrom := &schema.Table{Name: "orders",
		Columns: []*schema.Column{column("id", "bigint", true, ""), column("user_id", "bigint", false, ""),
			{Name: "status", Type: "public.status", NotNull: true, Default: "'new'::public.status", TypeRef: "public.status"}},
		Constraints: []*schema.Constraint{primaryKey("orders", "id")}}
	sessions := &schema.Table{Name: "legacy_sessions",
		Columns:     []*schema.Column{column("id", "bigint", true, ""), column("user_id", "bigint", true, ""), column("token", "text", false, "")},
		Constraints: []*schema.Constraint{primaryKey("legacy_sessions", "id"), foreignKey("legacy_sessions_user_id_fkey", "user_id", "users")}}
	from := realm([]*schema.Table{sessions, orderItems(), ordersFrom, products(), usersFrom}, status)

	usersTo := &schema.Table{Name: "users",
		Columns: []*schema.Column{column("id", "bigint", true, ""), column("email", "text", true, ""),
			column("age", "bigint", false, ""), column("token", "uuid", false, "gen_random_uuid()"),
			column("created", "timestamp with time zone", true, "now()")},
		Constraints: []*schema.Constraint{primaryKey("users", "id")},
		Indexes: []*schema.Index{{Name: "users_email_key", Unique: true, Method: "btree", Columns: []string{"email"},
			Def: "CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)"}}}
	ordersTo := &schema.Table{Name: "orders", Columns: ordersFrom.Columns,
		Constraints: []*schema.Constraint{primaryKey("orders", "id"), foreignKey("orders_user_id_fkey", "user_id", "users")}}
	audit := &schema.Table{Name: "audit",
		Columns: []*schema.Column{column("at", "timestamp with time zone", true, ""), column("what", "character varying(80)", false, ""),
			column("tags", "text[]", false, ""), column("user_id", "bigint", false, "")},
		Constraints: []*schema.Constraint{foreignKey("audit_user_id_fkey", "user_id", "users")}}
	to := realm([]*schema.Table{audit, orderItems(), ordersTo, products(), usersTo}, statusTo)

	col := func(t *schema.Table, name string) *schema.Column { return t.Column(name) }
	type st struct {
		sql string
		c   diff.Change
	}
	stmts := [][]st{{
		{"ALTER TYPE public.status ADD VALUE IF NOT EXISTS 'shipped' AFTER 'paid'", &diff.AddEnumValue{E: statusTo, Value: "shipped", After: "paid"}},
	}, {
		{"CREATE TABLE public.audit (\n  at timestamp with time zone NOT NULL,\n  what character varying(80),\n  tags text[],\n  user_id bigint\n)", &diff.AddTable{T: audit}},
		{"ALTER TABLE public.users DROP COLUMN legacy_flag", &diff.DropColumn{T: usersFrom, C: col(usersFrom, "legacy_flag")}},
		{"ALTER TABLE public.users ALTER COLUMN email SET NOT NULL", &diff.ModifyColumn{T: usersTo, From: col(usersFrom, "email"), To: col(usersTo, "email")}},
		{"ALTER TABLE public.users ALTER COLUMN age TYPE bigint USING age::bigint", &diff.ModifyColumn{T: usersTo, From: col(usersFrom, "age"), To: col(usersTo, "age")}},
		{"ALTER TABLE public.users ADD COLUMN token uuid DEFAULT gen_random_uuid()", &diff.AddColumn{T: usersTo, C: col(usersTo, "token")}},
		{"ALTER TABLE public.users ADD COLUMN created timestamp with time zone DEFAULT now() NOT NULL", &diff.AddColumn{T: usersTo, C: col(usersTo, "created")}},
		{"CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)", &diff.AddIndex{T: usersTo, I: usersTo.Indexes[0]}},
		{"ALTER TABLE public.audit ADD CONSTRAINT audit_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id)", &diff.AddConstraint{T: audit, C: audit.Constraints[0]}},
		{"ALTER TABLE public.orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id)", &diff.AddConstraint{T: ordersTo, C: ordersTo.Constraints[1]}},
		{"DROP TABLE public.legacy_sessions", &diff.DropTable{T: sessions}},
	}}
	p := &plan.Plan{Dialect: "postgres", From: fpFrom, To: fpTo}
	for tx, group := range stmts {
		for _, s := range group {
			p.Statements = append(p.Statements, plan.Statement{SQL: s.sql, Kind: s.c.Kind(), Object: s.c.Object(), Tx: tx, Change: s.c})
		}
	}

	ae := func(rel ...string) []plan.Lock {
		var out []plan.Lock
		for _, r := range rel {
			out = append(out, plan.Lock{Relation: r, Mode: "AccessExclusiveLock"})
		}
		return out
	}
	effects := []plan.Effects{
		{Locks: []plan.Lock{{Relation: "public.orders", Mode: "AccessShareLock"}}},
		{},
		{Locks: ae("public.users")},
		{Locks: ae("public.users"), Scanned: []string{"public.users"}},
		{Locks: ae("public.users"), Rewritten: []string{"public.users"}, Scanned: []string{"public.users"}},
		{Locks: ae("public.users"), Rewritten: []string{"public.users"}},
		{Locks: ae("public.users")},
		{Locks: []plan.Lock{{Relation: "public.users", Mode: "ShareLock"}, {Relation: "public.users_email_key", Mode: "AccessExclusiveLock"}},
			Scanned: []string{"public.users"}},
		{Locks: []plan.Lock{{Relation: "public.audit", Mode: "ShareRowExclusiveLock"}, {Relation: "public.users", Mode: "ShareRowExclusiveLock"}}},
		{Locks: []plan.Lock{{Relation: "public.orders", Mode: "ShareRowExclusiveLock"}, {Relation: "public.users", Mode: "ShareRowExclusiveLock"},
			{Relation: "public.users_pkey", Mode: "AccessShareLock"}}, Scanned: []string{"public.orders"}},
		{Locks: ae("public.legacy_sessions", "public.users")},
	}
	return &shop{from: from, to: to, p: p, effects: effects}
}

// diagnostics are lint findings on the shop plan as the analyzers word them; destructive
// is the severity of the two destructive ones.
func (s *shop) diagnostics(destructive lint.Severity) *lint.Result {
	return &lint.Result{Diagnostics: []lint.Diagnostic{
		{Analyzer: "drop-column", Category: lint.Destructive, Severity: destructive, Statement: 2, Object: "public.users.legacy_flag",
			Message:     "dropping column public.users.legacy_flag deletes its data; running code that still selects or writes it fails",
			Alternative: "Stop reading and writing the column in one release (remove it from ORM models first), then drop it in a later one."},
		{Analyzer: "set-not-null", Category: lint.DataDependent, Severity: lint.Warning, Statement: 3, Object: "public.users.email",
			Message:     "setting NOT NULL on public.users.email fails if a row holds NULL, and scans public.users under ACCESS EXCLUSIVE to check",
			Alternative: "Backfill the NULLs first; then ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, SET NOT NULL, and drop the check.",
			File:        "db/schema.sql", Line: 3},
		{Analyzer: "column-type-rewrite", Category: lint.Locking, Severity: lint.Warning, Statement: 4, Object: "public.users.age",
			Message: "changing public.users.age from integer to bigint rewrites public.users: reads and writes wait (measured: ACCESS EXCLUSIVE on public.users, table rewritten, full scan of public.users)"},
		{Analyzer: "volatile-default", Category: lint.Locking, Severity: lint.Warning, Statement: 5, Object: "public.users.token",
			Message:     "adding public.users.token with the volatile default gen_random_uuid() computes it for every existing row: public.users is rewritten and reads and writes wait",
			Alternative: "Add the column without a default, SET DEFAULT in a separate statement (it applies to new rows only), and backfill existing rows in batches."},
		{Analyzer: "create-index-not-concurrently", Category: lint.Locking, Severity: lint.Warning, Statement: 7, Object: "public.users_email_key",
			Message:     "creating index public.users_email_key on public.users without CONCURRENTLY blocks writes to public.users for the whole build",
			Alternative: "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users USING btree (email), in a transaction of its own"},
		{Analyzer: "drop-table", Category: lint.Destructive, Severity: destructive, Statement: 10, Object: "public.legacy_sessions",
			Message: "dropping table public.legacy_sessions deletes its rows"},
	}}
}

func (s *shop) comment() *report.Comment {
	return &report.Comment{
		Schema: "app",
		Plan:   s.p,
		Header: plan.Header{Name: "pr-42-1a2b3c4d", Status: plan.Pending,
			CreatedAt: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC), CreatedBy: "alice",
			Context: plan.Context{PR: 42, Commit: "0123abcd4567ef890123abcd4567ef890123abcd", URL: "https://github.com/acme/shop/actions/runs/7"}},
		Lint:      s.diagnostics(lint.Notice),
		Rehearsal: &lint.Rehearsal{Effects: s.effects, Failed: -1, Got: fpTo},
		From:      s.from,
		To:        s.to,
		PlanURL:   "https://github.com/acme/shop/actions/runs/7#plan",
		Commands:  report.PlanCommands("pr-42-1a2b3c4d"),
	}
}

// commentCases are the variants kept as golden files, with the limit each is rendered at.
func commentCases() []struct {
	name  string
	c     *report.Comment
	limit int
} {
	type tc = struct {
		name  string
		c     *report.Comment
		limit int
	}
	var cases []tc

	cases = append(cases, tc{"changes", newShop().comment(), 0})

	none := newShop().comment()
	none.Plan = &plan.Plan{Dialect: "postgres", From: fpFrom, To: fpFrom}
	none.Header = plan.Header{}
	none.Lint, none.Rehearsal = &lint.Result{}, nil
	cases = append(cases, tc{"no-changes", none, 0})

	errs := newShop().comment()
	errs.Lint = newShop().diagnostics(lint.Error)
	cases = append(cases, tc{"lint-errors", errs, 0})

	failed := newShop().comment()
	effects := slices.Clone(failed.Rehearsal.Effects[:4])
	effects[3].Err = `ERROR: column "email" of relation "users" contains null values (SQLSTATE 23502)`
	failed.Rehearsal = &lint.Rehearsal{Effects: effects, Failed: 3, Got: fpOther}
	failed.Lint.Diagnostics = append(failed.Lint.Diagnostics, lint.Diagnostic{
		Analyzer: "statement-fails", Category: lint.Simulation, Severity: lint.Error, Statement: 3, Object: "public.users.email",
		Message:     "rehearsal failed: " + effects[3].Err,
		Alternative: "Fix the statement (or the desired schema it was planned from) and plan again."})
	cases = append(cases, tc{"simulation-failure", failed, 0})

	diverged := newShop().comment()
	users := diverged.To.Schema("public").Table("users")
	diverged.Rehearsal.Remaining = []diff.Change{
		&diff.AddColumn{T: users, C: &schema.Column{Name: "nickname", Type: "text"}},
		&diff.DropColumn{T: users, C: &schema.Column{Name: "nick", Type: "text"}},
	}
	diverged.Rehearsal.Got = fpOther
	cases = append(cases, tc{"not-converged", diverged, 0})

	stale := newShop().comment()
	stale.Stale = "This plan is stale: `main` moved on and is now at `sha256:0000111122223333`, not at this plan's from state.\n" +
		"Push a commit (or re-run the plan job) to plan again from the new base."
	cases = append(cases, tc{"stale", stale, 0})

	// A plan read back from a file has no typed changes: the summary and the diagram come from
	// the change kinds and object names.
	file := newShop().comment()
	file.Plan = &plan.Plan{Dialect: "postgres", From: fpFrom, To: fpTo}
	for _, s := range newShop().p.Statements {
		s.Change = nil
		file.Plan.Statements = append(file.Plan.Statements, s)
	}
	file.Plan.Statements = append(file.Plan.Statements, plan.Statement{SQL: "UPDATE public.users SET email = 'unknown' WHERE email IS NULL", Tx: 1})
	file.Lint, file.Rehearsal = nil, nil
	file.Header.Status = plan.Approved
	file.Header.ApprovedBy, file.Header.ApprovedAt = "bob", time.Date(2025, 5, 2, 9, 30, 0, 0, time.UTC)
	cases = append(cases, tc{"from-file", file, 0})

	cases = append(cases, tc{"truncated", newShop().comment(), 7300})
	return cases
}

func TestCommentGolden(t *testing.T) {
	for _, c := range commentCases() {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.c.Markdown(c.limit)
			if err != nil {
				t.Fatal(err)
			}
			limit := c.limit
			if limit <= 0 {
				limit = report.DefaultCommentLimit
			}
			if len(got) > limit {
				t.Errorf("%d bytes, limit %d", len(got), limit)
			}
			checkComment(t, got, c.c.Schema)
			commentGolden(t, c.name+".md", []byte(got))
		})
	}
}

// The variants say what they are about.
func TestCommentContent(t *testing.T) {
	render := map[string]string{}
	for _, c := range commentCases() {
		s, err := c.c.Markdown(c.limit)
		if err != nil {
			t.Fatal(err)
		}
		render[c.name] = s
	}
	for name, wants := range map[string][]string{
		"changes": {"### Sextant plan for `app` — PENDING\n", "6 added, 3 changed, 2 dropped",
			"rehearsal: converged", "public_audit }o--o| public_users : \"audit_user_id_fkey added\"",
			"| 6 | `ALTER TABLE public.users ADD COLUMN token uuid DEFAULT gen_…` | ACCESS EXCLUSIVE on `public.users` | `public.users` |  |",
			"SHARE ROW EXCLUSIVE on `public.orders` and `public.users`",
			"sextant schema plan approve pr-42-1a2b3c4d", "- from `" + fpFrom + "`"},
		"no-changes":         {"— NO CHANGES\n", "No schema changes", "`sha256:1a2b3c4d5e6f`"},
		"lint-errors":        {"> [!CAUTION]\n> Lint reports 2 errors", "| **error** | `drop-column` |"},
		"simulation-failure": {"Statement 4 failed on a dev database", "**failed** at statement 4", "SQLSTATE 23502"},
		"not-converged":      {"**did not converge**", "- add-column `public.users.nickname`"},
		"stale":              {"— PENDING (stale)\n", "> [!WARNING]\n> This plan is stale"},
		"from-file":          {"1 statement written by hand", "public_legacy_sessions {", "\"dropped\""},
		"truncated":          {"more statements: see the full plan at https://github.com/acme/shop/actions/runs/7#plan"},
	} {
		for _, w := range wants {
			if !strings.Contains(render[name], w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
	// Approved and aborted plans are not edited or approved again.
	if strings.Contains(render["from-file"], "schema plan approve") {
		t.Error("an approved plan's comment tells how to approve it")
	}
	// Without a diagram source the section is left out.
	c := newShop().comment()
	c.From, c.To = nil, nil
	s, err := c.Markdown(0)
	if err != nil || strings.Contains(s, "```mermaid") {
		t.Errorf("no realms: diagram drawn (%v)", err)
	}
}

// Whatever the limit, the comment fits, starts with its marker, and leaves no code block or
// folded section open; too small a limit for the marker is an error.
func TestCommentLimit(t *testing.T) {
	for _, c := range commentCases() {
		full, err := c.c.Markdown(1 << 30)
		if err != nil {
			t.Fatal(err)
		}
		for limit := 340; limit <= len(full)+10; limit += 97 { // the markers take about 130
			got, err := c.c.Markdown(limit)
			if err != nil {
				t.Fatalf("%s at %d: %v", c.name, limit, err)
			}
			if len(got) > limit {
				t.Fatalf("%s: %d bytes at limit %d", c.name, len(got), limit)
			}
			if limit >= len(full) && got != full {
				t.Fatalf("%s: shortened at limit %d though the whole comment (%d bytes) fits", c.name, limit, len(full))
			}
			checkComment(t, got, c.c.Schema)
		}
	}
	if _, err := newShop().comment().Markdown(40); err == nil {
		t.Error("a 40-byte limit: no error")
	}
}

// A huge plan keeps the default limit, cutting its SQL at a statement.
func TestCommentLongPlan(t *testing.T) {
	c := newShop().comment()
	p := *c.Plan
	for i := range 3000 {
		p.Statements = append(p.Statements, plan.Statement{SQL: fmt.Sprintf("UPDATE public.users SET age = %d WHERE id = %d", i, i), Tx: 1})
	}
	c.Plan = &p
	got, err := c.Markdown(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > report.DefaultCommentLimit || !strings.Contains(got, "more statements: see the full plan at") {
		t.Errorf("%d bytes; truncation note present: %v", len(got), strings.Contains(got, "more statements"))
	}
	if !strings.Contains(got, "```mermaid") {
		t.Error("the diagram went although cutting the SQL was enough")
	}
	checkComment(t, got, c.Schema)
	sql := got[strings.Index(got, "```sql\n"):]
	sql = sql[:strings.Index(sql, "\n```\n")]
	if !strings.HasSuffix(sql, ";") {
		t.Errorf("SQL not cut at a statement boundary: …%s", sql[len(sql)-40:])
	}
}

func TestMarker(t *testing.T) {
	for in, want := range map[string]string{
		"app":        "<!-- sextant:plan app -->",
		"a\nb":       "<!-- sextant:plan a b -->",
		"x-->y":      "<!-- sextant:plan x--&gt;y -->",
		"billing db": "<!-- sextant:plan billing db -->",
	} {
		if got := report.Marker(in); got != want {
			t.Errorf("Marker(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkComment checks what every comment must be: its marker alone on the first line, code
// blocks and folded sections closed, and every Mermaid block a well-formed erDiagram.
func checkComment(t *testing.T, md, schemaName string) {
	t.Helper()
	first, _, _ := strings.Cut(md, "\n")
	if first != report.Marker(schemaName) {
		t.Fatalf("first line %q, want the marker", first)
	}
	if strings.Count(md, "<details") != strings.Count(md, "</details>") {
		t.Errorf("unbalanced <details>:\n%s", md)
	}
	fence, lang := "", ""
	var block []string
	for _, line := range strings.Split(md, "\n") {
		switch {
		case fence == "" && strings.HasPrefix(line, "```"):
			lang = strings.TrimLeft(line, "`")
			fence, block = line[:len(line)-len(lang)], nil
		case fence != "" && line == fence:
			if lang == "mermaid" {
				checkMermaid(t, block)
			}
			fence = ""
		case fence != "":
			block = append(block, line)
		}
	}
	if fence != "" {
		t.Errorf("code block %q left open:\n%s", fence+lang, md)
	}
}

var (
	mmName     = `[A-Za-z][A-Za-z0-9_]*`
	mmEntity   = regexp.MustCompile(`^ *(` + mmName + `)$`)
	mmOpen     = regexp.MustCompile(`^ *(` + mmName + `) \{$`)
	mmAttr     = regexp.MustCompile(`^ *` + mmName + ` (` + mmName + `)((?: (?:PK|FK|UK)(?:, (?:PK|FK|UK))*)?)(?: "[^"%\\` + "`" + `]*")?$`)
	mmRelation = regexp.MustCompile(`^ *(` + mmName + `) (?:\|o|\|\||\}o|\}\|)(?:--|\.\.)(?:o\||\|\||o\{|\|\{) (` + mmName + `) : "[^"%\\` + "`" + `]+"$`)
)

// checkMermaid checks that lines are an erDiagram in the subset every Mermaid release
// reads: the header, then entity lines, attribute blocks and relationships between
// declared entities.
func checkMermaid(t *testing.T, lines []string) {
	t.Helper()
	if len(lines) == 0 || lines[0] != "erDiagram" {
		t.Errorf("mermaid block does not start with erDiagram: %q", lines)
		return
	}
	declared := map[string]bool{}
	var rels [][]string
	in := ""
	for _, l := range lines[1:] {
		switch m := []string(nil); {
		case in != "" && strings.TrimSpace(l) == "}":
			in = ""
		case in != "":
			if m = mmAttr.FindStringSubmatch(l); m == nil {
				t.Errorf("in %s: not an attribute line: %q", in, l)
			} else if k := strings.ToUpper(m[1]); k == "PK" || k == "FK" || k == "UK" {
				t.Errorf("in %s: attribute named like a key: %q", in, l)
			}
		case mmOpen.MatchString(l):
			in = mmOpen.FindStringSubmatch(l)[1]
			if declared[in] {
				t.Errorf("entity %s declared twice", in)
			}
			declared[in] = true
		case mmEntity.MatchString(l):
			declared[mmEntity.FindStringSubmatch(l)[1]] = true
		case mmRelation.MatchString(l):
			rels = append(rels, mmRelation.FindStringSubmatch(l)[1:])
		default:
			t.Errorf("not an erDiagram line: %q", l)
		}
	}
	if in != "" {
		t.Errorf("entity %s not closed", in)
	}
	for _, r := range rels {
		for _, e := range r {
			if !declared[e] {
				t.Errorf("relationship with undeclared entity %s", e)
			}
		}
	}
}

func commentGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenIn(t, commentDir, name, got)
}

// Views and functions read well in the table of changes: a view dropped to be created again
// is one changed row, a procedure is called one, and a default dropped around a function's
// replacement belongs to its column.
func TestCommentViewsAndFunctions(t *testing.T) {
	from := &schema.View{Schema: "public", Name: "v"}
	to := &schema.View{Schema: "public", Name: "v"}
	mv := &schema.View{Schema: "public", Name: "mv", Materialized: true}
	proc := &schema.Function{Schema: "public", Name: "p", Procedure: true}
	fOld := &schema.Function{Schema: "public", Name: "f", Result: "integer"}
	fNew := &schema.Function{Schema: "public", Name: "f", Result: "bigint"}
	tbl := &schema.Table{Schema: "public", Name: "t"}
	col := column("a", "integer", false, "public.f()")
	var p plan.Plan
	for _, c := range []diff.Change{
		&diff.DropView{V: from}, &diff.DropView{V: mv}, &diff.DropDefault{T: tbl, C: col}, &diff.DropFunction{F: fOld},
		&diff.RecreateFunction{From: fOld, To: fNew}, &diff.ModifyColumn{T: tbl, From: column("a", "integer", false, ""), To: col},
		&diff.RecreateView{From: from, To: to}, &diff.AddFunction{F: proc},
	} {
		p.Statements = append(p.Statements, plan.Statement{SQL: "-- " + c.Kind(), Kind: c.Kind(), Object: c.Object(), Change: c})
	}
	c := &report.Comment{Schema: "app", Plan: &p, Header: plan.Header{Name: "views", Status: plan.Pending}}
	s, err := c.Markdown(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| changed | view `public.v` | recreated |",
		"| dropped | materialized view `public.mv` |  |",
		"| changed | function `public.f()` | recreated |",
		"| added | procedure `public.p()` |  |",
		"| changed | column `public.t.a` | default dropped while the function it calls is replaced; default added |",
		"1 added, 3 changed, 1 dropped",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("comment lacks %q\n%s", want, s)
		}
	}
}

// The digest a comment shows is read back from it, and only from a comment that shows one.
func TestShownDigest(t *testing.T) {
	c := newShop().comment()
	body, err := c.Markdown(0)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := report.ShownDigest(body); !ok || d != c.Plan.Digest() {
		t.Errorf("ShownDigest = %q, %v; want %s", d, ok, c.Plan.Digest())
	}
	if !strings.Contains(body, "digest `"+plan.ShortDigest(c.Plan.Digest())+"`") {
		t.Errorf("the footer does not show the digest:\n%s", body)
	}
	for _, b := range []string{"", "no marker", body + "\n" + report.DigestMarker("sha256:"+strings.Repeat("0", 64))} {
		if d, ok := report.ShownDigest(b); ok {
			t.Errorf("ShownDigest of %.40q… = %s, want none", b, d)
		}
	}
}
