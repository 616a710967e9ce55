package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Fingerprint identifies a schema state: SHA-256 over the canonical form of the realm, written
// "sha256:<hex>". Two realms have the same fingerprint exactly when they describe the same
// schema, whatever order their objects were created in.
func Fingerprint(r *Realm) string {
	sum := sha256.Sum256(Canonical(r))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Canonical serialises the realm with every collection in a fixed order. Column order is not
// significant (see Column); enum value order is. The dependency lists of views and functions
// are left out: they follow from the definitions, which are in, and a state loaded from an
// older serialisation that lacks them is still the same schema.
func Canonical(r *Realm) []byte {
	c := Sorted(r)
	for _, s := range c.Schemas {
		for _, v := range s.Views {
			v.DependsOn = nil
		}
		for _, f := range s.Functions {
			f.DependsOn, f.UsedBy = nil, nil
		}
		for _, t := range s.Tables {
			for _, tr := range t.Triggers {
				tr.DependsOn = nil
			}
			for _, p := range t.Policies {
				p.DependsOn = nil
			}
		}
		for _, r := range s.Ranges {
			r.DependsOn = nil
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		// The model holds only strings, numbers and booleans; failure is a programming error.
		panic(fmt.Sprintf("canonical realm: %v", err))
	}
	return b
}

// Sorted returns a deep copy of r with every collection sorted by name, and table columns
// sorted by name too. Functions sort by their key (name and argument types); view columns
// keep the order of the view's query, and function parameters their declared order.
func Sorted(r *Realm) *Realm {
	var c Realm
	b, err := json.Marshal(r)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		panic(fmt.Sprintf("copy realm: %v", err))
	}
	byName := func(a, b string) int { return strings.Compare(a, b) }
	slices.SortFunc(c.Schemas, func(a, b *Schema) int { return byName(a.Name, b.Name) })
	slices.SortFunc(c.Extensions, func(a, b *Extension) int { return byName(a.Name, b.Name) })
	slices.SortFunc(c.EventTriggers, func(a, b *EventTrigger) int { return byName(a.Name, b.Name) })
	for _, e := range c.EventTriggers {
		slices.Sort(e.Tags)
	}
	for _, s := range c.Schemas {
		slices.SortFunc(s.Tables, func(a, b *Table) int { return byName(a.Name, b.Name) })
		slices.SortFunc(s.Enums, func(a, b *Enum) int { return byName(a.Name, b.Name) })
		slices.SortFunc(s.Domains, func(a, b *Domain) int { return byName(a.Name, b.Name) })
		slices.SortFunc(s.Sequences, func(a, b *Sequence) int { return byName(a.Name, b.Name) })
		slices.SortFunc(s.Views, func(a, b *View) int { return byName(a.Name, b.Name) })
		slices.SortFunc(s.Functions, func(a, b *Function) int { return byName(a.Key(), b.Key()) })
		for _, v := range s.Views {
			slices.Sort(v.Options)
			slices.SortFunc(v.Indexes, func(a, b *Index) int { return byName(a.Name, b.Name) })
			slices.Sort(v.DependsOn)
		}
		for _, f := range s.Functions {
			slices.Sort(f.DependsOn)
			slices.Sort(f.UsedBy)
		}
		sortTypes(s)
		for _, d := range s.Domains {
			slices.SortFunc(d.Checks, func(a, b *Constraint) int { return byName(a.Name, b.Name) })
		}
		for _, t := range s.Tables {
			slices.Sort(t.Options)
			slices.SortFunc(t.Columns, func(a, b *Column) int { return byName(a.Name, b.Name) })
			slices.SortFunc(t.Constraints, func(a, b *Constraint) int { return byName(a.Name, b.Name) })
			slices.SortFunc(t.Indexes, func(a, b *Index) int { return byName(a.Name, b.Name) })
			slices.SortFunc(t.Triggers, func(a, b *Trigger) int { return byName(a.Name, b.Name) })
			slices.SortFunc(t.Policies, func(a, b *Policy) int { return byName(a.Name, b.Name) })
			for _, tr := range t.Triggers {
				slices.Sort(tr.DependsOn)
			}
			for _, p := range t.Policies {
				slices.Sort(p.Roles)
				slices.Sort(p.DependsOn)
			}
		}
	}
	return &c
}
