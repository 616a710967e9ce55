package postgres

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sextant-db/sextant/internal/schema"
)

// userNS filters namespaces Sextant manages: everything but the system schemas.
const userNS = `n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'`

// firstUserOID is PostgreSQL's FirstNormalObjectId: objects below it came with initdb. Casts
// and languages have no schema to tell the built-in ones apart. A cast that belongs to another
// object (the range-to-multirange cast of a range type, an internal dependency) is not one.
const firstUserOID = "16384"

// notExt keeps objects of catalog cat that no extension owns: extension members are the
// extension's business and are recreated by CREATE EXTENSION.
func notExt(cat, oid string) string {
	return fmt.Sprintf(`NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = 'pg_catalog.%s'::pg_catalog.regclass AND x.objid = %s AND x.deptype = 'e')`, cat, oid)
}

// indexQuery reads the indexes of the relations filter selects (a subquery of oids), except
// those that back a constraint (they belong to the constraint) and the indexes of partitions
// that PostgreSQL made or attached for an index of the parent (they belong to the parent).
func indexQuery(filter string) string {
	return `SELECT i.indrelid, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid), i.indisunique, am.amname,
  ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true) FROM pg_catalog.generate_series(1, i.indnkeyatts) k ORDER BY k),
  coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), ''),
  coalesce(pg_catalog.obj_description(i.indexrelid, 'pg_class'), ''), i.indisvalid
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE i.indrelid IN (` + filter + `)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
    WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = i.indexrelid)
ORDER BY i.indrelid, ic.relname`
}

// tableFilter selects the tables Sextant models, as a subquery of oids: ordinary and
// partitioned tables and their partitions.
var tableFilter = `SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND ` + userNS + ` AND ` + notExt("pg_class", "c.oid")

// columnFilter selects the tables whose columns are their own: all but partitions, whose
// columns are their parent's (see schema.Table).
var columnFilter = tableFilter + ` AND NOT c.relispartition`

