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
	// EventTriggers are database-wide; the functions they call live in a schema.
	EventTriggers []*EventTrigger `json:"event_triggers,omitempty"`
}

// Schema is a namespace (a PostgreSQL schema, a MySQL database).
type Schema struct {
	Name      string      `json:"name"`
	Comment   string      `json:"comment,omitempty"`
	Tables    []*Table    `json:"tables,omitempty"`
	Enums     []*Enum     `json:"enums,omitempty"`
	Domains   []*Domain   `json:"domains,omitempty"`
	Sequences []*Sequence `json:"sequences,omitempty"`
	Views     []*View     `json:"views,omitempty"`
	Functions []*Function `json:"functions,omitempty"`
	// Composites, Ranges and Collations are the composite types, range types and
	// collations the schema holds (see types.go).
	Composites []*Composite `json:"composites,omitempty"`
	Ranges     []*Range     `json:"ranges,omitempty"`
	Collations []*Collation `json:"collations,omitempty"`
	Grants     []Grant      `json:"grants,omitempty"` // privileges on the schema itself
}

// Table is an ordinary table, a partitioned table or a partition.
//
// A partition's columns are its parent's: PostgreSQL copies them (with their defaults and NOT
// NULL) when the partition is created and keeps them in step, so a partition has no Columns of
// its own, and the constraints and indexes declared on the parent, which PostgreSQL clones
// onto every partition, belong to the parent only. What a partition has of its own are the
// constraints and indexes declared on it alone.
type Table struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// PartitionKey is the partition key of a partitioned table as the engine prints it:
	// "RANGE (created_at)", "LIST (lower(region))", "HASH (id)"; empty for other tables.
	PartitionKey string `json:"partition_key,omitempty"`
	// PartitionOf is the table this one is a partition of, as "schema.name" (see PartitionRef),
	// and Bound its bound as the engine prints it: "FOR VALUES FROM (1) TO (10)", "DEFAULT".
	PartitionOf string        `json:"partition_of,omitempty"`
	Bound       string        `json:"bound,omitempty"`
	Unlogged    bool          `json:"unlogged,omitempty"`
	Options     []string      `json:"options,omitempty"` // storage parameters, "key=value", sorted
	Comment     string        `json:"comment,omitempty"`
	Columns     []*Column     `json:"columns"`
	Constraints []*Constraint `json:"constraints,omitempty"`
	Indexes     []*Index      `json:"indexes,omitempty"`
	Triggers    []*Trigger    `json:"triggers,omitempty"`
	// RowSecurity and ForceRowSecurity are ENABLE and FORCE ROW LEVEL SECURITY; Policies
	// are the table's row-level security policies.
	RowSecurity      bool      `json:"row_security,omitempty"`
	ForceRowSecurity bool      `json:"force_row_security,omitempty"`
	Policies         []*Policy `json:"policies,omitempty"`
	Grants           []Grant   `json:"grants,omitempty"` // table privileges; column ones are on the columns
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
	// TypeRef names the user-defined type (enum, domain, composite or range, "schema.name")
	// the column's type
	// is or is an array of. It lets the planner find the columns a type change touches.
	TypeRef string  `json:"type_ref,omitempty"`
	Grants  []Grant `json:"grants,omitempty"` // column privileges (GRANT SELECT (col) …)
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
	Grants  []Grant      `json:"grants,omitempty"`
}

// View is a view or a materialized view. Its query is kept as the engine prints it, so two
// views compare by what they do, not by how their SQL was written.
type View struct {
	Schema       string `json:"schema"`
	Name         string `json:"name"`
	Materialized bool   `json:"materialized,omitempty"`
	// Def is the query as pg_get_viewdef prints it under an empty search_path (every name
	// schema-qualified), without the trailing semicolon.
	Def string `json:"def"`
	// Options are the reloptions, "key=value", sorted: security_barrier, check_option and
	// security_invoker for views, storage parameters for materialized views.
	Options []string `json:"options,omitempty"`
	// Columns are the view's output columns in the query's order, which PostgreSQL fixes:
	// CREATE OR REPLACE VIEW may only add columns at the end.
	Columns []*ViewColumn `json:"columns"`
	Indexes []*Index      `json:"indexes,omitempty"` // materialized views only
	Comment string        `json:"comment,omitempty"`
	Grants  []Grant       `json:"grants,omitempty"`
	// DependsOn lists what the query uses, as references (see Ref), read from the engine's
	// dependency catalog rather than from the text. It follows from Def, so it is not part of
	// a fingerprint; the planner orders views and finds the views a change touches with it.
	DependsOn []string `json:"depends_on,omitempty"`
}

