package plan

import (
	"cmp"
	"container/heap"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// Phases order what the planner knows by kind: a type before its table, a table before its
// foreign keys. Views and functions depend on whatever their definitions name, which only
// the catalog knows, so their order comes from the dependencies inspect recorded
// (schema.View.DependsOn, schema.Function.DependsOn and UsedBy) as edges between changes:
//
//   - create before use: a change that creates or retypes an object runs before the creation
//     of a view or function that uses it (its target version's DependsOn);
//   - a function before its users: a created or replaced function runs before the change
//     that sets a default, constraint, index or domain calling it (the target's UsedBy);
//   - release before removal: a change that drops or replaces an object, or removes a
//     default or constraint, runs before the removal of what the old version used;
//   - a view or function is dropped before it is created again;
//   - a dropped function goes before a default, constraint or index that called it is set
//     again by another change than the one that removed it: the same text may then resolve to
//     another function of that name, which must be the only one left;
//   - likewise, as far as it can without a cycle, a dropped function goes before the creation
//     of anything that calls another function of the same name, so that the call resolves to
//     the function the target has, not to the one on its way out.
//
// The changes are then sorted topologically, each change keyed by the earliest phase of
// anything that waits for it, then its own phase, then its position: with no edges this is
// the phase order, and a change something needs early is pulled forward only as far as it
// must go, to just before the earliest change that waits for it.

// effects lists what a change does to the objects of the dependency lists, as references
// (see schema.Ref).
type effects struct {
	creates  []string // objects it creates, or retypes: what uses them must come after
	needs    []string // objects its creation uses (the target's DependsOn)
	users    []string // users it needs to run before (a function's UsedBy in the target)
	sets     []string // defaults, constraints, indexes and domains it sets
	releases []string // objects whose old version it drops or replaces
	removes  []string // objects it drops or rebuilds
}

func effectsOf(c diff.Change) effects {
	var e effects
	ref := schema.Ref
	switch c := c.(type) {
	case *diff.AddTable:
		e.creates = append(e.creates, ref(schema.RefKindTable, c.T.Schema, c.T.Name))
		for _, col := range c.T.Columns {
			e.creates = append(e.creates, ref(schema.RefKindColumn, c.T.Schema, c.T.Name, col.Name))
			if col.Default != "" || col.Generated != "" {
				e.sets = append(e.sets, ref(schema.RefKindDefault, c.T.Schema, c.T.Name, col.Name))
			}
		}
		for _, k := range c.T.Constraints {
			if diff.Inline(k) {
				r := ref(schema.RefKindConstraint, c.T.Schema, c.T.Name, k.Name)
				e.creates, e.sets = append(e.creates, r), append(e.sets, r)
			}
		}
	case *diff.DropTable:
		e.removes = append(e.removes, ref(schema.RefKindTable, c.T.Schema, c.T.Name))
		for _, col := range c.T.Columns {
			e.removes = append(e.removes, ref(schema.RefKindColumn, c.T.Schema, c.T.Name, col.Name))
			e.releases = append(e.releases, ref(schema.RefKindDefault, c.T.Schema, c.T.Name, col.Name))
		}
		for _, k := range c.T.Constraints {
			r := ref(schema.RefKindConstraint, c.T.Schema, c.T.Name, k.Name)
			e.removes, e.releases = append(e.removes, r), append(e.releases, r)
		}
		for _, i := range c.T.Indexes {
			e.releases = append(e.releases, ref(schema.RefKindIndex, c.T.Schema, i.Name))
		}
	case *diff.AddColumn:
		e.creates = append(e.creates, ref(schema.RefKindColumn, c.T.Schema, c.T.Name, c.C.Name))
		if c.C.Default != "" || c.C.Generated != "" {
			e.sets = append(e.sets, ref(schema.RefKindDefault, c.T.Schema, c.T.Name, c.C.Name))
		}
	case *diff.DropColumn:
		e.removes = append(e.removes, ref(schema.RefKindColumn, c.T.Schema, c.T.Name, c.C.Name))
		e.releases = append(e.releases, ref(schema.RefKindDefault, c.T.Schema, c.T.Name, c.C.Name))
	case *diff.ModifyColumn:
		col := ref(schema.RefKindColumn, c.T.Schema, c.T.Name, c.To.Name)
		def := ref(schema.RefKindDefault, c.T.Schema, c.T.Name, c.To.Name)
		retype := c.From.Type != c.To.Type || c.From.Collation != c.To.Collation
		if retype {
			e.creates, e.removes = append(e.creates, col), append(e.removes, col)
		}
		if c.To.Default != "" && (c.To.Default != c.From.Default || retype) {
			e.sets = append(e.sets, def)
		}
		if c.From.Default != "" && (c.To.Default != c.From.Default || retype) {
			e.releases = append(e.releases, def)
		}
	case *diff.DropDefault:
		e.releases = append(e.releases, ref(schema.RefKindDefault, c.T.Schema, c.T.Name, c.C.Name))
	case *diff.AddConstraint:
		r := ref(schema.RefKindConstraint, c.T.Schema, c.T.Name, c.C.Name)
		e.creates, e.sets = append(e.creates, r), append(e.sets, r)
	case *diff.DropConstraint:
		r := ref(schema.RefKindConstraint, c.T.Schema, c.T.Name, c.C.Name)
		e.removes, e.releases = append(e.removes, r), append(e.releases, r)
	case *diff.AddIndex:
		e.sets = append(e.sets, ref(schema.RefKindIndex, c.T.Schema, c.I.Name))
	case *diff.DropIndex:
		e.releases = append(e.releases, ref(schema.RefKindIndex, c.T.Schema, c.I.Name))
	case *diff.AddEnum:
		e.creates = append(e.creates, ref(schema.RefKindType, c.E.Schema, c.E.Name))
	case *diff.DropEnum:
		e.removes = append(e.removes, ref(schema.RefKindType, c.E.Schema, c.E.Name))
	case *diff.AddDomain:
		r := ref(schema.RefKindType, c.D.Schema, c.D.Name)
		e.creates, e.sets = append(e.creates, r), append(e.sets, r)
	case *diff.ModifyDomain:
		r := ref(schema.RefKindType, c.To.Schema, c.To.Name)
		e.sets, e.releases = append(e.sets, r), append(e.releases, r)
	case *diff.DropDomain:
		r := ref(schema.RefKindType, c.D.Schema, c.D.Name)
		e.removes, e.releases = append(e.removes, r), append(e.releases, r)
	case *diff.RecreateType:
		// The old type is renamed out of the way: what names it (a function's signature in
		// DROP FUNCTION) must run before, as before a removal.
		r := ref(schema.RefKindType, c.Object())
		e.creates, e.removes = append(e.creates, r), append(e.removes, r)
		if c.ToDomain != nil {
			e.sets = append(e.sets, r)
		}
		for _, u := range c.Columns {
			col := ref(schema.RefKindColumn, u.Table.Schema, u.Table.Name, u.Column.Name)
			e.creates, e.removes = append(e.creates, col), append(e.removes, col)
		}
	case *diff.DropReplacedType:
		r := ref(schema.RefKindType, c.Object())
		e.removes, e.releases = append(e.removes, r), append(e.releases, r)
	case *diff.AddComposite, *diff.AddRange, *diff.DropRange, *diff.DropComposite:
		e = typeEffects(c)
	case *diff.AddSequence:
		e.creates = append(e.creates, ref(schema.RefKindSequence, c.S.Schema, c.S.Name))
	case *diff.DropSequence:
		e.removes = append(e.removes, ref(schema.RefKindSequence, c.S.Schema, c.S.Name))
	case *diff.AddView:
		e.creates, e.needs = []string{schema.ViewRef(c.V)}, c.V.DependsOn
		e.sets = schema.ViewParts(c.V)
	case *diff.RecreateView:
		e.creates, e.needs = []string{schema.ViewRef(c.To)}, c.To.DependsOn
		e.sets = schema.ViewParts(c.To)
	case *diff.ReplaceView:
		e.creates, e.needs = []string{schema.ViewRef(c.To)}, c.To.DependsOn
		e.sets, e.releases = schema.ViewParts(c.To), append([]string{schema.ViewRef(c.From)}, schema.ViewParts(c.From)...)
	case *diff.ModifyView:
		e.sets, e.releases = schema.ViewParts(c.To), schema.ViewParts(c.From)
	case *diff.DropView:
		e.removes, e.releases = []string{schema.ViewRef(c.V)}, append([]string{schema.ViewRef(c.V)}, schema.ViewParts(c.V)...)
	case *diff.AddFunction:
		e.creates, e.needs, e.users = []string{schema.FunctionRef(c.F)}, c.F.DependsOn, c.F.UsedBy
	case *diff.RecreateFunction:
		e.creates, e.needs, e.users = []string{schema.FunctionRef(c.To)}, c.To.DependsOn, c.To.UsedBy
	case *diff.ReplaceFunction:
		e.creates, e.needs, e.users = []string{schema.FunctionRef(c.To)}, c.To.DependsOn, c.To.UsedBy
		e.releases = []string{schema.FunctionRef(c.From)}
	case *diff.DropFunction:
		e.removes, e.releases = []string{schema.FunctionRef(c.F)}, []string{schema.FunctionRef(c.F)}
	}
	return hangingEffects(c, e)
}

// oldDeps returns what the old version of each released object used: the DependsOn of the
// views and functions the plan drops or replaces, and for a default, constraint, index or
// domain, the dropped functions whose UsedBy names it.
func oldDeps(changes []diff.Change) map[string][]string {
	out := map[string][]string{}
	for _, c := range changes {
		switch c := c.(type) {
		case *diff.DropView:
			out[schema.ViewRef(c.V)] = c.V.DependsOn
		case *diff.ReplaceView:
			out[schema.ViewRef(c.From)] = c.From.DependsOn
		case *diff.ReplaceFunction:
			out[schema.FunctionRef(c.From)] = c.From.DependsOn
		case *diff.DropRange:
			out[schema.Ref(schema.RefKindType, c.R.Schema, c.R.Name)] = c.R.DependsOn
		case *diff.DropFunction:
			f := schema.FunctionRef(c.F)
			out[f] = append(out[f], c.F.DependsOn...)
			for _, u := range c.F.UsedBy {
				out[u] = append(out[u], f)
			}
		}
		hangingOldDeps(c, out)
	}
	return out
}

// orderByDependencies sorts phase-ordered changes topologically along the edges described
// above. Without edges it returns its input. A cycle, which only a schema PostgreSQL could
// not build either would give, is broken at the change with the smallest key, so the result
// always holds every change once.
func orderByDependencies(changes []diff.Change) []diff.Change {
	n := len(changes)
	fx := make([]effects, n)
	by := func(pick func(effects) []string) map[string][]int {
		m := map[string][]int{}
		for i, e := range fx {
			for _, r := range pick(e) {
				m[r] = append(m[r], i)
			}
		}
		return m
	}
	for i, c := range changes {
		fx[i] = effectsOf(c)
	}
	creators := by(func(e effects) []string { return e.creates })
	setters := by(func(e effects) []string { return e.sets })
	removers := by(func(e effects) []string { return e.removes })
	old := oldDeps(changes)

	succ := make([][]int, n)
	npred := make([]int, n)
	seen := map[[2]int]bool{}
	edge := func(a, b int) {
		if a == b || seen[[2]int{a, b}] {
			return
		}
		seen[[2]int{a, b}] = true
		succ[a] = append(succ[a], b)
		npred[b]++
	}
	for i, e := range fx {
		for _, r := range e.needs {
			for _, p := range creators[r] {
				edge(p, i)
			}
		}
		for _, u := range e.users {
			for _, s := range setters[u] {
				edge(i, s)
			}
		}
		for _, u := range e.releases {
			for _, x := range old[u] {
				for _, d := range removers[x] {
					edge(i, d)
				}
			}
		}
		for _, r := range e.creates {
			if k := schema.RefKind(r); k == schema.RefKindView || k == schema.RefKindFunction {
				for _, d := range removers[r] {
					edge(d, i)
				}
			}
		}
		if c, ok := changes[i].(*diff.DropFunction); ok {
			for _, u := range c.F.UsedBy {
				for _, s := range setters[u] {
					if !slices.Contains(fx[s].releases, u) {
						edge(i, s)
					}
				}
			}
		}
	}
	for i, c := range changes {
		d, ok := c.(*diff.DropFunction)
		if !ok {
			continue
		}
		prefix := schema.Ref(schema.RefKindFunction, d.F.Schema, d.F.Name) + "("
		old := schema.FunctionRef(d.F)
		for j, e := range fx {
			for _, r := range e.needs {
				if r != old && strings.HasPrefix(r, prefix) && !seen[[2]int{j, i}] {
					edge(i, j)
				}
			}
			for _, r := range e.creates {
				if r == old || !strings.HasPrefix(r, prefix) {
					continue
				}
				for _, u := range e.users {
					for _, s := range setters[u] {
						if !seen[[2]int{s, i}] {
							edge(i, s)
						}
					}
				}
			}
		}
	}
	if len(seen) == 0 {
		return changes
	}

	// eff is the earliest phase of the change or anything that waits for it.
	eff := make([]int, n)
	state := make([]int8, n) // 0 new, 1 on the stack, 2 done
	var visit func(int) int
	visit = func(i int) int {
		switch state[i] {
		case 1:
			return phase(changes[i]) // a cycle: the back edge adds nothing
		case 2:
			return eff[i]
		}
		state[i] = 1
		eff[i] = phase(changes[i])
		for _, s := range succ[i] {
			eff[i] = min(eff[i], visit(s))
		}
		state[i] = 2
		return eff[i]
	}
	for i := range changes {
		visit(i)
	}
	less := func(a, b int) bool {
		if c := cmp.Compare(eff[a], eff[b]); c != 0 {
			return c < 0
		}
		if c := cmp.Compare(phase(changes[a]), phase(changes[b])); c != 0 {
			return c < 0
		}
		return a < b
	}

	out := make([]diff.Change, 0, n)
	done := make([]bool, n)
	ready := &keyHeap{less: less}
	for i := range changes {
		if npred[i] == 0 {
			heap.Push(ready, i)
		}
	}
	for len(out) < n {
		next := -1
		if ready.Len() > 0 {
			next = heap.Pop(ready).(int)
		} else {
			// A cycle: take the smallest change still waiting.
			for i := range changes {
				if !done[i] && (next < 0 || less(i, next)) {
					next = i
				}
			}
		}
		if done[next] {
			continue
		}
		done[next] = true
		out = append(out, changes[next])
		for _, s := range succ[next] {
			if npred[s]--; npred[s] == 0 && !done[s] {
				heap.Push(ready, s)
			}
		}
	}
	return out
}

// keyHeap is a min-heap of change indexes under less.
type keyHeap struct {
	items []int
	less  func(a, b int) bool
}

func (h *keyHeap) Len() int           { return len(h.items) }
func (h *keyHeap) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *keyHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *keyHeap) Push(x any)         { h.items = append(h.items, x.(int)) }
func (h *keyHeap) Pop() any {
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return last
}
