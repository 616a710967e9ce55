package plan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/plan"
)

func digestPlan() *plan.Plan {
	return &plan.Plan{Dialect: "postgres", From: fp('a'), To: fp('b'), Statements: []plan.Statement{
		{SQL: "ALTER TYPE public.status ADD VALUE 'paid'", Kind: "add-enum-value", Object: "public.status", Tx: 0},
		{SQL: "UPDATE public.orders SET note = 'a  -- b' WHERE id <= 10", Tx: 1},
		{SQL: "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN  RETURN 1; -- one\nEND $$", Tx: 1},
	}}
}

func fp(c byte) string { return "sha256:" + strings.Repeat(string(c), 64) }

// What a reviewer may change without changing what runs leaves the digest alone.
func TestDigestIgnores(t *testing.T) {
	base := digestPlan()
	d := base.Digest()
	if !plan.DigestRE.MatchString(d) {
		t.Fatalf("digest %q is not sha256:<hex>", d)
	}
	for name, edit := range map[string]func(p *plan.Plan){
		"comments and spacing": func(p *plan.Plan) {
			p.Statements[1].SQL = "-- backfill, reviewed by bob\nUPDATE   public.orders\n\tSET note = 'a  -- b' /* keep */ WHERE id <= 10 -- sextant:nolint"
		},
		"trailing semicolon": func(p *plan.Plan) { p.Statements[0].SQL += " ;" },
		"kind and object":    func(p *plan.Plan) { p.Statements[0].Kind, p.Statements[0].Object = "", "" },
		"tx numbering":       func(p *plan.Plan) { p.Statements[0].Tx, p.Statements[1].Tx, p.Statements[2].Tx = 5, 9, 9 },
	} {
		p := digestPlan()
		edit(p)
		if got := p.Digest(); got != d {
			t.Errorf("%s: digest changed to %s", name, got)
		}
	}
	// Nor does anything in a plan file's header but dialect, from and to.
	var a, b bytes.Buffer
	_ = base.WriteFile(&a, plan.Header{Name: "x", Status: plan.Pending})
	_ = base.WriteFile(&b, plan.Header{Name: "y", Status: plan.Approved, CreatedBy: "eve", Linted: true,
		Findings: []plan.Finding{{Statement: 1, Severity: "error", Analyzer: "a", Message: "m"}}})
	pa, _, err := plan.ReadFile(&a, "a.sql")
	if err != nil {
		t.Fatal(err)
	}
	pb, _, err := plan.ReadFile(&b, "b.sql")
	if err != nil {
		t.Fatal(err)
	}
	if pa.Digest() != d || pb.Digest() != d {
		t.Errorf("digests after a round trip through files: %s, %s; want %s", pa.Digest(), pb.Digest(), d)
	}
}

// Everything that changes what runs changes the digest.
func TestDigestBinds(t *testing.T) {
	d := digestPlan().Digest()
	for name, edit := range map[string]func(p *plan.Plan){
		"dialect":            func(p *plan.Plan) { p.Dialect = "mysql" },
		"from":               func(p *plan.Plan) { p.From = fp('c') },
		"to":                 func(p *plan.Plan) { p.To = fp('c') },
		"a string's spacing": func(p *plan.Plan) { p.Statements[1].SQL = "UPDATE public.orders SET note = 'a -- b' WHERE id <= 10" },
		"a body's comment":   func(p *plan.Plan) { p.Statements[2].SQL = strings.Replace(p.Statements[2].SQL, "-- one", "-- two", 1) },
		"adjacent tokens":    func(p *plan.Plan) { p.Statements[1].SQL = strings.Replace(p.Statements[1].SQL, "<=", "< =", 1) },
		"a statement added": func(p *plan.Plan) {
			p.Statements = append(p.Statements, plan.Statement{SQL: "DELETE FROM public.orders", Tx: 1})
		},
		"a statement dropped": func(p *plan.Plan) { p.Statements = p.Statements[:2] },
		"order":               func(p *plan.Plan) { p.Statements[1], p.Statements[2] = p.Statements[2], p.Statements[1] },
		"grouping":            func(p *plan.Plan) { p.Statements[0].Tx = 1 },
		"split group":         func(p *plan.Plan) { p.Statements[2].Tx = 2 },
		"two statements in one": func(p *plan.Plan) {
			p.Statements[1].SQL += "; DELETE FROM public.orders"
		},
	} {
		p := digestPlan()
		edit(p)
		if got := p.Digest(); got == d {
			t.Errorf("%s: digest unchanged", name)
		}
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1;":                              "SELECT 1",
		"  SELECT\n\t1 ;  ":                      "SELECT 1",
		"SELECT/*x*/1":                           "SELECT 1",
		"SELECT 1 -- one\n+ 2":                   "SELECT 1 + 2",
		"SELECT 'a -- b /* c */'":                "SELECT 'a -- b /* c */'",
		"SELECT $f$ x  -- y\n $f$":               "SELECT $f$ x  -- y\n $f$",
		"SELECT \"a  b\" FROM t WHERE x<=1":      "SELECT \"a  b\" FROM t WHERE x<=1",
		"SELECT 1 /* outer /* inner */ still */": "SELECT 1",
		// The server ends a line comment at a carriage return: what follows runs, so it is
		// kept, and digested.
		"SELECT 1 -- hidden\rDELETE FROM t": "SELECT 1 DELETE FROM t",
	} {
		if got := plan.Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}
