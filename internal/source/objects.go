package source

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sextant-db/sextant/internal/sqlscan"
)

// Sextant never parses schema SQL into a model: the server does that (see LoadSQL). To point
// a message at the line that defines an object, and to read the -- sextant:nolint directives
// written next to a definition, this file scans SQL lexically instead: package sqlscan reads
// comments, quoted identifiers, string literals, dollar quotes and statement boundaries, and
// this file recognises a handful of statement shapes by their leading words. Whatever it does not recognise it skips: a
// statement it cannot read defines nothing, it is never an error, since the server has
// already accepted the files.

// Location is a line in a schema file.
type Location struct {
	File string
	Line int // 1-based
}

// Directive is a -- sextant:nolint comment.
type Directive struct {
	File string
	Line int // 1-based line of the comment
	// Analyzers are the names the directive lists; empty means every analyzer.
	Analyzers []string
}

// Statement is one statement of a schema source.
type Statement struct {
	File string
	Line int // the line of its first word
	// Objects are the qualified names of the objects it defines; the names the server
	// generates (users_pkey) come after those written out.
	Objects []string
	// Nolint are the directives that apply to it: those on the lines before it (after the
	// previous statement), inside it, or trailing its last line.
	Nolint []Directive
}

// Locations says where the objects of a SQL source are defined. Objects are named as the
// model names them: "schema", "extension", "schema.table", "schema.table.column",
// "schema.table.constraint", "schema.table.trigger", "schema.table.policy", "schema.index",
// "schema.type", "schema.collation", "schema.sequence", "schema.view", "event_trigger",
// "schema.function" (a function is found under its name alone, whatever its arguments: the
// scanner cannot print argument types the way the server does, and Lookup drops them).
type Locations struct {
	Statements []*Statement

	defs   map[string][]definition // by object, in source order
	owner  map[string]string       // the table a column, constraint, index or sequence belongs to
	tables map[string]bool         // the tables CREATE TABLE defines
	cols   map[string][]string     // the columns of each table, for constraint names
	names  map[string]*namespace   // by schema: the names generated names must avoid
	// pending are the generated names of the statement being read.
	pending []generated
	// searchPath is the schema that unqualified names resolve to: the first schema of the
	// latest SET search_path, "public" before one.
	searchPath string
}

// definition is one place an object is defined.
type definition struct {
	stmt *Statement
	line int
	rank rank
}

// rank orders the definitions of one object: the strongest is the one a location names.
type rank int

const (
	named   rank = iota // the statement names the object: CREATE TABLE t, CONSTRAINT c, a column
	guessed             // the name is the one the server generates: users_pkey, users_email_key
	comment             // COMMENT ON names it; used only when nothing defines it
)

// Scan reads files, in order, as one script (the way they run: a SET search_path in one file
// holds for the next) and records where each object is defined.
func Scan(files []File) *Locations {
	l := &Locations{
		defs: map[string][]definition{}, owner: map[string]string{}, tables: map[string]bool{},
		cols: map[string][]string{}, names: map[string]*namespace{}, searchPath: "public",
	}
	for _, f := range files {
		l.scanFile(f)
	}
	return l
}

// Find returns the line that defines object itself.
func (l *Locations) Find(object string) (Location, bool) {
	if l == nil {
		return Location{}, false
	}
	ds := l.defs[object]
	if len(ds) == 0 {
		return Location{}, false
	}
	best := ds[0]
	for _, d := range ds[1:] {
		if d.rank < best.rank {
			best = d
		}
	}
	return Location{File: best.stmt.File, Line: best.line}, true
}

// Lookup returns the line of the most specific definition of object: its own, else that of
// the table it belongs to (a column or constraint written nowhere, like one the server named
// or one that was dropped, points at its table). An object unknown to the source, and not of
// a table it defines, is not found.
func (l *Locations) Lookup(object string) (Location, bool) {
	if loc, ok := l.Find(object); ok {
		return loc, true
	}
	if t, ok := l.Table(object); ok {
		return l.Find(t)
	}
	// A function is named with its argument types, "public.f(integer)"; the source knows
	// it by name.
	if name, _, ok := strings.Cut(object, "("); ok {
		return l.Find(name)
	}
	return Location{}, false
}

