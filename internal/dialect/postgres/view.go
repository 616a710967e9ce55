package postgres

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/schema"
)

// viewFilter selects the views and materialized views Sextant models, as a subquery of oids.
var viewFilter = `SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND ` + userNS + ` AND ` + notExt("pg_class", "c.oid")

var (
	// pg_get_viewdef's pretty form is what psql shows; under the empty search_path of the
	// inspection every name in it is qualified.
	qViews = `SELECT c.oid, n.nspname, c.relname, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid, true),
  coalesce(c.reloptions, '{}'), coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '')
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid IN (` + viewFilter + `) ORDER BY 2, 3`

	qViewColumns = `SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
  CASE WHEN a.attcollation <> t.typcollation
    THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) ELSE '' END,
  coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), ''),
  coalesce(pg_catalog.col_description(a.attrelid, a.attnum), '')
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attrelid IN (` + viewFilter + `) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`

	qViewIndexes = indexQuery(viewFilter)

	// A view's query lives in its _RETURN rule, which holds the dependencies; the rule's
	// dependency on its own view is bookkeeping.
	qViewDepends = `SELECT r.ev_class, coalesce(` + refOf + `, '{}')
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
WHERE r.ev_class IN (` + viewFilter + `) AND r.rulename = '_RETURN' AND d.deptype = 'n'
  AND NOT (d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = r.ev_class)`
)

func (in *inspector) view(rows pgx.Rows) error {
	var (
		oid uint32
		v   = &schema.View{}
	)
	if err := rows.Scan(&oid, &v.Schema, &v.Name, &v.Materialized, &v.Def, &v.Options, &v.Comment); err != nil {
		return err
	}
	v.Def = strings.TrimSuffix(strings.TrimRight(v.Def, " \n"), ";")
	sort.Strings(v.Options)
	s, err := in.schemaOf(v.Schema)
	if err != nil {
		return fmt.Errorf("view %q: %w", v.Name, err)
	}
	s.Views = append(s.Views, v)
	in.views[oid] = v
	return nil
}

func (in *inspector) viewColumn(rows pgx.Rows) error {
	var (
		rel uint32
		c   = &schema.ViewColumn{}
	)
	if err := rows.Scan(&rel, &c.Name, &c.Type, &c.Collation, &c.Default, &c.Comment); err != nil {
		return err
	}
	v := in.views[rel]
	if v == nil {
		return fmt.Errorf("column %q of unknown view %d", c.Name, rel)
	}
	v.Columns = append(v.Columns, c)
	return nil
}

func (in *inspector) viewIndex(rows pgx.Rows) error {
	rel, ix, err := scanIndex(rows)
	if err != nil {
		return err
	}
	v := in.views[rel]
	if v == nil {
		return fmt.Errorf("index %q of unknown materialized view %d", ix.Name, rel)
	}
	if err := ix.check(v.Schema); err != nil {
		return err
	}
	v.Indexes = append(v.Indexes, ix.Index)
	return nil
}

func (in *inspector) viewDepends(rows pgx.Rows) error {
	var (
		rel  uint32
		refs []string
	)
	if err := rows.Scan(&rel, &refs); err != nil {
		return err
	}
	v := in.views[rel]
	if v == nil {
		return fmt.Errorf("dependencies of unknown view %d", rel)
	}
	v.DependsOn = addRefs(v.DependsOn, refs)
	return nil
}

// addRefs adds refs to a sorted set of references.
func addRefs(set, refs []string) []string {
	for _, r := range refs {
		if i, found := slices.BinarySearch(set, r); !found {
			set = slices.Insert(set, i, r)
		}
	}
	return set
}
