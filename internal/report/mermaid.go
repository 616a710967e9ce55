package report

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/sextant-db/sextant/internal/schema"
)

// The pull-request comment draws the tables a plan touches as a Mermaid entity-relationship
// diagram, which GitHub and GitLab render in place of a ```mermaid code block.
//
// Mermaid's erDiagram grammar is narrow and has changed between releases, and the platforms
// run different ones. Everything written here keeps to the subset that every release since
// the ER diagram's introduction accepts:
//
//   - entity names are [A-Za-z][A-Za-z0-9_]*: schema and table joined by "_" (public_users).
//     Always qualifying the name also keeps it clear of the grammar's words (one, many, to,
//     u, style, class …), which the lexer matches only as whole words, and "_" is a word
//     character. Hyphens, which newer releases allow, are avoided: old lexers stop at them;
//   - attribute type and name are single words of the same characters: the type "character
//     varying(80)" becomes character_varying_80, "text[]" text_array;
//   - an attribute named like a key marker (pk, fk, uk, in any case) gets a trailing "_", or
//     the lexer would take it for the marker;
//   - comments and relationship labels are double-quoted and hold no double quote, percent
//     sign, backslash, backtick or line break;
//   - nothing outside an attribute block has the word "direction" followed by white space:
//     newer lexers take "direction TB" for a statement wherever it appears on a line.
//
// A sanitised name may collide with another (public.a_b and public_a.b); entities get a
// numeric suffix then. The real names are in the change list and the SQL next to the
// diagram.

// maxEntities caps the diagram: beyond about thirty boxes Mermaid's layout is unreadable
// and slow to render. The tables the plan touches come first; neighbours fill what is left.
const maxEntities = 30

// Column and relationship marks in the diagram: what the plan does to them.
const (
	markAdded   = "added"
	markDropped = "dropped"
	markChanged = "changed"
)

// tableMarks is what a plan does to one table: the table as a whole (added, dropped, or
// "" when only parts of it change), its columns and its foreign keys.
type tableMarks struct {
	schema, name string
	table        string
	columns      map[string]string // column name -> mark, possibly with a detail: "changed, was integer"
	fks          map[string]string // foreign key name -> added or dropped
}

func (m *tableMarks) key() string { return m.schema + "." + m.name }

// erDiagram draws the tables of marks, and the tables linked to them by foreign keys, as a
// Mermaid erDiagram. Tables come from to, or from from when the plan drops them; a dropped
// column or foreign key comes from from. It returns the diagram's source (without the code
// fence) and how many tables were left out to stay under maxEntities; "" when there is no
// table to draw.
func erDiagram(from, to *schema.Realm, marks []*tableMarks) (string, int) {
	fromT, toT := tablesByKey(from), tablesByKey(to)
	touched := map[string]*tableMarks{}
	var keys []string
	for _, m := range marks {
		if fromT[m.key()] == nil && toT[m.key()] == nil {
			continue // not in either model: nothing to draw it from
		}
		touched[m.key()] = m
		keys = append(keys, m.key())
	}
	if len(keys) == 0 {
		return "", 0
	}
	slices.Sort(keys)

	// Neighbours: tables a touched table references, and tables that reference one, in
	// either state.
	near := map[string]bool{}
	for _, tables := range []map[string]*schema.Table{fromT, toT} {
		for k, t := range tables {
			for _, c := range t.Constraints {
				if c.Kind != schema.ForeignKey {
					continue
				}
				ref := c.RefSchema + "." + c.RefTable
				switch {
				case touched[k] != nil && touched[ref] == nil && (fromT[ref] != nil || toT[ref] != nil):
					near[ref] = true
				case touched[ref] != nil && touched[k] == nil:
					near[k] = true
				}
			}
		}
	}
	neighbours := slices.Sorted(maps.Keys(near))

	all := append(slices.Clone(keys), neighbours...)
	omitted := 0
	if len(all) > maxEntities {
		omitted = len(all) - maxEntities
		all = all[:maxEntities]
	}
	shown := map[string]bool{}
	for _, k := range all {
		shown[k] = true
	}
	ids := entityIDs(all)

	var b strings.Builder
	b.WriteString("erDiagram\n")
	var rels []string
	for _, k := range all {
		m := touched[k]
		t := toT[k]
		if t == nil || (m != nil && m.table == markDropped) {
			t = fromT[k]
		}
		var attrs []string
		if m != nil {
			attrs = touchedAttributes(t, fromT[k], m)
		} else {
			attrs = neighbourAttributes(t, shown)
		}
		if len(attrs) == 0 {
			// A bare name declares an entity without attributes in every release.
			fmt.Fprintf(&b, "    %s\n", ids[k])
		} else {
			fmt.Fprintf(&b, "    %s {\n", ids[k])
			for _, a := range attrs {
				b.WriteString("        " + a + "\n")
			}
			b.WriteString("    }\n")
		}
		rels = append(rels, relationships(k, t, fromT[k], m, shown, ids)...)
	}
	for _, r := range rels {
		b.WriteString("    " + r + "\n")
	}
	return b.String(), omitted
}

