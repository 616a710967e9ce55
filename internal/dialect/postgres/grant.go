package postgres

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sextant-db/sextant/internal/plan"

	"github.com/sextant-db/sextant/internal/schema"
)

// Privileges are read from the objects' ACLs, each exploded into one row per grantee and
// privilege. A NULL ACL means the kind's default privileges, which acldefault spells out, so
// an object that was never granted anything and one that was granted exactly its defaults
// read the same. The owner's own entries are left out: they follow from ownership.

// grantCols are the columns of an exploded ACL entry a: grantee, privilege, grantable.
const grantCols = `CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable`

// explode is the lateral ACL of an object: acl, or the default ACL of its kind for its owner.
func explode(acl, kind, owner string) string {
	return `CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(` + acl + `, pg_catalog.acldefault(` + kind + `, ` + owner + `))) a`
}

var (
	qSchemaGrants = `SELECT n.nspname, ` + grantCols + `
FROM pg_catalog.pg_namespace n ` + explode("n.nspacl", "'n'", "n.nspowner") + `
WHERE ` + userNS + ` AND ` + notExt("pg_namespace", "n.oid") + ` AND a.grantee <> n.nspowner ORDER BY 1, 2, 3`

	qRelationGrants = `SELECT c.relkind::pg_catalog.text, n.nspname, c.relname, ` + grantCols + `
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
` + explode("c.relacl", `CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::pg_catalog."char"`, "c.relowner") + `
WHERE (c.oid IN (` + tableFilter + `) OR c.oid IN (` + viewFilter + `) OR c.relkind = 'S') AND ` + userNS + `
  AND ` + notExt("pg_class", "c.oid") + ` AND a.grantee <> c.relowner ORDER BY 2, 3, 4, 5`

	qColumnGrants = `SELECT c.attrelid, c.attnum, ` + grantCols + `
FROM pg_catalog.pg_attribute c CROSS JOIN LATERAL pg_catalog.aclexplode(c.attacl) a
WHERE c.attrelid IN (` + tableFilter + `) AND c.attnum > 0 AND NOT c.attisdropped AND c.attacl IS NOT NULL
ORDER BY 1, 2, 3, 4`

	qFunctionGrants = `SELECT p.oid, ` + grantCols + `
FROM pg_catalog.pg_proc p ` + explode("p.proacl", "'f'", "p.proowner") + `
WHERE p.oid IN (` + funcFilter + `) AND a.grantee <> p.proowner ORDER BY 1, 2, 3`
)

func scanGrant(rows pgx.Rows, lead ...any) (schema.Grant, error) {
	var g schema.Grant
	err := rows.Scan(append(lead, &g.Grantee, &g.Privilege, &g.Grantable)...)
	return g, err
}

func (in *inspector) schemaGrant(rows pgx.Rows) error {
	var name string
	g, err := scanGrant(rows, &name)
	if err != nil {
		return err
	}
	s, err := in.schemaOf(name)
	if err != nil {
		return fmt.Errorf("grant on schema: %w", err)
	}
	s.Grants = append(s.Grants, g)
	return nil
}

func (in *inspector) relationGrant(rows pgx.Rows) error {
	var kind, nsp, name string
	g, err := scanGrant(rows, &kind, &nsp, &name)
	if err != nil {
		return err
	}
	s, err := in.schemaOf(nsp)
	if err != nil {
		return fmt.Errorf("grant on %q: %w", name, err)
	}
	switch kind {
	case "r":
		if t := s.Table(name); t != nil {
			t.Grants = append(t.Grants, g)
			return nil
		}
	case "v", "m":
		if v := s.View(name); v != nil {
			v.Grants = append(v.Grants, g)
			return nil
		}
	case "S":
		for _, q := range s.Sequences {
			if q.Name == name {
				q.Grants = append(q.Grants, g)
				return nil
			}
		}
		// The sequence of an identity column is not modelled; neither are grants on it.
		return nil
	}
	return fmt.Errorf("grant of %s to %s on unknown relation %s.%s", g.Privilege, g.Grantee, nsp, name)
}

func (in *inspector) columnGrant(rows pgx.Rows) error {
	var (
		rel uint32
		num int16
	)
	g, err := scanGrant(rows, &rel, &num)
	if err != nil {
		return err
	}
	c := in.columns[colKey{rel, num}]
	if c == nil {
		return fmt.Errorf("grant of %s to %s on unknown column %d.%d", g.Privilege, g.Grantee, rel, num)
	}
	c.Grants = append(c.Grants, g)
	return nil
}

func (in *inspector) functionGrant(rows pgx.Rows) error {
	var oid uint32
	g, err := scanGrant(rows, &oid)
	if err != nil {
		return err
	}
	f := in.functions[oid]
	if f == nil {
		return fmt.Errorf("grant of %s to %s on unknown function %d", g.Privilege, g.Grantee, oid)
	}
	f.Grants = append(f.Grants, g)
	return nil
}

// missingRole explains the failure of a grant statement whose role does not exist on the
// target: roles are not part of a schema, so the plan cannot create it.
func missingRole(s plan.Statement, err error) error {
	var pgErr *pgconn.PgError
	if !strings.HasPrefix(s.Kind, "grant-") || !errors.As(err, &pgErr) || pgErr.Code != "42704" || !strings.HasPrefix(pgErr.Message, "role ") {
		return err
	}
	role := strings.TrimSuffix(pgErr.Message, " does not exist")
	return fmt.Errorf("privileges on %s name %s, which does not exist on the target database (roles are not part of a schema: create it first): %w",
		s.Object, role, err)
}
