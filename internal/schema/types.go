package schema

import (
	"slices"
	"strings"
)

// Composite is a composite type (CREATE TYPE … AS (…)). The order of Attributes is significant:
// it is the order of the fields of a row value.
type Composite struct {
	Schema     string       `json:"schema"`
	Name       string       `json:"name"`
	Attributes []*Attribute `json:"attributes"`
	Comment    string       `json:"comment,omitempty"`
}

// Attribute is a field of a composite type.
type Attribute struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Collation string `json:"collation,omitempty"` // only when it differs from the type's default
	// TypeRef names the user-defined type the attribute's type is or is an array of, as for
	// Column.TypeRef.
	TypeRef string `json:"type_ref,omitempty"`
}

// Range is a range type (CREATE TYPE … AS RANGE) and the multirange type PostgreSQL creates
// with it. None of its properties can be altered: a change recreates it.
type Range struct {
	Schema  string `json:"schema"`
	Name    string `json:"name"`
	Subtype string `json:"subtype"`
	// SubtypeRef names the user-defined type the subtype is, as for Column.TypeRef.
	SubtypeRef string `json:"subtype_ref,omitempty"`
	// Opclass is the subtype's btree operator class, schema-qualified; empty when it is the
	// subtype's default.
	Opclass   string `json:"opclass,omitempty"`
	Collation string `json:"collation,omitempty"` // only when it differs from the subtype's default
	// SubtypeDiff is the difference function's qualified name as the engine prints it, empty
	// when there is none.
	SubtypeDiff string `json:"subtype_diff,omitempty"`
	// DependsOn is the reference to the difference function (see Ref), for ordering; it
	// follows from SubtypeDiff and is not part of a fingerprint.
	DependsOn  []string `json:"depends_on,omitempty"`
	Multirange string   `json:"multirange"` // the name of the multirange type, in the same schema
	Comment    string   `json:"comment,omitempty"`
}

// Collation is a collation created with CREATE COLLATION. Nothing but its name, owner and
// comment can be altered, so any other change recreates it.
type Collation struct {
	Schema   string `json:"schema"`
	Name     string `json:"name"`
	Provider string `json:"provider"` // icu or libc
	// Locale is the ICU locale, or for libc the locale when LC_COLLATE and LC_CTYPE agree.
	Locale string `json:"locale,omitempty"`
	// LcCollate and LcCtype are set, for libc, only when they differ.
	LcCollate     string `json:"lc_collate,omitempty"`
	LcCtype       string `json:"lc_ctype,omitempty"`
	Deterministic bool   `json:"deterministic"`
	Comment       string `json:"comment,omitempty"`
}

// Grant is one privilege a role holds on an object. The object's owner is left out (its
// privileges are implied and not worth planning), and so is the grantor. A list of grants is
// the object's effective privileges, so an object that was never granted anything lists the
// engine's default privileges for its kind (EXECUTE for PUBLIC on a function), and is equal
// to one that was granted exactly those. Roles themselves are not part of a schema: a grant
// names a role that must exist wherever the schema is applied.
type Grant struct {
	Grantee   string `json:"grantee"`             // a role name, or PUBLIC
	Privilege string `json:"privilege"`           // SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, USAGE, CREATE, EXECUTE
	Grantable bool   `json:"grantable,omitempty"` // WITH GRANT OPTION
}

// Composite returns the composite type called name, or nil.
func (s *Schema) Composite(name string) *Composite {
	for _, c := range s.Composites {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Range returns the range type called name, or nil.
func (s *Schema) Range(name string) *Range {
	for _, r := range s.Ranges {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Collation returns the collation called name, or nil.
func (s *Schema) Collation(name string) *Collation {
	for _, c := range s.Collations {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Attribute returns the attribute called name, or nil.
func (c *Composite) Attribute(name string) *Attribute {
	for _, a := range c.Attributes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// CompareGrants orders grants by grantee, then privilege, then grant option.
func CompareGrants(a, b Grant) int {
	if c := strings.Compare(a.Grantee, b.Grantee); c != 0 {
		return c
	}
	if c := strings.Compare(a.Privilege, b.Privilege); c != 0 {
		return c
	}
	switch {
	case a.Grantable == b.Grantable:
		return 0
	case b.Grantable:
		return -1
	}
	return 1
}

// sortTypes sorts what types.go adds to a schema, for Sorted: composites, ranges and
// collations by name, and every grant list. Attribute order is kept: it is significant.
func sortTypes(s *Schema) {
	byName := func(a, b string) int { return strings.Compare(a, b) }
	slices.SortFunc(s.Composites, func(a, b *Composite) int { return byName(a.Name, b.Name) })
	slices.SortFunc(s.Ranges, func(a, b *Range) int { return byName(a.Name, b.Name) })
	slices.SortFunc(s.Collations, func(a, b *Collation) int { return byName(a.Name, b.Name) })
	slices.SortFunc(s.Grants, CompareGrants)
	for _, t := range s.Tables {
		slices.SortFunc(t.Grants, CompareGrants)
		for _, c := range t.Columns {
			slices.SortFunc(c.Grants, CompareGrants)
		}
	}
	for _, q := range s.Sequences {
		slices.SortFunc(q.Grants, CompareGrants)
	}
	for _, v := range s.Views {
		slices.SortFunc(v.Grants, CompareGrants)
	}
	for _, f := range s.Functions {
		slices.SortFunc(f.Grants, CompareGrants)
	}
	for _, r := range s.Ranges {
		slices.Sort(r.DependsOn)
	}
}

// filterTypes copies into out the composite types, range types and collations of sc that
// the scope keeps.
func (s Scope) filterTypes(sc, out *Schema) {
	qualified := func(name string) string { return sc.Name + "." + name }
	for _, c := range sc.Composites {
		if !s.excludes(qualified(c.Name)) {
			out.Composites = append(out.Composites, c)
		}
	}
	for _, r := range sc.Ranges {
		if !s.excludes(qualified(r.Name)) {
			out.Ranges = append(out.Ranges, r)
		}
	}
	for _, c := range sc.Collations {
		if !s.excludes(qualified(c.Name)) {
			out.Collations = append(out.Collations, c)
		}
	}
}