// ViewColumn is an output column of a view.
type ViewColumn struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Collation string `json:"collation,omitempty"` // only when it differs from the type's default
	// Default is the value an INSERT through the view gives the column when it names none
	// (ALTER VIEW … ALTER COLUMN … SET DEFAULT).
	Default string `json:"default,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// Function is a function or a procedure. Overloads share a name and differ in Signature,
// so a function is identified by its schema and Key.
type Function struct {
	Schema    string `json:"schema"`
	Name      string `json:"name"`
	Procedure bool   `json:"procedure,omitempty"`
	// Signature lists the types of the arguments that identify the function among its
	// overloads, as the engine prints them: "integer, text".
	Signature string `json:"signature"`
	// Args is the full argument list as declared: modes, names, types and defaults.
	Args string `json:"args"`
	// Params are the parameters without their defaults, every mode included, in order;
	// Defaults is how many of the input parameters have a default.
	Params   []Param `json:"params,omitempty"`
	Defaults int     `json:"defaults,omitempty"`
	// Result is what the function returns ("integer", "SETOF public.t", "TABLE(id integer)");
	// empty for a procedure.
	Result          string   `json:"result,omitempty"`
	Language        string   `json:"language"`
	Volatility      string   `json:"volatility"` // immutable, stable or volatile
	Strict          bool     `json:"strict,omitempty"`
	SecurityDefiner bool     `json:"security_definer,omitempty"`
	Leakproof       bool     `json:"leakproof,omitempty"`
	Parallel        string   `json:"parallel"`         // safe, restricted or unsafe
	Config          []string `json:"config,omitempty"` // SET options, "key=value", in declared order
	// Def is the whole CREATE OR REPLACE statement as pg_get_functiondef prints it under an
	// empty search_path, without the trailing newline. The attributes above are read from the
	// same catalog row; they are kept apart to decide how a change can be made.
	Def     string  `json:"def"`
	Comment string  `json:"comment,omitempty"`
	Grants  []Grant `json:"grants,omitempty"`
	// DependsOn lists the types, relations, columns and functions the function uses, as
	// references (see Ref), from the engine's dependency catalog: its argument and result
	// types and, for a body in SQL-standard form (BEGIN ATOMIC, RETURN), what the body
	// reads. A body in a string literal is not analysed by the engine and records nothing.
	DependsOn []string `json:"depends_on,omitempty"`
	// UsedBy lists the table and type parts whose expressions call the function: column
	// defaults and generation expressions (RefDefault), constraints, indexes and domains.
	// Views and functions record their own use in DependsOn.
	UsedBy []string `json:"used_by,omitempty"`
}

// Param is a parameter of a function or procedure.
type Param struct {
	Mode string `json:"mode"` // in, out, inout, variadic or table
	Name string `json:"name,omitempty"`
	Type string `json:"type"`
}

// Key identifies a function within its schema: its name and argument types.
func (f *Function) Key() string { return f.Name + "(" + f.Signature + ")" }

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

// View returns the view or materialized view called name, or nil.
func (s *Schema) View(name string) *View {
	for _, v := range s.Views {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Function returns the function or procedure with the given key (see Function.Key), or nil.
func (s *Schema) Function(key string) *Function {
	for _, f := range s.Functions {
		if f.Key() == key {
			return f
		}
	}
	return nil
}

// Index returns the index of a materialized view called name, or nil.
func (v *View) Index(name string) *Index {
	for _, i := range v.Indexes {
		if i.Name == name {
			return i
		}
	}
	return nil
}
