package report

import (
	"embed"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

// The pull-request comment.
//
// The runner posts one comment per schema on a pull request and keeps it up to date (see
// internal/ci): it finds its comment again by the hidden marker on the first line, so the
// marker must stay exactly as Marker writes it. The comment is Markdown as GitHub and
// GitLab render it, written from the templates in templates/; everything that comes from
// the plan (names, SQL, messages) is escaped here, in Go, before the templates see it, so
// the templates only arrange text.
//
// Platforms cap the size of a comment (GitHub at 65,536 characters). A comment that would
// be longer is shortened in steps, most expendable first, until it fits: the SQL is cut at a
// statement boundary with a pointer to the full plan; then the diagram goes; then the tables
// and lists keep fewer rows. Only when all of that is not enough is the text cut at the end
// of a paragraph, with the same pointer.

// DefaultCommentLimit is the size Markdown keeps a comment under when given no limit: a
// margin below GitHub's 65,536 characters, counted in bytes, which are never fewer.
const DefaultCommentLimit = 65000

//go:embed templates/*.md.tmpl
var templateFS embed.FS

var commentTemplate = template.Must(template.New("comment").ParseFS(templateFS, "templates/*.md.tmpl"))

// Marker is the hidden HTML comment that identifies the sticky comment of a schema on a pull
// request: <!-- sextant:plan NAME -->. Line breaks and a "-->" in the name, which would end
// the HTML comment early, are replaced.
func Marker(schemaName string) string {
	name := strings.Join(strings.Fields(schemaName), " ")
	name = strings.ReplaceAll(name, "-->", "--&gt;")
	return "<!-- sextant:plan " + name + " -->"
}

// DigestMarker is the hidden HTML comment that records the digest of the plan a comment
// shows: what reviewers saw, and so what the approval on merge may bind (ShownDigest).
func DigestMarker(digest string) string { return "<!-- sextant:digest " + digest + " -->" }

var digestMarkerRE = regexp.MustCompile(`(?m)^<!-- sextant:digest (sha256:[0-9a-f]{64}) -->$`)

// ShownDigest returns the digest a comment body shows, from its DigestMarker; false when it
// shows none (no plan, or not a Sextant comment) or more than one.
func ShownDigest(body string) (string, bool) {
	m := digestMarkerRE.FindAllStringSubmatch(strings.ReplaceAll(body, "\r\n", "\n"), -1)
	if len(m) != 1 {
		return "", false
	}
	return m[0][1], true
}

// Comment is everything the pull-request comment of one schema shows.
type Comment struct {
	// Schema is the schema's name in the project (sextant.yaml).
	Schema string
	// Plan is the plan; nil or empty when the pull request does not change the schema, which
	// is also how a comment is resolved once a pull request stops changing it.
	Plan *plan.Plan
	// Header names the stored plan: name, status, who made it, when and where.
	Header plan.Header
	// Lint is the plan's lint result; nil when it was not linted.
	Lint *lint.Result
	// Rehearsal is what happened when the plan ran on a dev database; nil when it did not.
	Rehearsal *lint.Rehearsal
	// From and To are the states before and after the plan, for the change details and the
	// diagram; either may be nil (a plan read back from a file), which leaves those out.
	From, To *schema.Realm
	// Stale, when not empty, explains that the plan is stale (the base moved on) and what to
	// do about it; it is shown as a warning at the top.
	Stale string
	// PlanURL links to the whole plan (the CI job's log or artifact, the registry), for when
	// the comment is too long to hold all of its SQL.
	PlanURL string
	// Commands are the commands the comment suggests for editing and approving the plan.
	Commands CommentCommands
}

// CommentCommands are the command lines a comment shows; an empty one is left out.
type CommentCommands struct {
	Show    string // prints the whole plan, where a shortened comment points without a PlanURL
	Pull    string // writes it to a file to edit: sextant schema plan pull NAME --out FILE
	Push    string // stores the edited file back: sextant schema plan push FILE
	Approve string // approves it: sextant schema plan approve NAME
}

// PlanCommands returns the commands for the plan called name, as docs/workflow.md documents
// them. extra (e.g. "--schema app") is added to each, for a project with several schemas.
func PlanCommands(name string, extra ...string) CommentCommands {
	file := name + ".sql"
	cmd := func(args ...string) string {
		return strings.Join(append(append([]string{"sextant", "schema", "plan"}, args...), extra...), " ")
	}
	return CommentCommands{
		Show:    cmd("show", name),
		Pull:    cmd("pull", name, "--out", file),
		Push:    cmd("push", file),
		Approve: cmd("approve", name),
	}
}

// Markdown renders the comment, at most limit bytes long (DefaultCommentLimit when limit
// is 0 or less). It fails only when limit cannot hold even the comment's marker and a note
// that the rest is cut.
func (c *Comment) Markdown(limit int) (string, error) {
	if limit <= 0 {
		limit = DefaultCommentLimit
	}
	p := c.page()
	l := layout{sql: len(p.statements), diagram: true, rows: -1}
	withSQL := func(l layout) func(int) (string, error) {
		return func(n int) (string, error) { l.sql = n; return p.render(l) }
	}
	// First the SQL goes, statement by statement from the end: the full plan is a link away.
	s, n, err := most(l.sql, limit, withSQL(l))
	if err != nil || n >= 0 {
		return s, err
	}
	// Then the diagram, which only restates the change list; the SQL may come back.
	l.diagram = false
	if s, n, err = most(l.sql, limit, withSQL(l)); err != nil || n >= 0 {
		return s, err
	}
	// Then rows of the tables and lists (changes, findings, effects), as few as need be;
	// what room is left goes to the SQL again.
	l.sql = 0
	rows := func(n int) (string, error) { l := l; l.rows = n; return p.render(l) }
	if s, n, err = most(p.maxRows(), limit, rows); err != nil {
		return "", err
	}
	if n >= 0 {
		l.rows = n
		s, _, err = most(len(p.statements), limit, withSQL(l))
		return s, err
	}
	return p.cut(s, limit)
}

// most finds the largest n from 0 to hi whose rendering fits in limit, assuming that a
// rendering grows with n. It returns that rendering and n, or the rendering of 0 and -1
// when none fits.
func most(hi, limit int, render func(int) (string, error)) (string, int, error) {
	s, err := render(hi)
	if err != nil || len(s) <= limit {
		return s, hi, err
	}
	best, n := "", -1
	for lo, up := 0, hi-1; lo <= up; {
		mid := (lo + up) / 2
		s, err := render(mid)
		if err != nil {
			return "", -1, err
		}
		if len(s) <= limit {
			best, n, lo = s, mid, mid+1
		} else {
			up = mid - 1
		}
	}
	if n < 0 {
		best, err = render(0)
	}
	return best, n, err
}

// layout is how much of the comment's content a rendering shows.
type layout struct {
	sql     int  // how many statements of the SQL
	diagram bool // whether the diagram is drawn
	rows    int  // how many rows each table and list keeps; -1 for all
}

// page is what the templates see. Every string is Markdown, escaped where it came from the
// plan. Built with everything in it, it is cut to a layout before each rendering.
type page struct {
	Marker, Schema, Badge string
	Callouts              []callout
	Empty                 bool
	EmptyText             string
	Summary               string

	Counts      string
	Changes     []changeRow
	ChangesMore int
	Handwritten int

	Diagram     string
	DiagramNote string

	SQLSummary string
	SQL        string
	SQLMore    string
	Fence      string

	Linted     bool
	LintCounts string
	LintRows   []lintRow
	LintMore   int

	Effects     []effectRow
	EffectsMore int

	Rehearsal *rehearsalView
	Footer    footerView

	statements     []string // each statement as the SQL block shows it
	diagramOmitted int      // tables the diagram leaves out to stay readable
	planURL, show  string   // where the full plan is
}

type callout struct {
	Kind  string // GitHub's alert type: WARNING, CAUTION
	Lines []string
}

type changeRow struct {
	Verb, Object, Detail string
}

type lintRow struct {
	Severity, Analyzer, Statement, Reason string
}

type effectRow struct {
	N, Statement, Locks, Rewrites, Scans string
}

type rehearsalView struct {
	Verdict   string   // a sentence or two
	Statement string   // the failing statement, for a sql block
	Error     string   // the server's error, for a text block
	Remaining []string // what still differs, as list items
	More      int      // items left out of Remaining
	Fence     string   // for the two code blocks
}

type footerView struct {
	Line       string // "Plan `pr-42-…` · PENDING · `sha256:1a2b…` → `sha256:9f8e…` · created by … at …"
	From, To   string // the full fingerprints, as code
	Digest     string // the plan's full digest, as code: what an approval binds
	Pull, Push string
	Approve    string
}

// render writes the page cut to l.
func (p *page) render(l layout) (string, error) {
	v := *p
	v.Changes, v.ChangesMore = capRows(p.Changes, l.rows)
	v.LintRows, v.LintMore = capRows(p.LintRows, l.rows)
	v.Effects, v.EffectsMore = capRows(p.Effects, l.rows)
	if p.Rehearsal != nil {
		r := *p.Rehearsal
		var more int
		r.Remaining, more = capRows(r.Remaining, l.rows)
		r.More += more
		v.Rehearsal = &r
	}
	switch {
	case p.Diagram == "":
	case !l.diagram:
		v.Diagram = ""
		v.DiagramNote = "The diagram is left out: the comment would be too long with it."
	case p.diagramOmitted > 0:
		v.DiagramNote = fmt.Sprintf("%s not shown: the diagram keeps to %d.", plan.Count(p.diagramOmitted, "more table"), maxEntities)
	}
	v.SQL = strings.Join(p.statements[:l.sql], "\n")
	if n := len(p.statements) - l.sql; n > 0 {
		v.SQLMore = p.pointer("… " + plan.Count(n, "more statement"))
	}
	var b strings.Builder
	if err := commentTemplate.ExecuteTemplate(&b, "comment.md.tmpl", &v); err != nil {
		return "", fmt.Errorf("render comment: %w", err)
	}
	return b.String(), nil
}

// maxRows is the length of the longest table or list.
func (p *page) maxRows() int {
	n := max(len(p.Changes), len(p.LintRows), len(p.Effects))
	if p.Rehearsal != nil {
		n = max(n, len(p.Rehearsal.Remaining))
	}
	return n
}

func capRows[T any](rows []T, n int) ([]T, int) {
	if n < 0 || len(rows) <= n {
		return rows, 0
	}
	return rows[:n], len(rows) - n
}

// pointer points from a shortened comment to the whole plan.
func (p *page) pointer(what string) string {
	switch {
	case p.planURL != "":
		return what + ": see the full plan at " + p.planURL
	case p.show != "":
		return what + ": see the full plan with " + inlineCode(p.show)
	}
	return what + "."
}

// cut is the last resort: s cut at the end of a paragraph (or a line) so that it fits, the
// code block or folded section left open closed again, then the pointer to the full plan.
func (p *page) cut(s string, limit int) (string, error) {
	note := "\n" + p.pointer("… the comment is too long to show in full") + "\n"
	const details = "</details>\n"
	reserve := len(note) + max(len(p.Fence), 3) + 1 + len(details)
	if len(p.Marker)+1+reserve > limit {
		return "", fmt.Errorf("a comment limit of %d bytes cannot hold the comment's marker and a note that it is cut", limit)
	}
	s = s[:limit-reserve]
	if i := strings.LastIndex(s, "\n\n"); i > len(p.Marker) {
		s = s[:i+1]
	} else {
		s = s[:strings.LastIndexByte(s, '\n')+1]
	}
	if fence := openFence(s); fence != "" {
		s += fence + "\n"
	}
	// Folded sections are never nested: at most one is open.
	if strings.Count(s, "<details") > strings.Count(s, "</details>") {
		s += details
	}
	return s + note, nil
}

// openFence returns the fence of the code block left open at the end of s, or "".
func openFence(s string) string {
	fence := ""
	for _, line := range strings.Split(s, "\n") {
		switch {
		case fence == "" && strings.HasPrefix(line, "```"):
			fence = line[:len(line)-len(strings.TrimLeft(line, "`"))]
		case fence != "" && strings.TrimSpace(line) == fence:
			fence = ""
		}
	}
	return fence
}

// page gathers and escapes the comment's content.
func (c *Comment) page() *page {
	p := c.Plan
	if p == nil {
		p = &plan.Plan{}
	}
	marker := Marker(c.Schema)
	if !p.Empty() {
		// On the marker's line, so that no cut of a long comment ever drops it.
		marker += "\n" + DigestMarker(p.Digest())
	}
	v := &page{
		Marker:  marker,
		Schema:  inlineCode(c.Schema),
		Badge:   string(c.Header.Status),
		Empty:   p.Empty(),
		Footer:  c.footer(p),
		planURL: oneLine(c.PlanURL),
		show:    c.Commands.Show,
	}
	if v.Empty {
		v.Badge = "NO CHANGES"
	}
	if c.Stale != "" {
		v.Callouts = append(v.Callouts, callout{Kind: "WARNING", Lines: markdownLines(c.Stale)})
		if v.Badge != "" {
			v.Badge += " (stale)"
		}
	}
	if c.Lint != nil {
		v.Linted = true
		v.LintCounts = summary(c.Lint.Counts())
		v.LintRows = lintRows(p, c.Lint)
	}
	if stop := stops(c.Lint, c.Rehearsal, v.Empty); len(stop) > 0 {
		v.Callouts = append(v.Callouts, callout{Kind: "CAUTION", Lines: stop})
	}
	if v.Empty {
		v.EmptyText = "No schema changes: this pull request leaves " + v.Schema + " as it is."
		if p.From != "" {
			v.EmptyText = "No schema changes: this pull request leaves " + v.Schema + " as it is (" + inlineCode(shortFingerprint(p.From)) + ")."
		}
		return v
	}

	v.SQLSummary = plan.Count(len(p.Statements), "statement")
	if txs := p.Transactions(); len(txs) > 1 {
		v.SQLSummary += " in " + plan.Count(len(txs), "transaction")
	}
	lintWord := "not linted"
	if c.Lint != nil {
		lintWord = "lint: " + v.LintCounts
	}
	v.Summary = strings.Join([]string{"**" + v.SQLSummary + "**", lintWord, "rehearsal: " + rehearsalWord(c.Rehearsal)}, " · ")
	v.Changes, v.Counts, v.Handwritten = changeRows(p)
	if c.From != nil || c.To != nil {
		v.Diagram, v.diagramOmitted = erDiagram(c.From, c.To, planMarks(p, c.From, c.To))
	}
	v.statements, v.Fence = sqlStatements(p)
	if c.Rehearsal != nil {
		v.Effects = effectRows(p, c.Rehearsal.Effects)
		v.Rehearsal = rehearsal(p, c.Rehearsal)
	}
	return v
}

// stops says what stops the plan from being applied, as the lines of one alert under the
// title: lint errors, and a rehearsal that failed or did not converge.
func stops(res *lint.Result, r *lint.Rehearsal, empty bool) []string {
	var out []string
	add := func(s string) {
		if len(out) > 0 {
			out = append(out, "") // a paragraph break inside the alert
		}
		out = append(out, s)
	}
	if res != nil && res.HasErrors() {
		add("Lint reports " + plan.Count(res.Counts().Errors, "error") + " (see below). The plan check fails until the change is made the safe way, " +
			"or the finding is silenced with a `-- sextant:nolint <analyzer>` comment where the hazard is intended.")
	}
	switch {
	case r == nil || empty || r.Converged():
	case r.Failed >= 0:
		add("Statement " + strconv.Itoa(r.Failed+1) + " failed on a dev database (see below): the plan cannot be applied as it is.")
	default:
		add("The plan did not reach the desired state on a dev database (see below): it cannot be applied as it is.")
	}
	return out
}

func rehearsalWord(r *lint.Rehearsal) string {
	switch {
	case r == nil:
		return "not rehearsed"
	case r.Failed >= 0:
		return "failed at statement " + strconv.Itoa(r.Failed+1)
	case len(r.Remaining) > 0:
		return "did not converge"
	}
	return "converged"
}

// sqlStatements renders each statement as the SQL block shows it: numbered like the lint and
// effects tables, named by its change like in a plan file, and inside BEGIN and COMMIT
// when the plan has several transactions. The fence is longer than any run of backticks in
// the SQL, so no statement can end the code block.
func sqlStatements(p *plan.Plan) ([]string, string) {
	txs := p.Transactions()
	var out []string
	longest := 0
	i := 0
	for _, tx := range txs {
		for j, s := range tx {
			var b strings.Builder
			if len(txs) > 1 && j == 0 {
				b.WriteString("BEGIN;\n\n")
			}
			b.WriteString("-- " + strconv.Itoa(i+1))
			if s.Kind != "" {
				b.WriteString(": " + s.Kind)
				if s.Object != "" {
					b.WriteString(" " + oneLine(s.Object))
				}
			}
			b.WriteString("\n" + s.SQL)
			if lines := strings.Split(s.SQL, "\n"); strings.Contains(lines[len(lines)-1], "--") {
				b.WriteString("\n") // the semicolon would be part of a line comment
			}
			b.WriteString(";\n")
			if len(txs) > 1 && j == len(tx)-1 {
				b.WriteString("\nCOMMIT;\n")
			}
			longest = max(longest, longestRun(s.SQL, '`'))
			out = append(out, b.String())
			i++
		}
	}
	return out, strings.Repeat("`", max(3, longest+1))
}

// changeRows lists what the plan changes, one row per object, in plan order, and counts the
// objects added, changed and dropped. Statements without a change kind (written by hand
// into an edited plan) are counted apart.
func changeRows(p *plan.Plan) ([]changeRow, string, int) {
	type entry struct {
		noun, object string
		verbs        map[string]bool
		details      []string
	}
	var order []*entry
	byKey := map[string]*entry{}
	seen := map[diff.Change]bool{}
	handwritten := 0
	for _, s := range p.Statements {
		if s.Kind == "" {
			handwritten++
			continue
		}
		if s.Change != nil {
			if seen[s.Change] {
				continue
			}
			seen[s.Change] = true
		}
		verb, noun, ok := describeKind(s.Kind)
		if !ok {
			continue
		}
		key := noun + "\x00" + s.Object
		e := byKey[key]
		if e == nil {
			e = &entry{noun: noun, object: s.Object, verbs: map[string]bool{}}
			byKey[key] = e
			order = append(order, e)
		}
		if s.Change == nil && e.verbs[verb] {
			continue // another statement of the same change, in a plan read from a file
		}
		e.verbs[verb] = true
		if s.Change != nil {
			n, detail := changeDetail(s.Change)
			if n != "" {
				e.noun = n
			}
			if detail != "" && !slices.Contains(e.details, detail) {
				e.details = append(e.details, detail)
			}
		}
	}
	var rows []changeRow
	n := map[string]int{}
	for _, e := range order {
		verb := markChanged
		switch {
		case e.verbs[markAdded] && e.verbs[markDropped]:
			e.details = append([]string{"replaced"}, e.details...)
		case len(e.verbs) == 1 && e.verbs[markAdded]:
			verb = markAdded
		case len(e.verbs) == 1 && e.verbs[markDropped]:
			verb = markDropped
		}
		n[verb]++
		rows = append(rows, changeRow{Verb: verb, Object: cellRaw(e.noun + " " + inlineCode(e.object)), Detail: cellRaw(strings.Join(e.details, "; "))})
	}
	counts := fmt.Sprintf("%d added, %d changed, %d dropped", n[markAdded], n[markChanged], n[markDropped])
	return rows, counts, handwritten
}

// describeKind reads a change kind: whether the change adds, changes or drops its object,
// and what kind of object that is. Kinds that only finish another change (the old type of a
// recreated one going away) are not listed.
func describeKind(kind string) (verb, noun string, ok bool) {
	switch {
	case strings.HasPrefix(kind, "drop-replaced-"):
		return "", "", false
	case kind == "add-enum-value":
		return markChanged, "enum", true
	case kind == "drop-identity", kind == "drop-default":
		return markChanged, "column", true
	case kind == "set-sequence-owner":
		return markChanged, "sequence", true
	case kind == "modify-row-security":
		return markChanged, "table", true
	case strings.HasSuffix(kind, "-event-trigger"):
		verb, _, _ := describeKind(strings.TrimSuffix(kind, "-event-trigger") + "-trigger")
		return verb, "event trigger", true
	}
	op, noun, found := strings.Cut(kind, "-")
	if !found {
		return markChanged, kind, true
	}
	switch op {
	case "add":
		return markAdded, noun, true
	case "drop":
		return markDropped, noun, true
	}
	return markChanged, noun, true
}

// changeDetail says more about a typed change than its kind: a better name for the kind
// of object, and what changes about it.
func changeDetail(c diff.Change) (noun, detail string) {
	switch c := c.(type) {
	case *diff.AddTable:
		return tableDetail(c.T)
	case *diff.DropTable:
		return tableDetail(c.T)
	case *diff.DetachPartition:
		return "", "detached from " + inlineCode(c.T.PartitionOf)
	case *diff.AttachPartition:
		return "", "attached to " + inlineCode(c.T.PartitionOf) + " " + inlineCode(c.T.Bound)
	case *diff.AddColumn:
		return "", inlineCode(c.C.Type)
	case *diff.ModifyColumn:
		return "", strings.Join(columnDiff(c.From, c.To), ", ")
	case *diff.DropIdentity:
		return "", "identity dropped"
	case *diff.AddEnumValue:
		return "", "value " + inlineCode("'"+c.Value+"'") + " added"
	case *diff.RecreateType:
		return "", "recreated; " + plan.Count(len(c.Columns), "column") + " converted"
	case *diff.AddConstraint:
		return constraintNoun(c.C), constraintDetail(c.C)
	case *diff.DropConstraint:
		return constraintNoun(c.C), ""
	case *diff.ValidateConstraint:
		return constraintNoun(c.C), "validated"
	case *diff.CommentConstraint:
		return constraintNoun(c.C), "comment"
	case *diff.AddIndex:
		if c.I.Unique {
			return "unique index", ""
		}
	case *diff.CommentIndex:
		return "", "comment"
	case *diff.AddView:
		return viewNoun(c.V), ""
	case *diff.DropView:
		return viewNoun(c.V), ""
	case *diff.RecreateView:
		return viewNoun(c.To), "recreated"
	case *diff.ReplaceView:
		return "", "query replaced in place"
	case *diff.ModifyView:
		return viewNoun(c.To), ""
	case *diff.AddFunction:
		return functionNoun(c.F), ""
	case *diff.DropFunction:
		return functionNoun(c.F), ""
	case *diff.RecreateFunction:
		return functionNoun(c.To), "recreated"
	case *diff.ReplaceFunction:
		return functionNoun(c.To), "replaced in place"
	case *diff.ModifyFunction:
		return functionNoun(c.To), "comment"
	case *diff.DropDefault:
		return "", "default dropped while the function it calls is replaced"
	case *diff.SetRowSecurity:
		return "", rowSecurityDetail(c.To)
	case *diff.ModifyTrigger, *diff.ModifyEventTrigger:
		return "", "firing state or comment"
	case *diff.ModifyTable:
		var parts []string
		if c.From.Unlogged != c.To.Unlogged {
			parts = append(parts, map[bool]string{true: "unlogged", false: "logged"}[c.To.Unlogged])
		}
		if !slices.Equal(c.From.Options, c.To.Options) {
			parts = append(parts, "storage parameters")
		}
		if c.From.Comment != c.To.Comment {
			parts = append(parts, "comment")
		}
		return "", strings.Join(parts, ", ")
	}
	return "", ""
}

func rowSecurityDetail(t *schema.Table) string {
	switch {
	case t.RowSecurity && t.ForceRowSecurity:
		return "row level security enabled and forced"
	case t.RowSecurity:
		return "row level security enabled"
	case t.ForceRowSecurity:
		return "row level security forced (not enabled)"
	}
	return "row level security disabled"
}

func viewNoun(v *schema.View) string {
	if v.Materialized {
		return "materialized view"
	}
	return "view"
}

func functionNoun(f *schema.Function) string {
	if f.Procedure {
		return "procedure"
	}
	return "function"
}

func constraintNoun(c *schema.Constraint) string {
	switch c.Kind {
	case schema.PrimaryKey:
		return "primary key"
	case schema.ForeignKey:
		return "foreign key"
	case schema.Unique:
		return "unique constraint"
	case schema.Check:
		return "check"
	case schema.Exclusion:
		return "exclusion constraint"
	}
	return "constraint"
}

func constraintDetail(c *schema.Constraint) string {
	var parts []string
	if c.Kind == schema.ForeignKey && c.RefTable != "" {
		parts = append(parts, "→ "+inlineCode(c.RefSchema+"."+c.RefTable))
	}
	if c.NotValid {
		parts = append(parts, "NOT VALID")
	}
	return strings.Join(parts, ", ")
}

// columnDiff lists what differs between two versions of a column, briefly.
func columnDiff(from, to *schema.Column) []string {
	var out []string
	if from.Type != to.Type {
		out = append(out, "type "+inlineCode(from.Type)+" → "+inlineCode(to.Type))
	}
	switch {
	case !from.NotNull && to.NotNull:
		out = append(out, "NOT NULL")
	case from.NotNull && !to.NotNull:
		out = append(out, "nullable")
	}
	for _, f := range []struct {
		what     string
		from, to bool
		differ   bool
	}{
		{"default", from.Default != "", to.Default != "", from.Default != to.Default},
		{"generated", from.Generated != "", to.Generated != "", from.Generated != to.Generated},
		{"identity", from.Identity != nil, to.Identity != nil, (from.Identity == nil) != (to.Identity == nil) || from.Identity != nil && *from.Identity != *to.Identity},
	} {
		switch {
		case !f.differ:
		case !f.from:
			out = append(out, f.what+" added")
		case !f.to:
			out = append(out, f.what+" dropped")
		default:
			out = append(out, f.what+" changed")
		}
	}
	if from.Collation != to.Collation {
		out = append(out, "collation")
	}
	if from.Comment != to.Comment {
		out = append(out, "comment")
	}
	return out
}

// planMarks finds what the plan does to each table, from its typed changes or, in a plan
// read from a file, from its change kinds and object names looked up in the two states.
func planMarks(p *plan.Plan, from, to *schema.Realm) []*tableMarks {
	var order []*tableMarks
	byKey := map[string]*tableMarks{}
	get := func(schemaName, table string) *tableMarks {
		k := schemaName + "." + table
		if m := byKey[k]; m != nil {
			return m
		}
		m := &tableMarks{schema: schemaName, name: table, columns: map[string]string{}, fks: map[string]string{}}
		byKey[k] = m
		order = append(order, m)
		return m
	}
	// A foreign key dropped and added again in one plan is changed.
	fk := func(m *tableMarks, name, mark string) {
		if old := m.fks[name]; old != "" && old != mark {
			mark = markChanged
		}
		m.fks[name] = mark
	}
	col := func(m *tableMarks, name, mark string) {
		if old := m.columns[name]; old != "" && old != mark && !strings.HasPrefix(old, markChanged) {
			mark = markChanged
		}
		m.columns[name] = mark
	}
	res := newResolver(from, to)
	for _, s := range p.Statements {
		switch c := s.Change.(type) {
		case nil:
			res.mark(s.Kind, s.Object, get, col, fk)
		case *diff.AddTable:
			get(c.T.Schema, c.T.Name).table = markAdded
		case *diff.DropTable:
			get(c.T.Schema, c.T.Name).table = markDropped
		case *diff.ModifyTable:
			get(c.To.Schema, c.To.Name)
		case *diff.AddColumn:
			col(get(c.T.Schema, c.T.Name), c.C.Name, markAdded)
		case *diff.DropColumn:
			col(get(c.T.Schema, c.T.Name), c.C.Name, markDropped)
		case *diff.ModifyColumn:
			mark := markChanged
			if c.From.Type != c.To.Type {
				mark += ", was " + c.From.Type
			}
			col(get(c.T.Schema, c.T.Name), c.To.Name, mark)
		case *diff.DropIdentity:
			col(get(c.T.Schema, c.T.Name), c.C.Name, markChanged)
		case *diff.RecreateType:
			for _, u := range c.Columns {
				col(get(u.Table.Schema, u.Table.Name), u.Column.Name, markChanged)
			}
		case *diff.AddConstraint:
			m := get(c.T.Schema, c.T.Name)
			if c.C.Kind == schema.ForeignKey {
				fk(m, c.C.Name, markAdded)
			}
		case *diff.DropConstraint:
			m := get(c.T.Schema, c.T.Name)
			if c.C.Kind == schema.ForeignKey {
				fk(m, c.C.Name, markDropped)
			}
		case *diff.ValidateConstraint:
			get(c.T.Schema, c.T.Name)
		case *diff.CommentConstraint:
			get(c.T.Schema, c.T.Name)
		case *diff.AddIndex:
			get(c.T.Schema, c.T.Name)
		case *diff.DropIndex:
			get(c.T.Schema, c.T.Name)
		case *diff.CommentIndex:
			get(c.T.Schema, c.T.Name)
		}
	}
	return order
}

// resolver finds the table an object name of a plan read from a file belongs to. Names are
// joined with dots, and a quoted name may hold a dot itself, so it matches known tables
// rather than splitting.
type resolver struct {
	tables  map[string]*schema.Table // "schema.table" in either state, to's version first
	indexes map[string]string        // "schema.index" -> "schema.table"
}

func newResolver(from, to *schema.Realm) *resolver {
	r := &resolver{tables: map[string]*schema.Table{}, indexes: map[string]string{}}
	for _, realm := range []*schema.Realm{from, to} {
		for k, t := range tablesByKey(realm) {
			r.tables[k] = t
			schemaName := strings.TrimSuffix(k, "."+t.Name)
			for _, i := range t.Indexes {
				r.indexes[schemaName+"."+i.Name] = k
			}
		}
	}
	return r
}

// table returns the table key object starts with, the longest that fits, and the rest.
func (r *resolver) table(object string) (key, rest string, ok bool) {
	for k := range r.tables {
		if (object == k || strings.HasPrefix(object, k+".")) && len(k) > len(key) {
			key, ok = k, true
		}
	}
	return key, strings.TrimPrefix(strings.TrimPrefix(object, key), "."), ok
}

func (r *resolver) mark(kind, object string,
	get func(schema, table string) *tableMarks, col, fk func(*tableMarks, string, string)) {
	verb, noun, ok := describeKind(kind)
	if !ok {
		return
	}
	if noun == "index" {
		if k, found := r.indexes[object]; found {
			t := r.tables[k]
			get(strings.TrimSuffix(k, "."+t.Name), t.Name)
		}
		return
	}
	key, rest, found := r.table(object)
	if !found {
		return
	}
	t := r.tables[key]
	m := get(strings.TrimSuffix(key, "."+t.Name), t.Name)
	switch noun {
	case "table":
		if verb != markChanged {
			m.table = verb
		}
	case "column":
		col(m, rest, verb)
	case "constraint":
		// Only foreign keys are drawn; the name says nothing of the kind, the models do.
		for _, c := range t.Constraints {
			if c.Name == rest && c.Kind == schema.ForeignKey {
				fk(m, rest, verb)
			}
		}
		if verb == markDropped && !slices.ContainsFunc(t.Constraints, func(c *schema.Constraint) bool { return c.Name == rest }) {
			fk(m, rest, verb) // dropped: only the from version knows it; relationships checks the kind
		}
	}
}

// lintRows are the lint table's rows, in the result's order (by statement).
func lintRows(p *plan.Plan, res *lint.Result) []lintRow {
	var out []lintRow
	for _, d := range res.Diagnostics {
		if d.Severity == lint.Off {
			continue
		}
		sev := string(d.Severity)
		if d.Severity == lint.Error {
			sev = "**error**"
		}
		stmt := "plan"
		if d.Statement >= 0 && d.Statement < len(p.Statements) {
			stmt = strconv.Itoa(d.Statement + 1)
		}
		if d.Object != "" {
			stmt += " · " + inlineCode(d.Object)
		}
		reason := cell(d.Message)
		if d.File != "" {
			ref := d.File
			if d.Line > 0 {
				ref += ":" + strconv.Itoa(d.Line)
			}
			reason += " (" + cellRaw(inlineCode(ref)) + ")"
		}
		if d.Alternative != "" {
			reason += "<br>**Safe alternative:** " + cell(d.Alternative)
		}
		out = append(out, lintRow{Severity: sev, Analyzer: inlineCode(d.Analyzer), Statement: cellRaw(stmt), Reason: reason})
	}
	return out
}

// notableModes are the lock modes the effects table shows, strongest first: those that
// conflict with ordinary traffic or maintenance. Weaker ones only conflict with DDL, and the
// text report leaves them out too.
var notableModes = []string{"AccessExclusiveLock", "ExclusiveLock", "ShareRowExclusiveLock", "ShareLock", "ShareUpdateExclusiveLock"}

// effectRows are the effects table's rows: the statements seen to take a notable lock,
// rewrite a table or read one in full.
func effectRows(p *plan.Plan, effects []plan.Effects) []effectRow {
	var out []effectRow
	for i, e := range effects {
		if i >= len(p.Statements) {
			break
		}
		locks := slices.Clone(e.Locks)
		locks = slices.DeleteFunc(locks, func(l plan.Lock) bool { return !slices.Contains(notableModes, l.Mode) })
		slices.SortStableFunc(locks, func(a, b plan.Lock) int {
			if d := slices.Index(notableModes, a.Mode) - slices.Index(notableModes, b.Mode); d != 0 {
				return d
			}
			return strings.Compare(a.Relation, b.Relation)
		})
		if len(locks) == 0 && len(e.Rewritten) == 0 && len(e.Scanned) == 0 {
			continue
		}
		// One line per mode: "SHARE ROW EXCLUSIVE on `public.orders` and `public.users`".
		var ls []string
		for i, l := range locks {
			if i > 0 && locks[i-1].Mode == l.Mode {
				ls[len(ls)-1] += " and " + inlineCode(l.Relation)
			} else {
				ls = append(ls, lint.ModeName(l.Mode)+" on "+inlineCode(l.Relation))
			}
		}
		out = append(out, effectRow{
			N:         strconv.Itoa(i + 1),
			Statement: cellRaw(inlineCode(shorten(abbreviate(p.Statements[i].SQL), 60))),
			Locks:     cellRaw(strings.Join(ls, "<br>")),
			Rewrites:  cellRaw(codeList(e.Rewritten)),
			Scans:     cellRaw(codeList(e.Scanned)),
		})
	}
	return out
}

// rehearsal says how the rehearsal on the dev database ended.
func rehearsal(p *plan.Plan, r *lint.Rehearsal) *rehearsalView {
	v := &rehearsalView{}
	switch {
	case r.Failed >= 0:
		v.Verdict = "Rehearsed on a dev database: **failed** at statement " + strconv.Itoa(r.Failed+1) +
			"; the statements after it did not run."
		if r.Failed < len(p.Statements) {
			v.Statement = p.Statements[r.Failed].SQL
		}
		if r.Failed < len(r.Effects) {
			v.Error = r.Effects[r.Failed].Err
		}
		v.Fence = strings.Repeat("`", max(3, longestRun(v.Statement, '`')+1, longestRun(v.Error, '`')+1))
	case len(r.Remaining) > 0:
		v.Verdict = "Rehearsed on a dev database: **did not converge**. Every statement ran, but the result"
		if r.Got != "" {
			v.Verdict += " (" + inlineCode(shortFingerprint(r.Got)) + ")"
		}
		v.Verdict += " still differs from the desired state:"
		for _, c := range r.Remaining {
			v.Remaining = append(v.Remaining, c.Kind()+" "+inlineCode(c.Object()))
		}
	default:
		v.Verdict = "Rehearsed on a dev database: **converged**. Every statement ran and the result has the desired state's fingerprint."
	}
	return v
}

// footer names the plan and says how to change or approve it.
func (c *Comment) footer(p *plan.Plan) footerView {
	h := c.Header
	var f footerView
	var parts []string
	if h.Name != "" {
		parts = append(parts, "Plan "+inlineCode(h.Name))
	}
	if !p.Empty() {
		if h.Status != "" {
			parts = append(parts, string(h.Status))
		}
		if p.From != "" || p.To != "" {
			parts = append(parts, inlineCode(shortFingerprint(p.From))+" → "+inlineCode(shortFingerprint(p.To)))
			f.From, f.To = inlineCode(p.From), inlineCode(p.To)
		}
		d := p.Digest()
		parts = append(parts, "digest "+inlineCode(plan.ShortDigest(d)))
		f.Digest = inlineCode(d)
	}
	if s := event("created", h.CreatedBy, h.CreatedAt); s != "" {
		parts = append(parts, s)
	}
	if s := event("approved", h.ApprovedBy, h.ApprovedAt); s != "" {
		parts = append(parts, s)
	}
	if h.Context.Commit != "" {
		parts = append(parts, "commit "+oneLine(h.Context.Commit))
	}
	if h.Context.URL != "" {
		parts = append(parts, "[context]("+oneLine(h.Context.URL)+")")
	}
	if c.PlanURL != "" && !p.Empty() {
		parts = append(parts, "[full plan]("+oneLine(c.PlanURL)+")")
	}
	f.Line = strings.Join(parts, " · ")
	// Only a pending plan is edited or approved: an approved one is what deploys run, an
	// aborted one is never run.
	if !p.Empty() && (h.Status == "" || h.Status == plan.Pending) {
		if c.Commands.Pull != "" && c.Commands.Push != "" {
			f.Pull, f.Push = oneLine(c.Commands.Pull), oneLine(c.Commands.Push)
		}
		f.Approve = oneLine(c.Commands.Approve)
	}
	return f
}

// event is "created by alice at 2025-05-01 12:00 UTC", or less when less is known, or "".
func event(what, by string, at time.Time) string {
	if by == "" && at.IsZero() {
		return ""
	}
	if by != "" {
		what += " by " + oneLine(by)
	}
	if !at.IsZero() {
		what += " at " + stamp(at)
	}
	return what
}

// shortFingerprint shortens sha256:<64 hex> to its first 12 digits, enough to tell states
// apart in a review.
func shortFingerprint(fp string) string {
	if hex, ok := strings.CutPrefix(fp, "sha256:"); ok && len(hex) > 12 {
		return "sha256:" + hex[:12]
	}
	return fp
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// inlineCode writes s as a Markdown code span that shows it verbatim: the backtick fence
// is longer than any run of backticks in s, and padded when s starts or ends with one.
func inlineCode(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// codeList writes names as code spans, one a line in a table cell.
func codeList(names []string) string {
	var out []string
	for _, n := range names {
		out = append(out, inlineCode(n))
	}
	return strings.Join(out, "<br>")
}

// cell escapes text for a table cell: one line, no raw HTML, and pipes that do not end the
// cell. Markdown emphasis is left as it is: messages use none, and escaping every
// punctuation mark would make the source unreadable in an email notification.
func cell(s string) string {
	s = oneLine(s)
	s = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
	return cellRaw(s)
}

// cellRaw escapes the pipes of Markdown written here, code spans included: GitHub and GitLab
// split table rows at a pipe even inside a code span.
func cellRaw(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// markdownLines splits a note into lines for a blockquote, escaping raw HTML.
func markdownLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		out = append(out, strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(strings.TrimRight(l, " \t\r")))
	}
	return out
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func longestRun(s string, r byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == r {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// shorten cuts s to width characters, marking the cut with an ellipsis.
func shorten(s string, width int) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(strings.TrimSuffix(s, "…"))
	return strings.TrimSpace(string(r[:width-1])) + "…"
}
