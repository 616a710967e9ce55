package postgres

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/schema"
)

// triggerFilter selects the triggers Sextant models, as a subquery of oids: the user
// triggers of modelled tables. Internal triggers (those behind foreign keys and deferrable
// keys) belong to their constraint, and a trigger cloned onto a partition (tgparentid) to
// the trigger on its parent.
var triggerFilter = `SELECT tg.oid FROM pg_catalog.pg_trigger tg
WHERE tg.tgrelid IN (` + tableFilter + `) AND NOT tg.tgisinternal AND tg.tgparentid = 0`

// policyFilter selects the policies of modelled tables, as a subquery of oids.
var policyFilter = `SELECT po.oid FROM pg_catalog.pg_policy po WHERE po.polrelid IN (` + tableFilter + `)`

var (
	qTriggers = `SELECT tg.tgrelid, tg.tgname, pg_catalog.pg_get_triggerdef(tg.oid), tg.tgconstraint <> 0,
  tg.tgenabled::pg_catalog.text, coalesce(pg_catalog.obj_description(tg.oid, 'pg_trigger'), ''), tg.oid
FROM pg_catalog.pg_trigger tg WHERE tg.oid IN (` + triggerFilter + `) ORDER BY 1, 2`

	// A trigger depends on its table automatically and, normally, on its function and the
	// columns it names. The table of a constraint trigger's FROM clause is an automatic
	// dependency too, so automatic ones count, except the trigger's own table.
	qTriggerDepends = `SELECT d.objid, coalesce(` + refOf + `, '{}')
FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_trigger tg ON tg.oid = d.objid
WHERE d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objid IN (` + triggerFilter + `)
  AND d.deptype IN ('n', 'a')
  AND NOT (d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = tg.tgrelid AND d.refobjsubid = 0)`

	qRowSecurity = `SELECT c.oid, c.relrowsecurity, c.relforcerowsecurity FROM pg_catalog.pg_class c
WHERE c.oid IN (` + tableFilter + `) AND (c.relrowsecurity OR c.relforcerowsecurity)`

	// Role 0 in polroles is PUBLIC.
	qPolicies = `SELECT po.polrelid, po.polname, NOT po.polpermissive, po.polcmd::pg_catalog.text,
  ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.oid) END
    FROM pg_catalog.unnest(po.polroles) r(oid) ORDER BY 1),
  coalesce(pg_catalog.pg_get_expr(po.polqual, po.polrelid), ''),
  coalesce(pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid), ''),
  coalesce(pg_catalog.obj_description(po.oid, 'pg_policy'), ''), po.oid
FROM pg_catalog.pg_policy po WHERE po.oid IN (` + policyFilter + `) ORDER BY 1, 2`

	qPolicyDepends = `SELECT d.objid, coalesce(` + refOf + `, '{}')
FROM pg_catalog.pg_depend d
WHERE d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid IN (` + policyFilter + `) AND d.deptype = 'n'`

	qEventTriggers = `SELECT e.evtname, e.evtevent, coalesce(e.evttags, '{}'), n.nspname, p.proname, e.evtenabled::pg_catalog.text,
  coalesce(pg_catalog.obj_description(e.oid, 'pg_event_trigger'), '')
FROM pg_catalog.pg_event_trigger e
JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE ` + notExt("pg_event_trigger", "e.oid") + ` ORDER BY 1`
)

// firing maps tgenabled and evtenabled to schema.Trigger.Enabled.
var firing = map[string]string{"O": "", "D": "disabled", "R": "replica", "A": "always"}

// policyCommands maps polcmd to schema.Policy.Command.
var policyCommands = map[string]string{"*": "all", "r": "select", "a": "insert", "w": "update", "d": "delete"}

func (in *inspector) trigger(rows pgx.Rows) error {
	var (
		rel, oid uint32
		enabled  string
		tr       = &schema.Trigger{}
	)
	if err := rows.Scan(&rel, &tr.Name, &tr.Def, &tr.Constraint, &enabled, &tr.Comment, &oid); err != nil {
		return err
	}
	t := in.tables[rel]
	if t == nil {
		return fmt.Errorf("trigger %q of unknown table %d", tr.Name, rel)
	}
	var ok bool
	if tr.Enabled, ok = firing[enabled]; !ok {
		return fmt.Errorf("trigger %q on %s.%s: unknown firing state %q", tr.Name, t.Schema, t.Name, enabled)
	}
	t.Triggers = append(t.Triggers, tr)
	in.triggers[oid] = tr
	return nil
}

func (in *inspector) triggerDepends(rows pgx.Rows) error {
	var (
		oid  uint32
		refs []string
	)
	if err := rows.Scan(&oid, &refs); err != nil {
		return err
	}
	tr := in.triggers[oid]
	if tr == nil {
		return fmt.Errorf("dependencies of unknown trigger %d", oid)
	}
	tr.DependsOn = addRefs(tr.DependsOn, refs)
	return nil
}

func (in *inspector) rowSecurity(rows pgx.Rows) error {
	var (
		rel           uint32
		enable, force bool
	)
	if err := rows.Scan(&rel, &enable, &force); err != nil {
		return err
	}
	t := in.tables[rel]
	if t == nil {
		return fmt.Errorf("row level security of unknown table %d", rel)
	}
	t.RowSecurity, t.ForceRowSecurity = enable, force
	return nil
}

func (in *inspector) policy(rows pgx.Rows) error {
	var (
		rel, oid uint32
		cmd      string
		p        = &schema.Policy{}
	)
	if err := rows.Scan(&rel, &p.Name, &p.Restrictive, &cmd, &p.Roles, &p.Using, &p.Check, &p.Comment, &oid); err != nil {
		return err
	}
	t := in.tables[rel]
	if t == nil {
		return fmt.Errorf("policy %q of unknown table %d", p.Name, rel)
	}
	p.Command = policyCommands[cmd]
	t.Policies = append(t.Policies, p)
	in.policies[oid] = p
	return nil
}

func (in *inspector) policyDepends(rows pgx.Rows) error {
	var (
		oid  uint32
		refs []string
	)
	if err := rows.Scan(&oid, &refs); err != nil {
		return err
	}
	p := in.policies[oid]
	if p == nil {
		return fmt.Errorf("dependencies of unknown policy %d", oid)
	}
	p.DependsOn = addRefs(p.DependsOn, refs)
	return nil
}

func (in *inspector) eventTrigger(rows pgx.Rows) error {
	var (
		enabled string
		e       = &schema.EventTrigger{}
	)
	if err := rows.Scan(&e.Name, &e.Event, &e.Tags, &e.FunctionSchema, &e.FunctionName, &enabled, &e.Comment); err != nil {
		return err
	}
	var ok bool
	if e.Enabled, ok = firing[enabled]; !ok {
		return fmt.Errorf("event trigger %q: unknown firing state %q", e.Name, enabled)
	}
	// Tags are matched case-insensitively and stored as written; upper case is how the
	// server reports command tags.
	for i, tag := range e.Tags {
		e.Tags[i] = strings.ToUpper(tag)
	}
	slices.Sort(e.Tags)
	in.realm.EventTriggers = append(in.realm.EventTriggers, e)
	return nil
}