var (
	qSchemas = `SELECT n.nspname, coalesce(pg_catalog.obj_description(n.oid, 'pg_namespace'), '')
FROM pg_catalog.pg_namespace n WHERE ` + userNS + ` AND ` + notExt("pg_namespace", "n.oid") + ` ORDER BY 1`

	// plpgsql is installed in every database created from a template; leaving it out keeps a
	// fresh database and an empty desired state equal.
	qExtensions = `SELECT e.extname, n.nspname, e.extversion
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' ORDER BY 1`

	qTables = `SELECT c.oid, n.nspname, c.relname, c.relpersistence = 'u', coalesce(c.reloptions, '{}'),
  coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), ''), ` + partitionCols + `
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid IN (` + tableFilter + `) ORDER BY 2, 3`

	// typeRef names the user type a column (or its array element) is of.
	typeRef = typeRefOf("t.oid")

	qColumns = `SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
  coalesce(CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END, ''),
  coalesce(CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END, ''),
  a.attidentity::text,
  CASE WHEN a.attcollation <> t.typcollation
    THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) ELSE '' END,
  coalesce(pg_catalog.col_description(a.attrelid, a.attnum), ''),
  ` + typeRef + `
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attrelid IN (` + columnFilter + `) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`

	seqCols = `pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle`

	qIdentities = `SELECT d.refobjid, d.refobjsubid, ` + seqCols + `
FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid
WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
  AND d.deptype = 'i' AND d.refobjid IN (` + columnFilter + `)`

	attnames = `ARRAY(SELECT a.attname FROM pg_catalog.unnest(%s) WITH ORDINALITY k(num, ord)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = %s AND a.attnum = k.num ORDER BY k.ord)`

	qConstraints = `SELECT con.conrelid, con.conname, con.contype::text, pg_catalog.pg_get_constraintdef(con.oid),
  con.convalidated, con.condeferrable,
  ` + fmt.Sprintf(attnames, "con.conkey", "con.conrelid") + `,
  coalesce(rn.nspname, ''), coalesce(rc.relname, ''),
  ` + fmt.Sprintf(attnames, "con.confkey", "con.confrelid") + `,
  coalesce(pg_catalog.obj_description(con.oid, 'pg_constraint'), '')
FROM pg_catalog.pg_constraint con
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.conrelid IN (` + tableFilter + `) AND con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND ` + ownConstraint + `
ORDER BY con.conrelid, con.conname`

	qIndexes = indexQuery(tableFilter)

	qEnums = `SELECT n.nspname, t.typname,
  ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
  coalesce(pg_catalog.obj_description(t.oid, 'pg_type'), '')
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND ` + userNS + ` AND ` + notExt("pg_type", "t.oid") + ` ORDER BY 1, 2`

	qDomains = `SELECT t.oid, n.nspname, t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull,
  coalesce(pg_catalog.pg_get_expr(t.typdefaultbin, 0), ''),
  CASE WHEN t.typcollation <> b.typcollation
    THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) ELSE '' END,
  coalesce(pg_catalog.obj_description(t.oid, 'pg_type'), ''),
  coalesce((SELECT un.nspname || '.' || u.typname FROM pg_catalog.pg_type u JOIN pg_catalog.pg_namespace un ON un.oid = u.typnamespace
    WHERE u.oid = CASE WHEN b.typcategory = 'A' THEN b.typelem ELSE b.oid END AND u.typtype IN ('e', 'd')), '')
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd' AND ` + userNS + ` AND ` + notExt("pg_type", "t.oid") + ` ORDER BY 2, 3`

	qDomainChecks = `SELECT con.contypid, con.conname, pg_catalog.pg_get_constraintdef(con.oid), con.convalidated,
  coalesce(pg_catalog.obj_description(con.oid, 'pg_constraint'), '')
FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_type t ON t.oid = con.contypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE con.contype = 'c' AND ` + userNS + ` ORDER BY 1, 2`

	qSequences = `SELECT n.nspname, c.relname, ` + seqCols + `,
  coalesce((SELECT tc.relname || '.' || a.attname FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
    JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'a'), ''),
  coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '')
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
WHERE c.relkind = 'S' AND ` + userNS + ` AND ` + notExt("pg_class", "c.oid") + `
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
    AND d.objid = c.oid AND d.deptype = 'i')
ORDER BY 1, 2`

	qname = func(ns, name string) string {
		return `pg_catalog.quote_ident(` + ns + `) || '.' || pg_catalog.quote_ident(` + name + `)`
	}

	// qUnsupported lists what exists in the database but is not modelled yet, so that inspect
	// can refuse by name rather than silently produce a partial schema. Each row carries the
	// schema and the unquoted name a scope judges it by (for an object that lives on a table,
	// the table's), so objects a project leaves out of its scope do not stop it.
	qUnsupported = `SELECT kind, nspname, object, name FROM (
SELECT 'foreign table' AS kind, n.nspname, c.relname AS object, ` + qname("n.nspname", "c.relname") + ` AS name
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'f' AND ` + userNS + ` AND ` + notExt("pg_class", "c.oid") + `
  AND ` + notExt("pg_type", "c.reltype") + `
UNION ALL
` + qPartitionColumns + `
UNION ALL
SELECT 'inherited table', n.nspname, c.relname, ` + qname("n.nspname", "c.relname") + ` FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT c.relispartition AND c.relkind = 'r' AND ` + userNS + `
UNION ALL
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END, n.nspname, p.proname,
  ` + qname("n.nspname", "p.proname") + ` || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('a', 'w') AND ` + userNS + ` AND ` + notExt("pg_proc", "p.oid") + `
UNION ALL
SELECT CASE WHEN tg.tgconstraint <> 0 THEN 'constraint trigger' ELSE 'trigger' END, n.nspname, c.relname,
  pg_catalog.quote_ident(tg.tgname) || ' on ' || ` + qname("n.nspname", "c.relname") + `
FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND c.oid NOT IN (` + tableFilter + `) AND ` + userNS + ` AND ` + notExt("pg_class", "c.oid") + `
UNION ALL
SELECT 'policy', n.nspname, c.relname, pg_catalog.quote_ident(po.polname) || ' on ' || ` + qname("n.nspname", "c.relname") + `
FROM pg_catalog.pg_policy po JOIN pg_catalog.pg_class c ON c.oid = po.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid NOT IN (` + tableFilter + `) AND ` + userNS + ` AND ` + notExt("pg_class", "c.oid") + `
UNION ALL
SELECT 'rule', n.nspname, c.relname, pg_catalog.quote_ident(r.rulename) || ' on ' || ` + qname("n.nspname", "c.relname") + `
FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN' AND ` + userNS + ` AND ` + notExt("pg_rewrite", "r.oid") + `
UNION ALL
SELECT CASE t.typtype WHEN 'b' THEN 'base type' WHEN 'p' THEN 'pseudo type' END, n.nspname, t.typname,
  ` + qname("n.nspname", "t.typname") + `
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('b', 'p') AND t.typcategory <> 'A' AND ` + userNS + ` AND ` + notExt("pg_type", "t.oid") + `
UNION ALL
SELECT 'range type with a canonical function', n.nspname, t.typname, ` + qname("n.nspname", "t.typname") + `
FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE r.rngcanonical <> 0 AND ` + userNS + ` AND ` + notExt("pg_type", "t.oid") + `
UNION ALL
SELECT 'typed table', n.nspname, c.relname, ` + qname("n.nspname", "c.relname") + ` FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.reloftype <> 0 AND ` + userNS + ` AND ` + notExt("pg_class", "c.oid") + `
UNION ALL
SELECT 'collation with ICU rules', n.nspname, co.collname, ` + qname("n.nspname", "co.collname") + ` FROM pg_catalog.pg_collation co
JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
WHERE pg_catalog.to_jsonb(co) ->> 'collicurules' IS NOT NULL AND ` + userNS + ` AND ` + notExt("pg_collation", "co.oid") + `
UNION ALL
SELECT 'type privileges', n.nspname, t.typname, ` + qname("n.nspname", "t.typname") + `
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typacl IS NOT NULL AND t.typcategory <> 'A' AND ` + userNS + ` AND ` + notExt("pg_type", "t.oid") + `
UNION ALL
SELECT 'view column privileges', n.nspname, c.relname, ` + qname("n.nspname", "c.relname") + ` || '.' || pg_catalog.quote_ident(a.attname)
FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE a.attacl IS NOT NULL AND c.relkind IN ('v', 'm') AND ` + userNS + ` AND ` + notExt("pg_class", "c.oid") + `
UNION ALL
SELECT 'default privileges', n.nspname, '', 'for role ' || pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)) ||
  coalesce(' in schema ' || pg_catalog.quote_ident(n.nspname), '')
FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
UNION ALL
` + unsupportedIn("operator", "pg_operator", "oprname", "oprnamespace") + `
UNION ALL
` + unsupportedIn("text search configuration", "pg_ts_config", "cfgname", "cfgnamespace") + `
UNION ALL
` + unsupportedIn("statistics object", "pg_statistic_ext", "stxname", "stxnamespace") + `
UNION ALL
` + unsupportedIn("operator class", "pg_opclass", "opcname", "opcnamespace") + `
UNION ALL
` + unsupportedIn("operator family", "pg_opfamily", "opfname", "opfnamespace") + `
UNION ALL
` + unsupportedIn("text search dictionary", "pg_ts_dict", "dictname", "dictnamespace") + `
UNION ALL
` + unsupportedIn("text search parser", "pg_ts_parser", "prsname", "prsnamespace") + `
UNION ALL
` + unsupportedIn("text search template", "pg_ts_template", "tmplname", "tmplnamespace") + `
UNION ALL
` + unsupportedIn("conversion", "pg_conversion", "conname", "connamespace") + `
UNION ALL
SELECT 'cast', NULL, '', '(' || pg_catalog.format_type(c.castsource, NULL) || ' AS ' || pg_catalog.format_type(c.casttarget, NULL) || ')'
FROM pg_catalog.pg_cast c WHERE c.oid >= ` + firstUserOID + ` AND ` + notExt("pg_cast", "c.oid") + `
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass
    AND d.objid = c.oid AND d.deptype = 'i')
UNION ALL
SELECT 'procedural language', NULL, '', pg_catalog.quote_ident(l.lanname) FROM pg_catalog.pg_language l
WHERE l.lanispl AND l.oid >= ` + firstUserOID + ` AND ` + notExt("pg_language", "l.oid") + `
) u ORDER BY 1, 4`
)

