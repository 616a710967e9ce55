package plan

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/sqlscan"
)

// Plan files.
//
// A plan file is the reviewable form of a plan: a SQL script psql can run, headed by comment
// lines that say which plan it is.
//
//	-- sextant plan
//	-- name: pr-42-1a2b3c4d
//	-- dialect: postgres
//	-- from: sha256:1a2b…
//	-- to: sha256:9f8e…
//	-- digest: sha256:5c6d…
//	-- status: PENDING
//	-- created-at: 2025-05-01T12:00:00Z
//	-- created-by: alice
//	-- pr: 42
//	-- commit: 0123abcd
//	-- url: https://github.com/acme/app/pull/42
//
//	BEGIN;
//
//	-- add-enum-value public.status
//	ALTER TYPE public.status ADD VALUE 'paid';
//
//	COMMIT;
//	…
//
// The header is the first line, "-- sextant plan", and the "-- key: value" lines right under
// it; it ends at the first line that is not a comment. from and to are required; the other
// keys are written when they have a value. The digest line is the plan's digest (see
// Plan.Digest) as it was when the file was written; a reader that must know what the file
// holds now computes it again. Each statement is preceded by a comment naming its
// change ("-- <kind> <object>"); BEGIN and COMMIT delimit the transactions when the plan has
// more than one.
//
// Reading is lenient about what a reviewer may edit and strict about the rest. A statement
// without a change comment (a hand-written backfill) has no kind and no object. Other
// comments before a statement, and comments after its semicolon on the same line, stay with
// the statement in its SQL, so -- sextant:nolint directives keep applying to it. Statements
// between BEGIN and COMMIT form one transaction, and so do consecutive statements outside
// any. Anything else is an error naming the file and line: an unknown or repeated header
// key, a missing or malformed fingerprint, an unterminated string, comment or statement,
// nested BEGIN, COMMIT without BEGIN, a directive that belongs to no statement.

// FileMagic is the first line of a plan file.
const FileMagic = "-- sextant plan"

// Status is where a plan stands in review.
type Status string

const (
	Pending  Status = "PENDING"  // planned, not yet approved
	Approved Status = "APPROVED" // approved: deploys may run it
	Aborted  Status = "ABORTED"  // abandoned: never to be run
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Pending || s == Approved || s == Aborted }

// Header is what a plan file says about its plan besides the plan itself (the dialect and
// the from and to fingerprints are the plan's own fields).
type Header struct {
	Name string
	// Digest is the digest line as a file was read: what the file claims, for telling that
	// it was edited since it was written (see Plan.Digest, which is the truth). WriteFile
	// ignores it and writes the plan's own digest.
	Digest string
	// Revision counts the contents stored under the plan's name: a PENDING plan stored
	// again with other content becomes revision 2, and so on. 0 when unknown.
	Revision   int
	Status     Status    // empty when unknown
	CreatedAt  time.Time // written to the second (RFC 3339); zero when unknown
	CreatedBy  string
	ApprovedAt time.Time // when the plan was approved; zero while it is not
	ApprovedBy string
	Context    Context
	// Linted says the plan was linted; Findings are then its diagnostics, written as
	// "-- lint: <severity> <analyzer>: <message>" lines above their statements (or under the
	// header, for the plan as a whole) and read back from them.
	Linted   bool
	Findings []Finding
}

// Finding is a lint diagnostic as a plan file keeps it.
type Finding struct {
	Statement int    // index into the plan's statements; -1 for the plan as a whole
	Severity  string // error, warning or notice
	Analyzer  string
	Message   string // one line
}

// LintSummary counts the findings in words: "1 error, 2 warnings, 0 notices".
func (h Header) LintSummary() string {
	e, w, n := h.LintCounts()
	return fmt.Sprintf("%s, %s, %s", Count(e, "error"), Count(w, "warning"), Count(n, "notice"))
}

// LintCounts returns the number of findings of each severity.
func (h Header) LintCounts() (errors, warnings, notices int) {
	for _, f := range h.Findings {
		switch f.Severity {
		case "error":
			errors++
		case "warning":
			warnings++
		case "notice":
			notices++
		}
	}
	return errors, warnings, notices
}

// Context says where a plan was made.
type Context struct {
	PR     int    // pull or merge request number; 0 when none
	Commit string // the commit the desired state was read at
	URL    string // the pull request, or the CI job
}

