package postgres

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// Renderer renders model changes as PostgreSQL DDL. It implements plan.Renderer.
type Renderer struct{}

// Render returns the statements for one change, without trailing semicolons.
func (Renderer) Render(ch diff.Change) ([]string, error) {
	if out, ok := renderTypes(ch); ok {
		return out, nil
	}
	switch c := ch.(type) {
	case *diff.AddSchema:
		return append([]string{"CREATE SCHEMA " + Ident(c.S.Name)}, comment("SCHEMA", Ident(c.S.Name), "", c.S.Comment)...), nil
	case *diff.ModifySchema:
		return comment("SCHEMA", Ident(c.To.Name), c.From.Comment, c.To.Comment), nil
	case *diff.DropSchema:
		return []string{"DROP SCHEMA " + Ident(c.S.Name)}, nil

	case *diff.AddExtension:
		return []string{fmt.Sprintf("CREATE EXTENSION %s WITH SCHEMA %s VERSION %s", Ident(c.E.Name), Ident(c.E.Schema), Literal(c.E.Version))}, nil
	case *diff.ModifyExtension:
		var out []string
		if c.From.Schema != c.To.Schema {
			out = append(out, fmt.Sprintf("ALTER EXTENSION %s SET SCHEMA %s", Ident(c.To.Name), Ident(c.To.Schema)))
		}
		if c.From.Version != c.To.Version {
			out = append(out, fmt.Sprintf("ALTER EXTENSION %s UPDATE TO %s", Ident(c.To.Name), Literal(c.To.Version)))
		}
		return out, nil
	case *diff.DropExtension:
		return []string{"DROP EXTENSION " + Ident(c.E.Name)}, nil

	case *diff.AddEnum:
		return createEnum(c.E), nil
	case *diff.AddEnumValue:
		// IF NOT EXISTS: this runs in a transaction of its own, so a plan whose later part
		// failed can be run again.
		s := fmt.Sprintf("ALTER TYPE %s ADD VALUE IF NOT EXISTS %s", QName(c.E.Schema, c.E.Name), Literal(c.Value))
		switch {
		case c.Before != "":
			s += " BEFORE " + Literal(c.Before)
		case c.After != "":
			s += " AFTER " + Literal(c.After)
		}
		return []string{s}, nil
	case *diff.ModifyEnum:
		return comment("TYPE", QName(c.To.Schema, c.To.Name), c.From.Comment, c.To.Comment), nil
	case *diff.DropEnum:
		return []string{"DROP TYPE " + QName(c.E.Schema, c.E.Name)}, nil

	case *diff.AddDomain:
		return createDomain(c.D), nil
	case *diff.ModifyDomain:
		return alterDomain(c.From, c.To), nil
	case *diff.DropDomain:
		return []string{"DROP DOMAIN " + QName(c.D.Schema, c.D.Name)}, nil
	case *diff.RecreateType:
		return recreateType(c), nil
	case *diff.DropReplacedType:
		if c.R.ToEnum == nil && c.R.ToDomain == nil {
			return dropReplaced(c.R), nil
		}
		kind, schemaName := "DOMAIN", ""
		if c.R.ToEnum != nil {
			kind, schemaName = "TYPE", c.R.ToEnum.Schema
		} else {
			schemaName = c.R.ToDomain.Schema
		}
		return []string{fmt.Sprintf("DROP %s %s", kind, QName(schemaName, c.R.OldName()))}, nil

	case *diff.AddSequence:
		s := "CREATE SEQUENCE " + QName(c.S.Schema, c.S.Name) + optList(seqOpts(nil, &c.S.Opts))
		return append([]string{s}, comment("SEQUENCE", QName(c.S.Schema, c.S.Name), "", c.S.Comment)...), nil
	case *diff.ModifySequence:
		var out []string
		if o := seqOpts(&c.From.Opts, &c.To.Opts); len(o) > 0 {
			out = append(out, "ALTER SEQUENCE "+QName(c.To.Schema, c.To.Name)+optList(o))
		}
		return append(out, comment("SEQUENCE", QName(c.To.Schema, c.To.Name), c.From.Comment, c.To.Comment)...), nil
	case *diff.SetSequenceOwner:
		owner := "NONE"
		if c.S.OwnedBy != "" {
			i := strings.LastIndex(c.S.OwnedBy, ".")
			owner = QName(c.S.Schema, c.S.OwnedBy[:i]) + "." + Ident(c.S.OwnedBy[i+1:])
		}
		return []string{fmt.Sprintf("ALTER SEQUENCE %s OWNED BY %s", QName(c.S.Schema, c.S.Name), owner)}, nil
	case *diff.DropSequence:
		return []string{"DROP SEQUENCE " + QName(c.S.Schema, c.S.Name)}, nil

	case *diff.AddTable:
		return createTable(c.T), nil
	case *diff.ModifyTable:
		return alterTable(c.From, c.To), nil
	case *diff.DropTable:
		return append(disown(c.Disown), "DROP TABLE "+QName(c.T.Schema, c.T.Name)), nil
	case *diff.DetachPartition:
		return detachPartition(c), nil
	case *diff.AttachPartition:
		return attachPartition(c), nil

	case *diff.AddColumn:
		t := QName(c.T.Schema, c.T.Name)
		return append([]string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", t, columnDef(c.C))},
			comment("COLUMN", t+"."+Ident(c.C.Name), "", c.C.Comment)...), nil
	case *diff.DropIdentity:
		return []string{fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY", QName(c.T.Schema, c.T.Name), Ident(c.C.Name))}, nil
	case *diff.DropColumn:
		return []string{fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", QName(c.T.Schema, c.T.Name), Ident(c.C.Name))}, nil
	case *diff.ModifyColumn:
		return alterColumn(c.T, c.From, c.To), nil

	case *diff.AddConstraint:
		t := QName(c.T.Schema, c.T.Name)
		s := fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", t, Ident(c.C.Name), c.C.Def)
		if c.C.NotValid {
			s += " NOT VALID"
		}
		return append([]string{s}, constraintComment(c.T, c.C, "")...), nil
	case *diff.DropConstraint:
		return []string{fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", QName(c.T.Schema, c.T.Name), Ident(c.C.Name))}, nil
	case *diff.ValidateConstraint:
		return []string{fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s", QName(c.T.Schema, c.T.Name), Ident(c.C.Name))}, nil
	case *diff.CommentConstraint:
		return constraintComment(c.T, c.C, "\x00"), nil

	case *diff.AddIndex:
		return append([]string{c.I.Def}, comment("INDEX", QName(c.T.Schema, c.I.Name), "", c.I.Comment)...), nil
	case *diff.DropIndex:
		return []string{"DROP INDEX " + QName(c.T.Schema, c.I.Name)}, nil
	case *diff.CommentIndex:
		return comment("INDEX", QName(c.T.Schema, c.I.Name), "\x00", c.I.Comment), nil

	case *diff.AddView:
		return createView(c.V), nil
	case *diff.RecreateView:
		return createView(c.To), nil
	case *diff.ReplaceView:
		return replaceView(c.From, c.To), nil
	case *diff.ModifyView:
		return alterView(c.From, c.To), nil
	case *diff.DropView:
		return []string{"DROP " + viewKind(c.V) + " " + QName(c.V.Schema, c.V.Name)}, nil

	case *diff.AddFunction:
		return createFunction(c.F), nil
	case *diff.RecreateFunction:
		return createFunction(c.To), nil
	case *diff.ReplaceFunction:
		return append([]string{c.To.Def}, comment(routineKind(c.To), functionName(c.To), c.From.Comment, c.To.Comment)...), nil
	case *diff.ModifyFunction:
		return comment(routineKind(c.To), functionName(c.To), c.From.Comment, c.To.Comment), nil
	case *diff.DropFunction:
		return []string{"DROP " + routineKind(c.F) + " " + functionName(c.F)}, nil
	case *diff.DropDefault:
		return []string{fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", QName(c.T.Schema, c.T.Name), Ident(c.C.Name))}, nil

	case *diff.AddTrigger:
		return createTrigger(c.T, c.Tr), nil
	case *diff.ModifyTrigger:
		return alterTrigger(c.T, c.From, c.To), nil
	case *diff.DropTrigger:
		return []string{"DROP TRIGGER " + triggerName(c.T, c.Tr)}, nil
	case *diff.AddEventTrigger:
		return createEventTrigger(c.E), nil
	case *diff.ModifyEventTrigger:
		return alterEventTrigger(c.From, c.To), nil
	case *diff.DropEventTrigger:
		return []string{"DROP EVENT TRIGGER " + Ident(c.E.Name)}, nil
	case *diff.SetRowSecurity:
		return rowSecurity(c.From, c.To), nil
	case *diff.AddPolicy:
		return createPolicy(c.T, c.P), nil
	case *diff.AlterPolicy:
		return alterPolicy(c.T, c.From, c.To), nil
	case *diff.CommentPolicy:
		return comment("POLICY", policyName(c.T, c.To), c.From.Comment, c.To.Comment), nil
	case *diff.DropPolicy:
		return []string{"DROP POLICY " + policyName(c.T, c.P)}, nil
	}
	return nil, fmt.Errorf("postgres: cannot render change %T", ch)
}

// comment renders COMMENT ON when the comment changes. Passing "\x00" as from forces the
// statement.
func comment(kind, name, from, to string) []string {
	if from == to {
		return nil
	}
	v := "NULL"
	if to != "" {
		v = Literal(to)
	}
	return []string{fmt.Sprintf("COMMENT ON %s %s IS %s", kind, name, v)}
}

func constraintComment(t *schema.Table, c *schema.Constraint, from string) []string {
	return comment("CONSTRAINT", Ident(c.Name)+" ON "+QName(t.Schema, t.Name), from, c.Comment)
}

func createEnum(e *schema.Enum) []string {
	vals := make([]string, len(e.Values))
	for i, v := range e.Values {
		vals[i] = Literal(v)
	}
	name := QName(e.Schema, e.Name)
	return append([]string{fmt.Sprintf("CREATE TYPE %s AS ENUM (%s)", name, strings.Join(vals, ", "))},
		comment("TYPE", name, "", e.Comment)...)
}

func createDomain(d *schema.Domain) []string {
	name := QName(d.Schema, d.Name)
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE DOMAIN %s AS %s", name, d.Type)
	if d.Collation != "" {
		b.WriteString(" COLLATE " + d.Collation)
	}
	if d.Default != "" {
		b.WriteString(" DEFAULT " + d.Default)
	}
	if d.NotNull {
		b.WriteString(" NOT NULL")
	}
	var later []string
	for _, c := range d.Checks {
		if c.NotValid {
			later = append(later, fmt.Sprintf("ALTER DOMAIN %s ADD CONSTRAINT %s %s NOT VALID", name, Ident(c.Name), c.Def))
		} else {
			fmt.Fprintf(&b, " CONSTRAINT %s %s", Ident(c.Name), c.Def)
		}
	}
	out := append([]string{b.String()}, later...)
	for _, c := range d.Checks {
		out = append(out, comment("CONSTRAINT", Ident(c.Name)+" ON DOMAIN "+name, "", c.Comment)...)
	}
	return append(out, comment("DOMAIN", name, "", d.Comment)...)
}

func alterDomain(f, t *schema.Domain) []string {
	name := QName(t.Schema, t.Name)
	var out []string
	if f.Default != t.Default {
		if t.Default == "" {
			out = append(out, "ALTER DOMAIN "+name+" DROP DEFAULT")
		} else {
			out = append(out, "ALTER DOMAIN "+name+" SET DEFAULT "+t.Default)
		}
	}
	if f.NotNull != t.NotNull {
		if t.NotNull {
			out = append(out, "ALTER DOMAIN "+name+" SET NOT NULL")
		} else {
			out = append(out, "ALTER DOMAIN "+name+" DROP NOT NULL")
		}
	}
	byName := func(cs []*schema.Constraint, n string) *schema.Constraint {
		for _, c := range cs {
			if c.Name == n {
				return c
			}
		}
		return nil
	}
	var adds []*schema.Constraint
	for _, fc := range f.Checks {
		tc := byName(t.Checks, fc.Name)
		switch {
		case tc == nil || tc.Def != fc.Def || (!fc.NotValid && tc.NotValid):
			out = append(out, fmt.Sprintf("ALTER DOMAIN %s DROP CONSTRAINT %s", name, Ident(fc.Name)))
			if tc != nil {
				adds = append(adds, tc)
			}
		default:
			if fc.NotValid && !tc.NotValid {
				out = append(out, fmt.Sprintf("ALTER DOMAIN %s VALIDATE CONSTRAINT %s", name, Ident(tc.Name)))
			}
			out = append(out, comment("CONSTRAINT", Ident(tc.Name)+" ON DOMAIN "+name, fc.Comment, tc.Comment)...)
		}
	}
	for _, tc := range t.Checks {
		if byName(f.Checks, tc.Name) == nil {
			adds = append(adds, tc)
		}
	}
	for _, c := range adds {
		s := fmt.Sprintf("ALTER DOMAIN %s ADD CONSTRAINT %s %s", name, Ident(c.Name), c.Def)
		if c.NotValid {
			s += " NOT VALID"
		}
		out = append(out, s)
		out = append(out, comment("CONSTRAINT", Ident(c.Name)+" ON DOMAIN "+name, "", c.Comment)...)
	}
	return append(out, comment("DOMAIN", name, f.Comment, t.Comment)...)
}

// recreateType replaces a type that cannot be altered in place: the old type is renamed out of
// the way, the new one created under the real name and every column converted; the old type is
// dropped later (DropReplacedType), once domains over it are replaced too. It all runs in the
// plan's transaction, so a value that does not convert rolls everything back.
func recreateType(c *diff.RecreateType) []string {
	if c.ToEnum == nil && c.ToDomain == nil {
		return recreateOther(c)
	}
	var (
		schemaName, typeName, kind string
		create                     []string
	)
	if c.ToEnum != nil {
		schemaName, typeName, kind = c.ToEnum.Schema, c.ToEnum.Name, "TYPE"
		create = createEnum(c.ToEnum)
	} else {
		schemaName, typeName, kind = c.ToDomain.Schema, c.ToDomain.Name, "DOMAIN"
		create = createDomain(c.ToDomain)
	}
	out := []string{fmt.Sprintf("ALTER %s %s RENAME TO %s", kind, QName(schemaName, typeName), Ident(c.OldName()))}
	out = append(out, create...)
	for _, u := range c.Columns {
		t := QName(u.Table.Schema, u.Table.Name)
		col := Ident(u.Column.Name)
		if u.Column.Default != "" {
			out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", t, col))
		}
		out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s", t, col, u.Column.Type, viaText(col, u.Column.Type)))
		if u.Default != "" {
			out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", t, col, u.Default))
		}
	}
	return out
}

// viaText converts through the text form, which every type has: there are no casts between
// two enums, or between two range types.
func viaText(col, typ string) string {
	text := "text"
	if strings.HasSuffix(typ, "[]") {
		text = "text[]"
	}
	return col + "::" + text + "::" + typ
}

// using is the conversion expression for a column type change: a cast where the engine has
// one, the text form where it has none.
func using(col string, f, t *schema.Column) string {
	isRange := func(typ string) bool {
		typ = strings.TrimSuffix(typ, "[]")
		return strings.HasSuffix(typ, "range") && !strings.Contains(typ, ".")
	}
	if (f.TypeRef != "" && t.TypeRef != "" && f.TypeRef != t.TypeRef) || (isRange(f.Type) && isRange(t.Type)) {
		return viaText(col, t.Type)
	}
	return col + "::" + t.Type
}

func createTable(t *schema.Table) []string {
	name := QName(t.Schema, t.Name)
	var lines []string
	for _, c := range t.Columns {
		lines = append(lines, "  "+columnDef(c))
	}
	for _, c := range t.Constraints {
		if diff.Inline(c) {
			lines = append(lines, fmt.Sprintf("  CONSTRAINT %s %s", Ident(c.Name), c.Def))
		}
	}
	s, ok := createPartitioned(t, lines)
	if !ok {
		create := "CREATE TABLE "
		if t.Unlogged {
			create = "CREATE UNLOGGED TABLE "
		}
		s = create + name + " (\n" + strings.Join(lines, ",\n") + "\n)"
		if len(t.Options) > 0 {
			s += " WITH (" + strings.Join(t.Options, ", ") + ")"
		}
	}
	out := []string{s}
	out = append(out, comment("TABLE", name, "", t.Comment)...)
	for _, c := range t.Columns {
		out = append(out, comment("COLUMN", name+"."+Ident(c.Name), "", c.Comment)...)
	}
	for _, c := range t.Constraints {
		if diff.Inline(c) {
			out = append(out, constraintComment(t, c, "")...)
		}
	}
	return out
}

func columnDef(c *schema.Column) string {
	var b strings.Builder
	b.WriteString(Ident(c.Name) + " " + c.Type)
	if c.Collation != "" {
		b.WriteString(" COLLATE " + c.Collation)
	}
	if c.Generated != "" {
		b.WriteString(" GENERATED ALWAYS AS (" + c.Generated + ") STORED")
	}
	if c.Identity != nil {
		b.WriteString(identityClause(c.Identity, c.Type))
	}
	if c.Default != "" {
		b.WriteString(" DEFAULT " + c.Default)
	}
	if c.NotNull && c.Identity == nil {
		b.WriteString(" NOT NULL")
	}
	return b.String()
}

func identityClause(id *schema.Identity, typ string) string {
	s := " GENERATED BY DEFAULT AS IDENTITY"
	if id.Always {
		s = " GENERATED ALWAYS AS IDENTITY"
	}
	opts := id.Sequence
	opts.Type = typ
	// An identity sequence takes the column's type; only the other options are said.
	o := slices.DeleteFunc(seqOpts(nil, &opts), func(x string) bool { return strings.HasPrefix(x, "AS ") })
	if len(o) > 0 {
		s += " (" + strings.Join(o, " ") + ")"
	}
	return s
}

func alterTable(f, t *schema.Table) []string {
	name := QName(t.Schema, t.Name)
	var out []string
	if f.Unlogged != t.Unlogged {
		if t.Unlogged {
			out = append(out, "ALTER TABLE "+name+" SET UNLOGGED")
		} else {
			out = append(out, "ALTER TABLE "+name+" SET LOGGED")
		}
	}
	set, reset := optionChanges(f.Options, t.Options)
	if len(set) > 0 {
		out = append(out, fmt.Sprintf("ALTER TABLE %s SET (%s)", name, strings.Join(set, ", ")))
	}
	if len(reset) > 0 {
		out = append(out, fmt.Sprintf("ALTER TABLE %s RESET (%s)", name, strings.Join(reset, ", ")))
	}
	return append(out, comment("TABLE", name, f.Comment, t.Comment)...)
}

// alterColumn changes a column in place. The steps run in an order the engine accepts: the
// old default goes before a type change (it may not cast), NOT NULL before an identity is
// added (identity requires it), and the new default last.
func alterColumn(tbl *schema.Table, f, t *schema.Column) []string {
	prefix := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", QName(tbl.Schema, tbl.Name), Ident(t.Name))
	var out []string
	add := func(s string) { out = append(out, prefix+s) }

	retype := f.Type != t.Type || f.Collation != t.Collation
	if f.Generated != "" && t.Generated == "" {
		add("DROP EXPRESSION")
	}
	defaultGone := f.Default != "" && (f.Default != t.Default || retype)
	if defaultGone {
		add("DROP DEFAULT")
	}
	if retype {
		s := "TYPE " + t.Type
		if t.Collation != "" {
			s += " COLLATE " + t.Collation
		} else if f.Collation != "" {
			s += ` COLLATE pg_catalog."default"`
		}
		if f.Type != t.Type {
			s += " USING " + using(Ident(t.Name), f, t)
		}
		add(s)
	}
	if t.NotNull && !f.NotNull {
		add("SET NOT NULL")
	}
	switch {
	case f.Identity == nil && t.Identity != nil:
		add("ADD" + identityClause(t.Identity, t.Type))
	case f.Identity != nil && t.Identity != nil:
		var parts []string
		if f.Identity.Always != t.Identity.Always {
			if t.Identity.Always {
				parts = append(parts, "SET GENERATED ALWAYS")
			} else {
				parts = append(parts, "SET GENERATED BY DEFAULT")
			}
		}
		fo, to := f.Identity.Sequence, t.Identity.Sequence
		fo.Type, to.Type = "", ""
		for _, p := range seqOpts(&fo, &to) {
			if !strings.HasPrefix(p, "RESTART") {
				p = "SET " + p
			}
			parts = append(parts, p)
		}
		if len(parts) > 0 {
			add(strings.Join(parts, " "))
		}
	}
	if t.Default != "" && (t.Default != f.Default || defaultGone) {
		add("SET DEFAULT " + t.Default)
	}
	if !t.NotNull && f.NotNull {
		add("DROP NOT NULL")
	}
	return append(out, comment("COLUMN", QName(tbl.Schema, tbl.Name)+"."+Ident(t.Name), f.Comment, t.Comment)...)
}
