// Package plan turns an unordered set of schema changes into an ordered, reviewable migration:
// the order respects dependencies (a type before the table that uses it, a referenced table
// before the foreign key), statements are rendered by the dialect, and statements that must
// commit before others are put in a transaction of their own.
package plan

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// Renderer turns one change into SQL statements for an engine.
type Renderer interface {
	Render(c diff.Change) ([]string, error)
}

// Plan is an ordered migration from one schema state to another.
type Plan struct {
	Dialect    string      `json:"dialect"`
	From       string      `json:"from"` // fingerprint of the starting state
	To         string      `json:"to"`   // fingerprint of the resulting state
	Statements []Statement `json:"statements"`
}

// Statement is one SQL statement of a plan with the change it belongs to.
type Statement struct {
	SQL    string `json:"sql"`
	Kind   string `json:"kind"`   // the change kind, e.g. "add-column"
	Object string `json:"object"` // the object it touches, e.g. "public.users.email"
	// Tx numbers the transaction the statement runs in; statements with the same number run
	// in one transaction, lower numbers first.
	Tx int `json:"tx"`
	// Change is the typed change the statement belongs to; analyzers read it. Plans read
	// back from a file have none.
	Change diff.Change `json:"-"`
}

// Effects are what a statement was seen to do when the plan ran on a dev database holding the
// from state: measured, not guessed from the statement's text.
type Effects struct {
	// Locks lists the strongest lock mode the statement took on each relation it locked.
	Locks []Lock `json:"locks,omitempty"`
	// Rewritten lists the tables whose storage was rewritten (their file node changed).
	Rewritten []string `json:"rewritten,omitempty"`
	// Scanned lists the tables read in full by a sequential scan.
	Scanned []string `json:"scanned,omitempty"`
	// Err is the server's error when the statement failed; later statements did not run.
	Err string `json:"error,omitempty"`
}

// Lock is a lock mode held on a relation, e.g. AccessExclusiveLock on public.users.
type Lock struct {
	Relation string `json:"relation"`
	Mode     string `json:"mode"`
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Statements) == 0 }

// Transactions returns the statements grouped by transaction, in order.
func (p *Plan) Transactions() [][]Statement {
	var out [][]Statement
	for i, s := range p.Statements {
		if i == 0 || s.Tx != p.Statements[i-1].Tx {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], s)
	}
	return out
}

// New diffs from and to, orders the changes and renders them with r.
func New(from, to *schema.Realm, r Renderer) (*Plan, error) {
	p := &Plan{Dialect: to.Dialect, From: schema.Fingerprint(from), To: schema.Fingerprint(to)}
	all, err := diff.Changes(from, to)
	if err != nil {
		return nil, err
	}
	changes := Order(all)
	tx := 0
	for i, c := range changes {
		// Enum values added in a transaction cannot be used before it commits, so they get a
		// transaction of their own ahead of the statements that might use them.
		if i > 0 && phase(changes[i-1]) == phaseEnumValues && phase(c) != phaseEnumValues {
			tx++
		}
		stmts, err := r.Render(c)
		if err != nil {
			return nil, fmt.Errorf("render %s %s: %w", c.Kind(), c.Object(), err)
		}
		for _, s := range stmts {
			p.Statements = append(p.Statements, Statement{SQL: s, Kind: c.Kind(), Object: c.Object(), Tx: tx, Change: c})
		}
	}
	return p, nil
}

