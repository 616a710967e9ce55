package postgres

import (
	"fmt"
	"strings"

	"github.com/sextant-db/sextant/internal/schema"
)

// firingClause is the ALTER TABLE / ALTER EVENT TRIGGER clause that sets a firing state
// (see schema.Trigger.Enabled).
var firingClause = map[string]string{"": "ENABLE", "disabled": "DISABLE", "replica": "ENABLE REPLICA", "always": "ENABLE ALWAYS"}

func triggerName(t *schema.Table, tr *schema.Trigger) string {
	return Ident(tr.Name) + " ON " + QName(t.Schema, t.Name)
}

// createTrigger creates a trigger from its definition, then sets a firing state other than
// the default and its comment.
func createTrigger(t *schema.Table, tr *schema.Trigger) []string {
	out := []string{tr.Def}
	if tr.Enabled != "" {
		out = append(out, fmt.Sprintf("ALTER TABLE %s %s TRIGGER %s", QName(t.Schema, t.Name), firingClause[tr.Enabled], Ident(tr.Name)))
	}
	return append(out, comment("TRIGGER", triggerName(t, tr), "", tr.Comment)...)
}

func alterTrigger(t *schema.Table, f, tr *schema.Trigger) []string {
	var out []string
	if f.Enabled != tr.Enabled {
		out = append(out, fmt.Sprintf("ALTER TABLE %s %s TRIGGER %s", QName(t.Schema, t.Name), firingClause[tr.Enabled], Ident(tr.Name)))
	}
	return append(out, comment("TRIGGER", triggerName(t, tr), f.Comment, tr.Comment)...)
}

// createEventTrigger creates an event trigger. Tags are upper case, as the server keeps them.
func createEventTrigger(e *schema.EventTrigger) []string {
	s := fmt.Sprintf("CREATE EVENT TRIGGER %s ON %s", Ident(e.Name), Ident(e.Event))
	if len(e.Tags) > 0 {
		tags := make([]string, len(e.Tags))
		for i, t := range e.Tags {
			tags[i] = Literal(t)
		}
		s += "\n  WHEN TAG IN (" + strings.Join(tags, ", ") + ")"
	}
	s += "\n  EXECUTE FUNCTION " + QName(e.FunctionSchema, e.FunctionName) + "()"
	out := []string{s}
	if e.Enabled != "" {
		out = append(out, fmt.Sprintf("ALTER EVENT TRIGGER %s %s", Ident(e.Name), firingClause[e.Enabled]))
	}
	return append(out, comment("EVENT TRIGGER", Ident(e.Name), "", e.Comment)...)
}

func alterEventTrigger(f, e *schema.EventTrigger) []string {
	var out []string
	if f.Enabled != e.Enabled {
		out = append(out, fmt.Sprintf("ALTER EVENT TRIGGER %s %s", Ident(e.Name), firingClause[e.Enabled]))
	}
	return append(out, comment("EVENT TRIGGER", Ident(e.Name), f.Comment, e.Comment)...)
}

// rowSecurity sets ENABLE and FORCE ROW LEVEL SECURITY of table t where they differ from f's.
func rowSecurity(f, t *schema.Table) []string {
	name := QName(t.Schema, t.Name)
	var out []string
	if f.RowSecurity != t.RowSecurity {
		verb := "DISABLE"
		if t.RowSecurity {
			verb = "ENABLE"
		}
		out = append(out, fmt.Sprintf("ALTER TABLE %s %s ROW LEVEL SECURITY", name, verb))
	}
	if f.ForceRowSecurity != t.ForceRowSecurity {
		verb := "NO FORCE"
		if t.ForceRowSecurity {
			verb = "FORCE"
		}
		out = append(out, fmt.Sprintf("ALTER TABLE %s %s ROW LEVEL SECURITY", name, verb))
	}
	return out
}

func policyName(t *schema.Table, p *schema.Policy) string {
	return Ident(p.Name) + " ON " + QName(t.Schema, t.Name)
}

// policyRoles renders a policy's role list. Roles are outside the schema: one that does not
// exist on the target fails the statement, and the plan with it.
func policyRoles(p *schema.Policy) string {
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		if r == "public" {
			roles[i] = "PUBLIC"
		} else {
			roles[i] = Ident(r)
		}
	}
	return strings.Join(roles, ", ")
}

func createPolicy(t *schema.Table, p *schema.Policy) []string {
	var b strings.Builder
	b.WriteString("CREATE POLICY " + policyName(t, p))
	if p.Restrictive {
		b.WriteString(" AS RESTRICTIVE")
	}
	b.WriteString(" FOR " + strings.ToUpper(p.Command))
	b.WriteString(" TO " + policyRoles(p))
	if p.Using != "" {
		b.WriteString("\n  USING (" + p.Using + ")")
	}
	if p.Check != "" {
		b.WriteString("\n  WITH CHECK (" + p.Check + ")")
	}
	return append([]string{b.String()}, comment("POLICY", policyName(t, p), "", p.Comment)...)
}

// alterPolicy changes roles and expressions in place; diff only asks for it when neither
// expression is removed (ALTER POLICY can set them, not remove them).
func alterPolicy(t *schema.Table, f, p *schema.Policy) []string {
	s := "ALTER POLICY " + policyName(t, p) + " TO " + policyRoles(p)
	if p.Using != "" && p.Using != f.Using {
		s += "\n  USING (" + p.Using + ")"
	}
	if p.Check != "" && p.Check != f.Check {
		s += "\n  WITH CHECK (" + p.Check + ")"
	}
	return append([]string{s}, comment("POLICY", policyName(t, p), f.Comment, p.Comment)...)
}
