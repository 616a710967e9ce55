package postgres

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/schema"
)

// funcFilter selects the functions and procedures Sextant models, as a subquery of oids.
// Aggregates and window functions are not modelled (see qUnsupported). The constructors
// PostgreSQL creates with a range type depend on it internally and belong to it.
var funcFilter = `SELECT p.oid FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p') AND ` + userNS + ` AND ` + notExt("pg_proc", "p.oid") + `
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
    AND x.objid = p.oid AND x.deptype = 'i')`

var (
	// pg_get_functiondef prints the whole CREATE OR REPLACE statement; under the empty
	// search_path of the inspection the names in its header are qualified. Its body is the
	// body as written, except a SQL-standard body, which the server deparses.
	qFunctions = `SELECT p.oid, n.nspname, p.proname, p.prokind = 'p', pg_catalog.oidvectortypes(p.proargtypes),
  pg_catalog.pg_get_function_arguments(p.oid), coalesce(pg_catalog.pg_get_function_result(p.oid), ''),
  coalesce(p.proargmodes::pg_catalog.text[], '{}'), coalesce(p.proargnames, '{}'),
  ARRAY(SELECT pg_catalog.format_type(u.t, NULL)
    FROM pg_catalog.unnest(coalesce(p.proallargtypes, p.proargtypes::pg_catalog.oid[])) WITH ORDINALITY u(t, o) ORDER BY u.o),
  p.pronargdefaults, l.lanname, p.provolatile::pg_catalog.text, p.proisstrict, p.prosecdef, p.proleakproof,
  p.proparallel::pg_catalog.text, coalesce(p.proconfig, '{}'), pg_catalog.pg_get_functiondef(p.oid),
  coalesce(pg_catalog.obj_description(p.oid, 'pg_proc'), '')
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE p.oid IN (` + funcFilter + `) ORDER BY 2, 3, 5`

	qFunctionDepends = `SELECT d.objid, coalesce(` + refOf + `, '{}')
FROM pg_catalog.pg_depend d
WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid IN (` + funcFilter + `) AND d.deptype = 'n'
  AND NOT (d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.refobjid = d.objid)`

	qFunctionUsers = `SELECT d.refobjid, coalesce(` + usedByOf + `, '')
FROM pg_catalog.pg_depend d
WHERE d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.refobjid IN (` + funcFilter + `) AND d.deptype = 'n'`
)

var (
	paramModes  = map[string]string{"i": "in", "o": "out", "b": "inout", "v": "variadic", "t": "table"}
	volatility  = map[string]string{"i": "immutable", "s": "stable", "v": "volatile"}
	parallelism = map[string]string{"s": "safe", "r": "restricted", "u": "unsafe"}
)

func (in *inspector) function(rows pgx.Rows) error {
	var (
		oid                 uint32
		modes, names, types []string
		defaults            int16
		volatile, parallel  string
		f                   = &schema.Function{}
	)
	if err := rows.Scan(&oid, &f.Schema, &f.Name, &f.Procedure, &f.Signature, &f.Args, &f.Result,
		&modes, &names, &types, &defaults, &f.Language, &volatile, &f.Strict, &f.SecurityDefiner, &f.Leakproof,
		&parallel, &f.Config, &f.Def, &f.Comment); err != nil {
		return err
	}
	for i, typ := range types {
		p := schema.Param{Mode: "in", Type: typ}
		if i < len(modes) {
			p.Mode = paramModes[modes[i]]
		}
		if i < len(names) {
			p.Name = names[i]
		}
		f.Params = append(f.Params, p)
	}
	f.Defaults = int(defaults)
	f.Volatility, f.Parallel = volatility[volatile], parallelism[parallel]
	f.Def = strings.TrimRight(f.Def, " \n")
	s, err := in.schemaOf(f.Schema)
	if err != nil {
		return fmt.Errorf("function %q: %w", f.Name, err)
	}
	s.Functions = append(s.Functions, f)
	in.functions[oid] = f
	return nil
}

func (in *inspector) functionDepends(rows pgx.Rows) error {
	var (
		oid  uint32
		refs []string
	)
	if err := rows.Scan(&oid, &refs); err != nil {
		return err
	}
	f := in.functions[oid]
	if f == nil {
		return fmt.Errorf("dependencies of unknown function %d", oid)
	}
	f.DependsOn = addRefs(f.DependsOn, refs)
	return nil
}

func (in *inspector) functionUser(rows pgx.Rows) error {
	var (
		oid uint32
		ref string
	)
	if err := rows.Scan(&oid, &ref); err != nil {
		return err
	}
	f := in.functions[oid]
	if f == nil {
		return fmt.Errorf("users of unknown function %d", oid)
	}
	if ref != "" {
		f.UsedBy = addRefs(f.UsedBy, []string{ref})
	}
	return nil
}