// The phases of a migration, in execution order. Creations run forward through them and
// drops in reverse, so that nothing is created before what it needs or dropped while still
// needed.
//
// Enum values come first, in a transaction of their own: a value added in a transaction cannot
// be used before that transaction commits. They only ever extend enums that already exist.
//
// Views that go away or are recreated are dropped right after: they may use anything the
// plan changes, and PostgreSQL refuses to drop or retype what a view uses.
//
// Constraints, indexes and identities that go away are dropped early: nothing new depends on
// them, and a type conversion or a replaced key may need them gone. So are partitions whose
// bound changes (detached) and tables that are created again (a new partition key): new
// partitions may take over their bounds, and the new table their name. Partitions are attached
// again once their columns and constraints fit their parent's.
//
// Collations come before the types and tables that use them; range types before domains
// and composite types, which are often built of them; composite types after domains for the
// same reason. Other dependencies between types are edges (see orderByDependencies). Grants
// run once every object they name exists, and are gone with dropped objects.
//
// Views are created once every table, column and constraint exists. Functions come last of
// all creations: a function whose body is a string is checked against the catalog when it
// is created (LANGUAGE sql) but records no dependencies, so the later it is created the more
// of what it may read exists. A function that something else needs is moved ahead of it by
// the dependency order (see orderByDependencies). Dropped functions go before the tables
// and types their signatures use.
//
// Triggers, policies, row-level security and event triggers hang on tables and functions and
// nothing depends on them: they are created after all of those and dropped with the
// constraints, early. Event triggers go first of all, so that they do not fire on the
// plan's own DDL.
const (
	phaseEnumValues = iota
	phaseDropViews
	phaseDropForeignKeys
	phaseDropConstraints
	phaseSchemas
	phaseExtensions
	phaseCollations
	phaseEnums
	phaseRanges
	phaseDomains
	phaseComposites
	phaseSequences
	phaseTables
	phaseDropColumns
	phaseColumns
	phaseConstraints
	phaseForeignKeys
	phaseAttach
	phaseSequenceOwners
	phaseViews
	phaseFunctions
	phaseTriggers
	phaseGrants
	phaseDropFunctions
	phaseDropTables
	phaseDropSequences
	phaseDropComposites
	phaseDropDomains
	phaseDropRanges
	phaseDropEnums
	phaseDropCollations
	phaseDropExtensions
	phaseDropSchemas
)

