package sqlscan

// Role is what a token is to the statement being read.
type Role int

const (
	// Skip is a comment, or a semicolon that ends no statement (;;). A comment read while a
	// statement is open (Splitter.Open) lies inside that statement.
	Skip Role = iota
	// Word is a token of the current statement (the first when it opens a statement).
	Word
	// End is the semicolon that ends the current statement.
	End
)

// A Splitter finds statement boundaries in a stream of tokens: a statement ends at a
// semicolon token (one outside comments, strings and quoted identifiers), except that inside
// CREATE FUNCTION or PROCEDURE, semicolons between BEGIN and END (a SQL-standard routine body,
// BEGIN ATOMIC) do not end it. The zero value is ready to use.
type Splitter struct {
	words   int      // the words of the current statement so far
	lead    [3]Token // its first three words
	body    int      // BEGIN … END depth of a routine body
	routine bool     // the statement is a CREATE FUNCTION or PROCEDURE
}

// Open reports whether a statement has started and not yet ended.
func (s *Splitter) Open() bool { return s.words > 0 }

// Next reads the next token and says what it is to the current statement.
func (s *Splitter) Next(t Token) Role {
	switch {
	case t.Kind == Comment:
		return Skip
	case t.Kind == Punct && t.Text == ";" && s.body == 0:
		if s.words == 0 {
			return Skip
		}
		*s = Splitter{}
		return End
	}
	// psql's rule for SQL-standard routine bodies: inside CREATE FUNCTION or PROCEDURE,
	// semicolons between BEGIN and END do not end the statement.
	if t.Kind == Ident && (t.Text == "function" || t.Text == "procedure") &&
		(s.lead1("create") || s.lead3("create", "or", "replace")) {
		s.routine = true
	}
	if s.words < len(s.lead) {
		s.lead[s.words] = t
	}
	s.words++
	if s.routine && t.Kind == Ident {
		switch {
		case t.Text == "begin", t.Text == "case" && s.body > 0:
			s.body++
		case t.Text == "end" && s.body > 0:
			s.body--
		}
	}
	return Word
}

// lead1 reports whether the words so far are exactly w.
func (s *Splitter) lead1(w string) bool {
	return s.words == 1 && s.lead[0].Kind == Ident && s.lead[0].Text == w
}

// lead3 reports whether the words so far are exactly w1 w2 w3.
func (s *Splitter) lead3(w1, w2, w3 string) bool {
	if s.words != 3 {
		return false
	}
	for i, w := range []string{w1, w2, w3} {
		if s.lead[i].Kind != Ident || s.lead[i].Text != w {
			return false
		}
	}
	return true
}

// Statement is one statement of SQL text.
type Statement struct {
	// Start and End are the byte offsets of the statement's text, from its first word to the
	// end of its last token (a comment inside it, before the semicolon, included); the
	// terminating semicolon is not part of it.
	Start, End int
	// Semicolon is the offset of the semicolon that ends the statement, -1 when the text ends
	// first.
	Semicolon int
	Line      int // the line of its first word
	// Tokens are the tokens from its first word to its last, comments inside included and
	// the terminating semicolon excluded.
	Tokens []Token
}

// Split splits sql into statements.
func Split(sql string) []Statement { return SplitTokens(Lex(sql)) }

// SplitTokens groups the tokens of Lex into statements.
func SplitTokens(toks []Token) []Statement {
	var (
		out []Statement
		sp  Splitter
		cur *Statement
	)
	for _, t := range toks {
		open := sp.Open()
		switch sp.Next(t) {
		case Skip:
			if open && t.Kind == Comment {
				cur.Tokens = append(cur.Tokens, t)
				cur.End = t.EndPos
			}
		case Word:
			if cur == nil {
				cur = &Statement{Start: t.Pos, Semicolon: -1, Line: t.Line}
			}
			cur.Tokens = append(cur.Tokens, t)
			cur.End = t.EndPos
		case End:
			cur.Semicolon = t.Pos
			out = append(out, *cur)
			cur = nil
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}