// Unsupported is one object that exists in the database but that Sextant cannot manage yet.
type Unsupported struct {
	Kind   string // "rule", "foreign table", …
	Schema string // the schema that holds it; empty for a database-wide object
	Object string // the unquoted name a scope judges it by: its own, or its table's
	Name   string // how messages show it: quoted, qualified, with its table or arguments
}

func (u Unsupported) String() string { return u.Kind + " " + u.Name }

// unsupportedIn is a qUnsupported row source for every object of catalog cat in a user schema
// that no extension owns, when cat holds nothing Sextant models: name and nsCol are its name
// and schema columns.
func unsupportedIn(kind, cat, name, nsCol string) string {
	return `SELECT '` + kind + `', n.nspname, o.` + name + `, ` + qname("n.nspname", "o."+name) + ` FROM pg_catalog.` + cat + ` o
JOIN pg_catalog.pg_namespace n ON n.oid = o.` + nsCol + ` WHERE ` + userNS + ` AND ` + notExt(cat, "o.oid")
}

// UnsupportedError lists objects that exist in the database but that Sextant cannot manage
// yet. Inspecting such a database fails rather than return a schema that silently lacks them.
type UnsupportedError struct {
	Objects []Unsupported
}

func (e *UnsupportedError) Error() string {
	const show = 10
	list := e.Objects
	more := ""
	if len(list) > show {
		more = fmt.Sprintf(" and %d more", len(list)-show)
		list = list[:show]
	}
	names := make([]string, len(list))
	for i, u := range list {
		names[i] = u.String()
	}
	return fmt.Sprintf("unsupported objects (not managed by sextant yet): %s%s", strings.Join(names, ", "), more)
}

