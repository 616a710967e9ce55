package postgres

import (
	"fmt"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// renderTypes renders the changes of composite types, range types, collations and grants;
// ok is false for any other change.
func renderTypes(ch diff.Change) (out []string, ok bool) {
	switch c := ch.(type) {
	case *diff.AddComposite:
		return createComposite(c.C), true
	case *diff.ModifyComposite:
		return alterComposite(c.From, c.To), true
	case *diff.DropComposite:
		return []string{"DROP TYPE " + QName(c.C.Schema, c.C.Name)}, true
	case *diff.AddRange:
		return createRange(c.R), true
	case *diff.ModifyRange:
		return comment("TYPE", QName(c.To.Schema, c.To.Name), c.From.Comment, c.To.Comment), true
	case *diff.DropRange:
		return []string{"DROP TYPE " + QName(c.R.Schema, c.R.Name)}, true
	case *diff.AddCollation:
		return createCollation(c.C), true
	case *diff.ModifyCollation:
		return comment("COLLATION", QName(c.To.Schema, c.To.Name), c.From.Comment, c.To.Comment), true
	case *diff.DropCollation:
		return []string{"DROP COLLATION " + QName(c.C.Schema, c.C.Name)}, true
	case *diff.ModifyGrants:
		return grantStatements(c), true
	}
	return nil, false
}

func attributeDef(a *schema.Attribute) string {
	s := Ident(a.Name) + " " + a.Type
	if a.Collation != "" {
		s += " COLLATE " + a.Collation
	}
	return s
}

func createComposite(c *schema.Composite) []string {
	name := QName(c.Schema, c.Name)
	attrs := make([]string, len(c.Attributes))
	for i, a := range c.Attributes {
		attrs[i] = attributeDef(a)
	}
	return append([]string{fmt.Sprintf("CREATE TYPE %s AS (%s)", name, strings.Join(attrs, ", "))},
		comment("TYPE", name, "", c.Comment)...)
}

// alterComposite changes a composite type in place: drops first, so an attribute dropped and
// added again under another type comes back at the end, then type changes, then additions.
func alterComposite(f, t *schema.Composite) []string {
	name := QName(t.Schema, t.Name)
	var actions []string
	for _, a := range f.Attributes {
		if t.Attribute(a.Name) == nil {
			actions = append(actions, "DROP ATTRIBUTE "+Ident(a.Name))
		}
	}
	for _, b := range t.Attributes {
		a := f.Attribute(b.Name)
		switch {
		case a == nil:
			actions = append(actions, "ADD ATTRIBUTE "+attributeDef(b))
		case a.Type != b.Type || a.Collation != b.Collation:
			s := "ALTER ATTRIBUTE " + Ident(b.Name) + " TYPE " + b.Type
			if b.Collation != "" {
				s += " COLLATE " + b.Collation
			} else if a.Collation != "" {
				s += ` COLLATE pg_catalog."default"`
			}
			actions = append(actions, s)
		}
	}
	var out []string
	if len(actions) > 0 {
		out = append(out, "ALTER TYPE "+name+" "+strings.Join(actions, ", "))
	}
	return append(out, comment("TYPE", name, f.Comment, t.Comment)...)
}

func createRange(r *schema.Range) []string {
	name := QName(r.Schema, r.Name)
	opts := []string{"SUBTYPE = " + r.Subtype}
	if r.Opclass != "" {
		opts = append(opts, "SUBTYPE_OPCLASS = "+r.Opclass)
	}
	if r.Collation != "" {
		opts = append(opts, "COLLATION = "+r.Collation)
	}
	if r.SubtypeDiff != "" {
		opts = append(opts, "SUBTYPE_DIFF = "+r.SubtypeDiff)
	}
	opts = append(opts, "MULTIRANGE_TYPE_NAME = "+QName(r.Schema, r.Multirange))
	return append([]string{fmt.Sprintf("CREATE TYPE %s AS RANGE (%s)", name, strings.Join(opts, ", "))},
		comment("TYPE", name, "", r.Comment)...)
}

func createCollation(c *schema.Collation) []string {
	name := QName(c.Schema, c.Name)
	opts := []string{"PROVIDER = " + c.Provider}
	if c.Locale != "" {
		opts = append(opts, "LOCALE = "+Literal(c.Locale))
	} else {
		opts = append(opts, "LC_COLLATE = "+Literal(c.LcCollate), "LC_CTYPE = "+Literal(c.LcCtype))
	}
	if !c.Deterministic {
		opts = append(opts, "DETERMINISTIC = false")
	}
	return append([]string{fmt.Sprintf("CREATE COLLATION %s (%s)", name, strings.Join(opts, ", "))},
		comment("COLLATION", name, "", c.Comment)...)
}

// recreateOther replaces a composite type, range type or collation the way recreateType
// replaces an enum: the old one is renamed out of the way, the new one created under the real
// name, and the columns converted. The old one is dropped later (dropReplaced).
func recreateOther(c *diff.RecreateType) []string {
	var out []string
	switch {
	case c.ToComposite != nil:
		out = append(out, fmt.Sprintf("ALTER TYPE %s RENAME TO %s", QName(c.FromComposite.Schema, c.FromComposite.Name), Ident(c.OldName())))
		out = append(out, createComposite(c.ToComposite)...)
	case c.ToRange != nil:
		out = append(out, renameRange(c.FromRange)...)
		out = append(out, createRange(c.ToRange)...)
	case c.ToCollation != nil:
		out = append(out, fmt.Sprintf("ALTER COLLATION %s RENAME TO %s", QName(c.FromCollation.Schema, c.FromCollation.Name), Ident(c.OldName())))
		out = append(out, createCollation(c.ToCollation)...)
	}
	for _, u := range c.Columns {
		t := QName(u.Table.Schema, u.Table.Name)
		col := Ident(u.Column.Name)
		if u.Column.Default != "" {
			out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", t, col))
		}
		switch {
		case c.ToCollation != nil:
			// The type stays; naming the collation again binds the column to the new one.
			out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s COLLATE %s", t, col, u.Column.Type,
				QName(c.ToCollation.Schema, c.ToCollation.Name)))
		case c.ToComposite != nil && !strings.HasSuffix(u.Column.Type, "[]"):
			out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s", t, col, u.Column.Type,
				rowConversion(col, c.FromComposite, c.ToComposite, u.Column.Type)))
		default:
			typ := u.Column.Type
			if r := c.FromRange; r != nil && strings.TrimSuffix(typ, "[]") == QName(r.Schema, r.Multirange) {
				// A column of the multirange goes to the new range's multirange, which may
				// have another name.
				typ = QName(c.ToRange.Schema, c.ToRange.Multirange) + typ[len(strings.TrimSuffix(typ, "[]")):]
			}
			out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s", t, col, typ, viaText(col, typ)))
		}
		if u.Default != "" {
			out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", t, col, u.Default))
		}
	}
	return out
}

