// Package diff compares two schema models and returns the typed changes that take the first
// to the second. It decides what changes, not in which order or in what SQL: ordering belongs
// to package plan and SQL to the dialects.
package diff

import "github.com/sextant-db/sextant/internal/schema"

// Change is one typed difference between two realms.
type Change interface {
	// Kind is a stable kebab-case name, e.g. "add-column".
	Kind() string
	// Object is the qualified name of the object the change touches, e.g. "public.users.email".
	Object() string
}

// Schemas.
type (
	AddSchema    struct{ S *schema.Schema }
	DropSchema   struct{ S *schema.Schema }
	ModifySchema struct{ From, To *schema.Schema } // comment only
)

// Extensions.
type (
	AddExtension    struct{ E *schema.Extension }
	DropExtension   struct{ E *schema.Extension }
	ModifyExtension struct{ From, To *schema.Extension } // version or schema
)

// Types.
type (
	AddEnum  struct{ E *schema.Enum }
	DropEnum struct{ E *schema.Enum }
	// AddEnumValue appends or inserts one value. Before or After names its neighbour; both
	// empty means at the end.
	AddEnumValue struct {
		E             *schema.Enum
		Value         string
		Before, After string
	}
	// ModifyEnum changes the comment of an enum.
	ModifyEnum struct{ From, To *schema.Enum }
	AddDomain  struct{ D *schema.Domain }
	DropDomain struct{ D *schema.Domain }
	// ModifyDomain changes what ALTER DOMAIN can change: default, NOT NULL, checks, comment.
	ModifyDomain struct{ From, To *schema.Domain }
	// RecreateType replaces an enum whose values were removed or reordered, a domain whose
	// base type or collation changed, a composite type whose attributes are reordered or
	// retyped while columns use it, a changed range type, or a changed collation: the engine
	// cannot alter those in place. Exactly one From/To pair is set. Columns lists every
	// column of the old type (or, for a collation, with the old collation); each is converted
	// to the new one.
	RecreateType struct {
		FromEnum, ToEnum           *schema.Enum
		FromDomain, ToDomain       *schema.Domain
		FromComposite, ToComposite *schema.Composite
		FromRange, ToRange         *schema.Range
		FromCollation, ToCollation *schema.Collation
		Columns                    []TypeUse
	}
)

// DropReplacedType drops the old version of a recreated type once nothing uses it any more:
// after the domains over it have been recreated too.
type DropReplacedType struct{ R *RecreateType }

// DropIdentity turns an identity column into a plain one. It runs before sequences are created,
// so a serial sequence may take over the name of the identity's sequence.
type DropIdentity struct {
	T *schema.Table
	C *schema.Column
}

// TypeUse is a column of the from state that uses a recreated type. Default is the default to
// put back after the conversion (the target state's, when the column survives).
type TypeUse struct {
	Table   *schema.Table
	Column  *schema.Column
	Default string
}

// Sequences.
type (
	AddSequence  struct{ S *schema.Sequence }
	DropSequence struct{ S *schema.Sequence }
	// ModifySequence changes options, comment or OWNED BY.
	ModifySequence struct{ From, To *schema.Sequence }
	// SetSequenceOwner links a sequence to its column once the table exists.
	SetSequenceOwner struct{ S *schema.Sequence }
)

// Tables.
type (
	AddTable  struct{ T *schema.Table }
	DropTable struct {
		T *schema.Table
		// Recreate says an AddTable of this plan creates the table again (a partitioned
		// table whose key changes, see partition.go), so it is dropped early, before that.
		Recreate bool
		// Disown lists the sequences owned by the table's columns (serial) that the target
		// keeps: they are released before the table goes, which would take them along, and
		// owned again by a SetSequenceOwner.
		Disown []*schema.Sequence
	}
	// ModifyTable changes table-level properties: persistence, storage options, comment.
	ModifyTable struct{ From, To *schema.Table }
)

// Columns.
type (
	AddColumn struct {
		T *schema.Table
		C *schema.Column
	}
	DropColumn struct {
		T *schema.Table
		C *schema.Column
	}
	// ModifyColumn changes a column in place. The dialect renders every aspect that differs.
	ModifyColumn struct {
		T        *schema.Table
		From, To *schema.Column
	}
)

// Constraints and indexes.
type (
	AddConstraint struct {
		T *schema.Table
		C *schema.Constraint
	}
	DropConstraint struct {
		T *schema.Table
		C *schema.Constraint
	}
	// ValidateConstraint validates a constraint that was added NOT VALID.
	ValidateConstraint struct {
		T *schema.Table
		C *schema.Constraint
	}
	// CommentConstraint sets or removes the comment of an unchanged constraint.
	CommentConstraint struct {
		T *schema.Table
		C *schema.Constraint
	}
	AddIndex struct {
		T *schema.Table
		I *schema.Index
	}
	DropIndex struct {
		T *schema.Table
		I *schema.Index
	}
	// CommentIndex sets or removes the comment of an unchanged index.
	CommentIndex struct {
		T *schema.Table
		I *schema.Index
	}
)

