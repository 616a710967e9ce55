package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Scope selects the part of a database a project manages. Everything outside it is left alone:
// it is neither planned, nor fingerprinted, nor dropped.
//
// The rules, applied by Apply:
//
//   - A schema is kept when Include is empty or lists its name exactly, and no Exclude glob
//     matches its name.
//   - Inside a kept schema, a table, enum, domain, composite type, range type, collation,
//     sequence, view or function is dropped when an
//     Exclude glob matches its schema-qualified name, "schema.name" (the name of the schema
//     that holds it). A function's name is matched without its argument list, so one glob
//     covers all its overloads.
//   - An extension is kept when its schema would be kept by the first rule (whether or not that
//     schema is in the realm) or when it has no schema, unless an Exclude glob matches the
//     extension's own name. Extension names are database-wide, so they are matched unqualified.
//   - An event trigger is kept when the schema of the function it executes would be kept, unless
//     an Exclude glob matches the event trigger's own (database-wide, unqualified) name.
//   - A sequence OWNED BY a dropped table is dropped with it: PostgreSQL drops such a sequence
//     with its table, so managing one without the other would plan changes to an object whose
//     life is decided elsewhere. Columns, constraints, indexes, triggers, policies and identity
//     sequences live on their table and go with it, and the grants on an object go with the object.
//   - A partition of a dropped table, or of a table in a schema the scope leaves out, is
//     dropped too, and so are its own partitions: PostgreSQL drops partitions with their parent
//     and keeps their columns in step with it.
//   - References from kept objects to dropped ones are kept as they are: a foreign key to an
//     excluded table, a column of an excluded enum or domain type, a default calling nextval on
//     an excluded sequence. The referenced object still exists in the database; it is only
//     unmanaged, and removing the reference would make Sextant plan to drop it.
//
// Globs use path.Match syntax. Each one is tried against schema names and against qualified
// object names alike, and its "*" does not stop at the dot: "tmp_*" also matches "tmp_x.t" (a
// table in a schema it already excludes), and "*_old" excludes the schema "app_old" as well as
// the table "public.users_old".
type Scope struct {
	Include []string // schema names to manage; empty means every schema in the realm
	Exclude []string // path.Match globs over schema names ("audit", "tmp_*") and schema-qualified object names ("public.legacy_*")
}

// Empty reports whether the scope selects everything, so Apply has nothing to do.
func (s Scope) Empty() bool {
	return len(s.Include) == 0 && len(s.Exclude) == 0
}

// Validate reports every Exclude glob that path.Match cannot compile. Each error names its
// pattern and wraps path.ErrBadPattern.
func (s Scope) Validate() error {
	var errs []error
	for _, p := range s.Exclude {
		// path.Match checks the whole pattern even when the name cannot match, so any probe
		// string finds a malformed one.
		if _, err := path.Match(p, ""); err != nil {
			errs = append(errs, fmt.Errorf("exclude pattern %q: %w", p, err))
		}
	}
	return errors.Join(errs...)
}

// Apply returns a new realm holding only what the scope manages, under the rules documented on
// Scope. The result shares no memory with r, so neither can be changed through the other. The
// objects keep their order in r; Fingerprint sorts anyway, and every keep-or-drop decision
// depends on an object's own name (and, for a sequence, its owner's), never on its position,
// so the result's fingerprint does not depend on the order of r.
//
// An empty scope returns r itself: the common case needs no copy.
//
// Apply panics on a scope that fails Validate. Callers validate configuration when they read
// it; matching a malformed glob as "nothing" instead would quietly bring objects the user
// meant to exclude under management, and a plan could then drop them.
func (s Scope) Apply(r *Realm) *Realm {
	if r == nil || s.Empty() {
		return r
	}
	if err := s.Validate(); err != nil {
		panic(fmt.Sprintf("schema.Scope.Apply: %v", err))
	}
	// Filter into fresh containers that still point at r's objects, then deep-copy the
	// result, so only what is kept is copied.
	out := &Realm{Dialect: r.Dialect}
	for _, sc := range r.Schemas {
		if s.keepsSchema(sc.Name) {
			out.Schemas = append(out.Schemas, s.filterSchema(sc))
		}
	}
	for _, e := range r.Extensions {
		if (e.Schema == "" || s.keepsSchema(e.Schema)) && !s.excludes(e.Name) {
			out.Extensions = append(out.Extensions, e)
		}
	}
	for _, e := range r.EventTriggers {
		if s.keepsSchema(e.FunctionSchema) && !s.excludes(e.Name) {
			out.EventTriggers = append(out.EventTriggers, e)
		}
	}
	return deepCopy(out)
}

