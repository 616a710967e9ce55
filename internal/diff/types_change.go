package diff

import "github.com/sextant-db/sextant/internal/schema"

// Composite types, range types and collations. What cannot be altered in place is recreated
// (RecreateType, with the columns that use it converted).
type (
	AddComposite  struct{ C *schema.Composite }
	DropComposite struct{ C *schema.Composite }
	// ModifyComposite alters a composite type in place: attributes dropped, added at the end,
	// or changing type or collation while no column uses the type; and its comment.
	ModifyComposite struct{ From, To *schema.Composite }
	AddRange        struct{ R *schema.Range }
	DropRange       struct{ R *schema.Range }
	// ModifyRange changes the comment of an otherwise unchanged range type.
	ModifyRange  struct{ From, To *schema.Range }
	AddCollation struct{ C *schema.Collation }
	// DropCollation drops a collation nothing uses any more.
	DropCollation struct{ C *schema.Collation }
	// ModifyCollation changes the comment of an otherwise unchanged collation.
	ModifyCollation struct{ From, To *schema.Collation }
)

// The kinds of object ModifyGrants changes privileges on.
const (
	GrantsOnSchema   = "schema"
	GrantsOnTable    = "table"
	GrantsOnView     = "view"
	GrantsOnColumn   = "column"
	GrantsOnSequence = "sequence"
	GrantsOnFunction = "function"
)

// ModifyGrants grants and revokes privileges on one object so that its grants become To.
// From is what the object holds before: its grants in the from state, or, when the plan
// creates the object, the engine's defaults for its kind.
type ModifyGrants struct {
	On       string // one of the GrantsOn kinds
	Schema   string
	Name     string // the table, view, sequence or function key; empty for a schema
	Column   string // for a column
	Function *schema.Function
	From, To []schema.Grant
}

func (c *AddComposite) Kind() string    { return "add-composite-type" }
func (c *DropComposite) Kind() string   { return "drop-composite-type" }
func (c *ModifyComposite) Kind() string { return "modify-composite-type" }
func (c *AddRange) Kind() string        { return "add-range-type" }
func (c *DropRange) Kind() string       { return "drop-range-type" }
func (c *ModifyRange) Kind() string     { return "modify-range-type" }
func (c *AddCollation) Kind() string    { return "add-collation" }
func (c *DropCollation) Kind() string   { return "drop-collation" }
func (c *ModifyCollation) Kind() string { return "modify-collation" }

// Kind of a grant change names the kind of object: "grant-table".
func (c *ModifyGrants) Kind() string { return "grant-" + c.On }

func (c *AddComposite) Object() string    { return q(c.C.Schema, c.C.Name) }
func (c *DropComposite) Object() string   { return q(c.C.Schema, c.C.Name) }
func (c *ModifyComposite) Object() string { return q(c.To.Schema, c.To.Name) }
func (c *AddRange) Object() string        { return q(c.R.Schema, c.R.Name) }
func (c *DropRange) Object() string       { return q(c.R.Schema, c.R.Name) }
func (c *ModifyRange) Object() string     { return q(c.To.Schema, c.To.Name) }
func (c *AddCollation) Object() string    { return q(c.C.Schema, c.C.Name) }
func (c *DropCollation) Object() string   { return q(c.C.Schema, c.C.Name) }
func (c *ModifyCollation) Object() string { return q(c.To.Schema, c.To.Name) }

// Object of a grant change is the object whose privileges change.
func (c *ModifyGrants) Object() string {
	switch {
	case c.On == GrantsOnSchema:
		return c.Schema
	case c.On == GrantsOnColumn:
		return q(c.Schema, c.Name, c.Column)
	}
	return q(c.Schema, c.Name)
}