// Views and materialized views.
type (
	AddView  struct{ V *schema.View }
	DropView struct{ V *schema.View }
	// ReplaceView changes the query of a view in place (CREATE OR REPLACE VIEW): the new
	// query keeps the old columns, in order, with their types and collations, and may add
	// columns at the end. Views that use it and its grants survive.
	ReplaceView struct{ From, To *schema.View }
	// RecreateView creates a view again after a DropView of its old version: its query
	// changed in a way CREATE OR REPLACE VIEW refuses (a materialized view always), or
	// something it uses is dropped, recreated or changes type.
	RecreateView struct{ From, To *schema.View }
	// ModifyView changes what a view keeps apart from its query: options, comments and the
	// indexes of a materialized view.
	ModifyView struct{ From, To *schema.View }
)

// Functions and procedures.
type (
	AddFunction  struct{ F *schema.Function }
	DropFunction struct{ F *schema.Function }
	// ReplaceFunction changes a function in place (CREATE OR REPLACE): its body or attributes
	// change, its result, parameters and kind do not.
	ReplaceFunction struct{ From, To *schema.Function }
	// RecreateFunction creates a function again after a DropFunction of its old version:
	// CREATE OR REPLACE refuses the change (a new result type, renamed or re-moded
	// parameters, removed defaults, function <-> procedure), or something it uses is
	// dropped, recreated or changes type.
	RecreateFunction struct{ From, To *schema.Function }
	// ModifyFunction changes the comment of an otherwise unchanged function.
	ModifyFunction struct{ From, To *schema.Function }
	// DropDefault removes a column default that calls a function which this plan drops and
	// creates again; a ModifyColumn sets the default back once the function exists.
	DropDefault struct {
		T *schema.Table
		C *schema.Column
	}
)

func q(parts ...string) string {
	s := parts[0]
	for _, p := range parts[1:] {
		s += "." + p
	}
	return s
}

func (c *AddSchema) Kind() string          { return "add-schema" }
func (c *DropSchema) Kind() string         { return "drop-schema" }
func (c *ModifySchema) Kind() string       { return "modify-schema" }
func (c *AddExtension) Kind() string       { return "add-extension" }
func (c *DropExtension) Kind() string      { return "drop-extension" }
func (c *ModifyExtension) Kind() string    { return "modify-extension" }
func (c *AddEnum) Kind() string            { return "add-enum" }
func (c *DropEnum) Kind() string           { return "drop-enum" }
func (c *AddEnumValue) Kind() string       { return "add-enum-value" }
func (c *ModifyEnum) Kind() string         { return "modify-enum" }
func (c *AddDomain) Kind() string          { return "add-domain" }
func (c *DropDomain) Kind() string         { return "drop-domain" }
func (c *ModifyDomain) Kind() string       { return "modify-domain" }
func (c *AddSequence) Kind() string        { return "add-sequence" }
func (c *DropSequence) Kind() string       { return "drop-sequence" }
func (c *ModifySequence) Kind() string     { return "modify-sequence" }
func (c *SetSequenceOwner) Kind() string   { return "set-sequence-owner" }
func (c *DropIdentity) Kind() string       { return "drop-identity" }
func (c *AddTable) Kind() string           { return "add-table" }
func (c *DropTable) Kind() string          { return "drop-table" }
func (c *ModifyTable) Kind() string        { return "modify-table" }
func (c *AddColumn) Kind() string          { return "add-column" }
func (c *DropColumn) Kind() string         { return "drop-column" }
func (c *ModifyColumn) Kind() string       { return "modify-column" }
func (c *AddConstraint) Kind() string      { return "add-constraint" }
func (c *DropConstraint) Kind() string     { return "drop-constraint" }
func (c *ValidateConstraint) Kind() string { return "validate-constraint" }
func (c *CommentConstraint) Kind() string  { return "comment-constraint" }
func (c *AddIndex) Kind() string           { return "add-index" }
func (c *DropIndex) Kind() string          { return "drop-index" }
func (c *CommentIndex) Kind() string       { return "comment-index" }
func (c *AddView) Kind() string            { return "add-view" }
func (c *DropView) Kind() string           { return "drop-view" }
func (c *ReplaceView) Kind() string        { return "replace-view" }
func (c *RecreateView) Kind() string       { return "recreate-view" }
func (c *ModifyView) Kind() string         { return "modify-view" }
func (c *AddFunction) Kind() string        { return "add-function" }
func (c *DropFunction) Kind() string       { return "drop-function" }
func (c *ReplaceFunction) Kind() string    { return "replace-function" }
func (c *RecreateFunction) Kind() string   { return "recreate-function" }
func (c *ModifyFunction) Kind() string     { return "modify-function" }
func (c *DropDefault) Kind() string        { return "drop-default" }

// Kind of a recreated type says which kind of type it is.
func (c *RecreateType) Kind() string {
	switch {
	case c.ToEnum != nil:
		return "recreate-enum"
	case c.ToComposite != nil:
		return "recreate-composite-type"
	case c.ToRange != nil:
		return "recreate-range-type"
	case c.ToCollation != nil:
		return "recreate-collation"
	}
	return "recreate-domain"
}