// Keeps reports whether the scope manages the object named name in schema schemaName, by the
// rules for objects of a schema: its schema is kept and no Exclude glob matches
// "schemaName.name". An empty name asks about the schema alone.
func (s Scope) Keeps(schemaName, name string) bool {
	if !s.keepsSchema(schemaName) {
		return false
	}
	return name == "" || !s.excludes(schemaName+"."+name)
}

// keepsSchema applies the schema rule to a name.
func (s Scope) keepsSchema(name string) bool {
	if len(s.Include) > 0 && !slices.Contains(s.Include, name) {
		return false
	}
	return !s.excludes(name)
}

// excludes reports whether any Exclude glob matches name. Apply has validated the globs, so
// path.Match cannot fail here.
func (s Scope) excludes(name string) bool {
	for _, p := range s.Exclude {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// filterSchema returns a shallow copy of sc without the objects the scope excludes.
func (s Scope) filterSchema(sc *Schema) *Schema {
	qualified := func(name string) string { return sc.Name + "." + name }
	out := &Schema{Name: sc.Name, Comment: sc.Comment, Grants: sc.Grants}
	var droppedTables []string
	for _, t := range sc.Tables {
		if s.excludes(qualified(t.Name)) || s.excludesParent(sc, t) {
			droppedTables = append(droppedTables, t.Name)
			continue
		}
		out.Tables = append(out.Tables, t)
	}
	for _, e := range sc.Enums {
		if !s.excludes(qualified(e.Name)) {
			out.Enums = append(out.Enums, e)
		}
	}
	for _, d := range sc.Domains {
		if !s.excludes(qualified(d.Name)) {
			out.Domains = append(out.Domains, d)
		}
	}
	for _, q := range sc.Sequences {
		if !s.excludes(qualified(q.Name)) && !ownedByAny(q, droppedTables) {
			out.Sequences = append(out.Sequences, q)
		}
	}
	for _, v := range sc.Views {
		if !s.excludes(qualified(v.Name)) {
			out.Views = append(out.Views, v)
		}
	}
	for _, f := range sc.Functions {
		if !s.excludes(qualified(f.Name)) {
			out.Functions = append(out.Functions, f)
		}
	}
	s.filterTypes(sc, out)
	return out
}

// ownedByAny reports whether q is OWNED BY a column of one of the named tables of its schema.
// OwnedBy is "table.column"; matching the table name plus the dot as a prefix, rather than
// splitting at a dot, copes with a quoted table or column name that contains a dot itself.
func ownedByAny(q *Sequence, tables []string) bool {
	if q.OwnedBy == "" {
		return false
	}
	for _, t := range tables {
		if strings.HasPrefix(q.OwnedBy, t+".") {
			return true
		}
	}
	return false
}

// deepCopy copies r through its JSON form, as Sorted does. The model is plain data that is
// defined by its JSON form (Canonical hashes it), so the round trip copies every field,
// including ones added to the model later, which a hand-written copy could forget.
func deepCopy(r *Realm) *Realm {
	b, err := json.Marshal(r)
	if err != nil {
		panic(fmt.Sprintf("copy realm: %v", err))
	}
	var c Realm
	if err := json.Unmarshal(b, &c); err != nil {
		panic(fmt.Sprintf("copy realm: %v", err))
	}
	return &c
}