// The header keys, in the order they are written.
const (
	keyName       = "name"
	keyDialect    = "dialect"
	keyFrom       = "from"
	keyTo         = "to"
	keyDigest     = "digest"
	keyRevision   = "revision"
	keyStatus     = "status"
	keyCreatedAt  = "created-at"
	keyCreatedBy  = "created-by"
	keyApprovedAt = "approved-at"
	keyApprovedBy = "approved-by"
	keyLint       = "lint"
	keyFinding    = "finding" // a lint finding on the plan as a whole; may repeat
	keyPR         = "pr"
	keyCommit     = "commit"
	keyURL        = "url"
)

var headerKeys = []string{keyName, keyDialect, keyFrom, keyTo, keyDigest, keyRevision, keyStatus, keyCreatedAt, keyCreatedBy,
	keyApprovedAt, keyApprovedBy, keyPR, keyCommit, keyURL, keyLint, keyFinding}

// Count says n of noun for people: "1 statement", "3 statements".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// lintPrefix starts the comment lines that carry a statement's lint findings.
const lintPrefix = "-- lint: "

func (f Finding) text() string { return fmt.Sprintf("%s %s: %s", f.Severity, f.Analyzer, f.Message) }

// parseFinding reads "<severity> <analyzer>: <message>".
func parseFinding(s string) (Finding, bool) {
	sev, rest, ok := strings.Cut(s, " ")
	if !ok || (sev != "error" && sev != "warning" && sev != "notice") {
		return Finding{}, false
	}
	analyzer, msg, ok := strings.Cut(rest, ": ")
	if !ok || analyzer == "" || strings.ContainsAny(analyzer, " \t") {
		return Finding{}, false
	}
	return Finding{Severity: sev, Analyzer: analyzer, Message: strings.TrimSpace(msg)}, true
}

// kinds are the change kinds of package diff: a comment "-- <kind> <object>" before a
// statement names its change only when kind is one of them, so an ordinary comment
// ("-- backfill orders") is never mistaken for one.
var kinds = []string{
	"add-schema", "drop-schema", "modify-schema",
	"add-extension", "drop-extension", "modify-extension",
	"add-enum", "drop-enum", "add-enum-value", "modify-enum",
	"add-domain", "drop-domain", "modify-domain",
	"recreate-enum", "recreate-domain", "drop-replaced-enum", "drop-replaced-domain",
	"add-sequence", "drop-sequence", "modify-sequence", "set-sequence-owner",
	"add-table", "drop-table", "modify-table",
	"detach-partition", "attach-partition",
	"add-column", "drop-column", "modify-column", "drop-identity",
	"add-constraint", "drop-constraint", "validate-constraint", "comment-constraint",
	"add-index", "drop-index", "comment-index",
	"add-view", "drop-view", "replace-view", "recreate-view", "modify-view",
	"add-function", "drop-function", "replace-function", "recreate-function", "modify-function", "drop-default",
	"add-trigger", "drop-trigger", "modify-trigger", "add-event-trigger", "drop-event-trigger", "modify-event-trigger",
	"modify-row-security", "add-policy", "drop-policy", "alter-policy", "comment-policy",
}

var fingerprintRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// FileError is an error in a plan file, at a line.
type FileError struct {
	File string
	Line int
	Msg  string
}