func (c *AddSchema) Object() string        { return c.S.Name }
func (c *DropSchema) Object() string       { return c.S.Name }
func (c *ModifySchema) Object() string     { return c.To.Name }
func (c *AddExtension) Object() string     { return c.E.Name }
func (c *DropExtension) Object() string    { return c.E.Name }
func (c *ModifyExtension) Object() string  { return c.To.Name }
func (c *AddEnum) Object() string          { return q(c.E.Schema, c.E.Name) }
func (c *DropEnum) Object() string         { return q(c.E.Schema, c.E.Name) }
func (c *AddEnumValue) Object() string     { return q(c.E.Schema, c.E.Name) }
func (c *ModifyEnum) Object() string       { return q(c.To.Schema, c.To.Name) }
func (c *AddDomain) Object() string        { return q(c.D.Schema, c.D.Name) }
func (c *DropDomain) Object() string       { return q(c.D.Schema, c.D.Name) }
func (c *ModifyDomain) Object() string     { return q(c.To.Schema, c.To.Name) }
func (c *AddSequence) Object() string      { return q(c.S.Schema, c.S.Name) }
func (c *DropSequence) Object() string     { return q(c.S.Schema, c.S.Name) }
func (c *ModifySequence) Object() string   { return q(c.To.Schema, c.To.Name) }
func (c *SetSequenceOwner) Object() string { return q(c.S.Schema, c.S.Name) }
func (c *DropIdentity) Object() string     { return q(c.T.Schema, c.T.Name, c.C.Name) }
func (c *AddTable) Object() string         { return q(c.T.Schema, c.T.Name) }
func (c *DropTable) Object() string        { return q(c.T.Schema, c.T.Name) }
func (c *ModifyTable) Object() string      { return q(c.To.Schema, c.To.Name) }
func (c *AddColumn) Object() string        { return q(c.T.Schema, c.T.Name, c.C.Name) }
func (c *DropColumn) Object() string       { return q(c.T.Schema, c.T.Name, c.C.Name) }
func (c *ModifyColumn) Object() string     { return q(c.T.Schema, c.T.Name, c.To.Name) }
func (c *AddConstraint) Object() string    { return q(c.T.Schema, c.T.Name, c.C.Name) }
func (c *DropConstraint) Object() string   { return q(c.T.Schema, c.T.Name, c.C.Name) }
func (c *ValidateConstraint) Object() string {
	return q(c.T.Schema, c.T.Name, c.C.Name)
}
func (c *CommentConstraint) Object() string { return q(c.T.Schema, c.T.Name, c.C.Name) }
func (c *AddIndex) Object() string          { return q(c.T.Schema, c.I.Name) }
func (c *DropIndex) Object() string         { return q(c.T.Schema, c.I.Name) }
func (c *CommentIndex) Object() string      { return q(c.T.Schema, c.I.Name) }
func (c *AddView) Object() string           { return q(c.V.Schema, c.V.Name) }
func (c *DropView) Object() string          { return q(c.V.Schema, c.V.Name) }
func (c *ReplaceView) Object() string       { return q(c.To.Schema, c.To.Name) }
func (c *RecreateView) Object() string      { return q(c.To.Schema, c.To.Name) }
func (c *ModifyView) Object() string        { return q(c.To.Schema, c.To.Name) }
func (c *AddFunction) Object() string       { return q(c.F.Schema, c.F.Key()) }
func (c *DropFunction) Object() string      { return q(c.F.Schema, c.F.Key()) }
func (c *ReplaceFunction) Object() string   { return q(c.To.Schema, c.To.Key()) }
func (c *RecreateFunction) Object() string  { return q(c.To.Schema, c.To.Key()) }
func (c *ModifyFunction) Object() string    { return q(c.To.Schema, c.To.Key()) }
func (c *DropDefault) Object() string       { return q(c.T.Schema, c.T.Name, c.C.Name) }
func (c *RecreateType) Object() string {
	s, n := c.name()
	return q(s, n)
}

// name returns the schema and name of the recreated type.
func (c *RecreateType) name() (string, string) {
	switch {
	case c.ToEnum != nil:
		return c.ToEnum.Schema, c.ToEnum.Name
	case c.ToComposite != nil:
		return c.ToComposite.Schema, c.ToComposite.Name
	case c.ToRange != nil:
		return c.ToRange.Schema, c.ToRange.Name
	case c.ToCollation != nil:
		return c.ToCollation.Schema, c.ToCollation.Name
	}
	return c.ToDomain.Schema, c.ToDomain.Name
}

// Kind of a dropped replaced type follows the type's kind.
func (c *DropReplacedType) Kind() string { return "drop-replaced-" + c.R.Kind()[len("recreate-"):] }

// Object is the recreated type.
func (c *DropReplacedType) Object() string { return c.R.Object() }

// OldName is the name the old version of the type carries while it is being replaced.
func (c *RecreateType) OldName() string {
	_, n := c.name()
	return OldName(n)
}

// OldName is the name an object being replaced carries until it is dropped.
func OldName(name string) string { return name + "__sextant_old" }
