// Package sqlscan reads SQL text lexically, the way psql does before it sends a statement:
// comments (-- and nested /* */), quoted identifiers, string literals ('…', E'…'), dollar
// quotes ($tag$…$tag$) and statement boundaries (top-level semicolons, except between BEGIN
// and END of a SQL-standard routine body). It never parses SQL and never fails: text it
// cannot read, like an unterminated string, runs to the end and is marked Open.
//
// It is a leaf package so that both the schema sources (locations, directives) and plan files
// can use it.
package sqlscan

import (
	"strings"
	"unicode/utf8"
)

// Kind is the kind of a token.
type Kind int

const (
	Ident   Kind = iota // an unquoted identifier or key word, folded to lower case
	Quoted              // a "quoted identifier", case kept
	String              // '…', E'…' or $tag$…$tag$
	Number              // digits
	Punct               // one character: ( ) , ; . = and the rest; or a parameter $1
	Comment             // -- … or /* … */
)

// Token is one token of SQL text.
type Token struct {
	Kind Kind
	// Text is the token's value: an identifier folded to lower case, a quoted identifier or a
	// string without its quotes (doubled quotes undoubled; an E'…' string keeps its
	// backslashes), a comment without its delimiters.
	Text string
	Line int // the 1-based line the token starts on
	End  int // the line the token ends on (multi-line strings and comments)
	// Pos and EndPos are the token's byte offsets in the text: [Pos, EndPos).
	Pos, EndPos int
	// Open marks a string, quoted identifier or block comment that the text ends inside.
	Open bool
}

// IsSpace reports whether c is white space to the SQL lexer.
func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func identStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= utf8.RuneSelf
}

func identChar(c byte) bool { return identStart(c) || c >= '0' && c <= '9' || c == '$' }

// lowerASCII folds an unquoted identifier the way PostgreSQL does in a UTF-8 database: ASCII
// letters only.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Lex splits sql into tokens. It never fails: an unterminated string or comment runs to the
// end of the text.
func Lex(sql string) []Token {
	var toks []Token
	line, n := 1, len(sql)
	emit := func(kind Kind, text string, start, end int, open bool) {
		toks = append(toks, Token{Kind: kind, Text: text, Line: line, End: line + strings.Count(sql[start:end], "\n"),
			Pos: start, EndPos: end, Open: open})
		line = toks[len(toks)-1].End
	}
	for i := 0; i < n; {
		c := sql[i]
		switch {
		case c == '\n':
			line++
			i++
		case IsSpace(c):
			i++
		case c == '-' && i+1 < n && sql[i+1] == '-':
			// The server ends a line comment at a carriage return too: a comment read
			// further than it reads would hide a statement it runs.
			end := strings.IndexAny(sql[i:], "\n\r")
			if end < 0 {
				end = n
			} else {
				end += i
			}
			emit(Comment, sql[i+2:end], i, end, false)
			i = end
		case c == '/' && i+1 < n && sql[i+1] == '*':
			j, depth := i+2, 1
			for j < n && depth > 0 {
				switch {
				case sql[j] == '/' && j+1 < n && sql[j+1] == '*':
					depth++
					j += 2
				case sql[j] == '*' && j+1 < n && sql[j+1] == '/':
					depth--
					j += 2
				default:
					j++
				}
			}
			text := sql[i+2 : j]
			if depth == 0 {
				text = sql[i+2 : j-2]
			}
			emit(Comment, text, i, j, depth > 0)
			i = j
		case c == '\'':
			j, closed := skipString(sql, i+1, false)
			emit(String, unquote(sql[i+1:j], '\''), i, j, !closed)
			i = j
		case (c == 'e' || c == 'E') && i+1 < n && sql[i+1] == '\'':
			j, closed := skipString(sql, i+2, true)
			emit(String, sql[i+2:max(i+2, j-1)], i, j, !closed)
			i = j
		case c == '"':
			j, closed := i+1, false
			for j < n {
				if sql[j] == '"' {
					if j+1 < n && sql[j+1] == '"' {
						j += 2
						continue
					}
					j++
					closed = true
					break
				}
				j++
			}
			emit(Quoted, unquote(sql[i+1:j], '"'), i, j, !closed)
			i = j
		case c == '$':
			if tag, ok := dollarTag(sql[i:]); ok {
				body := i + len(tag)
				end := strings.Index(sql[body:], tag)
				j := n
				text := sql[body:]
				if end >= 0 {
					j = body + end + len(tag)
					text = sql[body : body+end]
				}
				emit(String, text, i, j, end < 0)
				i = j
				continue
			}
			j := i + 1 // a parameter: $1
			for j < n && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			emit(Punct, sql[i:j], i, j, false)
			i = j
		case identStart(c):
			j := i + 1
			for j < n && identChar(sql[j]) {
				j++
			}
			emit(Ident, lowerASCII(sql[i:j]), i, j, false)
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < n && (sql[j] >= '0' && sql[j] <= '9' || sql[j] == '.' && j+1 < n && sql[j+1] >= '0' && sql[j+1] <= '9') {
				j++
			}
			emit(Number, sql[i:j], i, j, false)
			i = j
		default:
			emit(Punct, sql[i:i+1], i, i+1, false)
			i++
		}
	}
	return toks
}

// skipString returns the offset just past the quote that closes a string literal whose text
// starts at i, and whether there is one. In an E'…' string a backslash escapes the next
// character.
func skipString(sql string, i int, backslash bool) (int, bool) {
	for i < len(sql) {
		switch {
		case backslash && sql[i] == '\\':
			i += 2
			continue
		case sql[i] == '\'':
			if i+1 < len(sql) && sql[i+1] == '\'' {
				i += 2
				continue
			}
			return i + 1, true
		}
		i++
	}
	return len(sql), false
}

// unquote drops the closing quote (when there is one) and undoubles the quotes within.
func unquote(s string, q byte) string {
	if strings.HasSuffix(s, string(q)) {
		s = s[:len(s)-1]
	}
	return strings.ReplaceAll(s, string([]byte{q, q}), string(q))
}

// dollarTag returns the opening $tag$ of a dollar-quoted string at the start of s.
func dollarTag(s string) (string, bool) {
	if len(s) < 2 {
		return "", false
	}
	if s[1] == '$' {
		return "$$", true
	}
	if !identStart(s[1]) {
		return "", false
	}
	j := 2
	for j < len(s) && identChar(s[j]) && s[j] != '$' {
		j++
	}
	if j < len(s) && s[j] == '$' {
		return s[:j+1], true
	}
	return "", false
}
