// Package postgres is Sextant's PostgreSQL engine: it inspects a live database into the schema
// model through the system catalogs (pgx), and renders model changes as PostgreSQL DDL.
//
// Definitions are read with the server's own deparsers (format_type, pg_get_expr,
// pg_get_constraintdef, pg_get_indexdef) under an empty search_path, so every name they print
// is schema-qualified and two states inspected on the same server compare exactly.
package postgres

import "github.com/sextant-db/sextant/internal/schema"

// Dialect is the name the model and plans carry for PostgreSQL.
const Dialect = "postgres"

// Baseline is the state of a freshly created database: what Sextant assumes exists before the
// first statement of a full schema dump.
func Baseline() *schema.Realm {
	return &schema.Realm{
		Dialect: Dialect,
		Schemas: []*schema.Schema{{Name: "public", Comment: "standard public schema",
			// PostgreSQL 15 creates public owned by pg_database_owner with USAGE for PUBLIC
			// (CREATE too before 15); inspect reads that grant like any other.
			Grants: []schema.Grant{{Grantee: "PUBLIC", Privilege: "USAGE"}}}},
	}
}