// Table returns the table object belongs to: the table of a column, a constraint, an index or
// an identity sequence defined in the source, else the longest prefix of the name that is a
// table the source defines ("public.users.nickname" belongs to "public.users" even when no
// nickname is written).
func (l *Locations) Table(object string) (string, bool) {
	if l == nil {
		return "", false
	}
	if t, ok := l.owner[object]; ok {
		return t, true
	}
	for i := len(object) - 1; i > 0; i-- {
		if object[i] == '.' && l.isTable(object[:i]) {
			return object[:i], true
		}
	}
	return "", false
}

func (l *Locations) isTable(name string) bool { return l.tables[name] }

// Directives returns the directives of the statements that define object (including a COMMENT
// ON it), in source order.
func (l *Locations) Directives(object string) []Directive {
	if l == nil {
		return nil
	}
	var out []Directive
	var seen []*Statement
	for _, d := range l.defs[object] {
		if !slices.Contains(seen, d.stmt) {
			seen = append(seen, d.stmt)
			out = append(out, d.stmt.Nolint...)
		}
	}
	return out
}

// AllDirectives returns every directive of the source, in order.
func (l *Locations) AllDirectives() []Directive {
	if l == nil {
		return nil
	}
	var out []Directive
	for _, s := range l.Statements {
		out = append(out, s.Nolint...)
	}
	return out
}

// Directives returns the -- sextant:nolint directives in sql, wherever they are (a plan
// statement carries its directive as a comment within its text). Lines count from 1 at the
// start of sql.
func Directives(sql string) []Directive {
	var out []Directive
	for _, t := range lex(sql) {
		if t.Kind != tComment {
			continue
		}
		if names, ok := parseDirective(t.Text); ok {
			out = append(out, Directive{Line: t.Line, Analyzers: names})
		}
	}
	return out
}

// parseDirective reads the text of a comment (without its delimiters). A directive is
// "sextant:nolint" at the start of the comment, then analyzer names separated by spaces or
// commas; "--" ends the list and starts a free-form reason.
func parseDirective(text string) ([]string, bool) {
	const word = "sextant:nolint"
	t := strings.TrimLeft(text, " \t\r\n")
	if !strings.HasPrefix(t, word) {
		return nil, false
	}
	rest := t[len(word):]
	if rest != "" && !isSpace(rest[0]) && rest[0] != ',' {
		return nil, false // sextant:nolintx is not the directive
	}
	names := []string{}
	for _, f := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r < utf8.RuneSelf && isSpace(byte(r)) }) {
		if strings.HasPrefix(f, "--") {
			break
		}
		if !slices.Contains(names, f) {
			names = append(names, f)
		}
	}
	return names, true
}

// ---------------------------------------------------------------------------------------
// Tokens: see package sqlscan.

type token = sqlscan.Token

const (
	tIdent   = sqlscan.Ident
	tQuoted  = sqlscan.Quoted
	tPunct   = sqlscan.Punct
	tComment = sqlscan.Comment
)

func lex(sql string) []token { return sqlscan.Lex(sql) }

func isSpace(c byte) bool { return sqlscan.IsSpace(c) }

// ---------------------------------------------------------------------------------------
// Statements.

func (l *Locations) scanFile(f File) {
	var (
		cur     []token     // the words of the statement being read
		nolint  []Directive // directives that belong to it
		pending []Directive // directives waiting for the next statement
		last    *Statement  // the previous statement, and the line its semicolon is on
		lastEnd int
		split   sqlscan.Splitter
	)
	finish := func() {
		if len(cur) == 0 {
			return
		}
		st := &Statement{File: f.Path, Line: cur[0].Line, Nolint: nolint}
		l.Statements = append(l.Statements, st)
		l.statement(st, cur)
		last, cur, nolint = st, nil, nil
	}
	for _, t := range lex(f.SQL) {
		switch split.Next(t) {
		case sqlscan.Skip:
			if t.Kind != tComment {
				continue // a semicolon that ends no statement
			}
			names, ok := parseDirective(t.Text)
			if !ok {
				continue
			}
			d := Directive{File: f.Path, Line: t.Line, Analyzers: names}
			switch {
			case len(cur) > 0:
				nolint = append(nolint, d)
			case last != nil && t.Line == lastEnd && len(pending) == 0:
				last.Nolint = append(last.Nolint, d)
			default:
				pending = append(pending, d)
			}
		case sqlscan.End:
			finish()
			lastEnd = t.Line
		case sqlscan.Word:
			if len(cur) == 0 {
				nolint, pending = pending, nil
			}
			cur = append(cur, t)
		}
	}
	finish()
}

