package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/sqlscan"
)

// A CREATE INDEX CONCURRENTLY that does not finish (it failed, or its session was killed)
// leaves its index behind, marked invalid: the build commits the index's catalog entry before
// it reads the table. Outside a transaction nothing rolls that back, and inspect refuses a
// database with an invalid index, so whoever resumes or retries the build drops it first.

// ConcurrentIndex reads a CREATE [UNIQUE] INDEX CONCURRENTLY statement: the index's name and
// its table, as written (table may be schema-qualified, each part unquoted). ok is false for
// any other statement, and for a build without an index name (the server would choose it).
func ConcurrentIndex(sql string) (name string, table []string, ok bool) {
	var toks []sqlscan.Token
	for _, t := range sqlscan.Lex(sql) {
		if t.Kind != sqlscan.Comment {
			toks = append(toks, t)
		}
	}
	i := 0
	word := func(w string) bool {
		if i < len(toks) && toks[i].Kind == sqlscan.Ident && toks[i].Text == w {
			i++
			return true
		}
		return false
	}
	ident := func() (string, bool) {
		if i < len(toks) && (toks[i].Kind == sqlscan.Ident || toks[i].Kind == sqlscan.Quoted) {
			i++
			return toks[i-1].Text, true
		}
		return "", false
	}
	if !word("create") {
		return "", nil, false
	}
	word("unique")
	if !word("index") || !word("concurrently") {
		return "", nil, false
	}
	if word("if") && !(word("not") && word("exists")) {
		return "", nil, false
	}
	if name, ok = ident(); !ok || name == "on" && toks[i-1].Kind == sqlscan.Ident {
		return "", nil, false // CREATE INDEX CONCURRENTLY ON t: no name
	}
	if !word("on") {
		return "", nil, false
	}
	word("only")
	for {
		part, ok := ident()
		if !ok {
			return "", nil, false
		}
		table = append(table, part)
		if i < len(toks) && toks[i].Kind == sqlscan.Punct && toks[i].Text == "." {
			i++
			continue
		}
		return name, table, true
	}
}

// DropInvalidIndex drops the invalid index that the CREATE INDEX CONCURRENTLY statement sql
// left behind when it did not finish, with DROP INDEX CONCURRENTLY (so that writes to the
// table go on). It returns the dropped index's qualified name, or "" when sql is no such
// build or its index is not there invalid: a valid index of that name is never touched.
//
// conn must not be in a transaction: DROP INDEX CONCURRENTLY cannot run in one.
func DropInvalidIndex(ctx context.Context, conn *pgx.Conn, sql string) (string, error) {
	index, err := InvalidIndex(ctx, conn, sql)
	if err != nil || index == "" {
		return "", err
	}
	if _, err := conn.Exec(ctx, "DROP INDEX CONCURRENTLY "+index); err != nil {
		return "", fmt.Errorf("drop the invalid index %s: %w", index, err)
	}
	return index, nil
}

// InvalidIndex returns the qualified name of the invalid index that the CREATE INDEX
// CONCURRENTLY statement sql left behind, or "" when sql is no such build or there is no
// invalid index of its name on its table.
func InvalidIndex(ctx context.Context, conn *pgx.Conn, sql string) (string, error) {
	name, table, ok := ConcurrentIndex(sql)
	if !ok {
		return "", nil
	}
	var qualified string
	for i, part := range table {
		if i > 0 {
			qualified += "."
		}
		qualified += Ident(part)
	}
	var index string
	// The table is resolved as the build resolved it: on the same session's search_path.
	err := conn.QueryRow(ctx, `SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE i.indrelid = pg_catalog.to_regclass($1) AND c.relname = $2 AND NOT i.indisvalid`, qualified, name).Scan(&index)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look for an invalid index %s on %s: %w", Ident(name), qualified, err)
	}
	return index, nil
}