// rowConversion converts a value of composite type f to t field by field: a kept attribute is
// carried over (cast when its type changed), a new one is NULL. A NULL value stays NULL; its
// text form is NULL, where a row of NULL fields has one.
func rowConversion(col string, f, t *schema.Composite, typ string) string {
	fields := make([]string, len(t.Attributes))
	for i, b := range t.Attributes {
		a := f.Attribute(b.Name)
		switch {
		case a == nil:
			fields[i] = "NULL::" + b.Type
		case a.Type != b.Type:
			fields[i] = "(" + col + ")." + Ident(a.Name) + "::" + b.Type
		default:
			fields[i] = "(" + col + ")." + Ident(a.Name)
		}
	}
	return fmt.Sprintf("CASE WHEN %s::text IS NULL THEN NULL ELSE ROW(%s)::%s END", col, strings.Join(fields, ", "), typ)
}

// renameRange moves range type r, its multirange and the constructor functions PostgreSQL
// made for them out of the way: the constructors are named after the types, and renaming a
// type leaves them behind, where they would clash with the new type's.
func renameRange(r *schema.Range) []string {
	old, oldMulti := diff.OldName(r.Name), diff.OldName(r.Multirange)
	name, multi := QName(r.Schema, r.Name), QName(r.Schema, r.Multirange)
	fn := func(fname, args, to string) string {
		return fmt.Sprintf("ALTER FUNCTION %s(%s) RENAME TO %s", QName(r.Schema, fname), args, Ident(to))
	}
	oldType := QName(r.Schema, old)
	return []string{
		fmt.Sprintf("ALTER TYPE %s RENAME TO %s", name, Ident(old)),
		fmt.Sprintf("ALTER TYPE %s RENAME TO %s", multi, Ident(oldMulti)),
		fn(r.Name, r.Subtype+", "+r.Subtype, old),
		fn(r.Name, r.Subtype+", "+r.Subtype+", text", old),
		fn(r.Multirange, "", oldMulti),
		fn(r.Multirange, oldType, oldMulti),
		fn(r.Multirange, "VARIADIC "+oldType+"[]", oldMulti),
	}
}