// toks is a statement's tokens, without comments.
type toks []token

func (ts toks) kw(i int, w string) bool {
	return i < len(ts) && ts[i].Kind == tIdent && ts[i].Text == w
}

func (ts toks) punct(i int, p string) bool {
	return i < len(ts) && ts[i].Kind == tPunct && ts[i].Text == p
}

func (ts toks) ident(i int) bool {
	return i < len(ts) && (ts[i].Kind == tIdent || ts[i].Kind == tQuoted)
}

// skip advances i over the words ws when they all follow, e.g. IF NOT EXISTS.
func (ts toks) skip(i int, ws ...string) int {
	for k, w := range ws {
		if !ts.kw(i+k, w) {
			return i
		}
	}
	return i + len(ws)
}

// name reads a dotted name at i.
func (ts toks) name(i int) ([]string, int) {
	if !ts.ident(i) {
		return nil, i
	}
	parts := []string{ts[i].Text}
	i++
	for ts.punct(i, ".") && ts.ident(i+1) {
		parts = append(parts, ts[i+1].Text)
		i += 2
	}
	return parts, i
}

// group returns the tokens between the parenthesis at i and its match, split at the commas
// at their top level, and the index after the closing parenthesis.
func (ts toks) group(i int) ([]toks, int) {
	if !ts.punct(i, "(") {
		return nil, i
	}
	var out []toks
	depth, start := 0, i+1
	for j := i; j < len(ts); j++ {
		if ts[j].Kind != tPunct {
			continue
		}
		switch ts[j].Text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
			if depth == 0 {
				if j > start {
					out = append(out, ts[start:j])
				}
				return out, j + 1
			}
		case ",":
			if depth == 1 {
				out = append(out, ts[start:j])
				start = j + 1
			}
		}
	}
	if len(ts) > start {
		out = append(out, ts[start:])
	}
	return out, len(ts)
}

// split splits ts at the commas outside parentheses.
func (ts toks) split() []toks {
	var out []toks
	depth, start := 0, 0
	for j, t := range ts {
		if t.Kind != tPunct {
			continue
		}
		switch t.Text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case ",":
			if depth == 0 {
				out = append(out, ts[start:j])
				start = j + 1
			}
		}
	}
	return append(out, ts[start:])
}

// qualify names a relation, type or sequence: an unqualified name is in the search path's
// first schema; a three-part name drops its database.
func (l *Locations) qualify(parts []string) (schema, name string) {
	switch len(parts) {
	case 0:
		return "", ""
	case 1:
		return l.searchPath, parts[0]
	}
	return parts[len(parts)-2], parts[len(parts)-1]
}

func (l *Locations) define(st *Statement, object string, line int, r rank, table string) {
	if object == "" {
		return
	}
	l.defs[object] = append(l.defs[object], definition{stmt: st, line: line, rank: r})
	if r != comment && !slices.Contains(st.Objects, object) {
		st.Objects = append(st.Objects, object)
	}
	if table != "" {
		if _, ok := l.owner[object]; !ok {
			l.owner[object] = table
		}
	}
}

// namespace holds the names taken in one schema, which a generated name must avoid: relations
// (tables, indexes, sequences, views) and constraints.
type namespace struct{ relations, constraints map[string]bool }

func (l *Locations) ns(schema string) *namespace {
	n, ok := l.names[schema]
	if !ok {
		n = &namespace{relations: map[string]bool{}, constraints: map[string]bool{}}
		l.names[schema] = n
	}
	return n
}

// relation records a named table, index, sequence or view.
func (l *Locations) relation(st *Statement, schema, name string, line int, table string) {
	l.define(st, schema+"."+name, line, named, table)
	l.ns(schema).relations[name] = true
}