func (e *FileError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// WriteFile writes p as a plan file with header h. It fails, writing nothing, when the file
// would not read back as the same plan: a malformed fingerprint, an unknown status or change
// kind, a header value or object name on several lines, a statement that is not exactly one
// statement.
func (p *Plan) WriteFile(w io.Writer, h Header) error {
	if err := p.checkWritable(h); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(FileMagic + "\n")
	field := func(key, value string) {
		if value != "" {
			fmt.Fprintf(&b, "-- %s: %s\n", key, value)
		}
	}
	field(keyName, h.Name)
	field(keyDialect, p.Dialect)
	field(keyFrom, p.From)
	field(keyTo, p.To)
	field(keyDigest, p.Digest())
	if h.Revision > 0 {
		field(keyRevision, strconv.Itoa(h.Revision))
	}
	field(keyStatus, string(h.Status))
	if !h.CreatedAt.IsZero() {
		field(keyCreatedAt, h.CreatedAt.Format(time.RFC3339))
	}
	field(keyCreatedBy, h.CreatedBy)
	if !h.ApprovedAt.IsZero() {
		field(keyApprovedAt, h.ApprovedAt.Format(time.RFC3339))
	}
	field(keyApprovedBy, h.ApprovedBy)
	if h.Context.PR != 0 {
		field(keyPR, strconv.Itoa(h.Context.PR))
	}
	field(keyCommit, h.Context.Commit)
	field(keyURL, h.Context.URL)
	if h.Linted {
		field(keyLint, h.LintSummary())
	}
	findings := func(stmt int) {
		for _, f := range h.Findings {
			if f.Statement == stmt {
				fmt.Fprintf(&b, "%s%s\n", lintPrefix, f.text())
			}
		}
	}
	for _, f := range h.Findings {
		if f.Statement < 0 {
			field(keyFinding, f.text())
		}
	}
	if p.Empty() {
		b.WriteString("\n-- no changes\n")
	}
	i := 0
	txs := p.Transactions()
	for _, tx := range txs {
		if len(txs) > 1 {
			b.WriteString("\nBEGIN;\n")
		}
		for _, s := range tx {
			b.WriteString("\n")
			findings(i)
			i++
			if s.Kind != "" {
				b.WriteString("-- " + s.Kind)
				if s.Object != "" {
					b.WriteString(" " + s.Object)
				}
				b.WriteString("\n")
			}
			b.WriteString(s.SQL)
			if endsInLineComment(s.SQL) {
				b.WriteString("\n") // else the semicolon would be part of the comment
			}
			b.WriteString(";\n")
		}
		if len(txs) > 1 {
			b.WriteString("\nCOMMIT;\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (p *Plan) checkWritable(h Header) error {
	for key, fp := range map[string]string{keyFrom: p.From, keyTo: p.To} {
		if !fingerprintRE.MatchString(fp) {
			return fmt.Errorf("write plan file: %s fingerprint %q is not sha256:<64 hex digits>", key, fp)
		}
	}
	if h.Status != "" && !h.Status.Valid() {
		return fmt.Errorf("write plan file: unknown status %q", h.Status)
	}
	if h.Context.PR < 0 {
		return fmt.Errorf("write plan file: negative pull request number %d", h.Context.PR)
	}
	for key, v := range map[string]string{keyName: h.Name, keyDialect: p.Dialect, keyCreatedBy: h.CreatedBy,
		keyApprovedBy: h.ApprovedBy, keyCommit: h.Context.Commit, keyURL: h.Context.URL} {
		if strings.ContainsAny(v, "\r\n") || strings.TrimSpace(v) != v {
			return fmt.Errorf("write plan file: %s %q has line breaks or surrounding space", key, v)
		}
	}
	if !h.Linted && len(h.Findings) > 0 {
		return fmt.Errorf("write plan file: lint findings on a plan that is not marked linted")
	}
	for _, f := range h.Findings {
		if g, ok := parseFinding(f.text()); !ok || g.Message != f.Message || strings.ContainsAny(f.Message, "\r\n") {
			return fmt.Errorf("write plan file: lint finding %q is not \"<error|warning|notice> <analyzer>: <one line>\"", f.text())
		}
		if f.Statement >= len(p.Statements) {
			return fmt.Errorf("write plan file: lint finding on statement %d of %d", f.Statement+1, len(p.Statements))
		}
	}
	for i, s := range p.Statements {
		where := fmt.Sprintf("write plan file: statement %d", i+1)
		switch {
		case s.Kind == "" && s.Object != "":
			return fmt.Errorf("%s: object %q without a change kind", where, s.Object)
		case s.Kind != "" && !slices.Contains(kinds, s.Kind):
			return fmt.Errorf("%s: unknown change kind %q", where, s.Kind)
		case strings.ContainsAny(s.Object, "\r\n") || strings.TrimSpace(s.Object) != s.Object:
			return fmt.Errorf("%s: object %q has line breaks or surrounding space", where, s.Object)
		}
		if msg := checkStatementSQL(s); msg != "" {
			return fmt.Errorf("%s: %s: %q", where, msg, s.SQL)
		}
	}
	return nil
}

// checkStatementSQL says why s.SQL would not read back as itself, or "".
func checkStatementSQL(s Statement) string {
	if s.SQL == "" || sqlscan.IsSpace(s.SQL[0]) {
		return "empty, or starts with white space"
	}
	toks := sqlscan.Lex(s.SQL)
	for _, t := range toks {
		if t.Open {
			return "unterminated string, quoted identifier or comment"
		}
	}
	stmts := sqlscan.SplitTokens(toks)
	if len(stmts) != 1 || stmts[0].Semicolon >= 0 {
		return "not exactly one statement"
	}
	if c, _ := txControl(stmts[0]); c != "" {
		return "a transaction control statement"
	}
	if s.Kind == "" {
		if _, _, ok := kindComment(s.SQL, toks[0]); ok {
			return "no change kind, but it starts with a change comment"
		}
	}
	return ""
}

// endsInLineComment reports whether sql ends inside a -- comment.
func endsInLineComment(sql string) bool {
	toks := sqlscan.Lex(sql)
	if len(toks) == 0 {
		return false
	}
	t := toks[len(toks)-1]
	return t.Kind == sqlscan.Comment && strings.HasPrefix(sql[t.Pos:], "--") && t.EndPos == len(sql)
}

// kindComment reads a change comment, "-- <kind> <object>", from token t of text.
func kindComment(text string, t sqlscan.Token) (kind, object string, ok bool) {
	if t.Kind != sqlscan.Comment || !strings.HasPrefix(text[t.Pos:], "--") {
		return "", "", false
	}
	rest, ok := strings.CutPrefix(strings.TrimSuffix(t.Text, "\r"), " ")
	if !ok {
		return "", "", false
	}
	kind, object, _ = strings.Cut(rest, " ")
	if !slices.Contains(kinds, kind) {
		return "", "", false
	}
	return kind, object, true
}

// isDirective reports whether a comment's text is a -- sextant:nolint directive (see package
// lint).
func isDirective(text string) bool {
	rest, ok := strings.CutPrefix(strings.TrimLeft(text, " \t\r\n"), "sextant:nolint")
	return ok && (rest == "" || sqlscan.IsSpace(rest[0]) || rest[0] == ',')
}

// ReadFile reads a plan file; name is the file's name for error messages. The statements of
// the plan it returns have no Change.
func ReadFile(r io.Reader, name string) (*Plan, Header, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, Header{}, fmt.Errorf("read plan file %s: %w", name, err)
	}
	rd := &fileReader{name: name, text: string(b)}
	p, h, err := rd.read()
	if err != nil {
		return nil, Header{}, err
	}
	return p, h, nil
}

type fileReader struct {
	name string
	text string
	nl   []int // offsets of the line breaks
}

func (rd *fileReader) errorf(line int, format string, args ...any) error {
	return &FileError{File: rd.name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// line returns the 1-based line of byte offset off.
func (rd *fileReader) line(off int) int { return sort.SearchInts(rd.nl, off) + 1 }

func (rd *fileReader) read() (*Plan, Header, error) {
	for i := 0; i < len(rd.text); i++ {
		if rd.text[i] == '\n' {
			rd.nl = append(rd.nl, i)
		}
	}
	p := &Plan{}
	h, end, err := rd.header(p)
	if err != nil {
		return nil, Header{}, err
	}
	if err := rd.body(p, &h, end); err != nil {
		return nil, Header{}, err
	}
	return p, h, nil
}

// header reads the header into p and h and returns the offset where it ends.
func (rd *fileReader) header(p *Plan) (Header, int, error) {
	var h Header
	off := 0
	next := func() (string, bool) { // the next line, without its line break
		if off >= len(rd.text) {
			return "", false
		}
		end := strings.IndexByte(rd.text[off:], '\n')
		if end < 0 {
			end = len(rd.text) - off
		}
		l := rd.text[off : off+end]
		off = min(off+end+1, len(rd.text))
		return strings.TrimSuffix(l, "\r"), true
	}
	first, _ := next()
	if first != FileMagic {
		return h, 0, rd.errorf(1, "not a plan file: the first line is %q, want %q", first, FileMagic)
	}
	seen := map[string]int{}
	for n := 2; ; n++ {
		start := off
		l, ok := next()
		if !ok || !strings.HasPrefix(l, "--") {
			off = start
			break
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(l[2:], " "), ":")
		value = strings.TrimSpace(value)
		switch {
		case !ok || key == "" || strings.ContainsAny(key, " \t"):
			return h, 0, rd.errorf(n, "header line %q is not \"-- key: value\" (end the header with a blank line)", l)
		case !slices.Contains(headerKeys, key):
			return h, 0, rd.errorf(n, "unknown header key %q (known: %s)", key, strings.Join(headerKeys, ", "))
		case seen[key] != 0 && key != keyFinding:
			return h, 0, rd.errorf(n, "header key %q repeated (first on line %d)", key, seen[key])
		case value == "":
			return h, 0, rd.errorf(n, "header key %q has no value", key)
		}
		seen[key] = n
		switch key {
		case keyName:
			h.Name = value
		case keyDialect:
			p.Dialect = value
		case keyFrom, keyTo:
			if !fingerprintRE.MatchString(value) {
				return h, 0, rd.errorf(n, "%s fingerprint %q is not sha256:<64 lower-case hex digits>", key, value)
			}
			if key == keyFrom {
				p.From = value
			} else {
				p.To = value
			}
		case keyDigest:
			if !DigestRE.MatchString(value) {
				return h, 0, rd.errorf(n, "digest %q is not sha256:<64 lower-case hex digits>", value)
			}
			h.Digest = value
		case keyRevision:
			r, err := strconv.Atoi(value)
			if err != nil || r <= 0 {
				return h, 0, rd.errorf(n, "revision %q is not a positive number", value)
			}
			h.Revision = r
		case keyStatus:
			h.Status = Status(value)
			if !h.Status.Valid() {
				return h, 0, rd.errorf(n, "unknown status %q (want %s, %s or %s)", value, Pending, Approved, Aborted)
			}
		case keyCreatedAt:
			t, err := time.Parse(time.RFC3339, value)
			if err != nil {
				return h, 0, rd.errorf(n, "created-at %q is not an RFC 3339 time", value)
			}
			h.CreatedAt = t
		case keyCreatedBy:
			h.CreatedBy = value
		case keyApprovedAt:
			t, err := time.Parse(time.RFC3339, value)
			if err != nil {
				return h, 0, rd.errorf(n, "approved-at %q is not an RFC 3339 time", value)
			}
			h.ApprovedAt = t
		case keyApprovedBy:
			h.ApprovedBy = value
		case keyLint:
			h.Linted = true // the counts are for readers; the findings are what counts
		case keyFinding:
			f, ok := parseFinding(value)
			if !ok {
				return h, 0, rd.errorf(n, "finding %q is not \"<error|warning|notice> <analyzer>: <message>\"", value)
			}
			f.Statement = -1
			h.Findings = append(h.Findings, f)
		case keyPR:
			pr, err := strconv.Atoi(value)
			if err != nil || pr <= 0 {
				return h, 0, rd.errorf(n, "pr %q is not a pull request number", value)
			}
			h.Context.PR = pr
		case keyCommit:
			h.Context.Commit = value
		case keyURL:
			h.Context.URL = value
		}
	}
	for _, key := range []string{keyFrom, keyTo} {
		if seen[key] == 0 {
			return h, 0, rd.errorf(1, "the header has no %q fingerprint", key)
		}
	}
	return h, off, nil
}

// body reads the statements after the header, which ends at offset start.
func (rd *fileReader) body(p *Plan, h *Header, start int) error {
	text := rd.text
	toks := sqlscan.Lex(text)
	for _, t := range toks {
		if t.Open {
			what := map[sqlscan.Kind]string{sqlscan.String: "string", sqlscan.Quoted: "quoted identifier", sqlscan.Comment: "comment"}[t.Kind]
			return rd.errorf(t.Line, "unterminated %s", what)
		}
	}
	var (
		j       int // the next token to look at for comments between statements
		tx      int // the transaction of the next statement
		used    bool
		inBlock int // the line of the open BEGIN, 0 outside one
		prevEnd = start
		prevSt  = -1 // the index in p.Statements of the statement that ended at prevEnd, -1 for none
		semi    = -1 // the offset of its semicolon
	)
	newTx := func() {
		if used {
			tx++
			used = false
		}
	}
	var starts []int // the offset each statement's SQL starts at
	// gap returns the comments between prevEnd and end, attaching those on the line of the
	// previous statement's semicolon to that statement.
	gap := func(end int) []sqlscan.Token {
		var out []sqlscan.Token
		for ; j < len(toks) && toks[j].Pos < end; j++ {
			t := toks[j]
			if t.Pos < prevEnd || t.Kind != sqlscan.Comment {
				continue
			}
			if prevSt >= 0 && rd.line(t.Pos) == rd.line(semi) {
				p.Statements[prevSt].SQL = text[starts[prevSt]:semi] + text[semi+1:t.EndPos]
				continue
			}
			out = append(out, t)
		}
		return out
	}
	loose := func(cs []sqlscan.Token) error {
		for _, c := range cs {
			if isDirective(c.Text) {
				return rd.errorf(c.Line, "this sextant:nolint directive belongs to no statement: put it right above one")
			}
		}
		return nil
	}
	for _, st := range sqlscan.SplitTokens(toks) {
		comments := gap(st.Start)
		if st.Semicolon < 0 {
			return rd.errorf(st.Line, "the statement that starts here does not end with a semicolon")
		}
		prevEnd, semi, prevSt = st.Semicolon+1, st.Semicolon, -1
		switch control, extra := txControl(st); control {
		case "begin", "commit":
			if extra != "" {
				return rd.errorf(st.Line, "%s is not supported in a plan file: write BEGIN; or COMMIT; alone", extra)
			}
			if err := loose(comments); err != nil {
				return err
			}
			if control == "begin" {
				if inBlock != 0 {
					return rd.errorf(st.Line, "BEGIN inside the transaction begun on line %d: transactions do not nest", inBlock)
				}
				newTx()
				inBlock = st.Line
			} else {
				if inBlock == 0 {
					return rd.errorf(st.Line, "COMMIT without BEGIN")
				}
				newTx()
				inBlock = 0
			}
			continue
		case "other":
			return rd.errorf(st.Line, "%s is not supported in a plan file", extra)
		}
		s, sqlStart := Statement{Tx: tx}, st.Start
		// Lint findings come first; a "-- lint:" line below another comment is the
		// reviewer's own text and stays in the SQL.
		for len(comments) > 0 && strings.HasPrefix(text[comments[0].Pos:], lintPrefix) {
			c := comments[0]
			f, ok := parseFinding(strings.TrimSpace(text[c.Pos+len(lintPrefix) : c.EndPos]))
			if !ok {
				return rd.errorf(c.Line, "lint finding %q is not \"-- lint: <error|warning|notice> <analyzer>: <message>\"", strings.TrimSpace(text[c.Pos:c.EndPos]))
			}
			if !h.Linted {
				return rd.errorf(c.Line, "lint finding in a plan whose header has no %q line", keyLint)
			}
			f.Statement = len(p.Statements)
			h.Findings = append(h.Findings, f)
			comments = comments[1:]
		}
		if len(comments) > 0 {
			if k, o, ok := kindComment(text, comments[0]); ok {
				s.Kind, s.Object = k, o
				comments = comments[1:]
			}
		}
		if len(comments) > 0 {
			sqlStart = comments[0].Pos
		}
		s.SQL = text[sqlStart:st.Semicolon]
		if trimmed, ok := strings.CutSuffix(s.SQL, "\n"); ok && endsInLineComment(trimmed) {
			s.SQL = trimmed // the line break WriteFile puts before the semicolon
		}
		used = true
		p.Statements = append(p.Statements, s)
		starts = append(starts, sqlStart)
		prevSt = len(p.Statements) - 1
	}
	if err := loose(gap(len(text))); err != nil {
		return err
	}
	if inBlock != 0 {
		return rd.errorf(inBlock, "BEGIN without COMMIT")
	}
	return nil
}

// txControl says whether a statement is a transaction control statement: "begin" or "commit"
// (extra names what follows the plain form, e.g. "BEGIN ISOLATION LEVEL"), "other" for one a
// plan file cannot hold (extra names it), "" for any other statement.
func txControl(st sqlscan.Statement) (control, extra string) {
	var words []string
	for _, t := range st.Tokens {
		if t.Kind != sqlscan.Comment {
			words = append(words, t.Text)
		}
	}
	if len(words) == 0 {
		return "", ""
	}
	plain := func(control string, n int) (string, string) {
		if len(words) > n && !(len(words) == n+1 && (words[n] == "work" || words[n] == "transaction")) {
			return control, strings.ToUpper(strings.Join(words, " "))
		}
		return control, ""
	}
	switch words[0] {
	case "begin":
		return plain("begin", 1)
	case "start":
		if len(words) > 1 && words[1] == "transaction" {
			if len(words) > 2 {
				return "begin", strings.ToUpper(strings.Join(words, " "))
			}
			return "begin", ""
		}
	case "commit", "end":
		return plain("commit", 1)
	case "rollback", "abort", "savepoint", "release":
		return "other", strings.ToUpper(words[0])
	}
	return "", ""
}