// Inspect reads the schema of the database conn is connected to; it is InspectScope with the
// empty scope, so every unsupported object in the database fails it.
func Inspect(ctx context.Context, conn *pgx.Conn) (*schema.Realm, error) {
	return InspectScope(ctx, conn, schema.Scope{})
}

// InspectScope reads the part of the database's schema that sc manages. An unsupported object
// fails it only inside the scope: a project that leaves a schema or a table out is not stopped
// by what lives there. It runs in one read-only, repeatable-read transaction so the catalog
// queries see one consistent state, and sends all queries in a single batch.
func InspectScope(ctx context.Context, conn *pgx.Conn, sc schema.Scope) (*schema.Realm, error) {
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("inspect: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only; nothing to keep

	in := &inspector{realm: &schema.Realm{Dialect: Dialect}, tables: map[uint32]*schema.Table{},
		columns: map[colKey]*schema.Column{}, domains: map[uint32]*schema.Domain{},
		views: map[uint32]*schema.View{}, functions: map[uint32]*schema.Function{},
		triggers: map[uint32]*schema.Trigger{}, policies: map[uint32]*schema.Policy{},
		composites: map[uint32]*schema.Composite{}}
	batch := &pgx.Batch{}
	// An empty search_path makes every deparsed name schema-qualified.
	batch.Queue(`SELECT pg_catalog.set_config('search_path', '', true)`).Exec(func(pgconn.CommandTag) error { return nil })
	queue := func(name, sql string, scan func(pgx.Rows) error) {
		batch.Queue(sql).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := scan(rows); err != nil {
					return fmt.Errorf("inspect %s: %w", name, err)
				}
			}
			if err := rows.Err(); err != nil {
				return fmt.Errorf("inspect %s: %w", name, err)
			}
			return nil
		})
	}
	queue("unsupported objects", qUnsupported, in.unsupported)
	queue("schemas", qSchemas, in.schema)
	queue("extensions", qExtensions, in.extension)
	queue("tables", qTables, in.table)
	queue("columns", qColumns, in.column)
	queue("identity columns", qIdentities, in.identity)
	queue("constraints", qConstraints, in.constraint)
	queue("indexes", qIndexes, in.index)
	queue("enums", qEnums, in.enum)
	queue("domains", qDomains, in.domain)
	queue("domain constraints", qDomainChecks, in.domainCheck)
	queue("sequences", qSequences, in.sequence)
	queue("views", qViews, in.view)
	queue("view columns", qViewColumns, in.viewColumn)
	queue("materialized view indexes", qViewIndexes, in.viewIndex)
	queue("view dependencies", qViewDepends, in.viewDepends)
	queue("functions", qFunctions, in.function)
	queue("function dependencies", qFunctionDepends, in.functionDepends)
	queue("function users", qFunctionUsers, in.functionUser)
	queue("triggers", qTriggers, in.trigger)
	queue("trigger dependencies", qTriggerDepends, in.triggerDepends)
	queue("row level security", qRowSecurity, in.rowSecurity)
	queue("policies", qPolicies, in.policy)
	queue("policy dependencies", qPolicyDepends, in.policyDepends)
	queue("event triggers", qEventTriggers, in.eventTrigger)
	queue("composite types", qComposites, in.composite)
	queue("composite type attributes", qAttributes, in.attribute)
	queue("range types", qRanges, in.rangeType)
	queue("collations", qCollations, in.collation)
	queue("schema privileges", qSchemaGrants, in.schemaGrant)
	queue("relation privileges", qRelationGrants, in.relationGrant)
	queue("column privileges", qColumnGrants, in.columnGrant)
	queue("function privileges", qFunctionGrants, in.functionGrant)
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return nil, err
	}
	var refused []Unsupported
	for _, u := range in.unsupportedObjs {
		// A database-wide object (a cast, a language, default privileges for every schema)
		// has no schema to leave out, so it always counts.
		if u.Schema == "" || sc.Keeps(u.Schema, u.Object) {
			refused = append(refused, u)
		}
	}
	if len(refused) > 0 {
		return nil, &UnsupportedError{Objects: refused}
	}
	return sc.Apply(in.realm), nil
}