// touchedAttributes lists every column of t, a table the plan touches, with its mark; the
// columns the plan drops, which only the from version old has, follow t's own.
func touchedAttributes(t, old *schema.Table, m *tableMarks) []string {
	var out []string
	for _, c := range t.Columns {
		mark := m.columns[c.Name]
		if m.table != "" {
			mark = m.table
		}
		out = append(out, attribute(c, columnKeys(t, c.Name), mark))
	}
	if old == nil || old == t {
		return out
	}
	for _, c := range old.Columns {
		if t.Column(c.Name) == nil && m.columns[c.Name] == markDropped {
			out = append(out, attribute(c, columnKeys(old, c.Name), markDropped))
		}
	}
	return out
}

// neighbourAttributes lists only the key columns of a table the plan does not touch: its
// primary key and the columns of its foreign keys to tables in the diagram. That is enough
// to read the relationships without drowning the changed tables.
func neighbourAttributes(t *schema.Table, shown map[string]bool) []string {
	keep := map[string]bool{}
	for _, c := range t.Constraints {
		if c.Kind == schema.PrimaryKey || (c.Kind == schema.ForeignKey && shown[c.RefSchema+"."+c.RefTable]) {
			for _, col := range c.Columns {
				keep[col] = true
			}
		}
	}
	var out []string
	for _, c := range t.Columns {
		if keep[c.Name] {
			out = append(out, attribute(c, columnKeys(t, c.Name), ""))
		}
	}
	return out
}

// attribute is one attribute line: type, name, key markers, and the mark as a comment.
func attribute(c *schema.Column, keys []string, mark string) string {
	s := mermaidType(c.Type) + " " + mermaidAttrName(c.Name)
	if len(keys) > 0 {
		s += " " + strings.Join(keys, ", ")
	}
	if mark != "" {
		s += ` "` + mermaidText(mark) + `"`
	}
	return s
}

// columnKeys returns the key markers of a column: PK, FK and UK, as Mermaid spells them.
func columnKeys(t *schema.Table, col string) []string {
	var pk, fk, uk bool
	for _, c := range t.Constraints {
		if !slices.Contains(c.Columns, col) {
			continue
		}
		switch c.Kind {
		case schema.PrimaryKey:
			pk = true
		case schema.ForeignKey:
			fk = true
		case schema.Unique:
			uk = true
		}
	}
	for _, i := range t.Indexes {
		if i.Unique && i.Where == "" && len(i.Columns) == 1 && i.Columns[0] == col {
			uk = true
		}
	}
	var out []string
	for _, k := range []struct {
		on   bool
		name string
	}{{pk, "PK"}, {fk, "FK"}, {uk && !pk, "UK"}} {
		if k.on {
			out = append(out, k.name)
		}
	}
	return out
}