// constraint records a named constraint; a key's index takes the same name.
func (l *Locations) constraint(st *Statement, schema, tname, name string, line int, key bool) {
	table := schema + "." + tname
	l.define(st, table+"."+name, line, named, table)
	l.ns(schema).constraints[name] = true
	if key {
		l.ns(schema).relations[name] = true
	}
}

// generated is an object the server names: a serial's sequence, an unnamed constraint or
// index. Its name depends on the names taken before it, so it is chosen once the statement is
// read, in the order the server chooses them (step).
type generated struct {
	step         int
	schema, tbl  string // the table it belongs to
	name2, label string // the name is tbl_name2_label
	check        toks   // a check constraint's expression: name2 is the one column it reads
	line         int
	relation     bool // the name is a relation's (an index or a sequence)
	constraint   bool // the name is a constraint's
}

// The order in which the server names things: sequences while the statement is analysed,
// check constraints when the table is defined, then the indexes of keys and CREATE INDEX, then
// foreign keys.
const (
	stepSequence = iota
	stepCheck
	stepIndex
	stepForeignKey
)

func (l *Locations) generate(g generated) { l.pending = append(l.pending, g) }

// resolve names the generated objects of statement st.
func (l *Locations) resolve(st *Statement) {
	slices.SortStableFunc(l.pending, func(a, b generated) int { return a.step - b.step })
	for _, g := range l.pending {
		table := g.schema + "." + g.tbl
		if g.step == stepCheck {
			g.name2 = l.checkColumn(table, g.check)
		}
		ns := l.ns(g.schema)
		var name string
		for pass := 0; ; pass++ {
			label := g.label
			if pass > 0 {
				label += strconv.Itoa(pass)
			}
			name = makeName(g.tbl, g.name2, label)
			if !(g.relation && ns.relations[name]) && !(g.constraint && ns.constraints[name]) {
				break
			}
		}
		if g.relation {
			ns.relations[name] = true
		}
		if g.constraint {
			ns.constraints[name] = true
			l.define(st, table+"."+name, g.line, guessed, table)
		} else {
			l.define(st, g.schema+"."+name, g.line, guessed, table)
		}
	}
	l.pending = l.pending[:0]
}

// statement records what one statement defines.
func (l *Locations) statement(st *Statement, t toks) {
	switch {
	case t.kw(0, "create"):
		l.create(st, t)
	case t.kw(0, "alter") && t.kw(1, "table"):
		l.alterTable(st, t)
	case t.kw(0, "comment") && t.kw(1, "on"):
		l.comment(st, t)
	case t.kw(0, "set"):
		i := 1
		if t.kw(i, "session") || t.kw(i, "local") {
			i++
		}
		if t.kw(i, "search_path") && (t.kw(i+1, "to") || t.punct(i+1, "=")) {
			l.setSearchPath(t[i+2:])
		}
	case t.kw(0, "reset") && t.kw(1, "search_path"):
		l.searchPath = "public"
	}
	l.resolve(st)
}

// setSearchPath takes the first schema of a SET search_path value list.
func (l *Locations) setSearchPath(vals toks) {
	for _, v := range vals {
		switch {
		case v.Kind == tPunct:
			continue
		case v.Kind == tIdent && v.Text == "default":
			l.searchPath = "public"
		case v.Text == "$user" || v.Text == "":
			continue
		default:
			l.searchPath = v.Text
		}
		return
	}
}

