package postgres

// Dependencies are read from pg_depend, which PostgreSQL keeps for every object whose
// definition it parsed: a view's query (through its _RETURN rule in pg_rewrite), a function's
// argument and result types and its SQL-standard body, a default, a check, an index
// expression. Reading them from the catalog rather than from the text is what makes them
// exact: a name in a string, a comment or a column alias is not a dependency, and a reference
// through search_path is resolved the way the server resolved it.

// refOf renders the dependency target (refclassid, refobjid, refobjsubid) of pg_depend row d
// as an array of schema references (see schema.Ref): a column also yields its table, so a
// check for "anything of this table" needs one lookup. Targets outside the managed
// namespaces (built-in types and functions, extension schemas aside) and kinds the model has
// no reference for (schemas, languages, collations, operators) yield an empty array.
const refOf = `(CASE d.refclassid
WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN (
  SELECT CASE
    WHEN c.relkind IN ('v', 'm') THEN ARRAY['view:' || n.nspname || '.' || c.relname]
    WHEN c.relkind = 'S' THEN ARRAY['sequence:' || n.nspname || '.' || c.relname]
    WHEN c.relkind = 'c' THEN ARRAY['type:' || n.nspname || '.' || c.relname]
    WHEN c.relkind = 'i' THEN ARRAY['index:' || n.nspname || '.' || c.relname]
    WHEN d.refobjsubid > 0 THEN ARRAY['table:' || n.nspname || '.' || c.relname,
      'column:' || n.nspname || '.' || c.relname || '.' || a.attname]
    ELSE ARRAY['table:' || n.nspname || '.' || c.relname] END
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
  WHERE c.oid = d.refobjid AND ` + userNS + `)
WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN (
  SELECT CASE
    WHEN c.relkind IN ('v', 'm') THEN ARRAY['view:' || n.nspname || '.' || c.relname]
    WHEN c.relkind IN ('r', 'p', 'f') THEN ARRAY['table:' || n.nspname || '.' || c.relname]
    ELSE ARRAY['type:' || n.nspname || '.' || t.typname] END
  FROM pg_catalog.pg_type t0
  JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN t0.typcategory = 'A' AND t0.typelem <> 0 THEN t0.typelem ELSE t0.oid END
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
  WHERE t0.oid = d.refobjid AND ` + userNS + `)
WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN (
  SELECT ARRAY['function:' || n.nspname || '.' || p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')']
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE p.oid = d.refobjid AND ` + userNS + `)
WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN (
  SELECT ARRAY['constraint:' || n.nspname || '.' || c.relname || '.' || con.conname]
  FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE con.oid = d.refobjid AND ` + userNS + `)
END)`

// usedByOf renders the dependent object (classid, objid, objsubid) of pg_depend row d that
// calls a function as a schema reference: a column default or generation expression, a
// table or domain constraint, an index, a domain (its default). Views and functions are
// left out: they record their own dependencies.
const usedByOf = `(CASE d.classid
WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN (
  SELECT 'default:' || n.nspname || '.' || c.relname || '.' || a.attname
  FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
  WHERE ad.oid = d.objid)
WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN (
  SELECT CASE WHEN con.conrelid <> 0 THEN 'constraint:' || n.nspname || '.' || c.relname || '.' || con.conname
    ELSE 'type:' || tn.nspname || '.' || t.typname END
  FROM pg_catalog.pg_constraint con
  LEFT JOIN pg_catalog.pg_class c ON c.oid = con.conrelid LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_type t ON t.oid = con.contypid LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
  WHERE con.oid = d.objid)
WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN (
  SELECT 'index:' || n.nspname || '.' || c.relname
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = d.objid AND c.relkind = 'i')
WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN (
  SELECT 'type:' || n.nspname || '.' || t.typname
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.oid = d.objid AND t.typtype = 'd')
END)`