// relationships returns the relationship lines of the foreign keys of table k to tables in
// the diagram: those of its current version t, and those of its from version old that the
// plan drops. The child side is "zero or more"; the parent side "exactly one" when every
// column of the key is NOT NULL, "zero or one" otherwise.
func relationships(k string, t, old *schema.Table, m *tableMarks, shown map[string]bool, ids map[string]string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t *schema.Table, c *schema.Constraint, mark string) {
		ref := c.RefSchema + "." + c.RefTable
		if c.Kind != schema.ForeignKey || !shown[ref] || seen[c.Name] {
			return
		}
		seen[c.Name] = true
		parent := "||"
		for _, col := range c.Columns {
			if cc := t.Column(col); cc == nil || !cc.NotNull {
				parent = "o|"
			}
		}
		label := c.Name
		if mark != "" {
			label += " " + mark
		}
		out = append(out, fmt.Sprintf(`%s }o--%s %s : "%s"`, ids[k], parent, ids[ref], mermaidLabel(label)))
	}
	for _, c := range t.Constraints {
		mark := ""
		if m != nil {
			mark = m.fks[c.Name]
			if m.table != "" {
				mark = m.table
			}
		}
		add(t, c, mark)
	}
	if old != nil && old != t {
		for _, c := range old.Constraints {
			if m != nil && m.fks[c.Name] == markDropped {
				add(old, c, markDropped)
			}
		}
	}
	return out
}

// entityIDs gives every table key a Mermaid entity name, unique in the diagram.
func entityIDs(keys []string) map[string]string {
	ids := map[string]string{}
	used := map[string]bool{}
	for _, k := range keys {
		base := mermaidWord(k) // "schema.table": the dot becomes "_"
		// A bare entity line ending in "direction", followed by one whose name starts with
		// TB, BT, LR or RL, would read as a direction statement: see directionRE.
		if strings.HasSuffix(strings.ToLower(base), "direction") {
			base += "_"
		}
		id := base
		for n := 2; used[strings.ToLower(id)]; n++ {
			id = fmt.Sprintf("%s_%d", base, n)
		}
		used[strings.ToLower(id)] = true
		ids[k] = id
	}
	return ids
}

// mermaidWord makes s a word Mermaid's lexer reads as one name in every release:
// [A-Za-z][A-Za-z0-9_]*. Every run of other characters becomes one "_"; trailing ones go;
// a word that does not start with a letter gets an "x" in front.
func mermaidWord(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			b.WriteRune(r)
			under = r == '_'
			continue
		}
		if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	w := strings.TrimRight(b.String(), "_")
	if w == "" || !(w[0] >= 'a' && w[0] <= 'z' || w[0] >= 'A' && w[0] <= 'Z') {
		w = "x" + w
	}
	return w
}

// mermaidType spells a column type as one word, keeping arrays recognisable.
func mermaidType(t string) string {
	return mermaidAttrName(strings.ReplaceAll(t, "[]", " array"))
}

// mermaidAttrName is mermaidWord for attribute words, which must not be a key marker.
func mermaidAttrName(s string) string {
	w := mermaidWord(s)
	switch strings.ToUpper(w) {
	case "PK", "FK", "UK":
		w += "_"
	}
	return w
}

// mermaidText makes s safe inside a double-quoted comment or label: one line, without the
// characters some Mermaid release reads as the end of the string or the start of a
// directive, and without backticks, which could close the Markdown code fence.
func mermaidText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r == '`':
			return '\''
		case r == '%' || r == '\\':
			return -1
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// directionRE finds what Mermaid's lexer takes for a direction statement anywhere outside an
// attribute block, even in the middle of a line: the word "direction", white space (line
// breaks too), then TB, BT, LR or RL.
var directionRE = regexp.MustCompile(`(?i)(direction)\s+`)

// mermaidLabel is mermaidText for a relationship label, which sits outside attribute blocks:
// the white space after "direction" becomes "_".
func mermaidLabel(s string) string {
	return directionRE.ReplaceAllString(mermaidText(s), "${1}_")
}

// tablesByKey indexes the tables of a realm by "schema.table".
func tablesByKey(r *schema.Realm) map[string]*schema.Table {
	out := map[string]*schema.Table{}
	if r == nil {
		return out
	}
	for _, s := range r.Schemas {
		for _, t := range s.Tables {
			out[s.Name+"."+t.Name] = t
		}
	}
	return out
}
