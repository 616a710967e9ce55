package report

// The "What changed" table of a comment: a row per change, in words a reviewer reads.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
)

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