func (l *Locations) create(st *Statement, t toks) {
	i := t.skip(1, "or", "replace")
	temp := false
	for t.kw(i, "global") || t.kw(i, "local") || t.kw(i, "temp") || t.kw(i, "temporary") || t.kw(i, "unlogged") {
		temp = temp || t[i].Text == "temp" || t[i].Text == "temporary"
		i++
	}
	simple := func(i int, relation bool) {
		i = t.skip(i, "if", "not", "exists")
		parts, _ := t.name(i)
		s, n := l.qualify(parts)
		switch {
		case n == "":
		case relation:
			l.relation(st, s, n, t[0].Line, "")
		default:
			l.define(st, s+"."+n, t[0].Line, named, "")
		}
	}
	switch {
	case temp:
		// Temporary objects are not part of a schema.
	case t.kw(i, "table"):
		l.createTable(st, t, i+1)
	case t.kw(i, "index") || t.kw(i, "unique") && t.kw(i+1, "index"):
		l.createIndex(st, t, i)
	case t.kw(i, "type"), t.kw(i, "domain"), t.kw(i, "collation"):
		simple(i+1, false)
	case t.kw(i, "trigger"), t.kw(i, "constraint") && t.kw(i+1, "trigger"):
		if t.kw(i, "constraint") {
			i++
		}
		l.onTable(st, t, i+1)
	case t.kw(i, "policy"):
		l.onTable(st, t, i+1)
	case t.kw(i, "event") && t.kw(i+1, "trigger"):
		// Event triggers are database-wide: named unqualified.
		if t.ident(i + 2) {
			l.define(st, t[i+2].Text, t[0].Line, named, "")
		}
	case t.kw(i, "sequence"), t.kw(i, "view"):
		simple(i+1, true)
	case t.kw(i, "recursive") && t.kw(i+1, "view"):
		simple(i+2, true)
	case t.kw(i, "function"), t.kw(i, "procedure"):
		simple(i+1, false)
	case t.kw(i, "materialized") && t.kw(i+1, "view"):
		simple(i+2, true)
	case t.kw(i, "schema"):
		i = t.skip(i+1, "if", "not", "exists")
		if t.kw(i, "authorization") {
			i++ // CREATE SCHEMA AUTHORIZATION role: the schema is named after the role
		}
		if t.ident(i) {
			l.define(st, t[i].Text, t[0].Line, named, "")
		}
	case t.kw(i, "extension"):
		i = t.skip(i+1, "if", "not", "exists")
		if t.ident(i) {
			l.define(st, t[i].Text, t[0].Line, named, "")
		}
	}
}

// onTable records a trigger or policy, "name … ON table": objects that live on a table are
// named table.name. The first ON after the name is the table's: the events and timing between
// them (BEFORE UPDATE OF a, b) are keywords and column names, and a column named "on" would
// have to be quoted.
func (l *Locations) onTable(st *Statement, t toks, i int) {
	if !t.ident(i) {
		return
	}
	name := t[i].Text
	for j := i + 1; j < len(t); j++ {
		if !t.kw(j, "on") {
			continue
		}
		parts, _ := t.name(j + 1)
		if s, n := l.qualify(parts); n != "" {
			table := s + "." + n
			l.define(st, table+"."+name, t[0].Line, named, table)
		}
		return
	}
}

func (l *Locations) createTable(st *Statement, t toks, i int) {
	i = t.skip(i, "if", "not", "exists")
	parts, i := t.name(i)
	s, n := l.qualify(parts)
	if n == "" {
		return
	}
	table := s + "." + n
	l.relation(st, s, n, t[0].Line, "")
	l.tables[table] = true
	elems, _ := t.group(i)
	for _, el := range elems {
		switch {
		case isTableConstraint(el):
			l.tableConstraint(st, s, n, el)
		case !el.kw(0, "like"):
			l.column(st, s, n, el)
		}
	}
}

func isTableConstraint(el toks) bool {
	for _, w := range []string{"constraint", "primary", "unique", "check", "foreign", "exclude"} {
		if el.kw(0, w) {
			return true
		}
	}
	return false
}

var serialTypes = []string{"serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"}

