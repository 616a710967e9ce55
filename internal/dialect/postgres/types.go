package postgres

import (
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/schema"
)

// collName renders the collation with oid expression oid as a qualified, quoted name.
func collName(oid string) string {
	return `(SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
    FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = ` + oid + `)`
}

var (
	// A composite type's attributes live in pg_attribute under the type's relation
	// (relkind 'c'); a table's row type is its table's business.
	qComposites = `SELECT t.typrelid, n.nspname, t.typname, coalesce(pg_catalog.obj_description(t.oid, 'pg_type'), '')
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
WHERE t.typtype = 'c' AND c.relkind = 'c' AND ` + userNS + ` AND ` + notExt("pg_type", "t.oid") + ` ORDER BY 2, 3`

	qAttributes = `SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
  CASE WHEN a.attcollation <> t.typcollation THEN ` + collName("a.attcollation") + ` ELSE '' END,
  ` + typeRef + `
FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'c' AND a.attnum > 0 AND NOT a.attisdropped AND ` + userNS + `
ORDER BY a.attrelid, a.attnum`

	// The subtype's operator class is kept only when it is not the default one for its input
	// type, which is what CREATE TYPE picks when none is named.
	qRanges = `SELECT n.nspname, t.typname, pg_catalog.format_type(r.rngsubtype, NULL), ` + typeRefOf("r.rngsubtype") + `,
  CASE WHEN oc.opcdefault THEN '' ELSE pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) END,
  CASE WHEN r.rngcollation <> st.typcollation THEN ` + collName("r.rngcollation") + ` ELSE '' END,
  CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::pg_catalog.text ELSE '' END,
  coalesce((SELECT 'function:' || pn.nspname || '.' || p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')'
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
    WHERE p.oid = r.rngsubdiff AND pn.nspname !~ '^pg_' AND pn.nspname <> 'information_schema'), ''),
  mt.typname, coalesce(pg_catalog.obj_description(t.oid, 'pg_type'), '')
FROM pg_catalog.pg_range r
JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
JOIN pg_catalog.pg_type mt ON mt.oid = r.rngmultitypid
JOIN pg_catalog.pg_opclass oc ON oc.oid = r.rngsubopc JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
WHERE ` + userNS + ` AND ` + notExt("pg_type", "t.oid") + ` ORDER BY 1, 2`

	// The locale of an ICU collation moved from colliculocale (15) to colllocale (17); reading
	// the row as JSON finds it under either name.
	qCollations = `SELECT n.nspname, co.collname, CASE co.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE co.collprovider::pg_catalog.text END,
  coalesce(pg_catalog.to_jsonb(co) ->> 'colllocale', pg_catalog.to_jsonb(co) ->> 'colliculocale', ''),
  coalesce(co.collcollate, ''), coalesce(co.collctype, ''), co.collisdeterministic,
  coalesce(pg_catalog.obj_description(co.oid, 'pg_collation'), '')
FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
WHERE ` + userNS + ` AND ` + notExt("pg_collation", "co.oid") + ` ORDER BY 1, 2`
)

// typeRefOf names the user-defined type (enum, domain, composite or range) that the type with
// oid expression oid is, or is an array of; a multirange names its range. Empty for any other
// type.
func typeRefOf(oid string) string {
	return `coalesce((SELECT un.nspname || '.' || u.typname
  FROM (SELECT CASE WHEN x.typcategory = 'A' AND x.typelem <> 0 THEN x.typelem ELSE x.oid END AS e
    FROM pg_catalog.pg_type x WHERE x.oid = ` + oid + `) el
  JOIN pg_catalog.pg_type u ON u.oid = coalesce((SELECT r.rngtypid FROM pg_catalog.pg_range r WHERE r.rngmultitypid = el.e), el.e)
  JOIN pg_catalog.pg_namespace un ON un.oid = u.typnamespace
  LEFT JOIN pg_catalog.pg_class uc ON uc.oid = u.typrelid
  WHERE (u.typtype IN ('e', 'd', 'r') OR uc.relkind = 'c') AND un.nspname !~ '^pg_' AND un.nspname <> 'information_schema'), '')`
}

func (in *inspector) composite(rows pgx.Rows) error {
	var (
		rel uint32
		c   = &schema.Composite{}
	)
	if err := rows.Scan(&rel, &c.Schema, &c.Name, &c.Comment); err != nil {
		return err
	}
	s, err := in.schemaOf(c.Schema)
	if err != nil {
		return fmt.Errorf("composite type %q: %w", c.Name, err)
	}
	s.Composites = append(s.Composites, c)
	in.composites[rel] = c
	return nil
}

func (in *inspector) attribute(rows pgx.Rows) error {
	var (
		rel uint32
		a   = &schema.Attribute{}
	)
	if err := rows.Scan(&rel, &a.Name, &a.Type, &a.Collation, &a.TypeRef); err != nil {
		return err
	}
	c := in.composites[rel]
	if c == nil {
		return nil // a composite type owned by an extension, or outside the managed schemas
	}
	c.Attributes = append(c.Attributes, a)
	return nil
}

func (in *inspector) rangeType(rows pgx.Rows) error {
	var (
		r    = &schema.Range{}
		diff string
	)
	if err := rows.Scan(&r.Schema, &r.Name, &r.Subtype, &r.SubtypeRef, &r.Opclass, &r.Collation, &r.SubtypeDiff, &diff,
		&r.Multirange, &r.Comment); err != nil {
		return err
	}
	if diff != "" {
		r.DependsOn = []string{diff}
	}
	s, err := in.schemaOf(r.Schema)
	if err != nil {
		return fmt.Errorf("range type %q: %w", r.Name, err)
	}
	s.Ranges = append(s.Ranges, r)
	return nil
}

func (in *inspector) collation(rows pgx.Rows) error {
	var (
		c              = &schema.Collation{}
		collate, ctype string
	)
	if err := rows.Scan(&c.Schema, &c.Name, &c.Provider, &c.Locale, &collate, &ctype, &c.Deterministic, &c.Comment); err != nil {
		return err
	}
	if c.Provider == "libc" {
		if collate == ctype {
			c.Locale = collate
		} else {
			c.LcCollate, c.LcCtype = collate, ctype
		}
	}
	s, err := in.schemaOf(c.Schema)
	if err != nil {
		return fmt.Errorf("collation %q: %w", c.Name, err)
	}
	s.Collations = append(s.Collations, c)
	return nil
}
