// Package devdb provides dev databases: servers on which Sextant creates throw-away scratch
// databases to turn schema SQL into a catalog it can inspect, and to rehearse plans.
//
// A provider is chosen by URL: local://postgres starts an ephemeral cluster from the installed
// server binaries; docker://postgres/16 (or mysql/8, mariadb/11) starts a container with
// testcontainers-go; postgres://… uses an existing server, where Sextant creates and drops
// its own scratch databases and touches nothing else.
//
// Callers defer Server.Close: it cleans up even after a failed run or a cancelled context.
// Ephemeral servers (clusters, containers) left behind by a killed process are removed by the
// next Open of the same provider. Errors never contain a password.
package devdb

import (
	"context"
	"fmt"
	"strings"

	"github.com/sextant-db/sextant/internal/dburl"
)

// Server is a database server that hands out scratch databases. Close releases everything the
// server created: scratch databases, and for ephemeral servers the server itself.
type Server interface {
	// Dialect names the engine: "postgres", or "mysql" for MySQL and MariaDB.
	Dialect() string
	// Version is the server version as the engine reports it, e.g. "15.18".
	Version() string
	// CreateDB creates an empty scratch database. It is safe for concurrent use.
	CreateDB(ctx context.Context) (*DB, error)
	// Close drops every scratch database still alive and stops an ephemeral server. It is
	// idempotent and needs no context: it must work after the caller's context is cancelled.
	Close() error
}

// DB is one scratch database.
type DB struct {
	// URL connects to the scratch database: pgx-style for PostgreSQL, mysql://user:password@
	// host:port/name for the MySQL family (see MySQLDSN).
	URL string
	// Name is the database name on the server.
	Name string
	drop func(context.Context) error
}

// Drop removes the scratch database. It is safe to call more than once, and after the
// server's Close (which already dropped it).
func (d *DB) Drop(ctx context.Context) error {
	if d.drop == nil {
		return nil
	}
	f := d.drop
	d.drop = nil
	return f(ctx)
}

// Forms lists the dev database URLs Open accepts, for help texts and errors.
const Forms = "local://postgres[?version=N] (an ephemeral cluster from the installed PostgreSQL server binaries; " +
	"?roles=app_reader,app_writer creates roles the schema grants to), " +
	"docker://postgres/16 (a container on the Docker engine that DOCKER_HOST names, removed after the run; " +
	"also docker://mysql/8, docker://mariadb/11; ?image= names another image, e.g. on a mirror) " +
	"or postgres://user:password@host:port/db (an existing server; Sextant creates and drops its own scratch databases)"

// Open returns the dev database server that url names:
//
//	local://postgres             an ephemeral cluster; ?version=15 picks one of several installed versions,
//	                             ?roles=a,b creates NOLOGIN roles a and b on it (see roles.go)
//	docker://postgres/16         a container of the image postgres:16, one for the whole run; also
//	                             docker://mysql/8 and docker://mariadb/11. Parameters: image=NAME (another
//	                             image, e.g. on a mirror), network=NAME|host, timeout=DURATION (start to
//	                             first connection, default 2m), roles=a,b (postgres only, as for local://)
//	postgres://… postgresql://…  an existing server; the URL's database is only the maintenance connection
func Open(ctx context.Context, url string) (Server, error) {
	scheme, _, ok := strings.Cut(url, "://")
	if ok {
		switch strings.ToLower(scheme) {
		case "local":
			return openLocalURL(ctx, url)
		case "docker":
			return openDockerURL(ctx, url)
		case "postgres", "postgresql":
			return openServer(ctx, url)
		}
	}
	return nil, fmt.Errorf("dev database %q is not supported: use %s", dburl.Redact(url), Forms)
}
