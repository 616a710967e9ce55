package diff

import (
	"slices"

	"github.com/sextant-db/sextant/internal/schema"
)

// Row-level security.
type (
	// SetRowSecurity turns ENABLE and FORCE ROW LEVEL SECURITY of a table on or off.
	SetRowSecurity struct{ From, To *schema.Table }
	AddPolicy      struct {
		T *schema.Table
		P *schema.Policy
	}
	DropPolicy struct {
		T *schema.Table
		P *schema.Policy
	}
	// AlterPolicy changes a policy in place (ALTER POLICY): its roles and expressions. A new
	// command or kind (permissive, restrictive), or a removed expression, which ALTER POLICY
	// cannot do, drops and creates the policy instead.
	AlterPolicy struct {
		T        *schema.Table
		From, To *schema.Policy
	}
	// CommentPolicy sets or removes the comment of an otherwise unchanged policy.
	CommentPolicy struct {
		T        *schema.Table
		From, To *schema.Policy
	}
)

func (c *SetRowSecurity) Kind() string { return "modify-row-security" }
func (c *AddPolicy) Kind() string      { return "add-policy" }
func (c *DropPolicy) Kind() string     { return "drop-policy" }
func (c *AlterPolicy) Kind() string    { return "alter-policy" }
func (c *CommentPolicy) Kind() string  { return "comment-policy" }

func (c *SetRowSecurity) Object() string { return q(c.To.Schema, c.To.Name) }
func (c *AddPolicy) Object() string      { return q(c.T.Schema, c.T.Name, c.P.Name) }
func (c *DropPolicy) Object() string     { return q(c.T.Schema, c.T.Name, c.P.Name) }
func (c *AlterPolicy) Object() string    { return q(c.T.Schema, c.T.Name, c.To.Name) }
func (c *CommentPolicy) Object() string  { return q(c.T.Schema, c.T.Name, c.To.Name) }

// policies compares the row-level security of table f with its target version t; f is nil
// for a new table.
func (d *differ) policies(f, t *schema.Table) {
	from := f
	if from == nil {
		from = &schema.Table{Schema: t.Schema, Name: t.Name}
	}
	if from.RowSecurity != t.RowSecurity || from.ForceRowSecurity != t.ForceRowSecurity {
		d.add(&SetRowSecurity{From: from, To: t})
	}
	for _, tp := range t.Policies {
		fp := from.Policy(tp.Name)
		switch {
		case fp == nil:
			d.add(&AddPolicy{T: t, P: tp})
		case fp.Command != tp.Command || fp.Restrictive != tp.Restrictive ||
			(fp.Using != "" && tp.Using == "") || (fp.Check != "" && tp.Check == ""):
			d.add(&DropPolicy{T: f, P: fp}, &AddPolicy{T: t, P: tp})
		case fp.Using != tp.Using || fp.Check != tp.Check || !slices.Equal(fp.Roles, tp.Roles):
			d.add(&AlterPolicy{T: t, From: fp, To: tp})
		case fp.Comment != tp.Comment:
			d.add(&CommentPolicy{T: t, From: fp, To: tp})
		}
	}
	for _, fp := range from.Policies {
		if t.Policy(fp.Name) == nil {
			d.add(&DropPolicy{T: f, P: fp})
		}
	}
}
