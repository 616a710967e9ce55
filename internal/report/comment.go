package report

import (
	"embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"

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
