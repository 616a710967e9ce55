package diff

import (
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/schema"
)

// collations compares the collations of one schema. Only the comment of a collation can be
// altered; any other change recreates it and converts the columns that use it.
func (d *differ) collations(fs, ts *schema.Schema) {
	cname := func(c *schema.Collation) string { return c.Name }
	for _, n := range union(names(fs.Collations, cname), names(ts.Collations, cname)) {
		f, inFrom := find(fs.Collations, cname, n)
		t, inTo := find(ts.Collations, cname, n)
		switch {
		case !inFrom:
			d.add(&AddCollation{C: t})
		case !inTo:
			d.add(&DropCollation{C: f})
		default:
			a, b := *f, *t
			a.Comment, b.Comment = "", ""
			if a != b {
				d.recreate(&RecreateType{FromCollation: f, ToCollation: t, Columns: d.collationUses(f)})
			} else if f.Comment != t.Comment {
				d.add(&ModifyCollation{From: f, To: t})
			}
		}
	}
}

// collationUses lists the table columns of the from state that use collation c.
func (d *differ) collationUses(c *schema.Collation) []TypeUse {
	var out []TypeUse
	for _, s := range d.from.Schemas {
		for _, t := range s.Tables {
			for _, col := range t.Columns {
				if sch, name, ok := SplitQName(col.Collation); ok && sch == c.Schema && name == c.Name {
					out = append(out, TypeUse{Table: t, Column: col, Default: d.targetDefault(t, col, "")})
				}
			}
		}
	}
	return out
}

// targetDefault is the default the target gives column col of from-state table t, when the
// column survives with type reference ref; empty otherwise.
func (d *differ) targetDefault(t *schema.Table, col *schema.Column, ref string) string {
	ts := d.to.Schema(t.Schema)
	if ts == nil {
		return ""
	}
	tt := ts.Table(t.Name)
	if tt == nil {
		return ""
	}
	if tc := tt.Column(col.Name); tc != nil && tc.TypeRef == ref {
		return tc.Default
	}
	return ""
}

// SplitQName splits a qualified name as the engine quotes it ("public.de", `"My"."x"`)
// into its unquoted schema and name.
func SplitQName(s string) (string, string, bool) {
	var parts []string
	for len(s) > 0 {
		var part string
		if s[0] == '"' {
			i := 1
			for i < len(s) {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						part += `"`
						i += 2
						continue
					}
					break
				}
				part += string(s[i])
				i++
			}
			s = s[min(i+1, len(s)):]
		} else {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				i = len(s)
			}
			part, s = s[:i], s[i:]
		}
		parts = append(parts, part)
		s = strings.TrimPrefix(s, ".")
	}
	if len(parts) != 2 {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// ranges compares the range types of one schema. Only the comment of a range type can be
// altered; any other change recreates it and converts the columns of it (and of its
// multirange).
func (d *differ) ranges(fs, ts *schema.Schema) {
	rname := func(r *schema.Range) string { return r.Name }
	for _, n := range union(names(fs.Ranges, rname), names(ts.Ranges, rname)) {
		f, inFrom := find(fs.Ranges, rname, n)
		t, inTo := find(ts.Ranges, rname, n)
		switch {
		case !inFrom:
			d.add(&AddRange{R: t})
		case !inTo:
			d.add(&DropRange{R: f})
		case !rangeEqual(f, t) || d.recreated[f.SubtypeRef]:
			d.recreate(&RecreateType{FromRange: f, ToRange: t, Columns: d.uses(f.Schema, f.Name)})
		case f.Comment != t.Comment:
			d.add(&ModifyRange{From: f, To: t})
		}
	}
}

func rangeEqual(a, b *schema.Range) bool {
	return a.Subtype == b.Subtype && a.Opclass == b.Opclass && a.Collation == b.Collation &&
		a.SubtypeDiff == b.SubtypeDiff && a.Multirange == b.Multirange
}

// composites compares the composite types of one schema. Attributes that are dropped, or
// added after every kept one, change in place; so do type and collation changes while no
// column uses the type (PostgreSQL refuses them otherwise). Anything else, a reordering
// above all, recreates the type and converts its columns.
func (d *differ) composites(fs, ts *schema.Schema) {
	cname := func(c *schema.Composite) string { return c.Name }
	for _, n := range union(names(fs.Composites, cname), names(ts.Composites, cname)) {
		f, inFrom := find(fs.Composites, cname, n)
		t, inTo := find(ts.Composites, cname, n)
		switch {
		case !inFrom:
			d.add(&AddComposite{C: t})
		case !inTo:
			d.add(&DropComposite{C: f})
		case slices.EqualFunc(f.Attributes, t.Attributes, func(a, b *schema.Attribute) bool { return *a == *b }):
			if f.Comment != t.Comment {
				d.add(&ModifyComposite{From: f, To: t})
			}
		default:
			uses := d.uses(f.Schema, f.Name)
			if !attributesAppended(f, t) || (attributesRetyped(f, t) && len(uses) > 0) || d.recreatesAttributeType(f) {
				d.recreate(&RecreateType{FromComposite: f, ToComposite: t, Columns: uses})
				continue
			}
			d.add(&ModifyComposite{From: f, To: t})
		}
	}
}

// attributesAppended reports whether t keeps f's surviving attributes in their order, with
// every new attribute after them: what ADD and DROP ATTRIBUTE can reach.
func attributesAppended(f, t *schema.Composite) bool {
	var kept []string
	for _, a := range f.Attributes {
		if t.Attribute(a.Name) != nil {
			kept = append(kept, a.Name)
		}
	}
	if len(t.Attributes) < len(kept) {
		return false
	}
	for i, n := range kept {
		if t.Attributes[i].Name != n {
			return false
		}
	}
	return true
}

// attributesRetyped reports whether an attribute both types have changes type or collation.
func attributesRetyped(f, t *schema.Composite) bool {
	for _, a := range f.Attributes {
		if b := t.Attribute(a.Name); b != nil && (a.Type != b.Type || a.Collation != b.Collation) {
			return true
		}
	}
	return false
}

// recreatesAttributeType reports whether an attribute of c is of a type this diff recreates.
func (d *differ) recreatesAttributeType(c *schema.Composite) bool {
	return slices.ContainsFunc(c.Attributes, func(a *schema.Attribute) bool { return a.TypeRef != "" && d.recreated[a.TypeRef] })
}
