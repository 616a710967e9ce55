package plan

import (
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// Triggers, policies and event triggers take part in the dependency order like views: their
// creation needs what their definitions use (the function, the columns named, the tables and
// functions of a policy's expressions), and their removal, or the removal of their table,
// releases it. A dropped table takes its triggers along, so a DROP TABLE must come before the
// DROP FUNCTION of a trigger function its triggers executed.

// hangingEffects adds to e what change c does to triggers, policies and event triggers.
func hangingEffects(c diff.Change, e effects) effects {
	switch c := c.(type) {
	case *diff.AddTrigger:
		e.creates, e.needs = append(e.creates, schema.TriggerRef(c.T, c.Tr)), append(e.needs, c.Tr.DependsOn...)
	case *diff.DropTrigger:
		r := schema.TriggerRef(c.T, c.Tr)
		e.removes, e.releases = append(e.removes, r), append(e.releases, r)
	case *diff.AddPolicy:
		e.creates, e.needs = append(e.creates, schema.PolicyRef(c.T, c.P)), append(e.needs, c.P.DependsOn...)
	case *diff.AlterPolicy:
		r := schema.PolicyRef(c.T, c.To)
		e.creates, e.needs, e.releases = append(e.creates, r), append(e.needs, c.To.DependsOn...), append(e.releases, r)
	case *diff.DropPolicy:
		r := schema.PolicyRef(c.T, c.P)
		e.removes, e.releases = append(e.removes, r), append(e.releases, r)
	case *diff.AddEventTrigger:
		e.needs = append(e.needs, c.E.FunctionRef())
	case *diff.DropEventTrigger:
		e.releases = append(e.releases, eventTriggerRef(c.E))
	case *diff.DropTable:
		for _, tr := range c.T.Triggers {
			e.releases = append(e.releases, schema.TriggerRef(c.T, tr))
		}
		for _, p := range c.T.Policies {
			e.releases = append(e.releases, schema.PolicyRef(c.T, p))
		}
	}
	return e
}

// hangingOldDeps records in out what the old versions of the triggers, policies and event
// triggers that change c releases used.
func hangingOldDeps(c diff.Change, out map[string][]string) {
	switch c := c.(type) {
	case *diff.DropTrigger:
		out[schema.TriggerRef(c.T, c.Tr)] = c.Tr.DependsOn
	case *diff.AlterPolicy:
		out[schema.PolicyRef(c.T, c.From)] = c.From.DependsOn
	case *diff.DropPolicy:
		out[schema.PolicyRef(c.T, c.P)] = c.P.DependsOn
	case *diff.DropEventTrigger:
		out[eventTriggerRef(c.E)] = []string{c.E.FunctionRef()}
	case *diff.DropTable:
		for _, tr := range c.T.Triggers {
			out[schema.TriggerRef(c.T, tr)] = tr.DependsOn
		}
		for _, p := range c.T.Policies {
			out[schema.PolicyRef(c.T, p)] = p.DependsOn
		}
	}
}

// eventTriggerRef names an event trigger in the dependency order only; nothing refers to one.
func eventTriggerRef(e *schema.EventTrigger) string { return "event-trigger:" + e.Name }