func phase(c diff.Change) int {
	switch c := c.(type) {
	case *diff.AddSchema, *diff.ModifySchema:
		return phaseSchemas
	case *diff.AddExtension, *diff.ModifyExtension:
		return phaseExtensions
	case *diff.AddEnumValue:
		return phaseEnumValues
	case *diff.AddEnum, *diff.ModifyEnum:
		return phaseEnums
	case *diff.RecreateType:
		switch {
		case c.ToEnum != nil:
			return phaseEnums
		case c.ToComposite != nil:
			return phaseComposites
		case c.ToRange != nil:
			return phaseRanges
		case c.ToCollation != nil:
			return phaseCollations
		}
		return phaseDomains
	case *diff.AddDomain, *diff.ModifyDomain:
		return phaseDomains
	case *diff.AddSequence, *diff.ModifySequence:
		return phaseSequences
	case *diff.DropConstraint:
		if c.C.Kind == schema.ForeignKey {
			return phaseDropForeignKeys
		}
		return phaseDropConstraints
	case *diff.DropIndex, *diff.DropIdentity, *diff.DropDefault, *diff.DetachPartition:
		return phaseDropConstraints
	case *diff.AttachPartition:
		return phaseAttach
	case *diff.DropView, *diff.DropEventTrigger:
		return phaseDropViews
	case *diff.DropTrigger, *diff.DropPolicy:
		return phaseDropConstraints
	case *diff.AddTrigger, *diff.ModifyTrigger, *diff.AddEventTrigger, *diff.ModifyEventTrigger,
		*diff.SetRowSecurity, *diff.AddPolicy, *diff.AlterPolicy, *diff.CommentPolicy:
		return phaseTriggers
	case *diff.AddView, *diff.ReplaceView, *diff.RecreateView, *diff.ModifyView:
		return phaseViews
	case *diff.AddFunction, *diff.ReplaceFunction, *diff.RecreateFunction, *diff.ModifyFunction:
		return phaseFunctions
	case *diff.DropFunction:
		return phaseDropFunctions
	case *diff.AddTable, *diff.ModifyTable:
		return phaseTables
	case *diff.DropColumn:
		return phaseDropColumns
	case *diff.AddColumn, *diff.ModifyColumn:
		return phaseColumns
	case *diff.AddConstraint:
		if c.C.Kind == schema.ForeignKey {
			return phaseForeignKeys
		}
		return phaseConstraints
	case *diff.ValidateConstraint:
		if c.C.Kind == schema.ForeignKey {
			return phaseForeignKeys
		}
		return phaseConstraints
	case *diff.AddIndex, *diff.CommentIndex, *diff.CommentConstraint:
		return phaseConstraints
	case *diff.SetSequenceOwner:
		return phaseSequenceOwners
	case *diff.DropTable:
		// A partition goes early to free its bound for the partitions that take it over.
		if c.Recreate || c.T.Partition() {
			return phaseDropConstraints
		}
		return phaseDropTables
	case *diff.DropSequence:
		return phaseDropSequences
	case *diff.DropDomain:
		return phaseDropDomains
	case *diff.DropReplacedType:
		switch {
		case c.R.ToEnum != nil:
			return phaseDropEnums
		case c.R.ToComposite != nil:
			return phaseDropComposites
		case c.R.ToRange != nil:
			return phaseDropRanges
		case c.R.ToCollation != nil:
			return phaseDropCollations
		}
		return phaseDropDomains
	case *diff.DropEnum:
		return phaseDropEnums
	case *diff.DropExtension:
		return phaseDropExtensions
	case *diff.DropSchema:
		return phaseDropSchemas
	case *diff.AddCollation, *diff.ModifyCollation:
		return phaseCollations
	case *diff.DropCollation:
		return phaseDropCollations
	case *diff.AddRange, *diff.ModifyRange:
		return phaseRanges
	case *diff.DropRange:
		return phaseDropRanges
	case *diff.AddComposite, *diff.ModifyComposite:
		return phaseComposites
	case *diff.DropComposite:
		return phaseDropComposites
	case *diff.ModifyGrants:
		return phaseGrants
	}
	panic(fmt.Sprintf("plan: no phase for change %T", c))
}

// Order sorts changes into execution order: by phase, within the domain phases by the
// dependencies between domains, and then by the dependencies that views and functions
// recorded (see orderByDependencies). Otherwise the order of the diff (schema, then object
// name) is kept, so a plan is deterministic.
func Order(changes []diff.Change) []diff.Change {
	out := slices.Clone(changes)
	slices.SortStableFunc(out, func(a, b diff.Change) int { return cmp.Compare(phase(a), phase(b)) })
	orderDomains(out)
	orderPartitions(out)
	return orderByDependencies(out)
}

// orderDomains puts domains created or recreated in this plan after the domains they are
// based on, and dropped domains before the domains they are based on.
func orderDomains(changes []diff.Change) {
	deps := map[string]string{} // domain -> the user type it is based on
	for _, c := range changes {
		switch c := c.(type) {
		case *diff.AddDomain:
			deps[c.Object()] = c.D.TypeRef
		case *diff.RecreateType:
			if c.ToDomain != nil {
				deps[c.Object()] = c.ToDomain.TypeRef
			}
		case *diff.DropDomain:
			deps[c.Object()] = c.D.TypeRef
		}
	}
	depth := func(name string) int {
		n := 0
		for seen := map[string]bool{}; deps[name] != "" && !seen[name]; name = deps[name] {
			seen[name] = true
			n++
		}
		return n
	}
	slices.SortStableFunc(changes, func(a, b diff.Change) int {
		pa, pb := phase(a), phase(b)
		if pa != pb {
			return cmp.Compare(pa, pb)
		}
		switch pa {
		case phaseDomains:
			return cmp.Compare(depth(a.Object()), depth(b.Object()))
		case phaseDropDomains:
			return cmp.Compare(depth(b.Object()), depth(a.Object()))
		}
		return 0
	})
}
