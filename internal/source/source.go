// Package source turns a schema source URL into a schema model.
//
// SQL sources (file://) are never parsed by Sextant: the SQL is executed on a scratch database
// of a dev server and the resulting catalog is inspected, which makes the model exact for
// everything the server accepts. Database sources (postgres://) are inspected directly.
package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/schema"
)

// DevFunc returns the dev server that SQL sources are normalised on. It is called only when a
// source needs one, so inspecting a live database never starts a dev server.
type DevFunc func(ctx context.Context) (devdb.Server, error)

// StateFunc returns the SQL of a state recorded in the registry: the schema's name and a tag
// or a fingerprint.
type StateFunc func(ctx context.Context, schema, ref string) (string, error)

// Env is what loading a source may need: a dev server for SQL sources, and the registry for
// registry:// sources. Either may be nil when no source needs it.
type Env struct {
	Dev   DevFunc
	State StateFunc
	// Scope is the part of a schema the caller manages. Loading returns only that part, and
	// an object Sextant cannot manage yet fails the load only inside it. The zero Scope is
	// everything.
	Scope schema.Scope
}

const forms = "use file://schema.sql, file://dir/, git://REV:path, postgres://… or registry://app@tag"

// Load resolves src into a realm.
func Load(ctx context.Context, src string, env Env) (*schema.Realm, error) {
	files, err := SQLFiles(ctx, src, env)
	if err != nil {
		return nil, err
	}
	if files != nil {
		return loadSQLDrop(ctx, files, env)
	}
	return InspectURL(ctx, src, env.Scope)
}

// InspectURL connects to a live database and inspects the part of it that scope manages.
func InspectURL(ctx context.Context, url string, scope schema.Scope) (*schema.Realm, error) {
	conn, err := postgres.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", dburl.Redact(url), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	r, err := postgres.InspectScope(ctx, conn, scope)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", dburl.Redact(url), err)
	}
	return r, nil
}

// File is one SQL file of a source.
type File struct {
	Path string
	SQL  string
}

// Files reads a file:// path: one .sql file, or every *.sql file of a directory in lexical
// order (not recursive, so a folder of migrations next to it is not picked up).
func Files(path string) ([]File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("source file://%s: %w", path, err)
	}
	paths := []string{path}
	if fi.IsDir() {
		paths, err = filepath.Glob(filepath.Join(path, "*.sql"))
		if err != nil {
			return nil, fmt.Errorf("source file://%s: %w", path, err)
		}
		sort.Strings(paths)
		if len(paths) == 0 {
			return nil, fmt.Errorf("source file://%s: no *.sql files in the directory", path)
		}
	}
	files := make([]File, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("source: %w", err)
		}
		files = append(files, File{Path: p, SQL: string(b)})
	}
	return files, nil
}

// SQLFiles returns the SQL of a file:// or registry:// source, and nothing for a database (it
// has no lines to point at). A registry state reads as one file named after its URL.
func SQLFiles(ctx context.Context, src string, env Env) ([]File, error) {
	scheme, rest, ok := strings.Cut(src, "://")
	if !ok {
		// A key=value connection string lands here too: quoted, but never with its password.
		return nil, fmt.Errorf("source %q: not a URL; %s", dburl.Redact(src), forms)
	}
	switch scheme {
	case "file":
		return Files(rest)
	case "git":
		return gitFiles(ctx, rest)
	case "registry":
		name, ref, ok := strings.Cut(rest, "@")
		if !ok || name == "" || ref == "" {
			return nil, fmt.Errorf("source %s: want registry://<schema>@<tag or fingerprint>, e.g. registry://app@main", dburl.Redact(src))
		}
		if env.State == nil {
			return nil, fmt.Errorf("source %s: no registry configured", dburl.Redact(src))
		}
		sql, err := env.State(ctx, name, ref)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", dburl.Redact(src), err)
		}
		return []File{{Path: src, SQL: sql}}, nil
	case "postgres", "postgresql":
		return nil, nil
	}
	return nil, fmt.Errorf("source %s: unsupported scheme %q; %s", dburl.Redact(src), scheme, forms)
}

// LoadSQL executes the files, in order, on a fresh scratch database of the dev server and
// inspects the result. The scratch database is dropped before returning.
func LoadSQL(ctx context.Context, files []File, dev DevFunc) (*schema.Realm, error) {
	return loadSQLDrop(ctx, files, Env{Dev: dev})
}

// loadSQLDrop is loadSQL that drops the scratch database before returning.
func loadSQLDrop(ctx context.Context, files []File, env Env) (*schema.Realm, error) {
	r, db, err := loadSQL(ctx, files, env)
	if db != nil {
		db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // Close of the server drops leftovers too
	}
	return r, err
}

// LoadKeep loads src like Load, but a SQL source's scratch database, which holds the
// normalised state, is kept and returned for the caller to use and drop (a plan rehearsal
// starts from it instead of building the state again). A live database gives a nil DB.
func LoadKeep(ctx context.Context, src string, env Env) (*schema.Realm, *devdb.DB, error) {
	files, err := SQLFiles(ctx, src, env)
	if err != nil {
		return nil, nil, err
	}
	if files == nil {
		r, err := InspectURL(ctx, src, env.Scope)
		return r, nil, err
	}
	r, db, err := loadSQL(ctx, files, env)
	if err != nil && db != nil {
		db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // Close of the server drops leftovers too
		db = nil
	}
	return r, db, err
}

func loadSQL(ctx context.Context, files []File, env Env) (*schema.Realm, *devdb.DB, error) {
	srv, err := env.Dev(ctx)
	if err != nil {
		return nil, nil, err
	}
	db, err := srv.CreateDB(ctx)
	if err != nil {
		return nil, nil, err
	}
	conn, err := postgres.Connect(ctx, db.URL)
	if err != nil {
		return nil, db, fmt.Errorf("connect to scratch database: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := Exec(ctx, conn, files); err != nil {
		return nil, db, err
	}
	r, err := postgres.InspectScope(ctx, conn, env.Scope)
	return r, db, err
}

// Exec runs the files as one script in a single round trip. A server error is mapped back to
// the file, line and column it points at.
func Exec(ctx context.Context, conn *pgx.Conn, files []File) error {
	script, spans := join(files)
	results, err := conn.PgConn().Exec(ctx, script).ReadAll()
	if err == nil {
		return nil
	}
	// Every statement before the failed one completed and left a result; a query that failed
	// while sending rows left one too, with its error.
	failed := len(results)
	if failed > 0 && results[failed-1].Err != nil {
		failed--
	}
	return locate(err, script, spans, failed)
}

// span records where one file starts in the joined script.
type span struct {
	file   string
	offset int // byte offset of the file's first byte in the script
}

// join concatenates the files. A separating ";" keeps a file that lacks a final semicolon
// from running into the next one.
func join(files []File) (string, []span) {
	var b strings.Builder
	spans := make([]span, 0, len(files))
	for i, f := range files {
		if i > 0 {
			b.WriteString("\n;\n")
		}
		spans = append(spans, span{file: f.Path, offset: b.Len()})
		b.WriteString(f.SQL)
	}
	return b.String(), spans
}