// dropReplaced drops the old version of a recreated composite type, range type (its
// multirange goes with it) or collation.
func dropReplaced(r *diff.RecreateType) []string {
	switch {
	case r.FromComposite != nil:
		return []string{"DROP TYPE " + QName(r.FromComposite.Schema, r.OldName())}
	case r.FromRange != nil:
		return []string{"DROP TYPE " + QName(r.FromRange.Schema, r.OldName())}
	}
	return []string{"DROP COLLATION " + QName(r.FromCollation.Schema, r.OldName())}
}

// grantStatements grants and revokes what takes an object's grants from c.From to c.To, one
// statement per grantee and kind of step.
func grantStatements(c *diff.ModifyGrants) []string {
	var target string
	switch c.On {
	case diff.GrantsOnSchema:
		target = "SCHEMA " + Ident(c.Schema)
	case diff.GrantsOnTable, diff.GrantsOnView, diff.GrantsOnColumn:
		target = "TABLE " + QName(c.Schema, c.Name)
	case diff.GrantsOnSequence:
		target = "SEQUENCE " + QName(c.Schema, c.Name)
	case diff.GrantsOnFunction:
		target = routineKind(c.Function) + " " + functionName(c.Function)
	}
	priv := func(p string) string {
		if c.On == diff.GrantsOnColumn {
			return p + " (" + Ident(c.Column) + ")"
		}
		return p
	}
	role := func(g string) string {
		if g == "PUBLIC" {
			return g
		}
		return Ident(g)
	}
	type step struct{ revoke, option, grant, grantOption []string }
	steps := map[string]*step{}
	var order []string
	at := func(g string) *step {
		if steps[g] == nil {
			steps[g] = &step{}
			order = append(order, g)
		}
		return steps[g]
	}
	held := func(gs []schema.Grant, g schema.Grant) (schema.Grant, bool) {
		for _, x := range gs {
			if x.Grantee == g.Grantee && x.Privilege == g.Privilege {
				return x, true
			}
		}
		return schema.Grant{}, false
	}
	for _, g := range c.From {
		t, ok := held(c.To, g)
		switch {
		case !ok:
			at(g.Grantee).revoke = append(at(g.Grantee).revoke, priv(g.Privilege))
		case g.Grantable && !t.Grantable:
			at(g.Grantee).option = append(at(g.Grantee).option, priv(g.Privilege))
		}
	}
	for _, g := range c.To {
		f, ok := held(c.From, g)
		switch {
		case g.Grantable && (!ok || !f.Grantable):
			at(g.Grantee).grantOption = append(at(g.Grantee).grantOption, priv(g.Privilege))
		case !ok:
			at(g.Grantee).grant = append(at(g.Grantee).grant, priv(g.Privilege))
		}
	}
	var out []string
	for _, g := range order {
		s := steps[g]
		if len(s.revoke) > 0 {
			out = append(out, fmt.Sprintf("REVOKE %s ON %s FROM %s", strings.Join(s.revoke, ", "), target, role(g)))
		}
		if len(s.option) > 0 {
			out = append(out, fmt.Sprintf("REVOKE GRANT OPTION FOR %s ON %s FROM %s", strings.Join(s.option, ", "), target, role(g)))
		}
		if len(s.grant) > 0 {
			out = append(out, fmt.Sprintf("GRANT %s ON %s TO %s", strings.Join(s.grant, ", "), target, role(g)))
		}
		if len(s.grantOption) > 0 {
			out = append(out, fmt.Sprintf("GRANT %s ON %s TO %s WITH GRANT OPTION", strings.Join(s.grantOption, ", "), target, role(g)))
		}
	}
	return out
}
