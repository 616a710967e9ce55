// Package schema is Sextant's dialect-neutral model of a database schema.
//
// A model is produced by inspecting a live database (see the dialect packages) and is never
// parsed from SQL text by hand. Definitions that an engine can print canonically (a default
// expression, a check, an index) are kept as the engine printed them, so that two models
// inspected on the same server compare exactly.
package schema

// Realm is everything Sextant manages in one database: its schemas and the extensions
// installed in it.
type Realm struct {
	Dialect    string       `json:"dialect"`
	Schemas    []*Schema    `json:"schemas"`
	Extensions []*Extension `json:"extensions,omitempty"`
}

// Schema is a namespace (a PostgreSQL schema, a MySQL database).
type Schema struct {
	Name      string      `json:"name"`
	Comment   string      `json:"comment,omitempty"`
	Tables    []*Table    `json:"tables,omitempty"`
	Enums     []*Enum     `json:"enums,omitempty"`
	Domains   []*Domain   `json:"domains,omitempty"`
	Sequences []*Sequence `json:"sequences,omitempty"`
}

// Table is an ordinary table.
type Table struct {
	Schema      string        `json:"schema"`
	Name        string        `json:"name"`
	Unlogged    bool          `json:"unlogged,omitempty"`
	Options     []string      `json:"options,omitempty"` // storage parameters, "key=value", sorted
	Comment     string        `json:"comment,omitempty"`
	Columns     []*Column     `json:"columns"`
	Constraints []*Constraint `json:"constraints,omitempty"`
	Indexes     []*Index      `json:"indexes,omitempty"`
}

// Column is a table column. Columns keep the order the engine reports, but that order is not
// part of a fingerprint: a column appended by a migration and the same column declared in the
// middle of CREATE TABLE are the same schema.
type Column struct {
	Name      string    `json:"name"`
	Type      string    `json:"type"` // as the engine prints it, e.g. "character varying(20)"
	NotNull   bool      `json:"not_null,omitempty"`
	Default   string    `json:"default,omitempty"`   // expression text, empty when none
	Generated string    `json:"generated,omitempty"` // stored generation expression
	Identity  *Identity `json:"identity,omitempty"`
	Collation string    `json:"collation,omitempty"` // only when it differs from the type's default
	Comment   string    `json:"comment,omitempty"`
	// TypeRef names the user-defined type (enum or domain, "schema.name") the column's type
	// is or is an array of. It lets the planner find the columns a type change touches.
	TypeRef string `json:"type_ref,omitempty"`
}

// Identity describes an identity column and its sequence.
type Identity struct {
	Always   bool         `json:"always"` // GENERATED ALWAYS, else BY DEFAULT
	Sequence SequenceOpts `json:"sequence"`
}

// SequenceOpts are the options shared by sequences and identity columns.
type SequenceOpts struct {
	Type      string `json:"type,omitempty"` // smallint, integer or bigint
	Start     int64  `json:"start"`
	Increment int64  `json:"increment"`
	Min       int64  `json:"min"`
	Max       int64  `json:"max"`
	Cache     int64  `json:"cache"`
	Cycle     bool   `json:"cycle,omitempty"`
}

// ConstraintKind says what a constraint enforces.
type ConstraintKind string

// The constraint kinds.
const (
	PrimaryKey ConstraintKind = "primary-key"
	Unique     ConstraintKind = "unique"
	Check      ConstraintKind = "check"
	ForeignKey ConstraintKind = "foreign-key"
	Exclusion  ConstraintKind = "exclusion"
)

// Constraint is a table constraint. Def is the engine's canonical definition without the
// validation state, which is kept apart in NotValid so that validating a constraint is a change
// of its own rather than a drop and re-create.
type Constraint struct {
	Name       string         `json:"name"`
	Kind       ConstraintKind `json:"kind"`
	Def        string         `json:"def"`
	Columns    []string       `json:"columns,omitempty"`
	NotValid   bool           `json:"not_valid,omitempty"`
	Deferrable bool           `json:"deferrable,omitempty"`
	RefSchema  string         `json:"ref_schema,omitempty"` // foreign keys
	RefTable   string         `json:"ref_table,omitempty"`
	RefColumns []string       `json:"ref_columns,omitempty"`
	Comment    string         `json:"comment,omitempty"`
}

// Index is an index that does not back a constraint (those belong to the constraint).
type Index struct {
	Name    string   `json:"name"`
	Def     string   `json:"def"` // the full CREATE INDEX statement as the engine prints it
	Unique  bool     `json:"unique,omitempty"`
	Method  string   `json:"method,omitempty"`
	Columns []string `json:"columns,omitempty"` // key columns or expressions
	Where   string   `json:"where,omitempty"`
	Comment string   `json:"comment,omitempty"`
}

// Enum is an enumerated type; the order of Values is significant.
type Enum struct {
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	Values  []string `json:"values"`
	Comment string   `json:"comment,omitempty"`
}

// Domain is a named type over a base type with optional constraints.
type Domain struct {
	Schema    string        `json:"schema"`
	Name      string        `json:"name"`
	Type      string        `json:"type"`
	TypeRef   string        `json:"type_ref,omitempty"` // user type the domain is over
	NotNull   bool          `json:"not_null,omitempty"`
	Default   string        `json:"default,omitempty"`
	Collation string        `json:"collation,omitempty"`
	Checks    []*Constraint `json:"checks,omitempty"`
	Comment   string        `json:"comment,omitempty"`
}

// Sequence is a sequence that is not the internal sequence of an identity column.
type Sequence struct {
	Schema  string       `json:"schema"`
	Name    string       `json:"name"`
	Opts    SequenceOpts `json:"opts"`
	OwnedBy string       `json:"owned_by,omitempty"` // "table.column" in the same schema, as for serial
	Comment string       `json:"comment,omitempty"`
}

// Extension is an installed extension.
type Extension struct {
	Name    string `json:"name"`
	Schema  string `json:"schema"`
	Version string `json:"version"`
}

// Lookup helpers keep callers free of loops over slices.

// Schema returns the schema called name, or nil.
func (r *Realm) Schema(name string) *Schema {
	for _, s := range r.Schemas {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Extension returns the extension called name, or nil.
func (r *Realm) Extension(name string) *Extension {
	for _, e := range r.Extensions {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Table returns the table called name, or nil.
func (s *Schema) Table(name string) *Table {
	for _, t := range s.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Column returns the column called name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}