// column records a column definition (a CREATE TABLE element or ALTER TABLE … ADD COLUMN) and
// the constraints written on it.
func (l *Locations) column(st *Statement, schema, tname string, el toks) {
	if !el.ident(0) {
		return
	}
	table := schema + "." + tname
	col := el[0].Text
	l.define(st, table+"."+col, el[0].Line, named, table)
	l.cols[table] = append(l.cols[table], col)
	if len(el) > 1 && el[1].Kind == tIdent && slices.Contains(serialTypes, el[1].Text) {
		l.generate(generated{step: stepSequence, schema: schema, tbl: tname, name2: col, label: "seq", line: el[1].Line, relation: true})
	}
	var cname string // the name a CONSTRAINT clause gives the constraint that follows
	cline := 0
	add := func(i int, g generated) {
		if cname != "" {
			l.constraint(st, schema, tname, cname, cline, g.relation)
			cname = ""
			return
		}
		g.schema, g.tbl, g.line, g.constraint = schema, tname, el[i].Line, true
		l.generate(g)
	}
	depth := 0
	for i := 1; i < len(el); i++ {
		if el[i].Kind == tPunct {
			switch el[i].Text {
			case "(", "[":
				depth++
			case ")", "]":
				depth--
			}
			continue
		}
		if depth > 0 || el[i].Kind != tIdent {
			continue
		}
		switch el[i].Text {
		case "constraint":
			if el.ident(i + 1) {
				cname, cline = el[i+1].Text, el[i].Line
				i++
			}
		case "primary":
			add(i, generated{step: stepIndex, label: "pkey", relation: true})
		case "unique":
			add(i, generated{step: stepIndex, name2: col, label: "key", relation: true})
		case "references":
			add(i, generated{step: stepForeignKey, name2: col, label: "fkey"})
		case "check":
			expr, _ := el.group(i + 1)
			add(i, generated{step: stepCheck, label: "check", check: flatten(expr)})
		case "identity":
			l.generate(generated{step: stepSequence, schema: schema, tbl: tname, name2: col, label: "seq", line: el[i].Line, relation: true})
			cname = ""
		case "not", "null", "default", "generated", "collate":
			cname = ""
		}
	}
}

// tableConstraint records a table constraint (a CREATE TABLE element or ALTER TABLE … ADD).
func (l *Locations) tableConstraint(st *Statement, schema, tname string, el toks) {
	line := el[0].Line
	if el.kw(0, "constraint") {
		if el.ident(1) {
			l.constraint(st, schema, tname, el[1].Text, line, el.kw(2, "primary") || el.kw(2, "unique") || el.kw(2, "exclude"))
		}
		return
	}
	g := generated{schema: schema, tbl: tname, line: line, constraint: true}
	switch {
	case el.kw(0, "primary"):
		g.step, g.label, g.relation = stepIndex, "pkey", true
	case el.kw(0, "unique"):
		i := el.skip(1, "nulls", "not", "distinct")
		i = el.skip(i, "nulls", "distinct")
		cols, _ := el.group(i)
		g.step, g.name2, g.label, g.relation = stepIndex, indexColumnNames(cols), "key", true
	case el.kw(0, "exclude"):
		i := 1
		if el.kw(i, "using") {
			i += 2
		}
		cols, _ := el.group(i)
		g.step, g.name2, g.label, g.relation = stepIndex, indexColumnNames(cols), "excl", true
	case el.kw(0, "foreign") && el.kw(1, "key"):
		cols, _ := el.group(2)
		names := make([]string, 0, len(cols))
		for _, c := range cols {
			if c.ident(0) {
				names = append(names, c[0].Text)
			}
		}
		g.step, g.name2, g.label = stepForeignKey, strings.Join(names, "_"), "fkey"
	case el.kw(0, "check"):
		expr, _ := el.group(1)
		g.step, g.label, g.check = stepCheck, "check", flatten(expr)
	default:
		return
	}
	l.generate(g)
}

// checkColumn is the column an unnamed check constraint is named after: the one column its
// expression reads, none when it reads several (the server names it table_check then).
func (l *Locations) checkColumn(table string, expr toks) string {
	var used []string
	for i, t := range expr {
		if !expr.ident(i) || expr.punct(i+1, "(") || i > 0 && (expr.punct(i-1, ".") || expr.punct(i-1, ":")) {
			continue
		}
		if slices.Contains(l.cols[table], t.Text) && !slices.Contains(used, t.Text) {
			used = append(used, t.Text)
		}
	}
	if len(used) == 1 {
		return used[0]
	}
	return ""
}