type colKey struct {
	rel uint32
	num int16
}

type inspector struct {
	realm           *schema.Realm
	tables          map[uint32]*schema.Table
	columns         map[colKey]*schema.Column
	domains         map[uint32]*schema.Domain
	views           map[uint32]*schema.View
	functions       map[uint32]*schema.Function
	triggers        map[uint32]*schema.Trigger
	policies        map[uint32]*schema.Policy
	composites      map[uint32]*schema.Composite // by the type's relation
	unsupportedObjs []Unsupported
}

func (in *inspector) schemaOf(name string) (*schema.Schema, error) {
	if s := in.realm.Schema(name); s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("schema %q not found", name)
}

func (in *inspector) unsupported(rows pgx.Rows) error {
	var u Unsupported
	var nsp *string // NULL for default privileges that apply in every schema
	if err := rows.Scan(&u.Kind, &nsp, &u.Object, &u.Name); err != nil {
		return err
	}
	if nsp != nil {
		u.Schema = *nsp
	}
	in.unsupportedObjs = append(in.unsupportedObjs, u)
	return nil
}

func (in *inspector) schema(rows pgx.Rows) error {
	s := &schema.Schema{}
	if err := rows.Scan(&s.Name, &s.Comment); err != nil {
		return err
	}
	in.realm.Schemas = append(in.realm.Schemas, s)
	return nil
}

func (in *inspector) extension(rows pgx.Rows) error {
	e := &schema.Extension{}
	if err := rows.Scan(&e.Name, &e.Schema, &e.Version); err != nil {
		return err
	}
	in.realm.Extensions = append(in.realm.Extensions, e)
	return nil
}

func (in *inspector) table(rows pgx.Rows) error {
	var oid uint32
	t := &schema.Table{}
	if err := rows.Scan(&oid, &t.Schema, &t.Name, &t.Unlogged, &t.Options, &t.Comment,
		&t.PartitionKey, &t.PartitionOf, &t.Bound); err != nil {
		return err
	}
	sort.Strings(t.Options)
	s, err := in.schemaOf(t.Schema)
	if err != nil {
		return err
	}
	s.Tables = append(s.Tables, t)
	in.tables[oid] = t
	return nil
}

func (in *inspector) column(rows pgx.Rows) error {
	var (
		rel      uint32
		num      int16
		identity string
		c        = &schema.Column{}
	)
	if err := rows.Scan(&rel, &num, &c.Name, &c.Type, &c.NotNull, &c.Default, &c.Generated, &identity,
		&c.Collation, &c.Comment, &c.TypeRef); err != nil {
		return err
	}
	t := in.tables[rel]
	if t == nil {
		return fmt.Errorf("column %q of unknown table %d", c.Name, rel)
	}
	if identity != "" {
		c.Identity = &schema.Identity{Always: identity == "a"}
	}
	t.Columns = append(t.Columns, c)
	in.columns[colKey{rel, num}] = c
	return nil
}

func scanSeqOpts(o *schema.SequenceOpts) []any {
	return []any{&o.Type, &o.Start, &o.Increment, &o.Min, &o.Max, &o.Cache, &o.Cycle}
}

func (in *inspector) identity(rows pgx.Rows) error {
	var (
		rel  uint32
		num  int32
		opts schema.SequenceOpts
	)
	if err := rows.Scan(append([]any{&rel, &num}, scanSeqOpts(&opts)...)...); err != nil {
		return err
	}
	c := in.columns[colKey{rel, int16(num)}]
	if c == nil || c.Identity == nil {
		return fmt.Errorf("identity sequence of unknown column %d.%d", rel, num)
	}
	// The sequence type always follows the column type; keeping it would only repeat it.
	opts.Type = ""
	c.Identity.Sequence = opts
	return nil
}

