//go:build unix

package devdb

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"
)

// BenchmarkStart measures what a command pays before its first statement: from Open (start
// of the cluster or container) through CreateDB to the first query on the scratch database.
// Close is not timed. The docker cases run the test images on the test engine (see
// internal/dockertest): "docker" publishes the port through the engine's proxy, as a CI
// runner's engine does, "docker-hostnet" uses network=host.
func BenchmarkStart(b *testing.B) {
	for _, c := range []struct{ name, engine, extra string }{
		{"local", "", ""},
		{"docker", "postgres", ""},
		{"docker-hostnet", "postgres", "network=host"},
		{"docker-mariadb", "mariadb", ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			url := "local://postgres"
			if c.engine != "" {
				url = dockerURL(b, c.engine, c.extra)
			}
			ctx := context.Background()
			for range b.N {
				s, err := Open(ctx, url)
				if err != nil {
					b.Fatal(err)
				}
				db, err := s.CreateDB(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if err := firstQuery(ctx, s.Dialect(), db.URL); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

func firstQuery(ctx context.Context, dialect, url string) error {
	if dialect == "mysql" {
		dsn, err := MySQLDSN(url)
		if err != nil {
			return err
		}
		db, err := sql.Open("mysql", dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		var one int
		return db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var one int
	return conn.QueryRow(ctx, "SELECT 1").Scan(&one)
}