func flatten(groups []toks) toks {
	var out toks
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// indexColumnNames joins the names of an index's columns the way the server does when it
// names the index: a column is its name, a function call the function's name, a cast what it
// casts, another expression "expr"; a repeated name gets a number.
func indexColumnNames(cols []toks) string {
	names := make([]string, 0, len(cols))
	for _, c := range cols {
		name := "expr"
		e := c
		if e.punct(0, "(") {
			inner, _ := e.group(0)
			if len(inner) == 1 {
				e = inner[0]
			}
		}
		switch {
		case e.kw(0, "case"):
			name = "case"
		case e.ident(0) && e.punct(1, "("):
			name = e[0].Text
		case e.ident(0) && e.punct(1, ".") && e.ident(2) && e.punct(3, "("):
			name = e[2].Text // schema.function(…)
		case e.ident(0) && (len(e) == 1 || e.ident(1) || e.punct(1, ":")):
			name = e[0].Text
		}
		base := name
		for n := 1; slices.Contains(names, name); n++ {
			name = base + strconv.Itoa(n)
		}
		names = append(names, name)
	}
	return strings.Join(names, "_")
}

// makeName builds a name the way the server's makeObjectName does: name1_name2_label, cut to
// 63 bytes by shortening the longer of the two names first.
func makeName(name1, name2, label string) string {
	const maxLen = 63
	n1, n2 := len(name1), len(name2)
	overhead := 0
	if name2 != "" {
		overhead++
	}
	if label != "" {
		overhead += len(label) + 1
	}
	for avail := maxLen - overhead; n1+n2 > avail; {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	s := clip(name1, n1)
	if name2 != "" {
		s += "_" + clip(name2, n2)
	}
	if label != "" {
		s += "_" + label
	}
	return s
}

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func (l *Locations) createIndex(st *Statement, t toks, i int) {
	if t.kw(i, "unique") {
		i++
	}
	i++ // INDEX
	i = t.skip(i, "concurrently")
	i = t.skip(i, "if", "not", "exists")
	var name string
	if !t.kw(i, "on") && t.ident(i) {
		name = t[i].Text
		i++
	}
	if !t.kw(i, "on") {
		return
	}
	i = t.skip(i+1, "only")
	parts, i := t.name(i)
	s, n := l.qualify(parts)
	if n == "" {
		return
	}
	// An index lives in its table's schema.
	if name != "" {
		l.relation(st, s, name, t[0].Line, s+"."+n)
		return
	}
	if t.kw(i, "using") {
		i += 2
	}
	cols, i := t.group(i)
	if t.kw(i, "include") {
		inc, _ := t.group(i + 1)
		cols = append(cols, inc...)
	}
	l.generate(generated{step: stepIndex, schema: s, tbl: n, name2: indexColumnNames(cols), label: "idx", line: t[0].Line, relation: true})
}

func (l *Locations) alterTable(st *Statement, t toks) {
	i := t.skip(2, "if", "exists")
	i = t.skip(i, "only")
	parts, i := t.name(i)
	s, n := l.qualify(parts)
	if n == "" {
		return
	}
	if t.punct(i, "*") {
		i++
	}
	for _, action := range t[i:].split() {
		if !action.kw(0, "add") {
			continue
		}
		el := action[1:]
		if isTableConstraint(el) {
			l.tableConstraint(st, s, n, el)
			continue
		}
		j := el.skip(0, "column")
		j = el.skip(j, "if", "not", "exists")
		l.column(st, s, n, el[j:])
	}
}

func (l *Locations) comment(st *Statement, t toks) {
	i := 2
	line := t[0].Line
	switch {
	case t.kw(i, "table"), t.kw(i, "view"), t.kw(i, "sequence"), t.kw(i, "type"), t.kw(i, "domain"), t.kw(i, "index"):
		parts, _ := t.name(i + 1)
		if s, n := l.qualify(parts); n != "" {
			l.define(st, s+"."+n, line, comment, "")
		}
	case t.kw(i, "materialized") && t.kw(i+1, "view"):
		parts, _ := t.name(i + 2)
		if s, n := l.qualify(parts); n != "" {
			l.define(st, s+"."+n, line, comment, "")
		}
	case t.kw(i, "column"):
		parts, _ := t.name(i + 1)
		if len(parts) < 2 {
			return
		}
		s, n := l.qualify(parts[:len(parts)-1])
		table := s + "." + n
		l.define(st, table+"."+parts[len(parts)-1], line, comment, table)
	case t.kw(i, "constraint") && t.ident(i+1) && t.kw(i+2, "on") && !t.kw(i+3, "domain"):
		parts, _ := t.name(i + 3)
		if s, n := l.qualify(parts); n != "" {
			table := s + "." + n
			l.define(st, table+"."+t[i+1].Text, line, comment, table)
		}
	case t.kw(i, "schema"), t.kw(i, "extension"):
		if t.ident(i + 1) {
			l.define(st, t[i+1].Text, line, comment, "")
		}
	}
}