func (in *inspector) constraint(rows pgx.Rows) error {
	var (
		rel  uint32
		kind string
		c    = &schema.Constraint{}
		ok   bool
	)
	if err := rows.Scan(&rel, &c.Name, &kind, &c.Def, &ok, &c.Deferrable, &c.Columns,
		&c.RefSchema, &c.RefTable, &c.RefColumns, &c.Comment); err != nil {
		return err
	}
	t := in.tables[rel]
	if t == nil {
		return fmt.Errorf("constraint %q of unknown table %d", c.Name, rel)
	}
	c.Kind = constraintKinds[kind]
	c.NotValid = !ok
	c.Def = strings.TrimSuffix(c.Def, " NOT VALID")
	t.Constraints = append(t.Constraints, c)
	return nil
}

var constraintKinds = map[string]schema.ConstraintKind{
	"p": schema.PrimaryKey, "u": schema.Unique, "c": schema.Check, "f": schema.ForeignKey, "x": schema.Exclusion,
}

func (in *inspector) index(rows pgx.Rows) error {
	rel, ix, err := scanIndex(rows)
	if err != nil {
		return err
	}
	t := in.tables[rel]
	if t == nil {
		return fmt.Errorf("index %q of unknown table %d", ix.Name, rel)
	}
	if err := ix.check(t.Schema); err != nil {
		return err
	}
	ix.Def = partitionIndexDef(t, ix.Index)
	t.Indexes = append(t.Indexes, ix.Index)
	return nil
}

// scannedIndex is a row of qIndexes or qViewIndexes: the index, and whether it is valid.
type scannedIndex struct {
	*schema.Index
	valid bool
}

// scanIndex reads an index of a table or materialized view, with the relation's oid.
func scanIndex(rows pgx.Rows) (uint32, scannedIndex, error) {
	var rel uint32
	ix := scannedIndex{Index: &schema.Index{}}
	err := rows.Scan(&rel, &ix.Name, &ix.Def, &ix.Unique, &ix.Method, &ix.Columns, &ix.Where, &ix.Comment, &ix.valid)
	return rel, ix, err
}

// check refuses an invalid index: a failed CREATE INDEX CONCURRENTLY leaves one behind, and
// planning around it would hide a broken database.
func (ix scannedIndex) check(schemaName string) error {
	if !ix.valid {
		return fmt.Errorf("index %s.%s is invalid (a failed concurrent build?): drop or REINDEX it first", schemaName, ix.Name)
	}
	return nil
}

func (in *inspector) enum(rows pgx.Rows) error {
	e := &schema.Enum{}
	if err := rows.Scan(&e.Schema, &e.Name, &e.Values, &e.Comment); err != nil {
		return err
	}
	s, err := in.schemaOf(e.Schema)
	if err != nil {
		return err
	}
	s.Enums = append(s.Enums, e)
	return nil
}

func (in *inspector) domain(rows pgx.Rows) error {
	var oid uint32
	d := &schema.Domain{}
	if err := rows.Scan(&oid, &d.Schema, &d.Name, &d.Type, &d.NotNull, &d.Default, &d.Collation, &d.Comment, &d.TypeRef); err != nil {
		return err
	}
	s, err := in.schemaOf(d.Schema)
	if err != nil {
		return err
	}
	s.Domains = append(s.Domains, d)
	in.domains[oid] = d
	return nil
}

func (in *inspector) domainCheck(rows pgx.Rows) error {
	var (
		typ uint32
		ok  bool
		c   = &schema.Constraint{Kind: schema.Check}
	)
	if err := rows.Scan(&typ, &c.Name, &c.Def, &ok, &c.Comment); err != nil {
		return err
	}
	d := in.domains[typ]
	if d == nil {
		return nil // a check on a domain outside the managed schemas
	}
	c.NotValid = !ok
	c.Def = strings.TrimSuffix(c.Def, " NOT VALID")
	d.Checks = append(d.Checks, c)
	return nil
}

func (in *inspector) sequence(rows pgx.Rows) error {
	q := &schema.Sequence{}
	if err := rows.Scan(append(append([]any{&q.Schema, &q.Name}, scanSeqOpts(&q.Opts)...), &q.OwnedBy, &q.Comment)...); err != nil {
		return err
	}
	s, err := in.schemaOf(q.Schema)
	if err != nil {
		return err
	}
	s.Sequences = append(s.Sequences, q)
	return nil
}
