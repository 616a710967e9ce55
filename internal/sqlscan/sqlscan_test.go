package sqlscan

import (
	"fmt"
	"strings"
	"testing"
)

func TestLex(t *testing.T) {
	sql := "SELECT \"Mixed\"\"Q\", 'it''s', E'a\\'b', $t$x;\ny$t$, $1, 3.14 -- c;\n/* a /* b */ c */ x"
	var got []string
	for _, tk := range Lex(sql) {
		got = append(got, fmt.Sprintf("%d:%q@%d-%d", tk.Kind, tk.Text, tk.Line, tk.End))
		if tk.Kind != Comment && tk.Kind != String && tk.Kind != Quoted && sql[tk.Pos:tk.EndPos] != tk.Text &&
			!strings.EqualFold(sql[tk.Pos:tk.EndPos], tk.Text) {
			t.Errorf("token %q at [%d,%d) is %q", tk.Text, tk.Pos, tk.EndPos, sql[tk.Pos:tk.EndPos])
		}
	}
	want := []string{
		`0:"select"@1-1`, `1:"Mixed\"Q"@1-1`, `4:","@1-1`, `2:"it's"@1-1`, `4:","@1-1`,
		`2:"a\\'b"@1-1`, `4:","@1-1`, `2:"x;\ny"@1-2`, `4:","@2-2`, `4:"$1"@2-2`, `4:","@2-2`,
		`3:"3.14"@2-2`, `5:" c;"@2-2`, `5:" a /* b */ c "@3-3`, `0:"x"@3-3`,
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("tokens\n got %s\nwant %s", strings.Join(got, " "), strings.Join(want, " "))
	}
}

func TestLexOpen(t *testing.T) {
	for _, sql := range []string{"SELECT 'abc", "SELECT E'a\\'", `SELECT "abc`, "SELECT $x$ abc $y$", "/* a /* b */"} {
		toks := Lex(sql)
		last := toks[len(toks)-1]
		if !last.Open || last.EndPos != len(sql) {
			t.Errorf("%q: last token %+v is not open to the end", sql, last)
		}
	}
	for _, tk := range Lex("SELECT 'a', E'b', \"c\", $$d$$ /* e */ -- f") {
		if tk.Open {
			t.Errorf("closed token %+v is open", tk)
		}
	}
}

// TestSplit: semicolons, keywords and line breaks inside comments, strings, dollar quotes and
// quoted identifiers do not end a statement; SQL-standard routine bodies keep theirs.
func TestSplit(t *testing.T) {
	sql := `-- a comment; SELECT 1;
/* a block; /* nested; */ still comment; */ CREATE TABLE t1 (
  a text DEFAULT 'it''s; x',
  b text DEFAULT E'\'; y;',
  "c;d" int -- trailing; comment
);;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$
  SELECT 1; $$ not the end $$;
$body$;
CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC
  SELECT 1;
  SELECT CASE WHEN true THEN 1 END;
END;
BEGIN;
SELECT 2`
	stmts := Split(sql)
	type want struct {
		line  int
		first string
		last  string
		semi  bool
	}
	wants := []want{
		{2, "CREATE TABLE t1 (", "-- trailing; comment\n)", true},
		{7, "CREATE FUNCTION f()", "$body$", true},
		{10, "CREATE OR REPLACE PROCEDURE", "END", true},
		{14, "BEGIN", "BEGIN", true},
		{15, "SELECT 2", "SELECT 2", false},
	}
	if len(stmts) != len(wants) {
		for _, s := range stmts {
			t.Logf("%d %q", s.Line, sql[s.Start:s.End])
		}
		t.Fatalf("%d statements, want %d", len(stmts), len(wants))
	}
	for i, w := range wants {
		s := stmts[i]
		text := sql[s.Start:s.End]
		if s.Line != w.line || !strings.HasPrefix(text, w.first) || !strings.HasSuffix(text, w.last) || (s.Semicolon >= 0) != w.semi {
			t.Errorf("statement %d: line %d semicolon %d %q", i, s.Line, s.Semicolon, text)
		}
		if s.Semicolon >= 0 && sql[s.Semicolon] != ';' {
			t.Errorf("statement %d: semicolon offset %d points at %q", i, s.Semicolon, sql[s.Semicolon])
		}
		if len(s.Tokens) == 0 || s.Tokens[0].Pos != s.Start || s.Tokens[len(s.Tokens)-1].EndPos != s.End {
			t.Errorf("statement %d: tokens do not span it", i)
		}
	}
}

// TestSplitRoutine: only CREATE [OR REPLACE] FUNCTION|PROCEDURE opens a routine body; a
// BEGIN elsewhere is a statement of its own.
func TestSplitRoutine(t *testing.T) {
	for sql, n := range map[string]int{
		"BEGIN; SELECT 1; COMMIT;":                                              3,
		"DO $$ BEGIN PERFORM 1; END $$; SELECT 1;":                              2,
		"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END; SELECT 2;": 2,
		"COMMENT ON FUNCTION f() IS 'x'; BEGIN; END;":                           3,
	} {
		if got := len(Split(sql)); got != n {
			t.Errorf("%q: %d statements, want %d", sql, got, n)
		}
	}
}
